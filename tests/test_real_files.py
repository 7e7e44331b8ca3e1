"""Files as they come from real systems: control characters in names, dots in cost names,
huge amounts, far dates, zero volumes and CRM exports (docs/methodology.md §7, §9, §11).
Each test here failed before its fix."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import ROOT

DATA = ROOT / "tests" / "data"
NASTY = "Aetna\x1b[31m\x07\x0bPPO"


def _ledger_with_payer(tmp_path, payer: str) -> Path:
    rows = list(csv.reader(io.StringIO((DATA / "ledger_small.csv").read_text())))
    col = rows[0].index("payer")
    for r in rows[1:]:
        if r[col] == "Aetna":
            r[col] = payer
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path = tmp_path / "ledger.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _835_with_payer(tmp_path, payer: str) -> Path:
    path = tmp_path / "remit.835"
    path.write_bytes((DATA / "lines_a.835").read_bytes().replace(
        b"N1*PR*ACME HEALTH PLAN", b"N1*PR*" + payer.encode()))
    return path


@pytest.mark.parametrize("make", [_ledger_with_payer, _835_with_payer], ids=["ledger", "835"])
def test_control_characters_in_a_payer_name_leave_charts_drawable(tmp_path, make):
    """ESC, BEL and VT in N1*PR or a ledger's payer cell stopped the chart renderer."""
    from rcmmodel.claims.review import load_claims, summarize
    from rcmmodel.describe import is_control
    from rcmmodel.present import charts_claims
    from rcmmodel.present.charts import to_svg

    review = summarize(load_claims(make(tmp_path, NASTY)))
    names = [p["payer"] for p in review["payers"]]
    assert "Aetna [31m PPO" in names or "Aetna [31m PPO" in str(review), names
    assert not any(is_control(c) for n in names if n for c in n)
    drawn = 0
    for chart in (charts_claims.denials_by_category, charts_claims.days_to_pay,
                  charts_claims.aging_stack):
        figure = chart(review)
        if figure is not None:
            assert "<svg" in to_svg(figure)
            drawn += 1
    assert drawn >= 2
