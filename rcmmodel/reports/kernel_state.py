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
import logging
import os
import sys
import warnings

#: Imported once per kernel: what a report needs, so the first report pays for them.
WARM_MODULES = ("numpy", "pandas", "scipy.optimize", "altair", "vl_convert", "IPython.display",
                "rcmmodel.reports.sections", "rcmmodel.reports.proposal",
                "rcmmodel.reports.claims_review")

#: Drawn once as the kernel starts: a chart with text (a title, axes, a legend), so that
#: vl-convert starts its JavaScript engine and loads its fonts.
FIRST_CHART = {"data": {"values": [{"k": "a", "v": 1}, {"k": "b", "v": 2}]}, "mark": "bar",
               "title": "rcmmodel", "encoding": {"x": {"field": "k", "type": "nominal"},
                                                 "y": {"field": "v", "type": "quantitative"},
                                                 "color": {"field": "k", "type": "nominal"}}}

_baseline: dict = {}
_engine: list = []                # the thread that started vl-convert, once started
log = logging.getLogger(__name__)


def prelude() -> None:
    """Import the report libraries and remember the clean state :func:`reset` returns to.

    Meanwhile a thread draws :data:`FIRST_CHART`: vl-convert's first chart in a process
    starts its engine (~0.6 s), in Rust, without holding Python's GIL, so it runs beside
    the imports instead of in the report's first chart.
    """
    import importlib
    import threading

    if not _engine:                   # once per process (the prelude may run again)
        # not a daemon: a process that ends at once waits for it rather than leaving
        # Rust mid-call to interpreter teardown
        _engine.append(threading.Thread(target=start_chart_engine, name="rcm-chart-engine"))
        _engine[0].start()
    for name in WARM_MODULES:
        importlib.import_module(name)
    _baseline.update(filters=list(warnings.filters), cwd=os.getcwd(), environ=dict(os.environ))


def start_chart_engine() -> None:
    """Draw :data:`FIRST_CHART` with vl-convert and throw it away. Should it fail, it is
    logged, and the report's first chart starts the engine itself (or says what is wrong)."""
    try:
        import vl_convert

        vl_convert.vegalite_to_svg(FIRST_CHART)
    except Exception as exc:     # a warm-up only: the report itself reports real failures
        log.warning("vl-convert did not start ahead of the report (%s: %s)",
                    type(exc).__name__, exc)


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
