"""Sections of the report templates: each call computes through the library and displays
HTML or an SVG chart, so a template cell is one line and shows no code.

A template does::

    report = Report(scenario_path, draws=draws, seed=seed)
    report.recommendation()
    report.inhouse()
    ...
    report.record("decision")

:meth:`Report.record` displays the key figures under the mime type
:data:`rcmmodel.reports.render.FIGURES_MIME`, which readers never see and tests read back.
"""
from __future__ import annotations

import copy
import datetime as _dt
from pathlib import Path

from ..present import charts
from ..present import labels
from ..present import narrative
from ..present.decision_text import decision_dict, own_criteria_note
from ..describe import money, pct
from ..present.labels import axis_label, format_kpi, inhouse_label
from ..model.breakeven import gain_curve
from ..model.evaluate import evaluate
from ..model.measure import scenario_with_claims
from ..pricing import pricing_label
from ..scenario import load_scenario
from ..claims.targets import TARGETS

from .alternatives import AlternativesSection
from .html import (badge, bullets, chart, chart_html, esc, fee_table, keep, note,  # noqa: F401
                   note_html, record, show, table)


def kpi_value(kpi: str, value) -> str:
    return format_kpi(kpi, value, missing="—")


# ------------------------------------------------------------------ the report

class Report(AlternativesSection):
    """One scenario, evaluated (and simulated where it has distributions), shown in sections.

    Parameters
    ----------
    scenario_path : str or Path
        The scenario file; validated through :func:`rcmmodel.load_scenario`, its claims
        files measured by :func:`rcmmodel.scenario_with_claims`.
    draws, seed : int
        Monte Carlo draws and seed, used only where the scenario has distributions.
    """

    def __init__(self, scenario_path, draws: int = 10_000, seed: int = 12345,
                 fee_schedule=None):
        self.path = Path(scenario_path)
        self.scenario = scenario_with_claims(load_scenario(self.path), fee_schedule or None)
        self.result = evaluate(self.scenario)
        # Every quote's uplift is uncertain (at most the promise, possibly nothing), so every
        # report states the decision's odds (docs/methodology.md §8).
        self.sim = None
        if self.scenario.vendors:
            from ..risk.uncertainty import simulate
            self.sim = simulate(self.scenario, draws=int(draws), seed=int(seed), progress=False)
        self._comparison = self._decision = None

    @property
    def comparison(self):
        """The vendor evaluation (effective rates, SLA scorecard, due diligence, ranking)."""
        if self._comparison is None:
            from ..vendors.ranking import compare
            self._comparison = compare(self.scenario, evaluation=self.result)
        return self._comparison

    def scenario_inputs_given(self) -> dict:
        """Every model input as the scenario gives it (numbers and ranges), by field path."""
        return narrative.given_inputs(self.scenario)

    # -- opening

    def title(self, kind: str = "Should we outsource billing?") -> None:
        s, p = self.scenario, self.scenario.practice
        show(f"<h1>{esc(s.name)}</h1><p class=\"rcm-note\">{esc(kind)} · "
             f"{esc(p.specialty.replace('_', ' '))}, {p.providers} provider"
             f"{'s' if p.providers != 1 else ''}, collections "
             f"{esc(money(self.result.inputs.practice.collections))} a year · prepared "
             f"{_dt.date.today():%B %d, %Y} with rcmmodel</p>")

    def _status(self, name: str) -> str:
        d = self.decision
        return ("recommended" if name == d.recommended else
                "excluded" if not d.eligible(name) else "")

    @property
    def focus(self) -> str | None:
        """The vendor the risk charts are about: the recommended one, else (verdict "stay")
        the best eligible quote, the one the practice would otherwise choose."""
        d = self.decision
        return d.recommended or d.financial_best or (
            self.scenario.vendors[0].name if self.scenario.vendors else None)

    @property
    def decision(self):
        """The decision (docs/methodology.md §6) every section states: :func:`rcmmodel.vendors.decide`."""
        if self._decision is None:
            from ..vendors.decision import decide
            self._decision = decide(self.scenario, comparison=self.comparison)
        return self._decision

    def recommendation(self) -> None:
        from .recommend import decision_box
        decision_box(self)

    def at_a_glance(self) -> None:
        r, d = self.result, self.decision
        name = d.recommended or d.financial_best     # the vendor the decision speaks of
        best = r.vendor(name) if name else None
        rows = [["Collections today", money(r.inputs.practice.collections)],
                ["In-house billing cost (TCO) per year", money(r.inhouse_tco)],
                ["In-house cost to collect (cost per dollar collected)",
                 pct(r.inhouse_cost_to_collect)]]
        if best is not None:
            f = best.figures
            if best.planned and best.planned.capped:
                rows += [[f"{best.name}: net gain per year the decision plans on (at "
                          f"{pct(best.planned.uplift)}, what the claims show lost)",
                          money(best.planning.net_gain)]]
            rows += [[f"{best.name}: vendor cost per year (fee and extras)", money(f.vendor_cost)],
                     [f"{best.name}: all-in cost per year (one-time fees spread over the "
                      "term)", money(self.comparison.vendor(best.name).cost.all_in_annual)],
                     [f"{best.name}: added collections per year", money(f.uplift_amount)],
                     [f"{best.name}: net gain per year as quoted" if best.planned and
                      best.planned.capped else f"{best.name}: net gain per year",
                      money(f.net_gain)],
                     [f"{best.name}: NPV over {self.scenario.timeline.horizon_months} months",
                      money(f.npv)], [f"{best.name}: cost to collect (vendor and what stays "
                                      "in-house, at the planning uplift)", pct(best.cost_to_collect)]]
        show(table(rows, ["", "per year"], num={1}))

    # -- body

    def inhouse(self) -> None:
        r = self.result
        parts = [[inhouse_label(k), money(v)] for k, v in r.inputs.inhouse.parts.items()
                 if float(v)]
        several = len(parts) > 1
        parts.append(["Total cost of ownership", money(r.inhouse_tco)])
        if r.inhouse_savings != r.inhouse_tco:
            parts.append(["Saved by outsourcing (less what stays in-house)",
                          money(r.inhouse_savings)])
        # The table first: it fits under page 1's recommendation, the chart may start page 2.
        show(table(parts, ["part", "per year"], num={1}))
        if several:
            chart(charts.tco_breakdown(r))   # one bar (a stated total) would say nothing

    def vendors(self) -> None:
        r, cmp_ = self.result, self.comparison
        capped = any(v.planned and v.planned.capped for v in r.vendors)
        header = ["vendor", "pricing", "annual cost", "effective rate", "one-time",
                  "net gain as quoted", "net gain planned", "ROI", "NPV", "payback"]
        if not capped:
            header.pop(6)
            header[5] = "net gain"
        rows = []
        for v in r.vendors:
            f = v.figures
            gains = [money(f.net_gain)] + ([money(v.planning.net_gain)] if capped else [])
            rows.append([v.name + {"recommended": " (recommended)", "excluded": " (excluded: "
                                   "no BAA)"}.get(self._status(v.name), ""),
                         pricing_label(_spec(self.scenario, v.name)), money(f.vendor_cost),
                         pct(cmp_.vendor(v.name).cost.effective_rate), money(f.one_time),
                         *gains, pct(f.roi, 0), money(f.npv),
                         narrative.payback_text(f.payback_month)])
        planned = (" Net gain planned: at the uplift the decision plans on, the quote capped "
                   "by what the practice's claims show being lost; ROI, NPV and payback are "
                   "as quoted." if capped else "")
        show(keep(table(rows, header, num=set(range(2, len(header))), wide=True), note_html(
            "Annual cost: the vendor's fee on the new collections plus recurring extras, "
            "steady-state year. Effective rate: that cost plus one-time fees spread over the "
            "contract term, as a share of collections. "
            "Net gain = added collections + in-house savings - vendor cost." + planned)))
        self.uncertainty()
        chart(charts.cost_comparison(r))
        self.ranking()

    def ranking(self) -> None:
        """The weighted ranking over net gain, SLA, due diligence and contract terms."""
        cmp_ = self.comparison
        rows = []
        for a in cmp_.ranked:
            sc = cmp_.score_of(a.name)
            rows.append([cmp_.rank_of(a.name) or "—", a.name]
                        + [f"{sc[c]:.0f}" for c in sc if c != "total"]
                        + [f"{sc['total']:.0f}" if a.eligible else "excluded"])
        crit = [c for c in cmp_.score_of(cmp_.assessments[0].name) if c != "total"]
        weights = ", ".join(f"{c.replace('_', ' ')} {cmp_.weights[c]:.3g}" for c in crit)
        show(keep("<h3>Ranking</h3>", table(
            rows, ["rank", "vendor"] + [c.replace("_", " ") for c in crit] + ["total"],
            num=set(range(2, len(crit) + 3)), wrap_head=bool(cmp_.own_criteria)), note_html(
            f"Scores 0-100 per criterion, weighted ({weights}; financial on "
            f"{cmp_.basis.replace('_', ' ')}). Vendors without a Business Associate "
            "Agreement are not ranked." + own_criteria_note(cmp_))))

    def uncertainty(self, only: str | None = None) -> None:
        """Percentiles and probabilities from the Monte Carlo, where there are distributions."""
        sim = self.sim
        if sim is None:
            return
        rows = []
        for v in sim.vendors:
            if only and v.name != only:
                continue
            q, n = v.percentiles("net_gain"), v.percentiles("npv")
            if not v.eligible:       # never shown as paying: it cannot be chosen
                rows.append([f"{v.name} (excluded: no BAA)", "—", "—", "—", "—", "—", "—"])
                continue
            rows.append([v.name, pct(v.prob_positive, 0), pct(v.prob_recommended, 0),
                         money(q["p05"]), money(q["p50"]), money(q["p95"]),
                         f"{money(n['p05'])} to {money(n['p95'])}"])
        given = self.scenario_inputs_given()
        names = [v.name for v in self.scenario.vendors]
        mine = f"vendors[{names.index(only)}]." if only else None
        # A one-vendor report says nothing of another vendor's quote.
        said = [f"{labels.field_label(p, self.scenario, vendor=not only)}: "
                f"{labels.value_text(p, given[p])}"
                for p in sim.uncertain if p in given
                and (not only or not p.startswith("vendors[") or p.startswith(mine))]
        header = ["vendor", "chance it pays", "chance recommended", "net gain: low (5%)",
                  "median", "high (95%)", "NPV, low to high"]
        if only:         # the recommendation weighs quotes a one-vendor report does not show
            header.pop(2)
            rows = [r[:2] + r[3:] for r in rows]
        show(keep(f"<h3>With uncertainty ({sim.draws:,} simulated outcomes)</h3>", table(
            rows, header, num=set(range(1, len(header))), wide=True), note_html(
            "Each simulated outcome draws every uncertain input from its range; low and high "
            "are the 5th and 95th percentiles. The uncertain inputs are: " + "; ".join(said)
            + ". A quote's single uplift figure is drawn between none and that figure (at "
            "most the promise, possibly nothing). The chance it is recommended applies "
            "the whole decision rule in each outcome" + ("" if only else
            f"; in {pct(sim.prob_stay, 0)} of outcomes the decision is to stay in-house")
            + ". The other tables use each input's most likely value.")))

    def scorecard(self, only: str | None = None, diligence: bool = True) -> None:
        """Each vendor's SLA promises and the practice today, graded against the benchmarks;
        then (``diligence``) the due-diligence checklist."""
        assessed = [a for a in self.comparison.assessments if not only or a.name == only]
        header = ["KPI", "benchmark", "today"] + [a.name for a in assessed]
        rows = []
        for kpi, target in TARGETS.items():
            marks = [a.sla.kpis.get(kpi) for a in assessed]
            today = getattr(self.scenario.practice.baseline_kpis, kpi, None)
            if today is None and all(m is None or m.committed is None for m in marks):
                continue
            cmp_ = ">=" if target.higher_is_better else "<"
            cells = [today] + [m.committed if m else None for m in marks]
            rows.append([esc(target.label), esc(f"{cmp_} {kpi_value(kpi, target.green)}")]
                        + [f"{esc(kpi_value(kpi, x))} {badge(target.grade(x))}"
                           if x is not None else "not committed" for x in cells])
        if rows:
            measured = getattr(self.scenario, "measured_kpis", [])
            notes = ([note_html("Today's " + ", ".join(TARGETS[k].label[:1].lower() + TARGETS[k].label[1:]
                                                       for k in measured
                                                       if k in TARGETS)
                                + " measured from the practice's claims files.")]
                     if measured else [])
            show(keep(table(rows, header, raw=True), *notes, note_html(
                "Today: the practice's own KPIs; vendor columns: what each commits to in its "
                "SLA. Green meets the benchmark, amber is in the warning band, red misses it.")))
        else:
            note("Neither the practice's KPIs nor any vendor's service levels are stated.")
        if diligence:
            self.diligence(only)

    def diligence(self, only: str | None = None) -> None:
        """The guide's due-diligence checklist, answered per vendor."""
        from ..vendors.assess import CHECKLIST

        assessed = [a for a in self.comparison.assessments if not only or a.name == only]
        answer = {True: "yes", False: "no", None: "not answered"}
        show(keep("<h3>Due diligence</h3>", table(
            [[i.label] + [answer[a.diligence.answers[i.key]] for a in assessed]
             for i in CHECKLIST], ["question"] + [a.name for a in assessed])))

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

    def fee_notes(self, only: str | None = None, arithmetic: bool = True) -> None:
        """Per vendor: every fee with its arithmetic (``arithmetic``), then what the quote
        adds and leaves unsaid."""
        for v in self.scenario.vendors:
            if only and v.name != only:
                continue
            notes = narrative.fee_notes(self.scenario, self.comparison.vendor(v.name),
                                        self.result.vendor(v.name))
            show(keep(f"<h3>{esc(v.name)}</h3>",
                      self.fee_table(v.name) if arithmetic else "", bullets(notes)))

    def fee_table(self, name: str) -> str:
        """A vendor's fees with the arithmetic shown, monthly minimum included."""
        return fee_table(self.result, name)

    def assumptions(self, only: str | None = None) -> None:
        found = narrative.assumptions(self.scenario, self.result, only=only)
        rows = [[a["item"], a["value"], a["source"]] for a in found]
        show(table(rows, ["assumption", "value", "source"], wide=True))
        keys = [k for a in found for k in a["keys"] if k in labels.CITED]
        show('<div class="rcm-sources"><p><strong>Sources.</strong> '
             + esc(" ".join(f"{r}." for r in labels.references(keys))) + "</p></div>")

    def record(self, template: str, **extra) -> None:
        """Display the key figures as machine-readable output (hidden from readers)."""
        figures = narrative.key_figures(self.result, self.sim, template=template,
                                        decision=decision_dict(self.decision), **extra)
        record(figures)


def _spec(scenario, name):
    return next(v for v in scenario.vendors if v.name == name)
