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
from .html import chart, keep, note_html, show, table


class RiskSections:
    """Timeline and risk (a mixin of the report)."""

    def timeline(self) -> None:
        r, t = self.result, self.scenario.timeline
        chart(charts.cumulative_cash(r))
        rows = []
        for v in r.vendors:
            m = v.months_frame()
            years = [m.loc[(m.m > 12 * y) & (m.m <= 12 * (y + 1)), "net"].sum()
                     for y in range((t.horizon_months + 11) // 12)]
            rows.append([v.name] + [money(x) for x in years]
                        + [money(v.figures.npv), narrative.payback_text(v.figures.payback_month)])
        header = ["vendor"] + [f"year {y + 1}" for y in range(len(rows[0]) - 3)] + ["NPV",
                                                                                     "payback"]
        show(keep(table(rows, header, num=set(range(1, len(header)))), note_html(
            f"Month by month, outsourcing against staying in-house: both are paid for the "
            f"{labels.say(t.parallel_run_days, 'days')} parallel run, and the uplift "
            f"ramps to full over {labels.say(t.ramp_days, 'days')}; NPV at "
            f"{labels.say(t.discount_rate, 'rate')} a year.")))

    def breakeven(self, only: str | None = None) -> None:
        r = self.result
        rows = []
        for v in r.vendors:
            if only and v.name != only:
                continue
            b = v.breakeven
            rows.append([v.name, pct(b["min_uplift"]), pct(b["max_rate"]),
                         money(b["breakeven_collections"]),
                         money(v.ar_cash_release) if v.ar_cash_release else "—"])
        show(keep(table(rows, ["vendor", "min uplift", "max fee rate", "crossover collections",
                               "one-time A/R cash release"], num={1, 2, 3, 4}), note_html(
            "Min uplift: the change in collections at which net gain is zero (negative: it "
            "pays even if collections fall that much). Max fee rate: the rate at which net "
            "gain is zero. Crossover: collections above which in-house is cheaper (no uplift). "
            "A/R cash release: cash freed once by the faster collections the SLA promises "
            "(not counted in net gain).")))
        # the risk charts are for the vendor the decision speaks of, never silently another
        name = only or self.focus
        curve = gain_curve(r, name, "price")
        chart(charts.net_gain_vs_rate(curve),
              f"{name}: net gain as its {axis_label(curve, curve.axis).lower()} varies, the rest as quoted; the "
              "cross is the quote, the dashed line break-even.")

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
                f"{frame.attrs['vendor']}: {method}, one at a time with the rest as quoted "
                f"(net gain as quoted {money(frame.attrs['base_net_gain'])} a year)"
                + ("; the eight that move it most." if len(frame) > 8 else "."))))
        grid = sens.breakeven_map(self.scenario, vendor, x="price")
        chart(charts_risk.breakeven_heatmap(grid),
              f"{grid.vendor}: net gain for each {axis_label(grid, grid.x).lower()} and uplift; the line is "
              "where it is zero, the cross is the quote.")
        if self.sim is not None:
            sim = self.sim
            if vendor is not None:          # one vendor's report shows no other's outcomes
                sim = copy.copy(sim)
                sim.vendors = [v for v in sim.vendors if v.name == vendor]
            chart(charts_risk.simulation_histogram(sim))
        if self.scenario.capacity.claims_growth_rate:
            from ..risk.capacity import capacity
            from ..present.capacity_text import capacity_caption
            cap = capacity(self.scenario)
            caption = capacity_caption(cap)
            if vendor is not None:          # one vendor's report draws no other vendor
                cap = copy.copy(cap)
                cap.vendors = cap.vendors[cap.vendors["vendor"] == vendor]
            chart(charts_risk.capacity_chart(cap), caption)
