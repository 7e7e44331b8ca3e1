"""Scenario files (SPEC 3): YAML into validated pydantic models.

Unknown keys are errors; every problem is reported at once with the file and a field path
such as ``vendors[1].pricing.rate``; any numeric input may be a distribution.
"""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from ..describe import shown
from .pricing_models import BASES, PRICING_MODELS
from .fields import (Count, Money, Name, NamedAmounts, PlainDays, PlainMoney, PlainRate, Rate,
                     number, whole)

SCHEMA = "rcmmodel/v1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class KPIs(_Model):
    """The billing KPIs a practice measures today (``practice.baseline_kpis``) and a vendor
    commits to (``vendors[].sla``, None where its quote does not say): one set of fields and
    bounds for both, so a commitment is always comparable with the baseline it is judged
    against."""

    days_in_ar: PlainDays | None = None
    clean_claim_rate: PlainRate | None = None
    net_collection_rate: number(ge=0, le=1.5, rate=True, dist=False) | None = None
    denial_rate: PlainRate | None = None
    ar_over_90: PlainRate | None = None


class Practice(_Model):
    specialty: Name = "general"
    providers: whole(ge=1, le=100_000) = 1
    annual_collections: number(gt=0)
    annual_charges: Money | None = None
    claims_per_month: Count = 0.0
    patient_statements_per_month: Count = 0.0
    baseline_kpis: KPIs = KPIs()
    claims_files: list[Name] = []


class Staff(_Model):
    role: Name = "Billing staff"
    fte: number(gt=0, le=10_000)
    salary: Money


class Turnover(_Model):
    annual_rate: number(ge=0, le=10) = 0.0
    cost_per_departure: Money = 0.0


class Inhouse(_Model):
    annual_cost: Money | None = None
    staff: list[Staff] = []
    payroll_tax_rate: Rate = 0.0765
    benefits_rate: number(ge=0, le=10, rate=True) = 0.20
    costs: NamedAmounts = {}
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
    up_to: number(gt=0, dist=False) | None = None
    rate: Rate


class Pricing(_Model):
    model: Literal[tuple(PRICING_MODELS)]   # the keys of the pricing registry
    rate: Rate | None = None
    base: Literal[tuple(BASES)] = "collections"
    fee: Money | None = None
    monthly_base: Money | None = None
    tiers: list[Tier] | None = None

    # Which fields each model needs, the tiers' order and the volumes a price multiplies are
    # checked on the raw mapping (pricing_problems, vendor_problems below), so that every
    # problem of a file is reported in one pass, not one validator's first complaint.


class Fees(_Model):
    setup: Money = 0.0
    monthly_minimum: Money = 0.0
    per_statement: Money = 0.0
    per_provider_monthly: Money = 0.0
    credentialing_per_provider: Money = 0.0
    other_annual: NamedAmounts = {}


class Contract(_Model):
    term_months: whole(ge=1, le=1200) = 12
    termination_fee: PlainMoney = 0.0
    notice_days: whole(ge=0, le=36_500) = 90
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
    name: Name
    pricing: Pricing
    fees: Fees = Fees()
    uplift: number(ge=-0.99, le=1, rate=True) = 0.0
    sla: KPIs | None = None
    contract: Contract = Contract()
    profile: Profile = Profile()


Weight = number(ge=0, dist=False)


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
    horizon_months: whole(ge=1, le=600) = 36
    discount_rate: number(ge=0, le=1, rate=True) = 0.08
    parallel_run_days: number(ge=0, le=3650) = 45.0
    ramp_days: number(ge=0, le=3650) = 90.0


# --- Capacity and growth (issue 4, rcmmodel.risk.capacity): an optional block; every field has a
# default, so scenario files without it stay valid.
class Capacity(_Model):
    """How volume grows and how many claims one in-house biller handles (SPEC 4, "Capacity")."""
    claims_growth_rate: number(ge=-0.5, le=2, rate=True, dist=False) = 0.0
    claims_per_fte_per_day: number(gt=0, dist=False) = 30.0
    workdays_per_year: whole(ge=1, le=366) = 250
    current_fte: number(gt=0, le=10_000, dist=False) | None = None  # default: staff
    cost_per_fte: PlainMoney | None = None  # one more hire
    years: whole(ge=1, le=50) | None = None   # default: the horizon, in years


class Scenario(_Model):
    schema_: Literal["rcmmodel/v1"] = Field(SCHEMA, alias="schema")
    name: Name
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

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def base_dir(self) -> Path:
        """Where relative paths in the scenario (claims_files, vendors_file) start from."""
        return Path(self._source).parent if self._source else Path.cwd()


# --------------------------------------------------------------------------------------
# Rules across fields, checked on the raw mapping so that they run even where some field
# is wrong, and every problem of a file comes in one pass. Each yields (path, message),
# the path relative to the mapping it was given.
# --------------------------------------------------------------------------------------

def _given(value) -> bool:
    """Whether a practice volume is there: a positive number, or a distribution."""
    if value is None:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value > 0
    central = getattr(value, "central", None)       # a validated Dist
    if central is not None:
        return central > 0
    return True                                     # a distribution, or a wrong value: its own message


def pricing_problems(pricing) -> list[tuple[str, str]]:
    """The fields a pricing model needs and does not use (from the registry,
    :mod:`.pricing_models`); tiers ascending, the last one open."""
    if not isinstance(pricing, dict) or pricing.get("model") not in PRICING_MODELS:
        return []
    model = pricing["model"]
    spec = PRICING_MODELS[model]
    out = [(name, f"required for {model} pricing") for name in spec.required
           if pricing.get(name) is None]
    out += [(name, f"not used by {model} pricing") for name in Pricing.model_fields
            if name in pricing and name not in spec.fields and name != "model"]
    tiers = pricing.get("tiers")
    if "tiers" not in spec.fields or not isinstance(tiers, list):
        return out
    if not tiers:
        return out + [("tiers", "give at least one tier, the last without up_to")]
    last = 0.0
    for i, tier in enumerate(tiers):
        up_to = tier.get("up_to") if isinstance(tier, dict) else None
        if up_to is None:
            if i != len(tiers) - 1:
                out.append((f"tiers[{i}].up_to", "only the last tier may be open-ended"))
            continue
        if not isinstance(up_to, (int, float)) or isinstance(up_to, bool):
            continue                                 # not a number: reported by its own check
        if up_to <= last:
            out.append((f"tiers[{i}].up_to", "tier bounds must increase"))
        last = max(last, up_to)
    end = tiers[-1].get("up_to") if isinstance(tiers[-1], dict) else None
    if end is not None:
        above = f"${end:,.0f}" if isinstance(end, (int, float)) else "it"
        out.append(("tiers", f"the last tier must be open (no up_to), or every dollar above "
                    f"{above} would be billed at 0%: end with a band such as {{rate: 0.04}}"))
    return out


# Fees (not pricing models) charged per unit of a practice volume: the fee, and the volume.
FEE_VOLUMES = {"per_statement": "patient_statements_per_month"}


def vendor_problems(vendor, practice=None) -> list[tuple[str, str]]:
    """A quote's pricing rules, and the practice volumes its price multiplies.

    ``practice`` maps volume names to values (raw, or a validated :class:`Practice`'s); a
    volume that is missing or 0 must not price a quote at $0 (SPEC 3). The volume each
    pricing model needs comes from the registry (:meth:`PricingModel.need`). None:
    volumes unknown yet (a quotes sheet read on its own), not checked.
    """
    if not isinstance(vendor, dict):
        return []
    pricing = vendor.get("pricing")
    out = [(f"pricing.{where}", msg) for where, msg in pricing_problems(pricing)]
    if practice is None:
        return out
    pricing = pricing if isinstance(pricing, dict) else {}
    if pricing.get("model") in PRICING_MODELS and pricing.get("base", "collections") in BASES:
        need = PRICING_MODELS[pricing["model"]].need(
            SimpleNamespace(base=pricing.get("base", "collections")))
        if need and not _given(practice.get(need.volume)):
            out.append((f"pricing.{need.field}", f"{need.why} needs practice.{need.volume} "
                        "(above 0); without it the fee would be $0"))
    fees = vendor.get("fees") if isinstance(vendor.get("fees"), dict) else {}
    for fee, volume in FEE_VOLUMES.items():
        if _given(fees.get(fee)) and not _given(practice.get(volume)):
            out.append((f"fees.{fee}", f"a {fee.replace('_', '-')} fee needs "
                        f"practice.{volume} (above 0); without it the fee would be $0"))
    return out


def name_key(name) -> str:
    """How vendor names are compared: ignoring case and surrounding spaces."""
    return str(name).strip().casefold()


def scenario_problems(data: dict) -> list[tuple[str, str]]:
    """Rules across a whole scenario mapping: vendors there, names unique, volumes given."""
    out = []
    vendors = data.get("vendors")
    if not vendors and not data.get("vendors_file"):
        out.append(("vendors", "give at least one vendor quote (or a vendors_file)"))
    if not isinstance(vendors, list):
        return out
    practice = data.get("practice") if isinstance(data.get("practice"), dict) else {}
    seen: dict[str, int] = {}
    for i, vendor in enumerate(vendors):
        out += [(f"vendors[{i}].{where}", msg) for where, msg in vendor_problems(vendor, practice)]
        name = vendor.get("name") if isinstance(vendor, dict) else None
        if isinstance(name, str) and name.strip():
            first = seen.setdefault(name_key(name), i)
            if first != i:
                out.append((f"vendors[{i}].name", f"duplicate vendor name {shown(name, 40)} "
                            f"(vendors[{first}] has the same name, ignoring case)"))
    return out
