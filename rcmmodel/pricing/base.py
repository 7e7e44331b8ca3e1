"""What every pricing model is, and the registry that holds them.

A pricing model is one module of this package defining one :class:`PricingModel` and
calling :func:`register` on it. The object carries everything about its model: its fields
(label, unit, help, the app's widget, an example), its rules beyond "required here, unused
there", its monthly and yearly fee, the fee arithmetic in words, the Excel formula, the
price axis of break-even charts and a YAML example. Validation, the model, break-even,
sensitivity, the fee notes, the Excel model, the app's forms, the scenario reference and the
tests iterate over :data:`PRICING_MODELS` and never name a model (docs/architecture.md,
"Adding a pricing model"). This package sits just above the leaves: it imports
:mod:`rcmmodel.describe` only.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..describe import fee, is_range, money, rate, spread


@dataclass(frozen=True)
class PriceField:
    """One field of ``vendors[].pricing``: what it holds, what to call it, how to edit it.

    ``kind`` is ``"rate"`` (a fraction, may be a distribution), ``"money"`` (USD, may be a
    distribution), ``"choice"`` (one of ``choices``) or ``"tiers"`` (yearly bands). The
    app's form reads ``label``, ``help``, ``widget``, ``slider``, ``digits`` and ``expect``
    (in the form's units: percent for a rate); a new quote starts at ``example``.
    """

    name: str
    kind: str
    label: str
    help: str
    unit: str = ""
    example: Any = None
    required: bool = True
    default: Any = None                 # the value when left out (optional fields)
    choices: tuple = ()                 # kind "choice": (value, label) pairs
    slider: tuple | None = None         # the app's slider (low, high, step), form units
    digits: int = 0
    expect: tuple | None = None         # a typical range, form units: outside it, a hint

    @property
    def widget(self) -> str:
        """How a form edits it: "percent", "money", "dropdown" or "tiers"."""
        return {"rate": "percent", "money": "money", "choice": "dropdown",
                "tiers": "tiers"}[self.kind]

    @property
    def numeric(self) -> bool:
        return self.kind in ("rate", "money")


def rate_field(**kw) -> PriceField:
    """The fee rate, as percentage-style models take it."""
    return PriceField(**{**dict(
        name="rate", kind="rate", label="Fee rate", unit="fraction (0.07 is 7%)",
        help="Fee rate as a fraction (0.07 is 7%).", example=0.07, slider=(0, 20, 0.1),
        digits=1, expect=(1, 40)), **kw})


@dataclass(frozen=True)
class Need:
    """A practice figure a quote cannot be priced without."""

    volume: str        # the field of ``practice``
    field: str         # the pricing field that asks for it (where a problem is reported)
    why: str           # e.g. "pricing on charges"


class FeeStep(tuple):
    """One line of a fee's arithmetic: (what, how it is worked out, dollars)."""

    def __new__(cls, what: str, how: str, amount: float):
        return super().__new__(cls, (what, how, amount))


def n(x, fmt) -> str:
    """A pricing number in words: a range is said as a short range ("most likely 7% (6% to
    9%)"), never as its distribution's syntax; a number is formatted."""
    return spread(x, fmt, compact=True) if is_range(x) else fmt(x)


def count(x) -> str:
    return f"{float(x):,.0f}"


class PricingModel:
    """The interface of a pricing model; a module subclasses it and registers an instance.

    Fee functions take floats or numpy arrays alike (one scenario or a million draws) and
    receive the quote's pricing ``p`` with its numbers resolved (:class:`PricingIn`):
    ``monthly_fee(p, collections_month, charges_annual, claims_per_month)`` is the service
    fee of one month before any monthly minimum.
    """

    key: str = ""
    label: str = ""                       # what a form or a table calls the model
    fields: tuple[PriceField, ...] = ()   # in the order forms show them and problems come
    order: int = 100                      # place in lists and forms
    volume: str | None = None             # a practice figure the fee is always charged on
    # The price axis of curves and break-even maps: the field whose value is the quote's
    # price, and what that axis is called.
    price: str = "rate"
    price_label: str = "Fee rate"
    formula: str = ""                     # what it charges a year, in words (the reference)
    example: str = ""                     # a YAML ``pricing:`` value (the reference)

    # -- the fee ----------------------------------------------------------------------
    def monthly_fee(self, p, collections_month, charges_annual, claims_per_month):
        raise NotImplementedError

    # -- words --------------------------------------------------------------------------
    def summary(self, p) -> str:
        """The quote in a few words, e.g. "7% of collections"."""
        raise NotImplementedError

    def fee_lines(self, p, c1: float, charges, claims) -> list[FeeStep]:
        """The steady-state service fee before the minimum, its arithmetic line by line;
        the amounts add up to ``12 * monthly_fee(p, c1 / 12, ...)``."""
        raise NotImplementedError

    # -- Excel --------------------------------------------------------------------------
    def excel_month_fee(self, names, x: str) -> str:
        """The month's fee as an Excel formula; ``x`` is the month's collections and
        ``names`` holds each field's defined name (a choice field holds its value; tiers
        hold ``(up_to name or None, rate name)`` pairs)."""
        raise NotImplementedError

    def excel_words(self, p) -> str:
        """What the Excel formula does, for the note beside it."""
        raise NotImplementedError

    def excel_rows(self, names, c1: str) -> list[tuple[str, str, str]]:
        """Extra rows (label, formula on the yearly ``c1`` cell, note) that show the fee's
        working on the vendor sheet; a total row is added after them when there are any."""
        return []

    # -- validation ---------------------------------------------------------------------
    def problems(self, pricing: dict) -> list[tuple[str, str]]:
        """Rules beyond required and unused fields, on the raw mapping: (field, message)."""
        return []

    def need(self, pricing) -> Need | None:
        """The practice figure a quote under this model needs besides collections."""
        if self.volume:
            return Need(self.volume, self.required[0], f"{self.key} pricing")
        return None

    @property
    def needs_text(self) -> str:
        """The practice figures it needs, for the scenario reference."""
        return f"`{self.volume}` > 0" if self.volume else "nothing more"

    # -- the price axis -----------------------------------------------------------------
    def price_of(self, p, c1: float) -> float:
        """The quote's price on its axis (at steady-state collections ``c1``)."""
        return float(getattr(p, self.price))

    def price_changes(self, p, value, c1: float) -> dict:
        """The pricing changes that set the price to ``value`` (a float or an array)."""
        return {self.price: value}

    # -- derived ------------------------------------------------------------------------
    @property
    def names(self) -> tuple[str, ...]:
        """The model's field names, in the registry's field order."""
        mine = {f.name for f in self.fields}
        return tuple(name for name in price_fields() if name in mine)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def optional(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if not f.required)

    def field(self, name: str) -> PriceField:
        return {f.name: f for f in self.fields}[name]

    @property
    def has_rate(self) -> bool:
        """Whether the fee has a rate that a break-even rate or a rate axis can move."""
        return "rate" in self.names

    @property
    def price_in_dollars(self) -> bool:
        """Whether the price axis is in dollars (a fee per claim), not a rate."""
        return self.field(self.price).kind == "money"

    def annual_fee(self, p, collections, charges_annual=None, claims_per_month=0.0,
                   monthly_minimum=0.0):
        """The yearly service fee on a steady year of ``collections``: each month pays the
        larger of its fee and ``monthly_minimum``; every month is a twelfth of the year."""
        month = self.monthly_fee(p, np.asarray(collections, dtype=float) / 12,
                                 charges_annual, claims_per_month)
        out = 12 * np.maximum(month, monthly_minimum)
        return out if np.ndim(out) else float(out)

    def __repr__(self) -> str:
        return f"<pricing model {self.key!r}>"


PRICING_MODELS: dict[str, PricingModel] = {}


def register(model: PricingModel) -> PricingModel:
    """Add a pricing model to the registry (kept in ``order``, then key order)."""
    if not model.key or not model.fields:
        raise ValueError("a pricing model needs a key and at least one field")
    kinds = {f.name: f.kind for m in PRICING_MODELS.values() for f in m.fields}
    for f in model.fields:
        if kinds.get(f.name, f.kind) != f.kind:
            raise ValueError(f"pricing field {f.name!r} is a {kinds[f.name]} elsewhere, "
                             f"a {f.kind} in {model.key!r}")
    if model.price not in {f.name for f in model.fields}:
        raise ValueError(f"{model.key!r}: its price {model.price!r} is not one of its fields")
    models = {**{k: m for k, m in PRICING_MODELS.items() if k != model.key}, model.key: model}
    PRICING_MODELS.clear()
    PRICING_MODELS.update(sorted(models.items(), key=lambda kv: (kv[1].order, kv[0])))
    return model


def unregister(key: str) -> None:
    """Take a pricing model out of the registry (tests that register their own)."""
    PRICING_MODELS.pop(key, None)


def price_fields() -> dict[str, PriceField]:
    """Every pricing field of every registered model, by name, in registry order (the
    order inputs are resolved in, which fixes the order of the tornado's inputs)."""
    out: dict[str, PriceField] = {}
    for m in PRICING_MODELS.values():
        for f in m.fields:
            out.setdefault(f.name, f)
    return out


def field_users(name: str) -> list[str]:
    """The keys of the models that take field ``name``."""
    return [m.key for m in PRICING_MODELS.values() if name in m.names]


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
    >>> pricing_label(Vendor(name="A", pricing={"model": "percentage", "rate": 0.07},
    ...                      fees={"monthly_minimum": 2000}))
    '7% of collections, at least $2,000 a month'
    """
    text = pricing_model(vendor.pricing).summary(vendor.pricing)
    fees = getattr(vendor, "fees", None)
    minimum = getattr(fees, "monthly_minimum", 0) if fees is not None else 0
    if minimum:
        text += f", at least {n(minimum, money)} a month"
    return text


class PricingIn:
    """A quote's pricing with its numbers resolved: ``model`` and one attribute a field.

    A field the quote leaves out takes its default (a choice) or 0.

    >>> p = PricingIn("percentage", rate=0.07)
    >>> p.rate, p.base, p.replace(rate=0.05).rate
    (0.07, 'collections', 0.05)
    """

    def __init__(self, model: str, **values):
        self.model = model
        spec = PRICING_MODELS.get(model)
        for f in (spec.fields if spec else ()):
            if f.name not in values:
                values[f.name] = f.default if f.kind == "choice" else (
                    [] if f.kind == "tiers" else 0.0)
        self.__dict__.update(values)

    def values(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "model"}

    def replace(self, **changes) -> "PricingIn":
        return PricingIn(self.model, **{**self.values(), **changes})

    def __eq__(self, other) -> bool:
        return isinstance(other, PricingIn) and self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.values().items())
        return f"PricingIn({self.model!r}, {inner})"


def monthly_service_fee(pricing, collections_month, charges_annual=None, claims_per_month=0.0):
    """The service fee for one month before the minimum, by the quote's pricing model."""
    spec = PRICING_MODELS.get(pricing.model)
    if spec is None:
        raise ValueError(f"unknown pricing model {pricing.model!r}")
    return spec.monthly_fee(pricing, collections_month, charges_annual, claims_per_month)


def service_fee(pricing, collections, charges=None, claims_per_month=0.0, monthly_minimum=0.0):
    """The yearly service fee on a steady-state year of ``collections`` (C1).

    Examples
    --------
    >>> round(service_fee(PricingIn("percentage", rate=0.07), 550000), 2)
    38500.0
    """
    return pricing_model(pricing).annual_fee(pricing, collections, charges, claims_per_month,
                                             monthly_minimum)


__all__ = ["FeeStep", "Need", "PRICING_MODELS", "PriceField", "PricingIn", "PricingModel",
           "count", "fee", "field_users", "has_rate", "money", "monthly_service_fee", "n",
           "price_fields", "pricing_label", "pricing_model", "rate", "rate_field", "register",
           "service_fee", "unregister"]
