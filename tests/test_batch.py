"""``rcm batch``: one broken scenario never stops the others; the index lists everything;
and the same work runs on a real Dask cluster (a ``dask scheduler`` and a ``dask worker``
started here on 127.0.0.1)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.slow

BROKEN = ("schema: rcmmodel/v1\nname: Broken practice\npractice: {annual_collections: -5}\n"
          "inhouse: {annual_cost: 1000}\nvendors: [{name: A, pricing: {model: percentage, "
          "rate: 0.07}}]\n")
TWO = ("guide-example.yaml", "physical-therapy.yaml")


def rcm(*argv, timeout=600):
    return subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def folder(tmp_path):
    src = tmp_path / "scenarios"
    src.mkdir()
    for name in TWO:
        shutil.copy(SCENARIOS / name, src / name)
    (src / "broken.yaml").write_text(BROKEN)
    return src


def test_one_broken_scenario_does_not_stop_the_others(folder, tmp_path):
    out = tmp_path / "out"
    proc = rcm("batch", folder, "-o", out, "--workers", "2", "--format", "html")
    assert proc.returncode == 1
    assert "broken.yaml" in proc.stderr and "annual_collections" in proc.stderr
    assert "Traceback" not in proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["guide-example-decision.html", "index.html",
                     "physical-therapy-decision.html"]
    index = (out / "index.html").read_text()
    assert 'href="guide-example-decision.html"' in index
    assert 'href="physical-therapy-decision.html"' in index
    assert "$51,500" in index and "Guide Billing Co" in index
    assert "broken.yaml" in index and "must be greater than 0" in index
    assert "http" not in index


def test_all_good_exits_0(tmp_path):
    proc = rcm("batch", SCENARIOS / "guide-example.yaml", "-o", tmp_path, "--workers", "1",
               "--format", "ipynb")
    assert proc.returncode == 0, proc.stderr
    assert "1 of 1 reports rendered" in proc.stdout


@pytest.mark.parametrize("argv", [["nonesuch-folder"], ["scenarios", "--workers", "0"]])
def test_bad_arguments_exit_2(tmp_path, argv):
    proc = rcm("batch", *argv, "-o", tmp_path, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_empty_folder_exits_2(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = rcm("batch", tmp_path / "empty", "-o", tmp_path / "out", timeout=60)
    assert proc.returncode == 2 and "no scenario files" in proc.stderr


# -------------------------------------------------------------------------- Dask, for real

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cli() -> list[str]:
    exe = Path(sys.executable).with_name("dask")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dask"]


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and one worker on 127.0.0.1, torn down after the test."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    procs = []

    def start(args, name):
        log = open(logs / f"{name}.log", "w")
        p = subprocess.Popen(_dask_cli() + args, stdout=log, stderr=subprocess.STDOUT,
                             cwd=tmp_path, start_new_session=True)
        procs.append((p, log))
        return p

    start(["scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
          "scheduler")
    start(["worker", address, "--nworkers", "1", "--nthreads", "2", "--no-dashboard",
           "--host", "127.0.0.1"], "worker")
    try:
        from distributed import Client
        deadline = time.time() + 90
        while True:
            try:
                with Client(address, timeout="5s") as client:
                    client.wait_for_workers(1, timeout=60)
                break
            except Exception:
                if time.time() > deadline:
                    raise RuntimeError("dask cluster did not start: " + "".join(
                        (logs / f).read_text()[-2000:] for f in ("scheduler.log", "worker.log")))
                time.sleep(1)
        yield address
    finally:
        for p, log in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
            log.close()


def test_batch_on_a_dask_cluster(cluster, folder, tmp_path):
    out = tmp_path / "dask-out"
    proc = rcm("batch", folder, "-o", out, "--scheduler", cluster, "--format", "html,pdf")
    assert proc.returncode == 1, proc.stderr          # broken.yaml failed, on the cluster
    assert "broken.yaml" in proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["guide-example-decision.html", "guide-example-decision.pdf",
                     "index.html", "physical-therapy-decision.html",
                     "physical-therapy-decision.pdf"]
    assert "$51,500" in (out / "guide-example-decision.html").read_text()
    assert "must be greater than 0" in (out / "index.html").read_text()


def test_unreachable_scheduler_exits_2(tmp_path):
    proc = rcm("batch", SCENARIOS / "guide-example.yaml", "-o", tmp_path, "--scheduler",
               f"tcp://127.0.0.1:{_free_port()}", timeout=120)
    assert proc.returncode == 2 and "--scheduler" in proc.stderr
    assert "Traceback" not in proc.stderr
