"""Streaming X12: separators, the segment reader and the envelope checker.

The segment reader takes its separators from the ISA header (or, for files that start
at GS or ST with no interchange envelope, from the first segment), reads the file in chunks and splits
them in C (``str.split``), so a 100,000-claim 835 never sits in memory as objects.
Only the segments a ledger needs are split into elements; every other segment, and in
particular every NM1 (patient and subscriber names, member IDs), is skipped unread.

Errors name the segment by its 1-based position in the file, never its content.
The 835 remittance reader is :mod:`rcmmodel.claims.remittance` (on the array reader of
:mod:`rcmmodel.claims.segments`); the 837P reader is :mod:`rcmmodel.claims.claims837`.
"""
from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .._files import open_input
from ..errors import RcmInputError

CHUNK = 1 << 20


@dataclass(frozen=True)
class Separators:
    element: str
    component: str
    segment: str


def open_source(source):
    """(binary file, name) for a path, bytes, or a binary file object."""
    if isinstance(source, (bytes, bytearray)):
        return io.BytesIO(bytes(source)), "<bytes>"
    if isinstance(source, (str, Path)):
        return open_input(source), str(source)
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
        When the text starts with none of ``ISA``, ``GS`` (a functional group without its
        interchange envelope) or ``ST``.
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
                raise RcmInputError.at(name, "segment 1", "incomplete ISA header")
            count += 1
        if pos + 2 >= len(head):
            raise RcmInputError.at(name, "segment 1", "incomplete ISA header")
        comp, term = head[pos + 1], head[pos + 2]
    elif head.startswith(("ST", "GS")) and len(head) > 2:
        elem = head[2]
        term = next((c for c in head[3:] if not (c.isalnum() or c in (elem, " "))), "~")
        comp = next((c for c in ":><^" if c in head and c not in (elem, term)), ":")
    else:
        raise RcmInputError.at(name, "", "not an X12 file (it must start with ISA, GS or ST)")
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
    handle, default_name = open_source(source)
    name = name or default_name
    try:
        first = handle.read(max(CHUNK, 4096))   # the ISA header must be in one piece
        text = first.decode("latin-1").lstrip("\ufeff\xef\xbb\xbf \t\r\n")
        if not text:
            raise RcmInputError.at(name, "", "the file is empty")
        seps = detect_separators(text[:512], name)
        term = re.escape(seps.segment)
        spaced = re.compile(rf"\s{term}|{term}\s" if seps.segment != "\n"
                            else r"[ \t\f\v]\n|\n[ \t\f\v]")
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
            # Clean files (the common case) need no per-segment strip: one C-level
            # search for whitespace beside a terminator decides.
            if spaced.search(text) or (parts and parts[0][:1].isspace()):
                parts = [p for p in map(str.strip, parts) if p]
            elif "" in parts:
                parts = [p for p in parts if p]
            yield seps, number, parts
            number += len(parts)
            text = handle.read(CHUNK).decode("latin-1")
        tail = rest.strip()
        if tail:
            # A missing final terminator after the trailer is harmless; anywhere else the
            # file was cut short in the middle of a segment.
            if tail.split(seps.element)[0] not in ("IEA", "GE", "SE"):
                raise RcmInputError.at(name, f"segment {number}", "the file ends in the "
                                       "middle of a segment: truncated?")
            yield seps, number, [tail]
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


def amount_at(el, i, n, name, what, required=True):
    """Element ``i`` of segment ``n`` (its elements ``el``) as a dollar amount; an error
    names the file, the segment and ``what`` it is, never its content."""
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
    if abs(x) >= 1e12:      # no claim is a trillion dollars; sums of such would overflow
        raise RcmInputError.at(name, f"segment {n}", f"{what} is too large to be an amount")
    return x


def element_at(el, i):
    """Element ``i`` of a split segment, stripped; blank where the segment is shorter."""
    return el[i].strip() if i < len(el) else ""


class Envelope:
    """Tracks ISA/IEA and ST/SE pairing, to catch truncated and spliced files (the 835
    and 837 readers feed it their envelope segments)."""

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
        code = element_at(el, 1)
        if code != self.kind:
            self.fail(n, f"transaction set {code or '(blank)'} is not an {self.kind}")
        self.st = n
        self.sets += 1

    def close_st(self, n):
        if self.st is None:
            self.fail(n, "SE without ST")
        self.st = None

    def feed(self, n, el):
        """One envelope segment (ISA, IEA, GS, GE, ST or SE), in file order."""
        tag = el[0].strip()
        if tag == "ISA":
            self.open_isa(n)
        elif tag == "IEA":
            self.close_isa(n)
        elif tag == "ST":
            self.open_st(n, el)
        elif tag == "SE":
            self.close_st(n)

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
