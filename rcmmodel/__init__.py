"""rcmmodel: should a small medical practice outsource its billing, to whom, on what terms?

The facade: the few names most users need. The layers below it, lowest first, are
``scenario`` (file -> validated model) and beside it ``claims`` (ledgers, 835/837, KPIs),
``model`` (the exact formulas, and :func:`measure_claims`, which joins the two), ``risk``
and ``vendors``, ``present`` (charts, words), and the delivery layers ``reports``, ``app``
and ``cli``.

>>> import rcmmodel
>>> result = rcmmodel.evaluate(rcmmodel.load_scenario("scenarios/guide-example.yaml"))  # doctest: +SKIP
>>> result.to_dict()["vendors"][0]["annual"]["net_gain"]                                 # doctest: +SKIP
51500.0

A scenario that lists ``practice.claims_files`` is measured in a second, explicit step:
``rcmmodel.scenario_with_claims(rcmmodel.load_scenario(path))``.
"""
import sys as _sys

# altair's jsonschema imports rfc3987_syntax if present, compiling a grammar for ~1-2 s, only to
# check IRI formats none of our schemas use; a None entry reads as "not installed". Set before
# anything imports altair: reports, the app and every chart start that much faster.
_sys.modules.setdefault("rfc3987_syntax", None)

from .errors import Problem, RcmInputError  # noqa: E402

__version__ = "0.1.0"

_WHERE = {
    "Scenario": "scenario", "load_scenario": "scenario", "parse_scenario": "scenario",
    "Evaluation": "model", "evaluate": "model",
    "MeasuredClaims": "model.measure", "measure_claims": "model.measure",
    "scenario_with_claims": "model.measure",
    "simulate": "risk", "compare": "vendors", "decide": "vendors",
    "whatif": "vendors.whatif", "WhatIf": "vendors.whatif",
    "load_claims": "claims", "summarize": "claims",
}
__all__ = ["Problem", "RcmInputError", "__version__", *sorted(_WHERE)]

from ._lazy import lazy_exports  # noqa: E402

__getattr__, __dir__ = lazy_exports(__name__, _WHERE)
