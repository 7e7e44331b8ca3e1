"""``rcm app [--port P] [--no-browser]``: the practice owner's app, served by Voila.

One page at ``/`` (notebooks/app.ipynb): her practice, her quotes, the decision and a
report to take home. Voila runs it in a kernel of this Python (so it sees this rcmmodel),
hides the code and serves the widget JavaScript itself; charts are drawn in the browser
by the Vega bundle inside vl-convert, so the page loads nothing from the internet.

The server (:mod:`rcmmodel.app.server`) keeps one kernel warm with the page already
computed (Voila's preheat), frees a page's kernel when it closes, caps the number of
kernels, answers only to localhost, and talks to its kernels over local (ipc) sockets.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from ._common import echo, wait_for_child

DEFAULT_PORT = 8866
MAX_KERNELS = 8
# A page that vanished without saying goodbye (a crash, a killed browser) frees its kernel
# after this long without a connection; an open page is never culled.
CULL_IDLE_SECONDS = 120
# Our Voila template ("rcm": the lab template without its CDN stylesheets) lives here,
# found through JUPYTER_PATH.
SHARE = Path(__file__).resolve().parents[2] / "app" / "share"


def free_port(preferred: int | None = None) -> int:
    """``preferred`` if it is free on localhost, else any free port."""
    for port in ([preferred] if preferred else []) + [0]:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise OSError("no free port")


def voila_command(notebook, port: int, *extra: str, max_kernels: int = MAX_KERNELS,
                  preheat: bool = True) -> list[str]:
    """The command line ``rcm app`` runs (our Voila, which opens no browser itself)."""
    return [sys.executable, "-m", "rcmmodel.app.server", str(notebook), f"--port={port}",
            "--no-browser", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            "--VoilaConfiguration.strip_sources=True",
            "--VoilaConfiguration.show_tracebacks=False",
            # One kernel runs the page ahead of the visit: it shows at once.
            f"--VoilaConfiguration.preheat_kernel={preheat}",
            "--VoilaConfiguration.default_pool_size=1",
            "--VoilaKernelManager.fill_delay=0",
            "--VoilaConfiguration.multi_kernel_manager_class="
            "rcmmodel.app.server.CappedKernelManager",
            f"--CappedKernelManager.max_kernels={max_kernels}",
            f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
            "--MappingKernelManager.cull_interval=30",
            "--MappingKernelManager.cull_connected=False",
            # Unix sockets, not TCP ports: no port race between kernels starting at once.
            "--KernelManager.transport=ipc",
            "--theme=light", *(["--template=rcm"] if (SHARE / "voila").is_dir() else []),
            *extra]


def _voila_share() -> str | None:
    """The share/jupyter folder holding Voila's own templates (which ours extends): beside
    the environment Voila is installed in, which need not be ``sys.prefix`` (a venv that
    borrows another's packages)."""
    import importlib.util

    spec = importlib.util.find_spec("voila")
    places = [Path(sys.prefix)]
    if spec and spec.origin:
        places.append(Path(spec.origin).resolve().parents[4])   # .../lib/pythonX/site-packages
    for place in places:
        share = place / "share" / "jupyter"
        if (share / "voila" / "templates" / "lab").is_dir():
            return str(share)
    return None


def voila_env() -> dict:
    """The environment for Voila: our template folder first on JUPYTER_PATH, then Voila's."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(SHARE), _voila_share(), env.get("JUPYTER_PATH")) if p)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")   # a debugger warning per kernel
    return env


def _open_when_ready(url: str, proc) -> None:
    import webbrowser

    for _ in range(600):
        if proc.poll() is not None:
            return
        try:
            urllib.request.urlopen(url, timeout=1).close()
        except OSError:
            time.sleep(0.2)
            continue
        webbrowser.open(url)
        return


def run(args) -> int:
    from ...paths import notebooks_dir

    folder = notebooks_dir()
    if args.port is not None and not 0 < args.port < 65536:
        from ...errors import RcmInputError
        raise RcmInputError.at(None, "--port", "must be between 1 and 65535")
    port = args.port if args.port else free_port(DEFAULT_PORT)
    url = f"http://127.0.0.1:{port}/"
    echo(f"rcm app: serving the app at {url}", flush=True)
    echo("rcm app: press Ctrl-C to stop", flush=True)
    proc = subprocess.Popen(voila_command(folder / "app.ipynb", port), cwd=folder,
                            env=voila_env())
    if not args.no_browser:
        threading.Thread(target=_open_when_ready, args=(url, proc), daemon=True).start()
    return wait_for_child(proc)


def register(sub) -> None:
    p = sub.add_parser("app", help="the practice owner's app in the browser (Voila)",
                       description="Serve the app on localhost: your practice, your quotes, "
                       "the decision, and a PDF report, Excel model and scenario file to take "
                       "home. Works offline; nothing you enter leaves this computer.")
    p.add_argument("--port", type=int, default=None,
                   help=f"port on localhost (default {DEFAULT_PORT}, or a free one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.set_defaults(func=run)
