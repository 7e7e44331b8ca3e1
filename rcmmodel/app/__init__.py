"""The interactive app: calculator, quote comparison and claims review panels.

All widget logic lives here so the notebooks in ``notebooks/`` stay a few cells long and
``rcm app`` (Voila) and JupyterLab show the same thing. This is the delivery layer: it
imports ipywidgets and altair; the model never imports it.
"""
from .calculator import Calculator
from .claims import ClaimsReview
from .compare import CompareQuotes
from ..paths import example_scenarios, notebooks_dir, scenarios_dir

__all__ = ["Calculator", "ClaimsReview", "CompareQuotes", "example_scenarios", "notebooks_dir",
           "scenarios_dir"]
