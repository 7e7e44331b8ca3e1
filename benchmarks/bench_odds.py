"""Benchmark: the decision's odds (the whole rule applied in every draw) on 100,000 draws of
a 5-vendor scenario, against the Monte Carlo without the rule (draw the inputs, evaluate
every vendor: what ``simulate`` did before the odds followed the decision).

Goal: ``simulate`` with the rule within 2x of the Monte Carlo without it.

    .venv/bin/python benchmarks/bench_odds.py [--draws N] [--repeat R]
"""
from __future__ import annotations

import argparse
import time

DRAWS = 100_000
GOAL_RATIO = 2.0

SCENARIO = {
    "name": "Benchmark: 5 vendors, 36 months",
    "practice": {"annual_collections": {"dist": "normal", "mean": 900000, "sd": 90000},
                 "claims_per_month": 700, "patient_statements_per_month": 250, "providers": 3},
    "inhouse": {"annual_cost": {"dist": "pert", "low": 70000, "mode": 85000, "high": 120000}},
    "vendors": [
        {"name": "A", "pricing": {"model": "percentage", "rate": 0.07}, "uplift": 0.10,
         "sla": {"days_in_ar": 30, "clean_claim_rate": 0.95}, "profile": {"baa_offered": True}},
        {"name": "B", "pricing": {"model": "percentage", "rate": {"dist": "uniform",
                                                                 "low": 0.05, "high": 0.08}},
         "uplift": {"dist": "triangular", "low": 0.0, "mode": 0.08, "high": 0.15}},
        {"name": "C", "pricing": {"model": "hybrid", "monthly_base": 600, "rate": 0.045},
         "uplift": 0.09, "fees": {"monthly_minimum": 3500, "per_statement": 0.5}},
        {"name": "D", "pricing": {"model": "per_claim", "fee": 6.5}, "uplift": 0.07,
         "contract": {"term_months": 24, "termination_fee": 5000}},
        {"name": "E", "pricing": {"model": "tiered", "tiers": [
            {"up_to": 500000, "rate": 0.07}, {"rate": 0.05}]}, "uplift": 0.12,
         "profile": {"baa_offered": False}},
    ],
}


def without_rule(scenario, draws: int, seed: int) -> float:
    """The Monte Carlo alone: draw the scenario's distributions, evaluate every vendor."""
    import numpy as np

    from rcmmodel.model.gain import vendor_figures
    from rcmmodel.model.inputs import scenario_inputs, uncertain_fields
    from rcmmodel.risk.uncertainty import CHUNK
    from rcmmodel.scenario.distributions import central

    t = time.perf_counter()
    rng = np.random.default_rng(seed)
    uncertain = uncertain_fields(scenario)
    for start in range(0, draws, CHUNK):
        n = min(CHUNK, draws - start)
        drawn = {p: d.sample(rng, n) for p, d in uncertain.items()}
        inputs = scenario_inputs(scenario, lambda p, v: drawn[p] if p in drawn else central(v))
        for vendor in inputs.vendors:
            vendor_figures(inputs, vendor, with_months=False)
    return time.perf_counter() - t


def with_rule(scenario, draws: int, seed: int) -> tuple[float, object]:
    from rcmmodel.risk.uncertainty import simulate

    t = time.perf_counter()
    result = simulate(scenario, draws=draws, seed=seed, progress=False)
    return time.perf_counter() - t, result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=DRAWS)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from rcmmodel.scenario import parse_scenario

    scenario = parse_scenario(SCENARIO)
    with_rule(scenario, 1000, 1)                        # warm imports and caches
    plain = min(without_rule(scenario, args.draws, 7) for _ in range(args.repeat))
    runs = [with_rule(scenario, args.draws, 7) for _ in range(args.repeat)]
    ruled = min(t for t, _ in runs)
    result = runs[0][1]
    ratio = ruled / plain
    print(f"draws: {args.draws:,}, vendors: {len(SCENARIO['vendors'])}, best of {args.repeat}")
    print(f"Monte Carlo without the rule: {plain:.3f} s")
    print(f"simulate, the rule in every draw: {ruled:.3f} s")
    print(f"ratio: {ratio:.2f}x (goal <= {GOAL_RATIO:g}x) "
          f"{'MET' if ratio <= GOAL_RATIO else 'MISSED'}")
    shares = ", ".join(f"{v.name} {v.prob_recommended:.1%}" for v in result.vendors)
    print(f"P(recommended): {shares}; stay {result.prob_stay:.1%}")


if __name__ == "__main__":
    main()
