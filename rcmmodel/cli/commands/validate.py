"""``rcm validate SCENARIO``: print ``ok``, or every problem (exit 2)."""
from __future__ import annotations

from ._common import echo


def run(args) -> int:
    from ...scenario import load_scenario
    for path in args.scenario:
        load_scenario(path)
        echo("ok" if len(args.scenario) == 1 else f"{path}: ok")
    return 0


def register(sub) -> None:
    p = sub.add_parser("validate", help="check scenario files; print ok or every problem",
                       description="Check scenario files against the rcmmodel/v1 schema. Prints "
                       "'ok', or every problem with its file and field path (exit 2).")
    p.add_argument("scenario", nargs="+", help="scenario YAML file(s)")
    p.set_defaults(func=run)
