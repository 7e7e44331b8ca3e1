"""The practice owner's app: four steps over one shared scenario, one headline above them.

>>> app = OwnerApp()                    # doctest: +SKIP  (a notebook cell shows it)
>>> app.session.data["practice"]        # doctest: +SKIP
{}

The headline follows every change on every step. It leads with the library's decision
(``.rcm-recommendation``: the vendor recommended, or "in-house" where fixing billing
in-house or staying wins; its planning net gain; where the practice's claims cap it; why),
then the quote she is looking at, labelled so, with its steady-state net gain in
``.rcm-net-gain``. The Decision step says the decision again in full.
"""
from __future__ import annotations

import html
import time

import ipywidgets as w

from ..describe import money
from ..paths import example_name, example_scenarios
from ..present.decision_text import reason
from ..present.labels import APP_RESULTS
from ..present.verdict import pick, planned_line
from ..present.warnings_text import warning_text
from .audit_step import AuditStep
from .controls import STYLE
from .costs import CARD_CSS
from .decide_view import DecisionStep
from .practice import PracticeStep
from .quotes import QuotesStep
from .report_maker import ReportMaker
from .session import Session, open_scenario
from .stale import blank_line
from .takehome import TakeHomeStep

# Short enough for four tabs side by side on a phone.
TITLES = ("1. Practice", "2. Quotes", "3. Decision", "4. Take home", "5. Your vendor")

APP_STYLE = """<style>""" + CARD_CSS + """
.rcm-app-root {font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
               max-width: 1100px; box-sizing: border-box; overflow-x: hidden;}
.rcm-app-root * {box-sizing: border-box;}
.rcm-app-root .widget-hbox, .rcm-app-root .widget-vbox {max-width: 100%;}
.rcm-app-root .widget-hbox {flex-wrap: wrap;}
.rcm-app-root .widget-html, .rcm-app-root .widget-html-content {max-width: 100%;}
.rcm-app-root .widget-dropdown {flex-wrap: wrap; max-width: 100%;}
.rcm-app-root .widget-dropdown > label {flex: 1 0 100%; text-align: left; font-weight: 500;}
.rcm-app-root .widget-dropdown > select {max-width: 100%;}
.rcm-app-root .widget-toggle-buttons {flex-wrap: wrap;}
.rcm-app-root .widget-toggle-buttons > label {flex: 1 0 100%; text-align: left;
                                              font-weight: 500;}
.rcm-app-root .widget-text > input {font-size: 1em; min-height: 30px;}
.rcm-app-root .widget-text, .rcm-app-root .widget-dropdown,
.rcm-app-root .widget-toggle-buttons {height: auto; flex-wrap: wrap; margin-bottom: 4px;}
.rcm-app-root .widget-text > label {flex: 1 0 100%; text-align: left; font-weight: 500;
                                    color: #222; margin-bottom: 2px;}
.rcm-app-root .widget-text > input {max-width: 14em;}
.rcm-app-root .rcm-wide .widget-text > input, .rcm-app-root .rcm-wide > input
  {max-width: 100%;}
.rcm-app-root .widget-button {margin: 4px 8px 4px 0;}
.rcm-app-root .widget-tab > .lm-TabBar .lm-TabBar-tab {flex: 1 1 0 !important;
    min-width: 0 !important; max-width: 12em !important; font-size: 0.95em;
    padding: 0 6px !important;}
.rcm-app-root .lm-TabBar-tabLabel {white-space: normal; line-height: 1.2;}
/* the steps' box as wide as the app, not 2 px wider with its right border cut */
.rcm-app-root .widget-tab {margin-left: 0 !important; margin-right: 0 !important;}
.rcm-warnings {background: #fff8e1; border-left: 4px solid #f9a825; padding: 4px 10px; margin-top: 6px;}
.rcm-headline {border: 1px solid #dde3ea; background: #f7f9fb; border-radius: 6px;
               padding: 8px 12px; margin: 4px 0 10px; display: grid; gap: 8px 28px;
               grid-template-columns: repeat(auto-fit, minmax(min(100%, 320px), 1fr));}
.rcm-headline > div {min-width: 0;}
.rcm-kicker {font-size: 0.8em; font-weight: 600; letter-spacing: 0.04em; color: #555;
             text-transform: uppercase;}
.rcm-decision-head {font-size: 1.3em; font-weight: 600; line-height: 1.3;}
.rcm-decision-gain {font-size: 1.5em; font-weight: 700; font-variant-numeric: tabular-nums;}
.rcm-selected {border-left: 3px solid #dde3ea; padding-left: 14px;}
.rcm-headline .rcm-net-gain {font-size: 1.5em;}
.rcm-why summary {cursor: pointer; color: #1f5fa8; font-size: 0.9em;}
.rcm-summary {margin-top: 2px;}
.rcm-section {font-size: 1.05em; font-weight: 600; margin: 1em 0 0.2em; color: #222;}
.rcm-scroll {overflow-x: auto; max-width: 100%;}
.rcm-banner {border-radius: 4px; padding: 8px 12px; margin: 6px 0;}
.rcm-ineligible {background: #fdecea; border: 1px solid #c62828; color: #8e1b1b;}
.rcm-verdict {border-radius: 6px; padding: 10px 14px; margin: 6px 0;}
.rcm-verdict-go {background: #e8f5e9; border: 1px solid #2e7d32;}
.rcm-verdict-stay {background: #fff8e1; border: 1px solid #f9a825;}
.rcm-verdict-head {font-size: 1.35em; font-weight: 600;}
.rcm-reason {margin-top: 4px;}
.rcm-figures th {text-align: left; font-weight: normal; padding-right: 12px;}
.rcm-figures .rcm-line td {color: #555; font-size: 0.85em; padding-bottom: 4px;}
.rcm-chart-column, .rcm-charts {max-width: 100%; overflow-x: auto;}
.rcm-chart {max-width: 100%; overflow-x: auto;}
.rcm-app-root .widget-html-content {line-height: 1.45;}
.rcm-app-root .rcm-grid {display: grid !important; column-gap: 28px; align-items: start;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr));}
.rcm-app-root .rcm-grid > .widget-box, .rcm-app-root .rcm-grid > .widget-dropdown,
.rcm-app-root .rcm-grid > .widget-text {max-width: none !important; width: auto !important;}
table.rcm-range td:first-child {white-space: normal;}
@media (max-width: 600px) {
  .rcm-title {font-size: 1.3em;}
  .rcm-headline .rcm-net-gain, .rcm-decision-gain {font-size: 1.35em;}
  .rcm-decision-head {font-size: 1.15em;}
  .rcm-selected {border-left: none; padding-left: 0; border-top: 1px solid #dde3ea;
                 padding-top: 6px;}
  .jp-Cell, .jp-OutputArea-output, .jp-Notebook {padding: 0 !important; margin: 0 !important;}
  body.jp-Notebook {padding: 4px !important;}
  /* Voila's page is 8 px wider than a phone's screen: the same margin on both sides */
  .jp-LabShell > .lm-BoxPanel, .jp-LabShell > .lm-BoxPanel > .lm-BoxPanel-child
    {width: 100% !important; padding: 0 6px !important;}
  .rcm-chart svg {max-width: 100%; height: auto;}   /* drawn to fit (app/vega.py) */
  .rcm-app-root .widget-tab > .widget-tab-contents {padding: 6px;}
}
</style>"""


def example_list() -> list[tuple[str, str]]:
    """(label, path) of the example practices, by their names."""
    out = []
    for file, path in example_scenarios().items():
        out.append((str(example_name(path) or file), str(path)))
    seen = [label for label, _ in out]
    return [(f"{label} ({path.rsplit('/', 1)[-1]})" if seen.count(label) > 1 else label, path)
            for label, path in out]


class OwnerApp:
    """The whole app: ``Your practice``, ``Quotes``, ``Decision``, ``Take it home``.

    Parameters
    ----------
    scenario : path or None
        A scenario file to open at once (a notebook, a test); None starts empty.
    reports : ReportMaker, optional
        What makes its PDF reports (a test lends one a warm kernel); its own by default.
    """

    def __init__(self, scenario=None, reports: ReportMaker | None = None):
        self.session = Session()
        self.headline = w.HTML("")
        self.practice = PracticeStep(self.session, example_list())
        self._quotes = None
        # The quote form is a few hundred widget models; the page is ready sooner without
        # them, so they are made the first time Quotes opens.
        self.quotes_box = w.VBox([], layout=w.Layout(width="100%"))
        self._decision = None
        # ... and the decision's charts bring the Vega renderer (~900 KB of JavaScript).
        self.decision_box = w.VBox([], layout=w.Layout(width="100%"))
        # One report kernel for the app's reports (the decision's and the audit's).
        self.reports = reports if reports is not None else ReportMaker()
        self.takehome = TakeHomeStep(self.session, self.reports)
        self.audit = AuditStep(self.session, self.reports)
        self.tabs = w.Tab(children=[self.practice.widget, self.quotes_box,
                                    self.decision_box, self.takehome.widget,
                                    self.audit.widget],
                          layout=w.Layout(width="100%"))
        self.tabs.titles = TITLES
        self.tabs.observe(self._on_tab, "selected_index")
        title = w.HTML(STYLE + APP_STYLE + "<div class='rcm-title'>Should we outsource our "
                       "billing?</div><div class='rcm-subtitle'>Your practice, your quotes, "
                       "the decision, and a report to take home. Nothing you enter leaves "
                       "this computer.</div>")
        self.widget = w.VBox([title, self.headline, self.tabs], layout=w.Layout(width="100%"))
        self.widget.add_class("rcm-app-root")
        self.timings: dict[str, float] = {}
        self.session.listen(self._on_change)
        if scenario is not None:
            self.session.replace(open_scenario(scenario))
        else:
            self.session.changed(reload=True)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    @property
    def quotes(self) -> QuotesStep:
        """Step 2, made on first use."""
        if self._quotes is None:
            self._quotes = QuotesStep(self.session)
            self.quotes_box.children = [self._quotes.widget]
        return self._quotes

    @property
    def decision(self) -> DecisionStep:
        """Step 3, made on first use."""
        if self._decision is None:
            self._decision = DecisionStep(self.session)
            self.decision_box.children = [self._decision.widget]
        return self._decision

    def _on_tab(self, change) -> None:
        if change["new"] == 1:
            self.quotes  # noqa: B018 (makes the form)
        if change["new"] == 2:
            self.decision.active = True
            self.decision.draw()
            # The report begins while she reads the decision: "Take it home" then has
            # little or nothing left to make.
            self.takehome.shown()
        elif self._decision is not None:
            self._decision.active = False
        if change["new"] == 3:
            self.takehome.shown()
        self.audit.active = change["new"] == 4
        self.audit.refresh()

    def _on_change(self, session, reload) -> None:
        t0 = time.perf_counter()
        gain = session.net_gain
        r = session.result
        name = session.selected
        if r is None or gain is None:
            why = session.blocked
            if r is not None and name in session.left_out:
                why = (f"{name}'s figures are blank until this is fixed: "
                       f"{session.left_out[name]}")
            self.headline.value = (
                "<div class='rcm-headline'><div><div>Net gain a year from outsourcing</div>"
                "<div class='rcm-net-gain rcm-empty' data-value=''>&mdash;</div>"
                f"<div class='rcm-summary rcm-stale-why' role='status'>{html.escape(why)}"
                "</div></div></div>")
            return
        self.headline.value = (f"<div class='rcm-headline'>{decision_html(session)}"
                               f"{selected_html(session, gain)}</div>")
        self.timings = {"model_ms": session.ms,
                        "headline_ms": 1e3 * (time.perf_counter() - t0)}


def decision_html(session) -> str:
    """The headline's lead: the library's decision (``.rcm-recommendation``: the vendor, or
    "in-house" where the verdict is "improve" or "stay"), its planning net gain, where the
    practice's claims cap it, and why; or, while a quote is blank, what the decision waits
    for."""
    r = session.result
    if session.left_out:
        return ("<div class='rcm-decision rcm-decision-waits'><div class='rcm-kicker'>The "
                "decision</div><div class='rcm-summary rcm-stale-why' role='status'>"
                f"{html.escape(blank_line(session.left_out))}</div></div>")
    d = r.decision
    before, who, after = pick(d)
    head = (f"{html.escape(before)} <span class='rcm-recommendation' data-vendor="
            f"'{html.escape(who)}'>{html.escape(who)}</span>{html.escape(after)}")
    gain, cap = None, ""
    if d.verdict == "outsource":
        gain = d.gains[d.recommended]
        rg = d.ranges.get(d.recommended) or {}
        if rg.get("capped"):
            cap = planned_line(rg["uplift_plan"], rg["uplift_quoted"], rg["net_gain_quoted"])
    elif d.verdict == "improve":
        gain = d.alternative_gains[d.alternative]
        alt = next((a for a in r.evaluation.alternatives if a.name == d.alternative), None)
        if alt is not None and alt.planned.capped:
            cap = planned_line(alt.planned.uplift, alt.planned.quote)
    figure = ("" if gain is None else
              f"<div><span class='rcm-decision-gain {'rcm-good' if gain > 0 else 'rcm-bad'}'"
              f" data-value='{gain!r}'>{money(gain)}</span> a year, as the decision plans "
              "it, once up to speed</div>")
    why = html.escape(reason(d))
    said = (f"<div class='rcm-summary'>{why}</div>" if d.verdict == "stay" else
            f"<details class='rcm-why'><summary>Why</summary><div class='rcm-summary'>{why}"
            "</div></details>")
    return (f"<div class='rcm-decision' data-verdict='{html.escape(d.verdict)}'>"
            f"<div class='rcm-kicker'>The decision</div><div class='rcm-decision-head'>{head}"
            f"</div>{figure}{f'<div class=rcm-help>{html.escape(cap)}</div>' if cap else ''}"
            f"{said}</div>")


def selected_html(session, gain: float) -> str:
    """The quote she is looking at (``.rcm-net-gain``: its steady-state net gain as the
    decision plans it), labelled as that, with where it stands in the decision."""
    r = session.result
    d = r.decision
    name = session.selected
    ok = d.eligible(name)
    tone = "rcm-good" if gain > 0 and ok else "rcm-bad"
    stands = ("" if session.left_out else " (the one recommended)" if name == d.recommended
              else " (not recommended)" if ok else "")
    warn = ("" if ok else f" <b class='rcm-bad'>{html.escape(name)} cannot be "
            "recommended: it refuses a Business Associate Agreement.</b>")
    v = session.vendor_result()
    if (v is not None and v.planned is not None and v.planned.capped
            and (session.left_out or name != d.recommended)):   # else the decision says it
        line = planned_line(v.planned.uplift, v.planned.quote, float(v.figures.net_gain))
        warn += f"<div class='rcm-help'>{html.escape(line)}</div>"
    if getattr(r, "warnings", None):
        items = "".join(f"<li>{html.escape(warning_text(w))}</li>" for w in r.warnings)
        warn += (f"<div class='rcm-warnings' role='note'><b>Check these figures:</b>"
                 f"<ul>{items}</ul></div>")
    return (f"<div class='rcm-selected'><div>The quote you are looking at: "
            f"<b class='rcm-selected-name'>{html.escape(name)}</b>{stands}</div>"
            f"<div><span class='rcm-net-gain {tone}' data-value='{gain!r}'>{money(gain)}</span>"
            " net gain a year, once up to speed</div>"
            f"<div class='rcm-help'>{html.escape(APP_RESULTS['net_gain'])}</div>{warn}</div>")
