"""The app's panels driven directly in Python: change a value, check the figures."""
from __future__ import annotations

import copy
import datetime
import json

import pytest

from rcmmodel.pricing import PRICING_MODELS

from conftest import SAMPLES, SCENARIOS
from rcmmodel import evaluate, parse_scenario
from rcmmodel.app import Calculator, ClaimsReview, CompareQuotes
from rcmmodel.app.controls import FieldError, parse_number
from rcmmodel.claims.review import load_claims, summarize
from rcmmodel.vendors.ranking import compare

GUIDE = str(SCENARIOS / "guide-example.yaml")
ORTHO = str(SCENARIOS / "orthopaedic-group.yaml")
MANAGED_CARE = SAMPLES / "lfh_835_managed-care.835"


def library_gain(data, vendor=0, file=None):
    """The net gain rcm evaluate gives; ``file`` resolves the scenario's relative paths."""
    scenario = parse_scenario(copy.deepcopy(data), file)
    return float(evaluate(scenario).vendors[vendor].figures.net_gain)


@pytest.fixture
def calc():
    return Calculator(GUIDE, charts=False)


class TestParseNumber:
    @pytest.mark.parametrize("text, unit, value", [
        ("500,000", "money", 500000.0), ("$1.2m", "money", 1.2e6), ("45k", "money", 45000.0),
        ("7%", "percent", 7.0), ("7", "percent", 7.0), (" -5 ", "number", -5.0),
        ("6.50", "money", 6.5)])
    def test_reads_what_people_type(self, text, unit, value):
        assert parse_number(text, unit) == pytest.approx(value)

    @pytest.mark.parametrize("text", ["abc", "", "1.2.3", "$", "7%%", "nan", "inf"])
    def test_rejects_what_is_not_a_number(self, text):
        with pytest.raises(FieldError):
            parse_number(text, "money")


class TestCalculator:
    def test_opens_on_the_guide_example(self, calc):
        assert calc.net_gain == pytest.approx(51500.0)
        assert 'class=\'rcm-net-gain' in calc.headline.value and "$51,500" in calc.headline.value

    @pytest.mark.parametrize("field, value, path", [
        ("uplift", 15.0, ("vendors", 0, "uplift", 0.15)),
        ("rate", 5.5, ("vendors", 0, "pricing", "rate", 0.055)),
        ("collections", 750000.0, ("practice", "annual_collections", 750000.0)),
        ("inhouse_total", 55000.0, ("inhouse", "annual_cost", 55000.0)),
        ("ramp_days", 30.0, ("timeline", "ramp_days", 30.0)),
    ])
    def test_a_change_gives_the_library_net_gain(self, calc, field, value, path):
        data = plain_guide()
        *keys, last, new = path
        target = data
        for k in keys:
            target = target[k] if isinstance(k, int) else target.setdefault(k, {})
        target[last] = new
        calc.fields[field].value = value
        assert calc.net_gain == pytest.approx(library_gain(data), abs=1e-6)
        assert calc.result.to_dict()["vendors"][0] == evaluate(
            parse_scenario(data)).to_dict()["vendors"][0]

    def test_slider_and_text_agree(self, calc):
        calc.fields["uplift"].slider.value = 20.0
        assert calc.fields["uplift"].text.value == "20%"
        assert calc.net_gain == pytest.approx(50000 * 2 + 40000 - 0.07 * 600000)
        calc.fields["collections"].text.value = "$600k"
        assert calc.fields["collections"].slider.value == 600000.0
        assert calc.fields["collections"].text.value == "$600,000"

    def test_text_in_a_number_field_shows_a_message(self, calc):
        calc.fields["collections"].text.value = "lots"
        assert "is not a number" in calc.fields["collections"].message.value
        assert "rcm-input-error" in calc.problems.value
        assert calc.net_gain == pytest.approx(51500.0)        # last valid figures kept
        calc.fields["collections"].text.value = "600000"
        assert calc.fields["collections"].message.value == ""
        assert calc.problems.value == ""

    @pytest.mark.parametrize("field, text", [("collections", "-5"), ("claims_per_month", "-400"),
                                             ("collections", "0"), ("rate", "150%")])
    def test_out_of_range_shows_a_message(self, calc, field, text):
        calc.fields[field].text.value = text
        assert "must be" in calc.fields[field].message.value
        assert calc.fields[field].value > 0

    def test_pricing_models(self, calc):
        calc.pricing.value = "per_claim"
        calc.fields["fee"].value = 5.0
        assert calc.net_gain == pytest.approx(50000 + 40000 - 5.0 * 400 * 12)
        calc.pricing.value = "hybrid"
        calc.fields["monthly_base"].value = 300
        assert calc.net_gain == pytest.approx(90000 - 300 * 12 - 0.07 * 550000)
        assert calc.fields["monthly_base"].box.layout.display == ""
        assert calc.fields["fee"].box.layout.display == "none"

    def test_staff_mode_adds_up_like_the_scenario(self):
        calc = Calculator(ORTHO, charts=False)
        assert calc.inhouse_mode.value == "Staff"
        expected = evaluate(parse_scenario(calc.scenario_data()))
        assert calc.result.inhouse_tco == pytest.approx(
            evaluate(parse_scenario(load_plain(ORTHO))).inhouse_tco)
        for i, name in enumerate(calc.vendor.options):
            calc.vendor.value = name
            assert calc.net_gain == pytest.approx(float(expected.vendors[i].figures.net_gain))
        calc.inhouse_mode.value = "Total"                 # keeps the figure it added up to
        assert calc.fields["inhouse_total"].value == pytest.approx(expected.inhouse_tco, abs=0.01)

    def test_every_example_loads(self, calc):
        for label, path in calc.picker.options:
            calc.picker.value = path
            assert calc.result is not None and calc.problems.value == "", label
            assert calc.net_gain == pytest.approx(library_gain(calc.scenario_data(),
                                                               calc.vendor_index, calc.file))

    def test_charts_are_specs_that_render_offline(self):
        import vl_convert as vlc

        calc = Calculator(GUIDE)
        specs = calc.charts.specs
        assert list(specs) == ["cost", "cash", "breakeven"]
        for name, spec in specs.items():
            svg = vlc.vegalite_to_svg(spec)           # what the page's renderer draws
            assert "<svg" in svg and "mark-" in svg, name
            # Data inline, nothing to fetch: the only URL is the schema's name.
            body = json.dumps({k: v for k, v in spec.items() if k != "$schema"})
            assert "http://" not in body and "https://" not in body, name

    def test_charts_follow_a_change(self):
        calc = Calculator(GUIDE)
        before, rev = calc.charts.specs, calc.charts.view.rev
        calc.fields["uplift"].value = 20.0
        after = calc.charts.specs
        assert calc.charts.view.rev == rev + 1             # one update a change
        assert after["cash"] != before["cash"] and after["breakeven"] != before["breakeven"]
        assert after["cost"] != before["cost"]
        gains = [row["amount"] for row in _values(after["cost"])
                 if row["what"] == "Net gain per year"]
        assert gains == [pytest.approx(calc.net_gain)]

    def test_quick_specs_are_altairs_own(self):
        """The app's shortcut through altair (no creation-time validation, one lookup table)
        gives the very specs plain altair gives, and they pass schema validation."""
        from rcmmodel.app.calculator import calculator_charts
        from rcmmodel.app.vega import chart_specs, quick_altair

        calc = Calculator(ORTHO, charts=False)
        with quick_altair():
            quick = chart_specs(calculator_charts(calc.result, calc.vendor.value))
        plain = [c.to_dict() for c in calculator_charts(calc.result, calc.vendor.value)]
        assert quick == plain

    def test_a_hidden_chart_is_none(self):
        panel = ClaimsReview([MANAGED_CARE])
        assert panel.charts.specs["aging"] is not None
        panel._fail(["bad file"])
        assert panel.charts.specs == {"aging": None, "denials": None}


def _values(spec):
    """The rows of a spec's (single) inline data set."""
    return next(iter(spec["datasets"].values()))


def plain_guide():
    return load_plain(GUIDE)


def load_plain(path):
    from rcmmodel.app.session import load
    return load(path)[0]


class TestCompareQuotes:
    def test_ranking_follows_an_edit(self):
        panel = CompareQuotes(ORTHO, charts=False)
        panel.vendor.value = "National Medical Billing"
        panel.fields["rate"].value = 1.0
        data = load_plain(ORTHO)
        data["vendors"][1]["pricing"]["rate"] = 0.01
        expected = compare(parse_scenario(data))
        assert panel.comparison.top.name == expected.top.name
        assert panel.comparison.vendor("National Medical Billing").net_gain == pytest.approx(
            expected.vendor("National Medical Billing").net_gain)
        assert expected.top.name in panel.top.value

    def test_quotes_sheet(self):
        # ORTHO states claims and statements a month: per-claim and per-statement quotes
        # need them (a missing volume is an error, never a $0 fee)
        panel = CompareQuotes(ORTHO, charts=False)
        panel.load_quotes(SCENARIOS / "quotes-example.csv")
        assert "ShoreSide Billing" in panel.vendor.options
        assert "no Business Associate Agreement" in panel.table.value or "ShoreSide" in \
            panel.table.value

    def test_bad_weight_shows_a_message(self):
        panel = CompareQuotes(ORTHO, charts=False)
        panel.weights["sla"].text.value = "heavy"
        assert "is not a number" in panel.weights["sla"].message.value


def upload(panel, path, name=None):
    panel.upload.value = ({"name": name or path.name, "type": "", "size": path.stat().st_size,
                           "content": memoryview(path.read_bytes()),
                           "last_modified": datetime.datetime.now(datetime.timezone.utc)},)


class TestClaimsReview:
    def test_upload_shows_the_kpis(self):
        panel = ClaimsReview(charts=False)
        upload(panel, MANAGED_CARE)
        expected = summarize(load_claims([MANAGED_CARE]))
        assert panel.review["kpis"] == expected["kpis"]
        assert "<tr data-kpi='net_collection_rate'>" in panel.kpis.value
        ncr = expected["kpis"]["net_collection_rate"]
        assert f"{ncr * 100:.1f}%" in panel.kpis.value

    def test_no_patient_identifiers_on_the_page(self):
        panel = ClaimsReview([MANAGED_CARE])
        ledger = load_claims([MANAGED_CARE])
        page = panel.status.value + panel.kpis.value + panel.details.value + json.dumps(
            panel.charts.view.specs)
        for claim_id in ledger["claim_id"].astype(str):
            assert claim_id not in page
        text = MANAGED_CARE.read_text()
        names = [seg.split("*")[3] for seg in text.replace("\n", "").split("~")
                 if seg.startswith("NM1*QC") and len(seg.split("*")) > 3]
        for name in filter(None, names):
            assert name not in page

    def test_a_bad_file_shows_a_message(self, tmp_path):
        bad = tmp_path / "smith-john.csv"
        bad.write_text("nothing,useful\n1,2\n")
        panel = ClaimsReview(charts=False)
        upload(panel, bad)
        assert "rcm-input-error" in panel.problems.value
        assert "smith-john" not in panel.problems.value     # uploaded names are not shown
        assert panel.review is None


# --- the owner's app (rcmmodel.app.workflow): four steps over one shared scenario ---------

from rcmmodel import load_scenario, scenario_with_claims  # noqa: E402
from rcmmodel.app import OwnerApp  # noqa: E402
from rcmmodel.app.claims import kpi_table  # noqa: E402
from rcmmodel.app.quote_text import parse_tiers, quotes_template  # noqa: E402
from rcmmodel.app.session import to_mapping, to_yaml  # noqa: E402
from rcmmodel.scenario.quotes import read_quotes  # noqa: E402


def typed(app_step_field, text):
    app_step_field.text.value = text


def guide_by_hand(reports=None) -> OwnerApp:
    """An empty app with the guide's practice and one quote typed in (its PDF reports made
    by ``reports``, a ReportMaker, if given)."""
    app = OwnerApp(reports=reports)
    f = app.practice.fields
    typed(f["annual_collections"].field, "$500,000")
    typed(f["claims_per_month"].field, "400")
    typed(app.practice.total.field, "40,000")
    app.quotes.add_quote()
    q = app.quotes.bound
    typed(q["rate"].field, "7")
    typed(q["uplift"].field, "10")
    return app


class TestOwnerApp:
    def test_starts_empty_and_says_what_to_enter(self):
        app = OwnerApp()
        assert app.session.result is None and app.session.net_gain is None
        assert "annual collections" in app.session.blocked
        assert "rcm-net-gain" in app.headline.value and "$" not in app.headline.value

    def test_typing_the_guide_gives_its_net_gain(self):
        app = guide_by_hand()
        assert app.session.net_gain == pytest.approx(51500.0)
        assert "$51,500" in app.headline.value
        assert app.session.result.decision.recommended == "Quote 1"
        assert "rcm-recommendation" in app.decision.verdict.value

    def test_the_decision_draws_its_charts_when_opened(self):
        app = guide_by_hand()
        app.tabs.selected_index = 2
        assert app.decision.problems.value == ""
        specs = app.decision.charts.specs
        assert all(specs[name] is not None for name in ("tornado", "timeline", "sla"))
        assert "Quote 1" in json.dumps(specs["tornado"])       # inputs named, not paths
        assert "vendors[0]" not in json.dumps(specs["tornado"])

    def test_switching_to_staff_keeps_her_total_until_staff_are_in(self):
        app = guide_by_hand()
        app.practice.mode.value = "Staff and costs"
        assert app.session.net_gain == pytest.approx(51500.0)       # not silently replaced
        assert "$40,000" in app.practice.mode_note.value
        row = app.practice.staff[0]
        typed(row.fte, "1")
        typed(row.salary, "45,000")
        tco = 45000 * (1 + 0.0765 + 0.20)                            # rates shown, not hidden
        assert float(app.session.result.evaluation.inhouse_tco) == pytest.approx(tco)
        app.practice.mode.value = "A total"
        assert app.session.net_gain == pytest.approx(51500.0)

    def test_a_fraction_in_a_percent_field_is_questioned(self):
        app = guide_by_hand()
        rate = app.quotes.bound["rate"].field
        typed(rate, "0.07")
        assert "rcm-warning" in rate.message.value and "type 7" in rate.message.value
        typed(rate, "7")
        assert rate.message.value == ""

    def test_slider_recalibrates_after_a_typo(self):
        app = guide_by_hand()
        f = app.practice.fields["annual_collections"].field
        typed(f, "50,000,000")
        assert f.slider.max >= 50_000_000
        typed(f, "600,000")
        assert (f.slider.min, f.slider.max, f.slider.step) == f.base_range
        assert f.slider.value == 600_000

    def test_edits_are_kept_when_moving_between_quotes(self):
        app = guide_by_hand()
        app.quotes.add_quote()
        q = app.quotes.bound
        app.quotes.model.value = "per_claim"
        typed(q["fee"].field, "6.50")
        typed(q["setup"].field, "1,000")
        app.quotes.pick.value = "Quote 1"
        assert q["rate"].field.value == pytest.approx(7.0)
        app.quotes.pick.value = "Quote 2"
        assert app.quotes.model.value == "per_claim"
        assert q["fee"].field.value == pytest.approx(6.5)
        assert q["setup"].field.value == pytest.approx(1000)
        assert app.session.data["vendors"][1]["fees"]["setup"] == 1000

    def test_rename_and_delete(self):
        app = guide_by_hand()
        app.quotes.name.value = "Acme RCM"
        assert [v["name"] for v in app.session.data["vendors"]] == ["Acme RCM"]
        assert "Acme RCM" in app.headline.value
        app.quotes.delete_quote()
        assert app.session.result is None and "quote" in app.session.blocked

    def test_a_vendor_without_baa_is_never_recommended(self):
        app = guide_by_hand()
        app.quotes.answers["baa_offered"].value = "no"
        d = app.session.result.decision
        assert d.recommended is None and not d.eligible("Quote 1")
        assert "rcm-ineligible" in app.quotes.banner.value
        assert "cannot be recommended" in app.headline.value
        assert "rcm-good" not in app.headline.value
        assert "in-house" in app.decision.verdict.value

    def test_an_uplift_range_is_kept_and_simulated(self):
        app = guide_by_hand()
        q = app.quotes.bound
        typed(q["uplift_low"].field, "0")
        typed(q["uplift_high"].field, "20")
        assert app.session.data["vendors"][0]["uplift"] == {
            "dist": "triangular", "low": 0.0, "mode": 0.1, "high": 0.2}
        assert app.session.net_gain == pytest.approx(51500.0)       # the mode
        prob = app.decision.simulation.vendor("Quote 1").prob_positive
        assert 0.5 < prob <= 1.0
        assert "no ranges" not in app.decision.risk.value

    @pytest.mark.parametrize("name", ["guide-example.yaml", "uncertain-uplift.yaml",
                                      "family-practice-quotes.yaml", "orthopaedic-group.yaml",
                                      "family-practice-claims.yaml"])
    def test_a_saved_scenario_loads_back_the_same(self, tmp_path, name):
        original = scenario_with_claims(load_scenario(SCENARIOS / name))   # as the app opens it
        app = OwnerApp(SCENARIOS / name)
        path = tmp_path / "saved.yaml"
        path.write_bytes(app.takehome.make_yaml()[1])
        again = scenario_with_claims(load_scenario(path))      # as every surface opens it
        assert evaluate(again).to_dict() == evaluate(original).to_dict()
        assert to_mapping(again) == to_mapping(original)

    def test_distributions_survive_an_edit_elsewhere(self, tmp_path):
        app = OwnerApp(SCENARIOS / "uncertain-uplift.yaml")
        typed(app.practice.fields["claims_per_month"].field, "700")
        text = to_yaml(app.session.data)
        assert "dist: normal" in text and "dist: pert" in text

    def test_quotes_template_reads_back(self, tmp_path):
        path = tmp_path / "quotes.csv"
        path.write_bytes(quotes_template())
        quotes = read_quotes(path)
        assert [q.pricing.model for q in quotes] == list(PRICING_MODELS)   # a row a model

    def test_tiers_in_words(self):
        assert parse_tiers("250,000: 6%; 500,000: 5%; above: 4%") == [
            {"up_to": 250000.0, "rate": 0.06}, {"up_to": 500000.0, "rate": 0.05},
            {"rate": 0.04}]
        with pytest.raises(FieldError):
            parse_tiers("6%")

    def test_claims_fill_baseline_kpis(self, tmp_path):
        from rcmmodel.app.claims import enough_data

        ledger = tmp_path / "ledger.csv"
        rows = ["claim_id,payer,service_date,submitted_date,charge,allowed,insurance_paid,"
                "patient_paid,patient_responsibility,contractual_adjustment,other_adjustment,"
                "status,first_pass,paid_date"]
        for i in range(60):
            day = datetime.date(2024, 1, 1) + datetime.timedelta(days=i)
            status, paid = ("denied", 0) if i % 10 == 0 else ("paid", 110)
            rows.append(f"C{i},Aetna,{day},{day},200,150,{paid},30,30,50,0,{status},"
                        f"{str(i % 10 != 0).lower()},{day + datetime.timedelta(days=20)}")
        ledger.write_text("\n".join(rows) + "\n")
        app = guide_by_hand()
        review = summarize(load_claims([ledger]))
        filled = app.practice.fill_from_claims(review)
        kpis = app.session.data["practice"].get("baseline_kpis", {})
        expect = {k for k in ("days_in_ar", "clean_claim_rate", "net_collection_rate",
                              "denial_rate")
                  if review["kpis"][k] is not None and enough_data(review, k)}
        assert set(kpis) == expect and len(filled) == len(expect) == 4
        for k in expect:
            assert kpis[k] == pytest.approx(review["kpis"][k], abs=1e-4)
        assert app.session.result.scenario.practice.baseline_kpis.days_in_ar == \
            kpis.get("days_in_ar")

    def test_no_grade_without_enough_data(self):
        review = summarize(load_claims([SAMPLES / "lfh_837p_demo.example1.837"]))
        table = kpi_table(review)
        assert "rcm-grade" not in table
        assert "not enough data" in table


@pytest.mark.slow
def test_the_pdf_button_works_inside_a_running_event_loop(tmp_path, monkeypatch,
                                                          report_kernel):
    """As in a kernel: an asyncio loop is running when the button's message arrives. The
    report is made on the session's warm report kernel (lent to the app's ReportMaker,
    which starts it if no test has yet); starting the app's own is the browser tests'."""
    import asyncio

    from rcmmodel.app.report_maker import ReportMaker
    from rcmmodel.cli.commands.app import voila_env

    monkeypatch.setenv("JUPYTER_PATH", voila_env()["JUPYTER_PATH"])
    app = guide_by_hand(ReportMaker(kernel=report_kernel))
    button = app.takehome.pdf
    sent = []
    monkeypatch.setattr(button, "send", lambda content, buffers=None: sent.append(
        (content, buffers)))

    async def click():
        button._on_msg(button, {"event": "click"}, [])
        await asyncio.sleep(0)

    asyncio.run(click())
    button.wait(600)
    app.reports.close()                  # its thread; the lent kernel stays for others
    assert button.status.startswith("Saved") and sent, button.status
    assert report_kernel.alive()
    content, buffers = sent[0]
    assert content["name"].endswith(".pdf") and bytes(buffers[0])[:5] == b"%PDF-"


class TestOneQuoteEditor:
    """The owner app, the quote comparison and the calculator edit a quote with one editor
    over one session model, and none of them reduces a range to its middle."""

    RANGE = {"dist": "triangular", "low": 0.0, "mode": 0.1, "high": 0.2}

    def _ranged(self, tmp_path):
        from rcmmodel.app.session import to_yaml
        data = plain_guide()
        data["vendors"][0]["uplift"] = dict(self.RANGE)
        data["vendors"].append({"name": "Second quote", "uplift": {"dist": "pert", "low": 0.0,
                                                                   "mode": 0.05, "high": 0.1},
                                "pricing": {"model": "percentage", "rate": 0.06}})
        path = tmp_path / "ranged.yaml"
        path.write_text(to_yaml(data), encoding="utf-8")
        return path, data

    def test_the_same_editor_class_everywhere(self):
        from rcmmodel.app.quote_editor import QuoteEditor
        from rcmmodel.app.session import Session
        editors = [Calculator(GUIDE, charts=False).editor,
                   CompareQuotes(ORTHO, charts=False).editor, OwnerApp().quotes.editor]
        assert all(type(e) is QuoteEditor for e in editors)
        assert all(isinstance(e.session, Session) for e in editors)

    def test_a_range_is_kept_after_an_edit_in_each(self, tmp_path):
        path, data = self._ranged(tmp_path)
        calc = Calculator(str(path), charts=False)
        panel = CompareQuotes(str(path), charts=False)
        app = OwnerApp(path)
        for surface, vendors in ((calc, calc.data["vendors"]),
                                 (panel, panel.data["vendors"]),
                                 (app, app.session.data["vendors"])):
            assert vendors[0]["uplift"] == self.RANGE, surface
            surface_fields = app.quotes.bound["rate"].field if surface is app \
                else surface.fields["rate"]
            surface_fields.value = 6.0                      # an edit of the same quote
            assert vendors[0]["pricing"]["rate"] == pytest.approx(0.06), surface
            assert vendors[0]["uplift"] == self.RANGE, surface
            assert vendors[1]["uplift"]["dist"] == "pert", surface
        calc.fields["collections"].value = 600000.0         # the calculator's own field
        assert calc.scenario_data()["vendors"][0]["uplift"] == self.RANGE
        # figures as rcm evaluate gives them for the same numbers (the range's mode)
        data["vendors"][0]["pricing"]["rate"] = 0.06
        data["practice"]["annual_collections"] = 600000.0
        assert calc.net_gain == pytest.approx(library_gain(data))
        assert app.session.net_gain == pytest.approx(library_gain(
            {**data, "practice": plain_guide()["practice"]}))


class TestHerPriorities:
    def test_the_preset_she_picks_decides_and_is_said_to_be_hers(self):
        app = OwnerApp(SCENARIOS.parent / "tests" / "data_vendors" / "decision-conflict.yaml")
        step = app.decision
        d = app.session.result.decision
        if "ranking" not in app.session.data:           # the file sets no priorities
            assert step.priority.value == "default" and d.weights_source == "default"
            assert "did not set" in step.weights.value
        step.priority.value = "money_first"
        d = app.session.result.decision
        assert app.session.data["ranking"] == {"priority": "money_first"}
        assert d.weights_source == "practice" and d.weights["financial"] == 0.70
        assert "money-first priorities the practice chose" in step.weights.value
        step.priority.value = "default"
        assert "ranking" not in app.session.data
        assert app.session.result.decision.weights_source == "default"
