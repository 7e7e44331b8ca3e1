"""The break-even root finder (rcmmodel.model.roots.brentq) takes the same steps as
scipy's brentq, so it returns the very same float: checked bit for bit on smooth, kinked,
flat and steep functions, on the model's own net-gain curves, and on random brackets."""
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq as scipy_brentq

from conftest import SCENARIOS
from rcmmodel.model.roots import RTOL, brentq

FUNCTIONS = {
    "sqrt2": (lambda x: x * x - 2.0, 0.0, 2.0),
    "cubic": (lambda x: x ** 3 - 2 * x - 5, 2.0, 3.0),
    "cos": (math.cos, 0.0, 3.0),
    "exp": (lambda x: math.exp(x) - 10.0, -5.0, 10.0),
    "steep": (lambda x: math.tanh(50 * (x - 0.3)), -1.0, 1.0),
    "flat": (lambda x: (x - 1.0) ** 5, -3.0, 4.0),
    "kink": (lambda x: abs(x - 0.25) - 0.1 if x > 0 else -1.0, -1.0, 1.0),
    "linear": (lambda x: 1234.5 * x - 17.25, -0.99, 10.0),
    "step": (lambda x: -1.0 if x < 0.7 else 1.0, 0.0, 1.0),
    "reversed": (lambda x: 3.0 - x, 10.0, 0.0),
}


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@pytest.mark.parametrize("xtol", [2e-12, 1e-12, 1e-6])
def test_the_same_root_as_scipy_bit_for_bit(name, xtol):
    f, a, b = FUNCTIONS[name]
    ours = brentq(f, a, b, xtol=xtol, maxiter=500)
    theirs = scipy_brentq(f, a, b, xtol=xtol, maxiter=500)
    assert ours == theirs
    assert abs(f(ours)) <= abs(f(ours + 10 * xtol)) or abs(f(ours)) <= abs(f(ours - 10 * xtol))


@settings(max_examples=60, deadline=None)
@given(root=st.floats(-50, 50), scale=st.floats(0.01, 1e6), power=st.sampled_from([1, 3, 5]),
       left=st.floats(0.001, 100), right=st.floats(0.001, 100))
def test_random_brackets_agree_with_scipy(root, scale, power, left, right):
    def f(x):
        return scale * (x - root) ** power + 0.1 * (x - root)

    a, b = root - left, root + right
    if f(a) == 0 or f(b) == 0 or (f(a) > 0) == (f(b) > 0):
        return
    assert brentq(f, a, b, xtol=1e-12, maxiter=500) == scipy_brentq(f, a, b, xtol=1e-12,
                                                                     maxiter=500)


def test_an_endpoint_that_is_a_root_is_returned():
    assert brentq(lambda x: x - 1.0, 1.0, 5.0) == 1.0
    assert brentq(lambda x: x - 5.0, 1.0, 5.0) == 5.0


def test_bad_brackets_and_tolerances_are_refused():
    with pytest.raises(ValueError, match="different signs"):
        brentq(lambda x: x * x + 1, -1.0, 1.0)
    with pytest.raises(ValueError, match="NaN"):
        brentq(lambda x: float("nan") if x > 0 else -1.0, -1.0, 1.0)
    with pytest.raises(ValueError, match="xtol"):
        brentq(lambda x: x, -1.0, 1.0, xtol=0.0)
    with pytest.raises(ValueError, match="rtol"):
        brentq(lambda x: x, -1.0, 1.0, rtol=RTOL / 2)
    with pytest.raises(RuntimeError, match="no convergence after 3"):
        brentq(lambda x: x ** 3 - 0.123, -100.0, 100.0, maxiter=3)


def test_break_evens_of_the_example_are_scipys():
    """Every break-even of the guide example (uplift, fee rate, collections) for every
    vendor: the root scipy's brentq finds on the same net-gain curve."""
    import importlib

    from rcmmodel import load_scenario
    from rcmmodel.model.inputs import scenario_inputs

    be = importlib.import_module("rcmmodel.model.breakeven")   # the package exports a function

    inputs = scenario_inputs(load_scenario(SCENARIOS / "guide-example.yaml"))
    checked = 0
    for vendor in inputs.vendors:
        c0 = float(inputs.practice.collections)
        curves = {"min_uplift": (lambda u, v=vendor: be.gain_at_uplift(inputs, v, u),
                                 be.UPLIFT_RANGE),
                  "max_rate": (lambda r, v=vendor: be._gain_with(inputs, v, rate=r),
                               be.RATE_RANGE),
                  "breakeven_collections": (lambda c, v=vendor: be._gain_with(
                      inputs, v, collections=c, uplift=0.0), (0.0, 100 * c0))}
        for key, (f, (lo, hi)) in curves.items():
            got = be.breakeven(inputs, vendor)[key]
            if got is None:
                continue
            assert got == scipy_brentq(f, lo, hi, xtol=1e-12, maxiter=500)
            checked += 1
    assert checked >= 2
