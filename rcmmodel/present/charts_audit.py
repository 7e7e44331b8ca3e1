"""Charts of a vendor audit (docs/methodology.md §12): each month's fee billed against the
contract, and the KPIs before and after. Each takes the audit's dict
(:meth:`rcmmodel.model.audit.Audit.to_dict`, where the figures are computed) and returns a
chart, or None when there is nothing to draw.
"""
from __future__ import annotations

import altair as alt
import pandas as pd

from .charts import PALETTE, WIDTH
from .labels import KPI_LABELS

SIDES = {"before": "Before (in-house)", "after": "After (the vendor)"}
RATE_KPIS = ("net_collection_rate", "clean_claim_rate", "denial_rate", "ar_over_90")


def audit_fees(d: dict) -> alt.Chart | None:
    """Each month's fee under the contract beside what the vendor billed (with invoices),
    or the contract fee alone."""
    months = d["fees"]["months"]
    if not months:
        return None
    rows = [{"month": m["month"], "what": "Contract fee", "amount": m["contract"]}
            for m in months]
    rows += [{"month": m["month"], "what": "Billed", "amount": m["billed"]}
             for m in months if m["billed"] is not None]
    frame = pd.DataFrame(rows)
    kinds = list(dict.fromkeys(frame["what"]))
    return alt.Chart(frame, title="Fees a month: the contract against the invoices").mark_bar(
    ).encode(
        x=alt.X("month:N", title=None, axis=alt.Axis(labelAngle=0)),
        xOffset=alt.XOffset("what:N", sort=kinds),
        y=alt.Y("amount:Q", title="Dollars", axis=alt.Axis(format="$,.0f")),
        color=alt.Color("what:N", title=None, sort=kinds,
                        scale=alt.Scale(domain=kinds, range=PALETTE[:len(kinds)])),
        tooltip=["month", "what", alt.Tooltip("amount:Q", format="$,.2f")],
    ).properties(width=WIDTH * 0.6, height=220)


def audit_kpis(d: dict) -> alt.Chart | None:
    """The rate KPIs (net collection, clean claim, denial, A/R over 90 days) before and
    after, with the SLA's commitment marked where the contract states one."""
    rows = [{"kpi": KPI_LABELS[k], "side": label, "value": d[side]["kpis"][k]}
            for k in RATE_KPIS for side, label in SIDES.items()
            if d[side]["kpis"].get(k) is not None]
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    order = [KPI_LABELS[k] for k in RATE_KPIS]
    sides = list(SIDES.values())
    bars = alt.Chart(frame).mark_bar().encode(
        y=alt.Y("kpi:N", title=None, sort=order),
        yOffset=alt.YOffset("side:N", sort=sides),
        x=alt.X("value:Q", title=None, axis=alt.Axis(format="%")),
        color=alt.Color("side:N", title=None, sort=sides,
                        scale=alt.Scale(domain=sides, range=["#9aa7b4", PALETTE[0]])),
        tooltip=["kpi", "side", alt.Tooltip("value:Q", format=".1%")])
    sla = pd.DataFrame([{"kpi": KPI_LABELS[s["kpi"]], "committed": s["committed"]}
                        for s in d["sla"] if s["kpi"] in RATE_KPIS
                        and s["committed"] is not None])
    layers = [bars]
    if len(sla):
        layers.append(alt.Chart(sla).mark_tick(color="#222", thickness=2, size=26).encode(
            y=alt.Y("kpi:N", sort=order), x="committed:Q",
            tooltip=["kpi", alt.Tooltip("committed:Q", format=".1%")]))
    return alt.layer(*layers).properties(
        width=WIDTH * 0.6, title=alt.TitleParams(
            "KPIs before and after", subtitle="Black ticks: what the contract's SLA commits to"))
