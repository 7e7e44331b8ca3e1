"""Hypothesis strategies for scenarios and quotes."""
from hypothesis import strategies as st

from rcmmodel.scenario.pricing_models import PRICING_MODELS

collections = st.floats(min_value=50_000, max_value=20_000_000)
rates = st.floats(min_value=0.0, max_value=0.5)
uplifts = st.floats(min_value=-0.5, max_value=1.0)
money = st.floats(min_value=0, max_value=500_000)


@st.composite
def pricing(draw):
    model = draw(st.sampled_from(list(PRICING_MODELS)))
    if model == "percentage":
        return {"model": model, "rate": draw(rates)}
    if model == "per_claim":
        return {"model": model, "fee": draw(st.floats(min_value=0, max_value=50))}
    if model == "hybrid":
        return {"model": model, "monthly_base": draw(st.floats(min_value=0, max_value=5000)),
                "rate": draw(rates)}
    if model == "tiered":
        bounds = sorted(draw(st.lists(st.floats(min_value=1e4, max_value=1e7), min_size=1,
                                      max_size=3, unique=True)))
        tiers = [{"up_to": b, "rate": draw(rates)} for b in bounds] + [{"rate": draw(rates)}]
        return {"model": model, "tiers": tiers}
    raise NotImplementedError(f"no strategy for the {model} pricing model yet")


@st.composite
def scenario_dicts(draw, pricing_strategy=None):
    fees = {"setup": draw(money), "monthly_minimum": draw(st.floats(min_value=0, max_value=20000)),
            "per_statement": draw(st.floats(min_value=0, max_value=3)),
            "per_provider_monthly": draw(st.floats(min_value=0, max_value=200)),
            "credentialing_per_provider": draw(st.floats(min_value=0, max_value=1000))}
    return {"schema": "rcmmodel/v1", "name": "Drawn",
            "practice": {"annual_collections": draw(collections), "providers": draw(st.integers(1, 20)),
                         # every fee's volume is given: a missing one is an error
                         # (docs/methodology.md §9)
                         "claims_per_month": draw(st.floats(min_value=1, max_value=5000)),
                         "patient_statements_per_month": draw(st.floats(min_value=1, max_value=2000))},
            "inhouse": {"annual_cost": draw(money)},
            "vendors": [{"name": "V", "pricing": draw(pricing_strategy or pricing()), "fees": fees,
                         "uplift": draw(uplifts)}],
            "timeline": {"horizon_months": draw(st.integers(1, 60)),
                         "ramp_days": draw(st.floats(min_value=0, max_value=180)),
                         "parallel_run_days": draw(st.floats(min_value=0, max_value=120))}}
