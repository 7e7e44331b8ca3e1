"""``rcm simulate SCENARIO [--draws N] [--seed S] [--json]``: Monte Carlo over the ranges."""
from __future__ import annotations

import argparse

from ...describe import money, pct
from ...risk import DEFAULT_DRAWS, DEFAULT_SEED
from ._common import echo, measured_scenario, print_json, table

MAX_DRAWS = 20_000_000     # 16 bytes a draw a vendor are kept: ~1 GB for 3 vendors


def _draws(text: str) -> int:
    try:
        n = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of draws, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {n}")
    if n > MAX_DRAWS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_DRAWS:,}, got {n:,}")
    return n


def _seed(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {n}")
    return n


def odds_text(result) -> str:
    """The decision's odds in one line (the rule applied in every draw)."""
    improve = ""
    if result.alternatives:
        improve = (f", improved by an in-house alternative in {pct(result.prob_improve)} of "
                   "draws")
    if not any(v.eligible for v in result.vendors):
        return ("No vendor can be recommended: none offers a Business Associate Agreement, "
                "which HIPAA requires." + (f" Billing stays in-house{improve}."
                                           if improve else ""))
    return (f"Applying the whole decision rule in every draw, it stays in-house in "
            f"{pct(result.prob_stay)} of draws{improve}; P(recommended) is each vendor's "
            "share, and the shares add up to 100% with staying in-house.")


def render(result, decision=None) -> str:
    """The readable report: percentiles and probabilities per vendor, then the verdict and
    (``decision``, :func:`rcmmodel.decide`'s) the decision in words."""
    s = result.scenario
    lines = [s.name, f"{result.draws:,} draws, seed {result.seed}", ""]
    if result.uncertain:
        from ...present.labels import field_label, value_text

        lines.append("Uncertain inputs:")
        lines.extend(f"  {field_label(path, s)}: {value_text(path, dist)}"
                     for path, dist in result.uncertain.items())
    else:
        lines.append("No input is a distribution: every draw is the same (no spread).")
    lines.append("")
    rows = []
    for v in result.vendors:
        g, n = v.percentiles("net_gain"), v.percentiles("npv")
        if not v.eligible:
            rows.append([v.name + " (excluded: no BAA)", "—", "—", "—", "—", "—", "—"])
            continue
        rows.append([v.name, money(g["p05"]), money(g["p50"]), money(g["p95"]),
                     money(n["p50"]), pct(v.prob_positive), pct(v.prob_recommended)])
    for a in result.alternatives:          # in-house alternatives: never "recommended" as a vendor
        g, n = a.percentiles("net_gain"), a.percentiles("npv")
        rows.append([f"{a.name} (in-house)", money(g["p05"]), money(g["p50"]), money(g["p95"]),
                     money(n["p50"]), pct(a.prob_positive), "—"])
    lines.append(table(rows, ["vendor", "net gain p05", "p50", "p95", "NPV p50",
                              "P(gain > 0)", "P(recommended)"]))
    lines.append("")
    lines.append(odds_text(result))
    if decision is not None:               # the one decision every surface states
        from ...present.decision_text import reason

        lines += ["", f"Decision: {reason(decision)}"]
    return "\n".join(lines)


def run(args) -> int:
    from ...risk.uncertainty import simulate

    scenario = measured_scenario(args.scenario)
    result = simulate(scenario, draws=args.draws, seed=args.seed,
                      progress=False if args.json else None)
    from ...vendors.decision import decide

    if args.json:
        from ...present.decision_text import decision_dict

        print_json({**result.to_dict(), "decision": decision_dict(decide(scenario))})
    else:
        echo(render(result, decide(scenario)))
    return 0


def register(sub) -> None:
    p = sub.add_parser("simulate", help="Monte Carlo: how likely outsourcing pays, per vendor",
                       description="Draw every distribution in the scenario and evaluate the "
                       "whole model on each draw: percentiles of net gain and NPV per vendor, "
                       "the chance each pays and the chance the decision recommends it (the "
                       "whole rule applied in every draw), and the chance it stays in-house.")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--draws", type=_draws, default=DEFAULT_DRAWS, metavar="N",
                   help=f"number of draws (default {DEFAULT_DRAWS:,})")
    p.add_argument("--seed", type=_seed, default=DEFAULT_SEED, metavar="S",
                   help=f"random seed; the same seed gives the same numbers (default {DEFAULT_SEED})")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object (for scripts)")
    p.set_defaults(func=run)
