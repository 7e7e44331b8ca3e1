"""Vendor pricing in the model: the service fee of each quote (by its pricing model, from
the registry in :mod:`rcmmodel.pricing`), the extras billed beside it, the one-time fees.

Every function takes floats or numpy arrays alike (one scenario or a million draws).
"""
from __future__ import annotations

from ..pricing import monthly_service_fee, service_fee  # noqa: F401  (the model's door)


def recurring_extras(per_statement=0.0, statements_per_month=0.0, per_provider_monthly=0.0,
                     providers=1, other_annual=None):
    """Yearly extras billed beside the service fee."""
    return (per_statement * statements_per_month * 12 + per_provider_monthly * providers * 12
            + sum((other_annual or {}).values()))


def one_time_fees(setup=0.0, credentialing_per_provider=0.0, providers=1):
    """One-time fees, charged in month 1."""
    return setup + credentialing_per_provider * providers
