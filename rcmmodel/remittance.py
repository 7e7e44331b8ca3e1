"""X12 835 remittances into the claims ledger (SPEC 5 mapping).

Built on the streaming segment reader of :mod:`rcmmodel.x12`. The hot loop looks at a
segment's first four characters and splits only CLP, CAS, DTM, AMT, N1, BPR, PLB and
the envelope into elements; NM1 (patient names, member IDs) and every other segment
are passed over unread.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import RcmInputError
from .ledger import make_ledger
from .x12 import _amount, _date, _Envelope, _get, iter_segment_chunks

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
    cols = {k: [] for k in ("claim_id", "payer", "service_date", "submitted_date", "charge",
                            "allowed", "insurance_paid", "patient_responsibility",
                            "contractual_adjustment", "other_adjustment", "denied_amount",
                            "kind", "code", "freq", "paid_date", "denial_reason", "segment",
                            "file")}
    plb = []
    for src in sources:
        label = name or (str(src) if isinstance(src, (str, Path)) else None)
        _read_835_into(src, label, cols, plb)
    return _ledger_from_835(cols, plb, name)


def _read_835_into(source, name, cols, plb):
    """The hot loop of :func:`read_835`: append one file's claims to ``cols``."""
    env = _Envelope(name, "835")
    claim = None                 # [co, other, denied, pr, best_reason, best_amt, svc_date]
    payer = bpr_date = dtm405 = ""
    n = 0

    def flush():
        cols["contractual_adjustment"].append(claim[0])
        cols["other_adjustment"].append(claim[1])
        cols["denied_amount"].append(claim[2])
        cols["denial_reason"].append(claim[4] if cols["kind"][-1] == DENIED else None)
        if not cols["service_date"][-1]:
            cols["service_date"][-1] = claim[6]
        if cols["allowed"][-1] is None:
            cols["allowed"][-1] = cols["charge"][-1] - claim[0] - claim[1] - claim[2]

    for seps, first, parts in iter_segment_chunks(source, name):
        elem = seps.element
        cas_key, dtm_key, clp_key = "CAS" + elem, "DTM" + elem, "CLP" + elem
        for n, seg in enumerate(parts, first):
            tag = seg[:4]
            if tag == cas_key:
                if claim is None:
                    env.fail(n, "CAS before any CLP")
                el = seg.split(elem)
                group = el[1].strip()
                if group not in CAS_GROUPS:
                    env.fail(n, "unknown CAS group code (expected CO, OA, PI or PR)")
                for i in range(2, min(len(el), 20), 3):   # up to 6 reason/amount/qty
                    reason = el[i].strip()
                    if not reason:
                        continue
                    amt = _amount(el, i + 1, n, name, f"CAS{i + 1:02d} amount")
                    if group == "PR":
                        claim[3] += amt
                    elif group == "CO":
                        claim[2 if cols["kind"][-1] == DENIED else 0] += amt
                    else:
                        claim[1] += amt
                    if amt > claim[5] or claim[4] is None:
                        claim[4], claim[5] = reason, amt
            elif tag == dtm_key:
                el = seg.split(elem)
                qual, value = _get(el, 1), _date(_get(el, 2))
                if qual == "405":
                    dtm405 = value
                elif claim is None:
                    pass
                elif qual == "232":
                    cols["service_date"][-1] = value
                elif qual in ("472", "150"):
                    if value and (not claim[6] or value < claim[6]):
                        claim[6] = value
                elif qual == "050":
                    cols["submitted_date"][-1] = value
            elif tag == clp_key:
                env.need_st(n, "CLP")
                if claim is not None:
                    flush()
                el = seg.split(elem)
                code = _get(el, 2)
                kind = CLP_STATUS.get(code)
                if kind is None:
                    env.fail(n, "unknown CLP02 claim status code (expected 1, 2, 3, 4, 19, "
                                "20, 21, 22 or 23)")
                claim_id = _get(el, 1)
                if not claim_id:
                    env.fail(n, "CLP01 claim id is missing")
                cols["claim_id"].append(claim_id)
                cols["kind"].append(kind)
                cols["code"].append(code)
                cols["charge"].append(_amount(el, 3, n, name, "CLP03 charge"))
                cols["insurance_paid"].append(_amount(el, 4, n, name, "CLP04 paid amount"))
                cols["patient_responsibility"].append(
                    _amount(el, 5, n, name, "CLP05 patient responsibility", required=False))
                cols["freq"].append(_get(el, 9))
                cols["payer"].append(payer or None)
                cols["paid_date"].append(bpr_date or dtm405)
                cols["service_date"].append("")
                cols["submitted_date"].append("")
                cols["allowed"].append(None)
                cols["segment"].append(n)
                cols["file"].append(name)
                claim = [0.0, 0.0, 0.0, 0.0, None, -math.inf, ""]
            elif tag.startswith("AMT") and claim is not None:
                el = seg.split(elem)
                if _get(el, 1) == "AU":
                    cols["allowed"][-1] = _amount(el, 2, n, name, "AMT02 amount")
            elif tag.startswith(("N1", "BPR", "ST", "SE", "ISA", "IEA", "PLB")):
                el = seg.strip().split(elem)
                t = el[0]
                if t == "N1" and _get(el, 1) == "PR":
                    payer = _get(el, 2)
                elif t == "BPR":
                    bpr_date = _valid_date(_date(_get(el, 16)))
                elif t == "ST":
                    env.open_st(n, el)
                    payer = bpr_date = dtm405 = ""
                elif t == "SE":
                    env.close_st(n)
                    if claim is not None:
                        flush()
                        claim = None
                elif t == "ISA":
                    env.open_isa(n)
                elif t == "IEA":
                    env.close_isa(n)
                elif t == "PLB":
                    for i in range(3, min(len(el), 15), 2):
                        reason = _get(el, i).split(seps.component)[0]
                        if reason:
                            plb.append((payer or None, _date(_get(el, 2)), reason,
                                        _amount(el, i + 1, n, name, f"PLB{i + 1:02d} amount")))
            elif not (2 <= len(tag.split(elem)[0].strip()) <= 3
                      and tag.split(elem)[0].strip().isalnum()):
                env.fail(n, "not an X12 segment")
    env.finish(n)


def _valid_date(value):
    # BPR16 is sometimes filler (e.g. 20990080); fall back to DTM*405 when it is no date.
    return value if value and not pd.isna(pd.to_datetime(value, format="%Y%m%d",
                                                         errors="coerce")) else ""


def _ledger_from_835(cols, plb, name) -> pd.DataFrame:
    kind = np.array(cols["kind"], dtype=object)
    keep = np.ones(len(kind), dtype=bool)
    matched = unmatched = 0
    for i in np.flatnonzero(kind == REVERSAL):
        # A reversal cancels the latest earlier payment of the same claim still standing.
        cid = cols["claim_id"][i]
        j = next((j for j in range(i - 1, -1, -1) if keep[j] and kind[j] != REVERSAL
                  and cols["claim_id"][j] == cid), None)
        keep[i] = False
        if j is None:
            unmatched += 1
        else:
            keep[j] = False
            matched += 1
    pick = lambda k: np.asarray(cols[k], dtype=object)[keep]  # noqa: E731
    money = lambda k: np.round(np.asarray(cols[k], dtype="float64")[keep], 2) + 0.0  # noqa: E731
    kind, paid = kind[keep], money("insurance_paid")
    allowed, resp = money("allowed"), money("patient_responsibility")
    processed = kind == PROCESSED
    short = processed & ((paid + resp < allowed - 0.005) | ((paid <= 0) & (money("charge") > 0)))
    status = np.where(kind == DENIED, "denied", np.where(short, "partial", "paid"))
    ids = pd.Series(pick("claim_id"))
    first_pass = processed & ~ids.duplicated().to_numpy() & ~np.isin(pick("freq"), ["7", "8"])
    data = {k: pick(k) for k in ("claim_id", "payer", "service_date", "submitted_date",
                                 "paid_date", "denial_reason")}
    data.update({k: money(k) for k in ("charge", "insurance_paid", "patient_responsibility",
                                       "contractual_adjustment", "other_adjustment",
                                       "denied_amount")})
    data.update(allowed=allowed, patient_paid=np.zeros(len(kind)), status=status,
                first_pass=first_pass)
    for k in ("service_date", "submitted_date", "paid_date"):
        data[k] = np.where(data[k] == "", None, data[k])
    ledger = make_ledger(data)
    bad = ledger["service_date"].isna() & pd.notna(data["service_date"])
    if bad.any():
        at = np.flatnonzero(keep)[np.flatnonzero(bad.to_numpy())[0]]
        raise RcmInputError.at(cols["file"][at], f"segment {cols['segment'][at]}", "the claim's service date is not a "
                               "valid CCYYMMDD date")
    # attrs hold plain, small data: pandas copies them along with every derived frame.
    ledger.attrs.update(
        provider_adjustments=[dict(zip(("payer", "date", "reason", "amount"), p)) for p in plb],
        reversals=matched, unmatched_reversals=unmatched)
    return ledger
