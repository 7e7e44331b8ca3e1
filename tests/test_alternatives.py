"""Fixing billing in-house instead (docs/methodology.md §6): an alternative's planning net
gain and timeline by hand, each verdict (outsource, improve, stay) by hand, the evidence cap,
bad input, the JSON of evaluate / compare / simulate, the odds, the Excel sheet and the app."""
from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from conftest import SCENARIOS, guide_dict, rcm_inprocess
from rcmmodel import evaluate, parse_scenario
from rcmmodel.vendors.decision import decide

PEDIATRICS = SCENARIOS / "pediatrics-fix-inhouse.yaml"


def with_alternatives(*alternatives, **vendor) -> dict:
    data = guide_dict(**vendor)          # C0 500,000; in-house 40,000; Acme 7%, 10%: 51,500
    data["alternatives"] = list(alternatives)
    return data


CODER = {"name": "Hiring a certified coder", "annual_cost": 12000, "one_time": 1000,
         "uplift": 0.06}


def test_planning_net_gain_npv_and_payback_by_hand():
    result = evaluate(parse_scenario(with_alternatives(CODER)))
    [a] = result.alternatives
    assert a.net_gain == pytest.approx(500000 * 0.06 - 12000) == 18000
    # ramp 90 days: the uplift is 1/3, 2/3, then whole; 1,000 a month; 1,000 once in month 1
    i = 1.08 ** (1 / 12) - 1
    net = [2500 * min(1, m / 3) - 1000 - (1000 if m == 1 else 0) for m in range(1, 37)]
    assert net[:3] == pytest.approx([-1166.6667, 666.6667, 1500], abs=1e-3)
    assert a.npv == pytest.approx(sum(x / (1 + i) ** m for m, x in enumerate(net, 1)), abs=1e-6)
    assert a.payback_month == 3            # cumulative -1,166.67, -500, +1,000
    d = a.to_dict()
    assert d == {"name": "Hiring a certified coder",
                 "planning": {"uplift": 0.06, "basis": "quote", "capped": False,
                              "net_gain": 18000.0, "npv": round(a.npv, 2),
                              "payback_month": 3}}


def test_outsource_when_the_vendor_gains_at_least_the_best_alternative():
    s = parse_scenario(with_alternatives(CODER, {**CODER, "name": "New software",
                                                 "annual_cost": 5000, "uplift": 0.02}))
    d = decide(s)
    # Acme 51,500 > coder 18,000 > software 10,000 - 5,000 = 5,000
    assert (d.verdict, d.recommended, d.alternative) == ("outsource", "Acme",
                                                         "Hiring a certified coder")
    assert d.alternative_gains == {"Hiring a certified coder": 18000.0, "New software": 5000.0}
    from rcmmodel.present.alternatives_text import comparison_sentence

    assert comparison_sentence(d) == ("Outsourcing to Acme would gain $51,500 a year, more "
                                      "than hiring a certified coder at $18,000.")
    # a tie goes to the vendor: 500,000 x u - 0 = 51,500
    tie = decide(parse_scenario(with_alternatives({"name": "Tie", "annual_cost": 0,
                                                   "uplift": 0.103})))
    assert tie.alternative_gains["Tie"] == pytest.approx(51500)
    assert tie.verdict == "outsource"


def test_improve_when_the_best_alternative_gains_more_than_the_recommended_vendor():
    s = parse_scenario(with_alternatives(CODER, {"name": "Denial service", "annual_cost": 10000,
                                                 "uplift": 0.15}))
    d = decide(s)
    # 500,000 x 15% - 10,000 = 65,000 > Acme's 51,500
    assert (d.verdict, d.recommended, d.alternative) == ("improve", None, "Denial service")
    assert d.runner_up == "Acme" and d.financial_best == "Acme"
    assert d.margin == {"score": None, "net_gain": pytest.approx(65000 - 51500)}
    assert d.flip is None and d.flips == []
    out = d.to_dict()
    assert list(out)[:3] == ["verdict", "recommended", "alternative"]
    from rcmmodel.present.decision_text import reason

    assert reason(d) == ("Improve billing in-house: Denial service would gain $65,000 a year, "
                         "more than outsourcing to Acme at $51,500.")


def test_improve_where_no_vendor_pays_and_stay_where_nothing_does():
    losing = {"pricing": {"model": "percentage", "rate": 0.30}}    # 165,000: -75,000 a year
    d = decide(parse_scenario(with_alternatives({"name": "Coder", "annual_cost": 10000,
                                                 "uplift": 0.05}, **losing)))
    assert (d.verdict, d.recommended, d.alternative, d.runner_up) == (
        "improve", None, "Coder", "Acme")
    assert d.margin["net_gain"] == pytest.approx(15000 - (-75000))
    d = decide(parse_scenario(with_alternatives({"name": "Coder", "annual_cost": 10000,
                                                 "uplift": 0.01}, **losing)))
    assert (d.verdict, d.recommended, d.alternative) == ("stay", None, "Coder")
    assert d.alternative_gains["Coder"] == pytest.approx(-5000)
    from rcmmodel.present.alternatives_text import comparison_sentence

    assert comparison_sentence(d) == ("Coder would lose $5,000 a year, so it does not pay "
                                      "either (outsourcing to Acme would lose $75,000 a year).")


def test_without_alternatives_nothing_changes():
    s = parse_scenario(guide_dict())
    d = decide(s)
    assert d.alternative is None and d.to_dict()["alternative"] is None
    assert "alternatives" not in evaluate(s).to_dict()


def _family_with(alternatives: list) -> "object":
    from rcmmodel import load_scenario, scenario_with_claims

    text = (SCENARIOS / "family-practice-claims.yaml").read_text()
    data = __import__("yaml").safe_load(text)
    data["practice"]["claims_files"] = [str(SCENARIOS / "claims" /
                                            "family-practice-ledger.csv")]
    data["alternatives"] = alternatives
    return scenario_with_claims(parse_scenario(data, str(SCENARIOS / "x.yaml")))


def test_the_claims_cap_an_alternative_exactly_like_a_vendor():
    s = _family_with([{"name": "Coder", "annual_cost": 20000, "uplift": 0.15},
                      {"name": "Small fix", "annual_cost": 1000, "uplift": 0.01}])
    ev = s.claims_evidence
    assert ev.usable and 0.01 < ev.high < 0.15
    r = evaluate(s)
    coder, small = r.alternatives
    assert coder.planned.basis == "claims" and coder.planned.capped
    assert coder.planned.uplift == pytest.approx(ev.high)
    assert coder.planned.uplift == r.vendors[1].planned.uplift      # FastTrack: 20%, capped too
    assert coder.net_gain == pytest.approx(690000 * ev.high - 20000)
    assert small.planned.basis == "claims" and not small.planned.capped
    assert coder.to_dict()["planning"]["capped"] is True
    # the Monte Carlo draws it at most at the cap, as a vendor's
    from rcmmodel.risk.uncertainty import simulate

    sim = simulate(s, draws=2000, seed=3, keep_inputs=True)
    drawn = sim.inputs["alternatives[0].uplift"]
    assert drawn.max() <= ev.high + 1e-12 and drawn.min() >= 0
    assert sim.alternatives[0].net_gain == pytest.approx(690000 * drawn - 20000)


@pytest.mark.parametrize("alternative, where, words", [
    ({"name": "Coder", "uplift": 0.05}, "alternatives[0].annual_cost", "required"),
    ({"name": "Coder", "annual_cost": 1000, "uplift": 15}, "alternatives[0].uplift",
     "did you mean 0.15"),
    ({"name": "Coder", "annual_cost": -5, "uplift": 0.05}, "alternatives[0].annual_cost",
     "at least 0"),
    ({"name": "Coder", "annual_cost": 1000}, "alternatives[0].uplift", "required"),
    ({"annual_cost": 1000, "uplift": 0.05}, "alternatives[0].name", "required"),
])
def test_bad_alternatives_exit_2_naming_the_field(tmp_path, alternative, where, words):
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(with_alternatives(alternative)))
    for command in ("validate", "evaluate"):
        r = rcm_inprocess(command, path)
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert f"{path}: {where}:" in r.stderr and words in r.stderr, r.stderr
        assert r.stdout == ""


def test_duplicate_alternative_names_exit_2(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(json.dumps(with_alternatives(CODER, {**CODER, "name": " hiring A CERTIFIED "
                                                         "coder"})))
    r = rcm_inprocess("evaluate", path, "--json")
    assert r.returncode == 2
    assert "alternatives[1].name: duplicate alternative name" in r.stderr


def test_json_of_evaluate_compare_and_simulate():
    ev = json.loads(rcm_inprocess("evaluate", PEDIATRICS, "--json").stdout)
    assert [a["name"] for a in ev["alternatives"]] == ["Hiring a certified coder",
                                                       "A denial-management service"]
    for a in ev["alternatives"]:
        assert set(a) == {"name", "planning"}
        assert set(a["planning"]) == {"uplift", "basis", "capped", "net_gain", "npv",
                                      "payback_month"}
    coder = ev["alternatives"][0]["planning"]
    assert (coder["net_gain"], coder["uplift"], coder["payback_month"]) == (23000.0, 0.08, 4)
    d = ev["decision"]
    assert (d["verdict"], d["recommended"], d["alternative"]) == (
        "improve", None, "Hiring a certified coder")
    assert d["reason"] == ("Improve billing in-house: Hiring a certified coder would gain "
                           "$23,000 a year, more than outsourcing to Valley Billing Services "
                           "at $17,750.")
    cmp = json.loads(rcm_inprocess("compare", PEDIATRICS, "--json").stdout)
    assert cmp["decision"] == d and cmp["top_choice"] is None
    sim = json.loads(rcm_inprocess("simulate", PEDIATRICS, "--json", "--draws", "3000").stdout)
    assert sim["decision"] == d
    assert sum(v["prob_recommended"] for v in sim["vendors"]) + sim["prob_stay"] == \
        pytest.approx(1)
    assert 0 < sim["prob_improve"] <= sim["prob_stay"]
    assert [a["name"] for a in sim["alternatives"]] == [a["name"] for a in ev["alternatives"]]
    # a scenario without alternatives keeps its JSON as it was
    plain = json.loads(rcm_inprocess("simulate", SCENARIOS / "guide-example.yaml", "--json",
                                     "--draws", "100").stdout)
    assert "prob_improve" not in plain and plain["decision"]["alternative"] is None


def test_the_odds_apply_the_rule_in_every_draw():
    from rcmmodel.risk.uncertainty import simulate

    # one vendor (9% fee, 10% uplift drawn 0..10%: -5,000 to 40,500), one alternative (6%
    # drawn 0..6%, 12,000 a year: -12,000 to 18,000): every course wins in some draws
    s = parse_scenario(with_alternatives(CODER, pricing={"model": "percentage", "rate": 0.09}))
    sim = simulate(s, draws=5000, seed=7)
    vendor, alt = sim.vendors[0].net_gain, sim.alternatives[0].net_gain
    improve = (alt > 0) & ((vendor <= 0) | (alt > vendor))
    assert sim.prob_improve == pytest.approx(improve.mean())
    assert sim.vendors[0].prob_recommended == pytest.approx(((vendor > 0) & ~improve).mean())
    assert sim.prob_stay == pytest.approx(1 - sim.vendors[0].prob_recommended)
    assert 0 < sim.prob_improve < sim.prob_stay < 1


def test_cli_text_states_the_comparison_and_money_alone():
    for command in ("evaluate", "compare"):
        out = rcm_inprocess(command, PEDIATRICS).stdout
        assert "Decision: Improve billing in-house: Hiring a certified coder would gain " \
               "$23,000 a year, more than outsourcing to Valley Billing Services at $17,750." in out
        assert "compared with the quotes on money alone" in out
    out = rcm_inprocess("evaluate", PEDIATRICS).stdout
    assert "Hiring a certified coder         $25,000    $3,000" in out
    out = rcm_inprocess("simulate", PEDIATRICS, "--draws", "500").stdout
    assert "Hiring a certified coder (in-house)" in out and "improved by an in-house" in out


def test_schema_and_reference_list_alternatives(root):
    from rcmmodel.scenario.reference import json_schema

    props = json_schema()["$defs"]["Alternative"]["properties"]
    assert list(props) == ["name", "annual_cost", "one_time", "uplift"]
    text = (root / "docs" / "scenario-reference.md").read_text()
    assert "## `alternatives[]`" in text and "Hiring a certified coder" in text


def test_excel_alternatives_sheet_has_named_inputs_and_formulas():
    from rcmmodel import load_scenario
    from rcmmodel.reports.excel import build_workbook

    wb = build_workbook(load_scenario(PEDIATRICS), with_values=False)
    ws = wb["Alternatives"]
    assert ws["A2"].value == "Hiring a certified coder" and ws["D2"].value == 0.08
    assert ws["G2"].value == "=annual_collections*F2-B2"
    assert {"alt1_annual_cost", "alt1_one_time", "alt1_uplift", "alt2_uplift"} <= \
        set(wb.defined_names)
    assert "Alternatives" not in build_workbook(parse_scenario(guide_dict()),
                                                with_values=False).sheetnames


@pytest.mark.slow
def test_excel_alternatives_recompute_to_the_cent(tmp_path):
    from xlsx_recalc import Recalc

    pytest.importorskip("formulas")
    from rcmmodel import load_scenario
    from rcmmodel.reports.excel import build_workbook

    path = tmp_path / "workbook.xlsx"     # the formulas it shares with other books compile once
    build_workbook(load_scenario(PEDIATRICS), with_values=False).save(path)
    calc = Recalc(path)
    expected = evaluate(load_scenario(PEDIATRICS)).to_dict()["alternatives"]

    def read(solution, cell):
        v = solution[calc.key("Alternatives", cell)].value[0][0]
        return v.item() if hasattr(v, "item") else v

    solution = calc.calculate()
    for row, a in enumerate(expected, start=2):
        assert read(solution, f"G{row}") == pytest.approx(a["planning"]["net_gain"], abs=0.005)
        assert read(solution, f"H{row}") == pytest.approx(a["planning"]["npv"], abs=0.006)
        assert read(solution, f"I{row}") == a["planning"]["payback_month"]
    solution = calc.calculate({"alt1_annual_cost": 40000})     # 600,000 x 8% - 40,000
    assert read(solution, "G2") == pytest.approx(8000)
    assert read(solution, "B5") == "A denial-management service"


def test_app_entry_edits_the_scenario_and_the_decision_follows():
    from rcmmodel.app.alternatives_view import AlternativesEditor, AlternativesSummary
    from rcmmodel.app.session import Session

    s = Session(copy.deepcopy(guide_dict()))
    s.changed(reload=True)
    editor, summary = AlternativesEditor(s), AlternativesSummary(s)
    assert summary.widget.value == "" and s.result.decision.alternative is None
    editor.add_alternative()
    assert s.data["alternatives"] == [{"name": "Improvement 1", "annual_cost": 0.0,
                                       "uplift": 0.0}]
    editor.name.value = "Hiring a certified coder"
    editor.bound["annual_cost"].field.value = 10000
    editor.bound["uplift"].field.value = 15           # percent: 0.15 -> 65,000 > 51,500
    d = s.result.decision
    assert (d.verdict, d.alternative) == ("improve", "Hiring a certified coder")
    assert "more than outsourcing to Acme at $51,500" in summary.widget.value
    editor.delete_alternative()
    assert "alternatives" not in s.data and s.result.decision.verdict == "outsource"
    assert np.isclose(s.result.decision.gains["Acme"], 51500)


def test_a_proposal_compares_the_alternative_with_its_own_offer_only():
    from rcmmodel import load_scenario
    from rcmmodel.reports.alternatives import alternatives_html

    s = load_scenario(PEDIATRICS)
    r = evaluate(s)
    d = decide(s, evaluation=r)
    page = alternatives_html(r, d, r.vendor("QuickClaim RCM"))
    assert "Hiring a certified coder would gain $23,000 a year, more than this offer at " \
           "$12,350." in page and "Valley" not in page
    assert "more than outsourcing to Valley Billing Services" in alternatives_html(r, d)
    assert alternatives_html(evaluate(parse_scenario(guide_dict())), d) == ""
