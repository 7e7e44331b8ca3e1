"""Charts of an evaluation (altair), rendered offline to SVG through vl-convert.

Each function takes a result object and returns an altair chart; notebooks, templates and
the app call them. Vendors keep one colour everywhere (:func:`vendor_colors`, the one
palette): the recommended vendor is always :data:`RECOMMENDED_COLOR` (blue), a vendor that
cannot be chosen is grey and named "(excluded: no BAA)" in its own legend entry, the others
take the palette's other colours in scenario order. KPI grades use red/amber/green from
:mod:`rcmmodel.claims.targets`.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from ..claims.targets import GRADE_COLORS
from ..describe import money
from .labels import EXCLUDED_SUFFIX, axis_label, inhouse_label  # noqa: F401 (re-exported)

PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#bcbd22", "#7f7f7f", "#d62728"]
INHOUSE_COLOR = "#555555"
WIDTH = 560
# Static charts name a font that is installed wherever reports are made (Debian's DejaVu), so
# vl-convert sizes the text with the same metrics WeasyPrint and browsers then draw it with;
# with a generic "sans-serif" the two differ and legend titles spill past the edge.
STATIC_CONFIG = {"font": "DejaVu Sans"}


#: The recommended vendor's colour in every chart, and its name in captions ("in blue").
RECOMMENDED_COLOR, RECOMMENDED_COLOR_WORD = PALETTE[0], "blue"
#: A vendor that cannot be chosen (no Business Associate Agreement): grey, and said so.
EXCLUDED_COLOR = "#bdbdbd"


def option_name(v) -> str:
    """A vendor's name on a chart: an excluded vendor says so (it is never a choice)."""
    return v.name if getattr(v, "eligible", True) else v.name + EXCLUDED_SUFFIX


def vendor_colors(names, recommended: str | None = None, excluded=()) -> dict:
    """Name -> colour, the one palette of every chart: the recommended vendor blue, an
    excluded one grey, the others the palette's other colours in the order given.

    >>> vendor_colors(["A", "B", "C"], recommended="B", excluded=["C"])
    {'A': '#ff7f0e', 'B': '#1f77b4', 'C': '#bdbdbd'}
    """
    others = [c for c in PALETTE if c != RECOMMENDED_COLOR]
    out, k = {}, 0
    for name in names:
        if name == recommended:
            out[name] = RECOMMENDED_COLOR
        elif name in excluded or name.endswith(EXCLUDED_SUFFIX):
            out[name] = EXCLUDED_COLOR
        else:
            out[name] = others[k % len(others)]
            k += 1
    return out


def vendor_scale(names, recommended: str | None = None, excluded=()) -> alt.Scale:
    """The same colour for the same vendor in every chart of a report
    (:func:`vendor_colors`)."""
    colors = vendor_colors(list(names), recommended, excluded)
    return alt.Scale(domain=list(colors), range=list(colors.values()))


def result_scale(result, recommended: str | None = None) -> tuple[list[str], alt.Scale]:
    """An evaluation's vendors as charts name them (:func:`option_name`) and their colours."""
    names = [option_name(v) for v in result.vendors]
    rec = next((option_name(v) for v in result.vendors if v.name == recommended), None)
    return names, vendor_scale(names, rec)


def tips(items) -> list:
    """A tooltip list with every plain field name made an ``alt.Tooltip``: the same chart,
    drawn sooner. altair turns a shorthand string given to ``encode`` ("amount:Q") into its
    channel class by building a table of its ~580 schema classes, 4 ms a string, dozens a
    report; a channel object given (``alt.X("amount:Q")``, ``alt.Tooltip("part")``) is used
    as it is. Charts here give channel objects for that reason.

    >>> [type(t).__name__ for t in tips(["part", alt.Tooltip("amount:Q")])]
    ['Tooltip', 'Tooltip']
    """
    return [alt.Tooltip(i) if isinstance(i, str) else i for i in items]


def zero_rule(**mark) -> alt.Chart:
    """The horizontal line at 0 dollars under a gain chart (``mark``: e.g. ``strokeDash``)."""
    return alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="black", **mark).encode(
        y=alt.Y("y:Q"))


def breakeven_rule(x: float) -> alt.Chart:
    """The dashed red line at a break-even point on a gain chart's x axis."""
    return alt.Chart(pd.DataFrame({"x": [x]})).mark_rule(
        color="#c62828", strokeDash=[4, 4]).encode(x=alt.X("x:Q"))


def grade_scale() -> alt.Scale:
    return alt.Scale(domain=list(GRADE_COLORS), range=list(GRADE_COLORS.values()))


def to_svg(chart) -> str:
    """Render a chart (or its Vega-Lite spec, a dict already made) to an SVG string, offline."""
    import vl_convert as vlc

    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return _renumber_ids(vlc.vegalite_to_svg(spec, config=STATIC_CONFIG))


def _renumber_ids(svg: str) -> str:
    """Number the SVG's element ids from 0 within the chart.

    Vega numbers gradients and clip paths with process-wide counters, so the same chart
    drawn later in a long-lived process (a warm report kernel) would come out with other
    ids: a report must depend on its inputs only, not on what the process drew before.

    >>> _renumber_ids('<g id="gradient_7"/><rect fill="url(#gradient_7)"/>')
    '<g id="gradient_0"/><rect fill="url(#gradient_0)"/>'
    """
    import re

    ids = list(dict.fromkeys(re.findall(r'\bid="([A-Za-z_-]+?)(\d+)"', svg)))
    if not ids:
        return svg
    counts: dict[str, int] = {}
    mapping = {}
    for prefix, number in ids:
        mapping[f"{prefix}{number}"] = f"{prefix}{counts.get(prefix, 0)}"
        counts[prefix] = counts.get(prefix, 0) + 1
    pattern = re.compile(r'(\bid="|#)(' + "|".join(map(re.escape, mapping)) + r')(?=["\)])')
    return pattern.sub(lambda m: m.group(1) + mapping[m.group(2)], svg)


def to_png(chart, scale: float = 2.0) -> bytes:
    import vl_convert as vlc

    return vlc.vegalite_to_png(chart.to_dict(), scale=scale, config=STATIC_CONFIG)


def tco_breakdown(result) -> alt.Chart:
    """In-house total cost of ownership by part (wages, tax, benefits, costs, turnover)."""
    parts = result.inputs.inhouse.parts
    frame = pd.DataFrame({"part": [inhouse_label(k) for k in parts],
                          "amount": [float(v) for v in parts.values()]})
    frame = frame[frame["amount"] != 0]
    return alt.Chart(frame, title="In-house billing: what it costs a year").mark_bar(
        color=INHOUSE_COLOR).encode(
        x=alt.X("amount:Q", title="Dollars per year", axis=alt.Axis(format="$,.0f")),
        y=alt.Y("part:N", sort="-x", title=None),
        tooltip=tips(["part", alt.Tooltip("amount:Q", format="$,.0f")]),
    ).properties(width=WIDTH)


def cost_comparison(result, recommended: str | None = None, planning: bool = False) -> alt.Chart:
    """Yearly cost of staying in-house beside each vendor's cost, and the net gain, each bar
    labelled in dollars.

    A vendor's cost bar is its cost a year, fee and extras, as the tables give it (what stays
    in-house after outsourcing is not in it; the net gain counts it). ``planning``: the net
    gain at the planning uplift (the quote, capped by the practice's claims). A vendor that
    cannot be chosen is grey, says why, and has no net-gain bar: it is never shown paying.
    """
    names, colors = result_scale(result, recommended)
    inhouse = "In-house (today)"
    cost_row, gain_row = "Cost per year", ("Net gain per year (planned)" if planning
                                           else "Net gain per year")
    rows = [{"option": inhouse, "what": cost_row, "amount": result.inhouse_tco}]
    for v, name in zip(result.vendors, names):
        rows.append({"option": name, "what": cost_row, "amount": float(v.figures.vendor_cost)})
        if v.eligible:
            f = v.planning if planning else v.figures
            rows.append({"option": name, "what": gain_row, "amount": float(f.net_gain)})
    frame = pd.DataFrame(rows)
    frame["label_at"] = frame["amount"].clip(lower=0)
    frame["text"] = [money(a) for a in frame["amount"]]
    colors.domain = [inhouse] + list(colors.domain)
    colors.range = [INHOUSE_COLOR] + list(colors.range)
    top = float(frame["amount"].max())
    low = min(0.0, float(frame["amount"].min()))
    x_scale = alt.Scale(domain=[low, top * 1.22 if top > 0 else 1.0], nice=False)
    base = alt.Chart().encode(
        y=alt.Y("option:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)))
    bars = base.mark_bar().encode(
        x=alt.X("amount:Q", title="Dollars per year", axis=alt.Axis(format="$,.0f"),
                scale=x_scale),
        color=alt.Color("option:N", scale=colors, legend=None),
        tooltip=tips(["option", "what", alt.Tooltip("amount:Q", format="$,.0f")]))
    text = base.mark_text(align="left", dx=4, fontSize=10, color="#222").encode(
        x=alt.X("label_at:Q", scale=x_scale), text=alt.Text("text:N"))
    return alt.layer(bars, text, data=frame).properties(width=WIDTH - 170).facet(
        row=alt.Row("what:N", title=None, sort=[cost_row, gain_row],
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")),
    ).resolve_scale(y="independent").properties(title="Cost and net gain, a full year "
                                                      "once up to speed")


def timeline_frame(result, planning: bool = False) -> pd.DataFrame:
    frames = []
    for v in result.vendors:
        f = v.months_frame(planning=planning)
        f["vendor"] = option_name(v)
        frames.append(f)
    return pd.concat(frames, ignore_index=True)


def cumulative_cash(result, recommended: str | None = None,
                    planning: bool = False) -> alt.Chart:
    """Cumulative net cash of outsourcing vs. staying in-house, month by month
    (``planning``: at the planning uplift)."""
    frame = timeline_frame(result, planning)
    names, scale = result_scale(result, recommended)
    lines = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X("m:Q", title="Month after signing", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("cumulative:Q", title="Cumulative net cash (dollars)",
                axis=alt.Axis(format="$,.0f")),
        color=alt.Color("vendor:N", scale=scale, title="Vendor", sort=names),
        tooltip=tips(["vendor", "m", alt.Tooltip("net:Q", format="$,.0f", title="net this month"),
                      alt.Tooltip("cumulative:Q", format="$,.0f")]),
    )
    zero = zero_rule(strokeDash=[4, 4])
    return (zero + lines).properties(width=WIDTH, height=280,
                                     title="Cumulative cash: outsourcing vs. staying in-house")


def net_gain_vs_rate(curve, color: str | None = None) -> alt.Chart:
    """Net gain of one vendor as its fee rate (or its price) varies, the quote marked and
    the break-even dashed.

    ``curve`` is a :class:`~rcmmodel.model.breakeven.GainCurve` over the rate or the price
    (``gain_curve(result, name, "price")``: the fee per claim or a banded fee's effective
    rate where the quote has no single rate). ``color``: the vendor's (:func:`vendor_colors`);
    by default the recommended vendor's.
    """
    fmt, tip = ("$,.2f", "$,.2f") if curve.dollars else ("%", ".1%")
    frame = pd.DataFrame({"rate": curve.values, "net_gain": curve.net_gain})
    line = alt.Chart(frame).mark_line(color=color or RECOMMENDED_COLOR).encode(
        x=alt.X("rate:Q", title=axis_label(curve, curve.axis), axis=alt.Axis(format=fmt)),
        y=alt.Y("net_gain:Q", title="Net gain per year", axis=alt.Axis(format="$,.0f")),
        tooltip=[alt.Tooltip("rate:Q", format=tip), alt.Tooltip("net_gain:Q", format="$,.0f")])
    zero = zero_rule()
    layers = [zero, line]
    if curve.quote is not None:
        at = float(np.interp(curve.quote, curve.values, curve.net_gain))
        layers.append(alt.Chart(pd.DataFrame({"x": [curve.quote], "y": [at]})).mark_point(
            shape="cross", size=120, color="black", filled=True).encode(
            x=alt.X("x:Q"), y=alt.Y("y:Q")))
    if curve.breakeven is not None:
        layers.append(breakeven_rule(curve.breakeven))
    what = axis_label(curve, curve.axis).split(" (")[0].lower()
    return alt.layer(*layers).properties(
        width=WIDTH, height=240,
        title=f"{curve.vendor}: net gain by {what} (the quote marked, break-even dashed)")
