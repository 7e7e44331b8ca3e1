"""Streaming X12 readers: 835 remittances and 837P claims into the claims ledger.

The segment reader takes its separators from the ISA header (or, for files that start
at ST with no envelope, from the first segment), reads the file in chunks and splits
them in C (``str.split``), so a 100,000-claim 835 never sits in memory as objects.
Only the segments a ledger needs are split into elements; every other segment, and in
particular every NM1 (patient and subscriber names, member IDs), is skipped unread.

Errors name the segment by its 1-based position in the file, never its content.
"""
from __future__ import annotations

import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import RcmInputError
from .ledger import make_ledger

CHUNK = 1 << 20
# CLP02 claim status codes (X12 5010 835). 19/20/21 are 1/2/3 with the claim forwarded
# to the next payer: still processed. 23 "not our claim" is a payer's refusal: denied.
PROCESSED, DENIED, REVERSAL = "processed", "denied", "reversal"
CLP_STATUS = {"1": PROCESSED, "2": PROCESSED, "3": PROCESSED, "19": PROCESSED,
              "20": PROCESSED, "21": PROCESSED, "4": DENIED, "23": DENIED, "22": REVERSAL}
CAS_GROUPS = ("CO", "OA", "PI", "PR", "CR")


@dataclass(frozen=True)
class Separators:
    element: str
    component: str
    segment: str


def _open(source):
    """(binary file, name) for a path, bytes, or a binary file object."""
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(bytes(source)), "<bytes>"
    if isinstance(source, (str, Path)):
        try:
            return open(source, "rb"), str(source)
        except OSError as exc:
            raise RcmInputError.at(str(source), "", f"cannot read the file ({exc.strerror})") \
                from None
    return source, getattr(source, "name", "<stream>")


def detect_separators(head: str, name: str = None) -> Separators:
    """Element, component and segment separators from the start of an X12 file.

    Parameters
    ----------
    head : str
        The first few hundred characters, leading whitespace removed.

    Raises
    ------
    RcmInputError
        When the text starts with neither ``ISA`` nor ``ST``.
    """
    if head.startswith("ISA") and len(head) > 3:
        elem = head[3]
        # ISA has 16 elements; the character after the 16th separator is the component
        # separator (ISA16) and the next one ends the segment. Counting separators rather
        # than trusting the fixed 106-character width tolerates padded-wrong headers.
        pos, count = 3, 1
        while count < 16:
            pos = head.find(elem, pos + 1)
            if pos < 0:
                raise RcmInputError.at(name, "segment 1 (ISA)", "incomplete ISA header")
            count += 1
        if pos + 2 >= len(head):
            raise RcmInputError.at(name, "segment 1 (ISA)", "incomplete ISA header")
        comp, term = head[pos + 1], head[pos + 2]
    elif head.startswith("ST") and len(head) > 2:
        elem = head[2]
        term = next((c for c in head[3:] if not (c.isalnum() or c in (elem, " "))), "~")
        comp = next((c for c in ":><^" if c in head and c not in (elem, term)), ":")
    else:
        raise RcmInputError.at(name, "", "not an X12 file (it must start with ISA or ST)")
    if elem.isalnum() or elem.isspace() or term.isalnum() or elem == term or comp in (elem, term):
        raise RcmInputError.at(name, "segment 1", "invalid X12 separators")
    return Separators(elem, comp, "\n" if term in "\r\n" else term)


def iter_segment_chunks(source, name: str = None):
    """Yield ``(separators, first_number, segments)``: lists of raw segment strings.

    Segments are numbered from 1 across the file, empty ones (blank lines) skipped.
    Lists, not one segment at a time, keep the per-segment Python overhead out of the
    hot loop of the readers.

    Raises
    ------
    RcmInputError
        For binary data or a file that is not X12.
    """
    handle, default_name = _open(source)
    name = name or default_name
    try:
        first = handle.read(CHUNK)
        text = first.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n")
        if not text:
            raise RcmInputError.at(name, "", "the file is empty")
        seps = detect_separators(text[:512], name)
        number, rest = 1, ""
        while text:
            if "\x00" in text:
                raise RcmInputError.at(name, f"segment {number}",
                                       "binary data, not an X12 file")
            text = rest + text
            if seps.segment == "\n":
                text = text.replace("\r", "\n")
            else:
                text = text.replace("\r", "").replace("\n", "")
            parts = text.split(seps.segment)
            rest = parts.pop()
            parts = [p for p in map(str.strip, parts) if p]
            yield seps, number, parts
            number += len(parts)
            text = handle.read(CHUNK).decode("latin-1")
        if rest.strip():
            # The last segment has no terminator: the file was cut short.
            yield seps, number, [rest.strip()]
    finally:
        if handle is not source:
            handle.close()


def iter_segments(source, name: str = None):
    """Yield ``(number, elements)`` for every segment: the simple, general reader.

    Examples
    --------
    >>> [e[0] for _, e in iter_segments(b"ST*835*1~SE*2*1~")]
    ['ST', 'SE']
    """
    for seps, number, parts in iter_segment_chunks(source, name):
        for i, seg in enumerate(parts):
            yield number + i, seg.strip().split(seps.element)


def _amount(el, i, n, name, what, required=True):
    value = el[i].strip() if i < len(el) else ""
    if not value:
        if required:
            raise RcmInputError.at(name, f"segment {n}", f"{what} is missing")
        return 0.0
    try:
        x = float(value)
    except ValueError:
        x = math.nan
    if not math.isfinite(x) or "_" in value:
        raise RcmInputError.at(name, f"segment {n}", f"{what} is not a number")
    return x


def _get(el, i):
    return el[i].strip() if i < len(el) else ""


class _Envelope:
    """Tracks ISA/IEA and ST/SE pairing, to catch truncated and spliced files."""

    def __init__(self, name, kind):
        self.name, self.kind = name, kind
        self.isa = self.st = None
        self.sets = 0

    def open_isa(self, n):
        if self.st is not None:
            self.fail(n, "ISA inside an open transaction set (missing SE)")
        self.isa = n

    def close_isa(self, n):
        self.isa = None

    def open_st(self, n, el):
        if self.st is not None:
            self.fail(n, f"ST before the transaction set at segment {self.st} was closed by SE")
        code = _get(el, 1)
        if code != self.kind:
            self.fail(n, f"transaction set {code or '(blank)'} is not an {self.kind}")
        self.st = n
        self.sets += 1

    def close_st(self, n):
        if self.st is None:
            self.fail(n, "SE without ST")
        self.st = None

    def need_st(self, n, tag):
        if self.st is None:
            self.fail(n, f"{tag} outside a transaction set (no ST before it)")

    def finish(self, last):
        if self.st is not None:
            self.fail(last, f"the file ends inside the transaction set that starts at segment "
                            f"{self.st} (no SE): truncated?")
        if self.isa is not None:
            self.fail(last, f"the interchange that starts at segment {self.isa} has no IEA: "
                            "truncated?")
        if not self.sets:
            self.fail(last, f"no {self.kind} transaction set (ST*{self.kind}) in the file")

    def fail(self, n, message):
        raise RcmInputError.at(self.name, f"segment {n}", message)


def _date(value):
    """CCYYMMDD (or the start of an RD8 range) if it looks like a date, else ''."""
    value = value[:8]
    return value if len(value) == 8 and value.isdigit() else ""


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
    env = _Envelope(name, "837")
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
                    if _get(el, 1) == "PR" and not in_claim:
                        payer = _get(el, 3)
                elif t == "HL":
                    in_claim = False
                elif t == "CLM":
                    env.need_st(n, "CLM")
                    if not _get(el, 1):
                        env.fail(n, "CLM01 claim id is missing")
                    ids.append(_get(el, 1))
                    charges.append(_amount(el, 2, n, name, "CLM02 charge"))
                    payers.append(payer or None)
                    sub.append(bht or None)
                    svc.append(None)
                    parts5 = _get(el, 5).split(seps.component)
                    freq.append(parts5[2] if len(parts5) > 2 else "")
                    in_claim = True
                elif t == "DTP" and in_claim and _get(el, 1) in ("472", "434"):
                    value = _date(_get(el, 3))
                    if value and (svc[-1] is None or value < svc[-1]):
                        svc[-1] = value
                elif t == "BHT":
                    bht = _date(_get(el, 4))
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
