"""rcmmodel: should a small medical practice outsource its billing, to whom, on what terms?

>>> import rcmmodel
>>> result = rcmmodel.evaluate(rcmmodel.load_scenario("scenarios/guide-example.yaml"))  # doctest: +SKIP
>>> result.to_dict()["vendors"][0]["annual"]["net_gain"]                                 # doctest: +SKIP
51500.0
"""
import sys as _sys

# altair's jsonschema imports rfc3987_syntax if present, compiling a grammar for ~1-2 s, only to
# check IRI formats none of our schemas use; a None entry reads as "not installed". Set before
# anything imports altair: reports, the app and every chart start that much faster.
_sys.modules.setdefault("rfc3987_syntax", None)

from .errors import Problem, RcmInputError  # noqa: E402
from .evaluate import Evaluation, evaluate  # noqa: E402
from .scenario import Scenario, load_scenario, parse_scenario  # noqa: E402

__version__ = "0.1.0"

__all__ = ["Evaluation", "Problem", "RcmInputError", "Scenario", "evaluate", "load_scenario",
           "parse_scenario", "__version__"]
