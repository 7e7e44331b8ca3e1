"""Default billing-staff salaries, for a prospect list that gives staff but no salary.

A sales rep often knows how many people do a prospect's billing, not what they earn. The
default is a published figure, never a guess, and every proposal that uses it says so.

Source: U.S. Bureau of Labor Statistics, Occupational Employment and Wage Statistics (OEWS),
May 2023, occupation 29-2072 *Medical Records Specialists* (the coders and billers of a
practice; Occupational Outlook Handbook, "Medical Records Specialists", Pay): national median
annual wage $48,780 (10th percentile $35,080, 90th $77,810).

OEWS publishes wages by occupation, industry and area, not by physician specialty, so every
specialty gets the national median; a row's ``avg_salary`` overrides it. A specialty-specific
figure (e.g. from an MGMA DataDive a user licenses) belongs in :data:`BY_PRACTICE_TYPE` with its
own source.

>>> default_salary("family_medicine").amount
48780.0
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Salary:
    amount: float
    source: str
    short: str        # what a report's tables and chart labels have room for


NATIONAL = Salary(48_780.0, "BLS OEWS May 2023, medical records specialists (29-2072), "
                            "U.S. median annual wage", "BLS median pay 2023")

#: Specialty -> salary where a cited specialty-specific figure exists; none is published
#: openly, so the table is empty and every specialty uses :data:`NATIONAL`.
BY_PRACTICE_TYPE: dict[str, Salary] = {}


def default_salary(specialty: str | None) -> Salary:
    """The default annual salary of one billing FTE for a specialty, with its source."""
    key = (specialty or "").strip().lower().replace(" ", "_").replace("-", "_")
    return BY_PRACTICE_TYPE.get(key, NATIONAL)
