"""Step 3, "Decision": the decision (docs/methodology.md §6), its reason, how sure it is and what moves it.

Everything here is the library's: :func:`rcmmodel.vendors.decision.decide` names the
recommended vendor (never one that refuses a Business Associate Agreement) and gives the
reason in one sentence and the net-gain range; :func:`rcmmodel.risk.simulate` the chance
outsourcing pays; :func:`rcmmodel.risk.tornado` what moves it. The reports say the same.
"""
from __future__ import annotations

import html
import time

import ipywidgets as w

from ..describe import money, pct
from ..present import charts, charts_risk, charts_vendors
from ..present.decision_text import PRESET_WORDS, reason, weights_text, whose_weights
from ..present.flags_text import disqualified_text
from ..present.labels import APP_RESULTS
from ..present.verdict import breakeven_head, breakeven_words
from .alternatives_view import alternatives_summary
from .controls import ChartPainter, note_html
from .stale import blank_line

DRAWS = 2000
SEED = 12345
# The practice's priorities (scenario.schema.PRIORITIES), as she picks them; "own" keeps the
# weights her file sets.
PRIORITY_CHOICES = [("Not set: the balanced default", "default")] + [
    (words.capitalize(), key) for key, words in PRESET_WORDS.items()]
OWN = ("My own weights (from my file)", "own")
CHART_NAMES = ("tornado", "timeline", "sla")


def _line(key: str) -> str:
    return f"<div class='rcm-help'>{html.escape(APP_RESULTS[key])}</div>"


def decision_charts(result, vendor, tornado_frame) -> list:
    """Tornado for ``vendor`` (inputs named in words), cumulative cash of every quote, SLA
    scorecard (altair)."""
    tornado = (charts_risk.tornado_chart(tornado_frame, result.scenario, top=8)
               if tornado_frame is not None and len(tornado_frame) else None)
    return [tornado, charts.cumulative_cash(result.evaluation, result.decision.recommended),
            charts_vendors.sla_scorecard(result.comparison)]


def charts_of(result, vendor) -> list:
    """:func:`decision_charts` with ``vendor``'s tornado, computed here so a failure of
    the sensitivity is reported on the page like any chart's
    (:class:`~rcmmodel.app.controls.ChartPainter`). A vendor without uncertain inputs has
    a tornado too: it moves the inputs by their default swings."""
    from ..risk import tornado

    return decision_charts(result, vendor, tornado(result.scenario, vendor=vendor))


def _ranges(x) -> bool:
    """Whether she gave any figure as a range (``{dist: ...}``)."""
    if isinstance(x, dict):
        return "dist" in x or any(_ranges(v) for v in x.values())
    if isinstance(x, list):
        return any(_ranges(v) for v in x)
    return False


class DecisionStep:
    """The decision, redrawn on each change of the shared scenario."""

    def __init__(self, session):
        self.session = session
        self.active = False
        self.verdict = w.HTML("")
        self.range = w.HTML("")
        self.risk = w.HTML("")
        self.table = w.HTML("")
        self.problems = w.HTML("")
        self.charts = ChartPainter(charts_of, CHART_NAMES, self.problems,
                                   notes=[APP_RESULTS[name] for name in CHART_NAMES])
        self.simulation = None
        self.timings: dict[str, float] = {}
        self._drawn = None
        self._loading = False
        self.priority = w.Dropdown(description="Your priorities", options=PRIORITY_CHOICES,
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="100%", max_width="460px"))
        self.priority.observe(self._on_priority, "value")
        self.weights = w.HTML("")
        self.widget = w.VBox([self.verdict, self.priority, self.weights, self.range, self.risk,
                              self.table, self.problems, self.charts.view],
                             layout=w.Layout(width="100%"))
        self.widget.add_class("rcm-step-decision")
        at = self.widget.children.index(self.table) + 1     # in-house alternatives: after the
        self.widget.children = (*self.widget.children[:at], alternatives_summary(session),
                                *self.widget.children[at:])      # quotes' table
        session.listen(lambda s, reload: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        t0 = time.perf_counter()
        r = self.session.result
        if r is None or self.session.left_out:
            why = (blank_line(self.session.left_out) if self.session.left_out else
                   self.session.blocked or "Nothing to decide yet.")
            self.verdict.value = (f"<div class='rcm-banner rcm-warnings rcm-stale-why' "
                                  f"role='status'>{html.escape(why)}</div>")
            for part in (self.range, self.risk, self.weights):
                part.value = ""
            self.table.value = "" if r is None else self._table_html(r)
            self.charts.clear()
            self._drawn = None
            return
        d = r.decision
        focus = d.recommended or d.financial_best or self.session.selected
        self._verdict(d)
        self._priorities(d)
        self._range(d, focus)
        self._risk(r, focus)
        self._table(r)
        from .scorecard_view import ranking_html     # every criterion, the practice's own too
        self.table.value += ranking_html(r.comparison)
        self.timings["figures_ms"] = 1e3 * (time.perf_counter() - t0)
        if self.active:
            self.draw()

    def draw(self) -> None:
        """Charts, only while the step is on screen (the kernel has other work)."""
        r = self.session.result
        if r is None or self.session.left_out:
            return
        d = r.decision
        focus = d.recommended or d.financial_best or self.session.selected
        key = (id(r), focus)
        if key == self._drawn:
            return
        t0 = time.perf_counter()
        self.charts.request(r, focus)
        self._drawn = key
        self.timings["charts_ms"] = 1e3 * (time.perf_counter() - t0)

    def _verdict(self, d) -> None:
        who = d.recommended or "in-house"
        if d.verdict == "outsource":
            head = (f"Outsource your billing to <span class='rcm-recommendation' "
                    f"data-vendor='{html.escape(who)}'>{html.escape(who)}</span>")
            tone = "rcm-verdict-go"
        elif d.verdict == "improve":      # an in-house alternative gains more than any quote
            head = ("Improve your billing <span class='rcm-recommendation' "
                    "data-vendor='in-house'>in-house</span>")
            tone = "rcm-verdict-go"
        else:
            head = ("Keep billing <span class='rcm-recommendation' data-vendor='in-house'>"
                    "in-house</span>")
            tone = "rcm-verdict-stay"
        banners = "".join(
            f"<div class='rcm-banner rcm-ineligible' role='alert'><b>{html.escape(e['vendor'])}"
            f" cannot be recommended.</b> "
            f"{html.escape(' '.join(disqualified_text(r) for r in e['reasons']))}</div>"
            for e in d.excluded)
        self.verdict.value = (f"<div class='rcm-verdict {tone}'><div class='rcm-verdict-head'>"
                              f"{head}</div><div class='rcm-reason'>{html.escape(reason(d))}"
                              f"</div></div>{banners}")

    def _priorities(self, d) -> None:
        """Her priorities: which preset (or her own weights), and what they weigh."""
        ranking = self.session.data.get("ranking") or {}
        own = "weights" in ranking
        self._loading = True
        try:
            self.priority.options = PRIORITY_CHOICES + ([OWN] if own else [])
            self.priority.value = ("own" if own else ranking.get("priority") or "default")
        finally:
            self._loading = False
        self.weights.value = (f"<div class='rcm-help'>Weights: {html.escape(weights_text(d))}"
                              f" ({html.escape(whose_weights(d))}). Money first counts net "
                              "gain most; low risk counts service levels, due diligence and "
                              "an easy exit as much as the money.</div>")

    def _on_priority(self, change) -> None:
        if self._loading or change["new"] == "own":
            return
        ranking = self.session.data.setdefault("ranking", {})
        ranking.pop("weights", None)
        if change["new"] == "default":
            ranking.pop("priority", None)
        else:
            ranking["priority"] = change["new"]
        if not ranking:
            self.session.data.pop("ranking", None)
        self.session.changed()

    def _range(self, d, focus) -> None:
        rg = d.ranges.get(focus) if focus else None
        if not rg:
            self.range.value = ""
            return
        cases = [("at the uplift quoted, {}", rg["net_gain_quoted"], rg["uplift_quoted"])]
        if rg.get("capped"):
            cases.append(("at {}, the most your claims show being lost (what the decision "
                          "plans on)", rg["net_gain_plan"], rg["uplift_plan"]))
        if rg.get("sla_stated"):
            cases.append(("at {}, the uplift its promised collection rate implies",
                          rg["net_gain_sla"], rg["uplift_sla"]))
        cases.append(("with no uplift at all", rg["net_gain_zero"], 0.0))
        gains = [c[1] for c in cases if c[1] is not None]
        rows = "".join(f"<tr><td>{html.escape(label.format(pct(u)))}</td>"
                       f"<td class='{'rcm-good' if (g or 0) > 0 else 'rcm-bad'}'>{money(g)}</td>"
                       f"</tr>" for label, g, u in cases)
        be = rg.get("breakeven_uplift")
        said = breakeven_words(be)         # a negative uplift reads oddly: said in words
        be_text = (f"<b>Break-even uplift: {breakeven_head(be)}.</b> "
                   f"{html.escape(said[0].upper() + said[1:])}.")
        self.range.value = (
            f"<h3 class='rcm-section'>{html.escape(focus)}: net gain a year, "
            f"{money(min(gains))} to {money(max(gains))}</h3>{_line('range')}"
            f"<div class='rcm-scroll'><table class='rcm-table rcm-range'>{rows}</table></div>"
            f"<div>{be_text}</div>{_line('breakeven')}")

    def _risk(self, r, focus) -> None:
        from ..risk import simulate

        if focus is None:
            self.risk.value = ""
            return
        sim = simulate(r.scenario, draws=DRAWS, seed=SEED, progress=False)
        self.simulation = sim
        v = sim.vendor(focus)
        p = v.percentiles("net_gain")
        uncertain = bool(sim.to_dict().get("uncertain"))
        if v.prob_positive is None:     # it cannot be chosen: never said to pay
            self.risk.value = ""
            return
        if not uncertain or not _ranges(self.session.data):
            # No range of hers: the odds only take a single uplift as anywhere between
            # nothing and the promise (docs/methodology.md §8): said plainly, no big figure.
            self.risk.value = (
                "<h3 class='rcm-section'>How sure is this?</h3><div class='rcm-no-odds'>"
                "You gave no ranges, so there is no real chance to work out. Taking the "
                f"uplift as anywhere between nothing and the {html.escape(focus)} quote, it "
                f"pays in {v.prob_positive * 100:.0f}% of simulated futures. Give the uplift "
                "a lowest and a highest under Quotes to see how likely outsourcing pays."
                "</div>")
            return
        said = (f"In 9 futures out of 10 the net gain a year is between {money(p['p05'])} "
                f"and {money(p['p95'])}.")
        self.risk.value = (
            f"<h3 class='rcm-section'>Chance outsourcing to {html.escape(focus)} pays: "
            f"<span class='rcm-chance'>{v.prob_positive * 100:.0f}%</span></h3>"
            f"{_line('chance')}<div>{html.escape(said)} The decision recommends it in "
            f"{v.prob_recommended * 100:.0f}% of simulated futures.</div>")

    def _table(self, r) -> None:
        self.table.value = self._table_html(r)

    def _table_html(self, r) -> str:
        """Every quote: what it costs (fees a year, effective rate, one-time fees, the
        arithmetic in words) beside its net gain, NPV, payback, score and verdict; on a
        phone one card per quote."""
        from .costs import inhouse_html, quote_costs, stacked

        d = r.decision
        rows, lines = [], []
        complete = not self.session.left_out
        for v in self.session.data.get("vendors") or []:
            name = v.get("name")
            c = quote_costs(self.session, name)
            if c is None:
                why = self.session.left_out.get(name, "")
                rows.append([f"{html.escape(name)}", "&mdash;", "", "", "", "", "", "", "",
                             "<span class='rcm-stale-why'>blank until fixed</span>"])
                lines.append(html.escape(why))
                continue
            res = self.session.vendor_result(name)
            f = res.planning          # as the decision plans it (the quote, or capped)
            ok = d.eligible(name)
            status = ("excluded" if not ok else "" if not complete else
                      "recommended" if name == d.recommended else
                      "pays" if f.net_gain > 0 else "does not pay")
            cls = {"recommended": "rcm-good", "excluded": "rcm-bad",
                   "does not pay": "rcm-bad"}.get(status, "")
            payback = f"month {int(f.payback_month)}" if f.payback_month else "not within"
            score = d.scores.get(name) if hasattr(d, "scores") and complete else None
            shown = html.escape(name) + (" <span class='rcm-bad rcm-tag'>(excluded)</span>"
                                         if not ok else "")
            rows.append([shown, money(c["net_gain"]), money(c["fee"]), pct(c["rate"]),
                         money(c["one_time"]) if c["one_time"] else "none",
                         pct(res.cost_to_collect), money(f.npv),
                         payback, "" if score is None or not ok else f"{score:.0f}",
                         f"<span class='{cls}'>{status}</span>"])
            lines.append(html.escape(c["yearly_words"]) + (
                f"; once: {html.escape(c['once_words'])}" if c["once_words"] else ""))
        planned = " (planned)" if r.evaluation.uplift_basis == "claims" else ""
        head = ["Quote", f"Net gain a year{planned}", "Fees a year", "Effective rate",
                "One-time fees", "Cost to collect", "NPV", "Pays back", "Score", "Verdict"]
        return ("<h3 class='rcm-section'>All quotes: what each costs and gains</h3>"
                + stacked(head, rows, "rcm-quotes-table", lines) + _line("npv")
                + "<div class='rcm-help'>Fees a year: the vendor's fee on the collections "
                "it brings plus recurring extras. Effective rate: that and the one-time fees "
                "spread over the contract, as a share of collections. Cost to collect: what "
                "billing costs per dollar collected (the vendor and what stays in-house, at "
                "the planning uplift); in-house today "
                f"{pct(r.evaluation.inhouse_cost_to_collect)}.</div>"
                + inhouse_html(r))
