"""The decision report's vendor sections: the quotes compared, the ranking, the odds from
the Monte Carlo, the SLA scorecard and the due-diligence checklist.

A mixin of :class:`rcmmodel.reports.sections.Report`: it reads the report's ``scenario``,
``result``, ``comparison``, ``decision`` and ``sim``.
"""
from __future__ import annotations

from ..claims.targets import TARGETS
from ..describe import money, pct
from ..present import charts, labels, narrative
from ..present.labels import format_kpi
from ..pricing import pricing_label
from .html import badge, chart, esc, keep, note, note_html, show, table


def kpi_value(kpi: str, value) -> str:
    return format_kpi(kpi, value, missing="—")


class VendorSections:
    """The quotes side by side (a mixin of the report)."""

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
        weights = ", ".join(f"{c.replace('_', ' ')} {cmp_.weights[c]:g}" for c in crit)
        show(keep("<h3>Ranking</h3>", table(
            rows, ["rank", "vendor"] + [c.replace("_", " ") for c in crit] + ["total"],
            num=set(range(2, len(crit) + 3))), note_html(
            f"Scores 0-100 per criterion, weighted ({weights}; financial on "
            f"{cmp_.basis.replace('_', ' ')}). Vendors without a Business Associate "
            "Agreement are not ranked.")))

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


def _spec(scenario, name):
    return next(v for v in scenario.vendors if v.name == name)
