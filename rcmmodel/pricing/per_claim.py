"""A fee per claim submitted, whatever the claim collects.

    fee a year = fee x claims_per_month x 12
"""
from __future__ import annotations

from .base import FeeStep, PriceField, PricingModel, count, fee, n, register


class PerClaim(PricingModel):
    key = "per_claim"
    label = "Fee per claim"
    order = 20
    fields = (
        PriceField("fee", "money", "Fee per claim", "USD per claim submitted.",
                   unit="USD a claim", example=6.50, slider=(0, 20, 0.05), digits=2),
    )
    volume = "claims_per_month"
    price = "fee"
    price_label = "Fee per claim"
    formula = "`fee` x `claims_per_month` x 12"
    example = "{model: per_claim, fee: 6.50}"

    def monthly_fee(self, p, collections_month, charges_annual, claims_per_month):
        return p.fee * claims_per_month + 0 * collections_month

    def summary(self, p) -> str:
        return f"{n(p.fee, fee)} per claim"

    def fee_lines(self, p, c1, charges, claims):
        return [FeeStep("Service fee", f"{fee(p.fee)} x {count(claims)} claims a month x 12",
                        p.fee * claims * 12)]

    def excel_month_fee(self, names, x):
        return f"{names.fee}*claims_per_month"

    def excel_words(self, p) -> str:
        return "fee per claim x claims a month"


register(PerClaim())
