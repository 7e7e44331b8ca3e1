"""The decision in one picture: each eligible quote's net gain as a range (page 1).

For every eligible vendor, a bar from its net gain with no uplift to its net gain at the quoted
uplift, with the uplift its SLA implies marked between, and, where the practice's claims cap
it, the planning uplift the decision uses: how much of the answer rests on the vendor's
promise. The recommended vendor is drawn in full colour, the others paler; vendors
without a Business Associate Agreement are left out (the decision excludes them) and the
caption says so.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import RECOMMENDED_COLOR, RECOMMENDED_COLOR_WORD, WIDTH

CASES = {"net_gain_zero": "with no uplift", "net_gain_sla": "at the uplift its SLA implies",
         "net_gain_plan": "planned (your claims)",
         "net_gain_quoted": "at the quoted uplift"}
SHAPES = {"with no uplift": "square", "at the uplift its SLA implies": "diamond",
          "planned (your claims)": "triangle-up",
          "at the quoted uplift": "circle"}


def range_frame(decision) -> pd.DataFrame:
    """One row per eligible vendor and case: vendor, case, net_gain, recommended."""
    rows = []
    for name, r in decision.ranges.items():
        for key, case in CASES.items():
            if key == "net_gain_sla" and not r.get("sla_stated"):
                continue
            if key == "net_gain_plan" and not r.get("capped"):
                continue
            if r.get(key) is not None:
                rows.append({"vendor": name, "case": case, "net_gain": float(r[key]),
                             "recommended": name == decision.recommended})
    return pd.DataFrame(rows, columns=["vendor", "case", "net_gain", "recommended"])


def net_gain_ranges(decision) -> alt.Chart:
    """Net gain a year per eligible vendor: no uplift to quoted uplift, SLA-implied marked."""
    frame = range_frame(decision)
    order = (frame[frame.case == "at the quoted uplift"]
             .sort_values("net_gain", ascending=False)["vendor"].tolist())
    span = (frame.groupby("vendor")["net_gain"].agg(["min", "max"]).reset_index()
            .merge(frame[["vendor", "recommended"]].drop_duplicates(), on="vendor"))
    y = alt.Y("vendor:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    colour = alt.condition("datum.recommended", alt.value(RECOMMENDED_COLOR), alt.value("#9aa7b4"))
    money_axis = alt.Axis(format="$,.0f", labelAngle=0)
    bars = alt.Chart(span).mark_bar(height=8, opacity=0.45).encode(
        x=alt.X("min:Q", title="Net gain per year (dollars)", axis=money_axis),
        x2="max:Q", y=y, color=colour)
    points = alt.Chart(frame).mark_point(size=90, filled=True, opacity=1).encode(
        x="net_gain:Q", y=y, color=colour,
        shape=alt.Shape("case:N", title=None,
                        scale=alt.Scale(domain=[c for c in SHAPES if c in set(frame.case)],
                                        range=[s for c, s in SHAPES.items()
                                               if c in set(frame.case)]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=["vendor", "case", alt.Tooltip("net_gain:Q", format="$,.0f")])
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 3], color="#555").encode(
        x="x:Q")
    height = max(60, 34 * len(order))
    return (bars + points + zero).properties(
        width=WIDTH - 120, height=height,
        title=alt.TitleParams("Net gain a year, from no uplift to the uplift quoted",
                              subtitle=f"Recommended vendor in {RECOMMENDED_COLOR_WORD} "
                                       "here and in every chart; the dashed line is "
                                       "break-even against billing in-house"))
