"""Payers (docs/methodology.md §7): per payer claims, charges, payments, denial rate, days
to pay and mix; A/R aging by payer, split into what insurers and patients still owe; charge
lag; and a service month x paid month lag table.

All functions take a ledger already as of its date (:meth:`ClaimsData.at`) and return
aggregates only.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .kpi import AGING_BUCKETS, AGING_EDGES, components, denied_dollars, ratio

UNKNOWN = "(unknown payer)"


def _payer(ledger) -> pd.Series:
    return ledger["payer"].fillna(UNKNOWN).astype(str).rename("payer")


def _days(later, earlier) -> np.ndarray:
    return ((later - earlier).dt.days).to_numpy(dtype="float64", na_value=np.nan)


def _median(values):
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else None


def _payer_codes(ledger) -> tuple[np.ndarray, np.ndarray]:
    """(code per claim, payer names): payers factorized once, so every per-payer sum is
    a ``bincount`` rather than a group-by over strings."""
    codes, names = pd.factorize(ledger["payer"].to_numpy(dtype=object), use_na_sentinel=False)
    names = np.array([UNKNOWN if n is None or n != n else str(n) for n in names], dtype=object)
    return codes, names


def payer_table(ledger: pd.DataFrame, as_of, *, comp=None) -> list[dict]:
    """One row per payer, by charges: claims, charge, paid (insurance), collected, payer mix
    (share of charges), denial rate, denied dollars (as the denials summary counts them), net collection rate, median days from service to
    payment (over claims the payer paid something on) and open A/R."""
    if not len(ledger):
        return []
    comp = components(ledger, as_of) if comp is None else comp
    codes, names = _payer_codes(ledger)

    def total(values):
        return np.bincount(codes, weights=np.asarray(values, dtype=float),
                           minlength=len(names))

    sums = {"claims": np.bincount(codes, minlength=len(names)),
            "charge": total(ledger["charge"].to_numpy()),
            "paid": total(ledger["insurance_paid"].to_numpy()),
            "collected": total(comp["collected"].to_numpy()),
            "closed": total(comp["closed"].to_numpy()), "denied": total(comp["denied"].to_numpy()),
            "net_base": total((comp["closed_charge"] - comp["contractual_adjustment"]).to_numpy()),
            "open_ar": total(comp["open_ar"].to_numpy()),
            "denied_dollars": total(denied_dollars(ledger)
                                    * (ledger["status"].to_numpy(dtype=object) != "open"))}
    days = _days(ledger["paid_date"], ledger["service_date"])
    paid = (ledger["insurance_paid"].to_numpy() > 0) & ~np.isnan(days)
    medians = pd.Series(days[paid]).groupby(codes[paid]).median()
    all_charge = float(sums["charge"].sum())
    out = []
    for i in np.argsort(-sums["charge"], kind="stable"):
        days_median = medians.get(i)
        out.append({"payer": names[i], "claims": int(sums["claims"][i]),
                    "charge": float(sums["charge"][i]),
                    "paid": float(sums["paid"][i]),
                    "collected": float(sums["collected"][i]),
                    "mix": ratio(float(sums["charge"][i]), all_charge),
                    "denial_rate": ratio(float(sums["denied"][i]), float(sums["closed"][i])),
                    "denied_dollars": float(sums["denied_dollars"][i]),
                    "net_collection_rate": ratio(float(sums["collected"][i]),
                                                 float(sums["net_base"][i])),
                    "days_to_pay_median": None if days_median is None or pd.isna(days_median)
                    else float(days_median),
                    "open_ar": float(sums["open_ar"][i])})
    return out


def _buckets(ledger, as_of) -> np.ndarray:
    age = ((as_of - ledger["service_date"]).dt.days).to_numpy(dtype="float64", na_value=np.nan)
    idx = np.searchsorted(AGING_EDGES, np.nan_to_num(age), side="left")
    return np.where(np.isnan(age), len(AGING_BUCKETS), idx)


def balances(ledger: pd.DataFrame, *, comp=None, as_of=None) -> tuple[np.ndarray, np.ndarray]:
    """Each claim's open A/R split into (insurance, patient): the patient part is what the
    payer assigned to the patient (CLP05 / patient_responsibility) not yet paid; denied
    claims are wholly the insurer's (they are appealed or written off, not billed)."""
    comp = components(ledger, as_of) if comp is None else comp
    ar = comp["open_ar"].to_numpy()
    owed = np.nan_to_num(ledger["patient_responsibility"].to_numpy()) - \
        ledger["patient_paid"].to_numpy()
    status = ledger["status"].to_numpy(dtype=object)
    patient = np.where((status == "open") | (status == "denied"), 0.0,
                       np.clip(owed, 0.0, ar))
    return ar - patient, patient


def aging(ledger: pd.DataFrame, as_of, *, comp=None) -> dict:
    """A/R aging (days since service): ``total`` (per bucket: claims, open A/R, insurance
    and patient balance, share) and ``by_payer`` (per payer: open A/R per bucket)."""
    comp = components(ledger, as_of) if comp is None else comp
    insurance, patient = balances(ledger, comp=comp, as_of=as_of)
    ar = insurance + patient
    labels = list(AGING_BUCKETS) + ["unknown"]
    bucket = _buckets(ledger, as_of) if as_of is not None else \
        np.full(len(ledger), len(AGING_BUCKETS))
    total_ar = float(ar.sum())
    total = []
    for i, name in enumerate(labels):
        mask = bucket == i
        if name == "unknown" and not (mask & (ar > 0)).any():
            continue
        total.append({"bucket": name, "claims": int((mask & (ar > 0)).sum()),
                      "open_ar": float(ar[mask].sum()),
                      "insurance": float(insurance[mask].sum()),
                      "patient": float(patient[mask].sum()),
                      "share": ratio(float(ar[mask].sum()), total_ar)})
    codes, names = _payer_codes(ledger)
    cells = np.bincount(codes * len(labels) + bucket, weights=ar,
                        minlength=len(names) * len(labels)).reshape(len(names), len(labels))
    shown = [i for i, b in enumerate(labels) if b != "unknown" or cells[:, i].any()]
    by_payer = []
    for p in np.flatnonzero(cells.sum(axis=1) > 0):
        entry = {"payer": names[p]}
        entry.update({labels[i]: float(cells[p, i]) for i in shown})
        entry["total"] = float(cells[p].sum())
        by_payer.append(entry)
    by_payer.sort(key=lambda r: -r["total"])
    return {"total": total, "by_payer": by_payer,
            "insurance": float(insurance.sum()),
            "patient": float(patient.sum())}


def charge_lag(ledger: pd.DataFrame):
    """Days from service to submission, where the data says when claims were sent (837s,
    a ledger's submitted_date, or the 835's received date): None when it never does."""
    days = _days(ledger["submitted_date"], ledger["service_date"])
    # a claim sent before the visit is a date error in the data, not a lag
    days = days[~np.isnan(days) & (days >= 0)]
    if not len(days):
        return None
    return {"claims": int(len(days)), "median_days": float(np.median(days)),
            "mean_days": float(days.mean()), "p90_days": float(np.percentile(days, 90)),
            "over_30_days": ratio(int((days > 30).sum()), len(days))}


def lag_table(ledger: pd.DataFrame) -> list[dict]:
    """Insurance payments by month of service x month paid (the lag triangle)."""
    amount = ledger["insurance_paid"].to_numpy()
    served, paid_on = ledger["service_date"], ledger["paid_date"]
    keep = (amount > 0) & paid_on.notna().to_numpy() & served.notna().to_numpy()
    if not keep.any():
        return []
    # Only the three columns are filtered (not the whole ledger, with its text columns);
    # grouped on month numbers, and only the few distinct months are formatted.
    frame = pd.DataFrame({
        "service_month": served.to_numpy()[keep].astype("datetime64[M]"),
        "paid_month": paid_on.to_numpy()[keep].astype("datetime64[M]"),
        "claims": 1, "paid": amount[keep]})
    grouped = frame.groupby(["service_month", "paid_month"]).sum().reset_index()
    month = {m: pd.Timestamp(m).strftime("%Y-%m") for m in
             pd.unique(np.concatenate([grouped["service_month"].to_numpy(),
                                       grouped["paid_month"].to_numpy()]))}
    return [{"service_month": month[r.service_month], "paid_month": month[r.paid_month],
             "claims": int(r.claims), "paid": float(r.paid)}
            for r in grouped.itertuples()]


def days_to_pay(ledger: pd.DataFrame):
    """Median days from service to payment over claims the payer paid something on."""
    days = _days(ledger["paid_date"], ledger["service_date"])
    return _median(days[ledger["insurance_paid"].to_numpy() > 0])

