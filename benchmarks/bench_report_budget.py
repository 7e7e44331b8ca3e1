"""Where a report's time goes: a cold ``rcm report`` against a warm worker, stage by stage.

For one scenario and template (default: the example offer's proposal for the first
example prospect, HTML + PDF), it times

* **cold**: ``rcm report`` as a user types it, a whole process (wall and CPU seconds);
* **stages**, as the cold command runs them: Python and the command's own imports, the
  kernel's start, the kernel's imports (pandas, altair, the library), the template's run
  (of which: drawing the charts, vl-convert), the HTML page and the PDF (WeasyPrint);
* **warm**: the same report on a kept kernel, as a batch worker makes it (median of
  several), and the ratio cold / warm (goal: >= 3x).

Figures depend on the machine's load, printed with them; run it on a quiet machine.

    .venv/bin/python benchmarks/bench_report_budget.py [--scenario S] [--template T] [--runs N]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TIMER = """
import time as _t, rcmmodel.present.charts as _c
if not hasattr(_c, "_bench_to_svg"):
    _c._bench_to_svg, _c._bench_seconds = _c.to_svg, 0.0
    def _timed(chart, _f=_c._bench_to_svg, _clock=_t.perf_counter, _m=_c):
        s = _clock()
        try:
            return _f(chart)
        finally:
            _m._bench_seconds += _clock() - s
    _c.to_svg = _timed
_c._bench_seconds = 0.0
"""


def _whole(argv) -> tuple[float, float]:
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, *argv], cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _scenario(args, tmp: Path) -> tuple[Path, dict]:
    if args.scenario:
        return Path(args.scenario), {}
    from rcmmodel.reports.prospects import load_offer, read_prospects, scenario_yaml

    folder = ROOT / "scenarios" / "prospects"
    first = next(p for p in read_prospects(folder / "prospects-example.csv",
                                           load_offer(folder / "offer-example.yaml")) if p.ok)
    path = tmp / f"{first.slug}.yaml"
    path.write_text(scenario_yaml(first.scenario), encoding="utf-8")
    return path, {}


def _run(kernel, code: str, expressions=None) -> dict:
    reply = kernel._loop.run_until_complete(kernel.kc.execute_interactive(
        code, silent=False, store_history=False, user_expressions=expressions or {},
        output_hook=lambda msg: None, timeout=600))
    return reply["content"].get("user_expressions", {})


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", help="a scenario file (default: the first example prospect)")
    ap.add_argument("--template", default="proposal")
    ap.add_argument("--runs", type=int, default=5, help="warm reports timed")
    args = ap.parse_args(argv)
    from rcmmodel.reports.render import (KERNEL_NAME, execute, kernel_manager_class,
                                         to_html, to_pdf)
    from rcmmodel.reports.warm import PRELUDE, WarmKernel

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        scenario, params = _scenario(args, tmp)
        fmt = ["--format", "html,pdf", "-o", str(tmp / "out"), "--template", args.template]
        cold = _whole(["-m", "rcmmodel", "report", str(scenario), *fmt])
        python = _whole(["-c", "pass"])
        command = _whole(["-c", "import rcmmodel.cli.main, rcmmodel.reports.render, "
                                "rcmmodel.scenario"])

        import asyncio

        async def start_only():
            km = kernel_manager_class()(kernel_name=KERNEL_NAME)
            t = time.perf_counter()
            await km.start_kernel()
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=120)
            took = time.perf_counter() - t
            kc.stop_channels()
            await km.shutdown_kernel(now=True)
            return took

        kernel_start = asyncio.new_event_loop().run_until_complete(start_only())

        kernel = WarmKernel()
        t = time.perf_counter()
        kernel.start()                              # start + PRELUDE
        start_and_imports = time.perf_counter() - t
        imports = max(0.0, start_and_imports - kernel_start)
        stages = {"template": [], "charts": [], "html": [], "pdf": []}
        warm = []
        title = "benchmark"
        if args.template == "proposal":
            from rcmmodel.reports.outputs import offer_vendor
            from rcmmodel.scenario import load_scenario

            params = {"vendor": offer_vendor(load_scenario(scenario))}
        for i in range(args.runs + 1):
            _run(kernel, TIMER)
            t0 = time.perf_counter()
            nb = execute(scenario, args.template, params, kernel=kernel)
            t1 = time.perf_counter()
            charts = float(_run(kernel, "pass", {"s": "__import__('rcmmodel.present.charts')"
                                                      ".present.charts._bench_seconds"})
                           ["s"]["data"]["text/plain"])
            page = to_html(nb, title)
            t2 = time.perf_counter()
            to_pdf(to_html(nb, title, inline_css=False))
            t3 = time.perf_counter()
            if i == 0:
                first = (t1 - t0, charts, t2 - t1, t3 - t2)
                continue                            # the first pays one-time setup
            for k, v in zip(stages, (t1 - t0, charts, t2 - t1, t3 - t2)):
                stages[k].append(v)
            warm.append(t3 - t0)
        kernel.close()
    med = {k: statistics.median(v) for k, v in stages.items()}
    w = statistics.median(warm)
    print(f"{args.template} report of {scenario.name}, HTML + PDF; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  cold rcm report, whole process     {cold[0]:6.2f} s wall  {cold[1]:6.2f} s CPU")
    print("  its stages:")
    print(f"    Python start                     {python[0]:6.2f} s")
    print(f"    the command's imports            {command[0] - python[0]:6.2f} s")
    print(f"    kernel start                     {kernel_start:6.2f} s")
    print(f"    kernel imports (prelude)         {imports:6.2f} s")
    print(f"    template run (first in kernel)   {first[0]:6.2f} s  (charts {first[1]:.2f} s)")
    print(f"    HTML page                        {first[2]:6.2f} s")
    print(f"    PDF (first in process)           {first[3]:6.2f} s")
    print(f"  warm worker, median of {args.runs}:")
    print(f"    template run                     {med['template']:6.2f} s  "
          f"(charts {med['charts']:.2f} s)")
    print(f"    HTML page                        {med['html']:6.2f} s")
    print(f"    PDF                              {med['pdf']:6.2f} s")
    print(f"    a report in all                  {w:6.2f} s")
    print(f"  cold / warm                        {cold[0] / w:6.2f}x  (goal >= 3x)")
    print(f"  cold under 4 s                     {'yes' if cold[0] < 4 else 'no'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
