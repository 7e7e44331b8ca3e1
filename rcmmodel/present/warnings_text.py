"""Plausibility warnings in words (the facts: :mod:`rcmmodel.model.plausibility`)."""
from __future__ import annotations

from ..describe import money, pct


def warning_text(w) -> str:
    """One warning as a sentence a practice owner can act on, with its numbers."""
    who = f"{w.vendor}: " if w.vendor else ""
    if w.key == "inhouse_share":
        (c0,) = w.figures
        return (f"In-house billing costs {money(w.value)} a year, {pct(w.value / c0, 0)} of "
                f"collections ({money(c0)}); above {pct(w.limit, 0)} is rare: check the "
                "staff, salaries and costs.")
    if w.key == "staff_for_claims":
        (claims,) = w.figures
        return (f"{w.value:g} billing staff (FTE) for {claims:,.0f} claims a month is more "
                f"than {w.limit:g} per 100 claims: check the FTE (1.5, not 15) and the claim "
                "count.")
    if w.key == "claim_size":
        c0, claims = w.figures
        low, high = w.limit
        return (f"Collections of {money(c0)} a year over {claims:,.0f} claims a month is "
                f"{money(w.value)} a claim, outside the usual {money(low)} to {money(high)}: "
                "check both figures.")
    if w.key == "no_claims":
        (c0,) = w.figures
        return (f"Collections of {money(c0)} a year over 0 claims a month: a fee per claim "
                "is priced at $0 and no claim size can be checked; give the claims a month.")
    if w.key == "net_gain_ceiling":
        tco, c0 = w.figures
        return (f"{who}a net gain of {money(w.value)} a year is more than the in-house cost "
                f"({money(tco)}) plus {pct(w.limit, 0)} of collections: check the uplift and "
                "the in-house figures.")
    if w.key == "uplift_quoted":
        return (f"{who}a promised rise in collections of {pct(w.value, 0)} is above "
                f"{pct(w.limit, 0)}, which few practices see: ask the vendor what it rests on.")
    return f"{who}{w.key}: {w.value:g}"


def warnings_dict(warnings) -> list[dict]:
    """The ``warnings`` list of the JSON: each fact with its sentence."""
    return [{**w.to_dict(), "message": warning_text(w)} for w in warnings]


__all__ = ["warning_text", "warnings_dict"]
