"""A quote's fees with their arithmetic shown: rate times base, tier by tier, the monthly
minimum and what it adds, each extra, the one-time fees, and the all-in effective rate.

Every line is (what, how it is worked out, dollars), so a reader can redo the sums with a
calculator. The amounts are the model's own (:mod:`rcmmodel.model`), for the steady-state
year; the arithmetic is said beside them, never recomputed differently.

>>> from rcmmodel import evaluate, load_scenario
>>> s = load_scenario("scenarios/guide-example.yaml")          # doctest: +SKIP
>>> fee_lines(evaluate(s), "Guide Billing Co")[0]                # doctest: +SKIP
FeeLine(what='Service fee', how='7% x $550,000 (collections with the uplift)', amount=38500.0)
"""
from __future__ import annotations

from dataclasses import dataclass
from ..describe import count, fee, money
from ..pricing import pricing_model


@dataclass(frozen=True)
class FeeLine:
    what: str
    how: str
    amount: float | None
    total: bool = False       # a subtotal or total row
    once: bool = False        # a one-time fee (month 1), not a yearly one


def _n(x: float) -> str:
    return f"{float(x):,.0f}"


def _service(p, c1: float, charges, claims) -> list[FeeLine]:
    # the service fee before any monthly minimum, in its pricing model's own arithmetic
    return [FeeLine(*step) for step in pricing_model(p).fee_lines(p, c1, charges, claims)]


def fee_lines(evaluation, name: str) -> list[FeeLine]:
    """The fee arithmetic of vendor ``name`` in an :class:`~rcmmodel.model.evaluate.Evaluation`.

    The service fee's lines add up to the fee before the monthly minimum; a minimum that
    binds gets its own line with what it adds a year, so the lines always add up to the
    vendor cost the model reports.
    """
    k = [v.name for v in evaluation.vendors].index(name)
    vin, fig = evaluation.inputs.vendors[k], evaluation.vendors[k].figures
    practice = evaluation.inputs.practice
    c1 = float(fig.collections)
    lines = _service(vin.pricing, c1, practice.charges, practice.claims_per_month)
    bare = sum(line.amount for line in lines)
    service = float(fig.service_fee)
    minimum = float(vin.monthly_minimum or 0)
    if minimum:
        top_up = service - bare
        if top_up > 0.005:
            lines.append(FeeLine("Monthly minimum", f"{money(minimum)} a month: the fee above "
                                 f"comes to {money(bare / 12)} a month, so the minimum adds",
                                 top_up))
        else:
            lines.append(FeeLine("Monthly minimum", f"{money(minimum)} a month: not reached "
                                 f"(the fee is {money(bare / 12)} a month)", 0.0))
    if len(lines) > 1:
        lines.append(FeeLine("Service fee a year", "", service, total=True))
    if vin.per_statement and practice.statements_per_month:
        lines.append(FeeLine("Patient statements", f"{fee(vin.per_statement)} x "
                             f"{_n(practice.statements_per_month)} a month x 12",
                             vin.per_statement * practice.statements_per_month * 12))
    if vin.per_provider_monthly:
        lines.append(FeeLine("Per-provider fee", f"{fee(vin.per_provider_monthly)} a month x "
                             f"{count(practice.providers, 'provider')} x 12",
                             vin.per_provider_monthly * practice.providers * 12))
    for item, amount in vin.other_annual.items():
        if amount:
            lines.append(FeeLine(item.replace("_", " ").capitalize(), "a year", float(amount)))
    lines.append(FeeLine("Vendor cost a year", "service fee and extras",
                         float(fig.vendor_cost), total=True))
    if vin.setup:
        lines.append(FeeLine("Setup", "once, in month 1", float(vin.setup), once=True))
    if vin.credentialing_per_provider:
        lines.append(FeeLine("Credentialing", f"{money(vin.credentialing_per_provider)} x "
                             f"{count(practice.providers, 'provider')}, once",
                             vin.credentialing_per_provider * practice.providers, once=True))
    return lines


__all__ = ["FeeLine", "fee_lines"]
