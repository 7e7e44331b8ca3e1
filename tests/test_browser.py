"""The practice owner's app in a real browser: ``rcm app`` on a free port, Playwright + chromium.

The owner's whole flow (her practice, two quotes, the decision, a PDF she takes home, a
scenario she saves and opens again) and the server's promises (kernels freed when pages
close, only localhost served, a 150 MB ledger uploads, nothing scrolls sideways at 390 px,
SIGTERM stops it all). Every request the pages make is recorded: none may leave
localhost. Screenshots go to $RCM_SCREENSHOTS (set it to docs/screenshots to refresh the README's).
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="browser tests need Debian's chromium at /usr/bin/chromium")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
# Screenshots go to a scratch folder; RCM_SCREENSHOTS=docs/screenshots refreshes the README's.
SHOTS = Path(os.environ.get("RCM_SCREENSHOTS") or tempfile.gettempdir() + "/rcm-screenshots")
LOAD = 120_000          # ms: the first page may wait for the first kernel
STEP = 60_000
TABS = {"practice": 0, "quotes": 1, "decision": 2, "takehome": 3}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kernels(pid: int, reports: bool = False) -> list:
    """The kernels the server under ``pid`` runs for its pages; with ``reports`` their own
    report kernels too (a page kernel's children: see rcmmodel/app/report_maker.py)."""
    import psutil

    try:
        children = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    kernel = lambda p: "ipykernel" in " ".join(p.cmdline())   # noqa: E731
    out = []
    for p in children:
        try:
            if kernel(p) and (reports or not kernel(p.parent())):
                out.append(p)
        except psutil.Error:
            pass
    return out


# A closed page's kernel (and its report kernel) must be gone this soon: its goodbye shuts
# it down at once, while a page that vanished without one is culled only after two idle
# minutes (CULL_IDLE_SECONDS), so freeing by culling does not pass.
FREED_WITHIN = 30


def _gone(procs, within: float) -> list:
    """Those of ``procs`` still running after ``within`` seconds (polled: no fixed wait)."""
    deadline = time.monotonic() + within
    while True:
        alive = []
        for p in procs:
            try:
                if p.is_running() and p.status() != "zombie":
                    alive.append(p)
            except Exception:        # psutil.NoSuchProcess: gone between the two calls
                pass
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.1)


class Server:
    """``rcm app`` serving on ``port``; ``closed`` are the pages closed since the last
    :meth:`check_freed`: their kernels (each page's, with its report kernel), when each
    was closed, its address, and its browser context (kept open until then)."""

    def __init__(self, proc, port):
        self.proc, self.port = proc, port
        self.url = f"http://127.0.0.1:{port}/"
        self.closed: list[tuple[list, float, str, object]] = []

    def kernels(self) -> list:
        return _kernels(self.proc.pid)

    def kernel_of(self, kernel_id: str) -> list:
        """The process of the page kernel ``kernel_id`` and its children (its report
        kernel), as they are now."""
        for k in _kernels(self.proc.pid):
            try:
                if f"kernel-{kernel_id}.json" in " ".join(k.cmdline()):
                    return [k, *k.children(recursive=True)]
            except Exception:        # psutil.Error: it went meanwhile
                pass
        return []

    def check_freed(self) -> None:
        """Every page closed so far freed its kernel and its report kernel within
        FREED_WITHIN seconds of closing (checked when the next page is open, so the
        tests do not wait for it)."""
        closed, self.closed = self.closed, []
        for procs, when, name, context in closed:
            left = _gone(procs, when + FREED_WITHIN - time.monotonic())
            context.close()
            assert not left, f"the kernel of a closed page ({name}) is still running: {left}"


@contextlib.contextmanager
def serving_app(folder: Path):
    """``rcm app`` on a free port, its log in ``folder``; on leaving, every closed page's
    kernel must be gone, and SIGTERM must stop it with every kernel (the session's
    ``rcm_app`` fixture in tests/conftest.py: one server for the browser tests)."""
    port = _free_port()
    log = open(folder / "rcm-app.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "rcmmodel", "app", "--no-browser",
                             "--port", str(port)], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(proc, port)
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"rcm app exited with {proc.returncode}")
            try:
                urllib.request.urlopen(server.url + "voila/static/voila.js", timeout=5).close()
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail("rcm app did not serve within 120 s")
                time.sleep(0.2)
        yield server
        server.check_freed()
    finally:
        kernels = _kernels(proc.pid, reports=True)
        # SIGTERM to rcm app alone: it must take Voila and every kernel with it (the
        # pages' report kernels too).
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("rcm app did not stop on SIGTERM")
        log.close()
        assert proc.returncode == 143           # stopped by SIGTERM, as its exit code says
        # polled, so a generous limit costs nothing: a kernel still starting when the
        # signal came may take a few seconds to go on a busy machine
        alive = _gone(kernels, 10)
        assert not alive, f"kernels left running after SIGTERM: {alive}"


@contextlib.contextmanager
def chromium():
    """Debian's chromium under Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def app(rcm_app):
    """The session's one ``rcm app`` (tests/conftest.py)."""
    return rcm_app


@pytest.fixture(scope="module")
def browser(rcm_app):
    """A browser for this file's tests, each making its own pages (a context each). Not
    one for the session: Playwright's sync API keeps an event loop running in this thread
    while it is open, which would stop a later file's ``asyncio.run``. Closing it cuts
    off the goodbyes of pages still closing, so the closed pages are checked first."""
    with chromium() as b:
        yield b
        rcm_app.check_freed()


def _page(browser, width=1366, height=1000):
    """A page that refuses, and records, any request to somewhere other than localhost,
    and records console errors."""
    context = browser.new_context(viewport={"width": width, "height": height},
                                  accept_downloads=True)
    page = context.new_page()
    page.external, page.errors = [], []

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "blob:",
                           "data:")):
            r.continue_()
        else:
            page.external.append(url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    return page


def _close(page):
    """Close as a person closes a tab: the page says goodbye (its kernel is shut down:
    :meth:`Server.check_freed` checks it for a page opened with :func:`_open`). The
    browser goes on running as hers does: the goodbye is a beacon, which closing the
    page's browser context at once could cancel, so the context is closed once the
    kernel is seen gone."""
    server, kernel = getattr(page, "rcm_server", None), getattr(page, "kernel_id", None)
    procs = server.kernel_of(kernel) if server is not None and kernel else []
    name = page.url
    with page.expect_event("close", timeout=STEP):
        page.close(run_before_unload=True)
    if server is not None and kernel:
        assert procs, f"no kernel process for the page's kernel {kernel}"
        server.closed.append((procs, time.monotonic(), name, page.context))
    else:
        page.context.close()


@pytest.fixture
def page(browser):
    p = _page(browser)
    yield p
    _close(p)


def _open(page, app):
    """The app on ``page``, ready for typing; the kernels of pages closed before are
    checked to be gone meanwhile."""
    page.goto(app.url)
    page.wait_for_selector(".rcm-net-gain", timeout=LOAD)
    assert "outsource" in page.title().lower()
    page.rcm_server = app
    page.kernel_id = page.evaluate("JSON.parse(document.getElementById("
                                   "'jupyter-config-data').textContent).kernelId")
    app.check_freed()


def _tab(page, name):
    page.locator(".lm-TabBar-tab").nth(TABS[name]).click()


def _type(page, label, text):
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")


def _gain(page, expected: str):
    page.wait_for_function("t => document.querySelector('.rcm-net-gain').textContent == t",
                           arg=expected, timeout=STEP)


def _shot(page, name):
    """The whole app, top to bottom (Voila's page scrolls inside its body, so the viewport
    is stretched to the app's height for the picture)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = page.evaluate("(() => { const r = document.querySelector('.rcm-app-root');"
                           " r.scrollIntoView({block: 'start'});"
                           " return Math.ceil(r.getBoundingClientRect().height + 48); })()")
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 600), 5000)})
    _steady(page)
    page.screenshot(path=str(SHOTS / name))
    page.set_viewport_size(size)


# What the layout checks measure: every chart the app draws (an <svg> from Vega, or a
# <canvas> or <img>, inside a chart's box) and its tables.
CHARTS = ".rcm-app-root .rcm-chart svg, .rcm-app-root .rcm-chart canvas, .rcm-app-root .rcm-chart img"


def _steady(page, quiet_ms: int = 300, limit_ms: int = 10_000) -> int:
    """Wait until no chart is being drawn (vega.py marks its box ``rcm-charts-busy`` from a
    resize to the new drawing in place) and what the layout checks measure (the page's
    width, each chart's and each table's size and sides, what a chart draws within its
    box) has not changed for ``quiet_ms``: the layout as it stays, rather than a fixed
    pause. Text changing elsewhere may move things up or down; that is not waited for.
    After ``limit_ms`` the checks look at the page as it is (as after a pause). Returns
    the milliseconds waited."""
    return page.evaluate("""([charts, quiet, limit]) => new Promise(done => {
      const side = (e) => { const r = e.getBoundingClientRect();
                            return [r.left, r.right, r.width, r.height]; };
      const snap = () => JSON.stringify([document.documentElement.scrollWidth,
        ...[...document.querySelectorAll(charts)].map(e => {
          const g = e.tagName.toLowerCase() === 'svg' && e.querySelector(':scope > g');
          const box = e.getBoundingClientRect(), d = g && g.getBoundingClientRect();
          return [...side(e), ...(d ? [d.left - box.left, d.right - box.left,
                                       d.top - box.top, d.bottom - box.top] : [])]; }),
        ...[...document.querySelectorAll('.rcm-app-root table')].map(side)]);
      const t0 = performance.now();
      let last = snap(), since = t0;
      const tick = () => {
        const now = snap(), t = performance.now();
        if (now !== last || document.querySelector('.rcm-charts-busy')) {
          last = now; since = t; }
        if (t - since >= quiet || t - t0 > limit) return done(Math.round(t - t0));
        setTimeout(tick, 50);
      };
      setTimeout(tick, 50);
    })""", [CHARTS, quiet_ms, limit_ms])


def _clean(page):
    text = page.inner_text("body")
    assert "Traceback" not in text
    assert page.external == []
    assert page.errors == []


def _library(path):
    from rcmmodel import load_scenario
    from rcmmodel.model.evaluate import evaluate
    from rcmmodel.vendors.decision import decide

    s = load_scenario(path)
    return evaluate(s), decide(s)


def test_owner_types_her_practice_and_two_quotes_and_takes_home_a_report(app, page, tmp_path):
    _open(page, app)
    assert page.inner_text(".rcm-net-gain").strip() == "\u2014"     # nothing yet: a prompt
    assert "annual collections" in page.inner_text(".rcm-headline").lower()
    _type(page, "Practice name", "Oak Street Clinic")
    _type(page, "Annual collections", "$500,000")
    _type(page, "Claims a month", "400")
    _type(page, "In-house billing cost a year", "40,000")
    _tab(page, "quotes")
    page.get_by_role("button", name="Add a quote").click()
    page.wait_for_selector(".rcm-step-quotes .rcm-field-quote-name input, "
                           ".rcm-step-quotes input", timeout=STEP)
    _type(page, "Quote name", "Acme RCM")
    # A fee typed as a fraction reads as 0.07%: she is warned, in words.
    _type(page, "Fee rate", "0.07")
    page.wait_for_selector(".rcm-warning", timeout=STEP)
    assert "type 7" in page.inner_text(".rcm-warning")
    _type(page, "Fee rate", "7")
    _type(page, "Collections uplift (most likely)", "10")
    _gain(page, "$51,500")                                           # the guide's example
    page.get_by_role("button", name="Add a quote").click()
    page.wait_for_function("() => [...document.querySelectorAll('.rcm-step-quotes input')]"
                           ".some(i => i.value == 'Quote 2')", timeout=STEP)
    _type(page, "Quote name", "Claims Per Piece")
    page.get_by_label("Pricing", exact=True).select_option(label="Fee per claim")
    _type(page, "Fee per claim", "6.50")
    _type(page, "Collections uplift (most likely)", "8")
    # per claim: 500,000 * 8% + 40,000 - 6.50 * 400 * 12 = 48,800
    _gain(page, "$48,800")
    # Moving back to the first quote keeps its terms.
    page.get_by_label("Quote", exact=True).select_option(label="Acme RCM")
    _gain(page, "$51,500")
    assert page.get_by_label("Fee rate", exact=True).input_value() == "7%"

    _tab(page, "decision")
    page.wait_for_selector(".rcm-recommendation", timeout=STEP)
    assert page.inner_text(".rcm-recommendation") == "Acme RCM"
    assert "$51,500" in page.inner_text(".rcm-step-decision")
    page.wait_for_selector(".rcm-chart-tornado svg.marks", timeout=STEP)

    _tab(page, "takehome")
    with page.expect_download(timeout=STEP) as saved:
        page.click(".rcm-save-scenario button")
    scenario = tmp_path / saved.value.suggested_filename
    saved.value.save_as(scenario)
    assert scenario.name == "oak-street-clinic.yaml"
    evaluation, decision = _library(scenario)
    assert [round(float(v.figures.net_gain), 2) for v in evaluation.vendors] == [51500.0,
                                                                                 48800.0]
    assert decision.recommended == "Acme RCM"

    with page.expect_download(timeout=600_000) as pdf:
        page.click(".rcm-download-pdf button")
    path = tmp_path / pdf.value.suggested_filename
    pdf.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    for figure in ("Oak Street Clinic", "Acme RCM", "Claims Per Piece", "500,000", "51,500"):
        assert figure in text, figure

    with page.expect_download(timeout=300_000) as xlsx:
        page.click(".rcm-download-excel button")
    book = tmp_path / xlsx.value.suggested_filename
    xlsx.value.save_as(book)
    assert book.suffix == ".xlsx" and book.read_bytes()[:2] == b"PK"
    _clean(page)


def test_a_saved_scenario_opens_again(app, page, tmp_path):
    from rcmmodel.describe import money

    source = SCENARIOS / "uncertain-uplift.yaml"
    evaluation, decision = _library(source)
    _open(page, app)
    page.set_input_files(".rcm-open-scenario input[type=file]", str(source))
    first = evaluation.vendors[0]
    _gain(page, money(float(first.figures.net_gain)))
    _tab(page, "takehome")
    with page.expect_download(timeout=STEP) as saved:
        page.click(".rcm-save-scenario button")
    path = tmp_path / "saved.yaml"
    saved.value.save_as(path)
    again, decision_again = _library(path)
    assert again.to_dict()["vendors"] == evaluation.to_dict()["vendors"]
    assert decision_again.to_dict() == decision.to_dict()
    # ranges are kept, not reduced to their middle
    assert "dist: pert" in path.read_text()
    _tab(page, "decision")
    page.wait_for_selector(".rcm-chance", timeout=STEP)
    assert page.inner_text(".rcm-recommendation") == decision.recommended
    _clean(page)


def test_an_ineligible_vendor_is_shown_in_red_and_never_recommended(app, page):
    source = SCENARIOS / "family-practice-quotes.yaml"
    _evaluation, decision = _library(source)
    assert decision.excluded
    _open(page, app)
    label = page.get_by_label("Or an example")
    option = [o for o in label.locator("option").all_inner_texts() if "quotes" in o][0]
    label.select_option(label=option)
    _tab(page, "decision")
    page.wait_for_selector(".rcm-ineligible", timeout=STEP)
    assert page.inner_text(".rcm-recommendation") == decision.recommended
    banner = page.inner_text(".rcm-step-decision .rcm-ineligible")
    assert decision.excluded[0]["vendor"] in banner and "cannot be recommended" in banner
    _clean(page)


def test_an_in_house_improvement_sits_next_to_the_quotes_and_can_win(app, page):
    """Fixing billing in-house instead (docs/methodology.md §6): the example whose certified
    coder gains more than any quote; its entry on Quotes, its figures on Decision."""
    source = SCENARIOS / "pediatrics-fix-inhouse.yaml"
    _evaluation, decision = _library(source)
    assert decision.verdict == "improve"
    _open(page, app)
    label = page.get_by_label("Or an example")
    option = [o for o in label.locator("option").all_inner_texts() if "Lakeside" in o][0]
    label.select_option(label=option)
    _tab(page, "quotes")
    page.wait_for_function("() => [...document.querySelectorAll('.rcm-alternatives input')]"
                           ".some(i => i.value == 'Hiring a certified coder')", timeout=STEP)
    assert "In-house improvement" in page.inner_text(".rcm-step-quotes .rcm-alternatives")
    _tab(page, "decision")
    page.wait_for_selector(".rcm-alternatives-summary table", timeout=STEP)
    assert page.inner_text(".rcm-recommendation") == "in-house"
    head = " ".join(page.inner_text(".rcm-decision").split())
    assert "Improve your billing in-house: hiring a certified coder" in head
    assert "Valley Billing" not in head.split("Why")[0]         # no vendor as the pick
    summary = page.inner_text(".rcm-alternatives-summary")
    assert "Hiring a certified coder would gain $23,000 a year, more than outsourcing to " \
           "Valley Billing Services at $17,750." in summary and "money alone" in summary
    _clean(page)


def test_a_foreign_host_is_refused(app):
    before = len(app.kernels())
    request = urllib.request.Request(app.url, headers={"Host": f"rebind.example:{app.port}"})
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(request, timeout=10)
    assert err.value.code == 403
    assert len(app.kernels()) <= before


def test_logout_answers_plainly(app):
    """Jupyter's /logout page needs templates Voila lacks: it answered 500."""
    with urllib.request.urlopen(app.url + "logout", timeout=10) as answer:
        assert answer.status == 200
        assert "nothing to log out of" in answer.read().decode()


def test_closed_pages_free_their_kernels(app, browser):
    """A page closed as a person closes a tab frees its kernel and its report kernel at
    once (its goodbye), not two idle minutes later (the cull): checked here for two pages
    in a row, and by :func:`_close` for every page of the browser tests."""
    from rcmmodel.cli.commands.app import CULL_IDLE_SECONDS

    assert FREED_WITHIN < CULL_IDLE_SECONDS        # freed by the goodbye, not the cull
    # Kernels of earlier tests' pages are not this test's business: count the ones it made.
    before = {k.pid for k in app.kernels()}
    timings = []
    for _ in range(2):
        page = _page(browser)
        t0 = time.perf_counter()
        _open(page, app)
        timings.append(time.perf_counter() - t0)
        # its kernel, and the report kernel it started as the page was made
        deadline = time.monotonic() + STEP / 1000
        while len(app.kernel_of(page.kernel_id)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(app.kernel_of(page.kernel_id)) == 2, app.kernel_of(page.kernel_id)
        _close(page)
        app.check_freed()                          # both gone within FREED_WITHIN s
    left = [k for k in app.kernels() if k.pid not in before]
    assert len(left) <= 1, [(k.pid, k.create_time(), k.cmdline()[-3:]) for k in left]
    print(f"time to a usable page: first {timings[0]:.2f} s, then {timings[1]:.2f} s")


def _outside(page, width: int) -> list:
    """Charts on screen not wholly within [0, width], or drawn beyond their own box (a title
    or legend cut off), and whether the page scrolls sideways: empty when all fits."""
    return page.evaluate("""([w, sel]) => {
      const bad = [];
      if (document.documentElement.scrollWidth > w) bad.push('page scrolls sideways: '
          + document.documentElement.scrollWidth);
      for (const e of document.querySelectorAll(sel)) {
        if (e.parentElement.closest('svg') || !e.getClientRects().length) continue;
        const box = e.getBoundingClientRect();
        const name = e.closest('.rcm-chart').className;
        if (box.left < -0.5 || box.right > w + 0.5)
          bad.push(name + ': chart at ' + Math.round(box.left) + '..' + Math.round(box.right));
        // what is drawn (marks, axes, title, legend) lies within the chart's own box
        const drawn = e.tagName.toLowerCase() === 'svg' && e.querySelector(':scope > g');
        if (drawn) {
          const d = drawn.getBoundingClientRect();
          if (d.left < box.left - 2 || d.right > box.right + 2 || d.top < box.top - 2
              || d.bottom > box.bottom + 2)
            bad.push(name + ': drawn at ' + [d.left, d.right, d.top, d.bottom].map(Math.round)
                     + ', its box ' + [box.left, box.right, box.top, box.bottom].map(Math.round));
        }
      }
      return bad; }""", [width, CHARTS])


def _settled(page, name, wanted=()):
    """Step ``name`` on screen with its charts drawn (``wanted``: chart names)."""
    _tab(page, name)
    for chart in wanted:
        page.wait_for_selector(f".rcm-chart-{chart} svg.marks", timeout=STEP)
    _steady(page)


def test_at_390_px_every_chart_fits_and_nothing_scrolls_sideways(app, browser):
    """Her practice with its claims, long quote names, the decision and her vendor's
    check on a phone: every chart of every step within the screen, nothing cut off."""
    page = _page(browser, width=390, height=844)
    try:
        _open(page, app)
        label = page.get_by_label("Or an example")
        option = [o for o in label.locator("option").all_inner_texts() if "laims" in o][0]
        label.select_option(label=option)        # nothing typed yet: nothing to confirm
        page.wait_for_function("document.querySelector('.rcm-net-gain').textContent"
                               ".includes('$')", timeout=STEP)
        # long names, as a quotes template gives them: legends and titles must still fit
        _tab(page, "quotes")
        first = "Example quote 1 (percentage of collections)"
        _type(page, "Quote name", first)
        page.wait_for_function("t => document.querySelector('.rcm-headline').textContent"
                               ".includes(t)", arg=first, timeout=STEP)
        page.get_by_label("Quote", exact=True).select_option(index=1)
        # the form shows the second quote before its name is typed (a busy machine may
        # take a moment; typing sooner would rename the first)
        name = page.get_by_label("Quote name", exact=True)
        deadline = time.monotonic() + STEP / 1000
        while name.input_value() == first and time.monotonic() < deadline:
            time.sleep(0.05)
        _type(page, "Quote name", "Example quote 2 (monthly base + percentage)")
        page.wait_for_function("() => document.querySelector('.rcm-headline').textContent"
                               ".includes('Example quote 2')", timeout=STEP)
        steps = {"practice": ("aging", "denials"), "quotes": (),
                 "decision": ("tornado", "timeline", "sla"), "takehome": ()}
        for name, wanted in steps.items():
            _settled(page, name, wanted)
            assert _outside(page, 390) == [], name
        page.locator(".lm-TabBar-tab").nth(4).click()
        audit = ROOT / "scenarios" / "audit"
        for key, file in (("before", "before.csv"), ("after", "after.csv")):
            page.set_input_files(f".rcm-upload-audit-{key} input[type=file]",
                                 str(audit / file))
        page.wait_for_selector(".rcm-audit-result .rcm-verdict", timeout=STEP)
        _steady(page)
        assert _outside(page, 390) == [], "audit"
        _clean(page)
    finally:
        _close(page)


def test_a_slider_moves_the_net_gain_quickly(app, page):
    _open(page, app)
    label = page.get_by_label("Or an example")
    option = [o for o in label.locator("option").all_inner_texts() if "Guide" in o][0]
    label.select_option(label=option)
    _gain(page, "$51,500")
    handle = ".rcm-slider-annual-collections .noUi-handle"
    latencies = []
    for _ in range(5):
        page.focus(handle)
        ms = page.evaluate("""sel => new Promise(done => {
            const gain = document.querySelector('.rcm-net-gain');
            const before = gain.textContent;
            const t0 = performance.now();
            const watch = new MutationObserver(() => {
              const now = document.querySelector('.rcm-net-gain');
              if (now && now.textContent != before) { watch.disconnect();
                                                      done(performance.now() - t0); }
            });
            watch.observe(document.body, {subtree: true, childList: true,
                                          characterData: true});
            document.querySelector(sel).dispatchEvent(new KeyboardEvent('keydown',
              {key: 'ArrowRight', bubbles: true}));
        })""", handle)
        latencies.append(ms)
    latencies.sort()
    print(f"slider to figure: median {latencies[2]:.0f} ms, all {latencies}")
    assert latencies[2] < 1000     # the goal is 100 ms; a loaded test machine gets slack
    _clean(page)


def _ledger(path: Path, megabytes: int) -> int:
    """A synthetic claims ledger of at least ``megabytes`` MB (no real patients): row i is
    claim C{i:09d} of payer i % 7, served on day 1 + i % 28 of March 2024, paid. Every
    row is as long as the others, so the rows needed are known, and rows are written
    10,000 at a time from seven block patterns (10,000 rows move the payer by 4 of 7 and
    the day by 4 of 28), each block's claim numbers put in with one replace."""
    header = ("claim_id,payer,service_date,submitted_date,charge,allowed,insurance_paid,"
              "patient_paid,patient_responsibility,contractual_adjustment,other_adjustment,"
              "status,first_pass,paid_date\n")

    def line(i: int, claim: str) -> str:
        day = 1 + i % 28
        return (f"{claim},Payer {i % 7},2024-03-{day:02d},2024-03-{day:02d},"
                f"200.00,150.00,110.00,30.00,30.00,50.00,0,paid,true,2024-04-{day:02d}\n")

    width = len(line(0, "C000000000"))
    rows = -(-megabytes * 1_000_000 // width)            # rows of ``width`` to reach the size
    block = 10_000
    patterns = ["".join(line(k * block + j, f"C#####{j:04d}") for j in range(block))
                for k in range(7)]
    with open(path, "w") as f:
        f.write(header)
        for start in range(0, rows, block):
            text = patterns[start // block % 7].replace("#####", f"{start // block:05d}")
            f.write(text if rows - start >= block else text[:(rows - start) * width])
    return rows


def test_a_150_mb_ledger_uploads(app, page, tmp_path):
    """Uploads up to 200 MB work or fail with a clear message: a file over the limit is
    refused in the page before a byte is sent (a sparse file: its size, no data), then
    a real 150 MB ledger goes through the page's chunks and is read."""
    from rcmmodel.app.transfer import MAX_UPLOAD, size_text

    over = tmp_path / "big-ledger.csv"
    with open(over, "wb") as f:
        f.truncate(MAX_UPLOAD + 1)
    path = tmp_path / "ledger.csv"
    rows = _ledger(path, 150)
    assert path.stat().st_size >= 150_000_000
    _open(page, app)
    page.set_input_files(".rcm-upload-claims input[type=file]", str(over))
    page.wait_for_function("() => document.querySelector('.rcm-upload-claims')"
                           ".textContent.includes('rcm kpi')", timeout=STEP)
    said = page.inner_text(".rcm-upload-claims")
    assert f"takes files up to {size_text(MAX_UPLOAD)}" in said and "Receiving" not in said
    page.set_input_files(".rcm-upload-claims input[type=file]", str(path))
    page.wait_for_function("n => document.querySelector('.rcm-upload-claims')"
                           ".textContent.includes('Read ' + n)",
                           arg=f"{rows:,}", timeout=900_000)
    page.wait_for_selector(".rcm-kpis", timeout=STEP)
    _clean(page)


def _serve(cmd, env=None, cwd=ROOT):
    return subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise


@contextlib.contextmanager
def capped_server(max_kernels: int):
    """``rcm app``'s own Voila command on a free port with a cap of ``max_kernels``, up and
    with its pooled kernel started ahead of the first visit; ``proc.url`` is its address.
    Its pages start no report kernel (RCMMODEL_REPORTS_AHEAD=0, app/report_maker.py): a
    page kernel's child, not counted by the cap, and these pages download nothing."""
    from rcmmodel.app.report_maker import AHEAD_ENV
    from rcmmodel.cli.commands.app import voila_command, voila_env

    port = _free_port()
    proc = _serve(voila_command(ROOT / "notebooks" / "app.ipynb", port,
                                max_kernels=max_kernels),
                  env={**voila_env(), AHEAD_ENV: "0"}, cwd=ROOT / "notebooks")
    proc.url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(proc.url + "voila/static/voila.js", timeout=10).close()
                if _kernels(proc.pid):
                    break
            except OSError:
                pass
            assert time.time() < deadline, "the server did not start"
            time.sleep(0.5)
        yield proc
    finally:
        _stop(proc)


def test_sigterm_stops_rcm_lab_and_its_kernels(tmp_path):
    import json
    import re

    port = _free_port()
    log = tmp_path / "lab.log"
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "rcmmodel", "lab", "--no-browser",
                                 "--port", str(port)], cwd=ROOT, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 120
        token = None
        while token is None:
            assert proc.poll() is None and time.time() < deadline, log.read_text()[-2000:]
            found = re.search(r"token=([0-9a-f]+)", log.read_text())
            token = found.group(1) if found else None
            time.sleep(0.2)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/kernels?token={token}", data=b"{}", method="POST",
            headers={"Content-Type": "application/json"})
        for _ in range(60):
            try:
                kernel = json.load(urllib.request.urlopen(request, timeout=30))
                break
            except OSError:
                time.sleep(1)
        assert kernel["id"]
        for _ in range(150):
            kernels = _kernels(proc.pid)
            if kernels:
                break
            time.sleep(0.2)
        assert kernels
    finally:
        proc.send_signal(signal.SIGTERM)      # to rcm lab alone, as a service manager would
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail("rcm lab did not stop on SIGTERM")
    assert proc.returncode == 143
    import psutil

    def its_server():
        return [p for p in psutil.process_iter(["cmdline"])
                if f"--port={port}" in " ".join(p.info["cmdline"] or [])
                or f"ServerApp.port={port}" in " ".join(p.info["cmdline"] or [])]

    assert not _gone(kernels, 10)                 # polled: at once, or within 10 s
    assert not _gone(its_server(), 10)


@pytest.mark.parametrize("width", [1366, 390])
def test_her_whole_flow_with_her_losses_costs_and_nothing_stale(app, browser, tmp_path, width):
    """One page a width: her practice typed, the quotes template the app offers (CSV, then
    Excel) uploaded back, 835s and a fee schedule showing her losses, costs beside each
    quote, a stale entry blanking and refusing to save, priorities, downloads, reopening."""
    data = ROOT / "tests" / "data"
    page = _page(browser, width=width, height=900)
    try:
        _open(page, app)
        _type(page, "Practice name", "Oak Street Clinic")
        _type(page, "Annual collections", "$500,000")
        _type(page, "In-house billing cost a year", "40,000")
        page.set_input_files(".rcm-upload-claims input[type=file]",
                             [str(data / "lines_a.835"), str(data / "lines_b.835")])
        page.wait_for_function("() => document.querySelector('.rcm-upload-claims')"
                               ".textContent.includes('Read ')", timeout=LOAD)
        page.wait_for_selector(".rcm-losses-head", timeout=STEP)
        page.set_input_files(".rcm-upload-fees input[type=file]", str(data / "fee_schedule.csv"))
        page.wait_for_selector(".rcm-underpaid", timeout=STEP)
        losses = page.inner_text(".rcm-losses")
        assert "Underpaid against your fee schedule" in losses and "$55" in losses
        assert "Not graded: fewer than 30" in losses
        page.wait_for_selector(".rcm-chart-aging svg.marks", timeout=STEP)
        _shot(page, f"app-practice-{width}.png")
        _tab(page, "quotes")
        for kind, button in (("csv", ".rcm-download-template"),
                             ("xlsx", ".rcm-download-template-xlsx")):
            with page.expect_download(timeout=STEP) as got:
                page.click(f"{button} button")
            template = tmp_path / f"template-{width}.{kind}"
            got.value.save_as(template)
            if kind == "csv":
                page.set_input_files(".rcm-upload-quotes input[type=file]", str(template))
                page.wait_for_function("() => document.querySelector('.rcm-upload-quotes')"
                                       ".textContent.includes('Added 4 quotes')", timeout=STEP)
            else:   # the same names again: refused by name, so the sheet was read
                page.set_input_files(".rcm-upload-quotes input[type=file]", str(template))
                page.wait_for_function("() => document.querySelector('.rcm-upload-quotes')"
                                       ".textContent.includes('duplicate vendor name')",
                                       timeout=STEP)
        # a per-claim quote without claims a month: the field says so, that quote is blank
        page.get_by_label("Quote", exact=True).select_option(index=1)
        page.wait_for_function("() => document.querySelector('.rcm-net-gain')"
                               ".textContent.includes('\u2014')", timeout=STEP)
        _tab(page, "practice")
        assert "is needed for Example quote 2" in page.inner_text(".rcm-step-practice")
        _type(page, "Claims a month", "400")
        page.wait_for_function("() => document.querySelector('.rcm-net-gain')"
                               ".textContent.includes('$')", timeout=STEP)
        _tab(page, "quotes")
        cards = page.inner_text(".rcm-quote-costs")
        assert "Fees a year" in cards and "Effective rate" in cards and "Service fee" in cards
        assert "Billing costs you a year" in cards and "$40,000" in cards
        _shot(page, f"app-quotes-{width}.png")
        # a 150% rate: blank, said why, and saving refuses
        page.get_by_label("Quote", exact=True).select_option(index=0)
        _type(page, "Fee rate", "150")
        page.wait_for_function("() => document.querySelector('.rcm-net-gain')"
                               ".textContent.includes('\u2014')", timeout=STEP)
        assert "blank" in page.inner_text(".rcm-headline").lower()
        _tab(page, "takehome")
        page.click(".rcm-save-scenario button")
        page.wait_for_function("() => document.querySelector('.rcm-save-scenario')"
                               ".textContent.includes('Nothing can be saved')", timeout=STEP)
        _tab(page, "quotes")
        _type(page, "Fee rate", "7")
        page.wait_for_function("() => document.querySelector('.rcm-net-gain')"
                               ".textContent.includes('$')", timeout=STEP)
        _tab(page, "decision")
        page.wait_for_selector(".rcm-recommendation", timeout=STEP)
        page.get_by_label("Your priorities").select_option(label="Money-first")
        page.wait_for_function("() => document.querySelector('.rcm-step-decision')"
                               ".textContent.includes('practice chose')", timeout=STEP)
        page.wait_for_selector(".rcm-chart-timeline svg.marks", timeout=STEP)
        assert "$38,500" in page.inner_text(".rcm-quotes-table")      # 7% x $550,000
        # money first picks the tiered quote; the headline leads with that pick and labels
        # the quote she is looking at as that, with its own figure
        page.wait_for_function("() => document.querySelector('.rcm-headline "
                               ".rcm-recommendation').textContent.includes('quote 4')",
                               timeout=STEP)
        assert "$63,000 a year, as the decision plans it" in page.inner_text(".rcm-decision")
        assert page.inner_text(".rcm-headline .rcm-net-gain") == "$51,500"
        assert "The quote you are looking at: Example quote 1" in " ".join(
            page.inner_text(".rcm-selected").split())
        _shot(page, f"app-decision-{width}.png")
        for name in TABS:            # nothing runs past the screen, tables or charts
            _tab(page, name)
            _steady(page)
            assert _outside(page, width) == [], name
            wide = page.evaluate("w => { const edge = Math.min(w, document.querySelector("
                                 "'.rcm-app-root').getBoundingClientRect().right);"
                                 " return [...document.querySelectorAll('.rcm-app-root table')]"
                                 ".filter(e => e.getClientRects().length"
                                 " && e.getBoundingClientRect().right > edge + 1)"
                                 ".map(e => e.tagName + '.' + e.getAttribute('class')) }", width)
            assert wide == [], name
        _tab(page, "takehome")
        with page.expect_download(timeout=STEP) as saved:
            page.click(".rcm-save-scenario button")
        scenario = tmp_path / f"saved-{width}.yaml"
        saved.value.save_as(scenario)
        assert "priority: money_first" in scenario.read_text()
        _tab(page, "practice")
        page.set_input_files(".rcm-open-scenario input[type=file]", str(scenario))
        page.wait_for_function("() => document.querySelector('.rcm-open-scenario')"
                               ".textContent.includes('Opened')", timeout=STEP)
        # an example naming claims files: it asks first, then shows what billing loses
        label = page.get_by_label("Or an example")
        option = [o for o in label.locator("option").all_inner_texts() if "laims" in o][0]
        label.select_option(label=option)
        page.wait_for_selector(".rcm-confirm button", timeout=STEP)
        assert "Oak Street Clinic" in page.get_by_label("Practice name").input_value()
        page.locator(".rcm-confirm button").first.click()
        page.wait_for_selector(".rcm-losses-head", timeout=STEP)
        assert "Denials: what they cost you" in page.inner_text(".rcm-losses")
        _clean(page)
    finally:
        _close(page)
