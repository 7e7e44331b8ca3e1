"""Benchmark: 5,000 prospects, projected from 200 rendered on 2 workers (issues 23 and 26).

``rcm batch --prospects`` (its library call, :func:`rcmmodel.reports.prospect_batch.
run_prospects`) renders the example prospect list, repeated, as proposals (HTML + PDF) at
two sizes (default 20 and 200), each in a fresh process, and prints for each

* the wall time, and the **CPU seconds per report** of the whole tree (the batch parent, its
  workers and their kernels), from the operating system's accounting of every process
  that ended (``RUSAGE_CHILDREN``), and the parent's own share;
* the **peak resident memory** of the parent (``ru_maxrss``), of each worker and of each
  worker's kernel (``VmHWM``, read from /proc while they run), and each one's resident
  memory a fifth of the way through against at the end (flat: no growth per report);
* the bytes a report writes.

From the two sizes it takes the *marginal* cost of a report (the larger run's CPU less the
smaller's, over the reports between them: start-up excluded) and projects 5,000 prospects
on 32 cores, its assumptions printed beside it. The parent's memory is flat when the larger
run peaks within a few MB of the smaller (the probe that opened issue 23 found ~1 MB per
report held to the end).

Not a timed test, and not part of ``pytest``: run it by hand (~220 proposals: 10 to 30
minutes on 2 shared cores).

    python benchmarks/bench_batch_memory.py                  # N = 20 and 200, 2 workers
    python benchmarks/bench_batch_memory.py --stand-in       # workers return 1 MB of bytes
    python benchmarks/bench_batch_memory.py --sizes 50 500 --workers 2

``--stand-in`` replaces the rendering with a job that returns a megabyte of report bytes
at once, so the parent's bookkeeping (results, outcomes, index, summary) is measured in
seconds rather than the many minutes real proposals take on a small machine.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_common import (EXAMPLES, ROOT, children_cpu, cpu_seconds, load,  # noqa: E402
                          peak_mb_self, prospect_list, status_mb)

REPORT_BYTES = 1024 * 1024
TARGET, CORES, GOAL_HOURS = 5000, 32, 2.0


def stand_in_job(job: dict) -> dict:
    """What a worker returns for a proposal, without rendering it: a megabyte of bytes."""
    return {"ok": True, "name": job.get("label", "x"), "figures": None, "seconds": 0.0,
            "data": {"html": b"h" * (REPORT_BYTES // 2), "pdf": b"p" * (REPORT_BYTES // 2)}}


class Watch:
    """Every descendant of this process (workers, kernels), sampled twice a second: its
    role, peak resident memory (VmHWM), resident memory over time and CPU seconds."""

    def __init__(self, every: float = 0.5):
        self.every, self.procs, self.start, self.cpu = every, {}, time.perf_counter(), 0.0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)
        self.thread.start()

    def _loop(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            try:
                kids = me.children(recursive=True)
            except psutil.Error:
                kids = []
            now = time.perf_counter() - self.start
            for p in kids:
                info = self.procs.get(p.pid)
                if info is None:
                    try:
                        line = " ".join(p.cmdline())
                    except psutil.Error:
                        continue
                    # workers (spawned) and kernels; not the resource tracker, nor the
                    # short-lived helpers a library may run (ldconfig, ...)
                    role = ("kernel" if "ipykernel" in line else
                            "worker" if "spawn_main" in line else None)
                    if role is None:
                        continue
                    info = self.procs[p.pid] = {
                        "role": role,
                        "parent": p.ppid(), "peak_mb": 0.0, "rss": [], "cpu": 0.0}
                peak = status_mb(p.pid, "VmHWM")
                if peak:
                    info["peak_mb"] = max(info["peak_mb"], peak)
                    info["rss"].append((now, status_mb(p.pid, "VmRSS")))
                    info["cpu"] = max(info["cpu"], cpu_seconds([p.pid]))
            self.cpu = time.thread_time()       # this sampler's own CPU, not the batch's
            self._stop.wait(self.every)

    def stop(self) -> list[dict]:
        self._stop.set()
        self.thread.join()
        total = time.perf_counter() - self.start
        out = []
        for pid, info in self.procs.items():
            rss = info.pop("rss")
            early = [r for t, r in rss if t >= total / 5] or [r for _, r in rss] or [0.0]
            out.append({**info, "pid": pid, "rss_fifth_mb": early[0],
                        "rss_end_mb": rss[-1][1] if rss else 0.0})
        return out


def child(n: int, workers: int, stand_in: bool) -> None:
    """One batch of ``n`` prospects in this process; print what it measured as JSON."""
    import resource

    sys.path.insert(0, str(ROOT))
    from rcmmodel.reports import batch
    from rcmmodel.reports.prospect_batch import run_prospects

    if stand_in:
        batch.render_job = stand_in_job
    with tempfile.TemporaryDirectory() as tmp:
        watch = Watch()
        start = time.perf_counter()
        outcomes = run_prospects(prospect_list(Path(tmp) / "list.csv", n),
                                 EXAMPLES / "offer-example.yaml", Path(tmp) / "out",
                                 workers=workers, formats=("html", "pdf"), progress=False,
                                 log=lambda line: None)
        seconds = time.perf_counter() - start
        procs = watch.stop()
        written = sum(f.stat().st_size for f in (Path(tmp) / "out").rglob("*") if f.is_file())
    me = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"n": n, "ok": sum(o.ok for o in outcomes), "seconds": seconds,
                      "peak_mb": peak_mb_self(),
                      "parent_cpu": me.ru_utime + me.ru_stime - watch.cpu,
                      "watch_cpu": watch.cpu,
                      "procs": procs, "bytes": written}))


def run_size(n: int, workers: int, stand_in: bool) -> dict:
    cmd = [sys.executable, __file__, "--child", str(n), "--workers", str(workers)]
    before = children_cpu()
    proc = subprocess.run(cmd + (["--stand-in"] if stand_in else []), cwd=ROOT,
                          capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        raise SystemExit(1)
    run = json.loads(proc.stdout.strip().splitlines()[-1])
    # the parent, its workers, their kernels; not the sampler watching them
    run["cpu"] = children_cpu() - before - run["watch_cpu"]
    run["load"] = os.getloadavg()[0]
    return run


def show(r: dict) -> None:
    print(f"N = {r['n']:>5}: {r['ok']} rendered in {r['seconds']:.0f} s wall "
          f"({r['seconds'] / r['n']:.2f} s a report), load average {r['load']:.1f}; CPU "
          f"{r['cpu']:.0f} s in all, {r['cpu'] / r['n']:.2f} s a report (the parent's own "
          f"{r['parent_cpu'] / r['n']:.3f} s); {r['bytes'] / r['n'] / 1024:.0f} KB written "
          "a report")
    print(f"  parent: peak {r['peak_mb']:.0f} MB")
    workers = [p for p in r["procs"] if p["role"] == "worker"]
    for k, w in enumerate(sorted(workers, key=lambda p: p["pid"]), 1):
        print(f"  worker {k}: peak {w['peak_mb']:.0f} MB (resident {w['rss_fifth_mb']:.0f} MB "
              f"a fifth of the way, {w['rss_end_mb']:.0f} MB at the end), CPU {w['cpu']:.0f} s")
        for kern in (p for p in r["procs"] if p["role"] == "kernel" and p["parent"] == w["pid"]):
            print(f"    its kernel: peak {kern['peak_mb']:.0f} MB (resident "
                  f"{kern['rss_fifth_mb']:.0f} MB a fifth of the way, {kern['rss_end_mb']:.0f}"
                  f" MB at the end), CPU {kern['cpu']:.0f} s")


def project(a: dict, b: dict, workers: int) -> None:
    """5,000 prospects on 32 cores from the marginal cost between two sizes."""
    extra = b["n"] - a["n"]
    per = (b["cpu"] - a["cpu"]) / extra                       # CPU a report, start-up excluded
    parent = (b["parent_cpu"] - a["parent_cpu"]) / extra      # of which the parent's
    startup = max(0.0, a["cpu"] - per * a["n"]) / workers      # a worker's start, its kernel's
    worker_cost = per - parent
    hours = (startup + TARGET * worker_cost / CORES) / 3600
    busy = parent * CORES / worker_cost if worker_cost > 0 else float("inf")
    if busy > 1:                   # the parent cannot keep up: it sets the pace
        hours = max(hours, TARGET * parent / 3600)
    grow = (b["peak_mb"] - a["peak_mb"]) / extra              # MB a prospect, in the parent
    procs = [p for p in b["procs"]]
    worker_peak = max((p["peak_mb"] for p in procs if p["role"] == "worker"), default=0.0)
    kernel_peak = max((p["peak_mb"] for p in procs if p["role"] == "kernel"), default=0.0)
    parent_mb = b["peak_mb"] + max(0.0, grow) * (TARGET - b["n"])
    memory_gb = (parent_mb + CORES * (worker_peak + kernel_peak)) / 1024
    wall_hours = b["seconds"] / b["n"] * workers / CORES * TARGET / 3600
    print(f"\nmarginal cost of a report (N = {a['n']} to {b['n']}): {per:.2f} s CPU, of which "
          f"the parent {parent:.3f} s; a worker's start (process, kernel, imports) "
          f"{startup:.1f} s CPU")
    print(f"parent's memory: {grow * 1024:+.0f} KB a prospect "
          f"({'flat' if grow * 1024 < 100 else 'NOT flat'}: the probe found ~1,000 KB)")
    print(f"\nprojection: {TARGET:,} prospects on {CORES} cores: {hours:.2f} h "
          f"({hours * 60:.0f} min; goal under {GOAL_HOURS:.0f} h: "
          f"{'met' if hours < GOAL_HOURS else 'MISSED'}); memory ~{memory_gb:.1f} GB, flat "
          f"(the parent {parent_mb:.0f} MB, each of {CORES} workers {worker_peak:.0f} MB and "
          f"its kernel {kernel_peak:.0f} MB at their peaks); {TARGET * b['bytes'] / b['n'] / 2**30:.1f}"
          " GB written")
    print("  assumptions: one local worker (and its kernel) per core, 32 cores of the speed "
          "measured here and free of other work; each report costs the marginal CPU above "
          "(what a core spends on it, waiting for none); the parent, one process, spends "
          f"{parent:.3f} s a report writing files and keeps up as long as 32 workers' "
          f"reports need less than one core of it (here {busy:.0%} of a core); workers "
          "start once, in parallel; memory per worker and kernel stays at the peaks "
          "measured over the run (no growth per report, as measured a fifth of the way "
          "against the end); no Dask, no network; the disk takes the bytes as fast.")
    print(f"  from wall time instead (this run's {b['seconds'] / b['n']:.2f} s a report on "
          f"{workers} workers at load {b['load']:.1f}, scaled linearly to {CORES}): "
          f"{wall_hours:.2f} h")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 200])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stand-in", action="store_true",
                        help="workers return 1 MB of bytes instead of rendering")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workers, args.stand_in)
        return 0
    print(f"proposals (HTML + PDF) of the example prospect list, {args.workers} workers; "
          f"{load()} at start", flush=True)
    runs = []
    for n in sorted(args.sizes):
        runs.append(run_size(n, args.workers, args.stand_in))
        show(runs[-1])
        sys.stdout.flush()
    if len(runs) > 1:
        a, b = runs[0], runs[-1]
        if args.stand_in:
            per = (b["peak_mb"] - a["peak_mb"]) / (b["n"] - a["n"]) * 1024
            print(f"growth: {per:.0f} KB per prospect ({'flat' if per < 100 else 'NOT flat'}"
                  ": the probe found ~1,000 KB)")
            return 0 if per < 100 else 1
        project(a, b, args.workers)
        return 0 if (b["peak_mb"] - a["peak_mb"]) / (b["n"] - a["n"]) * 1024 < 100 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
