"""The decision on the report surfaces: the rcm-recommendation box and the recorded figures
say what ``rcm evaluate --json`` and ``rcm compare --json`` say, and no ineligible vendor
ever gets a positive verdict (docs/methodology.md §6). Renders notebooks: slow."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from conftest import SCENARIOS, rcm_inprocess

pytestmark = pytest.mark.slow

CONFLICT = Path(__file__).parent / "data_vendors" / "decision-conflict.yaml"


def cli_json(command, path) -> dict:
    proc = rcm_inprocess(command, path, "--json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def render(path, kernel, template="decision", vendor=None):
    """(recorded figures, the rcm-recommendation box's classes, its text, the page) of one
    report, rendered on the session's warm report kernel (a proposal presents ``vendor``,
    matched ignoring case as ``rcm report --vendor`` matches it, else the offer
    ``rcm report`` picks)."""
    from rcmmodel.model.measure import scenario_with_claims
    from rcmmodel.reports.outputs import offer_vendor
    from rcmmodel.reports.render import render_bytes
    from rcmmodel.scenario import load_scenario

    params = None
    if template == "proposal":
        params = {"vendor": offer_vendor(scenario_with_claims(load_scenario(path)), vendor)}
    data, figures, _ = render_bytes(path, template, ("html",), params, kernel=kernel)
    page = data["html"].decode("utf-8")
    boxes = re.findall(r'<div class="(rcm-recommendation[^"]*)">(.*?)</div>', page, re.S)
    assert len(boxes) == 1, boxes
    classes, inner = boxes[0]
    text = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inner))).strip()
    return figures, classes.split(), text, page


@pytest.fixture(scope="module")
def conflict_report(report_kernel):
    return render(CONFLICT, report_kernel)


def test_one_decision_on_every_surface(conflict_report):
    figures, classes, text, page = conflict_report
    ev, cmp_ = cli_json("evaluate", CONFLICT), cli_json("compare", CONFLICT)
    assert ev["decision"] == cmp_["decision"] == figures["decision"]
    d = figures["decision"]
    assert (d["recommended"], d["financial_best"], d["runner_up"]) == (
        "Steady Claims", "LockIn Revenue", "LockIn Revenue")
    assert cmp_["top_choice"] == "Steady Claims" and ev["best_vendor"] == "LockIn Revenue"
    # the box: the recommended vendor, the financial best it overrules and by how much,
    # the criteria, the weight that flips it, runner-up and margin, the excluded vendor,
    # the lock-in, the count of quotes, and the net-gain range
    assert "rcm-negative" not in classes
    assert text.startswith("Recommendation: Outsource billing to Steady Claims ($77,000 a year)")
    for bit in ("LockIn Revenue would gain $11,000 a year more", "SLA commitments",
                "contract terms (lock-in)", "giving net gain 85% of the weight instead of 40%",
                "Runner-up: LockIn Revenue, 38.0 points behind",
                "Excluded: NoBAA Billing: no Business Associate Agreement",
                "12-month term, no termination fee, 30 days' notice",
                "3 quotes compared", "$77,000 a year at the quoted 10.0% uplift",
                "$66,556 at the 7.8% uplift its SLA implies", "$30,000 with no uplift",
                "fall by up to 6.4%"):
        assert bit in text, bit
    # the risk charts are the recommended vendor's
    # (the charts are images: their captions name whose they are)
    assert "Steady Claims: net gain as its fee rate varies" in page
    assert "Steady Claims: each input 20% down and 20% up" in page
    assert "Steady Claims: net gain for each fee rate and uplift" in page
    for other in ("NoBAA Billing", "LockIn Revenue"):
        assert f"{other}: net gain as" not in page and f"{other}: each input" not in page


def test_no_ineligible_vendor_is_recommended_in_the_report(conflict_report):
    _, _, text, page = conflict_report
    assert "Outsource billing to NoBAA" not in page
    assert "NoBAA Billing (excluded: no BAA)" in page


def test_proposal_of_an_ineligible_vendor_says_it_cannot_be_recommended(report_kernel):
    figures, classes, text, _ = render(CONFLICT, report_kernel, "proposal", "NoBAA Billing")
    assert figures["vendor"] == "NoBAA Billing"
    assert "rcm-negative" in classes
    assert text.startswith("Recommendation: NoBAA Billing cannot be recommended: no Business "
                           "Associate Agreement")
    assert "pays" not in text and "gains" not in text


@pytest.mark.parametrize("scenario", ["family-practice-quotes.yaml", "mental-health-group.yaml"])
def test_example_no_baa_proposals_are_never_positive(report_kernel, scenario):
    ev = cli_json("evaluate", SCENARIOS / scenario)
    for e in ev["decision"]["excluded"]:
        _, classes, text, page = render(SCENARIOS / scenario, report_kernel, "proposal",
                                    e["vendor"])
        assert "rcm-negative" in classes and "cannot be recommended" in text
        # no page of it shows the vendor paying: no gain counted, no map of where it pays
        seen = html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]*"', "", page)))
        assert "where outsourcing pays" not in page and "Outsourcing pays for itself" not in seen
        assert "not counted (no BAA)" in seen and not re.search(r"Net gain a year\s+\$", seen)


def test_proposal_of_an_eligible_vendor_not_recommended_is_not_green(report_kernel):
    figures, classes, text, _ = render(CONFLICT, report_kernel, "proposal", "LockIn Revenue")
    assert "rcm-neutral" in classes and text.startswith("Worth considering:")
    assert "Of the 3 quotes compared, another is recommended" in text
    assert "36-month term, termination fee $10,000" in text


def test_stay_in_house_box_says_in_house(tmp_path, report_kernel):
    text = CONFLICT.read_text()
    for rate in ("0.03", "0.04", "0.06"):          # every quote now costs more than it brings
        text = text.replace(f"rate: {rate}}}", "rate: 0.40}")
    path = tmp_path / "dear.yaml"
    path.write_text(text)
    figures, classes, box_text, page = render(path, report_kernel)
    assert figures["decision"]["verdict"] == "stay" and figures["decision"]["recommended"] is None
    assert "rcm-negative" in classes
    assert box_text.startswith("Recommendation: Keep billing in-house")
    assert "Outsource billing to" not in page
