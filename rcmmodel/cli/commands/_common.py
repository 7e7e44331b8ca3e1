"""Helpers shared by the subcommands: JSON output, tables, waiting for a server."""
from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path  # noqa: F401

from ..._json import dumps
from ..._files import atomic_path, staged_file  # noqa: F401  (re-exported for commands)


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
    """Wait for a server we started (Voila, JupyterLab); on Ctrl-C stop it gently, then firmly."""
    import subprocess

    try:
        return proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        return 0
