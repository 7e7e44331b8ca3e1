"""The Voila server behind ``rcm app``: one page, warm kernels, nothing left behind.

Run as ``python -m rcmmodel.app.server NOTEBOOK --port=P [voila options]``. It is Voila
with four changes a practice owner's machine needs:

- **Kernels are freed when a page closes.** Voila's page asks the server to shut its
  kernel down on ``beforeunload``, sending the ``_xsrf`` cookie, but the page handler
  never sets that cookie, so the request is refused (403) and every visit leaves a
  kernel behind. The page handler here sets it. Kernels whose page went away without
  saying so (a crash, a lost network) are culled after a short idle time.
- **A cap on kernels** (:class:`CappedKernelManager`): past it a new page gets a plain
  "too many open pages" answer instead of a kernel. A kernel's slot is reserved before it
  starts (check and reservation in one step of the event loop), so pages loaded at the same
  moment cannot start more kernels than the cap; a refused page holds no slot.
- **Only localhost is served**: a request whose ``Host`` header names another machine
  (DNS rebinding: a web page making the browser talk to this port under its own name) is
  refused with 403 before any handler runs.
- **Only this app's own pages and the address bar**: a request another website makes (an
  ``<img>``, a frame, a form, a script on some page pointing at this port) is refused with
  403 before any handler runs, so it can neither start kernels nor use the app: the
  browser says where a request comes from in ``Sec-Fetch-Site``, and older browsers in
  ``Origin``/``Referer`` (:func:`is_foreign_request`, the check Jupyter makes for its API).
- **Large uploads**: the websocket accepts messages up to :data:`MAX_MESSAGE` (uploads
  arrive in chunks well below it; see :mod:`rcmmodel.app.upload`).
"""
from __future__ import annotations

import ipaddress
import re
import sys
from urllib.parse import urlsplit

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


def is_foreign_request(headers) -> bool:
    """Whether a request was made by a page of another site (not this app, not the address
    bar): ``Sec-Fetch-Site`` other than ``same-origin``/``none``, or, where a browser sends
    no such header, an ``Origin`` or ``Referer`` naming another host.

    >>> is_foreign_request({"Sec-Fetch-Site": "cross-site"})
    True
    >>> is_foreign_request({"Sec-Fetch-Site": "same-origin", "Referer": "http://127.0.0.1:8866/"})
    False
    >>> is_foreign_request({"Origin": "https://evil.test"}), is_foreign_request({})
    (True, False)
    """
    site = (headers.get("Sec-Fetch-Site") or "").strip().lower()
    if site:
        return site not in ("same-origin", "none")
    for name in ("Origin", "Referer"):
        value = (headers.get(name) or "").strip()
        if value and value != "null":
            host = urlsplit(value).netloc
            if not host or not is_local_host(host):
                return True
        elif value == "null":
            return True
    return False


TOO_MANY = "Too many pages of the app are open: close one and reload this page."


class CappedKernelManager(AsyncMappingKernelManager):
    """The kernel manager, refusing a kernel beyond ``max_kernels`` (503, in words).

    Kernels still starting count: the slot is taken (``_starting``) in the same step of the
    event loop as the check, before the first ``await``, so simultaneous page loads cannot
    all pass the check while none of their kernels is registered yet.
    """

    max_kernels = Integer(12, config=True, help="most kernels running at once")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._starting = 0
        take = getattr(self, "get_rendered_notebook", None)     # Voila's preheated pool
        if take is not None:
            self.get_rendered_notebook = self._taken_fresh(take)

    def _taken_fresh(self, take):
        """A pooled kernel handed to a page counts as active from that moment: Voila
        spares kernels in its pool from culling, but one that waited there longer than the
        idle limit was culled the moment a page took it, before the page could connect
        (the page then never came up)."""
        from datetime import datetime, timezone

        async def get_rendered_notebook(*args, **kwargs):
            result = await take(*args, **kwargs)
            kernel = self._kernels.get(result[2])
            if kernel is not None:
                kernel.last_activity = datetime.now(timezone.utc)
            return result

        return get_rendered_notebook

    def kernels_held(self) -> int:
        """Kernels running plus kernels starting."""
        return len(self.list_kernel_ids()) + self._starting

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("kernel_id") is not None:
            return await super().start_kernel(*args, **kwargs)
        if self.kernels_held() >= self.max_kernels:
            raise web.HTTPError(503, TOO_MANY)
        self._starting += 1
        try:
            return await super().start_kernel(*args, **kwargs)
        finally:
            self._starting -= 1


class _ForeignHost(web.RequestHandler):
    def prepare(self):
        raise web.HTTPError(403, "this app only answers on localhost")


class _NoAccounts(web.RequestHandler):
    """``/logout``: Jupyter's own page needs templates Voila does not ship (a 500)."""

    def get(self):
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish("This app has no accounts, so there is nothing to log out of: close "
                    "the page to leave it.\n")


class _ForeignSite(web.RequestHandler):
    def prepare(self):
        raise web.HTTPError(403, "this app only answers its own pages: open it by typing "
                                 "its address in the browser")


def _guard(app) -> None:
    """Refuse every request whose Host is not this machine, or that another site's page
    made, whatever its path; answer ``/logout`` plainly."""
    find = app.find_handler

    def find_handler(request, **kwargs):
        if not is_local_host(request.host):
            return app.get_handler_delegate(request, _ForeignHost)
        if is_foreign_request(request.headers):
            return app.get_handler_delegate(request, _ForeignSite)
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
