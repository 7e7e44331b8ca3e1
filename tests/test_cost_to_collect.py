"""Cost to collect (HFMA MAP key, docs/methodology.md §3 "Cost to collect"): in-house
inhouse_tco / C0; per vendor (vendor_cost + residual_after_outsourcing) / C1 at the planning
uplift, pinned to the guide's example by hand."""
import json

import pytest
from conftest import SCENARIOS, rcm_inprocess

from rcmmodel import evaluate, load_scenario, parse_scenario
from rcmmodel.model.gain import cost_to_collect

GUIDE = SCENARIOS / "guide-example.yaml"


def guide_data(**inhouse):
    import yaml
    data = yaml.safe_load(GUIDE.read_text())
    data["inhouse"].update(inhouse)
    return data


def test_guide_by_hand():
    r = evaluate(load_scenario(GUIDE))
    assert r.inhouse_cost_to_collect == pytest.approx(40000 / 500000)        # 8%
    assert r.vendors[0].cost_to_collect == pytest.approx((38500 + 0) / 550000)  # 7%
    assert r.to_frame().loc["Guide Billing Co", "cost_to_collect"] == pytest.approx(0.07)


def test_residual_counts_against_the_vendor():
    r = evaluate(parse_scenario(guide_data(residual_after_outsourcing=5500)))
    assert r.inhouse_cost_to_collect == pytest.approx(0.08)
    assert r.vendors[0].cost_to_collect == pytest.approx((38500 + 5500) / 550000)   # 8%


def test_at_the_planning_uplift_where_claims_cap_it():
    r = evaluate(__import__("rcmmodel").scenario_with_claims(
        load_scenario(SCENARIOS / "family-practice-claims.yaml")))
    for v in r.vendors:
        p = v.planning
        residual = float(r.inputs.inhouse.residual)
        assert v.cost_to_collect == pytest.approx((float(p.vendor_cost) + residual)
                                                  / float(p.collections))


def test_nothing_collected_has_no_ratio():
    assert cost_to_collect(40000, 0) is None


def test_evaluate_json():
    r = rcm_inprocess("evaluate", GUIDE, "--json")
    d = json.loads(r.stdout)
    assert d["inhouse"]["cost_to_collect"] == 0.08
    assert d["vendors"][0]["planning"]["cost_to_collect"] == 0.07


def test_compare_json_and_table():
    d = json.loads(rcm_inprocess("compare", GUIDE, "--json").stdout)
    assert d["vendors"][0]["cost_to_collect"] == 0.07
    out = rcm_inprocess("compare", GUIDE).stdout
    assert "to collect" in out and "7.0%" in out and "in-house today 8.0%" in out


def test_report_at_a_glance(monkeypatch):
    from rcmmodel.reports import sections

    shown = []
    monkeypatch.setattr(sections, "show", shown.append)
    report = sections.Report(GUIDE, draws=200)
    report.at_a_glance()
    html = "".join(shown)
    assert "In-house cost to collect" in html and "8.0%" in html
    assert "Guide Billing Co: cost to collect" in html and "7.0%" in html


def test_app_decision_table():
    from rcmmodel.app import OwnerApp

    app = OwnerApp(str(GUIDE))
    app.tabs.selected_index = 2
    table = app.decision.table.value
    assert "Cost to collect" in table and "7.0%" in table and "in-house today 8.0%" in table
