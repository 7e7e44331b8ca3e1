"""Charts of risk and growth (altair): tornado, break-even map, simulation histogram, capacity.

Each function takes a result object from :mod:`rcmmodel.risk.uncertainty`,
:mod:`rcmmodel.risk.sensitivity` or :mod:`rcmmodel.risk.capacity` and returns an altair chart; render
it offline with :func:`rcmmodel.present.charts.to_svg`. Vendors keep their colours from
:func:`rcmmodel.present.charts.vendor_scale`; money axes are in dollars.
"""
from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from .charts import INHOUSE_COLOR, PALETTE, WIDTH, tips, to_png, to_svg, vendor_scale
from ..describe import money
from .narrative import tornado_base as base_words
from .labels import axis_label
from .labels import field_label, possessive, value_text

LOSS, GAIN = "#c62828", "#2e7d32"     # red where outsourcing loses money, green where it pays
BINS = 60

__all__ = ["breakeven_heatmap", "capacity_chart", "simulation_histogram", "to_png", "to_svg",
           "tornado_chart"]


def _fmt(axis: str, dollars: bool = False) -> str:
    if axis == "price":
        return "$,.2f" if dollars else "%"
    return {"rate": "%", "uplift": "%"}.get(axis, "$,.0f")


def method_text(attrs: dict) -> str:
    """The tornado's method (:func:`rcmmodel.risk.tornado`'s ``attrs``) in short words, e.g.
    'each input +/-20%'."""
    swing = f"+/-{attrs['swing'] * 100:g}%"
    if not attrs.get("uncertain"):
        return f"each input {swing}"
    return (f"uncertain inputs to their {attrs['low'] * 100:.0f}th and "
            f"{attrs['high'] * 100:.0f}th percentiles, every other input {swing}")


def method_words(attrs: dict) -> str:
    """The tornado's method in words for a caption: :func:`method_text` with '+/-20%' said
    as '20% down and 20% up'."""
    import re

    return re.sub(r"\+/-([\d.]+)%", r"\1% down and \1% up", method_text(attrs))


def input_label(path: str, scenario=None) -> str:
    """A tornado row's label: the field's human label, without the vendor's name (the chart
    is about one vendor and says so in its title)."""
    if scenario is None:
        return field_label(path)
    return field_label(path, scenario, vendor=False)


def tornado_chart(frame: pd.DataFrame, scenario=None, top: int = 12) -> alt.Chart:
    """Horizontal bars from each input's low-case to high-case net gain, widest on top.

    ``frame`` is :func:`rcmmodel.risk.sensitivity.tornado`'s result; inputs are labelled in
    words (:func:`rcmmodel.present.labels.field_label`), never by field path.
    """
    base = frame.attrs.get("base_net_gain", 0.0)
    # Inputs that do not move the steady-state net gain at all (the discount rate, the ramp,
    # the parallel run: they shape the timeline, not the steady year) would be empty rows.
    moving = frame[frame["swing"].abs() >= 0.01]
    rows = []
    for r in (moving if len(moving) else frame).head(top).itertuples():
        label = input_label(r.input, scenario)
        for case, value, gain in (("low", r.low_value, r.net_gain_low),
                                  ("high", r.high_value, r.net_gain_high)):
            rows.append({"input": label, "case": f"{case}: {value_text(r.input, value)}",
                         "which": case, "start": base, "end": float(gain),
                         "swing": float(r.swing)})
    data = pd.DataFrame(rows, columns=["input", "case", "which", "start", "end", "swing"])
    order = list(dict.fromkeys(data["input"]))
    bars = alt.Chart(data).mark_bar().encode(
        y=alt.Y("input:N", sort=order, title=None,
                axis=alt.Axis(labelLimit=300, labelFontSize=11)),
        x=alt.X("start:Q", title="Net gain per year (dollars)", axis=alt.Axis(format="$,.0f"),
                scale=alt.Scale(zero=False)),
        x2=alt.X2("end:Q"),
        color=alt.Color("which:N", title="Input at",
                        scale=alt.Scale(domain=["low", "high"], range=["#d8b365", "#5ab4ac"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=tips(["input", "case", alt.Tooltip("end:Q", title="net gain", format="$,.0f"),
                      alt.Tooltip("swing:Q", format="$,.0f")]))
    rule = alt.Chart(pd.DataFrame({"x": [base]})).mark_rule(color="black").encode(x=alt.X("x:Q"))
    vendor = frame.attrs.get("vendor", "")
    return (bars + rule).properties(
        width=WIDTH - 160, height=max(120, 26 * len(order)),
        title=alt.TitleParams(f"What moves {possessive(vendor)} net gain most",
                              # the method is said in the caption: a long subtitle would
                              # widen the image and shrink the whole chart on the page
                              subtitle=f"Black line: {base_words(frame.attrs)}"))


def _nice_step(limit: float, bands: int) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that covers ``limit`` in ``bands``
    steps.

    >>> _nice_step(43_000, 4), _nice_step(9_000, 4)
    (20000.0, 2500.0)
    """
    raw = max(limit, 1.0) / bands
    power = 10.0 ** np.floor(np.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def _mix(a: str, b: str, t: float) -> str:
    """The colour ``t`` of the way from hex colour ``a`` to ``b``."""
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb))


def heatmap_bands(result, bands: int = 4) -> pd.DataFrame:
    """The break-even map as few rectangles: net gain put in bands of a round dollar
    width (``bands`` each side of zero), and neighbouring grid cells of a row in the same
    band drawn as one rectangle. Columns ``x``, ``x2``, ``y``, ``y2``, ``band`` (its
    words), ``order`` (its place, from the biggest loss up) and ``color``.

    A grid of 41 x 41 points is some 1,700 cells; banded and merged it is a few hundred
    rectangles, which a PDF lays out in a fraction of the time and the eye reads as well
    (the zero line, drawn apart, stays exact).
    """
    z = np.asarray(result.net_gain, dtype=float)
    xs, ys = np.asarray(result.x_values, float), np.asarray(result.y_values, float)
    finite = z[np.isfinite(z)]
    limit = float(np.max(np.abs(finite))) if finite.size else 1.0
    step = _nice_step(limit, bands)
    k = max(1, int(np.ceil(limit / step)))
    index = np.clip(np.floor(z / step), -k, k - 1)          # band i covers [i, i+1) steps
    dx = float(np.diff(xs).mean()) if len(xs) > 1 else 1.0
    dy = float(np.diff(ys).mean()) if len(ys) > 1 else 1.0
    rows = []
    for j, y in enumerate(ys):
        i = 0
        while i < len(xs):
            band = index[j, i]
            end = i
            while end + 1 < len(xs) and (index[j, end + 1] == band or
                                         (np.isnan(band) and np.isnan(index[j, end + 1]))):
                end += 1
            if not np.isnan(band):
                # Each row reaches a little into the next: no hairline seam between rows
                # where the renderer smooths their edges (the chart clips at the grid).
                rows.append((xs[i] - dx / 2, xs[end] + dx / 2, y - dy / 2, y + dy * 0.6,
                             int(band)))
            i = end + 1
    frame = pd.DataFrame(rows, columns=["x", "x2", "y", "y2", "order"])
    lo = frame["order"] * step
    frame["band"] = [f"{money(a)} to {money(a + step)}" for a in lo]
    depth = (frame["order"].where(frame["order"] >= 0, -frame["order"] - 1) + 1) / k
    frame["color"] = [_mix("#f7f7f7", LOSS if o < 0 else GAIN, 0.25 + 0.75 * d)
                      for o, d in zip(frame["order"], depth)]
    return frame


def breakeven_heatmap(result) -> alt.Chart:
    """Net gain over a :class:`~rcmmodel.risk.sensitivity.BreakevenMap` grid, red below zero and
    green above in round-dollar bands (:func:`heatmap_bands`), with the zero line drawn and
    the scenario's own point marked."""
    frame = heatmap_bands(result)
    legend = frame.drop_duplicates("order").sort_values("order", ascending=False)
    xt, yt = axis_label(result, result.x), axis_label(result, result.y)
    xs, ys = np.asarray(result.x_values, float), np.asarray(result.y_values, float)
    half_x = float(np.diff(xs).mean()) / 2 if len(xs) > 1 else 0.5
    half_y = float(np.diff(ys).mean()) / 2 if len(ys) > 1 else 0.5
    cells = alt.Chart(frame).mark_rect(clip=True).encode(
        x=alt.X("x:Q", title=xt, axis=alt.Axis(format=_fmt(result.x, result.price_in_dollars)),
                scale=alt.Scale(nice=False, zero=False,
                                domain=[xs[0] - half_x, xs[-1] + half_x])),
        x2=alt.X2("x2:Q"),
        y=alt.Y("y:Q", title=yt, axis=alt.Axis(format=_fmt(result.y, result.price_in_dollars)),
                scale=alt.Scale(nice=False, zero=False,
                                domain=[ys[0] - half_y, ys[-1] + half_y])),
        y2=alt.Y2("y2:Q"),
        color=alt.Color("band:N", title="Net gain per year",
                        scale=alt.Scale(domain=list(legend["band"]),
                                        range=list(legend["color"])),
                        legend=alt.Legend(symbolType="square")),
        tooltip=[alt.Tooltip("band:N", title="Net gain per year")])
    layers = [cells]
    if len(result.zero_line):
        layers.append(alt.Chart(result.zero_line).mark_line(color="black", strokeWidth=2).encode(
            x=alt.X("x:Q"), y=alt.Y("y:Q"), order=alt.Order("x:Q")))
    bx, by = result.base
    quote = getattr(result, "quote", None)
    layers.append(alt.Chart(pd.DataFrame({"x": [bx], "y": [by],
                                          "label": ["as planned" if quote else "this quote"]}))
                  .mark_point(shape="cross", size=140, color="black", filled=True)
                  .encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), tooltip=tips(["label"])))
    if quote:                  # the claims cap the quoted uplift: its point beside the plan
        layers.append(alt.Chart(pd.DataFrame({"x": [quote[0]], "y": [quote[1]],
                                              "label": ["as quoted"]}))
                      .mark_point(shape="circle", size=120, color="black", filled=False,
                                  strokeWidth=2)
                      .encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), tooltip=tips(["label"])))
    return alt.layer(*layers).properties(
        width=WIDTH, height=360,
        title=f"{result.vendor}: where outsourcing pays (green), break-even line in black")


def _scale(names, colors: dict | None) -> alt.Scale:
    """The vendors' colours: ``colors`` (name -> colour, the report's one palette,
    :func:`rcmmodel.present.charts.vendor_colors`) where given."""
    if colors is None:
        return vendor_scale(names)
    return alt.Scale(domain=list(names), range=[colors.get(n, INHOUSE_COLOR) for n in names])


def simulation_histogram(result, measure: str = "net_gain", bins: int = BINS,
                         colors: dict | None = None) -> alt.Chart:
    """Distribution of each vendor's simulated ``net_gain`` (or ``npv``), zero marked.

    Binned with numpy first, so a million draws make a chart of a few hundred rows.
    """
    values = [getattr(v, measure) for v in result.vendors]
    lo = min(float(np.min(x)) for x in values)
    hi = max(float(np.max(x)) for x in values)
    if hi <= lo:                       # no spread: one visible bar around the single value
        pad = max(1.0, 0.02 * abs(lo))
        lo, hi, bins = lo - pad, hi + pad, 1
    edges = np.linspace(lo, hi, bins + 1)
    rows = []
    for v, x in zip(result.vendors, values):
        counts, _ = np.histogram(x, bins=edges)
        rows.append(pd.DataFrame({"vendor": v.name, "start": edges[:-1], "end": edges[1:],
                                  "share": counts / x.size}))
    data = pd.concat(rows, ignore_index=True)
    names = [v.name for v in result.vendors]
    what = "Net gain per year" if measure == "net_gain" else "Net present value over the months modelled"
    bars = alt.Chart(data).mark_bar(opacity=0.55, binSpacing=0).encode(
        x=alt.X("start:Q", title=what, axis=alt.Axis(format="$,.0f")),
        x2=alt.X2("end:Q"),
        y=alt.Y("share:Q", title="Share of outcomes", axis=alt.Axis(format="%"), stack=None,
                scale=alt.Scale(domainMin=0)),
        y2=alt.datum(0),
        color=alt.Color("vendor:N", scale=_scale(names, colors), title="Vendor"),
        tooltip=tips(["vendor", alt.Tooltip("start:Q", format="$,.0f"),
                      alt.Tooltip("share:Q", format=".1%")]))
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="black").encode(x=alt.X("x:Q"))
    return (bars + zero).properties(
        width=WIDTH, height=260,
        title=f"{what}: {result.draws:,} simulated outcomes")


def capacity_chart(result, colors: dict | None = None) -> alt.Chart:
    """In-house cost stepping up by whole hires beside each vendor's cost less the
    collections it adds; outsourcing pays in the years a vendor's line is below the steps."""
    years = result.years
    inhouse = pd.DataFrame({"year": years["year"], "amount": years["inhouse_savings"],
                            "line": "In-house billing (saved if outsourced)"})
    # Repeat the last year so the final step is drawn as wide as the others.
    tail = inhouse.tail(1).assign(year=lambda f: f["year"] + 1)
    steps = alt.Chart(pd.concat([inhouse, tail])).mark_line(
        interpolate="step-after", color=INHOUSE_COLOR, strokeWidth=3).encode(
        x=alt.X("year:Q", title="Year (from its start)", axis=alt.Axis(tickMinStep=1, format="d")),
        y=alt.Y("amount:Q", title="Dollars per year", axis=alt.Axis(format="$,.0f")),
        tooltip=tips([alt.Tooltip("amount:Q", format="$,.0f"), "line"]))
    names = list(dict.fromkeys(result.vendors["vendor"])) if len(result.vendors) else []
    # Figures are yearly, so vendors are drawn as steps too, each year as wide as the next.
    last = result.vendors[result.vendors["year"] == result.vendors["year"].max()]
    frame = pd.concat([result.vendors, last.assign(year=last["year"] + 1)], ignore_index=True)
    vendors = alt.Chart(frame).mark_line(interpolate="step-after", strokeWidth=2).encode(
        x=alt.X("year:Q"), y=alt.Y("net_cost:Q"),
        color=alt.Color("vendor:N", scale=_scale(names, colors),
                        title="Vendor: cost less uplift"),
        tooltip=tips(["vendor", "year", alt.Tooltip("net_cost:Q", format="$,.0f"),
                      alt.Tooltip("net_gain:Q", format="$,.0f")]))
    layers = [steps, vendors]
    if result.next_hire_year is not None and result.next_hire_year <= int(years["year"].max()):
        layers.append(alt.Chart(pd.DataFrame({"x": [result.next_hire_year],
                                              "label": ["next hire"]}))
                      .mark_rule(color=PALETTE[3], strokeDash=[4, 4])
                      .encode(x=alt.X("x:Q"), tooltip=tips(["label"])))
    return alt.layer(*layers).properties(
        width=WIDTH, height=280,
        title=alt.TitleParams(
            f"Volume growing {result.growth_rate:.0%} a year: in-house steps up by whole hires",
            subtitle="Outsourcing pays in the years a vendor's line is below the grey steps"))
