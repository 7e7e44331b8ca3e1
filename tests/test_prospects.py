"""The prospect list and the offer (docs/methodology.md §11): each row becomes the scenario
that section defines, a bad row is named by row and column while the others stand, and what
is written for the CRM and the browser is safe (no formulas, no markup, no script links).
Fast: no rendering."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from conftest import ROOT
from rcmmodel.errors import RcmInputError
from rcmmodel.model.evaluate import evaluate
from rcmmodel.reports import batch_index
from rcmmodel.reports.batch import Outcome
from rcmmodel.reports.prospect_batch import write_summary
from rcmmodel.reports.prospects import load_offer, read_prospects, slugify
from rcmmodel.scenario import parse_scenario
from rcmmodel.scenario.salaries import NATIONAL, default_salary

EXAMPLES = ROOT / "scenarios" / "prospects"
OFFER = EXAMPLES / "offer-example.yaml"
HEADER = ("name,specialty,providers,annual_collections,claims_per_month,inhouse_annual_cost,"
          "billing_staff_fte,avg_salary,days_in_ar,net_collection_rate\n")


@pytest.fixture
def offer():
    return load_offer(OFFER)


def write(tmp_path, rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "list.csv"
    path.write_text(header + rows, encoding="utf-8")
    return path


def test_examples_are_valid(offer):
    prospects = read_prospects(EXAMPLES / "prospects-example.csv", offer)
    assert len(prospects) >= 6 and all(p.ok for p in prospects)
    assert len({p.slug for p in prospects}) == len(prospects)


def test_row_becomes_the_scenario_spec_8_defines(tmp_path, offer):
    path = write(tmp_path, "Solo Clinic,family_medicine,1,500000,400,40000,,,45,0.9\n")
    [p] = read_prospects(path, offer)
    s = p.scenario
    assert s["name"] == "Solo Clinic" and s["vendors"] == [offer["vendor"]]
    assert s["timeline"] == offer["timeline"]
    assert s["practice"] == {"specialty": "family_medicine", "providers": 1,
                             "annual_collections": 500000.0, "claims_per_month": 400.0,
                             "baseline_kpis": {"days_in_ar": 45.0, "net_collection_rate": 0.9}}
    # A total in-house cost is the whole cost: the offer's component defaults do not apply.
    assert s["inhouse"] == {"annual_cost": 40000.0}
    # Hand-computed from the offer (6.5% of C1, 5% uplift, $750 minimum a month):
    # C1 = 525,000; fee 34,125; net = 25,000 + 40,000 - 34,125 = 30,875.
    figures = evaluate(parse_scenario(s)).vendors[0].figures
    assert float(figures.net_gain) == pytest.approx(30_875.0)


def test_staff_without_salary_uses_the_cited_default(tmp_path, offer):
    path = write(tmp_path, "Two Billers,orthopaedics,3,2000000,900,,2,,,\n"
                           "Own Salary,orthopaedics,3,2000000,900,,2,51000,,\n")
    cited, own = read_prospects(path, offer)
    staff = cited.scenario["inhouse"]["staff"][0]
    assert staff["salary"] == default_salary("orthopaedics").amount == NATIONAL.amount == 48780
    assert staff["role"] == "Billing staff (BLS median pay 2023)"   # the proposal says whose
    assert "29-2072" in NATIONAL.source
    assert own.scenario["inhouse"]["staff"][0]["salary"] == 51000
    # Staff rows take the offer's in-house defaults (costs, turnover, tax, benefits).
    assert own.scenario["inhouse"]["costs"] == offer["inhouse"]["costs"]
    tco = evaluate(parse_scenario(own.scenario)).inhouse_tco
    # 2 x 51,000 x (1 + 0.0765 + 0.20) + 7,000 costs + 0.30 x 2 x 15,000 turnover
    assert float(tco) == pytest.approx(102_000 * 1.2765 + 7_000 + 9_000)


@pytest.mark.parametrize("row, column, words", [
    ("Bad,fm,two,500000,400,40000,,,,", "providers", "must be a number"),
    ("Bad,fm,1.5,500000,400,40000,,,,", "providers", "whole number"),
    ("Bad,fm,1,,400,40000,,,,", "annual_collections", "required"),
    ("Bad,fm,1,-5,400,40000,,,,", "annual_collections", "greater than 0"),
    ("Bad,fm,1,500000,400,40000,1,,,", "inhouse_annual_cost", "not both"),
    ("Bad,fm,1,500000,400,,,,,", "inhouse_annual_cost", "billing_staff_fte"),
    ("Bad,fm,1,500000,400,,,45000,,", "avg_salary", "needs billing_staff_fte"),
    ("Bad,fm,1,500000,400,40000,,,,92", "net_collection_rate", "did you mean 0.92"),
    (",fm,1,500000,400,40000,,,,", "name", "required"),
])
def test_bad_row_named_by_row_and_column(tmp_path, offer, row, column, words):
    path = write(tmp_path, "Good,fm,1,500000,400,40000,,,,\n" + row + "\n")
    good, bad = read_prospects(path, offer)
    assert good.ok and not bad.ok
    text = "; ".join(str(p) for p in bad.problems)
    assert f"row 3, column {column}" in text and words in text, text


def test_whole_file_problems_are_exit_2(tmp_path, offer):
    with pytest.raises(RcmInputError, match="did you mean 'annual_collections'"):
        read_prospects(write(tmp_path, "", "name,specialty,providers,anual_collections,"
                                           "claims_per_month,inhouse_annual_cost\n"), offer)
    with pytest.raises(RcmInputError, match="no prospects"):
        read_prospects(write(tmp_path, ""), offer)
    with pytest.raises(RcmInputError, match="no such file"):
        read_prospects(tmp_path / "missing.csv", offer)


@pytest.mark.parametrize("text, where", [
    ("vendor: {name: X, pricing: {model: percentage, rate: 7}}\n", "vendor.pricing.rate"),
    ("vendor: {name: X, pricing: {model: percentage, rate: 0.07}}\nvendors: []\n", "vendors"),
    ("vendor: {name: X, pricing: {model: percentage, rate: 0.07}}\n"
     "inhouse: {benefit_rate: 0.2}\n", "inhouse.benefit_rate"),
    ("name: not an offer\n", "vendor"),
])
def test_bad_offer_is_exit_2_naming_the_field(tmp_path, text, where):
    path = tmp_path / "offer.yaml"
    path.write_text(text)
    with pytest.raises(RcmInputError) as err:
        load_offer(path)
    assert any(p.where == where for p in err.value.problems), err.value.problems


def test_slugs_are_file_safe_and_unique(tmp_path, offer):
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("***") == "prospect"
    path = write(tmp_path, "Same Name,fm,1,500000,400,40000,,,,\n"
                           "Same Name,fm,1,600000,400,40000,,,,\n")
    assert [p.slug for p in read_prospects(path, offer)] == ["same-name", "same-name-2"]


def test_summary_csv_never_holds_a_formula(tmp_path):
    o = Outcome(scenario="row 2", name="=HYPERLINK(\"http://x\")", ok=True, done=True,
                files={"pdf": tmp_path / "x.pdf"},
                figures={"vendors": [{"annual": {"net_gain": -5.0, "roi": -0.1},
                                      "timeline": {"npv": -3.0, "payback_month": None}}]})
    with open(write_summary([o], tmp_path), newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["id", "name", "verdict", "net_gain", "roi", "npv", "payback_month",
                       "warnings", "error", "report"]
    assert rows[1] == ["", "'=HYPERLINK(\"http://x\")", "", "-5.0", "-0.1", "-3.0", "", "",
                       "", "x.pdf"]


def test_index_escapes_names_and_quotes_links():
    C = batch_index.Cell
    index = batch_index.Index(title="t", headers=["practice", "net", "report"], sortable={1})
    index.rows.append(([C("<script>alert(1)</script>"), C("$1", 1.0, num=True)],
                       {"HTML": "javascript:alert(1).html"}))
    index.failures.append(("row 3: <b>x</b>", "bad & worse"))
    index.not_rendered.append("row 4: <i>y</i>")
    page = batch_index.page(index)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert 'href="./javascript%3Aalert%281%29.html"' in page
    assert "<b>x</b>" not in page and "<i>y</i>" not in page and "Not rendered (1)" in page
    assert "http" not in page.replace("http://www.w3.org", "")   # no CDN


@pytest.mark.slow
def test_index_sorts_by_net_gain_roi_and_payback(tmp_path):
    """The inline script really sorts, in a real browser (no network, no CDN)."""
    playwright = pytest.importorskip("playwright.sync_api")
    C = batch_index.Cell
    index = batch_index.Index(title="t", headers=["practice", "net gain", "ROI", "payback",
                                                  "report"], sortable={0, 1, 2, 3},
                              ascending={0, 3})
    for name, gain, roi, payback in [("alpha", 5_000, 0.9, 7), ("Beta", -100, -0.1, None),
                                     ("Ça", 90_000, 0.4, 2)]:
        index.rows.append(([C(name, name, flag=batch_index.LOSES if gain < 0 else ""),
                            batch_index.money_cell(gain), C(f"{roi:.0%}", roi, num=True),
                            batch_index.payback_cell(payback)], {"HTML": f"{name}.html"}))
    page = tmp_path / "index.html"
    page.write_text(batch_index.page(index))
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        tab = browser.new_page()
        tab.goto(page.as_uri())
        cells = tab.locator("tbody tr td:first-child")
        names = lambda: [t.split(" ")[0].strip() for t in cells.all_inner_texts()]  # noqa: E731
        tab.click("th:has-text('practice')")       # as words, ignoring case and accents
        assert names() == ["alpha", "Beta", "Ça"]
        tab.click("th:has-text('practice')")
        assert names() == ["Ça", "Beta", "alpha"]
        tab.click("th:has-text('net gain')")
        assert names() == ["Ça", "alpha", "Beta"]
        tab.click("th:has-text('net gain')")
        assert names() == ["Beta", "alpha", "Ça"]
        tab.click("th:has-text('ROI')")
        assert names() == ["alpha", "Ça", "Beta"]
        tab.click("th:has-text('payback')")        # soonest first; never is the latest
        assert names() == ["Ça", "alpha", "Beta"]
        tab.click("th:has-text('payback')")        # latest first: never leads, by its value
        assert names() == ["Beta", "alpha", "Ça"]
        losing = tab.locator("tr.rcm-loses")
        assert losing.count() == 1 and "loses money" in losing.inner_text()
        assert "never" in losing.inner_text()
        browser.close()


def test_headers_match_ignoring_case_spaces_hyphens_and_underscores(tmp_path, offer):
    """A CRM's own spellings: 'Account Name', 'AnnualCollections', 'In-House Annual Cost'."""
    header = ("Record ID,Account Name,Specialty,Providers,AnnualCollections,CLAIMS-PER-MONTH,"
              "In-House Annual Cost,Owner\r\n")
    path = write(tmp_path, "A-17,Solo Clinic,family_medicine,1,500000,400,40000,Ann\r\n", header)
    prospects = read_prospects(path, offer)
    [p] = prospects
    assert p.ok and (p.id, p.name) == ("A-17", "Solo Clinic")
    assert p.scenario["inhouse"] == {"annual_cost": 40000.0}
    assert p.scenario["practice"]["annual_collections"] == 500000.0
    assert prospects.ignored == ["Owner"]


def test_the_offers_defaults_are_the_sellers_assumptions_never_the_practices(tmp_path, offer):
    """A row with billing staff and no salary: the FTE is the practice's; the salary the
    cited BLS default; payroll tax, benefits, other costs, turnover and the timeline the
    offer's assumptions, in the JSON's inputs and in the proposal's assumptions table."""
    from rcmmodel.model.provenance import input_sources
    from rcmmodel.present.narrative import assumptions

    path = write(tmp_path, "Staffed,family_medicine,1,500000,400,,1.5,,,\n")
    [p] = read_prospects(path, offer)
    s = parse_scenario(p.scenario)
    where = {i.path: (i.source, i.note) for i in input_sources(s)}
    assert where["inhouse.staff[0].fte"] == ("practice", None)
    assert where["inhouse.staff[0].salary"] == ("default", "bls")
    for path in ("inhouse.payroll_tax_rate", "inhouse.benefits_rate", "inhouse.costs.software",
                 "inhouse.turnover.annual_rate", "timeline.discount_rate",
                 "timeline.horizon_months"):
        assert where[path] == ("default", "offer"), path
    assert where["practice.annual_collections"] == ("practice", None)
    rows = {r["item"]: r["source"] for r in assumptions(s, evaluate(s), only=s.vendors[0].name)}
    assert rows["Benefits rate"] == "The offer's assumption"
    assert rows["Months modelled"] == "The offer's assumption"
    staff = next(v for k, v in rows.items() if k.startswith("Billing staff ("))
    assert staff == "Practice's figures (FTE); BLS pay data (2023) (salary)"
    assert not any("Practice" in v for k, v in rows.items()
                   if k in ("Payroll tax rate", "Other in-house costs a year", "Discount rate (a year)"))
    # a total in-house cost is the practice's; only the timeline is the offer's
    [q] = read_prospects(write(tmp_path, "Total,family_medicine,1,500000,400,40000,,,,\n"), offer)
    assert q.scenario["sources"] == {"timeline": "offer"}


def test_sources_must_name_a_field_path_and_a_known_giver():
    from rcmmodel.errors import RcmInputError

    base = {"name": "S", "practice": {"annual_collections": 500000, "claims_per_month": 400},
            "inhouse": {"annual_cost": 40000}}
    with pytest.raises(RcmInputError) as err:
        parse_scenario({**base, "sources": {"inhouse.annual_cost": "seller", "Bad!": "offer"}})
    said = {p.where: p.message for p in err.value.problems}
    assert "must be 'offer', 'bls' or 'practice'" in said["sources.inhouse.annual_cost"]
    assert any("field path" in m for m in said.values())


def test_a_what_if_makes_a_changed_figure_the_practices(tmp_path, offer):
    """--set on a figure the offer assumed: that figure is the practice's from then on, the
    rest of the offer's section still the offer's."""
    from rcmmodel.model.provenance import input_sources
    from rcmmodel.vendors.whatif import changed_scenario

    [p] = read_prospects(write(tmp_path, "Staffed,family_medicine,1,500000,400,,1.5,,,\n"),
                         offer)
    s = changed_scenario(p.scenario, {"timeline.discount_rate": 0.05,
                                      "inhouse.staff[0].salary": 50000})
    where = {i.path: (i.source, i.note) for i in input_sources(s)}
    assert where["timeline.discount_rate"] == ("practice", None)
    assert where["inhouse.staff[0].salary"] == ("practice", None)
    assert where["timeline.ramp_days"] == ("default", "offer")
    s = changed_scenario(p.scenario, {"timeline": {"ramp_days": 30}})
    assert {i.path: i.source for i in input_sources(s)}["timeline.ramp_days"] == "practice"


def test_no_proposal_takes_a_name_windows_refuses(tmp_path, offer):
    """'CON' or 'Aux' as a practice name: con.html cannot be opened from a Windows share."""
    path = write(tmp_path, "CON,fm,1,500000,400,40000,,,,\nAux,fm,1,500000,400,40000,,,,\n"
                           "COM1,fm,1,500000,400,40000,,,,\nIndex,fm,1,500000,400,40000,,,,\n")
    assert [p.slug for p in read_prospects(path, offer)] == ["con-2", "aux-2", "com1-2",
                                                             "index-2"]
