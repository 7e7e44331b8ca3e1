"""Charts give altair channel objects, never shorthand strings: altair turns each string into
its channel class by building a table of its ~580 schema classes (4 ms a string, dozens a
report). The objects make the same chart."""
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from rcmmodel import load_scenario
from rcmmodel.model.breakeven import gain_curve
from rcmmodel.model.evaluate import evaluate
from rcmmodel.present import charts, charts_risk
from rcmmodel.present.charts_decision import net_gain_ranges
from rcmmodel.risk import sensitivity
from rcmmodel.vendors.decision import decide

GUIDE = Path(__file__).resolve().parents[1] / "scenarios" / "guide-example.yaml"


def test_tips_make_the_same_chart_as_strings():
    frame = pd.DataFrame({"amount": [1.0, 2.0], "part": ["a", "b"]})
    strings = alt.Chart(frame).mark_bar().encode(
        x="amount:Q", y="part:N", tooltip=["part", alt.Tooltip("amount:Q", format="$,.0f")])
    objects = alt.Chart(frame).mark_bar().encode(
        x=alt.X("amount:Q"), y=alt.Y("part:N"),
        tooltip=charts.tips(["part", alt.Tooltip("amount:Q", format="$,.0f")]))
    assert strings.to_dict() == objects.to_dict()


@pytest.fixture
def shorthand_count(monkeypatch):
    """How many channels altair built from a shorthand string (its ``from_dict`` of
    ``{"shorthand": ...}``) since the fixture started."""
    calls = []
    original = alt.X.from_dict.__func__

    def counting(cls, dct, validate=True):
        if isinstance(dct, dict) and "shorthand" in dct:
            calls.append((cls.__name__, dct["shorthand"]))
        return original(cls, dct, validate=validate)

    monkeypatch.setattr(alt.utils.schemapi.SchemaBase, "from_dict", classmethod(counting))
    return calls


def test_report_charts_build_no_channel_from_a_string(shorthand_count):
    scenario = load_scenario(GUIDE)
    result = evaluate(scenario)
    name = result.vendors[0].name
    built = [charts.tco_breakdown(result), charts.cost_comparison(result, name),
             charts.cumulative_cash(result, name),
             charts.net_gain_vs_rate(gain_curve(result, name, "price", planning=True)),
             net_gain_ranges(decide(scenario)),
             charts_risk.tornado_chart(sensitivity.tornado(scenario, name), scenario),
             charts_risk.breakeven_heatmap(sensitivity.breakeven_map(scenario, name, x="price"))]
    assert all(isinstance(c, alt.TopLevelMixin) for c in built)
    # the check can fail: a string channel is counted
    alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().encode(x="a:Q")
    assert shorthand_count == [("X", "a:Q")]
