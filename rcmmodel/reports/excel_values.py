"""The value sheets of the live Excel model: quotes, SLA scorecard, sensitivity, sources, KPIs.

These are views Excel does not redo (each quote's flags, the scorecard's grades in words,
the tornado's swings, the sources, the KPIs measured from claims files), so they are written
as values, and each sheet says so in its name and in its first row. The ranking and the decision are formulas
(:mod:`.excel_decision`). The figures come from the same library functions as
``rcm compare`` and the reports.
"""
from __future__ import annotations

from .excel_cells import DAYS, MONEY, PERCENT, RATE, WRAP, header, note, number, put, widths

VALUES_NOTE = ("Values as exported: these do not recalculate when an input changes. "
               "Export again (rcm export) after changing the scenario.")


def _table(wb, title: str, cols: list[tuple[str, str | None, int]], rows: list[list],
           intro: str | None = None):
    """A values sheet: a note in row 1, the header in row 2 (frozen), then the rows."""
    ws = wb.create_sheet(title)
    note(ws, 1, 1, intro or VALUES_NOTE)
    header(ws, 2, [c[0] for c in cols])
    ws.freeze_panes = "A3"
    widths(ws, {i: c[2] for i, c in enumerate(cols, start=1)})
    for r, row in enumerate(rows, start=3):
        for c, (value, (_, fmt, _w)) in enumerate(zip(row, cols), start=1):
            put(ws, r, c, value, fmt if isinstance(value, (int, float)) else None)
    return ws


def quotes_sheet(wb, comparison) -> None:
    """Each quote's all-in price and what to notice about it (the ranking itself is the
    Decision sheet's formulas)."""
    from ..present.flags_text import EXCLUDED_LABELS, flags_text

    cols = [("vendor", None, 30), ("eligible", None, 17), ("pricing", None, 36),
            ("effective rate", RATE, 14), ("all-in cost a year", MONEY, 18),
            ("why excluded / what to notice", None, 90)]
    rows = [[a.name, "yes" if a.eligible else EXCLUDED_LABELS.get(a.disqualified, "no"),
             a.cost.pricing, number(a.cost.effective_rate), number(a.cost.all_in_annual),
             flags_text(a)] for a in comparison.assessments]
    ws = _table(wb, "Quotes (values)", cols, rows)
    for r, row in enumerate(rows, start=3):
        ws.cell(row=r, column=len(cols)).alignment = WRAP
        ws.row_dimensions[r].height = 15 * (1 + len(row[-1]) // 110)


def scorecard_sheet(wb, comparison) -> None:
    cols = [("vendor", None, 30), ("KPI", None, 26), ("committed", None, 12),
            ("benchmark", None, 12), ("grade", None, 10), ("practice today", None, 14),
            ("vs today", None, 12)]
    rows = []
    for a in comparison.assessments:
        if not a.sla.offered:
            rows.append([a.name, "no SLA offered", "not stated", None, None, None, None])
            continue
        for m in a.sla.kpis.values():
            rows.append([a.name, m.label, number(m.committed) if m.committed is not None
                         else "not stated", number(m.target), m.grade or "-",
                         number(m.baseline), m.vs_baseline or "-"])
    ws = _table(wb, "SLA scorecard (values)", cols, rows)
    for r, row in enumerate(rows, start=3):
        fmt = DAYS if "days" in str(row[1]).lower() else PERCENT
        for c in (3, 4, 6):
            ws.cell(row=r, column=c).number_format = fmt


def sensitivity_sheet(wb, scenario, frame, inputs) -> None:
    """The tornado: each input swung low and high, the rest at base, largest swing first.

    Inputs are named as everywhere (rcmmodel.present.labels), with the defined name to find
    them by on the Inputs sheet (``inputs``: its :class:`InputsSheet`)."""
    from ..describe import possessive
    from ..present.narrative import tornado_base

    cols = [("input", None, 48), ("name in formulas", None, 30), ("base value", None, 14),
            ("low value", None, 14), ("high value", None, 14), ("net gain at low", MONEY, 16),
            ("net gain at high", MONEY, 16), ("swing", MONEY, 14), ("NPV at low", MONEY, 16),
            ("NPV at high", MONEY, 16)]
    rows, fmts = [], []
    from ..present.labels import field_label
    from .excel_inputs import input_format

    for r in frame.itertuples():
        label, fmt = field_label(r.input, scenario), input_format(r.input)
        rows.append([label, inputs.by_path.get(r.input), r.base_value, r.low_value,
                     r.high_value, r.net_gain_low, r.net_gain_high, r.swing, r.npv_low,
                     r.npv_high])
        fmts.append(fmt or "#,##0.##")
    how = f"each input {frame.attrs['swing'] * 100:g}% below and above its value"
    intro = (f"{VALUES_NOTE} What moves {possessive(frame.attrs['vendor'])} net gain most: "
             f"{how}, the rest at base" + (f" (net gain {tornado_base(frame.attrs)})."
                                           if frame.attrs.get("capped") else "."))
    ws = _table(wb, "Sensitivity (values)", cols, rows, intro)
    for r, fmt in enumerate(fmts, start=3):
        for c in (3, 4, 5):
            ws.cell(row=r, column=c).number_format = fmt


def sources_sheet(wb, scenario, result) -> None:
    from ..present import narrative

    rows = [[a["item"], a["value"], a["source"]]
            for a in narrative.assumptions(scenario, result)]
    _table(wb, "Sources (values)", [("assumption", None, 44), ("value", None, 36),
                                    ("source", None, 70)], rows,
           "Where each assumption comes from. The numbers the model runs on are on the "
           "Inputs sheet.")


def kpi_sheet(wb, scenario) -> None:
    """The practice's billing KPIs measured from its claims files, with benchmarks."""
    from ..claims.kpi import KPI_NAMES
    from ..claims.targets import TARGETS
    from ..model.measure import measure_claims
    from ..present.labels import KPI_LABELS

    review = measure_claims(scenario).review
    rows, fmts = [], []
    for name in KPI_NAMES:
        value = number(review["kpis"].get(name))
        target = TARGETS.get(name)
        rows.append([KPI_LABELS.get(name, name), value, number(target.green) if target else None,
                     (target.grade(value) if target and value is not None else None) or "-",
                     target.source if target else None])
        fmts.append(MONEY if name == "open_ar" else DAYS if name == "days_in_ar" else PERCENT)
    ws = _table(wb, "KPIs (values)", [("KPI", None, 26), ("value", None, 14),
                                      ("benchmark", None, 12), ("grade", None, 10),
                                      ("source", None, 70)], rows,
                f"{VALUES_NOTE} Measured from {review['claims']} claims as of "
                f"{review['as_of']}.")
    for r, fmt in enumerate(fmts, start=3):
        ws.cell(row=r, column=2).number_format = fmt
        ws.cell(row=r, column=3).number_format = fmt
