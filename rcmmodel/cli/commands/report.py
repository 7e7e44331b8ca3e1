"""``rcm report SCENARIO [-o DIR] [--template NAME] [--format html,pdf,ipynb]``."""
from __future__ import annotations

import sys


def run(args) -> int:
    from ...reports.render import ReportError, parse_formats, render_report, template_path

    template_path(args.template)          # bad options are exit 2, before anything runs
    formats = parse_formats(args.format)
    params = {"vendor": args.vendor} if args.vendor else None
    try:
        done = render_report(args.scenario, args.output, args.template, formats, params)
    except ReportError as exc:
        print(f"rcm report: {exc}", file=sys.stderr)
        return 1
    for fmt, path in done.files.items():
        print(path)
    return 0


def register(sub) -> None:
    p = sub.add_parser("report", help="render a report (HTML, PDF) for one scenario",
                       description="Run a report template for a scenario and write it as "
                       "self-contained HTML, PDF and/or the executed notebook, named "
                       "<scenario>-<template>.<format>. A failing cell exits 1 and writes "
                       "nothing.")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("-o", "--output", default="reports", metavar="DIR",
                   help="output folder (default: reports)")
    p.add_argument("--template", default="decision", metavar="NAME",
                   help="decision (default), proposal, claims-review, or a .ipynb path")
    p.add_argument("--format", default="html,pdf", metavar="LIST",
                   help="comma-separated: html, pdf, ipynb (default: html,pdf)")
    p.add_argument("--vendor", help="proposal template: whose offer (default: the best)")
    p.set_defaults(func=run)
