"""X12 as numpy tables: a file's segments split by array kernels, not a loop per segment.

A chunk of the file (a few MB, cut at a segment terminator) becomes one ``uint8`` array;
``flatnonzero`` finds every terminator and every element separator at once, so a segment
is a pair of offsets and element ``i`` of any set of segments is two more, found with
``searchsorted``. Readers ask for the segments with a given tag and for their elements as
numbers or short strings; nothing else (NM1 names, member IDs) is ever decoded.

Segments are numbered from 1 across the file, blank ones skipped, as in
:func:`rcmmodel.claims.x12.iter_segments`; messages name a segment by number only.
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..errors import RcmInputError
from .bytecols import decimals, decode, is_alnum, is_space, labels
from .x12 import Separators, detect_separators, open_source

CHUNK = 8 << 20
_PAD = 96         # zero bytes after a chunk: a field read never runs past the buffer
_NTH = 32         # elements (and components) a segment is split into, at most
_TRAILERS = (b"IEA", b"GE", b"SE")
#: the low ``k`` bytes of a little-endian 8-byte word: a value of ``k`` bytes
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)


def tag_code(tag: str, elem: str) -> int:
    """The integer a segment's first three bytes make: 'CLP', or 'N1' plus the separator."""
    raw = (tag + elem)[:3].encode("latin-1") if len(tag) == 2 else tag.encode("latin-1")
    return (raw[0] << 16) | (raw[1] << 8) | raw[2]


class Chunk:
    """The segments of one piece of a file, as offsets into one byte array.

    Attributes
    ----------
    seps : Separators
    buf : numpy.ndarray
        The chunk's bytes (``uint8``), line breaks removed, four zero bytes appended so
        the first bytes of a short last segment can be read without a bounds check.
    starts, ends : numpy.ndarray
        Each segment's first byte and its terminator's offset (exclusive end).
    numbers : numpy.ndarray
        Each segment's 1-based number in the file.
    tags : numpy.ndarray
        :func:`tag_code` of each segment.
    """

    def __init__(self, seps: Separators, data: bytes, first: int, name):
        self.seps, self.name = seps, name
        self.elem = ord(seps.element)
        self.comp = ord(seps.component)
        raw = np.frombuffer(data, dtype=np.uint8)
        self.buf = np.concatenate([raw, np.zeros(_PAD, np.uint8)])
        ends = np.flatnonzero(raw == ord(seps.segment))
        starts = np.empty_like(ends)
        if len(ends):
            starts[0] = 0
            starts[1:] = ends[:-1] + 1
        keep = ends > starts
        self.starts, self.ends = starts[keep], ends[keep]
        self.numbers = first + np.arange(len(self.starts))
        # each segment's first four bytes in one 4-byte load (the buffer is padded);
        # bytes past the segment's end read as an element separator
        head = np.ndarray((len(self.buf) - 3,), dtype="<u4", buffer=self.buf,
                          strides=(1,))[self.starts]
        length = self.ends - self.starts
        c0 = (head & 0xFF).astype(np.uint8)
        c1 = np.where(length > 1, (head >> 8) & 0xFF, self.elem).astype(np.uint8)
        c2 = np.where(length > 2, (head >> 16) & 0xFF, self.elem).astype(np.uint8)
        c3 = np.where(length > 3, head >> 24, self.elem).astype(np.uint8)
        #: whitespace beside a terminator: the reader squeezes it out and splits again
        self.spaced = bool(len(ends)) and bool(is_space(c0).any()
                                               or is_space(self.buf[self.ends - 1]).any())
        self.tags = (c0.astype(np.int64) << 16) | (c1.astype(np.int64) << 8) | c2
        self._valid = is_alnum(c0) & is_alnum(c1) & (
            (c2 == self.elem) | (is_alnum(c2) & (c3 == self.elem)))
        self._pos, self._cache = {}, {}
        self._first = self._count = self._words = None
        self.underscore = b"_" in data
        self.spaced_elements = b" " in data

    def __len__(self):
        return len(self.starts)

    def first_bad_tag(self):
        """Number of the first segment whose tag is not 2-3 letters/digits, else None."""
        bad = np.flatnonzero(~self._valid)
        return int(self.numbers[bad[0]]) if len(bad) else None

    def where(self, *tags: str) -> np.ndarray:
        """Indices of the segments with any of these tags, in file order."""
        codes = [tag_code(t, self.seps.element) for t in tags]
        mask = self.tags == codes[0]
        for c in codes[1:]:
            mask |= self.tags == c
        return np.flatnonzero(mask)

    def _positions(self, byte):
        """Offsets of every ``byte`` in the chunk, then ``_NTH`` offsets past its end, so
        :func:`_nth` reads the i-th separator after any other without a bounds check."""
        if byte not in self._pos:
            found = np.flatnonzero(self.buf[:-_PAD] == byte)
            self._pos[byte] = np.append(found, np.full(_NTH, len(self.buf)))
        return self._pos[byte]

    def _slices(self, idx):
        """(idx, separator offsets, first separator, separator count, start, end) of the
        segments ``idx``: handlers ask for several elements of the same segments."""
        if self._first is None:
            # Separators only occur inside segments, so one binary search over all
            # segment starts says which separators each segment holds.
            pos = self._positions(self.elem)
            self._first = np.searchsorted(pos, self.starts)
            self._count = np.diff(np.append(self._first, len(pos) - _NTH))
        hit = self._cache.get(id(idx))
        if hit is None or hit[0] is not idx:
            hit = (idx, self._pos[self.elem], self._first[idx], self._count[idx],
                   self.starts[idx], self.ends[idx])
            self._cache[id(idx)] = hit
        return hit

    def field(self, idx: np.ndarray, i: int):
        """(start, end) offsets of element ``i`` (X12 numbering: the tag is 0) of the
        segments ``idx``; start == end where the element is blank or absent."""
        key = (id(idx), "field", i)
        hit = self._cache.get(key)
        if hit is None or hit[0] is not idx:
            hit = (idx, *_nth(*self._slices(idx)[1:], i))
            self._cache[key] = hit
        return hit[1], hit[2]

    def present(self, idx, i: int) -> np.ndarray:
        """Which of the segments ``idx`` have an element ``i`` (blank or not)."""
        return self._slices(idx)[3] >= i

    def subfield(self, idx, i: int, k: int):
        """(start, end) of component ``k`` (0-based) of element ``i`` of segments ``idx``."""
        key = (id(idx), i)
        hit = self._cache.get(key)
        if hit is None or hit[0] is not idx:
            start, end = self.field(idx, i)
            pos = self._positions(self.comp)
            first = np.searchsorted(pos, start)
            hit = (idx, pos, first, np.searchsorted(pos, end) - first, start, end)
            self._cache[key] = hit
        return _nth(*hit[1:], k)

    def grid(self, start, end, width: int):
        """Bytes [start, end) of each element as rows of a ``(n, w)`` uint8 array, zero
        padded (w = the longest, at most ``width``), and each row's length."""
        length = np.minimum(end - start, width)
        w = max(int(length.max()), 1) if len(start) else 1
        cols = np.arange(w)
        grid = self.buf[start[:, None] + cols[None, :]]
        grid *= cols[None, :] < length[:, None]
        return grid, length

    def raw(self, start, end, width: int) -> np.ndarray:
        """Bytes [start, end) of each element as a ``S{w}`` array (longer ones cut)."""
        grid, _ = self.grid(start, end, width)
        return grid.view(f"S{grid.shape[1]}").ravel()

    def text(self, idx, i: int, width: int = 80, k: int = None) -> np.ndarray:
        """Element ``i`` of segments ``idx`` (its component ``k`` if given) as stripped
        Python strings (an object array)."""
        start, end = self.field(idx, i) if k is None else self.subfield(idx, i, k)
        return decode(np.strings.strip(self.raw(start, end, width)))

    def label(self, idx, i: int, width: int = 16, k: int = None) -> np.ndarray:
        """:meth:`text` for short fields with few distinct values (codes, qualifiers):
        only the distinct values are decoded."""
        start, end = self.field(idx, i) if k is None else self.subfield(idx, i, k)
        return self.label_at(start, end, width)

    def label_at(self, start, end, width: int = 16) -> np.ndarray:
        """:meth:`label` of the fields at offsets [start, end)."""
        short = self._short(start, end, width)
        if short is not None:
            return short
        return labels(np.strings.strip(self.raw(start, end, width)))

    def tail(self, idx, i: int, k: int, width: int = 24) -> np.ndarray:
        """Components ``k`` onwards of element ``i``, joined by spaces (modifiers)."""
        start, _ = self.subfield(idx, i, k)
        _, end = self.field(idx, i)
        end = np.maximum(end, start)
        comp = self.seps.component.encode("latin-1")
        short = self._short(start, end, width, comp)
        if short is not None:
            return short
        raw = np.strings.replace(self.raw(start, end, width), comp, b" ")
        return labels(np.strings.strip(raw))

    def _word_at(self, start) -> np.ndarray:
        """The 8 bytes from each offset, as little-endian integers (the buffer is padded)."""
        if self._words is None:
            self._words = np.ndarray((len(self.buf) - 7,), dtype="<u8", buffer=self.buf,
                                     strides=(1,))
        return self._words[start]

    def _short(self, start, end, width: int, comp: bytes = None):
        """Fields of at most 8 bytes (qualifiers, codes, dates) as stripped strings, read
        as one 8-byte word each and decoded once per distinct value (``comp``: joined by
        spaces); None when one is longer."""
        length = np.minimum(end - start, width)
        if not len(length):
            return np.zeros(0, dtype=object)
        if int(length.max()) > 8:
            return None
        codes, uniq = pd.factorize(self._word_at(start) & _MASKS[length])
        values = [bytes(v) for v in np.ascontiguousarray(uniq, dtype="<u8").view("S8")]
        if comp is not None:
            values = [v.replace(comp, b" ") for v in values]
        return np.array([v.strip().decode("latin-1") for v in values], dtype=object)[codes]

    def number(self, idx, i: int, what: str, required: bool = False, default=0.0):
        """Element ``i`` of segments ``idx`` as floats; blank -> ``default``.

        Returns ``(values, error)``: ``error`` is ``(segment number, message)`` for the
        first element that is not a finite plain number (or blank where required).
        """
        start, end = self.field(idx, i)
        return self.number_at(start, end, idx, what, required, default)

    def number_at(self, start, end, idx, what: str, required: bool = False,  # noqa: PLR0913
                  default=0.0):
        """:meth:`number` of the fields at offsets [start, end) of the segments ``idx``."""
        long = (end - start) > 30
        length = np.minimum(end - start, 31)
        # column-major (byte j of every element is one contiguous row): each step of the
        # parse is a pass over contiguous bytes
        w = max(int(length.max()), 1) if len(start) else 1
        cols = np.arange(w)[:, None]
        if w <= 16:             # one or two 8-byte loads a value, bytes turned to columns
            words = [self._word_at(start)] + ([self._word_at(start + 8)] if w > 8 else [])
            grid = np.stack(words, axis=1).view(np.uint8).reshape(len(start), -1).T[:w]
            grid = np.ascontiguousarray(grid)
        else:
            grid = self.buf[start[None, :] + cols]
        grid *= cols < length[None, :]
        values, odd = decimals(grid)
        blank = length == 0
        bad = long.copy()
        for k in np.flatnonzero(odd & ~blank):      # exponents, spaces, junk: the slow way
            text = bytes(self.buf[start[k]:start[k] + length[k]]).strip()
            try:
                values[k] = float(text) if text and b"_" not in text else np.nan
            except ValueError:
                values[k] = np.nan
            blank[k] = not text
            bad[k] |= bool(text) and not np.isfinite(values[k])
        problem = None
        if required:
            bad |= blank
        # no claim is a trillion dollars; sums of such would overflow
        huge = ~bad & ~blank & (np.abs(np.nan_to_num(values)) >= 1e12)
        bad |= huge
        if bad.any():
            k = int(np.flatnonzero(bad)[0])
            message = (f"{what} is missing" if blank[k] else f"{what} is too large to be an "
                       "amount" if huge[k] else f"{what} is not a number")
            problem = (int(self.numbers[idx[k]]), message)
        values[blank | bad] = default
        return values, problem

    def fields(self, idx, i: int) -> list:
        """Element ``i`` of a few segments as Python strings (for rare segments)."""
        start, end = self.field(idx, i)
        return [bytes(self.buf[s:e]).decode("latin-1").strip() for s, e in zip(start, end)]

    def elements(self, k: int) -> list[str]:
        """All elements of segment ``k`` (one segment: envelopes, PLB)."""
        seg = bytes(self.buf[self.starts[k]:self.ends[k]]).decode("latin-1").strip()
        return seg.split(self.seps.element)


def _nth(pos, first, count, start, end, i):  # noqa: PLR0913
    """Piece ``i`` of each range [start, end), split at the separator offsets ``pos``
    (padded by :meth:`Chunk._positions`); ``first`` and ``count`` say which of them fall
    inside each range. A piece past the last separator is empty, at ``end``."""
    if i >= _NTH:
        raise ValueError(f"element {i} is beyond what the reader splits")
    if i == 0:
        lo = start
    else:
        lo = pos[first + (i - 1)]
        lo += 1
        lo = np.where(count >= i, lo, end)
    # the i-th separator, else the range's end: never before lo
    return lo, np.where(count > i, pos[first + i], end)


def iter_chunks(source, name: str = None, chunk_size: int = None):
    """Yield :class:`Chunk` objects covering a file; the file is read ``CHUNK`` at a time.

    Raises
    ------
    RcmInputError
        Empty file, binary data, not X12, or a file cut off inside a segment.
    """
    handle, default_name = open_source(source)
    name = name or default_name
    size = chunk_size or CHUNK
    try:
        data = handle.read(max(size, 4096))
        data = data.lstrip(b"\xef\xbb\xbf \t\r\n")
        if not data.strip():
            raise RcmInputError.at(name, "", "the file is empty")
        seps = detect_separators(data[:512].decode("latin-1"), name)
        term = seps.segment.encode("latin-1")
        if term == b"\n":
            squeeze = re.compile(rb"[ \t\f\v]*\n\s*")
        else:
            squeeze = re.compile(rb"\s*" + re.escape(term) + rb"\s*")
        number, rest = 1, b""
        while data:
            if b"\x00" in data:
                raise RcmInputError.at(name, f"segment {number}", "binary data, not an X12 file")
            data = rest + data
            if term == b"\n":
                data = data.replace(b"\r", b"\n")
            else:
                data = data.replace(b"\r", b"").replace(b"\n", b"")
            cut = data.rfind(term) + 1
            body, rest = data[:cut], data[cut:]
            chunk = Chunk(seps, body, number, name)
            if chunk.spaced:
                chunk = Chunk(seps, squeeze.sub(term, body).lstrip(), number, name)
            if len(chunk):
                yield chunk
            number += len(chunk)
            data = handle.read(size)
        tail = rest.strip()
        if tail:
            if tail.split(seps.element.encode("latin-1"))[0] not in _TRAILERS:
                raise RcmInputError.at(name, f"segment {number}", "the file ends in the "
                                       "middle of a segment: truncated?")
            yield Chunk(seps, tail + term, number, name)
    finally:
        if handle is not source:
            handle.close()
