"""The owner's app, v3, driven in Python: costs up front, what her billing loses, never
stale figures, asking before discarding, every pricing model's fields, the quotes template
both ways (CSV and Excel)."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, SCENARIOS
from rcmmodel.app.workflow import OwnerApp
from rcmmodel.pricing import PRICING_MODELS

DATA = ROOT / "tests" / "data"
LEDGER = SCENARIOS / "claims" / "family-practice-ledger.csv"


def typed(field, text):
    field.text.value = text


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'")


def guide(per_claim=True) -> OwnerApp:
    """The guide's practice typed in (without claims a month), Acme at 7% and 10%, and
    BudgetBill at $6.50 a claim and 8%."""
    app = OwnerApp()
    f = app.practice.fields
    typed(f["annual_collections"].field, "$500,000")
    typed(app.practice.total.field, "40,000")
    q = app.quotes
    q.add_quote()
    q.name.value = "Acme RCM"
    typed(q.editor.fields["rate"], "7")
    typed(q.editor.fields["uplift"], "10")
    if per_claim:
        q.add_quote()
        q.name.value = "BudgetBill"
        q.editor.model.value = "per_claim"
        typed(q.editor.fields["fee"], "6.50")
        typed(q.editor.fields["uplift"], "8")
    return app


class TestCostsUpFront:
    def test_each_quote_shows_its_fee_rate_and_arithmetic_beside_its_net_gain(self):
        app = guide()
        typed(app.practice.fields["claims_per_month"].field, "400")
        cards = text_of(app.quotes.costs.value)
        # 7% x (500,000 x 1.10) = 38,500; net gain 50,000 + 40,000 - 38,500 = 51,500
        assert "Service fee: 7% x $550,000" in cards and "= $38,500" in cards
        assert "$51,500" in cards and "7.0%" in cards
        # $6.50 x 400 x 12 = 31,200; net gain 40,000 + 40,000 - 31,200 = 48,800
        assert "$31,200" in cards and "$48,800" in cards
        table = text_of(app.decision.table.value)
        assert "$38,500" in table and "$31,200" in table and "$51,500" in table

    def test_her_inhouse_cost_part_by_part_adds_up_with_sources(self):
        app = OwnerApp(str(SCENARIOS / "family-practice-quotes.yaml"))
        r = app.session.result
        from rcmmodel.app.costs import inhouse_parts

        parts = inhouse_parts(r)
        assert sum(a for _l, a, _s in parts) == pytest.approx(float(r.evaluation.inhouse_tco))
        words = dict((label, src) for label, _a, src in parts)
        assert "default" in words["Payroll tax"].lower() or "irs" in words["Payroll tax"].lower()
        assert "practice" in words["Wages"].lower()
        assert "rcm-inhouse-total" in app.quotes.costs.value

    def test_the_excluded_vendor_is_labelled_in_the_table_and_the_cash_chart(self):
        app = OwnerApp(str(SCENARIOS / "family-practice-quotes.yaml"))
        excluded = app.session.result.decision.excluded[0]["vendor"]
        assert f"{excluded} (excluded)" in text_of(app.decision.table.value)
        app.tabs.selected_index = 2
        spec = json.dumps(app.decision.charts.specs["timeline"])
        assert f"{excluded} (excluded" in spec


class TestNeverStale:
    def test_a_missing_volume_marks_the_field_and_blanks_only_that_quote(self):
        app = guide()
        s = app.session
        assert set(s.left_out) == {"BudgetBill"}
        marked = app.practice.fields["claims_per_month"].field.message.value
        assert "Claims a month is needed for BudgetBill&#x27;s per-claim price" in marked
        assert s.vendor_result("Acme RCM") is not None           # the other quote stays
        assert "&mdash;" in app.headline.value                     # BudgetBill selected: blank
        assert "rcm-recommendation" not in app.decision.verdict.value
        assert "BudgetBill" in text_of(app.decision.verdict.value)
        typed(app.practice.fields["claims_per_month"].field, "400")
        assert not s.left_out and "$48,800" in app.headline.value
        assert "rcm-recommendation" in app.decision.verdict.value

    @pytest.mark.parametrize("where, text", [("rate", "150"), ("collections", ""),
                                             ("collections", "abc")])
    def test_an_entry_that_cannot_be_used_blanks_and_saving_says_so(self, where, text):
        app = guide(per_claim=False)
        assert "$51,500" in app.headline.value
        if where == "rate":
            typed(app.quotes.editor.fields["rate"], text)
        else:
            typed(app.practice.fields["annual_collections"].field, text)
        assert "$51,500" not in app.headline.value and "&mdash;" in app.headline.value
        assert "blank" in app.headline.value.lower()
        assert "$51,500" not in app.decision.table.value + app.decision.verdict.value
        with pytest.raises(Exception) as err:
            app.takehome.make_yaml()
        assert "Nothing can be saved" in str(err.value)
        assert "rcm-not-saved" in app.takehome.note.value
        fix = app.quotes.editor.fields["rate"] if where == "rate" else \
            app.practice.fields["annual_collections"].field
        typed(fix, "7" if where == "rate" else "500,000")
        assert "$51,500" in app.headline.value
        assert b"rate: 0.07" in app.takehome.make_yaml()[1]


class TestAskFirst:
    def test_start_empty_example_and_delete_ask_before_discarding(self):
        app = guide(per_claim=False)
        p = app.practice
        p.start_empty.click()
        assert p.confirm.asking and app.session.data["vendors"]      # nothing lost yet
        p.confirm.no.click()
        assert app.session.data["vendors"] and not p.confirm.asking
        p.example.value = p.examples[0][1]
        assert p.confirm.asking and app.session.data["vendors"][0]["name"] == "Acme RCM"
        p.confirm.no.click()
        assert p.example.value == ""
        q = app.quotes
        q.delete.click()
        assert q.confirm.asking and len(app.session.data["vendors"]) == 1
        q.confirm.yes.click()
        assert app.session.data["vendors"] == []
        p.start_empty.click()
        p.confirm.yes.click()
        assert app.session.data["practice"] == {}


class TestQuoteForm:
    @pytest.mark.parametrize("key", list(PRICING_MODELS))
    def test_every_field_of_each_registered_model_is_in_the_form(self, key):
        app = OwnerApp()
        q = app.quotes
        q.add_quote()
        q.editor.model.value = key
        shown = {k for k, box in q.editor.by_model.items() if box.layout.display != "none"}
        assert shown == set(PRICING_MODELS[key].names)

    def test_all_eight_due_diligence_answers_and_auto_renewal(self):
        from rcmmodel.scenario.schema import Profile

        app = OwnerApp()
        q = app.quotes
        q.add_quote()
        assert set(q.editor.answers) == set(Profile.model_fields) and len(q.answers) == 8
        q.editor.answers["encryption"].value = "yes"
        q.editor.renewal.value = "yes"
        v = app.session.data["vendors"][0]
        assert v["profile"]["encryption"] is True and v["contract"]["auto_renewal"] is True

    def test_an_uplift_typed_as_a_fraction_gets_the_hint(self):
        app = OwnerApp()
        app.quotes.add_quote()
        field = app.quotes.editor.fields["uplift"]
        typed(field, "0.05")
        assert "type 5" in field.message.value

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_the_template_it_offers_uploads_back(self, tmp_path, kind):
        from rcmmodel.app.quote_text import quotes_template, quotes_template_xlsx

        app = OwnerApp()
        path = tmp_path / f"quotes-template.{kind}"
        path.write_bytes(quotes_template() if kind == "csv" else quotes_template_xlsx())
        said = app.quotes._on_upload([(path.name, path)])
        assert said.startswith(f"Added {len(PRICING_MODELS)} quotes")
        assert [v["pricing"]["model"] for v in app.session.data["vendors"]] == \
            list(PRICING_MODELS)


class TestLosses:
    def test_an_upload_shows_what_billing_loses_as_rcm_kpi_does(self):
        from rcmmodel.claims.review import claims_review

        app = guide(per_claim=False)
        said = app.practice._on_claims([("ledger.csv", LEDGER)])
        review = claims_review([LEDGER])
        assert said == f"Read {review['claims']:,} claims from 1 file."
        page = text_of(app.practice.losses.out.value)
        from rcmmodel.describe import money, pct

        assert money(review["denials"]["claims"]["dollars"]) in page
        top = review["denials"]["by_reason"][0]
        assert top["description"] in page and money(top["dollars"]) in page
        assert ("yes: Appeal" if top["appealable"] else "no:") in page
        assert money(review["aging_by_payer"][0]["total"]) in page
        ev = review["evidence"]
        assert f"{pct(ev['low'])} to {pct(ev['high'])}" in page
        assert "Acme RCM" in page and "at most" in page              # 10% against ~7%
        specs = app.practice.losses.charts.specs
        assert specs["denials"] is not None and specs["aging"] is not None

    def test_a_fee_schedule_adds_underpayments_and_few_claims_are_not_graded(self):
        from rcmmodel.claims.review import claims_review
        from rcmmodel.describe import money

        files = [DATA / "lines_a.835", DATA / "lines_b.835"]
        app = guide(per_claim=False)
        app.practice._on_claims([(f.name, f) for f in files])
        said = app.practice.losses._on_fees([("fees.csv", DATA / "fee_schedule.csv")])
        under = claims_review(files, fee_schedule=DATA / "fee_schedule.csv")["underpayments"]
        assert money(under["amount"]) in said
        page = text_of(app.practice.losses.out.value)
        assert "Underpaid against your fee schedule" in page and money(under["amount"]) in page
        assert "Not graded: fewer than 30" in page

    def test_reopening_a_scenario_with_claims_files_shows_them(self):
        app = OwnerApp(str(SCENARIOS / "family-practice-claims.yaml"))
        assert "What your billing loses" in app.practice.losses.out.value

    def test_no_patient_names_or_ids_reach_the_page(self):
        path = DATA / "names_mixed.835"
        app = guide(per_claim=False)
        app.practice._on_claims([(path.name, path)])
        losses = app.practice.losses
        page = losses.out.value + json.dumps(losses.charts.specs) + app.headline.value
        segs = path.read_text().replace("\n", "").split("~")
        names = [s.split("*")[i] for s in segs if s.startswith(("NM1*QC", "NM1*IL"))
                 for i in (3, 4, 9) if len(s.split("*")) > i]
        ids = [s.split("*")[1] for s in segs if s.startswith("CLP*")]
        for secret in filter(None, names + ids):
            assert secret not in page, secret


def _headline(app) -> tuple[str, str]:
    """The headline's two parts as text: the decision, then the quote she is looking at."""
    value = app.headline.value
    decision, _, selected = value.partition("<div class='rcm-selected'>")
    plain = lambda h: re.sub(r" ([:,.])", r"\1", text_of(h)).strip()  # noqa: E731
    return plain(decision), plain(selected)


def _recommendation(html_text: str) -> str:
    return re.search(r"class='rcm-recommendation'[^>]*>([^<]*)<", html_text).group(1)


class TestHeadlineLeadsWithTheDecision:
    """The headline opens with the library's decision (docs/methodology.md §6) and labels
    the quote she is looking at as that, whichever the verdict."""

    def test_outsource_names_the_pick_and_labels_the_quote_she_looks_at(self):
        from rcmmodel.describe import money

        app = OwnerApp(str(SCENARIOS / "family-practice-quotes.yaml"))
        d = app.session.result.decision
        other = next(v.name for v in app.session.result.evaluation.vendors
                     if v.name != d.recommended and d.eligible(v.name))
        app.quotes.pick.value = other
        assert app.session.selected == other
        decision, selected = _headline(app)
        assert _recommendation(app.headline.value) == d.recommended
        assert decision.startswith("The decision Outsource your billing to " + d.recommended)
        assert f"{money(d.gains[d.recommended])} a year, as the decision plans it" in decision
        assert other not in decision
        assert f"The quote you are looking at: {other} (not recommended)" in selected
        gain = re.search(r"class='rcm-net-gain[^']*' data-value='([^']*)'>([^<]*)<",
                         app.headline.value)
        assert float(gain.group(1)) == pytest.approx(app.session.net_gain)
        assert gain.group(2) == money(app.session.net_gain)
        assert gain.group(2) != money(d.gains[d.recommended])    # two figures, each labelled
        app.quotes.pick.value = d.recommended
        assert f"looking at: {d.recommended} (the one recommended)" in _headline(app)[1]

    def test_where_the_claims_cap_the_pick_the_headline_says_both_figures(self):
        from rcmmodel.describe import money

        app = OwnerApp(str(SCENARIOS / "family-practice-claims.yaml"))
        d = app.session.result.decision
        r = d.ranges[d.recommended]
        assert r["capped"]
        decision, _ = _headline(app)
        assert money(r["net_gain_plan"]) in decision      # what the decision plans on ...
        assert "the most your claims show being lost" in decision
        assert f"it would be {money(r['net_gain_quoted'])}" in decision   # ... and the promise

    def test_improve_names_the_alternative_and_no_vendor(self):
        from rcmmodel.describe import money

        app = OwnerApp(str(SCENARIOS / "pediatrics-fix-inhouse.yaml"))
        d = app.session.result.decision
        assert d.verdict == "improve" and d.recommended is None
        decision, selected = _headline(app)
        assert _recommendation(app.headline.value) == "in-house"
        assert decision.startswith("The decision Improve your billing in-house: hiring a "
                                   "certified coder")
        assert money(d.alternative_gains[d.alternative]) in decision
        for v in app.session.result.evaluation.vendors:
            assert f"to {v.name}" not in decision.split(" Why ")[0]   # no vendor as the pick
        assert (f"The quote you are looking at: {app.session.selected} (not recommended)"
                in selected)

    def test_stay_says_in_house_and_presents_no_vendor(self, tmp_path):
        import yaml

        from conftest import guide_dict

        path = tmp_path / "dear.yaml"       # 30% of collections: no quote pays
        path.write_text(yaml.safe_dump(guide_dict(pricing={"model": "percentage",
                                                           "rate": 0.30})))
        app = OwnerApp(str(path))
        d = app.session.result.decision
        assert d.verdict == "stay"
        decision, selected = _headline(app)
        assert _recommendation(app.headline.value) == "in-house"
        assert decision.startswith("The decision Keep billing in-house")
        assert "rcm-decision-gain" not in app.headline.value
        assert "Acme" not in decision.split(":")[0]
        assert "The quote you are looking at: Acme (not recommended)" in selected
        assert "rcm-bad" in app.headline.value.partition("rcm-selected")[2]


def test_the_break_even_line_says_a_negative_uplift_in_words():
    """Both guide quotes pay even with collections falling (Acme: 500,000 u + 40,000 -
    7% x 500,000 (1 + u) = 0 at u = -1.1%): said as the reports say it, not as '-1.1%'."""
    app = guide()
    typed(app.practice.fields["claims_per_month"].field, "400")
    app.decision.active = True
    app.decision.draw()
    said = text_of(app.decision.range.value)
    assert "Break-even uplift: none needed." in said
    assert re.search(r"It still pays if collections fall by up to \d+\.\d%\.", said), said
