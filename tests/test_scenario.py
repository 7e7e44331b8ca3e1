"""Scenario files: validation, field paths, distributions, and `rcm validate`."""
import subprocess
import sys

import pytest
from conftest import SCENARIOS, guide_dict, rcm_inprocess

import rcmmodel
from rcmmodel.scenario.distributions import Dist
from rcmmodel.errors import RcmInputError


def problems(d):
    with pytest.raises(RcmInputError) as exc:
        rcmmodel.parse_scenario(d, "s.yaml")
    return {p.where: p.message for p in exc.value.problems}


def rcm(*args, cwd=None):
    """In-process (fast); ``rcm_subprocess`` below runs the real command."""
    return rcm_inprocess(*args, cwd=cwd)


def rcm_subprocess(*args):
    return subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_example_scenario_is_valid(path):
    s = rcmmodel.load_scenario(path)
    assert s.vendors or s.vendors_file
    assert 2 <= len(s.vendors) <= 4 or path.name == "guide-example.yaml" or s.vendors_file


def test_defaults():
    s = rcmmodel.parse_scenario(guide_dict())
    assert s.inhouse.payroll_tax_rate == 0.0765 and s.inhouse.benefits_rate == 0.20
    assert s.vendors[0].fees.setup == 0 and s.vendors[0].pricing.base == "collections"
    t = s.timeline
    assert (t.horizon_months, t.discount_rate, t.parallel_run_days, t.ramp_days) == (36, 0.08, 45, 90)


def test_unknown_keys_are_errors_with_paths_all_at_once():
    d = guide_dict(pricing={"model": "percentage", "rate": 0.07, "rat": 1})
    d["practice"]["colections"] = 1
    d["typo"] = 2
    got = problems(d)
    assert got["vendors[0].pricing.rat"].startswith("unknown field")
    assert got["practice.colections"].startswith("unknown field")
    assert got["typo"].startswith("unknown field")


def test_bad_values_named_by_path():
    d = guide_dict()
    d["vendors"].append({"name": "B", "pricing": {"model": "percentage", "rate": 7}})
    d["practice"]["annual_collections"] = "lots"
    got = problems(d)
    assert "at most 1" in got["vendors[1].pricing.rate"]
    assert "number" in got["practice.annual_collections"]


@pytest.mark.parametrize("pricing, where, words", [
    ({"model": "percentage"}, "vendors[0].pricing.rate", "required"),
    ({"model": "per_claim", "fee": 5, "rate": 0.1}, "vendors[0].pricing.rate", "not used"),
    ({"model": "hybrid", "rate": 0.04}, "vendors[0].pricing.monthly_base", "required"),
    ({"model": "tiered", "tiers": [{"up_to": 5e5, "rate": 0.05}, {"up_to": 2e5, "rate": 0.04}]},
     "vendors[0].pricing.tiers[1].up_to", "increase"),
    ({"model": "tiered", "tiers": [{"rate": 0.05}, {"up_to": 2e5, "rate": 0.04}]},
     "vendors[0].pricing.tiers[0].up_to", "last tier"),
    ({"model": "flat", "fee": 1}, "vendors[0].pricing.model", "percentage"),
])
def test_pricing_checks(pricing, where, words):
    got = problems(guide_dict(pricing=pricing))
    assert words in got[where]


def test_inhouse_total_or_components_not_both_nor_neither():
    d = guide_dict()
    d["inhouse"]["staff"] = [{"fte": 1, "salary": 40000}]
    assert "not both" in problems(d)["inhouse.annual_cost"]
    d["inhouse"] = {}
    assert "give annual_cost" in problems(d)["inhouse.annual_cost"]


def test_charges_base_needs_annual_charges_and_duplicate_names():
    d = guide_dict(pricing={"model": "percentage", "rate": 0.03, "base": "charges"})
    assert "annual_charges" in problems(d)["vendors[0].pricing.base"]
    d = guide_dict()
    d["vendors"].append(dict(d["vendors"][0]))
    assert "duplicate" in problems(d)["vendors[1].name"]


@pytest.mark.parametrize("spec, central", [
    ({"dist": "triangular", "low": 0.05, "mode": 0.10, "high": 0.20}, 0.10),
    ({"dist": "pert", "low": 0.05, "mode": 0.12, "high": 0.20}, 0.12),
    ({"dist": "uniform", "low": 0.10, "high": 0.20}, 0.15),
    ({"dist": "normal", "mean": 0.1, "sd": 0.02}, 0.1),
    ({"dist": "lognormal", "median": 0.1, "sigma": 0.3}, 0.1),
])
def test_distribution_central_value_drives_the_model(spec, central):
    s = rcmmodel.parse_scenario(guide_dict(uplift=spec))
    assert isinstance(s.vendors[0].uplift, Dist)
    a = rcmmodel.evaluate(s).to_dict()["vendors"][0]["annual"]
    assert a["uplift_amount"] == pytest.approx(500000 * central, abs=0.005)


@pytest.mark.parametrize("spec, where, words", [
    ({"dist": "triangular", "low": 0.2, "mode": 0.1, "high": 0.3}, "uplift.mode", "between"),
    ({"dist": "triangular", "low": 0.2, "mode": 0.2, "high": 0.1}, "uplift.high", "below high"),
    ({"dist": "normal", "mean": 0.1, "sd": 0}, "uplift.sd", "greater than 0"),
    ({"dist": "lognormal", "median": -1, "sigma": 0.1}, "uplift.median", "greater than 0"),
    ({"dist": "uniform", "low": 0.1}, "uplift.high", "missing"),
    ({"dist": "beta", "a": 1}, "uplift.dist", "unknown distribution"),
    ({"dist": "uniform", "low": 0.1, "high": 0.2, "mode": 0.1}, "uplift.mode", "unknown parameter"),
    ({"dist": "uniform", "low": "x", "high": 0.2}, "uplift.low", "number"),
])
def test_bad_distributions(spec, where, words):
    got = problems(guide_dict(uplift=spec))
    assert words in got[f"vendors[0].{where}"]


def test_distribution_support_respects_field_bounds():
    got = problems(guide_dict(pricing={"model": "percentage",
                                       "rate": {"dist": "uniform", "low": -0.1, "high": 0.2}}))
    assert "at least 0" in got["vendors[0].pricing.rate"]


def test_cli_validate_ok_and_problems(tmp_path):
    ok = rcm("validate", SCENARIOS / "guide-example.yaml")
    assert (ok.returncode, ok.stdout.strip()) == (0, "ok")
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: rcmmodel/v1\nname: x\npractice: {annual_collections: 1e5, foo: 1}\n"
                   "inhouse: {annual_cost: 1}\nvendors:\n - {name: A, pricing: {model: percentage}}\n"
                   " - {name: B, pricing: {model: percentage, rate: -1}}\n")
    r = rcm("validate", bad)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr
    assert f"{bad}: practice.foo: unknown field" in r.stderr
    assert f"{bad}: vendors[0].pricing.rate: required" in r.stderr
    assert f"{bad}: vendors[1].pricing.rate: must be at least 0" in r.stderr


@pytest.mark.parametrize("text, words", [
    ("name: [unclosed", "not valid YAML"),
    ("- a list\n- not a mapping", "YAML mapping"),
    ("schema: rcmmodel/v9\nname: x\npractice: {annual_collections: 1}\ninhouse: {annual_cost: 1}\n"
     "vendors: [{name: A, pricing: {model: per_claim, fee: 1}}]", "schema: must be 'rcmmodel/v1'"),
])
def test_cli_bad_files(tmp_path, text, words):
    f = tmp_path / "s.yaml"
    f.write_text(text)
    r = rcm("evaluate", f)
    assert r.returncode == 2 and words in r.stderr and "Traceback" not in r.stderr


def test_cli_missing_file(tmp_path):
    r = rcm("evaluate", tmp_path / "nope.yaml")
    assert r.returncode == 2 and "no such file" in r.stderr


def test_draws_are_clipped_to_the_fields_range():
    import numpy as np
    s = rcmmodel.parse_scenario(guide_dict(
        pricing={"model": "percentage", "rate": {"dist": "normal", "mean": 0.02, "sd": 0.05}},
        uplift={"dist": "normal", "mean": 0.1, "sd": 2.0}))
    rate, uplift = s.vendors[0].pricing.rate, s.vendors[0].uplift
    draws = rate.sample(np.random.default_rng(0), 10_000)
    assert draws.min() == 0.0 and draws.max() <= 1.0 and (draws == 0).mean() > 0.2
    assert uplift.sample(np.random.default_rng(0), 10_000).min() == -0.99
    assert rate.ppf(0.01) == 0.0 and rate.ppf(0.5) == pytest.approx(0.02)


def test_baseline_kpis_measured_from_claims_files_when_not_given():
    s = rcmmodel.scenario_with_claims(rcmmodel.load_scenario(
        SCENARIOS / "family-practice-claims.yaml"))
    b = s.practice.baseline_kpis
    assert set(s.measured_kpis) == {"days_in_ar", "clean_claim_rate", "net_collection_rate",
                                    "denial_rate"}
    assert 0 < b.net_collection_rate < 1 and 0 < b.denial_rate < 1 and b.days_in_ar > 0
    v = rcmmodel.evaluate(s).vendors[0]
    assert v.sla_implied_uplift == pytest.approx(0.95 / b.net_collection_rate - 1)


def test_given_baseline_kpis_win_over_claims_files(tmp_path):
    import shutil
    shutil.copy(SCENARIOS / "claims" / "family-practice-ledger.csv", tmp_path / "l.csv")
    d = guide_dict()
    d["practice"].update(claims_files=["l.csv"], baseline_kpis={"net_collection_rate": 0.9})
    import yaml
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(d))
    s = rcmmodel.scenario_with_claims(rcmmodel.load_scenario(tmp_path / "s.yaml"))
    assert s.practice.baseline_kpis.net_collection_rate == 0.9
    assert "net_collection_rate" not in s.measured_kpis and "days_in_ar" in s.measured_kpis


def test_missing_claims_file_is_named(tmp_path):
    import yaml
    d = guide_dict()
    d["practice"]["claims_files"] = ["nowhere.835"]
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(d))
    r = rcm("validate", tmp_path / "s.yaml")
    assert r.returncode == 2 and "nowhere.835" in r.stderr and "Traceback" not in r.stderr
