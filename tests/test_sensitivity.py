"""Tornado sensitivity and break-even maps (rcmmodel.risk.sensitivity), pinned to hand-computed values."""
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from rcmmodel.model.evaluate import evaluate
from rcmmodel.scenario import load_scenario, parse_scenario
from rcmmodel.present.charts_risk import method_text, method_words
from rcmmodel.present.labels import axis_label
from rcmmodel.risk.sensitivity import breakeven_map, tornado

HERE = Path(__file__).resolve().parent / "scenarios_unc"


def guide(rate=0.07, uplift=0.10, vendors=None):
    quote = {"name": "Acme", "pricing": {"model": "percentage", "rate": rate}, "uplift": uplift}
    return parse_scenario({
        "name": "Guide", "practice": {"annual_collections": 500000, "claims_per_month": 400},
        "inhouse": {"annual_cost": 40000}, "vendors": vendors or [quote]})


# --- tornado ----------------------------------------------------------------------------------

def test_main_inputs_swing_20_percent_when_nothing_is_uncertain():
    t = tornado(guide())
    assert method_text(t.attrs) == "each input +/-20%" and t.attrs["vendor"] == "Acme"
    assert method_words(t.attrs) == "each input 20% down and 20% up"
    assert t.attrs["base_net_gain"] == pytest.approx(51500)
    rows = t.set_index("input")
    # uplift 0.08 / 0.12: 40,000 + 40,000 - 0.07 * 540,000 = 42,200; 60,000 + 40,000 - 39,200.
    assert rows.loc["vendors[0].uplift", ["net_gain_low", "net_gain_high"]].tolist() == \
        pytest.approx([42200, 60800])
    # in-house 32,000 / 48,000
    assert rows.loc["inhouse.annual_cost", ["net_gain_low", "net_gain_high"]].tolist() == \
        pytest.approx([43500, 59500])
    # fee 5.6% / 8.4% of 550,000
    assert rows.loc["vendors[0].pricing.rate", ["net_gain_low", "net_gain_high"]].tolist() == \
        pytest.approx([59200, 43800])
    # C0 400,000 / 600,000: 40,000 + 40,000 - 30,800 = 49,200; 60,000 + 40,000 - 46,200 = 53,800.
    assert rows.loc["practice.annual_collections", "swing"] == pytest.approx(4600)
    assert list(t["input"][:4]) == ["vendors[0].uplift", "inhouse.annual_cost",
                                    "vendors[0].pricing.rate", "practice.annual_collections"]
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    # Zero inputs (fees of 0) have nothing to swing and are left out.
    assert "vendors[0].fees.setup" not in set(t["input"])


def test_timeline_inputs_do_not_move_net_gain_but_rank_by_npv():
    t = tornado(guide()).set_index("input")
    assert t.loc["timeline.discount_rate", "swing"] == 0
    assert t.loc["timeline.discount_rate", "npv_low"] > t.loc["timeline.discount_rate", "npv_high"]


def test_uncertain_inputs_go_to_their_10th_and_90th_percentiles():
    s = guide(rate={"dist": "uniform", "low": 0.10, "high": 0.20},
              uplift={"dist": "triangular", "low": 0.05, "mode": 0.10, "high": 0.20})
    t = tornado(s)
    assert method_text(t.attrs) == ("uncertain inputs to their 10th and 90th percentiles, "
                                    "every other input +/-20%")
    t = t.set_index("input")
    # one method: fixed inputs swing too (+/-20%), the uncertain ones to their p10/p90
    assert {"vendors[0].uplift", "vendors[0].pricing.rate", "inhouse.annual_cost",
            "practice.annual_collections"} <= set(t.index)
    # in-house 32,000 / 48,000 with rate 0.15 and uplift 0.10 at base
    assert t.loc["inhouse.annual_cost", ["net_gain_low", "net_gain_high"]].tolist() == \
        pytest.approx([50000 + 32000 - 82500, 50000 + 48000 - 82500])
    # Rate at p10 = 0.11, p90 = 0.19 with uplift at its mode: 90,000 - 550,000 * rate.
    assert t.loc["vendors[0].pricing.rate", "low_value"] == pytest.approx(0.11)
    assert t.loc["vendors[0].pricing.rate", "net_gain_low"] == pytest.approx(90000 - 60500)
    assert t.loc["vendors[0].pricing.rate", "net_gain_high"] == pytest.approx(90000 - 104500)
    # Uplift at the triangular's p10 / p90, rate at its midpoint 0.15.
    tri = stats.triang(1 / 3, loc=0.05, scale=0.15)
    for col, q in (("net_gain_low", 0.1), ("net_gain_high", 0.9)):
        u = tri.ppf(q)
        assert t.loc["vendors[0].uplift", col] == pytest.approx(
            500000 * u + 40000 - 0.15 * 500000 * (1 + u))
    assert t.attrs["base_net_gain"] == pytest.approx(50000 + 40000 - 0.15 * 550000)


def test_tornado_of_one_vendor_leaves_out_the_others_quotes():
    s = load_scenario(HERE / "three-vendors.yaml")
    t = tornado(s, vendor="Beta")
    assert t.attrs["vendor"] == "Beta"
    assert not any(p.startswith(("vendors[0]", "vendors[2]")) for p in t["input"])
    assert "vendors[1].uplift" in set(t["input"])
    with pytest.raises(KeyError):
        tornado(s, vendor="Nobody")


def test_tornado_defaults_to_the_best_eligible_vendor():
    s = load_scenario(HERE / "three-vendors.yaml")
    best = evaluate(s).best.name
    assert tornado(s).attrs["vendor"] == best != "Gamma (no BAA)"


def test_rate_by_uplift_grid_is_the_guide_formula():
    m = breakeven_map(guide(), x_values=[0.05, 0.07, 0.10], y_values=[0.0, 0.10, 0.20])
    r, u = np.meshgrid([0.05, 0.07, 0.10], [0.0, 0.10, 0.20])
    np.testing.assert_allclose(m.net_gain, 500000 * u + 40000 - r * 500000 * (1 + u))
    assert m.net_gain[1, 1] == pytest.approx(51500)
    assert m.base == (0.07, 0.10)
    assert len(m.to_frame()) == 9


def test_zero_line_is_the_closed_form_min_uplift():
    m = breakeven_map(guide())
    assert len(m.zero_line) > 5
    # 500,000 u + 40,000 - r 500,000 (1 + u) = 0  ->  u = (500,000 r - 40,000) / (500,000 (1 - r))
    for row in m.zero_line.itertuples():
        assert row.y == pytest.approx((500000 * row.x - 40000) / (500000 * (1 - row.x)), abs=1e-9)


def test_collections_by_rate_zero_line():
    m = breakeven_map(guide(), x="collections", y="rate")
    assert m.x == "collections" and m.base == (500000, 0.07)
    # 0.10 C + 40,000 = r * 1.1 C  ->  r = (0.10 C + 40,000) / (1.1 C)
    for row in m.zero_line.itertuples():
        assert row.y == pytest.approx((0.10 * row.x + 40000) / (1.1 * row.x), abs=1e-9)
    assert m.zero_line["y"].is_monotonic_decreasing


def test_map_agrees_with_evaluate_cell_by_cell():
    s = load_scenario(HERE / "three-vendors.yaml")
    m = breakeven_map(s, vendor="Beta", points=5)
    for i, j in ((0, 0), (2, 3), (4, 4)):
        data = {"name": "x", "practice": {"annual_collections": 900000, "claims_per_month": 700,
                                          "patient_statements_per_month": 200, "providers": 2},
                "inhouse": {"staff": [{"role": "Biller", "fte": 1.5, "salary": 45000}],
                            "costs": {"software": 4800}},
                "vendors": [{"name": "Beta",
                             "pricing": {"model": "hybrid", "monthly_base": 500,
                                         "rate": float(m.x_values[j])},
                             "uplift": float(m.y_values[i]),
                             "fees": {"monthly_minimum": 3500, "per_statement": 0.5}}]}
        expected = float(evaluate(parse_scenario(data)).vendors[0].figures.net_gain)
        assert m.net_gain[i, j] == pytest.approx(expected)


def test_map_is_monotone_more_uplift_never_lowers_higher_fee_never_raises():
    m = breakeven_map(load_scenario(HERE / "three-vendors.yaml"), vendor="Alpha")
    assert np.all(np.diff(m.net_gain, axis=0) >= -1e-9)     # along uplift
    assert np.all(np.diff(m.net_gain, axis=1) <= 1e-9)      # along fee rate


def test_fee_rate_axis_needs_a_rate():
    s = guide(vendors=[{"name": "Per claim", "pricing": {"model": "per_claim", "fee": 6},
                        "uplift": 0.1}])
    with pytest.raises(ValueError, match="percentage or hybrid"):
        breakeven_map(s)
    m = breakeven_map(s, x="collections", y="uplift")      # other axes still work
    assert m.net_gain.shape == (41, 41)
    with pytest.raises(ValueError):
        breakeven_map(s, x="uplift", y="uplift")


def test_default_vendor_for_a_rate_map_is_one_with_a_rate():
    s = guide(vendors=[{"name": "Per claim", "pricing": {"model": "per_claim", "fee": 1},
                        "uplift": 0.2},
                       {"name": "Pct", "pricing": {"model": "percentage", "rate": 0.07},
                        "uplift": 0.1}])
    assert breakeven_map(s).vendor == "Pct"


# --- charts -----------------------------------------------------------------------------------

def test_tornado_and_heatmap_render_to_svg():
    from rcmmodel.present.charts import to_svg
    from rcmmodel.present.charts_risk import breakeven_heatmap, tornado_chart

    s = load_scenario(HERE / "three-vendors.yaml")
    svg = to_svg(tornado_chart(tornado(s), s))
    assert svg.startswith("<svg") and "What moves" in svg and "Collections uplift" in svg and "vendors[" not in svg
    svg = to_svg(breakeven_heatmap(breakeven_map(s)))
    assert svg.startswith("<svg") and "where outsourcing pays" in svg and "Fee rate" in svg
    svg = to_svg(breakeven_heatmap(breakeven_map(s, x="collections", y="rate")))
    assert "Annual collections" in svg


def test_main_input_tornado_leaves_out_inputs_that_move_nothing():
    frame = tornado(load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "guide-example.yaml"))
    assert "practice.claims_per_month" not in set(frame["input"])   # a % fee ignores claims
    assert list(frame["input"][:4]) == ["vendors[0].uplift", "inhouse.annual_cost",
                                        "vendors[0].pricing.rate", "practice.annual_collections"]
    # uplift +/-20%: 500,000 x 0.02 x 2 x (1 - 0.07) = 18,600
    assert frame["swing"].iloc[0] == pytest.approx(18600)


def test_tornado_chart_draws_no_empty_rows():
    """The discount rate, ramp and parallel run shape the timeline, not the steady year: a row
    for them would be an empty bar."""
    from rcmmodel.present.charts_risk import tornado_chart

    s = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "guide-example.yaml")
    frame = tornado(s)
    assert (frame["swing"] == 0).any()                  # the frame still lists them
    drawn = {row["input"] for rows in tornado_chart(frame, s).to_dict()["datasets"].values()
             for row in rows if "input" in row}
    assert "Discount rate (a year)" not in drawn and "Collections uplift" in drawn


# --- the price axis: every pricing model has one ----------------------------------------------

def test_price_axis_is_the_fee_per_claim_for_per_claim_pricing():
    from rcmmodel.model.breakeven import gain_curve

    s = guide(vendors=[{"name": "PC", "pricing": {"model": "per_claim", "fee": 6},
                        "uplift": 0.1}])
    # net gain = 50,000 + 40,000 - fee x 400 x 12: 61,200 at $6; zero at 90,000 / 4,800 = 18.75
    c = gain_curve(evaluate(s), "PC", "price")
    assert (axis_label(c, c.axis), c.dollars, c.quote) == ("Fee per claim", True, 6.0)
    assert c.breakeven == pytest.approx(18.75)
    assert np.interp(6.0, c.values, c.net_gain) == pytest.approx(61200)
    assert c.values[-1] >= 18.75                      # the break-even point is on the chart
    m = breakeven_map(s, x="price")
    assert axis_label(m, m.x) == "Fee per claim" and m.base == (6.0, 0.1)


def test_price_axis_is_the_effective_rate_for_tiered_pricing():
    from rcmmodel.model.breakeven import gain_curve

    s = guide(vendors=[{"name": "T", "pricing": {"model": "tiered", "tiers": [
        {"up_to": 250000, "rate": 0.06}, {"rate": 0.04}]}, "uplift": 0.1}])
    # C1 550,000: fee 15,000 + 12,000 = 27,000, effective 27,000 / 550,000; scaling every
    # tier scales the fee, so net gain = 90,000 - 550,000 x effective: zero at 90 / 550
    c = gain_curve(evaluate(s), "T", "price")
    assert axis_label(c, c.axis).startswith("Effective fee rate") and not c.dollars
    assert c.quote == pytest.approx(27000 / 550000)
    assert c.breakeven == pytest.approx(90000 / 550000)
    assert np.interp(c.quote, c.values, c.net_gain) == pytest.approx(90000 - 27000)


def test_heatmap_bands_cover_every_cell_once_in_its_own_band():
    """The banded map is the grid, drawn with fewer marks: every grid cell lies in exactly
    one rectangle of its row, whose band holds that cell's net gain; and far fewer
    rectangles than cells."""
    from rcmmodel.present.charts_risk import heatmap_bands

    m = breakeven_map(load_scenario(HERE / "three-vendors.yaml"))
    frame = heatmap_bands(m)
    xs, ys = np.asarray(m.x_values), np.asarray(m.y_values)
    step = None
    for j, y in enumerate(ys):
        row = frame[(frame["y"] < y) & (frame["y2"] > y)]
        # the rows' rectangles do not overlap and cover the grid's width
        row = row.sort_values("x")
        assert np.allclose(row["x"].iloc[1:].to_numpy(), row["x2"].iloc[:-1].to_numpy())
        for i, x in enumerate(xs):
            hit = row[(row["x"] < x) & (row["x2"] > x)]
            assert len(hit) == 1
            lo, hi = (float(v.replace("$", "").replace(",", "")) for v in
                      hit["band"].iloc[0].split(" to "))
            step = hi - lo
            z = m.net_gain[j, i]
            assert lo <= z < hi or (z == hi and hit["order"].iloc[0] == frame["order"].max())
    assert step in (1e3, 2e3, 2.5e3, 5e3, 1e4, 2e4, 2.5e4, 5e4, 1e5, 2e5, 2.5e5, 5e5)
    assert len(frame) < m.net_gain.size / 4


def capped_guide():
    """The guide's practice (uplift quoted 10%) whose claims show at most 6% being lost."""
    from rcmmodel.model.planning import ClaimsEvidence

    ev = ClaimsEvidence(claims=200, collections=120000.0, low=0.02, high=0.06)
    return guide().with_measured_kpis({}, evidence=ev)


def test_tornado_is_at_the_planning_uplift_where_the_claims_cap_the_quote():
    t = tornado(capped_guide())
    # planned: 500,000 x 6% + 40,000 - 7% x 530,000 = 32,900 (the quote's 51,500 beside it)
    assert t.attrs["base_net_gain"] == pytest.approx(32900)
    assert t.attrs["quoted_net_gain"] == pytest.approx(51500)
    assert (t.attrs["uplift"], t.attrs["uplift_quoted"], t.attrs["capped"]) == (0.06, 0.10, True)
    rows = t.set_index("input")
    # uplift 4.8% .. 6% (never above what the claims show): 24,000 + 40,000 - 7% x 524,000
    assert rows.loc["vendors[0].uplift", ["base_value", "low_value", "high_value"]].tolist() == \
        pytest.approx([0.06, 0.048, 0.06])
    assert rows.loc["vendors[0].uplift", ["net_gain_low", "net_gain_high"]].tolist() == \
        pytest.approx([27320, 32900])
    # every other input swings around the planned figure: in-house 32,000 / 48,000
    assert rows.loc["inhouse.annual_cost", ["net_gain_low", "net_gain_high"]].tolist() == \
        pytest.approx([24900, 40900])
    from rcmmodel.present.charts_risk import base_words
    assert base_words(t.attrs) == "$32,900 a year planned at 6.0% uplift, not the 10.0% quoted"
    assert base_words(tornado(guide()).attrs) == "$51,500 a year as quoted"


def test_breakeven_map_marks_the_plan_and_the_quote():
    m = breakeven_map(capped_guide(), x_values=[0.05, 0.07], y_values=[0.0, 0.06, 0.10])
    assert m.base == (0.07, 0.06) and m.quote == (0.07, 0.10)
    assert m.to_dict()["quote"] == [0.07, 0.10]
    assert breakeven_map(guide()).quote is None
    # the default grid holds both points
    grid = breakeven_map(capped_guide(), points=11)
    assert grid.y_values.min() <= 0.06 and grid.y_values.max() >= 0.10


def test_default_vendor_is_the_highest_planning_net_gain():
    # Big promises 30% at 9% (quoted 150,000 + 40,000 - 58,500 = 131,500); Small 8% at 4%
    # (40,000 + 40,000 - 21,600 = 58,400). Capped at 6%: Big 30,000 + 40,000 - 47,700 =
    # 22,300; Small 30,000 + 40,000 - 21,200 = 48,800: Small is the financial best.
    from rcmmodel.model.planning import ClaimsEvidence

    vendors = [{"name": "Big", "pricing": {"model": "percentage", "rate": 0.09}, "uplift": 0.30},
               {"name": "Small", "pricing": {"model": "percentage", "rate": 0.04}, "uplift": 0.08}]
    s = guide(vendors=vendors).with_measured_kpis(
        {}, evidence=ClaimsEvidence(claims=200, collections=1.0, low=0.0, high=0.06))
    assert tornado(s).attrs["vendor"] == "Small"
    assert tornado(guide(vendors=vendors)).attrs["vendor"] == "Big"


def test_the_break_even_curve_and_max_fee_at_the_planning_uplift():
    """Capped at 6%: net gain 30,000 + 40,000 - r x 530,000 is 0 at r = 70,000 / 530,000;
    as quoted (10%), at 90,000 / 550,000. The curve passes through the planned 32,900."""
    from rcmmodel.model.breakeven import gain_curve
    from rcmmodel.reports.sections_risk import max_price

    r = evaluate(capped_guide())
    planned = gain_curve(r, "Acme", "rate", planning=True)
    quoted = gain_curve(r, "Acme", "rate")
    assert planned.breakeven == pytest.approx(70000 / 530000)
    assert quoted.breakeven == pytest.approx(90000 / 550000)
    at_quote = np.interp(0.07, planned.values, planned.net_gain)
    assert at_quote == pytest.approx(32900)
    assert max_price(r, r.vendors[0]) == "13.2%"
    assert max_price(evaluate(guide()), evaluate(guide()).vendors[0]) == "16.4%"


def test_the_apps_break_even_line_is_at_the_planning_uplift():
    """The calculator panel's break-even chart draws the same planned curve: its dashed line
    at 70,000 / 530,000 (capped at 6%), not the quote's 90,000 / 550,000."""
    from rcmmodel.app.figures import breakeven_chart

    spec = breakeven_chart(evaluate(capped_guide()), "Acme").to_dict()
    rules = [v for d in spec["datasets"].values() for v in d if set(v) == {"x"}]
    assert [r["x"] for r in rules] == [pytest.approx(70000 / 530000)]
