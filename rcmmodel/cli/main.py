"""The ``rcm`` command.

Each subcommand lives in a module of :mod:`rcmmodel.cli.commands` that defines
``register(subparsers)``; this module only finds them, dispatches, and turns a user's
mistake (:class:`~rcmmodel.errors.RcmInputError`) into one message and exit code 2.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import commands
from ..describe import safe_text
from ..errors import RcmInputError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
# The order commands appear in ``rcm --help``; modules import heavy libraries lazily, in run().
ORDER = ["validate", "schema", "evaluate", "compare", "simulate", "kpi", "audit", "report", "batch",
         "export", "app", "lab"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse exits 2 already; keep its message short and clear
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"rcm: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="rcm", description="Should a medical practice outsource its billing? "
                     "Model in-house cost, vendor quotes, net gain, KPIs and reports.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    for name in sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n)):
        module = importlib.import_module(f"{commands.__name__}.{name}")
        module.register(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code = args.func(args)
    except RcmInputError as exc:
        for problem in exc.problems:     # names and paths from input: no control characters
            print(safe_text(f"rcm {args.command}: {problem}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("rcm: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    return EXIT_OK if code is None else code


if __name__ == "__main__":
    sys.exit(main())
