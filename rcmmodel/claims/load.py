"""Reading claims files of any kind: ledgers, 835 remittances, 837P claims.

:func:`sniff` looks at a file's content, not its name. :func:`read_claims` reads any mix
into one :class:`~rcmmodel.claims.history.ClaimsData` (every remittance, with its service
lines); remittances and submitted claims read together say which claims are still open
(submitted, never remitted) and which were paid on their first submission.
"""
from __future__ import annotations

import datetime
import re
from pathlib import Path

import numpy as np
import pandas as pd

from .._files import open_input
from ..describe import shown
from ..errors import RcmInputError
from .history import ClaimsData, empty_adjustments, empty_lines, empty_remarks
from .ledger import COLUMNS, EXTRAS, empty_ledger, read_ledger
from .remittance import read_remittances

_ST = re.compile(rb"(?:^|[^A-Z0-9])ST[^A-Za-z0-9\s](83[57])")
# X12 starts with an ISA header or (no interchange envelope) a GS or ST segment, each
# followed by its element separator, never a letter or digit: a CSV headed "STATUS,..." is not.
_X12_START = re.compile(rb"ISA[^A-Za-z0-9\s]|GS[^A-Za-z0-9\s,;]|ST[^A-Za-z0-9\s,;]")
# The segment after ST tells the transaction apart: an 835 opens with BPR, an 837 with BHT.
_OPENS = {"835": b"BPR", "837": b"BHT"}
_KIND = {"835": "an 835 remittance", "837": "an 837 claims file"}


def sniff(path) -> str:
    """What a claims file holds, from its first bytes: 'ledger', '835' or '837'."""
    with open_input(path) as f:
        head = f.read(4096)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if _X12_START.match(text):
        match = _ST.search(text)
        if match:
            said = match.group(1).decode()
            _check_transaction(text, match, said, str(path))
            return said
        # The ST may lie beyond the first 4 KB; the 835 reader names what it finds.
        return "835"
    return "ledger"


def _check_transaction(text: bytes, match, said: str, name: str) -> None:
    """The ST header must say what the transaction holds: an 837 labelled 835 would be
    read as a remittance with no claims in it (0 claims, and no word of why)."""
    from .x12 import detect_separators

    try:
        seps = detect_separators(text[:512].decode("latin-1"), name)
    except RcmInputError:
        return                            # the reader reports the header itself
    term = seps.segment.encode("latin-1")
    end = text.find(term, match.end())
    following = text[end + 1:].lstrip(b" \t\r\n")[:3] if end >= 0 else b""
    other = "837" if said == "835" else "835"
    if following == _OPENS[other]:
        n = text[:match.start() + 1].count(term) + 1
        raise RcmInputError.at(name, f"segment {n}", f"ST01 says {said}, but the transaction "
                               f"opens with {_OPENS[other].decode()}, as {_KIND[other]} "
                               f"does: fix ST01 (ST{seps.element}{other}) or check the file")


def read_claims(paths, *, base_dir=None) -> ClaimsData:
    """Read claims files of any kind, in any mix, into one :class:`ClaimsData`.

    Parameters
    ----------
    paths : str, Path or a list of them
        Ledger CSV / Excel files, 835 remittances, 837P claim files.
    base_dir : str or Path, optional
        Relative paths are taken from here (a scenario's own folder).

    With 837 files: claims submitted but in no 835 are ``open`` (a resubmission replaces
    the earlier submission of the same claim id), remitted claims take their submission
    date from the 837, and a claim submitted more than once, or as a replacement, is not
    ``first_pass``.

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
    parts = [ClaimsData.from_ledger(read_ledger(p)) for p in kinds["ledger"]]
    remits = read_remittances([str(p) for p in kinds["835"]]) if kinds["835"] else None
    if remits is not None or kinds["837"]:
        history = remits.ledger if remits is not None else None
        if kinds["837"]:
            from .claims837 import read_837       # only with 837s: rcm kpi on 835s skips it

            submitted = [read_837(str(p)) for p in kinds["837"]]
            replaced = set().union(*(s.attrs["resubmitted"] for s in submitted))
            for s in submitted:
                s.attrs = {}
            history = _merge_submitted(pd.concat(submitted, ignore_index=True), replaced,
                                       history)
        if remits is None:
            parts.append(ClaimsData(history, empty_lines(), empty_adjustments(),
                                    empty_remarks(), repeats=True))
        else:
            parts.append(ClaimsData(history, remits.lines, remits.adjustments,
                                    remits.remarks, has_lines=True, repeats=True))
    data = _concat(parts)
    data.sources = {k: len(v) for k, v in kinds.items()}
    if remits is not None:
        data.provider_adjustments = remits.provider_adjustments
        data.reversals, data.unmatched_reversals = remits.reversals, remits.unmatched_reversals
    return data


def _concat(parts) -> ClaimsData:
    if len(parts) == 1:
        return parts[0]
    history, lines, adjustments, remarks = [], [], [], []
    rows = nlines = 0
    for part in parts:
        part.history.attrs = {}
        history.append(part.history)
        for table, out in ((part.lines, lines), (part.adjustments, adjustments),
                           (part.remarks, remarks)):
            t = table.copy()
            t["claim"] += rows
            if out is not lines:
                t["line"] = np.where(t["line"] >= 0, t["line"] + nlines, -1)
            out.append(t)
        rows += len(part.history)
        nlines += len(part.lines)
    return ClaimsData(pd.concat(history, ignore_index=True)[list(COLUMNS + EXTRAS)],
                      pd.concat(lines, ignore_index=True),
                      pd.concat(adjustments, ignore_index=True),
                      pd.concat(remarks, ignore_index=True),
                      has_lines=any(p.has_lines for p in parts),
                      repeats=any(p.repeats for p in parts))


def load_claims(paths, *, base_dir=None, as_of=None) -> pd.DataFrame:
    """The ledger of :func:`read_claims`: one row a claim, as of ``as_of`` (default the
    latest date in the data), with an ``overturned`` column. ``attrs``: ``sources``
    (files per kind), ``provider_adjustments`` (PLB: list of dicts), ``reversals``,
    ``unmatched_reversals``."""
    data = read_claims(paths, base_dir=base_dir)
    ledger = data.at(parse_as_of(as_of)).ledger.drop(columns=["row", "first_row"])
    ledger.attrs = {"sources": data.sources,
                    "provider_adjustments": data.provider_adjustments,
                    "reversals": data.reversals,
                    "unmatched_reversals": data.unmatched_reversals}
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
    text = str(value).strip()
    try:
        day = datetime.datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise RcmInputError.at(None, "--as-of", f"{shown(text)} is not a date "
                               "(expected YYYY-MM-DD, e.g. 2024-06-30)") from None
    lo, hi = pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D")
    if not lo.date() <= day.date() <= hi.date():
        raise RcmInputError.at(None, "--as-of", f"{text} is out of range: give a date "
                               f"between {lo:%Y-%m-%d} and {hi:%Y-%m-%d}, normally the last "
                               "day the claims data covers") from None
    return pd.Timestamp(day)
