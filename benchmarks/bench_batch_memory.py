"""Benchmark: a prospect batch's parent keeps its memory flat (issue 23).

The probe found the parent of ``rcm batch --prospects`` holding about 1 MB per report until
the end (5 GB at 5,000 prospects): every finished job's result (the HTML and PDF bytes)
stayed referenced by the process pool's futures, and every outcome kept the whole
evaluation. This runs the batch at two sizes, each in a fresh process, and prints the
parent's peak resident memory (``ru_maxrss`` of that process alone, not its workers):
flat means the larger run peaks within a few MB of the smaller.

Not a timed test, and not part of ``pytest``: run it by hand.

    python benchmarks/bench_batch_memory.py                  # N = 50 and 200, real proposals
    python benchmarks/bench_batch_memory.py --stand-in       # workers return 1 MB of bytes
    python benchmarks/bench_batch_memory.py --sizes 50 500 --workers 2

``--stand-in`` replaces the rendering with a job that returns a megabyte of report bytes
at once, so the parent's bookkeeping (results, outcomes, index, summary) is measured in
seconds rather than the many minutes real proposals take on a small machine.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "scenarios" / "prospects"
REPORT_BYTES = 1024 * 1024


def stand_in_job(job: dict) -> dict:
    """What a worker returns for a proposal, without rendering it: a megabyte of bytes."""
    return {"ok": True, "name": job.get("label", "x"), "figures": None, "seconds": 0.0,
            "data": {"html": b"h" * (REPORT_BYTES // 2), "pdf": b"p" * (REPORT_BYTES // 2)}}


def prospect_list(path: Path, n: int) -> Path:
    with open(EXAMPLES / "prospects-example.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows, header = list(reader), reader.fieldnames
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["name"] = f"{row['name']} {i + 1:04d}"
            writer.writerow(row)
    return path


def child(n: int, workers: int, stand_in: bool) -> None:
    """One batch of ``n`` prospects in this process; print its peak memory as JSON."""
    import resource

    sys.path.insert(0, str(ROOT))
    from rcmmodel.reports import batch
    from rcmmodel.reports.prospect_batch import run_prospects

    if stand_in:
        batch.render_job = stand_in_job
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        outcomes = run_prospects(prospect_list(Path(tmp) / "list.csv", n),
                                 EXAMPLES / "offer-example.yaml", Path(tmp) / "out",
                                 workers=workers, formats=("html", "pdf"), progress=False,
                                 log=lambda line: None)
        seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"n": n, "ok": sum(o.ok for o in outcomes), "seconds": seconds,
                      "peak_mb": peak_kb / 1024}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--stand-in", action="store_true",
                        help="workers return 1 MB of bytes instead of rendering")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workers, args.stand_in)
        return 0
    runs = []
    for n in args.sizes:
        cmd = [sys.executable, __file__, "--child", str(n), "--workers", str(args.workers)]
        proc = subprocess.run(cmd + (["--stand-in"] if args.stand_in else []), cwd=ROOT,
                              capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        if proc.returncode != 0:
            print(proc.stderr[-3000:], file=sys.stderr)
            return 1
        runs.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = runs[-1]
        print(f"N = {r['n']:>5}: {r['ok']} rendered in {r['seconds']:.0f} s; parent peak "
              f"{r['peak_mb']:.0f} MB", flush=True)
    if len(runs) > 1:
        (a, b) = runs[0], runs[-1]
        per = (b["peak_mb"] - a["peak_mb"]) / (b["n"] - a["n"]) * 1024
        print(f"growth: {per:.0f} KB per prospect ({'flat' if per < 100 else 'NOT flat'}: "
              f"the probe found ~1,000 KB)")
        return 0 if per < 100 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
