"""``rcm kpi FILE... [--as-of DATE] [--json]``: billing KPIs from claims data.

Reads ledger CSV/Excel, 835 and 837P files (see :func:`rcmmodel.claims.load_claims`)
and prints the KPIs of SPEC 5 graded against the benchmarks, as a table or as JSON.
Only aggregates are printed: no claim id, patient name or member ID.
"""
from __future__ import annotations

from ...claims.targets import TARGETS
from ...describe import clip, safe_text
from ...present.labels import KPI_LABELS as LABELS, TOTAL_LABELS, format_kpi
from ._common import echo, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "kpi", help="billing KPIs from a claims ledger (CSV/Excel) and/or X12 835/837P files",
        description="Compute billing KPIs (SPEC 5) from claims data and grade them "
        "against the benchmarks. Files are recognised by content.")
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="ledger CSV or .xlsx, X12 835 remittance or 837P claims file")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="measure as of this date (YYYY-MM-DD); default: latest date in the data")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from ...claims.review import load_claims, parse_as_of, summarize

    as_of = parse_as_of(args.as_of)
    review = summarize(load_claims(args.files), as_of)
    if args.json:
        print_json(review)
    else:
        echo(format_review(review).rstrip("\n"))
    return 0


def _pct(v):
    return "n/a" if v is None else f"{v * 100:.1f}%"


def _money(v):
    if v is None:
        return "n/a"
    return f"-${-v:,.2f}" if v < 0 else f"${v:,.2f}"


def _value(kpi, v):
    return format_kpi(kpi, v)


def _target(kpi):
    t = TARGETS.get(kpi)
    if t is None:
        return ""
    value = f"{t.green:g} days" if t.fmt == "days" else f"{t.green * 100:g}%"
    return (">= " if t.higher_is_better else "< ") + value


def _table(headers, rows, align=None) -> list[str]:
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    align = align or ["<"] + [">"] * (len(headers) - 1)
    fmt = "  ".join(f"{{:{a}{w}}}" for a, w in zip(align, widths))
    lines = [fmt.format(*headers), fmt.format(*("-" * w for w in widths))] + \
        [fmt.format(*r) for r in cells]
    return [line.rstrip() for line in lines]


def format_review(r: dict) -> str:
    """The review as readable text: KPIs with grades, totals, payers, aging, denials."""
    days = f", {r['period_days']} days since the first service" if r["period_days"] else ""
    out = [f"Claims review: {r['claims']:,} claims, as of {r['as_of'] or 'n/a'}{days}", ""]
    rows = [(LABELS[k], _value(k, v), _target(k),
             (r["grades"].get(k) or "").upper()) for k, v in r["kpis"].items()]
    out += _table(["KPI", "Value", "Target", "Grade"], rows, ["<", ">", "<", "<"])
    if r["kpis"]["clean_claim_rate"] is None and r["status_counts"]["open"] < r["claims"]:
        out.append("(clean claim rate n/a: the data does not say which claims passed first "
                   "time)")
    out += ["", "Totals"]
    out += _table(["", "Amount"], [(TOTAL_LABELS[k], _money(v))
                                   for k, v in r["totals"].items()])
    counts = r["status_counts"]
    out += ["", "Claims by status: " + ", ".join(f"{k} {v:,}" for k, v in counts.items())]
    if r["by_payer"]:
        out += ["", "By payer"]
        out += _table(["Payer", "Claims", "Charges", "Collected", "Net coll.", "Denials",
                       "Days in A/R", "Open A/R"],
                      [(clip(safe_text(p["payer"]), 36), f"{p['claims']:,}", _money(p["charge"]),
                        _money(p["collected"]), _pct(p["net_collection_rate"]),
                        _pct(p["denial_rate"]), _value("days_in_ar", p["days_in_ar"]),
                        _money(p["open_ar"])) for p in r["by_payer"]])
    if r["by_month"] and len(r["by_month"]) > 1:
        out += ["", "By month of service"]
        out += _table(["Month", "Claims", "Charges", "Collected", "Net coll.", "Denials",
                       "Open A/R"],
                      [(m["month"], f"{m['claims']:,}", _money(m["charge"]),
                        _money(m["collected"]), _pct(m["net_collection_rate"]),
                        _pct(m["denial_rate"]), _money(m["open_ar"]))
                       for m in r["by_month"]])
    out += ["", "A/R aging (days since service)"]
    out += _table(["Bucket", "Claims", "Open A/R", "Share"],
                  [(a["bucket"], f"{a['claims']:,}", _money(a["open_ar"]), _pct(a["share"]))
                   for a in r["aging"]])
    if r["denials_by_reason"]:
        out += ["", "Denials by reason (CARC)"]
        out += _table(["Code", "Reason", "Claims", "Charges"],
                      [(d["code"] or "-", d["description"], f"{d['claims']:,}",
                        _money(d["charge"])) for d in r["denials_by_reason"]],
                      ["<", "<", ">", ">"])
    plb = r["provider_adjustments"]
    if plb["count"]:
        out += ["", f"Provider-level adjustments (835 PLB, kept apart from claim KPIs): "
                    f"{plb['count']:,}, total {_money(plb['total'])}"]
    rev = r["reversals"]
    if rev["matched"] or rev["unmatched"]:
        out.append(f"Reversals: {rev['matched']:,} cancelled a payment in the data; "
                   f"{rev['unmatched']:,} reversed payments from before it (left out)")
    return "\n".join(out) + "\n"
