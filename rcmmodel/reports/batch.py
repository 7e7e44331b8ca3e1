"""Render many practices' reports in parallel, locally or on a Dask cluster (SPEC 8).

Each scenario is one task, :func:`render_task`: it renders in memory and returns the bytes
of every format, or the failure's message. The parent writes the files (each atomically)
and the index page, so a worker needs no access to the output folder: the same task runs in
a local process pool or on a ``dask.distributed`` worker on another machine. One failure
never stops the others.
"""
from __future__ import annotations

import html
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from ..describe import money, safe_href
from ..errors import RcmInputError

SCENARIO_SUFFIXES = (".yaml", ".yml")


@dataclass
class Outcome:
    """One scenario's result in a batch."""

    scenario: str
    ok: bool
    name: str | None = None
    error: str | None = None
    files: dict[str, Path] = field(default_factory=dict)
    figures: dict | None = None
    seconds: float = 0.0


def find_scenarios(paths) -> list[Path]:
    """Scenario files from files and folders (a folder gives its ``*.yaml``/``*.yml``)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(q for q in p.iterdir() if q.suffix.lower() in SCENARIO_SUFFIXES
                            and q.is_file())
        elif p.is_file():
            found.append(p)
        else:
            raise RcmInputError.at(str(p), "", "no such file or folder")
    if not found:
        raise RcmInputError.at(None, "SCENARIO_OR_DIR", "no scenario files (*.yaml) found")
    return list(dict.fromkeys(found))


def render_task(scenario: str, template: str = "decision", formats=("html", "pdf")) -> dict:
    """Render one report in memory; never raises, so one failure cannot stop a batch.

    Returns ``{"ok": True, "name", "data": {format: bytes}, "figures", "seconds"}`` or
    ``{"ok": False, "error": message, "seconds"}``.
    """
    from .render import ReportError, render_bytes

    start = time.perf_counter()
    try:
        data, figures, name = render_bytes(scenario, template, formats)
        return {"ok": True, "name": name, "data": data, "figures": figures,
                "seconds": time.perf_counter() - start}
    except RcmInputError as exc:
        message = "; ".join(str(p) for p in exc.problems)
    except ReportError as exc:
        message = str(exc)
    except Exception as exc:   # a bug, a dead kernel: report it, let the others go on
        message = f"{scenario}: {type(exc).__name__}: {exc}"
    return {"ok": False, "error": message, "seconds": time.perf_counter() - start}


def _stems(scenarios: list[Path], template: str) -> list[str]:
    """Output stems, unique even where two folders hold files of the same name."""
    from .render import output_stem

    seen: dict[str, int] = {}
    out = []
    for s in scenarios:
        stem = output_stem(s, template)
        seen[stem] = seen.get(stem, 0) + 1
        out.append(stem if seen[stem] == 1 else f"{stem}-{seen[stem]}")
    return out


def _local(tasks, workers: int):
    """Yield (index, result) as local worker processes finish."""
    import multiprocessing as mp

    # spawn: each worker starts clean (no inherited threads or zmq state), which kernels need.
    with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn")) as pool:
        futures = {pool.submit(render_task, *t): i for i, t in enumerate(tasks)}
        try:
            for fut in as_completed(futures):
                i = futures[fut]
                try:
                    yield i, fut.result()
                except Exception as exc:   # the worker process died
                    yield i, {"ok": False, "error": f"{tasks[i][0]}: worker failed: {exc}",
                              "seconds": 0.0}
        except BaseException:
            for fut in futures:
                fut.cancel()
            raise


def _dask(tasks, address: str):
    """Yield (index, result) as tasks finish on a Dask distributed cluster."""
    try:
        from distributed import Client, as_completed as dask_completed
    except ImportError:
        raise RcmInputError.at(None, "--scheduler", "dask.distributed is not installed") \
            from None
    try:
        client = Client(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise RcmInputError.at(None, "--scheduler", f"cannot reach {address}: {exc}") from None
    try:
        futures = [client.submit(render_task, *t, pure=False, key=f"rcm-report-{i}-{time.time_ns()}")
                   for i, t in enumerate(tasks)]
        index = {f.key: i for i, f in enumerate(futures)}
        for fut in dask_completed(futures):
            i = index[fut.key]
            try:
                yield i, fut.result()
            except Exception as exc:
                yield i, {"ok": False, "error": f"{tasks[i][0]}: worker failed: {exc}",
                          "seconds": 0.0}
    finally:
        client.close()


def run_batch(paths, out_dir="reports", workers: int | None = None,
              scheduler: str | None = None, template: str = "decision",
              formats=("html", "pdf"), progress: bool = True, log=None) -> list[Outcome]:
    """Render every scenario's report into ``out_dir`` and write ``index.html``.

    Parameters
    ----------
    paths : list of str or Path
        Scenario files and folders of them.
    workers : int, optional
        Local worker processes; default one per core. Ignored with ``scheduler``.
    scheduler : str, optional
        ``tcp://HOST:PORT`` of a Dask scheduler: run the tasks on its workers instead.
    progress : bool
        A tqdm progress bar on stderr.
    log : callable, optional
        Called with a line for each failure (default: printed to stderr).

    Returns
    -------
    list of Outcome
        In the order of the scenarios given.
    """
    from .render import parse_formats, template_path, write_outputs

    template_path(template)
    formats = parse_formats(formats)
    scenarios = find_scenarios(paths)
    workers = workers or os.cpu_count() or 1
    if workers < 1:
        raise RcmInputError.at(None, "--workers", "must be at least 1")
    tasks = [(str(s), template, formats) for s in scenarios]
    stems = _stems(scenarios, template)
    out_dir = Path(out_dir)
    outcomes: list[Outcome | None] = [None] * len(tasks)
    from tqdm.auto import tqdm

    bar = tqdm(total=len(tasks), unit="report", desc="rcm batch", disable=not progress,
               file=sys.stderr)
    say = log or (lambda line: bar.write(line, file=sys.stderr))
    source = _dask(tasks, scheduler) if scheduler else _local(tasks, min(workers, len(tasks)))
    try:
        for i, res in source:
            o = Outcome(scenario=tasks[i][0], ok=res["ok"], seconds=res.get("seconds", 0.0))
            if res["ok"]:
                o.name, o.figures = res["name"], res["figures"]
                try:
                    o.files = write_outputs(res["data"], out_dir, stems[i])
                except OSError as exc:
                    o.ok, o.error = False, f"{o.scenario}: cannot write the report: {exc}"
            else:
                o.error = res["error"]
            if not o.ok:
                say(f"rcm batch: FAILED {o.error}")
            outcomes[i] = o
            bar.update(1)
    finally:
        bar.close()
    write_index(outcomes, out_dir, template)
    return outcomes


def _best(figures: dict | None):
    if not figures or not figures.get("best_vendor"):
        return None
    return next((v for v in figures["vendors"] if v["name"] == figures["best_vendor"]), None)


def index_html(outcomes: list[Outcome], out_dir: Path, template: str) -> str:
    """The batch's index page: every practice with its key figures and links, every failure."""
    e = html.escape
    rows = []
    for o in sorted((o for o in outcomes if o.ok), key=lambda o: (o.name or "").lower()):
        best = _best(o.figures)
        # relative and URL-quoted: a file named "javascript:alert(1).yaml" stays a file
        links = " ".join(f'<a href="{e(safe_href(p.name))}">{fmt.upper()}</a>'
                         for fmt, p in o.files.items())
        if best:
            cells = [e(best["name"]), money(best["annual"]["net_gain"]),
                     money(best["timeline"]["npv"]),
                     f"month {best['timeline']['payback_month']}"
                     if best["timeline"].get("payback_month") else "—"]
        else:
            cells = ["—"] * 4
        rows.append(f"<tr><td>{e(o.name or o.scenario)}</td><td>{e(Path(o.scenario).name)}</td>"
                    + "".join(f'<td class="num">{c}</td>' if k else f"<td>{c}</td>"
                              for k, c in enumerate(cells)) + f"<td>{links}</td></tr>")
    failed = [o for o in outcomes if not o.ok]
    fail_rows = "".join(f"<tr><td>{e(Path(o.scenario).name)}</td><td>{e(o.error or '')}</td></tr>"
                        for o in failed)
    ok = len(outcomes) - len(failed)
    failures = (f"<h2>Failures ({len(failed)})</h2><table class=\"failures\"><thead><tr>"
                f"<th>scenario</th><th>what went wrong</th></tr></thead><tbody>{fail_rows}"
                "</tbody></table>") if failed else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>rcmmodel reports</title>
<style>body{{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#222}}
table{{border-collapse:collapse;margin:8px 0 16px}}th,td{{border-bottom:1px solid #d9e2ec;
padding:4px 10px;text-align:left}}th{{background:#f0f4f8}}td.num{{text-align:right}}
h1,h2{{color:#12355b}}.failures td{{color:#c62828}}</style></head><body>
<h1>rcmmodel reports</h1>
<p>{ok} of {len(outcomes)} practices rendered ({e(template)} report),
{time.strftime('%Y-%m-%d %H:%M')}.</p>
<table><thead><tr><th>practice</th><th>scenario</th><th>best vendor</th><th>net gain / year</th>
<th>NPV</th><th>payback</th><th>report</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
{failures}
</body></html>
"""


def write_index(outcomes: list[Outcome], out_dir, template: str) -> Path:
    from .._files import atomic_path

    target = Path(out_dir) / "index.html"
    with atomic_path(target) as tmp:
        tmp.write_text(index_html(outcomes, Path(out_dir), template), encoding="utf-8")
    return target
