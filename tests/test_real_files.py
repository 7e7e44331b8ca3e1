"""Files as they come from real systems: control characters in names, dots in cost names,
huge amounts, far dates, zero volumes and CRM exports (docs/methodology.md §7, §9, §11).
Each test here failed before its fix."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import ROOT

DATA = ROOT / "tests" / "data"
NASTY = "Aetna\x1b[31m\x07\x0bPPO"


def _ledger_with_payer(tmp_path, payer: str) -> Path:
    rows = list(csv.reader(io.StringIO((DATA / "ledger_small.csv").read_text())))
    col = rows[0].index("payer")
    for r in rows[1:]:
        if r[col] == "Aetna":
            r[col] = payer
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "ledger.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _835_with_payer(tmp_path, payer: str) -> Path:
    path = tmp_path / "remit.835"
    path.write_bytes((DATA / "lines_a.835").read_bytes().replace(
        b"N1*PR*ACME HEALTH PLAN", b"N1*PR*" + payer.encode()))
    return path


@pytest.mark.parametrize("make", [_ledger_with_payer, _835_with_payer], ids=["ledger", "835"])
def test_control_characters_in_a_payer_name_leave_charts_drawable(tmp_path, make):
    """ESC, BEL and VT in N1*PR or a ledger's payer cell stopped the chart renderer."""
    from rcmmodel.claims.review import load_claims, summarize
    from rcmmodel.describe import is_control
    from rcmmodel.present import charts_claims
    from rcmmodel.present.charts import to_svg

    review = summarize(load_claims(make(tmp_path, NASTY)))
    names = [p["payer"] for p in review["payers"]]
    assert "Aetna [31m PPO" in names or "Aetna [31m PPO" in str(review), names
    assert not any(is_control(c) for n in names if n for c in n)
    drawn = 0
    for chart in (charts_claims.denials_by_category, charts_claims.days_to_pay,
                  charts_claims.aging_stack):
        figure = chart(review)
        if figure is not None:
            assert "<svg" in to_svg(figure)
            drawn += 1
    assert drawn >= 2


DOTTED = """schema: rcmmodel/v1
name: Dots
practice: {annual_collections: 500000, claims_per_month: 400}
inhouse:
  staff: [{role: Biller, fte: 1, salary: 40000}]
  costs: {"misc. supplies": 1200, "E.H.R. portal": 3000}
vendors:
  - name: Acme
    pricing: {model: percentage, rate: 0.06}
    uplift: 0.05
    fees: {other_annual: {"E.H.R. portal": 500, "a.b": 100}}
"""


def test_names_with_dots_export_and_show_in_the_assumptions(tmp_path):
    """A cost or extra fee named with a "." passed validation, then `rcm export` crashed:
    the field path was split on its dots."""
    from conftest import rcm_inprocess
    from openpyxl import load_workbook

    from rcmmodel import evaluate
    from rcmmodel.present.assumptions import assumptions
    from rcmmodel.scenario import load_scenario

    path = tmp_path / "dots.yaml"
    path.write_text(DOTTED)
    assert rcm_inprocess("validate", path).returncode == 0
    done = rcm_inprocess("export", path, "-o", tmp_path / "dots.xlsx")
    assert done.returncode == 0, done.stderr
    book = load_workbook(tmp_path / "dots.xlsx")
    labels = {str(c.value) for row in book["Inputs"].iter_rows() for c in row if c.value}
    assert any("misc. supplies" in t for t in labels), labels
    assert any("E.H.R. portal" in t for t in labels), labels
    scenario = load_scenario(path)
    rows = {r["item"]: r["value"] for r in assumptions(scenario, evaluate(scenario))}
    assert "misc. supplies $1,200" in rows["Other in-house costs a year"]
    assert "E.H.R. portal $3,000" in rows["Other in-house costs a year"]
    assert "E.H.R. portal $500 a year" in rows["Acme"] and "a.b $100 a year" in rows["Acme"]


def test_names_with_dots_recompute_in_the_workbook(tmp_path):
    """The workbook's figures still match `rcm evaluate` with dotted names."""
    pytest.importorskip("formulas")
    from test_export_recalc import check

    path = tmp_path / "dots.yaml"
    path.write_text(DOTTED)
    check(path, tmp_path)


@pytest.mark.parametrize("amount", ["1e308", "-1e308", "1000000000000", "2e12"])
@pytest.mark.parametrize("column", ["charge", "insurance_paid", "contractual_adjustment"])
def test_absurd_ledger_amounts_are_refused_by_row_and_column(tmp_path, column, amount):
    from conftest import rcm_inprocess

    rows = list(csv.reader(io.StringIO((DATA / "ledger_small.csv").read_text())))
    rows[3][rows[0].index(column)] = amount
    path = tmp_path / "ledger.csv"
    with open(path, "w", newline="") as f:
        csv.writer(f).writerows(rows)
    done = rcm_inprocess("kpi", path)
    assert done.returncode == 2, done.stdout
    assert f"row 4, column {column}" in done.stderr and "too large" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("as_of, words", [
    ("9999-12-31", ["out of range", "2262-04-11"]),
    ("0001-01-01", ["out of range", "1677-09-22"]),
    ("2024-02-30", ["not a date", "YYYY-MM-DD"]),
    ("yesterday", ["not a date", "YYYY-MM-DD"]),
])
def test_as_of_out_of_range_says_so(as_of, words):
    from conftest import rcm_inprocess

    done = rcm_inprocess("kpi", DATA / "ledger_small.csv", "--as-of", as_of)
    assert done.returncode == 2 and "--as-of" in done.stderr
    assert all(w in done.stderr for w in words), done.stderr


ZERO_BASE = {"schema": "rcmmodel/v1", "name": "Zero",
             "practice": {"annual_collections": 500000, "claims_per_month": 400},
             "inhouse": {"annual_cost": 40000}}


@pytest.mark.parametrize("practice, vendor, fee", [
    ({"patient_statements_per_month": 0},
     {"pricing": {"model": "percentage", "rate": 0.06}, "fees": {"per_statement": 0.75}},
     "per_statement"),
    ({"claims_per_month": 0}, {"pricing": {"model": "per_claim", "fee": 4.5}}, "service_fee"),
    ({"annual_charges": 0}, {"pricing": {"model": "percentage", "rate": 0.06,
                                         "base": "charges"}}, "service_fee"),
])
def test_a_volume_stated_as_zero_prices_its_fee_at_zero(practice, vendor, fee):
    """An explicit 0 is a fact (docs/methodology.md §9); only a missing volume is an error."""
    from rcmmodel import evaluate
    from rcmmodel.errors import RcmInputError
    from rcmmodel.scenario import parse_scenario

    data = {**ZERO_BASE, "practice": {**ZERO_BASE["practice"], **practice},
            "vendors": [{"name": "Acme", "uplift": 0.05, **vendor}]}
    if fee == "per_statement":
        result = evaluate(parse_scenario(data)).to_dict()
        with_fee = result["vendors"][0]["annual"]["service_fee"]
        data["vendors"][0].pop("fees")
        assert evaluate(parse_scenario(data)).to_dict()["vendors"][0]["annual"][
            "service_fee"] == with_fee                       # 0 statements cost $0
    else:
        assert evaluate(parse_scenario(data)).to_dict()["vendors"][0]["annual"][fee] == 0
    key = next(iter(practice))
    del data["practice"][key]                                # missing: still an error
    if fee == "per_statement":
        data["vendors"][0]["fees"] = vendor["fees"]
    with pytest.raises(RcmInputError, match=f"practice.{key}"):
        parse_scenario(data)
    data["practice"][key] = None                             # null: missing too
    with pytest.raises(RcmInputError, match=f"practice.{key}"):
        parse_scenario(data)


def test_a_quotes_sheet_beside_a_zero_volume_is_accepted(tmp_path):
    """The same rule for quotes read from a vendors_file (checked with the practice as stated)."""
    from rcmmodel.scenario import load_scenario

    (tmp_path / "q.csv").write_text("name,pricing_model,rate,per_statement,uplift\n"
                                    "Acme,percentage,0.06,0.75,0.05\n")
    (tmp_path / "s.yaml").write_text(
        "schema: rcmmodel/v1\nname: Z\npractice: {annual_collections: 500000, "
        "claims_per_month: 400, patient_statements_per_month: 0}\n"
        "inhouse: {annual_cost: 40000}\nvendors_file: q.csv\n")
    assert [v.name for v in load_scenario(tmp_path / "s.yaml").vendors] == ["Acme"]
