"""Fee arithmetic shown to readers adds up to the model's vendor cost, minimums included."""
from __future__ import annotations

import pytest

from conftest import SCENARIOS
from rcmmodel.model.evaluate import evaluate
from rcmmodel.present.fees import fee_lines
from rcmmodel.scenario import load_scenario, parse_scenario

EXAMPLES = sorted(SCENARIOS.glob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_lines_add_up_to_the_vendor_cost(path):
    result = evaluate(load_scenario(path))
    for v in result.vendors:
        lines = fee_lines(result, v.name)
        yearly = sum(x.amount for x in lines if not x.total and not x.once)
        assert yearly == pytest.approx(float(v.figures.vendor_cost), abs=0.01), v.name
        once = sum(x.amount for x in lines if x.once)
        assert once == pytest.approx(float(v.figures.one_time), abs=0.01), v.name
        assert lines[-1 - sum(x.once for x in lines)].what == "Vendor cost a year"


def scenario(pricing, fees=None, **practice):
    data = {"schema": "rcmmodel/v1", "name": "t",
            "practice": {"annual_collections": 500000, "claims_per_month": 400, **practice},
            "inhouse": {"annual_cost": 40000},
            "vendors": [{"name": "A", "pricing": pricing, "uplift": 0.10, "fees": fees or {}}]}
    return evaluate(parse_scenario(data))


def test_guide_example_reads_7_percent_of_550000():
    [line, total] = fee_lines(scenario({"model": "percentage", "rate": 0.07}), "A")
    assert line.how == "7% x $550,000 (collections with the uplift)"
    assert line.amount == pytest.approx(38500)
    assert total.what == "Vendor cost a year" and total.amount == pytest.approx(38500)


def test_tiers_show_each_band():
    r = scenario({"model": "tiered", "tiers": [{"up_to": 250000, "rate": 0.06},
                                               {"up_to": 500000, "rate": 0.05}, {"rate": 0.04}]})
    lines = fee_lines(r, "A")
    # 550,000: 6% of 250,000 + 5% of 250,000 + 4% of 50,000 = 15,000 + 12,500 + 2,000
    assert [(x.what, x.amount) for x in lines[:3]] == [
        ("Tier 1 (up to $250,000)", 15000), ("Tier 2 (from $250,000 to $500,000)", 12500),
        ("Tier 3 (above $500,000)", 2000)]
    assert lines[3].what == "Service fee a year" and lines[3].amount == pytest.approx(29500)


def test_a_binding_minimum_says_what_it_adds():
    # 400 claims x $5 = $2,000 a month, under a $3,000 minimum: adds $12,000 a year
    lines = fee_lines(scenario({"model": "per_claim", "fee": 5}, {"monthly_minimum": 3000}), "A")
    minimum = next(x for x in lines if x.what == "Monthly minimum")
    assert minimum.amount == pytest.approx(12000)
    assert "$2,000 a month" in minimum.how
    assert next(x for x in lines if x.what == "Service fee a year").amount == pytest.approx(36000)


def test_a_nearly_empty_last_page_is_laid_out_again_tighter():
    """pdf.pdf_bytes lays a report out again with its appendix set tighter when the last page
    would hold only a few lines, and keeps the layout with fewer pages."""
    import weasyprint
    from pypdf import PdfReader
    import io

    from rcmmodel.reports.pdf import last_page_fill, pdf_bytes

    rows = "".join(f"<tr><td>row {i}</td><td>value</td></tr>" for i in range(50))
    page = f"<html><body><table class='rcm-wide'>{rows}</table></body></html>"
    css = "table.rcm-wide { font-size: 9pt; } td { padding: 3px 6px; }"
    loose = weasyprint.HTML(string=page).render(stylesheets=[weasyprint.CSS(string=css)])
    assert len(loose.pages) == 2 and last_page_fill(loose) < 0.25
    tight = PdfReader(io.BytesIO(pdf_bytes(page, css)))
    assert len(tight.pages) == 1
