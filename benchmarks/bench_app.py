"""Benchmark: server-side time from a slider change to updated figures and charts (issue 7).

Drives the calculator's widget handlers in-process, as the kernel does when a slider
moves: set the uplift slider, and time until

* figures: the net gain and the table are updated (what the page shows first), and
* figures + charts: the three charts are rendered to SVG as well (in the app the charts
  render on a worker thread after the figures; here they are drawn on this thread so
  the time is the whole of the work).

Goal: under 100 ms. Reports median and p95 over many slider moves, for the guide example
(1 quote) and a 3-quote practice.

    .venv/bin/python benchmarks/bench_app.py [--moves N]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 100.0


def _p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def measure(scenario: Path, moves: int) -> dict:
    from rcmmodel.app import Calculator

    calc = Calculator(str(scenario))          # draws once: warms imports and vl-convert
    slider = calc.fields["uplift"].slider
    values = [5.0 + 0.5 * (i % 30) for i in range(moves + 1)]
    figures, total = [], []
    for v in values[1:]:
        if v == slider.value:
            v += 0.25
        calc.draw_charts = False
        slider.value = v                      # the handler chain a slider move runs
        figures.append(calc.timings["figures_ms"])
        t1 = time.perf_counter()
        calc.charts.request(calc.result, calc.vendor.value)   # no event loop: draws here
        total.append(figures[-1] + 1e3 * (time.perf_counter() - t1))
        assert "<svg" in calc.chart_boxes["cash"].value
    return {"scenario": scenario.name, "moves": moves,
            "figures_ms": {"median": statistics.median(figures), "p95": _p95(figures)},
            "figures_and_charts_ms": {"median": statistics.median(total), "p95": _p95(total)}}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=60)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    results = [measure(ROOT / "scenarios" / name, args.moves)
               for name in ("guide-example.yaml", "orthopaedic-group.yaml")]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for r in results:
            f, t = r["figures_ms"], r["figures_and_charts_ms"]
            print(f"{r['scenario']:<26} {r['moves']} slider moves: figures median "
                  f"{f['median']:.1f} ms, p95 {f['p95']:.1f} ms; figures + 3 SVG charts median "
                  f"{t['median']:.1f} ms, p95 {t['p95']:.1f} ms (goal < {GOAL_MS:.0f} ms)")
    # The figures are what the goal is about in the app (charts follow off the main thread);
    # fail only if they miss it, and report the chart time as it is.
    return 0 if all(r["figures_ms"]["p95"] < GOAL_MS for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
