"""Fixing billing in-house, in words (docs/methodology.md §6, "Fixing billing in-house
instead").

:func:`rcmmodel.vendors.decide` weighs the practice's best in-house alternative against the
vendor decision (the verdict "improve", ``Decision.alternative``); this module says it: the
one sentence every surface states (:func:`comparison_sentence`: "Hiring a certified coder
would gain $23,000 a year, more than outsourcing to X at $17,750"), the reason of an
"improve" verdict, the note that alternatives are compared on money alone, and one line per
alternative (:func:`alternative_line`).
"""
from __future__ import annotations

from ..describe import money, pct

#: Said wherever alternatives are weighed against quotes.
MONEY_ALONE = ("In-house alternatives are compared with the quotes on money alone: they have "
               "no SLA, due diligence or contract to score.")

#: The column heads and labels of an alternative's figures, for every table that shows them.
ALTERNATIVE_HEADS = ("alternative", "annual cost", "one-time", "planned uplift",
                     "net gain", "NPV", "payback")
IMPROVE_LABEL = "In-house improvement"
#: An alternative's fields as the app asks for them: (label, the plain line under it).
ALTERNATIVE_WORDS = {
    "annual_cost": ("Cost a year", "What it adds to billing's cost a year: a salary with its "
                    "taxes and benefits, a service's fee, a licence."),
    "one_time": ("One-time cost", "Optional: recruiting, setup or training, paid in month 1."),
    "uplift": ("Collections uplift", "How much more the practice would collect a year, as a "
               "share of today's collections. Your claims, where given, cap it as they cap a "
               "vendor's promise."),
}


def phrase(name: str) -> str:
    """An alternative's name inside a sentence: a name opening with an article or a verb's
    -ing form reads in lower case ("Hiring a coder" -> "hiring a coder", "A denial service"
    -> "a denial service"); any other keeps its case ("Epic upgrade", "CPC coder").

    >>> phrase("Hiring a certified coder"), phrase("Epic upgrade"), phrase("ICD-10 training")
    ('hiring a certified coder', 'Epic upgrade', 'ICD-10 training')
    """
    first = name.split(" ", 1)[0]
    if first in ("A", "An", "The") or (len(first) > 4 and first.endswith("ing")
                                       and first[1:].islower()):
        return name[0].lower() + name[1:]
    return name


def sentence_start(name: str) -> str:
    return name[:1].upper() + name[1:]


def _gains(g: float) -> str:
    return f"would gain {money(g)} a year" if g >= 0 else f"would lose {money(-g)} a year"


def comparison_sentence(d) -> str | None:
    """The alternative against the quotes in one sentence; None without alternatives."""
    alt = d.alternative
    if alt is None:
        return None
    g = d.alternative_gains[alt]
    vendor = d.recommended if d.verdict == "outsource" else d.runner_up
    if d.verdict == "outsource":
        v = d.gains[vendor]
        than = "more than" if money(v) != money(g) else "as much as"
        return (f"Outsourcing to {vendor} would gain {money(v)} a year, {than} "
                f"{phrase(alt)} at {money(g)}.")
    head = f"{sentence_start(alt)} {_gains(g)}"
    if vendor is None:
        return f"{head}; no quote can be recommended."
    v = d.gains[vendor]
    if d.verdict == "improve" and v > 0:
        return f"{head}, more than outsourcing to {vendor} at {money(v)}."
    if d.verdict == "improve":
        return f"{head}, while no quote pays: outsourcing to {vendor} {_gains(v)}."
    return (f"{head}, so it does not pay either (outsourcing to {vendor} {_gains(v)}).")


def offer_sentence(d, gain: float) -> str | None:
    """A proposal's version, naming no other vendor: the best alternative against this offer
    (its planning net gain ``gain``); None without alternatives."""
    alt = d.alternative
    if alt is None:
        return None
    g = d.alternative_gains[alt]
    than = ("as much as" if money(g) == money(gain) else "more than" if g > gain
            else "less than")
    return f"{sentence_start(alt)} {_gains(g)}, {than} this offer at {money(gain)}."


def improve_reason(d) -> str:
    """The reason of an "improve" verdict, opening with the verdict."""
    return f"Improve billing in-house: {comparison_sentence(d)}"


def improve_headline(d) -> str:
    return f"Improve billing in-house: {phrase(d.alternative)}."


def improve_odds(sim) -> str:
    """The share of simulated outcomes where an in-house alternative wins, in one sentence."""
    return (f"In {pct(sim.prob_improve, 0)} of {sim.draws:,} simulated outcomes an in-house "
            "alternative gains more than the quote the decision would choose (or pays where "
            "no quote does).")


def alternative_line(a) -> str:
    """One alternative's figures (a :class:`rcmmodel.model.alternatives.AlternativeResult`)
    in one sentence, saying where the practice's claims cap its uplift."""
    p = a.planned
    uplift = (f"planned at {pct(p.uplift)}, the most the practice's claims show being lost "
              f"(it is expected to add {pct(p.quote)})" if p.capped
              else f"expected to add {pct(p.uplift)} to collections")
    once = f" and {money(a.one_time)} once" if a.one_time else ""
    payback = (f"pays back in month {a.payback_month}" if a.payback_month
               else "does not pay back within the horizon")
    return (f"{sentence_start(a.name)}: costs {money(a.annual_cost)} a year{once}, "
            f"{uplift}; net gain {money(a.net_gain)} a year, NPV {money(a.npv)}, {payback}.")


def alternative_row(a) -> list[str]:
    """One alternative's figures as a table row under :data:`ALTERNATIVE_HEADS`."""
    p = a.planned
    uplift = pct(p.uplift) + (f" (of {pct(p.quote)})" if p.capped else "")
    return [a.name, money(a.annual_cost), money(a.one_time), uplift, money(a.net_gain),
            money(a.npv), f"month {a.payback_month}" if a.payback_month else "never"]


__all__ = ["ALTERNATIVE_HEADS", "ALTERNATIVE_WORDS", "IMPROVE_LABEL", "MONEY_ALONE", "alternative_line",
           "alternative_row", "comparison_sentence", "improve_headline", "improve_odds",
           "offer_sentence",
           "improve_reason",
           "phrase", "sentence_start"]
