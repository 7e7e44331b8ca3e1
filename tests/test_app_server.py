"""The app server under pressure: the kernel cap holds when pages load at the same moment,
a page beyond it is told so in words, and another website's page cannot start kernels or
lock the owner out.

The tests share one server: notebooks/app.ipynb with ``rcm app``'s own Voila command on a
free port (its pages start no report kernel: the cap counts page kernels), and count the
kernel processes under it (psutil) while it is being pushed.
"""
from __future__ import annotations

import http.server
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest


from test_browser import CHROMIUM, _kernels, capped_server, chromium

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="browser tests need Debian's chromium at /usr/bin/chromium")]
CAP = 3


@pytest.fixture(scope="module")
def server():
    with capped_server(CAP) as proc:
        yield proc


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


class _Peak:
    """The most kernel processes seen under ``pid`` while it runs (polled every 50 ms)."""

    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, len(_kernels(self.pid)))
            time.sleep(0.05)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        time.sleep(3)                       # kernels that were still spawning show up
        self._stop.set()
        self._thread.join()


def _get(url, headers=None):
    return _answer(url, headers)[0]


def _answer(url, headers=None) -> tuple[int, str]:
    """(status, page) of a GET."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=180) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def test_another_sites_page_cannot_start_kernels(server, browser):
    """An ``<img>`` on another site's page pointing at the app (Chromium says so in
    Sec-Fetch-Site) is refused before any kernel starts; a request saying it comes from
    another origin is refused too; typing the address still works afterwards."""
    before = len(_kernels(server.pid))
    imgs = "".join(f'<img src="{server.url}?n={i}">' for i in range(10))
    frame = f'<iframe src="{server.url}"></iframe>'
    page_html = f"<html><body>{imgs}{frame}</body></html>".encode()

    class Evil(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page_html)

        def log_message(self, *a):
            pass

    evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Evil)
    threading.Thread(target=evil.serve_forever, daemon=True).start()
    try:
        with _Peak(server.pid) as peak:
            context = browser.new_context()
            page = context.new_page()
            asked, answers = [], []
            page.on("request", lambda r: asked.append(r.url)
                    if r.url.startswith(server.url) else None)
            page.on("response", lambda r: answers.append(r.status)
                    if r.url.startswith(server.url) else None)
            # "load": once its ten images and its frame are done (the images' answers are
            # withheld from the page by the browser, so only the frame's is seen)
            page.goto(f"http://localhost:{evil.server_address[1]}/", wait_until="load")
            context.close()
        assert peak.peak <= before, "another site's page started kernels"
        assert len(asked) == 11 and answers and set(answers) == {403}, (asked, answers)
        for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
                        {"Origin": "http://evil.test"}, {"Referer": "http://evil.test/x"}):
            assert _get(server.url, headers) == 403, headers
        assert len(_kernels(server.pid)) <= before
    finally:
        evil.shutdown()
    # Her own tab is not locked out: the address typed in the bar still opens the app.
    assert _get(server.url, {"Sec-Fetch-Site": "none"}) == 200


def test_pages_loaded_at_once_never_exceed_the_cap(server):
    """24 page loads at the same instant: never more than CAP kernels, the rest told in
    words that too many pages are open."""
    start = threading.Barrier(24)

    def load(_):
        start.wait()
        return _get(server.url)

    with _Peak(server.pid) as peak, ThreadPoolExecutor(24) as pool:
        codes = list(pool.map(load, range(24)))
    assert peak.peak <= CAP, f"{peak.peak} kernels against a cap of {CAP}"
    assert codes.count(200) >= 1
    assert set(codes) <= {200, 503}, codes
    assert codes.count(503) >= 24 - CAP


def test_a_page_beyond_the_cap_is_told_in_words(server):
    """Pages that never close hold their kernels: once CAP of them run (the loads above
    may have filled the server already), the next page answers 503 with a plain page that
    loads nothing from the internet, and no kernel beyond the cap is started."""
    for _ in range(CAP + 1):
        status, page = _answer(server.url)
        if status != 200:
            break
    assert status == 503
    assert "Too many pages" in page and "https://" not in page
    assert len(_kernels(server.pid)) == CAP
