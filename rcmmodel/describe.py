"""Words and numbers for people: labels and money formats shared by the CLI, charts and reports."""
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


def _n(x, fmt) -> str:
    # a distribution (scenario.distributions.Dist) describes itself; a number is formatted
    return fmt(x) if isinstance(x, (int, float)) else str(x)


def pricing_label(vendor) -> str:
    """A short description of a quote's pricing, e.g. '7% of collections'."""
    p = vendor.pricing
    rate = lambda r: _n(r, lambda v: f"{v * 100:g}%")
    if p.model == "percentage":
        return f"{rate(p.rate)} of {p.base}"
    if p.model == "per_claim":
        return f"{_n(p.fee, lambda v: f'${v:,.2f}')} per claim"
    if p.model == "hybrid":
        return f"{_n(p.monthly_base, lambda v: f'${v:,.0f}')}/month + {rate(p.rate)} of collections"
    bands = ", ".join(f"{rate(t.rate)}" + (f" to ${t.up_to:,.0f}" if t.up_to else " above")
                      for t in p.tiers)
    return f"tiered: {bands}"
