"""Claims data, high level: load any mix of claims files and review them.

:func:`load_claims` looks at each file's content, not its name: a ledger CSV or Excel
workbook, an X12 835 remittance or an 837P claim file. Remittances and submitted
claims read together say which claims are still open (submitted, never remitted) and
which were paid on their first submission. :func:`summarize` turns a ledger into the
JSON-ready review that ``rcm kpi`` prints and the claims-review report shows;
:func:`baseline_kpis` gives a scenario the four KPIs its vendors' SLAs are read against.

Nothing here returns a claim-level row outside the ledger itself: summaries are
aggregates, so no patient identifier can reach a report.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from . import kpi
from ..errors import RcmInputError
from .ledger import COLUMNS, EXTRAS, empty_ledger, read_ledger
from .remittance import read_835
from .claims837 import read_837

BASELINE_KEYS = ("days_in_ar", "clean_claim_rate", "net_collection_rate", "denial_rate")
_ST = re.compile(rb"(?:^|[^A-Z0-9])ST[^A-Za-z0-9\s](83[57])")
# X12 starts with an ISA header or (no envelope) an ST segment, each followed by its
# element separator, which is never a letter or digit: a CSV headed "STATUS,..." is not.
_X12_START = re.compile(rb"ISA[^A-Za-z0-9\s]|ST[^A-Za-z0-9\s]")


def sniff(path) -> str:
    """What a claims file holds, from its first bytes: 'ledger', '835' or '837'."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError as exc:
        raise RcmInputError.at(str(path), "", f"cannot read the file ({exc.strerror})") \
            from None
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _X12_START.match(text):
        match = _ST.search(text)
        if match:
            return match.group(1).decode()
        # The ST may lie beyond the first 4 KB; the 835 reader names what it finds.
        return "835"
    return "ledger"


def load_claims(paths, *, base_dir=None) -> pd.DataFrame:
    """Read claims files of any kind into one ledger.

    Parameters
    ----------
    paths : str, Path or a list of them
        Ledger CSV / Excel files, 835 remittances, 837P claim files, in any mix.
    base_dir : str or Path, optional
        Relative paths are taken from here (a scenario's own folder).

    Returns
    -------
    pandas.DataFrame
        The ledger (:data:`rcmmodel.claims.ledger.COLUMNS` and extras). With 837 files:
        claims submitted but in no 835 are ``open`` (a resubmission replaces the
        earlier submission of the same claim id), remitted claims take their submission
        date from the 837, and a claim submitted more than once, or as a replacement,
        is not ``first_pass``. ``attrs``: ``sources`` (files per kind),
        ``provider_adjustments`` (PLB: list of dicts), ``reversals``,
        ``unmatched_reversals``.

    Raises
    ------
    RcmInputError
        For any file that cannot be read, naming the file and the place.
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    paths = [Path(base_dir) / p if base_dir is not None else Path(p) for p in paths]
    if not paths:
        raise RcmInputError.at(None, "", "no claims files given")
    kinds = {"ledger": [], "835": [], "837": []}
    for p in paths:
        kinds[sniff(p)].append(p)
    parts = [read_ledger(p) for p in kinds["ledger"]]
    remits = read_835([str(p) for p in kinds["835"]]) if kinds["835"] else None
    if kinds["837"]:
        submitted = [read_837(str(p)) for p in kinds["837"]]
        replaced = set().union(*(s.attrs["resubmitted"] for s in submitted))
        for s in submitted:
            s.attrs = {}
        parts.append(_merge_submitted(pd.concat(submitted, ignore_index=True), replaced,
                                      remits))
    elif remits is not None:
        parts.append(remits)
    attrs = remits.attrs if remits is not None else {}
    for part in parts:
        part.attrs = {}
    # One part (the usual case) is used as it is: a million-row ledger is not copied.
    ledger = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
    if list(ledger.columns) != list(COLUMNS + EXTRAS):
        ledger = ledger[list(COLUMNS + EXTRAS)]
    ledger.attrs = {
        "sources": {k: len(v) for k, v in kinds.items()},
        "provider_adjustments": attrs.get("provider_adjustments", []),
        "reversals": attrs.get("reversals", 0),
        "unmatched_reversals": attrs.get("unmatched_reversals", 0),
    }
    return ledger


def _merge_submitted(submitted: pd.DataFrame, replaced: set, remits) -> pd.DataFrame:
    """Submitted (837) + remitted (835) claims -> one ledger."""
    remits = empty_ledger() if remits is None else remits.copy()
    ids = submitted["claim_id"]
    times = ids.map(ids.value_counts())
    resubmitted = set(ids[times > 1]) | replaced
    first = (submitted.sort_values("submitted_date", kind="stable")
             .drop_duplicates("claim_id").set_index("claim_id"))
    known = remits["claim_id"].isin(first.index)
    rid = remits.loc[known, "claim_id"]
    # The 837 says when the practice sent the claim (the 835's DTM*050 is when the payer
    # received it): the 837 wins. Service date and payer only fill gaps.
    sent = rid.map(first["submitted_date"])
    remits.loc[known, "submitted_date"] = sent.where(sent.notna(),
                                                     remits.loc[known, "submitted_date"])
    for col in ("service_date", "payer"):
        fill = rid.map(first[col])
        remits.loc[known, col] = remits.loc[known, col].where(
            remits.loc[known, col].notna(), fill)
    remits["first_pass"] = remits["first_pass"] & ~remits["claim_id"].isin(resubmitted)
    still_open = submitted[~ids.isin(set(remits["claim_id"]))]
    still_open = still_open.drop_duplicates("claim_id", keep="last")
    return pd.concat([remits, still_open], ignore_index=True)


def parse_as_of(value):
    """A user's --as-of (YYYY-MM-DD) as a Timestamp; None passes through."""
    if value is None or isinstance(value, pd.Timestamp):
        return value
    try:
        return pd.Timestamp(pd.to_datetime(str(value), format="%Y-%m-%d"))
    except (ValueError, TypeError):
        raise RcmInputError.at(None, "--as-of", "not a date (expected YYYY-MM-DD)") from None


def _clean(value, cents=False):
    """JSON-safe: NaN/NaT -> None, numpy -> Python, money rounded to the cent."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return None
        return round(float(value), 2) if cents else float(value)
    return value


_MONEY_KEYS = {"charge", "collected", "open_ar", "denied_amount", "amount", "total"}


def _records(frame: pd.DataFrame) -> list[dict]:
    return [{k: _clean(v, cents=k in _MONEY_KEYS) for k, v in row.items()}
            for row in frame.to_dict(orient="records")]


def summarize(ledger: pd.DataFrame, as_of=None) -> dict:
    """The claims review as a JSON-ready dict (what ``rcm kpi --json`` prints).

    Parameters
    ----------
    ledger : pandas.DataFrame
        From :func:`load_claims`.
    as_of : date-like, optional
        Defaults to the latest date in the data.

    Returns
    -------
    dict
        ``claims``, ``as_of``, ``period_days``, ``kpis`` (SPEC 5 names; None where a
        denominator is 0), ``grades``, ``totals``, ``status_counts``, ``by_payer``,
        ``by_month``, ``aging``, ``denials_by_reason``, ``provider_adjustments``,
        ``reversals``. Money rounded to the cent; rates unrounded.
    """
    as_of = parse_as_of(as_of)
    as_of = kpi.default_as_of(ledger) if as_of is None else as_of
    comp = kpi.components(ledger, as_of)
    values = kpi.kpis(ledger, as_of, comp=comp)
    values["open_ar"] = _clean(values["open_ar"], cents=True)
    plb = pd.DataFrame(ledger.attrs.get("provider_adjustments") or [],
                       columns=["payer", "date", "reason", "amount"]).astype({"amount": float})
    plb_by = (plb.groupby("reason")["amount"].agg(["count", "sum"])
              .rename(columns={"sum": "amount"}).reset_index())
    return {
        "claims": int(len(ledger)),
        "as_of": None if as_of is None else as_of.strftime("%Y-%m-%d"),
        "period_days": kpi.period_days(ledger, as_of),
        "kpis": values,
        "grades": kpi.grades(values),
        "totals": {k: _clean(v, cents=True) for k, v in kpi.totals(ledger, comp=comp).items()},
        "status_counts": kpi.status_counts(ledger),
        "by_payer": _records(kpi.by_payer(ledger, as_of, comp=comp)),
        "by_month": _records(kpi.by_month(ledger, as_of, comp=comp)),
        "aging": _records(kpi.aging(ledger, as_of, comp=comp)),
        "denials_by_reason": _records(kpi.denials_by_reason(ledger)),
        "provider_adjustments": {
            "count": int(len(plb)), "total": _clean(float(plb["amount"].sum()), cents=True),
            "by_reason": _records(plb_by)},
        "reversals": {"matched": int(ledger.attrs.get("reversals", 0)),
                      "unmatched": int(ledger.attrs.get("unmatched_reversals", 0))},
    }


def claims_review(paths, as_of=None, *, base_dir=None) -> dict:
    """:func:`summarize` over :func:`load_claims` of ``paths``."""
    return summarize(load_claims(paths, base_dir=base_dir), as_of)


def baseline_kpis(paths, as_of=None, *, base_dir=None) -> dict:
    """The four baseline KPIs of a scenario, measured from its claims files.

    Parameters
    ----------
    paths : str, Path or list
        The scenario's ``practice.claims_files``.
    as_of : date-like, optional
    base_dir : str or Path, optional
        The scenario file's folder, which relative paths are taken from.

    Returns
    -------
    dict
        ``days_in_ar``, ``clean_claim_rate``, ``net_collection_rate`` (over adjudicated
        claims: see below), ``denial_rate``; a value is None where the data cannot give it
        (e.g. no closed claims).
    """
    ledger = load_claims(paths, base_dir=base_dir)
    as_of = parse_as_of(as_of)
    values = kpi.kpis(ledger, as_of)
    # SPEC 5's net collection rate counts open claims at full charge, so a recent pull
    # (claims not yet adjudicated) reads far below what the practice really collects. As the
    # baseline a vendor's SLA is measured against, take it over adjudicated claims only.
    adjudicated = ledger[ledger["status"] != "open"]
    if len(adjudicated):
        values["net_collection_rate"] = kpi.kpis(adjudicated, as_of)["net_collection_rate"]
    return {k: values[k] for k in BASELINE_KEYS}
