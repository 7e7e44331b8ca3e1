"""``rcm compare SCENARIO [--json]``: the vendor ranking with effective rates, scores and flags."""
from __future__ import annotations

import math

from ._common import echo, measured_scenario, print_json, table

LABELS = {"financial": "financial", "sla": "SLA", "due_diligence": "due diligence",
          "contract_risk": "contract risk"}


def _share(x: float) -> str:
    return f"{x * 100:.0f}%"


def _label(key: str) -> str:
    """A criterion's short name: a built-in's label, or the practice's own name as given."""
    return LABELS.get(key, key)


def _weight(x: float) -> str:
    return "no limit" if math.isinf(x) else f"{x:.3g}"


def render(comparison) -> str:
    """The readable comparison: ranking table, top choice, disqualified vendors, stability, flags."""
    from ...describe import clip, money, pct, score
    from ...present.decision_text import own_criteria_note
    from ...present.flags_text import flag_sentence
    from ...vendors.decision import decide
    from .evaluate import decision_lines

    c = comparison
    w = c.weights
    lines = [c.scenario.name,
             "Weights: " + ", ".join(f"{_label(k)} {w[k]:.3g}" for k in c.criteria)
             + f" (financial on {'NPV' if c.basis == 'npv' else 'steady-state net gain'})", ""]
    own = c.own_criteria                    # the practice's own criteria, by name
    rows = []
    for a in c.ranked:
        s = c.score_of(a.name)
        rank = c.rank_of(a.name)
        rows.append([str(rank) if rank else "—", a.name, a.cost.pricing,
                     pct(a.cost.effective_rate, 2), money(a.cost.all_in_annual),
                     money(a.net_gain),
                     pct(c.evaluation.vendor(a.name).cost_to_collect, 1),
                     f"{s['financial']:.0f}", f"{s['sla']:.0f}",
                     f"{s['due_diligence']:.0f}", f"{s['contract_risk']:.0f}",
                     *(f"{s[k]:.0f}" for k in own),
                     "out" if not a.eligible else f"{s['total']:.1f}"])
    lines.append(table(rows, ["#", "vendor", "pricing", "eff. rate", "all-in/yr", "net gain",
                              "to collect", "fin", "SLA", "DD", "contract",
                              *(clip(k, 14) for k in own), "total"],
                       align="rllrrrrrrrr" + "r" * len(own) + "r"))
    lines.append("")
    d = decide(c.scenario, comparison=c)
    if d.recommended:
        lines.append(f"Top choice: {d.recommended} (score {score(d.scores[d.recommended], 1)} of 100).")
    elif d.verdict == "improve":       # an in-house alternative gains more, on money alone
        from ...present.alternatives_text import phrase

        lines.append(f"Top choice: no quote; improve billing in-house ({phrase(d.alternative)})"
                     ", which gains more a year (see the decision below).")
    elif not c.order:
        lines.append("No vendor can be recommended: none offers a Business Associate Agreement.")
    else:
        lines.append("No vendor can be recommended: no eligible quote gains anything over billing "
                     "in-house.")
    first = c.top.name if c.top else None
    if first and first != d.recommended and d.verdict != "improve":   # the ranking's, not the choice's
        lines.append(f"  The ranking's first, {first}, loses money against staying in-house, so "
                     "it is not the choice.")
    if c.stability and len(c.order) > 1 and first == d.recommended:
        lines += ["", "How stable is the top choice? Each weight may move (the others keeping "
                  "their proportions) within:"]
        for k, r in c.stability.items():
            span = (f"{_weight(r.weight_low)} to {_weight(r.weight_high)} "
                    f"({_share(r.share_low)}-{_share(r.share_high)} of the total)")
            who = [f"below: {r.rival_low}" if r.rival_low else "",
                   f"above: {r.rival_high}" if r.rival_high else ""]
            who = "; ".join(x for x in who if x)
            lines.append(f"  {clip(_label(k), 14):<14} {r.weight:.3g} -> {span}"
                         + (f"; past it {who} comes first" if who else "; first throughout"))
    notes = [flag_sentence(f, a.name) for a in c.ranked for f in a.flags if f.code != "no_baa"]
    if notes:                         # (an excluded vendor's reason is in the decision below)
        lines += ["", "What to notice:", *(f"  {n}" for n in notes)]
    lines.append("")
    lines.append("eff. rate: all-in annual cost (service fee, extras, one-time fees spread over "
                 "the contract term) / collections after uplift.\nto collect: cost to collect (HFMA "
                 "MAP key), what the vendor and the billing left in-house cost per dollar "
                 "collected at the planning uplift; in-house today "
                 f"{pct(c.evaluation.inhouse_cost_to_collect, 1)}.\nScores 0-100: fin = net gain "
                 "vs the best eligible quote; SLA = KPIs graded vs benchmarks; DD = due-diligence "
                 "checklist; contract = lock-in (100 = none)."
                 + own_criteria_note(c).replace(" The practice's", "\nThe practice's", 1))
    lines += ["", *decision_lines(d, c.evaluation.scenario.claims_evidence)]
    return "\n".join(lines)


def run(args) -> int:
    from ...present.decision_text import decision_dict
    from ...present.flags_text import comparison_dict
    from ...vendors.decision import decide
    from ...vendors.ranking import compare

    comparison = compare(measured_scenario(args.scenario))
    if args.json:
        print_json({**comparison_dict(comparison),
                    "decision": decision_dict(decide(comparison.scenario, comparison=comparison))})
    else:
        echo(render(comparison))
    return 0


def register(sub) -> None:
    p = sub.add_parser("compare", help="rank vendor quotes: effective rates, SLA, due diligence",
                       description="Compare the vendor quotes of a scenario: all-in effective "
                       "rates, the SLA scorecard, the due-diligence checklist and contract "
                       "terms, weighed into a ranking (weights from the scenario's ranking: "
                       "block), with how far each weight may move before the top choice "
                       "changes. A vendor without a Business Associate Agreement is never "
                       "ranked.")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("--json", action="store_true", help="print the comparison as one JSON object")
    p.set_defaults(func=run)
