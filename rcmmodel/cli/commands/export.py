"""``rcm export SCENARIO -o FILE.xlsx``: the evaluation as an Excel workbook."""
from __future__ import annotations

from pathlib import Path

from ...errors import RcmInputError
from ._common import echo, writable_file


def run(args) -> int:
    from ...reports.excel import export_workbook

    if Path(args.output).suffix.lower() != ".xlsx":
        raise RcmInputError.at(args.output, "-o", "the output file must end in .xlsx")
    writable_file(args.output)
    echo(str(export_workbook(args.scenario, args.output)))
    return 0


def register(sub) -> None:
    p = sub.add_parser("export", help="write a live Excel model of the scenario",
                       description="Write the scenario as a live Excel model. The Inputs "
                       "sheet holds every input as a number (yellow cells), each with a name "
                       "such as annual_collections; the In-house and Vendor sheets compute "
                       "the cost of billing in-house, each vendor's fee, net gain, ROI, the "
                       "month-by-month timeline, NPV and payback with Excel formulas, so "
                       "changing an input in Excel changes every result. The Summary sheet "
                       "lists every vendor. The ranking, SLA scorecard, sensitivity and "
                       "sources sheets (and the KPIs, where the scenario has claims data) "
                       "hold values as exported and say so.")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="workbook to write")
    p.set_defaults(func=run)
