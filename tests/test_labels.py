"""The one table of labels: every field, range, flag and source said in plain words."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from conftest import SCENARIOS
from rcmmodel.describe import spread
from rcmmodel.pricing import pricing_label
from rcmmodel.model.evaluate import evaluate
from rcmmodel.model.inputs import main_fields, uncertain_fields
from rcmmodel.present import labels, narrative
from rcmmodel.scenario import load_scenario
from rcmmodel.scenario.distributions import parse_dist
from rcmmodel.vendors.assess import assess

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))
JARGON = ("SP" + "EC", "seed", "[0]", "tiers[", "dist", "triangular(", "uniform(", "pert(", "_")


def tiered():
    return SimpleNamespace(
        inhouse=SimpleNamespace(staff=[SimpleNamespace(role="Billing specialist")]),
        vendors=[SimpleNamespace(name="Acme RCM", pricing=SimpleNamespace(tiers=[
            SimpleNamespace(up_to=250_000.0), SimpleNamespace(up_to=None)]))])


def test_field_labels_name_people_vendors_and_bands():
    s = tiered()
    assert labels.field_label("inhouse.staff[0].fte", s) == "Billing specialist's FTE"
    assert labels.field_label("vendors[0].pricing.tiers[1].rate", s) == \
        "Acme RCM: tier 2 rate (above $250,000)"
    assert labels.field_label("vendors[0].pricing.tiers[0].rate", s, vendor=False) == \
        "Tier 1 rate (up to $250,000)"
    assert labels.field_label("vendors[0].fees.other_annual.denial_management", s) == \
        "Acme RCM: denial management (a year)"
    assert labels.field_label("inhouse.costs.office_space") == "In-house office space cost"
    assert labels.field_label("vendors[0].sla.days_in_ar", s) == "Acme RCM: committed days in A/R"
    assert labels.field_label("practice.baseline_kpis.denial_rate") == "Today's denial rate"


def test_tornado_inputs_of_an_example_read_as_words():
    s = load_scenario(SCENARIOS / "orthopaedic-group.yaml")
    role = s.inhouse.staff[0].role
    assert labels.field_label("inhouse.staff[0].fte", s) == f"{role}'s FTE"
    assert labels.field_label("vendors[1].pricing.rate", s) == "National Medical Billing: fee rate"
    assert labels.field_label("vendors[0].pricing.tiers[0].rate", s).startswith(
        "OrthoRev Solutions: tier 1 rate (up to $")
    assert labels.field_label("inhouse.annual_cost") == "In-house billing cost a year"
    assert labels.field_label("practice.annual_collections") == "Annual collections today"


def test_unknown_field_is_an_error_not_a_path():
    with pytest.raises(KeyError):
        labels.field_label("practice.nonsense")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_model_input_of_every_example_has_plain_words(path):
    s = load_scenario(path)
    fields = {**main_fields(s), **uncertain_fields(s)}
    for p, value in fields.items():
        for text in (labels.field_label(p, s), labels.value_text(p, value)):
            assert not any(j in text for j in JARGON), (p, text)


def test_ranges_read_as_sentences():
    days = parse_dist({"dist": "triangular", "low": 60, "mode": 75, "high": 120})
    assert labels.value_text("timeline.ramp_days", days) == "between 60 and 120 days, most likely 75"
    up = parse_dist({"dist": "pert", "low": 0.05, "mode": 0.1, "high": 0.2})
    assert labels.value_text("vendors[0].uplift", up) == "between 5% and 20%, most likely 10%"
    fee = parse_dist({"dist": "uniform", "low": 6, "high": 9.5})
    assert labels.value_text("vendors[0].pricing.fee", fee) == \
        "anywhere between $6 and $9.50, every value equally likely"
    c0 = parse_dist({"dist": "normal", "mean": 780_000, "sd": 60_000})
    # 5th and 95th percentiles: mean -/+ 1.645 sd
    assert labels.value_text("practice.annual_collections", c0) == (
        "about $780,000, give or take $60,000; nine times in ten between $681,309 and $878,691")
    ln = parse_dist({"dist": "lognormal", "median": 100, "sigma": 0.5})
    text = spread(ln, lambda v: f"{v:.0f}")
    assert text == "typically 100; nine times in ten between 44 and 228"


def test_pricing_labels_never_show_distribution_syntax():
    s = load_scenario(SCENARIOS / "uncertain-uplift.yaml")
    said = [pricing_label(v) for v in s.vendors]
    assert said[2] == "$6 to $9.50 per claim"
    assert not any("(" in x and "low" in x for x in said)


def test_possessives():
    assert labels.possessive("Acme RCM") == "Acme RCM's"
    assert labels.possessive("Behavioral Billing Pros") == "Behavioral Billing Pros'"


def test_every_flag_is_a_sentence_and_has_a_short_label():
    seen = set()
    for path in EXAMPLES:
        for a in assess(evaluate(load_scenario(path))):
            for f in a.flags:
                seen.add(f.code)
                sentence = labels.flag_sentence(f, a.name)
                assert sentence[0].isupper() and sentence.endswith("."), sentence
                assert a.name in sentence and "_" not in sentence and "/yr" not in sentence
                assert f.code in labels.FLAG_LABELS
                assert "_" not in labels.flag_label(f)
    assert {"one_time_fees", "no_baa", "diligence_unanswered"} <= seen


def test_sources_are_citations_with_a_year():
    for key in ("guide", "aafp", "hfma", "mgma", "irs", "overturn"):
        short, full = labels.SOURCES[key]
        # a year, or the source's silence about it said plainly (never "n.d." or a guess)
        assert re.search(r"\b20\d\d\b|undated|year not stated|edition .* not stated", full), key
    refs = labels.references(["guide", "aafp", "guide"])
    assert len(refs) == 2 and refs[0].startswith("Billing services guide: The Ultimate Guide")


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_assumptions_table_speaks_plainly(path):
    s = load_scenario(path)
    rows = narrative.assumptions(s, evaluate(s))
    for r in rows:
        for text in (r["item"], r["value"], r["source"]):
            assert not any(j in text for j in JARGON[:-1]), (r, text)
            assert "project" not in text and "computed (" not in text
        assert r["keys"] and all(k in labels.SOURCES for k in r["keys"])


def test_proposal_assumptions_show_one_vendor_only():
    s = load_scenario(SCENARIOS / "mental-health-group.yaml")
    rows = narrative.assumptions(s, evaluate(s), only="MindfulRCM")
    text = " ".join(r["item"] + r["value"] for r in rows)
    assert "$750 a month + 4.5% of collections" in text
    for other in ("BudgetBill", "Behavioral"):
        assert other not in text


def test_one_kpi_table_every_surface_reads():
    """KPI keys, labels, units, directions and benchmarks live in one table
    (rcmmodel.claims.targets.KPIS): the computed KPIs, the labels people read and the
    graded targets all agree with it."""
    import pandas as pd

    from rcmmodel.claims import kpi
    from rcmmodel.claims.targets import BASELINE_KPIS, KPIS, TARGETS

    ledger = pd.DataFrame({
        "claim_id": ["a"], "payer": ["P"], "service_date": pd.to_datetime(["2024-01-02"]),
        "submitted_date": pd.to_datetime(["2024-01-03"]),
        "paid_date": pd.to_datetime(["2024-02-01"]), "charge": [100.0],
        "insurance_paid": [80.0], "patient_paid": [0.0], "contractual_adjustment": [20.0],
        "other_adjustment": [0.0], "status": ["paid"], "denial_code": [None],
        "first_pass": [True]})
    computed = kpi.kpis(ledger, pd.Timestamp("2024-03-01"))
    assert set(computed) == set(KPIS)
    assert labels.KPI_LABELS == {k: row.label for k, row in KPIS.items()}
    assert all(KPIS[k] is t and t.benchmarked for k, t in TARGETS.items())
    assert set(BASELINE_KPIS) <= set(TARGETS)
    for k, row in KPIS.items():
        shown = labels.format_kpi(k, 12.5)
        assert shown.endswith({"money": "0", "days": "days", "pct": "%"}[row.unit]), shown
        assert row.benchmarked or row.grade(0.5) is None
