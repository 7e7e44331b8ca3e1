"""What a command or a computing module pulls in, measured in a fresh Python process.

One process runs the steps in order, lightest first, and records which heavy libraries are
loaded after each. Imports only ever add modules, so a library missing after a step was not
loaded by that step, nor by the steps before it: each test below fails exactly when its
step, or one before it, loads the library.
"""
import json
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT, SCENARIOS

HEAVY = ("pandas", "scipy", "altair", "pydantic", "papermill")

STEPS = textwrap.dedent(f"""
    import contextlib, io, json, sys
    seen = {{}}

    def note(step):
        seen[step] = [m for m in {HEAVY!r} if m in sys.modules]

    from rcmmodel.cli import main
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            main(["--help"])
        except SystemExit:
            pass
    note("help")

    import rcmmodel
    rcmmodel.evaluate(rcmmodel.load_scenario({str(SCENARIOS / 'guide-example.yaml')!r})).to_dict()
    note("evaluate")

    import rcmmodel.risk.uncertainty, rcmmodel.risk.sensitivity, rcmmodel.risk.capacity
    note("risk")

    import rcmmodel.vendors.ranking, rcmmodel.vendors, rcmmodel.scenario.quotes
    note("vendors")
    print(json.dumps(seen))
""")


@pytest.fixture(scope="module")
def loaded():
    proc = subprocess.run([sys.executable, "-c", STEPS], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_help_imports_no_heavy_library(loaded):
    """`rcm --help` must be instant: no pandas, scipy, altair or pydantic behind it."""
    assert loaded["help"] == []


def test_evaluate_to_dict_builds_no_dataframe(loaded):
    assert "pandas" not in loaded["evaluate"]


def test_risk_modules_do_not_import_altair(loaded):
    assert "altair" not in loaded["risk"]


def test_vendor_modules_do_not_import_altair(loaded):
    assert "altair" not in loaded["vendors"]
