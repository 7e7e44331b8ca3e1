"""``rcm app [--port P] [--no-browser]``: the notebooks as a web app, served by Voila.

Voila runs each notebook in a kernel of this Python (so it sees this rcmmodel), hides
the code, and serves the widget JavaScript itself; the charts are drawn in the browser by
the Vega bundle that ships inside vl-convert (see rcmmodel.app.vega). The page therefore
loads nothing from the internet.
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


def voila_command(folder, port: int, *extra: str) -> list[str]:
    """The Voila command line ``rcm app`` runs (Voila opens no browser itself)."""
    return [sys.executable, "-m", "voila", str(folder), f"--port={port}", "--no-browser",
            "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            # The kernel is "python3", which jupyter_client resolves to this interpreter.
            "--VoilaConfiguration.strip_sources=True",
            "--VoilaConfiguration.show_tracebacks=False",
            # A closed tab's kernel is not always shut down (the page's shutdown call can be
            # refused), so kernels idle for an hour are ended: a long day stays light.
            "--MappingKernelManager.cull_idle_timeout=3600",
            "--MappingKernelManager.cull_interval=300",
            "--theme=light", *(["--template=rcm"] if (SHARE / "voila").is_dir() else []),
            *extra]


def voila_env() -> dict:
    """The environment for Voila: our template folder first on JUPYTER_PATH."""
    env = dict(os.environ)
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (str(SHARE), env.get("JUPYTER_PATH"))
                                          if p)
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


def _stop_child_on_sigterm(proc) -> None:
    """A terminated ``rcm app`` takes its Voila server with it instead of orphaning it."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def run(args) -> int:
    from ...paths import notebooks_dir

    folder = notebooks_dir()
    if args.port is not None and not 0 < args.port < 65536:
        from ...errors import RcmInputError
        raise RcmInputError.at(None, "--port", "must be between 1 and 65535")
    port = args.port if args.port else free_port(DEFAULT_PORT)
    url = f"http://127.0.0.1:{port}/voila/render/index.ipynb"
    echo(f"rcm app: serving {folder} at {url}", flush=True)
    echo("rcm app: press Ctrl-C to stop", flush=True)
    proc = subprocess.Popen(voila_command(folder, port), cwd=folder, env=voila_env())
    _stop_child_on_sigterm(proc)
    if not args.no_browser:
        threading.Thread(target=_open_when_ready, args=(url, proc), daemon=True).start()
    return wait_for_child(proc)


def register(sub) -> None:
    p = sub.add_parser("app", help="the interactive notebooks as a web app (Voila)",
                       description="Serve the calculator, quote comparison and claims review "
                       "as a local web app (Voila, code hidden, works offline), opening on a "
                       "page that links the three.")
    p.add_argument("--port", type=int, default=None,
                   help=f"port on localhost (default {DEFAULT_PORT}, or a free one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
    p.set_defaults(func=run)
