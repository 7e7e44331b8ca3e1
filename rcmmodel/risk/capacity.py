"""Capacity as volume grows (docs/methodology.md §8, growth and hires).

Claims volume grows ``g`` a year; collections, charges and patient statements grow with it.
An in-house biller handles ``claims_per_fte_per_day`` claims (default 30) on
``workdays_per_year`` days (default 250), so in year y the practice needs

    fte_needed_y = claims_per_month * (1 + g)^(y-1) * 12 / (workdays * claims_per_fte_per_day)

and in-house cost steps up by whole hires: ``hires_y = ceil(fte_needed_y - covered)``
(at least 0), each costing ``cost_per_fte`` a year, where ``covered`` is the larger of the
current FTE and today's need (today's team handles today's volume, so year 1 is the
scenario as it stands). The vendor's cost grows smoothly with
volume through the same pricing functions as the steady-state year
(:func:`~rcmmodel.model.steady_net_gain`, vectorized over the years). The decision in a
year is the eligible vendor with the highest net gain if that is above zero, else in-house.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._json import cents
from ..scenario.distributions import central
from ..model.inputs import scenario_inputs, with_inputs
from ..model.gain import steady_net_gain
from ..scenario.schema import Scenario

INHOUSE = "in-house"
MAX_YEARS = 15     # how far the table reaches to show the first hire beyond the horizon


@dataclass
class CapacityResult:
    """Year-by-year volume, staffing, costs and decision; see :func:`capacity`."""

    growth_rate: float
    claims_per_fte_per_day: float
    workdays_per_year: int
    current_fte: float
    cost_per_fte: float
    capacity_claims_per_month: float   # what today's staff can handle
    next_hire_year: int | None         # first year that needs one more biller; None if none
    horizon_years: int
    years: pd.DataFrame                # one row per year (see capacity())
    vendors: pd.DataFrame              # one row per year and vendor
    decision_today: str
    flip_year: int | None              # first year the decision differs from year 1
    flips_at_hire: bool | None         # would the hire year decide otherwise without the hire?

    def to_frame(self) -> pd.DataFrame:
        """The per-year table with each vendor's net gain as a column."""
        wide = self.vendors.pivot(index="year", columns="vendor", values="net_gain")
        wide.columns = [f"net_gain: {c}" for c in wide.columns]
        return self.years.set_index("year").join(wide)

    def to_dict(self) -> dict:
        def rows(frame):
            return [{k: (None if isinstance(v, float) and math.isnan(v) else
                         v.item() if hasattr(v, "item") else v) for k, v in r.items()}
                    for r in frame.to_dict(orient="records")]
        return {"growth_rate": self.growth_rate,
                "claims_per_fte_per_day": self.claims_per_fte_per_day,
                "workdays_per_year": self.workdays_per_year, "current_fte": self.current_fte,
                "cost_per_fte": cents(self.cost_per_fte),
                "capacity_claims_per_month": cents(self.capacity_claims_per_month),
                "next_hire_year": self.next_hire_year, "horizon_years": self.horizon_years,
                "decision_today": self.decision_today, "flip_year": self.flip_year,
                "flips_at_hire": self.flips_at_hire,
                "years": rows(self.years), "vendors": rows(self.vendors)}


def _current_fte(s: Scenario, need_today: float) -> float:
    if s.capacity.current_fte is not None:
        return float(s.capacity.current_fte)
    if s.inhouse.staff:
        return float(sum(central(m.fte) for m in s.inhouse.staff))
    # Only a total cost is known: assume today's team is today's need in whole people.
    return float(max(1, math.ceil(need_today - 1e-9)))


def _cost_per_fte(s: Scenario, inputs, fte: float) -> float:
    if s.capacity.cost_per_fte is not None:
        return float(s.capacity.cost_per_fte)
    parts = inputs.inhouse.parts
    if s.inhouse.staff:
        # A hire adds wages, payroll tax, benefits and turnover; software and office stay put.
        people = sum(float(parts.get(k, 0.0)) for k in ("wages", "payroll_tax", "benefits",
                                                        "turnover"))
        return people / fte
    return float(inputs.inhouse.tco) / fte     # a total only: assume it all scales with staff


def capacity(scenario: Scenario, growth_rate: float | None = None,
             claims_per_fte_per_day: float | None = None, years: int | None = None,
             cost_per_fte: float | None = None) -> CapacityResult:
    """Volume growing ``growth_rate`` a year: when is the next hire, and does it flip the choice?

    Arguments override the scenario's ``capacity:`` block (whose defaults are growth 0,
    30 claims per FTE per day, 250 workdays, staff FTE from ``inhouse.staff``).

    Returns
    -------
    CapacityResult
        ``years`` has columns year, growth, claims_per_month, fte_needed, fte, hires,
        inhouse_cost, inhouse_savings, best_vendor, best_net_gain, decision; ``vendors`` has
        year, vendor, collections, vendor_cost, uplift_amount, net_cost (vendor cost less
        the collections it adds), net_gain, eligible.
    """
    cap = scenario.capacity
    updates = {k: v for k, v in {"claims_growth_rate": growth_rate,
                                 "claims_per_fte_per_day": claims_per_fte_per_day,
                                 "years": years, "cost_per_fte": cost_per_fte}.items()
               if v is not None}
    if updates:
        cap = cap.model_validate({**cap.model_dump(), **updates})
        scenario = scenario.model_copy(update={"capacity": cap})
    g, cpd, days = cap.claims_growth_rate, cap.claims_per_fte_per_day, cap.workdays_per_year
    inputs = scenario_inputs(scenario)
    claims0 = float(inputs.practice.claims_per_month)
    need_today = claims0 * 12 / (days * cpd)
    fte0 = _current_fte(scenario, need_today)
    per_fte = _cost_per_fte(scenario, inputs, fte0)
    # Today's team does handle today's volume, whatever the rule of thumb says: a hire is
    # needed only once volume outgrows both, so year 1 always matches `rcm evaluate`.
    covered = max(fte0, need_today)
    limit = covered * cpd * days / 12       # claims a month today's staff can handle
    horizon = cap.years or math.ceil(scenario.timeline.horizon_months / 12)

    # Look far enough ahead to find the first hire even beyond the horizon, then show the
    # horizon, stretched to that year so the table holds the step.
    ahead = np.arange(1, max(horizon, MAX_YEARS) + 1)
    needed = claims0 * (1.0 + g) ** (ahead - 1) * 12 / (days * cpd)
    # Whole hires only; a small tolerance keeps 2.0000000001 FTE needed from buying a third.
    hires = np.ceil(np.maximum(0.0, needed - covered) - 1e-9).astype(int)
    first = np.flatnonzero(hires > 0)
    next_hire = int(ahead[first[0]]) if first.size else None
    span = max(horizon, next_hire or 0)
    year, needed, hires = ahead[:span], needed[:span], hires[:span]
    growth = (1.0 + g) ** (year - 1)
    claims = claims0 * growth
    tco = float(inputs.inhouse.tco) + hires * per_fte
    savings = tco - float(inputs.inhouse.residual)

    p = inputs.practice
    grown = with_inputs(inputs, collections=p.collections * growth,
                        charges=None if p.charges is None else p.charges * growth,
                        claims_per_month=claims,
                        statements_per_month=p.statements_per_month * growth).practice
    rows, gains = [], []
    eligible = [v.profile.baa_offered is not False for v in scenario.vendors]
    for vendor, ok in zip(inputs.vendors, eligible):
        steady = steady_net_gain(grown, savings, vendor)
        uplift, c1, cost, gain = (np.broadcast_to(np.asarray(x, float), year.shape) for x in (
            steady.uplift_amount, steady.collections, steady.vendor_cost, steady.net_gain))
        gains.append(gain)
        rows.append(pd.DataFrame({"year": year, "vendor": vendor.name, "collections": c1,
                                  "vendor_cost": cost, "uplift_amount": uplift,
                                  "net_cost": cost - uplift, "net_gain": gain, "eligible": ok}))
    vendors = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()

    best_name, best_gain = [], []
    for i in range(span):
        options = [(gains[k][i], -k) for k in range(len(gains)) if eligible[k]]
        if options:
            gain, neg_k = max(options)          # ties go to the vendor listed first
            best_name.append(scenario.vendors[-neg_k].name)
            best_gain.append(float(gain))
        else:
            best_name.append(None)
            best_gain.append(float("nan"))
    decision = [n if n is not None and bg > 0 else INHOUSE for n, bg in zip(best_name, best_gain)]
    table = pd.DataFrame({"year": year, "growth": growth, "claims_per_month": claims,
                          "fte_needed": needed, "fte": fte0 + hires, "hires": hires,
                          "inhouse_cost": tco, "inhouse_savings": savings,
                          "best_vendor": best_name, "best_net_gain": best_gain,
                          "decision": decision})
    flip = next((int(y) for y, d in zip(year, decision) if d != decision[0]), None)
    flips_at_hire = None
    if next_hire is not None:
        # The hire's own effect: the same year's decision had in-house cost not stepped up.
        # Savings add to every vendor's net gain alike, so the best vendor stays the same.
        i = next_hire - 1
        step = hires[i] * per_fte
        without = (best_name[i] if best_name[i] is not None and best_gain[i] - step > 0
                   else INHOUSE)
        flips_at_hire = without != decision[i]
    return CapacityResult(
        growth_rate=g, claims_per_fte_per_day=cpd, workdays_per_year=days, current_fte=fte0,
        cost_per_fte=per_fte, capacity_claims_per_month=limit, next_hire_year=next_hire,
        horizon_years=horizon, years=table, vendors=vendors, decision_today=decision[0],
        flip_year=flip, flips_at_hire=flips_at_hire)
