"""The notebooks in notebooks/: they run headless (nbval), are stored stripped, and the
figures they show are the library's.

nbval runs in a subprocess over notebooks/ with ``--nbval-lax``: the notebooks are
committed without outputs, so there is nothing to compare cell by cell; the figures are
checked here instead, by running each notebook and asking its panel for them.
"""
from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT

pytestmark = pytest.mark.slow

NOTEBOOKS = ROOT / "notebooks"
BOOKS = sorted(NOTEBOOKS.glob("*.ipynb"))


def test_the_app_notebooks_are_there():
    names = {p.name for p in BOOKS}
    assert {"app.ipynb", "calculator.ipynb", "compare-quotes.ipynb",
            "claims-review.ipynb"} <= names


@pytest.mark.parametrize("path", BOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name
    assert nb.metadata.kernelspec.name == "python3"


def test_nbval_runs_every_notebook():
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "-q", "-p",
                           "no:cacheprovider", str(NOTEBOOKS)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


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
