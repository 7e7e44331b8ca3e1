"""The workbook's "Alternatives" sheet: fixing billing in-house instead
(docs/methodology.md §6), live formulas on the Inputs sheet's names.

One row per alternative (its cost, one-time cost and uplift are yellow input cells, each
with a defined name ``alt1_annual_cost``, ``alt1_one_time``, ``alt1_uplift``):

    u_plan   = MIN(uplift, claims cap)          (the cap: measured, a value; blank: none)
    net_gain = annual_collections * u_plan - annual_cost
    net_m    = annual_collections / 12 * u_plan * ramp_m - annual_cost / 12
               (- one_time in month 1)
    npv      = NPV((1 + discount_rate)^(1/12) - 1, net_1..net_H)

and the best alternative by net gain. The sheet exists only where the scenario lists
alternatives; it is self-contained (the decision's verdict is on the Summary sheet).
"""
from __future__ import annotations

from openpyxl.utils import get_column_letter

from ..present.alternatives_text import MONEY_ALONE
from ..scenario.distributions import central
from .excel_cells import (INPUT_FILL, INTEGER, MONEY, PERCENT, formula, header, note, put,
                          widths)

HEADS = ["alternative", "annual cost", "one-time", "uplift (as given)",
         "most the claims show lost", "planned uplift", "net gain a year", "NPV",
         "payback month"]
M_COL = len(HEADS) + 2          # the months block starts here
PAID_BACK_TOLERANCE = "0.000000001"


def alternatives_sheet(wb, scenario, names) -> None:
    """Add the sheet (nothing where the scenario lists no alternatives)."""
    if not scenario.alternatives:
        return
    ws = wb.create_sheet("Alternatives")
    header(ws, 1, HEADS)
    ws.freeze_panes = "B2"
    widths(ws, {1: 36, **{c: 16 for c in range(2, len(HEADS) + 1)}})
    ev = scenario.claims_evidence
    cap = float(ev.high) if ev is not None and ev.usable else None
    months = scenario.timeline.horizon_months
    first, end = 2, 1 + months
    n = len(scenario.alternatives)
    header(ws, 1, ["month", *[f"{k} {what}" for k in range(1, n + 1)
                              for what in ("net", "cumulative", "paid back")]], col=M_COL)
    m = get_column_letter(M_COL)
    for r in range(first, end + 1):
        put(ws, r, M_COL, r - first + 1, INTEGER)
    for k, a in enumerate(scenario.alternatives, start=1):
        r = k + 1
        put(ws, r, 1, a.name)
        for c, key, value, fmt in ((2, "annual_cost", a.annual_cost, MONEY),
                                   (3, "one_time", a.one_time, MONEY),
                                   (4, "uplift", a.uplift, PERCENT)):
            put(ws, r, c, float(central(value)), fmt).fill = INPUT_FILL
            names.add(f"alt{k}_{key}", ws, r, c)
        put(ws, r, 5, cap, PERCENT)
        formula(ws, r, 6, f'IF(E{r}="",D{r},MIN(D{r},E{r}))', PERCENT)
        formula(ws, r, 7, f"annual_collections*F{r}-B{r}", MONEY, bold=True)
        net, cum, paid = (get_column_letter(M_COL + 3 * (k - 1) + j) for j in (1, 2, 3))
        for row in range(first, end + 1):
            mm = f"{m}{row}"
            formula(ws, row, M_COL + 3 * (k - 1) + 1,
                    f"IF({mm}>horizon_months,0,annual_collections/12*$F${r}"
                    f"*IF(ramp_days>0,MIN(1,{mm}/(ramp_days/30)),1)-$B${r}/12"
                    f"-IF({mm}=1,$C${r},0))", MONEY)
            formula(ws, row, M_COL + 3 * (k - 1) + 2,
                    f"{net}{row}" if row == first else f"{cum}{row - 1}+{net}{row}", MONEY)
            formula(ws, row, M_COL + 3 * (k - 1) + 3,
                    f'IF({cum}{row}>=-{PAID_BACK_TOLERANCE},{mm},"")', INTEGER)
        formula(ws, r, 8, f"NPV((1+discount_rate)^(1/12)-1,{net}{first}:{net}{end})", MONEY)
        formula(ws, r, 9, f'IF(COUNT({paid}{first}:{paid}{end})=0,"",'
                f"MIN({paid}{first}:{paid}{end}))", INTEGER)
    last = n + 1
    r = last + 2
    put(ws, r, 1, "Best alternative by net gain", bold=True)
    formula(ws, r, 2, f"INDEX(A2:A{last},MATCH(MAX(G2:G{last}),G2:G{last},0))")
    formula(ws, r, 7, f"MAX(G2:G{last})", MONEY, bold=True)
    names.add("best_alternative", ws, r, 2)            # the Decision sheet weighs them
    names.add("best_alternative_net_gain", ws, r, 7)
    notes = [MONEY_ALONE,
             "Yellow cells are inputs. Planned uplift = the uplift, at most what the "
             "practice's claims show being lost (measured, a value); net gain a year = "
             "collections today x planned uplift - annual cost; each month the uplift ramps "
             "up like a vendor's, the one-time cost falls in month 1, with no parallel run."]
    for i, text in enumerate(notes, start=1):
        note(ws, r + i, 1, text)


__all__ = ["alternatives_sheet"]
