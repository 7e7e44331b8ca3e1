"""Monte Carlo (rcmmodel.risk.uncertainty): analytic cases, reproducibility, shape of the result."""
import copy
import json
import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rcmmodel.errors import RcmInputError
from rcmmodel.model.evaluate import evaluate
from rcmmodel.scenario import load_scenario, parse_scenario
from rcmmodel.risk.uncertainty import DEFAULT_DRAWS, DEFAULT_SEED, check_draws, simulate

HERE = Path(__file__).resolve().parent / "scenarios_unc"
ROOT = HERE.parents[1]


def guide(rate=0.07, uplift=0.10, **extra):
    return parse_scenario({
        "name": "Guide", "practice": {"annual_collections": 500000, "claims_per_month": 400},
        "inhouse": {"annual_cost": 40000},
        "vendors": [{"name": "Acme", "pricing": {"model": "percentage", "rate": rate},
                     "uplift": uplift}], **extra})


# --- the guide's example with the fee rate uniform on [0.10, 0.20] ---------------------------

N = 200_000


@pytest.fixture(scope="module")
def uniform_rate():
    return simulate(load_scenario(HERE / "guide-uniform-rate.yaml"), draws=N, seed=2024)


def test_prob_positive_is_0636(uniform_rate):
    # net_gain = 90,000 - 550,000 * rate > 0  iff  rate < 90/550 = 0.163636...
    p = (90000 / 550000 - 0.10) / 0.10
    assert p == pytest.approx(0.636364, abs=1e-6)
    sd = math.sqrt(p * (1 - p) / N)
    assert uniform_rate.vendors[0].prob_positive == pytest.approx(p, abs=4 * sd)


@pytest.mark.parametrize("key, rate_quantile", [("p05", 0.95), ("p50", 0.50), ("p95", 0.05)])
def test_net_gain_percentiles_closed_form(uniform_rate, key, rate_quantile):
    # Net gain falls as the rate rises, so its q-th percentile sits at the rate's (1-q)-th:
    # rate = 0.10 + 0.10 * q'  ->  p05 = 90,000 - 550,000 * 0.195 = -17,250; p50 7,500; p95 32,250.
    rate = 0.10 + 0.10 * rate_quantile
    expected = 90000 - 550000 * rate
    # Sampling error of a quantile: sqrt(q(1-q)/N) / density (10 per unit of rate) * 550,000.
    sd = math.sqrt(rate_quantile * (1 - rate_quantile) / N) / 10 * 550000
    assert uniform_rate.vendors[0].percentiles()[key] == pytest.approx(expected, abs=5 * sd)
    assert {"p05": -17250, "p50": 7500, "p95": 32250}[key] == pytest.approx(expected)


@pytest.mark.parametrize("key, rate", [("p05", 0.195), ("p50", 0.15), ("p95", 0.105)])
def test_npv_percentiles_match_the_timeline_at_the_rate_quantiles(uniform_rate, key, rate):
    # NPV is linear and falling in the rate too: its percentile is the deterministic timeline
    # at the matching rate quantile.
    expected = float(evaluate(guide(rate=rate)).vendors[0].figures.npv)
    assert uniform_rate.vendors[0].percentiles("npv")[key] == pytest.approx(expected, abs=600)


def test_single_vendor_is_always_best_and_outsourcing_pays_when_it_does(uniform_rate):
    v = uniform_rate.vendors[0]
    assert v.prob_best == 1.0
    assert uniform_rate.prob_outsourcing_pays == v.prob_positive


def test_uniform_draws_stay_in_range_and_are_uniform():
    r = simulate(load_scenario(HERE / "guide-uniform-rate.yaml"), draws=50_000, seed=3,
                 keep_inputs=True)
    rates = r.inputs["vendors[0].pricing.rate"]
    assert rates.min() >= 0.10 and rates.max() <= 0.20
    assert rates.mean() == pytest.approx(0.15, abs=0.001)
    # Each draw's net gain is the guide's formula on that draw's rate (to a millionth of a cent).
    np.testing.assert_allclose(r.vendors[0].net_gain, 90000 - 550000 * rates, rtol=0, atol=1e-6)


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


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), draws=st.integers(1, 3000))
def test_percentiles_are_ordered(seed, draws):
    r = simulate(load_scenario(HERE / "three-vendors.yaml"), draws=draws, seed=seed)
    for v in r.vendors:
        for measure in ("net_gain", "npv"):
            p = v.percentiles(measure)
            assert p["p05"] <= p["p50"] <= p["p95"]
        assert 0.0 <= v.prob_positive <= 1.0


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
        fixed["timeline"]["ramp_days"] = max(0.0, r.inputs["timeline.ramp_days"][i])
        one = evaluate(parse_scenario(fixed))
        for k, v in enumerate(r.vendors):
            assert v.net_gain[i] == pytest.approx(float(one.vendors[k].figures.net_gain), rel=1e-12)
            assert v.npv[i] == pytest.approx(float(one.vendors[k].figures.npv), rel=1e-12)


# --- no distributions, eligibility, probabilities --------------------------------------------

def test_no_distributions_gives_zero_spread():
    s = load_scenario(HERE / "guide-fixed.yaml")
    r = simulate(s, draws=5000, seed=1)
    v = r.vendors[0]
    assert v.percentiles() == {"p05": pytest.approx(51500), "p50": pytest.approx(51500),
                               "p95": pytest.approx(51500)}
    npv = float(evaluate(s).vendors[0].figures.npv)
    assert set(np.round(v.npv, 6)) == {round(npv, 6)}
    assert v.prob_positive == 1.0 and r.uncertain == {}


def test_prob_best_counts_only_vendors_with_a_baa():
    r = simulate(load_scenario(HERE / "three-vendors.yaml"), draws=20_000, seed=8)
    gamma = r.vendor("Gamma (no BAA)")
    # Gamma has the best numbers on every draw (1% fee, 30% uplift), but cannot be hired.
    assert np.all(gamma.net_gain > r.vendor("Alpha").net_gain)
    assert gamma.prob_best is None and not gamma.eligible
    eligible = [v for v in r.vendors if v.eligible]
    assert sum(v.prob_best for v in eligible) == pytest.approx(1.0)
    alpha, beta = (np.asarray(r.vendor(n).net_gain) for n in ("Alpha", "Beta"))
    assert r.vendor("Alpha").prob_best == pytest.approx(np.mean(alpha >= beta))
    assert r.prob_outsourcing_pays == pytest.approx(np.mean(np.maximum(alpha, beta) > 0))


def test_no_eligible_vendor_gives_no_best_and_no_verdict():
    data = yaml.safe_load((HERE / "guide-fixed.yaml").read_text())
    data["vendors"][0]["profile"] = {"baa_offered": False}
    s = parse_scenario(data)
    r = simulate(s, draws=100)
    assert r.prob_outsourcing_pays is None and r.vendors[0].prob_best is None


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
        assert 0 <= v["prob_positive"] <= 1
    frame = r.to_frame()
    assert list(frame.index) == ["Alpha", "Beta", "Gamma (no BAA)"]
    assert {"net_gain_p05", "net_gain_p50", "net_gain_p95", "npv_p50", "prob_positive",
            "prob_best"} <= set(frame.columns)
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


def test_model_modules_do_not_import_altair():
    code = ("import sys, rcmmodel.risk.uncertainty, rcmmodel.risk.sensitivity, rcmmodel.risk.capacity;"
            "sys.exit('altair' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
