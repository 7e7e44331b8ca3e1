"""The decision report's vendor sections: the quotes compared, the ranking, the odds from
the Monte Carlo, the SLA scorecard and the due-diligence checklist.

A mixin of :class:`rcmmodel.reports.sections.Report`: it reads the report's ``scenario``,
``result``, ``comparison``, ``decision`` and ``sim``.
"""
from __future__ import annotations

from ..claims.targets import TARGETS
from ..describe import money, pct, score
from ..present import charts, labels, narrative
from ..present.charts import EXCLUDED_SUFFIX
from ..present.decision_text import listing, own_criteria_note
from ..present.labels import criterion_label, format_kpi
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
        rows, muted = [], set()
        for k, v in enumerate(r.vendors):
            f, p = v.figures, v.planning      # ROI, NPV and payback as the decision plans
            gains = [money(f.net_gain)] + ([money(p.net_gain)] if capped else [])
            if not v.eligible:
                muted.add(k)
            rows.append([self.vendor_label(v.name, mark_recommended=True),
                         pricing_label(_spec(self.scenario, v.name)), money(f.vendor_cost),
                         pct(cmp_.vendor(v.name).cost.effective_rate), money(f.one_time),
                         *gains, pct(p.roi, 0), money(p.npv),
                         narrative.payback_text(p.payback_month)])
        planned = (" Net gain planned: at the uplift the decision plans on, the quote capped "
                   "by what the practice's claims show being lost; ROI, NPV (net present "
                   "value) and payback are planned the same way." if capped else "")
        show(keep(table(rows, header, num=set(range(2, len(header))), wide=True,
                        muted=muted), note_html(
            "Annual cost: the vendor's fee on the new collections plus recurring extras, for a "
            "full year once up to speed. Effective rate: that cost plus one-time fees spread "
            "over the contract term, as a share of collections. "
            "Net gain = added collections + in-house savings - vendor cost." + planned)))
        self.uncertainty()
        residual = float(r.inputs.inhouse.residual)
        stays = (f" The {money(residual)} a year of billing work that stays in-house is not in "
                 "a vendor's bar (the net gain counts it)." if residual else "")
        left_out = self.excluded_names()
        chart(charts.cost_comparison(r, self.decision.recommended, planning=capped),
              "Cost per year: billing in-house today, and each vendor's cost as in the table "
              "(fee and extras)." + stays + (" Net gain as the decision plans it." if capped
                                             else "")
              + (f" No net gain is shown for {listing(left_out)}: excluded, no Business "
                 "Associate Agreement (BAA)." if left_out else ""))
        self.ranking()

    def vendor_label(self, name: str, mark_recommended: bool = False) -> str:
        """A vendor's name in a table: an excluded one says so wherever it appears."""
        status = self._status(name)
        if status == "excluded":
            return name + EXCLUDED_SUFFIX
        return name + (" (recommended)" if mark_recommended and status == "recommended" else "")

    def excluded_names(self) -> list[str]:
        return [v.name for v in self.result.vendors if not v.eligible]

    def ranking(self) -> None:
        """The weighted ranking over net gain, SLA, due diligence and contract terms."""
        cmp_ = self.comparison
        rows, muted = [], set()
        for k, a in enumerate(cmp_.ranked):
            sc = cmp_.score_of(a.name)
            if not a.eligible:
                muted.add(k)
            rows.append([cmp_.rank_of(a.name) or "—", self.vendor_label(a.name)]
                        + [score(sc[c]) for c in sc if c != "total"]
                        + [score(sc["total"], 1) if a.eligible else "not ranked"])
        crit = [c for c in cmp_.score_of(cmp_.assessments[0].name) if c != "total"]
        total_w = sum(cmp_.weights[c] for c in crit) or 1.0
        weights = ", ".join(f"{criterion_label(c).lower() if c != 'sla' else 'SLA'} "
                            f"{pct(cmp_.weights[c] / total_w, 0)}" for c in crit)
        show(keep("<h3>Ranking</h3>", table(
            rows, ["rank", "vendor"] + [criterion_label(c) for c in crit] + ["total"],
            num=set(range(2, len(crit) + 3)), muted=muted,
            wrap_head=bool(cmp_.own_criteria)), note_html(
            f"Scores 0-100 per criterion, weighted ({weights} of the total; financial on "
            f"{cmp_.basis.replace('_', ' ')}). Vendors without a Business Associate "
            "Agreement (BAA) are not ranked." + own_criteria_note(cmp_))))

    def uncertainty(self, only: str | None = None) -> None:
        """Percentiles and probabilities from the Monte Carlo, where there are distributions."""
        sim = self.sim
        if sim is None:
            return
        rows, muted = [], set()
        for v in sim.vendors:
            if only and v.name != only:
                continue
            q, n = v.percentiles("net_gain"), v.percentiles("npv")
            if not v.eligible:       # never shown as paying: it cannot be chosen
                muted.add(len(rows))
                rows.append([self.vendor_label(v.name), "—", "—", "—", "—", "—", "—"])
                continue
            rows.append([self.vendor_label(v.name, mark_recommended=not only),
                         pct(v.prob_positive, 0), pct(v.prob_recommended, 0),
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
        excluded = [v.name for v in sim.vendors if not v.eligible and (not only or v.name == only)]
        show(keep(f"<h3>With uncertainty ({sim.draws:,} simulated outcomes)</h3>", table(
            rows, header, num=set(range(1, len(header))), wide=True, muted=muted), note_html(
            "Each simulated outcome draws every uncertain input from its range; low and high "
            "are the 5th and 95th percentiles. The uncertain inputs are: " + "; ".join(said)
            + ". A quote's single uplift figure is drawn between none and that figure (at "
            "most the promise, possibly nothing). Chance it pays: the share of outcomes with "
            "a net gain above zero" + ("" if only else
            "; chance recommended: the share in which the whole decision rule (eligibility, "
            "a gain at the planned uplift, the weighted ranking) makes it the recommendation; "
            f"in {pct(sim.prob_stay, 0)} of outcomes the decision is to stay in-house")
            + ". The other tables use each input's most likely value."
            + (f" {listing(excluded)}: excluded, so never counted as paying." if excluded
               else ""))))

    def scorecard(self, only: str | None = None, diligence: bool = True) -> None:
        """Each vendor's SLA promises and the practice today, graded against the benchmarks;
        then (``diligence``) the due-diligence checklist."""
        assessed = [a for a in self.comparison.assessments if not only or a.name == only]
        header = ["KPI", "benchmark", "today"] + [self.vendor_label(a.name) for a in assessed]
        grey = [False] + [not a.eligible for a in assessed]    # no grade for an excluded one
        rows = []
        for kpi, target in TARGETS.items():
            marks = [a.sla.kpis.get(kpi) for a in assessed]
            today = getattr(self.scenario.practice.baseline_kpis, kpi, None)
            if today is None and all(m is None or m.committed is None for m in marks):
                continue
            cmp_ = ">=" if target.higher_is_better else "<"
            cells = [today] + [m.committed if m else None for m in marks]
            rows.append([esc(target.label), esc(f"{cmp_} {kpi_value(kpi, target.green)}")]
                        + [("not committed" if x is None else
                            f'<span class="rcm-excluded">{esc(kpi_value(kpi, x))}</span>' if g
                            else f"{esc(kpi_value(kpi, x))} {badge(target.grade(x))}")
                           for x, g in zip(cells, grey)])
        if rows:
            measured = getattr(self.scenario, "measured_kpis", [])
            notes = ([note_html("Today's " + ", ".join(TARGETS[k].label[:1].lower() + TARGETS[k].label[1:]
                                                       for k in measured
                                                       if k in TARGETS)
                                + " measured from the practice's claims files.")]
                     if measured else [])
            left = [a.name for a in assessed if not a.eligible]
            show(keep(table(rows, header, raw=True), *notes, note_html(
                "Today: the practice's own key performance indicators (KPIs); vendor columns: "
                "what each commits to in its service-level agreement (SLA). Green meets the "
                "benchmark, amber is in the warning band, red misses it."
                + (f" {listing(left)}: excluded (no BAA), so not graded." if left else ""))))
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
             for i in CHECKLIST], ["question"] + [self.vendor_label(a.name) for a in assessed])))


def _spec(scenario, name):
    return next(v for v in scenario.vendors if v.name == name)
