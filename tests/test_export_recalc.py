"""The live workbook, recomputed by a formula engine (``formulas``), matches ``rcm evaluate``
to the cent: net gain, vendor cost, service fee, one-time fees, ROI, NPV and payback month
per vendor; and again after ``annual_collections`` is changed in the workbook, against
``rcm evaluate`` on the scenario with the same change.

Loading a workbook into the engine takes seconds, so the guide example runs in the fast set
and the full matrix (every example and the vendor test scenarios) is marked slow.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SCENARIOS, rcm_inprocess
from xlsx_recalc import Recalc

pytest.importorskip("formulas")

TESTS = Path(__file__).parent
EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))
TEST_SCENARIOS = [TESTS / "data_vendors" / "four-quotes.yaml",
                  TESTS / "data_vendors" / "with-quotes.yaml",
                  TESTS / "scenarios_unc" / "three-vendors.yaml",
                  TESTS / "scenarios_unc" / "guide-uniform-rate.yaml",
                  TESTS / "scenarios_unc" / "growth-flips.yaml"]
HALF_CENT = 0.005 + 1e-6       # the JSON is rounded to the cent; the workbook is not
FIGURES = {"net gain": ("annual", "net_gain"), "vendor cost": ("annual", "vendor_cost"),
           "service fee": ("annual", "service_fee"), "one-time fees": ("annual", "one_time"),
           "uplift amount": ("annual", "uplift_amount"), "NPV": ("timeline", "npv")}


def evaluate_json(path: Path, collections: float | None = None) -> dict:
    """What ``rcm evaluate --json`` prints, with ``annual_collections`` changed if given."""
    from rcmmodel import evaluate
    from rcmmodel.scenario import parse_scenario

    data = yaml.safe_load(path.read_text())
    if collections is not None:
        data["practice"]["annual_collections"] = collections
    return evaluate(parse_scenario(data, str(path))).to_dict()


def export(path: Path, tmp_path: Path) -> Path:
    from rcmmodel.reports.excel import export_workbook

    return export_workbook(path, tmp_path / f"{path.stem}.xlsx")


def assert_matches(summary: dict, expected: dict) -> None:
    assert list(summary) == [v["name"] for v in expected["vendors"]]
    for v in expected["vendors"]:
        got = summary[v["name"]]
        for column, (part, key) in FIGURES.items():
            want = v[part][key]
            assert abs(got[column] - want) <= HALF_CENT, (v["name"], column, got[column], want)
        roi = v["annual"]["roi"]
        if roi is None:                       # a vendor that costs nothing: no ROI
            assert got["ROI"] in ("", None)
        else:
            assert got["ROI"] == pytest.approx(roi, rel=1e-9)
        assert (got["payback month"] or None) == v["timeline"]["payback_month"], v["name"]


@pytest.fixture(scope="session")
def recalc(tmp_path_factory):
    """``recalc(path)``: the scenario's exported workbook, loaded into the engine (seconds;
    a calculation never changes the loaded model). The guide's book, which three tests use,
    is loaded once a session; any other is dropped when the next loads (100+ MB each)."""
    from rcmmodel.reports.excel import export_workbook

    guide = SCENARIOS / "guide-example.yaml"
    books: dict[Path, Recalc] = {}

    def load(path: Path) -> Recalc:
        if path not in books:
            for other in [p for p in books if p != guide]:
                del books[other]
            # one file name for every book: their shared formulas compile once (xlsx_recalc)
            folder = tmp_path_factory.mktemp(path.stem)
            books[path] = Recalc(export_workbook(path, folder / "workbook.xlsx"))
        return books[path]
    return load


def check(path: Path, book: Recalc) -> None:
    assert_matches(book.summary(), evaluate_json(path))
    c0 = book.book.defined_names["annual_collections"]
    assert c0 is not None
    changed = round(float(evaluate_json(path)["vendors"][0]["annual"]["collections"]) * 0.83, 2)
    assert_matches(book.summary({"annual_collections": changed}), evaluate_json(path, changed))


def test_guide_recomputes_to_the_cent_and_follows_a_change(recalc):
    book = recalc(SCENARIOS / "guide-example.yaml")
    cli = rcm_inprocess("evaluate", SCENARIOS / "guide-example.yaml", "--json", cwd=ROOT)
    assert cli.returncode == 0, cli.stderr
    expected = json.loads(cli.stdout)
    summary = book.summary()
    assert_matches(summary, expected)
    assert summary["Guide Billing Co"]["net gain"] == pytest.approx(51500, abs=1e-6)
    changed = book.summary({"annual_collections": 650000})
    assert_matches(changed, evaluate_json(SCENARIOS / "guide-example.yaml", 650000))
    # 650,000 x 10% uplift + 40,000 - 7% x 715,000 = 54,950
    assert changed["Guide Billing Co"]["net gain"] == pytest.approx(54950, abs=1e-6)


def test_a_longer_ramp_moves_npv_and_payback(recalc):
    book = recalc(SCENARIOS / "guide-example.yaml")
    base = book.summary()["Guide Billing Co"]
    slow = book.summary({"ramp_days": 360, "vendor1_setup": 20000})["Guide Billing Co"]
    data = yaml.safe_load((SCENARIOS / "guide-example.yaml").read_text())
    data["timeline"]["ramp_days"] = 360
    data["vendors"][0]["fees"] = {"setup": 20000}
    from rcmmodel import evaluate
    from rcmmodel.scenario import parse_scenario
    assert_matches({"Guide Billing Co": slow}, evaluate(parse_scenario(data)).to_dict())
    assert slow["NPV"] < base["NPV"] and slow["payback month"] > base["payback month"]
    assert slow["net gain"] == pytest.approx(base["net gain"])   # the steady year is unchanged


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES + TEST_SCENARIOS, ids=lambda p: p.stem)
def test_every_example_recomputes_to_the_cent(recalc, path):
    check(path, recalc(path))


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_computes_the_same(tmp_path):
    """A second engine: LibreOffice opens the workbook, computes it and saves the values."""
    from openpyxl import load_workbook

    path = TESTS / "data_vendors" / "with-quotes.yaml"     # all four pricing models
    book = export(path, tmp_path)
    out = tmp_path / "lo"
    proc = subprocess.run(["soffice", "--headless", "--norestore",
                           f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                           "--convert-to", "xlsx", "--outdir", str(out), str(book)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    ws = load_workbook(out / book.name, data_only=True)["Summary"]
    headers = [c.value for c in ws[1]]
    summary = {}
    for row in ws.iter_rows(min_row=2):
        if row[0].value is None:
            break
        summary[row[0].value] = dict(zip(headers, (c.value for c in row)))
    assert_matches(summary, evaluate_json(path))
