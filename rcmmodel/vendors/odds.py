"""The odds of the decision: the whole rule (docs/methodology.md §6 The decision) applied in
every Monte Carlo draw.

In each draw a vendor can be recommended only if it is eligible (it offers a Business
Associate Agreement) and its net gain in that draw is above 0; among those, the one with the
highest weighted ranking total wins, where the financial score is that draw's (net gain, or
NPV, against the best eligible one of the draw) and the other criteria (SLA, due diligence,
contract risk and the practice's own criteria, which no draw changes) keep their scores.
Ties go as in the ranking: the higher financial score, then the name. Where no vendor can be recommended, the practice
stays in-house. So ``sum(prob_recommended) + prob_stay == 1`` exactly.

With in-house alternatives (``alternatives``: their planning net gains per draw), each draw
also applies :func:`rcmmodel.vendors.alternatives.improves`: where the best alternative
wins, billing stays in-house, improved. ``prob_stay`` is still the share of draws that keep
billing in-house (as it is, or improved), so the sum above still holds; ``prob_improve``
(at most ``prob_stay``) is the share of draws where the alternative is the better course.

Everything is vectorised over the draws: a (vendors, draws) array in, shares out.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .ranking import CRITERIA, TIE


@dataclass(frozen=True)
class Odds:
    """Per vendor (scenario order) the share of draws it is recommended; the share of
    draws where the practice stays in-house."""

    prob_recommended: list[float]
    prob_stay: float
    prob_improve: float = 0.0           # part of prob_stay: an in-house alternative wins


def financial_scores_per_draw(values: np.ndarray, eligible: np.ndarray) -> np.ndarray:
    """:func:`~rcmmodel.vendors.ranking.financial_scores` in every draw at once:
    ``values`` is (vendors, draws); each column is scored against its best eligible value."""
    values = np.asarray(values, dtype=float)
    if not eligible.any():
        return np.zeros_like(values)
    best = values[eligible].max(axis=0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        scores = np.clip(100.0 * values / np.where(best > 0, best, 1.0), 0.0, 100.0)
    return np.where(best > 0, scores, 0.0)


def decision_odds(comparison, net_gain: np.ndarray, npv: np.ndarray | None = None,
                  alternatives: np.ndarray | None = None) -> Odds:
    """Apply the decision rule to every draw.

    Parameters
    ----------
    comparison : Comparison
        The scenario's ranking (:func:`~rcmmodel.vendors.ranking.compare`): its weights,
        basis, eligibility and the scores of the criteria that no draw changes.
    net_gain, npv : array (vendors, draws)
        Each vendor's net gain (and NPV, for ``basis: npv``) in each draw, at the planning
        uplift drawn for it.
    alternatives : array (alternatives, draws), optional
        Each in-house alternative's planning net gain in each draw.

    Examples
    --------
    Two vendors, two draws: A gains in the first, only B in the second.

    >>> from types import SimpleNamespace as NS
    >>> c = NS(weights={"financial": 1, "sla": 0, "due_diligence": 0, "contract_risk": 0},
    ...        basis="net_gain", scores=np.zeros((2, 4)),
    ...        assessments=[NS(name="A", eligible=True), NS(name="B", eligible=True)])
    >>> decision_odds(c, np.array([[10.0, -5.0], [5.0, 3.0]]))
    Odds(prob_recommended=[0.5, 0.5], prob_stay=0.0, prob_improve=0.0)

    An alternative gaining 8 in both draws beats A's 10 in neither, B's 3 in the second:

    >>> decision_odds(c, np.array([[10.0, -5.0], [5.0, 3.0]]), alternatives=np.array([[8.0, 8.0]]))
    Odds(prob_recommended=[0.5, 0.0], prob_stay=0.5, prob_improve=0.5)
    """
    gains = np.atleast_2d(np.asarray(net_gain, dtype=float))
    k, n = gains.shape
    if k == 0 or n == 0:
        return Odds([], 1.0)
    eligible = np.array([a.eligible for a in comparison.assessments], dtype=bool)
    measure = gains if comparison.basis != "npv" or npv is None else np.atleast_2d(npv)
    fin = financial_scores_per_draw(measure, eligible)
    criteria = getattr(comparison, "criteria", CRITERIA)     # built-in, then the practice's
    w = np.array([comparison.weights[c] for c in criteria], dtype=float)
    fixed = np.asarray(comparison.scores, dtype=float)[:, 1:] @ w[1:]
    totals = (w[0] * fin + fixed[:, None]) / w.sum()
    candidate = eligible[:, None] & (gains > 0)
    anyone = candidate.any(axis=0)
    t = np.where(candidate, totals, -np.inf)
    near = candidate & (t >= t.max(axis=0) - TIE)
    f = np.where(near, fin, -np.inf)
    near &= f >= f.max(axis=0)
    names = [a.name for a in comparison.assessments]
    rank = np.argsort(np.argsort(names, kind="stable"), kind="stable").astype(float)
    winner = np.argmin(np.where(near, rank[:, None], np.inf), axis=0)
    improve = np.zeros(n, dtype=bool)
    if alternatives is not None and np.size(alternatives):
        from .alternatives import improves

        best_alt = np.atleast_2d(np.asarray(alternatives, dtype=float)).max(axis=0)
        improve = improves(best_alt, gains[winner, np.arange(n)], anyone)
    outsource = anyone & ~improve
    counts = np.bincount(winner[outsource], minlength=k)
    stay = n - int(outsource.sum())
    return Odds([float(c) / n for c in counts], stay / n, int(improve.sum()) / n)


__all__ = ["Odds", "decision_odds", "financial_scores_per_draw"]
