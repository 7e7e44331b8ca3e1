"""What could go otherwise: Monte Carlo, tornado and break-even maps, growth capacity.

Exports load on first use (the CLI reads the defaults below without importing pandas/scipy).
"""
DEFAULT_DRAWS = 10_000
DEFAULT_SEED = 12345

_WHERE = {
    "simulate": "uncertainty", "Simulation": "uncertainty",
    "tornado": "sensitivity", "breakeven_map": "sensitivity",
    "CapacityResult": "capacity",
}
__all__ = ["DEFAULT_DRAWS", "DEFAULT_SEED", *sorted(_WHERE)]

from .._lazy import lazy_exports  # noqa: E402

__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
