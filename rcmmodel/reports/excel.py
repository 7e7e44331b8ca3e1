"""``rcm export``: a scenario's evaluation as an Excel workbook (openpyxl).

Sheets: Summary, Vendors, Timeline (one row per vendor and month), Assumptions, and KPIs
where the scenario has claims data. Numbers are written as numbers, never as formatted
text, with money and percent number formats, so a consultant can keep calculating in
Excel. The file is written to a temporary name and renamed into place.
"""
from __future__ import annotations

from pathlib import Path

from ..present import narrative
from ..model.evaluate import evaluate
from ..model.inputs import uncertain_fields
from ..scenario import load_scenario
from ..claims.targets import TARGETS

MONEY = '"$"#,##0.00;[Red]-"$"#,##0.00'
PERCENT = "0.0%"
INTEGER = "0"
DAYS = "0.0"


def _num(x):
    """A float for a cell, None (an empty cell) for unknown or not-a-number."""
    if x is None:
        return None
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return None if x != x or x in (float("inf"), float("-inf")) else x


def _sheet(wb, title: str, header: list[str], rows: list[list], formats: dict[int, str],
           widths: dict[int, int] | None = None):
    """Append a sheet: bold header, frozen, numbers formatted per column index."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for row in rows:
        # Money to the cent, as rcm evaluate --json shows it (no 51499.99999999999).
        row = [round(v, 2) if formats.get(i) == MONEY and isinstance(v, float) else v
               for i, v in enumerate(row)]
        ws.append(row)
        r = ws.max_row
        for col, fmt in formats.items():
            ws.cell(row=r, column=col + 1).number_format = fmt
    for i, h in enumerate(header):
        width = (widths or {}).get(i) or max(12, min(48, len(str(h)) + 2))
        ws.column_dimensions[get_column_letter(i + 1)].width = width
    return ws


def build_workbook(scenario):
    """The workbook of one validated scenario (not yet saved)."""
    from openpyxl import Workbook

    result = evaluate(scenario)
    sim = None
    if uncertain_fields(scenario):
        from ..risk.uncertainty import simulate
        sim = simulate(scenario, progress=False)
    assessed = narrative.assessments(result)
    text, _ = narrative.recommendation(result, sim)
    best = result.best

    wb = Workbook()
    wb.remove(wb.active)
    summary = [["Practice", scenario.name, None],
               ["Recommendation", text, None],
               ["Annual collections today", _num(result.inputs.practice.collections), MONEY],
               ["In-house total cost of ownership", _num(result.inhouse_tco), MONEY],
               ["In-house savings from outsourcing", _num(result.inhouse_savings), MONEY],
               ["Best vendor", best.name if best else None, None]]
    if best is not None:
        f = best.figures
        summary += [["Best vendor: net gain per year", _num(f.net_gain), MONEY],
                    ["Best vendor: ROI", _num(f.roi), PERCENT],
                    ["Best vendor: NPV", _num(f.npv), MONEY],
                    ["Best vendor: payback month", int(f.payback_month) or None, INTEGER]]
    ws = _sheet(wb, "Summary", ["item", "value"], [r[:2] for r in summary], {},
                widths={0: 36, 1: 60})
    for i, (_, value, fmt) in enumerate(summary, start=2):
        if fmt:
            cell = ws.cell(row=i, column=2)
            cell.number_format = fmt
            if fmt == MONEY and isinstance(value, float):
                cell.value = round(value, 2)

    header = ["vendor", "eligible", "pricing", "uplift amount", "collections (C1)", "service fee",
              "recurring extras", "vendor cost", "one-time", "effective rate", "net gain", "ROI",
              "NPV", "payback month", "min uplift", "max rate", "crossover collections",
              "A/R cash release"]
    fmts = {3: MONEY, 4: MONEY, 5: MONEY, 6: MONEY, 7: MONEY, 8: MONEY, 9: PERCENT, 10: MONEY,
            11: PERCENT, 12: MONEY, 13: INTEGER, 14: PERCENT, 15: PERCENT, 16: MONEY, 17: MONEY}
    if sim is not None:
        header += ["P(net gain > 0)", "net gain p05", "net gain p50", "net gain p95"]
        fmts.update({18: PERCENT, 19: MONEY, 20: MONEY, 21: MONEY})
    rows = []
    for v in result.vendors:
        f, b = v.figures, v.breakeven
        row = [v.name, v.eligible, assessed[v.name].cost.pricing, _num(f.uplift_amount),
               _num(f.collections), _num(f.service_fee), _num(f.recurring_extras),
               _num(f.vendor_cost), _num(f.one_time), _num(assessed[v.name].cost.effective_rate),
               _num(f.net_gain), _num(f.roi), _num(f.npv), int(f.payback_month) or None,
               _num(b["min_uplift"]), _num(b["max_rate"]), _num(b["breakeven_collections"]),
               _num(v.ar_cash_release)]
        if sim is not None:
            s = sim.vendor(v.name)
            q = s.percentiles("net_gain")
            row += [s.prob_positive, q["p05"], q["p50"], q["p95"]]
        rows.append(row)
    _sheet(wb, "Vendors", header, rows, fmts, widths={0: 28, 2: 36})

    rows = []
    for v in result.vendors:
        for m in v.months_frame().itertuples():
            rows.append([v.name, int(m.m), _num(m.uplift), _num(m.savings), _num(m.vendor),
                         _num(m.net), _num(m.cumulative)])
    _sheet(wb, "Timeline", ["vendor", "month", "uplift", "savings", "vendor", "net",
                            "cumulative"],
           rows, {1: INTEGER, 2: MONEY, 3: MONEY, 4: MONEY, 5: MONEY, 6: MONEY}, widths={0: 28})

    rows = [[a["item"], a["value"], a["source"]]
            for a in narrative.assumptions(scenario, result)]
    _sheet(wb, "Assumptions", ["assumption", "value", "source"], rows, {},
           widths={0: 44, 1: 36, 2: 70})

    if scenario.practice.claims_files:
        _kpi_sheet(wb, scenario)
    return wb


def _kpi_sheet(wb, scenario) -> None:
    from ..claims.review import claims_review
    from ..claims.kpi import KPI_NAMES

    review = claims_review(scenario.practice.claims_files, base_dir=scenario.base_dir)
    rows = []
    for name in KPI_NAMES:
        value = _num(review["kpis"].get(name))
        target = TARGETS.get(name)
        fmt = MONEY if name == "open_ar" else DAYS if name == "days_in_ar" else PERCENT
        rows.append(([name, value, _num(target.green) if target else None,
                      target.grade(value) if target else None,
                      target.source if target else None], fmt))
    ws = _sheet(wb, "KPIs", ["kpi", "value", "benchmark", "grade", "source"],
                [r for r, _ in rows], {}, widths={0: 26, 4: 60})
    for i, (_, fmt) in enumerate(rows, start=2):
        ws.cell(row=i, column=2).number_format = fmt
        ws.cell(row=i, column=3).number_format = fmt
    ws.append([])
    ws.append(["claims", review["claims"]])
    ws.append(["as of", review["as_of"]])


def export_workbook(scenario_path, target) -> Path:
    """Validate a scenario, evaluate it and write the workbook to ``target`` atomically."""
    from .._files import atomic_path

    scenario = load_scenario(scenario_path)
    wb = build_workbook(scenario)
    target = Path(target)
    with atomic_path(target) as tmp:
        wb.save(str(tmp))
    return target
