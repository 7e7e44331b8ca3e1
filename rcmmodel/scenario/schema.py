"""Scenario files: YAML into validated pydantic models (the rules: docs/methodology.md §9;
every key: docs/scenario-reference.md).

Unknown keys are errors; every problem is reported at once with the file and a field path
such as ``vendors[1].pricing.rate``; any numeric input may be a distribution. Every field
carries a description and an example (``D(...)``): ``rcm schema`` prints them as JSON
Schema and docs/scenario-reference.md is generated from them
(:mod:`rcmmodel.scenario.reference`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (AfterValidator, ConfigDict, Field, PrivateAttr, create_model,
                      model_validator)

from ..pricing import PRICING_MODELS, field_users, price_fields
from .alternatives import ALTERNATIVES_FIELD, Alternative
from .audit_files import AuditFiles
from .fields import (Count, Money, Name, NamedAmounts, PlainDays, PlainMoney, PlainRate, Rate,
                     number, whole)
from .rules import (FEE_VOLUMES, name_key, pricing_problems, scenario_problems,  # noqa: F401
                    vendor_problems)                  # re-exported: callers import them here
from .fields import D, Section                        # (the sections' base and their words)
from .priorities import DEFAULT_PRIORITY, PRIORITIES, Ranking, Weights  # noqa: F401 (re-exported)

SCHEMA = "rcmmodel/v1"


_Model = Section          # every section: unknown keys are errors; frozen


class KPIs(_Model):
    """The billing KPIs: what the practice measures today (`practice.baseline_kpis`) and what
    a vendor commits to (`vendors[].sla`, where a KPI its quote does not give is not stated).
    One set of keys and bounds for both, so a commitment always compares with the baseline
    it is judged against."""

    days_in_ar: PlainDays | None = Field(None, **D(
        "Days in accounts receivable: how many days of charges are waiting to be paid.", 45))
    clean_claim_rate: PlainRate | None = Field(None, **D(
        "Share of claims accepted on the first submission, as a fraction.", 0.85))
    net_collection_rate: number(ge=0, le=1.5, rate=True, dist=False) | None = Field(None, **D(
        "Payments as a share of what could be collected (charges less contractual "
        "adjustments), as a fraction.", 0.90))
    denial_rate: PlainRate | None = Field(None, **D(
        "Share of claims denied by payers, as a fraction.", 0.12))
    ar_over_90: PlainRate | None = Field(None, **D(
        "Share of open accounts receivable older than 90 days, as a fraction.", 0.18))


class Practice(_Model):
    """The practice: its size, its volumes and its billing KPIs today."""

    specialty: Name = Field("general", **D(
        "The practice's specialty, in words (see the list below).", "family_medicine"))
    providers: whole(ge=1, le=100_000) = Field(1, **D(
        "Billing providers (physicians, nurse practitioners, therapists); per-provider fees "
        "are charged for each.", 3))
    annual_collections: number(gt=0) = Field(**D(
        "What the practice collects a year today, in USD, before any vendor (C0).", 500000))
    annual_charges: Money | None = Field(None, **D(
        "What the practice bills a year at its full fee schedule, in USD; needed only for a "
        "fee charged on charges.", 900000))
    claims_per_month: Count = Field(0.0, **D(
        "Claims submitted a month; needed for a per-claim fee and for the growth check.", 400))
    patient_statements_per_month: Count = Field(0.0, **D(
        "Patient statements sent a month; needed for a per-statement fee.", 150))
    baseline_kpis: KPIs = Field(KPIs(), **D(
        "The billing KPIs today, where known; those not given are measured from "
        "claims_files.", {"days_in_ar": 45, "net_collection_rate": 0.9}))
    claims_files: list[Name] = Field([], **D(
        "Claims data to measure the KPIs from: ledger CSV or Excel files, or X12 835/837 "
        "files, relative to this file.", ["claims/ledger.csv"]))


class Staff(_Model):
    """One billing role in-house."""

    role: Name = Field("Billing staff", **D("The job title, as reports show it.",
                                            "Billing specialist"))
    fte: number(gt=0, le=10_000) = Field(**D(
        "Full-time equivalents in this role (0.5 is half time).", 1.0))
    salary: Money = Field(**D("Yearly salary of one full-time person in this role, in USD.",
                              45000))


class Turnover(_Model):
    """Billing staff who leave, and what replacing each one costs."""

    annual_rate: number(ge=0, le=10) = Field(0.0, **D(
        "Share of the billing staff who leave in a year, as a fraction.", 0.35))
    cost_per_departure: Money = Field(0.0, **D(
        "What replacing one leaver costs (recruiting, training, lost output), in USD.",
        20000))


class Inhouse(_Model):
    """What billing in-house costs a year today: a total, or its parts."""

    annual_cost: Money | None = Field(None, **D(
        "The whole yearly cost of billing in-house, in USD, where it is known as one total.",
        40000))
    staff: list[Staff] = Field([], **D("The billing staff, one entry a role."))
    payroll_tax_rate: Rate = Field(0.0765, **D(
        "Employer payroll tax as a share of wages (Social Security and Medicare: 7.65%)."))
    benefits_rate: number(ge=0, le=10, rate=True) = Field(0.20, **D(
        "Benefits as a share of wages: health, retirement, paid time off."))
    costs: NamedAmounts = Field({}, **D(
        "Other yearly costs of billing in-house, in USD, by name.",
        {"software": 4800, "clearinghouse": 1200, "training": 1500}))
    turnover: Turnover = Field(Turnover(), **D(
        "Staff turnover and what each leaver costs.",
        {"annual_rate": 0.35, "cost_per_departure": 20000}))
    residual_after_outsourcing: Money = Field(0.0, **D(
        "In-house billing cost that stays after outsourcing, in USD a year (e.g. a manager "
        "who remains as the vendor's counterpart).", 60000))

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
    """One band of a price in bands of yearly collections."""

    up_to: number(gt=0, dist=False) | None = Field(None, **D(
        "Top of this band of yearly collections, in USD; left out on the last band.",
        250000))
    rate: Rate = Field(**D("Fee rate on the part of collections inside this band.", 0.06))


def _pricing_field(f):
    """A registry field as a pydantic field: its type by kind, its words for the reference."""
    users = field_users(f.name)
    text = f"{f.help} For {' and '.join(f'`{u}`' for u in users)} pricing."
    if f.kind == "choice":
        values = tuple(v for v, _label in f.choices)
        return (Literal[values], Field(f.default, **D(text, f.example)))
    kind = {"rate": Rate, "money": Money, "tiers": list[Tier]}[f.kind]
    return (kind | None, Field(None, **D(text, f.example)))


def _pricing_class():
    """``vendors[].pricing``: the union of the registered models' fields. Which fields each
    model needs, and its own rules, are checked on the raw mapping (pricing_problems,
    vendor_problems), so that every problem of a file is reported in one pass."""
    model = (Literal[tuple(PRICING_MODELS)], Field(**D("The pricing model.",
                                                        next(iter(PRICING_MODELS)))))
    cls = create_model("Pricing", __base__=_Model, model=model,
                       **{name: _pricing_field(f) for name, f in price_fields().items()})
    cls.__doc__ = "How the vendor charges its service fee (the pricing models are listed below)."
    return cls


Pricing = _pricing_class()


class Fees(_Model):
    """Fees besides the service fee; each is 0 unless the quote names it."""

    setup: Money = Field(0.0, **D("One-time fee in month 1, in USD.", 500))
    monthly_minimum: Money = Field(0.0, **D(
        "Floor on the service fee: each month pays at least this, in USD.", 2000))
    per_statement: Money = Field(0.0, **D(
        "USD per patient statement (needs patient_statements_per_month).", 0.50))
    per_provider_monthly: Money = Field(0.0, **D("USD per provider a month.", 50))
    credentialing_per_provider: Money = Field(0.0, **D(
        "One-time credentialing fee per provider, in month 1, in USD.", 300))
    other_annual: NamedAmounts = Field({}, **D(
        "Named recurring extras, in USD a year.", {"denial_management": 1200}))


class Contract(_Model):
    """The contract's terms as quoted; a term the quote does not give is "not stated"
    (None), never a made-up default."""

    term_months: whole(ge=1, le=1200) | None = Field(None, **D(
        "Minimum contract length, in months; not stated if left out.", 24))
    termination_fee: PlainMoney | None = Field(None, **D(
        "What leaving early costs, in USD; not stated if left out.", 5000))
    notice_days: whole(ge=0, le=36_500) | None = Field(None, **D(
        "Notice needed to leave, in days; not stated if left out.", 60))
    auto_renewal: bool | None = Field(None, **D(
        "Whether the contract renews by itself unless cancelled.", False))


class Profile(_Model):
    """Due-diligence answers: `true` or `false`, left out where the vendor has not said."""

    specialty_experience: bool | None = Field(None, **D(
        "Does the vendor bill for this specialty today?", True))
    certified_coders: bool | None = Field(None, **D(
        "Are the coders on the account certified (CPC, CMRS)?", True))
    baa_offered: bool | None = Field(None, **D(
        "Will the vendor sign a Business Associate Agreement? HIPAA requires one: a vendor "
        "answering no is never recommended.", True))
    realtime_dashboard: bool | None = Field(None, **D(
        "Can the practice see its KPIs in a live dashboard?", True))
    data_export_on_exit: bool | None = Field(None, **D(
        "Does the practice get all its data back when it leaves?", True))
    encryption: bool | None = Field(None, **D(
        "Is patient data encrypted in transit and at rest?", True))
    disaster_recovery: bool | None = Field(None, **D(
        "Is there a tested disaster-recovery plan?", True))
    dedicated_account_manager: bool | None = Field(None, **D(
        "Does the practice get a named account manager?", False))


class Vendor(_Model):
    """One vendor's quote."""

    name: Name = Field(**D("The vendor's name, unique in the scenario (ignoring case).",
                           "Acme RCM"))
    pricing: Pricing = Field(**D("How the service fee is charged.",
                                 {"model": "percentage", "rate": 0.07}))
    fees: Fees = Field(Fees(), **D("Fees besides the service fee.",
                                   {"setup": 500, "monthly_minimum": 2000}))
    uplift: number(ge=-0.99, le=1, rate=True) = Field(0.0, **D(
        "Expected rise in collections with this vendor, as a fraction (0.10 is 10%).", 0.10))
    sla: KPIs | None = Field(None, **D(
        "The KPIs the vendor commits to (the keys of baseline_kpis); leave out what it does "
        "not commit to.", {"days_in_ar": 30, "clean_claim_rate": 0.95}))
    contract: Contract = Field(Contract(), **D(
        "The contract's terms.", {"term_months": 12, "termination_fee": 0, "notice_days": 90}))
    profile: Profile = Field(Profile(), **D(
        "Due-diligence answers, yes or no.", {"baa_offered": True, "certified_coders": True}))


class Timeline(_Model):
    """How the switch plays out month by month."""

    horizon_months: whole(ge=1, le=600) = Field(36, **D(
        "Months the timeline, NPV and payback run over."))
    discount_rate: number(ge=0, le=1, rate=True) = Field(0.08, **D(
        "Yearly discount rate of the NPV, as a fraction."))
    parallel_run_days: number(ge=0, le=3650) = Field(45.0, **D(
        "Days the in-house costs continue while the vendor onboards."))
    ramp_days: number(ge=0, le=3650) = Field(90.0, **D(
        "Days until the vendor's uplift reaches its full effect, growing in a straight "
        "line (0: full at once)."))


class Capacity(_Model):
    """Growth: how claim volume grows, and when billing in-house needs another hire."""
    claims_growth_rate: number(ge=-0.5, le=2, rate=True, dist=False) = Field(0.0, **D(
        "Yearly growth of the claim volume, as a fraction.", 0.05))
    claims_per_fte_per_day: number(gt=0, dist=False) = Field(30.0, **D(
        "Claims one in-house biller handles a workday."))
    workdays_per_year: whole(ge=1, le=366) = Field(250, **D("Workdays in a year."))
    current_fte: number(gt=0, le=10_000, dist=False) | None = Field(None, **D(
        "In-house billing FTEs today (default: the staff's FTEs).", 2.0))
    cost_per_fte: PlainMoney | None = Field(None, **D(
        "Yearly cost of one more in-house hire, in USD (default: the staff's average "
        "loaded cost).", 62000))
    years: whole(ge=1, le=50) | None = Field(None, **D(
        "Years to project (default: the horizon, in years).", 5))


#: Who gave a figure that a scenario file states but that is not the practice's own
#: (``sources:``): a billing company's assumption in a prospect batch, or a cited default.
GIVEN_BY = ("offer", "bls", "practice")
_FIELD_PATH = re.compile(r"^[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*$")


def _field_path(text: str) -> str:
    if len(text) > 200 or not _FIELD_PATH.match(text):
        raise ValueError("must be a field path such as inhouse.benefits_rate or timeline")
    return text


FieldPath = Annotated[str, AfterValidator(_field_path)]


class Scenario(_Model):
    """One practice's scenario file."""

    schema_: Literal["rcmmodel/v1"] = Field(SCHEMA, alias="schema", **D(
        "The file format; always rcmmodel/v1."))
    name: Name = Field(**D("The practice's name, shown on every report.",
                           "Solo family medicine"))
    practice: Practice = Field(**D("The practice today."))
    inhouse: Inhouse = Field(**D("What billing in-house costs today."))
    vendors: list[Vendor] = Field([], **D("The vendor quotes to compare."))
    vendors_file: str | None = Field(None, **D(
        "A CSV or Excel sheet of quotes, one a row, relative to this file (see below).",
        "quotes.csv"))
    timeline: Timeline = Field(Timeline(), **D("The month-by-month view."))
    ranking: Ranking = Field(Ranking(), **D("How quotes are ranked beyond price."))
    capacity: Capacity = Field(Capacity(), **D("Growth and in-house capacity."))
    alternatives: list[Alternative] = ALTERNATIVES_FIELD
    sources: dict[FieldPath, Literal[GIVEN_BY]] = Field({}, **D(
        "Figures this file states that are not the practice's own, by field path (a "
        "section's path covers its fields): `offer`, a billing company's assumption (what "
        "`rcm batch --prospects` writes for the offer's `inhouse:` and `timeline:` "
        "defaults), or `bls`, the cited default salary of a billing FTE; `practice` marks "
        "a field inside such a section as the practice's own after all (a what-if writes it "
        "for a figure it changes). Every output labels them so, never as the practice's "
        "figures.",
        {"inhouse.benefits_rate": "offer", "timeline": "offer"}))
    audit: AuditFiles | None = Field(None, **D(
        "After signing: the vendor signed with and the files `rcm audit` compares.",
        {"vendor": "Acme RCM", "before": ["before.csv"], "after": ["after.csv"]}))
    _source: str | None = PrivateAttr(None)   # the file it came from, for messages and paths
    _measured_kpis: list = PrivateAttr([])     # baseline KPIs measured from claims_files
    _evidence: object = PrivateAttr(None)      # what its claims show (model.planning)

    @property
    def measured_kpis(self) -> list[str]:
        """The baseline KPIs that came from ``practice.claims_files``, not from the file."""
        return list(self._measured_kpis)

    @property
    def claims_evidence(self):
        """What the practice's claims show (a :class:`rcmmodel.model.planning.ClaimsEvidence`,
        set by :func:`rcmmodel.measure_claims`); None without claims files."""
        return self._evidence

    def with_measured_kpis(self, measured: dict, evidence=None) -> "Scenario":
        """This scenario with the baseline KPIs its file leaves out taken from ``measured``
        (measured from its claims files: :func:`rcmmodel.measure_claims`), and what the
        claims show (``evidence``). The file's own values win; :attr:`measured_kpis` names
        those filled."""
        given = self.practice.baseline_kpis
        update = {k: measured[k] for k in type(given).model_fields
                  if getattr(given, k) is None and measured.get(k) is not None}
        practice = self.practice.model_copy(
            update={"baseline_kpis": given.model_copy(update=update)})
        out = self.model_copy(update={"practice": practice})
        out._source = self._source
        out._measured_kpis = sorted(update)
        out._evidence = evidence
        return out

    model_config = ConfigDict(**_Model.model_config, populate_by_name=True)

    @property
    def source(self) -> str | None:
        return self._source

    @property
    def base_dir(self) -> Path:
        """Where relative paths in the scenario (claims_files, vendors_file) start from."""
        return Path(self._source).parent if self._source else Path.cwd()
