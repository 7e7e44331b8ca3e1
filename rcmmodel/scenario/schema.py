"""Scenario files (SPEC 3): YAML into validated pydantic models.

Unknown keys are errors; every problem is reported at once with the file and a field path
such as ``vendors[1].pricing.rate``; any numeric input may be a distribution.
"""
from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr,
                      ValidationError, model_validator)

from .distributions import Dist, DistError, parse_dist
from .pricing_models import BASES, PRICING_MODELS
from ..errors import Problem, RcmInputError

SCHEMA = "rcmmodel/v1"


def _num(ge: float | None = None, le: float | None = None, gt: float | None = None):
    """A number or a distribution, with bounds checked on the number or the support."""

    def check(value):
        if isinstance(value, dict) and "dist" in value:
            try:
                dist = parse_dist(value)
            except DistError as exc:
                raise ValueError(f"@{exc.param}: {exc}" if exc.param else str(exc)) from None
            low, high = dist.bounds
            if dist.kind in ("normal", "lognormal"):
                low = high = dist.central  # unbounded: check the centre only
            _bounds(low, high)
            floor = max(x for x in (ge, gt, -math.inf) if x is not None)
            return dataclasses.replace(dist, limits=(floor, math.inf if le is None else le))
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number or a distribution {{dist: ...}}, got {value!r}")
        value = float(value)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("must be a finite number")
        _bounds(value, value)
        return value

    def _bounds(low, high):
        if ge is not None and low < ge:
            raise ValueError(f"must be at least {ge:g}")
        if gt is not None and low <= gt:
            raise ValueError(f"must be greater than {gt:g}")
        if le is not None and high > le:
            raise ValueError(f"must be at most {le:g}")

    return Annotated[Any, BeforeValidator(check)]


Money = _num(ge=0)
Rate = _num(ge=0, le=1)
Count = _num(ge=0)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class BaselineKPIs(_Model):
    days_in_ar: Annotated[float, Field(ge=0)] | None = None
    clean_claim_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    net_collection_rate: Annotated[float, Field(ge=0, le=1.5)] | None = None
    denial_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    ar_over_90: Annotated[float, Field(ge=0, le=1)] | None = None


class Practice(_Model):
    specialty: str = "general"
    providers: Annotated[int, Field(ge=1)] = 1
    annual_collections: _num(gt=0)
    annual_charges: Money | None = None
    claims_per_month: Count = 0.0
    patient_statements_per_month: Count = 0.0
    baseline_kpis: BaselineKPIs = BaselineKPIs()
    claims_files: list[str] = []


class Staff(_Model):
    role: str = "Billing staff"
    fte: _num(gt=0)
    salary: Money


class Turnover(_Model):
    annual_rate: _num(ge=0) = 0.0
    cost_per_departure: Money = 0.0


class Inhouse(_Model):
    annual_cost: Money | None = None
    staff: list[Staff] = []
    payroll_tax_rate: Rate = 0.0765
    benefits_rate: _num(ge=0) = 0.20
    costs: dict[str, Money] = {}
    turnover: Turnover = Turnover()
    residual_after_outsourcing: Money = 0.0

    @model_validator(mode="after")
    def _total_or_components(self):
        components = self.staff or self.costs or "turnover" in self.model_fields_set
        if self.annual_cost is not None and components:
            raise ValueError("@annual_cost: give either annual_cost (the total) or its "
                             "components (staff, costs, turnover), not both")
        if self.annual_cost is None and not components:
            raise ValueError("@annual_cost: give annual_cost, or staff and costs to build it from")
        return self


class Tier(_Model):
    up_to: _num(gt=0) | None = None
    rate: Rate


class Pricing(_Model):
    model: Literal[tuple(PRICING_MODELS)]   # the keys of the pricing registry
    rate: Rate | None = None
    base: Literal[tuple(BASES)] = "collections"
    fee: Money | None = None
    monthly_base: Money | None = None
    tiers: list[Tier] | None = None

    @model_validator(mode="after")
    def _fields_for_model(self):
        spec = PRICING_MODELS[self.model]
        for name in spec.required:
            if getattr(self, name) is None:
                raise ValueError(f"@{name}: required for {self.model} pricing")
        allowed = set(spec.fields) | {"model"}
        for name in sorted(self.model_fields_set - allowed):
            raise ValueError(f"@{name}: not used by {self.model} pricing")
        if "tiers" in spec.fields:
            if not self.tiers:
                raise ValueError("@tiers: give at least one tier")
            last = 0.0
            for i, tier in enumerate(self.tiers):
                if tier.up_to is None:
                    if i != len(self.tiers) - 1:
                        raise ValueError(f"@tiers[{i}].up_to: only the last tier may be open-ended")
                    continue
                if isinstance(tier.up_to, Dist):
                    raise ValueError(f"@tiers[{i}].up_to: tier bounds must be plain numbers")
                if tier.up_to <= last:
                    raise ValueError(f"@tiers[{i}].up_to: tier bounds must increase")
                last = tier.up_to
        return self


class Fees(_Model):
    setup: Money = 0.0
    monthly_minimum: Money = 0.0
    per_statement: Money = 0.0
    per_provider_monthly: Money = 0.0
    credentialing_per_provider: Money = 0.0
    other_annual: dict[str, Money] = {}


class SLA(_Model):
    days_in_ar: Annotated[float, Field(ge=0)] | None = None
    clean_claim_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    net_collection_rate: Annotated[float, Field(ge=0, le=1.5)] | None = None
    denial_rate: Annotated[float, Field(ge=0, le=1)] | None = None
    ar_over_90: Annotated[float, Field(ge=0, le=1)] | None = None


class Contract(_Model):
    term_months: Annotated[int, Field(ge=1)] = 12
    termination_fee: Annotated[float, Field(ge=0)] = 0.0
    notice_days: Annotated[int, Field(ge=0)] = 90
    auto_renewal: bool | None = None


class Profile(_Model):
    """Due-diligence answers; None where the vendor has not said."""
    specialty_experience: bool | None = None
    certified_coders: bool | None = None
    baa_offered: bool | None = None
    realtime_dashboard: bool | None = None
    data_export_on_exit: bool | None = None
    encryption: bool | None = None
    disaster_recovery: bool | None = None
    dedicated_account_manager: bool | None = None


class Vendor(_Model):
    name: Annotated[str, Field(min_length=1)]
    pricing: Pricing
    fees: Fees = Fees()
    uplift: _num(ge=-0.99) = 0.0
    sla: SLA | None = None
    contract: Contract = Contract()
    profile: Profile = Profile()


Weight = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Weights(_Model):
    """Weights of the vendor-ranking criteria (see rcmmodel.vendors.ranking); only their ratios matter."""
    financial: Weight = 0.40        # net gain (or NPV) relative to the best eligible quote
    sla: Weight = 0.25              # committed KPIs graded against the benchmark table
    due_diligence: Weight = 0.20    # the guide's checklist answered yes
    contract_risk: Weight = 0.15    # term, termination fee, notice, auto-renewal

    @model_validator(mode="after")
    def _not_all_zero(self):
        if not any(getattr(self, name) for name in type(self).model_fields):
            raise ValueError("weights cannot all be zero: give at least one criterion a weight")
        return self


class Ranking(_Model):
    """The optional top-level ``ranking:`` block of a scenario (used by ``rcm compare``)."""
    weights: Weights = Weights()
    basis: Literal["net_gain", "npv"] = "net_gain"   # the financial criterion's measure


class Timeline(_Model):
    horizon_months: Annotated[int, Field(ge=1, le=600)] = 36
    discount_rate: _num(ge=0, le=1) = 0.08
    parallel_run_days: _num(ge=0) = 45.0
    ramp_days: _num(ge=0) = 90.0


# --- Capacity and growth (issue 4, rcmmodel.risk.capacity): an optional block; every field has a
# default, so scenario files without it stay valid.
class Capacity(_Model):
    """How volume grows and how many claims one in-house biller handles (SPEC 4, "Capacity")."""
    claims_growth_rate: Annotated[float, Field(ge=-0.5, le=2, allow_inf_nan=False)] = 0.0
    claims_per_fte_per_day: Annotated[float, Field(gt=0, allow_inf_nan=False)] = 30.0
    workdays_per_year: Annotated[int, Field(ge=1, le=366)] = 250
    current_fte: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None  # default: staff
    cost_per_fte: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None  # one more hire
    years: Annotated[int, Field(ge=1, le=50)] | None = None   # default: the horizon, in years


class Scenario(_Model):
    schema_: Literal["rcmmodel/v1"] = Field(SCHEMA, alias="schema")
    name: Annotated[str, Field(min_length=1)]
    practice: Practice
    inhouse: Inhouse
    vendors: list[Vendor] = []
    vendors_file: str | None = None
    timeline: Timeline = Timeline()
    ranking: Ranking = Ranking()
    capacity: Capacity = Capacity()
    _source: str | None = PrivateAttr(None)   # the file it came from, for messages and paths
    _measured_kpis: list = PrivateAttr([])     # baseline KPIs measured from claims_files

    @property
    def measured_kpis(self) -> list[str]:
        """The baseline KPIs that came from ``practice.claims_files``, not from the file."""
        return list(self._measured_kpis)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              arbitrary_types_allowed=True)

    @model_validator(mode="after")
    def _vendors(self):
        if not self.vendors and not self.vendors_file:
            raise ValueError("@vendors: give at least one vendor quote (or a vendors_file)")
        seen = set()
        for i, vendor in enumerate(self.vendors):
            if vendor.name in seen:
                raise ValueError(f"@vendors[{i}].name: duplicate vendor name {vendor.name!r}")
            seen.add(vendor.name)
        for i, vendor in enumerate(self.vendors):
            need = PRICING_MODELS[vendor.pricing.model].need(vendor.pricing)
            if need and getattr(self.practice, need.volume) is None:
                raise ValueError(f"@vendors[{i}].pricing.{need.field}: {need.why} needs "
                                 f"practice.{need.volume}")
        return self

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def base_dir(self) -> Path:
        """Where relative paths in the scenario (claims_files, vendors_file) start from."""
        return Path(self._source).parent if self._source else Path.cwd()


def _path(loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _problems(err: ValidationError, file: str | None) -> list[Problem]:
    problems = []
    for e in err.errors():
        loc = ["schema" if p == "schema_" else p for p in e["loc"]]
        msg = e["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            if msg.startswith(prefix):
                msg = msg[len(prefix):]
        if msg.startswith("@"):          # a validator naming the field below its model
            sub, _, msg = msg[1:].partition(": ")
            loc.append(sub)
        if e["type"] == "extra_forbidden":
            msg = "unknown field (check the spelling)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        elif e["type"] == "literal_error" and loc and loc[-1] == "schema":
            msg = f"must be {SCHEMA!r}"
        path = _path(loc)
        # "@tiers[0].up_to" arrives as one part; join it without a dot before '['.
        path = path.replace(".[", "[")
        problems.append(Problem(file, path, msg))
    return problems
