"""Net gain, ROI and the steady-state year per vendor
(docs/methodology.md §3 Net gain, ROI and break-even), vectorized.

    uplift_amount = C0 * u            C1 = C0 + uplift_amount
    vendor_cost   = service_fee + recurring_extras
    net_gain      = uplift_amount + inhouse_savings - vendor_cost
    roi           = net_gain / vendor_cost
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .pricing import one_time_fees, recurring_extras, service_fee
from .timeline import monthly_flows, npv, payback_month


def net_gain(uplift_amount, inhouse_savings, vendor_cost):
    """The guide's formula: uplift plus in-house savings less what the vendor costs.

    Examples
    --------
    >>> net_gain(50000, 40000, 38500)
    51500
    """
    return uplift_amount + inhouse_savings - vendor_cost


def roi(gain, vendor_cost):
    """Net gain per dollar paid to the vendor; NaN where the vendor costs nothing."""
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(np.asarray(vendor_cost) != 0, np.asarray(gain, dtype=float)
                       / np.where(np.asarray(vendor_cost) != 0, vendor_cost, 1.0), np.nan)
    return out if out.ndim else float(out)


def cost_to_collect(cost, collections):
    """What each dollar collected costs to collect (HFMA MAP key): cost / collections; None
    where nothing is collected (docs/methodology.md §3, "Cost to collect").

    Examples
    --------
    >>> cost_to_collect(40000, 500000)             # in-house: inhouse_tco / C0
    0.08
    >>> cost_to_collect(38500 + 0, 550000)         # a vendor: (vendor_cost + residual) / C1
    0.07
    """
    collections = float(collections)
    return float(cost) / collections if collections > 0 else None


def ar_cash_release(baseline_dar, sla_dar, collections):
    """One-time cash freed by a lower days-in-A/R: (baseline - sla) * C0 / 365; None if unknown."""
    if baseline_dar is None or sla_dar is None:
        return None
    return max(0.0, (baseline_dar - sla_dar)) * collections / 365.0


def sla_implied_uplift(sla_net_collection_rate, baseline_net_collection_rate):
    """The uplift a vendor's SLA implies: SLA NCR / baseline NCR - 1 (None if unknown).

    Shown beside a quoted uplift so an inflated promise stands out.

    Examples
    --------
    >>> round(sla_implied_uplift(0.96, 0.80), 4)
    0.2
    """
    if sla_net_collection_rate is None or not baseline_net_collection_rate:
        return None
    return sla_net_collection_rate / baseline_net_collection_rate - 1.0


@dataclass
class VendorFigures:
    """One vendor's steady-state year and timeline; each field a float or an array of draws."""

    name: str
    uplift_amount: Any
    collections: Any
    service_fee: Any
    recurring_extras: Any
    vendor_cost: Any
    one_time: Any
    inhouse_savings: Any
    net_gain: Any
    roi: Any
    npv: Any
    payback_month: Any       # 0 where it never pays back
    total: Any
    months: tuple | None     # (uplift, savings, vendor, net), each (..., horizon)


@dataclass(frozen=True)
class SteadyYear:
    """A vendor's steady-state year (docs/methodology.md §3); each field a float or an
    array of draws."""

    uplift_amount: Any       # C0 x uplift
    collections: Any         # C1 = C0 + uplift_amount
    service_fee: Any         # the pricing model's fee on C1, after the monthly minimum
    recurring_extras: Any    # statements, per-provider fees, other yearly extras
    vendor_cost: Any         # service_fee + recurring_extras
    net_gain: Any            # uplift_amount + in-house savings - vendor_cost


def steady_net_gain(practice, savings, vendor) -> SteadyYear:
    """A vendor's steady-state year: what it adds, what it costs, and the net gain.

    Examples
    --------
    >>> from rcmmodel.model.inputs import PracticeIn, PricingIn, VendorIn
    >>> practice = PracticeIn(500000, None, 400, 0, 1, None)
    >>> quote = VendorIn("Guide", PricingIn("percentage", rate=0.07), 0.10, 0, 0, 0, 0, 0, {}, None)
    >>> year = steady_net_gain(practice, 40000, quote)
    >>> round(year.vendor_cost, 2), round(year.net_gain, 2)
    (38500.0, 51500.0)
    """
    uplift_amount = practice.collections * vendor.uplift
    c1 = practice.collections + uplift_amount
    fee = service_fee(vendor.pricing, c1, practice.charges, practice.claims_per_month,
                      vendor.monthly_minimum)
    extras = recurring_extras(vendor.per_statement, practice.statements_per_month,
                              vendor.per_provider_monthly, practice.providers, vendor.other_annual)
    cost = fee + extras
    return SteadyYear(uplift_amount=uplift_amount, collections=c1, service_fee=fee,
                      recurring_extras=extras, vendor_cost=cost,
                      net_gain=net_gain(uplift_amount, savings, cost))


def vendor_figures(inputs, vendor, with_months: bool = True) -> VendorFigures:
    """Evaluate one vendor on resolved :class:`~rcmmodel.model.inputs.Inputs`.

    Every input may be a float or an array of draws; figures come back alike, and the
    timeline's monthly arrays have the months on the last axis.
    """
    p, t = inputs.practice, inputs.timeline
    savings = inputs.inhouse.savings
    year = steady_net_gain(p, savings, vendor)
    once = one_time_fees(vendor.setup, vendor.credentialing_per_provider, p.providers)
    flows = monthly_flows(p, savings, vendor, t, year.recurring_extras, once)
    net_m = flows[3]
    return VendorFigures(
        name=vendor.name, uplift_amount=year.uplift_amount, collections=year.collections,
        service_fee=year.service_fee, recurring_extras=year.recurring_extras,
        vendor_cost=year.vendor_cost, one_time=once, inhouse_savings=savings,
        net_gain=year.net_gain, roi=roi(year.net_gain, year.vendor_cost),
        npv=npv(t.discount_rate, net_m),
        payback_month=payback_month(net_m), total=net_m.sum(axis=-1),
        months=flows if with_months else None)
