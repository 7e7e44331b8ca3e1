"""The practice's own criteria scored, and every criterion of a ranking in one list.

A criterion of the practice's own (``ranking.criteria``, :mod:`rcmmodel.scenario.criteria`)
scores each vendor 0-100:

scores
    the score the practice gives the vendor; a vendor it does not score is not stated: 0.
questions
    100 x (answers yes) / (questions), as the due-diligence checklist is scored
    (:func:`rcmmodel.vendors.assess.due_diligence`): an answer ``null`` (not stated) or a vendor
    not answered at all counts as not verified.

No draw of the Monte Carlo changes these scores: only the financial score varies
(:mod:`rcmmodel.vendors.odds`).

:func:`ranking_criteria` is the one list of every criterion of a comparison, built-in and
the practice's own, with its weight, its share of all weights and each vendor's score: what
a table, a chart, a sheet or a panel iterates to show the ranking.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def criterion_scores(criterion, vendors) -> list[float]:
    """The 0-100 score of each of ``vendors`` (names, scenario order) on one criterion of the
    practice's own.

    Examples
    --------
    >>> from rcmmodel.scenario.criteria import Criterion
    >>> c = Criterion(name="Security", weight=0.1, questions=["SOC 2?", "Cyber insurance?"],
    ...               answers={"A": [True, None], "b": [True, True]})
    >>> criterion_scores(c, ["A", "B", "C"])
    [50.0, 100.0, 0.0]
    """
    out = []
    for name in vendors:
        given = criterion.stated(name)
        if criterion.kind == "scores":
            out.append(0.0 if given is None else float(given))
        else:
            yes = sum(1 for a in (given or []) if a is True)
            out.append(100.0 * yes / len(criterion.questions))
    return out


def custom_scores(criteria, vendors) -> np.ndarray:
    """A (vendors, criteria) array of the practice's own criteria's scores."""
    if not criteria:
        return np.zeros((len(vendors), 0))
    return np.column_stack([criterion_scores(c, vendors) for c in criteria]).reshape(
        len(vendors), len(criteria))


@dataclass(frozen=True)
class RankingCriterion:
    """One criterion of a ranking, with what every vendor scores on it."""

    key: str                   # a built-in's key ("financial", ...) or the practice's name
    builtin: bool
    path: str                  # its weight's field in the scenario, e.g. ranking.weights.sla
    weight: float              # as the ranking uses it (a preset's scaled where it shares)
    share: float               # weight / sum of all weights
    scores: dict[str, float]   # vendor -> 0-100, scenario order
    kind: str = "builtin"      # "builtin" | "scores" | "questions"
    questions: tuple[str, ...] = ()
    stated: dict[str, object] = field(default_factory=dict)   # vendor -> score | answers | None

    def to_dict(self) -> dict:
        from .._json import rounded
        out = {"name": self.key, "builtin": self.builtin, "kind": self.kind,
               "weight": rounded(self.weight), "share": rounded(self.share),
               "scores": {v: rounded(s, 4) for v, s in self.scores.items()}}
        if not self.builtin:
            out["stated"] = {v: (list(x) if isinstance(x, list) else rounded(x, 4))
                             for v, x in self.stated.items()}
        if self.questions:
            out["questions"] = list(self.questions)
        return out


def ranking_criteria(comparison) -> list[RankingCriterion]:
    """Every criterion of ``comparison`` (a :class:`~rcmmodel.vendors.ranking.Comparison`), the
    four built-in ones first, then the practice's own in the scenario's order: key, the
    weight's field path, weight (as the ranking uses it: a preset's scaled beside the
    practice's criteria), share of all weights, and each vendor's score (scenario order).

    Examples
    --------
    >>> from rcmmodel import load_scenario, compare           # doctest: +SKIP
    >>> c = compare(load_scenario("scenarios/family-practice-scorecard.yaml"))  # doctest: +SKIP
    >>> [(k.key, round(k.share, 3)) for k in ranking_criteria(c)][-1]          # doctest: +SKIP
    ('Security', 0.1)
    """
    names = [a.name for a in comparison.assessments]
    own = {c.name: c for c in comparison.scenario.ranking.criteria}
    index = {c.name: i for i, c in enumerate(comparison.scenario.ranking.criteria)}
    total = sum(comparison.weights.values())
    out = []
    for k, key in enumerate(comparison.criteria):
        c = own.get(key)
        col = comparison.scores[:, k] if len(names) else []
        out.append(RankingCriterion(
            key=key, builtin=c is None, weight=float(comparison.weights[key]),
            path=(f"ranking.weights.{key}" if c is None
                  else f"ranking.criteria[{index[key]}].weight"),
            share=float(comparison.weights[key] / total) if total else 0.0,
            scores={n: float(s) for n, s in zip(names, col)},
            kind="builtin" if c is None else c.kind,
            questions=tuple(c.questions or ()) if c is not None else (),
            stated={n: c.stated(n) for n in names} if c is not None else {}))
    return out


__all__ = ["RankingCriterion", "criterion_scores", "custom_scores", "ranking_criteria"]
