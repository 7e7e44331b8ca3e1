"""The numbers the model runs on, taken out of a validated scenario.

Every numeric field passes through ``pick(path, value)``: the deterministic model takes a
distribution's central value; the Monte Carlo passes an array of draws for each distribution
and the tornado a single quantile. The model functions then work on floats and arrays alike.
"""
from __future__ import annotations

import copy
import dataclasses
from dataclasses import dataclass, field
from typing import Any, Callable

from ..scenario.distributions import Dist, central
from ..pricing import PricingIn, price_fields, pricing_model
from ..scenario.schema import Scenario

Pick = Callable[[str, Any], Any]


def pick_central(path: str, value):
    """The deterministic choice: a number as it is, a distribution's central value."""
    return central(value)


@dataclass
class PracticeIn:
    collections: Any
    charges: Any
    claims_per_month: Any
    statements_per_month: Any
    providers: int
    baseline_dar: float | None


@dataclass
class InhouseIn:
    tco: Any
    residual: Any
    parts: dict = field(default_factory=dict)   # key -> annual amount (inhouse_parts keys)

    @property
    def savings(self):
        return self.tco - self.residual


@dataclass
class VendorIn:
    name: str
    pricing: PricingIn
    uplift: Any
    setup: Any
    monthly_minimum: Any
    per_statement: Any
    per_provider_monthly: Any
    credentialing_per_provider: Any
    other_annual: dict
    sla_dar: float | None


@dataclass
class TimelineIn:
    horizon_months: int
    discount_rate: Any
    parallel_run_days: Any
    ramp_days: Any


@dataclass
class Inputs:
    practice: PracticeIn
    inhouse: InhouseIn
    vendors: list[VendorIn]
    timeline: TimelineIn


def _inhouse(s: Scenario, pick: Pick) -> InhouseIn:
    from .inhouse import inhouse_parts

    h = s.inhouse
    residual = pick("inhouse.residual_after_outsourcing", h.residual_after_outsourcing)
    if h.annual_cost is not None:
        tco = pick("inhouse.annual_cost", h.annual_cost)
        return InhouseIn(tco=tco, residual=residual, parts={"total": tco})
    staff = [(pick(f"inhouse.staff[{i}].fte", m.fte), pick(f"inhouse.staff[{i}].salary", m.salary))
             for i, m in enumerate(h.staff)]
    costs = {k: pick(f"inhouse.costs.{k}", v) for k, v in h.costs.items()}
    parts = inhouse_parts(
        staff,
        payroll_tax_rate=pick("inhouse.payroll_tax_rate", h.payroll_tax_rate),
        benefits_rate=pick("inhouse.benefits_rate", h.benefits_rate),
        costs=costs,
        turnover_rate=pick("inhouse.turnover.annual_rate", h.turnover.annual_rate),
        cost_per_departure=pick("inhouse.turnover.cost_per_departure",
                                h.turnover.cost_per_departure))
    return InhouseIn(tco=sum(parts.values()), residual=residual, parts=parts)


def _vendor(i: int, v, pick: Pick) -> VendorIn:
    at = f"vendors[{i}]"
    p = v.pricing
    values = {}
    for f in pricing_model(p).fields:
        value = getattr(p, f.name)
        if value is None:
            continue
        if f.kind == "tiers":
            value = [(t.up_to, pick(f"{at}.pricing.{f.name}[{k}].rate", t.rate))
                     for k, t in enumerate(value)]
        elif f.numeric:
            value = pick(f"{at}.pricing.{f.name}", value)
        values[f.name] = value
    pricing = PricingIn(p.model, **values)
    f = v.fees
    return VendorIn(
        name=v.name, pricing=pricing, uplift=pick(f"{at}.uplift", v.uplift),
        setup=pick(f"{at}.fees.setup", f.setup),
        monthly_minimum=pick(f"{at}.fees.monthly_minimum", f.monthly_minimum),
        per_statement=pick(f"{at}.fees.per_statement", f.per_statement),
        per_provider_monthly=pick(f"{at}.fees.per_provider_monthly", f.per_provider_monthly),
        credentialing_per_provider=pick(f"{at}.fees.credentialing_per_provider",
                                        f.credentialing_per_provider),
        other_annual={k: pick(f"{at}.fees.other_annual.{k}", x) for k, x in f.other_annual.items()},
        sla_dar=v.sla.days_in_ar if v.sla else None)


def scenario_inputs(s: Scenario, pick: Pick = pick_central) -> Inputs:
    """Resolve a scenario into model inputs, each number chosen by ``pick``."""
    pr = s.practice
    practice = PracticeIn(
        collections=pick("practice.annual_collections", pr.annual_collections),
        charges=None if pr.annual_charges is None else pick("practice.annual_charges",
                                                            pr.annual_charges),
        claims_per_month=pick("practice.claims_per_month", pr.claims_per_month),
        statements_per_month=pick("practice.patient_statements_per_month",
                                  pr.patient_statements_per_month),
        providers=pr.providers,
        baseline_dar=pr.baseline_kpis.days_in_ar)
    t = s.timeline
    timeline = TimelineIn(horizon_months=t.horizon_months,
                          discount_rate=pick("timeline.discount_rate", t.discount_rate),
                          parallel_run_days=pick("timeline.parallel_run_days", t.parallel_run_days),
                          ramp_days=pick("timeline.ramp_days", t.ramp_days))
    return Inputs(practice=practice, inhouse=_inhouse(s, pick),
                  vendors=[_vendor(i, v, pick) for i, v in enumerate(s.vendors)],
                  timeline=timeline)


def uncertain_fields(s: Scenario) -> dict[str, Dist]:
    """Every distribution in the scenario, by field path, in model order."""
    found: dict[str, Dist] = {}

    def spy(path, value):
        if isinstance(value, Dist):
            found[path] = value
        return central(value)

    scenario_inputs(s, spy)
    return found


def main_fields(s: Scenario) -> dict[str, float]:
    """Every numeric input with its deterministic value, by field path (for +/-20% swings)."""
    found: dict[str, float] = {}

    def spy(path, value):
        found[path] = central(value)
        return central(value)

    scenario_inputs(s, spy)
    return found


_PRACTICE = ("collections", "charges", "claims_per_month", "statements_per_month")
_VENDOR = tuple(f.name for f in dataclasses.fields(VendorIn) if f.name not in ("name", "pricing"))


def with_inputs(inputs: Inputs, vendor: int | None = None, **values) -> Inputs:
    """A copy of resolved ``inputs`` with some inputs replaced, each a float or an array.

    Break-even searches, sensitivity grids and curves all ask "what if this one input were
    different?"; this is the one place that knows where each input lives. ``inputs`` itself
    is never changed, and only what changes is copied.

    Parameters
    ----------
    inputs : Inputs
    vendor : int, optional
        The index (in ``inputs.vendors``, after any ``vendors=`` replacement) of the quote
        whose own fields change; needed only for those.
    **values
        ``collections``, ``charges``, ``claims_per_month``, ``statements_per_month`` (the
        practice); ``inhouse_savings`` (the in-house cost moves so that savings are this);
        ``vendors`` (the list of quotes); a quote's pricing (any field of
        :func:`rcmmodel.pricing.price_fields`, e.g. ``rate``) or its other fields
        (``uplift``, ``setup``, ``monthly_minimum``, ...).

    Examples
    --------
    >>> from rcmmodel.scenario import load_scenario
    >>> base = scenario_inputs(load_scenario("scenarios/guide-example.yaml"))
    >>> wider = with_inputs(base, 0, rate=0.05, collections=600000.0)
    >>> wider.vendors[0].pricing.rate, wider.practice.collections, base.vendors[0].pricing.rate
    (0.05, 600000.0, 0.07)
    """
    priced = set(price_fields())
    unknown = set(values) - {*_PRACTICE, *priced, *_VENDOR, "inhouse_savings", "vendors"}
    if unknown:
        raise ValueError(f"unknown input(s) {', '.join(sorted(unknown))}")
    out = copy.copy(inputs)
    practice = {k: values[k] for k in _PRACTICE if k in values}
    if practice:
        out.practice = dataclasses.replace(inputs.practice, **practice)
    if "inhouse_savings" in values:
        out.inhouse = dataclasses.replace(
            inputs.inhouse, tco=values["inhouse_savings"] + inputs.inhouse.residual)
    if "vendors" in values:
        out.vendors = list(values["vendors"])
    pricing = {k: values[k] for k in priced if k in values}
    quote = {k: values[k] for k in _VENDOR if k in values}
    if pricing or quote:
        if vendor is None:
            raise ValueError(f"say which vendor's {', '.join([*pricing, *quote])} to replace")
        v = out.vendors[vendor]
        if pricing:
            quote["pricing"] = v.pricing.replace(**pricing)
        out.vendors = list(out.vendors)
        out.vendors[vendor] = dataclasses.replace(v, **quote)
    return out
