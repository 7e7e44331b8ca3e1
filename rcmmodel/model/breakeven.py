"""Break-even points per vendor (SPEC 4), solved with scipy's brentq.

- ``min_uplift``: the uplift at which net gain is 0, searched in [-0.99, 10];
- ``max_rate``: for percentage and hybrid pricing, the fee rate at which net gain is 0;
- ``breakeven_collections``: the C0 at which vendor cost equals in-house savings with no
  uplift (the crossover above which in-house is cheaper), searched in [0, 100 x C0].

None where no root lies in the range.
"""
from __future__ import annotations

import copy

from .gain import steady_net_gain

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
    inputs = copy.copy(inputs)
    vendor = copy.copy(vendor)
    if "collections" in changes:
        inputs.practice = copy.copy(inputs.practice)
        inputs.practice.collections = changes.pop("collections")
    if "rate" in changes:
        vendor.pricing = copy.copy(vendor.pricing)
        vendor.pricing.rate = changes.pop("rate")
    for k, v in changes.items():
        setattr(vendor, k, v)
    return float(steady_net_gain(inputs.practice, inputs.inhouse.savings, vendor)[-1])


def min_uplift(inputs, vendor):
    return _root(lambda u: _gain_with(inputs, vendor, uplift=u), *UPLIFT_RANGE)


def max_rate(inputs, vendor):
    if vendor.pricing.model not in ("percentage", "hybrid"):
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
