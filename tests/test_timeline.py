"""ramp, overlap, roi and payback_month (docs/methodology.md §4), each pinned to values
worked by hand.

    ramp_m    = min(1, m / (ramp_days / 30))              (ramp_days = 0: full at once)
    overlap_m = min(1, max(0, parallel_run_days / 30 - (m - 1)))
    roi       = net_gain / vendor_cost                     (NaN where the vendor costs 0)
    payback   = first month the cumulative net is >= 0     (0 where never)
"""
import math

import numpy as np
import pytest

from rcmmodel.model.gain import roi
from rcmmodel.model.timeline import overlap, payback_month, ramp


@pytest.mark.parametrize("months, ramp_days, expected", [
    ([1, 2, 3, 4], 90, [1 / 3, 2 / 3, 1.0, 1.0]),     # the guide's 90-day ramp: thirds
    ([1, 2, 3], 45, [30 / 45, 1.0, 1.0]),              # month 2 would be 60/45: capped at 1
    ([1, 2], 0, [1.0, 1.0]),                           # no ramp: the full effect at once
    ([1], 15, [1.0]),                                  # shorter than a month: full in month 1
    ([1, 2, 3, 4, 5, 6, 7], 200, [0.15, 0.30, 0.45, 0.60, 0.75, 0.90, 1.0]),
])
def test_ramp(months, ramp_days, expected):
    assert ramp(months, ramp_days) == pytest.approx(expected)


def test_ramp_per_draw():
    # a ramp drawn per draw gives one row per draw: 30 days -> full in month 1; 60 -> 1/2, 1
    assert ramp([1, 2], np.array([30.0, 60.0])) == pytest.approx(np.array([[1, 1], [0.5, 1]]))


@pytest.mark.parametrize("months, parallel_run_days, expected", [
    ([1, 2, 3], 45, [1.0, 0.5, 0.0]),        # 1.5 months: all of month 1, half of month 2
    ([1, 2, 3, 4], 90, [1.0, 1.0, 1.0, 0.0]),
    ([1, 2, 3], 75, [1.0, 1.0, 0.5]),        # 2.5 months
    ([1, 2], 10, [1 / 3, 0.0]),              # a third of month 1
    ([1, 2], 0, [0.0, 0.0]),                 # no parallel run: savings from month 1
])
def test_overlap(months, parallel_run_days, expected):
    assert overlap(months, parallel_run_days) == pytest.approx(expected)


def test_overlap_per_draw():
    assert overlap([1, 2], np.array([15.0, 60.0])) == pytest.approx(np.array([[0.5, 0], [1, 1]]))


@pytest.mark.parametrize("gain, cost, expected", [
    (51500, 38500, 51500 / 38500),           # the guide example: 1.3377 -> 134%
    (-1000, 4000, -0.25),                    # a loss is a negative return
    (0, 5000, 0.0),
    (2000, 8000, 0.25),
])
def test_roi(gain, cost, expected):
    assert roi(gain, cost) == pytest.approx(expected)


def test_roi_nan_where_the_vendor_costs_nothing():
    assert math.isnan(roi(100, 0))
    got = roi(np.array([10.0, 10.0, -3.0]), np.array([5.0, 0.0, 6.0]))
    assert got[0] == 2.0 and math.isnan(got[1]) and got[2] == -0.5


@pytest.mark.parametrize("net, expected", [
    ([-100.0, 50.0, 60.0], 3),               # cumulative -100, -50, +10
    ([10.0, -5.0], 1),                       # ahead from the first month
    ([-100.0, 50.0, 50.0], 3),               # lands exactly on 0: paid back
    ([-100.0, 50.0, 49.99], 0),              # a cent short at the horizon: never
    ([-1e-10, 0.0], 1),                      # 0 to within rounding counts as paid back
    ([-5.0, 10.0, -20.0], 2),                # the first month, even if it dips again
])
def test_payback_month(net, expected):
    assert int(payback_month(net)) == expected


def test_payback_month_per_draw():
    assert payback_month(np.array([[-10.0, 20.0], [-10.0, 5.0]])).tolist() == [2, 0]
