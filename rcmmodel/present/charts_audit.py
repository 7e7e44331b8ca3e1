"""Charts of an audit after signing (altair): each KPI before and after against the SLA line,
each month's invoice against the contract fee, and the denials the vendor still takes by
reason. Each takes the dict of :meth:`rcmmodel.model.audit.Audit.to_dict` (the figures are
computed there) and returns a chart, or None when there is nothing to draw.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from ..claims.targets import GRADE_COLORS, KPIS
from ..describe import plain_text
from .charts import INHOUSE_COLOR, PALETTE, WIDTH, tips
from .labels import CATEGORY_LABELS, KPI_LABELS

#: The two sides' colours: the practice's own billing in the in-house grey, the vendor's blue.
SIDE_COLORS = {"Before (in-house)": INHOUSE_COLOR, "After (vendor)": PALETTE[0]}
#: Contract fee, a bill at or under it, a bill over it.
FEE_COLORS = {"Contract fee": "#9e9e9e", "Billed": PALETTE[0],
              "Billed above the contract": GRADE_COLORS["red"]}
#: KPIs drawn when the contract states no SLA.
DEFAULT_KPIS = ("net_collection_rate", "clean_claim_rate", "denial_rate", "days_in_ar")


def _scale(kpi: str) -> tuple[float, str]:
    """Multiplier and axis format of a KPI: percent points for rates, days as they are."""
    return (1.0, ",.0f") if KPIS[kpi].unit in ("days", "money") else (100.0, ".0f")


def _unit(kpi: str) -> str:
    return {"days": "days", "money": "$"}.get(KPIS[kpi].unit, "%")


def kpis_against_sla(d: dict) -> alt.VConcatChart | None:
    """One small chart a KPI (the SLA's, else the main four): before and after as bars, the
    committed level as a red line, the value written at each bar's end."""
    stated = {r["kpi"]: r["committed"] for r in d["sla"]}
    kpis = list(stated) or [k for k in DEFAULT_KPIS if k in d["after"]["kpis"]]
    rows = []
    for kpi in kpis:
        mult, fmt = _scale(kpi)
        values = [(side, d[key]["kpis"].get(kpi)) for side, key in
                  zip(SIDE_COLORS, ("before", "after"))]
        values = [(side, v) for side, v in values if v is not None]
        if not values:
            continue
        frame = pd.DataFrame({"side": [s for s, _ in values],
                              "value": [v * mult for _, v in values]})
        frame["text"] = frame["value"].map(lambda v: f"{v:.1f} {_unit(kpi)}".replace(
            " %", "%"))
        top = max([frame["value"].max()] + ([stated[kpi] * mult] if kpi in stated else []))
        top = 100.0 if mult == 100.0 and top <= 90 and top > 40 else top * 1.1
        x = alt.X("value:Q", title=None, scale=alt.Scale(domain=[0, top], nice=False),
                  axis=alt.Axis(format=fmt, tickCount=5))
        base = alt.Chart(frame)
        bars = base.mark_bar(height=16).encode(
            x=x, y=alt.Y("side:N", title=None, sort=list(SIDE_COLORS)),
            color=alt.Color("side:N", title=None, legend=None, scale=alt.Scale(
                domain=list(SIDE_COLORS), range=list(SIDE_COLORS.values()))))
        # The value inside its bar's end, clear of the SLA line.
        text = base.mark_text(align="right", dx=-4, fontSize=11, color="white",
                              fontWeight="bold").encode(
            x=x, y=alt.Y("side:N", sort=list(SIDE_COLORS)), text=alt.Text("text:N"))
        layers = [bars]
        direction = "higher" if KPIS[kpi].higher_is_better else "lower"
        title = f"{KPI_LABELS[kpi]} ({direction} is better)"
        if kpi in stated:
            line = pd.DataFrame({"value": [stated[kpi] * mult]})
            layers.append(alt.Chart(line).mark_rule(color=GRADE_COLORS["red"], strokeWidth=2,
                                                    strokeDash=[5, 3]).encode(x=alt.X("value:Q")))
            title += f"; red line: the SLA, {stated[kpi] * mult:.1f} {_unit(kpi)}".replace(
                " %", "%")
        rows.append(alt.layer(*layers, text).properties(title=alt.Title(
            title, fontSize=12, anchor="start"), width=WIDTH * 0.8, height=50))
    if not rows:
        return None
    return alt.vconcat(*rows, spacing=14)


def fees_by_month(d: dict) -> alt.Chart | None:
    """Each invoiced month: the contract fee beside what was billed, a bill above the
    contract in red."""
    months = [m for m in d["fees"]["months"] if m["billed"] is not None]
    if not months:
        return None
    rows = []
    for m in months:
        rows.append({"month": m["month"], "what": "Contract fee", "amount": m["contract"]})
        rows.append({"month": m["month"], "amount": m["billed"], "what": (
            "Billed above the contract" if m["overbilled"] > 0 else "Billed")})
    frame = pd.DataFrame(rows)
    frame["series"] = frame["what"].map(lambda w: "contract" if w == "Contract fee" else "bill")
    over = {m["month"]: m["overbilled"] for m in months}
    frame["label"] = [f"+${over[m]:,.2f}" if w == "Billed above the contract" else ""
                      for m, w in zip(frame["month"], frame["what"])]
    used = [w for w in FEE_COLORS if w in set(frame["what"])]
    base = alt.Chart(frame).encode(
        x=alt.X("month:N", title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("series:N", sort=["contract", "bill"]),
        y=alt.Y("amount:Q", title="USD", stack=None, axis=alt.Axis(format="$,.0f"),
                scale=alt.Scale(domain=[0, frame["amount"].max() * 1.15], nice=False)))
    labels = base.mark_text(dy=-7, fontSize=11, fontWeight="bold",
                            color=GRADE_COLORS["red"]).encode(text=alt.Text("label:N"))
    return alt.layer(base.mark_bar().encode(
        color=alt.Color("what:N", title=None, scale=alt.Scale(
            domain=used, range=[FEE_COLORS[w] for w in used]),
            legend=alt.Legend(orient="bottom")),
        tooltip=tips(["month", "what", alt.Tooltip("amount:Q", format="$,.2f")])), labels,
        title="Billed against the contract fee, month by month").properties(
        width=WIDTH * 0.8, height=200)


def denials_by_reason(d: dict, top: int = 8) -> alt.Chart | None:
    """What the vendor still loses to denials: denied dollars after, by reason code."""
    reasons = [r for r in d["after"]["denials"]["by_reason"] if r["dollars"]][:top]
    if not reasons:
        return None
    frame = pd.DataFrame({
        "reason": [plain_text(f"{r['group']}-{r['code']}".strip("-") or "no code")
                   + ": " + plain_text(str(r["description"]))[:48] for r in reasons],
        "category": [CATEGORY_LABELS.get(r["category"], r["category"]) for r in reasons],
        "dollars": [r["dollars"] for r in reasons], "lines": [r["lines"] for r in reasons]})
    return alt.Chart(frame, title="Denied dollars after, by reason").mark_bar(
        color=GRADE_COLORS["red"]).encode(
        x=alt.X("dollars:Q", title="Denied dollars", axis=alt.Axis(format="$,.0f")),
        y=alt.Y("reason:N", title=None, sort="-x", axis=alt.Axis(labelLimit=320)),
        tooltip=tips(["reason", "category", "lines", alt.Tooltip("dollars:Q", format="$,.2f")]),
    ).properties(width=WIDTH * 0.45, height=alt.Step(22))


__all__ = ["DEFAULT_KPIS", "FEE_COLORS", "SIDE_COLORS", "denials_by_reason", "fees_by_month",
           "kpis_against_sla"]
