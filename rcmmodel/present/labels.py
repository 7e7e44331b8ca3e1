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
TOTAL_LABELS = {
    "charge": "Charges", "allowed": "Allowed", "insurance_paid": "Insurance paid",
    "patient_paid": "Patient paid", "patient_responsibility": "Patient responsibility",
    "contractual_adjustment": "Contractual adjustments", "other_adjustment": "Other adjustments",
    "denied_amount": "Denied (CO on denied claims)", "open_ar": "Open A/R",
}
