"""``rcm lab``: JupyterLab in the notebooks folder, open on its index of the worked notebooks
and the app's panels, for consultants who edit and extend."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ._common import echo, wait_for_child


#: The notebook JupyterLab opens first: links to every worked notebook and panel.
INDEX = "index.ipynb"


def lab_command(folder, port: int | None = None, no_browser: bool = False) -> list[str]:
    """The JupyterLab command line: serving ``folder``, opening its index."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}"]
    if port:
        cmd.append(f"--ServerApp.port={port}")
    if no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")      # containers often run as root; Jupyter refuses it
    if (Path(folder) / INDEX).is_file():
        # The URL JupyterLab prints and opens, and where "/" leads: the index, in a tab.
        cmd.append(f"--LabApp.default_url=/lab/tree/{INDEX}")
    return cmd


def run(args) -> int:
    from ...paths import notebooks_dir

    folder = notebooks_dir()
    cmd = lab_command(folder, args.port, args.no_browser)

    echo(f"rcm lab: JupyterLab in {folder}, open on {INDEX}", flush=True)
    proc = subprocess.Popen(cmd, cwd=folder)
    return wait_for_child(proc)


def register(sub) -> None:
    p = sub.add_parser("lab", help="JupyterLab on the worked notebooks and the app's panels",
                       description="Open JupyterLab in notebooks/ on index.ipynb, the index of "
                       "the worked notebooks (claims baseline, compare and decide, what-ifs, "
                       "portfolio, vendor audit) and the app's panels, with this Python's "
                       "rcmmodel.")
    p.add_argument("--port", type=int, default=None, help="port (default: JupyterLab's)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.set_defaults(func=run)
