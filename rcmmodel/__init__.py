"""rcmmodel: should a small medical practice outsource its billing, to whom, on what terms?

>>> import rcmmodel
>>> result = rcmmodel.evaluate(rcmmodel.load_scenario("scenarios/guide-example.yaml"))  # doctest: +SKIP
>>> result.to_dict()["vendors"][0]["annual"]["net_gain"]                                 # doctest: +SKIP
51500.0
"""
from .errors import Problem, RcmInputError
from .evaluate import Evaluation, evaluate
from .scenario import Scenario, load_scenario, parse_scenario

__version__ = "0.1.0"

__all__ = ["Evaluation", "Problem", "RcmInputError", "Scenario", "evaluate", "load_scenario",
           "parse_scenario", "__version__"]
