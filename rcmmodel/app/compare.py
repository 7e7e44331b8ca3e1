"""Compare vendor quotes: edit a quote in place and see the ranking move.

The ranking, effective rates and SLA scorecard come from :func:`rcmmodel.vendors.ranking.compare`
(the same as ``rcm compare``); the charts from :mod:`rcmmodel.present.charts_vendors` and
:mod:`rcmmodel.present.charts`.
"""
from __future__ import annotations

import copy
import html
import tempfile
from pathlib import Path

import ipywidgets as w

from ..present import charts
from ..present import charts_vendors
from ..present.decision_text import reason
from ..present.flags_text import disqualified_text, flag_message
from ..describe import money, pct
from ..errors import RcmInputError
from ..vendors.ranking import CRITERIA, DEFAULT_WEIGHTS, compare
from .scorecard_view import ranking_html
from . import session as ses
from .quote_editor import QuoteEditor
from .controls import STYLE, ChartPainter, NumberField, Panel, error_html, note_html
from ..paths import example_scenarios

CRITERION_LABELS = {"financial": "Financial", "sla": "SLA", "due_diligence": "Due diligence",
                    "contract_risk": "Contract lock-in"}
DEFAULT = object()


def _default_scenario() -> str | None:
    found = example_scenarios()
    for name in ("family-practice-quotes.yaml", "orthopaedic-group.yaml"):
        if name in found:
            return str(found[name])
    return ses.default_example()


CHART_NAMES = ("scores", "rates", "sla", "cash")


def compare_charts(comparison) -> list:
    """Ranking scores, effective rates, SLA scorecard and cumulative cash (altair)."""
    return [charts_vendors.ranking_scores(comparison), charts_vendors.effective_rates(comparison),
            charts_vendors.sla_scorecard(comparison),
            charts.cumulative_cash(comparison.evaluation)]


def start_weights(data: dict) -> dict:
    """The four built-in weights the sliders start from: the file's own, or its preset's
    as the ranking uses them (scaled beside the practice's own criteria, so the sliders rank
    as the file does)."""
    from pydantic import ValidationError

    from ..scenario.schema import Ranking
    try:
        return Ranking.model_validate(data.get("ranking") or {}).effective_weights
    except ValidationError:            # the file's problems are shown when it is compared
        return (data.get("ranking") or {}).get("weights") or {}


class CompareQuotes(Panel):
    """Ranking of a scenario's quotes with one quote editable in place.

    Parameters
    ----------
    scenario : path, Scenario, mapping or None
        By default the example practice with five quotes from a spreadsheet.
    charts : bool
        Draw the charts.
    """

    def __init__(self, scenario=DEFAULT, *, charts: bool = True):
        self.draw_charts = charts
        self.comparison = None
        self.session = ses.Session(compute=False)
        self.session.listen(lambda _s, _reload: self._changed(None))
        # the owner app's quote form, with the sections a comparison turns on
        self.editor = QuoteEditor(self.session, sections=("pricing", "fees", "uplift",
                                                          "contract"),
                                  on_invalid=self.update)
        self.weights = {c: NumberField(CRITERION_LABELS[c], 0.25, low=0, slider=(0, 1, 0.05),
                                       on_change=self._changed) for c in CRITERIA}
        self.picker = w.Dropdown(description="Practice", options=ses.example_choices()[1:],
                                 layout=w.Layout(width="520px"))
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False,
                                   description="Quotes sheet")
        self.vendor = w.Dropdown(description="Edit quote", layout=w.Layout(width="420px"))
        self.problems = w.HTML("")
        self.top = w.HTML("")
        self.table = w.HTML("")
        self.notes = w.HTML("")
        self.charts = ChartPainter(compare_charts, CHART_NAMES, self.problems)
        self.widget = self._layout()
        self.picker.observe(lambda c: None if self._holding else self.load(c["new"]), "value")
        self.upload.observe(self._on_upload, "value")
        self.vendor.observe(self._on_vendor, "value")
        self.load(_default_scenario() if scenario is DEFAULT else scenario)

    data = property(lambda self: self.session.data,
                    lambda self, value: setattr(self.session, "data", value))

    @property
    def fields(self) -> dict:
        """The quote editor's number fields by key (``fields["rate"]``)."""
        return self.editor.fields

    @property
    def pricing(self):
        """The editor's pricing model picker."""
        return self.editor.model

    def _layout(self) -> w.Widget:
        title = w.HTML(STYLE + "<div class='rcm-app'><div class='rcm-title'>Compare vendor "
                       "quotes</div><div class='rcm-subtitle'>Change a quote's terms and see "
                       "the ranking, effective rates and SLA scorecard follow.</div></div>")
        sec = lambda t: w.HTML(f"<div class='rcm-section'>{html.escape(t)}</div>")
        edit = w.VBox([sec("Edit a quote"), self.vendor, self.editor.widget]
                      + [sec("What matters to you (weights)")]
                      + [f.box for f in self.weights.values()] + [self.problems],
                      layout=w.Layout(width="540px", margin="0 24px 0 0"))
        chart_col = w.VBox([self.charts.view], layout=w.Layout(width="660px"))
        box = w.VBox([title, w.HBox([self.picker, self.upload]), self.top, self.table,
                      w.HBox([edit, chart_col], layout=w.Layout(flex_flow="row wrap")),
                      self.notes])
        box.add_class("rcm-compare")
        return box

    # -- loading -----------------------------------------------------------------------

    def load(self, source) -> None:
        """Start from a scenario (path, Scenario or mapping)."""
        try:
            self.data, self.file = ses.load(source)
        except RcmInputError as exc:
            self._show_problems(exc)
            return
        with self._hold():
            src = str(source) if source is not None else None
            if src in [p for _, p in self.picker.options] and self.picker.value != src:
                self.picker.value = src
            weights = start_weights(self.data)
            for c, field in self.weights.items():
                field.set_quietly(weights.get(c, DEFAULT_WEIGHTS[c]))
            self._vendor_options(0)
        self.update()

    def load_quotes(self, path) -> None:
        """Replace the quotes with those of a sheet (CSV or Excel, see rcmmodel.scenario.quotes)."""
        from ..scenario.quotes import read_quotes

        vendors = read_quotes(path, practice=self.data["practice"])
        self.data["vendors"] = [ses.as_file_values(v.model_dump(exclude_defaults=True,
                                                           exclude_none=True))
                                for v in vendors]
        with self._hold():
            self._vendor_options(0)
        self.update()

    def _vendor_options(self, i: int) -> None:
        names = [v["name"] for v in self.data["vendors"]]
        self.vendor.options = names
        self.vendor.value = names[i]
        self._load_vendor(i)

    def _load_vendor(self, i: int) -> None:
        self.session.selected = self.data["vendors"][i]["name"]
        with self._hold():
            self.editor.show(i)

    # -- events ------------------------------------------------------------------------

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        item = files[0]
        suffix = Path(item["name"]).suffix.lower() or ".csv"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"quotes{suffix}"
            path.write_bytes(bytes(item["content"]))
            try:
                self.load_quotes(path)
            except RcmInputError as exc:
                msgs = [t.replace(str(path), item["name"]) for t in ses.problems_text(exc)]
                self.problems.value = "".join(error_html(t) for t in msgs)

    def _on_vendor(self, change) -> None:
        if not self._holding and change["new"] is not None:
            self._load_vendor([v["name"] for v in self.data["vendors"]].index(change["new"]))
            self.update()

    def _changed(self, field) -> None:
        if not self._holding:
            self.update()

    # -- computing ---------------------------------------------------------------------

    def scenario_data(self) -> dict:
        """The scenario mapping with the edited quote (what is compared)."""
        data = copy.deepcopy(self.data)        # the quote's edits are in it already
        ranking = data.setdefault("ranking", {})
        ranking.pop("priority", None)          # the sliders are her own weights now
        ranking["weights"] = {c: f.value for c, f in self.weights.items()}
        return data

    def update(self) -> None:
        """Re-rank and redraw; show what is wrong instead where an input is."""
        if any(not f.valid for f in [*self.fields.values(), *self.weights.values()]):
            self.problems.value = error_html("Fix the entry marked in red; the ranking is for "
                                             "the last valid inputs.")
            return
        try:
            comparison = compare(ses.validate(self.scenario_data(), self.file))
        except RcmInputError as exc:
            self._show_problems(exc)
            return
        self.comparison = comparison
        self.problems.value = ""
        self._show_table()
        if self.draw_charts:
            self.charts.request(comparison)

    def _show_table(self) -> None:
        from ..vendors.decision import decide

        c = self.comparison
        d = decide(c.scenario, comparison=c)      # the one decision every surface states
        if d.recommended is None:
            self.top.value = note_html(reason(d))
        else:
            top = c.vendor(d.recommended)
            self.top.value = (f"<div class='rcm-app'>Top choice: <b class='rcm-top-choice'>"
                              f"{html.escape(top.name)}</b>, net gain <span class='rcm-good'>"
                              f"{money(top.net_gain)}</span> a year, score "
                              f"{c.score_of(top.name)['total']:.1f} of 100"
                              f"<div>{html.escape(reason(d))}</div></div>")
        rows, notes = [], []
        for a in c.ranked:
            rank = c.rank_of(a.name)
            s = c.score_of(a.name)
            rows.append([str(rank) if rank else "out", a.name, a.cost.pricing,
                         pct(a.cost.effective_rate, 2), money(a.cost.all_in_annual),
                         money(a.net_gain), money(a.npv),
                         "—" if not a.eligible else f"{s['total']:.1f}"])
            if a.disqualified:
                notes.append(f"<b>{html.escape(a.name)}</b>: "
                             f"{html.escape(disqualified_text(a.disqualified))}")
            notes += [f"<b>{html.escape(a.name)}</b>: {html.escape(flag_message(f))}"
                      for f in a.flags if f.code != "no_baa"]
        head = ["#", "Vendor", "Pricing", "Effective rate", "All-in a year", "Net gain", "NPV",
                "Score"]
        cells = "".join("<tr>" + "".join(f"<td>{html.escape(x)}</td>" for x in r) + "</tr>"
                        for r in rows)
        self.table.value = ("<table class='rcm-table rcm-ranking'><tr>"
                            + "".join(f"<th>{h}</th>" for h in head) + f"</tr>{cells}</table>"
                            + ranking_html(c))      # criterion by criterion, hers included
        self.notes.value = ("<div class='rcm-section'>What to notice in each quote</div>"
                            "<ul class='rcm-notes'>" + "".join(f"<li>{n}</li>" for n in notes)
                            + "</ul>" if notes else "")
