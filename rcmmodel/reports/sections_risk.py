"""The report's timeline and risk sections: month by month, break-even, and what would
change the answer (tornado, break-even map, the simulated spread, capacity).

A mixin of :class:`rcmmodel.reports.sections.Report`; the risk charts are about the
vendor the decision speaks of (:attr:`Report.focus`), never silently another.
"""
from __future__ import annotations

import copy

from ..describe import money, pct
from ..model.breakeven import gain_curve
from ..present import charts, labels, narrative
from ..present.labels import axis_label
from ..present.decision_text import listing
from .html import chart, esc, keep, note, note_html, show, table


class RiskSections:
    """Timeline and risk (a mixin of the report)."""

    def timeline(self) -> None:
        r, t = self.result, self.scenario.timeline
        shown = [v for v in r.vendors if v.eligible]
        left = [v.name for v in r.vendors if not v.eligible]
        gone = (f" Not shown: {listing(left)}, excluded (no Business Associate Agreement), "
                "so never a choice." if left else "")
        if not shown:
            note(f"No month-by-month cash is shown: {listing(left)}, excluded (no Business "
                 "Associate Agreement), never a choice.")
            return
        capped = any(v.planned and v.planned.capped for v in shown)
        chart(charts.cumulative_cash(vendors_view(r, shown), self.decision.recommended,
                                     planning=True))
        rows = []
        for v in shown:
            m, p = v.months_frame(planning=True), v.planning
            years = [m.loc[(m.m > 12 * y) & (m.m <= 12 * (y + 1)), "net"].sum()
                     for y in range((t.horizon_months + 11) // 12)]
            rows.append([v.name] + [money(x) for x in years]
                        + [money(p.npv), narrative.payback_text(p.payback_month)])
        header = ["vendor"] + [f"year {y + 1}" for y in range(len(rows[0]) - 3)] + ["NPV",
                                                                                     "payback"]
        show(keep(table(rows, header, num=set(range(1, len(header)))), note_html(
            f"Month by month, outsourcing against staying in-house: both are paid for the "
            f"{labels.say(t.parallel_run_days, 'days')} parallel run, and the added "
            f"collections ramp up to full over {labels.say(t.ramp_days, 'days')}; net present "
            f"value (NPV) at {labels.say(t.discount_rate, 'rate')} a year."
            + (" At the uplift the decision plans on: the quote, capped by what the practice's "
               "claims show being lost." if capped else "") + gone)))

    def risk_subject(self, name: str) -> str:
        """Whom the risk section is about, in one sentence that names the vendor."""
        d = self.decision
        if name == d.recommended:
            return f"This section is about {name}, the recommended vendor."
        if d.recommended is None and d.verdict == "stay":
            return (f"This section is about {name}, the best eligible quote; the decision is "
                    "to keep billing in-house.")
        return f"This section is about {name}."

    def breakeven(self, only: str | None = None) -> None:
        r = self.result
        # the risk charts are for the vendor the decision speaks of, never silently another
        name = only or self.focus
        rows, left = [], []
        for v in r.vendors:
            if only and v.name != only:
                continue
            if not v.eligible and not only:
                left.append(v.name)
                continue
            b = v.breakeven
            rows.append([self.vendor_label(v.name, mark_recommended=not only),
                         pct(b["min_uplift"]), max_price(r, v),
                         money(b["breakeven_collections"]),
                         money(v.ar_cash_release) if v.ar_cash_release else "—"])
        show(keep(f'<p class="rcm-about">{esc(self.risk_subject(name))}</p>',
                  table(rows, ["vendor", "min uplift", "max fee rate", "crossover collections",
                               "one-time A/R cash release"], num={1, 2, 3, 4}), note_html(
            "Min uplift: the change in collections at which net gain is zero (negative: it "
            "pays even if collections fall that much). Max fee rate: the rate at which net "
            "gain is zero, at the planning uplift (for banded fees, the effective rate across "
            "the bands; for a fee per claim, the fee). Crossover: collections above which in-house is cheaper (no "
            "uplift). A/R (accounts receivable) cash release: cash freed once by the faster "
            "collections the SLA promises (not counted in net gain)."
            + (f" Not shown: {listing(left)}, excluded (no BAA)." if left else ""))))
        curve = gain_curve(r, name, "price", planning=True)
        planned = r.vendor(name).planned
        rest = (f"the rest as the decision plans it (uplift {pct(planned.uplift)}, the most the "
                f"practice's claims show being lost, not the {pct(planned.quote)} quoted)"
                if planned is not None and planned.capped else "the rest as quoted")
        chart(charts.net_gain_vs_rate(curve, self.colors.get(name)),
              f"{name}: net gain as its {axis_label(curve, curve.axis).lower()} varies, "
              f"{rest}; the cross is the quote, the dashed line break-even.")

    def sensitivity(self, vendor: str | None = None) -> None:
        """Tornado, break-even map, simulated spread and capacity (issue 4's modules)."""
        from ..present import charts_risk
        from ..risk import sensitivity as sens

        vendor = vendor or self.focus
        frame = sens.tornado(self.scenario, vendor)
        if not frame.empty:
            chart(charts_risk.tornado_chart(frame, self.scenario, top=8))
            rows = [[charts_risk.input_label(row.input, self.scenario),
                     labels.value_text(row.input, row.low_value),
                     labels.value_text(row.input, row.high_value), money(row.net_gain_low),
                     money(row.net_gain_high), money(row.swing)]
                    for row in frame.head(8).itertuples()]
            method = charts_risk.method_words(frame.attrs)
            show(keep(table(rows, ["input", "low", "high", "net gain (low)", "net gain (high)",
                                   "swing"], num={1, 2, 3, 4, 5}, wide=True), note_html(
                f"{frame.attrs['vendor']}: {method}, one at a time with the rest "
                + (f"as the decision plans it (net gain {charts_risk.base_words(frame.attrs)}; "
                   "no case goes above what the practice's claims show being lost)"
                   if frame.attrs.get("capped") else
                   f"as quoted (net gain as quoted {money(frame.attrs['base_net_gain'])} a year)")
                + ("; the eight that move it most." if len(frame) > 8 else "."))))
        grid = sens.breakeven_map(self.scenario, vendor, x="price")
        chart(charts_risk.breakeven_heatmap(grid),
              f"{grid.vendor}: net gain for each {axis_label(grid, grid.x).lower()} and uplift; the line is "
              "where it is zero, " + ("the cross the quote at the planning uplift, the circle "
                                      "the quote as written." if grid.quote else
                                      "the cross is the quote."))
        if self.sim is not None:
            sim = self.sim
            if vendor is not None:          # one vendor's report shows no other's outcomes
                sim = copy.copy(sim)
                sim.vendors = [v for v in sim.vendors if v.name == vendor]
            chart(charts_risk.simulation_histogram(sim, colors=self.colors))
        if self.scenario.capacity.claims_growth_rate:
            from ..risk.capacity import capacity
            from ..present.capacity_text import capacity_caption
            cap = capacity(self.scenario)
            caption = capacity_caption(cap)
            if vendor is not None:          # one vendor's report draws no other vendor
                cap = copy.copy(cap)
                cap.vendors = cap.vendors[cap.vendors["vendor"] == vendor]
            chart(charts_risk.capacity_chart(cap, colors=self.colors), caption)


def vendors_view(result, shown):
    """The same evaluation with only the vendors ``shown`` (a chart that leaves some out)."""
    from ..model.evaluate import Evaluation
    from ..model.inputs import with_inputs

    keep_ = [k for k, v in enumerate(result.vendors) if v in shown]
    return Evaluation(scenario=result.scenario,
                      inputs=with_inputs(result.inputs,
                                         vendors=[result.inputs.vendors[k] for k in keep_]),
                      vendors=[result.vendors[k] for k in keep_])


def max_price(result, v) -> str:
    """The fee at which a quote stops paying, at the planning uplift: its rate where it has
    one; else the break-even of its price axis (a banded fee's effective rate, a fee per
    claim), which the net gain by price chart marks too."""
    capped = v.planned is not None and v.planned.capped
    rate = v.breakeven["max_rate"]
    if rate is not None and not capped:
        return pct(rate)
    curve = gain_curve(result, v.name, "rate" if rate is not None else "price", planning=True)
    if curve.breakeven is None:
        return "—"
    if curve.axis == "rate":
        return pct(curve.breakeven)
    return (money(curve.breakeven, cents=True) + " a claim" if curve.dollars
            else pct(curve.breakeven) + " effective")
