"""The KPI table: every billing KPI once, with its label, unit, direction, benchmark and
source (docs/methodology.md §7).

One table, read by the KPI grading, the SLA scorecard, the labels people read
(:data:`rcmmodel.present.labels.KPI_LABELS`), the reports, the workbook and the app.
A grade is ``green`` when the target is met, ``amber`` inside the amber band,
``red`` otherwise; a KPI without a benchmark is not graded.
"""
from __future__ import annotations

from dataclasses import dataclass

import math

#: Fewer adjudicated claims than this tell too little: the KPIs are shown, marked, and not
#: graded, and they fill neither a scenario's baseline nor the evidence that bounds an uplift.
MIN_GRADED_CLAIMS = 30


@dataclass(frozen=True)
class Kpi:
    kpi: str                    # the key, as in ``rcm kpi --json`` and a scenario's KPIs
    label: str                  # as people read it
    higher_is_better: bool      # the direction
    green: float | None = None  # the target: met when value < green (lower) or >= green (higher)
    amber: float | None = None  # edge of the amber band
    source: str = ""            # where the benchmark comes from
    unit: str = "pct"           # "pct", "days" or "money"

    @property
    def benchmarked(self) -> bool:
        return self.green is not None

    def grade(self, value) -> str | None:
        """'green', 'amber' or 'red'; None for an unknown value or a KPI without a target."""
        if (not self.benchmarked or value is None
                or (isinstance(value, float) and math.isnan(value))):
            return None
        if self.higher_is_better:
            if value >= self.green:
                return "green"
            return "amber" if value >= self.amber else "red"
        if value < self.green:
            return "green"
        return "amber" if value <= self.amber else "red"


Target = Kpi     # a benchmarked row of the table

#: Every KPI, in the order the claims review lists them.
KPIS: dict[str, Kpi] = {k.kpi: k for k in [
    Kpi("net_collection_rate", "Net collection rate", True, 0.96, 0.90,
        "guide: 96% or above is excellent; AAFP: ~95% optimal, 90% or below is a problem"),
    Kpi("gross_collection_rate", "Gross collection rate", True),
    Kpi("denial_rate", "Denial rate", False, 0.05, 0.10,
        "guide: under 5%; AAFP: 5-10% is average"),
    Kpi("final_denial_rate", "Final denial rate", False),
    Kpi("denial_rate_dollars", "Denial rate (dollars)", False),
    Kpi("clean_claim_rate", "Clean claim rate", True, 0.95, 0.93,
        "guide: 95% or higher; HFMA: the definition; assumption: a warning band from 93%"),
    Kpi("open_ar", "Open A/R", False, unit="money"),
    Kpi("days_in_ar", "Days in A/R", False, 30, 50,
        "guide: under 30 days; AAFP: under 50, ideally 30-40", "days"),
    Kpi("ar_over_90", "A/R over 90 days", False, 0.15, 0.25, "MGMA: better performers about 12%; assumption: target 15%, warning to 25%"),
]}

#: The KPIs with a benchmark, in the order the reports grade them (and an SLA commits to).
TARGETS: dict[str, Kpi] = {k: KPIS[k] for k in (
    "days_in_ar", "clean_claim_rate", "net_collection_rate", "denial_rate", "ar_over_90")}
#: The four core KPIs: what a practice states today (``practice.baseline_kpis``).
BASELINE_KPIS = ("days_in_ar", "clean_claim_rate", "net_collection_rate", "denial_rate")

GRADE_COLORS = {"green": "#2e7d32", "amber": "#f9a825", "red": "#c62828"}


def grade(kpi: str, value) -> str | None:
    """Grade one KPI value against its benchmark; None where there is no target or value."""
    target = KPIS.get(kpi)
    return None if target is None else target.grade(value)
