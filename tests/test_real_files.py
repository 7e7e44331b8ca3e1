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


@pytest.mark.slow            # the formulas engine loads the workbook (~5 s)
def test_names_with_dots_recompute_in_the_workbook(tmp_path):
    """The workbook's figures still match `rcm evaluate` with dotted names."""
    pytest.importorskip("formulas")
    from rcmmodel.reports.excel import export_workbook
    from test_export_recalc import check
    from xlsx_recalc import Recalc

    path = tmp_path / "dots.yaml"
    path.write_text(DOTTED)
    check(path, Recalc(export_workbook(path, tmp_path / "dots.xlsx")))


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


# ---------------------------------------------------------------- prospect lists from CRMs
CRM_FOLDER = ROOT / "scenarios" / "prospects"
CRM_HEADER = ["Record ID", "Name", "Specialty", "Providers", "Annual Collections",
              "Claims per Month", "Inhouse_Annual_Cost", "Owner", "Stage", "Last Activity"]
CRM_ROW = ["A-17", "Clínica Niño", "family_medicine", "2", "$1,100,000", "850", "90000",
           "Dana", "Qualified", "2024-05-01"]


@pytest.fixture
def offer():
    from rcmmodel.reports.prospects import load_offer

    return load_offer(CRM_FOLDER / "offer-example.yaml")


def _crm(tmp_path, rows, header=CRM_HEADER, sep=",", encoding="utf-8") -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=sep, lineterminator="\r\n").writerows([header, *rows])
    path = tmp_path / "crm.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("sep, encoding", [
    (",", "utf-8"), (",", "utf-8-sig"), (",", "cp1252"), (";", "cp1252"), (";", "utf-8"),
    ("\t", "utf-16"), (",", "utf-16"),
])
def test_a_crm_export_is_read_as_it_comes(tmp_path, offer, sep, encoding):
    """Extra CRM columns, spaced and capitalised headers, Windows-1252, UTF-16 and `;`."""
    from rcmmodel.reports.prospects import read_prospects

    prospects = read_prospects(_crm(tmp_path, [CRM_ROW], sep=sep, encoding=encoding), offer)
    [p] = prospects
    assert p.ok, p.problems
    assert p.name == "Clínica Niño" and p.id == "A-17"
    assert p.scenario["practice"]["annual_collections"] == 1_100_000
    assert prospects.ignored == ["Owner", "Stage", "Last Activity"]


@pytest.mark.parametrize("column, cell, words", [
    ("billing_staff_fte", "1,5", "write 1.5"),
    ("days_in_ar", "45,5", "write 45.5"),
    ("annual_collections", "80.000", "write 80000"),
    ("annual_collections", "1.100.000,50", "write 1100000.50"),
    ("claims_per_month", "1.500", "write 1500"),
    ("net_collection_rate", "0,92", "write 0.92"),
])
def test_decimal_commas_are_refused_with_what_to_write(tmp_path, offer, column, cell, words):
    from rcmmodel.reports.prospects import read_prospects

    header = ["name", "specialty", "providers", "annual_collections", "claims_per_month",
              "billing_staff_fte", "days_in_ar", "net_collection_rate"]
    row = dict(zip(header, ["Acme", "general", "1", "500000", "400", "1", "40", "0.9"]))
    row[column] = cell
    [p] = read_prospects(_crm(tmp_path, [list(row.values())], header=header), offer)
    text = "; ".join(str(x) for x in p.problems)
    assert f"row 2, column {column}" in text and words in text, text


def test_clear_numbers_still_read(tmp_path, offer):
    from rcmmodel.reports.prospects import read_prospects

    header = ["name", "specialty", "providers", "annual_collections", "claims_per_month",
              "billing_staff_fte", "avg_salary", "net_collection_rate"]
    [p] = read_prospects(_crm(tmp_path, [["A", "general", "1", "$1,250,000.50", "1,200", "1.5",
                                          "45000", "0.920"]], header=header), offer)
    assert p.ok, p.problems
    assert p.scenario["practice"]["annual_collections"] == 1_250_000.5
    assert p.scenario["practice"]["claims_per_month"] == 1200


def test_a_duplicated_header_is_an_error_naming_it(tmp_path, offer):
    from rcmmodel.errors import RcmInputError
    from rcmmodel.reports.prospects import read_prospects

    header = CRM_HEADER[:-1] + ["annual_collections"]
    with pytest.raises(RcmInputError, match="annual_collections.*appears 2 times"):
        read_prospects(_crm(tmp_path, [CRM_ROW], header=header), offer)


@pytest.mark.parametrize("raw, words", [
    (b"\x00n\x00a\x00m\x00e\x00", "UTF-16"),
    (b"name,\x81\x8d\n", "Windows-1252"),
])
def test_an_unreadable_encoding_says_how_to_save(tmp_path, offer, raw, words):
    from rcmmodel.errors import RcmInputError
    from rcmmodel.reports.prospects import read_prospects

    path = tmp_path / "crm.csv"
    path.write_bytes(raw)
    with pytest.raises(RcmInputError, match=words) as err:
        read_prospects(path, offer)
    assert "CSV UTF-8" in str(err.value)


def test_names_that_slug_alike_get_their_own_files(tmp_path, offer):
    from rcmmodel.reports.prospects import read_prospects

    names = ["Acme Clinic", "Acme-Clinic", "Acme Clinic 2", "Index", "index",
             "Prospects Summary", "Acme  clinic"]
    rows = [[f"id{i}", n, "general", "1", "500000", "400", "40000", "", "", ""]
            for i, n in enumerate(names)]
    slugs = [p.slug for p in read_prospects(_crm(tmp_path, rows), offer)]
    assert len(set(slugs)) == len(names), slugs
    assert slugs[:3] == ["acme-clinic", "acme-clinic-3", "acme-clinic-2"]
    assert "index" not in slugs and "prospects-summary" not in slugs


def test_control_characters_in_a_name_reach_no_output(tmp_path, offer):
    from rcmmodel.reports.prospects import read_prospects

    rows = [["x", "Evil\x1b[2J\nClinic\x07", "general", "1", "500000", "400", "40000",
             "", "", ""]]
    [p] = read_prospects(_crm(tmp_path, rows), offer)
    assert p.ok and p.name == "Evil [2J Clinic" and p.slug == "evil-2j-clinic"


@pytest.mark.slow            # renders real proposals
def test_prospect_batch_end_to_end_summary_and_files(tmp_path, monkeypatch):
    """`rcm batch --prospects`: ignored columns named once on stderr, the summary's columns,
    BOM and ids, formula-like names neutralised, every prospect its own proposal; the
    worker's temporary copies of the scenarios are gone after."""
    from conftest import rcm_inprocess

    temp = tmp_path / "temp"           # the worker's temporary folder (it starts after this)
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    names = ["Acme Clinic", "Acme-Clinic", "Acme Clinic 2", "Index", "=1+2 Clinic",
             "Broken"]
    rows = [[f"id-{i}", n, "general", "1", "500000", "400", "40000", "Dana", "New", ""]
            for i, n in enumerate(names)]
    rows[-1][3] = "1,5"
    out = tmp_path / "out"
    done = rcm_inprocess("batch", "--prospects", _crm(tmp_path, rows), "--offer",
                         CRM_FOLDER / "offer-example.yaml", "-o", out, "--workers", "1",
                         "--format", "html", "--no-progress")
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("Owner, Stage, Last Activity") == 1, done.stderr
    assert "row 7, column providers" in done.stderr and "Traceback" not in done.stderr
    raw = (out / "prospects-summary.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    summary = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(summary[0]) == ["id", "name", "verdict", "net_gain", "roi", "npv",
                                "payback_month", "warnings", "error", "report"]
    assert [r["id"] for r in summary] == [f"id-{i}" for i in range(len(names))]
    assert summary[4]["name"] == "'=1+2 Clinic"
    assert summary[-1]["error"] and "providers" in summary[-1]["error"]
    good = summary[:-1]
    assert all(r["verdict"] in ("outsource", "stay") for r in good)
    assert all(len(r["roi"].split(".")[-1]) <= 4 for r in good)
    reports = [r["report"] for r in good]
    assert len(set(reports)) == len(reports) and "index.html" not in reports
    index = (out / "index.html").read_text()
    for r in good:
        page = (out / r["report"]).read_text()
        assert r["name"].lstrip("'") in page.replace("&#x27;", "'").replace("&amp;", "&") \
            or r["name"].lstrip("'").replace("+", "&#43;") in page
        assert f'href="./{r["report"]}"' in index
    assert "Proposals from" in index
    assert not list(temp.glob("rcm-batch-*"))
