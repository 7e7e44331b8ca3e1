"""``rcm export``: the workbook's sheets, numbers stored as numbers with money and percent
formats, KPIs where the scenario has claims data, exit 2 on bad input."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT, SCENARIOS, rcm_inprocess

DATA = Path(__file__).parent / "data"


def rcm(*argv):
    """In-process (fast); ``rcm_subprocess`` below runs the real command."""
    return rcm_inprocess(*argv, cwd=ROOT)


def rcm_subprocess(*args):
    return subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def guide_book(tmp_path_factory):
    target = tmp_path_factory.mktemp("export") / "guide.xlsx"
    proc = rcm("export", SCENARIOS / "guide-example.yaml", "-o", target)
    assert proc.returncode == 0, proc.stderr
    return load_workbook(target)


def rows(ws):
    header = [c.value for c in ws[1]]
    return [dict(zip(header, r)) for r in ws.iter_rows(min_row=2)]


def test_sheets(guide_book):
    assert guide_book.sheetnames == ["Summary", "Vendors", "Timeline", "Assumptions"]


def test_vendor_numbers_are_numbers_with_formats(guide_book):
    (row,) = rows(guide_book["Vendors"])
    assert row["net gain"].value == 51500 and isinstance(row["net gain"].value, (int, float))
    assert "$" in row["net gain"].number_format
    assert row["vendor cost"].value == 38500
    assert row["effective rate"].value == pytest.approx(0.07)
    assert "%" in row["effective rate"].number_format and "%" in row["ROI"].number_format


def test_timeline_matches_rcm_evaluate(guide_book):
    expected = json.loads(rcm("evaluate", SCENARIOS / "guide-example.yaml", "--json").stdout)
    months = expected["vendors"][0]["timeline"]["months"]
    got = rows(guide_book["Timeline"])
    assert len(got) == len(months) == 36
    for g, m in zip(got, months):
        assert g["month"].value == m["m"]
        assert g["net"].value == pytest.approx(m["net"], abs=0.01)
        assert "$" in g["net"].number_format


def test_summary_and_assumptions(guide_book):
    summary = {r[0].value: r[1].value for r in guide_book["Summary"].iter_rows(min_row=2)}
    assert summary["Best vendor"] == "Guide Billing Co"
    assert summary["Best vendor: net gain per year"] == 51500
    assumptions = [r["assumption"].value for r in rows(guide_book["Assumptions"])]
    assert "Annual collections today (C0)" in assumptions


@pytest.mark.parametrize("scenario", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_exports(tmp_path, scenario):
    proc = rcm("export", scenario, "-o", tmp_path / "x.xlsx")
    assert proc.returncode == 0, proc.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]   # no temporary file left


def test_kpis_sheet_where_claims_data_exists(tmp_path):
    text = (SCENARIOS / "guide-example.yaml").read_text().replace(
        "  baseline_kpis:", f"  claims_files: [{json.dumps(str(DATA / 'ledger_small.csv'))}]\n"
        "  baseline_kpis:", 1)
    scenario = tmp_path / "claims.yaml"
    scenario.write_text(text)
    proc = rcm("export", scenario, "-o", tmp_path / "c.xlsx")
    assert proc.returncode == 0, proc.stderr
    book = load_workbook(tmp_path / "c.xlsx")
    kpis = {r["kpi"].value: r["value"] for r in rows(book["KPIs"]) if r["kpi"].value}
    expected = json.loads(rcm("kpi", DATA / "ledger_small.csv", "--json").stdout)["kpis"]
    assert kpis["denial_rate"].value == pytest.approx(expected["denial_rate"])
    assert "%" in kpis["denial_rate"].number_format


@pytest.mark.parametrize("argv", [["scenarios/guide-example.yaml", "-o", "out.csv"],
                                  ["nonesuch.yaml", "-o", "out.xlsx"]])
def test_bad_input_exits_2(tmp_path, argv):
    argv = [a if not a.startswith("out") else tmp_path / a for a in argv]
    proc = rcm("export", *argv)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []
