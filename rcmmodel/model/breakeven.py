"""Break-even points per vendor (docs/methodology.md §3), solved with scipy's brentq.

- ``min_uplift``: the uplift at which net gain is 0, searched in [-0.99, 10];
- ``max_rate``: for pricing with a fee rate, the fee rate at which net gain is 0;
- ``breakeven_collections``: the C0 at which vendor cost equals in-house savings with no
  uplift (the crossover above which in-house is cheaper), searched in [0, 100 x C0].

None where no root lies in the range.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..pricing import has_rate, pricing_model
from .gain import steady_net_gain
from .inputs import with_inputs

UPLIFT_RANGE = (-0.99, 10.0)
RATE_RANGE = (0.0, 10.0)   # as wide as the uplift's: a small practice with a costly office can
                           # afford a fee above 100% of collections, and should see so


def _root(f, lo, hi):
    flo, fhi = f(lo), f(hi)
    if flo == 0:
        return lo
    if fhi == 0:
        return hi
    if (flo > 0) == (fhi > 0):
        return None
    from scipy.optimize import brentq   # imported here: it costs ~0.3 s at CLI start-up

    return brentq(f, lo, hi, xtol=1e-12, maxiter=500)


def _gain_with(inputs, vendor, **changes):
    what_if = with_inputs(inputs, 0, vendors=[vendor], **changes)
    return float(steady_net_gain(what_if.practice, what_if.inhouse.savings,
                                 what_if.vendors[0]).net_gain)


def min_uplift(inputs, vendor):
    return _root(lambda u: _gain_with(inputs, vendor, uplift=u), *UPLIFT_RANGE)


def max_rate(inputs, vendor):
    if not has_rate(vendor.pricing):
        return None
    return _root(lambda r: _gain_with(inputs, vendor, rate=r), *RATE_RANGE)


def breakeven_collections(inputs, vendor):
    c0 = float(inputs.practice.collections)
    return _root(lambda c: _gain_with(inputs, vendor, collections=c, uplift=0.0), 0.0, 100 * c0)


def breakeven(inputs, vendor) -> dict:
    return {"min_uplift": min_uplift(inputs, vendor), "max_rate": max_rate(inputs, vendor),
            "breakeven_collections": breakeven_collections(inputs, vendor)}


def gain_at_uplift(inputs, vendor, uplift: float) -> float:
    """Steady-state net gain of ``vendor`` were collections to change by ``uplift``.

    The decision's range (net gain at the quoted, the SLA-implied and zero uplift) reads
    this, so that every figure comes from the one net-gain formula.
    """
    return _gain_with(inputs, vendor, uplift=float(uplift))


# The "price" axis is a quote's own price, whatever its model (the registry's ``price``):
# a fee rate, a fee per claim, or an effective rate, as each pricing model says
# (:meth:`rcmmodel.pricing.PricingModel.price_of`). Every quote has one, so a chart of it is
# always the vendor asked for.
def _c1(inputs, k: int) -> float:
    return float(inputs.practice.collections) * (1 + float(inputs.vendors[k].uplift))


def price_of(inputs, k: int) -> float:
    """Vendor k's price on the "price" axis."""
    p = inputs.vendors[k].pricing
    return pricing_model(p).price_of(p, _c1(inputs, k))


def price_changes(inputs, k: int, value) -> dict:
    """The :func:`~rcmmodel.model.inputs.with_inputs` changes that set vendor k's price to
    ``value`` (a float or an array)."""
    p = inputs.vendors[k].pricing
    return pricing_model(p).price_changes(p, value, _c1(inputs, k))


@dataclass(frozen=True)
class GainCurve:
    """Steady-state net gain of one vendor as one input varies, for a chart to draw."""

    vendor: str
    index: int                  # the vendor's place in the evaluation (its colour)
    axis: str                   # "rate", "price" or "uplift"
    values: np.ndarray
    net_gain: np.ndarray
    breakeven: float | None     # where net gain is 0: the max rate/price or the min uplift
    pricing_model: str = ""     # the vendor's (registry key): what its "price" axis is
    quote: float | None = None  # the quote's own value on the axis
    dollars: bool = False       # the axis is in dollars (a fee per claim), not a rate


def gain_curve(result, vendor_name: str | None = None, axis: str = "rate",
               points: int = 41, planning: bool = False) -> GainCurve:
    """Net gain of one vendor of an evaluation over a range of its fee rate, its price
    (any pricing model: the registry's ``price``) or its uplift.

    The rate (or a rate-like price) runs from 0 to the larger of 20% and 1.5 x the quote's,
    a fee per claim from 0 to 2.5 x the quote's, widened to show the break-even point; the
    uplift from 10 points below the quote (at most -10%) to 10 points above (at least 30%).
    The vendor is ``vendor_name``, by default the best (else the first). ``planning``: the
    other inputs as the decision plans them (the uplift at ``u_plan`` where the practice's
    claims cap the quote), so that the curve passes through the net gain the decision
    reports; by default the quote as written.
    """
    v = result.vendor(vendor_name) if vendor_name else (result.best or result.vendors[0])
    k = [x.name for x in result.vendors].index(v.name)
    inputs = result.inputs
    capped = planning and v.planned is not None and v.planned.capped
    if capped:
        inputs = with_inputs(inputs, k, uplift=v.planned.uplift)
    spec = inputs.vendors[k]
    dollars = False
    if axis == "rate":
        if not has_rate(spec.pricing):
            raise ValueError(f"{v.name}: its pricing has no fee rate to vary")
        quote = float(spec.pricing.rate)
        values = np.linspace(0.0, max(0.20, 1.5 * quote), points)
        mark = max_rate(inputs, spec) if capped else v.breakeven["max_rate"]
        changes = {"rate": values}
    elif axis == "price":
        quote = price_of(inputs, k)
        dollars = pricing_model(spec.pricing).price_in_dollars
        high = 2.5 * quote if dollars else max(0.20, 1.5 * quote)
        f = lambda x: float(steady_net_gain(*_year(inputs, k, x)).net_gain)
        mark = _root(f, 0.0, 4 * high)
        if mark is not None:              # keep the break-even point on the chart
            high = max(high, 1.15 * mark)
        values = np.linspace(0.0, high, points)
        changes = price_changes(inputs, k, values)
    elif axis == "uplift":
        quote = u = float(spec.uplift)
        values = np.linspace(min(-0.10, u - 0.10), max(0.30, u + 0.10), points)
        mark = v.breakeven["min_uplift"]
        changes = {"uplift": values}
    else:
        raise ValueError(f"unknown axis {axis!r}; use rate, price or uplift")
    what_if = with_inputs(inputs, k, **changes)
    gains = steady_net_gain(what_if.practice, what_if.inhouse.savings, what_if.vendors[k]).net_gain
    return GainCurve(vendor=v.name, index=k, axis=axis, values=values,
                     net_gain=np.broadcast_to(np.asarray(gains, dtype=float), values.shape),
                     breakeven=mark, pricing_model=spec.pricing.model, quote=quote,
                     dollars=dollars)


def _year(inputs, k: int, price):
    what_if = with_inputs(inputs, k, **price_changes(inputs, k, price))
    return what_if.practice, what_if.inhouse.savings, what_if.vendors[k]
