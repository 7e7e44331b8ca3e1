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

from .charts import PALETTE, RECOMMENDED_COLOR, RECOMMENDED_COLOR_WORD, WIDTH, tips

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
        x2=alt.X2("max:Q"), y=y, color=colour)
    points = alt.Chart(frame).mark_point(size=90, filled=True, opacity=1).encode(
        x=alt.X("net_gain:Q"), y=y, color=colour,
        shape=alt.Shape("case:N", title=None,
                        scale=alt.Scale(domain=[c for c in SHAPES if c in set(frame.case)],
                                        range=[s for c, s in SHAPES.items()
                                               if c in set(frame.case)]),
                        legend=alt.Legend(orient="bottom", direction="horizontal")),
        tooltip=tips(["vendor", "case", alt.Tooltip("net_gain:Q", format="$,.0f")]))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 3], color="#555").encode(
        x=alt.X("x:Q"))
    height = max(60, 34 * len(order))
    return (bars + points + zero).properties(
        width=WIDTH - 120, height=height,
        title=alt.TitleParams("Net gain a year, from no uplift to the uplift quoted",
                              subtitle=f"Recommended vendor in {RECOMMENDED_COLOR_WORD} "
                                       "here and in every chart; the dashed line is "
                                       "break-even against billing in-house"))


def whatif_frame(whatif, names=None) -> pd.DataFrame:
    """One row per case of a what-if (:func:`rcmmodel.whatif`) and vendor: case, vendor,
    net_gain (planning, a year), recommended. ``names`` name the cases, base first
    (default: "as the file says", "variant 1", ...)."""
    labels = list(names) if names is not None else (
        ["as the file says"] + [f"variant {k}" for k in range(1, len(whatif.cases))])
    rows = []
    for label, case in zip(labels, whatif.cases):
        for name, gain in case.net_gains.items():
            rows.append({"case": label, "vendor": name, "net_gain": float(gain),
                         "recommended": name == case.recommended})
    return pd.DataFrame(rows, columns=["case", "vendor", "net_gain", "recommended"])


def whatif_net_gains(whatif, names=None) -> alt.Chart:
    """Each vendor's planning net gain a year in each case of a what-if, one row of bars
    per case; the vendor each case recommends drawn solid, the others pale."""
    frame = whatif_frame(whatif, names)
    vendors = list(dict.fromkeys(frame["vendor"]))
    cases = list(dict.fromkeys(frame["case"]))
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("net_gain:Q", title="Net gain per year, planned (dollars)",
                axis=alt.Axis(format="$,.0f")),
        y=alt.Y("vendor:N", title=None, sort=vendors, axis=alt.Axis(labelLimit=200)),
        row=alt.Row("case:N", title=None, sort=cases, header=alt.Header(
            labelAngle=0, labelAlign="left", labelFontWeight="bold", labelLimit=320)),
        color=alt.Color("vendor:N", scale=alt.Scale(
            domain=vendors, range=[PALETTE[i % len(PALETTE)] for i in range(len(vendors))]),
            legend=None),
        opacity=alt.condition("datum.recommended", alt.value(1.0), alt.value(0.3)),
        tooltip=tips(["case", "vendor", alt.Tooltip("net_gain:Q", format="$,.0f"),
                      "recommended"]),
    ).properties(width=WIDTH - 200, title=alt.TitleParams(
        "Net gain a year in each case", subtitle="Solid: the vendor the case recommends"))


VERDICT_COLORS = {"outsource": PALETTE[2], "stay": "#555555"}


def portfolio_net_gains(frame: pd.DataFrame) -> alt.Chart:
    """A portfolio of practices (``frame``: one row per practice with ``practice``,
    ``net_gain`` (the recommended quote's planning net gain, or the best one's where the
    verdict is to stay) and ``verdict``): net gain a year per practice, coloured by verdict."""
    frame = frame[["practice", "net_gain", "verdict"]].copy()
    frame["net_gain"] = frame["net_gain"].astype(float)
    bars = alt.Chart(frame).mark_bar().encode(
        x=alt.X("net_gain:Q", title="Net gain per year, planned (dollars)",
                axis=alt.Axis(format="$,.0f")),
        y=alt.Y("practice:N", title=None, sort="-x", axis=alt.Axis(labelLimit=380)),
        color=alt.Color("verdict:N", title="Decision", scale=alt.Scale(
            domain=list(VERDICT_COLORS), range=list(VERDICT_COLORS.values()))),
        tooltip=tips(["practice", "verdict", alt.Tooltip("net_gain:Q", format="$,.0f")]))
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(strokeDash=[4, 3], color="#555") \
        .encode(x=alt.X("x:Q"))
    return alt.layer(bars, zero).properties(
        width=WIDTH - 160, height=max(60, 26 * len(frame)),
        title=alt.TitleParams("Every practice's decision and net gain",
                              subtitle="The dashed line is break-even against billing "
                                       "in-house"))
