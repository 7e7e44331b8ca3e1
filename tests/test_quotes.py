"""Quote import: vendors_file as CSV or Excel, the column layout, bad rows named by row and column."""
import shutil
from pathlib import Path

import pytest

from rcmmodel import RcmInputError, evaluate, load_scenario, parse_scenario
from rcmmodel.scenario.quotes import COLUMNS, read_quotes

DATA = Path(__file__).parent / "data_vendors"
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def good():
    return {v.name: v for v in read_quotes(DATA / "quotes-good.csv")}


def test_rows_become_vendors(good):
    assert list(good) == ["Pct", "Claims", "Hybrid", "Tiers", "Charges"]   # blank line skipped


def test_percentage_row(good):
    v = good["Pct"]
    assert (v.pricing.model, v.pricing.rate, v.pricing.base) == ("percentage", 0.07, "collections")
    assert v.fees.setup == 1500 and v.fees.per_statement == 0.5
    assert v.fees.other_annual == {"denial_management": 1200, "portal": 600}
    assert v.uplift == 0.10
    assert v.sla.model_dump() == {"days_in_ar": 30, "clean_claim_rate": 0.95,
                                  "net_collection_rate": 0.96, "denial_rate": 0.05,
                                  "ar_over_90": 0.12}
    assert v.contract.model_dump() == {"term_months": 24, "termination_fee": 5000,
                                       "notice_days": 90, "auto_renewal": True}
    assert v.profile.model_dump() == {
        "specialty_experience": True, "certified_coders": True, "baa_offered": True,
        "realtime_dashboard": True, "data_export_on_exit": False, "encryption": None,
        "disaster_recovery": None, "dedicated_account_manager": None}


def test_other_pricing_models(good):
    c = good["Claims"]
    assert (c.pricing.model, c.pricing.fee) == ("per_claim", 4.25)
    assert (c.fees.monthly_minimum, c.fees.per_provider_monthly,
            c.fees.credentialing_per_provider) == (2000, 25, 150)
    assert c.sla is None                               # all SLA cells blank: no SLA
    assert c.contract.auto_renewal is False
    h = good["Hybrid"]
    assert (h.pricing.model, h.pricing.monthly_base, h.pricing.rate) == ("hybrid", 750, 0.04)
    assert h.sla.days_in_ar == 28 and h.sla.clean_claim_rate is None
    assert h.contract.term_months is None                # blank: not stated, never a default
    t = good["Tiers"]
    assert [(x.up_to, x.rate) for x in t.pricing.tiers] == [(250000, 0.06), (500000, 0.05),
                                                            (None, 0.04)]
    assert t.profile.baa_offered is False
    assert good["Charges"].pricing.base == "charges"


def test_scenario_appends_quotes_after_inline_vendors():
    s = load_scenario(DATA / "with-quotes.yaml")
    assert [v.name for v in s.vendors] == ["Inline", "Pct", "Claims", "Hybrid", "Tiers",
                                           "Charges"]
    assert s.source.endswith("with-quotes.yaml")
    result = evaluate(s)
    # Pct: 7% of 550,000 + 0.5 x 100 x 12 statements + 1,800 extras
    assert float(result.vendor("Pct").figures.vendor_cost) == pytest.approx(38500 + 600 + 1800)
    assert float(result.vendor("Pct").figures.one_time) == 1500
    assert result.best.name != "Tiers"                   # no BAA


def test_example_quotes_scenario():
    s = load_scenario(SCENARIOS / "family-practice-quotes.yaml")
    assert [v.name for v in s.vendors] == ["AllIn Billing", "LowRate RCM", "SteadyClaim",
                                           "ShoreSide Billing", "TierWise RCM"]
    assert s.vendors[1].pricing.rate == pytest.approx(0.045)      # "4.5%"


def test_excel_reads_like_csv(tmp_path, good):
    import pandas as pd
    frame = pd.read_csv(DATA / "quotes-good.csv", dtype=str, keep_default_na=False)
    # numbers as numbers, as a spreadsheet stores them
    for col in ("uplift", "fee", "monthly_base", "term_months", "sla_days_in_ar"):
        frame[col] = pd.to_numeric(frame[col].replace("", None))
    frame["baa_offered"] = frame["baa_offered"].map({"true": True, "yes": True, "no": False,
                                                     "": None})
    path = tmp_path / "quotes.xlsx"
    frame.to_excel(path, index=False)
    got = {v.name: v for v in read_quotes(path)}
    assert list(got) == list(good)
    for name in good:
        assert got[name] == good[name], name


def test_vendors_file_relative_to_scenario(tmp_path):
    shutil.copy(DATA / "with-quotes.yaml", tmp_path / "s.yaml")
    (tmp_path / "quotes").mkdir()
    shutil.copy(DATA / "quotes-good.csv", tmp_path / "quotes" / "q.csv")
    text = (tmp_path / "s.yaml").read_text().replace("quotes-good.csv", "quotes/q.csv")
    (tmp_path / "s.yaml").write_text(text)
    assert len(load_scenario(tmp_path / "s.yaml").vendors) == 6


def test_column_layout_is_documented():
    """The module names its own columns; the pricing columns come from the registry and
    the generated reference lists them all."""
    import rcmmodel.scenario.quotes as q
    from rcmmodel.scenario.reference_text import _quotes_sheet

    reference = "\n".join(_quotes_sheet())
    for column in COLUMNS:
        assert column in reference, column
        if column not in q.PRICING:
            assert column in q.__doc__, column


BAD = DATA / "quotes-bad.csv"


@pytest.fixture(scope="module")
def bad_problems():
    with pytest.raises(RcmInputError) as err:
        load_scenario(DATA / "with-bad-quotes.yaml")
    return err.value.problems


@pytest.mark.parametrize("where, message", [
    ("row 3, column rate", "must be a number, got 'abc'"),
    ("row 4, column rate", "must be at most 1"),
    ("row 5, column rate", "required for percentage pricing"),
    ("row 6, column fee", "required for per_claim pricing"),
    ("row 7, column pricing_model", "'percentage'"),
    ("row 8, column tiers", "must be 'up_to:rate'"),
    ("row 9, column other_annual", "must be 'name=amount'"),
    ("row 10, column baa_offered", "must be yes or no"),
    ("row 11, column sla_days_in_ar", "must be at least 0"),
    ("row 12, column term_months", "whole number"),
    ("row 13, column name", "duplicate vendor name 'Good'"),
    ("row 14, column name", "required"),
])
def test_bad_rows_named_by_row_and_column(bad_problems, where, message):
    found = [p for p in bad_problems if p.where == where]
    assert found, [p.where for p in bad_problems]
    assert message in found[0].message
    assert found[0].file == str(BAD)


def test_every_bad_row_reported_once(bad_problems):
    rows = [p.where.split(",")[0] for p in bad_problems]
    assert list(dict.fromkeys(rows)) == [f"row {n}" for n in range(3, 15)]   # row 2 is good
    assert len(set(bad_problems)) == len(bad_problems)


def test_unknown_column():
    with pytest.raises(RcmInputError) as err:
        read_quotes(DATA / "quotes-unknown-column.csv")
    assert err.value.problems[0].where == "column price"
    assert "unknown column" in err.value.problems[0].message


def test_empty_sheet():
    with pytest.raises(RcmInputError, match="no quotes"):
        read_quotes(DATA / "quotes-empty.csv")


def _scenario(vendors_file, charges=None, vendors=()):
    practice = {"annual_collections": 500000, "claims_per_month": 400,
                "patient_statements_per_month": 100}
    if charges:
        practice["annual_charges"] = charges
    return {"schema": "rcmmodel/v1", "name": "x", "practice": practice,
            "inhouse": {"annual_cost": 40000}, "vendors": list(vendors),
            "vendors_file": str(vendors_file)}


def test_missing_file_named():
    with pytest.raises(RcmInputError) as err:
        parse_scenario(_scenario(DATA / "nope.csv"), "s.yaml")
    assert err.value.problems[0].file.endswith("nope.csv")
    assert "no such file" in err.value.problems[0].message


def test_wrong_extension(tmp_path):
    path = tmp_path / "quotes.txt"
    path.write_text("name\n")
    with pytest.raises(RcmInputError, match=r"\.csv or \.xlsx"):
        read_quotes(path)


def test_charges_quote_needs_annual_charges():
    with pytest.raises(RcmInputError) as err:
        parse_scenario(_scenario(DATA / "quotes-good.csv"), "s.yaml")
    assert [(p.where, p.message.split(" ")[0]) for p in err.value.problems] == [
        ("row 7, column base", "pricing")]


def test_name_clash_with_inline_vendor():
    inline = {"name": "Pct", "pricing": {"model": "percentage", "rate": 0.05}}
    with pytest.raises(RcmInputError) as err:
        parse_scenario(_scenario(DATA / "quotes-good.csv", charges=900000, vendors=[inline]),
                       "s.yaml")
    assert err.value.problems[0].where == "row 2, column name"


def test_excel_bad_cell_row_counts_blank_rows(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["Name", "pricing_model", "rate"], ["A", "percentage", 0.05],
                [None, None, None], ["B", "percentage", "abc"]):
        sheet.append(row)
    book.save(tmp_path / "q.xlsx")
    with pytest.raises(RcmInputError) as err:
        read_quotes(tmp_path / "q.xlsx")
    assert [p.where for p in err.value.problems] == ["row 4, column rate"]


@pytest.mark.parametrize("encoding, bom", [("utf-8", True), ("cp1252", False)])
def test_a_sheet_as_excel_saves_it(tmp_path, encoding, bom):
    """Headers as typed ('Pricing Model', 'BAA offered'), CRLF, and the encodings Excel
    saves (UTF-8 with a byte-order mark; Windows-1252 as plain "CSV")."""
    text = ("Name,Pricing Model,Rate,Uplift,BAA offered\r\n"
            "Señor Billing,percentage,7%,0.10,yes\r\nAcme,percentage,0.06,0.08,no\r\n")
    path = tmp_path / "quotes.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding))
    a, b = read_quotes(path)
    assert (a.name, a.pricing.rate, a.profile.baa_offered) == ("Señor Billing", 0.07, True)
    assert (b.name, b.profile.baa_offered) == ("Acme", False)


def test_a_utf16_sheet_says_how_to_save_it(tmp_path):
    path = tmp_path / "quotes.csv"
    path.write_bytes("name,pricing_model,rate\r\nA,percentage,0.07\r\n".encode("utf-16"))
    with pytest.raises(RcmInputError, match="CSV UTF-8"):
        read_quotes(path)
