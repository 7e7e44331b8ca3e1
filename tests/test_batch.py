"""``rcm batch``: one broken scenario never stops the others; the index lists everything;
and the same work runs on a real Dask cluster (a ``dask scheduler`` and a ``dask worker``
started here on 127.0.0.1, once for this module: its scenario, prospect, --vendor and audit
batches share its warm kernels). Real ``rcm`` processes: one local batch, two on the
cluster, and every signal test; the rest run in this process."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS, rcm_inprocess

pytestmark = pytest.mark.slow

BROKEN = ("schema: rcmmodel/v1\nname: Broken practice\npractice: {annual_collections: -5}\n"
          "inhouse: {annual_cost: 1000}\nvendors: [{name: A, pricing: {model: percentage, "
          "rate: 0.07}}]\n")
TWO = ("guide-example.yaml", "physical-therapy.yaml")


def rcm(*argv, timeout=600, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, argv)], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def rcm_here(*argv):
    """``rcm ARGV`` in this process (fast), for checks that render nothing."""
    return rcm_inprocess(*argv, cwd=ROOT)


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
    assert 'href="./guide-example-decision.html"' in index
    assert 'href="./physical-therapy-decision.html"' in index
    assert "$51,500" in index and "Guide Billing Co" in index
    assert "broken.yaml" in index and "must be greater than 0" in index
    assert "http" not in index and "Not rendered" not in index


@pytest.mark.parametrize("argv", [["nonesuch-folder"], ["scenarios", "--workers", "0"]])
def test_bad_arguments_exit_2(tmp_path, argv):
    proc = rcm_here("batch", *argv, "-o", tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_empty_folder_exits_2(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = rcm_here("batch", tmp_path / "empty", "-o", tmp_path / "out")
    assert proc.returncode == 2 and "no scenario files" in proc.stderr


# -------------------------------------------------------------------------- Dask, for real

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_cli() -> list[str]:
    exe = Path(sys.executable).with_name("dask")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dask"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and one worker on 127.0.0.1, shared by this module's cluster tests and
    torn down after them."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    tmp_path = tmp_path_factory.mktemp("dask")
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
    """Paths as a user types them, relative to a folder that is not the worker's."""
    out = tmp_path / "dask-out"
    proc = rcm("batch", folder.name, "-o", out.name, "--scheduler", cluster, "--format",
               "html,pdf", cwd=folder.parent)
    assert proc.returncode == 1, proc.stderr          # broken.yaml failed, on the cluster
    assert "FAILED scenarios/broken.yaml: " in proc.stderr and str(folder) not in proc.stderr
    names = sorted(p.name for p in out.iterdir())
    assert names == ["guide-example-decision.html", "guide-example-decision.pdf",
                     "index.html", "physical-therapy-decision.html",
                     "physical-therapy-decision.pdf"]
    assert "$51,500" in (out / "guide-example-decision.html").read_text()
    assert "must be greater than 0" in (out / "index.html").read_text()


def test_unreachable_scheduler_exits_2_at_once(tmp_path):
    """A port where nothing listens is refused at once (the Dask client alone would retry
    it for its whole timeout), and said so."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    for argv in ([SCENARIOS / "guide-example.yaml"], ["--prospects", six_rows(tmp_path),
                                                      "--offer", OFFER]):
        proc = rcm_here("batch", *argv, "-o", tmp_path / "out", "--scheduler", address)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert f"--scheduler: cannot reach {address}: connection refused" in proc.stderr, \
            proc.stderr
        assert not (tmp_path / "out").exists()          # before any work: nothing written


# -------------------------------------------------------------------------- prospects
CRM_EXAMPLES = SCENARIOS / "prospects"
OFFER = CRM_EXAMPLES / "offer-example.yaml"
BAD_ROW = "Broken Clinic,family_medicine,two,300000,200,30000,,,,,,,,\n"


def six_rows(tmp_path) -> Path:
    """Five good prospects of the example list and a bad one (providers 'two') as row 5."""
    lines = (CRM_EXAMPLES / "prospects-example.csv").read_text().splitlines(keepends=True)
    path = tmp_path / "six.csv"
    path.write_text("".join(lines[:4] + [BAD_ROW] + lines[4:6]))
    return path


def equivalent_scenario(row: dict, offer: dict) -> dict:
    """The mapping of docs/methodology.md §11 written out by hand, independently of
    rcmmodel.reports.prospects."""
    num = lambda k: float(row[k]) if row.get(k) else None   # noqa: E731
    practice = {"specialty": row["specialty"], "providers": int(row["providers"]),
                "annual_collections": num("annual_collections"),
                "claims_per_month": num("claims_per_month")}
    kpis = {k: num(k) for k in ("days_in_ar", "clean_claim_rate", "net_collection_rate",
                                "denial_rate") if row.get(k)}
    if kpis:
        practice["baseline_kpis"] = kpis
    if row.get("inhouse_annual_cost"):
        inhouse = {"annual_cost": num("inhouse_annual_cost")}
    else:
        inhouse = dict(offer["inhouse"], staff=[{"fte": num("billing_staff_fte"),
                                                 "salary": num("avg_salary") or 48780.0}])
    return {"schema": "rcmmodel/v1", "name": row["name"], "practice": practice,
            "inhouse": inhouse, "vendors": [offer["vendor"]], "timeline": offer["timeline"]}


@pytest.fixture(scope="module")
def six_on_the_cluster(cluster, tmp_path_factory):
    """``rcm batch --prospects`` of :func:`six_rows` on the cluster (a real process), HTML
    only (PDFs made on the cluster are test_batch_on_a_dask_cluster's): one run, read by the
    tests below. A local pool runs prospect lists in tests/test_real_files.py."""
    tmp_path = tmp_path_factory.mktemp("prospects")
    out = tmp_path / "out"
    proc = rcm("batch", "--prospects", six_rows(tmp_path), "--offer", OFFER, "-o", out,
               "--scheduler", cluster, "--format", "html", "--no-progress")
    return proc, out, tmp_path


def test_prospect_list_one_bad_row(six_on_the_cluster):
    import csv

    import yaml

    proc, out, tmp_path = six_on_the_cluster
    assert proc.returncode == 1, proc.stderr
    assert "row 5, column providers" in proc.stderr and "Broken Clinic" in proc.stderr
    assert "Traceback" not in proc.stderr
    rows = list(csv.DictReader((tmp_path / "six.csv").open()))
    good = [r for r in rows if r["name"] != "Broken Clinic"]
    slugs = ["riverside-family-medicine", "lakeview-pediatrics", "harbor-dermatology",
             "oak-street-behavioral-health", "pinecrest-orthopaedics"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{s}.html" for s in slugs] + ["index.html", "prospects-summary.csv", "scenarios"])
    assert sorted(p.stem for p in (out / "scenarios").iterdir()) == sorted(slugs)
    check = rcm_here("validate", *sorted((out / "scenarios").iterdir()))
    assert check.returncode == 0, check.stderr
    for slug, row in zip(slugs, good):
        page = (out / f"{slug}.html").read_text()
        assert row["name"] in page and "Summit Billing Partners" in page
    index = (out / "index.html").read_text()
    assert "row 5: Broken Clinic" in index and "column providers" in index
    assert all(f'href="./{s}.html"' in index for s in slugs) and "data-col" in index

    summary = list(csv.DictReader((out / "prospects-summary.csv").open()))
    assert [r["name"] for r in summary] == [r["name"] for r in rows]   # the list's order
    broken = summary[3]
    assert broken["report"] == "" and broken["net_gain"] == ""
    offer = yaml.safe_load(OFFER.read_text())
    for row, line in zip(good, [r for r in summary if r["name"] != "Broken Clinic"]):
        scenario = tmp_path / f"{row['name']}.yaml"
        scenario.write_text(yaml.safe_dump(equivalent_scenario(row, offer)))
        ev = rcm_here("evaluate", scenario, "--json")
        assert ev.returncode == 0, ev.stderr
        v = json.loads(ev.stdout)["vendors"][0]
        assert float(line["net_gain"]) == pytest.approx(v["annual"]["net_gain"], abs=0.005)
        assert float(line["roi"]) == pytest.approx(v["annual"]["roi"], abs=5e-5)  # 4 places
        assert float(line["npv"]) == pytest.approx(v["timeline"]["npv"], abs=0.005)
        assert (int(line["payback_month"]) if line["payback_month"] else None) \
            == v["timeline"]["payback_month"]
        assert line["report"].endswith(".html")


def test_prospects_on_a_dask_cluster(six_on_the_cluster):
    proc, out, _ = six_on_the_cluster
    assert proc.returncode == 1, proc.stderr
    assert "row 5, column providers" in proc.stderr
    assert not list(out.glob("*.pdf")) and len(list(out.glob("*.html"))) == 6
    assert len(list((out / "scenarios").glob("*.yaml"))) == 5
    assert "Riverside Family Medicine" in (out / "riverside-family-medicine.html").read_text()


# -------------------------------------------------------------------------- warm kernels
PROBE = {
    "cells": [
        {"cell_type": "code", "id": "params", "metadata": {"tags": ["parameters"]}, "outputs": [],
         "execution_count": None, "source": 'scenario_path = ""\nsecret = ""'},
        {"cell_type": "code", "id": "probe", "metadata": {}, "outputs": [], "execution_count": None,
         "source": "import warnings\nwarnings.warn('probe warning ' + 'shown every time')\n"
                   "print('seen:', sorted(k for k in globals() if k.startswith('leak')))\n"
                   "print('filters:', len(warnings.filters))\n"
                   "warnings.simplefilter('ignore')\n"
                   "leak_secret = secret"},
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def _outputs(nb) -> str:
    return json.dumps([c.get("outputs", []) for c in nb.cells])


@pytest.fixture(scope="module")
def warm_kernel():
    """One warm kernel for the two tests below (each counts its own reports and restarts)."""
    from rcmmodel.reports.warm import WarmKernel

    with WarmKernel() as kernel:
        yield kernel


def test_warm_kernel_leaves_nothing_for_the_next_report(tmp_path, warm_kernel):
    """Practice B on a fresh kernel, then practice A and B again on that kernel kept warm:
    the second B is byte for byte the first (figures, names, charts, execution counts),
    and nothing of A is in it."""
    from rcmmodel.reports.render import execute, render_bytes

    a, b = SCENARIOS / "guide-example.yaml", SCENARIOS / "physical-therapy.yaml"
    kernel = warm_kernel
    assert kernel.pid is None                # not started: B is its first report
    probe = tmp_path / "probe.ipynb"
    probe.write_text(json.dumps(PROBE))
    fresh_b, fresh_fig, _ = render_bytes(b, "proposal", ("html", "ipynb"), kernel=kernel)
    warm_a, fig_a, _ = render_bytes(a, "proposal", ("html", "ipynb"), kernel=kernel)
    warm_b, warm_fig, _ = render_bytes(b, "proposal", ("html", "ipynb"), kernel=kernel)
    assert kernel.reports == 3 and kernel.restarts == 0
    first = execute(a, str(probe), {"secret": "practice-A-secret"}, kernel=kernel)
    second = execute(b, str(probe), {"secret": "practice-B"}, kernel=kernel)
    assert warm_b["html"] == fresh_b["html"]                 # charts and all, byte for byte
    assert warm_fig == fresh_fig and warm_fig != fig_a

    def cells(raw):   # papermill gives its injected cell a random id
        nb = json.loads(raw)
        return [{k: v for k, v in c.items() if k != "id"} for c in nb["cells"]]
    assert cells(warm_b["ipynb"]) == cells(fresh_b["ipynb"])  # execution counts included
    text = warm_b["html"].decode() + warm_b["ipynb"].decode()
    for trace in ("Guide example", "Guide Billing Co", "$128,720"):   # A's name, vendor, NPV
        assert trace in warm_a["html"].decode() and trace not in text
    # Namespace, warnings and their filters: B sees none of what A's run did.
    one, two = _outputs(first), _outputs(second)
    assert "seen: []" in one and "seen: []" in two and "practice-A-secret" not in two
    assert "probe warning shown every time" in one and "probe warning shown every time" in two
    assert one.split("filters:")[1][:6] == two.split("filters:")[1][:6]
    assert second.cells[-1]["execution_count"] == first.cells[-1]["execution_count"]


def test_dead_kernel_is_replaced_and_the_report_retried(tmp_path, warm_kernel):

    from rcmmodel.reports.render import execute

    marker = tmp_path / "died-once"
    nb = json.loads(json.dumps(PROBE))
    nb["cells"][1]["source"] = (f"import os, pathlib\nm = pathlib.Path({str(marker)!r})\n"
                                "if not m.exists():\n    m.touch(); os._exit(1)\n"
                                "print('survived')")
    probe = tmp_path / "dies.ipynb"
    probe.write_text(json.dumps(nb))
    scenario = SCENARIOS / "guide-example.yaml"
    kernel, restarts = warm_kernel, warm_kernel.restarts
    done = execute(scenario, str(probe), {"secret": ""}, kernel=kernel)
    assert "survived" in _outputs(done) and kernel.restarts == restarts + 1
    os.kill(kernel.pid, signal.SIGKILL)      # dies between reports: replaced quietly
    deadline = time.time() + 30
    while kernel.alive() and time.time() < deadline:
        time.sleep(0.05)
    assert not kernel.alive()
    again = execute(scenario, str(probe), {"secret": ""}, kernel=kernel)
    assert "survived" in _outputs(again) and kernel.restarts == restarts + 2


# -------------------------------------------------------------------------- signals
def _cmdline(p) -> str:
    import psutil

    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return ""


def _stop_at(moment: str, out: Path, signum=signal.SIGTERM) -> tuple[int, float, list, str]:
    """Start a 2-worker prospect batch into ``out``, which holds an index of an earlier run,
    send one ``signum`` at ``moment`` and return (exit code, seconds it took to end, the
    process tree as it was, stderr). Moments: ``workers`` (the pool has started),
    ``kernels`` (both workers' kernels are starting), ``report`` (the first report is
    written: the workers are rendering the next ones). Two formats, so a report is a set
    of files; HTML and the notebook, the quickest to make."""
    import psutil

    out.mkdir()
    (out / "index.html").write_text("stale index of an earlier run")
    proc = subprocess.Popen(
        [sys.executable, "-m", "rcmmodel", "batch", "--prospects",
         CRM_EXAMPLES / "prospects-example.csv", "--offer", OFFER, "-o", out, "--workers", "2",
         "--format", "html,ipynb", "--no-progress"], cwd=ROOT, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True, start_new_session=True)
    tree, deadline = [], time.time() + 180
    try:
        while True:
            assert proc.poll() is None, f"the batch ended before {moment}: " + \
                proc.communicate()[1]
            assert time.time() < deadline, f"the batch never reached {moment}"
            tree = psutil.Process(proc.pid).children(recursive=True) or tree
            kernels = sum("ipykernel" in _cmdline(p) for p in tree)
            if ((moment == "workers" and tree) or (moment == "kernels" and kernels >= 2)
                    or (moment == "report" and list(out.glob("*.ipynb")))):
                break
            time.sleep(0.1)
        proc.send_signal(signum)                  # one, and only one
        start = time.time()
        _, err = proc.communicate(timeout=90)
        return proc.returncode, time.time() - start, tree, err
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)


def _check_stopped(moment, out, code, seconds, tree, err, expected=143):
    """One signal ended the batch soon, leaving no process, no partial or hidden file, and
    an index that says what was not rendered."""
    import psutil

    assert code == expected, (moment, code, err)
    assert seconds < 30, (moment, seconds)
    assert "Traceback" not in err, (moment, err)
    _, alive = psutil.wait_procs(tree, timeout=10)
    assert not alive, (moment, [_cmdline(p) for p in alive])
    assert not list(out.rglob("*.part")) and not list(out.rglob(".*")), \
        (moment, list(out.rglob(".*")))
    index = (out / "index.html").read_text()
    assert "stale index" not in index and "Not rendered" in index
    assert "The batch was stopped before these practices were rendered" in index
    assert "Riverside Family Medicine" in index


@pytest.mark.parametrize("signum, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_signal_mid_batch_leaves_no_process_and_no_partial_file(tmp_path, signum, code):
    """Stopped as both workers' kernels come up."""
    out = tmp_path / "out"
    _check_stopped("kernels", out, *_stop_at("kernels", out, signum), expected=code)


def test_one_sigterm_always_ends_a_two_worker_batch(tmp_path):
    """The probe: 2 of 7 stops left the parent spinning until a second SIGTERM. Stopped
    while its workers start and while they render (as their kernels come up: the test
    above)."""
    for moment in ("workers", "report"):
        out = tmp_path / moment
        _check_stopped(moment, out, *_stop_at(moment, out))


# -------------------------------------------------------------------------- --vendor, --brand

def two_practices_quoted_by_acme(tmp_path) -> Path:
    """Two practices, each with a quote from the same billing company, spelled differently."""
    src = tmp_path / "practices"
    src.mkdir()
    for name, spelled in (("guide-example.yaml", "Acme RCM"), ("physical-therapy.yaml", "ACME rcm")):
        text = (SCENARIOS / name).read_text()
        text = text.replace("\nvendors:\n", f"\nvendors:\n  - name: {spelled}\n"
                            "    pricing: {model: percentage, rate: 0.06}\n"
                            "    uplift: 0.05\n", 1)
        (src / name).write_text(text)
    return src


def test_batch_vendor_renders_that_vendors_proposals_branded(cluster, tmp_path):
    """All good: exit 0, every format asked for written (the notebook too). On the
    cluster's warm kernels (the job and its brand travel to the worker as they would to a
    local one)."""
    src = two_practices_quoted_by_acme(tmp_path)
    out = tmp_path / "out"
    brand = ROOT / "tests" / "data" / "brand" / "northwind.yaml"
    proc = rcm_here("batch", src, "-o", out, "--vendor", "acme rcm", "--brand", brand,
                    "--scheduler", cluster, "--format", "html,ipynb", "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert "2 of 2 reports rendered" in proc.stdout
    names = sorted(p.name for p in out.iterdir())
    assert names == ["guide-example-proposal-acme-rcm.html",
                     "guide-example-proposal-acme-rcm.ipynb", "index.html",
                     "physical-therapy-proposal-acme-rcm.html",
                     "physical-therapy-proposal-acme-rcm.ipynb"]
    for name in (names[0], names[3]):
        assert json.loads((out / name.replace(".html", ".ipynb")).read_text())["cells"]
        page = (out / name).read_text()
        assert "Outsourcing proposal from Acme RCM" in page or \
            "Outsourcing proposal from ACME rcm" in page
        assert "Prepared by Northwind Billing Partners" in page
        assert "data:image/png;base64," in page


def test_batch_vendor_missing_from_a_scenario_exits_2_naming_it(tmp_path):
    src = two_practices_quoted_by_acme(tmp_path)
    shutil.copy(SCENARIOS / "dermatology-clinic.yaml", src / "dermatology-clinic.yaml")
    out = tmp_path / "out"
    proc = rcm_here("batch", src, "-o", out, "--vendor", "Acme RCM")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "dermatology-clinic.yaml" in proc.stderr and "--vendor" in proc.stderr
    assert "guide-example.yaml" not in proc.stderr
    assert not out.exists() or list(out.iterdir()) == []
    proc = rcm_here("batch", src, "-o", out, "--vendor", "Acme RCM", "--template", "decision")
    assert proc.returncode == 2 and "proposal and audit templates only" in proc.stderr


def _dies_on_two(job):
    if job == 2:
        os._exit(1)                     # the worker process dies, as an OOM kill would
    return {"ok": True, "job": job}


def test_a_dead_worker_fails_its_jobs_and_the_pool_loop_ends():
    """The pool is fed a few jobs at a time (so finished reports are let go): a worker that
    dies breaks the pool, and every job not yet run is reported failed, none lost."""
    from rcmmodel.reports.pool import local

    got = dict(local(list(range(8)), 1, _dies_on_two))
    assert sorted(got) == list(range(8))
    assert got[0] == {"ok": True, "job": 0}
    assert not got[2]["ok"] and "worker failed" in got[2]["error"]
    assert all(not got[i]["ok"] for i in range(3, 8))


def test_an_audit_batch_renders_and_indexes_the_verdict(cluster, tmp_path):
    """``rcm batch --template audit`` (the audit report itself: tests/test_audit_report.py),
    on the cluster's warm kernels: the scenario's claims files are found beside it."""
    example = SCENARIOS / "audit" / "audit-example.yaml"
    out = rcm_here("batch", example, "--template", "audit", "-o", tmp_path, "--scheduler",
                   cluster, "--format", "html", "--no-progress")
    assert out.returncode == 0, out.stderr
    index = (tmp_path / "index.html").read_text()
    assert "audit-example-audit.html" in index and ">partly<" in index
    assert (tmp_path / "audit-example-audit.html").is_file()
