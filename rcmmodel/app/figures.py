"""The few charts only the app draws; the rest come from rcmmodel.present.charts and charts_vendors.

Same house style: altair, dollars on the axes, vendors in their colours, grades in
red/amber/green; the app sends their Vega-Lite specs to the page, which draws them with
the bundled renderer of :mod:`rcmmodel.app.vega`.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..present.charts import (PALETTE, WIDTH, breakeven_rule, net_gain_vs_rate, tips,
                              zero_rule)
from ..model.breakeven import gain_curve
from ..pricing import has_rate
from ..claims.targets import GRADE_COLORS


def net_gain_vs_uplift(curve) -> alt.Chart:
    """Net gain of one vendor as the collections uplift varies, break-even dashed.

    Works for every pricing model, so the calculator can show a break-even line for
    quotes with no fee rate to vary too. ``curve`` is a
    :class:`~rcmmodel.model.breakeven.GainCurve` over the uplift.
    """
    frame = pd.DataFrame({"uplift": curve.values, "net_gain": curve.net_gain})
    line = alt.Chart(frame).mark_line(color=PALETTE[curve.index % len(PALETTE)]).encode(
        x=alt.X("uplift:Q", title="Increase in collections (uplift)", axis=alt.Axis(format="%")),
        y=alt.Y("net_gain:Q", title="Net gain per year", axis=alt.Axis(format="$,.0f")),
        tooltip=[alt.Tooltip("uplift:Q", format=".1%"), alt.Tooltip("net_gain:Q", format="$,.0f")])
    layers = [zero_rule(), line]
    if curve.breakeven is not None:
        layers.append(breakeven_rule(curve.breakeven))
    return alt.layer(*layers).properties(
        width=WIDTH, height=240, title=f"{curve.vendor}: net gain by uplift (break-even dashed)")


def breakeven_chart(result, vendor_name: str) -> alt.Chart:
    """The break-even line for a vendor: by fee rate where it has one, else by uplift, at the
    decision's planning figures (the uplift capped by the practice's claims), so the line
    passes through the net gain the decision reports."""
    i = [v.name for v in result.vendors].index(vendor_name)
    if has_rate(result.inputs.vendors[i].pricing):
        return net_gain_vs_rate(gain_curve(result, vendor_name, "rate", planning=True))
    return net_gain_vs_uplift(gain_curve(result, vendor_name, "uplift", planning=True))


def aging_chart(review: dict) -> alt.Chart:
    """Open A/R by age bucket, the share over 90 days in red."""
    frame = pd.DataFrame(review["aging"])
    frame["over_90"] = frame["bucket"].isin(["91-120", "120+"]).map(
        {True: "over 90 days", False: "90 days or less"})
    return alt.Chart(frame, title="A/R aging: open balance by days since service").mark_bar(
    ).encode(
        x=alt.X("bucket:N", title="Days since service", sort=None),
        y=alt.Y("open_ar:Q", title="Open A/R (dollars)", axis=alt.Axis(format="$,.0f")),
        color=alt.Color("over_90:N", title=None, scale=alt.Scale(
            domain=["90 days or less", "over 90 days"],
            range=[PALETTE[0], GRADE_COLORS["red"]])),
        tooltip=tips(["bucket", "claims", alt.Tooltip("open_ar:Q", format="$,.2f"),
                      alt.Tooltip("share:Q", format=".1%")]),
    ).properties(width=WIDTH * 0.7, height=220)


def denials_chart(review: dict) -> alt.Chart | None:
    """Denied service lines by reason (CARC); None where nothing was denied."""
    rows = review["denials"]["by_reason"]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    frame["reason"] = [f"{g}-{c}".strip("-")[:12] + f": {d}"[:50] for g, c, d in zip(
        frame["group"], frame["code"], frame["description"])]
    return alt.Chart(frame, title="Denials by reason").mark_bar(color=GRADE_COLORS["red"]).encode(
        x=alt.X("dollars:Q", title="Denied dollars", axis=alt.Axis(format="$,.0f")),
        y=alt.Y("reason:N", title=None, sort="-x"),
        tooltip=tips(["reason", "lines", alt.Tooltip("dollars:Q", format="$,.2f")]),
    ).properties(width=WIDTH * 0.6)
