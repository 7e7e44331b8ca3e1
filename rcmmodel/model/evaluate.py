"""Evaluate a scenario: the steady-state year, break-even and timeline of every vendor.

``evaluate(scenario).to_dict()`` is the object ``rcm evaluate --json`` prints
(docs/architecture.md, "The command line's contract").
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .breakeven import breakeven
from .inputs import Inputs, scenario_inputs, with_inputs
from .planning import PlannedUplift, planned_uplift
from .provenance import input_sources
from .gain import (VendorFigures, ar_cash_release, cost_to_collect, sla_implied_uplift,
                   vendor_figures)
from ..scenario.schema import Scenario
from .._json import cents, number as _num, rounded

if TYPE_CHECKING:              # pandas is imported lazily: rcm starts faster without it
    import pandas as pd




@dataclass
class VendorResult:
    figures: VendorFigures
    breakeven: dict
    ar_cash_release: float | None
    eligible: bool             # False where the vendor refuses a Business Associate Agreement
    uplift: float = 0.0        # the quoted (central) uplift
    sla_implied_uplift: float | None = None   # SLA net collection rate / baseline - 1
    planned: PlannedUplift | None = None      # what the decision plans on
    plan: VendorFigures | None = None         # the same model at the planning uplift
    cost_to_collect: float | None = None      # (vendor_cost + residual) / C1, at the planning uplift

    @property
    def planning(self) -> VendorFigures:
        """The figures the decision uses: at the planning uplift (the quote's where no
        evidence caps it)."""
        return self.plan if self.plan is not None else self.figures

    @property
    def name(self) -> str:
        return self.figures.name

    def months_frame(self, planning: bool = False) -> "pd.DataFrame":
        """The monthly timeline, as quoted or (``planning``) at the planning uplift."""
        import pandas as pd

        uplift, savings, vendor, net = (self.planning if planning else self.figures).months
        frame = pd.DataFrame({"m": np.arange(1, len(net) + 1), "uplift": uplift,
                              "savings": savings, "vendor": vendor, "net": net})
        frame["cumulative"] = frame["net"].cumsum()
        return frame

    def to_dict(self) -> dict:
        f = self.figures
        uplift, savings, vendor, net = (np.asarray(a, dtype=float) for a in f.months)
        months = [{"m": m, "uplift": cents(u), "savings": cents(s), "vendor": cents(v),
                   "net": cents(n)}
                  for m, u, s, v, n in zip(range(1, len(net) + 1), uplift.tolist(),
                                           savings.tolist(), vendor.tolist(), net.tolist())]
        b = self.breakeven
        return {
            "name": f.name,
            "annual": {"uplift_amount": cents(f.uplift_amount), "collections": cents(f.collections),
                       "service_fee": cents(f.service_fee), "vendor_cost": cents(f.vendor_cost),
                       "one_time": cents(f.one_time), "inhouse_savings": cents(f.inhouse_savings),
                       "net_gain": cents(f.net_gain), "roi": _num(f.roi)},
            "breakeven": {"min_uplift": _num(b["min_uplift"]), "max_rate": _num(b["max_rate"]),
                          "breakeven_collections": cents(b["breakeven_collections"])},
            "timeline": {"npv": cents(f.npv),
                         "payback_month": int(f.payback_month) or None,
                         "total": cents(f.total), "months": months},
            "ar_cash_release": cents(self.ar_cash_release),
            "planning": self.planning_dict(),
        }

    def planning_dict(self) -> dict:
        """``vendors[].planning``: the model at the planning uplift, and where it comes from."""
        p, f = self.planned, self.planning
        return {"uplift": _num(p.uplift if p else self.uplift),
                "basis": p.basis if p else "quote", "capped": bool(p and p.capped),
                "net_gain": cents(f.net_gain), "roi": _num(f.roi), "npv": cents(f.npv),
                "payback_month": int(f.payback_month) or None,
                "cost_to_collect": rounded(self.cost_to_collect)}


@dataclass
class Evaluation:
    """The result of :func:`evaluate`."""

    scenario: Scenario
    inputs: Inputs
    vendors: list[VendorResult]
    alternatives: list = field(default_factory=list)   # AlternativeResult (model.alternatives)

    @property
    def inhouse_tco(self) -> float:
        return float(self.inputs.inhouse.tco)

    @property
    def inhouse_savings(self) -> float:
        return float(self.inputs.inhouse.savings)

    @property
    def inhouse_cost_to_collect(self) -> float | None:
        """In-house cost to collect (HFMA MAP key): inhouse_tco / C0."""
        return cost_to_collect(self.inhouse_tco, self.inputs.practice.collections)

    @property
    def best(self) -> VendorResult | None:
        """The vendor with the highest planning net gain among those eligible (the financial
        best of the decision)."""
        eligible = [v for v in self.vendors if v.eligible]
        return max(eligible, key=lambda v: float(v.planning.net_gain), default=None)

    @property
    def evidence(self):
        """What the practice's claims show (None without claims files)."""
        return self.scenario.claims_evidence

    @property
    def uplift_basis(self) -> str:
        """"claims" where the practice's claims bound the uplifts, else "quote"."""
        ev = self.evidence
        return "claims" if ev is not None and ev.usable else "quote"

    def vendor(self, name: str) -> VendorResult:
        for v in self.vendors:
            if v.name == name:
                return v
        raise KeyError(name)

    def to_dict(self) -> dict:
        best = self.best
        ev = self.evidence
        return {"scenario": self.scenario.name,
                "inhouse": {"tco": cents(self.inhouse_tco), "savings": cents(self.inhouse_savings),
                            "cost_to_collect": rounded(self.inhouse_cost_to_collect)},
                "vendors": [v.to_dict() for v in self.vendors],
                # fixing billing in-house instead: listed where the scenario has any
                **({"alternatives": [a.to_dict() for a in self.alternatives]}
                   if self.alternatives else {}),
                "best_vendor": best.name if best else None,
                "uplift_basis": self.uplift_basis,
                "inputs": [i.to_dict() for i in input_sources(self.scenario)],
                "evidence": None if ev is None else {
                    **ev.to_dict(), "collections": cents(ev.collections),
                    "low": _num(ev.low), "high": _num(ev.high)}}

    def to_frame(self) -> "pd.DataFrame":
        """One row per vendor: the figures of the steady-state year, break-even and timeline.

        ``pricing_model`` is the registry key (``percentage``...); words for it are the
        presentation's (:func:`rcmmodel.pricing.pricing_label`).
        """
        import pandas as pd

        pricing = {v.name: v.pricing.model for v in self.scenario.vendors}
        rows = []
        for v in self.vendors:
            f = v.figures
            rows.append({"vendor": v.name, "pricing_model": pricing[v.name],
                         "uplift_amount": float(f.uplift_amount), "service_fee": float(f.service_fee),
                         "vendor_cost": float(f.vendor_cost), "one_time": float(f.one_time),
                         "net_gain": float(f.net_gain), "roi": float(f.roi), "npv": float(f.npv),
                         "payback_month": int(f.payback_month) or None,
                         "min_uplift": v.breakeven["min_uplift"], "max_rate": v.breakeven["max_rate"],
                         "breakeven_collections": v.breakeven["breakeven_collections"],
                         "ar_cash_release": v.ar_cash_release, "eligible": v.eligible,
                         "uplift": v.uplift, "sla_implied_uplift": v.sla_implied_uplift,
                         "cost_to_collect": v.cost_to_collect})
        return pd.DataFrame(rows).set_index("vendor")


def evaluate(scenario: Scenario) -> Evaluation:
    """Evaluate every vendor of a scenario at its deterministic (central) values."""
    inputs = scenario_inputs(scenario)
    results = []
    for k, (spec, vendor) in enumerate(zip(scenario.vendors, inputs.vendors)):
        figures = vendor_figures(inputs, vendor)
        planned = planned_uplift(float(vendor.uplift), scenario.claims_evidence)
        plan = None
        if planned.capped:
            capped = with_inputs(inputs, k, uplift=planned.uplift)
            plan = vendor_figures(capped, capped.vendors[k])
        planning = plan if plan is not None else figures
        results.append(VendorResult(
            planned=planned, plan=plan,
            cost_to_collect=cost_to_collect(
                float(planning.vendor_cost) + float(inputs.inhouse.residual),
                planning.collections),
            figures=figures, breakeven=breakeven(inputs, vendor),
            ar_cash_release=ar_cash_release(inputs.practice.baseline_dar, vendor.sla_dar,
                                            float(inputs.practice.collections)),
            eligible=spec.profile.baa_offered is not False, uplift=float(vendor.uplift),
            sla_implied_uplift=sla_implied_uplift(
                spec.sla.net_collection_rate if spec.sla else None,
                scenario.practice.baseline_kpis.net_collection_rate)))
    from .alternatives import evaluate_alternatives

    return Evaluation(scenario=scenario, inputs=inputs, vendors=results,
                      alternatives=evaluate_alternatives(
                          scenario, float(inputs.practice.collections), inputs.timeline))
