"""The words of a report: fee notes, the assumptions table and the key figures, as plain
strings and dicts (the decision's own words are in :mod:`rcmmodel.present.verdict`).

Shared by the report templates (through :mod:`rcmmodel.reports.sections`), ``rcm export``
and the batch index, so the same numbers are said the same way everywhere. Nothing here
imports IPython, altair or papermill.
"""
from __future__ import annotations

import math
from pathlib import Path

from ..describe import money, pct
from ..pricing import pricing_label
from ..scenario.distributions import Dist, central
from ..claims.targets import TARGETS
from .labels import flag_sentence, say, value_text


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
    return f"month {month}" if month else "not within the months modelled"


def _spec(scenario, name):
    return next(v for v in scenario.vendors if v.name == name)


def fee_notes(scenario, assessment, vendor_result=None) -> list[str]:
    """What a quote adds beyond its headline price, and what it leaves unsaid: the vendor
    evaluation's flags as sentences, plus what only the scenario shows."""
    v = _spec(scenario, assessment.name)
    # the contract line below says what these flags say
    notes = [flag_sentence(f, assessment.name) for f in assessment.flags
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
        notes.append(f"The uplift is uncertain: {value_text('vendors[0].uplift', v.uplift)}; "
                     f"the figures use {pct(central(v.uplift))}.")
    return notes


def tornado_base(attrs: dict) -> str:
    """The tornado's base net gain (:func:`rcmmodel.risk.tornado`'s ``attrs``) in words: as
    quoted, or at the planning uplift where the practice's claims cap the quote ("$72,136 a
    year planned at 7.2% uplift, not the 9% quoted")."""
    base = money(attrs.get("base_net_gain", 0.0))
    if not attrs.get("capped"):
        return f"{base} a year as quoted"
    return (f"{base} a year planned at {pct(attrs['uplift'])} uplift, not the "
            f"{pct(attrs['uplift_quoted'])} quoted")


from .assumptions import assumptions, benchmark_source, given_inputs  # noqa: E402,F401


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
                              "vendors": [v.to_dict() for v in sim.vendors],
                              "prob_stay": sim.prob_stay}
    from ..model.plausibility import plausibility
    from .warnings_text import warnings_dict

    data["warnings"] = warnings_dict(plausibility(result.scenario, result))
    data.update(extra)
    return data
