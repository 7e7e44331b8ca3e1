"""Helpers shared by the subcommands: safe output, JSON, tables, output checks, servers."""
from __future__ import annotations

import os
import sys
from pathlib import Path  # noqa: F401

from ..._json import dumps
from ..._files import atomic_path  # noqa: F401  (re-exported for commands)
from ...describe import safe_text
from ...errors import RcmInputError


def measured_scenario(path):
    """A scenario file, loaded and then measured: its ``practice.claims_files`` fill the
    baseline KPIs it leaves out (:func:`rcmmodel.measure_claims`), as every command shows."""
    from ...model.measure import scenario_with_claims
    from ...scenario import load_scenario

    return scenario_with_claims(load_scenario(path))


def warn_implausible(scenario, evaluation=None, where: str | None = None) -> list:
    """Print the scenario's plausibility warnings on stderr (the command still succeeds) and
    return them (docs/methodology.md §9, "Plausibility warnings")."""
    from ...model.plausibility import plausibility
    from ...present.warnings_text import warning_text

    found = plausibility(scenario, evaluation)
    for w in found:
        echo(f"warning: {where + ': ' if where else ''}{w.path}: {warning_text(w)}",
             file=sys.stderr)
    return found


def echo(text="", file=None, flush: bool = False) -> None:
    """Print text that may hold names from input files: control characters are escaped,
    so no vendor, payer or file name can steer the terminal
    (docs/architecture.md, "The command line's contract")."""
    print(safe_text(text, keep_newlines=True), file=file or sys.stdout, flush=flush)


def writable_folder(path, option: str = "-o", given=None) -> Path:
    """Check before any work that ``path`` is, or can become, a folder we can write in.

    Raises
    ------
    RcmInputError
        When it is a file, lies under a file, or its nearest existing folder is read-only.
    """
    target, given = Path(path), str(given or path)
    if target.exists() and not target.is_dir():
        raise RcmInputError.at(given, option, "is a file, not a folder: give a folder "
                               "for the outputs")
    existing = target.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise RcmInputError.at(given, option, f"{existing} is a file, so no folder can "
                               "be made under it")
    _probe(existing, given, option)
    return target


def writable_file(path, option: str = "-o") -> Path:
    """Check before any work that a file can be written at ``path`` (its folder exists
    or can be made, and is writable; the path itself is not a folder)."""
    target = Path(path)
    if target.is_dir():
        raise RcmInputError.at(str(path), option, "is a folder: give a file name")
    writable_folder(target.parent, option, given=path)
    return target


def _probe(folder: Path, shown: str, option: str) -> None:
    # os.access says yes to root on a read-only folder; creating a file is the real test.
    import tempfile

    try:
        fd, name = tempfile.mkstemp(dir=folder, prefix=".rcm-probe-")
    except OSError as exc:
        raise RcmInputError.at(shown, option, f"cannot write in {folder}: "
                               f"{(exc.strerror or 'not writable').lower()}") from None
    os.close(fd)
    os.unlink(name)


def print_json(obj) -> None:
    """Print strict JSON (NaN and infinities become null)."""
    sys.stdout.write(dumps(obj) + "\n")


def table(rows: list[list[str]], header: list[str], align: str | None = None) -> str:
    """A plain-text table; ``align`` gives 'l' or 'r' per column (default: first left, rest right)."""
    align = align or "l" + "r" * (len(header) - 1)
    cells = [header] + rows
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(header))]

    def line(r):
        return "  ".join(str(c).ljust(w) if a == "l" else str(c).rjust(w)
                         for c, w, a in zip(r, widths, align)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule] + [line(r) for r in rows])


def wait_for_child(proc) -> int:
    """Wait for a server we started (Voila, JupyterLab). On Ctrl-C or SIGTERM (which the
    command line turns into :class:`~rcmmodel.reports.pool.Interrupted`) stop it gently,
    then firmly, and exit as a stopped command does: 130 or 143."""
    import subprocess

    from ...reports.pool import Interrupted

    try:
        return proc.wait()
    except (KeyboardInterrupt, Interrupted) as exc:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        return exc.code if isinstance(exc, Interrupted) else 130
