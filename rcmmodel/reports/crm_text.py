"""A CRM export as it comes (docs/methodology.md §11): the encodings Excel saves (UTF-8 with
or without a byte-order mark, Windows-1252, UTF-16 with a byte-order mark), comma-,
semicolon- or tab-separated; header names matched ignoring case, spaces, hyphens and
underscores; numbers read only where they cannot be misread.

>>> header_key("  Annual Collections ")
'annual_collections'
>>> read_number("$1,250,000", grouped=True)
(1250000.0, None)
>>> read_number("1,5", grouped=False)[1]
"'1,5' has a decimal comma: write 1.5 (a point for decimals, no thousands separators)"
"""
from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path

from .._files import column_key
from ..describe import shown
from ..errors import RcmInputError

SAVE_AS = 'in Excel, use Save As > "CSV UTF-8 (Comma delimited)"'
#: Other names a CRM gives a column (as :func:`header_key` spells them).
ALIASES = {"record_id": "id", "practice_name": "name", "account_name": "name",
           "company_name": "name"}
DELIMITERS = (",", ";", "\t")
_GROUPED = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?")      # 1,250,000.50
_DOT_GROUPED = re.compile(r"-?\d{1,3}(?:\.\d{3})+")           # 80.000: 80, or 80,000?
_DECIMAL_COMMA = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d+|-?\d+,\d+")


def decode(raw: bytes, path: Path, option: str) -> str:
    """The text of a CSV saved by Excel, a CRM or a text editor."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise RcmInputError.at(path, option, f"broken UTF-16 text; {SAVE_AS}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif b"\x00" in raw[:4096]:
        raise RcmInputError.at(path, option, "UTF-16 text without a byte-order mark, or not "
                               f"a text file; {SAVE_AS}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")           # what Excel on Windows saves as "CSV"
    except UnicodeDecodeError:
        raise RcmInputError.at(path, option, "neither UTF-8 nor Windows-1252 text; "
                               f"{SAVE_AS}") from None


def rows(text: str) -> list[list[str]]:
    """The CSV's rows, split on whichever of ``,`` ``;`` or tab splits the header most."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    widths = {d: len(next(csv.reader([first], delimiter=d), [])) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: (widths[d], d == ","))
    # Python's csv refuses a cell over 128 KB with an error that names no row; read every
    # cell whole (the file is capped already) and let the caller judge a long one.
    limit = csv.field_size_limit(max(len(text), csv.field_size_limit()))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    finally:
        csv.field_size_limit(limit)


def header_key(name: str, columns=()) -> str:
    """A header cell as a column name: 'Annual Collections' -> 'annual_collections'.

    Case, spaces, hyphens and underscores do not matter: a header that is one of
    ``columns`` but for them is that column ('In-house annual cost', 'AnnualCollections').

    >>> header_key("In-House Annual Cost", ["inhouse_annual_cost"])
    'inhouse_annual_cost'
    >>> header_key("Account Name")
    'name'
    """
    key = column_key(name)
    key = ALIASES.get(key, key)
    squashed = key.replace("_", "")
    return next((c for c in columns if c.replace("_", "") == squashed), key)


def read_number(text: str, grouped: bool) -> tuple[float | None, str | None]:
    """``(value, None)`` for a number that cannot be misread, else ``(None, what to write)``.

    ``grouped``: a dollar amount or a count, where ``1,250,000`` groups thousands; elsewhere
    (FTE, days, rates) a comma can only be a decimal comma, and is refused as one.
    """
    cleaned = text.replace("$", "").replace(" ", "").replace("\u00a0", "")
    if "," in cleaned:
        if grouped and _GROUPED.fullmatch(cleaned):
            cleaned = cleaned.replace(",", "")
        elif _DECIMAL_COMMA.fullmatch(cleaned):
            fixed = cleaned.replace(".", "").replace(",", ".")
            return None, (f"{shown(text)} has a decimal comma: write {fixed} (a point for "
                          "decimals, no thousands separators)")
        else:
            return None, (f"{shown(text)} is ambiguous: write the number with a point for "
                          "decimals and no thousands separators, e.g. 1500.5")
    elif grouped and _DOT_GROUPED.fullmatch(cleaned):
        whole = cleaned.replace(".", "").lstrip("0") or "0"
        return None, (f"{shown(text)} is ambiguous (a point between thousands?): write "
                      f"{whole} for {int(whole):,}, without thousands separators")
    try:
        value = float(cleaned)
    except ValueError:
        return None, f"must be a number, got {shown(text)}"
    if not math.isfinite(value) or abs(value) >= 1e12:
        return None, f"must be a number below 1e12, got {shown(text)}"
    return value, None
