"""Writing cells for the live Excel model: text that stays text, formulas only on purpose.

Every cell of the workbook is written through :func:`put` (a value) or :func:`formula` (a
formula this module's callers build from cell references and defined names). ``put`` stores
any string as a text cell, even one that starts with ``=``, ``+``, ``-`` or ``@``, so a vendor
called ``=WEBSERVICE("http://x")`` is shown, never run.
"""
from __future__ import annotations

import math
import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'
PERCENT = "0.0%"
RATE = "0.00%"
INTEGER = "0"
COUNT = "#,##0.##"
DAYS = "0.0"
FACTOR = "0.0000"
SCORE = "0.0"

BOLD = Font(bold=True)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")     # the cells a consultant may change
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
NOTE_FONT = Font(italic=True, color="595959")
WRAP = Alignment(wrap_text=True, vertical="top")

_RISKY_START = ("=", "+", "-", "@", "\t", "\r")


def number(x):
    """A float for a cell, None (an empty cell) for unknown, NaN or infinite."""
    if x is None or isinstance(x, bool):
        return x
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(x) or math.isinf(x) else x


def put(ws, row: int, col: int, value, fmt: str | None = None, *, bold: bool = False):
    """Write a value: strings always as text, numbers as numbers with ``fmt``."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"            # never a formula, whatever the text starts with
        if text.startswith(_RISKY_START):
            cell.quotePrefix = True     # and it stays text if someone edits it in Excel
    elif isinstance(value, bool) or value is None:
        cell.value = value
    else:
        cell.value = number(value)
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = BOLD
    return cell


def formula(ws, row: int, col: int, expr: str, fmt: str | None = None, *, bold: bool = False):
    """Write a formula built by this package (never text taken from an input file)."""
    cell = ws.cell(row=row, column=col)
    cell.value = "=" + expr
    if fmt:
        cell.number_format = fmt
    if bold:
        cell.font = BOLD
    return cell


def ref(ws, row: int, col: int, absolute: bool = True) -> str:
    """A reference to a cell of ``ws`` from another sheet, e.g. ``'Vendor 1'!$B$7``."""
    col_l = get_column_letter(col)
    addr = f"${col_l}${row}" if absolute else f"{col_l}{row}"
    return f"{quote_sheet(ws.title)}!{addr}"


def addr(row: int, col: int, absolute: bool = False) -> str:
    col_l = get_column_letter(col)
    return f"${col_l}${row}" if absolute else f"{col_l}{row}"


def quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def header(ws, row: int, titles: list[str], col: int = 1) -> None:
    """A bold, shaded header row."""
    for i, title in enumerate(titles):
        cell = put(ws, row, col + i, title, bold=True)
        cell.fill = HEADER_FILL


def widths(ws, sizes: dict[int, float]) -> None:
    for col, size in sizes.items():
        ws.column_dimensions[get_column_letter(col)].width = size


def note(ws, row: int, col: int, text: str):
    cell = put(ws, row, col, text)
    cell.font = NOTE_FONT
    return cell


_PLAIN_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


class Names:
    """Workbook-level defined names, kept unique and valid for Excel."""

    def __init__(self, wb):
        self.wb = wb
        self.taken: dict[str, str] = {}      # lower-case name -> target

    def slug(self, text: str, fallback: str) -> str:
        """A name fragment from a user's key: the key itself where it is a plain word such as
        'office_space', else ``fallback``, so that no formula ever carries a user's text."""
        text = str(text)
        return text if _PLAIN_KEY.fullmatch(text) else fallback

    def add(self, name: str, ws, row: int, col: int) -> str:
        """Name the cell (row, col) of ``ws``; a taken name gets a numeric suffix."""
        base, k = name, 2
        while name.lower() in self.taken:
            name, k = f"{base}_{k}", k + 1
        target = ref(ws, row, col)
        self.taken[name.lower()] = target
        self.wb.defined_names[name] = DefinedName(name, attr_text=target)
        return name
