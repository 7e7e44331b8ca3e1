"""Capacity as volume grows (:func:`rcmmodel.risk.capacity`) in words for a report.

The capacity result holds the numbers (today's capacity, the year of the next hire, whether
that hire flips the decision); this module says them (docs/methodology.md §8).
"""
from __future__ import annotations

from ..describe import pct
from ..risk.capacity import MAX_YEARS


def capacity_summary(c) -> str:
    """One or two sentences for a report, from a :class:`~rcmmodel.risk.capacity.CapacityResult`."""
    cap = (f"Today's staff ({c.current_fte:g} FTE) handle about "
           f"{c.capacity_claims_per_month:,.0f} claims a month")
    if c.next_hire_year is None:
        text = f"{cap}; at {c.growth_rate:.0%} growth no hire is needed within {MAX_YEARS} years."
    else:
        when = ("within the years modelled" if c.next_hire_year <= c.horizon_years
                else "beyond the years modelled")
        text = (f"{cap}; at {c.growth_rate:.0%} growth the next hire is needed in year "
                f"{c.next_hire_year} ({when}).")
        text += (" That hire flips the decision." if c.flips_at_hire
                 else " That hire does not change the decision.")
    if c.flip_year is not None and not c.flips_at_hire:
        text += f" The decision changes in year {c.flip_year}."
    return text


def capacity_caption(c) -> str:
    """The caption under the capacity chart of a report."""
    hire = (f"today's staff handle about {c.capacity_claims_per_month:,.0f} claims a "
            f"month; the next hire is needed in year {c.next_hire_year}"
            if c.next_hire_year else "today's staff keep up over all the years modelled")
    return (f"Claims growing {pct(c.growth_rate)} a year: {hire}. "
            + (f"The decision changes in year {c.flip_year}." if c.flip_year
               else "The decision holds every year."))


__all__ = ["capacity_caption", "capacity_summary"]
