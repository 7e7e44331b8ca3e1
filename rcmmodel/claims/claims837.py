"""X12 837P (professional claims) files into a ledger of submitted, open claims.

Built on the streaming segment reader of :mod:`rcmmodel.claims.x12`. Only CLM, DTP, BHT,
HL, NM1*PR and the envelope are split into elements; patient and subscriber names and
member IDs (NM1*IL, NM1*QC) are never read.
"""
from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd

from ..errors import RcmInputError
from .ledger import make_ledger
from .x12 import Envelope, amount_at, element_at, iter_segment_chunks

#: The BHT04 field as an error message about a bad date names it.
BHT04_FIELD = "BHT04 (the date the claims were sent)"


def _date(value, n, name, what):
    """CCYYMMDD (the start of a CCYYMMDD-CCYYMMDD range), '' if blank; anything else is an
    error naming the segment (never its content: a date may be a patient's)."""
    if not value:
        return ""
    for part in value.split("-", 1) if len(value) == 17 else [value]:
        try:
            if len(part) != 8 or not part.isdigit():
                raise ValueError
            datetime.date(int(part[:4]), int(part[4:6]), int(part[6:]))
        except ValueError:
            raise RcmInputError.at(name, f"segment {n}", f"{what} is not a date "
                                   "(CCYYMMDD, or CCYYMMDD-CCYYMMDD)") from None
    return value[:8]


def read_837(source, name: str = None) -> pd.DataFrame:
    """Read an X12 837P (professional claims) file into a ledger of open claims.

    CLM01 claim_id; CLM02 charge; CLM05-3 frequency code (7 and 8, replacements and
    voids, are listed in ``attrs['resubmitted']``); submitted_date from BHT04; service_date the earliest
    service-line DTP*472 (D8 or the start of an RD8 range); payer from the NM1*PR of the
    subscriber loop. Names and member IDs (NM1*IL, NM1*QC) are never read.

    Returns
    -------
    pandas.DataFrame
        The ledger, every claim ``open``.
    """
    name = name or (str(source) if isinstance(source, (str, Path)) else None)
    env = Envelope(name, "837")
    ids, charges, payers, svc, sub, freq = [], [], [], [], [], []
    payer = bht = ""
    in_claim = False             # NM1*PR after CLM is another payer (loop 2330B), not ours
    n = 0
    for seps, first, parts in iter_segment_chunks(source, name):
        elem = seps.element
        for n, seg in enumerate(parts, first):
            tag = seg[:4]
            if tag.startswith(("NM1", "HL", "CLM", "DTP", "BHT", "ST", "SE", "ISA", "IEA")):
                el = seg.strip().split(elem)
                t = el[0]
                if t == "NM1":
                    if element_at(el, 1) == "PR" and not in_claim:
                        payer = element_at(el, 3)
                elif t == "HL":
                    in_claim = False
                elif t == "CLM":
                    env.need_st(n, "CLM")
                    if not element_at(el, 1):
                        env.fail(n, "CLM01 claim id is missing")
                    ids.append(element_at(el, 1))
                    charges.append(amount_at(el, 2, n, name, "CLM02 charge"))
                    payers.append(payer or None)
                    sub.append(bht or None)
                    svc.append(None)
                    parts5 = element_at(el, 5).split(seps.component)
                    freq.append(parts5[2] if len(parts5) > 2 else "")
                    in_claim = True
                elif t == "DTP" and in_claim and element_at(el, 1) in ("472", "434"):
                    value = _date(element_at(el, 3), n, name,
                                  f"DTP*{element_at(el, 1)} service date")
                    if value and (svc[-1] is None or value < svc[-1]):
                        svc[-1] = value
                elif t == "BHT":
                    bht = _date(element_at(el, 4), n, name, BHT04_FIELD)
                elif t == "ST":
                    env.open_st(n, el)
                    payer, in_claim = "", False
                elif t == "SE":
                    env.close_st(n)
                elif t == "ISA":
                    env.open_isa(n)
                elif t == "IEA":
                    env.close_isa(n)
    env.finish(n)
    count = len(ids)
    ledger = make_ledger({"claim_id": ids, "payer": payers, "service_date": svc,
                          "submitted_date": sub, "charge": charges,
                          "status": ["open"] * count, "first_pass": [False] * count})
    # Replacements and voids (CLM05-3 = 7 or 8) were resubmitted: not first pass.
    ledger.attrs["resubmitted"] = sorted({i for i, f in zip(ids, freq) if f in ("7", "8")})
    return ledger
