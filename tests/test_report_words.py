"""The words of the reports, one fix each (docs/methodology.md §6 and §9): plurals, scores
rounded one way, the weight that flips a choice said in shares, the no-BAA sentence, open
claims beside open A/R, where a one-vendor proposal stands, the glossary, the palette, the
banded fee's break-even and the sources' citations. Fast: no report is rendered."""
from __future__ import annotations

import re
from types import SimpleNamespace as NS

import pytest

from conftest import SCENARIOS
from rcmmodel.describe import count, score


def test_count_makes_plurals():
    assert [count(1, "provider"), count(2, "provider"), count(0, "quote")] == [
        "1 provider", "2 providers", "0 quotes"]
    assert count(1200, "claim") == "1,200 claims"


@pytest.mark.parametrize("x, digits, said", [(80.5, 0, "81"), (81.5, 0, "82"), (0.5, 0, "1"),
                                             (81.25, 1, "81.3"), (81.35, 1, "81.4"),
                                             (81.04, 1, "81.0"), (None, 0, "—")])
def test_scores_round_half_up_in_every_place(x, digits, said):
    assert score(x, digits) == said


def test_the_margin_is_the_difference_of_the_scores_as_shown():
    from rcmmodel.present.verdict import score_gap

    d = NS(recommended="A", runner_up="B", scores={"A": 81.25, "B": 81.04})
    assert (score(81.25, 1), score(81.04, 1), score_gap(d)) == ("81.3", "81.0", "0.3")


def test_the_flip_is_said_in_shares_of_the_weight():
    from rcmmodel.present.decision_text import flip_text

    text = flip_text({"criterion": "financial", "direction": "raise", "weight": 0.4,
                      "to_weight": 1.8, "share": 0.4, "to_share": 0.75, "to": "TierWise"})
    assert text == "giving net gain 75% of the weight instead of 40% would put TierWise first"
    assert "1.8" not in text and "0.4" not in text


def test_the_no_baa_sentence_reads():
    from rcmmodel.present.flags_text import flag_sentence

    text = flag_sentence(NS(code="no_baa", figures={}), "Harbor Billing")
    assert text.startswith("Harbor Billing offers no Business Associate Agreement, and HIPAA")
    assert " is no " not in text


def test_open_claims_are_never_said_alone_beside_open_dollars():
    from rcmmodel.reports.claims_review import open_text

    said = open_text({"open_claims": 0, "aging": [{"open_ar": 600.0}, {"open_ar": 400.0}]})
    assert "$1,000 of A/R still open" in said and "0 still open" not in said
    assert open_text({"open_claims": 3, "aging": []}) == "3 awaiting a payer, nothing else owed"


def test_a_proposal_among_one_quote_says_so_in_words():
    from rcmmodel.present.verdict import standing

    assert standing(NS(n_quotes=1, recommended="A", verdict="outsource"), "A") == (
        "It is the only quote compared, and it is recommended.")
    assert "1 quote" not in standing(NS(n_quotes=1, recommended=None, verdict="stay"), "A")
    assert standing(NS(n_quotes=2, recommended="A", verdict="outsource"), "A").startswith(
        "Of the 2 quotes compared")


def test_per_provider_fees_are_said_with_the_right_plural():
    from rcmmodel import evaluate, load_scenario
    from rcmmodel.present.fees import fee_lines

    s = load_scenario(SCENARIOS / "guide-example.yaml")
    s = s.model_copy(update={"practice": s.practice.model_copy(update={"providers": 1})})
    v = s.vendors[0]
    fees = v.fees.model_copy(update={"per_provider_monthly": 150.0,
                                     "credentialing_per_provider": 300.0})
    s = s.model_copy(update={"vendors": [v.model_copy(update={"fees": fees})]})
    hows = [line.how for line in fee_lines(evaluate(s), v.name)]
    assert any("x 1 provider x 12" in h for h in hows), hows
    assert not any("1 providers" in h for h in hows)


def test_the_glossary_spells_out_each_acronym_used():
    from rcmmodel.present.labels import GLOSSARY, glossary_line

    line = glossary_line("an SLA and an NPV")
    assert "SLA = service-level agreement" in line and "NPV = net present value" in line
    assert "FTE" not in line
    every = glossary_line()
    assert all(f"{k} = " in every for k in ("SLA", "KPI", "NPV", "FTE", "BAA"))
    assert set(GLOSSARY) >= {"SLA", "KPI", "NPV", "FTE", "BAA"}


def test_one_palette_the_recommended_vendor_blue_everywhere():
    from rcmmodel.present.charts import (EXCLUDED_COLOR, RECOMMENDED_COLOR, vendor_colors)

    for rec in ("A", "B", "C"):
        colors = vendor_colors(["A", "B", "C", "D"], recommended=rec, excluded=["D"])
        assert colors[rec] == RECOMMENDED_COLOR and colors["D"] == EXCLUDED_COLOR
        others = [c for n, c in colors.items() if n not in (rec, "D")]
        assert RECOMMENDED_COLOR not in others and len(set(others)) == len(others)


def test_the_cost_chart_agrees_with_the_tables_and_never_shows_an_excluded_gain():
    from rcmmodel import evaluate, load_scenario
    from rcmmodel.present.charts import cost_comparison

    r = evaluate(load_scenario(SCENARIOS / "mental-health-group.yaml"))
    data = cost_comparison(r, "MindfulRCM").to_dict()
    rows = next(iter(data["datasets"].values()))
    costs = {x["option"]: x["amount"] for x in rows if x["what"] == "Cost per year"}
    for v in r.vendors:
        name = v.name if v.eligible else f"{v.name} (excluded: no BAA)"
        assert costs[name] == pytest.approx(float(v.figures.vendor_cost))   # as the tables
    gains = [x["option"] for x in rows if x["what"].startswith("Net gain")]
    assert "BudgetBill Offshore" not in " ".join(gains) and len(gains) == 2


def test_the_tiered_quote_shows_its_break_even_rate():
    from rcmmodel import evaluate, load_scenario
    from rcmmodel.model.breakeven import gain_curve
    from rcmmodel.reports.sections_risk import max_price

    r = evaluate(load_scenario(SCENARIOS / "family-practice-quotes.yaml"))
    tiered = next(v for v in r.vendors if v.name == "TierWise RCM")
    curve = gain_curve(r, tiered.name, "price")
    assert tiered.breakeven["max_rate"] is None and curve.breakeven is not None
    assert max_price(r, tiered) == f"{curve.breakeven * 100:.1f}% effective"
    claim = next(v for v in r.vendors if v.name == "SteadyClaim")
    assert max_price(r, claim).endswith(" a claim")


def test_every_source_a_reader_may_look_up_has_a_year_or_says_it_has_none():
    from rcmmodel.present.sources import CITED, SOURCES

    for key in CITED:
        if key in ("methodology", "assumption", "offer"):   # ours or the seller's: no publication
            continue
        text = SOURCES[key][1]
        assert re.search(r"\b(19|20)\d\d\b", text) or re.search(
            r"undated|year not stated|no year is stated|edition .* not stated", text), key
        assert "n.d." not in text and "accessed" not in text
    assert "hospital" in SOURCES["overturn"][1] and "2017" in SOURCES["overturn"][1]


def test_the_cited_overturn_rate_says_its_scope_where_it_is_used():
    from rcmmodel.present.review_text import basis_text

    said = basis_text({"basis": "denied_not_overturned", "basis_figures": {
        "paid_yield": 0.5, "overturn_rate": 0.63, "overturn_source": "cited"}})
    assert "hospital claims, 2017" in said
