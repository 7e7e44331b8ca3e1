"""What the batch benchmarks share (``bench_batch.py``, ``bench_batch_memory.py``): the
example prospect list repeated to a size, running ``rcm`` as a user types it, CPU time and
resident memory of processes, and the machine's load.

Not a benchmark itself (``run.py`` runs ``bench_*.py`` only).
"""
from __future__ import annotations

import csv
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "scenarios" / "prospects"
OFFER = EXAMPLES / "offer-example.yaml"


def prospect_list(path: Path, n: int) -> Path:
    """The example prospect list repeated to ``n`` rows, each with its own name."""
    with open(EXAMPLES / "prospects-example.csv", newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows, header = list(reader), reader.fieldnames
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for i in range(n):
            row = dict(rows[i % len(rows)])
            row["name"] = f"{row['name']} {i + 1:04d}"
            writer.writerow(row)
    return path


def scenario_files(csv_path: Path, folder: Path) -> list[Path]:
    """One scenario file per prospect of a list, with the example offer."""
    from rcmmodel.reports.prospects import load_offer, read_prospects, scenario_yaml

    folder.mkdir(exist_ok=True)
    out = []
    for p in read_prospects(csv_path, load_offer(OFFER)):
        target = folder / f"{p.slug}.yaml"
        target.write_text(scenario_yaml(p.scenario), encoding="utf-8")
        out.append(target)
    return out


def children_cpu() -> float:
    """CPU seconds (user + system) of every waited-for descendant of this process so far."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def whole(argv, cwd=ROOT, env=None) -> tuple[float, float]:
    """Run a command as a user would: (wall seconds, CPU seconds of it and everything it
    started and waited for, kernels and workers included)."""
    before = children_cpu()
    start = time.perf_counter()
    proc = subprocess.run(list(map(str, argv)), cwd=cwd, capture_output=True, text=True,
                          env=env)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, argv))} failed:\n{proc.stderr[-3000:]}")
    return wall, children_cpu() - before


def rcm(*argv) -> tuple[float, float]:
    """``rcm ARGV`` as a user types it: (wall seconds, CPU seconds of the whole tree)."""
    return whole([sys.executable, "-m", "rcmmodel", *argv])


def cpu_seconds(pids) -> float:
    """CPU seconds so far of the given live processes (the gone ones count 0)."""
    import psutil

    total = 0.0
    for pid in pids:
        try:
            t = psutil.Process(pid).cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def status_mb(pid: int, key: str) -> float:
    """A /proc/PID/status memory figure in MB: ``VmRSS`` (resident now) or ``VmHWM`` (the
    peak resident, the high-water mark); 0 for a process that is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def rss_mb(pids) -> float:
    """Resident memory now of the given processes together, MB."""
    return sum(status_mb(pid, "VmRSS") for pid in pids)


def peak_mb_self() -> float:
    """This process's peak resident memory, MB (``ru_maxrss``: this process alone)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load() -> str:
    """The machine's load averages and cores, to print beside every timing."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.1f} {five:.1f} {fifteen:.1f} on {os.cpu_count()} cores"


def median(values) -> float:
    values = [v for v in values if v == v]
    return statistics.median(values) if values else float("nan")
