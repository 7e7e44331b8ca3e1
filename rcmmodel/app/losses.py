"""What her billing loses: shown on step 1 once claims are uploaded (a ledger, 835s, 837s)
or a scenario naming claims files is opened again.

Denials by reason (with dollars and whether they can be appealed) and by payer, A/R aging
by payer, underpayments where she uploads a fee schedule, the KPIs graded (not graded
under 30 claims), and the uplift her claims support beside each quote: the figures of
``rcm kpi`` and the claims review, from the same library call
(:func:`rcmmodel.claims.summarize`), as charts (:mod:`rcmmodel.present.charts_claims`) and
short tables. Only aggregates: no claim id, patient name or member ID reaches the page.
"""
from __future__ import annotations

import copy
import html

import ipywidgets as w

from ..describe import money, pct
from ..errors import RcmInputError
from ..present.labels import ACTION_LABELS, APP_RESULTS, CATEGORY_LABELS, EVIDENCE_LABELS
from ..present.review_text import basis_text, judgement_text, note_text
from .claims import kpi_table
from .controls import ChartPainter, error_html, note_html
from .costs import stacked
from .session import central
from .transfer import Upload

TOP = 8
CHART_NAMES = ("denials", "aging")


def _e(x) -> str:
    return html.escape(str(x))


def loss_charts(review: dict) -> list:
    """Denied dollars by category and open A/R by age (altair; None where empty)."""
    from ..present import charts_claims

    return [charts_claims.denials_by_category(review), charts_claims.aging_stack(review)]


class Claims:
    """The claims behind the panel: files she uploaded (read once) or the files her
    scenario names (:func:`rcmmodel.model.measure.measure_claims`), and a fee schedule."""

    def __init__(self, data=None, measured=None, label: str = "", review=None):
        self.data, self.measured, self.label = data, measured, label
        self.schedule = None
        self._plain = review          # the review without a fee schedule, when at hand

    def review(self) -> dict:
        from ..claims.review import summarize

        if self.schedule is None and self._plain is not None:
            return self._plain
        if self.measured is not None:
            return self.measured.review_as_of(fee_schedule=self.schedule)
        return summarize(self.data, fee_schedule=self.schedule)


def losses_html(review: dict, session) -> str:
    """The panel's tables and words for a claims review."""
    out = []
    notes = "".join(note_html(note_text(n)) for n in review["notes"])
    graded = review.get("graded")
    out.append(f"<div class='rcm-claims-summary'><b>{review['claims']:,}</b> claims, as of "
               f"{_e(review['as_of'] or 'n/a')}; {review['open_claims']:,} still open."
               f"</div>{notes}")
    out.append("<h3 class='rcm-section'>Your KPIs against the benchmarks</h3>"
               + ("" if graded else note_html(
                   "Not graded: fewer than 30 adjudicated claims; the figures are shown, "
                   "not judged.")) + kpi_table(review))
    d = review["denials"]
    c = d["claims"]
    out.append("<h3 class='rcm-section'>Denials: what they cost you</h3>"
               f"<div>{c['denied']:,} of {c['adjudicated']:,} claims denied "
               f"({pct(c['rate'])}), <b class='rcm-denied-dollars'>{money(c['dollars'])}</b>"
               ".</div>")
    if d["by_reason"]:
        rows = [[_e(f"{x['group']}-{x['code']}".strip("-") or "-"), _e(x["description"]),
                 f"{x['lines']:,}", money(x["dollars"]),
                 ("yes" if x["appealable"] else "no") + f": {_e(ACTION_LABELS[x['action']])}"]
                for x in d["by_reason"][:TOP]]
        out.append("<div class='rcm-sub'>By reason</div>" + stacked(
            ["Code", "Reason", "Lines", "Dollars", "Can it be appealed?"], rows,
            "rcm-denials-reason"))
    payers = [p for p in review["payers"] if p.get("denied_dollars")][:TOP]
    if payers:
        rows = [[_e(str(p["payer"])[:40]), f"{p['claims']:,}", pct(p["denial_rate"]),
                 money(p["denied_dollars"])] for p in payers]
        out.append("<div class='rcm-sub'>By payer</div>" + stacked(
            ["Payer", "Claims", "Denial rate", "Denied dollars"], rows, "rcm-denials-payer"))
    by_payer = review["aging_by_payer"][:TOP]
    if by_payer and any(p["total"] for p in by_payer):
        buckets = [a["bucket"] for a in review["aging"]]
        rows = [[_e(str(p["payer"])[:40])] + [money(p.get(b, 0.0)) for b in buckets]
                + [money(p["total"])] for p in by_payer]
        out.append("<h3 class='rcm-section'>Money still owed (A/R), by days since the "
                   "visit</h3>" + stacked(["Payer", *[f"{b} days" for b in buckets],
                                           "Total"], rows, "rcm-aging-payer"))
    under = review.get("underpayments")
    if under is not None:
        out.append("<h3 class='rcm-section'>Underpaid against your fee schedule</h3>"
                   f"<div>{under['lines']:,} paid lines were allowed less than the contract: "
                   f"<b class='rcm-underpaid'>{money(under['amount'])}</b> short "
                   f"({under['checked_lines']:,} lines checked, {under['unmatched_lines']:,} "
                   "with no contracted rate).</div>")
        if under["by_payer"]:
            out.append(stacked(["Payer", "Lines", "Short"],
                               [[_e(str(p["payer"])[:40]), f"{p['lines']:,}",
                                 money(p["amount"])] for p in under["by_payer"][:TOP]],
                               "rcm-underpaid-payer"))
    out.append(_evidence(review, session))
    return "".join(out)


def _evidence(review: dict, session) -> str:
    from ..claims.evidence import judge_quotes

    ev = review["evidence"]
    if ev["high"] is None:
        return note_html("No collections in these files to measure losses against.")
    rows = [[_e(EVIDENCE_LABELS.get(c["name"], c["name"])),
             f"{money(c['low_amount'])} to {money(c['high_amount'])}", _e(basis_text(c))]
            for c in ev["components"]]
    out = ("<h3 class='rcm-section'>What a billing service could win back</h3>"
           f"<div>Your claims show <b class='rcm-evidence'>{pct(ev['low'])} to "
           f"{pct(ev['high'])}</b> of collections being lost ({money(ev['low_amount'])} to "
           f"{money(ev['high_amount'])} over these files).</div>"
           + stacked(["What is lost", "Dollars", "How it is counted"], rows, "rcm-lost"))
    vendors = []
    for v in session.data.get("vendors") or []:
        try:
            vendors.append((v["name"], float(central(v.get("uplift", 0.0)))))
        except (KeyError, TypeError, ValueError):
            continue
    if vendors:
        rows = [[_e(j["vendor"]), pct(j["uplift"]), _e(judgement_text(j))]
                for j in judge_quotes(vendors, ev)]
        out += ("<div class='rcm-sub'>Each quote's uplift against what your claims "
                "support</div>" + stacked(["Quote", "Uplift quoted", "Against your claims"],
                                          rows, "rcm-judged"))
    return out


class LossesPanel:
    """Step 1's "What your billing loses", with the fee-schedule upload."""

    def __init__(self, session):
        self.session = session
        self.claims: Claims | None = None
        self.review: dict | None = None
        self.out = w.HTML("")
        self.out.add_class("rcm-losses")
        self.problems = w.HTML("")
        self.charts = ChartPainter(loss_charts, CHART_NAMES, self.problems,
                                   notes=[APP_RESULTS[f"{name}_chart"] for name in CHART_NAMES])
        self.fees = Upload(self._on_fees, label="Upload a fee schedule (CSV)", accept=".csv",
                           max_bytes=20 * 1024 * 1024)
        self.fees.add_class("rcm-upload-fees")
        line = w.HTML("<div class='rcm-help'>Optional: your contracted rates (columns payer, "
                      "procedure_code, modifier, allowed) to find what payers underpaid.</div>")
        self.fee_box = w.VBox([self.fees, line], layout=w.Layout(display="none"))
        self.widget = w.VBox([self.fee_box, self.problems, self.out, self.charts.view],
                             layout=w.Layout(width="100%"))
        session.listen(self._on_session)

    # -- where the claims come from ------------------------------------------------------

    def uploaded(self, data, label: str, review: dict | None = None) -> None:
        """Claims she uploaded (:func:`rcmmodel.claims.read_claims`'s data, and its review
        where it is already made)."""
        self.claims = Claims(data=data, label=label, review=review)
        self.show()

    def _on_session(self, session, reload) -> None:
        if reload:
            self.claims = self._from_scenario(session)
            self.show()
        elif self.review is not None:
            self.out.value = losses_html(self.review, session)   # quotes may have changed

    def _from_scenario(self, session) -> Claims | None:
        from ..model.measure import measure_claims
        from ..scenario import parse_scenario

        if not (session.data.get("practice") or {}).get("claims_files"):
            return None
        try:
            scenario = (session.result.scenario if session.result is not None else
                        parse_scenario(copy.deepcopy(session.data), None))
            measured = measure_claims(scenario)
        except RcmInputError as exc:
            self.problems.value = error_html("The claims files of this scenario cannot be "
                                             "read: " + "; ".join(str(p) for p in
                                                                  exc.problems))
            return None
        return Claims(measured=measured) if measured.has_claims else None

    # -- showing -------------------------------------------------------------------------

    def show(self) -> None:
        self.problems.value = ""
        if self.claims is None:
            self.review = None
            self.out.value = ""
            self.fee_box.layout.display = "none"
            self.charts.clear()
            return
        self.review = self.claims.review()
        self.fee_box.layout.display = ""
        kept = ("" if self.claims.measured is not None else note_html(
            "A saved scenario keeps the KPIs these files filled in, not the files: upload "
            "them again to see this after opening it."))
        self.out.value = ("<h3 class='rcm-section rcm-losses-head'>What your billing "
                          "loses</h3>" + kept + losses_html(self.review, self.session))
        self.charts.request(self.review)

    def _on_fees(self, items) -> str:
        from ..claims.fees import read_fee_schedule

        (name, path), = items[:1]
        if self.claims is None:
            return "Upload your claims first: the fee schedule is checked against them."
        try:
            schedule = read_fee_schedule(path)
        except RcmInputError as exc:
            return "This fee schedule cannot be used: " + "; ".join(
                str(p).replace(str(path), name) for p in exc.problems)
        self.claims.schedule = schedule
        self.show()
        under = self.review.get("underpayments") or {}
        return (f"Checked {under.get('checked_lines', 0):,} paid lines against {name}: "
                f"{money(under.get('amount', 0.0))} underpaid.")


__all__ = ["Claims", "LossesPanel", "loss_charts", "losses_html"]
