"""Vendor evaluation: effective rates, SLA scorecard, due diligence, contract, ranking, stability.

The figures of ``data_vendors/four-quotes.yaml`` are worked out by hand in that file's
comments; the tests pin them.
"""
from pathlib import Path

import numpy as np
import pytest
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from rcmmodel import RcmInputError, load_scenario, parse_scenario
from rcmmodel.vendors.ranking import (CRITERIA, DEFAULT_WEIGHTS, compare, financial_scores, rank_order,
                              stability, weighted_totals)
from rcmmodel.present.flags_text import disqualified_text
from rcmmodel.scenario.schema import Weights
from rcmmodel.vendors.assess import CHECKLIST, contract_risk_score, due_diligence, sla_scorecard

DATA = Path(__file__).parent / "data_vendors"
SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


@pytest.fixture(scope="module")
def four():
    return load_scenario(DATA / "four-quotes.yaml")


@pytest.fixture(scope="module")
def cmp4(four):
    return compare(four)


def codes(assessment):
    return {f.code for f in assessment.flags}


# --- effective rate ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, all_in, rate, extras, one_time_annual", [
    ("AllIn", 33000, 0.06, 0, 0),
    ("Extras", 28900, 28900 / 550000, 5400, 1500),
    ("NoBAA", 16800, 0.03, 0, 0),
    ("MinPerClaim", 30000, 30000 / 525000, 0, 0),
])
def test_effective_rate_pinned(cmp4, name, all_in, rate, extras, one_time_annual):
    cost = cmp4.vendor(name).cost
    assert cost.all_in_annual == pytest.approx(all_in, abs=1e-9)
    assert cost.effective_rate == pytest.approx(rate, rel=1e-12)
    assert cost.recurring_extras == pytest.approx(extras)
    assert cost.one_time_annual == pytest.approx(one_time_annual)


def test_extras_listed_item_by_item(cmp4):
    extras = {(e.item, e.per): e.amount for e in cmp4.vendor("Extras").cost.extras}
    assert extras == {("patient statements", "year"): 1200, ("per-provider fee", "year"): 1200,
                      ("denial management", "year"): 3000, ("setup", "once"): 2400,
                      ("credentialing", "once"): 600}
    assert cmp4.vendor("AllIn").cost.extras == []


def test_binding_minimum_top_up(cmp4):
    cost = cmp4.vendor("MinPerClaim").cost
    assert cost.service_fee == pytest.approx(30000)
    assert cost.minimum_top_up == pytest.approx(6000)        # (2,500 - 400 x 5) x 12
    assert "minimum_binds" in codes(cmp4.vendor("MinPerClaim"))
    assert cmp4.vendor("AllIn").cost.minimum_top_up == 0


def test_short_term_spreads_one_time_over_a_year():
    data = {"schema": "rcmmodel/v1", "name": "x",
            "practice": {"annual_collections": 500000},
            "inhouse": {"annual_cost": 40000},
            "vendors": [{"name": "V", "pricing": {"model": "percentage", "rate": 0.07},
                         "fees": {"setup": 1200}, "uplift": 0.10,
                         "contract": {"term_months": 3}}]}
    cost = compare(parse_scenario(data)).vendor("V").cost
    assert cost.one_time_annual == 1200                     # not 4,800 for a 3-month term
    assert cost.effective_rate == pytest.approx((38500 + 1200) / 550000)


# --- SLA scorecard -------------------------------------------------------------------------------

def test_sla_scorecard_grades_and_baseline(cmp4):
    sla = cmp4.vendor("Extras").sla
    assert sla.offered and sla.score == 25.0
    assert [sla.kpis[k].grade for k in ("days_in_ar", "clean_claim_rate", "net_collection_rate",
                                        "denial_rate")] == ["amber", "amber", "red", None]
    assert sla.omitted == ["denial_rate"]
    assert sla.kpis["days_in_ar"].vs_baseline == "better"       # 35 days vs 45 today
    assert sla.kpis["net_collection_rate"].vs_baseline == "worse"   # 0.89 vs 0.90 today
    assert sla.kpis["denial_rate"].vs_baseline is None
    assert cmp4.vendor("AllIn").sla.score == 100.0


def test_missing_sla_is_flagged_and_scores_zero(cmp4):
    a = cmp4.vendor("MinPerClaim")
    assert not a.sla.offered and a.sla.score == 0
    assert "no_sla" in codes(a)


def test_sla_boundaries_follow_benchmark_table():
    from rcmmodel.scenario.schema import KPIs
    at_target = sla_scorecard(KPIs(days_in_ar=30, clean_claim_rate=0.95, net_collection_rate=0.96,
                                   denial_rate=0.05), KPIs())
    # "< 30" and "< 5%" are strict, ">= 95%" and ">= 96%" are not: 50, 100, 100, 50
    assert at_target.score == 75.0


# --- due diligence and contract ------------------------------------------------------------------

def test_checklist_has_the_guides_items():
    assert [i.key for i in CHECKLIST] == [
        "specialty_experience", "certified_coders", "baa_offered", "realtime_dashboard",
        "data_export_on_exit", "encryption", "disaster_recovery", "dedicated_account_manager"]


def test_due_diligence_scores(cmp4):
    assert cmp4.vendor("AllIn").diligence.score == 100
    d = cmp4.vendor("Extras").diligence
    assert d.score == 50
    assert d.refused == ["realtime_dashboard", "data_export_on_exit"]
    assert d.unanswered == ["disaster_recovery", "dedicated_account_manager"]
    assert cmp4.vendor("MinPerClaim").diligence.score == 37.5


@pytest.mark.parametrize("args, score", [
    ((12, 0, 30, False, 30000), 100.0),
    ((24, 6850, 120, True, 27400), 15.0),
    ((6, 0, 60, False, 30000), 95.0),
    ((12, 0, 90, None, 1), 82.5),
    ((36, 1, 30, False, 0), 30.0),        # a fee on a vendor that costs nothing: full penalty
    ((48, 100000, 365, True, 50000), 0.0),
])
def test_contract_risk_score(args, score):
    assert contract_risk_score(*args) == pytest.approx(score)


def test_exit_cost(cmp4):
    k = cmp4.vendor("Extras").contract
    assert k.notice_cost == pytest.approx(120 / 365 * 27400)
    assert k.exit_cost == pytest.approx(6850 + 120 / 365 * 27400)


# --- scores and ranking --------------------------------------------------------------------------

def test_scores_pinned(cmp4):
    f_allin = 100 * 77000 / 82600
    f_min = 100 * 55000 / 82600
    expected = {
        "AllIn": (f_allin, 100, 100, 100, 0.4 * f_allin + 25 + 20 + 15),
        "Extras": (100, 25, 50, 15, 40 + 6.25 + 10 + 2.25),
        "MinPerClaim": (f_min, 0, 37.5, 95, 0.4 * f_min + 7.5 + 14.25),
        # no contract block: every term unstated, each at half its penalty, 100 - 50 = 50
        "NoBAA": (100, 0, 12.5, 50, 40 + 2.5 + 7.5),
    }
    for name, values in expected.items():
        got = cmp4.score_of(name)
        assert [got[c] for c in (*CRITERIA, "total")] == pytest.approx(values, rel=1e-12), name
    assert cmp4.score_of("AllIn")["total"] == pytest.approx(97.288135593, rel=1e-9)


def test_ranking_and_disqualification(cmp4):
    assert [a.name for a in cmp4.ranked] == ["AllIn", "Extras", "MinPerClaim", "NoBAA"]
    assert cmp4.top.name == "AllIn"
    nobaa = cmp4.vendor("NoBAA")
    assert cmp4.rank_of("NoBAA") is None and not nobaa.eligible
    assert nobaa.disqualified == "no_baa"
    assert "Business Associate Agreement" in disqualified_text(nobaa.disqualified)
    assert "no_baa" in codes(nobaa)


def test_default_weights_documented():
    assert Weights().model_dump() == DEFAULT_WEIGHTS


@settings(max_examples=examples(200), deadline=None)
@given(st.lists(st.floats(0, 10), min_size=4, max_size=4).filter(lambda w: sum(w) > 1e-6))
def test_no_baa_vendor_never_first_whatever_the_weights(four, w):
    c = compare(four, weights=dict(zip(CRITERIA, w)))
    assert c.top.name != "NoBAA"
    assert c.rank_of("NoBAA") is None


def test_no_baa_highest_gain_example_never_first():
    c = compare(load_scenario(SCENARIOS / "mental-health-group.yaml"),
                weights={"financial": 1, "sla": 0, "due_diligence": 0, "contract_risk": 0})
    budget = c.vendor("BudgetBill Offshore")
    assert budget.net_gain == max(a.net_gain for a in c.assessments)
    assert c.top.name != "BudgetBill Offshore" and c.rank_of("BudgetBill Offshore") is None


def test_financial_scores():
    assert financial_scores([10, 5, 20], [True, True, False]).tolist() == [100, 50, 100]
    assert financial_scores([-1, -2], [True, True]).tolist() == [0, 0]
    assert financial_scores([1], [False]).tolist() == [0]


def test_basis_npv_uses_npv(four):
    c = compare(four, basis="npv")
    npvs = {a.name: a.npv for a in c.assessments if a.eligible}
    best = max(npvs.values())
    assert c.score_of("AllIn")["financial"] == pytest.approx(100 * npvs["AllIn"] / best)


def test_weight_override_checked(four):
    with pytest.raises(ValueError, match="unknown criteria"):
        compare(four, weights={"price": 1})
    with pytest.raises(ValueError):
        compare(four, weights={"sla": -1})


# --- stability -----------------------------------------------------------------------------------

def test_stability_financial_bound_hand_computed(cmp4):
    r = cmp4.stability["financial"]
    # O_v: the other criteria's weighted mean; AllIn 100, Extras 18.5 / 0.6
    d0 = 100 - 18.5 / 0.6
    d1 = 100 * 77000 / 82600 - 100
    share = d0 / (d0 - d1)
    assert r.share_high == pytest.approx(share, rel=1e-12)
    assert r.share_high == pytest.approx(0.9107309, abs=1e-7)
    assert r.weight_high == pytest.approx(share * 0.6 / (1 - share), rel=1e-12)
    assert (r.share_low, r.weight_low, r.rival_low, r.rival_high) == (0, 0, None, "Extras")
    for k in ("sla", "due_diligence", "contract_risk"):
        assert (cmp4.stability[k].share_low, cmp4.stability[k].share_high) == (0, 1)


def _top_with(scenario, criterion, weight):
    weights = dict(scenario.ranking.effective_weights, **{criterion: weight})
    return compare(scenario, weights=weights).top.name


def test_weight_just_past_bound_changes_top(four, cmp4):
    r = cmp4.stability["financial"]
    assert _top_with(four, "financial", r.weight_high * (1 - 1e-7)) == "AllIn"
    assert _top_with(four, "financial", r.weight_high * (1 + 1e-7)) == "Extras"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_stability_bounds_are_exact_on_examples(path):
    scenario = load_scenario(path)
    c = compare(scenario)
    top = c.top.name
    for k, r in c.stability.items():
        if r.rival_high:
            assert _top_with(scenario, k, r.weight_high * (1 - 1e-7)) == top
            assert _top_with(scenario, k, r.weight_high * (1 + 1e-7)) == r.rival_high
        if r.rival_low:
            assert _top_with(scenario, k, r.weight_low * (1 + 1e-7)) == top
            assert _top_with(scenario, k, r.weight_low * (1 - 1e-7)) == r.rival_low
        mid = (r.share_low + r.share_high) / 2
        others = sum(c.weights.values()) - c.weights[k]
        if others > 0 and mid < 1:
            assert _top_with(scenario, k, mid * others / (1 - mid)) == top


def test_example_with_a_lower_bound():
    c = compare(load_scenario(SCENARIOS / "family-practice-quotes.yaml"))
    r = c.stability["contract_risk"]
    assert r.rival_low == "TierWise RCM" and r.rival_high == "SteadyClaim"
    assert 0 < r.weight_low < r.weight < r.weight_high


def _mixed(w, c, p):
    """Weights with criterion c at share p and the others in their proportions."""
    w = np.array(w, dtype=float)
    others = w.sum() - w[c]
    mixed = w / others * (1 - p) if others > 0 else w.copy()
    mixed[c] = p
    return mixed


def _top_at_share(scores, w, c, p, names, eligible):
    totals = weighted_totals(scores, _mixed(w, c, p))
    return rank_order(totals, scores[:, 0], names, eligible)[0]


@settings(max_examples=examples(300), deadline=None)
@given(st.integers(2, 5).flatmap(lambda n: st.tuples(
    st.lists(st.lists(st.integers(0, 100), min_size=4, max_size=4), min_size=n, max_size=n),
    st.lists(st.integers(1, 10), min_size=4, max_size=4))))
def test_stability_property_flip_exactly_at_bounds(case):
    scores, w = case
    scores = np.array(scores, dtype=float)
    names = [f"v{i}" for i in range(len(scores))]
    eligible = [True] * len(scores)
    order = rank_order(weighted_totals(scores, w), scores[:, 0], names, eligible)
    ranges = stability(scores, w, order[0], order[1:], names)
    for c, k in enumerate(CRITERIA):
        r = ranges[k]
        assert r.share_low <= r.share <= r.share_high
        eps = 1e-6
        # just past a bound the top choice loses first place, and the named rival is ahead
        for bound, rival, past in ((r.share_high, r.rival_high, r.share_high + eps),
                                   (r.share_low, r.rival_low, r.share_low - eps)):
            if rival and 0 < past < 1:
                assert _top_at_share(scores, w, c, past, names, eligible) != order[0]
                mixed = _mixed(w, c, past)
                totals = weighted_totals(scores, mixed)
                assert totals[names.index(rival)] > totals[order[0]]
        if r.share_high - r.share_low > 2 * eps:
            inside = (r.share_low + r.share_high) / 2
            assert _top_at_share(scores, w, c, inside, names, eligible) == order[0]


# --- weights in the scenario ---------------------------------------------------------------------

def _with_ranking(ranking):
    data = {"schema": "rcmmodel/v1", "name": "x", "practice": {"annual_collections": 500000},
            "inhouse": {"annual_cost": 40000},
            "vendors": [{"name": "V", "pricing": {"model": "percentage", "rate": 0.07}}],
            "ranking": ranking}
    return parse_scenario(data, "s.yaml")


def test_scenario_weights_used(four):
    s = _with_ranking({"weights": {"financial": 1, "sla": 0, "due_diligence": 0,
                                   "contract_risk": 0}, "basis": "npv"})
    assert s.ranking.weights.financial == 1 and s.ranking.basis == "npv"
    assert compare(s).weights == {"financial": 1, "sla": 0, "due_diligence": 0,
                                  "contract_risk": 0}


@pytest.mark.parametrize("ranking, where, message", [
    ({"weights": {"sla": -0.1}}, "ranking.weights.sla", "must be at least 0"),
    ({"weights": {"financial": 0, "sla": 0, "due_diligence": 0, "contract_risk": 0}},
     "ranking.weights", "cannot all be zero"),
    ({"weights": {"price": 0.5}}, "ranking.weights.price", "unknown field"),
    ({"weights": {"sla": "high"}}, "ranking.weights.sla", "number"),
    ({"basis": "roi"}, "ranking.basis", "net_gain"),
    ({"weight": {}}, "ranking.weight", "unknown field"),
])
def test_bad_weights_name_the_field(ranking, where, message):
    with pytest.raises(RcmInputError) as err:
        _with_ranking(ranking)
    problem = err.value.problems[0]
    assert (problem.file, problem.where) == ("s.yaml", where)
    assert message in problem.message


# --- flags in the shipped examples ---------------------------------------------------------------

@pytest.mark.parametrize("path, vendor, flag", [
    ("dermatology-clinic.yaml", "ValueClaims", "extras"),
    ("physical-therapy.yaml", "TheraBill", "minimum_binds"),
    ("dermatology-clinic.yaml", "ClaimPilot", "no_sla"),
    ("mental-health-group.yaml", "BudgetBill Offshore", "no_baa"),
    ("family-practice-quotes.yaml", "LowRate RCM", "extras"),
    ("family-practice-quotes.yaml", "SteadyClaim", "minimum_binds"),
    ("family-practice-quotes.yaml", "SteadyClaim", "no_sla"),
    ("family-practice-quotes.yaml", "ShoreSide Billing", "no_baa"),
])
def test_examples_show_each_flag(path, vendor, flag):
    c = compare(load_scenario(SCENARIOS / path))
    assert flag in codes(c.vendor(vendor))


def test_due_diligence_of_empty_profile():
    from rcmmodel.scenario.schema import Profile
    d = due_diligence(Profile())
    assert d.score == 0 and len(d.unanswered) == 8 and d.refused == []


# --- frames and charts ---------------------------------------------------------------------------

def test_frames(cmp4):
    frame = cmp4.to_frame()
    assert list(frame.index) == ["AllIn", "Extras", "MinPerClaim", "NoBAA"]
    assert frame.loc["Extras", "effective_rate"] == pytest.approx(28900 / 550000)
    assert frame["rank"].isna().tolist() == [False, False, False, True]
    assert len(cmp4.scorecard_frame()) == 4 * 5
    assert cmp4.checklist_frame().shape == (8, 4)


def test_charts_render_offline(cmp4):
    from rcmmodel.present import charts_vendors as cv
    from rcmmodel.present.charts import to_svg
    for chart in (cv.effective_rates, cv.sla_scorecard, cv.ranking_scores, cv.stability_ranges):
        svg = to_svg(chart(cmp4))
        assert svg.startswith("<svg") and "AllIn" in svg
