"""Helpers shared by the subcommands: JSON output, tables, waiting for a server."""
from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path  # noqa: F401

from ..._files import atomic_path, staged_file  # noqa: F401  (re-exported for commands)


def _clean(x):
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return None
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    return x


def print_json(obj) -> None:
    """Print strict JSON (NaN and infinities become null)."""
    json.dump(_clean(obj), sys.stdout, indent=2, allow_nan=False, default=str)
    sys.stdout.write("\n")


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
