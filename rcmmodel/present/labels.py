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
    "denied_amount": "Denied (CO on denied claims)", "open_ar": "Open A/R",
}


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
