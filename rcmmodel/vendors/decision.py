"""The decision (docs/methodology.md §6): one rule, computed once, that every
surface states. It returns facts; :mod:`rcmmodel.present.decision_text` words them.

eligible
    a vendor is eligible unless it refuses a Business Associate Agreement
    (``profile.baa_offered: false``); HIPAA requires one.
recommended
    among eligible vendors with net gain > 0, the top of the weighted ranking
    (:mod:`rcmmodel.vendors.ranking`); verdict ``"stay"`` (in-house) where there is none.
financial_best
    the eligible vendor with the highest steady-state net gain (``best_vendor`` of
    ``rcm evaluate --json``).
runner_up, margin
    the next vendor in the ranking among those that pay, and how far the recommended one
    leads it: ``score`` (ranking points, 0-100) and ``net_gain`` (USD a year; negative where
    the runner-up gains more). Where the verdict is "stay", the runner-up is the best-ranked
    eligible vendor (the alternative to staying) and ``margin.net_gain`` is how much a year
    staying in-house beats it; ``margin.score`` is then null.
alternative, verdict "improve"
    the practice's best in-house alternative, weighed against the vendor decision on money
    alone (:mod:`rcmmodel.vendors.alternatives`); where it wins, no vendor is recommended
    and the vendor it beat is the runner-up.
flip
    the weight change that would put another vendor first, from the stability analysis of
    the ranking restricted to the vendors that pay. Where the recommended vendor is not the
    financial best, the change of the financial weight is given (it is the one that
    overrules the money); otherwise the smallest change of any weight.
ranges
    per eligible vendor, net gain at the quoted uplift, at the planning uplift (the quote
    capped by what the practice's claims show, :mod:`rcmmodel.model.planning`), at the
    uplift its SLA's net collection rate implies (only where both that rate and the
    practice's own are known: ``sla_missing`` says which is not) and at zero uplift, and the
    break-even uplift.

>>> from rcmmodel import load_scenario
>>> d = decide(load_scenario("scenarios/guide-example.yaml"))   # doctest: +SKIP
>>> d.verdict, d.recommended                                      # doctest: +SKIP
('outsource', 'Guide vendor')
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .._json import cents, number, rounded
from .alternatives import with_alternatives
from .ranking import CRITERIA, stability


@dataclass
class Decision:
    """The result of :func:`decide`; ``to_dict()`` is the ``decision`` object of the JSON."""

    verdict: str                                # "outsource" | "improve" | "stay"
    recommended: str | None
    financial_best: str | None
    runner_up: str | None
    margin: dict                                # {"score": float|None, "net_gain": float|None}
    excluded: list[dict]                        # [{"vendor": name, "reasons": [code, ...]}]
    flip: dict | None                           # see the module docstring
    flips: list[dict]                           # every weight bound, nearest first
    outweighs: list[str]                        # criteria that overrule the financial best
    ranges: dict[str, dict]                     # eligible vendor -> net gain range
    n_quotes: int
    scores: dict[str, float] = field(default_factory=dict)   # vendor -> ranking total
    gains: dict[str, float] = field(default_factory=dict)    # vendor -> steady net gain
    n_eligible: int = 0                         # quotes not excluded
    weights: dict[str, float] = field(default_factory=dict)  # the ranking's, by criterion
    weights_source: str = "default"             # "practice" (its own or its preset) | "default"
    preset: str | None = None                   # the priorities preset behind the weights
    uplift_basis: str = "quote"                 # "claims" where the evidence caps an uplift
    alternative: str | None = None              # the best in-house alternative (.alternatives)
    alternative_gains: dict[str, float] = field(default_factory=dict)   # its planning net gain

    def eligible(self, name: str) -> bool:
        """True unless ``name`` is excluded (e.g. it refuses a Business Associate Agreement)."""
        return all(e["vendor"] != name for e in self.excluded)

    def reasons(self, name: str) -> list[str]:
        """Why ``name`` is excluded (codes such as ``no_baa``, which
        :func:`rcmmodel.present.flags_text.disqualified_text` words); empty where eligible."""
        return next((e["reasons"] for e in self.excluded if e["vendor"] == name), [])

    @property
    def focus(self) -> str | None:
        """The vendor the risk views (tornado, sensitivity) are about, on every surface: the
        recommended one, else (verdict "stay") the financial best, the quote the practice
        would otherwise choose; None where no vendor is eligible."""
        return self.recommended or self.financial_best

    @property
    def overruled(self) -> bool:
        """Whether the ranking recommends a vendor other than the one that gains the most."""
        return (self.recommended is not None and self.financial_best is not None
                and self.recommended != self.financial_best)

    def to_dict(self) -> dict:
        """The decision's keys first, then the flip, the ranges and the count of quotes,
        rounded for output; :func:`rcmmodel.present.decision_text.decision_dict` adds the
        reason in words (the ``decision`` object of ``rcm evaluate --json``)."""
        return {"verdict": self.verdict, "recommended": self.recommended,
                "alternative": self.alternative,
                "financial_best": self.financial_best, "runner_up": self.runner_up,
                "margin": {"score": rounded(self.margin["score"], 4),
                           "net_gain": cents(self.margin["net_gain"])},
                "excluded": [dict(e) for e in self.excluded],
                "flip": _flip_dict(self.flip) if self.flip else None,
                "outweighs": list(self.outweighs),
                "weights": {c: rounded(w) for c, w in self.weights.items()},
                "weights_source": self.weights_source, "priority": self.preset,
                "uplift_basis": self.uplift_basis,
                "ranges": {k: {f: (cents(x) if f.startswith("net_gain") else
                                   x if f in ("sla_stated", "capped", "sla_missing")
                                   else rounded(x))
                               for f, x in v.items()} for k, v in self.ranges.items()},
                "n_quotes": self.n_quotes}


def _flip_dict(flip: dict) -> dict:
    return {k: (v if k in ("criterion", "direction", "to") else rounded(v))
            for k, v in flip.items()}


def _ranges(evaluation) -> dict[str, dict]:
    from ..model.breakeven import gain_at_uplift

    out = {}
    inputs = evaluation.inputs
    baseline = evaluation.scenario.practice.baseline_kpis.net_collection_rate
    for v, vin, spec in zip(evaluation.vendors, inputs.vendors, evaluation.scenario.vendors):
        if not v.eligible:
            continue
        implied = v.sla_implied_uplift
        # what the SLA-implied uplift lacks: the vendor's committed rate, or the practice's
        missing = None if implied is not None else (
            "sla" if not (spec.sla and spec.sla.net_collection_rate) else "baseline"
            if baseline is None else None)
        sla_u = 0.0 if implied is None else float(implied)
        planned = v.planned
        out[v.name] = {
            "uplift_quoted": number(v.uplift), "net_gain_quoted": number(v.figures.net_gain),
            "uplift_plan": number(planned.uplift if planned else v.uplift),
            "net_gain_plan": number(v.planning.net_gain),
            "capped": bool(planned and planned.capped),
            "uplift_sla": sla_u, "sla_stated": implied is not None, "sla_missing": missing,
            "net_gain_sla": number(gain_at_uplift(inputs, vin, sla_u)),
            "net_gain_zero": number(gain_at_uplift(inputs, vin, 0.0)),
            "breakeven_uplift": number(v.breakeven["min_uplift"])}
    return out


def _flips(comparison, top: int, rivals: list[int]) -> list[dict]:
    names = [a.name for a in comparison.assessments]
    criteria = getattr(comparison, "criteria", CRITERIA)    # built-in, then the practice's
    w = [comparison.weights[c] for c in criteria]
    out = []
    for c, r in stability(comparison.scores, w, top, rivals, names, criteria).items():
        for bound, rival, share, direction in ((r.weight_low, r.rival_low, r.share_low, "lower"),
                                               (r.weight_high, r.rival_high, r.share_high,
                                                "raise")):
            if rival is None:
                continue
            out.append({"criterion": c, "direction": direction, "weight": number(r.weight),
                        "to_weight": number(bound), "share": number(r.share),
                        "to_share": number(share), "to": rival})
    # nearest first, by the shares as printed (six digits), so printed ties keep their order
    return sorted(out, key=lambda f: (abs(rounded(f["to_share"]) - rounded(f["share"])),
                                      f["criterion"]))


def decide(scenario, evaluation=None, comparison=None) -> Decision:
    """The decision for ``scenario`` (reusing an evaluation or comparison if given).

    A ``comparison`` made with other weights (a notebook slider, say) gives the decision
    under those weights; every surface that prints the scenario's decision passes none.
    """
    from .ranking import compare

    if comparison is None:
        comparison = compare(scenario, evaluation=evaluation)
    evaluation = comparison.evaluation
    assessments = comparison.assessments
    names = [a.name for a in assessments]
    totals = comparison.totals
    excluded = [{"vendor": a.name, "reasons": [a.disqualified]}
                for a in assessments if not a.eligible]
    paying = [i for i in comparison.order if assessments[i].net_gain > 0]
    best = evaluation.best
    financial_best = best.name if best is not None else None
    n_eligible = len(comparison.order)
    flip, flips, outweighs = None, [], []
    if paying:
        top, rivals = paying[0], paying[1:]
        verdict, recommended = "outsource", names[top]
        runner = rivals[0] if rivals else None
        margin = {"score": float(totals[top] - totals[runner]) if runner is not None else None,
                  "net_gain": number(assessments[top].net_gain - assessments[runner].net_gain)
                  if runner is not None else None}
        flips = _flips(comparison, top, rivals) if rivals else []
        if financial_best != recommended:
            fb = names.index(financial_best)
            w = comparison.weights
            gaps = [(w[c] * (comparison.scores[top, k] - comparison.scores[fb, k]), c)
                    for k, c in enumerate(comparison.criteria) if c != "financial"]
            outweighs = [c for gap, c in sorted(gaps, reverse=True) if gap > 0]
            flip = next((f for f in flips if f["criterion"] == "financial"
                         and f["direction"] == "raise"), None)
        flip = flip or (flips[0] if flips else None)
    else:
        verdict, recommended = "stay", None
        runner = comparison.order[0] if comparison.order else None
        margin = {"score": None,
                  "net_gain": number(-assessments[runner].net_gain) if runner is not None
                  else None}
    d = Decision(verdict=verdict, recommended=recommended, financial_best=financial_best,
                 runner_up=names[runner] if runner is not None else None, margin=margin,
                 excluded=excluded, flip=flip, flips=flips, outweighs=outweighs,
                 ranges=_ranges(evaluation), n_quotes=len(assessments),
                 scores={n: float(t) for n, t in zip(names, totals)},
                 gains={a.name: float(a.net_gain) for a in assessments}, n_eligible=n_eligible,
                 weights=dict(comparison.weights), weights_source=comparison.weights_source,
                 preset=comparison.preset, uplift_basis=evaluation.uplift_basis)
    return with_alternatives(d, evaluation.alternatives)


__all__ = ["Decision", "decide"]
