"""`rcm evaluate`: the readable table and the JSON of docs/architecture.md."""
import json
import subprocess
import sys

import pytest
from conftest import SCENARIOS, rcm_inprocess


def rcm(*args):
    """In-process (fast); ``rcm_subprocess`` below runs the real command."""
    return rcm_inprocess(*args)


def rcm_subprocess(*args):
    return subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def test_json_is_the_spec_object():
    r = rcm("evaluate", SCENARIOS / "guide-example.yaml", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert set(d) == {"scenario", "inhouse", "vendors", "best_vendor", "decision",
                      "uplift_basis", "evidence", "inputs", "warnings"}
    assert d["warnings"] == []
    assert d["uplift_basis"] == "quote" and d["evidence"] is None      # no claims files
    assert d["inhouse"] == {"tco": 40000.0, "savings": 40000.0, "cost_to_collect": 0.08}
    v = d["vendors"][0]
    assert set(v) == {"name", "annual", "breakeven", "timeline", "ar_cash_release", "planning"}
    # without claims the decision plans on the quote: the same model, the same figures
    assert v["planning"] == {"uplift": 0.1, "basis": "quote", "capped": False,
                             "net_gain": 51500.0, "roi": v["annual"]["roi"],
                             "npv": v["timeline"]["npv"], "payback_month": 3,
                             "cost_to_collect": 0.07}
    assert set(v["annual"]) == {"uplift_amount", "collections", "service_fee", "vendor_cost",
                                "one_time", "inhouse_savings", "net_gain", "roi"}
    assert set(v["breakeven"]) == {"min_uplift", "max_rate", "breakeven_collections"}
    assert set(v["timeline"]) == {"npv", "payback_month", "total", "months"}
    assert set(v["timeline"]["months"][0]) == {"m", "uplift", "savings", "vendor", "net"}
    assert v["annual"]["net_gain"] == 51500.0
    assert v["ar_cash_release"] == pytest.approx(15 * 500000 / 365, abs=0.005)
    assert d["best_vendor"] == "Guide Billing Co"


def test_table_names_best_vendor_and_net_gain():
    r = rcm("evaluate", SCENARIOS / "guide-example.yaml")
    assert r.returncode == 0
    assert "$51,500" in r.stdout and "Decision: Outsource billing to Guide Billing Co" in r.stdout


def test_table_flags_vendor_without_baa():
    r = rcm("evaluate", SCENARIOS / "mental-health-group.yaml")
    assert "BudgetBill Offshore (excluded: no BAA)" in r.stdout
    assert "Decision: Outsource billing to Behavioral Billing Pros" in r.stdout
    assert "Excluded: BudgetBill Offshore, no Business Associate Agreement" in r.stdout


def test_json_of_every_scenario_is_strict(tmp_path):
    for path in sorted(SCENARIOS.glob("*.yaml")):
        r = rcm("evaluate", path, "--json")
        assert r.returncode == 0, (path, r.stderr)
        json.loads(r.stdout, parse_constant=lambda c: pytest.fail(f"{path}: {c} in JSON"))


def test_usage_errors_exit_2():
    r = rcm("evaluate")
    assert r.returncode == 2 and "Traceback" not in r.stderr
    r = rcm("frobnicate")
    assert r.returncode == 2


def test_table_says_when_growth_needs_the_next_hire():
    r = rcm("evaluate", SCENARIOS / "uncertain-uplift.yaml")
    assert r.returncode == 0
    assert "the next hire is needed in year 2" in r.stdout
    r = rcm("evaluate", SCENARIOS / "guide-example.yaml")
    assert "next hire" not in r.stdout          # no growth given: no capacity line


def test_real_command_smoke():
    """One run of the real ``python -m rcmmodel`` process, as a user's shell would."""
    r = rcm_subprocess("evaluate", SCENARIOS / "guide-example.yaml")
    assert r.returncode == 0, r.stderr
    assert "$51,500" in r.stdout
