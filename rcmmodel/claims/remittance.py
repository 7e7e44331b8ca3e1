"""X12 835 remittances into the claims ledger (SPEC 5 mapping).

Built on the streaming segment reader of :mod:`rcmmodel.claims.x12`. The hot loop looks at a
segment's first four characters and splits only CLP, CAS, DTM, AMT, N1, BPR, PLB and
the envelope into elements; NM1 (patient names, member IDs) and every other segment
are passed over unread.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import RcmInputError
from .ledger import make_ledger
from .x12 import _amount, _Envelope, _get, iter_segment_chunks

# CLP02 claim status codes (X12 5010 835). 19/20/21 are 1/2/3 with the claim forwarded
# to the next payer: still processed. 23 "not our claim" is a payer's refusal: denied.
PROCESSED, DENIED, REVERSAL = "processed", "denied", "reversal"
CLP_STATUS = {"1": PROCESSED, "2": PROCESSED, "3": PROCESSED, "19": PROCESSED,
              "20": PROCESSED, "21": PROCESSED, "4": DENIED, "23": DENIED, "22": REVERSAL}
CAS_GROUPS = ("CO", "OA", "PI", "PR", "CR")


def read_835(source, name: str = None) -> pd.DataFrame:
    """Read an X12 835 remittance into a ledger, one row per CLP claim payment.

    Mapping (SPEC 5): CLP01 claim_id; CLP02 status; CLP03 charge; CLP04 insurance_paid;
    CLP05 patient_responsibility; CAS CO = contractual_adjustment on processed claims,
    but on a denied claim the CO amount is the denied amount (``denied_amount``), kept
    in open A/R; OA, PI (and the retired CR) = other_adjustment; payer from N1*PR;
    service_date from claim DTM*232, else the earliest service-line DTM*472/150;
    submitted_date from DTM*050 (received); paid_date from BPR16, else DTM*405;
    allowed from AMT*AU, else charge less the payer's adjustments. A reversal (CLP02 22)
    cancels the latest earlier payment of the same claim_id; both rows leave the ledger.

    ``first_pass`` is true for a processed claim whose first remittance in the data it
    is, and whose CLP09 frequency code is not a replacement (7) or void (8): rejections
    before the payer (at a clearinghouse) cannot be seen in an 835.

    Parameters
    ----------
    source : str, Path, bytes, binary file, or a list of them
        Several files are read as one remittance history, so a reversal in a later
        file cancels the payment in an earlier one.
    name : str, optional
        How to name the file in messages.

    Returns
    -------
    pandas.DataFrame
        The ledger; ``attrs`` holds ``provider_adjustments`` (PLB: a list of dicts with
        payer, date, reason, amount), ``reversals`` and ``unmatched_reversals`` counts.

    Raises
    ------
    RcmInputError
        Naming the segment number: unknown CLP02 status, an amount that is not a
        number, an unknown CAS group, a truncated file, binary data.
    """
    sources = source if isinstance(source, (list, tuple)) else [source]
    cols = {k: [] for k in _COLS}
    plb = []
    for src in sources:
        label = name or (str(src) if isinstance(src, (str, Path)) else None)
        _read_835_into(src, label, cols, plb)
    return _ledger_from_835(cols, plb)


# One list per field, appended per CLP and updated in place by the segments after it.
_COLS = ("claim_id", "kind", "freq", "charge", "insurance_paid", "patient_responsibility",
         "contractual_adjustment", "other_adjustment", "denied_amount", "allowed", "payer",
         "paid_date", "claim_date", "line_date", "submitted_date", "reason", "reason_amount",
         "segment", "file")
# What the hot loop does with a segment, keyed by its first three characters (a
# two-letter tag plus the element separator is filled in per file).
_CLP, _CAS, _DTM, _AMT, _OTHER, _SKIP = range(6)
_SKIPPED = ("NM1", "REF", "SVC", "TRN", "PER", "MIA", "MOA", "QTY", "TS3", "TS2", "RDM")
_SKIPPED2 = ("LX", "N3", "N4", "LQ", "GS", "GE")


def _dispatch(elem):
    table = {"CLP": _CLP, "CAS": _CAS, "DTM": _DTM, "AMT": _AMT}
    table.update({t: _OTHER for t in ("BPR", "ISA", "IEA", "PLB", "N1" + elem, "ST" + elem,
                                       "SE" + elem)})
    table.update({t: _SKIP for t in _SKIPPED})
    table.update({t + elem: _SKIP for t in _SKIPPED2})
    return table


_CLP_AMOUNTS = ((3, "CLP03 charge", True), (4, "CLP04 paid amount", True),
                (5, "CLP05 patient responsibility", False))


def _bad_clp_amounts(el, n, name):
    """Raise the precise error for the first bad CLP amount (the slow path)."""
    for i, what, required in _CLP_AMOUNTS:
        _amount(el, i, n, name, what, required)
    raise RcmInputError.at(name, f"segment {n}", "a CLP amount is not a number")


def _read_835_into(source, name, cols, plb):
    """The hot loop of :func:`read_835`: append one file's claims to ``cols``.

    Per segment it costs a slice and a dict lookup; only the segments in
    :func:`_dispatch` are split. Amounts are parsed with ``float`` under one ``try``
    and checked for inf/NaN through their sum, so the common case stays in C.
    """
    env = _Envelope(name, "835")
    (ids, kinds, freqs, charges, paids, resps, cos, others, denieds, alloweds, payers,
     paid_dates, claim_dates, line_dates, submitted, reasons, reason_amts, segments,
     files) = (cols[k] for k in _COLS)
    open_claim = False
    kind = None
    payer = bpr_date = dtm405 = None
    n = 0
    isfinite = math.isfinite
    for seps, first, parts in iter_segment_chunks(source, name):
        elem = seps.element
        table = _dispatch(elem)
        get = table.get
        for n, seg in enumerate(parts, first):
            what = get(seg[:3])
            if what == _SKIP:
                continue
            if what == _CAS:
                if not open_claim:
                    env.fail(n, "CAS before any CLP")
                el = seg.split(elem)
                group = el[1].strip() if len(el) > 1 else ""
                if group not in CAS_GROUPS:
                    env.fail(n, "unknown CAS group code (expected CO, OA, PI or PR)")
                for i in range(2, min(len(el), 20), 3):     # up to 6 reason/amount/qty
                    reason = el[i]
                    if not reason:
                        continue
                    try:
                        amt = float(el[i + 1])
                    except (ValueError, IndexError):
                        amt = _amount(el, i + 1, n, name, f"CAS{i + 1:02d} amount")
                    if not isfinite(amt) or "_" in el[i + 1]:
                        _amount(el, i + 1, n, name, f"CAS{i + 1:02d} amount")
                    if group == "CO":
                        if kind is DENIED:
                            denieds[-1] += amt
                        else:
                            cos[-1] += amt
                    elif group != "PR":     # PR is already in CLP05
                        others[-1] += amt
                    if amt > reason_amts[-1]:
                        reasons[-1], reason_amts[-1] = reason.strip(), amt
            elif what == _DTM:
                el = seg.split(elem)
                if len(el) < 3:
                    continue
                qual, value = el[1], el[2][:8]
                if not value:
                    continue
                if qual == "405":
                    dtm405 = value
                elif not open_claim:
                    pass
                elif qual == "232":
                    claim_dates[-1] = value
                elif qual == "472" or qual == "150":
                    if line_dates[-1] is None or value < line_dates[-1]:
                        line_dates[-1] = value
                elif qual == "050":
                    submitted[-1] = value
            elif what == _CLP:
                if env.st is None:
                    env.need_st(n, "CLP")
                el = seg.split(elem)
                code = el[2].strip() if len(el) > 2 else ""
                kind = CLP_STATUS.get(code)
                if kind is None:
                    env.fail(n, "unknown CLP02 claim status code (expected 1, 2, 3, 4, 19, "
                                "20, 21, 22 or 23)")
                if not el[1].strip():
                    env.fail(n, "CLP01 claim id is missing")
                try:
                    a3, a4, a5 = el[3], el[4], (el[5] if len(el) > 5 else "")
                    charge, paid = float(a3), float(a4)
                    resp = float(a5) if a5.strip() else 0.0
                    if not isfinite(charge + paid + resp) or "_" in a3 + a4 + a5:
                        raise ValueError
                except (ValueError, IndexError):
                    _bad_clp_amounts(el, n, name)
                ids.append(el[1].strip())
                kinds.append(kind)
                freqs.append(el[9] if len(el) > 9 else "")
                charges.append(charge)
                paids.append(paid)
                resps.append(resp)
                cos.append(0.0)
                others.append(0.0)
                denieds.append(0.0)
                alloweds.append(math.nan)
                payers.append(payer)
                paid_dates.append(bpr_date or dtm405)
                claim_dates.append(None)
                line_dates.append(None)
                submitted.append(None)
                reasons.append(None)
                reason_amts.append(-math.inf)
                segments.append(n)
                files.append(name)
                open_claim = True
            elif what == _AMT:
                el = seg.split(elem)
                if open_claim and len(el) > 2 and el[1] == "AU":
                    alloweds[-1] = _amount(el, 2, n, name, "AMT02 amount")
            elif what == _OTHER:
                el = seg.strip().split(elem)
                t = el[0]
                if t == "N1":
                    if _get(el, 1) == "PR":
                        payer = _get(el, 2) or None
                elif t == "BPR":
                    bpr_date = _valid_date(_get(el, 16)[:8])
                elif t == "ST":
                    env.open_st(n, el)
                    payer = bpr_date = dtm405 = None
                    open_claim = False
                elif t == "SE":
                    env.close_st(n)
                    open_claim = False
                elif t == "ISA":
                    env.open_isa(n)
                elif t == "IEA":
                    env.close_isa(n)
                elif t == "PLB":
                    for i in range(3, min(len(el), 15), 2):
                        reason = _get(el, i).split(seps.component)[0]
                        if reason:
                            plb.append((payer, _get(el, 2)[:8], reason,
                                        _amount(el, i + 1, n, name, f"PLB{i + 1:02d} amount")))
            else:
                tag = seg[:4].split(elem)[0].strip()
                if not (2 <= len(tag) <= 3 and tag.isalnum()):
                    env.fail(n, "not an X12 segment")
    env.finish(n)


def _valid_date(value):
    # BPR16 is sometimes filler (e.g. 20990080); fall back to DTM*405 when it is no date.
    if len(value) == 8 and value.isdigit() and not pd.isna(
            pd.to_datetime(value, format="%Y%m%d", errors="coerce")):
        return value
    return None


def _dates(values):
    return pd.to_datetime(pd.Series(values, dtype=object), format="%Y%m%d", errors="coerce")


def _cancel_reversals(ids, kinds):
    """Keep-mask after each reversal cancels the latest earlier standing payment."""
    keep = np.ones(len(kinds), dtype=bool)
    reversals = [i for i, k in enumerate(kinds) if k is REVERSAL]
    if not reversals:
        return keep, 0, 0
    wanted = {ids[i] for i in reversals}
    standing: dict[str, list[int]] = {}
    matched = unmatched = 0
    for i, (cid, k) in enumerate(zip(ids, kinds)):
        if cid not in wanted:
            continue
        if k is not REVERSAL:
            standing.setdefault(cid, []).append(i)
            continue
        keep[i] = False
        if standing.get(cid):
            keep[standing[cid].pop()] = False
            matched += 1
        else:
            unmatched += 1
    return keep, matched, unmatched


def _ledger_from_835(cols, plb) -> pd.DataFrame:
    keep, matched, unmatched = _cancel_reversals(cols["claim_id"], cols["kind"])

    def pick(k):
        return np.asarray(cols[k], dtype=object)[keep]

    def money(k):
        # Cent rounding drops float residue from summed CAS amounts; + 0.0 turns -0.0 to 0.
        return np.round(np.asarray(cols[k], dtype="float64")[keep], 2) + 0.0

    kind = pick("kind")
    charge, paid, resp = money("charge"), money("insurance_paid"), money(
        "patient_responsibility")
    co, other, denied = money("contractual_adjustment"), money("other_adjustment"), money(
        "denied_amount")
    allowed = money("allowed")
    allowed = np.where(np.isnan(allowed), np.round(charge - co - other - denied, 2), allowed)
    processed = kind == PROCESSED
    short = processed & ((paid + resp < allowed - 0.005) | ((paid <= 0) & (charge > 0)))
    claim_date, line_date = _dates(pick("claim_date")), _dates(pick("line_date"))
    bad = (claim_date.isna() & pd.notna(pick("claim_date"))) | (
        line_date.isna() & pd.notna(pick("line_date")))
    if bad.any():
        at = np.flatnonzero(keep)[np.flatnonzero(bad.to_numpy())[0]]
        raise RcmInputError.at(cols["file"][at], f"segment {cols['segment'][at]}",
                               "the claim's DTM service date is not a valid CCYYMMDD date")
    ids = pick("claim_id")
    first_pass = (processed & ~pd.Series(ids).duplicated().to_numpy()
                  & ~np.isin(pick("freq"), ["7", "8"]))
    ledger = make_ledger({
        "claim_id": ids, "payer": pick("payer"),
        "service_date": claim_date.fillna(line_date),
        "submitted_date": _dates(pick("submitted_date")),
        "charge": charge, "allowed": allowed, "insurance_paid": paid,
        "patient_paid": np.zeros(len(kind)), "patient_responsibility": resp,
        "contractual_adjustment": co, "other_adjustment": other,
        "status": np.where(kind == DENIED, "denied", np.where(short, "partial", "paid")),
        "first_pass": first_pass, "paid_date": _dates(pick("paid_date")),
        "denial_reason": np.where(kind == DENIED, pick("reason"), None),
        "denied_amount": denied})
    # attrs hold plain, small data: pandas copies them along with every derived frame.
    ledger.attrs.update(
        provider_adjustments=[dict(zip(("payer", "date", "reason", "amount"), p)) for p in plb],
        reversals=matched, unmatched_reversals=unmatched)
    return ledger
