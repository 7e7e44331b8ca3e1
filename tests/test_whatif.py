"""What-ifs (docs/methodology.md §6, "What-ifs"): rcmmodel.whatif and rcm evaluate --set,
net gains by hand on the guide's example, a variant that flips the decision, bad paths and
values refused (exit 2) naming them."""
import json

import pytest
from conftest import SCENARIOS, rcm_inprocess

import rcmmodel
from rcmmodel import RcmInputError, load_scenario

GUIDE = SCENARIOS / "guide-example.yaml"


def test_variants_side_by_side_by_hand():
    w = rcmmodel.whatif(load_scenario(GUIDE), {"vendors[0].pricing.rate": 0.05},
                        {"practice.annual_collections": 750000})
    assert w.base.changes == {} and w.base.net_gains["Guide Billing Co"] == pytest.approx(51500)
    # 50,000 + 40,000 - 5% x 550,000
    assert w.variants[0].net_gains["Guide Billing Co"] == pytest.approx(90000 - 27500)
    # 75,000 + 40,000 - 7% x 825,000
    assert w.variants[1].net_gains["Guide Billing Co"] == pytest.approx(115000 - 57750)
    assert [c.moved for c in w.cases] == [False, False, False]
    d = w.to_dict()
    assert d["variants"][1] == {"changes": {"practice.annual_collections": 750000},
                                "net_gains": {"Guide Billing Co": 57250.0},
                                "verdict": "outsource", "recommended": "Guide Billing Co",
                                "alternative": None, "moved": False}
    frame = w.to_frame()
    assert list(frame.index) == ["base", "variant 1", "variant 2"]
    assert frame.loc["variant 1", "net_gain: Guide Billing Co"] == pytest.approx(62500)


def test_a_variant_that_flips_the_decision():
    # no uplift at $1,000,000: the fee (7% x 1,000,000 = 70,000) outweighs the 40,000 saved
    flip = {"vendors[0].uplift": 0, "practice.annual_collections": 1000000}
    w = rcmmodel.whatif(GUIDE, flip, {"timeline.ramp_days": 30})
    assert (w.base.verdict, w.base.recommended) == ("outsource", "Guide Billing Co")
    v = w.variants[0]
    assert v.net_gains["Guide Billing Co"] == pytest.approx(40000 - 70000)
    assert (v.verdict, v.recommended, v.moved) == ("stay", None, True)
    assert w.moved == [v] and not w.variants[1].moved


def test_ranking_priority_and_timeline_paths():
    w = rcmmodel.whatif(GUIDE, {"ranking.priority": "money_first", "timeline.ramp_days": 0})
    assert w.variants[0].evaluation.scenario.timeline.ramp_days == 0
    assert w.variants[0].net_gains == w.base.net_gains      # steady state: no ramp in it


@pytest.mark.parametrize("changes, where, said", [
    ({"practice.annual_colections": 1}, "practice.annual_colections", "did you mean annual_collections"),
    ({"vendors[3].pricing.rate": 0.1}, "vendors[3].pricing.rate", "no such entry"),
    ({"vendors[0].pricing.rate": 7}, "vendors[0].pricing.rate", "did you mean 0.07"),
    ({"practice.annual_collections": -5}, "practice.annual_collections", "greater than 0"),
    ({"vendors.rate": 1}, "vendors.rate", "give the entry's index"),
])
def test_bad_changes_named(changes, where, said):
    with pytest.raises(RcmInputError) as err:
        rcmmodel.whatif(GUIDE, changes)
    (p,) = err.value.problems
    assert (p.file, p.where) == ("what-if", where) and said in p.message


def test_cli_set_text_and_json():
    r = rcm_inprocess("evaluate", GUIDE, "--set", "practice.annual_collections=750000")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0] == ("With practice.annual_collections = 750000 "
                                        "(the file says 500000).")
    assert "$57,250" in r.stdout
    r = rcm_inprocess("evaluate", GUIDE, "--json", "--set", "vendors[0].pricing.rate=0.2",
                      "--set", "ranking.priority=money_first")
    d = json.loads(r.stdout)
    assert d["set"] == {"vendors[0].pricing.rate": 0.2, "ranking.priority": "money_first"}
    # 50,000 + 40,000 - 20% x 550,000: the decision flips to staying in-house
    assert d["vendors"][0]["annual"]["net_gain"] == -20000.0
    assert d["decision"]["verdict"] == "stay"


def test_cli_set_a_field_the_file_leaves_out():
    r = rcm_inprocess("evaluate", GUIDE, "--set", "inhouse.residual_after_outsourcing=5000")
    assert r.returncode == 0, r.stderr
    assert "(the file does not set it)" in r.stdout.splitlines()[0]
    assert "$46,500" in r.stdout                      # 51,500 - 5,000 stays in-house


@pytest.mark.parametrize("arg, said", [
    ("practice.annual_colections=1", "--set: practice.annual_colections: unknown field"),
    ("vendors[0].pricing.rate=7", "--set: vendors[0].pricing.rate: must be at most 1"),
    ("vendors[0].pricing.rate=abc", "--set: vendors[0].pricing.rate: must be a number"),
    ("practice.annual_collections", "--set: practice.annual_collections: give PATH=VALUE"),
    ("vendors[9].uplift=0.1", "--set: vendors[9].uplift: no such entry"),
])
def test_cli_bad_set_exits_2(arg, said):
    r = rcm_inprocess("evaluate", GUIDE, "--set", arg)
    assert r.returncode == 2 and r.stdout == ""
    assert said in r.stderr and "Traceback" not in r.stderr


def test_claims_scenario_is_measured_after_the_change():
    path = SCENARIOS / "family-practice-claims.yaml"
    w = rcmmodel.whatif(path, {"timeline.ramp_days": 30})
    assert w.variants[0].evaluation.scenario.claims_evidence is not None
    assert w.base.evaluation.uplift_basis == w.variants[0].evaluation.uplift_basis == "claims"


def test_each_case_names_the_alternative_and_a_change_of_it_moves_the_decision():
    # Lakeside: the coder gains 600,000 x 8% - 25,000 = 23,000, above Valley's 17,750
    path = SCENARIOS / "pediatrics-fix-inhouse.yaml"
    w = rcmmodel.whatif(path, {"alternatives[0].annual_cost": 45000},
                        {"alternatives[0].uplift": 0.02})
    base, pricier, smaller = w.cases
    assert (base.verdict, base.alternative) == ("improve", "Hiring a certified coder")
    assert base.alternative_gains["Hiring a certified coder"] == pytest.approx(23000)
    # 48,000 - 45,000 = 3,000 is below Valley's 17,750: outsource; the best alternative is now
    # the service (600,000 x 3% - 9,600 = 8,400, more than the coder's 3,000)
    assert pricier.alternative_gains["Hiring a certified coder"] == pytest.approx(3000)
    assert (pricier.verdict, pricier.recommended) == ("outsource", "Valley Billing Services")
    assert pricier.alternative == "A denial-management service" and pricier.moved
    # 12,000 - 25,000 < 0: the service (8,400) is the best alternative, and Valley wins
    assert (smaller.verdict, smaller.alternative) == ("outsource", "A denial-management service")
    d = w.to_dict()
    assert d["base"]["alternative"] == "Hiring a certified coder"
    assert d["variants"][0]["alternative_net_gains"] == {"Hiring a certified coder": 3000.0,
                                                          "A denial-management service": 8400.0}
    assert w.to_frame().loc["base", "alternative"] == "Hiring a certified coder"


def test_moved_when_only_the_best_alternative_changes():
    # the service at 10%: 60,000 - 9,600 = 50,400 beats the coder's 23,000; still "improve",
    # no vendor recommended, but another alternative: the decision moved
    path = SCENARIOS / "pediatrics-fix-inhouse.yaml"
    w = rcmmodel.whatif(path, {"alternatives[1].uplift": 0.10})
    (v,) = w.variants
    assert (v.verdict, v.recommended) == (w.base.verdict, w.base.recommended) == ("improve", None)
    assert v.alternative == "A denial-management service" and v.moved
