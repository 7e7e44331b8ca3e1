"""Capacity as volume grows (rcmmodel.risk.capacity), pinned to hand-computed values."""
import json
from pathlib import Path

import numpy as np
import pytest

from rcmmodel.risk.capacity import INHOUSE, capacity
from rcmmodel.present.capacity_text import capacity_summary
from rcmmodel.errors import RcmInputError
from rcmmodel.model.evaluate import evaluate
from rcmmodel.scenario import load_scenario, parse_scenario

HERE = Path(__file__).resolve().parent / "scenarios_unc"


def guide(**extra):
    data = {"name": "Guide", "practice": {"annual_collections": 500000, "claims_per_month": 400},
            "inhouse": {"annual_cost": 40000},
            "vendors": [{"name": "Acme", "pricing": {"model": "percentage", "rate": 0.07},
                         "uplift": 0.10}]}
    data.update(extra)
    return parse_scenario(data)


def test_guide_one_biller_handles_625_claims_and_hires_in_year_6_at_10_percent():
    c = capacity(guide(), growth_rate=0.10)
    # 400 claims a month = 0.64 FTE at 30 a day, 250 days; a total cost only -> 1 biller.
    assert c.current_fte == 1 and c.capacity_claims_per_month == pytest.approx(625)
    assert c.cost_per_fte == pytest.approx(40000)
    # 400 x 1.1^4 = 585.6 <= 625 < 400 x 1.1^5 = 644.2
    assert c.next_hire_year == 6
    assert c.horizon_years == 3 and len(c.years) == 6      # stretched to show the hire
    years = c.years.set_index("year")
    assert years.loc[5, "hires"] == 0 and years.loc[6, "hires"] == 1
    assert years.loc[6, "inhouse_cost"] == pytest.approx(80000)
    assert years.loc[6, "fte_needed"] == pytest.approx(400 * 1.1 ** 5 * 12 / 7500)


def test_year_one_is_the_deterministic_answer():
    for path in ("three-vendors.yaml", "guide-fixed.yaml", "growth-flips.yaml"):
        s = load_scenario(HERE / path)
        c = capacity(s, growth_rate=0.25)
        first = c.vendors[c.vendors["year"] == 1].set_index("vendor")["net_gain"]
        for v in evaluate(s).vendors:
            assert first[v.name] == pytest.approx(float(v.figures.net_gain))


def test_vendor_cost_grows_smoothly_with_volume():
    c = capacity(guide(), growth_rate=0.10)
    cost = c.vendors.set_index("year")["vendor_cost"]
    for y in range(1, 7):
        assert cost[y] == pytest.approx(0.07 * 550000 * 1.1 ** (y - 1))
    gain = c.vendors.set_index("year")["net_gain"]
    # Year 6: uplift 50,000 x 1.1^5 plus two billers' 80,000, less the fee.
    assert gain[6] == pytest.approx(50000 * 1.1 ** 5 + 80000 - 38500 * 1.1 ** 5)


def test_no_growth_no_hire_no_flip():
    c = capacity(guide())
    assert c.next_hire_year is None and c.flip_year is None and c.flips_at_hire is None
    assert len(c.years) == 3 and set(c.years["inhouse_cost"]) == {40000}
    assert "no hire is needed" in capacity_summary(c)


def test_a_hire_flips_the_decision():
    c = capacity(load_scenario(HERE / "growth-flips.yaml"))
    assert c.growth_rate == 0.10 and c.horizon_years == 3
    assert c.decision_today == INHOUSE                 # 40,000 - 45,000 = -5,000
    assert c.next_hire_year == 6 and c.flips_at_hire is True and c.flip_year == 6
    year6 = c.years.set_index("year").loc[6]
    assert year6["decision"] == "Nine Percent"
    assert year6["best_net_gain"] == pytest.approx(80000 - 45000 * 1.1 ** 5)
    assert "flips the decision" in capacity_summary(c)


def test_a_hire_that_does_not_flip():
    c = capacity(guide(), growth_rate=0.30)
    assert c.next_hire_year == 3 and c.flips_at_hire is False and c.flip_year is None


def test_staff_cost_per_hire_is_the_loaded_wage():
    s = guide(inhouse={"staff": [{"role": "Biller", "fte": 2, "salary": 40000}],
                       "costs": {"software": 5000},
                       "turnover": {"annual_rate": 0.3, "cost_per_departure": 20000}},
              practice={"annual_collections": 900000, "claims_per_month": 1000})
    c = capacity(s, growth_rate=0.2)
    # wages x (1 + 0.0765 + 0.20) + turnover 0.3 x 20,000; the software does not scale.
    assert c.current_fte == 2
    assert c.cost_per_fte == pytest.approx(40000 * 1.2765 + 6000)
    assert c.capacity_claims_per_month == pytest.approx(1250)
    # 1000 x 1.2 = 1200 <= 1250 < 1440: the hire comes in year 3.
    assert c.next_hire_year == 3
    assert np.diff(c.years["inhouse_cost"]).tolist() == pytest.approx([0, 57060])


def test_todays_team_handles_todays_volume_even_above_the_rule_of_thumb():
    s = guide(inhouse={"staff": [{"role": "Biller", "fte": 1, "salary": 40000}]},
              practice={"annual_collections": 700000, "claims_per_month": 900})
    c = capacity(s, growth_rate=0.0)
    assert c.next_hire_year is None and c.capacity_claims_per_month == pytest.approx(900)
    assert capacity(s, growth_rate=0.05).next_hire_year == 2


def test_capacity_block_in_the_scenario_and_its_overrides():
    s = guide(capacity={"claims_growth_rate": 0.10, "claims_per_fte_per_day": 20,
                        "current_fte": 2, "cost_per_fte": 50000, "years": 4})
    c = capacity(s)
    assert (c.claims_per_fte_per_day, c.current_fte, c.cost_per_fte) == (20, 2, 50000)
    # Two billers at 20 a day handle 833 claims a month; 400 x 1.1^7 = 779, 1.1^8 = 857.
    assert c.next_hire_year == 9
    assert capacity(s, claims_per_fte_per_day=40).capacity_claims_per_month == pytest.approx(
        2 * 40 * 250 / 12)
    assert len(capacity(s, years=10).years) == 10


def test_bad_capacity_fields_are_named():
    with pytest.raises(RcmInputError) as err:
        guide(capacity={"claims_growth_rate": 5, "claims_per_fte_pr_day": 30})
    wheres = {p.where for p in err.value.problems}
    assert {"capacity.claims_growth_rate", "capacity.claims_per_fte_pr_day"} <= wheres


def test_to_dict_and_frame():
    c = capacity(load_scenario(HERE / "three-vendors.yaml"), growth_rate=0.15)
    d = json.loads(json.dumps(c.to_dict()))
    assert d["next_hire_year"] == c.next_hire_year and len(d["years"]) == len(c.years)
    frame = c.to_frame()
    assert {"hires", "inhouse_cost", "decision", "net_gain: Alpha"} <= set(frame.columns)


def test_capacity_chart_renders_to_svg():
    from rcmmodel.present.charts import to_svg
    from rcmmodel.present.charts_risk import capacity_chart

    svg = to_svg(capacity_chart(capacity(load_scenario(HERE / "growth-flips.yaml"))))
    assert svg.startswith("<svg") and "whole hires" in svg and "Nine Percent" in svg
