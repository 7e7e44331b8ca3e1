"""The pricing models a vendor may quote, declared once
(docs/methodology.md §2 What a vendor adds and costs).

Each entry says what the model is called, which ``pricing:`` fields it takes, whether it has
a fee rate (the break-even rate, the fee-rate charts and sensitivity axes need one), which
practice volume it is charged on besides collections, what its price axis is, and how to
describe a quote in a few words. Validation (:mod:`.schema`, :mod:`.rules`), the quotes sheet
(:mod:`.quotes`), the scenario reference, the model's inputs, break-even, sensitivity and
price axes, the reports and the app's forms all read this table. The fee each model charges
is registered under the same key in :mod:`rcmmodel.model.pricing` (which refuses to import
if the two disagree), and so is its Excel formula in :mod:`rcmmodel.reports.excel_model`.

The table lives in ``scenario/`` rather than ``model/`` because validation needs it and
the scenario layer sits below the model. Adding a pricing model means: an entry here, its
fee function in ``model/pricing.py``, its Excel formula, and their tests. (A model with a
new *field* also declares that field on :class:`~rcmmodel.scenario.schema.Pricing` and
:class:`~rcmmodel.model.inputs.PricingIn`.)

Examples
--------
>>> PRICING_MODELS["hybrid"].fields
('rate', 'monthly_base')
>>> [m.key for m in PRICING_MODELS.values() if m.has_rate]
['percentage', 'hybrid']
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..describe import fee, is_range, money, rate, spread, tier_band


@dataclass(frozen=True)
class PricingField:
    """A field of ``vendors[].pricing``: what kind of value it holds and what to call it."""

    name: str
    kind: str          # "rate" (a fraction), "money" (USD), "choice" (a word), "tiers"
    label: str


# In model order: resolving inputs visits the fields in this order, which fixes the order of
# the tornado's inputs; keep it stable.
FIELDS: dict[str, PricingField] = {f.name: f for f in (
    PricingField("rate", "rate", "Fee rate"),
    PricingField("base", "choice", "Charged on"),
    PricingField("fee", "money", "Fee per claim"),
    PricingField("monthly_base", "money", "Monthly base fee"),
    PricingField("tiers", "tiers", "Tiers"),
)}

# What a percentage is charged on, and the practice figure each base needs beyond collections.
BASES: dict[str, str | None] = {"collections": None, "charges": "annual_charges"}


@dataclass(frozen=True)
class Need:
    """A practice figure a quote cannot be priced without."""

    volume: str        # the field of ``practice``
    field: str         # the pricing field that asks for it (where a problem is reported)
    why: str           # e.g. "pricing on charges"


def _n(x, fmt) -> str:
    # an uncertain input is said as a short range ("most likely 7% (6% to 9%)"), never as
    # its distribution's syntax; a number is formatted
    return spread(x, fmt, compact=True) if is_range(x) else fmt(x)


def _rate(r) -> str:
    return _n(r, rate)


def _tiers(p) -> str:
    return "tiered: " + ", ".join(f"{_rate(t.rate)} {tier_band(p.tiers, k)}"
                                  for k, t in enumerate(p.tiers))


@dataclass(frozen=True)
class PricingModel:
    """One pricing model: its key (the YAML ``model:``), words, fields and needs."""

    key: str
    label: str                              # what a form or a table calls the model
    required: tuple[str, ...]               # in the order problems are reported
    summary: Callable[[object], str]        # a quote in a few words, e.g. "7% of collections"
    optional: tuple[str, ...] = ()
    volume: str | None = None               # a practice figure the fee is always charged on
    # The quote's own price, the "price" axis of curves and break-even maps: a field whose
    # value is the price, or "tiers" (every tier's rate scaled together, which moves the
    # effective rate in proportion); and what that axis is called.
    price: str = "rate"
    price_label: str = "Fee rate"
    formula: str = ""                       # what it charges a year, in words (the reference)
    example: str = ""                       # a YAML ``pricing:`` value (the reference)

    @property
    def fields(self) -> tuple[str, ...]:
        """Every field the model takes, in :data:`FIELDS` order."""
        return tuple(f for f in FIELDS if f in self.required or f in self.optional)

    @property
    def price_in_dollars(self) -> bool:
        """Whether the price axis is in dollars (a fee per claim), not a rate."""
        return FIELDS[self.price].kind == "money"

    @property
    def has_rate(self) -> bool:
        """Whether the fee has a rate that a break-even rate or a rate axis can move."""
        return "rate" in self.fields

    def need(self, pricing) -> Need | None:
        """The practice figure a quote under this model needs besides collections, if any."""
        if self.volume:
            return Need(self.volume, self.required[0], f"{self.key} pricing")
        base = getattr(pricing, "base", "collections")
        if "base" in self.fields and BASES.get(base):
            return Need(BASES[base], "base", f"pricing on {base}")
        return None


PRICING_MODELS: dict[str, PricingModel] = {m.key: m for m in (
    PricingModel(
        "percentage", "Percentage of collections", ("rate",),
        lambda p: f"{_rate(p.rate)} of {p.base}", optional=("base",),
        formula="`rate` x collections after the uplift (C1); with `base: charges`, "
                "`rate` x `annual_charges`",
        example="{model: percentage, rate: 0.07}"),
    PricingModel(
        "per_claim", "Fee per claim", ("fee",),
        lambda p: f"{_n(p.fee, fee)} per claim",
        volume="claims_per_month", price="fee", price_label="Fee per claim",
        formula="`fee` x `claims_per_month` x 12",
        example="{model: per_claim, fee: 6.50}"),
    PricingModel(
        "hybrid", "Monthly base + percentage", ("monthly_base", "rate"),
        lambda p: f"{_n(p.monthly_base, money)} a month + {_rate(p.rate)} of collections",
        price_label="Fee rate (beside the monthly base)",
        formula="`monthly_base` x 12 + `rate` x C1",
        example="{model: hybrid, monthly_base: 500, rate: 0.04}"),
    PricingModel(
        "tiered", "Tiered rates", ("tiers",), _tiers,
        price="tiers", price_label="Effective fee rate (all tiers scaled together)",
        formula="marginal bands: each tier's `rate` applies to the part of C1 inside its band",
        example="{model: tiered, tiers: [{up_to: 250000, rate: 0.06}, {rate: 0.04}]}"),
)}


def pricing_model(pricing) -> PricingModel:
    """The registry entry of a ``pricing`` (anything with a ``model`` attribute) or a key."""
    return PRICING_MODELS[pricing if isinstance(pricing, str) else pricing.model]


def has_rate(pricing) -> bool:
    """Whether a quote's pricing (or a model key) has a fee rate."""
    return pricing_model(pricing).has_rate


def pricing_label(vendor) -> str:
    """A short description of a quote's pricing, e.g. '7% of collections', with its monthly
    minimum where it has one: a price shown without its minimum misleads whoever does the sum.

    Examples
    --------
    >>> from rcmmodel.scenario.schema import Vendor
    >>> pricing_label(Vendor(name="A", pricing={"model": "hybrid", "monthly_base": 500,
    ...                                         "rate": 0.04}))
    '$500 a month + 4% of collections'
    >>> pricing_label(Vendor(name="A", pricing={"model": "hybrid", "monthly_base": 1500,
    ...                                         "rate": 0.035}, fees={"monthly_minimum": 6500}))
    '$1,500 a month + 3.5% of collections, at least $6,500 a month'
    """
    text = pricing_model(vendor.pricing).summary(vendor.pricing)
    fees = getattr(vendor, "fees", None)
    minimum = getattr(fees, "monthly_minimum", 0) if fees is not None else 0
    if minimum:
        text += f", at least {_n(minimum, money)} a month"
    return text


__all__ = ["BASES", "FIELDS", "PRICING_MODELS", "Need", "PricingField", "PricingModel",
           "has_rate", "pricing_label", "pricing_model"]
