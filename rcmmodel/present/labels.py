"""The one table of words people read: KPI names, scenario fields, flags, sources, and how to
show their values.

Every surface (``rcm kpi``, ``rcm compare``, the reports, the app, the workbook) takes its
labels from here, so a thing is called the same everywhere, and no reader ever sees a field
path (``inhouse.staff[0].fte``) or a distribution's syntax (``triangular(...)``).

>>> field_label("inhouse.turnover.annual_rate")
'Billing staff turnover a year'
>>> field_label("timeline.ramp_days")
'Ramp to full uplift'
>>> value_text("timeline.ramp_days", 90)
'90 days'
>>> possessive("Behavioral Billing Pros")
"Behavioral Billing Pros'"
"""
from __future__ import annotations

import re

from ..claims.targets import KPIS
from ..describe import fee, is_range, money, possessive, rate, spread, tier_band

#: KPI labels, read from the one KPI table (rcmmodel.claims.targets.KPIS).
KPI_LABELS = {k: row.label for k, row in KPIS.items()}
MONEY_KPIS = frozenset(k for k, row in KPIS.items() if row.unit == "money")
DAY_KPIS = frozenset(k for k, row in KPIS.items() if row.unit == "days")

TOTAL_LABELS = {
    "charge": "Charges", "allowed": "Allowed", "insurance_paid": "Insurance paid",
    "patient_paid": "Patient paid", "patient_responsibility": "Patient responsibility",
    "contractual_adjustment": "Contractual adjustments", "other_adjustment": "Other adjustments",
    "denied_amount": "Denied (CO on denied lines)", "denied_charge": "Denied charges",
    "open_ar": "Open A/R",
}
#: Denial categories (rcmmodel.claims.codes.CATEGORIES) as shown to a practice owner.
CATEGORY_LABELS = {
    "eligibility/registration": "Eligibility or registration",
    "authorization": "Authorization", "coding/bundling": "Coding or bundling",
    "medical necessity": "Medical necessity", "timely filing": "Timely filing",
    "duplicate": "Duplicate", "missing information": "Missing information", "other": "Other",
}
#: What to do about a denial (rcmmodel.claims.codes.ACTIONS).
ACTION_LABELS = {"appeal": "Appeal", "correct and resubmit": "Correct and resubmit",
                 "bill the right payer": "Bill the right payer", "no action": "No action"}
#: The evidence-based uplift's parts (rcmmodel.claims.evidence).
EVIDENCE_LABELS = {"denials": "Denials not overturned", "underpayments": "Underpayments",
                   "aged_ar": "A/R over 120 days"}
#: Figures of the claims review beyond the KPIs.
REVIEW_LABELS = {
    "denied_claims": "Denied claims", "denied_lines": "Denied service lines",
    "overturn_rate": "Overturn rate", "days_to_pay_median": "Median days to pay",
    "payer_mix": "Payer mix", "charge_lag": "Charge lag (service to submission)",
    "underpayments": "Underpayments", "insurance_balance": "Insurance balance",
    "patient_balance": "Patient balance", "uplift_supported": "Uplift the data supports",
}

#: The ranking's criteria as a table or chart heads them (rcmmodel.vendors.ranking.CRITERIA).
CRITERION_LABELS = {"financial": "Financial", "sla": "SLA", "due_diligence": "Due diligence",
                    "contract_risk": "Contract risk"}
#: The acronyms a report uses, spelled out once (its glossary line).
GLOSSARY = {
    "A/R": "accounts receivable, what payers and patients still owe",
    "BAA": "Business Associate Agreement, which HIPAA requires before a vendor sees "
           "patient data",
    "FTE": "full-time equivalent (0.5 FTE is half a full-time job)",
    "KPI": "key performance indicator",
    "NPV": "net present value, future cash in today's dollars",
    "ROI": "return on investment, net gain as a share of the vendor's cost",
    "SLA": "service-level agreement, what a vendor commits to in writing",
    "TCO": "total cost of ownership",
}


def criterion_label(key: str) -> str:
    """A ranking criterion's head: 'SLA', 'Due diligence'; a criterion of the practice's own
    by its name."""
    return CRITERION_LABELS.get(key, key.replace("_", " ").capitalize())


def glossary_line(text: str = "") -> str:
    """'Terms: BAA = Business Associate Agreement, ...; ...': every acronym of the glossary
    that ``text`` uses (all of them where ``text`` is empty), each spelled out once.

    >>> glossary_line("the SLA and NPV")
    "Terms: NPV = net present value, future cash in today's dollars; SLA = service-level agreement, what a vendor commits to in writing."
    """
    used = [k for k in GLOSSARY if not text or re.search(rf"(?<![\w/]){re.escape(k)}(?![\w/])",
                                                         text)]
    return ("Terms: " + "; ".join(f"{k} = {GLOSSARY[k]}" for k in used) + ".") if used else ""


# The parts of the in-house cost (rcmmodel.model.inhouse.inhouse_parts); a cost of the
# scenario's ``inhouse.costs`` is shown by its own name (see inhouse_label).
#: How a vendor without a Business Associate Agreement is named wherever it is listed.
EXCLUDED_SUFFIX = " (excluded: no BAA)"

INHOUSE_LABELS = {
    "wages": "Wages", "payroll_tax": "Payroll tax", "benefits": "Benefits",
    "turnover": "Turnover", "total": "In-house cost (total)",
}


def inhouse_label(part: str) -> str:
    """What to call a part of the in-house cost: 'payroll_tax' -> 'Payroll tax'.

    Examples
    --------
    >>> inhouse_label("payroll_tax"), inhouse_label("office_rent")
    ('Payroll tax', 'Office rent')
    """
    return INHOUSE_LABELS.get(part) or part.replace("_", " ").capitalize()


AXIS_LABELS = {"rate": "Fee rate", "uplift": "Uplift in collections", "inhouse_cost":
               "In-house savings per year", "collections": "Annual collections today (C0)"}


def axis_label(grid, axis: str) -> str:
    """What to call ``axis`` (of risk.sensitivity.AXES) of a break-even map or gain curve;
    "price" is named by the quote's pricing model (the registry's price_label)."""
    from ..pricing import PRICING_MODELS   # lazily: rcm --help loads this

    return PRICING_MODELS[grid.pricing_model].price_label if axis == "price" else AXIS_LABELS[axis]


def format_kpi(kpi: str, value, missing: str = "n/a") -> str:
    """A KPI's value as people read it: dollars for open A/R, days for days in A/R, else a percent.

    >>> format_kpi("open_ar", 1234.5), format_kpi("days_in_ar", 41.26), format_kpi("denial_rate", 0.0712)
    ('$1,234.50', '41.3 days', '7.1%')
    >>> format_kpi("net_collection_rate", None)
    'n/a'
    """
    if value is None or value != value:      # None or NaN
        return missing
    value = float(value)
    if kpi in MONEY_KPIS:
        return money(value, cents=True)
    if kpi in DAY_KPIS:
        return f"{value:.1f} days"
    return f"{value * 100:.1f}%"


# ------------------------------------------------------------------------ scenario fields
#
# Pattern -> (label, unit). A pattern is a field path with list indices written "[]" and a
# free dictionary key written "*". Labels may use {role} (a staff member's role), {key} (the
# dictionary key in words), {n} and {band} (a pricing tier), {kpi} (a KPI's label).
# Units: money, fee (a small fee, cents shown), rate, days, months, count, fte, years,
# weight, flag (yes/no), text.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "name": ("Practice", "text"),
    "practice.specialty": ("Specialty", "text"),
    "practice.providers": ("Providers", "count"),
    "practice.annual_collections": ("Annual collections today", "money"),
    "practice.annual_charges": ("Annual charges", "money"),
    "practice.claims_per_month": ("Claims a month", "count"),
    "practice.patient_statements_per_month": ("Patient statements a month", "count"),
    "practice.baseline_kpis.*": ("Today's {kpi}", "kpi"),
    "practice.claims_files": ("Claims files", "text"),
    "inhouse.annual_cost": ("In-house billing cost a year", "money"),
    "inhouse.staff[].role": ("Staff role", "text"),
    "inhouse.staff[].fte": ("{roles} FTE", "fte"),
    "inhouse.staff[].salary": ("{roles} salary", "money"),
    "inhouse.payroll_tax_rate": ("Payroll tax rate", "rate"),
    "inhouse.benefits_rate": ("Benefits rate", "rate"),
    "inhouse.costs.*": ("In-house {key} cost", "money"),
    "inhouse.turnover.annual_rate": ("Billing staff turnover a year", "rate"),
    "inhouse.turnover.cost_per_departure": ("Cost of replacing a biller", "money"),
    "inhouse.residual_after_outsourcing": ("In-house cost left after outsourcing", "money"),
    "vendors[].name": ("Vendor", "text"),
    "vendors[].pricing.tiers[].up_to": ("Tier {n} upper bound", "money"),
    "vendors[].pricing.tiers[].rate": ("Tier {n} rate ({band})", "rate"),
    "vendors[].uplift": ("Collections uplift", "rate"),
    "vendors[].fees.setup": ("Setup fee", "money"),
    "vendors[].fees.monthly_minimum": ("Monthly minimum fee", "money"),
    "vendors[].fees.per_statement": ("Fee per patient statement", "fee"),
    "vendors[].fees.per_provider_monthly": ("Monthly fee per provider", "fee"),
    "vendors[].fees.credentialing_per_provider": ("Credentialing fee per provider", "money"),
    "vendors[].fees.other_annual.*": ("{key} (a year)", "money"),
    "vendors[].sla.*": ("Committed {kpi}", "kpi"),
    "vendors[].contract.term_months": ("Contract term", "months"),
    "vendors[].contract.termination_fee": ("Termination fee", "money"),
    "vendors[].contract.notice_days": ("Notice period", "days"),
    "vendors[].contract.auto_renewal": ("Renews automatically", "flag"),
    "vendors[].profile.*": ("{key}", "flag"),
    "vendors_file": ("Quotes file", "text"),
    "timeline.horizon_months": ("Months modelled", "months"),
    "timeline.discount_rate": ("Discount rate (a year)", "rate"),
    "timeline.parallel_run_days": ("Parallel run", "days"),
    "timeline.ramp_days": ("Ramp to full uplift", "days"),
    "ranking.weights.*": ("Weight of {key}", "weight"),
    "ranking.basis": ("Financial score based on", "text"),
    "ranking.priority": ("The practice's priorities", "text"),
    "capacity.claims_growth_rate": ("Claims growth a year", "rate"),
    "capacity.claims_per_fte_per_day": ("Claims a biller handles a day", "count"),
    "capacity.workdays_per_year": ("Workdays a year", "count"),
    "capacity.current_fte": ("Billing staff today (FTE)", "fte"),
    "capacity.cost_per_fte": ("Cost of one more biller a year", "money"),
    "capacity.years": ("Years looked ahead", "years"),
}
FIELD_LABELS["vendors[].pricing.model"] = ("Pricing model", "text")
FIELD_LABELS.update({      # fixing billing in-house instead (rcmmodel.model.alternatives)
    "alternatives[].name": ("In-house alternative", "text"),
    "alternatives[].annual_cost": ("Cost a year", "money"),
    "alternatives[].one_time": ("One-time cost", "money"),
    "alternatives[].uplift": ("Collections uplift", "rate")})


def _pricing_fields() -> None:
    """A quote's pricing fields are named once, in the pricing registry; read it on first
    use (the scenario package loads pydantic, which ``rcm --help`` must not)."""
    from ..pricing import price_fields

    FIELD_LABELS.update({f"vendors[].pricing.{f.name}": (
        f.label, {"rate": "rate", "money": "fee", "choice": "text"}[f.kind])
        for f in price_fields().values() if f.kind != "tiers"})


# Words for dictionary keys and profile answers where the key itself reads badly.
KEYS = {
    "baa_offered": "Business Associate Agreement offered",
    "realtime_dashboard": "Real-time dashboard",
    "data_export_on_exit": "Data export on exit",
    "dedicated_account_manager": "Dedicated account manager",
    "specialty_experience": "Specialty experience",
    "certified_coders": "Certified coders",
    "disaster_recovery": "Disaster recovery",
    "encryption": "Encryption in transit and at rest",
    "sla": "service levels",
    "due_diligence": "due diligence",
    "contract_risk": "contract terms",
    "financial": "the financial result",
}
_INDEX = re.compile(r"\[(\d+)\]")


def _pattern(path: str) -> tuple[str, list[int], str | None]:
    """('vendors[].pricing.tiers[].rate', [1, 2], None) for a path; a free dictionary key
    becomes '*' and is returned third."""
    _pricing_fields()
    indices = [int(i) for i in _INDEX.findall(path)]
    bare = _INDEX.sub("[]", path)
    if bare in FIELD_LABELS:
        return bare, indices, None
    # A free key is the rest of the path after its mapping's prefix, dots and all
    # ("inhouse.costs.misc. supplies": the cost named "misc. supplies").
    for pattern in FIELD_LABELS:
        prefix = pattern[:-1]
        if pattern.endswith(".*") and bare.startswith(prefix) and len(bare) > len(prefix):
            return pattern, indices, bare[len(prefix):]
    raise KeyError(f"no label for the field {path!r}")


def _lower_first(text: str) -> str:
    """'Denial rate' -> 'denial rate', but 'A/R over 90 days' and 'NPV' keep their capitals."""
    if text[:2].isupper() or text[1:2] == "/":
        return text
    return text[:1].lower() + text[1:]


def _words(key: str) -> str:
    return KEYS.get(key, key.replace("_", " "))


def field_label(path: str, scenario=None, vendor: bool = True) -> str:
    """The human label of a scenario field, from its path.

    With the scenario, staff and vendors are named ("Billing specialist FTE",
    "Acme RCM: fee rate") and tiers give their band; ``vendor=False`` leaves the vendor's
    name out (a chart about one vendor says it once, in its title).

    >>> field_label("inhouse.staff[0].fte")
    "Staff member 1's FTE"
    >>> field_label("vendors[0].pricing.tiers[1].rate")
    'Tier 2 rate'
    >>> field_label("inhouse.costs.office_space")
    'In-house office space cost'
    """
    pattern, idx, key = _pattern(path)
    label, unit = FIELD_LABELS[pattern]
    fill = {"key": _words(key) if key else "", "n": idx[-1] + 1 if idx else "",
            "kpi": _lower_first(KPI_LABELS.get(key or "", _words(key or ""))), "role": "Staff",
            "band": ""}
    if pattern.startswith("inhouse.staff[]") and scenario is not None:
        fill["role"] = scenario.inhouse.staff[idx[0]].role
    elif pattern.startswith("inhouse.staff[]"):
        fill["role"] = f"Staff member {idx[0] + 1}"
    if "{band}" in label:
        if scenario is not None:
            fill["band"] = tier_band(scenario.vendors[idx[0]].pricing.tiers, idx[1])
        else:
            label = label.replace(" ({band})", "")
    fill["roles"] = possessive(fill["role"])
    text = label.format(**fill)
    text = text[:1].upper() + text[1:]
    if pattern.startswith("vendors[]") and vendor and scenario is not None:
        text = f"{scenario.vendors[idx[0]].name}: {text[:1].lower() + text[1:]}"
    elif pattern.startswith("alternatives[]") and scenario is not None:
        text = f"{scenario.alternatives[idx[0]].name}: {text[:1].lower() + text[1:]}"
    return text


def field_unit(path: str) -> str:
    """The unit a field is said in: money, fee, rate, days, months, count, fte, ..."""
    pattern, _, key = _pattern(path)
    unit = FIELD_LABELS[pattern][1]
    if unit == "kpi":
        return "days" if key == "days_in_ar" else "rate"
    return unit


_SUFFIX = {"days": " days", "months": " months", "years": " years", "fte": " FTE"}


def _number(unit: str):
    if unit in ("rate",):
        return rate
    if unit == "money":
        return money
    if unit == "fee":
        return fee
    return lambda v: f"{float(v):,.2f}".rstrip("0").rstrip(".")


def say(value, unit: str, compact: bool = False) -> str:
    """A value in its unit: '$45,000', '7.65%', '90 days', or an uncertain input as a
    sentence ('between 60 and 120 days, most likely 75')."""
    if value is None:
        return "not stated"
    if unit == "flag":
        return {True: "yes", False: "no"}.get(value, str(value))
    if unit in ("text", "weight") and not is_range(value):
        return f"{value:g}" if isinstance(value, float) else str(value)
    fmt, suffix = _number(unit), _SUFFIX.get(unit, "")
    if is_range(value):
        return spread(value, fmt, suffix, compact=compact)
    if unit == "days" and float(value) == 1:
        return "1 day"
    return fmt(value) + suffix


def value_text(path: str, value, compact: bool = False) -> str:
    """A field's value in words, in the field's own unit."""
    return say(value, field_unit(path), compact=compact)


# ------------------------------------------------------------------------ vendor flags
# A flag's words live beside this table (this module is long enough); import them from here.
from .flags_text import FLAG_LABELS, flag_label, flag_sentence  # noqa: E402,F401


# The sources reports cite live beside this table (this module is long enough).
from .sources import CITED, SOURCE_ALIASES, SOURCES, cite, references  # noqa: E402,F401
# The app's words live beside this table (this module is long enough); import them from here.
from .labels_app import APP_FIELDS, APP_RESULTS  # noqa: E402,F401
