"""Generate the synthetic claims and invoices of scenarios/audit/audit-example.yaml (seeded,
reproducible).

A one-physician practice that billed in-house from January to March 2026 (before.csv, pulled
2026-04-10) and outsourced to Steady Billing from July (after.csv, the vendor's ledger for
July to September, pulled 2026-10-10). About 100 claims a month at ~$190 charged each,
contractual write-downs ~42% of charges. In-house: ~12% of claims denied and never paid, ~84%
paid on the first pass, some patient balances never collected. Each denial carries a CARC
(denial_reason). With the vendor: ~5% denied,
~93% first pass, patient balances mostly collected. invoices.csv holds the vendor's three
monthly invoices; August is billed $150 above the contract. Synthetic: no real patient,
claim or payer data.

    python scenarios/audit/generate.py   # rewrites before.csv, after.csv and invoices.csv
"""
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
PAYERS = ["Medicare", "Blue Cross", "Aetna", "UnitedHealthcare", "Medicaid"]
# Denial reasons (CARC): missing information, eligibility, prior authorization, medical
# necessity, timely filing.
REASONS = ["CO-16", "CO-27", "CO-197", "CO-50", "CO-29"]


def ledger(rng, prefix, start, days, pulled, denial, first_pass, patient_collects):
    n = int(days * 100 / 30)
    service = [start + timedelta(days=int(d)) for d in rng.integers(0, days, n)]
    submitted = [d + timedelta(days=int(k)) for d, k in zip(service, rng.integers(1, 5, n))]
    charge = np.round(rng.lognormal(np.log(175), 0.4, n), 2)
    allowed = np.round(charge * rng.uniform(0.54, 0.62, n), 2)
    lag = rng.integers(14, 35, n)
    open_ = np.array([d + timedelta(days=int(k)) > pulled for d, k in zip(submitted, lag)])
    denied = (rng.random(n) < denial) & ~open_
    paid = ~open_ & ~denied
    resp = np.round(allowed * rng.choice([0.0, 0.1, 0.2], n, p=[0.5, 0.3, 0.2]), 2)
    collected = rng.random(n) < patient_collects
    pat = np.where(paid & collected, resp, 0.0)
    status = np.where(open_, "open", np.where(denied, "denied",
                      np.where(pat < resp, "partial", "paid")))
    clean = np.where(open_, "", np.where(denied | (rng.random(n) > first_pass), "false", "true"))
    return pd.DataFrame({
        "claim_id": [f"{prefix}{1000 + i}" for i in range(n)],
        "payer": rng.choice(PAYERS, n, p=[0.3, 0.25, 0.15, 0.15, 0.15]),
        "service_date": [d.isoformat() for d in service],
        "submitted_date": [d.isoformat() for d in submitted],
        "charge": charge, "allowed": np.where(paid, allowed, np.nan),
        "insurance_paid": np.where(paid, np.round(allowed - resp, 2), 0.0), "patient_paid": pat,
        "patient_responsibility": np.where(paid, resp, np.nan),
        "contractual_adjustment": np.where(paid, np.round(charge - allowed, 2), 0.0),
        "other_adjustment": 0.0, "status": status, "first_pass": clean,
        "paid_date": [(s + timedelta(days=int(k))).isoformat() if not o else ""
                      for s, k, o in zip(submitted, lag, open_)],
        "denied_amount": np.where(denied, charge, 0.0),
        # The CARC behind each denial, from its own seeded stream so the figures above
        # do not move with it.
        "denial_reason": np.where(denied, np.random.default_rng(n).choice(
            REASONS, n, p=[0.35, 0.25, 0.2, 0.1, 0.1]), ""),
    }).sort_values(["service_date", "claim_id"])


rng = np.random.default_rng(20260701)
ledger(rng, "IH", date(2026, 1, 1), 90, date(2026, 4, 10), 0.12, 0.84, 0.75) \
    .to_csv(HERE / "before.csv", index=False)
ledger(rng, "SB", date(2026, 7, 1), 92, date(2026, 10, 10), 0.05, 0.93, 0.97) \
    .to_csv(HERE / "after.csv", index=False)
# What Steady Billing invoiced: the contract fee of each month, August $150 over it.
pd.DataFrame({"month": ["2026-07", "2026-08", "2026-09"],
              "amount": [725.00, 1098.93, 749.69]}).to_csv(HERE / "invoices.csv", index=False)
