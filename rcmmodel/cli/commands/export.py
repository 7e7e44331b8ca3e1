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
    p = sub.add_parser("export", help="write the evaluation to an Excel workbook",
                       description="Write a scenario's evaluation to Excel: summary, vendors, "
                       "monthly timeline, assumptions, and KPIs where the scenario has claims "
                       "data. Numbers are stored as numbers with money and percent formats.")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx", help="workbook to write")
    p.set_defaults(func=run)
