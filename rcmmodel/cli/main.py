"""The ``rcm`` command.

Each subcommand lives in a module of :mod:`rcmmodel.cli.commands` that defines
``register(subparsers)``; this module only finds them, dispatches, and turns a user's
mistake (:class:`~rcmmodel.errors.RcmInputError`) into one message and exit code 2.
"""
from __future__ import annotations

import argparse
import errno
import importlib
import os
import pkgutil
import signal
import sys
import threading
from contextlib import contextmanager

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


def command_names() -> list[str]:
    """Every subcommand, in the order ``rcm --help`` lists them."""
    names = [m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The ``rcm`` parser with every subcommand, or only ``command``'s: running one command
    imports only its module, so ``rcm kpi`` never loads the app's or the reports' modules."""
    parser = _Parser(prog="rcm", description="Should a medical practice outsource its billing? "
                     "Model in-house cost, vendor quotes, net gain, KPIs and reports.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    names = command_names()
    for name in [command] if command in names else names:
        module = importlib.import_module(f"{commands.__name__}.{name}")
        module.register(sub)
    return parser


# What an operating-system error means to the person who ran the command.
_OS_ERRORS = {errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is used up",
              errno.EACCES: "permission denied", errno.EPERM: "permission denied",
              errno.EROFS: "the disk is read-only"}


def os_error_text(exc: OSError) -> str:
    """One line for an OS error met while working (a full disk, a folder not ours): what
    happened, where, and that nothing was left half-written (every output is staged)."""
    what = _OS_ERRORS.get(exc.errno) or (exc.strerror or str(exc)).lower()
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{what}{where}; nothing was left half-written"


@contextmanager
def _sigterm_unwinds(deadline: float | None):
    """SIGTERM raises :class:`~rcmmodel.reports.pool.Interrupted` in the main thread (once:
    :func:`~rcmmodel.reports.pool.stop_once`), so every command unwinds through its
    ``finally`` blocks (staging folders removed, kernels and servers stopped) and exits 143,
    as Ctrl-C does with 130."""
    from ..reports.pool import stop_once

    try:
        old = signal.signal(signal.SIGTERM, stop_once(deadline))
    except ValueError:                   # not the main thread: leave signals alone
        old = None
    try:
        yield
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)


def main(argv=None) -> int:
    """Run ``rcm`` with ``argv`` (default: the command line) and return its exit code.

    Run as the command (``argv`` None), a command stopped by a signal leaves as soon as it
    has cleaned up: no library thread left running (a process pool's manager) can hold the
    exit, and cleaning up is given at most ``pool.UNWIND_SECONDS``. A command that is done
    leaves as quickly (:func:`leave`)."""
    code = _main(argv)
    if argv is None and code in (130, 143):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    if argv is None and threading.active_count() == 1:
        leave(code)
    return code


def leave(code: int) -> None:
    """End the process with ``code`` now that the command is done and nothing else runs:
    every exit handler runs (kernels and pools stopped, logs flushed), the output streams are
    flushed, and the interpreter is not torn down object by object, which after a report
    (pandas, nbconvert, WeasyPrint loaded) costs ~0.3 s of CPU for nothing. WeasyPrint's
    font release, which guards that teardown only, is skipped with it."""
    import atexit

    pdf = sys.modules.get("rcmmodel.reports.pdf")
    if pdf is not None:
        atexit.unregister(pdf.release_fonts)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:     # the reader is gone (`rcm kpi ... | head`): as _main, no failure
            pass
    os._exit(code)


def _main(argv) -> int:
    from ..reports.pool import UNWIND_SECONDS, Interrupted

    given = sys.argv[1:] if argv is None else list(argv)
    # The command named first (no global option takes a value) is the only one loaded.
    parser = build_parser(given[0] if given and not given[0].startswith("-") else None)
    args = parser.parse_args(given)
    try:
        with _sigterm_unwinds(UNWIND_SECONDS if argv is None else None):
            code = args.func(args)
    except RcmInputError as exc:
        for problem in exc.problems:     # names and paths from input: no control characters
            print(safe_text(f"rcm {args.command}: {problem}"), file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("rcm: interrupted", file=sys.stderr)
        return 130
    except Interrupted as exc:
        print(f"rcm {args.command}: stopped ({exc})", file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        print(safe_text(f"rcm {args.command}: {os_error_text(exc)}"), file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK if code is None else code


if __name__ == "__main__":
    sys.exit(main())
