"""Proposals at scale (issue 16): warm workers against cold ``rcm report``, one worker
against two, a worker's memory over many reports, and a projection for 5,000 prospects.

All in one run, on the same scenarios (the example prospect list with the example offer,
repeated to the size asked), HTML + PDF:

1. **cold**: ``rcm report SCENARIO --template proposal`` as a user types it, once per
   scenario: a new process, a new kernel, every library imported again.
2. **warm**: the batch worker's own code (:func:`rcmmodel.reports.batch.render_job` on
   this process's warm kernel), timed per report after the first, which pays for the
   kernel and imports once.
3. **workers**: ``rcm batch --prospects LIST --offer OFFER --workers 1`` against
   ``--workers 2``, end to end (wall clock).
4. **memory**: resident memory of the worker and its kernel after each warm report.

Goals: warm >= 2.5x cheaper per report than cold; two workers >= 1.7x faster than one;
memory flat within 10%.

Usage::

    python benchmarks/bench_batch.py                 # 6 cold, 24 warm, 12 per worker run
    python benchmarks/bench_batch.py --warm 200      # memory over 200 reports (~10 min)
"""
from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "scenarios" / "prospects"
OFFER = EXAMPLES / "offer-example.yaml"


def rcm(*argv) -> tuple[float, float]:
    """Run ``rcm``: (wall seconds, CPU seconds of it and everything it started)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"rcm {' '.join(map(str, argv))} failed:\n{proc.stderr}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)   # a kernel is waited for by rcm,
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def cpu_seconds(pids) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def prospect_list(path: Path, n: int) -> Path:
    """The example list repeated to ``n`` rows, each with its own name."""
    with open(EXAMPLES / "prospects-example.csv", newline="") as f:
        reader = csv.DictReader(f)
        rows, header = list(reader), reader.fieldnames
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["name"] = f"{row['name']} {i + 1:04d}"
            writer.writerow(row)
    return path


def scenario_files(csv_path: Path, folder: Path) -> list[Path]:
    from rcmmodel.reports.prospects import load_offer, read_prospects, scenario_yaml

    folder.mkdir(exist_ok=True)
    out = []
    for p in read_prospects(csv_path, load_offer(OFFER)):
        target = folder / f"{p.slug}.yaml"
        target.write_text(scenario_yaml(p.scenario))
        out.append(target)
    return out


def rss_mb(pids) -> float:
    import psutil

    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cold", type=int, default=6, help="cold rcm report runs (default 6)")
    ap.add_argument("--warm", type=int, default=24,
                    help="warm reports in one worker, also the memory run (default 24; "
                         "the issue's memory check is --warm 200)")
    ap.add_argument("--per-run", type=int, default=12,
                    help="prospects in each rcm batch of the 1-vs-2-worker check")
    args = ap.parse_args()
    from rcmmodel.reports.batch import render_job
    from rcmmodel.reports.warm import close_all, worker_kernel

    print(f"machine: {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at start")
    with tempfile.TemporaryDirectory(prefix="rcm-bench-") as tmp:
        tmp = Path(tmp)
        scenarios = scenario_files(prospect_list(tmp / "list.csv", max(args.cold, args.warm)),
                                   tmp / "scenarios")
        rcm("validate", scenarios[0])        # warm the file cache; both sides start equal

        # 1 and 2, interleaved so both see the same machine load.
        cold, warm, memory, cold_cpu, warm_cpu = [], [], [], [], []
        kernel = worker_kernel()
        start = time.perf_counter()
        render_job({"scenario": str(scenarios[0]), "stem": "first", "template": "proposal",
                    "formats": ("html", "pdf")})
        first = time.perf_counter() - start
        pids = [os.getpid(), kernel.pid]
        baseline = None
        for i, s in enumerate(scenarios[:args.warm]):
            if i < args.cold:
                wall, cpu = rcm("report", s, "-o", tmp / "cold", "--template", "proposal",
                                "--format", "html,pdf")
                cold.append(wall)
                cold_cpu.append(cpu)
            cpu = cpu_seconds(pids)
            start = time.perf_counter()
            res = render_job({"scenario": str(s), "stem": s.stem, "template": "proposal",
                              "formats": ("html", "pdf")})
            warm.append(time.perf_counter() - start)
            warm_cpu.append(cpu_seconds(pids) - cpu)
            if not res["ok"]:
                raise SystemExit(res["error"])
            memory.append(rss_mb(pids))
            if i == min(9, args.warm - 1):
                baseline = memory[-1]
        restarts = kernel.restarts
        close_all()
        nan = float("nan")
        cold_s, cold_c = (statistics.median(cold), statistics.median(cold_cpu)) if cold \
            else (nan, nan)
        warm_s, warm_c = statistics.median(warm), statistics.median(warm_cpu)

        # 3: one worker against two, end to end.
        batch_list = prospect_list(tmp / "batch.csv", args.per_run)
        one, one_cpu = rcm("batch", "--prospects", batch_list, "--offer", OFFER, "-o", tmp / "w1",
                  "--workers", 1, "--no-progress")
        two, two_cpu = rcm("batch", "--prospects", batch_list, "--offer", OFFER, "-o", tmp / "w2",
                  "--workers", 2, "--no-progress")

    n = args.per_run
    print("\nproposals, HTML + PDF, median per report: wall clock, and CPU time (the cost;")
    print("wall clock on a busy shared machine also counts waiting for a core)")
    print(f"  cold `rcm report`, {len(cold)} runs:  {cold_s:6.2f} s wall  {cold_c:6.2f} s CPU")
    print(f"  warm worker, {len(warm)} reports:     {warm_s:6.2f} s wall  {warm_c:6.2f} s CPU"
          f"   (its first report, starting the kernel: {first:.2f} s wall)")
    print(f"  warm vs cold: {cold_s / warm_s:.2f}x wall, {cold_c / warm_c:.2f}x CPU "
          "(goal >= 2.5x)")
    print(f"\nrcm batch --prospects, {n} proposals, end to end")
    print(f"  --workers 1: {one:6.1f} s ({one / n:.2f} s per report)")
    print(f"  --workers 2: {two:6.1f} s ({two / n:.2f} s per report)")
    print(f"  two workers vs one: {one / two:.2f}x (goal >= 1.7x on 2 cores); load average "
          f"now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    # CPU seconds do not depend on what else the machine runs: if two workers spend about
    # what one spends (plus a second kernel start), two free cores halve the wall time.
    print(f"  CPU time: {one_cpu:.1f} s with one worker, {two_cpu:.1f} s with two: on two "
          f"idle cores, two workers would be up to {2 * one_cpu / two_cpu:.2f}x faster")
    growth = (memory[-1] - baseline) / baseline if baseline else float("nan")
    print(f"\nmemory of one worker + its kernel (RSS) over {len(memory)} reports")
    print(f"  after report 1: {memory[0]:.0f} MB; after report {min(10, len(memory))}: "
          f"{baseline:.0f} MB; after report {len(memory)}: {memory[-1]:.0f} MB; "
          f"max {max(memory):.0f} MB")
    print(f"  growth from report 10 to the last: {growth:+.1%} (goal: within 10%); "
          f"kernel restarts: {restarts}")
    # Projection: a worker per core, each report costing the measured warm CPU time (what a
    # report costs on a core of its own, as on an idle machine or a cluster), scaled by
    # the parallel efficiency measured here (two workers against one), plus one kernel
    # start per worker. 32 cores assumes that efficiency holds (no other bottleneck: the
    # parent only writes files; on Dask each worker is its own process).
    efficiency = min(1.0, (one / two) / 2)
    print("\nprojection for 5,000 prospects (warm workers, one per core, "
          f"parallel efficiency {efficiency:.0%} as measured on 2 workers)")
    for cores in (2, 32):
        hours = (first + 5000 * warm_c / (cores * efficiency)) / 3600
        print(f"  {cores:2d} cores: {hours:5.2f} h ({hours * 60:.0f} min); "
              f"memory ~{cores * max(memory) / 1024:.1f} GB")
    print(f"  for comparison, 5,000 cold `rcm report` runs on 2 cores: "
          f"{5000 * cold_c / (2 * efficiency) / 3600:.1f} h")


if __name__ == "__main__":
    main()
