"""The "Should we outsource?" calculator: one quote against billing in-house, live.

Every field change rebuilds the scenario mapping, validates it like a scenario file and
evaluates it with :func:`rcmmodel.model.evaluate`, so the net gain on screen is the one
``rcm evaluate`` prints for the same numbers. Widgets are updated in place (values
swapped, never re-created), which keeps the page from flickering.
"""
from __future__ import annotations

import copy
import html
import time

import ipywidgets as w

from ..present import charts
from ..present.decision_text import reason
from ..present.flags_text import reasons_text
from ..describe import money, pct
from ..errors import RcmInputError
from ..model.evaluate import evaluate
from . import session as ses
from .controls import STYLE, ChartPainter, NumberField, Panel, error_html
from .figures import breakeven_chart
from .quote_editor import QuoteEditor

DEFAULT = object()
OWN = ("collections", "claims_per_month", "inhouse_total", "staff_fte", "staff_salary",
       "other_costs", "ramp_days")      # the calculator's own fields (the quote has its editor)
CHART_NAMES = ("cost", "cash", "breakeven")


class Calculator(Panel):
    """Interactive net gain of outsourcing one quote, with charts.

    Parameters
    ----------
    scenario : path, Scenario, mapping or None
        What to start from; None starts blank; by default the guide's worked example.
    charts : bool
        Draw the charts (the benchmark and tests can time the figures alone).

    Examples
    --------
    >>> calc = Calculator()                        # doctest: +SKIP
    >>> calc.fields["uplift"].value = 15           # percent, as the field shows it
    >>> calc.net_gain                              # doctest: +SKIP
    74750.0
    """

    def __init__(self, scenario=DEFAULT, *, charts: bool = True):
        self.draw_charts = charts
        self.result = None
        self.timings: dict[str, float] = {}
        f = self._field
        self.own = {
            "collections": f("Annual collections", 500000, "money", low_open=True,
                             slider=(50_000, 3_000_000, 1_000),
                             help="What the practice collects today, per year"),
            "claims_per_month": f("Claims per month", 400, "number", slider=(0, 5_000, 10)),
            "inhouse_total": f("In-house cost a year", 40000, "money", slider=(0, 300_000, 500),
                               help="Everything billing in-house costs a year"),
            "staff_fte": f("Billing staff (FTE)", 1.0, "number", low_open=True,
                           slider=(0.1, 10, 0.1)),
            "staff_salary": f("Average salary", 45000, "money", slider=(20_000, 120_000, 500)),
            "other_costs": f("Other costs a year", 0, "money", slider=(0, 100_000, 500),
                             help="Software, clearinghouse, training, office space"),
            "ramp_days": f("Days to full uplift", 90, "number", slider=(0, 180, 5)),
        }
        self.picker = w.Dropdown(description="Practice", options=ses.example_choices(),
                                 layout=w.Layout(width="520px"))
        self.vendor = w.Dropdown(description="Quote", layout=w.Layout(width="520px"))
        self.inhouse_mode = w.ToggleButtons(options=["Total", "Staff"], description="In-house",
                                            style={"button_width": "80px"})
        self.session = ses.Session(compute=False)
        self.session.listen(lambda _s, _reload: self._changed(None))
        # the owner app's quote form: the quote's pricing and uplift (with its range)
        self.editor = QuoteEditor(self.session, sections=("pricing", "uplift"),
                                  on_invalid=self.update)
        self.problems = w.HTML("")
        self.headline = w.HTML("")
        self.details = w.HTML("")
        self.figures_box = w.VBox([self.headline, self.details])
        self.charts = ChartPainter(calculator_charts, CHART_NAMES, self.problems)
        self.widget = self._layout()
        self.picker.observe(self._on_pick, "value")
        self.vendor.observe(self._on_vendor, "value")
        self.inhouse_mode.observe(self._on_mode, "value")
        self.load(ses.default_example() if scenario is DEFAULT else scenario)

    # -- building ----------------------------------------------------------------------

    data = property(lambda self: self.session.data,
                    lambda self, value: setattr(self.session, "data", value))

    @property
    def fields(self) -> dict:
        """Every number field by key: the calculator's own and the quote editor's."""
        return {**self.own, **self.editor.fields}

    @property
    def pricing(self):
        """The quote editor's pricing model picker."""
        return self.editor.model

    def _field(self, label, value, unit="number", **kw):
        kw.setdefault("low", 0.0)
        return NumberField(label, value, unit=unit, on_change=self._changed, **kw)

    def _layout(self) -> w.Widget:
        fl = self.fields
        title = w.HTML(STYLE + "<div class='rcm-app'><div class='rcm-title'>Should we outsource "
                       "our billing?</div><div class='rcm-subtitle'>Move a slider or type a "
                       "figure: the net gain and the charts follow.</div></div>")
        section = lambda text: w.HTML(f"<div class='rcm-section'>{html.escape(text)}</div>")
        controls = w.VBox([
            section("The practice"), fl["collections"].box, fl["claims_per_month"].box,
            section("Billing in-house today"), self.inhouse_mode, fl["inhouse_total"].box,
            fl["staff_fte"].box, fl["staff_salary"].box, fl["other_costs"].box,
            section("The vendor's quote"), self.editor.widget, fl["ramp_days"].box,
            self.problems,
        ], layout=w.Layout(width="540px", margin="0 24px 0 0"))
        results = w.VBox([self.figures_box, self.charts.view], layout=w.Layout(width="640px"))
        body = w.HBox([controls, results], layout=w.Layout(flex_flow="row wrap"))
        box = w.VBox([title, self.picker, self.vendor, body])
        box.add_class("rcm-calculator")
        return box

    # -- loading -----------------------------------------------------------------------

    def load(self, source) -> None:
        """Start over from a scenario (path, Scenario, mapping) or blank (None)."""
        try:
            self.data, self.file = ses.load(source)
        except RcmInputError as exc:
            self._show_problems(exc)
            return
        with self._hold():
            paths = [p for _, p in self.picker.options]
            src = str(source) if source is not None else None
            if src in paths and self.picker.value != src:
                self.picker.value = src
            names = [v["name"] for v in self.data["vendors"]]
            self.vendor.options = names
            self.vendor.value = names[0]
            c = ses.central
            p, h = self.data["practice"], self.data["inhouse"]
            self.fields["collections"].set_quietly(c(p["annual_collections"]))
            self.fields["claims_per_month"].set_quietly(c(p.get("claims_per_month", 0.0)))
            staff = h.get("staff") or []
            if staff:
                fte = sum(c(s["fte"]) for s in staff)
                self.fields["staff_fte"].set_quietly(fte)
                self.fields["staff_salary"].set_quietly(
                    sum(c(s["fte"]) * c(s["salary"]) for s in staff) / fte)
                self.fields["other_costs"].set_quietly(
                    sum(c(x) for x in (h.get("costs") or {}).values()))
            else:
                self.fields["inhouse_total"].set_quietly(c(h.get("annual_cost", 0.0)))
            self.inhouse_mode.value = "Staff" if staff else "Total"
            self.fields["ramp_days"].set_quietly(
                c(self.data.get("timeline", {}).get("ramp_days", 90.0)))
            # what each field showed as loaded: a field left alone keeps what the file
            # said (a range stays a range)
            self._loaded = {k: self.fields[k].value for k in OWN}
            self._loaded_mode = self.inhouse_mode.value
            self._load_vendor(0)
        self.update()

    def _load_vendor(self, i: int) -> None:
        self.session.selected = self.data["vendors"][i]["name"]
        with self._hold():
            self.editor.show(i)
        self._show_fields()

    def _show_fields(self) -> None:
        staff = self.inhouse_mode.value == "Staff"
        fl = self.fields
        fl["inhouse_total"].show(not staff)
        for key in ("staff_fte", "staff_salary", "other_costs"):
            fl[key].show(staff)

    # -- events ------------------------------------------------------------------------

    def _on_pick(self, change) -> None:
        if not self._holding:
            self.load(change["new"])

    def _on_vendor(self, change) -> None:
        if self._holding or change["new"] is None:
            return
        self._load_vendor([v["name"] for v in self.data["vendors"]].index(change["new"]))
        self.update()

    def _on_mode(self, change) -> None:
        if self._holding:
            return
        if change["new"] == "Total" and self.result is not None:
            # Switching to a total keeps the figure the staff fields added up to.
            self.fields["inhouse_total"].set_quietly(round(self.result.inhouse_tco, 2))
        self._show_fields()
        self.update()

    def _changed(self, field) -> None:
        if not self._holding:
            self.update()

    # -- computing ---------------------------------------------------------------------

    @property
    def vendor_index(self) -> int:
        return [v["name"] for v in self.data["vendors"]].index(self.vendor.value)

    def scenario_data(self) -> dict:
        """The scenario mapping the fields describe (what is evaluated)."""
        fl = {k: f.value for k, f in self.fields.items()}
        data = copy.deepcopy(self.data)
        edited = {k for k in OWN if fl[k] != self._loaded.get(k)}
        p = data["practice"]
        for key, place in (("collections", "annual_collections"),
                           ("claims_per_month", "claims_per_month")):
            if key in edited:
                p[place] = fl[key]
        h = data["inhouse"]
        kept = {k: h[k] for k in ("residual_after_outsourcing",) if k in h}
        mode = self.inhouse_mode.value
        inhouse_keys = {"Total": {"inhouse_total"},
                        "Staff": {"staff_fte", "staff_salary", "other_costs"}}[mode]
        if mode == self._loaded_mode and not edited & inhouse_keys:
            pass                                   # as loaded, ranges and all
        elif mode == "Total":
            data["inhouse"] = {"annual_cost": fl["inhouse_total"], **kept}
        else:
            kept.update({k: h[k] for k in ("payroll_tax_rate", "benefits_rate", "turnover")
                         if k in h})
            data["inhouse"] = {"staff": [{"role": "Billing staff", "fte": fl["staff_fte"],
                                          "salary": fl["staff_salary"]}],
                               "costs": {"other": fl["other_costs"]}, **kept}
        if "ramp_days" in edited:
            data.setdefault("timeline", {})["ramp_days"] = fl["ramp_days"]
        return data

    @property
    def net_gain(self) -> float | None:
        """The steady-state net gain of the selected quote, as shown."""
        if self.result is None:
            return None
        return float(self.result.vendors[self.vendor_index].figures.net_gain)

    def update(self) -> None:
        """Recompute and redraw; show what is wrong instead where an input is."""
        t0 = time.perf_counter()
        bad = [f.label for f in self.fields.values() if not f.valid]
        if bad:
            self._stale("Fix the entry marked in red; the figures are for the last valid "
                        "inputs.")
            return
        try:
            scenario = ses.validate(self.scenario_data(), self.file)
            result = evaluate(scenario)
        except RcmInputError as exc:
            self._stale(" ".join(ses.problems_text(exc)))
            return
        self.result = result
        self.problems.value = ""
        self.figures_box.remove_class("rcm-stale")
        self._show_figures()
        self.timings = {"figures_ms": 1e3 * (time.perf_counter() - t0)}
        if self.draw_charts:
            self.charts.request(self.result, self.vendor.value)
            self.timings["charts_ms"] = self.charts.ms
        self.timings["total_ms"] = 1e3 * (time.perf_counter() - t0)

    def _stale(self, message: str) -> None:
        self.problems.value = error_html(message)
        self.figures_box.add_class("rcm-stale")

    def _show_figures(self) -> None:
        r = self.result
        vr = r.vendors[self.vendor_index]
        f, b = vr.figures, vr.breakeven
        gain = float(f.net_gain)
        from ..vendors.decision import decide
        d = decide(r.scenario, evaluation=r)
        # no ineligible vendor is ever shown as paying (docs/methodology.md §6): the
        # decision says why
        tone = "rcm-good" if gain > 0 and d.eligible(vr.name) else "rcm-bad"
        if not d.eligible(vr.name):
            verdict = f"{vr.name} cannot be recommended: {reasons_text(d.reasons(vr.name))}."
        elif gain > 0:
            verdict = f"Outsourcing to {vr.name} pays."
        else:
            verdict = f"Outsourcing to {vr.name} does not pay: billing in-house is cheaper."
        verdict += f" Decision: {reason(d)}"
        self.headline.value = (
            f"<div class='rcm-app'>Net gain a year, steady state<br>"
            f"<span class='rcm-net-gain {tone}' data-value='{gain!r}'>{money(gain)}</span>"
            f"<div>{html.escape(verdict)}</div></div>")
        payback = int(f.payback_month)
        months = r.scenario.timeline.horizon_months
        rows = [
            ("Extra collections (uplift)", money(f.uplift_amount)),
            ("In-house cost saved", money(f.inhouse_savings)
             + (f" of {money(r.inhouse_tco)}" if r.inhouse_tco != r.inhouse_savings else "")),
            ("Vendor cost a year", money(f.vendor_cost)),
            ("One-time fees", money(f.one_time)),
            ("Return on the vendor's fees", pct(f.roi, 0)),
            (f"Net present value, {months} months", money(f.npv)),
            ("Pays back", f"month {payback}" if payback else f"not within {months} months"),
            ("Break-even uplift", pct(b["min_uplift"])),
            ("Highest fee rate that pays", pct(b["max_rate"], 2)),
        ]
        cells = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
                        for k, v in rows)
        self.details.value = f"<table class='rcm-figures'>{cells}</table>"



def calculator_charts(result, vendor_name: str) -> list:
    """The calculator's three charts: cost comparison, cumulative cash, break-even.

    Altair charts, in the order of :data:`CHART_NAMES`; the page draws them from their
    Vega-Lite specs.
    """
    return [charts.cost_comparison(result), charts.cumulative_cash(result),
            breakeven_chart(result, vendor_name)]
