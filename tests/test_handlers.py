"""Every broad ``except`` in rcmmodel either re-raises or says on the page (or in the
batch's outcome, or the log while shutting down) what failed: each is provoked here.
tests/test_architecture.py checks that none swallows every error with ``pass``."""
import logging
import socket
import subprocess
import sys

import pytest
from conftest import SCENARIOS

from rcmmodel.errors import RcmInputError

GUIDE = SCENARIOS / "guide-example.yaml"
LEDGER = SCENARIOS / "claims" / "family-practice-ledger.csv"


def boom(*args, **kwargs):
    raise ValueError("boom")


# ------------------------------------------------------------------ the app
def test_claims_panel_says_a_reader_bug_on_the_page(monkeypatch):
    from rcmmodel.app import ClaimsReview

    monkeypatch.setattr("rcmmodel.app.claims.summarize", boom)
    panel = ClaimsReview([LEDGER], charts=False)
    assert panel.review is None
    assert "could not read these files (ValueError: boom)" in panel.problems.value


def test_upload_says_what_failed(monkeypatch):
    from rcmmodel.app.transfer import Upload

    up = Upload(boom)
    up._on_msg(up, {"event": "start", "names": ["ledger.csv"]}, [])
    up._on_msg(up, {"event": "chunk", "index": 0}, [b"claim_id\n"])
    up._on_msg(up, {"event": "end"}, [])
    assert up.status == "Could not read that file (ValueError: boom)"

    def bad_input(files):
        raise RcmInputError.at("file 1", "", "not a claims file")

    up = Upload(bad_input)
    up._on_msg(up, {"event": "start", "names": ["ledger.csv"]}, [])
    up._on_msg(up, {"event": "chunk", "index": 0}, [b"x"])
    up._on_msg(up, {"event": "end"}, [])
    assert up.status == "Could not read that file: file 1: not a claims file"


def test_download_says_what_failed_and_saves_nothing(monkeypatch):
    from rcmmodel.app.transfer import Download

    button = Download(boom, label="Download PDF report")
    sent = []
    monkeypatch.setattr(button, "send", lambda *a, **k: sent.append(a))
    button._make()
    assert button.status == ("Download PDF report failed (ValueError: boom); nothing was "
                             "saved.")
    assert not sent and not button.busy

    def blocked():
        raise RcmInputError.at(None, "", "enter your annual collections first")

    button = Download(blocked, label="Save scenario")
    button._make()
    assert button.status == "enter your annual collections first"


def test_a_failing_tornado_is_said_on_the_decision_step_and_cleared_after(monkeypatch):
    import rcmmodel.risk.sensitivity as sensitivity
    from rcmmodel.app.workflow import OwnerApp

    app = OwnerApp(GUIDE)
    real = sensitivity.tornado
    monkeypatch.setattr(sensitivity, "tornado", boom)
    app.tabs.selected_index = 2
    assert "The charts could not be drawn: ValueError: boom" in app.decision.problems.value
    monkeypatch.setattr(sensitivity, "tornado", real)
    app.decision._drawn = None
    app.decision.draw()
    assert app.decision.problems.value == ""
    assert app.decision.charts.specs["tornado"] is not None   # no uncertain input: drawn


# ------------------------------------------------------------------ reading files
def test_a_damaged_quotes_workbook_is_an_input_error(tmp_path):
    from rcmmodel.scenario.quotes import read_table

    path = tmp_path / "quotes.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    with pytest.raises(RcmInputError, match="cannot read quotes") as exc:
        read_table(path)
    assert str(path) in str(exc.value)


# ------------------------------------------------------------------ batches
def test_a_bug_in_a_batch_job_is_its_outcome(monkeypatch):
    from rcmmodel.reports import batch

    monkeypatch.setattr("rcmmodel.reports.render.render_bytes", boom)
    monkeypatch.setattr("rcmmodel.reports.warm.worker_kernel", lambda: None)
    out = batch.render_job({"scenario": str(GUIDE), "stem": "guide", "template": "decision",
                            "formats": ["html"]})
    assert out["ok"] is False and out["error"] == "ValueError: boom"


def test_a_failed_local_worker_is_that_jobs_outcome():
    from rcmmodel.reports import pool

    (i, out), = list(pool.local(["not a number"], 1, int))
    assert i == 0 and out["ok"] is False
    assert out["error"].startswith("worker failed: ValueError: invalid literal")


def test_a_scheduler_nothing_answers_at_is_said_at_once():
    """``rcm batch --scheduler``: a refused port is known before the Dask client would
    retry it for its whole timeout; something listening is let through."""
    from rcmmodel.reports import pool

    with socket.socket() as bound:              # bound, not listening: the port refuses
        bound.bind(("127.0.0.1", 0))
        refused = pool.unreachable(f"tcp://127.0.0.1:{bound.getsockname()[1]}", 5)
        assert refused.startswith("connection refused")
        bound.listen()
        assert pool.unreachable(f"tcp://127.0.0.1:{bound.getsockname()[1]}", 5) is None
    assert pool.unreachable("inproc://127.0.0.1/1/2", 5) is None   # no port to probe


def test_a_failed_dask_job_is_that_jobs_outcome(monkeypatch):
    distributed = pytest.importorskip("distributed")
    from rcmmodel.reports import pool

    class Future:
        def __init__(self, key):
            self.key = key

        def result(self):
            raise RuntimeError("worker lost")

    closed = []

    class Client:
        def __init__(self, address, timeout):
            pass

        def submit(self, task, job, pure, key):
            return Future(key)

        def cancel(self, futures):
            pass

        def close(self, timeout):
            closed.append(True)

    monkeypatch.setattr(distributed, "Client", Client)
    monkeypatch.setattr(distributed, "as_completed", iter)
    with socket.socket() as listening:       # something accepts there (the probe connects)
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        address = f"tcp://127.0.0.1:{listening.getsockname()[1]}"
        (i, out), = list(pool.dask(["job"], address, None))
    assert out == {"ok": False, "error": "worker failed: RuntimeError: worker lost",
                   "seconds": 0.0}
    assert closed


# ------------------------------------------------------------------ report kernels
def test_a_kernel_that_never_gets_ready_is_shut_down_and_the_error_goes_on(monkeypatch):
    from rcmmodel.reports import render
    from rcmmodel.reports.warm import WarmKernel

    done = []

    class KernelClient:
        def start_channels(self):
            pass

        async def wait_for_ready(self, timeout):
            raise RuntimeError("no kernel")

        def stop_channels(self):
            done.append("channels stopped")

    class KernelManager:
        def __init__(self, kernel_name):
            pass

        async def start_kernel(self):
            pass

        def client(self):
            return KernelClient()

        async def shutdown_kernel(self, now):
            done.append("kernel shut down")

    monkeypatch.setattr(render, "kernel_manager_class", lambda: KernelManager)
    kernel = WarmKernel()
    with pytest.raises(RuntimeError, match="no kernel"):
        kernel.start()
    assert done == ["channels stopped", "kernel shut down"] and kernel.km is None


def test_a_kernel_that_will_not_shut_down_is_logged_and_killed(caplog):
    from types import SimpleNamespace

    from rcmmodel.reports.warm import WarmKernel

    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])

    class KernelManager:
        provisioner = SimpleNamespace(process=proc)

        async def shutdown_kernel(self, now):
            raise RuntimeError("stuck")

    kernel = WarmKernel()
    kernel.km = KernelManager()
    with caplog.at_level(logging.WARNING, logger="rcmmodel.reports.warm"):
        kernel.close()
    assert proc.wait(timeout=10) == -9
    assert f"did not shut down (RuntimeError: stuck); killing its process {proc.pid}" \
        in caplog.text
    assert kernel.km is None
    kernel.close()                  # idempotent



def test_upload_limit_is_said_as_the_page_says_it():
    """One constant, one way of writing it: the page, the browser's refusal and the
    kernel's all say 200 MB (the refusal said "210 MB": MB of a million bytes)."""
    from rcmmodel.app.transfer import MAX_UPLOAD, Upload, size_text

    assert size_text(MAX_UPLOAD) == "200 MB"
    up = Upload(boom)
    up._on_msg(up, {"event": "too_big", "name": "big.csv", "size": MAX_UPLOAD + 1}, [])
    assert "up to 200 MB" in up.status and "210" not in up.status
    # A browser that sends more than it said it would is stopped at the limit, file gone.
    up.max_bytes = 10
    up._on_msg(up, {"event": "start", "names": ["ledger.csv"]}, [])
    tmp = up._tmp
    up._on_msg(up, {"event": "chunk", "index": 0}, [b"x" * 8])
    up._on_msg(up, {"event": "chunk", "index": 0}, [b"x" * 8])
    assert "over 10 B" not in up.status and "up to that size" in up.status
    assert not tmp.exists()
    up._on_msg(up, {"event": "end"}, [])          # nothing left to read: boom never runs
    assert "up to that size" in up.status
