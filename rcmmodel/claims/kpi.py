"""Billing KPIs over a claims ledger, exactly as docs/methodology.md §7 defines them.

Pure, vectorized functions named after the metric. Every KPI is a ratio of sums, so
the module computes the per-claim components once (:func:`components`), sums them per
group (one group, per payer, per month) and applies the same formulas
(:func:`kpis_from_sums`) to every group at once. A KPI whose denominator is 0 is
``None`` (NaN inside frames), never 0.

Examples
--------
>>> from rcmmodel.claims.ledger import make_ledger
>>> ledger = make_ledger({"claim_id": ["A", "B"], "service_date": ["2024-01-01"] * 2,
...     "charge": [100.0, 100.0], "insurance_paid": [90.0, 0.0],
...     "contractual_adjustment": [10.0, 0.0], "status": ["paid", "denied"],
...     "first_pass": [True, False]})
>>> denial_rate(ledger), net_collection_rate(ledger)
(0.5, 0.47368421052631576)
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .targets import KPIS, TARGETS, grade

KPI_NAMES = tuple(KPIS)          # every KPI of the table, in its order
TOTALS = ("charge", "allowed", "insurance_paid", "patient_paid", "patient_responsibility",
          "contractual_adjustment", "other_adjustment", "denied_amount", "denied_charge")
AGING_BUCKETS = ("0-30", "31-60", "61-90", "91-120", "120+")
AGING_EDGES = np.array([30, 60, 90, 120])

def ratio(numerator, denominator):
    """numerator / denominator; None (scalars) or NaN (arrays) where the denominator is 0.

    Examples
    --------
    >>> ratio(1, 4), ratio(1, 0)
    (0.25, None)
    """
    num = np.asarray(numerator, dtype="float64")
    den = np.asarray(denominator, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(den != 0, num / np.where(den != 0, den, 1.0), np.nan)
    if out.ndim == 0:
        return None if np.isnan(out) else float(out)
    return out


def default_as_of(ledger: pd.DataFrame):
    """The latest date in the data (service, submitted or paid), or None without dates."""
    if not len(ledger):
        return None
    latest = [ledger[c].max() for c in ("service_date", "submitted_date", "paid_date")]
    latest = [d for d in latest if not pd.isna(d)]
    return pd.Timestamp(max(latest)).normalize() if latest else None


def _as_of(ledger, as_of):
    return default_as_of(ledger) if as_of is None else pd.Timestamp(as_of).normalize()


_UNDONE = {"insurance_paid": 0.0, "patient_paid": 0.0, "contractual_adjustment": 0.0,
           "other_adjustment": 0.0, "denied_amount": 0.0, "denied_charge": 0.0,
           "allowed": np.nan, "patient_responsibility": np.nan}


def as_of_view(ledger: pd.DataFrame, as_of) -> pd.DataFrame:
    """The ledger as it stood on ``as_of`` (docs/methodology.md §10): claims with a service
    date after it left out; a claim paid or adjusted after it not adjudicated yet (``open``).

    Examples
    --------
    >>> from rcmmodel.claims.ledger import make_ledger
    >>> ledger = make_ledger({"claim_id": ["A", "B"], "charge": [100.0, 50.0],
    ...     "service_date": ["2024-01-05", "2024-03-01"], "insurance_paid": [80.0, 0.0],
    ...     "paid_date": ["2024-02-20", None], "status": ["paid", "open"]})
    >>> as_of_view(ledger, "2024-02-01")[["claim_id", "status", "insurance_paid"]].values
    array([['A', 'open', 0.0]], dtype=object)
    """
    if as_of is None or not len(ledger):
        return ledger
    as_of = pd.Timestamp(as_of)
    # Filter or copy only when something changes: a million-row ledger as of its own
    # latest date is used as it is (a frame-wide copy costs more than every KPI).
    later = (ledger["service_date"] > as_of).to_numpy()
    out = ledger[~later] if later.any() else ledger
    late = ((out["paid_date"] > as_of) & (out["status"] != "open")).to_numpy()
    if late.any():
        out = out.copy()
        for col, value in _UNDONE.items():
            if col in out:
                out.loc[late, col] = value
        out.loc[late, "status"] = "open"
        out.loc[late, "paid_date"] = pd.NaT
        out.loc[late, "first_pass"] = pd.NA
        if "denial_reason" in out:
            out.loc[late, "denial_reason"] = None
    return out


def denied_dollars(ledger: pd.DataFrame) -> np.ndarray:
    """Each claim's denied dollars (docs/methodology.md §7): its charge when denied whole
    (status ``denied``), else the charge of its denied lines (``denied_charge``)."""
    charge = ledger["charge"].to_numpy()
    lines = ledger["denied_charge"].to_numpy() if "denied_charge" in ledger else \
        np.zeros(len(ledger))
    return np.where(ledger["status"].to_numpy(dtype=object) == "denied", charge,
                    np.nan_to_num(lines))


def components(ledger: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """Per-claim parts of every KPI; their sums over a group give the group's KPIs.

    Collections count over adjudicated claims (status other than ``open``): an open claim
    has had no chance to pay. Open A/R per claim is ``max(0, charge - insurance_paid -
    patient_paid - contractual_adjustment - other_adjustment)``, rounded to the cent so
    float residue never shows up as a stray 1e-13 balance. ``window_charge`` is the
    charge of claims served in the 90-day window that days in A/R divides by.
    """
    as_of = _as_of(ledger, as_of)
    n = len(ledger)
    status = ledger["status"].to_numpy(dtype=object)
    closed = status != "open"
    dollars = denied_dollars(ledger)
    denied = closed & ((status == "denied") | (dollars > 0))
    # A denial later paid (an overturn, known from a later 835) is no longer a denial.
    overturned = ledger["overturned"].to_numpy(dtype=bool) if "overturned" in ledger else \
        np.zeros(n, dtype=bool)
    fp = ledger["first_pass"]
    first_pass = fp.fillna(False).to_numpy(dtype=bool) & closed
    first_pass_known = closed & fp.notna().to_numpy()
    charge = ledger["charge"].to_numpy()
    paid, patient = ledger["insurance_paid"].to_numpy(), ledger["patient_paid"].to_numpy()
    contractual = ledger["contractual_adjustment"].to_numpy()
    other = ledger["other_adjustment"].to_numpy()
    age = _age_days(ledger, as_of)
    start, _, _ = window(ledger, as_of)
    in_window = (age <= (as_of - start).days) & (age >= 0) if start is not None else \
        np.zeros(n, dtype=bool)
    # One float block (a frame built from a dict of arrays would copy them all again to
    # consolidate; counts stay exact in float64), filled a block of rows at a time so
    # its strided columns are written while those rows are in cache.
    out = np.empty((n, len(_COMPONENTS)))
    for lo in range(0, n, _ROWS):
        rows = slice(lo, lo + _ROWS)
        shut = closed[rows]
        collected = paid[rows] + patient[rows]
        ar = charge[rows] - collected
        ar -= contractual[rows]
        ar -= other[rows]
        np.round(ar, 2, out=ar)
        np.maximum(ar, 0.0, out=ar)
        block = out[rows]
        for j, values in enumerate((
                1.0, charge[rows], collected * shut, contractual[rows] * shut, shut,
                denied[rows], denied[rows] & ~overturned[rows], charge[rows] * shut,
                dollars[rows] * shut, first_pass[rows], first_pass_known[rows], ar,
                ar * (age[rows] > 90), charge[rows] * in_window[rows])):
            block[:, j] = values
    return pd.DataFrame(out, columns=list(_COMPONENTS), index=ledger.index, copy=False)


_COMPONENTS = ("claims", "charge", "collected", "contractual_adjustment", "closed", "denied",
               "still_denied", "closed_charge", "denied_charge", "first_pass", "first_pass_known", "open_ar",
               "ar_over_90", "window_charge")
WINDOW_DAYS = 90
_ROWS = 1 << 15          # rows of the components block filled at a time


def _age_days(ledger, as_of) -> np.ndarray:
    """Days from service to as_of; NaN where either is unknown."""
    if as_of is None:
        return np.full(len(ledger), np.nan)
    return ((as_of - ledger["service_date"]).dt.days).to_numpy(dtype="float64", na_value=np.nan)


def window(ledger: pd.DataFrame, as_of=None):
    """``(start, end, days)`` of the days-in-A/R window: the 90 days ending at as_of
    (as_of - 89 .. as_of, inclusive), or from the first service date when the data is
    shorter; ``(None, as_of, None)`` when there is no date to measure from.

    Examples
    --------
    >>> from rcmmodel.claims.ledger import make_ledger
    >>> window(make_ledger({"claim_id": ["A"], "charge": [1.0], "status": ["open"],
    ...                     "service_date": ["2024-03-01"]}), "2024-03-31")[2]
    31
    """
    as_of = _as_of(ledger, as_of)
    first = ledger["service_date"].min() if len(ledger) else pd.NaT
    if as_of is None or pd.isna(first) or first > as_of:
        return None, as_of, None
    start = max(pd.Timestamp(first).normalize(), as_of - pd.Timedelta(days=WINDOW_DAYS - 1))
    return start, as_of, (as_of - start).days + 1


def period_days(ledger: pd.DataFrame, as_of=None):
    """Days from the first service date to as_of, both inclusive; None when unknown or < 1."""
    as_of = _as_of(ledger, as_of)
    first = ledger["service_date"].min() if len(ledger) else pd.NaT
    if as_of is None or pd.isna(first):
        return None
    days = (as_of - first).days + 1
    return days if days >= 1 else None


def kpis_from_sums(sums: pd.DataFrame, days) -> pd.DataFrame:
    """The docs/methodology.md §7 formulas over summed :func:`components`, one row per group;
    ``days`` is the length of the days-in-A/R window."""
    out = pd.DataFrame(index=sums.index)
    collected, charge = sums["collected"], sums["closed_charge"]
    out["net_collection_rate"] = ratio(collected, charge - sums["contractual_adjustment"])
    out["gross_collection_rate"] = ratio(collected, charge)
    out["denial_rate"] = ratio(sums["denied"], sums["closed"])
    out["final_denial_rate"] = ratio(sums["still_denied"], sums["closed"])
    out["denial_rate_dollars"] = ratio(sums["denied_charge"], sums["closed_charge"])
    out["clean_claim_rate"] = ratio(sums["first_pass"], sums["first_pass_known"])
    out["open_ar"] = sums["open_ar"].astype("float64")
    daily = sums["window_charge"] / days if days else np.nan
    out["days_in_ar"] = ratio(sums["open_ar"], daily) if days else np.nan
    out["ar_over_90"] = ratio(sums["ar_over_90"], sums["open_ar"])
    return out


def kpis(ledger: pd.DataFrame, as_of=None, *, comp=None) -> dict:
    """Every KPI of docs/methodology.md §7 over the whole ledger: name -> float or None.

    ``comp``, here and below, is :func:`components` for the same ledger and as_of,
    passed in by a caller that computes several breakdowns, so it is built once.
    """
    ledger = as_of_view(ledger, as_of)
    comp = components(ledger, as_of) if comp is None else comp
    sums = comp.sum().to_frame().T
    row = kpis_from_sums(sums, window(ledger, as_of)[2]).iloc[0]
    return {k: (None if pd.isna(row[k]) else float(row[k])) for k in KPI_NAMES}


def net_collection_rate(ledger, as_of=None):
    """(insurance_paid + patient_paid) / (charge - contractual_adjustment), adjudicated."""
    return kpis(ledger, as_of)["net_collection_rate"]


def gross_collection_rate(ledger, as_of=None):
    """(insurance_paid + patient_paid) / charge, over adjudicated claims."""
    return kpis(ledger, as_of)["gross_collection_rate"]


def denial_rate(ledger, as_of=None):
    """Denied claims (denied whole or with a denied line) / adjudicated claims."""
    return kpis(ledger, as_of)["denial_rate"]


def final_denial_rate(ledger, as_of=None):
    """(Denied claims - those overturned by a later payment) / adjudicated claims."""
    return kpis(ledger, as_of)["final_denial_rate"]


def denial_rate_dollars(ledger, as_of=None):
    """Denied dollars / charge of adjudicated claims."""
    return kpis(ledger, as_of)["denial_rate_dollars"]


def clean_claim_rate(ledger, as_of=None):
    """count(first_pass) / count(status != open), over claims whose first_pass is known."""
    return kpis(ledger, as_of)["clean_claim_rate"]


def open_ar(ledger, as_of=None):
    """Sum over claims of max(0, charge - payments - adjustments)."""
    return kpis(ledger, as_of)["open_ar"]


def days_in_ar(ledger, as_of=None):
    """open_ar / (charges served in the window / days in the window): see :func:`window`."""
    return kpis(ledger, as_of)["days_in_ar"]


def ar_over_90(ledger, as_of=None):
    """Open A/R of claims more than 90 days past service / open A/R."""
    return kpis(ledger, as_of)["ar_over_90"]


def totals(ledger: pd.DataFrame, *, comp=None) -> dict:
    """Dollar totals of the ledger's money columns, with open A/R."""
    out = {c: float(np.nansum(ledger[c].to_numpy())) for c in TOTALS}
    comp = components(ledger, None) if comp is None else comp
    out["open_ar"] = float(comp["open_ar"].sum())
    return out


def status_counts(ledger: pd.DataFrame) -> dict:
    counts = ledger["status"].value_counts()
    return {s: int(counts.get(s, 0)) for s in ("paid", "partial", "denied", "open")}


def grades(values: dict) -> dict:
    """Red/amber/green against the benchmark table, for every KPI that has a target."""
    return {k: grade(k, values.get(k)) for k in TARGETS}


def _grouped(ledger, as_of, keys, days, comp) -> pd.DataFrame:
    comp = components(ledger, as_of) if comp is None else comp
    sums = comp.groupby(keys, sort=True, dropna=False).sum()
    out = kpis_from_sums(sums, days)
    out.insert(0, "claims", sums["claims"].astype("int64"))
    out.insert(1, "charge", sums["charge"])
    out.insert(2, "collected", sums["collected"])
    return out


def by_payer(ledger: pd.DataFrame, as_of=None, *, comp=None) -> pd.DataFrame:
    """KPIs per payer. Days in A/R uses the whole data's window, so payers compare."""
    keys = ledger["payer"].fillna("(unknown payer)").rename("payer")
    return _grouped(ledger, as_of, keys, window(ledger, as_of)[2], comp).reset_index()


def by_month(ledger: pd.DataFrame, as_of=None, *, comp=None) -> pd.DataFrame:
    """KPIs per month of service (days in A/R and A/R over 90 need a period: left out)."""
    # Group on month numbers and format only the few distinct months: strftime over a
    # million dates costs more than all the KPIs together.
    keys = pd.Series(ledger["service_date"].to_numpy().astype("datetime64[M]"),
                     index=ledger.index, name="month")
    out = _grouped(ledger, as_of, keys, None, comp).drop(columns=["days_in_ar", "ar_over_90"])
    out.index = [("(no date)" if pd.isna(m) else pd.Timestamp(m).strftime("%Y-%m"))
                 for m in out.index]
    return out.rename_axis("month").reset_index()


def aging(ledger: pd.DataFrame, as_of=None, *, comp=None) -> pd.DataFrame:
    """Open A/R in the buckets 0-30, 31-60, 61-90, 91-120 and 120+ days since service.

    Claims with no service date, or none to age against, fall in ``unknown``; claims
    dated after as_of count as 0-30.
    """
    as_of = _as_of(ledger, as_of)
    comp = components(ledger, as_of) if comp is None else comp
    age = _age_days(ledger, as_of)
    labels = np.array(AGING_BUCKETS + ("unknown",), dtype=object)
    idx = np.where(np.isnan(age), len(AGING_BUCKETS),
                   np.searchsorted(AGING_EDGES, np.nan_to_num(age), side="left"))
    ar = comp["open_ar"].to_numpy()
    sums = pd.DataFrame({
        "open_ar": np.bincount(idx, weights=ar, minlength=len(labels)),
        "claims": np.bincount(idx, weights=ar > 0, minlength=len(labels)).astype("int64"),
    }, index=pd.Index(labels, name="bucket"))
    if sums.loc["unknown", "claims"] == 0:
        sums = sums.drop(index="unknown")
    sums["share"] = ratio(sums["open_ar"], sums["open_ar"].sum())
    return sums.rename_axis("bucket").reset_index()
