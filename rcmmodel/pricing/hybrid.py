"""A fixed monthly base plus a (smaller) percentage of collections.

    fee a year = monthly_base x 12 + rate x collections after the uplift (C1)
"""
from __future__ import annotations

from .base import FeeStep, PriceField, PricingModel, money, n, rate, rate_field, register


class Hybrid(PricingModel):
    key = "hybrid"
    label = "Monthly base + percentage"
    order = 30
    fields = (
        PriceField("monthly_base", "money", "Monthly base fee",
                   "A fixed fee each month, in USD, on top of the percentage.",
                   unit="USD a month", example=500, slider=(0, 5_000, 50)),
        rate_field(example=0.04),
    )
    price_label = "Fee rate (beside the monthly base)"
    formula = "`monthly_base` x 12 + `rate` x C1"
    example = "{model: hybrid, monthly_base: 500, rate: 0.04}"

    def monthly_fee(self, p, collections_month, charges_annual, claims_per_month):
        return p.monthly_base + p.rate * collections_month

    def summary(self, p) -> str:
        return f"{n(p.monthly_base, money)} a month + {n(p.rate, rate)} of collections"

    def fee_lines(self, p, c1, charges, claims):
        return [FeeStep("Base fee", f"{money(p.monthly_base)} a month x 12",
                        p.monthly_base * 12),
                FeeStep("Percentage fee", f"{rate(p.rate)} x {money(c1)} (collections with "
                        "the uplift)", p.rate * c1)]

    def excel_month_fee(self, names, x):
        return f"{names.monthly_base}+{names.rate}*{x}"

    def excel_words(self, p) -> str:
        return "monthly base + rate x C1 / 12"


register(Hybrid())
