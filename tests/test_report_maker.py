"""The app's PDF reports (rcmmodel.app.report_maker): made on one warm kernel, begun when
"Take it home" opens or the audit's verdict shows, and the same reports ``rcm report`` makes
for the same scenario."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import SCENARIOS
from rcmmodel.app.report_maker import STAGES
from rcmmodel.app.session import open_scenario, to_yaml

pytestmark = pytest.mark.slow


def _text(pdf: bytes, tmp_path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


def test_take_home_renders_ahead_on_one_warm_kernel(tmp_path):
    """Opening a scenario starts the kernel and the report; the Decision step and "Take it
    home" find it under way; the click takes the report already made; changed figures are
    rendered anew on the same kernel, replacing a report that was waiting; closing shuts
    the kernel down."""
    from rcmmodel.app.workflow import OwnerApp

    path = SCENARIOS / "guide-example.yaml"
    app = OwnerApp()
    maker = app.takehome.reports
    try:
        stages = []
        maker.listen(stages.append, "decision")
        assert maker._kernel is None and not maker._jobs    # nothing to report yet
        app.session.replace(open_scenario(path))        # she opens her scenario
        job = maker._jobs["decision"][1]
        app.tabs.selected_index = 2                      # reads the decision
        app.tabs.selected_index = 3                      # opens "Take it home"
        assert maker._jobs["decision"][1] is job         # the same report, not a second
        name, data, _ = job.result(timeout=300)          # made before any click
        assert stages[:2] == ["kernel", "figures"] and stages[-1] == "pdf"
        assert name == f"{app.session.file_stem()}-decision.pdf" and data[:5] == b"%PDF-"
        kernel = maker._kernel
        made = app.takehome.make_pdf()                   # the click: nothing left to do
        assert made[1] is data and maker._jobs["decision"][1] is job and kernel.reports == 1
        decision = app.session.result.decision
        first_page = _text(data, tmp_path).split("\f")[0]
        assert (decision.recommended or "in-house") in first_page

        # Figures changed twice in a row: the first change's report is not awaited, the
        # second is rendered on the same kernel, with its own figures.
        for new in ("Renamed Practice", "Renamed Again Practice"):
            data2 = dict(app.session.data, name=new)
            future = maker.prepare(to_yaml(data2), new.lower().replace(" ", "-"))
        name2, pdf2, _ = future.result(timeout=300)
        assert name2 == "renamed-again-practice-decision.pdf"
        assert "Renamed Again Practice" in _text(pdf2, tmp_path)
        assert maker._kernel is kernel and kernel.restarts == 0 and kernel.reports <= 3
        pid = kernel.pid
    finally:
        maker.close()
    import psutil

    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"


def test_the_audit_report_is_made_ahead_on_the_same_warm_kernel_and_is_rcm_reports(
        tmp_path, monkeypatch):
    """"Check your vendor": the audit report is begun as soon as the verdict shows, on the
    app's one report kernel (the decision report's), with the same stages on the button; the
    click takes it; its figures are ``rcm audit``'s and its pages ``rcm report``'s for the same
    inputs; files given again under the same names are new files (a new report)."""
    import json

    from conftest import rcm_inprocess

    from rcmmodel.app.workflow import OwnerApp

    example = SCENARIOS / "audit" / "audit-example.yaml"
    app = OwnerApp()
    maker = app.reports
    try:
        assert app.audit.reports is maker and app.takehome.reports is maker
        stages, labels = [], []
        maker.listen(stages.append, "audit")
        maker.listen(lambda _stage: labels.append(app.audit.pdf.busy_label), "audit")
        app.session.replace(open_scenario(example))  # opened with its vendor and files
        assert "audit" not in maker._jobs            # its decision report only, so far
        app.tabs.selected_index = 4                  # she opens "Check your vendor"
        assert app.audit.result is not None and not app.audit.pdf.disabled
        job = maker._jobs["audit"][1]
        made = job.result(timeout=600)               # begun with the verdict, no click
        assert stages[0] == "kernel" and stages[1:] == ["figures", "pdf"]
        assert labels == [STAGES[s] for s in stages]
        kernel = maker._kernel
        name, data, mime = app.audit.make_pdf()      # the click: nothing left to do
        assert data is made.pdf and maker._jobs["audit"][1] is job
        assert name == f"{app.session.file_stem()}-audit.pdf" and mime == "application/pdf"
        # One kernel made both: the decision report begun when the scenario opened, then
        # the audit's.
        assert maker._jobs["decision"][1].done() and kernel.reports == 2

        # The same inputs through the command line: the figures rcm audit prints, and the
        # pages rcm report writes for the scenario file the app saved.
        cli = json.loads(rcm_inprocess("audit", example, "--json").stdout)
        assert made.figures["audit"] == cli
        scenario_yaml, stem = app.audit._report_args()
        saved = tmp_path / f"{stem}.yaml"
        saved.write_text(scenario_yaml, encoding="utf-8")
        out = rcm_inprocess("report", saved, "--template", "audit", "--format", "pdf",
                            "-o", tmp_path / "cli")
        assert out.returncode == 0, out.stderr
        cold = (tmp_path / "cli" / name).read_bytes()
        assert _text(data, tmp_path) == _text(cold, tmp_path)

        # A file given under the same name again, other content: a new copy (the one
        # before removed, the scenario's own file kept), new figures, a new report.
        monkeypatch.setenv("RCMMODEL_REPORTS_AHEAD", "0")   # no report begun for these
        given = app.audit.files["before"]
        app.audit._on_files("before", [("before.csv", example.parent / "before.csv")])
        first, key = app.audit.files["before"], app.audit._report_args()
        assert app.audit.result == made.figures["audit"] and given[0].exists()
        app.audit._on_files("before", [("before.csv", example.parent / "after.csv")])
        assert app.audit.files["before"] != first and not first[0].exists()
        assert app.audit.result != made.figures["audit"] and app.audit._report_args() != key
        assert maker._jobs["audit"][1] is job
    finally:
        maker.close()
