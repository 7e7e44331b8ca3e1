"""Benchmark: ``simulate`` on 1,000,000 draws against the floor numpy sets (issue 4).

The scenario: 3 vendors (percentage, hybrid with a monthly minimum, per-claim), a 24-month
timeline and four uncertain inputs. The floor draws the same random inputs with the same
generator and makes one max-and-sum pass over draws x months per vendor, the least any
timeline model must do. Goal: simulate <= 10x the floor, peak memory < 2 GB.

Each side runs in its own subprocess so ru_maxrss is that side's own peak.

    .venv/bin/python benchmarks/bench_simulate.py [--draws N] [--repeat R]
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

DRAWS = 1_000_000
GOAL_RATIO = 10.0
GOAL_MEMORY_MB = 2048.0

SCENARIO = {
    "name": "Benchmark: 3 vendors, 24 months, 4 uncertain inputs",
    "practice": {"annual_collections": {"dist": "normal", "mean": 1200000, "sd": 120000},
                 "claims_per_month": 900, "patient_statements_per_month": 300, "providers": 3},
    "inhouse": {"annual_cost": {"dist": "pert", "low": 90000, "mode": 110000, "high": 150000}},
    "vendors": [
        {"name": "Percent Co", "pricing": {"model": "percentage", "rate": 0.07},
         "uplift": {"dist": "triangular", "low": 0.02, "mode": 0.08, "high": 0.20},
         "fees": {"setup": 2500}},
        {"name": "Hybrid Co",
         "pricing": {"model": "hybrid", "monthly_base": 800,
                     "rate": {"dist": "uniform", "low": 0.03, "high": 0.06}},
         "uplift": 0.08, "fees": {"monthly_minimum": 4000, "per_statement": 0.6}},
        {"name": "Per Claim Co", "pricing": {"model": "per_claim", "fee": 7.5},
         "uplift": 0.06, "fees": {"per_provider_monthly": 150}},
    ],
    "timeline": {"horizon_months": 24, "discount_rate": 0.08, "parallel_run_days": 45,
                 "ramp_days": 90},
}


def _peak_mb() -> float:
    # ru_maxrss is in kilobytes on Linux (bytes on macOS).
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run_simulate(draws: int, seed: int) -> dict:
    from rcmmodel.scenario import parse_scenario
    from rcmmodel.risk.uncertainty import simulate

    scenario = parse_scenario(SCENARIO)
    simulate(scenario, draws=1000, seed=seed, progress=False)      # warm imports and caches
    t = time.perf_counter()
    result = simulate(scenario, draws=draws, seed=seed, progress=False)
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "peak_mb": _peak_mb(),
            "p50": {v.name: v.percentiles()["p50"] for v in result.vendors}}


def run_floor(draws: int, seed: int) -> dict:
    """Draw the same inputs, then per vendor one max-and-sum over a (chunk, months) array."""
    import numpy as np

    from rcmmodel.model.inputs import uncertain_fields
    from rcmmodel.scenario import parse_scenario
    from rcmmodel.risk.uncertainty import CHUNK

    scenario = parse_scenario(SCENARIO)
    fields = list(uncertain_fields(scenario).items())
    months = scenario.timeline.horizon_months
    profile = np.linspace(0.5, 1.0, months)      # any per-month shape will do
    t = time.perf_counter()
    rng = np.random.default_rng(seed)
    total = 0.0
    for start in range(0, draws, CHUNK):
        n = min(draws, start + CHUNK) - start
        drawn = [d.sample(rng, n) for _, d in fields]
        x = drawn[0]
        for _ in scenario.vendors:
            total += np.maximum(x[:, None] * profile, 4000.0).sum(axis=1).sum()
    elapsed = time.perf_counter() - t
    return {"seconds": elapsed, "peak_mb": _peak_mb(), "check": total}


def _child(side: str, draws: int, seed: int) -> dict:
    out = subprocess.run([sys.executable, __file__, "--side", side, "--draws", str(draws),
                          "--seed", str(seed)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=DRAWS)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--repeat", type=int, default=3, help="runs per side; the best counts")
    parser.add_argument("--side", choices=["simulate", "floor"], help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.side:
        fn = run_simulate if args.side == "simulate" else run_floor
        print(json.dumps(fn(args.draws, args.seed)))
        return 0

    # Interleave the sides so a busy machine slows both alike.
    sims, floors = [], []
    for _ in range(args.repeat):
        sims.append(_child("simulate", args.draws, args.seed))
        floors.append(_child("floor", args.draws, args.seed))
    sim = min(s["seconds"] for s in sims)
    floor = min(f["seconds"] for f in floors)
    peak = max(s["peak_mb"] for s in sims)
    ratio = sim / floor
    print(f"draws            {args.draws:,} (3 vendors, 24 months, 4 uncertain inputs)")
    print(f"simulate         {sim:8.3f} s   (best of {args.repeat})")
    print(f"floor            {floor:8.3f} s   (numpy draws + one max-and-sum pass per vendor)")
    print(f"ratio            {ratio:8.2f} x   goal <= {GOAL_RATIO:g} x   "
          f"{'OK' if ratio <= GOAL_RATIO else 'MISSED'}")
    print(f"peak memory      {peak:8.1f} MB  goal < {GOAL_MEMORY_MB:g} MB   "
          f"{'OK' if peak < GOAL_MEMORY_MB else 'MISSED'}   (simulate process, ru_maxrss)")
    print(f"floor process    {max(f['peak_mb'] for f in floors):8.1f} MB")
    print("p50 net gain     " + ", ".join(f"{k} {v:,.0f}" for k, v in sims[0]["p50"].items()))
    return 0 if ratio <= GOAL_RATIO and peak < GOAL_MEMORY_MB else 1


if __name__ == "__main__":
    sys.exit(main())
