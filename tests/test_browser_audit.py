"""The app's step 5, "Check your vendor", in a real browser (``rcm app`` + Playwright +
chromium, as tests/test_browser.py): the owner opens the scenario she signed on, uploads the
example's before and after claims and the invoices, and reads the library's verdict, SLA
table and fee check; the audit PDF downloads. Screenshots at 390 and 1366 px."""
from __future__ import annotations

import subprocess

import pytest
import yaml

from conftest import ROOT
from test_browser import (CHROMIUM, STEP, _clean, _close, _open, _page, _shot,  # noqa: F401
                          app, browser)

from rcmmodel.describe import money
from rcmmodel.model.audit import audit
from rcmmodel.model.measure import scenario_with_claims
from rcmmodel.present.audit_text import verdict_sentence
from rcmmodel.scenario import load_scenario
from rcmmodel.scenario.audit_files import audit_args

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")]
FOLDER = ROOT / "scenarios" / "audit"
AUDIT_TAB = 4


def _expected() -> dict:
    s = scenario_with_claims(load_scenario(FOLDER / "audit-example.yaml"))
    return audit(s, **audit_args(s)).to_dict()


@pytest.mark.parametrize("width", [1366, 390])
def test_she_uploads_her_files_and_reads_the_verdict(app, browser, tmp_path, width):  # noqa: F811
    d = _expected()
    signed = yaml.safe_load((FOLDER / "audit-example.yaml").read_text())
    signed.pop("audit")                 # she has only the scenario she signed on
    scenario = tmp_path / "signed.yaml"
    scenario.write_text(yaml.safe_dump(signed, sort_keys=False))
    page = _page(browser, width=width)
    try:
        _open(page, app)
        page.set_input_files(".rcm-open-scenario input[type=file]", str(scenario))
        page.wait_for_function("() => document.querySelector('.rcm-net-gain').textContent"
                               ".startsWith('$')", timeout=STEP)
        page.locator(".lm-TabBar-tab").nth(AUDIT_TAB).click()
        page.wait_for_selector(".rcm-step-audit", state="visible", timeout=STEP)
        for key, name in (("before", "before.csv"), ("after", "after.csv"),
                          ("invoices", "invoices.csv")):
            page.set_input_files(f".rcm-upload-audit-{key} input[type=file]",
                                 str(FOLDER / name))
            page.wait_for_function(
                "k => (document.querySelector('.rcm-upload-audit-' + k) || {}).textContent"
                "?.includes('received')", arg=key, timeout=STEP)
        page.wait_for_selector(".rcm-audit-result [data-verdict='partly']", timeout=STEP)
        text = " ".join(page.inner_text(".rcm-audit-result").split())
        assert verdict_sentence(d) in text
        for m in d["fees"]["months"]:
            assert money(m["billed"], cents=True) in text
        assert f"Billed above the contract in all: {money(d['fees']['overbilled'], cents=True)}" \
            in text
        assert "missed (5.5 points worse)" in text and "met (16.4 days better)" in text
        assert page.locator(".rcm-audit-result tr.rcm-over").count() == 1
        # on a phone each KPI and each month is a card (a cell a line, its heading beside
        # it), like the app's other tables; on a wide screen a table with its headings
        heads = page.locator(".rcm-audit-result table.rcm-stack tr:first-child")
        assert heads.count() == 2
        cells = page.evaluate("() => [...document.querySelectorAll('.rcm-audit-result "
                              "table.rcm-stack td')].map(td => getComputedStyle(td).display)")
        assert set(cells) == ({"block"} if width == 390 else {"table-cell"})
        assert heads.first.is_visible() == (width == 1366)
        _shot(page, f"app-audit-{width}.png")
        wide = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not wide, "the page scrolls sideways"
        if width == 1366:
            with page.expect_download(timeout=600_000) as pdf:
                page.click(".rcm-download-audit button")
            path = tmp_path / pdf.value.suggested_filename
            pdf.value.save_as(path)
            assert path.read_bytes()[:5] == b"%PDF-"
            out = subprocess.run(["pdftotext", "-layout", str(path), "-"],
                                 capture_output=True, text=True, check=True).stdout
            flat = " ".join(out.split())
            assert verdict_sentence(d).split(":")[0] in flat
            assert money(d["net_gain"]["realized"]) in flat
            assert "SB1" not in flat and "IH1" not in flat
        _clean(page)
    finally:
        _close(page)
