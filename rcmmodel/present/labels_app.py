"""The app's words: each input's visible label and the plain line under it, and the line
under each result. Part of the one table of labels (:mod:`rcmmodel.present.labels`
re-exports them); split out only to keep that module short.
"""
from __future__ import annotations

# The app's inputs: the visible label (also the field's accessible name) and the plain line
# under it. Keys are the app's field keys; the same words describe the scenario in reports.
APP_FIELDS = {
    "name": ("Practice name", "Shown on the report and in the file name."),
    "annual_collections": ("Annual collections",
                           "What the practice collects a year today, from insurers and "
                           "patients."),
    "claims_per_month": ("Claims a month", "Claims sent to insurers in a typical month."),
    "providers": ("Providers", "Doctors and other clinicians who bill under the practice."),
    "annual_charges": ("Annual charges", "Optional: the total billed a year at full fee "
                       "schedule; needed only for quotes priced on charges."),
    "patient_statements_per_month": ("Patient statements a month",
                                     "Optional: bills mailed to patients; some quotes charge "
                                     "per statement."),
    "inhouse_total": ("In-house billing cost a year",
                      "Everything billing in-house costs a year: wages, benefits, software, "
                      "clearinghouse, training, space."),
    "fte": ("Full-time equivalent", "1 for a full-time person, 0.5 for half time."),
    "salary": ("Salary a year", "Gross annual pay of one full-time person in this role."),
    "payroll_tax_rate": ("Payroll tax", "Employer's payroll taxes as a share of wages "
                         "(7.65% is US Social Security and Medicare)."),
    "benefits_rate": ("Benefits", "Health cover, retirement and paid time off as a share of "
                      "wages (20% is typical)."),
    "training": ("Training a year", "Courses and certification for billing staff."),
    "software": ("Software a year", "Billing or practice-management software licences."),
    "clearinghouse": ("Clearinghouse a year", "Fees for sending claims electronically."),
    "office_space": ("Office space a year", "The share of rent and equipment billing uses."),
    "turnover_rate": ("Staff turnover a year", "Share of billing staff who leave in a year."),
    "cost_per_departure": ("Cost of replacing someone", "Hiring, training and lost "
                           "collections each time a biller leaves."),
    "residual": ("In-house cost that stays", "What billing still costs you after outsourcing "
                 "(someone to answer patients' billing questions, say)."),
    "rate": ("Fee rate", "The vendor's share of what it collects for you, in percent (7 for 7%)."),
    "base": ("Charged on", "What the percentage is taken of: collections (usual) or charges."),
    "fee": ("Fee per claim", "Dollars the vendor charges for each claim it sends."),
    "monthly_base": ("Monthly base fee", "A fixed fee each month, on top of the percentage."),
    "tiers": ("Tiers", "Bands of annual collections and their rates, e.g. "
              "'250,000: 6%; 500,000: 5%; above: 4%'."),
    "setup": ("Setup fee", "One-time fee in the first month."),
    "monthly_minimum": ("Monthly minimum", "The least the vendor charges in any month."),
    "per_statement": ("Fee per patient statement", "Charged for each statement mailed."),
    "per_provider_monthly": ("Fee per provider a month", "Charged for each provider, monthly."),
    "credentialing_per_provider": ("Credentialing per provider",
                                   "One-time fee to enrol each provider with insurers."),
    "other_annual": ("Other yearly fees", "Named extras a year, e.g. 'portal=600; "
                     "denials=1200'."),
    "uplift": ("Collections uplift (most likely)",
               "How much more a good vendor collects than you do today, in percent of "
               "today's collections."),
    "uplift_low": ("Uplift, lowest", "Optional: the least uplift you think likely. With a "
                   "highest too, the decision shows the chance it pays."),
    "uplift_high": ("Uplift, highest", "Optional: the most uplift you think likely."),
    "sla_days_in_ar": ("Promised days in A/R", "The vendor's promise: days from visit to "
                       "payment, on average. Blank if not promised."),
    "sla_clean_claim_rate": ("Promised clean claim rate", "Share of claims paid on first "
                             "submission. Blank if not promised."),
    "sla_net_collection_rate": ("Promised net collection rate",
                                "Share of what is collectable that gets collected. Blank if "
                                "not promised."),
    "sla_denial_rate": ("Promised denial rate", "Share of claims denied. Blank if not "
                        "promised."),
    "term_months": ("Contract length (months)", "How long you are bound to the vendor."),
    "termination_fee": ("Termination fee", "What leaving early costs."),
    "notice_days": ("Notice (days)", "How long before the end you must give notice."),
    "baa_offered": ("Signs a Business Associate Agreement",
                    "HIPAA requires one to share patient data; a vendor that refuses "
                    "cannot be recommended."),
    "specialty_experience": ("Experience in your specialty", "Has billed for practices like "
                             "yours."),
    "certified_coders": ("Certified coders", "Coders hold a certification (CPC, CCS)."),
    "realtime_dashboard": ("Real-time dashboard", "You can see your numbers any time."),
    "data_export_on_exit": ("Your data back on exit", "They hand over your data if you "
                            "leave."),
    "encryption": ("Encryption", "Patient data is encrypted in transit and at rest."),
    "disaster_recovery": ("Disaster recovery", "A tested plan to keep billing going after "
                          "an outage or a breach."),
    "dedicated_account_manager": ("Named account manager", "One person at the vendor who "
                                  "knows your practice."),
    "auto_renewal": ("Renews by itself", "The contract renews unless you cancel in time: "
                     "mind the notice days."),
    "ramp_days": ("Days to full uplift", "How long the vendor takes to reach its full uplift: "
                  "it changes the first year's cash and the NPV, not the steady-state gain."),
    "parallel_run_days": ("Days both run", "Days in-house billing continues while the vendor "
                          "starts up: you pay both."),
}

# The app's results: the plain line under each figure.
APP_RESULTS = {
    "net_gain": "Net gain a year once the vendor is fully up to speed (steady state): extra "
                "collections plus the in-house cost saved, minus the vendor's fees.",
    "range": "The net gain if the uplift is what the vendor quoted, what its promised "
             "collection rate implies, or nothing at all.",
    "breakeven": "Break-even uplift: the extra collections, as a share of today's, at which "
                 "outsourcing exactly pays for itself.",
    "chance": "The share of thousands of simulated futures, drawn from your ranges, in which "
              "outsourcing pays.",
    "tornado": "What moves the net gain most: each uncertain figure swung from its low to its "
               "high while the others stay put.",
    "timeline": "Cash month by month compared with staying in-house, including the start-up "
                "months when you pay both.",
    "npv": "Net present value: the months' net cash added up over the horizon, later months "
           "counting a little less (money now is worth more).",
    "sla": "SLA scorecard: what each vendor promises against the benchmarks.",
    "denials_chart": "Denied dollars by what went wrong: the longest bars are the first to "
                     "fix.",
    "aging_chart": "What insurers and patients still owe, by days since the visit: the older "
                   "a balance, the less of it is ever collected.",
}
