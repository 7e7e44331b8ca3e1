"""The pricing models a vendor may quote: one module each, found here by the registry.

Every module of this package other than :mod:`.base` defines one
:class:`~rcmmodel.pricing.base.PricingModel` and registers it; importing the package imports
them all, so adding a pricing model is adding a module (docs/architecture.md, "Adding a
pricing model"). Nothing outside this package names a model: everything iterates
:data:`PRICING_MODELS`.

Examples
--------
>>> [m.key for m in PRICING_MODELS.values() if m.has_rate][:1]
['percentage']
>>> pricing_model("percentage").names
('rate', 'base')
"""
from __future__ import annotations

import importlib
import pkgutil
from importlib import metadata

from .base import (PRICING_MODELS, FeeStep, Need, PriceField, PricingIn, PricingModel,
                   field_users, has_rate, monthly_service_fee, price_fields, pricing_label,
                   pricing_model, rate_field, register, service_fee, unregister)

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base" and not _module.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_module.name}")
# A package of its own may add a model too, through the ``rcmmodel.pricing`` entry point
# group (its module registers the model when loaded), as pluggy-style plugins do.
for _entry in metadata.entry_points(group="rcmmodel.pricing"):
    _entry.load()

__all__ = ["FeeStep", "Need", "PRICING_MODELS", "PriceField", "PricingIn", "PricingModel",
           "field_users", "has_rate", "monthly_service_fee", "price_fields", "pricing_label",
           "pricing_model", "rate_field", "register", "service_fee", "unregister"]
