"""Weighted ranking of vendor quotes, and how stable the top choice is.

Criteria, each scored 0-100 by :mod:`rcmmodel.vendors` (higher is better):

financial
    100 x max(0, g) / max(g of the eligible vendors), where g is the steady-state net gain
    (``ranking.basis: net_gain``, the default, the guide's measure) or the NPV over the
    horizon (``basis: npv``). Scores are capped at 100, so a disqualified vendor with a
    higher gain does not shift the others' scores; all are 0 where no eligible vendor gains.
sla, due_diligence, contract_risk
    see :mod:`rcmmodel.vendors`.
the practice's own criteria (``ranking.criteria``)
    each by its name, scored by :mod:`rcmmodel.vendors.scorecard`.

    total = sum(w_c x score_c) / sum(w_c)

Weights: the practice's own (``ranking.weights``), a preset of its priorities
(``ranking.priority``: balanced, money_first, low_risk; :data:`rcmmodel.scenario.schema.
PRIORITIES`), or, where the scenario sets neither, the balanced default (financial 0.40, sla
0.25, due_diligence 0.20, contract_risk 0.15), which the practice did not choose
(``weights_source``); only their ratios matter. With a preset, the practice's own criteria
take their weights as shares of the whole and the four share the rest in the preset's
proportions (:attr:`rcmmodel.scenario.priorities.Ranking.effective_weights`). Eligible vendors are
ranked by total, ties broken by the financial score, then by name. A vendor without a
Business Associate Agreement is never ranked, whatever its total: it is listed after the
ranking with the reason.

Stability: for each criterion c, its weight is varied while the other weights keep their
relative proportions. With p = w_c / sum(w) the share of c, every total is linear in p,

    total_v(p) = p x s_vc + (1 - p) x O_v,    O_v = sum_{k != c} w_k s_vk / sum_{k != c} w_k

so the top vendor a stays first while total_a(p) - total_b(p) >= 0 for every rival b;
each difference is a line whose root is the crossover, solved exactly. The share range is
reported with the matching weight range, w_c = p x R / (1 - p) with R the sum of the
other weights (infinite at p = 1).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cmp_to_key

import numpy as np

from ..scenario.criteria import BUILTIN
from ..scenario.schema import Weights
from .._json import cents, rounded
from .assess import CHECKLIST, VendorAssessment, assess
from .scorecard import custom_scores

CRITERIA = BUILTIN            # the four built-in criteria (scenario.criteria holds them)
DEFAULT_WEIGHTS = Weights().model_dump()     # the scenario schema holds the defaults


def financial_scores(values, eligible) -> np.ndarray:
    """Each vendor's gain as a share of the best eligible gain, x 100, in [0, 100].

    Examples
    --------
    >>> financial_scores([51500, 25750, 90000, -100], [True, True, False, True]).tolist()
    [100.0, 50.0, 100.0, 0.0]
    """
    values = np.asarray(values, dtype=float)
    eligible = np.asarray(eligible, dtype=bool)
    best = values[eligible].max() if eligible.any() else 0.0
    if best <= 0:
        return np.zeros_like(values)
    return np.clip(100.0 * values / best, 0.0, 100.0)


def weighted_totals(scores, weights) -> np.ndarray:
    """Totals of a (vendors x criteria) score array under ``weights`` (criteria order)."""
    w = np.asarray(weights, dtype=float)
    return np.asarray(scores, dtype=float) @ w / w.sum()


TIE = 1e-9   # totals closer than this are a tie: float noise must not pick the winner


def rank_order(totals, financial, names, eligible) -> list[int]:
    """Indices of the eligible vendors, best first (total, then financial score, then name).

    Totals within :data:`TIE` of each other count as equal, so that the tie-break, not
    rounding noise in the weighted sum, decides.
    """
    def better(i, j):
        if abs(totals[i] - totals[j]) > TIE:
            return -1 if totals[i] > totals[j] else 1
        if financial[i] != financial[j]:
            return -1 if financial[i] > financial[j] else 1
        return (names[i] > names[j]) - (names[i] < names[j])

    keep = [i for i in range(len(names)) if eligible[i]]
    return sorted(keep, key=cmp_to_key(better))


@dataclass
class StabilityRange:
    """Where the top choice stays first as one criterion's weight moves."""

    criterion: str
    weight: float               # as given
    share: float                # weight / sum of weights
    share_low: float
    share_high: float
    weight_low: float           # the same bounds in the scenario's weight units
    weight_high: float          # inf where the top choice stays first however large
    rival_low: str | None       # who takes first place just below the low bound
    rival_high: str | None      # ... just above the high bound

    def to_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("criterion", "weight", "share", "share_low",
                                              "share_high", "weight_low", "rival_low",
                                              "rival_high")}
        out["weight_high"] = None if math.isinf(self.weight_high) else self.weight_high
        return out


def _weight_at(share: float, others: float) -> float:
    if share >= 1.0:
        return math.inf
    return share * others / (1.0 - share)


def stability(scores, weights, top: int, rivals, names,
              criteria=CRITERIA) -> dict[str, StabilityRange]:
    """The weight range of each criterion over which vendor ``top`` stays first.

    Parameters
    ----------
    scores : array (vendors, criteria)
    weights : sequence of float, criteria order, not all zero
    top : int
        Index of the current first choice.
    rivals : sequence of int
        Indices of the other eligible vendors.
    names : sequence of str
    criteria : sequence of str
        The criteria's keys, in the order of the score columns (the four built-in ones and
        the practice's own).

    Returns
    -------
    dict
        criterion -> :class:`StabilityRange`; at a bound the top choice ties its rival,
        and just past it the rival is strictly ahead.
    """
    s = np.asarray(scores, dtype=float)
    w = np.asarray(weights, dtype=float)
    out = {}
    for c, criterion in enumerate(criteria):
        others = w.sum() - w[c]
        share = w[c] / w.sum()
        low, high, rival_low, rival_high = 0.0, 1.0, None, None
        if others > 0:
            mask = np.arange(len(w)) != c
            other_score = s[:, mask] @ w[mask] / others
            for b in rivals:
                d0 = other_score[top] - other_score[b]        # the difference at p = 0
                d1 = s[top, c] - s[b, c]                        # ... at p = 1
                slope = d1 - d0
                if abs(slope) < 1e-12:
                    continue                                    # parallel: never cross
                root = d0 / (d0 - d1)
                if slope > 0 and root > low:
                    low, rival_low = root, names[b]
                elif slope < 0 and root < high:
                    high, rival_high = root, names[b]
        # the top choice is first at its own share by definition; keep rounding from
        # putting the bound a hair on the wrong side of it
        low, high = max(0.0, min(low, share)), min(1.0, max(high, share))
        out[criterion] = StabilityRange(
            criterion=criterion, weight=float(w[c]), share=float(share),
            share_low=float(low), share_high=float(high),
            weight_low=float(_weight_at(low, others)) if others > 0 else 0.0,
            weight_high=float(_weight_at(high, others)) if others > 0 else math.inf,
            rival_low=rival_low if low > 0 else None,
            rival_high=rival_high if high < 1 else None)
    return out


@dataclass
class Comparison:
    """The result of :func:`compare`: every quote assessed, scored, ranked."""

    scenario: object
    evaluation: object
    weights: dict[str, float]
    basis: str
    assessments: list[VendorAssessment]     # scenario order
    scores: np.ndarray                      # (vendors, criteria), scenario order
    totals: np.ndarray
    order: list[int]                        # eligible vendors, best first
    stability: dict[str, StabilityRange]
    criteria: tuple[str, ...] = CRITERIA    # the score columns: built-in, then the practice's
    weights_source: str = "default"         # "practice" (its own or its preset) | "default"
    preset: str | None = None               # the priorities preset behind the weights

    @property
    def top(self) -> VendorAssessment | None:
        """The first choice; None where no vendor is eligible."""
        return self.assessments[self.order[0]] if self.order else None

    @property
    def own_criteria(self) -> tuple[str, ...]:
        """The practice's own criteria (``ranking.criteria``), by name, after the four."""
        return self.criteria[len(CRITERIA):]

    @property
    def ranked(self) -> list[VendorAssessment]:
        """Eligible vendors best first, then the disqualified ones in scenario order."""
        rest = [a for i, a in enumerate(self.assessments) if i not in self.order]
        return [self.assessments[i] for i in self.order] + rest

    def rank_of(self, name: str) -> int | None:
        for r, i in enumerate(self.order, start=1):
            if self.assessments[i].name == name:
                return r
        return None

    def vendor(self, name: str) -> VendorAssessment:
        for a in self.assessments:
            if a.name == name:
                return a
        raise KeyError(name)

    def score_of(self, name: str) -> dict[str, float]:
        i = [a.name for a in self.assessments].index(name)
        return {**dict(zip(self.criteria, self.scores[i].tolist())),
                "total": float(self.totals[i])}

    def _vendor_dict(self, a: VendorAssessment) -> dict:
        c, k = a.cost, a.contract
        return {
            "name": a.name, "rank": self.rank_of(a.name), "eligible": a.eligible,
            "disqualified": a.disqualified, "pricing": c.pricing,
            "effective_rate": c.effective_rate, "all_in_annual": cents(c.all_in_annual),
            "cost": {"collections": cents(c.collections), "service_fee": cents(c.service_fee),
                     "service_fee_rate": c.service_fee_rate,
                     "recurring_extras": cents(c.recurring_extras),
                     "vendor_cost": cents(c.vendor_cost), "one_time": cents(c.one_time),
                     "one_time_annual": cents(c.one_time_annual),
                     "minimum_top_up": cents(c.minimum_top_up),
                     "extras": [{"item": e.item, "amount": cents(e.amount), "per": e.per}
                                for e in c.extras]},
            "net_gain": cents(a.net_gain), "npv": cents(a.npv),
            "cost_to_collect": rounded(self.evaluation.vendor(a.name).cost_to_collect),
            "scores": self.score_of(a.name),
            "sla": {"offered": a.sla.offered, "omitted": a.sla.omitted,
                    "kpis": {kpi: {"committed": m.committed, "grade": m.grade,
                                   "target": m.target, "baseline": m.baseline,
                                   "vs_baseline": m.vs_baseline}
                             for kpi, m in a.sla.kpis.items()}},
            "due_diligence": dict(a.diligence.answers),
            "contract": {"term_months": k.term_months, "termination_fee": k.termination_fee,
                         "notice_days": k.notice_days, "auto_renewal": k.auto_renewal,
                         "notice_cost": cents(k.notice_cost), "exit_cost": cents(k.exit_cost)},
            # codes and figures; present.flags_text.comparison_dict puts the words in
            "flags": [{"code": f.code, "figures": f.figures} for f in a.flags],
        }

    def to_dict(self) -> dict:
        """The object ``rcm compare --json`` prints; ``top_choice`` is the decision's
        recommended vendor (the top of the ranking among vendors that pay, docs/methodology.md
        §6); ``decision`` holds its facts, and the CLI adds the reason in words."""
        from .decision import decide

        from .scorecard import ranking_criteria

        decision = decide(self.scenario, comparison=self).to_dict()
        return {"scenario": self.scenario.name, "basis": self.basis,
                "weights": {c: rounded(w) for c, w in self.weights.items()},
                "weights_source": self.weights_source, "priority": self.preset,
                "criteria": [c.to_dict() for c in ranking_criteria(self)],
                "top_choice": decision["recommended"],
                "vendors": [self._vendor_dict(a) for a in self.ranked],
                "stability": {k: r.to_dict() for k, r in self.stability.items()},
                "decision": decision}

    def to_frame(self):
        """One row per vendor, ranked: effective rate, scores, total, flags."""
        import pandas as pd
        rows = []
        for a in self.ranked:
            rows.append({"vendor": a.name, "rank": self.rank_of(a.name), "pricing": a.cost.pricing,
                         "effective_rate": a.cost.effective_rate,
                         "all_in_annual": a.cost.all_in_annual, "net_gain": a.net_gain,
                         "npv": a.npv,
                         "cost_to_collect": self.evaluation.vendor(a.name).cost_to_collect,
                         **self.score_of(a.name), "eligible": a.eligible,
                         "flags": ", ".join(f.code for f in a.flags)})
        frame = pd.DataFrame(rows).set_index("vendor")
        frame["rank"] = frame["rank"].astype("Int64")
        return frame

    def scorecard_frame(self):
        """Long table of the SLA scorecard: vendor, kpi, committed, grade, baseline, vs_baseline."""
        import pandas as pd
        rows = [{"vendor": a.name, "kpi": m.kpi, "label": m.label, "committed": m.committed,
                 "grade": m.grade, "target": m.target, "baseline": m.baseline,
                 "vs_baseline": m.vs_baseline, "sla_offered": a.sla.offered}
                for a in self.assessments for m in a.sla.kpis.values()]
        return pd.DataFrame(rows)

    def checklist_frame(self):
        """Due-diligence answers: one row per checklist item, one column per vendor."""
        import pandas as pd
        return pd.DataFrame({a.name: [a.diligence.answers[i.key] for i in CHECKLIST]
                             for a in self.assessments},
                            index=pd.Index([i.label for i in CHECKLIST], name="item"))


def compare(scenario, weights: dict | None = None, basis: str | None = None,
            evaluation=None) -> Comparison:
    """Assess, score and rank every vendor of a scenario.

    Parameters
    ----------
    scenario : Scenario
    weights : dict, optional
        Criterion -> weight, overriding the scenario's priorities (e.g. from a notebook
        slider); criteria left out keep the scenario's weight (a criterion of the
        practice's own by its name). Weights given here are the
        practice's (``weights_source`` "practice").
    basis : {"net_gain", "npv"}, optional
        The financial criterion's measure; default ``scenario.ranking.basis``.
    evaluation : Evaluation, optional
        A result of :func:`rcmmodel.model.evaluate` to reuse.
    """
    from ..model.evaluate import evaluate
    from ..scenario.schema import Weights

    evaluation = evaluation or evaluate(scenario)
    given = scenario.ranking.effective_weights
    source, preset = scenario.ranking.weights_source, scenario.ranking.preset
    if weights:
        source, preset = "practice", None      # weights chosen here, e.g. on a slider
        unknown = set(weights) - set(given)
        if unknown:
            raise ValueError(f"unknown criteria {sorted(unknown)}; use {list(given)}")
        if any(not w >= 0 for w in weights.values()):
            raise ValueError("weights must be numbers of at least 0")
        given = {**given, **weights}
        given = {**given, **Weights(**{c: given[c] for c in CRITERIA}).model_dump()}
    basis = basis or scenario.ranking.basis
    assessments = assess(evaluation)
    eligible = [a.eligible for a in assessments]
    names = [a.name for a in assessments]
    money = [a.npv if basis == "npv" else a.net_gain for a in assessments]
    scores = np.column_stack([
        financial_scores(money, eligible),
        [a.sla.score for a in assessments],
        [a.diligence.score for a in assessments],
        [a.contract.score for a in assessments]]) if assessments else np.zeros((0, 4))
    own = scenario.ranking.criteria
    scores = np.hstack([scores, custom_scores(own, names)])
    criteria = (*CRITERIA, *(c.name for c in own))
    w = [given[c] for c in criteria]
    totals = weighted_totals(scores, w)
    order = rank_order(totals, scores[:, 0], names, eligible)
    ranges = stability(scores, w, order[0], order[1:], names, criteria) if order else {}
    return Comparison(scenario=scenario, evaluation=evaluation, weights=given, basis=basis,
                      weights_source=source, preset=preset,
                      assessments=assessments, scores=scores, totals=totals, order=order,
                      stability=ranges, criteria=criteria)


__all__ = ["CRITERIA", "CHECKLIST", "DEFAULT_WEIGHTS", "Comparison",
           "StabilityRange", "compare", "financial_scores", "rank_order", "stability",
           "weighted_totals"]
