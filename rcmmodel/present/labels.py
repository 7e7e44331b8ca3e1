"""The one table of words people read: KPI names, ledger totals, and how to show their values.

Every surface (``rcm kpi``, the claims review, the decision report, the app, the workbook)
takes its labels from here, so a KPI is called the same thing everywhere.
"""
from __future__ import annotations

KPI_LABELS = {
    "net_collection_rate": "Net collection rate",
    "gross_collection_rate": "Gross collection rate",
    "denial_rate": "Denial rate",
    "denial_rate_dollars": "Denial rate (dollars)",
    "clean_claim_rate": "Clean claim rate",
    "open_ar": "Open A/R",
    "days_in_ar": "Days in A/R",
    "ar_over_90": "A/R over 90 days",
}
MONEY_KPIS = frozenset({"open_ar"})
DAY_KPIS = frozenset({"days_in_ar"})

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


# The parts of the in-house cost (rcmmodel.model.inhouse.inhouse_parts); a cost of the
# scenario's ``inhouse.costs`` is shown by its own name (see inhouse_label).
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
        return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"
    if kpi in DAY_KPIS:
        return f"{value:.1f} days"
    return f"{value * 100:.1f}%"
