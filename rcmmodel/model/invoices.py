"""A vendor's invoices, as the audit reads them (docs/methodology.md §12).

A CSV with one row a month: ``month`` (YYYY-MM) and ``amount`` (USD billed, at least 0).
Headers match ignoring case, spaces and underscores ("Invoice Month", "Amount Billed" are
understood too); a month a spreadsheet turned into a date (``2026-07-01``) is its month.
A bad cell is reported with its spreadsheet row (the header is row 1) and its column.
"""
from __future__ import annotations

import csv
import io
import math
import re
from typing import NamedTuple

from .._files import MB, column_key, read_input
from ..errors import Problem, RcmInputError

MAX_BYTES = 1 * MB

COLUMNS = ("month", "amount")
#: Other names an invoices export gives the columns (as :func:`rcmmodel._files.column_key`
#: spells them).
ALIASES = {"invoice_month": "month", "billing_month": "month", "service_month": "month",
           "amount_billed": "amount", "billed": "amount", "invoice_amount": "amount",
           "invoice_total": "amount", "total": "amount", "amount_due": "amount"}
# YYYY-MM, YYYY/MM, or a date in that month (a spreadsheet turns 2026-07 into 2026-07-01)
_MONTH = re.compile(r"^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2}))?$")


class Invoice(NamedTuple):
    row: int          # the spreadsheet row (the header is row 1)
    month: str        # YYYY-MM
    amount: float     # USD billed


def read_invoices(path) -> list[Invoice]:
    """The invoices in the file's order, every cell checked.

    Raises
    ------
    RcmInputError
        Naming the file and each bad row and column: a missing column, a month that is
        not YYYY-MM, a month given twice, an amount that is not a number of at least 0.
    """
    name = str(path)
    raw = read_input(path, "", MAX_BYTES)          # an invoices CSV is one row a month
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RcmInputError.at(name, "", "not a UTF-8 text CSV (expected columns month, "
                               'amount); in Excel, use Save As > "CSV UTF-8 (Comma '
                               'delimited)"') from None
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:          # e.g. a cell over 128 KB, or a stray NUL
        raise RcmInputError.at(name, "", f"not a readable CSV ({exc}); expected columns "
                               "month, amount") from None
    if not rows:
        raise RcmInputError.at(name, "", "is empty: expected a header row month, amount and "
                               "one row a month")
    header = [ALIASES.get(column_key(h), column_key(h)) for h in rows[0]]
    twice = [c for c in COLUMNS if header.count(c) > 1]
    if twice:
        raise RcmInputError.at(name, "header", f"more than one column for {', '.join(twice)}"
                               ": keep one")
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise RcmInputError.at(name, "header", f"missing column(s) {', '.join(missing)}: "
                               "an invoices CSV has columns month (YYYY-MM) and amount (USD)")
    at = {c: header.index(c) for c in COLUMNS}
    out, problems, seen = [], [], {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {c: (row[i].strip() if i < len(row) else "") for c, i in at.items()}
        month = cells["month"]
        m = _MONTH.match(month)
        if not (m and 1 <= int(m.group(2)) <= 12 and (m.group(3) is None
                                                       or 1 <= int(m.group(3)) <= 31)):
            problems.append(Problem(name, f"row {n}, column month",
                                    f"{month!r} is not a month: expected YYYY-MM, e.g. 2026-03"))
            month = None
        elif (month := f"{m.group(1)}-{int(m.group(2)):02d}") in seen:
            problems.append(Problem(name, f"row {n}, column month",
                                    f"{month} is already billed in row {seen[month]}: "
                                    "one row a month"))
            month = None
        else:
            seen[month] = n
        amount = _amount(cells["amount"])
        if amount is None:
            problems.append(Problem(name, f"row {n}, column amount",
                                    f"{cells['amount']!r} is not an amount: expected a number "
                                    "of USD of at least 0, e.g. 3150.00"))
        if month is not None and amount is not None:
            out.append(Invoice(n, month, amount))
    if problems:
        raise RcmInputError(problems)
    if not out:
        raise RcmInputError.at(name, "", "holds no invoice rows: expected one row a month "
                               "(month, amount)")
    return out


def _amount(text: str) -> float | None:
    try:
        value = float(text.replace(",", "").replace("$", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def check_months(invoices, path, start, end) -> None:
    """Every invoiced month must overlap the after period ``start`` .. ``end`` (YYYY-MM-DD
    strings); otherwise an error names the row and what the period is."""
    import pandas as pd

    lo, hi = pd.Timestamp(start).to_period("M"), pd.Timestamp(end).to_period("M")
    problems = [Problem(str(path), f"row {inv.row}, column month",
                        f"{inv.month} lies outside the after period {start} to {end}: "
                        f"bill only months the after files cover ({lo} to {hi})")
                for inv in invoices if not lo <= pd.Period(inv.month, "M") <= hi]
    if problems:
        raise RcmInputError(problems)
