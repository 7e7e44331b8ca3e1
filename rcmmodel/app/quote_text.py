"""Quotes as she types them: tiers and extra fees in words, and the quotes sheet template.

>>> parse_tiers("250,000: 6%; above: 5%")
[{'up_to': 250000.0, 'rate': 0.06}, {'rate': 0.05}]
>>> parse_extras("portal=600; denials = $1,200")
{'portal': 600.0, 'denials': 1200.0}
"""
from __future__ import annotations

import csv
import io
import re

from ..scenario.quotes import COLUMNS
from . import session as ses
from .controls import FieldError, parse_number
from .pricing_form import template_rows

def quotes_template() -> bytes:
    """The quotes sheet's columns and an example row a pricing model, as CSV (UTF-8)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in template_rows():
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def quotes_template_xlsx() -> bytes:
    """The same template as an Excel workbook: one sheet "quotes", every cell text (a value
    is never read as a formula)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "quotes"
    columns = list(COLUMNS)
    sheet.append(columns)
    for row in template_rows():
        sheet.append([str(row.get(c, "")) if row.get(c) is not None else None
                      for c in columns])
    for cells in sheet.iter_rows(min_row=1):
        for cell in cells:
            if cell.value is not None:
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parse_tiers(text: str) -> list[dict]:
    """'250,000: 6%; 500,000: 5%; above: 4%' -> tiers (rates as fractions)."""
    tiers = []
    for part in [p for p in re.split(r"[;\n]", text) if p.strip()]:
        if ":" not in part:
            raise FieldError(f"'{part.strip()[:40]}' needs 'up to: rate', e.g. '250,000: 6%'")
        up, rate = part.rsplit(":", 1)
        tier = {"rate": parse_number(rate, "percent") / 100}
        if up.strip().lower() not in ("", "above", "rest", "over"):
            tier = {"up_to": parse_number(up, "money"), **tier}
        tiers.append(tier)
    if not tiers:
        raise FieldError("give at least one band, e.g. '250,000: 6%; above: 5%'")
    return tiers


def tiers_text(tiers) -> str:
    return "; ".join((f"{t['up_to']:,.0f}" if t.get("up_to") is not None else "above")
                     + f": {ses.central(t['rate']) * 100:g}%" for t in tiers or [])


def parse_extras(text: str) -> dict:
    """'portal=600; denials=1200' -> {'portal': 600.0, 'denials': 1200.0}."""
    out = {}
    for part in [p for p in re.split(r"[;\n]", text) if p.strip()]:
        if "=" not in part:
            raise FieldError(f"'{part.strip()[:40]}' needs 'name=amount'")
        name, amount = part.split("=", 1)
        out[name.strip()[:60] or "other"] = parse_number(amount, "money")
    return out
