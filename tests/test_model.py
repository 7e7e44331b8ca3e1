"""Every formula of docs/methodology.md §1 to §4 pinned to hand-computed values, plus
property tests."""
import copy

import numpy as np
import pytest
from conftest import examples, guide_dict
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import scenario_dicts

import rcmmodel
from rcmmodel.model.inhouse import inhouse_tco
from rcmmodel.model.inputs import scenario_inputs
from rcmmodel.pricing import PricingIn
from rcmmodel.model.gain import steady_net_gain
from rcmmodel.model.pricing import service_fee
from rcmmodel.pricing.tiered import tiered_fee

CENT = 0.005


def run(d):
    return rcmmodel.evaluate(rcmmodel.parse_scenario(d)).to_dict()


def annual(d, i=0):
    return run(d)["vendors"][i]["annual"]


# --- the guide's worked example --------------------------------------------------------

def test_guide_example_net_gain_is_51500():
    a = annual(guide_dict())
    assert a["uplift_amount"] == 50000
    assert a["collections"] == 550000
    assert a["service_fee"] == pytest.approx(38500, abs=CENT)
    assert a["vendor_cost"] == pytest.approx(38500, abs=CENT)
    assert a["inhouse_savings"] == 40000
    assert a["net_gain"] == pytest.approx(51500, abs=CENT)
    assert a["roi"] == pytest.approx(51500 / 38500)


def test_guide_example_file(root):
    d = rcmmodel.evaluate(rcmmodel.load_scenario(root / "scenarios/guide-example.yaml")).to_dict()
    assert d["vendors"][0]["annual"]["net_gain"] == pytest.approx(51500, abs=CENT)
    assert d["best_vendor"] == "Guide Billing Co"


# --- in-house TCO ------------------------------------------------------------------------

def test_inhouse_tco_from_staff_with_turnover_and_residual():
    d = guide_dict()
    d["inhouse"] = {"staff": [{"role": "Biller", "fte": 1.0, "salary": 45000}],
                    "costs": {"training": 1500, "software": 4800, "clearinghouse": 1200,
                              "office_space": 2400},
                    "turnover": {"annual_rate": 0.35, "cost_per_departure": 20000},
                    "residual_after_outsourcing": 5000}
    out = run(d)
    # 45,000 x (1 + 0.0765 + 0.20) = 57,442.50; + 9,900 costs; + 0.35 x 1 x 20,000 = 7,000
    assert out["inhouse"]["tco"] == pytest.approx(74342.50, abs=CENT)
    assert out["inhouse"]["savings"] == pytest.approx(69342.50, abs=CENT)
    assert out["vendors"][0]["annual"]["net_gain"] == pytest.approx(50000 + 69342.5 - 38500, abs=CENT)


def test_inhouse_tco_several_staff_custom_rates():
    # wages 40,000 + 0.5 x 30,000 = 55,000; x (1 + 0.08 + 0.25) = 73,150; turnover 0.2 x 1.5 x 10,000
    tco = inhouse_tco([(1.0, 40000), (0.5, 30000)], 0.08, 0.25, {"x": 850}, 0.2, 10000)
    assert tco == pytest.approx(73150 + 850 + 3000)


def test_residual_reduces_savings():
    d = guide_dict()
    d["inhouse"]["residual_after_outsourcing"] = 12000
    assert annual(d)["net_gain"] == pytest.approx(51500 - 12000, abs=CENT)


# --- pricing models ---------------------------------------------------------------------

@pytest.mark.parametrize("pricing, fee", [
    ({"model": "percentage", "rate": 0.07}, 38500.0),
    ({"model": "percentage", "rate": 0.03, "base": "charges"}, 27000.0),   # 3% x 900,000
    ({"model": "per_claim", "fee": 6.50}, 31200.0),                        # 6.50 x 400 x 12
    ({"model": "hybrid", "monthly_base": 500, "rate": 0.04}, 28000.0),     # 6,000 + 22,000
    # 6% x 250k + 5% x 250k + 4% x 50k = 15,000 + 12,500 + 2,000
    ({"model": "tiered", "tiers": [{"up_to": 250000, "rate": 0.06},
                                   {"up_to": 500000, "rate": 0.05}, {"rate": 0.04}]}, 29500.0),
])
def test_service_fee_by_pricing_model(pricing, fee):
    d = guide_dict(pricing=pricing)
    d["practice"]["annual_charges"] = 900000
    a = annual(d)
    assert a["service_fee"] == pytest.approx(fee, abs=CENT)
    assert a["net_gain"] == pytest.approx(90000 - fee, abs=CENT)


def test_tiered_fee_below_first_band_and_exact_bounds():
    tiers = [(250000, 0.06), (500000, 0.05), (None, 0.04)]
    assert tiered_fee(100000, tiers) == pytest.approx(6000)
    assert tiered_fee(250000, tiers) == pytest.approx(15000)
    assert tiered_fee(500000, tiers) == pytest.approx(27500)
    assert np.allclose(tiered_fee(np.array([100000, 500000]), tiers), [6000, 27500])


def test_tiered_without_open_top_band_charges_nothing_above():
    assert tiered_fee(800000, [(250000, 0.06), (500000, 0.05)]) == pytest.approx(27500)


def test_charges_base_ignores_uplift():
    d = guide_dict(pricing={"model": "percentage", "rate": 0.03, "base": "charges"}, uplift=0.5)
    d["practice"]["annual_charges"] = 900000
    assert annual(d)["service_fee"] == pytest.approx(27000, abs=CENT)


def test_monthly_minimum_binding():
    # 5% x 550,000 = 27,500 a year = 2,291.67 a month < 2,500 minimum -> 30,000 a year
    d = guide_dict(pricing={"model": "percentage", "rate": 0.05}, fees={"monthly_minimum": 2500})
    assert annual(d)["service_fee"] == pytest.approx(30000, abs=CENT)


def test_monthly_minimum_not_binding():
    d = guide_dict(pricing={"model": "percentage", "rate": 0.05}, fees={"monthly_minimum": 2000})
    assert annual(d)["service_fee"] == pytest.approx(27500, abs=CENT)


def test_recurring_extras_and_one_time_fees():
    d = guide_dict(fees={"per_statement": 0.50, "per_provider_monthly": 50, "setup": 2000,
                         "credentialing_per_provider": 250,
                         "other_annual": {"denial_management": 1200, "portal": 300}})
    d["practice"].update(providers=3, patient_statements_per_month=300)
    a = annual(d)
    extras = 0.50 * 300 * 12 + 50 * 3 * 12 + 1500        # 1,800 + 1,800 + 1,500 = 5,100
    assert a["vendor_cost"] == pytest.approx(38500 + extras, abs=CENT)
    assert a["one_time"] == pytest.approx(2000 + 250 * 3, abs=CENT)
    assert a["net_gain"] == pytest.approx(51500 - extras, abs=CENT)   # one-time is not yearly


def test_service_fee_vectorized_matches_scalar():
    p = PricingIn("hybrid", rate=np.array([0.03, 0.05]), monthly_base=400)
    fees = service_fee(p, np.array([500000.0, 600000.0]), monthly_minimum=2200)
    # 4,800 + 15,000 = 19,800 -> month 1,650 < 2,200 -> 26,400;  4,800 + 30,000 = 34,800
    assert np.allclose(fees, [26400, 34800])


# --- net gain, ROI ----------------------------------------------------------------------

def test_negative_uplift_and_roi_sign():
    a = annual(guide_dict(uplift=-0.05, pricing={"model": "percentage", "rate": 0.10}))
    # uplift -25,000; fee 10% x 475,000 = 47,500; net = -25,000 + 40,000 - 47,500
    assert a["net_gain"] == pytest.approx(-32500, abs=CENT)
    assert a["roi"] == pytest.approx(-32500 / 47500)


def test_roi_null_when_vendor_costs_nothing():
    assert annual(guide_dict(pricing={"model": "percentage", "rate": 0.0}))["roi"] is None


# --- timeline ---------------------------------------------------------------------------

def test_timeline_first_months_of_guide_example():
    t = run(guide_dict())["vendors"][0]["timeline"]
    m = t["months"]
    # month 1: ramp 1/3, both systems run (overlap 1): uplift 41,666.67 x 0.1 / 3
    assert m[0] == {"m": 1, "uplift": 1388.89, "savings": 0.0, "vendor": 3013.89, "net": -1625.0}
    # month 2: ramp 2/3, overlap 45/30 - 1 = 0.5
    assert m[1] == {"m": 2, "uplift": 2777.78, "savings": 1666.67, "vendor": 3111.11, "net": 1333.33}
    # month 3 on: full effect
    assert m[2] == {"m": 3, "uplift": 4166.67, "savings": 3333.33, "vendor": 3208.33, "net": 4291.67}
    assert m[35] == m[2] | {"m": 36}
    assert len(m) == 36
    assert t["total"] == pytest.approx(-1625 + 1333.3333 + 34 * 4291.6667, abs=0.01)
    assert t["payback_month"] == 3     # cumulative: -1,625.00, -291.67, +4,000.00


def test_npv_by_the_formula():
    t = run(guide_dict())["vendors"][0]["timeline"]
    i = 1.08 ** (1 / 12) - 1
    net = [-1625.0, 4000 / 3] + [4291.6666667] * 34
    assert t["npv"] == pytest.approx(sum(n / (1 + i) ** m for m, n in enumerate(net, 1)), abs=0.01)


def test_timeline_no_ramp_no_overlap_one_time_in_month_one():
    d = guide_dict(fees={"setup": 3000})
    d["timeline"] = {"horizon_months": 12, "ramp_days": 0, "parallel_run_days": 0,
                     "discount_rate": 0.0}
    t = run(d)["vendors"][0]["timeline"]
    assert t["months"][0]["net"] == pytest.approx(51500 / 12 - 3000, abs=CENT)
    assert t["months"][1]["net"] == pytest.approx(51500 / 12, abs=CENT)
    assert t["npv"] == pytest.approx(51500 - 3000, abs=0.01)   # no discounting
    assert t["payback_month"] == 1


def test_timeline_monthly_minimum_and_tiers_per_month():
    # tiered: a month's fee is the yearly fee on 12 x that month's collections, / 12
    d = guide_dict(pricing={"model": "tiered", "tiers": [{"up_to": 250000, "rate": 0.06},
                                                         {"rate": 0.04}]})
    d["timeline"] = {"ramp_days": 60, "parallel_run_days": 0}
    m1 = run(d)["vendors"][0]["timeline"]["months"][0]
    c = 500000 * (1 + 0.10 * 0.5)                            # ramp 1/2 in month 1
    assert m1["vendor"] == pytest.approx((15000 + 0.04 * (c - 250000)) / 12, abs=CENT)
    d = guide_dict(fees={"monthly_minimum": 3100})
    months = run(d)["vendors"][0]["timeline"]["months"]
    assert months[0]["vendor"] == 3100.0                     # 3,013.89 < 3,100
    assert months[2]["vendor"] == 3208.33                    # above the minimum


def test_payback_null_when_never():
    t = run(guide_dict(pricing={"model": "percentage", "rate": 0.5}))["vendors"][0]["timeline"]
    assert t["payback_month"] is None


# --- break-even -------------------------------------------------------------------------

def test_breakeven_guide_example():
    b = run(guide_dict())["vendors"][0]["breakeven"]
    # net = 500,000 u + 40,000 - 0.07 x 500,000 (1 + u) = 465,000 u + 5,000
    assert b["min_uplift"] == pytest.approx(-5000 / 465000, abs=1e-9)
    assert b["max_rate"] == pytest.approx(90000 / 550000, abs=1e-9)
    assert b["breakeven_collections"] == pytest.approx(40000 / 0.07, abs=CENT)


def test_breakeven_hybrid_and_per_claim():
    b = run(guide_dict(pricing={"model": "hybrid", "monthly_base": 500, "rate": 0.04}))
    b = b["vendors"][0]["breakeven"]
    assert b["max_rate"] == pytest.approx((90000 - 6000) / 550000, abs=1e-9)
    assert b["breakeven_collections"] == pytest.approx((40000 - 6000) / 0.04, abs=CENT)
    b = run(guide_dict(pricing={"model": "per_claim", "fee": 6.5}))["vendors"][0]["breakeven"]
    assert b["max_rate"] is None                      # no rate in a per-claim quote
    assert b["breakeven_collections"] is None         # its cost does not depend on collections
    assert b["min_uplift"] == pytest.approx(-(40000 - 31200) / 500000, abs=1e-9)


def test_breakeven_null_where_no_root():
    b = run(guide_dict(pricing={"model": "per_claim", "fee": 1100}))["vendors"][0]["breakeven"]
    assert b["min_uplift"] is None     # 5.28M a year: not even a 1,000% uplift pays
    b = run(guide_dict(pricing={"model": "tiered", "tiers": [{"rate": 0.05}]}))
    assert b["vendors"][0]["breakeven"]["max_rate"] is None


# --- working capital --------------------------------------------------------------------

@pytest.mark.parametrize("baseline, sla, expected", [
    (45, 30, 15 * 500000 / 365), (45, 50, 0.0), (None, 30, None), (45, None, None)])
def test_ar_cash_release(baseline, sla, expected):
    d = guide_dict(sla={"days_in_ar": sla} if sla is not None else None)
    if d["vendors"][0]["sla"] is None:
        del d["vendors"][0]["sla"]
    if baseline is not None:
        d["practice"]["baseline_kpis"] = {"days_in_ar": baseline}
    got = run(d)["vendors"][0]["ar_cash_release"]
    assert got == (None if expected is None else pytest.approx(expected, abs=CENT))


# --- best vendor ------------------------------------------------------------------------

def test_best_vendor_skips_vendor_without_baa():
    d = guide_dict(name="NoBAA", pricing={"model": "percentage", "rate": 0.04},
                   profile={"baa_offered": False})
    d["vendors"].append({"name": "Safe", "pricing": {"model": "percentage", "rate": 0.07},
                         "uplift": 0.10})
    out = run(d)
    assert out["vendors"][0]["annual"]["net_gain"] > out["vendors"][1]["annual"]["net_gain"]
    assert out["best_vendor"] == "Safe"


# --- vectorized model -------------------------------------------------------------------

def test_model_accepts_arrays_of_inputs():
    s = rcmmodel.parse_scenario(guide_dict())
    rates = np.array([0.05, 0.07, 0.09])
    uplifts = np.array([0.10, 0.10, 0.20])

    def pick(path, value):
        return {"vendors[0].pricing.rate": rates, "vendors[0].uplift": uplifts}.get(path, value)

    from rcmmodel.model.gain import vendor_figures
    inp = scenario_inputs(s, pick)
    f = vendor_figures(inp, inp.vendors[0])
    assert np.allclose(f.net_gain, 500000 * uplifts + 40000 - rates * 500000 * (1 + uplifts))
    assert f.months[3].shape == (3, 36)
    assert f.npv.shape == (3,)
    one = rcmmodel.evaluate(s).vendors[0].figures
    assert f.npv[1] == pytest.approx(one.npv)
    assert f.payback_month[1] == one.payback_month


# --- properties -------------------------------------------------------------------------

def _gain(d):
    s = rcmmodel.parse_scenario(d)
    inp = scenario_inputs(s)
    return float(steady_net_gain(inp.practice, inp.inhouse.savings, inp.vendors[0]).net_gain)


@settings(max_examples=examples(150), deadline=None)
@given(scenario_dicts(), st.floats(min_value=0.0, max_value=0.5))
def test_more_uplift_never_lowers_net_gain(d, more):
    low = _gain(d)
    d = copy.deepcopy(d)
    d["vendors"][0]["uplift"] = min(1.0, d["vendors"][0]["uplift"] + more)   # a file's limit
    assert _gain(d) >= low - 1e-6 * max(1.0, abs(low))


@settings(max_examples=examples(150), deadline=None)
@given(scenario_dicts(), st.floats(min_value=0.0, max_value=0.3))
def test_higher_rate_never_raises_net_gain(d, more):
    pricing = d["vendors"][0]["pricing"]
    low = _gain(d)
    d = copy.deepcopy(d)
    if "rate" in pricing:
        d["vendors"][0]["pricing"]["rate"] = min(1.0, pricing["rate"] + more)
    elif "tiers" in pricing:
        for t in d["vendors"][0]["pricing"]["tiers"]:
            t["rate"] = min(1.0, t["rate"] + more)
    else:
        d["vendors"][0]["pricing"]["fee"] += more * 10
    assert _gain(d) <= low + 1e-6 * max(1.0, abs(low))


@settings(max_examples=examples(100), deadline=None)
@given(scenario_dicts())
def test_breakeven_inputs_give_zero_net_gain(d):
    out = run(d)["vendors"][0]
    b, c0 = out["breakeven"], d["practice"]["annual_collections"]
    tol = 1e-6 * max(1.0, c0)
    if b["min_uplift"] is not None and b["min_uplift"] <= 1:   # a file holds at most +100%
        d2 = copy.deepcopy(d)
        d2["vendors"][0]["uplift"] = b["min_uplift"]
        assert abs(_gain(d2)) < tol
    if b["max_rate"] is not None:   # may exceed 1, which a scenario file cannot hold
        inp = scenario_inputs(rcmmodel.parse_scenario(d))
        vendor = copy.deepcopy(inp.vendors[0])
        vendor.pricing.rate = b["max_rate"]
        assert abs(float(steady_net_gain(inp.practice, inp.inhouse.savings, vendor).net_gain)) < tol
    if b["breakeven_collections"] is not None and b["breakeven_collections"] > 0:
        d2 = copy.deepcopy(d)
        d2["practice"]["annual_collections"] = b["breakeven_collections"]
        d2["vendors"][0]["uplift"] = 0.0
        assert abs(_gain(d2)) < 0.01 + tol


def test_max_rate_above_one_hundred_percent_is_reported():
    d = guide_dict()
    d["practice"]["annual_collections"] = 100000
    d["inhouse"]["annual_cost"] = 150000
    b = run(d)["vendors"][0]["breakeven"]
    assert b["max_rate"] == pytest.approx((10000 + 150000) / 110000, abs=1e-9)
