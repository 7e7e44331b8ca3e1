"""The formula sheets of the live Excel model: in-house cost, each vendor's year and months.

The formulas are the model's definitions (docs/methodology.md §1 to §4) written in Excel,
reading the Inputs sheet through defined names:

    uplift_amount = C0 * u            C1 = C0 + uplift_amount
    service_fee   = 12 * max(fee on C1 / 12 for a month, monthly_minimum)
    vendor_cost   = service_fee + recurring_extras
    net_gain      = uplift_amount + inhouse_savings - vendor_cost
    roi           = net_gain / vendor_cost
    ramp_m        = min(1, m / (ramp_days / 30))
    overlap_m     = min(1, max(0, parallel_run_days / 30 - (m - 1)))
    collections_m = C0 / 12 * (1 + u * ramp_m)
    uplift_m      = C0 / 12 * u * ramp_m
    savings_m     = inhouse_savings / 12 * (1 - overlap_m)
    vendor_m      = max(fee on collections_m, monthly_minimum) + recurring_extras / 12
                    (+ one_time in month 1)
    net_m         = uplift_m + savings_m - vendor_m
    npv           = NPV((1 + discount_rate)^(1/12) - 1, net_1..net_H)
    payback_month = first m where the cumulative net is >= 0

The tests recompute every example's workbook with a formula engine and compare it with
``rcm evaluate`` to the cent, before and after an input is changed.
"""
from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string, get_column_letter

from ..present.flags_text import EXCLUDED_LABELS
from ..present.labels import inhouse_label
from ..pricing import pricing_label, pricing_model
from .excel_cells import (FACTOR, INTEGER, MONEY, PERCENT, Names, formula, header, note,
                          put, quote_sheet, widths)

# The month flows sit to the right of the yearly block, one row a month.
T_COL = 5
T_COLS = ["month", "ramp", "overlap", "collections", "uplift", "savings", "service fee",
          "vendor", "net", "cumulative", "paid back"]
T_FMTS = [INTEGER, FACTOR, FACTOR, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, MONEY, INTEGER]
# ... and again at the planning uplift, where the practice's claims bound it
P_COLS = ["planned collections", "planned uplift", "planned service fee", "planned vendor",
          "planned net"]
PAID_BACK_TOLERANCE = "0.000000001"   # as the model: a cumulative sum of 0 to the cent counts


def inhouse_sheet(wb, scenario, names: Names, by_path: dict) -> None:
    """In-house total cost of ownership and what outsourcing saves, as formulas."""
    ws = wb.create_sheet("In-house")
    header(ws, 1, ["item", "a year", "how it is worked out"])
    ws.freeze_panes = "A2"
    widths(ws, {1: 40, 2: 16, 3: 70})
    h = scenario.inhouse
    rows: list[tuple[str, str, str]] = []
    if h.annual_cost is not None:
        rows.append((inhouse_label("total"), by_path["inhouse.annual_cost"],
                     "given as one total"))
    else:
        staff = [(by_path[f"inhouse.staff[{i}].fte"], by_path[f"inhouse.staff[{i}].salary"])
                 for i in range(len(h.staff))]
        rows.append((inhouse_label("wages"), "+".join(f"{f}*{s}" for f, s in staff),
                     "sum of FTE x salary"))
        rows.append((inhouse_label("payroll_tax"), "B2*payroll_tax_rate",
                     "wages x payroll tax rate"))
        rows.append((inhouse_label("benefits"), "B2*benefits_rate", "wages x benefits rate"))
        for key in h.costs:
            rows.append((inhouse_label(key), by_path[f"inhouse.costs.{key}"],
                         "a yearly cost"))
        fte = "+".join(f for f, _ in staff)
        rows.append((inhouse_label("turnover"), f"turnover_rate*({fte})*cost_per_departure",
                     "turnover rate x total FTEs x cost of replacing a leaver"))
    last = 1 + len(rows)
    for r, (label, expr, how) in enumerate(rows, start=2):
        put(ws, r, 1, label)
        formula(ws, r, 2, expr, MONEY)
        note(ws, r, 3, how)
    r = last + 1
    put(ws, r, 1, "In-house total cost of ownership", bold=True)
    formula(ws, r, 2, f"SUM(B2:B{last})", MONEY, bold=True)
    names.add("inhouse_tco", ws, r, 2)
    put(ws, r + 1, 1, "Cost that stays after outsourcing")
    formula(ws, r + 1, 2, "residual_cost", MONEY)
    put(ws, r + 2, 1, "In-house savings from outsourcing", bold=True)
    formula(ws, r + 2, 2, f"B{r}-B{r + 1}", MONEY, bold=True)
    note(ws, r + 2, 3, "total cost of ownership less what stays")
    names.add("inhouse_savings", ws, r + 2, 2)


def _pricing_names(k: int, vendor, by_path: dict) -> SimpleNamespace:
    """The defined names of one quote's pricing inputs, field by field (a choice holds its
    value; bands hold ``(up_to name or None, rate name)`` pairs), for its model's formula."""
    at, p = f"vendors[{k - 1}].pricing", vendor.pricing
    names = {"model": p.model}
    for f in pricing_model(p).fields:
        if f.kind == "tiers":
            names[f.name] = tuple((by_path.get(f"{at}.{f.name}[{j}].up_to"),
                                   by_path[f"{at}.{f.name}[{j}].rate"])
                                  for j in range(len(getattr(p, f.name) or [])))
        elif f.kind == "choice":
            names[f.name] = getattr(p, f.name)
        else:
            names[f.name] = by_path.get(f"{at}.{f.name}")
    return SimpleNamespace(**names)


@dataclass
class VendorCells:
    """Where a vendor sheet keeps the figures the Summary reads."""

    sheet: str
    rows: dict[str, int]

    def ref(self, key: str) -> str:
        return f"{quote_sheet(self.sheet)}!$B${self.rows[key]}"


def vendor_sheet(wb, k: int, vendor, scenario, by_path: dict) -> VendorCells:
    """One vendor's steady-state year (column B) and monthly timeline (columns E on)."""
    ws = wb.create_sheet(f"Vendor {k}")
    tag = f"vendor{k}"
    p = _pricing_names(k, vendor, by_path)
    model = pricing_model(vendor.pricing)
    fee_of = model.excel_month_fee
    months = scenario.timeline.horizon_months
    first, end = 2, 1 + months
    col = {name: T_COL + i for i, name in enumerate(T_COLS)}
    L = {name: get_column_letter(c) for name, c in col.items()}
    net_range = f"{L['net']}{first}:{L['net']}{end}"
    # where the practice's claims bound the uplift, the decision's figures get their own
    # months (columns to the right); else the planning figures are the quote's
    planned = "claims.evidence_high" in by_path
    P = {name: get_column_letter(T_COL + len(T_COLS) + i) for i, name in enumerate(P_COLS)}
    P["range"] = f"{P['planned net']}{first}:{P['planned net']}{end}" if planned else None

    header(ws, 1, ["item", "value", "how it is worked out"])
    header(ws, 1, T_COLS + (P_COLS if planned else []), col=T_COL)
    ws.freeze_panes = "A2"
    widths(ws, {1: 44, 2: 16, 3: 72, 4: 3, **{c: 13 for c in col.values()},
                 **{column_index_from_string(x): 15 for x in list(P.values())[:-1]}})

    extras = [f"{tag}_per_statement*patient_statements_per_month*12",
              f"{tag}_per_provider_monthly*providers*12"]
    extras += [by_path[f"vendors[{k - 1}].fees.other_annual.{key}"]
               for key in vendor.fees.other_annual]
    steps = [
        ("vendor", "Vendor", None, None, "as quoted"),
        ("eligible", "Eligible (offers a Business Associate Agreement)",
         f'{tag}_baa_offered<>"no"', None, "a vendor that refuses a BAA cannot be chosen"),
        ("uplift_rate", "Uplift (rise in collections)", f"{tag}_uplift", PERCENT, "as quoted"),
        ("c0", "Collections today (C0)", "annual_collections", MONEY, "from the inputs"),
        ("uplift", "Uplift amount", "{c0}*{uplift_rate}", MONEY, "C0 x uplift"),
        ("c1", "Collections with the vendor (C1)", "{c0}+{uplift}", MONEY, "C0 + uplift amount"),
        ("month_fee", "Service fee for a month, before the minimum", fee_of(p, "{c1}/12"),
         MONEY, model.excel_words(vendor.pricing)),
        ("minimum", "Monthly minimum", f"{tag}_monthly_minimum", MONEY, "the fee's floor"),
        ("service_fee", "Service fee a year", "12*MAX({month_fee},{minimum})", MONEY,
         "12 x the larger of the month's fee and the minimum"),
        ("extras", "Recurring extras a year", "+".join(extras), MONEY,
         "statements, per-provider fees and named yearly extras"),
        ("vendor_cost", "Vendor cost a year", "{service_fee}+{extras}", MONEY,
         "service fee + recurring extras"),
        ("one_time", "One-time fees (month 1)",
         f"{tag}_setup+{tag}_credentialing_per_provider*providers", MONEY,
         "setup + credentialing x providers"),
        ("savings", "In-house savings a year", "inhouse_savings", MONEY, "from the In-house sheet"),
        ("net_gain", "Net gain a year", "{uplift}+{savings}-{vendor_cost}", MONEY,
         "uplift amount + in-house savings - vendor cost"),
        ("roi", "Return on the vendor's fees (ROI)",
         'IF({vendor_cost}=0,"",{net_gain}/{vendor_cost})', PERCENT, "net gain / vendor cost"),
        ("monthly_rate", "Discount rate a month", "(1+discount_rate)^(1/12)-1", "0.0000%",
         "(1 + yearly rate)^(1/12) - 1"),
        ("npv", "Net present value over the horizon", f"NPV({{monthly_rate}},{net_range})",
         MONEY, "Excel's NPV of the monthly net, discounted at the monthly rate"),
        ("payback", "Payback month",
         f'IF(COUNT({L["paid back"]}{first}:{L["paid back"]}{end})=0,"",'
         f'MIN({L["paid back"]}{first}:{L["paid back"]}{end}))', INTEGER,
         "first month the running total of net is 0 or more (blank: not within the horizon)"),
        ("total", "Net over the horizon", f"SUM({net_range})", MONEY, "sum of the monthly net"),
        *_planning_steps(tag, fee_of, p, planned, P),
    ]
    rows = {key: r for r, (key, *_rest) in enumerate(steps, start=2)}
    cells = {key: f"$B${r}" for key, r in rows.items()}
    for key, label, expr, fmt, how in steps:
        r = rows[key]
        bold = key in ("net_gain", "npv", "plan_net_gain")
        put(ws, r, 1, label, bold=bold)
        if expr is None:
            put(ws, r, 2, vendor.name)
        else:
            formula(ws, r, 2, expr.format(**cells), fmt, bold=bold)
        note(ws, r, 3, how)
    _working_rows(ws, len(steps) + 3, model.excel_rows(p, cells["c1"]), model)
    _timeline(ws, first, end, col, L, p, fee_of, tag, cells)
    if planned:
        _planned_timeline(ws, first, end, L, P, p, fee_of, tag, cells)
    return VendorCells(ws.title, rows)


def _planning_steps(tag: str, fee_of, p, planned: bool, P: dict) -> list[tuple]:
    """The year (and NPV) at the planning uplift, what the decision believes
    (docs/methodology.md §6): the quote, at most what the practice's claims show being lost."""
    if planned:
        uplift = (f"MIN({tag}_uplift,evidence_high)",
                  "the quote, at most what the claims show being lost (evidence_high, "
                  "measured from claims)")
    else:
        uplift = (f"{tag}_uplift", "the quote: no usable claims data to bound it")
    return [
        ("plan_uplift", "Planning uplift (what the decision plans on)", uplift[0], PERCENT,
         uplift[1]),
        ("plan_amount", "Uplift amount, planned", "{c0}*{plan_uplift}", MONEY,
         "C0 x planning uplift"),
        ("plan_c1", "Collections with the vendor, planned", "{c0}+{plan_amount}", MONEY,
         "C0 + planned uplift amount"),
        ("plan_service_fee", "Service fee a year, planned",
         f"12*MAX({fee_of(p, '{plan_c1}/12')},{{minimum}})", MONEY,
         "as above, on the planned collections"),
        ("plan_vendor_cost", "Vendor cost a year, planned", "{plan_service_fee}+{extras}",
         MONEY, "planned service fee + recurring extras"),
        ("plan_net_gain", "Net gain a year, planned (the decision's)",
         "{plan_amount}+{savings}-{plan_vendor_cost}", MONEY,
         "planned uplift amount + in-house savings - planned vendor cost"),
        ("plan_npv", "Net present value, planned",
         f"NPV({{monthly_rate}},{P['range']})" if planned else "{npv}", MONEY,
         "NPV of the planned months (right)" if planned else "the quote's NPV"),
    ]


def _planned_timeline(ws, first: int, end: int, L: dict, P: dict, p, fee_of, tag: str,
                      cells: dict) -> None:
    """The months again at the planning uplift (ramp, overlap and savings as above)."""
    u = cells["plan_uplift"]
    for r in range(first, end + 1):
        c = {name: f"{L[name]}{r}" for name in L}
        q = {name: f"{P[name]}{r}" for name in P_COLS}
        exprs = {
            "planned collections": f"annual_collections/12*(1+{u}*{c['ramp']})",
            "planned uplift": f"annual_collections/12*{u}*{c['ramp']}",
            "planned service fee": f"MAX({fee_of(p, q['planned collections'])},"
                                   f"{tag}_monthly_minimum)",
            "planned vendor": f"{q['planned service fee']}+{cells['extras']}/12"
                              f"+IF({c['month']}=1,{cells['one_time']},0)",
            "planned net": f"IF({c['month']}>horizon_months,0,{q['planned uplift']}"
                           f"+{c['savings']}-{q['planned vendor']})",
        }
        for name in P_COLS:
            formula(ws, r, column_index_from_string(P[name]), exprs[name], MONEY)


def _working_rows(ws, r: int, rows: list, model) -> None:
    """The fee's working on the steady-state year (a banded fee band by band), for the
    reader to follow; nothing for a model whose formula says it all."""
    if not rows:
        return
    put(ws, r, 1, f"{model.label} on C1, step by step", bold=True)
    for label, expr, how in rows:
        r += 1
        put(ws, r, 1, label)
        formula(ws, r, 2, expr, MONEY)
        note(ws, r, 3, how)
    put(ws, r + 1, 1, "Fee a year, before the minimum")
    formula(ws, r + 1, 2, f"SUM(B{r - len(rows) + 1}:B{r})", MONEY)


def _timeline(ws, first: int, end: int, col: dict, L: dict, p, fee_of, tag: str,
              cells: dict) -> None:
    """One row a month: the monthly definitions of docs/methodology.md §4, column by column."""
    for r in range(first, end + 1):
        m = r - first + 1
        c = {name: f"{L[name]}{r}" for name in L}
        exprs = {
            "ramp": f"IF(ramp_days>0,MIN(1,{c['month']}/(ramp_days/30)),1)",
            "overlap": f"MIN(1,MAX(0,parallel_run_days/30-({c['month']}-1)))",
            "collections": f"annual_collections/12*(1+{tag}_uplift*{c['ramp']})",
            "uplift": f"annual_collections/12*{tag}_uplift*{c['ramp']}",
            "savings": f"inhouse_savings/12*(1-{c['overlap']})",
            "service fee": f"MAX({fee_of(p, c['collections'])},{tag}_monthly_minimum)",
            "vendor": f"{c['service fee']}+{cells['extras']}/12"
                      f"+IF({c['month']}=1,{cells['one_time']},0)",
            "net": f"IF({c['month']}>horizon_months,0,{c['uplift']}+{c['savings']}"
                   f"-{c['vendor']})",
            "cumulative": c["net"] if m == 1 else f"{L['cumulative']}{r - 1}+{c['net']}",
            "paid back": f'IF({c["cumulative"]}>=-{PAID_BACK_TOLERANCE},{c["month"]},"")',
        }
        put(ws, r, col["month"], m, INTEGER)
        for name, fmt in zip(T_COLS[1:], T_FMTS[1:]):
            formula(ws, r, col[name], exprs[name], fmt)


def summary_sheet(wb, scenario, vendors: list[VendorCells], decided: bool = True):
    """One row per vendor, every figure a formula reading the vendor sheets; below, the
    decision's cells from the Decision sheet (``decided``: that sheet exists)."""
    ws = wb.create_sheet("Summary", 0)
    cols = [("vendor", None, None), ("eligible", "eligible", None),
            ("net gain", "net_gain", MONEY), ("vendor cost", "vendor_cost", MONEY),
            ("service fee", "service_fee", MONEY), ("recurring extras", "extras", MONEY),
            ("uplift amount", "uplift", MONEY), ("one-time fees", "one_time", MONEY),
            ("ROI", "roi", PERCENT), ("NPV", "npv", MONEY), ("payback month", "payback", INTEGER),
            ("pricing", None, None), ("planning uplift", "plan_uplift", PERCENT),
            ("planning net gain", "plan_net_gain", MONEY)]
    header(ws, 1, [c[0] for c in cols])
    ws.freeze_panes = "B2"
    widths(ws, {1: 40, 2: 17, **{i: max(15, len(c[0]) + 3) for i, c in enumerate(cols, start=1)
                                 if i > 2}, 12: 36})
    for r, (cells, spec) in enumerate(zip(vendors, scenario.vendors), start=2):
        for c, (_, key, fmt) in enumerate(cols, start=1):
            if key == "eligible":
                formula(ws, r, c, f'IF({cells.ref(key)},"yes","{EXCLUDED_LABELS["no_baa"]}")')
            elif key:
                formula(ws, r, c, cells.ref(key), fmt)
        put(ws, r, 1, spec.name)
        put(ws, r, 12, pricing_label(spec))
    last = 1 + len(vendors)
    # a vendor that cannot be chosen is greyed out, whatever its figures
    ws.conditional_formatting.add(
        f"A2:{get_column_letter(len(cols))}{last}",
        FormulaRule(formula=['$B2<>"yes"'], font=Font(color="808080", italic=True)))
    r = last + 2
    put(ws, r, 1, "In-house total cost of ownership")
    formula(ws, r, 3, "inhouse_tco", MONEY)
    put(ws, r + 1, 1, "In-house savings from outsourcing")
    formula(ws, r + 1, 3, "inhouse_savings", MONEY)
    r += 3
    if decided:
        put(ws, r, 1, "The decision (live: the Decision sheet works it out)", bold=True)
        for key, label in (("verdict", "Verdict"), ("recommended_vendor", "Recommended"),
                           ("financial_best", "Highest planning net gain (eligible)"),
                           ("runner_up", "Runner-up")):
            r += 1
            put(ws, r, 1, label, bold=key == "verdict")
            formula(ws, r, 2, key, bold=key == "verdict")
        r += 1
    note(ws, r + 1, 1, "Yellow cells on the Inputs sheet are the inputs: change one and every "
         "figure above follows, the decision included. The sheets marked (values) hold values "
         "as exported.")
    return ws
