"""One evaluation of a 3-vendor scenario with a 36-month timeline: goal well under 5 ms.

Sliders must feel instant (docs/architecture.md, "Speed"). Prints the median and 95th
percentile over many runs,
beside the floor: the same steady-state figures computed inline for three vendors in
plain Python (no validation, no break-even, no timeline).

    python benchmarks/bench_evaluate.py
"""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import rcmmodel

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 5.0


def timed(fn, n):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * (n - 1))]


def main(n: int = 2000) -> None:
    scenario = rcmmodel.load_scenario(ROOT / "scenarios" / "dermatology-clinic.yaml")
    assert len(scenario.vendors) == 3 and scenario.timeline.horizon_months == 36
    rcmmodel.evaluate(scenario)          # warm up imports (scipy's brentq is imported lazily)

    def floor():
        c0 = 1_100_000.0
        return [c0 * u + 97_575.5 - r * c0 * (1 + u) for r, u in ((0.055, .08), (.04, .05), (.05, .06))]

    med, p95 = timed(lambda: rcmmodel.evaluate(scenario), n)
    fmed, _ = timed(floor, n)
    print(f"rcmmodel.model.evaluate, 3 vendors x 36 months: median {med:.3f} ms, p95 {p95:.3f} ms "
          f"(goal < {GOAL_MS} ms: {'met' if p95 < GOAL_MS else 'NOT met'})")
    print(f"floor (three net-gain formulas in plain Python): median {fmed * 1000:.2f} us; "
          f"evaluate / floor = {med / fmed:.0f}x")


if __name__ == "__main__":
    main()
