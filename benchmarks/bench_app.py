"""Benchmark: server-side time from a slider change to updated figures and charts (issue 7).

Drives the calculator's widget handlers in-process, as the kernel does when a slider
moves: set the uplift slider, and time until the kernel has

* figures: recomputed the net gain and the table, and
* figures + charts: built the three charts' Vega-Lite specs and sent every widget update
  of the move (figures, specs) to the page. The page draws the charts itself with the
  bundled renderer (rcmmodel.app.vega), so this is the whole of the kernel's work.

"Sent" is measured honestly: the widgets' comm is replaced by one that packs each message
with jupyter_client's JSON packer, as ipykernel does before it goes on the wire.

For comparison it also times the previous way, rendering the same three charts to SVG in
the kernel with vl-convert (three worker threads, schema validation off), as the app did
before the charts moved to the browser.

Goal: under 100 ms. Reports median and p95 over many slider moves, for the guide example
(1 quote) and a 3-quote practice; exits 1 where the p95 of figures + charts misses it.

    .venv/bin/python benchmarks/bench_app.py [--moves N] [--no-svg] [--json]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_MS = 100.0


def _p95(xs):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def _stats(xs):
    return {"median": statistics.median(xs), "p95": _p95(xs)}


class _Wire:
    """Counts what the widgets send: every message packed as ipykernel packs it."""

    bytes = 0
    messages = 0


def _install_packing_comm() -> None:
    import comm
    from comm.base_comm import BaseComm
    from jupyter_client.session import json_packer

    class PackingComm(BaseComm):
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            content = {"data": data or {}, "comm_id": self.comm_id, **keys}
            _Wire.bytes += len(json_packer(content)) + len(json_packer(metadata or {}))
            _Wire.bytes += sum(len(memoryview(b).cast("B")) for b in buffers or [])
            _Wire.messages += 1

    comm.create_comm = PackingComm


def _svg_path(calc, pool) -> float:
    """ms to build the charts and render them to SVG in the kernel (the previous app)."""
    import vl_convert as vlc

    from rcmmodel.app.calculator import calculator_charts

    t = time.perf_counter()
    specs = [c.to_dict(validate=False) for c in calculator_charts(calc.result,
                                                                     calc.vendor.value)]
    svgs = list(pool.map(vlc.vegalite_to_svg, specs))
    assert all("<svg" in s for s in svgs)
    return 1e3 * (time.perf_counter() - t)


def measure(scenario: Path, moves: int, svg: bool = True) -> dict:
    from rcmmodel.app import Calculator

    calc = Calculator(str(scenario))          # opens, draws once: warms the imports
    slider = calc.fields["uplift"].slider
    values = [5.0 + 0.5 * (i % 30) for i in range(moves + 1)]
    figures, specs, total, old, sent = [], [], [], [], []
    pool = ThreadPoolExecutor(max_workers=3)
    if svg:
        _svg_path(calc, pool)                 # warms vl-convert
    for v in values[1:]:
        if v == slider.value:
            v += 0.25
        before = calc.charts.specs["cash"]
        wire = _Wire.bytes
        t0 = time.perf_counter()
        slider.value = v                      # the handler chain a slider move runs
        total.append(1e3 * (time.perf_counter() - t0))
        sent.append(_Wire.bytes - wire)
        figures.append(calc.timings["figures_ms"])
        specs.append(calc.timings["charts_ms"])
        assert calc.charts.specs["cash"] != before, "the chart specs did not follow the move"
        if svg:
            old.append(figures[-1] + _svg_path(calc, pool))
    pool.shutdown()
    out = {"scenario": scenario.name, "moves": moves, "figures_ms": _stats(figures),
           "chart_specs_ms": _stats(specs), "figures_and_charts_ms": _stats(total),
           "sent_kb_per_move": statistics.median(sent) / 1024}
    if svg:
        out["previous_svg_in_kernel_ms"] = _stats(old)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=60)
    ap.add_argument("--no-svg", action="store_true",
                    help="skip timing the previous SVG-in-the-kernel charts")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    _install_packing_comm()
    results = [measure(ROOT / "scenarios" / name, args.moves, svg=not args.no_svg)
               for name in ("guide-example.yaml", "orthopaedic-group.yaml")]
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        ms = lambda s: f"median {s['median']:.1f} ms, p95 {s['p95']:.1f} ms"
        for r in results:
            print(f"{r['scenario']} ({r['moves']} slider moves)")
            print(f"  figures                          {ms(r['figures_ms'])}")
            print(f"  chart specs (3 charts)           {ms(r['chart_specs_ms'])}")
            print(f"  figures + charts, sent           {ms(r['figures_and_charts_ms'])}"
                  f"  ({r['sent_kb_per_move']:.0f} KB a move; goal < {GOAL_MS:.0f} ms)")
            if "previous_svg_in_kernel_ms" in r:
                print(f"  before: figures + 3 SVG charts   "
                      f"{ms(r['previous_svg_in_kernel_ms'])}")
    return 0 if all(r["figures_and_charts_ms"]["p95"] < GOAL_MS for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
