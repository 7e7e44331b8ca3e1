"""Claims review: upload a ledger or 835/837 files, see the KPIs against the benchmarks.

Only aggregates are shown (the review of :func:`rcmmodel.claims.summarize`): no claim id,
patient name or member ID reaches the page, and uploaded files live in a temporary
folder only while they are read.
"""
from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import ipywidgets as w

from ..claims.review import read_claims, summarize
from ..present.review_text import note_text
from ..describe import money
from ..present.labels import KPI_LABELS as LABELS, TOTAL_LABELS, format_kpi
from ..errors import RcmInputError
from ..claims.targets import GRADE_COLORS, TARGETS
from .controls import STYLE, ChartPainter, Panel, error_html, note_html
from .figures import aging_chart, denials_chart

ACCEPT = ".csv,.xlsx,.835,.837,.edi,.x12,.txt,.dat"


def _value(kpi: str, v) -> str:
    return format_kpi(kpi, v)


def _target(kpi: str) -> str:
    t = TARGETS.get(kpi)
    if t is None:
        return ""
    value = f"{t.green:g} days" if t.unit == "days" else f"{t.green * 100:g}%"
    return ("at least " if t.higher_is_better else "under ") + value


def _grade(g) -> str:
    if not g:
        return ""
    return (f"<span class='rcm-grade' style='background:{GRADE_COLORS[g]}'>"
            f"{html.escape(g)}</span>")


def _table(head, rows, cls="rcm-table") -> str:
    out = [f"<table class='{cls}'><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    out += ["<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows]
    return "".join(out) + "</table>"


def enough_data(review: dict, kpi: str) -> bool:
    """Whether a KPI rests on enough claims to grade (30 adjudicated claims; 30 days of
    service and 30 claims for the A/R figures): an 837-only upload, with no payments yet,
    has nothing to grade."""
    counts = review.get("status_counts") or {}
    adjudicated = sum(v for k, v in counts.items() if k != "open")
    if kpi in ("days_in_ar", "ar_over_90", "open_ar"):
        return (review.get("period_days") or 0) >= 30 and review.get("claims", 0) >= 30
    return adjudicated >= 30


def kpi_table(review: dict) -> str:
    """The KPIs as HTML: one row each, ``data-kpi`` naming it, graded red/amber/green
    only where there is enough data (otherwise it says so)."""
    rows = []
    for kpi, v in review["kpis"].items():
        ok = v is not None and enough_data(review, kpi)
        grade = _grade(review["grades"].get(kpi)) if ok else (
            "<span class='rcm-note'>not enough data</span>" if TARGETS.get(kpi) else "")
        rows.append(f"<tr data-kpi='{kpi}'><td>{html.escape(LABELS[kpi])}</td>"
                    f"<td class='rcm-kpi-value' data-label='Value'>{_value(kpi, v)}</td>"
                    f"<td data-label='Target'>{html.escape(_target(kpi))}</td>"
                    f"<td data-label='Grade'>{grade}</td></tr>")
    return ("<div class='rcm-scroll'><table class='rcm-table rcm-kpis rcm-stack'><tr>"
            "<th>KPI</th>"
            "<th>Value</th><th>Target</th><th>Grade</th></tr>" + "".join(rows)
            + "</table></div>")


CHART_NAMES = ("aging", "denials")


def review_charts(review: dict) -> list:
    """A/R aging and denials by reason (altair; None where there were no denials)."""
    return [aging_chart(review), denials_chart(review)]


class ClaimsReview(Panel):
    """Upload claims files and review the practice's billing KPIs.

    Parameters
    ----------
    paths : list of paths, optional
        Files to review at once (a notebook or a test); otherwise wait for an upload.
    charts : bool
        Draw the A/R aging and denials charts.
    """

    def __init__(self, paths=None, *, charts: bool = True):
        self.draw_charts = charts
        self.review: dict | None = None
        self.upload = w.FileUpload(accept=ACCEPT, multiple=True,
                                   description="Upload claims files",
                                   layout=w.Layout(width="260px"))
        self.upload.add_class("rcm-upload")
        self.status = w.HTML(note_html("Upload a claims ledger (CSV or Excel) or X12 835 "
                                       "remittance / 837P claim files. Several files are "
                                       "read together."))
        self.problems = w.HTML("")
        self.kpis = w.HTML("")
        self.details = w.HTML("")
        self.charts = ChartPainter(review_charts, CHART_NAMES, self.problems)
        title = w.HTML(STYLE + "<div class='rcm-app'><div class='rcm-title'>Claims review"
                       "</div><div class='rcm-subtitle'>How well is billing working today? "
                       "KPIs from your own claims, against the benchmarks.</div></div>")
        self.widget = w.VBox([title, w.HBox([self.upload]), self.status, self.problems,
                              w.HBox([w.VBox([self.kpis, self.details],
                                             layout=w.Layout(margin="0 24px 0 0")),
                                      self.charts.view],
                                     layout=w.Layout(flex_flow="row wrap"))])
        self.widget.add_class("rcm-claims")
        self.upload.observe(self._on_upload, "value")
        if paths:
            self.load(paths)

    def load(self, paths) -> None:
        """Read claims files and show their review; a bad file shows a message."""
        try:
            review = summarize(read_claims(paths))
        except RcmInputError as exc:
            self._fail([str(p) for p in exc.problems])
            return
        except Exception as exc:   # a reader's bug must not show a traceback to the owner
            self._fail([f"could not read these files ({type(exc).__name__}: {exc})"])
            return
        n = len(paths) if isinstance(paths, (list, tuple)) else 1
        self._show(review, n)

    def _on_upload(self, change) -> None:
        files = change["new"]
        if not files:
            return
        with tempfile.TemporaryDirectory() as tmp:
            paths, names = [], {}
            for i, item in enumerate(files):
                # Our own file names: an uploaded name may carry a patient's name.
                suffix = re.sub(r"[^a-z0-9.]", "", Path(item["name"]).suffix.lower())
                path = Path(tmp) / f"upload-{i + 1}{suffix}"
                path.write_bytes(bytes(item["content"]))
                paths.append(path)
                names[str(path)] = f"file {i + 1}"
            self.load(paths)
            for raw, shown in names.items():   # messages name files by position only
                self.problems.value = self.problems.value.replace(html.escape(raw), shown)

    def _fail(self, messages) -> None:
        self.review = None
        self.problems.value = "".join(error_html(m) for m in messages)
        self.kpis.value = self.details.value = ""
        self.charts.clear()

    def _show(self, review: dict, files: int) -> None:
        self.review = review
        self.problems.value = ""
        days = f", {review['period_days']:,} days of service" if review["period_days"] else ""
        notes = "".join(note_html(note_text(n)) for n in review["notes"])
        self.status.value = (f"<div class='rcm-app rcm-claims-summary'><b>{review['claims']:,}"
                             f"</b> claims from {files} file{'s' if files != 1 else ''}, as of "
                             f"{review['as_of'] or 'n/a'}{days}; {review['open_claims']:,} "
                             f"still open; days in A/R over the last "
                             f"{review['window']['days'] or 0} days.</div>{notes}")
        self.kpis.value = "<div class='rcm-section'>KPIs</div>" + kpi_table(review)
        self.details.value = self._details(review)
        if self.draw_charts:
            self.charts.request(review)

    @staticmethod
    def _details(r: dict) -> str:
        dollars = lambda v: "n/a" if v is None else money(v, cents=True)
        share = lambda v: "n/a" if v is None else f"{v * 100:.1f}%"
        out = ["<div class='rcm-section'>Totals</div>",
               _table(["", "Amount"], [(html.escape(TOTAL_LABELS[k]), dollars(v))
                                       for k, v in r["totals"].items()])]
        counts = r["status_counts"]
        out.append(note_html("Claims by status: " + ", ".join(f"{k} {v:,}"
                                                             for k, v in counts.items())))
        if r["payers"]:
            out += ["<div class='rcm-section'>By payer</div>",
                    _table(["Payer", "Claims", "Charges", "Collected", "Net coll.", "Denials",
                            "Days to pay"],
                           [(html.escape(str(p["payer"])[:40]), f"{p['claims']:,}",
                             dollars(p["charge"]), dollars(p["collected"]),
                             share(p["net_collection_rate"]), share(p["denial_rate"]),
                             _value("days_in_ar", p["days_to_pay_median"]))
                            for p in r["payers"]])]
        out += ["<div class='rcm-section'>A/R aging</div>",
                _table(["Days since service", "Claims", "Open A/R", "Share"],
                       [(a["bucket"], f"{a['claims']:,}", dollars(a["open_ar"]),
                         share(a["share"])) for a in r["aging"]])]
        if r["denials"]["by_reason"]:
            out += ["<div class='rcm-section'>Denials by reason</div>",
                    _table(["Code", "Reason", "Lines", "Dollars"],
                           [(html.escape(f"{d['group']}-{d['code']}".strip("-") or "-"),
                             html.escape(str(d["description"])), f"{d['lines']:,}",
                             dollars(d["dollars"])) for d in r["denials"]["by_reason"]])]
        else:
            out.append(note_html("No denied claims in these files."))
        return "".join(out)
