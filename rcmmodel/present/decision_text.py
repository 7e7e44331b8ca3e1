"""The decision's reason and its flip in words (docs/methodology.md §6).

:func:`rcmmodel.vendors.decide` returns facts (the verdict, the vendors' net gains, the
criteria that outweigh the money, the weight change that flips the ranking); this module
says them. :func:`decision_dict` is the ``decision`` object of ``rcm evaluate --json`` and
``rcm compare --json``: the facts, rounded for output, with the reason sentence in place.
"""
from __future__ import annotations

from ..describe import money, pct, possessive
from .flags_text import disqualified_text

# how a practice owner reads each ranking criterion (the reason sentence and the report)
CRITERION_WORDS = {"financial": "net gain", "sla": "SLA commitments",
                   "due_diligence": "due-diligence answers",
                   "contract_risk": "contract terms (lock-in)"}


def criterion_words(key: str) -> str:
    """A criterion as the reason sentence says it: a built-in's words, or the name the
    practice gave its own criterion (``ranking.criteria``)."""
    return CRITERION_WORDS.get(key, key)


def own_listing(names: list[str]) -> str:
    """The practice's criteria, each in quotes, listed: '“References” and “Security”' (a
    name may hold an "and" of its own)."""
    return listing([f"“{n}”" for n in names])


def own_criteria_note(comparison) -> str:
    """How the practice's own criteria are scored, for the note under a ranking table;
    empty where it has none."""
    parts = []
    for c in comparison.scenario.ranking.criteria:
        n = len(c.questions or ())
        parts.append(f"{c.name}: {n} yes/no question{'s' if n != 1 else ''}, the share "
                     "answered yes" if c.questions else f"{c.name}: the practice's score")
    if not parts:
        return ""
    return (" The practice's own criteria: " + "; ".join(parts) + ". What a vendor has not "
            "stated scores 0, as an unanswered due-diligence question does.")


def own_criteria(d) -> list[str]:
    """The practice's own criteria, in order, by name: of a decision (among its weights), a
    comparison or a scenario's ``ranking``."""
    given = getattr(d, "criteria", None)
    names = [getattr(c, "name", c) for c in given] if given is not None else list(d.weights)
    return [c for c in names if c not in CRITERION_WORDS]


def listing(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


PRESET_WORDS = {"balanced": "balanced", "money_first": "money-first", "low_risk": "low-risk"}


def whose_weights(d) -> str:
    """Whose priorities decided: "the practice's own weights", "the money-first priorities
    the practice chose", or "the balanced default weights, which the practice did not set",
    and the practice's own criteria where it has any."""
    own = own_criteria(d)
    mine = f" and its own criteria {own_listing(own)}" if own else ""
    if d.weights_source == "default":
        return (f"the {PRESET_WORDS.get(d.preset or 'balanced')} default weights, which the "
                "practice did not set" + (f",{mine}" if own else ""))
    if d.preset:
        return f"the {PRESET_WORDS.get(d.preset, d.preset)} priorities the practice chose{mine}"
    return "the practice's own weights" + (f", with its own criteria {own_listing(own)}"
                                           if own else "")


def weights_text(d) -> str:
    """The weights in words, e.g. 'net gain 0.4, SLA commitments 0.25, ...'."""
    return ", ".join(f"{criterion_words(c)} {w:.2g}" for c, w in d.weights.items())


def reason(d) -> str:
    """The decision in one plain-English sentence, opening with the verdict."""
    gain = d.gains
    if d.verdict == "improve":          # an in-house alternative beats every quote
        from .alternatives_text import improve_reason

        return improve_reason(d)
    if d.verdict == "stay":
        if d.n_eligible == 0:
            which = ("the only quote cannot" if d.n_quotes == 1
                     else f"none of the {d.n_quotes} quotes can")
            return (f"Keep billing in-house: {which} be recommended, because no vendor "
                    "offers a Business Associate Agreement, which HIPAA requires to share "
                    "patient data.")
        best = d.financial_best
        return (f"Keep billing in-house: no eligible vendor gains anything over the current "
                f"cost; the best quote, {best}, would lose {money(-gain[best])} a year.")
    from .verdict import score_gap

    rec = d.recommended
    if d.overruled:
        fb = d.financial_best
        # a built-in's words are plural ("due-diligence answers"); an own criterion is
        # the vendor's score on it
        named = [criterion_words(c) if c in CRITERION_WORDS else f"score on “{c}”"
                 for c in d.outweighs]
        why = listing(named) or "other criteria"
        verb = "outweighs" if len(named) == 1 and d.outweighs[0] not in CRITERION_WORDS \
            else "outweigh"
        return (f"Outsource billing to {rec} ({money(gain[rec])} a year): {fb} would gain "
                f"{money(gain[fb] - gain[rec])} a year more, but {possessive(rec)} {why} "
                f"{verb} that under {whose_weights(d)}.")
    if d.runner_up is None:
        return (f"Outsource billing to {rec}: it gains {money(gain[rec])} a year and is the "
                "only eligible quote that pays.")
    return (f"Outsource billing to {rec}: it gains the most ({money(gain[rec])} a year) and "
            f"ranks first, {score_gap(d)} points ahead of {d.runner_up}.")


def cap_text(d, evidence=None) -> str | None:
    """Where the practice's claims cap a promise, in one sentence with both figures; with
    ``evidence`` (the scenario's :class:`~rcmmodel.model.planning.ClaimsEvidence`), the whole
    range the claims support, said even where no cap binds, or, where the claims are too few
    to use, that they were not used. None where there is nothing to say."""
    usable = evidence is not None and evidence.usable
    if evidence is not None and not usable and evidence.too_few_claims:
        return unusable_claims_text(evidence)
    span = (f"{pct(evidence.low)} to {pct(evidence.high)}" if usable and evidence.low is not None
            else None)
    capped = [(name, r) for name, r in d.ranges.items() if r.get("capped")]
    if not capped:
        if span is None:
            return None
        return (f"The practice's own claims show {span} of collections being lost that a vendor "
                "could win back each year; no quote promises more, so the decision plans on "
                "the quotes as written.")
    high = capped[0][1]["uplift_plan"]
    promises = listing([f"{name} promises {pct(r['uplift_quoted'])} ({money(r['net_gain_quoted'])}"
                        " a year if it delivers)" for name, r in capped])
    shown = f"{span}" if span else f"at most {pct(high)}"
    return (f"{promises}; the practice's own claims show {shown} of collections being lost "
            f"that a vendor could win back each year, so the decision plans on at most "
            f"{pct(high)} (the cap binds for {listing([n for n, _ in capped])}).")


def unusable_claims_text(evidence) -> str:
    """Why the practice's claims files fed neither its baseline KPIs nor the planning uplift
    (fewer adjudicated claims than :data:`rcmmodel.model.planning.MIN_CLAIMS`)."""
    from ..model.planning import MIN_CLAIMS

    n = evidence.claims
    return (f"The practice's claims files hold {n:,} adjudicated claim{'s' if n != 1 else ''}, "
            f"too few (at least {MIN_CLAIMS} are needed) to measure its KPIs or to check the "
            "quoted uplift against them: the decision plans on the quotes as written.")


def flip_text(flip: dict | None) -> str:
    """The weight change of ``flip`` in words, as shares of all the weights (a weight on its
    own, e.g. 1.8 against weights that sum to 1, means little to a reader), e.g. 'giving net
    gain 62% of the weight instead of 40% would put TierWise first'."""
    if not flip:
        return "no change of a single weight would put another vendor first"
    what = criterion_words(flip["criterion"])
    if flip["to_share"] is None:
        return (f"{'more' if flip['direction'] == 'raise' else 'less'} weight on {what} "
                f"(it has {pct(flip['share'], 0)} of the weight now) would put "
                f"{flip['to']} first")
    return (f"giving {what} {pct(flip['to_share'], 0)} of the weight instead of "
            f"{pct(flip['share'], 0)} would put {flip['to']} first")


def decision_dict(d) -> dict:
    """``d.to_dict()`` with the reason sentence after ``excluded`` (the JSON's key order)
    and the excluded vendors' reasons in words."""
    out = {}
    for k, v in d.to_dict().items():
        if k == "flip":
            out["reason"] = reason(d)
        if k == "excluded":         # the reasons' codes in words
            v = [{**e, "reasons": [disqualified_text(r) for r in e["reasons"]]} for e in v]
        out[k] = v
    return out


__all__ = ["CRITERION_WORDS", "PRESET_WORDS", "cap_text", "criterion_words", "decision_dict",
           "flip_text", "own_criteria", "own_criteria_note", "own_listing",
           "listing",
           "reason", "weights_text", "whose_weights"]
