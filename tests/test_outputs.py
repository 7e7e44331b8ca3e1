"""Outputs appear whole or not at all (rcmmodel/_files.py, docs/architecture.md): every file of
``rcm report``, ``rcm export`` and ``rcm batch`` is written in a hidden staging folder and
moved into place as a set. A full disk or a folder that is not ours is one line and exit 1,
never a traceback; SIGTERM is exit 143; either way nothing is left behind, hidden or not.

Rendering is replaced by stand-ins here (the bytes of a report are not the point); one slow
test stops a real ``rcm report`` while its kernel runs."""
from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl.workbook.workbook
import pytest
from conftest import ROOT, SCENARIOS, rcm_inprocess

from rcmmodel import _files

GUIDE = SCENARIOS / "guide-example.yaml"
CRM_LISTS = SCENARIOS / "prospects"


def fake_render(*args, **kwargs):
    return {"html": b"<html>report</html>", "pdf": b"%PDF-1.7 report"}, None, "Guide"


def fake_pool(jobs, workers, task):
    for i, job in enumerate(jobs):
        yield i, {"ok": True, "name": job.get("label", "x"), "figures": None, "seconds": 0.0,
                  "data": {"html": b"<html>report</html>", "pdf": b"%PDF-1.7"}}


@pytest.fixture
def no_kernel(monkeypatch):
    monkeypatch.setattr("rcmmodel.reports.render.render_bytes", fake_render)
    monkeypatch.setattr("rcmmodel.reports.pool.local", fake_pool)


def failing_writes(monkeypatch, fail):
    """Every write of an output (bytes, text or an openpyxl workbook) writes a few bytes,
    then ``fail()`` happens: an OSError raised, or a signal sent to this process."""
    real_bytes, real_text = Path.write_bytes, Path.write_text

    def write_bytes(self, data):
        if _files.STAGING_PREFIX not in str(self):
            return real_bytes(self, data)
        real_bytes(self, data[:5])
        fail()
        return real_bytes(self, data)

    def write_text(self, data, *args, **kwargs):
        if _files.STAGING_PREFIX not in str(self):
            return real_text(self, data, *args, **kwargs)
        return write_bytes(self, data.encode())

    real_save = openpyxl.workbook.workbook.Workbook.save

    def save(book, filename):
        if not isinstance(filename, (str, os.PathLike)):     # in memory, written after
            return real_save(book, filename)
        write_bytes(Path(filename), b"PK\x03\x04 a workbook")

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    monkeypatch.setattr(Path, "write_text", write_text)
    monkeypatch.setattr("openpyxl.workbook.workbook.Workbook.save", save)


def raise_os_error(code):
    def fail():
        raise OSError(code, os.strerror(code))
    return fail


def sigterm():
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(0.5)          # the handler runs here, in the middle of the write


COMMANDS = {
    "report": lambda out: ["report", GUIDE, "-o", out, "--format", "html,pdf"],
    "export": lambda out: ["export", GUIDE, "-o", out / "model.xlsx"],
    "batch": lambda out: ["batch", GUIDE, "-o", out, "--workers", "1", "--no-progress"],
    "batch_prospects": lambda out: ["batch", "--prospects", CRM_LISTS / "prospects-example.csv",
                                    "--offer", CRM_LISTS / "offer-example.yaml", "-o", out,
                                    "--workers", "1", "--no-progress"],
}


def leftovers(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*")) if out.exists() else []


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"),
                                         (errno.EACCES, "permission denied"),
                                         (errno.EROFS, "the disk is read-only")])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_os_error_is_one_line_and_exit_1(tmp_path, monkeypatch, no_kernel, command, code,
                                            words):
    out = tmp_path / "out"
    argv = COMMANDS[command](out)
    failing_writes(monkeypatch, raise_os_error(code))
    result = rcm_inprocess(*argv)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith(f"rcm {argv[0]}: ")
            and words in line]
    assert len(said) == 1, result.stderr
    assert "nothing was left half-written" in said[0]
    assert not [f for f in leftovers(out) if _files.STAGING_PREFIX in f], leftovers(out)


@pytest.mark.parametrize("command", list(COMMANDS))
def test_sigterm_mid_write_leaves_nothing_behind(tmp_path, monkeypatch, no_kernel, command):
    out = tmp_path / "out"
    failing_writes(monkeypatch, sigterm)
    result = rcm_inprocess(*COMMANDS[command](out))
    assert result.returncode == 143, result.stderr
    assert "Traceback" not in result.stderr
    assert not [f for f in leftovers(out) if _files.STAGING_PREFIX in f], leftovers(out)
    if command in ("report", "export"):
        assert leftovers(out) == []


def test_a_reports_formats_appear_as_a_set(tmp_path, monkeypatch, no_kernel):
    """The second format's write fails: the first one, already written, is not moved in."""
    out = tmp_path / "out"
    real = Path.write_bytes
    written = []

    def write_bytes(self, data):
        written.append(self.name)
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    assert rcm_inprocess("report", GUIDE, "-o", out).returncode == 1
    assert written[0].endswith(".html") and leftovers(out) == []


def test_held_signals_act_after_the_set_is_in_place(tmp_path):
    seen = []
    old = signal.signal(signal.SIGTERM, lambda n, f: seen.append(("handled", n)))
    try:
        with _files.held_signals():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.2)
            seen.append("renamed")
    finally:
        signal.signal(signal.SIGTERM, old)
    assert seen == ["renamed", ("handled", signal.SIGTERM)]


def test_write_set_gives_files_the_users_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        paths = _files.write_set(tmp_path, {"a.html": "x", "b.pdf": b"y"})
    finally:
        os.umask(old)
    assert {p.stat().st_mode & 0o777 for p in paths.values()} == {0o644}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.pdf"]


@pytest.mark.slow
def test_sigterm_to_a_real_report_leaves_nothing(tmp_path):
    """The real command, stopped while its kernel runs: exit 143, no file, no kernel."""
    import psutil

    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "rcmmodel", "report", str(GUIDE), "-o",
                             str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.time() + 60
        children = []
        while time.time() < deadline and not children:
            time.sleep(0.5)
            children = psutil.Process(proc.pid).children(recursive=True)
        assert children, "no kernel started"
        time.sleep(1.0)
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, err.decode()
    assert b"Traceback" not in err
    assert leftovers(out) == []
    time.sleep(1)
    assert not [c for c in children if c.is_running() and c.status() != "zombie"]
