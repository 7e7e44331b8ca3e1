"""The decision (:func:`rcmmodel.vendors.decide`) in plain words for a practice owner.

Every surface that states the decision in prose (the decision report's recommendation box,
a proposal's box, the app) takes its sentences from here, so the same decision reads the
same way everywhere. Nothing here computes the decision; it only words it.
"""
from __future__ import annotations

from ..describe import count, money, pct, score
from .decision_text import flip_text
from .flags_text import reasons_text

NOT_STATED = "not stated"


def lock_in(terms) -> str:
    """A contract's lock-in in words, saying "not stated" for what the quote leaves out.

    >>> from rcmmodel.vendors.assess import contract_terms
    >>> from rcmmodel.scenario.schema import Contract
    >>> lock_in(contract_terms(Contract(term_months=36, termination_fee=10000), 20000))
    '36-month term, termination fee $10,000, notice period not stated, auto-renewal not stated'
    """
    k = terms
    parts = [f"{k.term_months}-month term" if k.term_months else f"term {NOT_STATED}"]
    if k.termination_fee is None:
        parts.append(f"termination fee {NOT_STATED}")
    else:
        parts.append(f"termination fee {money(k.termination_fee)}" if k.termination_fee
                     else "no termination fee")
    parts.append(f"notice period {NOT_STATED}" if k.notice_days is None
                 else f"{k.notice_days} days' notice")
    parts.append({True: "renews automatically", False: "does not renew automatically",
                  None: f"auto-renewal {NOT_STATED}"}[k.auto_renewal])
    return ", ".join(parts)


#: A break-even uplift this close to 0 shows as 0.0%: said as none needed, never "-0.0%".
_ZERO = 5e-4


def breakeven_head(be: float | None) -> str:
    """The break-even uplift ``be`` as a short heading figure.

    >>> breakeven_head(-0.031), breakeven_head(0.0002), breakeven_head(0.012), breakeven_head(None)
    ('none needed', 'none needed', '1.2%', 'none')
    """
    if be is None:
        return "none"
    return "none needed" if be < _ZERO else pct(be)


def breakeven_words(be: float | None) -> str:
    """The break-even uplift ``be`` in words, as a clause.

    >>> breakeven_words(-0.031), breakeven_words(0.0), breakeven_words(0.012)
    ('it still pays if collections fall by up to 3.1%', 'it breaks even with collections as they are and pays with any rise', 'it needs collections to rise by at least 1.2% to pay')
    """
    if be is None:
        return "it does not break even at any plausible uplift"
    if abs(be) < _ZERO:          # 0.0% as shown: "falls by up to -0.0%" would say nothing
        return "it breaks even with collections as they are and pays with any rise"
    if be < 0:
        return f"it still pays if collections fall by up to {pct(-be)}"
    return f"it needs collections to rise by at least {pct(be)} to pay"


def net_gain_range(r: dict) -> str:
    """The decision's range for one vendor (``Decision.ranges[name]``) in one sentence."""
    if r["sla_stated"]:
        sla = f"{money(r['net_gain_sla'])} at the {pct(r['uplift_sla'])} uplift its SLA implies"
    elif r.get("sla_missing") == "baseline":
        sla = ("no SLA-implied figure, because the practice's own net collection rate is not "
               "known")
    else:
        sla = "no SLA-implied figure, because the quote commits to no net collection rate"
    even = breakeven_words(r["breakeven_uplift"])
    plan = ""
    if r.get("capped"):
        plan = (f", {money(r['net_gain_plan'])} at {pct(r['uplift_plan'])}, the most the "
                "practice's claims show being lost (what the decision plans on)")
    return (f"Net gain {money(r['net_gain_quoted'])} a year at the quoted "
            f"{pct(r['uplift_quoted'])} uplift{plan}, {sla}, and {money(r['net_gain_zero'])} "
            f"with no uplift; {even}.")


def headline(d) -> str:
    if d.verdict == "outsource":
        return f"Outsource billing to {d.recommended}."
    if d.verdict == "improve":
        from .alternatives_text import improve_headline

        return improve_headline(d)
    return "Keep billing in-house."


def pick(d) -> tuple[str, str, str]:
    """The decision as the app's headline leads with it: (the words before the pick, the
    pick, the words after). The pick is the recommended vendor only where the verdict is
    "outsource"; otherwise "in-house", with the alternative where one wins.

    >>> from types import SimpleNamespace as NS
    >>> pick(NS(verdict="outsource", recommended="Acme"))
    ('Outsource your billing to', 'Acme', '')
    >>> pick(NS(verdict="improve", recommended=None, alternative="Hiring a certified coder"))
    ('Improve your billing', 'in-house', ': hiring a certified coder')
    >>> pick(NS(verdict="stay", recommended=None))
    ('Keep billing', 'in-house', '')
    """
    if d.verdict == "outsource":
        return "Outsource your billing to", d.recommended, ""
    if d.verdict == "improve":
        from .alternatives_text import phrase

        return "Improve your billing", "in-house", f": {phrase(d.alternative)}"
    return "Keep billing", "in-house", ""


def planned_line(uplift: float, quoted: float, quoted_gain: float | None = None) -> str:
    """Where the practice's claims cap a promised uplift: what is planned on, and the
    promise (with its net gain where given).

    >>> planned_line(0.072, 0.09, 83982.0)
    'Planned at 7.2% added collections, the most your claims show being lost; as quoted (9.0%) it would be $83,982.'
    """
    promise = (f"; as quoted ({pct(quoted)}) it would be {money(quoted_gain)}"
               if quoted_gain is not None else f"; {pct(quoted)} was expected")
    return (f"Planned at {pct(uplift)} added collections, the most your claims show being "
            f"lost{promise}.")


def what_flips(d) -> str | None:
    """The weight change that would put another vendor first (docs/methodology.md
    §6), where there is a rival."""
    if d.verdict != "outsource" or d.runner_up is None:
        return None
    text = flip_text(d.flip)
    return f"What would change it: {text}."


def runner_up(d, comparison) -> str | None:
    if d.runner_up is None or d.verdict == "improve":   # the alternative's sentence names it
        return None
    if d.verdict == "stay":
        return (f"Best eligible quote: {d.runner_up}, which would cost "
                f"{money(d.margin['net_gain'])} a year more than it brings.")
    gap = d.margin["net_gain"]
    money_part = ("" if d.overruled and d.runner_up == d.financial_best   # the reason says it
                  else f"; it gains {money(-gap)} a year more" if gap < 0
                  else f"; it gains {money(gap)} a year less" if gap > 0
                  else "; the same net gain")
    return (f"Runner-up: {d.runner_up}, {score_gap(d)} points behind on the weighted "
            f"ranking of net gain, service levels (SLA), due diligence and contract terms "
            f"({score(d.scores[d.recommended], 1)} against {score(d.scores[d.runner_up], 1)} of "
            f"100){money_part}.")


def score_gap(d) -> str:
    """The recommended vendor's lead over the runner-up as the two scores read (each
    rounded the one way, :func:`rcmmodel.describe.score`), so the three figures agree."""
    from decimal import Decimal

    return str(Decimal(score(d.scores[d.recommended], 1))
               - Decimal(score(d.scores[d.runner_up], 1)))


def excluded(d) -> list[str]:
    return [f"Excluded: {e['vendor']}: {reasons_text(e['reasons'])}." for e in d.excluded]


def probability(d, sim, name: str | None = None) -> str | None:
    """The Monte Carlo share of outcomes in which the vendor pays, where there is one."""
    name = name or d.recommended or d.financial_best
    if sim is None or name is None:
        return None
    v = sim.vendor(name)
    if not v.eligible:           # an excluded vendor is never said to pay
        return None
    p = v.percentiles("net_gain")
    return (f"{name} pays in {pct(v.prob_positive, 0)} of {sim.draws:,} simulated outcomes "
            f"and the decision recommends it in {pct(v.prob_recommended, 0)} (net gain from "
            f"{money(p['p05'])} to {money(p['p95'])}, 5th to 95th percentile).")


def decision_points(d, comparison, sim=None, evidence=None) -> list[str]:
    """The decision box's lines after its headline and reason, in reading order
    (``evidence``: what the practice's claims show, :func:`cap_text`)."""
    from .decision_text import cap_text

    from .alternatives_text import MONEY_ALONE, comparison_sentence

    name = d.recommended or d.runner_up
    out = [cap_text(d, evidence)]
    if d.alternative:          # (an "improve" verdict's reason is that sentence already)
        out += [comparison_sentence(d) if d.verdict != "improve" else None, MONEY_ALONE]
    if name and name in d.ranges:
        out.append(net_gain_range(d.ranges[name]))
    out.append(probability(d, sim))
    if d.alternative and sim is not None:
        from .alternatives_text import improve_odds

        out.append(improve_odds(sim))
    out.append(runner_up(d, comparison))
    out.append(what_flips(d))
    if d.recommended:
        out.append(f"Lock-in with {d.recommended}: "
                   f"{lock_in(comparison.vendor(d.recommended).contract)}.")
    out += excluded(d)
    out.append(f"{count(d.n_quotes, 'quote')} compared.")
    return [x for x in out if x]


def standing(d, name: str) -> str:
    """Where one vendor stands in the decision, for its proposal (which names no other).

    >>> from types import SimpleNamespace as NS
    >>> standing(NS(n_quotes=1, recommended="A", verdict="outsource"), "A")
    'It is the only quote compared, and it is recommended.'
    >>> standing(NS(n_quotes=3, recommended="A", verdict="outsource"), "A")
    'Of the 3 quotes compared, it is the one recommended.'
    """
    if d.n_quotes == 1:
        return ("It is the only quote compared, and it is recommended." if d.recommended == name
                else "It is the only quote compared, and it does not gain more than keeping "
                     "billing in-house.")
    of = f"Of the {count(d.n_quotes, 'quote')} compared,"
    if d.recommended == name:
        return f"{of} it is the one recommended."
    if d.verdict == "outsource":
        from .decision_text import whose_weights
        return f"{of} another is recommended under {whose_weights(d)}."
    if d.verdict == "improve":        # an in-house alternative gains more, on money alone
        from .alternatives_text import MONEY_ALONE, phrase

        than = ("this offer" if d.runner_up == name
                else "the quote that ranks first of those compared")
        return (f"Improving billing in-house ({phrase(d.alternative)}) would gain "
                f"{money(d.alternative_gains[d.alternative])} a year, more than {than}. "
                f"{MONEY_ALONE}")
    return f"{of} none gains more than keeping billing in-house."


def ineligible(name: str, d) -> str:
    """Why a vendor cannot be recommended, in one sentence."""
    return (f"{name} cannot be recommended: {reasons_text(d.reasons(name))}. Whatever its "
            "figures, it is left out of the decision.")


__all__ = ["NOT_STATED", "breakeven_words", "decision_points", "excluded", "headline", "ineligible", "lock_in",
           "net_gain_range", "pick", "planned_line", "probability", "runner_up", "score_gap",
           "standing", "what_flips"]
