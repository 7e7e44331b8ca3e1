"""Tiered rates: marginal bands of yearly collections, each with its own rate.

    fee a year = sum over bands of rate x the part of C1 inside the band

Bands ascend by ``up_to`` and the last is open (no ``up_to``), so every dollar has a rate.
A month's fee is the yearly fee on 12 x the month's collections, divided by 12.
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from ..describe import tier_band
from .base import FeeStep, PriceField, PricingModel, money, n, rate, register


def tiered_fee(amount, tiers):
    """Marginal banded fee on a yearly ``amount``; ``tiers`` is ``[(up_to or None, rate), ...]``.

    Examples
    --------
    >>> float(tiered_fee(600000, [(250000, 0.06), (500000, 0.05), (None, 0.04)]))
    31500.0
    """
    amount = np.asarray(amount, dtype=float)
    out = np.zeros_like(amount)
    lower = 0.0
    for up_to, r in tiers:
        upper = np.inf if up_to is None else up_to
        out = out + r * np.clip(amount - lower, 0.0, upper - lower)
        lower = upper
    return out if out.ndim else float(out)


def _pairs(tiers) -> list[tuple]:
    """Bands as (up_to, rate), from a validated quote's tiers or resolved pairs."""
    return [t if isinstance(t, tuple) else (t.up_to, t.rate) for t in tiers]


def _bands(tiers):
    return [SimpleNamespace(up_to=up_to) for up_to, _rate in _pairs(tiers)]


class Tiered(PricingModel):
    key = "tiered"
    label = "Tiered rates"
    order = 40
    fields = (
        PriceField("tiers", "tiers", "Tiers",
                   "Bands of yearly collections, ascending by up_to, each with its rate; the "
                   "last has no up_to.", unit="bands",
                   example=[{"up_to": 250000, "rate": 0.06}, {"rate": 0.04}]),
    )
    price = "tiers"
    price_label = "Effective fee rate (all tiers scaled together)"
    formula = "marginal bands: each tier's `rate` applies to the part of C1 inside its band"
    example = "{model: tiered, tiers: [{up_to: 250000, rate: 0.06}, {rate: 0.04}]}"

    def monthly_fee(self, p, collections_month, charges_annual, claims_per_month):
        return tiered_fee(12 * collections_month, p.tiers) / 12

    def summary(self, p) -> str:
        bands = _bands(p.tiers)
        return "tiered: " + ", ".join(f"{n(r, rate)} {tier_band(bands, k)}"
                                      for k, (_up, r) in enumerate(_pairs(p.tiers)))

    def fee_lines(self, p, c1, charges, claims):
        lines, lower = [], 0.0
        bands = _bands(p.tiers)
        for k, (upper, r) in enumerate(p.tiers):
            top = c1 if upper is None else min(c1, upper)
            part = max(0.0, top - lower)
            lines.append(FeeStep(f"Tier {k + 1} ({tier_band(bands, k)})",
                                 f"{rate(r)} x {money(part)}", r * part))
            if upper is None or c1 <= upper:
                break
            lower = upper
        return lines

    # Excel: marginal bands on a year of 12 x the month's collections, divided by 12
    def excel_month_fee(self, names, x):
        terms, lower = [], None
        for up_to, r in names.tiers:
            above = f"12*({x})" if lower is None else f"12*({x})-{lower}"
            if up_to is None:
                terms.append(f"{r}*MAX(0,{above})")
            else:
                width = up_to if lower is None else f"{up_to}-{lower}"
                terms.append(f"{r}*MAX(0,MIN({above},{width}))")
            lower = up_to
        return f"({'+'.join(terms)})/12"

    def excel_words(self, p) -> str:
        return "marginal bands on C1 (below), divided by 12"

    def excel_rows(self, names, c1):
        rows, lower = [], None
        for j, (up_to, r) in enumerate(names.tiers, start=1):
            above = c1 if lower is None else f"{c1}-{lower}"
            if up_to is None:
                expr = f"{r}*MAX(0,{above})"
            else:
                expr = f"{r}*MAX(0,MIN({above},{up_to if lower is None else f'{up_to}-{lower}'}))"
            rows.append((f"Tier {j}", expr, "rate x the part of C1 inside this band"))
            lower = up_to
        return rows

    def problems(self, pricing):
        tiers = pricing.get("tiers")
        if not isinstance(tiers, list):
            return []
        if not tiers:
            return [("tiers", "give at least one tier, the last without up_to")]
        out, last = [], 0.0
        for i, tier in enumerate(tiers):
            up_to = tier.get("up_to") if isinstance(tier, dict) else None
            if up_to is None:
                if i != len(tiers) - 1:
                    out.append((f"tiers[{i}].up_to", "only the last tier may be open-ended"))
                continue
            if not isinstance(up_to, (int, float)) or isinstance(up_to, bool):
                continue                             # not a number: reported by its own check
            if up_to <= last:
                out.append((f"tiers[{i}].up_to", "tier bounds must increase"))
            last = max(last, up_to)
        end = tiers[-1].get("up_to") if isinstance(tiers[-1], dict) else None
        if end is not None:
            above = f"${end:,.0f}" if isinstance(end, (int, float)) else "it"
            out.append(("tiers", f"the last tier must be open (no up_to), or every dollar "
                        f"above {above} would be billed at 0%: end with a band such as "
                        "{rate: 0.04}"))
        return out

    # The price axis: every tier's rate scaled together, which moves the effective rate in
    # proportion at the quoted uplift.
    def price_of(self, p, c1):
        return float(tiered_fee(c1, p.tiers)) / c1

    def price_changes(self, p, value, c1):
        factor = np.asarray(value, dtype=float) / self.price_of(p, c1)
        return {"tiers": [(up_to, r * factor) for up_to, r in p.tiers]}


register(Tiered())
