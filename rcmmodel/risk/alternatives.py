"""The practice's in-house alternatives in the Monte Carlo (docs/methodology.md §8): each
alternative's uplift is drawn exactly as a vendor's is (:func:`rcmmodel.risk.uncertainty.
uplift_dist`: a range as given, truncated at what the claims show; a point from
triangular(0, u_plan, u_plan)), its costs as given (a distribution is drawn), and its
planning net gain and NPV computed on every draw with the model's own formulas
(:mod:`rcmmodel.model.alternatives`). The decision's odds then weigh them in every draw
(:func:`rcmmodel.vendors.odds.decision_odds`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._json import cents
from ..model.alternatives import alternative_gain, alternative_inputs, alternative_months
from ..model.timeline import npv
from ..scenario.distributions import Dist, central

QUANTILES = (5, 50, 95)


def alternative_dists(scenario, cap: float | None, uplift_dist) -> dict[str, Dist]:
    """Every uncertain input of the alternatives, by field path: each uplift as
    ``uplift_dist(uplift, cap)`` draws it, and any cost given as a distribution."""
    out: dict[str, Dist] = {}
    for i, a in enumerate(scenario.alternatives):
        for key in ("annual_cost", "one_time"):
            value = getattr(a, key)
            if isinstance(value, Dist):
                out[f"alternatives[{i}].{key}"] = value
        d = uplift_dist(a.uplift, cap)
        if d is not None:
            out[f"alternatives[{i}].uplift"] = d
    return out


def alternative_draws(scenario, drawn: dict, collections, timeline) -> tuple[list, list]:
    """Per alternative, the planning net gain and NPV of one chunk of draws (``drawn``: the
    chunk's values by field path; ``collections`` and ``timeline`` as the vendors' inputs of
    the chunk hold them). A point uplift below or at 0 stays a point (as a vendor's)."""
    pick = lambda path, value: drawn[path] if path in drawn else central(value)  # noqa: E731
    gains, npvs = [], []
    for a in alternative_inputs(scenario, pick):
        gains.append(alternative_gain(collections, a.uplift, a.annual_cost))
        months = alternative_months(collections, a.uplift, a.annual_cost, a.one_time, timeline)
        npvs.append(npv(timeline.discount_rate, months))
    return gains, npvs


@dataclass
class AlternativeSimulation:
    """One alternative's simulated outcomes; ``net_gain`` and ``npv`` hold one value a draw."""

    name: str
    net_gain: np.ndarray
    npv: np.ndarray

    def percentiles(self, measure: str = "net_gain") -> dict:
        values = np.percentile(getattr(self, measure), QUANTILES)
        return {f"p{q:02d}": float(v) for q, v in zip(QUANTILES, values)}

    @property
    def prob_positive(self) -> float:
        """Share of draws where its planning net gain is above zero."""
        return float(np.count_nonzero(self.net_gain > 0)) / self.net_gain.size

    def to_dict(self) -> dict:
        pct = lambda m: {k: cents(v) for k, v in self.percentiles(m).items()}  # noqa: E731
        return {"name": self.name, "net_gain": pct("net_gain"), "npv": pct("npv"),
                "prob_positive": self.prob_positive}


__all__ = ["AlternativeSimulation", "alternative_draws", "alternative_dists"]
