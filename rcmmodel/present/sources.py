"""Where the numbers come from: the sources reports cite, short for a table cell and in full.

Re-exported by :mod:`rcmmodel.present.labels`, the one table of words people read.
"""
from __future__ import annotations

#: Where the numbers come from: key -> (short name for a table cell, full citation).
#: A citation gives the publisher, the title, the year and where to find it; a year that
#: the source does not print is said to be "not stated", never guessed.
SOURCES = {
    "guide": ("Billing services guide",
              "The Ultimate Guide to Medical Billing Services for Small Practices: Reclaim "
              "Your Time and Revenue (web article published as \"Medical Billing Services for "
              "Small Practices\"; author and publisher not stated; undated): the worked "
              "example, the typical uplift (10-20%) and fee (4-10% of collections), the KPI "
              "targets, the 30-60 day transition and the due-diligence questions"),
    "aafp": ("AAFP", "American Academy of Family Physicians, \"Finances and Your Practice: "
                     "Revenue Cycle Management: Key Metrics\" (web page, year not stated; "
                     "aafp.org/family-physician/practice-and-career/managing-your-practice/"
                     "practice-finances.html): days in A/R below 50, 30-40 preferable; a "
                     "denial rate of 5-10% is average, below 5% desirable. The net collection "
                     "rate figures (about 95% optimal, 90% or below a problem) are AAFP's "
                     "coding and compliance strategist Barbie Hays, quoted in \"Medical "
                     "Practices: How to Improve Your Collection Rates\", Clinical Pain "
                     "Advisor (year not stated)"),
    "hfma": ("HFMA MAP Keys", "Healthcare Financial Management Association, MAP Keys: the "
                              "revenue-cycle key performance indicators for hospitals and "
                              "physician practices (web page, year not stated; "
                              "hfma.org/data-and-insights/map-initiative): the definitions "
                              "of clean claim rate, initial denial rate and cost to collect"),
    "mgma": ("MGMA", "Medical Group Management Association, Performance and Practices of "
                     "Successful Medical Groups (the annual report of the \"Better "
                     "Performers\"; mgma.com; the edition behind the ~12% of A/R over 90 days "
                     "is not stated)"),
    "overturn": ("Change Healthcare 2017",
                 "Change Healthcare, Healthy Hospital Revenue Cycle Index: National medical "
                 "claim denial trends and the impact on providers (June 26, 2017; presented "
                 "at the HFMA ANI 2017 conference): 63% of denied hospital claims recovered "
                 "on appeal, from the 2016 inpatient and outpatient claims of 724 hospitals. "
                 "A hospital figure: no practice-level rate was found, so it is used for a "
                 "practice only where its own remittances show no overturn"),
    "irs": ("IRS Pub. 15 (2026)", "Internal Revenue Service, Publication 15 (Circular E), "
                                  "Employer's Tax Guide, 2026 (irs.gov/pub15): Social "
                                  "Security 6.2% and Medicare 1.45% of wages"),
    "x12": ("X12 code lists", "X12, Claim Adjustment Reason Codes (CARC) and Remittance "
                              "Advice Remark Codes (RARC): lists updated several times a year, so no year is stated (x12.org/codes)"),
    "methodology": ("Methodology", "rcmmodel methodology: every formula and KPI definition "
                                   "(docs/methodology.md in the rcmmodel repository)"),
    "scenario": ("Practice's figures", "the practice's own figures, as given for this report"),
    "practice": ("Practice's figures", "the practice's own figures, as given for this report"),
    "quote": ("Vendor's quote", "the vendor's written quote, as given for this report"),
    "default": ("Planning default", "rcmmodel's planning default where the practice gave "
                                    "no figure"),
    "measured": ("Measured from claims", "measured from the practice's own claims files "
                                         "(the period is given beside each figure)"),
    "assumption": ("Assumption", "rcmmodel's own planning assumption, not a published "
                                 "figure: replace it with the practice's own where known"),
    "offer": ("The offer's assumption", "the billing company's own planning assumption, "
                                        "written into its offer for practices that gave no "
                                        "figure: not the practice's figure; replace it with "
                                        "the practice's own where known"),
    # (the figure itself: rcmmodel.scenario.salaries.NATIONAL, not imported: this table
    # stays light for `rcm --help`)
    "bls": ("BLS pay data (2023)", "U.S. Bureau of Labor Statistics, Occupational Employment "
                                   "and Wage Statistics, May 2023: medical records "
                                   "specialists (29-2072), U.S. median annual wage "
                                   "(bls.gov/oes), the default salary of a billing FTE where "
                                   "the practice gave none"),
}
#: The sources a reader may look up (the others, the practice's own figures and the
#: vendor's quote, explain themselves in the table).
CITED = ("guide", "aafp", "hfma", "mgma", "overturn", "irs", "bls", "x12", "methodology",
         "assumption", "offer")
#: How a source is named inside a longer text (benchmark notes use these words).
SOURCE_ALIASES = {"guide": "guide", "aafp": "aafp", "hfma": "hfma", "mgma": "mgma"}


def cite(*keys: str) -> str:
    """Short source names for a table cell: cite('guide', 'aafp') -> 'Billing services guide;
    AAFP'."""
    return "; ".join(SOURCES[k][0] for k in keys)


def references(keys) -> list[str]:
    """Full citations, one per source, in the order given: the list below a sources table."""
    return [f"{SOURCES[k][0]}: {SOURCES[k][1]}" for k in dict.fromkeys(keys)]
