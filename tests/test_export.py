"""``rcm export``: the live workbook's sheets, inputs stored as numbers with defined names,
formulas where the model computes, values sheets labelled as such, text that never becomes a
formula, KPIs where the scenario has claims data, exit 2 on bad input.

The recomputation of the formulas against ``rcm evaluate`` is in test_export_recalc.py."""
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


VALUE_SHEETS = ["Ranking (values)", "SLA scorecard (values)", "Sensitivity (values)",
                "Sources (values)"]


@pytest.fixture(scope="module")
def guide_book(tmp_path_factory):
    target = tmp_path_factory.mktemp("export") / "guide.xlsx"
    proc = rcm_subprocess("export", SCENARIOS / "guide-example.yaml", "-o", target)
    assert proc.returncode == 0, proc.stderr
    return load_workbook(target)


def name_cell(book, name):
    """The cell behind a workbook-level defined name."""
    (sheet, coord), = book.defined_names[name].destinations
    return book[sheet][coord.replace("$", "")]


def test_sheets(guide_book):
    assert guide_book.sheetnames == ["Summary", "Inputs", "In-house", "Vendor 1", *VALUE_SHEETS]
    assert guide_book.active.title == "Summary"


def test_summary_header_names_vendor_once_and_net_gain(guide_book):
    ws = guide_book["Summary"]
    headers = [c.value for c in ws[1]]
    assert headers.count("vendor") == 1 and "net gain" in headers
    assert ws.freeze_panes == "B2"
    row = dict(zip(headers, ws[2]))
    assert row["vendor"].value == "Guide Billing Co" and row["vendor"].data_type == "s"
    assert row["net gain"].data_type == "f" and "$" in row["net gain"].number_format
    assert "%" in row["ROI"].number_format
    rules = [r.formula for cf in ws.conditional_formatting for r in cf.rules]
    assert ["$B2=FALSE"] in rules              # an ineligible vendor's row is greyed out


def test_inputs_are_numbers_with_defined_names(guide_book):
    cell = name_cell(guide_book, "annual_collections")
    assert cell.parent.title == "Inputs"
    assert cell.value == 500000 and cell.data_type == "n" and "$" in cell.number_format
    for name, value in {"claims_per_month": 400, "providers": 1, "inhouse_annual_cost": 40000,
                        "horizon_months": 36, "discount_rate": 0.08, "parallel_run_days": 45,
                        "ramp_days": 90, "vendor1_rate": 0.07, "vendor1_uplift": 0.10,
                        "vendor1_setup": 0, "vendor1_monthly_minimum": 0,
                        "vendor1_per_statement": 0, "vendor1_per_provider_monthly": 0,
                        "vendor1_credentialing_per_provider": 0}.items():
        cell = name_cell(guide_book, name)
        assert cell.value == pytest.approx(value) and cell.data_type == "n", name
    assert "%" in name_cell(guide_book, "discount_rate").number_format
    ws = guide_book["Inputs"]
    assert ws.freeze_panes == "A2"
    named = [r for r in ws.iter_rows(min_row=2) if r[2].value]
    assert len(named) > 30
    for r in named:         # every named input is a number, a yes/no, or plainly not stated
        assert r[1].data_type == "n" or r[1].value in ("yes", "no", "not stated"), r[0].value
    names = {r[2].value for r in named}
    assert names <= set(guide_book.defined_names)
    assert name_cell(guide_book, "vendor1_baa_offered").value == "yes"


def test_every_input_of_a_rich_scenario_is_named(tmp_path):
    scenario = SCENARIOS / "orthopaedic-group.yaml"
    assert rcm("export", scenario, "-o", tmp_path / "o.xlsx").returncode == 0
    book = load_workbook(tmp_path / "o.xlsx")
    names = set(book.defined_names)
    assert {"staff1_fte", "staff3_salary", "payroll_tax_rate", "benefits_rate", "cost_software",
            "cost_office_space", "turnover_rate", "cost_per_departure", "residual_cost",
            "vendor1_tier1_up_to", "vendor1_tier2_rate", "vendor1_tier3_rate",
            "vendor2_coding_audit", "vendor3_rate", "annual_charges",
            "patient_statements_per_month", "vendor1_baa_offered"} <= names
    assert name_cell(book, "cost_office_space").value == 12000
    labels = [r[0].value for r in book["Inputs"].iter_rows(min_row=2) if r[0].value]
    assert "Tier 2 rate (from $2,000,000 to $4,000,000)" in labels
    assert "Tier 3 rate (above $4,000,000)" in labels
    # the tornado names inputs as the Inputs sheet does, never by a field path
    tornado = book["Sensitivity (values)"]
    rows = [[c.value for c in r] for r in tornado.iter_rows(min_row=3)]
    assert rows and all("[" not in r[0] and "." not in r[0] for r in rows)
    assert ["Certified coder's FTE", "staff2_fte", 2, 1.6, 2.4] in \
        [r[:5] for r in rows]
    assert name_cell(book, "vendor1_tier2_up_to").value == 4000000


def test_formula_sheets_compute_from_names(guide_book):
    ws = guide_book["Vendor 1"]
    by_label = {r[0].value: r[1] for r in ws.iter_rows(min_row=2) if r[0].value}
    assert by_label["Collections today (C0)"].value == "=annual_collections"
    npv = by_label["Net present value over the horizon"].value
    assert npv.startswith("=NPV($B$") and npv.endswith("2:M37)")     # 36 months, rows 2-37
    assert by_label["Discount rate a month"].value == "=(1+discount_rate)^(1/12)-1"
    formulas = sum(c.data_type == "f" for row in ws.iter_rows() for c in row)
    assert formulas > 36 * 10
    assert ws.freeze_panes == "A2"
    header = [c.value for c in ws[1]]
    assert {"month", "ramp", "overlap", "uplift", "savings", "vendor", "net"} <= set(header)
    inhouse = guide_book["In-house"]
    assert inhouse["B2"].value == "=inhouse_annual_cost"


def test_value_sheets_say_they_hold_values(guide_book):
    for title in VALUE_SHEETS:
        ws = guide_book[title]
        assert "(values)" in title
        cells = [c for row in ws.iter_rows() for c in row]
        assert not any(c.data_type == "f" for c in cells), title
        assert ws.freeze_panes == "A3"
    assert "do not recalculate" in guide_book["Ranking (values)"]["A1"].value
    ranking = guide_book["Ranking (values)"]
    assert [c.value for c in ranking[2]][:2] == ["rank", "vendor"]
    assert ranking["B3"].value == "Guide Billing Co"
    scorecard = [r[1].value for r in guide_book["SLA scorecard (values)"].iter_rows(min_row=3)]
    assert len(scorecard) >= 4


HOSTILE = '=WEBSERVICE("http://x")'


def test_text_from_inputs_never_becomes_a_formula(tmp_path):
    import yaml

    quotes = tmp_path / "quotes.csv"
    quotes.write_text("name,pricing_model,rate,uplift\n"
                      '"=HYPERLINK(""http://x"",""y"")",percentage,0.05,0.1\n'
                      "@SUM(A1),percentage,0.06,0.1\n")
    data = {"schema": "rcmmodel/v1", "name": "+cmd|' /C calc'!A0",
            "practice": {"annual_collections": 500000, "specialty": "-2+3"},
            "inhouse": {"staff": [{"role": "=1+1", "fte": 1, "salary": 40000}],
                        "costs": {"=software": 1000}},
            "vendors": [{"name": HOSTILE, "pricing": {"model": "percentage", "rate": 0.07},
                         "uplift": 0.1, "fees": {"other_annual": {"=evil": 100}}}],
            "vendors_file": "quotes.csv"}
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    proc = rcm("export", tmp_path / "s.yaml", "-o", tmp_path / "s.xlsx")
    assert proc.returncode == 0, proc.stderr
    book = load_workbook(tmp_path / "s.xlsx")
    hostile = ("WEBSERVICE", "HYPERLINK", "SUM(A1)", "calc", "=1+1", "-2+3", "=evil", "=software")
    seen = set()
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and any(h in c.value for h in hostile):
                    if c.data_type == "f":
                        pytest.fail(f"{ws.title}!{c.coordinate} is a formula: {c.value}")
                    assert c.data_type == "s"
                    seen.add(c.value)
    assert HOSTILE in seen and '=HYPERLINK("http://x","y")' in seen and "@SUM(A1)" in seen
    assert {"+cmd|' /C calc'!A0", "-2+3", "=1+1's salary", "=software"} <= seen
    summary = [r[0].value for r in book["Summary"].iter_rows(min_row=2, max_row=4)]
    assert summary == [HOSTILE, '=HYPERLINK("http://x","y")', "@SUM(A1)"]
    assert all(r[0].data_type == "s" for r in book["Summary"].iter_rows(min_row=2, max_row=4))
    # no formula, and no defined name, carries any of the input's text
    formulas = [c.value for ws in book.worksheets for r in ws.iter_rows() for c in r
                if c.data_type == "f"]
    for text in ("WEBSERVICE", "HYPERLINK", "evil", "software", "calc"):
        assert not any(text.lower() in f.lower() for f in formulas), text
        assert not any(text.lower() in n.lower() for n in book.defined_names), text
    assert {"cost_1", "vendor1_extra1"} <= set(book.defined_names)


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
    ws = book["KPIs (values)"]
    kpis = {r[0].value: r[1] for r in ws.iter_rows(min_row=3) if r[0].value}
    expected = json.loads(rcm("kpi", DATA / "ledger_small.csv", "--json").stdout)["kpis"]
    assert kpis["Denial rate"].value == pytest.approx(expected["denial_rate"])
    assert "%" in kpis["Denial rate"].number_format


@pytest.mark.parametrize("argv", [["scenarios/guide-example.yaml", "-o", "out.csv"],
                                  ["nonesuch.yaml", "-o", "out.xlsx"]])
def test_bad_input_exits_2(tmp_path, argv):
    argv = [a if not a.startswith("out") else tmp_path / a for a in argv]
    proc = rcm("export", *argv)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_workbook_bytes_is_what_rcm_export_writes(tmp_path):
    """The app's download and the command give the same workbook for the same scenario."""
    import io

    from rcmmodel.reports import export_workbook, workbook_bytes
    from rcmmodel.scenario import load_scenario

    path = SCENARIOS / "physical-therapy.yaml"
    written = load_workbook(export_workbook(path, tmp_path / "p.xlsx"))
    in_memory = load_workbook(io.BytesIO(workbook_bytes(load_scenario(path))))
    assert written.sheetnames == in_memory.sheetnames
    for a, b in zip(written.worksheets, in_memory.worksheets):
        assert [[c.value for c in r] for r in a.iter_rows()] == \
            [[c.value for c in r] for r in b.iter_rows()], a.title
    assert set(written.defined_names) == set(in_memory.defined_names)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml"))
                         + [Path(__file__).parent / "data_vendors" / "with-quotes.yaml"],
                         ids=lambda p: p.stem)
def test_every_number_the_model_reads_is_a_named_input(path):
    """Each numeric input of the model (the same list the sensitivity swings) has a row on
    the Inputs sheet and a defined name."""
    from openpyxl import Workbook

    from rcmmodel.model.inputs import main_fields
    from rcmmodel.reports.excel_cells import Names
    from rcmmodel.reports.excel_inputs import InputsSheet
    from rcmmodel.scenario import load_scenario

    scenario = load_scenario(path)
    wb = Workbook()
    sheet = InputsSheet(wb, Names(wb)).write(scenario)
    missing = set(main_fields(scenario)) - set(sheet.by_path)
    assert missing == set()
    assert set(sheet.by_path.values()) <= set(wb.defined_names)


def test_inputs_sheet_names_no_claims_file_and_gives_every_source(tmp_path):
    """A claims file's name can carry a patient's name: the workbook counts the files.
    Every number says where it comes from, and no default is called the practice's."""
    import shutil

    from openpyxl import load_workbook

    from rcmmodel.reports.excel import export_workbook

    folder = tmp_path / "claims"
    folder.mkdir()
    shutil.copy(SCENARIOS / "claims" / "family-practice-ledger.csv",
                folder / "smith_john_remit.csv")
    text = (SCENARIOS / "family-practice-claims.yaml").read_text().replace(
        "claims/family-practice-ledger.csv", "claims/smith_john_remit.csv")
    (tmp_path / "s.yaml").write_text(text)
    book = load_workbook(export_workbook(tmp_path / "s.yaml", tmp_path / "s.xlsx"))
    cells = [str(c) for ws in book for row in ws.iter_rows(values_only=True) for c in row if c]
    assert not any("smith" in c.lower() for c in cells)
    notes = {r[0]: r[3] for r in book["Inputs"].iter_rows(values_only=True) if r[0]}
    assert notes["Claims files"] and "1 file" in [c for c in cells if c == "1 file"]
    assert "Measured from claims (2026-06-01 to 2026-09-09)" in notes["Today's net collection rate"]
    assert "Assumption" in notes["Discount rate (a year)"]
    assert "Practice's figures" not in notes["Discount rate (a year)"]
    assert "Vendor's quote" in notes["Fee rate"]
