"""``rcm schema``: the JSON Schema of the scenario file, for editors."""
from __future__ import annotations


def run(args) -> int:
    import json
    import sys

    from ...scenario.reference import json_schema

    sys.stdout.write(json.dumps(json_schema(), indent=2, allow_nan=False) + "\n")
    return 0


def register(sub) -> None:
    p = sub.add_parser("schema", help="print the scenario file's JSON Schema (for editors)",
                       description="Print the JSON Schema of a scenario file: every key, "
                       "its type, default and meaning. Save it, e.g. rcm schema > "
                       "rcmmodel-scenario.json, and point your editor's YAML support at it "
                       "for completion and checking as you type. "
                       "docs/scenario-reference.md says the same in prose.")
    p.set_defaults(func=run)
