"""The layers are a checked contract (import-linter, contracts in pyproject.toml), and no
module grows past what one reader can hold."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT / "rcmmodel"


def test_import_contracts_hold():
    exe = shutil.which("lint-imports") or str(Path(sys.executable).parent / "lint-imports")
    if not Path(exe).exists():
        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    out = subprocess.run([exe, "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:]
    kept = [line for line in out.stdout.splitlines() if line.rstrip().endswith("KEPT")]
    assert len(kept) >= 3, out.stdout


def test_no_module_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in PKG.rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 400}
    assert not long, long


def test_at_most_ten_top_level_modules():
    top = sorted(p.name for p in PKG.glob("*.py"))
    assert len(top) <= 10, top


def test_every_subpackage_declares_its_door():
    for init in PKG.glob("*/__init__.py"):
        assert "__all__" in init.read_text(), init
