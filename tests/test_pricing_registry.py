"""The pricing registry (rcmmodel.pricing): every registered model conforms to the one
interface (our ``check_estimator``), and the one way to replace an input."""
import numpy as np
import pytest
import yaml

from rcmmodel.model.gain import steady_net_gain
from rcmmodel.model.inputs import scenario_inputs, with_inputs
from rcmmodel.pricing import (PRICING_MODELS, PricingIn, has_rate, price_fields, pricing_label,
                              pricing_model)
from rcmmodel.scenario.schema import Pricing, Vendor
from conftest import guide_dict
from rcmmodel.scenario.load import parse_scenario

MODELS = list(PRICING_MODELS.values())


def _practice(**kw):
    return {"annual_collections": 500000, "annual_charges": 900000, "claims_per_month": 400,
            **kw}


def _scenario_with(pricing: dict):
    data = guide_dict()
    data["practice"].update(_practice())
    data["vendors"][0]["pricing"] = pricing
    return parse_scenario(data)


def check_pricing_model(m):
    """What every pricing model must do to work on every surface."""
    assert m.key and m.label and m.label[0].isupper() and m.fields
    assert m.required and set(m.required) <= set(m.names)
    assert set(m.names) <= set(price_fields()) <= set(Pricing.model_fields) - {"model"}
    assert m.price in m.names and m.price_label and m.formula
    for f in m.fields:
        assert f.label and f.help and f.kind in ("rate", "money", "choice", "tiers")
        assert f.widget in ("percent", "money", "dropdown", "tiers")
        assert f.example is not None
    # its YAML example is a valid quote, and priced in full
    example = yaml.safe_load(m.example)
    assert example["model"] == m.key
    s = _scenario_with(example)
    inputs = scenario_inputs(s)
    p, c1 = inputs.vendors[0].pricing, 550000.0
    fee = m.annual_fee(p, c1, 900000.0, 400.0)
    # the fee arithmetic in words adds up to the fee
    steps = m.fee_lines(p, c1, 900000.0, 400.0)
    assert steps and all(len(step) == 3 and step[0] and step[1] for step in steps)
    assert sum(step[2] for step in steps) == pytest.approx(fee)
    assert m.summary(p) and m.summary(s.vendors[0].pricing)
    # floats and arrays alike: a million draws go through the same function
    draws = m.annual_fee(p, np.array([c1, c1]), 900000.0, 400.0)
    assert np.shape(draws) == (2,) and draws == pytest.approx([fee, fee])
    # its price axis: setting the price it has changes nothing; doubling it raises the fee
    same = p.replace(**m.price_changes(p, m.price_of(p, c1), c1))
    assert m.annual_fee(same, c1, 900000.0, 400.0) == pytest.approx(fee)
    more = p.replace(**m.price_changes(p, 2 * m.price_of(p, c1), c1))
    assert m.annual_fee(more, c1, 900000.0, 400.0) >= fee
    # an Excel formula and its words
    names = type("Names", (), {f.name: (f"v_{f.name}" if f.kind != "tiers" else
                                        ((None, "v_rate"),)) for f in m.fields})
    for f in m.fields:
        if f.kind == "choice":
            setattr(names, f.name, f.default)
    assert m.excel_month_fee(names, "X") and m.excel_words(p)
    # what it needs from the practice is a practice field
    need = m.need(s.vendors[0].pricing)
    if need is not None:
        assert need.volume in _practice() and need.field in m.names
    # a required field left out is named
    from rcmmodel.scenario.rules import pricing_problems
    missing = pricing_problems({"model": m.key})
    assert {where for where, _msg in missing} >= set(m.required)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.key)
def test_every_registered_model_conforms(model):
    check_pricing_model(model)


def test_pricing_in_takes_any_registered_field():
    for m in MODELS:
        p = PricingIn(m.key)
        assert set(m.names) <= set(p.values())


def test_which_models_have_a_rate_and_what_they_need():
    assert [k for k, m in PRICING_MODELS.items() if m.has_rate] == ["percentage", "hybrid"]
    assert pricing_model("per_claim").need(Pricing(model="per_claim", fee=5)).volume \
        == "claims_per_month"
    on_charges = Pricing(model="percentage", rate=0.03, base="charges")
    assert pricing_model(on_charges).need(on_charges).volume == "annual_charges"
    assert pricing_model("percentage").need(Pricing(model="percentage", rate=0.03)) is None
    assert has_rate(on_charges) and not has_rate("tiered")


@pytest.mark.parametrize("pricing, label", [
    ({"model": "percentage", "rate": 0.07}, "7% of collections"),
    ({"model": "percentage", "rate": 0.03, "base": "charges"}, "3% of charges"),
    ({"model": "per_claim", "fee": 6.5}, "$6.50 per claim"),
    ({"model": "hybrid", "monthly_base": 500, "rate": 0.04}, "$500 a month + 4% of collections"),
    ({"model": "tiered", "tiers": [{"up_to": 250000, "rate": 0.06}, {"rate": 0.04}]},
     "tiered: 6% up to $250,000, 4% above $250,000"),
    ({"model": "percentage", "rate": {"dist": "triangular", "low": 0.06, "mode": 0.07,
                                      "high": 0.09}}, "most likely 7% (6% to 9%) of collections"),
])
def test_pricing_label(pricing, label):
    assert pricing_label(Vendor(name="A", pricing=pricing)) == label


def test_with_inputs_replaces_only_what_it_is_given():
    base = scenario_inputs(parse_scenario(guide_dict()))
    got = with_inputs(base, 0, rate=0.05, uplift=0.2, collections=600000.0,
                      inhouse_savings=10000.0)
    assert (got.vendors[0].pricing.rate, got.vendors[0].uplift) == (0.05, 0.2)
    assert got.practice.collections == 600000.0 and float(got.inhouse.savings) == 10000.0
    # the original is untouched
    assert (base.vendors[0].pricing.rate, base.vendors[0].uplift) == (0.07, 0.10)
    assert base.practice.collections == 500000.0 and float(base.inhouse.savings) == 40000.0
    # 600,000 x 0.2 + 10,000 - 5% x 720,000
    assert steady_net_gain(got.practice, got.inhouse.savings, got.vendors[0]).net_gain \
        == pytest.approx(120000 + 10000 - 36000)


def test_with_inputs_takes_arrays_and_refuses_unknown_names():
    base = scenario_inputs(parse_scenario(guide_dict()))
    rates = np.array([0.05, 0.07])
    got = with_inputs(base, 0, rate=rates)
    gains = steady_net_gain(got.practice, got.inhouse.savings, got.vendors[0]).net_gain
    assert gains == pytest.approx([50000 + 40000 - 27500, 51500])
    with pytest.raises(ValueError, match="unknown input"):
        with_inputs(base, 0, fee_rate=0.1)
    with pytest.raises(ValueError, match="which vendor"):
        with_inputs(base, uplift=0.1)


def test_no_model_is_named_outside_its_own_module():
    """A pricing model's key appears in its own module of rcmmodel/pricing/ and nowhere else
    in the package: every surface iterates the registry."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "rcmmodel"
    for m in MODELS:
        if m.key == "percentage":        # also a plain word ("a percentage of collections")
            continue
        where = sorted(str(p.relative_to(root)) for p in root.rglob("*")
                       if p.is_file() and p.suffix in (".py", ".tpl", ".html", ".css", ".js",
                                                        ".yaml", ".json")
                       and m.key in p.read_text(errors="ignore"))
        assert where == [f"pricing/{type(m).__module__.rsplit('.', 1)[-1]}.py"], where
