"""Runs *inside* a warm report kernel: import the heavy libraries once, then put the kernel
back to that state between reports, so one practice's report leaves nothing for the next.

A report template is a pure function of its parameters only if everything it can touch is
reset: the user namespace and output history (IPython's reset), the warnings filters and
their once-per-location registries (a warning shown for practice A must show again for B),
and the working directory and environment. (altair names views by a hash of their content,
not by a counter, so charts need nothing.) Modules stay imported; that is the point of a
warm kernel, and the library keeps no per-report state in them.
"""
from __future__ import annotations

import gc
import os
import sys
import warnings

#: Imported once per kernel: what a report needs, so the first report pays for them.
WARM_MODULES = ("numpy", "pandas", "scipy.optimize", "altair", "vl_convert", "IPython.display",
                "rcmmodel.reports.sections", "rcmmodel.reports.proposal",
                "rcmmodel.reports.claims_review")

_baseline: dict = {}


def prelude() -> None:
    """Import the report libraries and remember the clean state :func:`reset` returns to."""
    import importlib

    for name in WARM_MODULES:
        importlib.import_module(name)
    _baseline.update(filters=list(warnings.filters), cwd=os.getcwd(), environ=dict(os.environ))


def reset() -> None:
    """Return the kernel to the state :func:`prelude` recorded."""
    from IPython import get_ipython

    ip = get_ipython()
    ip.reset(new_session=False)     # user namespace, Out/_ caches, %who state
    ip.execution_count = 1
    warnings.filters[:] = _baseline.get("filters", warnings.filters)
    warnings._filters_mutated()     # forget which warnings were already shown
    for module in list(sys.modules.values()):
        registry = getattr(module, "__warningregistry__", None)
        if isinstance(registry, dict):
            registry.clear()
    if "cwd" in _baseline and os.getcwd() != _baseline["cwd"]:
        os.chdir(_baseline["cwd"])
    if "environ" in _baseline and dict(os.environ) != _baseline["environ"]:
        os.environ.clear()
        os.environ.update(_baseline["environ"])
    # What survives a reset (modules, their caches, IPython) is frozen out of the garbage
    # collector's sight: each full collection (IPython's reset runs one, the template's
    # allocations trigger more) then walks only what later reports make, not the ~340,000
    # objects of pandas, altair and the library (0.33 s of CPU a report otherwise).
    gc.collect()
    gc.freeze()
