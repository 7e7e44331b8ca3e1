"""The words of a report: the one-sentence recommendation, fee notes, the assumptions table
and the key figures, as plain strings and dicts.

Shared by the report templates (through :mod:`rcmmodel.reports.sections`), ``rcm export``
and the batch index, so the same numbers are said the same way everywhere. Nothing here
imports IPython, altair or papermill.
"""
from __future__ import annotations

import math
from pathlib import Path

from ..describe import money, pct
from ..scenario.pricing_models import pricing_label
from ..scenario.distributions import Dist, central
from ..claims.targets import TARGETS

GUIDE = "guide: Medical Billing Services guide (the project's seed text)"


def _f(x) -> float | None:
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def assessments(result) -> dict:
    """Vendor name -> :class:`rcmmodel.vendors.VendorAssessment` (effective rate, SLA,
    due diligence, contract terms, flags), the one definition the comparison uses."""
    from ..vendors.assess import assess

    return {a.name: a for a in assess(result)}


def payback_text(month) -> str:
    month = int(month or 0)
    return f"month {month}" if month else "not within the horizon"


def recommendation(result, sim=None) -> tuple[str, bool]:
    """The recommendation in one sentence with its key numbers, and whether it is to outsource."""
    s = result.scenario
    best = result.best
    horizon = s.timeline.horizon_months
    if best is None:
        return ("Keep billing in-house for now: no quote can be recommended, because no vendor "
                "offers a Business Associate Agreement (required to share patient data).", False)
    f = best.figures
    gain = float(f.net_gain)
    risk = ""
    if sim is not None:
        v = sim.vendor(best.name)
        p = v.percentiles("net_gain")
        risk = (f"; it pays in {pct(v.prob_positive, 0)} of {sim.draws:,} simulated outcomes "
                f"(5th to 95th percentile {money(p['p05'])} to {money(p['p95'])})")
    if gain > 0:
        return (f"Outsource billing to {best.name} ({pricing_label(_spec(s, best.name))}): "
                f"a net gain of {money(gain)} a year (ROI {pct(f.roi, 0)}), "
                f"NPV {money(f.npv)} over {horizon} months, paid back in "
                f"{payback_text(f.payback_month)}{risk}.", True)
    return (f"Keep billing in-house: the best quote, {best.name}, would cost "
            f"{money(-gain)} a year more than it brings (net gain {money(gain)}, "
            f"NPV {money(f.npv)} over {horizon} months){risk}.", False)


def proposal_summary(result, vendor_result, sim=None) -> tuple[str, bool]:
    """One sentence on what one vendor's offer is worth to the prospect, good or bad."""
    s = result.scenario
    f = vendor_result.figures
    gain = float(f.net_gain)
    risk = ""
    if sim is not None:
        v = sim.vendor(vendor_result.name)
        risk = f", and it pays in {pct(v.prob_positive, 0)} of {sim.draws:,} simulated outcomes"
    verb = "gains" if gain > 0 else "loses"
    return (f"With {vendor_result.name} at {pricing_label(_spec(s, vendor_result.name))}, "
            f"{s.name} {verb} {money(abs(gain))} a year in the steady state "
            f"(ROI {pct(f.roi, 0)}; NPV {money(f.npv)} over {s.timeline.horizon_months} "
            f"months; payback {payback_text(f.payback_month)}){risk}.", gain > 0)


def _spec(scenario, name):
    return next(v for v in scenario.vendors if v.name == name)


def fee_notes(scenario, assessment, vendor_result=None) -> list[str]:
    """What a quote adds beyond its headline price, and what it leaves unsaid: the vendor
    evaluation's flags as sentences, plus what only the scenario shows."""
    v = _spec(scenario, assessment.name)
    # the contract line below says what these flags say
    notes = [f.message[:1].upper() + f.message[1:] + "." for f in assessment.flags
             if f.code not in ("net_loss", "auto_renewal", "contract_unstated")]
    from .verdict import lock_in
    notes.append(f"Contract: {lock_in(assessment.contract)}.")
    if v.pricing.base == "charges":
        notes.append("Priced on charges, not collections: the fee does not fall when payers "
                     "pay less.")
    implied = getattr(vendor_result, "sla_implied_uplift", None)
    if implied is not None and central(v.uplift) > implied + 0.005:
        notes.append(f"The quoted uplift ({pct(central(v.uplift))}) is more than its own SLA "
                     f"implies ({pct(implied)}, from the net collection rate it commits to "
                     "against the practice's today): ask what backs the difference.")
    if isinstance(v.uplift, Dist):
        notes.append(f"The uplift is uncertain, {v.uplift}; the figures use its central "
                     f"value {pct(central(v.uplift))}.")
    return notes


def _value(x, kind="money") -> str:
    if isinstance(x, Dist):
        return str(x)
    return {"money": money, "pct": pct, "num": lambda v: f"{float(v):,.0f}",
            "days": lambda v: f"{float(v):g} days"}[kind](x)


def assumptions(scenario, result) -> list[dict]:
    """Rows of the "Assumptions and sources" table: ``item``, ``value``, ``source``."""
    s, p, ih, t = scenario, scenario.practice, scenario.inhouse, scenario.timeline
    src = f"scenario file {Path(s.source).name}" if s.source else "scenario"
    rows = [
        {"item": "Annual collections today (C0)", "value": _value(p.annual_collections),
         "source": src},
        {"item": "Claims per month", "value": _value(p.claims_per_month, "num"), "source": src},
        {"item": "Providers", "value": str(p.providers), "source": src},
    ]
    if p.annual_charges is not None:
        rows.append({"item": "Annual charges", "value": _value(p.annual_charges), "source": src})
    if ih.annual_cost is not None:
        rows.append({"item": "In-house billing cost per year (total)",
                     "value": _value(ih.annual_cost), "source": src})
    else:
        for staff in ih.staff:
            fte = staff.fte if isinstance(staff.fte, Dist) else f"{staff.fte:g}"
            rows.append({"item": f"Staff: {staff.role}",
                         "value": f"{fte} FTE at {_value(staff.salary)}", "source": src})
        rows += [
            {"item": "Payroll tax rate", "value": _value(ih.payroll_tax_rate, "pct"),
             "source": src + " (default 7.65%: Social Security and Medicare)"},
            {"item": "Benefits rate", "value": _value(ih.benefits_rate, "pct"),
             "source": src + " (default 20% of wages)"},
        ]
        for item, amount in ih.costs.items():
            rows.append({"item": f"Cost: {item.replace('_', ' ')}", "value": _value(amount),
                         "source": src})
        if central(ih.turnover.annual_rate):
            rows.append({"item": "Staff turnover", "value":
                         f"{_value(ih.turnover.annual_rate, 'pct')} a year, "
                         f"{_value(ih.turnover.cost_per_departure)} per departure",
                         "source": src})
    rows.append({"item": "In-house total cost of ownership (TCO)",
                 "value": money(result.inhouse_tco),
                 "source": "computed from the staff and costs above"})
    if central(ih.residual_after_outsourcing):
        rows.append({"item": "In-house cost that remains after outsourcing",
                     "value": _value(ih.residual_after_outsourcing), "source": src})
    for v in s.vendors:
        rows.append({"item": f"{v.name}: pricing", "value": pricing_label(v),
                     "source": "vendor quote"})
        rows.append({"item": f"{v.name}: collections uplift", "value": _value(v.uplift, "pct"),
                     "source": "vendor quote (guide: 10-20% is typical)"})
    rows += [
        {"item": "Horizon", "value": f"{t.horizon_months} months", "source": src},
        {"item": "Discount rate", "value": _value(t.discount_rate, "pct") + " a year",
         "source": src},
        {"item": "Parallel run (both in-house and vendor paid)",
         "value": _value(t.parallel_run_days, "days"),
         "source": "guide: the transition takes 30-60 days"},
        {"item": "Ramp to full uplift", "value": _value(t.ramp_days, "days"),
         "source": "guide: 60-90 days to stabilized results"},
        {"item": "Net gain formula", "value": "uplift + in-house savings - vendor cost",
         "source": GUIDE + " (worked example: net gain $51,500)"},
    ]
    rows += [
        {"item": "The decision", "value": "top of the weighted ranking among vendors that "
         "offer a Business Associate Agreement and gain more than staying in-house",
         "source": "rcmmodel's decision rule; weights from the scenario's ranking"},
        {"item": "What a quote does not state", "value": "shown as \"not stated\", never "
         "filled in: an unstated contract term (term, termination fee, notice, auto-renewal) "
         "scores half its lock-in penalty; an SLA KPI not committed to scores 0; an "
         "unanswered due-diligence question counts as not verified",
         "source": "rcmmodel's scoring (midpoint for unknown contract terms, worst case for "
         "unmade promises)"},
    ]
    for target in TARGETS.values():
        cmp_ = ">=" if target.higher_is_better else "<"
        val = f"{target.green:g} days" if target.fmt == "days" else pct(target.green, 0)
        rows.append({"item": f"Benchmark: {target.label}", "value": f"{cmp_} {val}",
                     "source": target.source})
    return rows


def key_figures(result, sim=None, **extra) -> dict:
    """The machine-readable figures a report records: ``rcm evaluate --json`` without the
    monthly rows, plus simulated percentiles where the scenario has distributions."""
    data = result.to_dict()
    assessed = assessments(result)
    for v in data["vendors"]:
        v["timeline"] = {k: val for k, val in v["timeline"].items() if k != "months"}
        v["effective_rate"] = _f(assessed[v["name"]].cost.effective_rate)
    if sim is not None:
        data["simulation"] = {"draws": sim.draws, "seed": sim.seed,
                              "vendors": [v.to_dict() for v in sim.vendors]}
    data.update(extra)
    return data


def input_value(path: str, value) -> str:
    """An input's value in its own unit: rates as percent, days, counts, else dollars."""
    name = path.rsplit(".", 1)[-1]
    if name.endswith("rate") or name == "uplift":
        return pct(value)
    if name.endswith("_days"):
        return f"{float(value):,.0f} days"
    if name in ("fte", "providers", "claims_per_month", "patient_statements_per_month",
                "horizon_months"):
        return f"{float(value):,.2f}".rstrip("0").rstrip(".")
    return money(value)
