"""Charts of a claims review (altair): denials by category, days to pay by payer, and the
A/R aging stack. Each takes the review dict of :func:`rcmmodel.claims.summarize` (the
figures are computed there) and returns a chart, or None when there is nothing to draw.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..claims.targets import GRADE_COLORS
from ..describe import plain_text
from .charts import PALETTE, WIDTH, tips
from .labels import CATEGORY_LABELS

BALANCE_COLORS = {"Insurers owe": PALETTE[0], "Patients owe": PALETTE[1]}


def denials_by_category(review: dict) -> alt.Chart | None:
    """Denied dollars by category (eligibility, coding, medical necessity, ...)."""
    rows = [r for r in review["denials"]["by_category"] if r["dollars"] > 0]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    frame["category"] = frame["category"].map(CATEGORY_LABELS)
    return alt.Chart(frame, title="Denied dollars by category").mark_bar(
        color=GRADE_COLORS["red"]).encode(
        x=alt.X("dollars:Q", title="Denied dollars", axis=alt.Axis(format="$,.0f")),
        y=alt.Y("category:N", title=None, sort="-x"),
        tooltip=tips(["category", "lines", alt.Tooltip("dollars:Q", format="$,.2f")]),
    ).properties(width=WIDTH * 0.6)


def days_to_pay(review: dict, top: int = 12) -> alt.Chart | None:
    """Median days from service to payment, per payer (the largest payers by charges)."""
    rows = [p for p in review["payers"][:top] if p["days_to_pay_median"] is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    frame["payer"] = frame["payer"].map(lambda p: plain_text(str(p))[:40])
    return alt.Chart(frame, title="Median days from service to payment").mark_bar(
        color=PALETTE[0]).encode(
        x=alt.X("days_to_pay_median:Q", title="Days"),
        y=alt.Y("payer:N", title=None, sort="x"),
        tooltip=tips(["payer", "claims", alt.Tooltip("days_to_pay_median:Q", format=".0f")]),
    ).properties(width=WIDTH * 0.6)


def aging_stack(review: dict) -> alt.Chart | None:
    """Open A/R by days since service, stacked by who owes it (insurers or patients)."""
    buckets = review["aging"]
    if not buckets or not sum(b["open_ar"] or 0 for b in buckets):
        return None
    order = [b["bucket"] for b in buckets]
    frame = pd.DataFrame(
        [{"bucket": b["bucket"], "owed by": who, "open_ar": b[key]}
         for b in buckets for who, key in (("Insurers owe", "insurance"),
                                           ("Patients owe", "patient"))])
    return alt.Chart(frame, title="Open A/R by days since service").mark_bar().encode(
        x=alt.X("bucket:N", sort=order, title="Days since service",
                axis=alt.Axis(labelAngle=0)),
        y=alt.Y("open_ar:Q", title="Open A/R (dollars)", axis=alt.Axis(format="$,.0f"),
                stack="zero"),
        color=alt.Color("owed by:N", title=None, scale=alt.Scale(
            domain=list(BALANCE_COLORS), range=list(BALANCE_COLORS.values()))),
        tooltip=tips(["bucket", "owed by", alt.Tooltip("open_ar:Q", format="$,.2f")]),
    ).properties(width=WIDTH * 0.7, height=220)


def denials_by_payer(review: dict, top: int = 12) -> alt.Chart | None:
    """Each payer's denial rate (share of its adjudicated claims denied), largest payers by
    charges first; the practice-wide rate as a dashed line."""
    rows = [p for p in review["payers"][:top] if p.get("denial_rate") is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    frame["payer"] = frame["payer"].map(lambda p: plain_text(str(p))[:40])
    bars = alt.Chart(frame).mark_bar(color=GRADE_COLORS["red"]).encode(
        x=alt.X("denial_rate:Q", title="Claims denied (share of adjudicated claims)",
                axis=alt.Axis(format="%")),
        y=alt.Y("payer:N", title=None, sort="-x"),
        tooltip=tips(["payer", "claims", alt.Tooltip("denial_rate:Q", format=".1%")]))
    overall = review["kpis"].get("denial_rate")
    layers = [bars]
    if overall is not None:
        layers.append(alt.Chart(pd.DataFrame({"x": [overall]})).mark_rule(
            strokeDash=[4, 3], color="#555").encode(x=alt.X("x:Q")))
    return alt.layer(*layers).properties(
        width=WIDTH * 0.6, title=alt.TitleParams(
            "Denial rate by payer", subtitle="The dashed line is the practice's rate"))
