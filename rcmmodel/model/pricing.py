"""Vendor pricing (docs/methodology.md §2): the fee of each pricing model, the monthly
minimum, the extras.

Every function takes floats or numpy arrays alike (one scenario or a million draws). The
models themselves (their fields, labels, needs) are declared in
:mod:`rcmmodel.scenario.pricing_models`; :data:`MONTHLY_FEES` holds the fee of each, under
the same key.

    percentage   rate * C1                 (base: charges -> rate * annual_charges)
    per_claim    fee * claims_per_month * 12
    hybrid       monthly_base * 12 + rate * C1
    tiered       marginal: each tier's rate applies to the part of C1 inside that tier
"""
from __future__ import annotations

import numpy as np

from ..scenario.pricing_models import PRICING_MODELS


def tiered_fee(amount, tiers):
    """Marginal banded fee on a yearly ``amount``; ``tiers`` is ``[(up_to or None, rate), ...]``.

    Examples
    --------
    >>> float(tiered_fee(600000, [(250000, 0.06), (500000, 0.05), (None, 0.04)]))
    31500.0
    """
    amount = np.asarray(amount, dtype=float)
    fee = np.zeros_like(amount)
    lower = 0.0
    for up_to, rate in tiers:
        upper = np.inf if up_to is None else up_to
        fee = fee + rate * np.clip(amount - lower, 0.0, upper - lower)
        lower = upper
    return fee if fee.ndim else float(fee)


# Each takes (pricing, the month's collections, yearly charges, claims a month) and returns
# that month's fee; ``0 * collections_month`` keeps a fee that ignores collections the shape
# of the draws it is evaluated on.
def _percentage(p, collections_month, charges_annual, claims_per_month):
    if p.base == "charges":
        return p.rate * charges_annual / 12 + 0 * collections_month
    return p.rate * collections_month


def _per_claim(p, collections_month, charges_annual, claims_per_month):
    return p.fee * claims_per_month + 0 * collections_month


def _hybrid(p, collections_month, charges_annual, claims_per_month):
    return p.monthly_base + p.rate * collections_month


def _tiered(p, collections_month, charges_annual, claims_per_month):
    # tiers are yearly bands: the month's fee is the yearly fee on 12 x its collections, / 12
    return tiered_fee(12 * collections_month, p.tiers) / 12


MONTHLY_FEES = {"percentage": _percentage, "per_claim": _per_claim, "hybrid": _hybrid,
                "tiered": _tiered}
if set(MONTHLY_FEES) != set(PRICING_MODELS):   # a registry entry without a fee, or the reverse
    raise ImportError("rcmmodel.model.pricing.MONTHLY_FEES and scenario.pricing_models."
                      f"PRICING_MODELS disagree: {sorted(set(MONTHLY_FEES) ^ set(PRICING_MODELS))}")


def monthly_service_fee(pricing, collections_month, charges_annual=None, claims_per_month=0.0):
    """The service fee for one month before the minimum.

    ``collections_month`` is that month's collections; a charges-based percentage uses a
    twelfth of the yearly charges; tiers are yearly bands, so a month's tiered fee is the
    yearly fee on 12 x the month's collections, divided by 12.
    """
    fee = MONTHLY_FEES.get(pricing.model)
    if fee is None:
        raise ValueError(f"unknown pricing model {pricing.model!r}")
    return fee(pricing, collections_month, charges_annual, claims_per_month)


def service_fee(pricing, collections, charges=None, claims_per_month=0.0, monthly_minimum=0.0):
    """The yearly service fee on a steady-state year of ``collections`` (C1).

    Each month's fee is max(the month's fee, monthly_minimum); in the steady state every
    month is a twelfth of the year.

    Examples
    --------
    >>> from rcmmodel.model.inputs import PricingIn
    >>> round(service_fee(PricingIn("percentage", rate=0.07), 550000), 2)
    38500.0
    """
    month = monthly_service_fee(pricing, np.asarray(collections, dtype=float) / 12, charges,
                                claims_per_month)
    fee = 12 * np.maximum(month, monthly_minimum)
    return fee if np.ndim(fee) else float(fee)


def recurring_extras(per_statement=0.0, statements_per_month=0.0, per_provider_monthly=0.0,
                     providers=1, other_annual=None):
    """Yearly extras billed beside the service fee."""
    return (per_statement * statements_per_month * 12 + per_provider_monthly * providers * 12
            + sum((other_annual or {}).values()))


def one_time_fees(setup=0.0, credentialing_per_provider=0.0, providers=1):
    """One-time fees, charged in month 1."""
    return setup + credentialing_per_provider * providers
