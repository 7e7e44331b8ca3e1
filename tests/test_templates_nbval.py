"""nbval over templates/: each template runs headless with its default parameters (the
guide example, found relative to templates/). The templates are stored without outputs, so
``--nbval-lax`` checks that every cell runs; the figures are compared with
``rcm evaluate --json`` in test_reports.py, on papermill-executed copies."""
from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_nbval_runs_every_template():
    proc = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env",
                           "-q", "-p", "no:cacheprovider", str(ROOT / "templates")],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout
