"""The audit in plain words (docs/methodology.md §12): what ``rcm audit`` prints.

Reads the JSON-ready dict of :meth:`rcmmodel.model.audit.Audit.to_dict`; aggregates only,
so no patient identifier can appear.
"""
from __future__ import annotations

from ..claims.targets import KPIS
from ..describe import money, pct, text_table
from .labels import KPI_LABELS, format_kpi

VERDICT_WORDS = {
    "delivering": "delivering: it meets every stated SLA KPI and at least 80% of the "
                  "promised net gain",
    "partly": "partly delivering",
    "not delivering": "not delivering: the realized net gain is below half the promised one",
}


def _side(s: dict) -> str:
    p = s["period"]
    graded = "" if s["graded"] else ", too few claims to grade"
    return (f"{p['start']} to {p['end']}, {s['claims']:,} claims "
            f"({s['adjudicated_claims']:,} adjudicated{graded})")


def _gap(kpi: str, by) -> str:
    if by is None:
        return ""
    unit = KPIS[kpi].unit
    if unit == "days":
        return f"{abs(by):.1f} days"
    if unit == "money":
        return money(abs(by))
    return f"{abs(by) * 100:.1f} points"


def _sla_line(row: dict) -> list[str]:
    kpi, met = row["kpi"], row["met"]
    said = {True: "met", False: "missed", None: "not graded"}[met]
    if met is not None and row["by"] is not None:
        better = (row["by"] >= 0) == KPIS[kpi].higher_is_better
        said += f" ({_gap(kpi, row['by'])} {'better' if better else 'worse'})" \
            if row["by"] else ""
    return [KPI_LABELS[kpi], format_kpi(kpi, row["committed"]),
            format_kpi(kpi, row["achieved"]), said]


def _verdict(d: dict) -> str:
    words = VERDICT_WORDS[d["verdict"]]
    if d["verdict"] != "partly":
        return words
    missed = sum(r["met"] is not True for r in d["sla"])
    share = d["net_gain"]["realized"] / d["net_gain"]["promised"] \
        if d["net_gain"]["promised"] else None
    why = []
    if missed:
        why.append(f"{missed} of {len(d['sla'])} stated SLA KPIs not met")
    if share is not None and share < 0.8:
        why.append(f"{pct(share, 0)} of the promised net gain")
    return words + (f" ({'; '.join(why)})" if why else "")


def _note(n: dict) -> str:
    if n["key"] == "too_few_to_grade":
        return (f"The {n['side']} files hold {n['adjudicated']} adjudicated claims, fewer "
                f"than the {n['needed']} needed to grade: no realized uplift and no verdict.")
    term = n["term"].replace("_", " ")
    return f"The contract states no {term}: the cost of leaving counts it as 0."


def audit_text(d: dict) -> str:
    """The audit as readable text: both sides' KPIs, the SLA, uplift, fees, net gain, the
    verdict and the cost of leaving."""
    out = [f"Audit of {d['vendor']}",
           f"Before (in-house): {_side(d['before'])}",
           f"After ({d['vendor']}): {_side(d['after'])}", ""]
    rows = [[KPI_LABELS[k], format_kpi(k, v), format_kpi(k, d["after"]["kpis"].get(k))]
            for k, v in d["before"]["kpis"].items()]
    out += text_table(["KPI", "Before", "After"], rows)
    if d["sla"]:
        out += ["", "Service levels the contract states"]
        out += text_table(["KPI", "Committed", "Achieved", "Result"],
                      [_sla_line(r) for r in d["sla"]], ["<", ">", ">", "<"])
    if "underpayments" in d["before"]:
        out.append(f"Underpayments against the fee schedule: before "
                   f"{money(d['before']['underpayments'], cents=True)}, after "
                   f"{money(d['after']['underpayments'], cents=True)}")
    u = d["uplift"]
    realized = "n/a" if u["realized"] is None else pct(u["realized"])
    out += ["", f"Uplift in collections: {realized} realized (net collection rate after / "
                f"before - 1), {pct(u['promised'])} promised, {pct(u['planning'])} planned on"]
    f = d["fees"]
    out += ["", "Fees a month under the contract"]
    if f["invoiced"]:
        out += text_table(["Month", "Collections", "Contract fee", "Billed", "Overbilled"],
                      [[m["month"], money(m["collections"], cents=True),
                        money(m["contract"], cents=True), money(m["billed"], cents=True),
                        money(m["overbilled"], cents=True)] for m in f["months"]])
        out.append(f"Overbilled in all: {money(f['overbilled'], cents=True)}; fees a year "
                   f"at the invoiced rate: {money(f['a_year'])}")
    else:
        out += text_table(["Month", "Collections", "Contract fee"],
                      [[m["month"], money(m["collections"], cents=True),
                        money(m["contract"], cents=True)] for m in f["months"]])
        out.append(f"No invoices given: fees a year at the contract rate: "
                   f"{money(f['a_year'])}")
    g = d["net_gain"]
    out += ["", f"Net gain a year: {money(g['realized'])} realized against "
                f"{money(g['promised'])} promised at signing"
                + ("" if d["shortfall"] is None else
                   f" ({money(abs(d['shortfall']))} "
                   f"{'short' if d['shortfall'] > 0 else 'ahead'})")]
    verdict = d["verdict"]
    out.append("Verdict: " + (_verdict(d) if verdict else "none, the claims cannot say yet"))
    if d["exit_cost"] is not None:
        t = d["exit_terms"]
        out.append(f"Leaving now would cost {money(d['exit_cost'])} (termination fee "
                   f"{money(t['termination_fee'] or 0)}, {t['notice_days'] or 0} days' notice "
                   f"of fees)" + ("" if not d["shortfall"] or d["shortfall"] <= 0 else
                                  f", against a shortfall of {money(d['shortfall'])} a year"))
    out += [_note(n) for n in d["notes"]]
    return "\n".join(out) + "\n"


# --- The audit report's words (reports/audit.py)

#: What the audit cannot tell, said on every audit report (docs/methodology.md §12).
LIMITS = (
    "A different payer mix between the two periods (more Medicaid, fewer commercial plans) "
    "moves the net collection rate whoever bills.",
    "New contracted rates or fee-schedule changes between the periods move it too: the "
    "contractual adjustment is part of what could be collected.",
    "Seasonality and short periods: deductibles reset in January, and claims still open at "
    "the end of a period are not yet collected.",
    "The first months of a vendor's collections and the last month of the files understate "
    "a steady month, so fees a year scaled from a few months can be off.",
    "The practice's collections and in-house savings are the figures from signing, not "
    "measured again.",
)


def verdict_sentence(d: dict) -> str:
    """The audit's answer in one sentence, with the promised and the realized net gain."""
    g, vendor = d["net_gain"], d["vendor"]
    promised = money(g["promised"])
    if d["verdict"] is None:
        return (f"The claims files cannot say yet whether {vendor} is delivering: too few "
                f"claims to grade; {promised} a year was promised at signing.")
    realized = money(g["realized"])
    if d["verdict"] == "delivering":
        sla = ("every SLA KPI it committed to is met and" if d["sla"] else
               "the contract states no service level, and")
        return (f"{vendor} is delivering: {sla} the practice gains {realized} a year, "
                f"against {promised} promised at signing.")
    if d["verdict"] == "not delivering":
        return (f"{vendor} is not delivering: the practice gains {realized} a year, less "
                f"than half the {promised} promised at signing.")
    missed = sum(r["met"] is not True for r in d["sla"])
    why = (f"it misses {missed} of the {len(d['sla'])} SLA KPIs it committed to"
           if missed else "its net gain falls short of 80% of the promise")
    return (f"{vendor} is partly delivering: {why}, while the practice gains {realized} a "
            f"year against {promised} promised at signing.")


def sla_result(row: dict) -> str:
    """'met (16.4 days better)', 'missed (5.5 points worse)' or 'not graded'."""
    return _sla_line(row)[3]


def exit_rows(d: dict) -> list[list[str]]:
    """The cost of leaving now, line by line: [what, how it is worked out, amount]."""
    if d["exit_cost"] is None:
        return []
    t, a_year = d["exit_terms"], d["fees"]["a_year"]
    fee, days = t["termination_fee"], t["notice_days"]
    rows = [["Termination fee", "as the contract states" if fee is not None else
             "not stated in the contract: counted as 0", money(fee or 0)],
            ["Fees over the notice period", f"{money(a_year)} a year x {days or 0} / 365 days"
             + ("" if days is not None else " (notice not stated: counted as 0)"),
             money(d["exit_cost"] - (fee or 0))],
            ["Cost of leaving now", "", money(d["exit_cost"])]]
    if d["shortfall"] is not None:
        rows.append(["Shortfall a year", "promised less realized net gain",
                     money(d["shortfall"]) if d["shortfall"] > 0 else
                     f"none ({money(-d['shortfall'])} ahead)"])
    return rows


def exit_sentence(d: dict) -> str:
    """Whether leaving would pay, in words."""
    if d["exit_cost"] is None or d["shortfall"] is None:
        return "The claims cannot say yet whether leaving would pay."
    if d["shortfall"] <= 0:
        return (f"Leaving now would cost {money(d['exit_cost'])} and gain nothing: the vendor "
                f"is {money(-d['shortfall'])} a year ahead of its promise.")
    months = d["exit_cost"] / d["shortfall"] * 12
    return (f"Leaving now would cost {money(d['exit_cost'])}, against a shortfall of "
            f"{money(d['shortfall'])} a year: about {months:.0f} months of the shortfall.")
