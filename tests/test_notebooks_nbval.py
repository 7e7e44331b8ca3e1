"""The notebooks in notebooks/: they run headless (nbval), are stored stripped, and the
figures they show are the library's.

Every notebook runs headless once, from notebooks/ (where JupyterLab opens it): the ones
whose figures are checked here run on nbclient in this process, and nbval runs the others in
a subprocess with ``--nbval-lax`` (the notebooks are committed without outputs, so there is
nothing to compare cell by cell). A cell that raises fails the test either way. The
calculator and compare-quotes panels are run and asked for their figures; each worked
notebook's key figures, recorded by its last cell
(:func:`rcmmodel.reports.notebook.key_figures`), are compared with the library called here.
That they also run from any other folder rests on :func:`rcmmodel.paths.example`
(tests/test_notebook_helpers.py).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, SCENARIOS

pytestmark = pytest.mark.slow

NOTEBOOKS = ROOT / "notebooks"
BOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))
PANELS = ("app.ipynb", "calculator.ipynb", "compare-quotes.ipynb", "claims-review.ipynb")
WORKED = ("claims-baseline.ipynb", "compare-and-decide.ipynb", "what-ifs.ipynb",
          "portfolio.ipynb", "vendor-audit.ipynb")


def test_the_notebooks_are_there():
    names = {p.name for p in BOOKS}
    assert {*PANELS, *WORKED, "index.ipynb"} <= names


def _links(nb) -> list[str]:
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    return re.findall(r"\]\(([^)\s]+\.ipynb)\)", text)


def test_the_index_links_every_notebook_and_each_links_back():
    index = nbformat.read(NOTEBOOKS / "index.ipynb", as_version=4)
    links = _links(index)
    assert set(links) == {*PANELS, *WORKED}
    assert all((NOTEBOOKS / link).is_file() for link in links)
    for name in (*WORKED, *PANELS[1:]):            # the app itself is a page of its own
        assert "index.ipynb" in _links(nbformat.read(NOTEBOOKS / name, as_version=4)), name


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name
    assert nb.metadata.kernelspec.name == "python3"


PROBES = {
    "calculator.ipynb": "import json; print(json.dumps({'net_gain': calculator.net_gain, "
                        "'data': calculator.scenario_data()}))",
    "compare-quotes.ipynb": "import json; print(json.dumps({'top': comparison.comparison.top.name,"
                            " 'data': comparison.scenario_data()}))",
}


@pytest.mark.parametrize("name", sorted(PROBES))
def test_figures_are_the_librarys(name):
    """Run the notebook, then read its panel's figures and compare them with the library."""
    from rcmmodel import evaluate, parse_scenario
    from rcmmodel.vendors.ranking import compare

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBES[name]))
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    out = json.loads(nb.cells[-1].outputs[0]["text"])
    scenario = parse_scenario(out["data"])
    if name == "calculator.ipynb":
        assert out["net_gain"] == pytest.approx(51500.0)          # the guide's worked example
        assert out["net_gain"] == pytest.approx(float(evaluate(scenario).vendors[0]
                                                      .figures.net_gain))
    else:
        assert out["top"] == compare(scenario).top.name


# Each notebook runs once: the probed panels and the worked notebooks below, nbval the rest.
NBVAL = [p for p in BOOKS if p.name not in {*PROBES, *WORKED}]


def test_every_notebook_runs_once():
    assert {p.name for p in NBVAL} | set(PROBES) | set(WORKED) == {p.name for p in BOOKS}
    assert {"app.ipynb", "claims-review.ipynb"} <= {p.name for p in NBVAL}


def test_nbval_runs_the_other_notebooks():
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p",
                           "no:cacheprovider", *map(str, NBVAL)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout.strip().splitlines()[-1], proc.stdout[-2000:]


# ---------------------------------------------------------------- the worked notebooks

def _claim_ids() -> set[str]:
    import pandas as pd

    files = [SCENARIOS / "claims" / "family-practice-ledger.csv",
             *(SCENARIOS / "audit" / f for f in ("before.csv", "after.csv"))]
    return {str(i) for f in files for i in pd.read_csv(f, usecols=["claim_id"])["claim_id"]}


def _output_text(nb) -> str:
    parts = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            parts.append(out.get("text", ""))
            parts += [v if isinstance(v, str) else json.dumps(v)
                      for v in out.get("data", {}).values()]
            parts += out.get("traceback", [])
    return "\n".join(parts)


@pytest.fixture(scope="module")
def worked():
    """Each worked notebook run once, from notebooks/: name -> (notebook, its recorded
    figures)."""
    from rcmmodel.reports.render import recorded_figures

    cache = {}

    def run(name):
        if name not in cache:
            nb = nbformat.read(NOTEBOOKS / name, as_version=4)
            NotebookClient(nb, timeout=300, kernel_name="python3",
                           resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
            figures = recorded_figures(nb)
            assert figures, f"{name} recorded no key figures"
            cache[name] = nb, figures
        return cache[name]

    return run


def test_claims_baseline_figures(worked):
    from rcmmodel import evaluate, load_scenario, scenario_with_claims
    from rcmmodel.claims import read_claims, summarize

    nb, got = worked("claims-baseline.ipynb")
    review = summarize(read_claims([SCENARIOS / "claims" / "family-practice-ledger.csv"]))
    assert got["claims"] == review["claims"] == 1200
    for key in ("days_in_ar", "clean_claim_rate", "net_collection_rate", "denial_rate",
                "ar_over_90", "open_ar"):
        assert got[key] == pytest.approx(review["kpis"][key]), key
    assert got["denied_dollars"] == pytest.approx(review["denials"]["claims"]["dollars"])
    ev = review["evidence"]
    assert (got["uplift_supported_low"], got["uplift_supported_high"]) == pytest.approx(
        (ev["low"], ev["high"]))
    result = evaluate(scenario_with_claims(load_scenario(SCENARIOS /
                                                         "family-practice-claims.yaml")))
    for v in result.vendors:
        planned = got[f"uplift_planned: {v.name}"]
        # the claims cap what a quote may promise: never above the quote, nor the evidence
        assert planned == pytest.approx(min(v.uplift, ev["high"]), abs=1e-6)


def test_compare_and_decide_figures(worked):
    from rcmmodel import decide, evaluate, load_scenario, scenario_with_claims, simulate
    from rcmmodel.risk import tornado

    nb, got = worked("compare-and-decide.ipynb")
    scenario = scenario_with_claims(load_scenario(SCENARIOS / "family-practice-quotes.yaml"))
    result = evaluate(scenario)
    d = decide(scenario, evaluation=result)
    assert (got["verdict"], got["recommended"], got["financial_best"], got["runner_up"]) == (
        d.verdict, d.recommended, d.financial_best, d.runner_up)
    chosen = result.vendor(d.recommended)
    assert got["net_gain_recommended"] == pytest.approx(chosen.planning.net_gain)
    assert got["max_rate_recommended"] == pytest.approx(chosen.breakeven["max_rate"])
    assert (got["flip_to"], got["flip_to_weight"]) == (d.flip["to"],
                                                       pytest.approx(d.flip["to_weight"]))
    sim = simulate(scenario, draws=2000, seed=12345)
    assert got["prob_recommended"] == pytest.approx(sim.vendor(d.recommended).prob_recommended)
    assert got["prob_stay"] == pytest.approx(sim.prob_stay)
    assert got["top_sensitivity"] == tornado(scenario, vendor=d.recommended).iloc[0]["input"]


def test_what_ifs_figures(worked):
    import rcmmodel

    nb, got = worked("what-ifs.ipynb")
    scenario = rcmmodel.load_scenario(SCENARIOS / "family-practice-claims.yaml")
    w = rcmmodel.whatif(scenario, {"ranking.priority": "money_first"},
                        {"practice.annual_collections": 0.8 * 690000},
                        {"vendors[0].pricing.rate": 0.055})
    names = ["As the file says", "Her priority is money first", "Collections fall by a fifth",
             "Primary Care Billing Group cuts its rate to 5.5%"]
    for name, case in zip(names, w.cases):
        assert got[f"{name}: recommended"] == case.recommended
        assert got[f"{name}: moved"] == case.moved
        for vendor, gain in case.net_gains.items():
            assert got[f"{name}: net_gain: {vendor}"] == pytest.approx(gain)
    # money first puts the quote that gains the most first: the decision moves to it
    base = w.base.net_gains
    assert got["Her priority is money first: recommended"] == max(base, key=base.get)
    assert got["Her priority is money first: moved"] is True


def test_portfolio_figures(worked):
    import rcmmodel

    nb, got = worked("portfolio.ipynb")
    files = sorted(SCENARIOS.glob("*.yaml"))
    assert got["scenarios"] == len(files) >= 8
    for path in files:
        scenario = rcmmodel.scenario_with_claims(rcmmodel.load_scenario(path))
        result = rcmmodel.evaluate(scenario)
        d = rcmmodel.decide(scenario, evaluation=result)
        assert got[f"{path.name}: recommended"] == d.recommended
        shown = d.recommended or d.financial_best
        assert got[f"{path.name}: net_gain"] == pytest.approx(
            result.vendor(shown).planning.net_gain)


def test_vendor_audit_figures(worked):
    from rcmmodel import load_scenario, scenario_with_claims
    from rcmmodel.model.audit import audit

    nb, got = worked("vendor-audit.ipynb")
    folder = SCENARIOS / "audit"
    d = audit(scenario_with_claims(load_scenario(folder / "audit-example.yaml")),
              "Steady Billing", folder / "before.csv", folder / "after.csv",
              invoices=folder / "invoices.csv").to_dict()
    assert got["verdict"] == d["verdict"]
    assert got["uplift_realized"] == pytest.approx(d["uplift"]["realized"])
    assert got["net_gain_realized"] == pytest.approx(d["net_gain"]["realized"])
    assert got["net_gain_promised"] == pytest.approx(d["net_gain"]["promised"])
    assert got["overbilled"] == pytest.approx(d["fees"]["overbilled"]) == 150.0
    assert got["sla_missed"] == sum(not s["met"] for s in d["sla"])
    assert got["exit_cost"] == pytest.approx(d["exit_cost"])


@pytest.mark.parametrize("name", WORKED)
def test_worked_notebooks_show_no_claim_ids_and_no_errors(worked, name):
    nb, _ = worked(name)
    text = _output_text(nb)
    assert not _claim_ids() & set(re.findall(r"[A-Za-z]+\d+", text))
    assert not [o for c in nb.cells for o in c.get("outputs", [])
                if o.get("output_type") == "error" or o.get("name") == "stderr"]
    # every chart drawn offline, as SVG: nothing fetched from a CDN
    assert "cdn.jsdelivr" not in text and "<svg" in text
