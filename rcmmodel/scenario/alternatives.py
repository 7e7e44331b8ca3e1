"""``alternatives:``: ways to improve billing in-house instead of outsourcing it (a certified
coder, a denial-management service, better software), each with what it costs and the
uplift it is expected to bring (docs/methodology.md §6, "Fixing billing in-house instead").

An alternative is compared with the quotes on money alone: its planning uplift is capped by
the practice's claims exactly like a vendor's. Names are unique within the list (ignoring
case), checked on the raw mapping by :func:`alternative_problems` so that every problem of
a file comes in one pass.
"""
from __future__ import annotations

from pydantic import Field

from ..describe import shown
from .fields import D, Money, Name, Section, number
from .rules import name_key


class Alternative(Section):
    """One way to improve billing in-house: what it costs, and what it is expected to add.
    Compared with the quotes on money alone (it has no SLA, due diligence or contract)."""

    name: Name = Field(**D(
        "What the practice would do, as reports say it: a phrase such as \"Hiring a "
        "certified coder\"; unique among the alternatives (ignoring case).",
        "Hiring a certified coder"))
    annual_cost: Money = Field(**D(
        "What it costs a year, in USD, on top of billing as it is today (a salary with "
        "its taxes and benefits, a service's fee, a licence).", 38000))
    one_time: Money = Field(0.0, **D(
        "One-time cost in month 1, in USD (recruiting, setup, training).", 3000))
    uplift: number(ge=-0.99, le=1, rate=True) = Field(**D(
        "Expected rise in collections, as a fraction (0.05 is 5%), a point or a range "
        "(a distribution, like a vendor's uplift); capped by what the practice's claims "
        "show being lost, as a vendor's is.",
        {"dist": "triangular", "low": 0.02, "mode": 0.05, "high": 0.07}))


ALTERNATIVES_FIELD = Field([], **D(
    "Ways to improve billing in-house instead of outsourcing it, compared with the quotes "
    "on money alone (planning net gain = collections x planning uplift - annual cost).",
    [{"name": "Hiring a certified coder", "annual_cost": 38000, "uplift": 0.05}]))


def alternative_problems(data: dict) -> list[tuple[str, str]]:
    """Rules across the alternatives of a scenario mapping: unique names."""
    alternatives = data.get("alternatives") if isinstance(data, dict) else None
    if not isinstance(alternatives, list):
        return []
    out, seen = [], {}
    for i, alt in enumerate(alternatives):
        name = alt.get("name") if isinstance(alt, dict) else None
        if isinstance(name, str) and name.strip():
            first = seen.setdefault(name_key(name), i)
            if first != i:
                out.append((f"alternatives[{i}].name", f"duplicate alternative name "
                            f"{shown(name, 40)} (alternatives[{first}] has the same name, "
                            "ignoring case)"))
    return out


__all__ = ["ALTERNATIVES_FIELD", "Alternative", "alternative_problems"]
