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

import datetime as _dt
from pathlib import Path

from ..present import charts
from ..present import labels
from ..present import narrative
from ..present.decision_text import decision_dict
from ..describe import money, pct
from ..present.labels import glossary_line, inhouse_label
from ..model.evaluate import evaluate
from ..model.measure import scenario_with_claims
from ..scenario import load_scenario

from .alternatives import AlternativesSection
from .html import (badge, bullets, chart, chart_html, esc, fee_table, keep, note,  # noqa: F401
                   note_html, record, show, sources_html, table)
from .sections_risk import RiskSections
from .sections_vendors import VendorSections, kpi_value  # noqa: F401


# ------------------------------------------------------------------ the report

class Report(AlternativesSection, VendorSections, RiskSections):
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
        return self.decision.focus or (
            self.scenario.vendors[0].name if self.scenario.vendors else None)

    @property
    def colors(self) -> dict:
        """Vendor name -> colour, the one palette of every chart of the report
        (:func:`rcmmodel.present.charts.vendor_colors`: the recommended vendor blue)."""
        from ..present.charts import vendor_colors

        return vendor_colors([v.name for v in self.result.vendors], self.decision.recommended,
                             [v.name for v in self.result.vendors if not v.eligible])

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
                ["In-house billing cost (TCO, total cost of ownership) per year",
                 money(r.inhouse_tco)],
                ["In-house cost to collect (cost per dollar collected)",
                 pct(r.inhouse_cost_to_collect)]]
        if best is not None:
            f, p = best.figures, best.planning
            capped = bool(best.planned and best.planned.capped)
            if capped:
                rows += [[f"{best.name}: net gain per year the decision plans on (at "
                          f"{pct(best.planned.uplift)}, what the claims show lost)",
                          money(p.net_gain)]]
            rows += [[f"{best.name}: vendor cost per year (fee and extras)", money(f.vendor_cost)],
                     [f"{best.name}: all-in cost per year (one-time fees spread over the "
                      "term)", money(self.comparison.vendor(best.name).cost.all_in_annual)],
                     [f"{best.name}: added collections per year" + (" as quoted" if capped
                                                                     else ""),
                      money(f.uplift_amount)],
                     [f"{best.name}: net gain per year as quoted (at {pct(best.planned.quote)})"
                      if capped else f"{best.name}: net gain per year", money(f.net_gain)],
                     [f"{best.name}: NPV (net present value) over "
                      f"{self.scenario.timeline.horizon_months} months"
                      + (", planned" if capped else ""), money(p.npv)],
                     [f"{best.name}: cost to collect (vendor and what stays "
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


    def fee_notes(self, only: str | None = None, arithmetic: bool = True) -> None:
        """Per vendor: every fee with its arithmetic (``arithmetic``), then what the quote
        adds and leaves unsaid."""
        for v in self.scenario.vendors:
            if only and v.name != only:
                continue
            notes = narrative.fee_notes(self.scenario, self.comparison.vendor(v.name),
                                        self.result.vendor(v.name))
            show(keep(f"<h3>{esc(self.vendor_label(v.name))}</h3>",
                      self.fee_table(v.name) if arithmetic else "", bullets(notes)))

    def fee_table(self, name: str) -> str:
        """A vendor's fees with the arithmetic shown, monthly minimum included."""
        return fee_table(self.result, name)

    def assumptions(self, only: str | None = None) -> None:
        found = narrative.assumptions(self.scenario, self.result, only=only)
        rows = [[a["item"], a["value"], a["source"]] for a in found]
        show(table(rows, ["assumption", "value", "source"], wide=True, long=True))
        keys = [k for a in found for k in a["keys"] if k in labels.CITED]
        show(note_html(glossary_line()))
        show(sources_html(labels.references(keys)))

    def record(self, template: str, **extra) -> None:
        """Display the key figures as machine-readable output (hidden from readers)."""
        figures = narrative.key_figures(self.result, self.sim, template=template,
                                        decision=decision_dict(self.decision), **extra)
        record(figures)


def _spec(scenario, name):
    return next(v for v in scenario.vendors if v.name == name)
