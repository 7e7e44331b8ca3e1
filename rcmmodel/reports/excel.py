"""``rcm export``: a scenario as a live Excel model (openpyxl).

Sheets, in order:

Summary
    One row per vendor (header cells ``vendor``, ``net gain``, ...), every figure a formula,
    and the decision's cells.
Decision
    The weighted ranking and the verdict as formulas (:mod:`.excel_decision`): the weights
    and every score read the Inputs sheet, and the defined name ``recommended_vendor`` holds
    a vendor's name or "in-house", as ``rcm evaluate`` decides for the same inputs.
Inputs
    Every scenario input as a number, each with a workbook-level defined name
    (``annual_collections``, ``claims_per_month``, ``vendor1_rate``, ...). Yellow cells are
    the ones to change.
In-house, Vendor 1..n
    The model's definitions as formulas: in-house cost of ownership; each vendor's fee under
    its pricing model (tiers, monthly minimum, extras, one-time fees), net gain, ROI, NPV,
    payback, the monthly timeline, and the same year at the planning uplift.
Quotes / SLA scorecard / Sensitivity / Sources / KPIs (values)
    Views written as values and labelled so (the sensitivity is the recommended vendor's).

Every formula cell also stores its computed value (:mod:`.excel_cache`), for viewers that
do not recalculate.

Text taken from the scenario (vendor names, roles, cost names) is always stored as text,
never as a formula. The file is written to a temporary name and renamed into place.

Example
-------
>>> from rcmmodel.scenario import parse_scenario
>>> s = parse_scenario({"name": "Guide", "practice": {"annual_collections": 500000},
...                     "inhouse": {"annual_cost": 40000}, "vendors": [{"name": "Acme",
...                     "pricing": {"model": "percentage", "rate": 0.07}, "uplift": 0.1}]})
>>> wb = build_workbook(s, with_values=False)
>>> wb.sheetnames[:4]
['Summary', 'Inputs', 'In-house', 'Vendor 1']
>>> wb["Vendor 1"]["B15"].value
'=$B$6+$B$14-$B$12'
"""
from __future__ import annotations

from pathlib import Path

from ..model.evaluate import evaluate
from ..model.measure import scenario_with_claims
from ..scenario import load_scenario
from .excel_alternatives import alternatives_sheet
from .excel_cells import Names
from .excel_inputs import InputsSheet
from .excel_model import inhouse_sheet, summary_sheet, vendor_sheet
from .excel_decision import DecisionSheet
from .excel_values import (kpi_sheet, quotes_sheet, scorecard_sheet, sensitivity_sheet,
                           sources_sheet)


def build_workbook(scenario, with_values: bool = True):
    """The live workbook of one validated scenario (not yet saved).

    ``with_values=False`` leaves out the decision and the value sheets (quotes, scorecard,
    sensitivity, sources, KPIs): the formula model alone.
    """
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    names = Names(wb)
    inputs = InputsSheet(wb, names).write(scenario)
    inhouse_sheet(wb, scenario, names, inputs.by_path)
    cells = [vendor_sheet(wb, k, v, scenario, inputs.by_path)
             for k, v in enumerate(scenario.vendors, start=1)]
    alternatives_sheet(wb, scenario, names)      # fixing billing in-house (none: no sheet)
    if with_values:
        from ..risk.sensitivity import tornado
        from ..vendors.decision import decide
        from ..vendors.ranking import compare

        comparison = compare(scenario, evaluation=evaluate(scenario))
        decision = decide(scenario, comparison=comparison)
        DecisionSheet(wb, names, scenario, cells, comparison, inputs.by_path).write(decision)
        quotes_sheet(wb, comparison)
        scorecard_sheet(wb, comparison)
        sensitivity_sheet(wb, scenario, tornado(scenario, vendor=decision.focus), inputs)
        sources_sheet(wb, scenario, comparison.evaluation)
        if scenario.practice.claims_files:
            kpi_sheet(wb, scenario)
    summary_sheet(wb, scenario, cells, decided=with_values)
    if with_values:
        wb.move_sheet("Decision", offset=1 - wb.sheetnames.index("Decision"))
    for ws in wb.worksheets:       # printed: landscape, one page wide
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    wb.active = 0
    # Excel and LibreOffice compute every formula when the file opens: openpyxl stores none.
    wb.calculation.fullCalcOnLoad = True
    return wb


def workbook_bytes(scenario) -> bytes:
    """The .xlsx file of a validated scenario, in memory (the app's "Download Excel model"
    gives exactly what ``rcm export`` writes for the same inputs)."""
    from .excel_cache import workbook_file

    return workbook_file(build_workbook(scenario))


def export_workbook(scenario_path, target) -> Path:
    """Validate a scenario, build its workbook and write it to ``target`` atomically."""
    from .._files import atomic_path

    scenario = scenario_with_claims(load_scenario(scenario_path))
    data = workbook_bytes(scenario)
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target
