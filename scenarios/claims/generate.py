"""Generate the synthetic ledger of scenarios/family-practice-claims.yaml (seeded, reproducible).

Three months of a one-physician family practice: ~400 claims a month at ~$190 charged each,
contractual write-downs ~42% of charges, ~9% of claims denied, ~85% paid on the first pass,
the last weeks still open. Synthetic: no real patient, claim or payer data.

    python scenarios/claims/generate.py   # rewrites family-practice-ledger.csv
"""
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

rng = np.random.default_rng(20260101)
n = 1200
start = date(2026, 6, 1)
payers = ["Medicare", "Blue Cross", "Aetna", "UnitedHealthcare", "Medicaid", "Cigna"]
service = [start + timedelta(days=int(d)) for d in rng.integers(0, 92, n)]
submitted = [d + timedelta(days=int(k)) for d, k in zip(service, rng.integers(1, 6, n))]
charge = np.round(rng.lognormal(np.log(170), 0.45, n), 2)
allowed = np.round(charge * rng.uniform(0.52, 0.64, n), 2)
as_of = start + timedelta(days=100)    # pulled ten days after the last visit
lag = rng.integers(12, 40, n)                                    # days from submission to payment
open_ = np.array([d + timedelta(days=int(k)) > as_of for d, k in zip(submitted, lag)])
denied = (rng.random(n) < 0.09) & ~open_
reason = np.where(denied, rng.choice(["16", "50", "97", "29", "27", "197"], n,
                                     p=[0.3, 0.15, 0.2, 0.1, 0.1, 0.15]), "")
patient_resp = np.round(allowed * rng.choice([0.0, 0.1, 0.2], n, p=[0.5, 0.3, 0.2]), 2)
collected_share = rng.choice([1.0, 0.0], n, p=[0.8, 0.2])       # some patients have not paid
paid = ~open_ & ~denied
ins = np.where(paid, allowed - patient_resp, 0.0)
pat = np.where(paid, np.round(patient_resp * collected_share, 2), 0.0)
contractual = np.where(paid, charge - allowed, 0.0)
partial = paid & (pat < patient_resp)
status = np.where(open_, "open", np.where(denied, "denied", np.where(partial, "partial", "paid")))
first_pass = np.where(open_, "", np.where(denied | (rng.random(n) < 0.04), "false", "true"))
paid_date = [(s + timedelta(days=int(k))).isoformat() if not o else ""
             for s, k, o in zip(submitted, lag, open_)]
frame = pd.DataFrame({
    "claim_id": [f"FP{26000 + i}" for i in range(n)],
    "payer": rng.choice(payers, n, p=[0.3, 0.2, 0.15, 0.15, 0.1, 0.1]),
    "service_date": [d.isoformat() for d in service],
    "submitted_date": [d.isoformat() for d in submitted],
    "charge": charge, "allowed": np.where(open_ | denied, np.nan, allowed),
    "insurance_paid": np.round(ins, 2), "patient_paid": pat,
    "patient_responsibility": np.where(paid, patient_resp, np.nan),
    "contractual_adjustment": np.round(contractual, 2), "other_adjustment": 0.0,
    "status": status, "first_pass": first_pass, "paid_date": paid_date,
    "denial_reason": reason, "denied_amount": np.where(denied, charge, 0.0),
}).sort_values("service_date")
frame.to_csv(Path(__file__).with_name("family-practice-ledger.csv"), index=False)
