"""The pricing registry (scenario.pricing_models) and the one way to replace an input."""
import dataclasses

import numpy as np
import pytest

from rcmmodel.model.gain import steady_net_gain
from rcmmodel.model.inputs import PricingIn, scenario_inputs, with_inputs
from rcmmodel.model.pricing import MONTHLY_FEES
from rcmmodel.scenario.pricing_models import (FIELDS, PRICING_MODELS, has_rate, pricing_label,
                                              pricing_model)
from rcmmodel.scenario.schema import Pricing, Vendor
from conftest import guide_dict
from rcmmodel.scenario.load import parse_scenario


def test_every_model_has_a_fee_and_its_fields_exist_everywhere():
    assert set(MONTHLY_FEES) == set(PRICING_MODELS)
    pricing_in = {f.name for f in dataclasses.fields(PricingIn)}
    for m in PRICING_MODELS.values():
        assert m.required and set(m.required) <= set(m.fields)
        assert set(m.fields) <= set(FIELDS) <= set(Pricing.model_fields) - {"model"}
        assert set(m.fields) <= pricing_in
        assert m.label and m.label[0].isupper()


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


def test_every_model_has_its_fee_arithmetic_shown():
    from rcmmodel.present.fees import SERVICE_LINES

    assert set(SERVICE_LINES) == set(PRICING_MODELS)
