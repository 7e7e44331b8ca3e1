"""The app's PDF report (rcmmodel.app.report_maker): made on one warm kernel, started when
"Take it home" opens, and the same report ``rcm report`` makes for the same scenario."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import SCENARIOS
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
    """Opening "Take it home" starts the kernel and the report; the click takes the report
    already made; changed figures are rendered anew on the same kernel, replacing a report
    that was waiting; closing shuts the kernel down."""
    from rcmmodel.app.workflow import OwnerApp

    path = SCENARIOS / "guide-example.yaml"
    app = OwnerApp(str(path))
    maker = app.takehome.reports
    try:
        stages = []
        maker.listeners.append(stages.append)
        app.tabs.selected_index = 3                      # she opens "Take it home"
        job = maker._job[1]
        name, data = job.result(timeout=300)             # made before any click
        assert stages[:2] == ["kernel", "figures"] and stages[-1] == "pdf"
        assert name == f"{app.session.file_stem()}-decision.pdf" and data[:5] == b"%PDF-"
        kernel = maker._kernel
        made = app.takehome.make_pdf()                   # the click: nothing left to do
        assert made[1] is data and maker._job[1] is job and kernel.reports == 1
        decision = app.session.result.decision
        first_page = _text(data, tmp_path).split("\f")[0]
        assert (decision.recommended or "in-house") in first_page

        # Figures changed twice in a row: the first change's report is not awaited, the
        # second is rendered on the same kernel, with its own figures.
        for new in ("Renamed Practice", "Renamed Again Practice"):
            data2 = dict(app.session.data, name=new)
            future = maker.prepare(to_yaml(data2), new.lower().replace(" ", "-"))
        name2, pdf2 = future.result(timeout=300)
        assert name2 == "renamed-again-practice-decision.pdf"
        assert "Renamed Again Practice" in _text(pdf2, tmp_path)
        assert maker._kernel is kernel and kernel.restarts == 0 and kernel.reports <= 3
        pid = kernel.pid
    finally:
        maker.close()
    import psutil

    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == "zombie"
