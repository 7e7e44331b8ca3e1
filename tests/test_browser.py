"""The app in a real browser: ``rcm app`` on a free port, driven by Playwright + chromium.

Screenshots of each page go to docs/screenshots/ (the README shows them). Every request
the pages make is recorded: none may leave localhost. The charts are drawn in the page by
the Vega renderer bundled with the app (no CDN); the tests look for their marks.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, SCENARIOS

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="browser tests need Debian's chromium at /usr/bin/chromium")]
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SHOTS = ROOT / "docs" / "screenshots"
MANAGED_CARE = SAMPLES / "lfh_835_managed-care.835"
LOAD = 180_000          # ms: a page starts a kernel and runs its notebook


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    port = _free_port()
    log = open(tmp_path_factory.mktemp("rcm-app") / "rcm-app.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "rcmmodel", "app", "--no-browser",
                             "--port", str(port)], cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}/voila/render/"
    try:
        deadline = time.time() + 120
        while True:
            if proc.poll() is not None:
                pytest.fail(f"rcm app exited with {proc.returncode}")
            try:
                urllib.request.urlopen(base + "index.ipynb", timeout=5).close()
                break
            except OSError:
                if time.time() > deadline:
                    pytest.fail("rcm app did not serve within 120 s")
                time.sleep(0.5)
        yield base
    finally:
        # The process group we started: rcm app and the Voila server under it.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    """A page that refuses, and records, any request to somewhere other than localhost."""
    context = browser.new_context(viewport={"width": 1320, "height": 1000})
    page = context.new_page()
    page.external = []

    def route(r):
        url = r.request.url
        if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1")):
            r.continue_()
        else:
            page.external.append(url)
            r.abort()

    page.route("**/*", route)
    yield page
    context.close()


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


# A chart the page drew: the Vega renderer's <svg class="marks"> inside the chart's own
# container, holding marks (bars, lines, rules), not just axes.
CHART = ".rcm-chart-{} svg.marks"
MARKS = "g[class*='mark-'] path, g[class*='mark-'] line, g[class*='mark-'] rect"


def _chart_drawn(page, name, timeout=60_000):
    page.wait_for_function(
        "([sel, marks]) => { const svg = document.querySelector(sel);"
        " return !!svg && svg.querySelectorAll(marks).length > 0; }",
        arg=[CHART.format(name), MARKS], timeout=timeout)


def _chart(page, name) -> str:
    return page.inner_html(CHART.format(name))


def _gain_bar(page, amount: float, timeout=60_000):
    """Wait until the cost chart's net-gain bar is the one for ``amount`` dollars.

    Vega labels each mark for screen readers with its tooltip fields ('... what: Net gain
    per year; amount: $51,500'), so the bar tells which figures the chart was drawn from
    (to the dollar: the chart's format rounds half up where the headline may not).
    """
    page.wait_for_function(
        "([sel, want]) => [...document.querySelectorAll(sel)].some(p => {"
        " const m = /what: Net gain per year; amount: ([^;]*)/.exec("
        "   p.getAttribute('aria-label') || '');"
        " return !!m && Math.abs(Number(m[1].replace(/[$,]/g, '').replace('\u2212', '-'))"
        "   - want) <= 0.5001; })",
        arg=[f"{CHART.format('cost')} path[aria-label]", float(amount)], timeout=timeout)


def _redrawn(page, before: dict, timeout=60_000):
    """Wait until each chart in ``before`` (name -> inner HTML) has been drawn anew."""
    for name, old in before.items():
        page.wait_for_function("([sel, old]) => { const svg = document.querySelector(sel);"
                               " return !!svg && svg.innerHTML != old; }",
                               arg=[CHART.format(name), old], timeout=timeout)
        _chart_drawn(page, name, timeout)


def _no_traceback(page):
    text = page.inner_text("body")
    assert "Traceback" not in text and "Error:" not in text.replace("rcm-input-error", "")


def test_index_links_the_three_tools(app, page):
    page.goto(app + "index.ipynb")
    for name in ("calculator", "compare-quotes", "claims-review"):
        page.wait_for_selector(f"a[href='{name}.ipynb']", timeout=LOAD)
    _shot(page, "index.png")
    assert page.external == []


def test_calculator_follows_a_slider(app, page):
    from rcmmodel import evaluate, parse_scenario
    from rcmmodel.app.controls import parse_number
    from rcmmodel.app.state import load
    from rcmmodel.describe import money

    page.goto(app + "calculator.ipynb")
    gain = page.wait_for_selector(".rcm-net-gain", timeout=LOAD)
    data = load(SCENARIOS / "guide-example.yaml")[0]
    library = lambda: float(evaluate(parse_scenario(data)).vendors[0].figures.net_gain)
    assert gain.inner_text() == money(library())
    assert gain.inner_text() == "$51,500"
    # The charts are drawn in the page by the bundled Vega renderer, from the kernel's specs.
    names = ("cost", "cash", "breakeven")
    for name in names:
        _chart_drawn(page, name)
    _gain_bar(page, 51500.0)
    before = {name: _chart(page, name) for name in names}

    # Move the uplift slider one step with the keyboard, as a user would.
    page.focus(".rcm-slider-collections-uplift .noUi-handle")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.rcm-net-gain').textContent != '$51,500'",
                           timeout=60_000)
    uplift = parse_number(page.input_value(".rcm-field-collections-uplift input"), "percent")
    assert uplift > 10
    data["vendors"][0]["uplift"] = uplift / 100
    expected = money(library())
    page.wait_for_function(f"document.querySelector('.rcm-net-gain').textContent == "
                           f"'{expected}'", timeout=60_000)
    # ... and the charts follow: redrawn from the new figures, marks and all.
    _redrawn(page, before)
    _gain_bar(page, library())
    assert page.locator(".rcm-chart svg.marks").count() == 3
    before = {name: _chart(page, name) for name in names}

    # Type a figure into a field.
    field = page.locator(".rcm-field-annual-collections input")
    field.fill("$650,000")
    field.press("Enter")
    data["practice"]["annual_collections"] = 650000.0
    expected = money(library())
    page.wait_for_function(f"document.querySelector('.rcm-net-gain').textContent == "
                           f"'{expected}'", timeout=60_000)
    _redrawn(page, before)
    _gain_bar(page, library())
    _shot(page, "calculator.png")

    # Text in a number field: a message beside it, not a traceback.
    field.fill("lots")
    field.press("Enter")
    page.wait_for_selector(".rcm-input-error", timeout=60_000)
    assert "is not a number" in page.inner_text(".rcm-input-error >> nth=0")
    assert page.inner_text(".rcm-net-gain") == expected
    _no_traceback(page)
    assert page.external == []


def test_claims_review_upload(app, page):
    from rcmmodel.claims.review import load_claims, summarize

    page.goto(app + "claims-review.ipynb")
    page.wait_for_selector(".rcm-upload", timeout=LOAD)
    # ipywidgets' FileUpload opens the file dialog from its button.
    with page.expect_file_chooser() as chooser:
        page.click(".rcm-upload")
    chooser.value.set_files(str(MANAGED_CARE))
    page.wait_for_selector(".rcm-kpis", timeout=60_000)
    ledger = load_claims([MANAGED_CARE])
    review = summarize(ledger)
    kpis = review["kpis"]
    cell = lambda k: page.inner_text(f"tr[data-kpi={k}] .rcm-kpi-value")
    assert cell("net_collection_rate") == f"{kpis['net_collection_rate'] * 100:.1f}%"
    assert cell("denial_rate") == f"{kpis['denial_rate'] * 100:.1f}%"
    assert cell("days_in_ar") == f"{kpis['days_in_ar']:.1f}"
    assert f"{review['claims']} claims" in page.inner_text(".rcm-claims-summary")
    text = page.inner_text("body")
    for claim_id in ledger["claim_id"].astype(str):
        assert claim_id not in text
    _chart_drawn(page, "aging")          # (this file has no denials: no denials chart)
    _shot(page, "claims-review.png")
    _no_traceback(page)
    assert page.external == []


def test_compare_quotes_ranks(app, page):
    from rcmmodel import load_scenario
    from rcmmodel.vendors.ranking import compare

    page.goto(app + "compare-quotes.ipynb")
    page.wait_for_selector(".rcm-top-choice", timeout=LOAD)
    top = compare(load_scenario(SCENARIOS / "family-practice-quotes.yaml")).top.name
    assert page.inner_text(".rcm-top-choice") == top
    for name in ("scores", "rates", "sla", "cash"):
        _chart_drawn(page, name)
    _shot(page, "compare-quotes.png")
    _no_traceback(page)
    assert page.external == []
