"""The Voila server behind ``rcm app``: one page, warm kernels, nothing left behind.

Run as ``python -m rcmmodel.app.server NOTEBOOK --port=P [voila options]``. It is Voila
with four changes a practice owner's machine needs:

- **Kernels are freed when a page closes.** Voila's page asks the server to shut its
  kernel down on ``beforeunload``, sending the ``_xsrf`` cookie, but the page handler
  never sets that cookie, so the request is refused (403) and every visit leaves a
  kernel behind. The page handler here sets it. Kernels whose page went away without
  saying so (a crash, a lost network) are culled after a short idle time.
- **A cap on kernels** (:class:`CappedKernelManager`): past it a new page gets a plain
  "too many open pages" answer instead of a kernel.
- **Only localhost is served**: a request whose ``Host`` header names another machine
  (DNS rebinding: a web page making the browser talk to this port under its own name) is
  refused with 403 before any handler runs.
- **Large uploads**: the websocket accepts messages up to :data:`MAX_MESSAGE` (uploads
  arrive in chunks well below it; see :mod:`rcmmodel.app.upload`).
"""
from __future__ import annotations

import ipaddress
import re
import sys

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

MAX_MESSAGE = 64 * 1024 * 1024
LOCAL_NAMES = ("localhost",)


def is_local_host(host: str) -> bool:
    """Whether a ``Host`` header names this machine (``localhost``, ``127.0.0.1``, ``[::1]``).

    >>> is_local_host("127.0.0.1:8866"), is_local_host("localhost"), is_local_host("evil.test")
    (True, True, False)
    """
    name = re.sub(r":\d+$", "", (host or "").strip().lower())
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class CappedKernelManager(AsyncMappingKernelManager):
    """The kernel manager, refusing a kernel beyond ``max_kernels`` (503, in words)."""

    max_kernels = Integer(12, config=True, help="most kernels running at once")

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("kernel_id") is None and len(self.list_kernel_ids()) >= self.max_kernels:
            raise web.HTTPError(503, "Too many pages of the app are open: close one and "
                                     "reload this page.")
        return await super().start_kernel(*args, **kwargs)


class _ForeignHost(web.RequestHandler):
    def prepare(self):
        raise web.HTTPError(403, "this app only answers on localhost")


class _NoAccounts(web.RequestHandler):
    """``/logout``: Jupyter's own page needs templates Voila does not ship (a 500)."""

    def get(self):
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("This app has no accounts, so there is nothing to log out of: close "
                    "the page to leave it.\n")


def _guard(app) -> None:
    """Refuse every request whose Host is not this machine, whatever its path; answer
    ``/logout`` plainly."""
    find = app.find_handler

    def find_handler(request, **kwargs):
        if not is_local_host(request.host):
            return app.get_handler_delegate(request, _ForeignHost)
        if request.path.rstrip("/") == "/logout":
            return app.get_handler_delegate(request, _NoAccounts)
        return find(request, **kwargs)

    app.find_handler = find_handler


def _set_xsrf_cookie() -> None:
    """The page handler sets ``_xsrf``: the page's shutdown-on-close request carries it."""
    from voila.handler import VoilaHandler

    prepare = VoilaHandler.prepare
    if getattr(prepare, "_rcm", False):
        return

    async def with_cookie(self, *args, **kwargs):
        result = prepare(self, *args, **kwargs)
        if hasattr(result, "__await__"):
            await result
        if self.request.method == "GET":
            self.xsrf_token  # noqa: B018 (reading it sets the cookie)

    with_cookie._rcm = True
    VoilaHandler.prepare = with_cookie


def make_app_class():
    from voila.app import Voila

    class RcmVoila(Voila):
        def start(self):
            _set_xsrf_cookie()
            self.tornado_settings = {**self.tornado_settings,
                                     "websocket_max_message_size": MAX_MESSAGE,
                                     "allow_remote_access": False}
            super().start()

        def listen(self):
            _guard(self.app)
            super().listen()

    return RcmVoila


def main(argv=None) -> None:
    make_app_class().launch_instance(argv if argv is not None else sys.argv[1:])


if __name__ == "__main__":
    main()
