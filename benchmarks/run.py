"""Run every benchmark in this folder, one after another: ``python benchmarks/run.py``."""
import subprocess
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
failed = 0
for bench in sorted(here.glob("bench_*.py")):
    print(f"== {bench.name}", flush=True)
    failed |= subprocess.run([sys.executable, str(bench)]).returncode != 0
sys.exit(1 if failed else 0)
