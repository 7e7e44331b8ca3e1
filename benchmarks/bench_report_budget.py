"""Where a report's time goes: a cold ``rcm report`` against a warm worker, stage by stage.

For one scenario and template (default: the example offer's proposal for the first
example prospect, HTML + PDF), it times, wall and CPU seconds,

* **cold**: ``rcm report`` as a user types it, a whole process (median of ``--cold`` runs);
* **stages**, as the cold command runs them: Python and the command's own imports, its
  checks before any kernel starts (the scenario loaded and measured, the proposal's vendor
  decided), the kernel's start with its imports (the kernel imports pandas, altair and the
  library as it starts, and starts vl-convert's engine in a thread meanwhile, while the
  parent readies nbconvert and WeasyPrint), the template's run (of which: drawing the
  charts, vl-convert), the HTML page and the PDF (WeasyPrint). The cold command then
  dismisses its kernel without waiting for it and leaves without tearing the interpreter
  down; whatever the stages do not account for is printed as the rest;
* **warm**: the same report on a kept kernel, as a batch worker makes it (median of
  several), and the ratio cold / warm (goal: >= 3x; ``bench_batch.py`` times it with a
  batch's start-up counted, as a user sees it).

Figures depend on the machine's load, printed with them; run it on a quiet machine.

    .venv/bin/python benchmarks/bench_report_budget.py [--scenario S] [--template T] [--runs N]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
from batch_common import cpu_seconds, load, median, whole  # noqa: E402
# The cold command's checks before its kernel starts (as rcm report runs them).
CHECKS = """
import rcmmodel.cli.main, rcmmodel.reports.render, rcmmodel.scenario
from rcmmodel.cli.commands._common import measured_scenario
from rcmmodel.reports.outputs import is_proposal, offer_vendor
s = measured_scenario({path!r})
if is_proposal({template!r}):
    offer_vendor(s)
"""
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


def _clock(kernel=None) -> tuple[float, float]:
    """(wall, CPU of this process and, if given, of the kernel) now."""
    return (time.perf_counter(),
            time.process_time() + (cpu_seconds([kernel.pid]) if kernel is not None else 0.0))


def _since(t0, kernel=None) -> tuple[float, float]:
    t1 = _clock(kernel)
    return t1[0] - t0[0], t1[1] - t0[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", help="a scenario file (default: the first example prospect)")
    ap.add_argument("--template", default="proposal")
    ap.add_argument("--runs", type=int, default=5, help="warm reports timed")
    ap.add_argument("--cold", type=int, default=3, help="cold rcm report runs (median)")
    args = ap.parse_args(argv)
    from rcmmodel.reports.convert import html_body, page_html, prepare, to_pdf
    from rcmmodel.reports.render import execute
    from rcmmodel.reports.warm import WarmKernel

    py = [sys.executable]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        scenario, params = _scenario(args, tmp)
        fmt = ["--format", "html,pdf", "-o", str(tmp / "out"), "--template", args.template]
        colds = [whole(py + ["-m", "rcmmodel", "report", str(scenario), *fmt])
                 for _ in range(args.cold)]
        python = whole(py + ["-c", "pass"])
        command = whole(py + ["-c", "import rcmmodel.cli.main, rcmmodel.reports.render, "
                                    "rcmmodel.scenario"])
        checks = whole(py + ["-c", CHECKS.format(path=str(scenario), template=args.template)])
        imports = whole(py + ["-c", "import rcmmodel.reports.kernel_state as s; s.prelude()"])

        kernel = WarmKernel()
        t = _clock()
        prepared = []

        def meanwhile():
            t = _clock()
            prepare(("html", "pdf"))
            prepared.append(_since(t))

        kernel.start(meanwhile)
        start = _since(t, kernel)                   # start + imports, + the parent's prepare
        if args.template == "proposal":
            from rcmmodel.reports.outputs import offer_vendor
            from rcmmodel.scenario import load_scenario

            params = {"vendor": offer_vendor(load_scenario(scenario))}
        stages = {"template": [], "charts": [], "html": [], "pdf": []}
        warm = []
        title = "benchmark"
        for i in range(args.runs + 1):
            _run(kernel, TIMER)
            t0 = _clock(kernel)
            nb = execute(scenario, args.template, params, kernel=kernel)
            template = _since(t0, kernel)
            charts = float(_run(kernel, "pass", {"s": "__import__('rcmmodel.present.charts')"
                                                      ".present.charts._bench_seconds"})
                           ["s"]["data"]["text/plain"])
            t1 = _clock()
            body = html_body(nb)
            page_html(body, title)
            html = _since(t1)
            t2 = _clock()
            to_pdf(page_html(body, title, inline_css=False))
            pdf = _since(t2)
            if i == 0:
                first = (template, charts, html, pdf)
                continue                            # the first pays one-time setup
            for k, v in zip(stages, (template, charts, html, pdf)):
                stages[k].append(v)
            warm.append((template[0] + html[0] + pdf[0], template[1] + html[1] + pdf[1]))
        kernel.close()
    med = {k: (median([x[0] for x in v]) if k != "charts" else median(v),
               median([x[1] for x in v]) if k != "charts" else 0.0)
           for k, v in stages.items()}
    w = (median([x[0] for x in warm]), median([x[1] for x in warm]))
    cold = (median([c[0] for c in colds]), median([c[1] for c in colds]))
    print(f"{args.template} report of {scenario.name}, HTML + PDF; {load()}")
    print("                                       wall       CPU")
    print(f"  cold rcm report, whole process     {cold[0]:6.2f} s  {cold[1]:6.2f} s"
          f"   (median of {len(colds)})")
    print("  its stages, in the order they run:")
    print(f"    Python start                     {python[0]:6.2f} s  {python[1]:6.2f} s")
    print(f"    the command's imports            {command[0] - python[0]:6.2f} s  "
          f"{command[1] - python[1]:6.2f} s")
    print(f"    its checks before the kernel     {checks[0] - command[0]:6.2f} s  "
          f"{checks[1] - command[1]:6.2f} s   (scenario loaded, measured; vendor decided)")
    print(f"    kernel start and its imports     {start[0]:6.2f} s  {start[1]:6.2f} s"
          "   (both processes)")
    print(f"      of which the imports           {imports[0] - python[0]:6.2f} s  "
          f"{imports[1] - python[1]:6.2f} s   (in the kernel, with vl-convert's start "
          "in a thread)")
    print(f"      meanwhile in the parent: nbconvert and WeasyPrint readied "
          f"{prepared[0][0]:.2f} s wall, {prepared[0][1]:.2f} s CPU")
    print(f"    template run (first in kernel)   {first[0][0]:6.2f} s  {first[0][1]:6.2f} s"
          f"   (charts {first[1]:.2f} s)")
    print(f"    HTML page                        {first[2][0]:6.2f} s  {first[2][1]:6.2f} s")
    print(f"    PDF (first in process)           {first[3][0]:6.2f} s  {first[3][1]:6.2f} s")
    staged = (checks[0] + start[0] + first[0][0] + first[2][0] + first[3][0],
              checks[1] + start[1] + first[0][1] + first[2][1] + first[3][1])
    print(f"    the rest (kernel dismissed, files written, exit; waits between stages)\n"
          f"                                     {cold[0] - staged[0]:6.2f} s  "
          f"{cold[1] - staged[1]:6.2f} s")
    print(f"  warm worker, median of {args.runs}:")
    print(f"    template run                     {med['template'][0]:6.2f} s  "
          f"{med['template'][1]:6.2f} s   (charts {med['charts'][0]:.2f} s)")
    print(f"    HTML page                        {med['html'][0]:6.2f} s  {med['html'][1]:6.2f} s")
    print(f"    PDF                              {med['pdf'][0]:6.2f} s  {med['pdf'][1]:6.2f} s")
    print(f"    a report in all                  {w[0]:6.2f} s  {w[1]:6.2f} s")
    print(f"  cold / warm                        {cold[0] / w[0]:6.2f}x  {cold[1] / w[1]:6.2f}x"
          "  (goal >= 3x; a warm report here excludes a batch's start-up: bench_batch.py "
          "counts it)")
    print(f"  cold under 4 s                     {'yes' if cold[0] < 4 else 'no'}")
    print(f"  {load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
