"""What the decision believes a vendor adds: the planning uplift (docs/methodology.md §6,
"The planning uplift").

A quote's uplift is a promise. Where the practice's own claims are usable (at least
:data:`MIN_CLAIMS` adjudicated claims, and collections in the period), they show how much
is being lost that a vendor could win back every year: denials not overturned and
underpayments (old A/R is a one-time sum and never counts as a yearly uplift). The
decision then plans on

    u_plan = min(u_quote, e_high)

where ``e_high`` is the high end of that recurring range as a share of collections; with no
usable claims, ``u_plan = u_quote``. ``basis`` says which rule applied ("claims" where the
evidence was usable, else "quote") and ``capped`` whether the cap bound.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..claims.targets import MIN_GRADED_CLAIMS as MIN_CLAIMS


@dataclass(frozen=True)
class ClaimsEvidence:
    """What a practice's claims files show, for planning."""

    claims: int                       # adjudicated claims in the files
    collections: float                # collections of the measured period
    low: float | None                 # recurring leakage a vendor could win back, low and
    high: float | None                # high, as fractions of collections
    start: str | None = None          # the measured period
    end: str | None = None

    @property
    def usable(self) -> bool:
        """Enough claims, and collections, for the evidence to bound an uplift."""
        return self.claims >= MIN_CLAIMS and self.collections > 0 and self.high is not None

    @property
    def too_few_claims(self) -> bool:
        return self.claims < MIN_CLAIMS

    def to_dict(self) -> dict:
        return {"claims": self.claims, "collections": self.collections, "low": self.low,
                "high": self.high, "usable": self.usable,
                "period": {"start": self.start, "end": self.end}}


def claims_evidence(review: dict) -> ClaimsEvidence:
    """The planning evidence of a claims review (:func:`rcmmodel.claims.summarize`): the
    recurring components of :func:`rcmmodel.claims.evidence.evidence` only."""
    from ..claims.evidence import evidence

    ev = evidence(review)
    collections = float(ev.get("collections") or 0.0)
    recurring = [c for c in ev["components"] if c["recurring"]]
    low = sum(c["low_amount"] for c in recurring)
    high = sum(c["high_amount"] for c in recurring)
    period = review.get("period") or {}
    return ClaimsEvidence(
        claims=int(review.get("adjudicated_claims") or 0), collections=collections,
        low=low / collections if collections > 0 else None,
        high=high / collections if collections > 0 else None,
        start=period.get("start"), end=period.get("end"))


@dataclass(frozen=True)
class PlannedUplift:
    """One quote's planning uplift."""

    quote: float            # the quoted uplift (a range's central value)
    uplift: float           # what the decision plans on
    basis: str              # "claims" (the evidence was usable) or "quote"
    capped: bool            # the evidence's high end is below the quote

    @property
    def cap(self) -> float | None:
        return self.uplift if self.capped else None


def capped(quote: float, high: float | None) -> float:
    """The rule itself: the quote, at most ``high`` (None: no usable evidence)."""
    return quote if high is None else min(quote, float(high))


def planned_uplift(quote: float, evidence: ClaimsEvidence | None) -> PlannedUplift:
    """``min(quote, e_high)`` where the evidence is usable, else the quote.

    >>> ev = ClaimsEvidence(claims=300, collections=100000.0, low=0.03, high=0.064)
    >>> planned_uplift(0.18, ev)
    PlannedUplift(quote=0.18, uplift=0.064, basis='claims', capped=True)
    >>> planned_uplift(0.05, ev).capped, planned_uplift(0.18, None).uplift
    (False, 0.18)
    """
    quote = float(quote)
    if evidence is None or not evidence.usable:
        return PlannedUplift(quote, quote, "quote", False)
    high = float(evidence.high)
    return PlannedUplift(quote, capped(quote, high), "claims", quote > high)


__all__ = ["ClaimsEvidence", "MIN_CLAIMS", "PlannedUplift", "capped", "claims_evidence",
           "planned_uplift"]
