"""The decision (docs/methodology.md §6 The decision): one rule, computed once, that every
surface states.

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
flip
    the weight change that would put another vendor first, from the stability analysis of
    the ranking restricted to the vendors that pay. Where the recommended vendor is not the
    financial best, the change of the financial weight is given (it is the one that
    overrules the money); otherwise the smallest change of any weight.
ranges
    per eligible vendor, net gain at the quoted uplift, at the uplift its SLA's net
    collection rate implies (0 where the SLA gives none) and at zero uplift, and the
    break-even uplift.

>>> from rcmmodel import load_scenario
>>> d = decide(load_scenario("scenarios/guide-example.yaml"))   # doctest: +SKIP
>>> d.verdict, d.recommended                                      # doctest: +SKIP
('outsource', 'Guide vendor')
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..describe import money, pct, possessive
from .._json import money as _money, number
from .ranking import CRITERIA, stability

# how a practice owner reads each ranking criterion (the reason sentence and the report)
CRITERION_WORDS = {"financial": "net gain", "sla": "SLA commitments",
                   "due_diligence": "due-diligence answers",
                   "contract_risk": "contract terms (lock-in)"}


def _num(x, digits: int = 6) -> float | None:
    x = number(x)
    return None if x is None else round(x, digits) + 0.0


def _listing(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass
class Decision:
    """The result of :func:`decide`; ``to_dict()`` is the ``decision`` object of the JSON."""

    verdict: str                                # "outsource" | "stay"
    recommended: str | None
    financial_best: str | None
    runner_up: str | None
    margin: dict                                # {"score": float|None, "net_gain": float|None}
    excluded: list[dict]                        # [{"vendor": name, "reasons": [str, ...]}]
    flip: dict | None                           # see the module docstring
    flips: list[dict]                           # every weight bound, nearest first
    outweighs: list[str]                        # criteria that overrule the financial best
    reason: str                                 # one plain-English sentence
    ranges: dict[str, dict]                     # eligible vendor -> net gain range
    n_quotes: int
    scores: dict[str, float] = field(default_factory=dict)   # vendor -> ranking total

    def eligible(self, name: str) -> bool:
        """True unless ``name`` is excluded (e.g. it refuses a Business Associate Agreement)."""
        return all(e["vendor"] != name for e in self.excluded)

    def reasons(self, name: str) -> list[str]:
        """Why ``name`` is excluded; empty where it is eligible."""
        return next((e["reasons"] for e in self.excluded if e["vendor"] == name), [])

    @property
    def overruled(self) -> bool:
        """Whether the ranking recommends a vendor other than the one that gains the most."""
        return (self.recommended is not None and self.financial_best is not None
                and self.recommended != self.financial_best)

    def to_dict(self) -> dict:
        """The decision's own keys first, then the reason, the flip, the ranges and the count
        of quotes."""
        return {"verdict": self.verdict, "recommended": self.recommended,
                "financial_best": self.financial_best, "runner_up": self.runner_up,
                "margin": dict(self.margin), "excluded": [dict(e) for e in self.excluded],
                "reason": self.reason, "flip": dict(self.flip) if self.flip else None,
                "outweighs": list(self.outweighs),
                "ranges": {k: dict(v) for k, v in self.ranges.items()},
                "n_quotes": self.n_quotes}


def _ranges(evaluation) -> dict[str, dict]:
    from ..model.breakeven import gain_at_uplift

    out = {}
    inputs = evaluation.inputs
    for v, vin in zip(evaluation.vendors, inputs.vendors):
        if not v.eligible:
            continue
        implied = v.sla_implied_uplift
        sla_u = 0.0 if implied is None else float(implied)
        out[v.name] = {
            "uplift_quoted": _num(v.uplift), "net_gain_quoted": _money(v.figures.net_gain),
            "uplift_sla": _num(sla_u), "sla_stated": implied is not None,
            "net_gain_sla": _money(gain_at_uplift(inputs, vin, sla_u)),
            "net_gain_zero": _money(gain_at_uplift(inputs, vin, 0.0)),
            "breakeven_uplift": _num(v.breakeven["min_uplift"])}
    return out


def _flips(comparison, top: int, rivals: list[int]) -> list[dict]:
    names = [a.name for a in comparison.assessments]
    w = [comparison.weights[c] for c in CRITERIA]
    out = []
    for c, r in stability(comparison.scores, w, top, rivals, names).items():
        for bound, rival, share, direction in ((r.weight_low, r.rival_low, r.share_low, "lower"),
                                               (r.weight_high, r.rival_high, r.share_high,
                                                "raise")):
            if rival is None:
                continue
            out.append({"criterion": c, "direction": direction, "weight": _num(r.weight),
                        "to_weight": _num(bound), "share": _num(r.share),
                        "to_share": _num(share), "to": rival})
    return sorted(out, key=lambda f: (abs(f["to_share"] - f["share"]), f["criterion"]))


def _reason(d: Decision, comparison, n_eligible: int) -> str:
    gain = {a.name: a.net_gain for a in comparison.assessments}
    if d.verdict == "stay":
        if n_eligible == 0:
            which = ("the only quote cannot" if d.n_quotes == 1
                     else f"none of the {d.n_quotes} quotes can")
            return (f"Keep billing in-house: {which} be recommended, because no vendor "
                    "offers a Business Associate Agreement, which HIPAA requires to share "
                    "patient data.")
        best = d.financial_best
        return (f"Keep billing in-house: no eligible vendor gains anything over the current "
                f"cost; the best quote, {best}, would lose {money(-gain[best])} a year.")
    rec = d.recommended
    if d.overruled:
        fb = d.financial_best
        why = _listing([CRITERION_WORDS[c] for c in d.outweighs]) or "other criteria"
        return (f"Outsource billing to {rec} ({money(gain[rec])} a year): {fb} would gain "
                f"{money(gain[fb] - gain[rec])} a year more, but {possessive(rec)} {why} "
                "outweigh that under the practice's ranking weights.")
    if d.runner_up is None:
        return (f"Outsource billing to {rec}: it gains {money(gain[rec])} a year and is the "
                "only eligible quote that pays.")
    return (f"Outsource billing to {rec}: it gains the most ({money(gain[rec])} a year) and "
            f"ranks first, {d.margin['score']:.1f} points ahead of {d.runner_up}.")


def decide(scenario, evaluation=None, comparison=None) -> Decision:
    """The decision (docs/methodology.md §6) for ``scenario`` (reusing an evaluation or
    comparison if given).

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
        margin = {"score": _num(totals[top] - totals[runner], 4) if runner is not None else None,
                  "net_gain": _money(assessments[top].net_gain - assessments[runner].net_gain)
                  if runner is not None else None}
        flips = _flips(comparison, top, rivals) if rivals else []
        if financial_best != recommended:
            fb = names.index(financial_best)
            w = comparison.weights
            gaps = [(w[c] * (comparison.scores[top, k] - comparison.scores[fb, k]), c)
                    for k, c in enumerate(CRITERIA) if c != "financial"]
            outweighs = [c for gap, c in sorted(gaps, reverse=True) if gap > 0]
            flip = next((f for f in flips if f["criterion"] == "financial"
                         and f["direction"] == "raise"), None)
        flip = flip or (flips[0] if flips else None)
    else:
        verdict, recommended = "stay", None
        runner = comparison.order[0] if comparison.order else None
        margin = {"score": None,
                  "net_gain": _money(-assessments[runner].net_gain) if runner is not None
                  else None}
    d = Decision(verdict=verdict, recommended=recommended, financial_best=financial_best,
                 runner_up=names[runner] if runner is not None else None, margin=margin,
                 excluded=excluded, flip=flip, flips=flips, outweighs=outweighs, reason="",
                 ranges=_ranges(evaluation), n_quotes=len(assessments),
                 scores={n: float(t) for n, t in zip(names, totals)})
    d.reason = _reason(d, comparison, n_eligible)
    return d


def flip_text(flip: dict | None) -> str:
    """The weight change of ``flip`` in words, e.g. 'raising the net gain weight from 0.4
    to 0.62 would put TierWise first'."""
    if not flip:
        return "no change of a single weight would put another vendor first"
    verb = "raising" if flip["direction"] == "raise" else "lowering"
    to = "any value" if flip["to_weight"] is None else f"{flip['to_weight']:.2g}"
    return (f"{verb} the {CRITERION_WORDS[flip['criterion']]} weight from "
            f"{flip['weight']:.2g} to {to} ({pct(flip['share'], 0)} to "
            f"{pct(flip['to_share'], 0)} of all weights) would put {flip['to']} first")


__all__ = ["CRITERION_WORDS", "Decision", "decide", "flip_text", "possessive"]
