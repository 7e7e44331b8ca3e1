"""Vendor evaluation: effective rates, the SLA scorecard, due diligence and contract terms.

Each quote is assessed on four criteria, each scored 0-100 (higher is better), which
:mod:`rcmmodel.vendors.ranking` weighs into one ranking:

effective rate (shown, and behind the financial criterion through net gain)
    all_in_annual  = vendor_cost + one_time / max(1, term_months / 12)
    effective_rate = all_in_annual / C1
    One-time fees (setup, credentialing) are spread over the contract term, but over at
    least one year, since an annual figure cannot carry a one-time fee more than once.
    The base is C1, the collections after uplift, because that is what the fees are charged
    on (docs/methodology.md §2); so a 7% all-in quote shows an effective rate of exactly 7%.
sla
    Each of the guide's four KPIs (days in A/R, clean claim rate, net collection rate,
    denial rate) the vendor commits to is graded against the benchmark table
    (:data:`rcmmodel.claims.targets.TARGETS`): green 100, amber 50, red 0, not committed 0;
    the score is their mean. No SLA at all scores 0 and is flagged. A/R over 90 days is
    graded where given but not scored (few vendors commit to it).
due_diligence
    100 x (checklist items answered yes) / 8. An item the vendor has not answered counts
    as not verified. A vendor that refuses a Business Associate Agreement is disqualified
    from any recommendation, whatever its scores.
contract_risk (a score of how little the contract binds; 100 = no lock-in)
    100 - 30 x min(1, max(0, (term_months - 12) / 24))          longer than a year
        - 40 x min(1, termination_fee / (vendor_cost / 4))       a quarter's fees or more
        - 15 x min(1, max(0, (notice_days - 30) / 90))           more than 30 days' notice
        - 15 x (1 if auto_renewal, 0 if not)
    What leaving would cost: exit_cost = termination_fee + notice_days / 365 x vendor_cost
    (the fees owed while the notice runs).

Unknowns: nothing the quote does not say is filled in. A contract term the quote leaves
out is "not stated" and scores the midpoint of its penalty (half of it: a term the vendor
has not put in writing is neither a lock-in nor a promise of none), so a quote with no
contract terms at all scores 50; exit and notice costs are then unknown (None). An SLA KPI
not committed to scores 0 and an unanswered due-diligence item counts as not verified, as
above: a promise not made cannot be held to. One-time fees are spread over the contract
term, and over one year where the term is not stated.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model.pricing import service_fee
from ..pricing import pricing_label
from ..claims.targets import BASELINE_KPIS, TARGETS

CORE_KPIS = BASELINE_KPIS
GRADE_POINTS = {"green": 100.0, "amber": 50.0, "red": 0.0}


@dataclass(frozen=True)
class CheckItem:
    """One due-diligence question from the guide."""

    key: str          # the field of ``vendors[].profile``
    label: str
    question: str     # what to ask the vendor
    why: str          # the guide's reason


CHECKLIST: tuple[CheckItem, ...] = (
    CheckItem("specialty_experience", "Specialty experience",
              "Do you bill for our specialty today?",
              "coding nuances and payer rules differ by specialty; the guide calls it "
              "non-negotiable"),
    CheckItem("certified_coders", "Certified coders",
              "Are the coders on our account certified (CPC, CMRS)?",
              "certification validates expertise and is the assurance of accuracy and compliance"),
    CheckItem("baa_offered", "Business Associate Agreement",
              "Will you sign a Business Associate Agreement?",
              "HIPAA requires a BAA with anyone handling PHI; without one the vendor cannot "
              "be chosen"),
    CheckItem("realtime_dashboard", "Real-time dashboard",
              "Can we see days in A/R, clean claims and denials live?",
              "a service that hides its KPIs is a black box and a red flag"),
    CheckItem("data_export_on_exit", "Data export on exit",
              "Do we get all our data back, in a usable format, if we leave?",
              "without it, leaving means losing claim history"),
    CheckItem("encryption", "Encryption in transit and at rest",
              "Is PHI encrypted in transit and at rest?",
              "the guide's first security question"),
    CheckItem("disaster_recovery", "Disaster recovery",
              "What are your disaster recovery and business continuity plans?",
              "billing that stops stops the practice's cash"),
    CheckItem("dedicated_account_manager", "Dedicated account manager",
              "Will we have a named account manager?",
              "clear, consistent communication is the foundation of the partnership"),
)


@dataclass(frozen=True)
class Flag:
    """Something a buyer must notice about a quote: a machine-readable code and the figures
    behind it (:func:`rcmmodel.present.flags_text.flag_message` says it in words)."""

    code: str
    figures: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Extra:
    """A charge beside the headline price."""

    item: str
    amount: float      # USD per ``per``
    per: str           # "year" or "once"


@dataclass
class QuoteCost:
    """The all-in price of a quote on the steady-state year."""

    pricing: str
    collections: float          # C1, the base of the effective rate
    service_fee: float
    recurring_extras: float
    vendor_cost: float
    one_time: float
    one_time_annual: float      # one_time spread over the contract term (at least a year)
    all_in_annual: float
    effective_rate: float
    service_fee_rate: float     # the headline price alone, as a share of C1
    minimum_top_up: float       # what the monthly minimum adds to the service fee a year
    extras: list[Extra] = field(default_factory=list)


@dataclass
class KPICommitment:
    kpi: str
    label: str
    committed: float | None
    grade: str | None
    target: float               # the green threshold of the benchmark table
    baseline: float | None      # the practice's value today, where known
    vs_baseline: str | None     # "better", "same", "worse"; None where either is unknown


@dataclass
class SLAScorecard:
    offered: bool
    kpis: dict[str, KPICommitment]
    omitted: list[str]          # guide KPIs the SLA does not commit to
    score: float


@dataclass
class Diligence:
    answers: dict[str, bool | None]
    score: float
    unanswered: list[str]
    refused: list[str]          # items the vendor said no to


@dataclass
class ContractTerms:
    """A quote's contract terms; None where the quote does not state them."""

    term_months: int | None
    termination_fee: float | None
    notice_days: int | None
    auto_renewal: bool | None
    notice_cost: float | None   # vendor fees owed while the notice runs
    exit_cost: float | None     # termination_fee + notice_cost
    score: float

    @property
    def unstated(self) -> list[str]:
        """The terms the quote leaves out, e.g. ['term_months', 'auto_renewal']."""
        return [k for k in ("term_months", "termination_fee", "notice_days", "auto_renewal")
                if getattr(self, k) is None]


@dataclass
class VendorAssessment:
    """Everything the comparison knows about one quote."""

    name: str
    disqualified: str | None    # the reason's code ("no_baa"), where it may not be recommended
    cost: QuoteCost
    sla: SLAScorecard
    diligence: Diligence
    contract: ContractTerms
    net_gain: float
    npv: float
    flags: list[Flag]

    @property
    def eligible(self) -> bool:
        return self.disqualified is None


def effective_rate(all_in_annual, collections):
    """All-in annual cost as a share of C1.

    Examples
    --------
    >>> effective_rate(38500, 550000)
    0.07
    """
    return all_in_annual / collections


def quote_cost(spec, figures, vin, practice) -> QuoteCost:
    """The all-in cost and the extras of one quote (``spec`` the scenario's Vendor,
    ``figures`` its :class:`~rcmmodel.model.gain.VendorFigures`, ``vin`` its resolved inputs)."""
    c1 = float(figures.collections)
    fee = float(figures.service_fee)
    bare = float(service_fee(vin.pricing, c1, practice.charges, practice.claims_per_month, 0.0))
    term = spec.contract.term_months
    years = max(1.0, term / 12) if term else 1.0       # unstated: over one year
    once = float(figures.one_time)
    all_in = float(figures.vendor_cost) + once / years
    extras = []
    if vin.per_statement and practice.statements_per_month:
        extras.append(Extra("patient statements", vin.per_statement
                            * practice.statements_per_month * 12, "year"))
    if vin.per_provider_monthly:
        extras.append(Extra("per-provider fee", vin.per_provider_monthly * practice.providers
                            * 12, "year"))
    extras += [Extra(name.replace("_", " "), float(v), "year")
               for name, v in vin.other_annual.items() if v]
    if vin.setup:
        extras.append(Extra("setup", float(vin.setup), "once"))
    if vin.credentialing_per_provider:
        extras.append(Extra("credentialing", vin.credentialing_per_provider
                            * practice.providers, "once"))
    return QuoteCost(pricing=pricing_label(spec), collections=c1, service_fee=fee,
                     recurring_extras=float(figures.recurring_extras),
                     vendor_cost=float(figures.vendor_cost), one_time=once,
                     one_time_annual=once / years, all_in_annual=all_in,
                     effective_rate=effective_rate(all_in, c1), service_fee_rate=fee / c1,
                     minimum_top_up=max(0.0, fee - bare), extras=extras)


def sla_scorecard(sla, baseline) -> SLAScorecard:
    """Grade a vendor's SLA (or None) against the benchmarks and the practice's baseline."""
    kpis = {}
    for kpi, target in TARGETS.items():
        committed = getattr(sla, kpi, None) if sla is not None else None
        today = getattr(baseline, kpi, None)
        versus = None
        if committed is not None and today is not None:
            if committed == today:
                versus = "same"
            else:
                versus = "better" if (committed > today) == target.higher_is_better else "worse"
        kpis[kpi] = KPICommitment(kpi, target.label, committed, target.grade(committed),
                                  target.green, today, versus)
    omitted = [k for k in CORE_KPIS if kpis[k].committed is None]
    score = sum(GRADE_POINTS.get(kpis[k].grade, 0.0) for k in CORE_KPIS) / len(CORE_KPIS)
    return SLAScorecard(offered=sla is not None, kpis=kpis, omitted=omitted, score=score)


def due_diligence(profile) -> Diligence:
    """The checklist answered from a vendor's profile."""
    answers = {item.key: getattr(profile, item.key) for item in CHECKLIST}
    yes = sum(1 for a in answers.values() if a is True)
    return Diligence(answers=answers, score=100.0 * yes / len(CHECKLIST),
                     unanswered=[k for k, a in answers.items() if a is None],
                     refused=[k for k, a in answers.items() if a is False])


UNKNOWN = 0.5   # an unstated contract term carries half its penalty (module docstring)


def contract_risk_score(term_months, termination_fee, notice_days, auto_renewal, vendor_cost):
    """100 for a contract one can leave freely, less for each way it binds (module docstring);
    a term given as None (not stated) costs half its penalty.

    Examples
    --------
    >>> contract_risk_score(24, 5000, 120, True, 40000)   # 100 - 15 - 20 - 15 - 15
    35.0
    >>> contract_risk_score(None, None, None, None, 40000)   # 100 - 15 - 20 - 7.5 - 7.5
    50.0
    """
    term = UNKNOWN if term_months is None else min(1.0, max(0.0, (term_months - 12) / 24))
    if termination_fee is None:
        exit_fee = UNKNOWN
    elif termination_fee <= 0:
        exit_fee = 0.0
    else:
        exit_fee = 1.0 if vendor_cost <= 0 else min(1.0, termination_fee / (vendor_cost / 4))
    notice = UNKNOWN if notice_days is None else min(1.0, max(0.0, (notice_days - 30) / 90))
    renewal = UNKNOWN if auto_renewal is None else float(auto_renewal)
    return 100.0 - 30 * term - 40 * exit_fee - 15 * notice - 15 * renewal


def contract_terms(contract, vendor_cost: float) -> ContractTerms:
    """A contract's terms, what leaving would cost, and its contract-risk score."""
    notice_cost = None if contract.notice_days is None else contract.notice_days / 365 * vendor_cost
    exit_cost = (None if notice_cost is None or contract.termination_fee is None
                 else contract.termination_fee + notice_cost)
    return ContractTerms(
        term_months=contract.term_months, termination_fee=contract.termination_fee,
        notice_days=contract.notice_days, auto_renewal=contract.auto_renewal,
        notice_cost=notice_cost, exit_cost=exit_cost,
        score=contract_risk_score(contract.term_months, contract.termination_fee,
                                  contract.notice_days, contract.auto_renewal, vendor_cost))


def _flags(a: VendorAssessment) -> list[Flag]:
    """The flags of an assessment: codes and their figures (present/flags_text.py words them)."""
    out = []
    if a.disqualified:
        out.append(Flag(a.disqualified))
    elif a.diligence.answers["baa_offered"] is None:
        out.append(Flag("baa_unconfirmed"))
    c = a.cost
    recurring = [(e.item, e.amount) for e in c.extras if e.per == "year"]
    if recurring:
        out.append(Flag("extras", {"items": recurring}))
    once = [(e.item, e.amount) for e in c.extras if e.per == "once"]
    if once:
        out.append(Flag("one_time_fees", {"items": once}))
    if c.minimum_top_up > 0.005:
        out.append(Flag("minimum_binds", {"amount": c.minimum_top_up}))
    if not a.sla.offered:
        out.append(Flag("no_sla"))
    elif a.sla.omitted:
        out.append(Flag("sla_gaps", {"kpis": list(a.sla.omitted)}))
    red = [k for k in CORE_KPIS if a.sla.kpis[k].grade == "red"]
    if red:
        out.append(Flag("sla_below_benchmark", {"kpis": red}))
    worse = [k.kpi for k in a.sla.kpis.values() if k.vs_baseline == "worse"]
    if worse:
        out.append(Flag("sla_worse_than_today", {"kpis": worse}))
    refused = [i.key for i in CHECKLIST if i.key in a.diligence.refused and i.key != "baa_offered"]
    if refused:
        out.append(Flag("diligence_no", {"items": refused}))
    if a.diligence.unanswered:
        out.append(Flag("diligence_unanswered", {"items": [
            i.key for i in CHECKLIST if i.key in a.diligence.unanswered]}))
    k = a.contract
    if k.auto_renewal:
        out.append(Flag("auto_renewal"))
    if k.termination_fee:
        out.append(Flag("termination_fee", {"termination_fee": k.termination_fee,
                                            "notice_days": k.notice_days,
                                            "exit_cost": k.exit_cost}))
    if k.unstated:
        out.append(Flag("contract_unstated", {"terms": k.unstated}))
    if a.net_gain < 0:
        out.append(Flag("net_loss", {"amount": -a.net_gain}))
    return out


def assess(evaluation) -> list[VendorAssessment]:
    """Assess every vendor of an :class:`~rcmmodel.model.evaluate.Evaluation`, in scenario order."""
    scenario, inputs = evaluation.scenario, evaluation.inputs
    baseline = scenario.practice.baseline_kpis
    out = []
    for spec, vin, result in zip(scenario.vendors, inputs.vendors, evaluation.vendors):
        cost = quote_cost(spec, result.figures, vin, inputs.practice)
        # HIPAA requires a Business Associate Agreement with anyone handling patient data
        reason = "no_baa" if spec.profile.baa_offered is False else None
        a = VendorAssessment(
            name=spec.name, disqualified=reason, cost=cost,
            sla=sla_scorecard(spec.sla, baseline), diligence=due_diligence(spec.profile),
            contract=contract_terms(spec.contract, cost.vendor_cost),
            net_gain=float(result.planning.net_gain), npv=float(result.planning.npv), flags=[])
        a.flags = _flags(a)
        out.append(a)
    return out
