"""Charts of a vendor comparison (:class:`rcmmodel.vendors.ranking.Comparison`), altair, offline.

Vendors keep the colours of :func:`rcmmodel.present.charts.vendor_scale` (scenario order); KPI
grades use red/amber/green. Render with :func:`rcmmodel.present.charts.to_svg`.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import WIDTH, tips, vendor_scale
from ..vendors.ranking import CRITERIA
from ..claims.targets import GRADE_COLORS, TARGETS

from .labels import CRITERION_LABELS, EXCLUDED_SUFFIX
NOT_COMMITTED = "#bdbdbd"


def criterion_label(key: str) -> str:
    """A criterion's label on a chart: a built-in's, or the practice's own name as given."""
    return CRITERION_LABELS.get(key, key)


def _order(comparison) -> list[str]:
    return [criterion_label(c) for c in getattr(comparison, "criteria", CRITERIA)]


def _names(comparison) -> list[str]:
    return [a.name for a in comparison.assessments]


def effective_rate_frame(comparison) -> pd.DataFrame:
    """Each quote's all-in cost as a share of collections, split into its parts."""
    rows = []
    for a in comparison.assessments:
        c = a.cost
        label = a.name + ("" if a.eligible else EXCLUDED_SUFFIX)
        for part, amount in (("Service fee", c.service_fee),
                             ("Extras billed apart", c.recurring_extras),
                             ("One-time fees, spread", c.one_time_annual)):
            rows.append({"vendor": a.name, "label": label, "part": part,
                         "rate": amount / c.collections, "amount": amount,
                         "effective_rate": c.effective_rate})
    return pd.DataFrame(rows)


def effective_rates(comparison) -> alt.Chart:
    """All-in effective rate per quote: service fee, extras and one-time fees stacked."""
    frame = effective_rate_frame(comparison)
    return alt.Chart(frame, title="Effective rate: all-in annual cost / collections").mark_bar(
    ).encode(
        x=alt.X("sum(rate):Q", title="Share of collections (after uplift)",
                axis=alt.Axis(format=".1%", tickCount=6)),
        y=alt.Y("label:N", title=None, sort=alt.EncodingSortField("effective_rate",
                                                                     order="ascending")),
        color=alt.Color("vendor:N", scale=vendor_scale(_names(comparison)), legend=None),
        opacity=alt.Opacity("part:N", title="Part", sort=["Service fee", "Extras billed apart",
                                                          "One-time fees, spread"],
                            scale=alt.Scale(range=[1.0, 0.6, 0.3])),
        order=alt.Order("part:N", sort="descending"),
        tooltip=tips(["vendor", "part", alt.Tooltip("amount:Q", title="Dollars per year",
                                                    format="$,.0f"),
                      alt.Tooltip("rate:Q", format=".2%"),
                      alt.Tooltip("effective_rate:Q", title="Effective rate", format=".2%")]),
    ).properties(width=WIDTH)


def scorecard_frame(comparison) -> pd.DataFrame:
    """The SLA scorecard as cells: vendor x KPI, the committed value, grade and text."""
    frame = comparison.scorecard_frame()
    frame["grade"] = frame["grade"].fillna("not committed")

    def text(row):
        if row.committed is None or pd.isna(row.committed):
            return "—"
        fmt = TARGETS[row.kpi].unit
        return f"{row.committed:.0f} days" if fmt == "days" else f"{row.committed:.0%}"

    frame["text"] = [text(r) for r in frame.itertuples()]
    return frame


def sla_scorecard(comparison) -> alt.Chart:
    """Heat table: each vendor's committed KPIs graded red/amber/green against the benchmarks."""
    frame = scorecard_frame(comparison)
    order = [TARGETS[k].label for k in TARGETS]
    grades = list(GRADE_COLORS) + ["not committed"]
    base = alt.Chart(frame, title="SLA scorecard: committed KPIs against the benchmarks")
    cells = base.mark_rect(stroke="white").encode(
        x=alt.X("label:N", title=None, sort=order, axis=alt.Axis(labelAngle=0, orient="top")),
        y=alt.Y("vendor:N", title=None, sort=_names(comparison)),
        color=alt.Color("grade:N", title="Grade", scale=alt.Scale(
            domain=grades, range=list(GRADE_COLORS.values()) + [NOT_COMMITTED])),
        tooltip=tips(["vendor", "label", "text", "grade", "baseline", "vs_baseline"]))
    text = base.mark_text(color="white", fontWeight="bold").encode(
        x=alt.X("label:N", sort=order), y=alt.Y("vendor:N", sort=_names(comparison)),
        text=alt.Text("text:N"))
    return (cells + text).properties(width=WIDTH, height=32 * len(comparison.assessments))


def score_frame(comparison) -> pd.DataFrame:
    """Each ranked vendor's weighted contribution per criterion (they sum to the total)."""
    w = comparison.weights
    total_w = sum(w.values())
    rows = []
    for a in comparison.ranked:
        if not a.eligible:
            continue
        s = comparison.score_of(a.name)
        for c in comparison.criteria:
            rows.append({"vendor": a.name, "criterion": criterion_label(c), "score": s[c],
                         "points": w[c] * s[c] / total_w, "total": s["total"]})
    return pd.DataFrame(rows)


def ranking_scores(comparison) -> alt.Chart:
    """The weighted score of each eligible vendor, stacked by criterion, best on top."""
    frame = score_frame(comparison)
    ranked = [a.name for a in comparison.ranked if a.eligible]
    return alt.Chart(frame, title="Weighted score (0-100) by criterion").mark_bar().encode(
        x=alt.X("sum(points):Q", title="Points", scale=alt.Scale(domain=[0, 100])),
        y=alt.Y("vendor:N", title=None, sort=ranked),
        color=alt.Color("criterion:N", title="Criterion", sort=_order(comparison)),
        tooltip=tips(["vendor", "criterion", alt.Tooltip("score:Q", format=".1f"),
                      alt.Tooltip("points:Q", format=".1f"), alt.Tooltip("total:Q", format=".1f")]),
    ).properties(width=WIDTH)


def stability_frame(comparison) -> pd.DataFrame:
    return pd.DataFrame([{"criterion": criterion_label(k), "share": r.share,
                          "low": r.share_low, "high": r.share_high,
                          "rival_low": r.rival_low or "", "rival_high": r.rival_high or ""}
                         for k, r in comparison.stability.items()])


def stability_ranges(comparison) -> alt.Chart:
    """For each criterion, the share of the total weight over which the top choice stays first."""
    frame = stability_frame(comparison)
    top = comparison.top.name if comparison.top else "—"
    base = alt.Chart(frame, title=f"How far each weight may move before {top} loses first place")
    y = alt.Y("criterion:N", title=None, sort=_order(comparison))
    bars = base.mark_bar(height=14, color="#9ecae1").encode(
        x=alt.X("low:Q", title="Share of the total weight", axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1])),
        x2=alt.X2("high:Q"), y=y,
        tooltip=tips(["criterion", alt.Tooltip("low:Q", format=".1%"),
                      alt.Tooltip("high:Q", format=".1%"), "rival_low", "rival_high"]))
    now = base.mark_tick(color="black", thickness=3, size=20).encode(
        x=alt.X("share:Q"), y=y, tooltip=tips(["criterion", alt.Tooltip("share:Q", format=".1%")]))
    return (bars + now).properties(width=WIDTH)
