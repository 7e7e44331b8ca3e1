"""The practice owner's app (``rcm app``) and the panels consultants use in JupyterLab.

:class:`OwnerApp` is the app: four steps (your practice, quotes, decision, take it home)
over one shared scenario. The calculator, quote comparison and claims review panels are
the worked notebooks' tools. All widget logic lives here so the notebooks in
``notebooks/`` stay a few cells long. This is the delivery layer: it imports ipywidgets
and altair; the model never imports it.
"""
from .calculator import Calculator
from .claims import ClaimsReview
from .compare import CompareQuotes
from .workflow import OwnerApp
from ..paths import example_scenarios, notebooks_dir, scenarios_dir

__all__ = ["Calculator", "ClaimsReview", "CompareQuotes", "OwnerApp", "example_scenarios",
           "notebooks_dir", "scenarios_dir"]
