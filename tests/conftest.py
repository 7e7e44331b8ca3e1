import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SAMPLES = ROOT / "tests" / "data" / "x12"   # copies of the shared samples (SOURCES.txt)
sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def root():
    return ROOT


def guide_dict(**vendor):
    """The guide's worked example as a scenario mapping; ``vendor`` overrides the quote."""
    quote = {"name": "Acme", "pricing": {"model": "percentage", "rate": 0.07}, "uplift": 0.10}
    quote.update(vendor)
    return {"schema": "rcmmodel/v1", "name": "Guide",
            "practice": {"annual_collections": 500000, "claims_per_month": 400},
            "inhouse": {"annual_cost": 40000}, "vendors": [quote]}


def rcm_inprocess(*args, cwd=None):
    """Run ``rcm ARGS`` in this process (fast) and return what a subprocess would:
    ``returncode``, ``stdout`` and ``stderr``. A few smoke tests still run the real command."""
    import contextlib
    import io
    import os
    import subprocess

    from rcmmodel.cli import main

    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:          # argparse's usage errors and --help
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    finally:
        os.chdir(old)
    return subprocess.CompletedProcess(["rcm", *map(str, args)], code, out.getvalue(),
                                       err.getvalue())
