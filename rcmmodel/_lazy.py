"""Package doors that load their exports on first use (PEP 562), so importing a light module
of a package, or running ``rcm --help``, does not pull in pandas, scipy or altair."""
from __future__ import annotations

from importlib import import_module


def lazy_exports(package: str, where: dict[str, str]):
    """``(__getattr__, __dir__)`` for ``package``: name -> the submodule (relative) defining it."""

    def __getattr__(name):
        if name in where:
            return getattr(import_module(f".{where[name]}", package), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__():
        return sorted(set(where) | set(import_module(package).__dict__))

    return __getattr__, __dir__
