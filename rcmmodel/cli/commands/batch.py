"""``rcm batch SCENARIO_OR_DIR... | --prospects LIST.csv --offer OFFER.yaml``
``[-o DIR] [--workers N] [--scheduler ADDRESS]``."""
from __future__ import annotations

import sys


def run(args) -> int:
    from ...errors import RcmInputError
    from ...reports.batch import run_batch
    from ...reports.prospect_batch import run_prospects
    from ...reports.pool import Interrupted, signals_stop_batch
    from ._common import echo, writable_folder

    if bool(args.paths) == bool(args.prospects):
        raise RcmInputError.at(None, "SCENARIO_OR_DIR", "give scenario files or folders, or "
                               "--prospects LIST.csv with --offer OFFER.yaml (not both)")
    if args.prospects and not args.offer:
        raise RcmInputError.at(None, "--offer", "--prospects needs --offer OFFER.yaml "
                               "(your quote, as the vendor of every proposal)")
    if args.offer and not args.prospects:
        raise RcmInputError.at(None, "--offer", "only used with --prospects")
    writable_folder(args.output)          # before any worker starts
    brand = None
    if args.brand:
        from ...reports.brand import load_brand
        brand = load_brand(args.brand)
    if args.vendor and args.prospects:
        raise RcmInputError.at(None, "--vendor", "a prospect list's vendor is the one in "
                               "--offer; --vendor is for scenario files")
    outcomes: list = []
    try:
        # From here on a SIGTERM unwinds like Ctrl-C: every file being written is removed
        # or completed, workers are stopped, the index says what was not rendered.
        with signals_stop_batch():
            if args.prospects:
                if args.template not in (None, "proposal"):
                    raise RcmInputError.at(None, "--template",
                                           "a prospect list renders proposals")
                outcomes = run_prospects(args.prospects, args.offer, args.output,
                                         workers=args.workers, scheduler=args.scheduler,
                                         formats=args.format, progress=not args.no_progress,
                                         brand=brand)
            else:
                template = args.template or ("proposal" if args.vendor else "decision")
                outcomes = run_batch(args.paths, args.output, workers=args.workers,
                                     scheduler=args.scheduler, template=template,
                                     formats=args.format, progress=not args.no_progress,
                                     vendor=args.vendor, brand=brand)
    except (Interrupted, KeyboardInterrupt) as exc:
        code = exc.code if isinstance(exc, Interrupted) else 130
        echo(f"rcm batch: stopped ({'SIGINT' if code == 130 else exc}); the index lists "
              f"what was not rendered: {args.output.rstrip('/')}/index.html", file=sys.stderr)
        return code
    failed = [o for o in outcomes if not o.ok]
    noun = "proposals" if args.prospects else "reports"
    echo(f"{len(outcomes) - len(failed)} of {len(outcomes)} {noun} rendered; index: "
          f"{args.output.rstrip('/')}/index.html")
    if failed:   # each failure was printed as it happened; the index lists them all
        echo(f"rcm batch: {len(failed)} failed: "
              + ", ".join(o.scenario if not args.prospects else f"{o.scenario} ({o.name})"
                          for o in failed), file=sys.stderr)
    return 1 if failed else 0


def _workers(text: str) -> int:
    import argparse

    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def scheduler_address(text: str) -> str:
    """``--scheduler``: the rule of :func:`rcmmodel.reports.pool.check_scheduler`, as an
    argparse type, so a bad address is exit 2 before any worker starts."""
    import argparse

    from ...errors import RcmInputError
    from ...reports.pool import check_scheduler

    try:
        return check_scheduler(text)
    except RcmInputError as exc:
        raise argparse.ArgumentTypeError(exc.problems[0].message) from None


def register(sub) -> None:
    p = sub.add_parser("batch", help="render reports for many scenarios, or proposals for a "
                       "prospect list, in parallel",
                       description="Render a report for every scenario (files, or folders of "
                       "*.yaml), or a proposal for every row of a prospect list "
                       "(--prospects LIST.csv --offer OFFER.yaml), on local worker processes "
                       "or a Dask cluster, with an index.html listing every practice and "
                       "every failure. Exits 1 if any failed, 130/143 if stopped by "
                       "SIGINT/SIGTERM.")
    p.add_argument("paths", nargs="*", metavar="SCENARIO_OR_DIR")
    p.add_argument("--prospects", metavar="LIST.csv",
                   help="a prospect list (CSV, one practice a row; columns in the README)")
    p.add_argument("--offer", metavar="OFFER.yaml",
                   help="with --prospects: your offer (vendor:, optional timeline: and inhouse:)")
    p.add_argument("-o", "--output", default="reports", metavar="DIR",
                   help="output folder (default: reports)")
    p.add_argument("--workers", type=_workers, default=None, metavar="N",
                   help="local worker processes (default: one per core)")
    p.add_argument("--scheduler", metavar="ADDRESS", type=scheduler_address,
                   help="Dask scheduler, e.g. tcp://127.0.0.1:8786: run there instead")
    p.add_argument("--template", default=None, metavar="NAME",
                   help="decision (default), proposal, claims-review or audit (each "
                   "scenario's audit: block)")
    p.add_argument("--format", default="html,pdf", metavar="LIST",
                   help="comma-separated: html, pdf, ipynb (default: html,pdf)")
    p.add_argument("--vendor", metavar="NAME", help="proposals from this vendor (matched "
                   "ignoring case) for every scenario; implies --template proposal unless "
                   "--template audit (then: the vendor audited in every scenario)")
    p.add_argument("--brand", metavar="FILE", help="a brand file (YAML: name, logo, colors, "
                   "contact) that puts your name, logo and contact line on every report")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
