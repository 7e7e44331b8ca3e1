"""The scenario file: schema, distributions, quotes sheets, and the loader.

File -> validated model. Only :mod:`.load` opens files (the scenario and its quotes sheet; the
claims files are measured later, by :func:`rcmmodel.measure_claims`); everything else here
validates data already in memory."""
from .schema import SCHEMA, Scenario, Vendor, Weights
from .distributions import Dist, central, parse_dist
from .load import load_scenario, parse_scenario
from .quotes import read_quotes
from ..pricing import PRICING_MODELS, pricing_label

__all__ = [
    'Dist',
    'PRICING_MODELS',
    'SCHEMA',
    'Scenario',
    'Vendor',
    'Weights',
    'central',
    'load_scenario',
    'parse_dist',
    'parse_scenario',
    'pricing_label',
    'read_quotes',
]
