"""Benchmark: what the practice owner waits for in the browser (``rcm app``, Chromium).

* **first page**: from asking for the page to the app ready for typing (its headline
  drawn), on a server whose pooled kernel has already run the page (as after ``rcm app``
  starts, or a few seconds after another page took the pooled kernel). Goal: under 2 s.
* **PDF, clicked on arrival**: she opens her scenario, goes straight to "Take it home"
  and clicks "Download PDF report" at once: from the click to the file in her downloads.
  The app's report kernel was started with the page, before she arrived, and the report
  begun when the scenario opened (app/report_maker.py), so this counts what is left of one
  report on a warm kernel. Goal: under 4 s.
* **PDF after the Decision step**: the same, with the Decision step read first, as her
  flow goes.
* **PDF, clicked after a moment**: the same, clicking 5 s after the step opened (she
  reads the step first): what is left of the work by then.
* **PDF before** (for comparison): a cold ``rcm report --format pdf`` of the same saved
  scenario, in a process of its own, as the app made it before.

Run with the server otherwise idle; figures depend on the machine's load (printed at the
start and the end: other work on the machine slows every figure).

    .venv/bin/python benchmarks/bench_app_page.py [--loads N] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
SCENARIO = ROOT / "scenarios" / "orthopaedic-group.yaml"
PAGE_GOAL, PDF_GOAL = 2.0, 4.0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(port: int):
    proc = subprocess.Popen([sys.executable, "-m", "rcmmodel", "app", "--no-browser",
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 180
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/static/voila.js",
                                   timeout=5).close()
            return proc
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                raise SystemExit("rcm app did not start")
            time.sleep(0.5)


def _first_page(browser, url: str) -> float:
    page = browser.new_page(viewport={"width": 1366, "height": 1000})
    t = time.perf_counter()
    page.goto(url)
    page.wait_for_selector(".rcm-net-gain", timeout=120_000)
    took = time.perf_counter() - t
    page.close(run_before_unload=True)
    return took


def _pdf(browser, url: str, scenario: Path, wait: float, via_decision: bool = False) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 1000},
                                  accept_downloads=True)
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector(".rcm-net-gain", timeout=120_000)
    page.set_input_files(".rcm-open-scenario input[type=file]", str(scenario))
    page.wait_for_function("() => !document.querySelector('.rcm-net-gain')"
                           ".classList.contains('rcm-empty')", timeout=120_000)
    if via_decision:                            # she reads the decision first
        page.locator(".lm-TabBar-tab").nth(2).click()
        page.wait_for_selector(".rcm-recommendation", timeout=120_000)
    page.locator(".lm-TabBar-tab").nth(3).click()
    page.wait_for_selector(".rcm-download-pdf button:not([disabled])", timeout=120_000)
    time.sleep(wait)
    t = time.perf_counter()
    with page.expect_download(timeout=600_000) as pdf:
        page.click(".rcm-download-pdf button")
    pdf.value.path()
    took = time.perf_counter() - t
    page.close(run_before_unload=True)
    context.close()
    return took


def _cold_report(scenario: Path) -> float:
    from rcmmodel.app.session import open_scenario, to_yaml

    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "practice.yaml"
        saved.write_text(to_yaml(open_scenario(scenario)), encoding="utf-8")
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rcmmodel", "report", str(saved), "-o", tmp,
                        "--format", "pdf"], check=True, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t


def main(argv=None) -> int:
    from playwright.sync_api import sync_playwright

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--loads", type=int, default=3, help="times each is measured")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    load_before = os.getloadavg()[0]
    proc = _serve(port)
    out = {"first_page_s": [], "pdf_on_arrival_s": [], "pdf_via_decision_s": [],
           "pdf_after_5s_s": [], "pdf_cold_rcm_report_s": []}
    try:
        time.sleep(10)                          # the pooled kernel runs the page
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(args.loads):
                out["first_page_s"].append(_first_page(browser, url))
                time.sleep(10)                  # the pool refills
                out["pdf_on_arrival_s"].append(_pdf(browser, url, SCENARIO, 0.0))
                time.sleep(10)
                out["pdf_via_decision_s"].append(_pdf(browser, url, SCENARIO, 0.0, True))
                time.sleep(10)
                out["pdf_after_5s_s"].append(_pdf(browser, url, SCENARIO, 5.0))
                time.sleep(10)
                out["pdf_cold_rcm_report_s"].append(_cold_report(SCENARIO))
            browser.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    med = {k: statistics.median(v) for k, v in out.items()}
    if args.json:
        print(json.dumps({"runs": out, "median": med, "load": [load_before,
                                                                os.getloadavg()[0]]}, indent=2))
    else:
        print(f"load average {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on "
              f"{os.cpu_count()} cores; "
              f"{args.loads} runs each, medians (scenario {SCENARIO.name})")
        print(f"  first page ready            {med['first_page_s']:.2f} s   (goal < {PAGE_GOAL} s)")
        print(f"  PDF, clicked on arrival     {med['pdf_on_arrival_s']:.2f} s   (goal < {PDF_GOAL} s)")
        print(f"  PDF, after the Decision step, clicked on arrival "
              f"{med['pdf_via_decision_s']:.2f} s")
        print(f"  PDF, clicked after 5 s      {med['pdf_after_5s_s']:.2f} s")
        print(f"  before: cold rcm report     {med['pdf_cold_rcm_report_s']:.2f} s   "
              f"(ratio {med['pdf_cold_rcm_report_s'] / med['pdf_on_arrival_s']:.1f}x)")
    return 0 if med["first_page_s"] < PAGE_GOAL and med["pdf_on_arrival_s"] < PDF_GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
