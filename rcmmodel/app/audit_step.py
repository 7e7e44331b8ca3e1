"""Step 5, "Check your vendor": after signing, is the vendor delivering?
(docs/methodology.md §12)

She picks the vendor she signed with, uploads the claims files from before (her own
billing) and after (the vendor's) and the vendor's invoices (CSV), and sees the verdict,
the SLA table and the fee check, all from :func:`rcmmodel.model.audit.audit`, the same
figures ``rcm audit`` prints; "Download audit report" writes the scenario with an
``audit:`` block naming copies of her files and runs the ``audit`` template on it, as
``rcm report --template audit`` would, on the app's warm report kernel
(:class:`~rcmmodel.app.report_maker.ReportMaker`): the report is begun as soon as the verdict
shows, so the click has little or nothing left to wait for. A scenario opened with an
``audit:`` block starts with its vendor and files.

Uploaded files are copied into a folder of this step's own (removed when the app goes),
under names of its own (an uploaded file name may carry a patient's name), in a new folder
for each upload, so files given again are never taken for the ones before.
"""
from __future__ import annotations

import html
import shutil
import tempfile
import weakref
from pathlib import Path

import ipywidgets as w

from ..describe import money
from ..errors import RcmInputError
from ..present.audit_text import sla_result, verdict_sentence
from ..present.labels import KPI_LABELS, format_kpi
from .costs import stacked
from .practice import section
from .report_maker import STAGES, ReportMaker
from .session import to_yaml
from .transfer import Download, Upload

ACCEPT = ".csv,.xlsx,.835,.837,.edi,.x12,.txt,.dat"
PDF = "application/pdf"
TEMPLATE = "audit"
_TONE = {"delivering": "rcm-verdict-go", "partly": "rcm-verdict-stay",
         "not delivering": "rcm-verdict-no", None: "rcm-verdict-stay"}
STYLE = ("<style>.rcm-verdict-no {background: #fdecea; border: 1px solid #c62828;}"
         ".rcm-step-audit .rcm-verdict-head {font-size: 1.12em;}"
         ".rcm-step-audit tr.rcm-over td {color: #c62828; font-weight: 600;}"
         ".rcm-step-audit tr td::before {color: #555; font-weight: normal;}"
         ".rcm-step-audit tr.rcm-missed td:last-child {color: #c62828;}"
         ".rcm-step-audit tr.rcm-met td:last-child {color: #2e7d32;}"
         # Five tabs on a phone: a tab's label wraps onto a second line, never cut.
         "@media (max-width: 600px) {"
         ".rcm-app-root .widget-tab > .lm-TabBar {min-height: 2.9em !important;"
         " height: auto !important;}"
         ".rcm-app-root .widget-tab > .lm-TabBar .lm-TabBar-content {height: auto !important;"
         " align-items: stretch;}"
         ".rcm-app-root .widget-tab > .lm-TabBar .lm-TabBar-tab {height: auto !important;"
         " min-height: 2.9em !important; padding: 2px 4px !important; align-items: center;}"
         ".rcm-app-root .widget-tab > .lm-TabBar .lm-TabBar-tabLabel {overflow: visible;"
         " text-overflow: clip; line-height: 1.15; white-space: normal !important;}}"
         "</style>")


def _table(header, rows, row_class=None) -> str:
    """A table of plain cells (escaped here) that is one card per row on a phone, like the
    app's other tables (:func:`rcmmodel.app.costs.stacked`)."""
    cells = [[html.escape(str(c)) for c in r[:len(header)]] for r in rows]
    classes = [(row_class or (lambda r: ""))(r) for r in rows]
    return stacked(list(header), cells, "rcm-audit-table", row_classes=classes)


class AuditStep:
    """The vendor picker, three uploads, the result and the report download (made by
    ``reports``, the app's one report maker, or one of its own)."""

    def __init__(self, session, reports: ReportMaker | None = None):
        self.session = session
        self.reports = reports if reports is not None else ReportMaker()
        self._uploads = 0       # uploads so far: each gets a folder of its own
        self.folder = Path(tempfile.mkdtemp(prefix="rcm-audit-"))
        weakref.finalize(self, shutil.rmtree, str(self.folder), True)
        self.files: dict[str, list[Path]] = {"before": [], "after": [], "invoices": []}
        self.result = None
        self.active = False     # the app shows this step (workflow.OwnerApp._on_tab)
        self.stale = True       # the scenario or the files changed since the last audit
        self._read: dict[str, tuple] = {}    # key -> (files, ClaimsData): read once
        self.vendor = w.Dropdown(description="The vendor you signed with", options=[],
                                 style={"description_width": "initial"},
                                 layout=w.Layout(width="100%", max_width="460px"))
        self._quiet = False
        self.vendor.observe(lambda _c: None if self._quiet else self.refresh(force=True),
                            "value")
        self.uploads = {}
        for key, label, accept, many in (
                ("before", "Claims before the vendor (your billing)", ACCEPT, True),
                ("after", "Claims since the vendor (its 835s or ledger)", ACCEPT, True),
                ("invoices", "The vendor's invoices (CSV: month, amount)", ".csv", False)):
            up = Upload(lambda items, key=key: self._on_files(key, items), label=label,
                        accept=accept, multiple=many)
            up.add_class(f"rcm-upload-audit-{key}")
            self.uploads[key] = up
        self.out = w.HTML("")
        self.out.add_class("rcm-audit-result")
        self.pdf = Download(self.make_pdf, label="Download audit report",
                            busy_label=STAGES["figures"])
        self.pdf.add_class("rcm-download-audit")
        self.reports.listen(self._stage, TEMPLATE)
        help_line = lambda t: w.HTML(f"<div class='rcm-help'>{html.escape(t)}</div>")  # noqa
        self.widget = w.VBox([
            w.HTML(STYLE),
            section("Check your vendor", "After signing, a quarter or a year on: is the "
                    "vendor keeping its promises? Upload your claims from before and since, "
                    "and its invoices. Only totals are shown; nothing leaves this computer."),
            self.vendor,
            self.uploads["before"], self.uploads["after"], self.uploads["invoices"],
            help_line("Claims files: 835 remittances, 837 claims or a claims ledger (CSV or "
                      "Excel). Invoices: one row a month, month as YYYY-MM and the amount "
                      "billed."),
            self.out, self.pdf,
            help_line("The audit report: the verdict on page 1, the KPIs against the SLA, "
                      "the monthly fee check, the denials the vendor still takes, what "
                      "leaving would cost, and what the audit cannot tell."),
        ], layout=w.Layout(width="100%", max_width="820px"))
        self.widget.add_class("rcm-step-audit")
        session.listen(self._on_session)
        self._on_session(session, True)

    # -- inputs --------------------------------------------------------------------------

    def _on_session(self, session, reload) -> None:
        names = [str(v.get("name")) for v in session.data.get("vendors") or []
                 if isinstance(v, dict) and v.get("name")]
        block = session.data.get("audit") or {}
        if reload and block:           # a scenario opened with an audit: block
            for key in self.files:
                value = block.get(key) or []
                self.files[key] = [Path(p) for p in ([value] if isinstance(value, str)
                                                     else value)]
        keep = self.vendor.value
        chosen = next((n for n in names if n.casefold() == str(block.get("vendor", ""))
                       .casefold()), None) if reload and block else keep
        self.stale = True
        self._quiet = True       # the options change without auditing on each step
        try:
            if list(self.vendor.options) != names:
                self.vendor.options = names
            self.vendor.value = chosen if chosen in names else (names[0] if names else None)
        finally:
            self._quiet = False
        self.refresh()

    def refresh(self, force: bool = False) -> None:
        """Audit again where something changed, once the step is shown (a slider moved on
        another step costs nothing here)."""
        if force:
            self.stale = True
        if self.stale and (self.active or force):
            self.run()
        if self.active:         # the report kernel starts while she gathers her files
            self.reports.warm()
        if self.active and self.result is not None:
            self.reports.ahead(*self._report_args(), TEMPLATE)

    def _stage(self, stage: str) -> None:
        self.pdf.busy_label = STAGES.get(stage, STAGES["figures"])

    def _on_files(self, key: str, items) -> str:
        for old in self.files[key]:
            if self.folder in old.parents:     # her earlier upload (not a scenario's file)
                shutil.rmtree(old.parent, ignore_errors=True)
        self._uploads += 1
        target = self.folder / f"{key}-{self._uploads}"
        target.mkdir(parents=True)
        copies = []
        for i, (_name, path) in enumerate(items):
            copy = target / f"{key}-{i + 1}{Path(path).suffix}"
            shutil.copyfile(path, copy)
            copies.append(copy)
        self.files[key] = copies
        self.refresh(force=True)
        n = len(copies)
        return f"{n} file{'s' if n != 1 else ''} received."

    # -- the audit -----------------------------------------------------------------------

    def _args(self, read: bool = False) -> dict | None:
        """The audit's arguments: the files, or with ``read`` their ClaimsData."""
        if not (self.vendor.value and self.files["before"] and self.files["after"]):
            return None
        side = self._data if read else self.files.get
        return {"vendor": self.vendor.value, "before": side("before"), "after": side("after"),
                "invoices": self.files["invoices"][0] if self.files["invoices"] else None}

    def _data(self, key: str):
        """The claims files of ``key`` read once (a ClaimsData), until others are given."""
        from ..claims.review import read_claims

        files = tuple(self.files[key])
        if self._read.get(key, (None,))[0] != files:
            self._read[key] = (files, read_claims(list(files)))
        return self._read[key][1]

    def run(self) -> None:
        """Audit with what she gave; say what is missing or wrong in words."""
        from ..model.audit import audit

        self.stale = False
        self.result = None
        self.pdf.disabled = True
        r = self.session.result
        args = self._args()
        if r is None:
            self.out.value = ("<div class='rcm-note'>First enter your practice and the quote "
                              "you signed (steps 1 and 2).</div>")
            return
        if args is None:
            self.out.value = ("<div class='rcm-note'>Pick the vendor and upload the claims "
                              "files from before and since to see the verdict.</div>")
            return
        try:
            self.result = audit(r.scenario, **self._args(read=True)).to_dict()
        except RcmInputError as exc:
            self.out.value = ("<div class='rcm-banner rcm-ineligible'>"
                              + "<br>".join(html.escape(str(p)) for p in exc.problems)
                              + "</div>")
            return
        self.out.value = result_html(self.result)
        self.pdf.disabled = False

    def _report_args(self) -> tuple[str, str]:
        """The scenario file the audit report is made of (her scenario with an ``audit:``
        block naming the vendor and her files) and its file name's stem."""
        args = self._args()
        data = dict(self.session.data)
        data["audit"] = {"vendor": args["vendor"],
                         "before": [str(p) for p in args["before"]],
                         "after": [str(p) for p in args["after"]],
                         **({"invoices": str(args["invoices"])} if args["invoices"] else {})}
        return to_yaml(data), self.session.file_stem()

    def make_pdf(self):
        if self.result is None or self._args() is None or self.session.result is None:
            raise RcmInputError.at(None, "", "upload the claims files first")
        made = self.reports.pdf(*self._report_args(), TEMPLATE)
        return made.name, made.pdf, PDF


def result_html(d: dict) -> str:
    """The verdict, the SLA table and the fee check, from the audit's dict."""
    parts = [f"<div class='rcm-verdict {_TONE[d['verdict']]}' data-verdict="
             f"'{html.escape(str(d['verdict']))}'><div class='rcm-verdict-head'>"
             f"{html.escape(verdict_sentence(d))}</div></div>"]
    if d["sla"]:
        parts.append("<h4>The service levels the contract states</h4>" + _table(
            ["KPI", "Committed", "Achieved", "Result"],
            [[KPI_LABELS[r["kpi"]], format_kpi(r["kpi"], r["committed"]),
              format_kpi(r["kpi"], r["achieved"]), sla_result(r),
              {True: "rcm-met", False: "rcm-missed"}.get(r["met"], "")] for r in d["sla"]],
            row_class=lambda r: r[4]))
    f = d["fees"]
    if f["invoiced"]:
        parts.append("<h4>The fee check: billed against the contract</h4>" + _table(
            ["Month", "Contract fee", "Billed", "Overbilled"],
            [[m["month"], money(m["contract"], cents=True), money(m["billed"], cents=True),
              money(m["overbilled"], cents=True), m["overbilled"]] for m in f["months"]],
            row_class=lambda r: "rcm-over" if r[4] > 0 else ""))
        parts.append(f"<div class='rcm-audit-overbilled'>Billed above the contract in all: "
                     f"<b>{money(f['overbilled'], cents=True)}</b>.</div>")
    else:
        parts.append("<div class='rcm-note'>Upload the invoices to check each month's bill "
                     f"against the contract; at the contract's rate the fees come to "
                     f"{money(f['a_year'])} a year.</div>")
    return "".join(parts)


__all__ = ["AuditStep", "result_html"]
