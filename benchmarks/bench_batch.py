"""Proposals at scale (issues 16 and 26): a cold ``rcm report`` against a warm worker, one
worker against two, each timed as a user sees it.

Each *pair* (default 3) runs, one right after another so all three see the same load:

1. **cold**: ``rcm report SCENARIO --template proposal --format html,pdf`` as a user types it:
   a new process, a new kernel, every library imported;
2. **one warm worker**: ``rcm batch --prospects LIST --offer OFFER --workers 1`` of N
   prospects (default 12), whole wall time over N: the batch's start-up (its worker, the
   worker's kernel and imports) is counted, as a user waiting for it counts it;
3. **two workers**: the same batch with ``--workers 2``.

It prints every run with the machine's load, then the medians of the pairs' ratios:
cold / warm (goal >= 3x) and one worker / two (goal >= 1.8x), and the same from CPU
seconds (which a busy machine does not inflate: what a report costs, and what two idle
cores would give). Where a report's time goes is ``bench_report_budget.py``; 200 prospects,
memory and the projection for 5,000 are ``bench_batch_memory.py``.

Usage::

    python benchmarks/bench_batch.py                  # 3 pairs, 12 prospects a batch
    python benchmarks/bench_batch.py --pairs 5 --per-run 24
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch_common import (OFFER, ROOT, load, median, prospect_list, rcm,  # noqa: E402
                          scenario_files)

COLD_GOAL, WORKERS_GOAL = 3.0, 1.8


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=3, help="paired runs (default 3)")
    ap.add_argument("--per-run", type=int, default=12,
                    help="prospects in each rcm batch (default 12)")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    n = args.per_run
    print(f"proposals, HTML + PDF; {load()} at start")
    rows = []
    with tempfile.TemporaryDirectory(prefix="rcm-bench-") as tmp:
        tmp = Path(tmp)
        batch_list = prospect_list(tmp / "batch.csv", n)
        scenarios = scenario_files(prospect_list(tmp / "cold.csv", args.pairs),
                                   tmp / "scenarios")
        rcm("validate", scenarios[0])        # warm the file cache: every run starts equal
        for k in range(args.pairs):
            cold = rcm("report", scenarios[k], "-o", tmp / f"cold{k}", "--template",
                       "proposal", "--format", "html,pdf")
            one = rcm("batch", "--prospects", batch_list, "--offer", OFFER, "-o",
                      tmp / f"w1-{k}", "--workers", 1, "--no-progress")
            two = rcm("batch", "--prospects", batch_list, "--offer", OFFER, "-o",
                      tmp / f"w2-{k}", "--workers", 2, "--no-progress")
            rows.append((cold, one, two))
            print(f"pair {k + 1}: cold {cold[0]:5.1f} s wall {cold[1]:5.1f} s CPU | "
                  f"1 worker {one[0] / n:5.2f} s wall {one[1] / n:5.2f} s CPU a report | "
                  f"2 workers {two[0] / n:5.2f} s wall {two[1] / n:5.2f} s CPU a report | "
                  f"{load()}", flush=True)
    warm = median([c[0] / (o[0] / n) for c, o, _ in rows])
    warm_cpu = median([c[1] / (o[1] / n) for c, o, _ in rows])
    two = median([o[0] / t[0] for _, o, t in rows])
    # CPU seconds do not depend on what else the machine runs: if two workers spend about
    # what one spends (plus a second kernel's start), two free cores halve the wall time.
    two_cpu = median([2 * o[1] / t[1] for _, o, t in rows])
    print(f"\nmedians of {len(rows)} pairs ({n} prospects a batch):")
    print(f"  cold `rcm report`:           {median([c[0] for c, _, _ in rows]):6.2f} s wall "
          f"{median([c[1] for c, _, _ in rows]):6.2f} s CPU (goal: under 4 s wall)")
    print(f"  a report, 1 warm worker:     {median([o[0] / n for _, o, _ in rows]):6.2f} s wall "
          f"{median([o[1] / n for _, o, _ in rows]):6.2f} s CPU (start-up included)")
    print(f"  a report, 2 workers:         {median([t[0] / n for _, _, t in rows]):6.2f} s wall "
          f"{median([t[1] / n for _, _, t in rows]):6.2f} s CPU")
    print(f"  cold / warm worker:          {warm:6.2f}x wall, {warm_cpu:.2f}x CPU "
          f"(goal >= {COLD_GOAL:.0f}x)")
    print(f"  two workers / one:           {two:6.2f}x wall (goal >= {WORKERS_GOAL}x); on two "
          f"idle cores, by CPU: up to {two_cpu:.2f}x")
    print(f"  {load()} at the end")


if __name__ == "__main__":
    main()
