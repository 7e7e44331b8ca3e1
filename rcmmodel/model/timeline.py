"""The monthly timeline of outsourcing vs. staying in-house
(docs/methodology.md §4 Month by month).

    ramp_m        = min(1, m / (ramp_days / 30))       (ramp_days = 0: full effect at once)
    overlap_m     = min(1, max(0, parallel_run_days / 30 - (m - 1)))
    uplift_m      = C0 / 12 * u * ramp_m
    savings_m     = inhouse_savings / 12 * (1 - overlap_m)
    vendor_m      = max(fee on collections_m, monthly_minimum) + recurring_extras / 12
                    (+ one_time in month 1)
    net_m         = uplift_m + savings_m - vendor_m

Inputs broadcast: scalars give arrays of shape (months,), arrays of shape (n,) give (n, months).
"""
from __future__ import annotations


import numpy as np

from ..pricing import pricing_model
from .pricing import monthly_service_fee


def _col(x):
    """A value as a column, so per-draw arrays broadcast against the months axis."""
    x = np.asarray(x, dtype=float)
    return x[..., None]


def _col_pricing(pricing):
    """The pricing with its numbers as columns: a fee rate drawn per draw must broadcast
    against the (draws, months) collections, not against the months axis."""
    columns = {}
    for f in pricing_model(pricing).fields:
        if f.numeric:
            columns[f.name] = _col(getattr(pricing, f.name))
        elif f.kind == "tiers":
            columns[f.name] = [(up_to, _col(rate)) for up_to, rate in getattr(pricing, f.name)]
    return pricing.replace(**columns)


def ramp(months, ramp_days):
    m = np.asarray(months, dtype=float)
    rd = _col(ramp_days)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r = np.where(rd > 0, np.minimum(1.0, m * 30.0 / np.where(rd > 0, rd, 1.0)), 1.0)
    return r


def overlap(months, parallel_run_days):
    m = np.asarray(months, dtype=float)
    return np.minimum(1.0, np.maximum(0.0, _col(parallel_run_days) / 30.0 - (m - 1)))


def monthly_rate(discount_rate):
    """The monthly rate equivalent to a yearly ``discount_rate``: (1 + r)^(1/12) - 1."""
    return (1.0 + np.asarray(discount_rate, dtype=float)) ** (1.0 / 12.0) - 1.0


def npv(discount_rate, net):
    """Present value of monthly flows ``net[..., m-1]`` discounted at month m (end of month).

    Examples
    --------
    >>> round(float(npv(0.0, [100.0, 100.0])), 2)
    200.0
    """
    net = np.asarray(net, dtype=float)
    i = _col(monthly_rate(discount_rate))
    m = np.arange(1, net.shape[-1] + 1)
    out = (net / (1.0 + i) ** m).sum(axis=-1)
    return out if out.ndim else float(out)


def payback_month(net):
    """First month (1-based) where the cumulative net is >= 0; 0 where never (vectorized).

    Examples
    --------
    >>> int(payback_month([-100.0, 50.0, 60.0]))
    3
    """
    cum = np.cumsum(np.asarray(net, dtype=float), axis=-1)
    ok = cum >= -1e-9          # a cumulative sum that lands on 0 to the cent counts as paid back
    first = np.argmax(ok, axis=-1) + 1
    return np.where(ok.any(axis=-1), first, 0)


def monthly_flows(practice, savings, vendor, timeline, extras, one_time):
    """The timeline's components, each shaped (..., months): uplift, savings, vendor, net."""
    months = np.arange(1, timeline.horizon_months + 1)
    c0 = _col(practice.collections)
    u = _col(vendor.uplift)
    r = ramp(months, timeline.ramp_days)
    uplift_m = c0 / 12.0 * u * r
    collections_m = c0 / 12.0 + uplift_m
    charges = None if practice.charges is None else _col(practice.charges)
    fee_m = monthly_service_fee(_col_pricing(vendor.pricing), collections_m, charges,
                                _col(practice.claims_per_month))
    vendor_m = np.maximum(fee_m, _col(vendor.monthly_minimum)) + _col(extras) / 12.0
    first = np.zeros(timeline.horizon_months)
    first[0] = 1.0
    vendor_m = vendor_m + _col(one_time) * first
    savings_m = _col(savings) / 12.0 * (1.0 - overlap(months, timeline.parallel_run_days))
    savings_m = np.broadcast_to(savings_m, np.broadcast_shapes(savings_m.shape, vendor_m.shape))
    uplift_m = np.broadcast_to(uplift_m, vendor_m.shape)
    net_m = uplift_m + savings_m - vendor_m
    return uplift_m, savings_m, vendor_m, net_m
