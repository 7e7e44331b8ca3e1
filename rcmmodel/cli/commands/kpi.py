"""``rcm kpi FILE... [--as-of DATE] [--fee-schedule CSV] [--json]``: billing KPIs from
claims data.

Reads ledger CSV/Excel, 835 and 837P files (see :func:`rcmmodel.claims.read_claims`)
and prints the review of :func:`rcmmodel.claims.summarize`: the KPIs of docs/methodology.md
§7 graded against the benchmarks, denials, payers, aging, underpayments and the uplift the
data supports, as a table or as JSON. Only aggregates are printed: no claim id, patient name
or member ID; text from the files (payer names) is printed without control characters.
"""
from __future__ import annotations

from ...claims.targets import TARGETS
from ...describe import clip, money, safe_text, text_table
from ...present.labels import (ACTION_LABELS, CATEGORY_LABELS, KPI_LABELS as LABELS,
                               TOTAL_LABELS, format_kpi)
from ._common import echo, print_json


def _safe(text, width=36) -> str:
    """Input text fit for a terminal: control characters escaped, cut to ``width``."""
    return clip(safe_text(text), width)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "kpi", help="billing KPIs from a claims ledger (CSV/Excel) and/or X12 835/837P files",
        description="Compute billing KPIs (as AAFP, MGMA and HFMA define them) from claims "
        "data and grade them against the benchmarks. Files are recognised by content.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="ledger CSV or .xlsx, X12 835 remittance or 837P claims file")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="measure as of this date (YYYY-MM-DD); default: latest date in the data")
    p.add_argument("--fee-schedule", metavar="CSV", default=None,
                   help="contracted rates (CSV: payer, procedure_code, modifier, allowed): "
                   "adds underpayments")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from ...claims.fees import read_fee_schedule
    from ...claims.review import parse_as_of, read_claims, summarize
    from ...present.review_text import review_dict

    # Everything checkable is checked before the claims files are read.
    as_of = parse_as_of(args.as_of)
    schedule = read_fee_schedule(args.fee_schedule) if args.fee_schedule else None
    review = review_dict(summarize(read_claims(args.files), as_of, fee_schedule=schedule))
    if args.json:
        print_json(review)
    else:
        echo(format_review(review).rstrip("\n"))
    return 0


def _pct(v):
    return "n/a" if v is None else f"{v * 100:.1f}%"


def _money(v):
    return "n/a" if v is None else money(v, cents=True)


def _value(kpi, v):
    return format_kpi(kpi, v)


def _target(kpi):
    t = TARGETS.get(kpi)
    if t is None:
        return ""
    value = f"{t.green:g} days" if t.unit == "days" else f"{t.green * 100:g}%"
    return (">= " if t.higher_is_better else "< ") + value


def format_review(r: dict) -> str:
    """The review as readable text: KPIs with grades, what they cover, denials, payers,
    aging, lags, underpayments and the evidence-based uplift."""
    period, window = r["period"], r["window"]
    out = [f"Claims review: {r['claims']:,} claims, as of {r['as_of'] or 'n/a'}"]
    if period["start"]:
        out.append(f"Period {period['start']} to {period['end']} ({period['days']:,} days); "
                   f"days in A/R over {window['start']} to {window['end']} "
                   f"({window['days']} days); {r['open_claims']:,} open claims, "
                   f"{r['adjudicated_claims']:,} adjudicated")
    out += [f"Note: {n}" for n in r["notes"]] + [""]
    rows = [(LABELS[k], _value(k, v), _target(k),
             (r["grades"].get(k) or "").upper()) for k, v in r["kpis"].items()]
    out += text_table(["KPI", "Value", "Target", "Grade"], rows, ["<", ">", "<", "<"])
    if r["kpis"]["clean_claim_rate"] is None and r["status_counts"]["open"] < r["claims"]:
        out.append("(clean claim rate n/a: the data does not say which claims passed first "
                   "time)")
    out += ["", "Totals"]
    out += text_table(["", "Amount"], [(TOTAL_LABELS[k], _money(v))
                                   for k, v in r["totals"].items()])
    counts = r["status_counts"]
    out += ["", "Claims by status: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())]
    out += _denials(r["denials"])
    if r["payers"]:
        out += ["", "By payer"]
        out += text_table(["Payer", "Claims", "Charges", "Paid", "Mix", "Denials", "Days to pay",
                       "Open A/R"],
                      [(_safe(p["payer"]), f"{p['claims']:,}", _money(p["charge"]),
                        _money(p["paid"]), _pct(p["mix"]), _pct(p["denial_rate"]),
                        _value("days_in_ar", p["days_to_pay_median"]), _money(p["open_ar"]))
                       for p in r["payers"]])
    out += ["", "A/R aging (days since service)"]
    out += text_table(["Bucket", "Claims", "Open A/R", "Insurance", "Patient", "Share"],
                  [(a["bucket"], f"{a['claims']:,}", _money(a["open_ar"]),
                    _money(a["insurance"]), _money(a["patient"]), _pct(a["share"]))
                   for a in r["aging"]])
    lag = r["charge_lag"]
    if lag:
        out += ["", f"Charge lag (service to submission): median {lag['median_days']:.0f} "
                    f"days over {lag['claims']:,} claims; {_pct(lag['over_30_days'])} over "
                    "30 days"]
    under = r.get("underpayments")
    if under is not None:
        out += ["", f"Underpayments against the fee schedule: {under['lines']:,} lines, "
                    f"{_money(under['amount'])} ({under['checked_lines']:,} paid lines "
                    f"checked, {under['unmatched_lines']:,} with no contracted rate)"]
        if under["by_payer"]:
            out += text_table(["Payer", "Lines", "Short"], [(_safe(p["payer"]), f"{p['lines']:,}",
                                                          _money(p["amount"]))
                                                         for p in under["by_payer"]])
    best = [b for b in r["best_payers"] if b["best_payer"]]
    if best:
        out += ["", "Who pays best (median allowed per unit)"]
        out += text_table(["Code", "Lines", "Best payer", "Allowed", "Spread"],
                      [(_safe(b["procedure_code"], 12), f"{b['lines']:,}",
                        _safe(b["best_payer"]), _money(b["payers"][0]["allowed_per_unit"]),
                        _pct(b["spread"])) for b in best[:10]])
    ev = r["evidence"]
    if ev["high"] is not None:
        out += ["", f"Uplift the data supports: {_pct(ev['low'])} to {_pct(ev['high'])} of "
                    f"collections ({_money(ev['low_amount'])} to {_money(ev['high_amount'])} "
                    f"over the period)"]
        out += [f"  {c['label']}: {_money(c['low_amount'])} to {_money(c['high_amount'])} "
                f"({c['basis']})" for c in ev["components"]]
    plb = r["provider_adjustments"]
    if plb["count"]:
        out += ["", f"Provider-level adjustments (835 PLB, kept apart from claim KPIs): "
                    f"{plb['count']:,}, total {_money(plb['total'])}"]
    rev = r["reversals"]
    if rev["matched"] or rev["unmatched"]:
        out.append(f"Reversals: {rev['matched']:,} cancelled a payment in the data; "
                   f"{rev['unmatched']:,} reversed payments from before it (left out)")
    return "\n".join(out) + "\n"


def _denials(d: dict) -> list[str]:
    c, lines = d["claims"], d["lines"]
    out = ["", f"Denials: {c['denied']:,} of {c['adjudicated']:,} claims "
               f"({_pct(c['rate'])}), {_money(c['dollars'])}; {lines['denied']:,} of "
               f"{lines['total']:,} service lines ({_pct(lines['rate'])})"]
    if c["overturned"]:
        out.append(f"Overturned later: {c['overturned']:,} claims ({_pct(c['overturn_rate'])}"
                   " of denials)")
    if d["by_reason"]:
        out += text_table(["Reason", "Description", "Category", "Lines", "Dollars", "Action"],
                      [(f"{x['group']}-{x['code']}".strip("-") or "-",
                        _safe(x["description"], 44), CATEGORY_LABELS[x["category"]],
                        f"{x['lines']:,}", _money(x["dollars"]), ACTION_LABELS[x["action"]])
                       for x in d["by_reason"][:15]], ["<", "<", "<", ">", ">", "<"])
    return out
