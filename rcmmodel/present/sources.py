"""Where the numbers come from: the sources reports cite, short for a table cell and in full.

Re-exported by :mod:`rcmmodel.present.labels`, the one table of words people read.
"""
from __future__ import annotations

#: Where the numbers come from: key -> (short name for a table cell, full citation).
SOURCES = {
    "guide": ("Billing services guide",
              "The Ultimate Guide to Medical Billing Services for Small Practices "
              "(industry guide, n.d.)"),
    "aafp": ("AAFP", "American Academy of Family Physicians, Finances and Your Practice: "
                     "Revenue Cycle Management Key Metrics (aafp.org, accessed 2026)"),
    "hfma": ("HFMA MAP Keys", "Healthcare Financial Management Association, MAP Keys: "
                              "revenue cycle KPIs for hospitals and physician practices "
                              "(hfma.org, accessed 2026)"),
    "mgma": ("MGMA", "Medical Group Management Association, practice operations "
                     "benchmarks (mgma.com, accessed 2026)"),
    "irs": ("IRS Pub. 15 (2026)", "Internal Revenue Service, Publication 15 (Circular E), "
                                  "Employer's Tax Guide, 2026: Social Security 6.2% and "
                                  "Medicare 1.45% of wages"),
    "methodology": ("Methodology", "rcmmodel methodology: every formula and KPI definition "
                                   "(docs/methodology.md in the rcmmodel repository)"),
    "scenario": ("Practice's figures", "the practice's own figures, as given for this report"),
    "practice": ("Practice's figures", "the practice's own figures, as given for this report"),
    "quote": ("Vendor's quote", "the vendor's written quote, as given for this report"),
    "default": ("Planning default", "rcmmodel's planning default where the practice gave "
                                    "no figure"),
    "measured": ("Measured from claims", "measured from the practice's own claims files "
                                         "(the period is given beside each figure)"),
    "assumption": ("Assumption", "rcmmodel's planning assumption, not a published figure: "
                                 "replace it with the practice's own where known"),
}
#: The sources a reader may look up (the others, the practice's own figures and the
#: vendor's quote, explain themselves in the table).
CITED = ("guide", "aafp", "hfma", "mgma", "irs", "methodology")
#: How a source is named inside a longer text (benchmark notes use these words).
SOURCE_ALIASES = {"guide": "guide", "aafp": "aafp", "hfma": "hfma", "mgma": "mgma"}


def cite(*keys: str) -> str:
    """Short source names for a table cell: cite('guide', 'aafp') -> 'Billing services guide;
    AAFP'."""
    return "; ".join(SOURCES[k][0] for k in keys)


def references(keys) -> list[str]:
    """Full citations, one per source, in the order given: the list below a sources table."""
    return [f"{SOURCES[k][0]}: {SOURCES[k][1]}" for k in dict.fromkeys(keys)]
