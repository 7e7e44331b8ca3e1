"""The scenario's audit: block (docs/scenario-reference.md, `audit`), rcm audit reading it,
and the words and charts of the audit report, each pinned to the library's figures."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import rcm_inprocess

from rcmmodel.describe import money
from rcmmodel.errors import RcmInputError
from rcmmodel.model.audit import audit
from rcmmodel.model.measure import scenario_with_claims
from rcmmodel.scenario import load_scenario
from rcmmodel.scenario.audit_files import audit_args

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "scenarios" / "audit" / "audit-example.yaml"
FLAGS = ["--vendor", "Steady Billing", "--before", ROOT / "scenarios/audit/before.csv",
         "--after", ROOT / "scenarios/audit/after.csv",
         "--invoices", ROOT / "scenarios/audit/invoices.csv"]


@pytest.fixture(scope="module")
def example() -> dict:
    """The example's audit from the library, as rcm audit --json gives it."""
    s = scenario_with_claims(load_scenario(EXAMPLE))
    return audit(s, **audit_args(s)).to_dict()


def copy_example(tmp_path, **block):
    """The example scenario and its files in tmp_path, its audit: block changed."""
    for f in ("before.csv", "after.csv", "invoices.csv"):
        shutil.copy(EXAMPLE.parent / f, tmp_path / f)
    doc = yaml.safe_load(EXAMPLE.read_text())
    doc["audit"] = {**doc["audit"], **block}
    doc["audit"] = {k: v for k, v in doc["audit"].items() if v is not None}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return path


def test_the_example_carries_its_audit_block():
    s = load_scenario(EXAMPLE)
    assert s.audit.vendor == "Steady Billing"
    args = audit_args(s)
    assert args["before"] == [EXAMPLE.parent / "before.csv"]
    assert args["invoices"] == EXAMPLE.parent / "invoices.csv"


def test_rcm_audit_reads_the_block_from_any_folder_and_flags_give_the_same(tmp_path):
    by_block = rcm_inprocess("audit", EXAMPLE, "--json", cwd=tmp_path)
    by_flags = rcm_inprocess("audit", EXAMPLE, *FLAGS, "--json")
    assert by_block.returncode == 0, by_block.stderr
    assert json.loads(by_block.stdout) == json.loads(by_flags.stdout)


def test_a_flag_wins_over_the_block(tmp_path):
    # Invoices of two months billing 1,000 each: the flag's file is the one read.
    bills = tmp_path / "other.csv"
    bills.write_text("month,amount\n2026-07,1000\n2026-08,1000\n")
    d = json.loads(rcm_inprocess("audit", EXAMPLE, "--invoices", bills, "--json").stdout)
    assert [m["billed"] for m in d["fees"]["months"]] == [1000.0, 1000.0]
    assert d["fees"]["a_year"] == 12000.0


def test_a_single_file_is_a_list_of_one(tmp_path):
    s = load_scenario(copy_example(tmp_path, before="before.csv"))
    assert s.audit.before == ["before.csv"]


@pytest.mark.parametrize("block, where, words", [
    ({"vendor": "Nobody Billing"}, "audit.vendor", "no vendor named 'Nobody Billing'"),
    ({"after": ["after.csv", "gone.835"]}, "audit.after[1]", "no such file"),
    ({"invoices": "nope.csv"}, "audit.invoices", "no such file"),
    ({"before": []}, "audit.before", "give at least one claims file"),
    ({"as_of": "2026-13-01"}, "audit.as_of", "not a date"),
    ({"extra": 1}, "audit.extra", "unknown field"),
])
def test_a_bad_block_is_exit_2_naming_the_field(tmp_path, block, where, words):
    path = copy_example(tmp_path, **block)
    for command in (["validate", path], ["audit", path]):
        out = rcm_inprocess(*command)
        assert out.returncode == 2
        assert f"{where}: " in out.stderr and words in out.stderr, out.stderr
        assert "Traceback" not in out.stderr and out.stdout.strip() in ("", )


def test_without_block_or_flags_rcm_audit_says_what_to_give():
    out = rcm_inprocess("audit", ROOT / "scenarios" / "guide-example.yaml")
    assert out.returncode == 2
    for key in ("vendor", "before", "after"):
        assert f"audit.{key}: the audit needs" in out.stderr


def test_the_block_is_in_the_schema_and_the_reference():
    schema = json.loads(rcm_inprocess("schema").stdout)
    block = schema["$defs"]["AuditFiles"]["properties"]
    assert list(block) == ["vendor", "before", "after", "invoices", "fee_schedule", "as_of"]
    assert "## `audit`" in (ROOT / "docs" / "scenario-reference.md").read_text()


def test_the_example_hides_no_patient_identifier(example):
    # Claim ids of the example ledgers never reach the audit's output.
    text = json.dumps(example)
    assert "SB1" not in text and "IH1" not in text
    ids = set(Path(EXAMPLE.parent / "after.csv").read_text().split())
    assert not any(i.split(",")[0] in text for i in ids if i.startswith("SB"))


def test_the_example_figures(example):
    # The example as generated: August billed $150 above its contract fee.
    assert [m["overbilled"] for m in example["fees"]["months"]] == [0.0, 150.0, 0.0]
    assert example["verdict"] == "partly"
    assert [r["met"] for r in example["sla"]] == [True, False, False, False]
    # Denials after by reason add up to the denied dollars.
    den = example["after"]["denials"]
    assert den["claims"] == sum(r["lines"] for r in den["by_reason"])
    assert den["dollars"] == pytest.approx(sum(r["dollars"] for r in den["by_reason"]))
    assert {r["code"] for r in den["by_reason"]} <= {"16", "27", "197", "50", "29"}


def test_promised_fees_are_the_quotes_steady_year(example):
    # 7% x 85,000 x 1.10 = 6,545 < 12 x 700 minimum = 8,400; + 25 x 12 per provider = 8,700.
    assert example["fees"]["promised_a_year"] == 8700.0


def test_the_reports_words_read_the_figures(example):
    from rcmmodel.present.audit_text import exit_rows, exit_sentence, verdict_sentence

    g = example["net_gain"]
    said = verdict_sentence(example)
    assert said.startswith("Steady Billing is partly delivering: it misses 3 of the 4 SLA")
    assert money(g["promised"]) in said and money(g["realized"]) in said
    rows = exit_rows(example)
    assert rows[0][2] == money(1500) and rows[2][2] == money(example["exit_cost"])
    # fees over the notice period = exit cost - termination fee = a year's fees x 60 / 365
    assert rows[1][2] == money(example["fees"]["a_year"] * 60 / 365)
    assert "ahead" in exit_sentence(example)


@pytest.mark.parametrize("verdict, realized, start", [
    ("delivering", 20000.0, "Steady Billing is delivering: every SLA KPI"),
    ("not delivering", 5000.0, "Steady Billing is not delivering: the practice gains $5,000"),
    (None, None, "The claims files cannot say yet"),
])
def test_each_verdict_in_one_sentence(example, verdict, realized, start):
    from rcmmodel.present.audit_text import verdict_sentence

    d = {**example, "verdict": verdict, "net_gain": {"promised": 21800.0,
                                                     "realized": realized}}
    said = verdict_sentence(d)
    assert said.startswith(start) and "$21,800" in said


def test_the_charts_draw_the_library_figures(example):
    from rcmmodel.present import charts_audit

    fees = charts_audit.fees_by_month(example).to_dict()
    rows = next(iter(fees["datasets"].values()))
    red = [r for r in rows if r["what"] == "Billed above the contract"]
    assert [(r["month"], r["amount"], r["label"]) for r in red] == [
        ("2026-08", 1098.93, "+$150.00")]
    kpis = charts_audit.kpis_against_sla(example).to_dict()
    lines = {round(r["value"], 9) for data in kpis["datasets"].values() for r in data
             if set(r) == {"value"}}   # identical datasets are stored once
    assert lines == {round(r["committed"] * (1 if r["kpi"] == "days_in_ar" else 100), 9)
                     for r in example["sla"]} == {35.0, 95.0, 6.0}
    assert charts_audit.denials_by_reason(example) is not None


def test_an_audit_batch_without_a_block_stops_before_any_work(tmp_path):
    out = rcm_inprocess("batch", ROOT / "scenarios" / "guide-example.yaml", "--template",
                        "audit", "-o", tmp_path / "out", "--no-progress")
    assert out.returncode == 2 and "audit.vendor: the audit needs" in out.stderr
    assert not (tmp_path / "out" / "guide-example-audit.html").exists()


def test_report_checks_the_audit_before_a_kernel(tmp_path):
    out = rcm_inprocess("report", copy_example(tmp_path, vendor="Nobody"), "--template",
                        "audit", "-o", tmp_path / "out")
    assert out.returncode == 2 and "audit.vendor" in out.stderr
    out = rcm_inprocess("report", EXAMPLE, "--template", "audit", "--vendor", "Other Co",
                        "-o", tmp_path / "out")
    assert out.returncode == 2 and "Other Co" in out.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_app_step_audits_once_shown_and_follows_the_quote(example):
    from rcmmodel.app.audit_step import result_html
    from rcmmodel.app.workflow import OwnerApp

    app = OwnerApp(EXAMPLE)
    step = app.audit
    assert step.result is None                      # nothing computed while not shown
    app.tabs.selected_index = 4
    assert step.result == example and not step.pdf.disabled
    assert step.out.value == result_html(example)
    assert "data-verdict='partly'" in step.out.value
    assert step.out.value.count("class='rcm-over'") == 1      # August, $150 over
    app.tabs.selected_index = 0
    app.session.data["vendors"][0]["uplift"] = 0.2  # the quote changes on another step
    app.session.changed()
    assert step.stale and step.result["net_gain"]["promised"] == 21800.0
    app.tabs.selected_index = 4
    assert step.result["net_gain"]["promised"] == 30300.0    # + 85,000 x 10% (fees at min)
    assert "SB1" not in step.out.value and "IH1" not in step.out.value


def test_the_app_step_says_what_is_missing_and_what_is_wrong(tmp_path):
    from rcmmodel.app.workflow import OwnerApp

    app = OwnerApp(ROOT / "scenarios" / "guide-example.yaml")
    app.tabs.selected_index = 4
    assert "upload the claims files" in app.audit.out.value and app.audit.pdf.disabled
    bad = tmp_path / "bad.csv"
    bad.write_text("month,amount\n2026-07,100\n")
    app.audit._on_files("before", [("b.csv", EXAMPLE.parent / "before.csv")])
    app.audit._on_files("after", [("a.csv", bad)])
    assert "rcm-ineligible" in app.audit.out.value and app.audit.result is None
    assert "Traceback" not in app.audit.out.value


def _sections(monkeypatch, path, **kw) -> str:
    """Every section of the audit report run in this process (no kernel): the HTML shown."""
    import rcmmodel.reports.audit as report

    shown = []
    monkeypatch.setattr(report, "show", shown.append)
    monkeypatch.setattr(report, "note", lambda t: shown.append(f"<p>{t}</p>"))
    monkeypatch.setattr(report, "chart", lambda c: shown.append(f"<chart {type(c).__name__}>"))
    monkeypatch.setattr(report, "record", lambda f: shown.append(json.dumps(f)))
    r = report.AuditReport(path, **kw)
    for name in ("title", "verdict", "kpis", "fees", "denials", "exit", "limits",
                 "assumptions", "record"):
        getattr(r, name)()
    return "\n".join(shown)


def test_the_report_without_invoices_or_sla_says_so(tmp_path, monkeypatch):
    path = copy_example(tmp_path, invoices=None)
    doc = yaml.safe_load(path.read_text())
    doc["vendors"][0].pop("sla")
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    page = _sections(monkeypatch, path)
    assert "No invoices were given, so nothing is checked against the contract" in page
    assert "The contract states no service level" in page
    assert "Steady Billing is delivering: the contract states no service level, and the " \
        "practice gains" in page                    # not "every SLA KPI is met": none is
    s = scenario_with_claims(load_scenario(path))
    d = audit(s, **audit_args(s)).to_dict()
    assert d["verdict"] == "delivering" and d["sla"] == []
    assert money(d["net_gain"]["realized"]) in page and money(d["fees"]["a_year"]) in page


def test_the_report_with_too_few_claims_has_no_verdict(tmp_path, monkeypatch):
    # 20 claims after: shown, not graded, no realized gain and no verdict.
    path = copy_example(tmp_path, invoices=None)
    rows = (tmp_path / "after.csv").read_text().splitlines()
    (tmp_path / "after.csv").write_text("\n".join(rows[:21]) + "\n")
    page = _sections(monkeypatch, path)
    assert "The claims files cannot say yet whether Steady Billing is delivering" in page
    assert "The claims cannot say yet whether leaving would pay." in page
    assert "Traceback" not in page
