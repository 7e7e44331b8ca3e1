"""The decision (docs/methodology.md §6): one rule, the same object on every CLI surface."""
import json
from pathlib import Path

import pytest
from conftest import SCENARIOS

import rcmmodel
from rcmmodel.cli.main import main
import yaml
from rcmmodel.scenario import parse_scenario
from rcmmodel.present.decision_text import decision_dict, reason
from rcmmodel.vendors import decide

DATA = Path(__file__).parent / "data_vendors"
CONFLICT = DATA / "decision-conflict.yaml"
DECISION_KEYS = {"verdict", "recommended", "financial_best", "runner_up", "margin", "excluded"}


def run_json(capsys, *args):
    assert main([str(a) for a in args] + ["--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_conflict_hand_computed():
    d = rcmmodel.decide(rcmmodel.load_scenario(CONFLICT))
    assert (d.verdict, d.recommended, d.financial_best, d.runner_up) == (
        "outsource", "Steady Claims", "LockIn Revenue", "LockIn Revenue")
    # totals 95 and 57 (the fixture's comments); net gains 77,000 and 88,000
    assert d.to_dict()["margin"] == {"score": 38.0, "net_gain": -11000.0}
    assert d.excluded == [{"vendor": "NoBAA Billing", "reasons": ["no_baa"]}]
    assert decision_dict(d)["excluded"] == [{"vendor": "NoBAA Billing", "reasons": [
        "no Business Associate Agreement offered, and HIPAA requires one with anyone who "
        "handles patient data"]}]
    assert not d.eligible("NoBAA Billing") and d.eligible("Steady Claims")
    assert d.overruled and d.outweighs == ["sla", "contract_risk", "due_diligence"]
    # LockIn first once p x 100 + (1 - p) x 28.33 >= p x 87.5 + (1 - p) x 100:
    # p = 71.67 / 84.17 = 0.8515; weight = p x 0.6 / (1 - p) = 3.44
    assert d.flip["criterion"] == "financial" and d.flip["direction"] == "raise"
    assert d.flip["to"] == "LockIn Revenue"
    assert d.flip["to_weight"] == pytest.approx(3.44, abs=1e-6)
    assert d.n_quotes == 3
    text = reason(d)
    assert "Steady Claims" in text and "LockIn Revenue" in text
    assert text.count(".") == 1 and text.endswith(".")


def test_ranges_hand_computed():
    d = decide(rcmmodel.load_scenario(CONFLICT))
    assert set(d.ranges) == {"LockIn Revenue", "Steady Claims"}   # eligible vendors only
    r = d.ranges["Steady Claims"]
    # net gain(u) = 500,000 u + 60,000 - 6% x 500,000 (1 + u) = 30,000 + 470,000 u
    assert r["net_gain_quoted"] == pytest.approx(77000.0)
    assert r["net_gain_zero"] == pytest.approx(30000.0)
    assert r["uplift_sla"] == pytest.approx(0.97 / 0.90 - 1, abs=1e-6)
    assert r["net_gain_sla"] == pytest.approx(30000 + 470000 * (0.97 / 0.90 - 1), abs=0.01)
    assert r["breakeven_uplift"] == pytest.approx(-30000 / 470000, abs=1e-6)


def test_evaluate_and_compare_json_carry_the_same_decision(capsys):
    ev = run_json(capsys, "evaluate", CONFLICT)
    cmp = run_json(capsys, "compare", CONFLICT)
    assert ev["decision"] == cmp["decision"]
    assert DECISION_KEYS <= set(ev["decision"])
    assert ev["best_vendor"] == ev["decision"]["financial_best"] == "LockIn Revenue"
    assert cmp["top_choice"] == ev["decision"]["recommended"] == "Steady Claims"
    assert ev["decision"] == json.loads(json.dumps(decision_dict(decide(
        rcmmodel.load_scenario(CONFLICT)))))


@pytest.mark.parametrize("name", sorted(p.name for p in SCENARIOS.glob("*.yaml")))
def test_every_example_agrees_across_clis(capsys, name):
    ev = run_json(capsys, "evaluate", SCENARIOS / name)
    cmp = run_json(capsys, "compare", SCENARIOS / name)
    assert ev["decision"] == cmp["decision"]
    d = ev["decision"]
    excluded = {e["vendor"] for e in d["excluded"]}
    assert d["recommended"] not in excluded and d["financial_best"] not in excluded
    if d["recommended"]:
        gain = {v["name"]: v["annual"]["net_gain"] for v in ev["vendors"]}
        assert gain[d["recommended"]] > 0


def test_cli_text_ends_with_the_decision(capsys):
    for command in ("evaluate", "compare"):
        assert main([command, str(CONFLICT)]) == 0
        out = capsys.readouterr().out
        decision = out[out.index("Decision:"):]
        assert decision.startswith("Decision: Outsource billing to Steady Claims")
        assert "Excluded: NoBAA Billing" in decision and "3 quotes compared" in decision
        # the excluded vendor is never called a choice or said to pay
        assert "Best vendor" not in out and "Top choice: NoBAA" not in out


def _scenario(vendors: str):
    return parse_scenario(yaml.safe_load(_text(vendors)))


def _text(vendors: str) -> str:
    return ("schema: rcmmodel/v1\nname: t\npractice: {providers: 1, annual_collections: 500000,\n"
            "  claims_per_month: 400}\ninhouse: {annual_cost: 20000}\nvendors:\n" + vendors)


def test_stay_when_no_eligible_vendor_pays():
    d = decide(_scenario(
        "  - {name: Dear, pricing: {model: percentage, rate: 0.08}, profile: {baa_offered: true}}\n"
        "  - {name: Cheap, pricing: {model: percentage, rate: 0.01}, uplift: 0.2,\n"
        "     profile: {baa_offered: false}}\n"))
    # Dear: 20,000 - 8% x 500,000 = -20,000; Cheap pays but has no BAA
    assert (d.verdict, d.recommended, d.financial_best, d.runner_up) == (
        "stay", None, "Dear", "Dear")
    assert d.to_dict()["margin"] == {"score": None, "net_gain": 20000.0}
    assert reason(d).startswith("Keep billing in-house") and "$20,000" in reason(d)
    assert [e["vendor"] for e in d.excluded] == ["Cheap"]


def test_stay_when_no_vendor_is_eligible():
    d = decide(_scenario(
        "  - {name: Cheap, pricing: {model: percentage, rate: 0.01}, uplift: 0.2,\n"
        "     profile: {baa_offered: false}}\n"))
    assert (d.verdict, d.recommended, d.financial_best, d.runner_up) == ("stay", None, None, None)
    assert d.ranges == {} and "Business Associate Agreement" in reason(d)


def test_a_top_ranked_vendor_that_loses_is_not_recommended():
    # Loser: financial 0 but perfect otherwise -> 60 points; Payer: financial 100, rest 0 -> 40
    perfect = ("profile: {specialty_experience: true, certified_coders: true, baa_offered: true,"
               " realtime_dashboard: true, data_export_on_exit: true, encryption: true,"
               " disaster_recovery: true, dedicated_account_manager: true},\n"
               "     sla: {days_in_ar: 25, clean_claim_rate: 0.96, net_collection_rate: 0.97,"
               " denial_rate: 0.04},\n"
               "     contract: {term_months: 12, termination_fee: 0, notice_days: 30,"
               " auto_renewal: false}")
    d = decide(_scenario(
        f"  - {{name: Loser, pricing: {{model: percentage, rate: 0.09}}, {perfect}}}\n"
        "  - {name: Payer, pricing: {model: percentage, rate: 0.02},\n"
        "     contract: {term_months: 36, termination_fee: 50000, notice_days: 120,"
        " auto_renewal: true}}\n"))
    assert rcmmodel.compare(_scenario(
        f"  - {{name: Loser, pricing: {{model: percentage, rate: 0.09}}, {perfect}}}\n"
        "  - {name: Payer, pricing: {model: percentage, rate: 0.02}}\n")).top.name == "Loser"
    assert (d.verdict, d.recommended, d.runner_up) == ("outsource", "Payer", None)


def test_compare_text_never_calls_a_losing_first_the_choice(tmp_path, capsys):
    path = tmp_path / "s.yaml"
    vendors = (
        "  - {name: Loser, pricing: {model: percentage, rate: 0.09}, profile: {"
        "specialty_experience: true, certified_coders: true, baa_offered: true,"
        " realtime_dashboard: true, data_export_on_exit: true, encryption: true,"
        " disaster_recovery: true, dedicated_account_manager: true},\n"
        "     sla: {days_in_ar: 25, clean_claim_rate: 0.96, net_collection_rate: 0.97,"
        " denial_rate: 0.04},\n     contract: {term_months: 12, termination_fee: 0,"
        " notice_days: 30, auto_renewal: false}}\n"
        "  - {name: Payer, pricing: {model: percentage, rate: 0.02}}\n")
    assert rcmmodel.compare(_scenario(vendors)).top.name == "Loser"
    path.write_text(_text(vendors))
    assert main(["compare", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Top choice: Payer" in out and "Top choice: Loser" not in out
    assert "The ranking's first, Loser, loses money" in out
    assert "How stable is the top choice?" not in out


def test_unstated_contract_is_not_stated_and_scores_the_midpoint():
    from rcmmodel.present.verdict import lock_in
    from rcmmodel.vendors.assess import contract_risk_score

    s = _scenario("  - {name: Quiet, pricing: {model: percentage, rate: 0.05}}\n")
    a = rcmmodel.compare(s).vendor("Quiet")
    k = a.contract
    assert (k.term_months, k.termination_fee, k.notice_days, k.auto_renewal) == (None,) * 4
    assert k.exit_cost is None and k.notice_cost is None
    assert k.score == 50.0 == contract_risk_score(None, None, None, None, 1.0)
    assert lock_in(k) == ("term not stated, termination fee not stated, notice period not "
                          "stated, auto-renewal not stated")
    assert "12 months" not in lock_in(k) and "no termination fee" not in lock_in(k)
    assert any(f.code == "contract_unstated" for f in a.flags)
    # one-time fees spread over one year where the term is not stated
    assert a.cost.one_time_annual == a.cost.one_time


def test_monthly_minimum_is_part_of_every_price_label():
    from rcmmodel.pricing import pricing_label

    s = _scenario("  - {name: Hy, pricing: {model: hybrid, monthly_base: 1500, rate: 0.035},\n"
                  "     fees: {monthly_minimum: 6500}}\n")
    assert pricing_label(s.vendors[0]) == ("$1,500 a month + 3.5% of collections, at least "
                                           "$6,500 a month")


def test_app_never_shows_an_ineligible_vendor_as_paying():
    from rcmmodel.app import Calculator, CompareQuotes

    calc = Calculator(str(CONFLICT), charts=False)
    calc.vendor.value = "NoBAA Billing"
    assert calc.net_gain > 0                                 # it would pay the most ...
    assert "rcm-good" not in calc.headline.value             # ... but is never shown so
    assert "rcm-bad" in calc.headline.value and "cannot be recommended" in calc.headline.value
    assert " pays." not in calc.headline.value
    calc.vendor.value = "Steady Claims"
    assert "rcm-good" in calc.headline.value
    panel = CompareQuotes(str(CONFLICT), charts=False)
    assert "Steady Claims" in panel.top.value and "NoBAA Billing" not in panel.top.value.split(
        "<div>")[0]


def test_an_own_criterion_outweighing_the_money_and_a_zero_break_even_read_as_sentences():
    """Gamma (8% of 550,000 = 44,000; net gain 50,000 + 40,000 - 44,000 = 46,000, and
    40,000 - 40,000 = 0 with no uplift: break-even at no change) is recommended over
    Alpha (51,500) on the practice's own criterion alone."""
    from rcmmodel.present.verdict import net_gain_range

    s = parse_scenario({
        "name": "Own criterion",
        "practice": {"annual_collections": 500000, "claims_per_month": 400},
        "inhouse": {"annual_cost": 40000},
        "vendors": [{"name": "Alpha", "pricing": {"model": "percentage", "rate": 0.07},
                     "uplift": 0.10},
                    {"name": "Gamma", "pricing": {"model": "percentage", "rate": 0.08},
                     "uplift": 0.10}],
        "ranking": {"weights": {"financial": 1, "sla": 0, "due_diligence": 0,
                                "contract_risk": 0},
                    "criteria": [{"name": "Local office", "weight": 5,
                                  "scores": {"Alpha": 0, "Gamma": 100}}]}})
    d = decide(s)
    assert (d.recommended, d.financial_best) == ("Gamma", "Alpha")
    assert "but Gamma's score on “Local office” outweighs that under" in reason(d)
    said = net_gain_range(d.ranges["Gamma"])
    assert "$0 with no uplift; it breaks even with collections as they are" in said
    assert "-0.0%" not in said
