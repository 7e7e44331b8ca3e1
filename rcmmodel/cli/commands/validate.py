"""``rcm validate SCENARIO...``: print ``ok``, or every problem of every file (exit 2)."""
from __future__ import annotations

from ._common import echo, measured_scenario, warn_implausible


def run(args) -> int:
    from ...errors import RcmInputError

    problems = []
    for path in args.scenario:            # every file is checked, not only up to the first bad one
        try:
            scenario = measured_scenario(path)   # its claims files too: each must be readable
        except RcmInputError as exc:
            problems += exc.problems
            continue
        echo("ok" if len(args.scenario) == 1 else f"{path}: ok")
        warn_implausible(scenario, where=str(path) if len(args.scenario) > 1 else None)
    if problems:
        raise RcmInputError(problems)
    return 0


def register(sub) -> None:
    p = sub.add_parser("validate", help="check scenario files; print ok or every problem",
                       description="Check scenario files against the rcmmodel/v1 schema. Prints "
                       "'ok', or every problem with its file and field path (exit 2). Figures "
                       "that are allowed but rarely true (an in-house cost above 25% of "
                       "collections, say) are warned about on stderr, with exit 0.")
    p.add_argument("scenario", nargs="+", help="scenario YAML file(s)")
    p.set_defaults(func=run)
