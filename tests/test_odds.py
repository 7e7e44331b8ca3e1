"""The decision's odds (rcmmodel.vendors.odds): the whole rule in every draw, vectorised,
against the same rule applied one draw at a time with the ranking's own functions."""
from types import SimpleNamespace as NS

import numpy as np
from conftest import examples
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from rcmmodel.vendors.odds import decision_odds
from rcmmodel.vendors.ranking import CRITERIA, financial_scores, rank_order, weighted_totals


def _one_draw(c, gains, measure):
    """The deterministic rule on one draw: eligible, net gain > 0, top of the ranking."""
    eligible = [a.eligible for a in c.assessments]
    names = [a.name for a in c.assessments]
    scores = np.array(c.scores, dtype=float)
    scores[:, 0] = financial_scores(measure, eligible)
    totals = weighted_totals(scores, [c.weights[k] for k in CRITERIA])
    order = rank_order(totals, scores[:, 0], names, eligible)
    paying = [i for i in order if gains[i] > 0]
    return paying[0] if paying else None


@st.composite
def cases(draw):
    k = draw(st.integers(1, 4))
    n = draw(st.integers(1, 30))
    gains = draw(arrays(float, (k, n), elements=st.sampled_from(
        [-50.0, -1.0, 0.0, 1.0, 10.0, 10.0, 25.0, 80.0, 80.0])))
    npv = draw(arrays(float, (k, n), elements=st.floats(-100, 100)))
    weights = dict(zip(CRITERIA, draw(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.4, 1.0]),
                                                 min_size=4, max_size=4)
                                        .filter(lambda w: sum(w) > 0))))
    scores = draw(arrays(float, (k, 4), elements=st.sampled_from([0.0, 50.0, 62.5, 100.0])))
    names = draw(st.lists(st.sampled_from("ABCDEF"), min_size=k, max_size=k, unique=True))
    assessments = [NS(name=nm, eligible=draw(st.booleans())) for nm in names]
    basis = draw(st.sampled_from(["net_gain", "npv"]))
    return NS(weights=weights, scores=scores, assessments=assessments, basis=basis), gains, npv


@settings(max_examples=examples(200), deadline=None)
@given(cases())
def test_odds_are_the_rule_applied_draw_by_draw_and_sum_to_one(case):
    c, gains, npv = case
    odds = decision_odds(c, gains, npv)
    n = gains.shape[1]
    wins = [0] * gains.shape[0]
    stay = 0
    for j in range(n):
        measure = npv[:, j] if c.basis == "npv" else gains[:, j]
        top = _one_draw(c, gains[:, j], measure)
        if top is None:
            stay += 1
        else:
            wins[top] += 1
    assert odds.prob_recommended == [w / n for w in wins]
    assert odds.prob_stay == stay / n
    assert abs(sum(odds.prob_recommended) + odds.prob_stay - 1.0) < 1e-12
    for a, p in zip(c.assessments, odds.prob_recommended):
        if not a.eligible:
            assert p == 0.0
