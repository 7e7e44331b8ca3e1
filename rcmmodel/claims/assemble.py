"""One 835 file's segment tables joined into claims, service lines and adjustments.

Every segment knows only its number in the file. Which claim, line and transaction set
it belongs to follows from those numbers with ``searchsorted``: a CAS belongs to the
last CLP before it in the same ST..SE, and to a service line when an SVC of that claim
comes between them. So the join is a handful of array operations for any file size.

A service line is denied (docs/methodology.md §7) when the payer paid nothing on it, its
charge is above 0 and its CO, OA and PI adjustments other than CARC 23 account for the whole
charge; every line of a claim with CLP02 = 4 is denied. A claim without SVC segments is one
line carrying the claim's amounts and claim-level adjustments.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..describe import plain_text
from ..errors import RcmInputError

_NONE = np.zeros(0, dtype=np.int64)
_OBJ = np.zeros(0, dtype=object)
_EMPTY = {
    "CLP": {"n": _NONE, "claim_id": _OBJ, "kind": _OBJ, "freq": _OBJ, "charge": np.zeros(0),
            "insurance_paid": np.zeros(0), "patient_responsibility": np.zeros(0)},
    "SVC": {"n": _NONE, "qualifier": _OBJ, "procedure_code": _OBJ, "modifiers": _OBJ,
            "charge": np.zeros(0), "paid": np.zeros(0), "units": np.zeros(0)},
    "CAS": {"n": _NONE, "group": _OBJ, "code": _OBJ, "amount": np.zeros(0)},
    "DTM": {"n": _NONE, "qual": _OBJ, "value": _OBJ},
    "AMT": {"n": _NONE, "qual": _OBJ, "amount": np.zeros(0)},
    "LQ": {"n": _NONE, "code": _OBJ}, "MOA": {"n": _NONE, "code": _OBJ},
    "N1": {"n": _NONE, "payer": _OBJ}, "BPR": {"n": _NONE, "date": _OBJ},
    "PLB": {"n": _NONE, "date": _OBJ, "reason": _OBJ, "amount": np.zeros(0)},
}
_DENIAL_GROUPS = ("CO", "OA", "PI")
_OTHER_GROUPS = ("OA", "PI", "CR")


def ymd(values) -> np.ndarray:
    """CCYYMMDD strings -> datetime64[ns] (NaT where blank or not a date).

    Dates repeat heavily in claims data, so only the distinct values are parsed.
    """
    codes, uniq = pd.factorize(pd.Series(values, dtype=object), use_na_sentinel=True)
    parsed = pd.to_datetime(pd.Series(uniq, dtype=object), format="%Y%m%d",
                            errors="coerce").to_numpy(dtype="datetime64[ns]")
    parsed = np.append(parsed, np.datetime64("NaT", "ns"))
    return parsed[np.where(codes < 0, len(parsed) - 1, codes)]


class _Context:
    """Which transaction set, claim and line a segment number belongs to."""

    def __init__(self, t):
        self.st, self.se = t["st"], t["se"]
        self.clp_n = t["CLP"]["n"]
        self.clp_st = self.st_id(self.clp_n)

    def st_id(self, n):
        if not len(self.st):
            return np.full(len(n), -1)
        k = np.searchsorted(self.st, n, side="right") - 1
        ok = (k >= 0) & (n < self.se[np.maximum(k, 0)])
        return np.where(ok, k, -1)

    def last_before(self, anchor_n, anchor_st, n, n_st):
        """Index of the last anchor before each n in the same ST, else -1."""
        k = np.searchsorted(anchor_n, n, side="right") - 1
        ok = (k >= 0) & (n_st >= 0)
        ok[ok] &= anchor_st[k[ok]] == n_st[ok]
        return np.where(ok, k, -1)

    def claim(self, n):
        return self.last_before(self.clp_n, self.clp_st, n, self.st_id(n))


class _Codes:
    """An object array of a few distinct codes (qualifiers, CAS groups), hashed once:
    :meth:`any_of` is ``np.isin`` over it without sorting or hashing objects again."""

    def __init__(self, values):
        self.codes, self.uniq = pd.factorize(values)

    def any_of(self, *options) -> np.ndarray:
        hit = np.array([u in options for u in self.uniq] + [False])
        return hit[self.codes]


def _sum_by(index, weights, size):
    ok = index >= 0
    return np.bincount(index[ok], weights=weights[ok], minlength=size)[:size]


def assemble_file(t: dict, name) -> dict:
    """Claims, lines, adjustments, remarks and PLB rows of one file's segment tables."""
    for key, empty in _EMPTY.items():
        if t.get(key) is None:
            t[key] = empty
    ctx = _Context(t)
    clp, svc, cas = t["CLP"], t["SVC"], t["CAS"]
    n_claims = len(clp["n"])
    problems = []
    outside = np.flatnonzero(ctx.clp_st < 0)
    if len(outside):
        problems.append((int(clp["n"][outside[0]]),
                         "CLP outside a transaction set (no ST before it)"))
    cas_claim = ctx.claim(cas["n"])
    orphan = np.flatnonzero(cas_claim < 0)
    if len(orphan):
        problems.append((int(cas["n"][orphan[0]]), "CAS before any CLP"))
    if problems:
        n, message = min(problems, key=lambda p: p[0])
        raise RcmInputError.at(name, f"segment {n}", message)
    t["env"].finish(t["last"])

    # Service lines: SVC segments, plus one line for each claim without any.
    svc_claim = ctx.claim(svc["n"])
    own = svc_claim >= 0
    svc = {k: v[own] for k, v in svc.items()}
    svc_claim = svc_claim[own]
    has_svc = np.bincount(svc_claim, minlength=n_claims)[:n_claims] > 0
    bare = np.flatnonzero(~has_svc)
    line_claim = np.concatenate([svc_claim, bare])
    order = np.argsort(line_claim, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))        # svc j -> rank[j]; bare claim i -> rank[S+i]
    n_svc, n_lines = len(svc_claim), len(line_claim)
    bare_line = np.full(n_claims, -1)
    bare_line[bare] = rank[n_svc:]

    def lines_of(svc_values, claim_values):
        return np.concatenate([svc_values, claim_values])[order]

    line_claim = line_claim[order]

    def line_of(n, k):
        """Line index of segments n owned by claims k: their SVC's, or a bare claim's."""
        j = np.searchsorted(svc["n"], n, side="right") - 1
        ok = (j >= 0) & (k >= 0)
        ok[ok] &= svc_claim[j[ok]] == k[ok]
        out = np.where(ok, rank[np.maximum(j, 0)] if n_svc else -1, -1)
        return np.where((out < 0) & (k >= 0), bare_line[np.maximum(k, 0)], out)

    charge = lines_of(svc["charge"], clp["charge"][bare])
    paid = lines_of(svc["paid"], clp["insurance_paid"][bare])
    blank = np.full(len(bare), "", dtype=object)
    cas_line = line_of(cas["n"], cas_claim)
    amount, group, code = cas["amount"], cas["group"], cas["code"]
    groups = _Codes(group)
    counts = groups.any_of(*_DENIAL_GROUPS) & (code != "23")
    against = _sum_by(cas_line, amount * counts, n_lines)
    line_pr = _sum_by(cas_line, amount * groups.any_of("PR"), n_lines)
    kind = clp["kind"]
    claim_denied = kind == "denied"
    denied = claim_denied[line_claim] | ((paid == 0) & (charge > 0)
                                         & (against >= charge - 0.005))
    on_denied = np.where(cas_line >= 0, denied[np.maximum(cas_line, 0)],
                         claim_denied[np.maximum(cas_claim, 0)])
    co = groups.any_of("CO")
    contractual = _sum_by(cas_claim, amount * (co & ~on_denied), n_claims)
    denied_amount = _sum_by(cas_claim, amount * (co & on_denied), n_claims)
    is_other = groups.any_of(*_OTHER_GROUPS)
    other = _sum_by(cas_claim, amount * is_other, n_claims)
    line_co = _sum_by(cas_line, amount * (co & ~on_denied), n_lines)
    line_other = _sum_by(cas_line, amount * is_other, n_lines)
    denied_charge = np.where(claim_denied, clp["charge"],
                             _sum_by(line_claim, charge * denied, n_claims))

    # The reason shown for a claim: its largest adjustment, the first one on a tie.
    reason = np.full(n_claims, None, dtype=object)
    if len(amount):
        pick = np.lexsort((np.arange(len(amount)), -amount, cas_claim))
        first = np.unique(cas_claim[pick], return_index=True)[1]
        reason[cas_claim[pick][first]] = code[pick][first]

    amt = t["AMT"]
    amt_claim = ctx.claim(amt["n"])
    allowed = np.full(n_claims, np.nan)
    au = (amt["qual"] == "AU") & (amt_claim >= 0)
    allowed[amt_claim[au]] = amt["amount"][au]
    b6 = (amt["qual"] == "B6") & (amt_claim >= 0)
    b6_line = line_of(amt["n"][b6], amt_claim[b6])
    line_allowed = np.full(n_lines, np.nan)
    line_allowed[b6_line[b6_line >= 0]] = amt["amount"][b6][b6_line >= 0]
    bare_allowed = allowed[bare]
    bare_allowed = np.where(np.isnan(bare_allowed), clp["insurance_paid"][bare]
                            + clp["patient_responsibility"][bare], bare_allowed)
    line_allowed = np.where(np.isnan(line_allowed), np.where(
        has_svc[line_claim], paid + line_pr, np.nan), line_allowed)
    line_allowed[bare_line[bare]] = bare_allowed
    allowed = np.where(np.isnan(allowed), np.round(clp["charge"] - contractual - other
                                                   - denied_amount, 2), allowed)

    dates = _claim_dates(t, ctx, line_of, n_claims, n_lines, name)
    payer, paid_date = _header(t, ctx)
    claims = pd.DataFrame({
        "claim_id": clp["claim_id"], "kind": kind, "freq": clp["freq"],
        "charge": _cents(clp["charge"]), "insurance_paid": _cents(clp["insurance_paid"]),
        "patient_responsibility": _cents(clp["patient_responsibility"]),
        "contractual_adjustment": _cents(contractual), "other_adjustment": _cents(other),
        "denied_amount": _cents(denied_amount), "denied_charge": _cents(denied_charge),
        "allowed": _cents(allowed), "payer": payer, "paid_date": paid_date,
        "service_date": dates["claim"], "submitted_date": dates["submitted"],
        "reason": reason})
    starts = np.searchsorted(line_claim, np.arange(n_claims))
    lines = pd.DataFrame({
        "claim": line_claim, "line": np.arange(n_lines) - starts[line_claim] + 1,
        "qualifier": lines_of(svc["qualifier"], blank),
        "procedure_code": lines_of(svc["procedure_code"], blank),
        "modifiers": lines_of(svc["modifiers"], blank),
        "units": lines_of(svc["units"], np.ones(len(bare))),
        "charge": _cents(charge), "paid": _cents(paid), "allowed": _cents(line_allowed),
        "contractual": _cents(line_co), "other": _cents(line_other),
        "patient_responsibility": _cents(line_pr), "denied": denied,
        "service_date": np.where(np.isnat(dates["line"]), dates["claim"][line_claim],
                                 dates["line"])})
    adjustments = pd.DataFrame({"claim": cas_claim, "line": cas_line, "group": group,
                                "code": code, "amount": amount})
    return {"claims": claims, "lines": lines, "adjustments": adjustments,
            "remarks": _remarks(t, ctx, line_of), "plb": _plb(t, ctx, payer_of=_payers(t, ctx))}


def _cents(values):
    # Cent rounding drops float residue from summed CAS amounts; + 0.0 turns -0.0 to 0.
    return np.round(np.asarray(values, dtype="float64"), 2) + 0.0


def _claim_dates(t, ctx, line_of, n_claims, n_lines, name):
    dtm = t["DTM"]
    k = ctx.claim(dtm["n"])
    qual = _Codes(dtm["qual"])
    when = ymd(np.where(dtm["value"] == "", None, dtm["value"]))
    service = qual.any_of("232", "472", "150") & (k >= 0)
    bad = service & np.isnat(when) & (dtm["value"] != "")
    if bad.any():
        at = int(ctx.clp_n[k[np.flatnonzero(bad)[0]]])
        raise RcmInputError.at(name, f"segment {at}",
                               "the claim's DTM service date is not a valid CCYYMMDD date")
    out = {}
    for key, quals in (("claim", ("232",)), ("submitted", ("050",))):
        rows = qual.any_of(*quals) & (k >= 0) & ~np.isnat(when)
        col = np.full(n_claims, np.datetime64("NaT", "ns"))
        col[k[rows]] = when[rows]
        out[key] = col
    rows = np.flatnonzero(qual.any_of("472", "150") & (k >= 0) & ~np.isnat(when))
    days = when[rows].astype("int64")
    earliest = np.full(n_claims, np.iinfo(np.int64).max)
    np.minimum.at(earliest, k[rows], days)
    first_line = np.where(earliest == np.iinfo(np.int64).max, np.iinfo(np.int64).min,
                          earliest).view("datetime64[ns]")
    out["claim"] = np.where(np.isnat(out["claim"]), first_line, out["claim"])
    line = line_of(dtm["n"][rows], k[rows])
    by_line = np.full(n_lines, np.iinfo(np.int64).max)
    np.minimum.at(by_line, line[line >= 0], days[line >= 0])
    out["line"] = np.where(by_line == np.iinfo(np.int64).max, np.iinfo(np.int64).min,
                           by_line).view("datetime64[ns]")
    return out


def _payers(t, ctx):
    """For segment numbers: the payer named by the last N1*PR before them in their ST."""
    n1 = t["N1"]
    n1_st = ctx.st_id(n1["n"])

    def payer_of(n):
        k = ctx.last_before(n1["n"], n1_st, n, ctx.st_id(n))
        names = np.array([plain_text(x) for x in n1["payer"]] + [None], dtype=object)
        names[names == ""] = None
        return names[np.where(k >= 0, k, len(n1["n"]))]
    return payer_of


def _header(t, ctx):
    """Each claim's payer and paid date (BPR16 if a real date, else DTM*405)."""
    payer = _payers(t, ctx)(ctx.clp_n)
    bpr = t["BPR"]
    k = ctx.last_before(bpr["n"], ctx.st_id(bpr["n"]), ctx.clp_n, ctx.clp_st)
    bpr_date = np.append(ymd(np.where(bpr["date"] == "", None, bpr["date"])),
                         np.datetime64("NaT", "ns"))[np.where(k >= 0, k, len(bpr["n"]))]
    dtm = t["DTM"]
    is405 = dtm["qual"] == "405"
    n405 = dtm["n"][is405]
    k = ctx.last_before(n405, ctx.st_id(n405), ctx.clp_n, ctx.clp_st)
    values = dtm["value"][is405]
    d405 = np.append(ymd(np.where(values == "", None, values)),
                     np.datetime64("NaT", "ns"))[np.where(k >= 0, k, len(n405))]
    return payer, np.where(np.isnat(bpr_date), d405, bpr_date)


def _remarks(t, ctx, line_of) -> pd.DataFrame:
    lq, moa = t["LQ"], t["MOA"]
    lq_claim = ctx.claim(lq["n"])
    lq_line = line_of(lq["n"], lq_claim)
    moa_claim = ctx.claim(moa["n"])
    claim = np.concatenate([lq_claim, moa_claim])
    line = np.concatenate([lq_line, np.full(len(moa_claim), -1)])
    code = np.concatenate([lq["code"], moa["code"]]).astype(object)
    ok = (claim >= 0) & (code != "")
    return pd.DataFrame({"claim": claim[ok], "line": line[ok], "code": code[ok]})


def _plb(t, ctx, payer_of) -> list:
    plb = t["PLB"]
    payers = payer_of(plb["n"])
    return [{"payer": p, "date": d, "reason": r, "amount": float(a)}
            for p, d, r, a in zip(payers, plb["date"], plb["reason"], plb["amount"])]
