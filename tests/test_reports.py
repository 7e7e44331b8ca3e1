"""Report templates and ``rcm report``, tested as a user would: render, open, read.

Rendering costs seconds a report, so each template renders every example scenario once per
session, on one warm report kernel (the batch's, :class:`rcmmodel.reports.warm.WarmKernel`,
which resets between reports), and the tests share the results. The recorded figures of each
report are compared with what ``rcm evaluate --json`` prints. Every report is read as HTML,
its charts' words included; the PDF, made from the same page by WeasyPrint, is printed and
read for the reports in PRINTED (a PDF costs as much as the report's run).
"""
from __future__ import annotations

import base64
import functools
import html as _html
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from conftest import ROOT, SCENARIOS, rcm_inprocess

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data"
TEMPLATES = ("decision", "proposal", "claims-review")
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))
# The reports also printed to PDF, each for what its print shows: the scorecard's own
# criteria as ranking columns, a simulation's charts, excluded vendors among five quotes, the
# improve verdict; proposals whose charts could name a competitor; a claims review with
# measured claims and one without.
PRINTED = {
    "decision": ("family-practice-scorecard.yaml", "uncertain-uplift.yaml",
                 "family-practice-quotes.yaml", "pediatrics-fix-inhouse.yaml"),
    "proposal": ("family-practice-quotes.yaml", "orthopaedic-group.yaml", "guide-example.yaml"),
    "claims-review": ("family-practice-claims.yaml", "guide-example.yaml"),
}
# Patient names and member IDs inside tests/data's 835/837 files (see test_cli_kpi.py).
SECRETS = ("QUIMBY", "ZEBULON", "ROSALIND", "FAIRWEATHER", "OCTAVIA", "WINTERBOTTOM",
           "PERCIVAL", "HOLLOWAY", "MARGUERITE", "MBR100ZQ", "SUB100RQ", "MBR101OF")


def rcm(*argv, timeout=300):
    return subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, argv)], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@functools.cache
def _evaluate_text(path) -> str:
    proc = rcm_inprocess("evaluate", path, "--json")
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def evaluate_json(path) -> dict:
    """What ``rcm evaluate --json`` prints, computed in this process (once a scenario)."""
    return json.loads(_evaluate_text(Path(path)))


def render_one(path: Path, template: str, folder: Path, kernel) -> SimpleNamespace:
    """One report written into ``folder`` as ``rcm report`` writes it (a proposal of the
    offer ``rcm report`` picks), in HTML and, if PRINTED, PDF: ``ok``, ``error``, ``files``
    (format -> path) and the recorded ``figures``."""
    from rcmmodel.model.measure import scenario_with_claims
    from rcmmodel.reports.outputs import offer_vendor, output_stem
    from rcmmodel.reports.render import render_bytes, write_outputs
    from rcmmodel.scenario import load_scenario

    formats = ("html", "pdf") if path.name in PRINTED[template] else ("html",)
    try:
        vendor = (offer_vendor(scenario_with_claims(load_scenario(path)))
                  if template == "proposal" else None)
        data, figures, _ = render_bytes(path, template, formats,
                                        {"vendor": vendor} if vendor else None, kernel=kernel)
    except Exception as exc:          # the tests of this report fail, saying why
        return SimpleNamespace(ok=False, error=f"{type(exc).__name__}: {exc}", files={},
                               figures=None)
    files = write_outputs(data, folder, output_stem(path, template, vendor))
    return SimpleNamespace(ok=True, error=None, files=files, figures=figures)


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, report_kernel):
    """template -> {scenario file name: report}: every template over every example."""
    out = {}
    for template in TEMPLATES:
        folder = tmp_path_factory.mktemp(template)
        out[template] = {p.name: render_one(p, template, folder, report_kernel)
                         for p in SCENARIO_FILES}
    return out


def pdf_text(o, *flags) -> str | None:
    """The text of a report's PDF (``pdftotext``), None where it was not printed."""
    if "pdf" not in o.files:
        return None
    return subprocess.run(["pdftotext", *flags, str(o.files["pdf"]), "-"],
                          capture_output=True, text=True, check=True).stdout


def chart_words(page: str) -> str:
    """The words drawn in a page's charts (inline SVG images): titles, axes, legends."""
    words = []
    for data in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page):
        svg = base64.b64decode(data).decode("utf-8")
        words += [_html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S)]
    return "\n".join(words)


@pytest.fixture(scope="session")
def guide_report(tmp_path_factory):
    """The guide example's decision report, through the real command, in all formats."""
    folder = tmp_path_factory.mktemp("guide")
    proc = rcm("report", SCENARIOS / "guide-example.yaml", "-o", folder,
               "--format", "html,pdf,ipynb")
    assert proc.returncode == 0, proc.stderr
    return folder, proc


def assert_clean_html(text: str, where: str) -> None:
    """Self-contained, offline, and nothing a reader should not see."""
    assert not re.search(r"<script[^>]+src=[\"']?https?:", text, re.I), where
    assert not re.search(r"<link[^>]+href=[\"']?https?:", text, re.I), where
    assert not re.search(r"@import\s+url\(\s*[\"']?https?:", text, re.I), where
    assert "Traceback" not in text and "Error" not in re.sub(r"<[^>]+>", " ", text), where
    for code in ("report_sections", "import ", "report.record", "scenario_path =",
                 "jp-InputArea", "input_area"):
        assert code not in text, (where, code)


def figures_match(figures: dict, expected: dict) -> None:
    assert figures["scenario"] == expected["scenario"]
    assert figures["best_vendor"] == expected["best_vendor"]
    assert figures["inhouse"] == pytest.approx(expected["inhouse"])
    by_name = {v["name"]: v for v in expected["vendors"]}
    assert [v["name"] for v in figures["vendors"]] == list(by_name)
    for v in figures["vendors"]:
        e = by_name[v["name"]]
        for key in ("annual", "breakeven", "ar_cash_release"):
            assert v[key] == pytest.approx(e[key], abs=0.01, nan_ok=True), (v["name"], key)
        for key in ("npv", "payback_month", "total"):
            assert v["timeline"][key] == pytest.approx(e["timeline"][key], abs=0.01)


# -------------------------------------------------------------------------- every template

def test_the_printed_reports_are_examples():
    names = {p.name for p in SCENARIO_FILES}
    assert set(PRINTED) == set(TEMPLATES)
    assert all(set(printed) <= names for printed in PRINTED.values())


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_template_renders_every_scenario(rendered, template, scenario):
    o = rendered[template][scenario.name]
    assert o.ok, o.error
    text = o.files["html"].read_text(encoding="utf-8")
    assert_clean_html(text, f"{template}/{scenario.name}")
    assert "Assumptions and sources" in text
    assert o.figures and o.figures["template"] == template


# Internal words a reader must never meet: references to our own documents, field paths,
# distribution syntax and the simulation's seed.
JARGON = ("SP" + "EC", "seed", "[0]", "tiers[", "dist", "triangular(", "uniform(", "pert(")


def visible_text(page: str) -> str:
    """What a reader of the HTML sees: no stylesheet, no tags, entities decoded."""
    page = re.sub(r"<style.*?</style>", " ", page, flags=re.S | re.I)
    page = re.sub(r'src="data:[^"]*"', "", page)
    return _html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=lambda p: p.stem)
def test_reports_speak_plain_english(rendered, template, scenario):
    o = rendered[template][scenario.name]
    assert o.ok, o.error
    page = o.files["html"].read_text(encoding="utf-8")
    texts = [("html", visible_text(page)), ("charts", chart_words(page))]
    assert texts[1][1] or "data:image/svg+xml" not in page, "no chart words read"
    printed = pdf_text(o, "-layout")
    if printed is not None:
        assert "Assumptions and sources" in printed
        texts.append(("pdf", printed))
    for word in JARGON:
        for where, text in texts:
            at = text.find(word)
            assert at < 0, (where, word, text[max(0, at - 80):at + 80])


# Words that tell a reader another story or read as jargon (docs/methodology.md §6: one
# decision on every page): the odds by net gain alone, the model's own terms, the unsaid
# plural, a weight out of context, a source without a date said.
STORY_JARGON = ("chance it is best", "steady state", "steady-state", "horizon", "1 providers",
                "1 quotes", "Of the 1 quote", "is no Business Associate", "weight from 0.",
                "n.d.", "accessed 2026", "industry guide")


def table_rows(page: str) -> list[str]:
    """Each table row of a page as the text a reader sees."""
    return [visible_text(r) for r in re.findall(r"<tr[^>]*>(.*?)</tr>", page, flags=re.S)]


def section(text: str, start: str, end: str = "Fee notes") -> str:
    """The visible text from a heading to the next one named."""
    at = text.index(start)
    stop = min((i for i in (text.find(e, at + len(start)) for e in (end, "Before you sign"))
                if i > 0), default=len(text))
    return text[at:stop]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=lambda p: p.stem)
def test_every_page_tells_one_decision(rendered, template, scenario):
    """No excluded vendor in a row without its mark (so never in a "pays" row), never said
    to pay; the risk section names the vendor it is about, the recommended one; none of the
    known jargon."""
    o = rendered[template][scenario.name]
    assert o.ok, o.error
    page = o.files["html"].read_text(encoding="utf-8")
    text = visible_text(page)
    d = evaluate_json(scenario)["decision"]
    for e in d["excluded"]:
        name = e["vendor"]
        for row in table_rows(page):
            if name in row:
                assert "excluded" in row, (name, row)
                assert not re.search(r"\b\d+%\s+\d+%", row.split(name, 1)[1]), row
        assert f"{name} pays" not in text and f"{name} gains" not in text
    for word in STORY_JARGON:
        at = text.find(word)
        assert at < 0, (word, text[max(0, at - 80):at + 80])
    assert not re.search(r"\b(sla|kpi|npv|fte|baa)\b", text), "an acronym in lower case"
    if template == "decision" and o.figures["vendors"]:
        about = d["recommended"] or d["financial_best"]
        risk = section(text, "Risk: what would change the answer")
        assert about and f"This section is about {about}" in risk
        if d["recommended"]:
            assert "the recommended vendor" in risk
    if template == "proposal":
        assert f"This section is about {o.figures['vendor']}" in section(text, "How sure is this?")


@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=lambda p: p.stem)
def test_decision_figures_are_rcm_evaluate_json(rendered, scenario):
    o = rendered["decision"][scenario.name]
    figures_match(o.figures, evaluate_json(scenario))


@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=lambda p: p.stem)
def test_proposal_is_the_recommended_vendor_with_the_same_numbers(rendered, scenario):
    o = rendered["proposal"][scenario.name]
    expected = evaluate_json(scenario)
    figures_match(o.figures, expected)
    assert o.figures["vendor"] == (expected["decision"]["recommended"] or expected["best_vendor"]
                                   or expected["vendors"][0]["name"])
    assert o.figures["decision"] == expected["decision"]


@pytest.mark.parametrize("scenario", SCENARIO_FILES, ids=lambda p: p.stem)
def test_proposal_names_no_competitor(rendered, scenario):
    """Other quotes appear as the practice's current cost and a market range, never by name."""
    from rcmmodel.scenario import load_scenario

    o = rendered["proposal"][scenario.name]
    offer = o.figures["vendor"]
    page = o.files["html"].read_text(encoding="utf-8")
    text = visible_text(page)
    assert "Contract" in text and "Market range" in text and "how it is worked out" in text
    # the charts' words too (legends, titles), and the PDF's text where it was printed
    charts = chart_words(page).replace("\n", " ")
    pdf = (pdf_text(o) or "").replace("\n", " ")
    for v in load_scenario(scenario).vendors:
        if v.name != offer and v.name not in offer:
            assert v.name not in text, (offer, v.name)
            assert v.name not in charts, (offer, v.name, "charts")
            assert v.name not in pdf, (offer, v.name, "pdf")


def test_recommendation_comes_first(rendered):
    text = rendered["decision"]["guide-example.yaml"].files["html"].read_text()
    body = re.sub(r"<[^>]+>", " ", text[text.index("<main"):])
    first = body.index("Recommendation:")
    assert first < body.index("In-house billing: what it costs today")
    sentence = body[first:first + 400]
    assert "Guide Billing Co" in sentence and "$51,500" in sentence


def test_uncertain_scenario_shows_probabilities(rendered):
    o = rendered["decision"]["uncertain-uplift.yaml"]
    text = o.files["html"].read_text()
    assert "chance it pays" in text and "simulated outcomes" in text
    sim = o.figures["simulation"]
    assert sim["draws"] == 10000 and all(0 <= v["prob_positive"] <= 1 for v in sim["vendors"])


def test_the_practices_own_criteria_are_ranking_columns(rendered):
    """The decision report's ranking table has a column per criterion of the practice's
    own, and the decision names whose weights and criteria decided (HTML and PDF)."""
    o = rendered["decision"]["family-practice-scorecard.yaml"]
    text = o.files["html"].read_text(encoding="utf-8")
    ranking = text[text.index("<h3>Ranking</h3>"):]
    ranking = ranking[:ranking.index("</table>")]
    headers = re.findall(r"<th[^>]*>(.*?)</th>", ranking)
    assert headers[-3:] == ["References and client retention", "Security", "total"]
    assert "Security: 3 yes/no questions, the share answered yes" in text
    assert "its own criteria “References and client retention” and “Security”" in text
    pdf = pdf_text(o)
    assert "Security" in pdf and "References and client retention" in pdf.replace("\n", " ")


def test_claims_review_without_claims_data_says_so(rendered):
    o = rendered["claims-review"]["guide-example.yaml"]
    assert "no claims data" in o.files["html"].read_text()
    assert o.figures["has_claims"] is False
    assert o.figures["kpis"]["days_in_ar"] == 45


# -------------------------------------------------------------------------- the guide, as a user

def test_guide_decision_report_shows_51500(guide_report):
    folder, proc = guide_report
    files = {p.suffix for p in folder.iterdir()}
    assert files == {".html", ".pdf", ".ipynb"}
    assert str(folder / "guide-example-decision.html") in proc.stdout
    text = (folder / "guide-example-decision.html").read_text(encoding="utf-8")
    assert "$51,500" in text
    assert_clean_html(text, "guide html")
    assert text.count('src="data:image/svg+xml;base64,') >= 4   # charts inline, as SVG


def test_guide_pdf_carries_the_same_figures(guide_report):
    from pypdf import PdfReader

    folder, _ = guide_report
    reader = PdfReader(str(folder / "guide-example-decision.pdf"))
    assert len(reader.pages) >= 2
    text = " ".join(page.extract_text() for page in reader.pages)
    for figure in ("$51,500", "$38,500", "$40,000", "$128,720", "Guide Billing Co",
                   "Assumptions and sources"):
        assert figure in text, figure
    assert "Traceback" not in text


def test_executed_notebook_records_the_figures(guide_report):
    from rcmmodel.reports.render import recorded_figures

    folder, _ = guide_report
    nb = nbformat.read(folder / "guide-example-decision.ipynb", as_version=4)
    figures_match(recorded_figures(nb), evaluate_json(SCENARIOS / "guide-example.yaml"))
    assert recorded_figures(nb)["vendors"][0]["annual"]["net_gain"] == 51500


def test_proposal_for_a_named_vendor(tmp_path):
    proc = rcm_inprocess("report", SCENARIOS / "orthopaedic-group.yaml", "-o", tmp_path,
                         "--template", "proposal", "--vendor", "chargebase rcm", "--format",
                         "ipynb")
    assert proc.returncode == 0, proc.stderr
    from rcmmodel.reports.render import recorded_figures
    target = tmp_path / "orthopaedic-group-proposal-chargebase-rcm.ipynb"
    nb = nbformat.read(target, as_version=4)
    assert recorded_figures(nb)["vendor"] == "ChargeBase RCM"
    assert proc.stdout.split() == [str(target)]            # where it wrote, one path a line
    assert "rendering the proposal report (ChargeBase RCM)" in proc.stderr


@pytest.mark.parametrize("argv", [["--template", "proposal", "--vendor", "Nobody Inc"],
                                  ["--vendor", "ChargeBase RCM"]])
def test_vendor_mistakes_exit_2_before_rendering(tmp_path, argv):
    proc = rcm_inprocess("report", SCENARIOS / "orthopaedic-group.yaml", "-o", tmp_path / "out",
                         *argv)
    assert proc.returncode == 2 and "--vendor" in proc.stderr
    assert "Traceback" not in proc.stderr and "rendering" not in proc.stderr
    assert not (tmp_path / "out").exists()


# -------------------------------------------------------------------------- claims data

@pytest.fixture(scope="session")
def claims_scenario(tmp_path_factory):
    folder = tmp_path_factory.mktemp("claims")
    text = (SCENARIOS / "guide-example.yaml").read_text()
    files = ", ".join(json.dumps(str(DATA / n)) for n in ("names_mixed.835", "names_pair.837"))
    text = text.replace("  baseline_kpis:", f"  claims_files: [{files}]\n  baseline_kpis:", 1)
    path = folder / "with-claims.yaml"
    path.write_text(text)
    return path


def test_claims_review_with_claims_shows_aggregates_only(claims_scenario, tmp_path):
    proc = rcm_inprocess("report", claims_scenario, "-o", tmp_path, "--template",
                         "claims-review", "--format", "html,pdf,ipynb")
    assert proc.returncode == 0, proc.stderr
    from pypdf import PdfReader
    from rcmmodel.reports.render import recorded_figures

    html = (tmp_path / "with-claims-claims-review.html").read_text()
    pdf = " ".join(p.extract_text() for p in
                   PdfReader(str(tmp_path / "with-claims-claims-review.pdf")).pages)
    nb_text = (tmp_path / "with-claims-claims-review.ipynb").read_text()
    for secret in SECRETS:
        for where, text in (("html", html), ("pdf", pdf), ("ipynb", nb_text)):
            assert secret not in text.upper(), (where, secret)
    assert_clean_html(html, "claims review")
    figures = recorded_figures(nbformat.read(tmp_path / "with-claims-claims-review.ipynb", 4))
    kpi = rcm_inprocess("kpi", DATA / "names_mixed.835", DATA / "names_pair.837", "--json")
    expected = json.loads(kpi.stdout)
    assert figures["has_claims"] and figures["claims"] == expected["claims"]
    for name, value in expected["kpis"].items():
        assert figures["kpis"][name] == pytest.approx(value, abs=0.01), name


# -------------------------------------------------------------------------- failures

def test_bad_scenario_exits_2_before_running(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("schema: rcmmodel/v1\nname: x\npractice: {annual_collections: -1}\n"
                   "inhouse: {annual_cost: 1}\nvendors: [{name: A, pricing: {model: percentage,"
                   " rate: 0.07}}]\n")
    proc = rcm_inprocess("report", bad, "-o", tmp_path / "out")
    assert proc.returncode == 2
    assert "practice.annual_collections" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("argv", [["--format", "docx"], ["--template", "nonesuch"]])
def test_bad_options_exit_2(tmp_path, argv):
    proc = rcm_inprocess("report", SCENARIOS / "guide-example.yaml", "-o", tmp_path, *argv)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_failing_cell_names_scenario_and_cell_and_writes_nothing(tmp_path):
    nb = nbformat.read(ROOT / "templates" / "decision.ipynb", as_version=4)
    heading = next(i for i, c in enumerate(nb.cells) if "Month by month" in c.source)
    nb.cells.insert(heading + 1, nbformat.v4.new_code_cell("raise RuntimeError('boom')"))
    template = tmp_path / "broken.ipynb"
    nbformat.write(nb, template)
    out = tmp_path / "out"
    proc = rcm_inprocess("report", SCENARIOS / "guide-example.yaml", "-o", out, "--template",
                         template)
    assert proc.returncode == 1
    assert "guide-example.yaml" in proc.stderr
    assert f"cell {heading + 2}" in proc.stderr and "Month by month" in proc.stderr
    assert "RuntimeError: boom" in proc.stderr and "Traceback" not in proc.stderr
    assert not out.exists() or list(out.iterdir()) == []


# -------------------------------------------------------------------------- templates as stored

@pytest.mark.parametrize("name", TEMPLATES + ("audit",))
def test_templates_are_stored_stripped_with_parameters(name):
    nb = nbformat.read(ROOT / "templates" / f"{name}.ipynb", as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "scenario_path" in tagged[0].source
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert nb.cells[-3].source.startswith("## Assumptions and sources")   # then 2 code cells


def test_reports_state_the_in_house_alternative(rendered):
    """Fixing billing in-house instead (docs/methodology.md §6): the decision report leads
    with the "improve" verdict and its one sentence, lists the alternatives and says they are
    compared on money alone; the proposal says an in-house alternative gains more."""
    sentence = ("Hiring a certified coder would gain $23,000 a year, more than outsourcing to "
                "Valley Billing Services at $17,750.")
    page = rendered["decision"]["pediatrics-fix-inhouse.yaml"].files["html"].read_text()
    box = page[page.index('class="rcm-recommendation'):]
    box = visible_text(box[:box.index("</div>")])
    assert "Improve billing in-house: " + sentence in box and "in-house" in box
    text = " ".join(visible_text(page).split())
    assert "Fixing billing in-house instead" in text and text.count(sentence) >= 2
    assert "compared with the quotes on money alone" in text
    assert "A denial-management service" in text and "$54,470" in text   # the coder's NPV
    o = rendered["decision"]["pediatrics-fix-inhouse.yaml"]
    assert o.figures["decision"]["verdict"] == "improve"
    assert o.figures["decision"]["alternative"] == "Hiring a certified coder"
    proposal = " ".join(visible_text(rendered["proposal"]["pediatrics-fix-inhouse.yaml"]
                                     .files["html"].read_text()).split())
    assert "Improving billing in-house (hiring a certified coder) would gain $23,000 a year, " \
           "more than this offer" in proposal
    # a scenario without alternatives has no such section
    plain = visible_text(rendered["decision"]["guide-example.yaml"].files["html"].read_text())
    assert "Fixing billing in-house instead" not in plain
