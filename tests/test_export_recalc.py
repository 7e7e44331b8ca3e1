"""The live workbook, recomputed by a formula engine (``formulas``), matches ``rcm evaluate``
to the cent: net gain, vendor cost, service fee, one-time fees, ROI, NPV and payback month
per vendor; and again after ``annual_collections`` is changed in the workbook, against
``rcm evaluate`` on the scenario with the same change. The verdict (``recommended_vendor``)
follows a change of collections, of a fee rate or of a weight as the library's decision
does for the same change, and every value stored beside a formula is the engine's result.

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


# Books that more than one test reads stay loaded for the session; any other is dropped when
# the next loads (100+ MB each).
KEPT = (SCENARIOS / "guide-example.yaml", SCENARIOS / "family-practice-scorecard.yaml",
        SCENARIOS / "pediatrics-fix-inhouse.yaml")


@pytest.fixture(scope="session")
def recalc(tmp_path_factory):
    """``recalc(path)``: the scenario's exported workbook, loaded into the engine (seconds;
    a calculation never changes the loaded model), once a session for the books in KEPT."""
    from rcmmodel.reports.excel import export_workbook

    books: dict[Path, Recalc] = {}

    def load(path: Path) -> Recalc:
        if path not in books:
            for other in [p for p in books if p not in KEPT]:
                del books[other]
            # one file name for every book: their shared formulas compile once (xlsx_recalc)
            folder = tmp_path_factory.mktemp(path.stem)
            books[path] = Recalc(export_workbook(path, folder / "workbook.xlsx"))
        return books[path]
    return load


def library_verdict(path: Path, changes: dict | None = None, weights: dict | None = None):
    """What the library decides for the scenario with ``changes`` (field path -> value) and,
    where given, these ranking weights: a vendor's name or "in-house"."""
    from rcmmodel.vendors.decision import decide
    from rcmmodel.vendors.ranking import compare
    from rcmmodel.vendors.whatif import changed_scenario

    scenario = changed_scenario(path, changes or {})
    d = decide(scenario, comparison=compare(scenario, weights=weights))
    return d.recommended or "in-house"


def check(path: Path, book: Recalc) -> None:
    """The book against the library, as it is and with collections changed (one engine
    calculation for each)."""
    expected = evaluate_json(path)
    solution = book.calculate()
    assert_matches(book.summary(solution=solution), expected)
    assert book.verdict(solution=solution) == library_verdict(path)
    assert_values_stored_are_the_engines(book, solution)
    assert book.book.defined_names["annual_collections"] is not None
    changed = round(float(expected["vendors"][0]["annual"]["collections"]) * 0.83, 2)
    solution = book.calculate({"annual_collections": changed})
    assert_matches(book.summary(solution=solution), evaluate_json(path, changed))
    assert book.verdict(solution=solution) == \
        library_verdict(path, {"practice.annual_collections": changed})


def assert_values_stored_are_the_engines(book: Recalc, solution: dict | None = None) -> None:
    """Every formula cell carries a value (for viewers that do not recalculate), and it is
    the value the engine computes (``solution``: the book's calculation, if made already)."""
    from openpyxl import load_workbook

    stored = load_workbook(book.path, data_only=True)
    if solution is None:
        solution = book.calculate()
    n = 0
    for ws in book.book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                n += 1
                value = stored[ws.title][cell.coordinate].value
                want = solution[book.key(ws.title, cell.coordinate)].value[0][0]
                want = want.item() if hasattr(want, "item") else want
                where = (ws.title, cell.coordinate, cell.value)
                if isinstance(want, (int, float)) and not isinstance(want, bool):
                    assert isinstance(value, (int, float)), where
                    assert value == pytest.approx(want, rel=1e-9, abs=1e-9), where
                else:
                    assert value == (want or None) or str(value) == str(want), where
    assert n > 100


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


def test_guide_values_stored_beside_formulas_are_the_engines(recalc):
    assert_values_stored_are_the_engines(recalc(SCENARIOS / "guide-example.yaml"))


def test_a_fee_rate_changed_in_the_workbook_changes_the_verdict(recalc):
    """The issue's case: the recommended vendor's rate at 20% makes its net gain negative,
    and the verdict must leave it (here: stay in-house), as the library decides."""
    path = SCENARIOS / "guide-example.yaml"
    book = recalc(path)
    assert book.verdict() == "Guide Billing Co"
    changes = {"vendor1_rate": 0.20}
    solution = book.calculate(changes)
    # 500,000 x 10% + 40,000 - 20% x 550,000 = -20,000
    assert book.named(solution, "verdict") == "Stay in-house"
    assert book.named(solution, "recommended_vendor") == "in-house" == \
        library_verdict(path, {"vendors[0].pricing.rate": 0.20})
    # and back over the line: 12% keeps a gain of 24,000
    assert book.verdict({"vendor1_rate": 0.12}) == "Guide Billing Co" == \
        library_verdict(path, {"vendors[0].pricing.rate": 0.12})


@pytest.fixture(scope="module")
def conflict(tmp_path_factory):
    """The decision's hard case (three vendors: one without a BAA, the financial best, and
    the top of the ranking), on a 12-month horizon to keep the engine's load short."""
    data = yaml.safe_load((TESTS / "data_vendors" / "decision-conflict.yaml").read_text())
    data.setdefault("timeline", {})["horizon_months"] = 12
    folder = tmp_path_factory.mktemp("conflict")
    path = folder / "conflict.yaml"
    path.write_text(yaml.safe_dump(data))
    from rcmmodel.reports.excel import export_workbook
    # the guide's book's file name: the formulas the two books share compile once (xlsx_recalc)
    return path, Recalc(export_workbook(path, folder / "workbook.xlsx"))


def test_the_ranking_recomputes_and_a_fee_flips_it_to_the_runner_up(conflict):
    path, book = conflict
    solution = book.calculate()
    assert book.named(solution, "recommended_vendor") == "Steady Claims" == library_verdict(path)
    assert book.named(solution, "financial_best") == "LockIn Revenue"
    assert book.named(solution, "runner_up") == "LockIn Revenue"
    # the hand-computed totals of the scenario file: 0.4 x 87.5 + 0.6 x 100 = 95, and 57
    assert book.named(solution, "margin_score") == pytest.approx(95 - 57)
    assert book.named(solution, "margin_net_gain") == pytest.approx(77000 - 88000)
    # Steady Claims at 20%: 50,000 + 60,000 - 20% x 550,000 = 0, which does not pay
    flipped = book.verdict({"vendor3_rate": 0.20})
    assert flipped == "LockIn Revenue" == \
        library_verdict(path, {"vendors[2].pricing.rate": 0.20})
    # the excluded vendor gains the most and never leads, even when the others stop paying
    assert book.verdict({"vendor2_rate": 0.20, "vendor3_rate": 0.20}) == "in-house" == \
        library_verdict(path, {"vendors[1].pricing.rate": 0.20,
                               "vendors[2].pricing.rate": 0.20})


def test_a_weight_changed_in_the_workbook_flips_the_verdict(conflict):
    """The library's flip (raise the financial weight past its bound) moves the workbook's
    verdict to the same vendor; just below the bound it stays."""
    from rcmmodel.vendors.decision import decide
    from rcmmodel.vendors.whatif import changed_scenario

    path, book = conflict
    flip = decide(changed_scenario(path, {})).flip
    assert flip["criterion"] == "financial" and flip["to"] == "LockIn Revenue"
    above, below = flip["to_weight"] * 1.01, flip["to_weight"] * 0.99
    assert book.verdict({"weight_financial": above}) == "LockIn Revenue" == \
        library_verdict(path, weights={"financial": above})
    assert book.verdict({"weight_financial": below}) == "Steady Claims" == \
        library_verdict(path, weights={"financial": below})
    # contract terms counting for nothing, due diligence for everything: still the library's
    changes = {"weight_contract_risk": 0.0, "weight_due_diligence": 5.0}
    assert book.verdict(changes) == library_verdict(
        path, weights={"contract_risk": 0.0, "due_diligence": 5.0})


@pytest.mark.slow
def test_a_practices_own_criterion_is_a_column_with_a_live_weight(recalc):
    """ranking.criteria: each of the practice's own criteria is a score column (the
    library's scores, as values) whose weight is a named input; raising it moves the verdict
    as the library decides."""
    path = SCENARIOS / "family-practice-scorecard.yaml"
    book = recalc(path)
    assert {"weight_own1", "weight_own2"} <= set(book.book.defined_names)
    header = [c.value for c in book.book["Decision"][4]]
    assert "References and client retention score (value as exported)" in header
    assert book.verdict() == library_verdict(path) == "AllIn Billing"
    changed = book.verdict({"weight_own1": 2.0})
    assert changed == library_verdict(path, weights={"References and client retention": 2.0})
    assert changed != "AllIn Billing"


@pytest.mark.slow
def test_fixing_billing_in_house_weighs_in_live(recalc):
    """alternatives: where the best in-house alternative gains more, the verdict is
    "improve" (recommended_vendor "in-house"); made dearer in the workbook, it loses to the
    top vendor, as the library decides for the same change."""
    path = SCENARIOS / "pediatrics-fix-inhouse.yaml"
    book = recalc(path)
    solution = book.calculate()
    assert book.named(solution, "recommended_vendor") == "in-house" == library_verdict(path)
    assert book.named(solution, "verdict").startswith("Improve in-house: ")
    dear = {"alt1_annual_cost": 250000, "alt2_annual_cost": 250000}
    flipped = book.calculate(dear)
    assert book.named(flipped, "recommended_vendor") == library_verdict(path, {
        "alternatives[0].annual_cost": 250000, "alternatives[1].annual_cost": 250000})
    assert book.named(flipped, "verdict").startswith("Outsource to ")


@pytest.mark.slow
@pytest.mark.parametrize("path", EXAMPLES + TEST_SCENARIOS, ids=lambda p: p.stem)
def test_every_example_recomputes_to_the_cent(recalc, path):
    check(path, recalc(path))


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed")
def test_libreoffice_computes_the_same(tmp_path):
    """A second engine: LibreOffice opens the workbook, computes it and saves the values;
    the verdict too, before and after the recommended vendor's fee rate is raised."""
    from openpyxl import load_workbook

    path = TESTS / "data_vendors" / "with-quotes.yaml"     # all four pricing models
    book = export(path, tmp_path)
    conflict = TESTS / "data_vendors" / "decision-conflict.yaml"
    changed = load_workbook(export(conflict, tmp_path))
    (sheet, cell), = changed.defined_names["vendor3_rate"].destinations
    changed[sheet][cell.replace("$", "")] = 0.2             # the recommended vendor's
    changed.save(tmp_path / "changed.xlsx")
    out = tmp_path / "lo"
    proc = subprocess.run(["soffice", "--headless", "--norestore",
                           f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                           "--convert-to", "xlsx", "--outdir", str(out), str(book),
                           str(tmp_path / f"{conflict.stem}.xlsx"),
                           str(tmp_path / "changed.xlsx")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr

    def verdict(name):
        computed = load_workbook(out / name, data_only=True)
        (sheet, cell), = computed.defined_names["recommended_vendor"].destinations
        return computed[sheet][cell.replace("$", "")].value

    assert verdict(book.name) == library_verdict(path)
    assert verdict(f"{conflict.stem}.xlsx") == library_verdict(conflict) == "Steady Claims"
    assert verdict("changed.xlsx") == library_verdict(conflict, {
        "vendors[2].pricing.rate": 0.2}) == "LockIn Revenue"
    ws = load_workbook(out / book.name, data_only=True)["Summary"]
    headers = [c.value for c in ws[1]]
    summary = {}
    for row in ws.iter_rows(min_row=2):
        if row[0].value is None:
            break
        summary[row[0].value] = dict(zip(headers, (c.value for c in row)))
    assert_matches(summary, evaluate_json(path))


@pytest.mark.slow
def test_the_fast_engine_computes_what_formulas_own_dispatcher_does(conflict):
    """xlsx_engine runs each formula's compiled nodes without the dispatcher, and a change
    recomputes only the cells that depend on it: every cell, as it is and after a change of
    collections, of a fee rate and of a weight, is the value ``formulas`` itself computes."""
    import formulas

    _path, book = conflict
    stock = formulas.ExcelModel().loads(str(book.path)).finish()
    for changes in ({}, {"annual_collections": 412345.67},
                    {"vendor3_rate": 0.2, "weight_financial": 3.0, "ramp_days": 360}):
        ours = book.calculate(changes)
        theirs = stock.calculate(inputs={book.name_key(n): v for n, v in changes.items()})
        assert set(ours) == set(theirs)
        for key, value in theirs.items():
            assert repr(ours[key]) == repr(value), (changes, key)
            assert repr(getattr(ours[key], "value", None)) == \
                repr(getattr(value, "value", None)), (changes, key)
    assert sum(type(c.func.func).__name__ == "FastFormula"
               for c in book.model.cells.values() if c.func) > 300
