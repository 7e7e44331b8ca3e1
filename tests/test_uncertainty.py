"""Monte Carlo (rcmmodel.risk.uncertainty): analytic cases, reproducibility, shape of the result."""
import copy
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from rcmmodel.errors import RcmInputError
from rcmmodel.model.evaluate import evaluate
from rcmmodel.scenario import load_scenario, parse_scenario
from rcmmodel.risk.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, check_draws, simulate

HERE = Path(__file__).resolve().parent / "scenarios_unc"


def guide(rate=0.07, uplift=0.10, **extra):
    return parse_scenario({
        "name": "Guide", "practice": {"annual_collections": 500000, "claims_per_month": 400},
        "inhouse": {"annual_cost": 40000},
        "vendors": [{"name": "Acme", "pricing": {"model": "percentage", "rate": rate},
                     "uplift": uplift}], **extra})


# --- the guide's example with the fee rate uniform on [0.10, 0.20] ---------------------------
# The quoted uplift, 10%, is a single figure: it is drawn from triangular(0, 10%, 10%), "at most
# the promise, possibly nothing" (density 200u on [0, 0.1]). Each draw's net gain is
# 500,000 u + 40,000 - rate x 500,000 (1 + u), so its distribution is an integral over u.

N = 200_000


def net_gain_cdf(x: float) -> float:
    """P(net gain <= x), integrating the uniform rate's tail over the triangular uplift."""
    from scipy.integrate import quad

    def at(u):
        rate = (500000 * u + 40000 - x) / (500000 * (1 + u))     # net gain = x at this rate
        return 200 * u * np.clip((0.20 - rate) / 0.10, 0.0, 1.0)
    return quad(at, 0.0, 0.1, limit=200, points=[0.0222222])[0]


def net_gain_quantile(q: float) -> float:
    from scipy.optimize import brentq
    return brentq(lambda x: net_gain_cdf(x) - q, -200000, 200000, xtol=1e-6)


@pytest.fixture(scope="module")
def uniform_rate():
    return simulate(load_scenario(HERE / "guide-uniform-rate.yaml"), draws=N, seed=2024)


def test_prob_positive_integrates_rate_and_uplift(uniform_rate):
    # net gain > 0 needs rate < (u + 0.08) / (1 + u), which is above 0.10 only for u > 0.0222
    p = 1 - net_gain_cdf(0.0)
    assert p == pytest.approx(0.37399, abs=1e-5)
    sd = math.sqrt(p * (1 - p) / N)
    assert uniform_rate.vendors[0].prob_positive == pytest.approx(p, abs=4 * sd)


@pytest.mark.parametrize("key, q", [("p05", 0.05), ("p50", 0.50), ("p95", 0.95)])
def test_net_gain_percentiles_by_integration(uniform_rate, key, q):
    expected = net_gain_quantile(q)
    h = 50.0
    density = (net_gain_cdf(expected + h) - net_gain_cdf(expected - h)) / (2 * h)
    sd = math.sqrt(q * (1 - q) / N) / density          # sampling error of a quantile
    assert uniform_rate.vendors[0].percentiles()[key] == pytest.approx(expected, abs=5 * sd)


def test_npv_of_a_draw_is_the_timeline_of_its_inputs():
    r = simulate(load_scenario(HERE / "guide-uniform-rate.yaml"), draws=50, seed=9,
                 keep_inputs=True)
    for i in (0, 21, 49):
        rate, u = r.inputs["vendors[0].pricing.rate"][i], r.inputs["vendors[0].uplift"][i]
        one = evaluate(guide(rate=float(rate), uplift=float(u))).vendors[0].figures
        assert r.vendors[0].npv[i] == pytest.approx(float(one.npv), rel=1e-12)
        assert r.vendors[0].net_gain[i] == pytest.approx(float(one.net_gain), rel=1e-12)


def test_one_vendor_is_recommended_exactly_when_it_pays(uniform_rate):
    v = uniform_rate.vendors[0]
    assert v.prob_recommended == v.prob_positive
    assert uniform_rate.prob_stay == pytest.approx(1 - v.prob_positive)
    assert uniform_rate.prob_outsourcing_pays == pytest.approx(v.prob_positive)


def test_uniform_draws_stay_in_range_and_are_uniform():
    r = simulate(load_scenario(HERE / "guide-uniform-rate.yaml"), draws=50_000, seed=3,
                 keep_inputs=True)
    rates = r.inputs["vendors[0].pricing.rate"]
    assert rates.min() >= 0.10 and rates.max() <= 0.20
    assert rates.mean() == pytest.approx(0.15, abs=0.001)
    # Each draw's net gain is the guide's formula on that draw's rate and uplift (to a
    # millionth of a cent); the uplift is drawn between 0 and the quoted 10%.
    u = r.inputs["vendors[0].uplift"]
    assert u.min() >= 0.0 and u.max() <= 0.10
    assert u.mean() == pytest.approx(2 / 3 * 0.10, abs=0.001)      # triangular(0, .1, .1)
    np.testing.assert_allclose(r.vendors[0].net_gain,
                               500000 * u + 40000 - rates * 500000 * (1 + u), rtol=0, atol=1e-6)


# --- reproducibility and ordering ------------------------------------------------------------

def test_same_seed_gives_identical_results():
    s = load_scenario(HERE / "three-vendors.yaml")
    a, b = simulate(s, draws=30_000, seed=99), simulate(s, draws=30_000, seed=99)
    for va, vb in zip(a.vendors, b.vendors):
        np.testing.assert_array_equal(va.net_gain, vb.net_gain)
        np.testing.assert_array_equal(va.npv, vb.npv)
    assert a.to_dict() == b.to_dict()
    c = simulate(s, draws=30_000, seed=100)
    assert not np.array_equal(a.vendors[0].net_gain, c.vendors[0].net_gain)


def test_defaults_are_fixed_so_runs_reproduce():
    s = load_scenario(HERE / "three-vendors.yaml")
    r = simulate(s)
    assert (r.draws, r.seed) == (DEFAULT_DRAWS, DEFAULT_SEED) == (10_000, 12345)
    assert r.to_dict() == simulate(s).to_dict()


@settings(max_examples=examples(15), deadline=None)
@given(seed=st.integers(0, 2**32 - 1), draws=st.integers(1, 3000))
def test_percentiles_are_ordered(seed, draws):
    r = simulate(load_scenario(HERE / "three-vendors.yaml"), draws=draws, seed=seed)
    for v in r.vendors:
        for measure in ("net_gain", "npv"):
            p = v.percentiles(measure)
            assert p["p05"] <= p["p50"] <= p["p95"]
        assert v.prob_positive is None or 0.0 <= v.prob_positive <= 1.0


def test_chunks_do_not_change_the_model_only_the_stream():
    # Chunked evaluation agrees with evaluating each draw on its own: rebuild draw i as a
    # fixed scenario from the kept inputs and compare net gain and NPV (timeline included).
    s = load_scenario(HERE / "three-vendors.yaml")
    r = simulate(s, draws=40, seed=5, chunk=16, keep_inputs=True)
    data = yaml.safe_load((HERE / "three-vendors.yaml").read_text())
    for i in (0, 17, 39):
        fixed = copy.deepcopy(data)
        fixed["practice"]["annual_collections"] = r.inputs["practice.annual_collections"][i]
        fixed["inhouse"]["staff"][0]["salary"] = r.inputs["inhouse.staff[0].salary"][i]
        fixed["vendors"][0]["pricing"]["rate"] = r.inputs["vendors[0].pricing.rate"][i]
        fixed["vendors"][0]["uplift"] = r.inputs["vendors[0].uplift"][i]
        fixed["vendors"][1]["uplift"] = r.inputs["vendors[1].uplift"][i]
        fixed["vendors"][2]["uplift"] = r.inputs["vendors[2].uplift"][i]
        fixed["timeline"]["ramp_days"] = max(0.0, r.inputs["timeline.ramp_days"][i])
        one = evaluate(parse_scenario(fixed))
        for k, v in enumerate(r.vendors):
            assert v.net_gain[i] == pytest.approx(float(one.vendors[k].figures.net_gain), rel=1e-12)
            assert v.npv[i] == pytest.approx(float(one.vendors[k].figures.npv), rel=1e-12)


# --- no distributions, eligibility, probabilities --------------------------------------------

def test_a_single_uplift_is_drawn_up_to_the_quote():
    """No distribution in the file: the quoted 10% uplift alone is uncertain, drawn from
    triangular(0, 10%, 10%), whose q-quantile is 10% x sqrt(q). Net gain is
    500,000 u + 40,000 - 7% x 500,000 (1 + u) = 465,000 u + 5,000, rising in u."""
    s = load_scenario(HERE / "guide-fixed.yaml")
    r = simulate(s, draws=200_000, seed=1)
    v = r.vendors[0]
    want = {f"p{q:02d}": 465000 * 0.10 * math.sqrt(q / 100) + 5000 for q in (5, 50, 95)}
    assert want == pytest.approx({"p05": 15397.72, "p50": 37880.47, "p95": 50322.59}, abs=0.01)
    got = v.percentiles()
    for key, x in want.items():
        assert got[key] == pytest.approx(x, abs=300), key
    assert v.net_gain.max() <= 51500 + 1e-6            # never more than the promise
    assert list(r.uncertain) == ["vendors[0].uplift"]
    # it pays once 465,000 u > -5,000: always, as u >= 0
    assert v.prob_positive == 1.0 == v.prob_recommended and r.prob_stay == 0.0


def test_no_uplift_and_no_distribution_gives_zero_spread():
    data = yaml.safe_load((HERE / "guide-fixed.yaml").read_text())
    data["vendors"][0]["uplift"] = 0.0
    s = parse_scenario(data)
    r = simulate(s, draws=5000, seed=1)
    v = r.vendors[0]
    assert v.percentiles() == {"p05": pytest.approx(5000), "p50": pytest.approx(5000),
                               "p95": pytest.approx(5000)}     # 40,000 - 7% x 500,000
    npv = float(evaluate(s).vendors[0].figures.npv)
    assert set(np.round(v.npv, 6)) == {round(npv, 6)}
    assert v.prob_positive == 1.0 and r.uncertain == {}


def test_a_vendor_without_a_baa_is_never_recommended_and_never_said_to_pay():
    r = simulate(load_scenario(HERE / "three-vendors.yaml"), draws=20_000, seed=8)
    gamma = r.vendor("Gamma (no BAA)")
    # Gamma has the best numbers in most draws (1% fee, up to 30% uplift), but cannot be hired.
    assert np.mean(gamma.net_gain > r.vendor("Alpha").net_gain) > 0.9
    assert not gamma.eligible and gamma.prob_positive is None and gamma.prob_recommended == 0
    assert sum(v.prob_recommended for v in r.vendors) + r.prob_stay == pytest.approx(1.0)
    alpha, beta = (np.asarray(r.vendor(n).net_gain) for n in ("Alpha", "Beta"))
    assert r.prob_stay == pytest.approx(np.mean(np.maximum(alpha, beta) <= 0))


def test_no_eligible_vendor_always_stays():
    data = yaml.safe_load((HERE / "guide-fixed.yaml").read_text())
    data["vendors"][0]["profile"] = {"baa_offered": False}
    s = parse_scenario(data)
    r = simulate(s, draws=100)
    assert r.prob_stay == 1.0 and r.vendors[0].prob_recommended == 0.0
    assert r.vendors[0].prob_positive is None


def test_the_evidence_cap_bounds_the_draws_and_can_flip_the_odds():
    """Two quotes: Bold promises 20% for 9%, Modest 5% for 4%. Uncapped, Bold wins most
    draws; with the claims showing at most 6% lost, Bold's uplift is drawn up to 6% and it
    rarely pays its higher fee (9% x C1 against 6% x C0 + savings)."""
    s = parse_scenario({
        "name": "cap", "practice": {"annual_collections": 1_000_000},
        "inhouse": {"annual_cost": 60000},
        "vendors": [{"name": "Bold", "pricing": {"model": "percentage", "rate": 0.09},
                     "uplift": 0.20},
                    {"name": "Modest", "pricing": {"model": "percentage", "rate": 0.04},
                     "uplift": 0.05}],
        "ranking": {"weights": {"financial": 1, "sla": 0, "due_diligence": 0,
                                "contract_risk": 0}}})
    free = simulate(s, draws=50_000, seed=3, keep_inputs=True)
    capped = simulate(s, draws=50_000, seed=3, keep_inputs=True, caps={"Bold": 0.06})
    assert free.inputs["vendors[0].uplift"].max() > 0.19
    assert capped.inputs["vendors[0].uplift"].max() <= 0.06
    # Bold's net gain at u: 1,000,000 u + 60,000 - 0.09 x 1,000,000 (1 + u) = 910,000 u - 30,000
    # Modest's at v: 960,000 v + 20,000 (>= 20,000 always). With the financial weight alone
    # the higher gain wins: Bold needs 910,000 u - 30,000 > 960,000 v + 20,000.
    u, v = free.inputs["vendors[0].uplift"], free.inputs["vendors[1].uplift"]
    bold = np.mean(910000 * u - 30000 > 960000 * v + 20000)
    assert free.vendor("Bold").prob_recommended == pytest.approx(bold, abs=1e-12)
    assert free.vendor("Bold").prob_recommended > 0.5
    # capped at 6%, Bold gains at most 910,000 x 0.06 - 30,000 = 24,600; Modest at least
    # 20,000: Bold wins only where v < 4,600 / 960,000 = 0.479%, i.e. (v / 5%)^2 of draws
    u, v = capped.inputs["vendors[0].uplift"], capped.inputs["vendors[1].uplift"]
    assert capped.vendor("Bold").prob_recommended == pytest.approx(
        np.mean(910000 * u - 30000 > 960000 * v + 20000), abs=1e-12)
    assert capped.vendor("Bold").prob_recommended < (0.00479 / 0.05) ** 2 + 0.01
    assert capped.vendor("Modest").prob_recommended > 0.98
    assert capped.prob_stay == 0.0


def test_pert_and_lognormal_are_drawn_as_specified():
    r = simulate(load_scenario(HERE / "three-vendors.yaml"), draws=100_000, seed=11,
                 keep_inputs=True)
    salary = r.inputs["inhouse.staff[0].salary"]
    assert salary.mean() == pytest.approx((40000 + 4 * 45000 + 55000) / 6, rel=2e-3)
    assert np.median(r.inputs["practice.annual_collections"]) == pytest.approx(900000, rel=2e-3)


# --- result objects and argument checks -------------------------------------------------------

def test_to_dict_and_to_frame():
    r = simulate(load_scenario(HERE / "three-vendors.yaml"), draws=2000, seed=4)
    d = json.loads(json.dumps(r.to_dict()))
    assert d["draws"] == 2000 and d["seed"] == 4
    assert [v["name"] for v in d["vendors"]] == ["Alpha", "Beta", "Gamma (no BAA)"]
    for v in d["vendors"]:
        assert set(v["net_gain"]) == set(v["npv"]) == {"p05", "p50", "p95"}
        assert v["prob_positive"] is None if v["name"].endswith("(no BAA)") \
            else 0 <= v["prob_positive"] <= 1
        assert 0 <= v["prob_recommended"] <= 1
    assert sum(v["prob_recommended"] for v in d["vendors"]) + d["prob_stay"] == \
        pytest.approx(1.0)
    frame = r.to_frame()
    assert list(frame.index) == ["Alpha", "Beta", "Gamma (no BAA)"]
    assert {"net_gain_p05", "net_gain_p50", "net_gain_p95", "npv_p50", "prob_positive",
            "prob_recommended"} <= set(frame.columns)
    assert r.draws_frame(limit=10).shape == (10, 3)


@pytest.mark.parametrize("bad", [0, -5, 1.5, "100", True, None])
def test_bad_draws_are_an_input_error_naming_draws(bad):
    with pytest.raises(RcmInputError, match="--draws"):
        check_draws(bad)
    with pytest.raises(RcmInputError):
        simulate(guide(), draws=bad)


def test_progress_bar_is_quiet_when_asked(capsys):
    simulate(load_scenario(HERE / "guide-uniform-rate.yaml"), draws=300_000, progress=False)
    assert capsys.readouterr().err == ""


def test_simulation_histogram_renders_to_svg():
    from rcmmodel.present.charts import to_svg
    from rcmmodel.present.charts_risk import simulation_histogram

    r = simulate(load_scenario(HERE / "three-vendors.yaml"), draws=5000)
    svg = to_svg(simulation_histogram(r))
    assert svg.startswith("<svg") and "5,000 simulated outcomes" in svg
    assert to_svg(simulation_histogram(simulate(guide(), draws=10), measure="npv"))
