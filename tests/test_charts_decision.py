"""Page 1's chart: every eligible quote's net gain range, read from the decision itself."""
from pathlib import Path

import pytest

from rcmmodel import load_scenario
from rcmmodel.present.charts_decision import net_gain_ranges, range_frame
from rcmmodel.vendors.decision import decide

CONFLICT = Path(__file__).parent / "data_vendors" / "decision-conflict.yaml"


def test_ranges_come_from_the_decision_and_leave_out_the_excluded():
    d = decide(load_scenario(CONFLICT))
    frame = range_frame(d)
    excluded = {e["vendor"] for e in d.to_dict()["excluded"]}
    assert excluded and not excluded & set(frame.vendor)
    assert set(frame.vendor) == set(d.ranges)
    for name, r in d.ranges.items():
        got = frame[frame.vendor == name].set_index("case")["net_gain"]
        assert got["at the quoted uplift"] == pytest.approx(r["net_gain_quoted"])
        assert got["with no uplift"] == pytest.approx(r["net_gain_zero"])
    assert frame[frame.recommended].vendor.unique().tolist() == [d.recommended]


def test_chart_renders_with_dollar_axis():
    from rcmmodel.present.charts import to_svg

    svg = to_svg(net_gain_ranges(decide(load_scenario(CONFLICT))))
    assert "Net gain per year (dollars)" in svg and "$" in svg
