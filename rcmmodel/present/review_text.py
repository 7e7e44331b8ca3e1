"""The claims review's notes, the evidence-based uplift and a quote's judgement in words.

:func:`rcmmodel.claims.summarize` and :mod:`rcmmodel.claims.evidence` return facts: each
note a ``key`` with its figures, each evidence component a ``basis`` key with its
``basis_figures``, a quote's judgement a status with the figures. This module says them;
:func:`review_dict` is the object ``rcm kpi --json`` prints, with the words in place.
"""
from __future__ import annotations

from .labels import EVIDENCE_LABELS


def note_text(note: dict) -> str:
    """A note of the claims review (``review["notes"]``) as a sentence."""
    key = note["key"]
    if key == "submissions_only":
        return ("Only claim submissions (837 files): they carry no payments, so collection "
                "and denial rates cannot be measured from them.")
    if key == "too_few_to_grade":
        n = note["adjudicated"]
        return (f"Only {n} adjudicated claim{'s' if n != 1 else ''}: too few to grade against "
                f"the benchmarks (at least {note['needed']} needed), so the figures are "
                "shown, not graded.")
    if key == "long_span":
        return (f"These files span {note['days'] / 30.44:.0f} months of service: rates cover "
                "the whole period, days in A/R the last 90 days. For today's picture, review "
                "the last 12 months or set an as-of date.")
    return key.replace("_", " ")


def basis_text(component: dict) -> str:
    """What an evidence component (``evidence["components"][i]``) counts, in words."""
    key, f = component["basis"], component.get("basis_figures") or {}
    if key == "denied_not_overturned":
        whose = ("the practice's own rate" if f["overturn_source"] == "measured"
                 else "the cited rate for hospital claims, 2017")
        return (f"denied dollars not overturned, at {f['paid_yield']:.0%} of charges, "
                f"{f['overturn_rate']:.0%} of them overturned ({whose})")
    if key == "fee_schedule_shortfall":
        return "shortfall against the fee schedule, half to all recovered"
    if key == "aged_ar_collectable":
        return (f"open A/R over 120 days, {f['collectable_low']:.0%} to "
                f"{f['collectable_high']:.0%} collectable")
    return key.replace("_", " ")


def component_dict(component: dict) -> dict:
    """An evidence component as printed: its ``label`` after its ``name``, its ``basis`` in
    words (the figures behind it are said there)."""
    out = {}
    for k, v in component.items():
        if k == "basis_figures":
            continue
        out[k] = basis_text(component) if k == "basis" else v
        if k == "name":
            out["label"] = EVIDENCE_LABELS.get(v, v)
    return out


def evidence_dict(ev: dict) -> dict:
    """The evidence-based uplift (:func:`rcmmodel.claims.evidence.evidence`) as printed."""
    return {**ev, "components": [component_dict(c) for c in ev["components"]]}


def judgement_text(j: dict) -> str:
    """A quote's judgement against the evidence (:func:`rcmmodel.claims.judge_quote`)."""
    uplift, low, high = j["uplift"], j["low"], j["high"]
    if j["status"] == "unknown":
        return "no claims data to check the quote against"
    if j["status"] == "above":
        return (f"promises {uplift:.1%} more collections; the claims data shows at most "
                f"{high:.1%} being lost")
    if j["status"] == "below":
        return f"promises {uplift:.1%}; the claims data shows at least {low:.1%} recoverable"
    return f"promises {uplift:.1%}, within the {low:.1%} to {high:.1%} the claims data supports"


def review_dict(review: dict) -> dict:
    """A claims review (:func:`rcmmodel.claims.summarize`) as ``rcm kpi`` prints it: the
    notes as sentences, the evidence's components with their labels and bases in words."""
    out = dict(review)
    out["notes"] = [note_text(n) for n in review["notes"]]
    if "evidence" in review:
        out["evidence"] = evidence_dict(review["evidence"])
    return out


__all__ = ["basis_text", "component_dict", "evidence_dict", "judgement_text", "note_text",
           "review_dict"]
