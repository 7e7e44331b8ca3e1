"""``rcm export``: the live workbook's sheets, inputs stored as numbers with defined names,
formulas where the model computes, values sheets labelled as such, text that never becomes a
formula, KPIs where the scenario has claims data, exit 2 on bad input.

The recomputation of the formulas against ``rcm evaluate`` is in test_export_recalc.py."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import ROOT, SCENARIOS, rcm_inprocess

DATA = Path(__file__).parent / "data"


def rcm(*argv):
    """In-process (fast): the real command's start and exit are smoke-tested in
    test_cli_evaluate.py, test_cli_kpi.py, test_cli_simulate.py and test_broken_inputs.py."""
    return rcm_inprocess(*argv, cwd=ROOT)


VALUE_SHEETS = ["Quotes (values)", "SLA scorecard (values)", "Sensitivity (values)", "Sources (values)"]


@pytest.fixture(scope="module")
def guide_book(tmp_path_factory):
    target = tmp_path_factory.mktemp("export") / "guide.xlsx"
    proc = rcm("export", SCENARIOS / "guide-example.yaml", "-o", target)
    assert proc.returncode == 0, proc.stderr
    return load_workbook(target)


def name_cell(book, name):
    """The cell behind a workbook-level defined name."""
    (sheet, coord), = book.defined_names[name].destinations
    return book[sheet][coord.replace("$", "")]


def test_sheets(guide_book):
    assert guide_book.sheetnames == ["Summary", "Decision", "Inputs", "In-house", "Vendor 1",
                                     *VALUE_SHEETS]
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
    assert ['$B2<>"yes"'] in rules             # an ineligible vendor's row is greyed out


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
    assert "do not recalculate" in guide_book["SLA scorecard (values)"]["A1"].value
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


def test_the_decision_is_formulas_with_the_weights_as_inputs(guide_book):
    """The ranking and the verdict are formulas reading the Inputs sheet; the weights are
    named yellow inputs there, saying whose they are; ``recommended_vendor`` names the
    verdict's cell."""
    ws = guide_book["Decision"]
    header = [c.value for c in ws[4]]
    assert header[:2] == ["vendor", "eligible (BAA)"]
    assert {"planning uplift", "planning net gain a year", "net gain score",
            "SLA commitments score", "due-diligence answers score",
            "contract terms (lock-in) score", "weighted score"} <= set(header)
    row = dict(zip(header, ws[5]))
    assert row["vendor"].value == "Guide Billing Co"
    for title in header[1:]:            # every figure of the ranking is a formula
        assert row[title].data_type == "f", title
    cell = name_cell(guide_book, "recommended_vendor")
    assert cell.parent.title == "Decision" and cell.data_type == "f"
    for criterion, weight in {"financial": 0.40, "sla": 0.25, "due_diligence": 0.20,
                              "contract_risk": 0.15}.items():
        weight_cell = name_cell(guide_book, f"weight_{criterion}")
        assert weight_cell.parent.title == "Inputs" and weight_cell.value == weight
        assert weight_cell.fill.fgColor.rgb.endswith("FFF2CC")     # styled as an input
    notes = {r[0].value: r[3].value for r in guide_book["Inputs"].iter_rows() if r[0].value}
    assert "balanced default weights, which the practice did not set" in \
        notes[name_cell(guide_book, "weight_sla").offset(column=-1).value]


def test_pandas_reads_the_values_of_formula_cells(tmp_path):
    """Viewers that do not recalculate show numbers: each formula cell carries its value."""
    import pandas as pd

    target = tmp_path / "g.xlsx"
    assert rcm("export", SCENARIOS / "guide-example.yaml", "-o", target).returncode == 0
    summary = pd.read_excel(target, sheet_name="Summary")
    guide = summary.set_index("vendor").loc["Guide Billing Co"]
    assert guide["net gain"] == pytest.approx(51500) and guide["NPV"] > 0
    assert guide["planning net gain"] == pytest.approx(51500)
    cells = pd.read_excel(target, sheet_name="Decision", header=None)
    assert "Outsource to Guide Billing Co" in cells[1].tolist()
    month = pd.read_excel(target, sheet_name="Vendor 1")
    assert month["net"].notna().sum() == 36 and month["cumulative"].iloc[-1] > 0
    raw = load_workbook(target)          # and they are formulas all the same
    assert raw["Summary"]["C2"].data_type == "f"


def test_a_preset_and_the_claims_cap_are_inputs(tmp_path):
    """With a priorities preset the Inputs sheet holds the preset's weights, said to be the
    practice's choice; with usable claims the cap of every uplift is an input measured from
    claims, and each vendor plans on MIN(quote, cap)."""
    import yaml

    data = yaml.safe_load((SCENARIOS / "family-practice-claims.yaml").read_text())
    data["ranking"] = {"priority": "money_first"}
    (tmp_path / "claims").symlink_to(SCENARIOS / "claims")
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(data))
    assert rcm("export", tmp_path / "s.yaml", "-o", tmp_path / "s.xlsx").returncode == 0
    book = load_workbook(tmp_path / "s.xlsx")
    assert name_cell(book, "weight_financial").value == 0.70
    notes = {r[0].value: r[3].value for r in book["Inputs"].iter_rows() if r[0].value}
    cap = name_cell(book, "evidence_high")
    assert cap.parent.title == "Inputs" and 0 < cap.value < 0.2
    assert notes[cap.offset(column=-1).value].startswith("Measured from claims")
    assert "money-first priorities the practice chose" in \
        notes[name_cell(book, "weight_financial").offset(column=-1).value]
    by_label = {r[0].value: r[1].value for r in book["Vendor 1"].iter_rows() if r[0].value}
    assert by_label["Planning uplift (what the decision plans on)"] == \
        "=MIN(vendor1_uplift,evidence_high)"
    assert "planned net" in [c.value for c in book["Vendor 1"][1]]


def test_sensitivity_is_for_the_recommended_vendor(tmp_path):
    """The tornado sheet is about the vendor the decision recommends (as the reports'),
    not the one with the highest net gain."""
    path = Path(__file__).parent / "data_vendors" / "decision-conflict.yaml"
    assert rcm("export", path, "-o", tmp_path / "c.xlsx").returncode == 0
    intro = load_workbook(tmp_path / "c.xlsx")["Sensitivity (values)"]["A1"].value
    assert "Steady Claims" in intro and "LockIn" not in intro
