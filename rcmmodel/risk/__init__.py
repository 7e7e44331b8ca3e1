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


def __getattr__(name):
    if name in _WHERE:
        from importlib import import_module
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(__all__)
