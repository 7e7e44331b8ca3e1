"""``rcm report SCENARIO [-o DIR] [--template NAME] [--format html,pdf,ipynb] [--vendor NAME]
[--brand FILE]``.

Everything that can be checked is checked before a kernel starts
(docs/architecture.md, "The command line's contract"): the template,
the formats, the output folder, the scenario, the brand file, and that ``--vendor`` names
one of its vendors (ignoring case) for a template that takes a vendor.
"""
from __future__ import annotations

import sys
import time

from ...errors import RcmInputError
from ._common import echo, measured_scenario, writable_folder


def template_vendor(scenario, template: str, vendor: str | None) -> dict | None:
    """The template's extra parameters: ``{"vendor": <the scenario's own spelling>}``.

    Raises
    ------
    RcmInputError
        ``--vendor`` for a template without a vendor parameter, or a name that is none of
        the scenario's vendors (their names are listed).
    """
    if vendor is None:
        return None
    from pathlib import Path

    import papermill

    from ...reports.render import template_path
    from ...describe import shown
    from ...scenario.rules import name_key

    path = template_path(template)
    if "vendor" not in papermill.inspect_notebook(str(path)):
        raise RcmInputError.at(None, "--vendor", f"the {Path(template).stem} template has no "
                               "vendor to choose; --vendor is for the proposal and audit templates")
    names = [v.name for v in scenario.vendors]
    match = [n for n in names if name_key(n) == name_key(vendor)]
    if not match:
        raise RcmInputError.at(scenario.source, "--vendor", f"no vendor named {shown(vendor)}; "
                               f"the scenario's vendors are: {', '.join(names)}")
    return {"vendor": match[0]}


def fee_schedule_param(template: str, path: str) -> str:
    """``--fee-schedule``, checked before any work: the template takes one, and the file is
    a readable fee schedule (every bad row named). Returns its absolute path."""
    from pathlib import Path

    import papermill

    from ...claims.fees import read_fee_schedule
    from ...reports.render import template_path

    if "fee_schedule" not in papermill.inspect_notebook(str(template_path(template))):
        raise RcmInputError.at(None, "--fee-schedule", f"the {Path(template).stem} template "
                               "takes no fee schedule")
    read_fee_schedule(path)
    return str(Path(path).resolve())


def check_audit(scenario, vendor: str | None) -> str:
    """The audit template's vendor and files (its ``audit:`` block, ``--vendor`` winning),
    audited once here so that a bad file is exit 2 before any kernel starts. Returns the
    vendor's name."""
    from ...model.audit import audit
    from ...reports.render import audit_vendor
    from ...scenario.audit_files import audit_args

    name = audit_vendor(scenario, vendor)
    audit(scenario, **{**audit_args(scenario, vendor=name), "vendor": name})
    return name


def run(args) -> int:
    from ...reports.render import (ReportError, audit_vendor, is_audit, is_proposal,
                                   offer_vendor, output_stem, parse_formats, render_report,
                                   template_path)

    template_path(args.template)          # bad options are exit 2, before anything runs
    formats = parse_formats(args.format)
    writable_folder(args.output)
    scenario = measured_scenario(args.scenario)
    brand = None
    if args.brand:
        from ...reports.brand import load_brand
        brand = load_brand(args.brand)
    params = template_vendor(scenario, args.template, args.vendor) or {}
    if args.fee_schedule:
        params["fee_schedule"] = fee_schedule_param(args.template, args.fee_schedule)
    vendor = params.get("vendor")
    if is_proposal(args.template) and vendor is None:
        vendor = params["vendor"] = offer_vendor(scenario)
    audited = None
    if is_audit(args.template):          # the audit's files read and checked before a kernel
        audited = check_audit(scenario, vendor)
    what = f"{args.template} report" + (f" ({vendor or audited})" if vendor or audited else "")
    echo(f"rcm report: rendering the {what} for {scenario.name} ({', '.join(formats)}) ...",
         file=sys.stderr)
    start = time.perf_counter()
    try:
        done = render_report(args.scenario, args.output, args.template, formats, params or None,
                             brand, measured=scenario)
    except ReportError as exc:
        echo(f"rcm report: {exc}", file=sys.stderr)
        return 1
    echo(f"rcm report: wrote {output_stem(args.scenario, args.template, vendor)} "
         f"({', '.join(done.files)}) in {time.perf_counter() - start:.0f} s:", file=sys.stderr)
    for path in done.files.values():
        echo(str(path))
    return 0


def register(sub) -> None:
    p = sub.add_parser("report", help="render a report (HTML, PDF) for one scenario",
                       description="Run a report template for a scenario and write it as "
                       "self-contained HTML, PDF and/or the executed notebook, named "
                       "<scenario>-<template>.<format> (a proposal: "
                       "<scenario>-proposal-<vendor>.<format>). A failing cell exits 1 and "
                       "writes nothing. The claims-review template reads the claims files the "
                       "scenario lists under practice.claims_files; the audit template the "
                       "vendor and files of its audit: block.")
    p.add_argument("scenario", help="scenario YAML file")
    p.add_argument("-o", "--output", default="reports", metavar="DIR",
                   help="output folder (default: reports)")
    p.add_argument("--template", default="decision", metavar="NAME",
                   help="decision (default), proposal, claims-review, audit (from the "
                   "scenario's audit: block), or a .ipynb path")
    p.add_argument("--format", default="html,pdf", metavar="LIST",
                   help="comma-separated: html, pdf, ipynb (default: html,pdf)")
    p.add_argument("--vendor", help="proposal template: whose offer, matched ignoring case "
                   "(default: the recommended vendor); audit template: the vendor audited "
                   "(default: the one the scenario's audit: block names)")
    p.add_argument("--fee-schedule", metavar="CSV", help="the practice's contracted rates "
                   "(payer, procedure_code, modifier, allowed): underpayments join the claims "
                   "review and the evidence that bounds each vendor's uplift")
    p.add_argument("--brand", metavar="FILE", help="a brand file (YAML: name, logo, colors, "
                   "contact) that puts your name, logo and contact line on the report")
    p.set_defaults(func=run)
