"""``rcm audit SCENARIO [--vendor NAME] [--before FILE...] [--after FILE...] [--invoices CSV]
[--fee-schedule CSV] [--as-of DATE] [--json]``: is the vendor delivering what it promised?

What a flag leaves out comes from the scenario's ``audit:`` block (paths relative to the
scenario file); a flag given wins over the block (paths relative to the working folder).

The audit of :func:`rcmmodel.model.audit.audit` (docs/methodology.md §12): KPIs before and
after, the SLA, the realized uplift, each month's fee against the contract, the realized net
gain, the verdict and the cost of leaving. Only aggregates are printed.
"""
from __future__ import annotations

from ._common import echo, print_json


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "audit", help="after signing: is the vendor delivering what it promised?",
        description="Compare the practice's own billing (--before claims files) with the "
        "vendor's (--after), against the vendor's quote, SLA and contract in the scenario: "
        "KPIs, realized uplift, fees against the invoices, net gain, verdict, cost of leaving. "
        "What a flag leaves out comes from the scenario's audit: block (vendor, before, after, "
        "invoices, fee_schedule, as_of; paths relative to the scenario); flags win.")
    p.add_argument("scenario", metavar="SCENARIO", help="the scenario signed on (YAML)")
    p.add_argument("--vendor", metavar="NAME", help="the vendor signed with")
    p.add_argument("--before", nargs="+", metavar="FILE",
                   help="claims files of the practice's own billing (ledger, 835, 837P)")
    p.add_argument("--after", nargs="+", metavar="FILE",
                   help="claims files of the vendor's billing (ledger, 835, 837P)")
    p.add_argument("--invoices", metavar="CSV", default=None,
                   help="the vendor's invoices (CSV: month as YYYY-MM, amount)")
    p.add_argument("--fee-schedule", metavar="CSV", default=None,
                   help="contracted rates (CSV: payer, procedure_code, modifier, allowed): "
                   "adds underpayments on each side")
    p.add_argument("--as-of", metavar="DATE", default=None,
                   help="measure the after files as of this date (YYYY-MM-DD)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args) -> int:
    from ...claims.review import parse_as_of
    from ...model.audit import audit, vendor_index
    from ...model.measure import scenario_with_claims
    from ...scenario import load_scenario
    from ...scenario.audit_files import audit_args

    from ...present.audit_text import audit_text

    # What can be checked cheaply is checked before the scenario's claims are measured.
    scenario = load_scenario(args.scenario)
    given = audit_args(scenario, args.vendor, args.before, args.after, args.invoices,
                       args.fee_schedule, args.as_of)
    vendor_index(scenario, given["vendor"])
    parse_as_of(given["as_of"])
    result = audit(scenario_with_claims(scenario), **given)
    d = result.to_dict()
    if args.json:
        print_json(d)
    else:
        echo(audit_text(d).rstrip("\n"))
    return 0
