"""Step 4, "Take it home": the PDF report, the live Excel model and the scenario file.

Each button saves the scenario the app holds to a scenario file first, then runs on that
file exactly what the command line runs (``rcm report``, ``rcm export``), so what she
takes home is what ``rcm report`` / ``rcm export`` would make for the same inputs, and
"Save scenario" is that very file.
"""
from __future__ import annotations

import html
import tempfile
from pathlib import Path

import ipywidgets as w

from ..errors import RcmInputError
from .practice import section
from .report_maker import STAGES, TEMPLATE, ReportMaker
from .session import to_yaml
from .transfer import Download

PDF, XLSX, YAML = "application/pdf", \
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/x-yaml"


class TakeHomeStep:
    """Three downloads of the shared scenario; the PDF made by ``reports`` (the app's one
    :class:`~rcmmodel.app.report_maker.ReportMaker`, or one of its own)."""

    def __init__(self, session, reports: ReportMaker | None = None):
        self.session = session
        self.reports = reports if reports is not None else ReportMaker()
        self.pdf = Download(self.make_pdf, label="Download PDF report",
                            busy_label=STAGES["figures"])
        self.reports.listen(self._stage, TEMPLATE)
        self.pdf.add_class("rcm-download-pdf")
        self.excel = Download(self.make_excel, label="Download Excel model",
                              busy_label="Building the workbook...")
        self.excel.add_class("rcm-download-excel")
        self.yaml = Download(self.make_yaml, label="Save scenario")
        self.yaml.add_class("rcm-save-scenario")
        self.note = w.HTML("")
        line = lambda t: w.HTML(f"<div class='rcm-help'>{html.escape(t)}</div>")
        self.widget = w.VBox([
            section("Take it home", "Everything below is made from the figures in the "
                     "steps before, on this computer."),
            self.note,
            self.pdf, line("The decision report: the recommendation on page 1, what billing "
                           "costs you in-house, every quote's fees worked out, the SLA "
                           "scorecard, the timeline and the risks."),
            self.excel, line("A live Excel model: change an input and every figure follows, "
                             "the same figures as here."),
            self.yaml, line("A scenario file of everything you entered. Open it here again "
                            "with \"Open scenario\" (step 1), or give it to your consultant."),
        ], layout=w.Layout(width="100%", max_width="760px"))
        self.widget.add_class("rcm-step-takehome")
        session.listen(self._on_session)
        self._ready()

    def _stage(self, stage: str) -> None:
        self.pdf.busy_label = STAGES.get(stage, STAGES["figures"])

    def _on_session(self, _session, reload: bool) -> None:
        self._ready()
        if reload and not self.why_not():   # a scenario opened: its figures are whole
            self.shown()

    def shown(self) -> None:
        """Her figures are whole (a scenario opened, the Decision step or this step shown):
        the report of the figures on screen starts now, on the warm report kernel, so the
        download button has little or nothing left to do."""
        self.reports.warm()
        if not self.why_not():
            self.reports.ahead(to_yaml(self.session.data), self.session.file_stem())

    def _ready(self) -> None:
        why = self.why_not()
        self.note.value = "" if not why else (
            f"<div class='rcm-banner rcm-warnings rcm-not-saved' role='alert'>"
            f"{html.escape(why)}</div>")

    def why_not(self) -> str:
        """Why nothing can be saved or downloaded now ('' when it can): an entry that
        cannot be used would leave the old figure in the file, so it is said, never
        saved silently."""
        s = self.session
        if s.entries:
            return ("Nothing can be saved or downloaded while an entry cannot be used (the "
                    "file would hold the old figure): " + "; ".join(s.entries.all()) + ".")
        if s.result is None:
            return "Nothing to save yet. " + (s.blocked or "")
        if s.left_out:
            from .stale import blank_line
            return "Nothing can be saved or downloaded yet. " + blank_line(s.left_out)
        return ""

    def _check(self) -> None:
        why = self.why_not()
        if why:
            raise RcmInputError.at(None, "", why)

    def _saved(self, folder: Path) -> Path:
        path = folder / f"{self.session.file_stem()}.yaml"
        path.write_text(to_yaml(self.session.data), encoding="utf-8")
        return path

    def make_yaml(self):
        self._check()
        return (f"{self.session.file_stem()}.yaml",
                to_yaml(self.session.data).encode("utf-8"), YAML)

    def make_pdf(self):
        self._check()
        made = self.reports.pdf(to_yaml(self.session.data), self.session.file_stem())
        return made.name, made.pdf, PDF

    def make_excel(self):
        from ..reports.excel import export_workbook

        self._check()
        with tempfile.TemporaryDirectory(prefix="rcm-excel-") as tmp:
            path = self._saved(Path(tmp))
            out = export_workbook(path, Path(tmp) / f"{self.session.file_stem()}.xlsx")
            return out.name, Path(out).read_bytes(), XLSX
