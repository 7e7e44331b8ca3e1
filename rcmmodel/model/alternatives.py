"""Fixing billing in-house instead (docs/methodology.md §6, "Fixing billing in-house
instead"): the figures of each of a scenario's ``alternatives``.

An alternative keeps billing in the practice but changes it (a certified coder, a
denial-management service, better software). Its uplift is planned and capped by the
practice's claims by the one rule every vendor's is (:func:`rcmmodel.model.planning.
planned_uplift`), and nothing is saved in-house and no vendor is paid, so

    net_gain = C0 * u_plan - annual_cost

Month by month it ramps like a vendor's uplift, its one-time cost falls in month 1 and
there is no parallel run:

    net_m = C0 / 12 * u_plan * ramp_m - annual_cost / 12   (- one_time in month 1)

NPV and payback are the timeline's (:func:`rcmmodel.model.timeline.npv`,
:func:`~rcmmodel.model.timeline.payback_month`). Every function takes floats or arrays of
draws alike (the Monte Carlo draws an alternative's uplift as it draws a vendor's).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .._json import cents, number
from ..scenario.distributions import central
from .planning import PlannedUplift, planned_uplift
from .timeline import npv, payback_month, ramp


@dataclass
class AlternativeIn:
    """One alternative's numbers, each picked like every input (a float, or draws)."""

    name: str
    annual_cost: Any
    one_time: Any
    uplift: Any


def alternative_inputs(scenario, pick=None) -> list[AlternativeIn]:
    """The scenario's alternatives as numbers; ``pick(path, value)`` chooses each (default:
    a distribution's central value), as :func:`rcmmodel.model.inputs.scenario_inputs` does."""
    pick = pick or (lambda path, value: central(value))
    return [AlternativeIn(name=a.name,
                          annual_cost=pick(f"alternatives[{i}].annual_cost", a.annual_cost),
                          one_time=pick(f"alternatives[{i}].one_time", a.one_time),
                          uplift=pick(f"alternatives[{i}].uplift", a.uplift))
            for i, a in enumerate(scenario.alternatives)]


def alternative_gain(collections, uplift, annual_cost):
    """The steady-state year: ``C0 * u - annual_cost``.

    >>> alternative_gain(500000, 0.06, 12000)
    18000.0
    """
    out = (np.asarray(collections, dtype=float) * np.asarray(uplift, dtype=float)
           - np.asarray(annual_cost, dtype=float))
    return out if out.ndim else float(out)


def alternative_months(collections, uplift, annual_cost, one_time, timeline):
    """Net flow of each month (shape (..., months)): the uplift ramping up, less the cost.

    >>> from types import SimpleNamespace as NS
    >>> t = NS(horizon_months=3, ramp_days=60)
    >>> alternative_months(120000, 0.10, 1200, 500, t).tolist()
    [-100.0, 900.0, 900.0]
    """
    months = np.arange(1, timeline.horizon_months + 1)
    col = lambda x: np.asarray(x, dtype=float)[..., None]       # noqa: E731
    uplift_m = col(collections) / 12.0 * col(uplift) * ramp(months, timeline.ramp_days)
    first = (months == 1).astype(float)
    return uplift_m - col(annual_cost) / 12.0 - col(one_time) * first


@dataclass
class AlternativeResult:
    """One alternative's figures at its planning uplift."""

    name: str
    annual_cost: float
    one_time: float
    planned: PlannedUplift
    net_gain: float
    npv: float
    payback_month: int            # 0: never within the horizon
    months: np.ndarray

    def to_dict(self) -> dict:
        """``alternatives[]`` of ``rcm evaluate --json``."""
        p = self.planned
        return {"name": self.name,
                "planning": {"uplift": number(p.uplift), "basis": p.basis,
                             "capped": bool(p.capped), "net_gain": cents(self.net_gain),
                             "npv": cents(self.npv),
                             "payback_month": int(self.payback_month) or None}}


def evaluate_alternatives(scenario, collections: float, timeline) -> list[AlternativeResult]:
    """Every alternative of ``scenario`` at its planning uplift (the quote's central value,
    capped by ``scenario.claims_evidence`` like a vendor's); ``collections`` is C0 and
    ``timeline`` the resolved timeline (horizon, discount and ramp)."""
    out = []
    for a in alternative_inputs(scenario):
        planned = planned_uplift(float(a.uplift), scenario.claims_evidence)
        months = alternative_months(collections, planned.uplift, a.annual_cost, a.one_time,
                                    timeline)
        out.append(AlternativeResult(
            name=a.name, annual_cost=float(a.annual_cost), one_time=float(a.one_time),
            planned=planned,
            net_gain=alternative_gain(collections, planned.uplift, a.annual_cost),
            npv=float(npv(timeline.discount_rate, months)),
            payback_month=int(payback_month(months)), months=months))
    return out


def best_alternative(results: list[AlternativeResult]) -> AlternativeResult | None:
    """The alternative with the highest planning net gain (the first of equals); None
    without alternatives."""
    return max(results, key=lambda r: r.net_gain, default=None)


__all__ = ["AlternativeIn", "AlternativeResult", "alternative_gain", "alternative_inputs",
           "alternative_months", "best_alternative", "evaluate_alternatives"]
