"""``rcm evaluate SCENARIO [--json] [--set PATH=VALUE ...]``: steady state, break-even and
timeline per vendor; ``--set`` evaluates a what-if (docs/methodology.md §6, "What-ifs")."""
from __future__ import annotations

from ...describe import money, pct
from ...errors import RcmInputError
from ._common import echo, measured_scenario, print_json, table, warn_implausible


def render(result, decision=None) -> str:
    """The readable report of an evaluation: one row per vendor, the best one named."""
    from ...present.labels import EXCLUDED_SUFFIX

    s = result.scenario
    lines = [f"{s.name}",
             f"Collections today {money(result.inputs.practice.collections)}"
             f"; in-house billing costs {money(result.inhouse_tco)} a year"
             + (f", of which {money(result.inhouse_savings)} is saved by outsourcing"
                if result.inhouse_savings != result.inhouse_tco else ""), ""]
    rows = []
    # where the practice's claims cap a quote, the net gain the decision plans on beside it
    capped = any(v.planned is not None and v.planned.capped for v in result.vendors)
    for v in result.vendors:
        f, b = v.figures, v.breakeven
        payback = int(f.payback_month)
        implied = v.sla_implied_uplift
        rows.append([v.name + ("" if v.eligible else EXCLUDED_SUFFIX),
                     pct(v.uplift) + ("" if implied is None else f" ({pct(implied)})"),
                     money(f.vendor_cost),
                     money(f.one_time), money(f.net_gain),
                     *([money(v.planning.net_gain)] if capped else []), pct(f.roi, 0),
                     pct(b["min_uplift"]), pct(b["max_rate"]),
                     money(b["breakeven_collections"]), money(f.npv),
                     f"month {payback}" if payback else "never"])
    lines.append(table(rows, ["vendor", "uplift (SLA)", "annual cost", "one-time", "net gain",
                              *(["planned"] if capped else []), "ROI",
                              "min uplift", "max rate", "crossover C0", "NPV", "payback"]))
    lines.append("")
    if result.alternatives:                # fixing billing in-house instead
        from ...present.alternatives_text import ALTERNATIVE_HEADS, alternative_row

        lines += [table([alternative_row(a) for a in result.alternatives],
                        list(ALTERNATIVE_HEADS)), ""]
    best = result.best
    if best is not None:
        plan, quoted = best.planning, best.figures
        lines.append(f"Highest net gain among eligible vendors: {best.name}, "
                     f"{money(plan.net_gain)} a year (NPV {money(plan.npv)} "
                     f"over {s.timeline.horizon_months} months)"
                     + (f" at the planning uplift of {pct(best.planned.uplift)}; "
                        f"{money(quoted.net_gain)} as quoted." if best.planned is not None
                        and best.planned.capped else "."))
    if capped:
        lines.append("net gain: as quoted; planned: at the planning uplift, the most the "
                     "practice's claims show being lost (what the decision uses); the other "
                     "columns are the quote's.")
    if s.capacity.claims_growth_rate:      # volume grows: say when the next in-house hire comes
        from ...present.capacity_text import capacity_summary
        from ...risk.capacity import capacity

        lines.append(capacity_summary(capacity(s)))
    if any(v.sla_implied_uplift is not None for v in result.vendors):
        measured = " (measured from its claims)" if "net_collection_rate" in s.measured_kpis else ""
        lines.append(f"uplift (SLA): the quoted uplift, and in brackets the uplift the vendor's SLA "
                     f"net collection rate implies against the practice's today{measured}.")
    lines.append("min uplift: collections change at which net gain is 0; max rate: fee rate at "
                 "which net gain is 0;\ncrossover C0: collections above which in-house is cheaper "
                 "(no uplift).")
    if decision is None:
        from ...vendors.decision import decide

        decision = decide(s, evaluation=result)
    lines += ["", *decision_lines(decision, s.claims_evidence)]
    return "\n".join(lines)


def decision_lines(d, evidence=None) -> list[str]:
    """The decision (docs/methodology.md, §6, "The decision") as the closing lines of
    ``rcm evaluate`` and ``rcm compare`` (``evidence``: what the scenario's claims show,
    where it has claims files)."""
    from ...present.decision_text import cap_text, flip_text, reason
    from ...present.flags_text import reasons_text
    from ...present.verdict import net_gain_range, score_gap

    lines = [f"Decision: {reason(d)}"]
    if d.alternative:
        from ...present.alternatives_text import MONEY_ALONE, comparison_sentence

        lines += [f"  {x}" for x in (comparison_sentence(d), MONEY_ALONE)
                  if x not in lines[0]]
    if cap_text(d, evidence):
        lines.append(f"  {cap_text(d, evidence)}")
    if d.runner_up and d.verdict == "outsource" and d.margin["score"] is not None:
        gap = d.margin["net_gain"]
        lines.append(f"  Runner-up: {d.runner_up}, {score_gap(d)} ranking points "
                     "behind" + (f", though it gains {money(-gap)} a year more." if gap < 0
                                 else f", gaining {money(gap)} a year less."))
    if d.recommended:
        lines.append(f"  {net_gain_range(d.ranges[d.recommended])}")
        if d.runner_up:
            lines.append(f"  What would change it: {flip_text(d.flip)}.")
    for e in d.excluded:
        lines.append(f"  Excluded: {e['vendor']}, {reasons_text(e['reasons'])}.")
    lines.append(f"  {d.n_quotes} quote{'s' if d.n_quotes != 1 else ''} compared.")
    return lines


def parse_sets(given) -> dict:
    """``--set PATH=VALUE`` options as ``{path: value}``, each VALUE read as a YAML scalar
    (``750000``, ``0.05``, ``money_first``, ``true``)."""
    import yaml

    out = {}
    for item in given or []:
        path, eq, text = item.partition("=")
        if not eq or not path.strip():
            raise RcmInputError.at("--set", item, "give PATH=VALUE, a scenario field path "
                                   "and its value, e.g. --set practice.annual_collections=750000")
        try:
            value = yaml.safe_load(text) if text.strip() else None
        except yaml.YAMLError:
            raise RcmInputError.at("--set", path.strip(), f"cannot read the value {text!r}: "
                                   "give a number, a word or true/false") from None
        out[path.strip()] = value
    return out


def set_lines(sets: dict, before: dict) -> list[str]:
    """"With PATH = VALUE (the file says OLD)." for each ``--set``."""
    def shown(x):
        return "true" if x is True else "false" if x is False else "null" if x is None else str(x)

    return [f"With {p} = {shown(v)} ("
            + (f"the file says {shown(before[p])}" if before[p] is not None
               else "the file does not set it") + ")." for p, v in sets.items()]


def run(args) -> int:
    from ...model.evaluate import evaluate
    from ...present.decision_text import decision_dict
    from ...vendors.decision import decide

    from ...present.warnings_text import warnings_dict

    sets = parse_sets(args.set)
    if sets:
        from ...scenario.changes import get_path, scenario_data
        from ...vendors.whatif import changed_scenario

        scenario = changed_scenario(args.scenario, sets, "--set")
        data = scenario_data(args.scenario)[0]
        before = {p: get_path(data, p) for p in sets}
    else:
        scenario = measured_scenario(args.scenario)
    result = evaluate(scenario)
    found = warn_implausible(result.scenario, result)
    if args.json:
        print_json({**result.to_dict(),
                    "decision": decision_dict(decide(result.scenario, evaluation=result)),
                    "warnings": warnings_dict(found), **({"set": sets} if sets else {})})
    else:
        echo("\n".join([*set_lines(sets, before), render(result)]) if sets
             else render(result))
    return 0


def register(sub) -> None:
    p = sub.add_parser("evaluate", help="net gain, ROI, break-even and timeline per vendor",
                       description="Evaluate every vendor quote of a scenario: the steady-state "
                       "year (cost, net gain, ROI), break-even points, and the monthly timeline "
                       "(NPV, payback).")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--json", action="store_true", help="print the results as one JSON object (for scripts)")
    p.add_argument("--set", action="append", metavar="PATH=VALUE",
                   help="a what-if: evaluate with this field changed, e.g. --set "
                   "practice.annual_collections=750000 or, for the first vendor, --set "
                   "'vendors[N].pricing.rate=0.05' with N = 0 (field paths as the messages "
                   "write them; VALUE read as in the file and checked like it; repeatable)")
    p.set_defaults(func=run)
