import os
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


@pytest.fixture(autouse=True)
def _reports_only_when_asked(request, monkeypatch):
    """Fast tests open the app's steps by the dozen and download nothing: the app starts
    no report kernel and begins no report ahead of a click there (RCMMODEL_REPORTS_AHEAD,
    rcmmodel/app/report_maker.py). Slow tests run the app as it ships."""
    if request.node.get_closest_marker("slow") is None:
        monkeypatch.setenv("RCMMODEL_REPORTS_AHEAD", "0")


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


# Hypothesis: each property draws the examples its test names in the full suite (make test);
# the fast loop (make test-fast, or any run whose -m deselects "slow") draws a fifth of them,
# at least 10, since it is run after every edit. RCM_HYPOTHESIS=full or =fast chooses either
# way; the fuzz tests' RCM_FUZZ_EXAMPLES, where set, is taken as given.
_HYPOTHESIS = {"share": 1.0}
_RUN = {"fast_loop": False}         # set in pytest_configure: -m deselects "slow"


def examples(n: int) -> int:
    """``max_examples`` for a property that draws ``n`` in the full suite."""
    return n if _HYPOTHESIS["share"] >= 1 else min(n, max(10, round(n * _HYPOTHESIS["share"])))


def fuzz_examples(n: int) -> int:
    """:func:`examples`, unless RCM_FUZZ_EXAMPLES asks for a number (e.g. 5000 for a hunt)."""
    return int(os.environ.get("RCM_FUZZ_EXAMPLES") or examples(n))


def _hypothesis_share(config) -> float:
    mode = os.environ.get("RCM_HYPOTHESIS", "")
    if mode not in ("", "full", "fast"):
        raise pytest.UsageError(f"RCM_HYPOTHESIS={mode!r}: write full or fast")
    fast_loop = _RUN["fast_loop"]
    return 0.2 if mode == "fast" or (fast_loop and mode != "full") else 1.0


@pytest.fixture(scope="session")
def report_kernel():
    """One warm report kernel for this test process (as a batch worker keeps one; reset
    between reports, see rcmmodel/reports/warm.py): for tests that render reports to read
    them, not to test starting ``rcm report``. Pass it as ``render_bytes(..., kernel=)``."""
    from rcmmodel.reports.warm import WarmKernel

    with WarmKernel() as kernel:
        yield kernel


# Under ``pytest -n N --dist loadfile`` (make test) each file runs on one worker, so a file's
# shared fixtures (rendered reports, the app server and browser, the Dask cluster, loaded
# workbooks) are made once. The longest files go first, so they start at once and the short
# ones fill in around them (a long file collected late would leave one worker busy while
# the others wait). A run in one process keeps the collection order. xdist would hand out
# files by their number of tests instead (longest first by count, not by time): the
# controller turns that off in pytest_configure.
LONG_FILES = ("test_reports.py", "test_browser.py", "test_export_recalc.py", "test_batch.py",
              "test_notebooks_nbval.py")
# The fast loop (-m "not slow") has no report, browser or Dask test: its longest files by CPU
# seconds (2 workers, Dec 2026), longest first, so the two workers finish together rather
# than one waiting for the other's last long file. Files not named here are each under 1 s.
FAST_LONG_FILES = ("test_export_recalc.py", "test_widgets.py", "test_app_owner.py",
                   "test_export.py", "test_claims_lines.py", "test_broken_inputs.py",
                   "test_input_files.py", "test_cli_kpi.py", "test_uncertainty.py",
                   "test_audit_scenario.py", "test_cli_simulate.py", "test_architecture.py",
                   "test_kpi.py", "test_vendors.py", "test_sensitivity.py", "test_x12.py",
                   "test_real_files.py", "test_cli_evaluate.py", "test_light_imports.py",
                   "test_audit.py", "test_convert.py", "test_fees.py", "test_measure.py",
                   "test_capacity.py")


def pytest_collection_modifyitems(config, items):
    if not hasattr(config, "workerinput"):           # not an xdist worker
        return
    long_files = FAST_LONG_FILES if _RUN["fast_loop"] else LONG_FILES

    def rank(item):
        name = item.path.name
        return long_files.index(name) if name in long_files else len(long_files)

    items.sort(key=rank)                              # stable: each part keeps its order


def pytest_configure(config):
    _RUN["fast_loop"] = "not slow" in (config.getoption("markexpr", "") or "")
    _HYPOTHESIS["share"] = _hypothesis_share(config)
    if not hasattr(config, "workerinput"):
        # the xdist controller: files in the workers' collection order (LONG_FILES first),
        # not sorted by their number of tests (--loadscope-reorder, xdist's default)
        config.option.loadscopereorder = False
    # An xdist worker ignores SIGINT (its controller handles Ctrl-C), and an ignored signal
    # stays ignored in every process it starts: give the commands tests start (and signal)
    # the SIGINT a terminal gives them.
    if hasattr(config, "workerinput"):
        import signal

        signal.signal(signal.SIGINT, signal.default_int_handler)
