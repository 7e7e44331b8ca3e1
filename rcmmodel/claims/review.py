"""The claims review: every figure ``rcm kpi``, the claims-review report, the app and the
scenario baselines show, computed once, from :func:`summarize`.

:func:`summarize` turns claims data (:func:`rcmmodel.claims.load.read_claims`, or a bare
ledger) into a JSON-ready dict: the KPIs of docs/methodology.md §7 as of a date, with the
period, the days-in-A/R window and the open claims they cover; denials, payers, aging, lags; with a
fee schedule, underpayments; and the evidence-based uplift range. :func:`baseline_kpis`
gives a scenario the four KPIs its vendors' SLAs are read against, by the same function.

Nothing here returns a claim-level row: summaries are aggregates, so no patient
identifier can reach a report.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._json import cents, clean
from . import denials, evidence as _evidence, fees, kpi, payers
from .history import ClaimsData
from .targets import BASELINE_KPIS, MIN_GRADED_CLAIMS  # noqa: F401 (fewer: not graded)
from .load import load_claims, parse_as_of, read_claims, sniff  # noqa: F401 (re-exported)

BASELINE_KEYS = BASELINE_KPIS
#: A file spanning more than this many days gets a note: a KPI over years of data
#: describes no single moment of the practice.
LONG_SPAN_DAYS = 456                       # about 15 months
COLLECTION_KPIS = ("net_collection_rate", "gross_collection_rate")


def _clean(value, is_money=False):
    """JSON-safe: NaN/NaT -> None, numpy -> Python, money rounded to the cent (rcmmodel._json)."""
    value = clean(value)
    return cents(value) if is_money and isinstance(value, float) else value


# Every key whose value is money, for the one rounding to the cent on the way out (_strict).
_MONEY_KEYS = {"charge", "charges", "collected", "collections", "open_ar", "denied_amount",
               "amount", "total", "paid", "insurance", "patient", "dollars",
               "overturned_dollars", "open_dollars", "low_amount", "high_amount",
               "allowed_per_unit", "denied_dollars", *kpi.AGING_BUCKETS, "unknown"}


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v, is_money=k in _MONEY_KEYS) for k, v in row.items()}
            for row in frame.to_dict(orient="records")]


def _date(ts):
    return None if ts is None or pd.isna(ts) else pd.Timestamp(ts).strftime("%Y-%m-%d")


def summarize(data, as_of=None, *, fee_schedule=None) -> dict:
    """The claims review as a JSON-ready dict (what ``rcm kpi --json`` prints).

    Parameters
    ----------
    data : ClaimsData or pandas.DataFrame
        From :func:`read_claims`; a bare ledger counts each claim as one line.
    as_of : date-like, optional
        Defaults to the latest date in the data. Claims served after it are left out,
        payments after it have not happened yet (docs/methodology.md §10).
    fee_schedule : str, Path or DataFrame, optional
        A fee schedule CSV (:func:`rcmmodel.claims.fees.read_fee_schedule`): adds
        ``underpayments``.

    Returns
    -------
    dict
        The ``claims``, ``as_of``, ``kpis``, ``totals``, ``denials``, ``payers`` and
        (with a fee schedule) ``underpayments``; and ``period``, ``window``,
        ``open_claims``, ``adjudicated_claims``, ``graded``, ``grades``, ``notes``,
        ``status_counts``, ``by_month``, ``aging``, ``aging_by_payer``, ``balances``,
        ``charge_lag``, ``lag_table``, ``best_payers``, ``collections``, ``paid_yield``,
        ``evidence``, ``provider_adjustments``, ``reversals``, ``sources``.
    """
    if isinstance(data, pd.DataFrame):
        attrs = data.attrs
        data = ClaimsData.from_ledger(
            data[[c for c in data.columns if c not in ("overturned",)]],
            sources=attrs.get("sources") or {},
            provider_adjustments=attrs.get("provider_adjustments") or [],
            reversals=attrs.get("reversals", 0),
            unmatched_reversals=attrs.get("unmatched_reversals", 0))
    schedule = fee_schedule
    if schedule is not None and not isinstance(schedule, pd.DataFrame):
        schedule = fees.read_fee_schedule(schedule)
    snap = data.at(parse_as_of(as_of))
    ledger, as_of = snap.ledger, snap.as_of
    comp = kpi.components(ledger, as_of)
    values = kpi.kpis(ledger, as_of, comp=comp)
    values["open_ar"] = _clean(values["open_ar"], is_money=True)
    status = ledger["status"].to_numpy(dtype=object)
    adjudicated = int((status != "open").sum())
    start, end, days = kpi.window(ledger, as_of)
    first = ledger["service_date"].min() if len(ledger) else pd.NaT
    span = kpi.period_days(ledger, as_of)
    notes, graded = _notes(data, adjudicated, span)
    grades = kpi.grades(values)
    if not graded:
        grades = {k: None for k in grades}
    elif not adjudicated:
        for k in COLLECTION_KPIS:
            grades[k] = None
    collected = comp["collected"].to_numpy()
    # What a paid service line brings per charge dollar: the value of a recovered denial.
    if data.has_lines:
        lines = snap.lines
        line_paid, line_charge = lines["paid"].to_numpy(), lines["charge"].to_numpy()
        paid_lines = (line_paid > 0) & ~lines["denied"].to_numpy(dtype=bool)
    else:                                # a bare ledger: each claim is its one line
        line_paid, line_charge = ledger["insurance_paid"].to_numpy(), \
            ledger["charge"].to_numpy()
        paid_lines = (line_paid > 0) & (comp["denied"].to_numpy() == 0)
    plb = pd.DataFrame(data.provider_adjustments or [],
                       columns=["payer", "date", "reason", "amount"]).astype({"amount": float})
    plb_by = (plb.groupby("reason")["amount"].agg(["count", "sum"])
              .rename(columns={"sum": "amount"}).reset_index())
    aging = payers.aging(ledger, as_of, comp=comp)
    review = {
        "claims": int(len(ledger)),
        "as_of": _date(as_of),
        "period": {"start": _date(first), "end": _date(as_of), "days": span},
        "period_days": span,
        "window": {"start": _date(start), "end": _date(end), "days": days,
                   "charges": float(comp["window_charge"].sum())},
        "open_claims": int(len(ledger) - adjudicated),
        "adjudicated_claims": adjudicated,
        "kpis": values,
        "graded": graded,
        "grades": grades,
        "notes": notes,
        "totals": {k: _clean(v, is_money=True) for k, v in kpi.totals(ledger, comp=comp).items()},
        "status_counts": kpi.status_counts(ledger),
        "denials": denials.summary(snap),
        "payers": payers.payer_table(ledger, as_of, comp=comp),
        "by_month": _records(kpi.by_month(ledger, as_of, comp=comp)),
        "aging": aging["total"],
        "aging_by_payer": aging["by_payer"],
        "balances": {"insurance": aging["insurance"], "patient": aging["patient"]},
        "charge_lag": payers.charge_lag(ledger),
        "lag_table": payers.lag_table(ledger),
        "days_to_pay_median": payers.days_to_pay(ledger),
        # procedure codes come from 835 service lines only
        "best_payers": fees.best_payers(snap) if data.has_lines else [],
        "collections": float(collected.sum()),
        "paid_yield": kpi.ratio(float(line_paid[paid_lines].sum()),
                                float(line_charge[paid_lines].sum())),
        "provider_adjustments": {
            "count": int(len(plb)), "total": _clean(float(plb["amount"].sum()), is_money=True),
            "by_reason": _records(plb_by)},
        "reversals": {"matched": int(data.reversals), "unmatched": int(data.unmatched_reversals)},
        "sources": dict(data.sources),
        "service_lines": bool(data.has_lines),
    }
    if schedule is not None:
        review["underpayments"] = fees.underpayments(snap, schedule)
    review = _strict(review)
    review["evidence"] = _strict(_evidence.evidence(review))
    return review


def _notes(data: ClaimsData, adjudicated: int, span) -> tuple[list[dict], bool]:
    """Notes about what the figures can and cannot say, each a ``key`` and its figures
    (:func:`rcmmodel.present.review_text.note_text` words them); and whether to grade."""
    notes, graded = [], True
    sources = data.sources or {}
    if sources.get("837") and not sources.get("835") and not sources.get("ledger"):
        notes.append({"key": "submissions_only"})
        graded = False
    elif adjudicated < MIN_GRADED_CLAIMS:
        notes.append({"key": "too_few_to_grade", "adjudicated": adjudicated,
                      "needed": MIN_GRADED_CLAIMS})
        graded = False
    if span and span > LONG_SPAN_DAYS:
        notes.append({"key": "long_span", "days": span})
    return notes, graded


def _strict(value, key=None):
    """No NaN or Infinity anywhere (JSON is strict), numpy scalars as Python, money (a float
    under one of ``_MONEY_KEYS``) rounded to the cent: the claims review's one rounding."""
    if isinstance(value, dict):
        return {k: _strict(v, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(v) for v in value]
    return _clean(value, is_money=key in _MONEY_KEYS)


def json_ready(value):
    """``value`` (a claims review or a part of one, e.g. :func:`evidence`'s dict) as the
    review prints it: strict JSON, money rounded to the cent."""
    return _strict(value)


def claims_review(paths, as_of=None, *, base_dir=None, fee_schedule=None) -> dict:
    """:func:`summarize` over :func:`read_claims` of ``paths``."""
    return summarize(read_claims(paths, base_dir=base_dir), as_of, fee_schedule=fee_schedule)


def baseline_kpis(paths, as_of=None, *, base_dir=None) -> dict:
    """The four baseline KPIs of a scenario, measured from its claims files (or from
    :class:`ClaimsData` already read).

    The same definitions as every other surface (docs/methodology.md §7: collection
    rates over adjudicated claims, days in A/R over the 90-day window).

    Returns
    -------
    dict
        ``days_in_ar``, ``clean_claim_rate``, ``net_collection_rate``, ``denial_rate``;
        a value is None where the data cannot give it (e.g. no adjudicated claims).
    """
    data = paths if isinstance(paths, ClaimsData) else read_claims(paths, base_dir=base_dir)
    snap = data.at(parse_as_of(as_of))
    values = kpi.kpis(snap.ledger, snap.as_of)
    return {k: values[k] for k in BASELINE_KEYS}
