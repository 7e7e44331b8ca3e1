"""Eight decision reports: ``rcm batch --workers 2`` against eight ``rcm report`` runs one
after another, side by side in one run (issue 6). Goal: at least 1.7x faster on 2 cores.

Each side renders the same eight scenarios (the examples, repeated to make eight) to HTML
and PDF, as a user would type the commands. Prints seconds per report and the speedup.

Usage: ``python benchmarks/bench_batch.py [--reports 8] [--workers 2]``
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def rcm(*argv) -> None:
    proc = subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"rcm {' '.join(map(str, argv))} failed:\n{proc.stderr}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    examples = sorted((ROOT / "scenarios").glob("*.yaml"))
    with tempfile.TemporaryDirectory(prefix="rcm-bench-") as tmp:
        tmp = Path(tmp)
        src = tmp / "scenarios"
        src.mkdir()
        scenarios = []
        for i in range(args.reports):
            example = examples[i % len(examples)]
            target = src / f"{i:02d}-{example.name}"
            shutil.copy(example, target)
            scenarios.append(target)
        # Keep relative paths inside a scenario (quote sheets, claims files) working; only
        # *.yaml files are scenarios to rcm batch.
        for p in examples[0].parent.iterdir():
            if p.is_dir():
                shutil.copytree(p, src / p.name)
            elif p.suffix not in (".yaml", ".yml"):
                shutil.copy(p, src / p.name)

        rcm("validate", *scenarios)     # warm the file cache; both sides start equal
        start = time.perf_counter()
        for s in scenarios:
            rcm("report", s, "-o", tmp / "sequential", "--format", "html,pdf")
        sequential = time.perf_counter() - start

        start = time.perf_counter()
        rcm("batch", src, "-o", tmp / "batch", "--workers", args.workers,
            "--format", "html,pdf", "--no-progress")
        batch = time.perf_counter() - start

    n = args.reports
    print(f"{n} decision reports (HTML + PDF)")
    print(f"  rcm report x {n}, one after another: {sequential:7.1f} s  "
          f"({sequential / n:.2f} s per report)")
    print(f"  rcm batch --workers {args.workers}:          {batch:7.1f} s  "
          f"({batch / n:.2f} s per report)")
    print(f"  speedup: {sequential / batch:.2f}x (goal >= 1.7x on 2 cores)")


if __name__ == "__main__":
    main()
