"""KPI benchmark targets the reports grade against, with their sources
(docs/methodology.md §7 Billing KPIs from claims data).

One table, used by the KPI grading, the SLA scorecard and the reports alike.
A grade is ``green`` when the target is met, ``amber`` inside the amber band,
``red`` otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass

import math


@dataclass(frozen=True)
class Target:
    kpi: str
    label: str
    higher_is_better: bool
    green: float          # the target: met when value < green (lower) or >= green (higher)
    amber: float          # edge of the amber band
    source: str
    fmt: str = "pct"      # "pct" or "days"

    def grade(self, value) -> str | None:
        """'green', 'amber' or 'red'; None for an unknown value."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        if self.higher_is_better:
            if value >= self.green:
                return "green"
            return "amber" if value >= self.amber else "red"
        if value < self.green:
            return "green"
        return "amber" if value <= self.amber else "red"


TARGETS: dict[str, Target] = {t.kpi: t for t in [
    Target("days_in_ar", "Days in A/R", False, 30, 50,
           "guide: under 30 days; AAFP: under 50, ideally 30-40", "days"),
    Target("clean_claim_rate", "Clean claim rate", True, 0.95, 0.93,
           "guide: 95% or higher; HFMA colour bands 93% / 97%"),
    Target("net_collection_rate", "Net collection rate", True, 0.96, 0.90,
           "guide: 96% or above is excellent; AAFP: ~95% optimal, 90% or below is a problem"),
    Target("denial_rate", "Denial rate", False, 0.05, 0.10,
           "guide: under 5%; AAFP: 5-10% is average"),
    Target("ar_over_90", "A/R over 90 days", False, 0.15, 0.25,
           "MGMA: better performers ~12%"),
]}

GRADE_COLORS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}


def grade(kpi: str, value) -> str | None:
    """Grade one KPI value against its benchmark; None where there is no target or value."""
    target = TARGETS.get(kpi)
    return None if target is None else target.grade(value)
