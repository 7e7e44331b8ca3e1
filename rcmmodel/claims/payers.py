"""Payers (SPEC 5): per payer claims, charges, payments, denial rate, days to pay and mix;
A/R aging by payer, split into what insurers and patients still owe; charge lag; and a
service month x paid month lag table.

All functions take a ledger already as of its date (:meth:`ClaimsData.at`) and return
aggregates only.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .kpi import AGING_BUCKETS, _AGING_EDGES, components, ratio

UNKNOWN = "(unknown payer)"


def _payer(ledger) -> pd.Series:
    return ledger["payer"].fillna(UNKNOWN).astype(str).rename("payer")


def _days(later, earlier) -> np.ndarray:
    return ((later - earlier).dt.days).to_numpy(dtype="float64", na_value=np.nan)


def _median(values):
    values = values[~np.isnan(values)]
    return float(np.median(values)) if len(values) else None


def payer_table(ledger: pd.DataFrame, as_of, *, comp=None) -> list[dict]:
    """One row per payer, by charges: claims, charge, paid (insurance), collected, payer mix
    (share of charges), denial rate, net collection rate, median days from service to
    payment (over claims the payer paid something on) and open A/R."""
    if not len(ledger):
        return []
    comp = components(ledger, as_of) if comp is None else comp
    payer = _payer(ledger)
    days = _days(ledger["paid_date"], ledger["service_date"])
    days[ledger["insurance_paid"].to_numpy() <= 0] = np.nan
    frame = pd.DataFrame({
        "payer": payer.to_numpy(), "claims": 1, "charge": ledger["charge"].to_numpy(),
        "paid": ledger["insurance_paid"].to_numpy(), "collected": comp["collected"].to_numpy(),
        "closed": comp["closed"].to_numpy(), "denied": comp["denied"].to_numpy(),
        "net_base": (comp["closed_charge"] - comp["contractual_adjustment"]).to_numpy(),
        "open_ar": comp["open_ar"].to_numpy(), "days": days})
    sums = frame.groupby("payer", sort=False).sum(numeric_only=True)
    medians = frame.groupby("payer", sort=False)["days"].median()
    total = float(sums["charge"].sum())
    out = []
    for name, r in sums.sort_values("charge", ascending=False).iterrows():
        days_median = medians.get(name)
        out.append({"payer": name, "claims": int(r["claims"]), "charge": round(r["charge"], 2),
                    "paid": round(r["paid"], 2), "collected": round(r["collected"], 2),
                    "mix": ratio(r["charge"], total),
                    "denial_rate": ratio(r["denied"], r["closed"]),
                    "net_collection_rate": ratio(r["collected"], r["net_base"]),
                    "days_to_pay_median": None if pd.isna(days_median) else float(days_median),
                    "open_ar": round(r["open_ar"], 2)})
    return out


def _buckets(ledger, as_of) -> np.ndarray:
    age = ((as_of - ledger["service_date"]).dt.days).to_numpy(dtype="float64", na_value=np.nan)
    idx = np.searchsorted(_AGING_EDGES, np.nan_to_num(age), side="left")
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
                      "open_ar": round(float(ar[mask].sum()), 2),
                      "insurance": round(float(insurance[mask].sum()), 2),
                      "patient": round(float(patient[mask].sum()), 2),
                      "share": ratio(float(ar[mask].sum()), total_ar)})
    frame = pd.DataFrame({"payer": _payer(ledger).to_numpy(),
                          "bucket": np.array(labels, dtype=object)[bucket], "ar": ar})
    pivot = frame[frame["ar"] > 0].pivot_table(index="payer", columns="bucket", values="ar",
                                               aggfunc="sum", fill_value=0.0)
    by_payer = []
    for name, row in pivot.iterrows():
        entry = {"payer": name}
        entry.update({b: round(float(row.get(b, 0.0)), 2) for b in labels
                      if b != "unknown" or "unknown" in pivot.columns})
        entry["total"] = round(float(row.sum()), 2)
        by_payer.append(entry)
    by_payer.sort(key=lambda r: -r["total"])
    return {"total": total, "by_payer": by_payer,
            "insurance": round(float(insurance.sum()), 2),
            "patient": round(float(patient.sum()), 2)}


def charge_lag(ledger: pd.DataFrame):
    """Days from service to submission, where the data says when claims were sent (837s,
    a ledger's submitted_date, or the 835's received date): None when it never does."""
    days = _days(ledger["submitted_date"], ledger["service_date"])
    days = days[~np.isnan(days)]
    if not len(days):
        return None
    return {"claims": int(len(days)), "median_days": float(np.median(days)),
            "mean_days": float(days.mean()), "p90_days": float(np.percentile(days, 90)),
            "over_30_days": ratio(int((days > 30).sum()), len(days))}


def lag_table(ledger: pd.DataFrame) -> list[dict]:
    """Insurance payments by month of service x month paid (the lag triangle)."""
    paid = ledger["insurance_paid"].to_numpy() > 0
    sub = ledger[paid & ledger["paid_date"].notna().to_numpy()
                 & ledger["service_date"].notna().to_numpy()]
    if not len(sub):
        return []
    # Group on month numbers; format only the few distinct months.
    frame = pd.DataFrame({
        "service_month": sub["service_date"].to_numpy().astype("datetime64[M]"),
        "paid_month": sub["paid_date"].to_numpy().astype("datetime64[M]"),
        "claims": 1, "paid": sub["insurance_paid"].to_numpy()})
    grouped = frame.groupby(["service_month", "paid_month"]).sum().reset_index()
    month = {m: pd.Timestamp(m).strftime("%Y-%m") for m in
             pd.unique(np.concatenate([grouped["service_month"].to_numpy(),
                                       grouped["paid_month"].to_numpy()]))}
    return [{"service_month": month[r.service_month], "paid_month": month[r.paid_month],
             "claims": int(r.claims), "paid": round(float(r.paid), 2)}
            for r in grouped.itertuples()]


def days_to_pay(ledger: pd.DataFrame):
    """Median days from service to payment over claims the payer paid something on."""
    days = _days(ledger["paid_date"], ledger["service_date"])
    return _median(days[ledger["insurance_paid"].to_numpy() > 0])

