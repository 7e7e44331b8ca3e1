"""``rcm lab``: JupyterLab in the notebooks folder, for consultants who edit and extend."""
from __future__ import annotations

import os
import subprocess
import sys

from ._common import echo, wait_for_child


def run(args) -> int:
    from ...paths import notebooks_dir

    folder = notebooks_dir()
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if args.port:
        cmd.append(f"--ServerApp.port={args.port}")
    if args.no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")      # containers often run as root; Jupyter refuses it

    echo(f"rcm lab: JupyterLab in {folder}", flush=True)
    proc = subprocess.Popen(cmd, cwd=folder)
    return wait_for_child(proc)


def register(sub) -> None:
    p = sub.add_parser("lab", help="JupyterLab in the notebooks folder",
                       description="Open JupyterLab in notebooks/ (calculator, quote comparison, "
                       "claims review), with this Python's rcmmodel.")
    p.add_argument("--port", type=int, default=None, help="port (default: JupyterLab's)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.set_defaults(func=run)
