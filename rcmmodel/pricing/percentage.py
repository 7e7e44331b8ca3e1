"""A percentage of collections (or of charges): the most common way billing is priced.

    fee a year = rate x collections after the uplift (C1)
                 (``base: charges``: rate x ``annual_charges``)
"""
from __future__ import annotations

from .base import FeeStep, Need, PriceField, PricingModel, money, n, rate, rate_field, register

# What a percentage is charged on, and the practice figure each base needs beyond collections.
BASES = {"collections": None, "charges": "annual_charges"}


class Percentage(PricingModel):
    key = "percentage"
    label = "Percentage of collections"
    order = 10
    fields = (
        rate_field(help="Fee rate as a fraction (0.07 is 7%)."),
        PriceField("base", "choice", "Charged on",
                   "What the percentage is taken of: collections (usual) or charges "
                   "(needs annual_charges).", example="collections", required=False,
                   default="collections",
                   choices=(("collections", "Collections"), ("charges", "Charges"))),
    )
    formula = ("`rate` x collections after the uplift (C1); with `base: charges`, "
               "`rate` x `annual_charges`")
    example = "{model: percentage, rate: 0.07}"

    def monthly_fee(self, p, collections_month, charges_annual, claims_per_month):
        if p.base == "charges":
            return p.rate * charges_annual / 12 + 0 * collections_month
        return p.rate * collections_month

    def summary(self, p) -> str:
        return f"{n(p.rate, rate)} of {p.base}"

    def fee_lines(self, p, c1, charges, claims):
        if p.base == "charges":
            return [FeeStep("Service fee", f"{rate(p.rate)} x {money(charges)} (annual "
                            "charges)", p.rate * charges)]
        return [FeeStep("Service fee", f"{rate(p.rate)} x {money(c1)} (collections with the "
                        "uplift)", p.rate * c1)]

    def excel_month_fee(self, names, x):
        if names.base == "charges":
            return f"{names.rate}*annual_charges/12"
        return f"{names.rate}*{x}"

    def excel_words(self, p) -> str:
        return "rate x annual charges / 12" if p.base == "charges" else "rate x C1 / 12"

    needs_text = "`annual_charges` with `base: charges`"

    def need(self, pricing) -> Need | None:
        volume = BASES.get(getattr(pricing, "base", "collections"))
        return Need(volume, "base", f"pricing on {pricing.base}") if volume else None


register(Percentage())
