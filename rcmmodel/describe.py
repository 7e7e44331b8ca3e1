"""Words and numbers for people: money and percent formats shared by the CLI, charts and reports.

A quote's pricing is described by :func:`rcmmodel.scenario.pricing_models.pricing_label`.
"""
from __future__ import annotations

import math


def money(x, cents: bool = False) -> str:
    """'$51,500' (or '-$1,234.50' with cents); an em dash for None or NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    x = float(x)
    text = f"${abs(x):,.2f}" if cents else f"${abs(round(x)):,.0f}"
    return f"-{text}" if x < 0 and text.strip("$0.,") else text


def pct(x, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{float(x) * 100:.{digits}f}%"
