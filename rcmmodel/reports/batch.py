"""Render many practices' reports in parallel, locally or on a Dask cluster
(docs/architecture.md, "Batches and scale").

Two kinds of batch: scenario files (``rcm batch SCENARIO_OR_DIR...``), and a prospect list
with one offer (``rcm batch --prospects LIST.csv --offer OFFER.yaml``, see
:mod:`.prospect_batch`). Each report is one job, :func:`render_job`: a worker renders it in memory
on its warm kernel and returns the bytes of every format, or the failure's message. The
parent writes the files (each set atomically) and the index, so a worker needs no access to
the output folder: the same job runs in a local process pool or on a Dask worker elsewhere.
One failure never stops the others; a signal stops them all (see :mod:`.pool`).
"""
from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .._files import FOLDER_ERRORS, regular_file
from ..describe import safe_text
from ..errors import RcmInputError
from . import batch_index, pool

SCENARIO_SUFFIXES = (".yaml", ".yml")


@dataclass
class Outcome:
    """One practice's result in a batch."""

    scenario: str                 # what the user gave: a scenario path, or "row N"
    ok: bool = False
    name: str | None = None
    error: str | None = None
    files: dict[str, Path] = field(default_factory=dict)
    figures: dict | None = None   # :func:`brief`: the few figures the index shows
    seconds: float = 0.0
    done: bool = False            # False: the run stopped before this one was rendered


def brief(figures: dict | None) -> dict | None:
    """What the index and the summary show of a report's figures (each vendor's net gain,
    ROI, NPV and payback; the decision), and nothing else: a batch keeps this much per
    practice, not the whole evaluation, so its memory stays flat over thousands."""
    if not figures:
        return None
    decision = figures.get("decision") or {}
    audit = figures.get("audit") or {}
    if audit:                   # an audit report: what its index shows
        return {"audit": {"vendor": audit.get("vendor"), "verdict": audit.get("verdict"),
                          "net_gain": {k: (audit.get("net_gain") or {}).get(k)
                                       for k in ("realized", "promised")},
                          "fees": {"overbilled": (audit.get("fees") or {}).get("overbilled")}}}
    return {"decision": {k: decision.get(k) for k in ("recommended", "verdict", "alternative")},
            "vendors": [{"name": v.get("name"),
                         "annual": {k: (v.get("annual") or {}).get(k)
                                    for k in ("net_gain", "roi")},
                         "timeline": {k: (v.get("timeline") or {}).get(k)
                                      for k in ("npv", "payback_month")}}
                        for v in figures.get("vendors") or []]}


def find_scenarios(paths) -> list[Path]:
    """Scenario files from files and folders (a folder gives its ``*.yaml``/``*.yml``)."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(q for q in p.iterdir() if q.suffix.lower() in SCENARIO_SUFFIXES
                            and q.is_file())
        elif p.is_file():
            found.append(p)
        elif p.exists():          # a device or a pipe: named as what it is
            regular_file(p)
        else:
            raise RcmInputError.at(str(p), "", "no such file or folder")
    if not found:
        raise RcmInputError.at(None, "SCENARIO_OR_DIR", "no scenario files (*.yaml) found")
    return list(dict.fromkeys(found))


# ------------------------------------------------------------------ the job, in a worker

def render_job(job: dict) -> dict:
    """Render one report in memory on this worker's warm kernel; never raises.

    ``job``: ``scenario`` (a path) or ``yaml`` (the scenario's text, for a worker on
    another machine) with ``stem``; ``template``, ``formats``, ``parameters``.
    Returns ``{"ok": True, "name", "data": {format: bytes}, "figures", "seconds"}`` or
    ``{"ok": False, "error": message, "seconds"}``.
    """
    from .render import ReportError, render_bytes
    from .warm import worker_kernel

    start = time.perf_counter()
    path = job.get("scenario")
    scratch = None        # a folder of the job's own for a scenario given as text, removed after
    try:
        if path is None:
            scratch = tempfile.TemporaryDirectory(prefix="rcm-batch-")
            path = Path(scratch.name) / f"{job['stem']}.yaml"
            path.write_text(job["yaml"], encoding="utf-8")
        data, figures, name = render_bytes(path, job["template"], job["formats"],
                                           job.get("parameters"), kernel=worker_kernel(),
                                           brand=job.get("brand"))
        return {"ok": True, "name": name, "data": data, "figures": figures,
                "seconds": time.perf_counter() - start}
    except RcmInputError as exc:
        message = "; ".join(str(p) for p in exc.problems)
    except ReportError as exc:
        message = str(exc)
    except Exception as exc:   # a bug: report it, let the others go on
        message = f"{type(exc).__name__}: {exc}"
    finally:
        if scratch is not None:
            scratch.cleanup()
    # a temporary file's name, or a path made absolute for the cluster, as the user gave it
    label = job.get("label", job["stem"] if job.get("yaml") is not None else None)
    if label is not None:
        message = message.replace(str(path), label)
    return {"ok": False, "error": message, "seconds": time.perf_counter() - start}


# ------------------------------------------------------------------ running a batch
def run_jobs(jobs: list[dict], outcomes: list[Outcome], out_dir: Path, workers, scheduler,
           progress: bool, log, on_index, keep=brief) -> None:
    """Run ``jobs``; fill ``outcomes`` (same order) and write each report as it arrives.
    Each outcome keeps ``keep(figures)`` of its report's figures (:func:`brief` by default).

    On a signal the index is rewritten to list what was not rendered, then the
    :class:`~rcmmodel.reports.pool.Interrupted` (or KeyboardInterrupt) propagates.
    """
    from tqdm.auto import tqdm

    from .render import write_outputs

    todo = [i for i, o in enumerate(outcomes) if not o.done]
    bar = tqdm(total=len(outcomes), initial=len(outcomes) - len(todo), unit="report",
               desc="rcm batch", disable=not progress, file=sys.stderr, dynamic_ncols=True)
    say = log or (lambda line: bar.write(safe_text(line), file=sys.stderr))
    failed = sum(1 for o in outcomes if o.done and not o.ok)
    if failed:
        bar.set_postfix(failed=failed)
    selected = [jobs[i] for i in todo]
    if not selected:
        bar.close()
        on_index()
        return
    try:
        with pool.signals_stop_batch():
            if scheduler:
                source = pool.dask(selected, scheduler, render_job)
            else:
                source = pool.local(selected, min(workers, len(selected)), render_job)
            try:
                for k, res in source:
                    i = todo[k]
                    o = outcomes[i]
                    o.seconds = res.get("seconds", 0.0)
                    if res["ok"]:
                        o.name = o.name or res["name"]
                        o.figures = o.figures or keep(res["figures"])
                        try:
                            with pool.deferred_signals():
                                o.files = write_outputs(res["data"], out_dir, jobs[i]["stem"])
                            o.ok = True
                        except OSError as exc:
                            if exc.errno in FOLDER_ERRORS:   # every later report would fail
                                raise
                            o.error = f"cannot write the report: {exc}"
                    else:
                        o.error = res["error"]
                    o.done = True
                    if not o.ok:
                        failed += 1
                        bar.set_postfix(failed=failed)
                        say(f"rcm batch: FAILED {o.scenario}: {o.error}")
                    bar.update(1)
            finally:
                source.close()      # stops the pool or the Dask client, whatever happened
    finally:
        bar.close()
        on_index()


def run_batch(paths, out_dir="reports", workers: int | None = None,
              scheduler: str | None = None, template: str = "decision",
              formats=("html", "pdf"), progress: bool = True, log=None,
              parameters: dict | None = None, vendor: str | None = None,
              brand=None, all_figures: bool = False) -> list[Outcome]:
    """Render every scenario's report into ``out_dir`` and write ``index.html``.

    ``workers``: local worker processes (default one per core), ignored with ``scheduler``
    (``tcp://HOST:PORT`` of a Dask scheduler). A proposal batch renders ``vendor``'s offer
    (matched ignoring case) in every scenario, else each scenario's recommended vendor; a
    scenario without that vendor is an error before any work. ``brand`` (a
    :class:`~rcmmodel.reports.brand.Brand`) goes on every report. Returns the outcomes in
    the order given; each keeps the :func:`brief` figures its index needs, or with
    ``all_figures`` every figure its report recorded (a few KB a report).
    """
    from .render import output_stem, parse_formats, template_path

    template_path(template)
    formats = parse_formats(formats)
    scenarios = find_scenarios(paths)
    workers = pool.check_workers(workers, scheduler)
    offers = _offers(scenarios, template, vendor)
    stems = _unique([output_stem(s, template, v) for s, v in zip(scenarios, offers)])
    # A Dask worker runs in a folder of its own: it is given each scenario's absolute path.
    jobs = [{"scenario": str(s.resolve() if scheduler else s), "stem": stem,
             "template": template, "formats": formats,
             "parameters": {**(parameters or {}), "vendor": v} if v else parameters,
             "label": str(s), "brand": brand}
            for s, stem, v in zip(scenarios, stems, offers)]
    outcomes = [Outcome(scenario=str(s)) for s in scenarios]
    out_dir = Path(out_dir)

    def index(running=False):
        page = _scenario_index(outcomes, template)
        page.running = running
        batch_index.write(page, out_dir)

    index(running=True)   # an index from an earlier run must not stand for this one
    run_jobs(jobs, outcomes, out_dir, workers, scheduler, progress, log, index,
             keep=(lambda figures: figures) if all_figures else brief)
    return outcomes


def _offers(scenarios: list[Path], template: str, vendor: str | None) -> list[str | None]:
    """Whose offer each scenario's proposal presents (None for other templates); every
    scenario that lacks ``vendor`` is reported at once, before any work."""
    from ..errors import Problem
    from ..model.measure import scenario_with_claims
    from ..scenario import load_scenario
    from .render import audit_vendor, is_audit, is_proposal, offer_vendor

    if not is_proposal(template) and not is_audit(template):
        if vendor:
            raise RcmInputError.at(None, "--vendor", "applies to the proposal and audit "
                                   "templates only; add --template proposal or audit")
        return [None] * len(scenarios)
    offers, problems = [], []
    for s in scenarios:
        try:
            if is_audit(template):       # each scenario's audit: block, checked before work
                name = audit_vendor(load_scenario(s), vendor)
                offers.append(name if vendor else None)
                continue
            offers.append(offer_vendor(scenario_with_claims(load_scenario(s)), vendor))
        except RcmInputError as exc:
            problems += exc.problems
            offers.append(None)
    if problems:
        raise RcmInputError([Problem(p.file, p.where, p.message) for p in problems])
    return offers


def _unique(stems: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for stem in stems:
        candidate, n = stem, 1
        while candidate in seen:
            n += 1
            candidate = f"{stem}-{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def _best(figures: dict | None):
    """The recommended vendor's figures (the decision the report states), else None."""
    name = ((figures or {}).get("decision") or {}).get("recommended")
    if not name:
        return None
    return next((v for v in figures["vendors"] if v["name"] == name), None)


def _audit_index(outcomes: list[Outcome]) -> batch_index.Index:
    """An audit batch's index: each practice's vendor, verdict, net gain realized and
    promised, and what was billed above the contract."""
    C = batch_index.Cell
    index = batch_index.Index(
        title="rcmmodel audits", headers=["practice", "scenario", "vendor", "verdict",
                                          "net gain / year", "promised", "overbilled",
                                          "report"],
        sortable={4, 5, 6}, note="The audit report of each: is the vendor delivering?")
    for o in sorted((o for o in outcomes if o.ok), key=lambda o: (o.name or "").lower()):
        a = (o.figures or {}).get("audit") or {}
        gain = a.get("net_gain") or {}
        cells = [C(o.name or o.scenario), C(Path(o.scenario).name), C(a.get("vendor") or "—"),
                 C(a.get("verdict") or "—"), batch_index.money_cell(gain.get("realized")),
                 batch_index.money_cell(gain.get("promised")),
                 batch_index.money_cell((a.get("fees") or {}).get("overbilled"))]
        index.rows.append((cells, {fmt.upper(): p.name for fmt, p in o.files.items()}))
    return index


def _scenario_index(outcomes: list[Outcome], template: str) -> batch_index.Index:
    from .render import is_audit

    if is_audit(template):
        index = _audit_index(outcomes)
        index.failures = [(Path(o.scenario).name, o.error or "") for o in outcomes
                          if o.done and not o.ok]
        index.not_rendered = [Path(o.scenario).name for o in outcomes if not o.done]
        return index
    C = batch_index.Cell
    index = batch_index.Index(
        title="rcmmodel reports",
        headers=["practice", "scenario", "recommended", "net gain / year", "NPV", "payback",
                 "report"], sortable={0, 1, 2, 3, 4, 5}, ascending={0, 1, 2, 5},
        note=f"The {template} report of each. Click a column heading to sort.")
    for o in sorted((o for o in outcomes if o.ok), key=lambda o: (o.name or "").lower()):
        best = _best(o.figures)
        name = o.name or o.scenario
        cells = [C(name, name), C(Path(o.scenario).name, Path(o.scenario).name)]
        if best:
            gain = best["annual"]["net_gain"]
            cells += [C(best["name"], best["name"]), batch_index.money_cell(gain),
                      batch_index.money_cell(best["timeline"]["npv"]),
                      batch_index.payback_cell(best["timeline"]["payback_month"])]
            if gain is not None and gain < 0:
                cells[0].flag = batch_index.LOSES
        else:                  # the decision is to stay in-house, improved or not (or none)
            d = (o.figures or {}).get("decision") or {}
            stay = {"stay": "in-house", "improve": f"in-house, improved: {d.get('alternative')}"}
            who = stay.get(d.get("verdict"))
            cells += [C(who or "—", who), batch_index.blank_cell(), batch_index.blank_cell(),
                      batch_index.blank_cell()]
        index.rows.append((cells, {fmt.upper(): p.name for fmt, p in o.files.items()}))
    index.failures = [(Path(o.scenario).name, o.error or "") for o in outcomes
                      if o.done and not o.ok]
    index.not_rendered = [Path(o.scenario).name for o in outcomes if not o.done]
    return index
