"""``rcm batch --prospects LIST.csv --offer OFFER.yaml``: a proposal per prospect, the
index sorted by what a sales team asks (net gain, ROI, NPV, payback), and the summary CSV a
CRM imports. The rows become scenarios in :mod:`.prospects`; they render like any batch
(:func:`rcmmodel.reports.batch.run_jobs`: warm workers, local or on Dask, stopped cleanly).
"""
from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass
from pathlib import Path

from .._files import write_set
from ..describe import safe_text
from . import batch_index, pool
from .batch import Outcome, brief, run_jobs

SUMMARY = "prospects-summary.csv"
SUMMARY_COLUMNS = ("id", "name", "verdict", "net_gain", "roi", "npv", "payback_month",
                   "warnings", "error", "report")
ROI_PLACES = 4


@dataclass
class ProspectOutcome(Outcome):
    """A prospect's outcome, with what the CRM gets besides the figures."""

    id: str = ""                  # the list's id (or record_id) column
    verdict: str = ""             # the decision: "outsource" or "stay"
    warnings: str = ""            # plausibility warnings, in words


def run_prospects(prospects_csv, offer_path, out_dir="reports", workers: int | None = None,
                  scheduler: str | None = None, formats=("html", "pdf"),
                  progress: bool = True, log=None, brand=None) -> list[Outcome]:
    """One proposal per prospect, ``index.html``, ``prospects-summary.csv`` and each
    prospect's scenario (``scenarios/<slug>.yaml``) in ``out_dir``; ``brand`` (the billing
    company's) on every proposal.

    A bad row is an outcome that failed with its row and column; the others render.
    """
    from ..model.evaluate import evaluate
    from ..model.measure import scenario_with_claims
    from ..model.plausibility import plausibility
    from ..present.warnings_text import warning_text
    from ..scenario import parse_scenario
    from ..vendors.decision import decide
    from .prospects import load_offer, read_prospects, scenario_yaml
    from .render import parse_formats

    formats = parse_formats(formats)
    workers = pool.check_workers(workers, scheduler)
    offer = load_offer(offer_path)
    prospects = read_prospects(prospects_csv, offer)
    vendor = offer["vendor"]["name"]
    say = log or (lambda line: print(safe_text(line), file=sys.stderr))
    if prospects.ignored:
        say(f"rcm batch: {prospects_csv}: columns not used (ignored): "
            + ", ".join(prospects.ignored))
    outcomes, jobs = [], []
    for p in prospects:
        o = ProspectOutcome(scenario=f"row {p.row}", name=p.name or f"row {p.row}", id=p.id)
        if not p.ok:
            o.done, o.error = True, "; ".join(f"{x.where}: {x.message}" for x in p.problems)
        else:
            scenario = scenario_with_claims(parse_scenario(p.scenario))
            result = evaluate(scenario)
            o.figures = brief(result.to_dict())
            o.verdict = decide(scenario, result).verdict
            o.warnings = "; ".join(warning_text(w) for w in plausibility(scenario, result))
        outcomes.append(o)
        jobs.append({"yaml": scenario_yaml(p.scenario) if p.ok else None, "stem": p.slug,
                     "template": "proposal", "formats": formats, "label": o.name,
                     "parameters": {"vendor": vendor}, "brand": brand})
    out_dir = Path(out_dir)
    # Each prospect's scenario is kept beside its proposal (the proposal's sources name
    # it), so one prospect can be adjusted and rendered again with `rcm report`.
    write_set(out_dir / "scenarios", {f"{p.slug}.yaml": job["yaml"]
                                      for p, job in zip(prospects, jobs) if p.ok})

    def index(running=False):
        page = _prospect_index(outcomes, vendor)
        page.running = running
        write_set(out_dir, {batch_index.INDEX: batch_index.page(page),
                            SUMMARY: summary_text(outcomes)})

    index(running=True)
    for o in outcomes:
        if o.done and not o.ok:
            say(f"rcm batch: {prospects_csv}: {o.error}")
    run_jobs(jobs, outcomes, out_dir, workers, scheduler, progress, log, index)
    return outcomes


def _offer_figures(o: Outcome) -> dict | None:
    return o.figures["vendors"][0] if o.figures and o.figures.get("vendors") else None


def _prospect_index(outcomes: list[Outcome], vendor: str) -> batch_index.Index:
    C = batch_index.Cell
    index = batch_index.Index(
        title=f"Proposals from {vendor}",
        headers=["practice", "net gain / year", "ROI", "NPV", "payback", "report"],
        sortable={0, 1, 2, 3, 4}, ascending={0, 4},
        note=f"Click a column heading to sort. Marked \u201c{batch_index.LOSES}\u201d: the "
             "offer costs that practice more than it brings.")
    for o in outcomes:
        v = _offer_figures(o)
        if not o.ok or v is None:
            continue
        roi = v["annual"]["roi"]
        gain = v["annual"]["net_gain"]
        cells = [C(o.name, o.name, flag=batch_index.LOSES if gain is not None and gain < 0
                   else ""), batch_index.money_cell(gain),
                 C(f"{roi:.0%}" if roi is not None else "—", roi, num=True),
                 batch_index.money_cell(v["timeline"]["npv"]), batch_index.payback_cell(v["timeline"]["payback_month"])]
        index.rows.append((cells, {fmt.upper(): p.name for fmt, p in o.files.items()}))
    index.failures = [(f"{o.scenario}: {o.name}", o.error or "") for o in outcomes
                      if o.done and not o.ok]
    index.not_rendered = [f"{o.scenario}: {o.name}" for o in outcomes if not o.done]
    return index


def _csv_text(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) \
        else text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def summary_text(outcomes: list[Outcome]) -> bytes:
    """``prospects-summary.csv`` for the CRM: one row per prospect, in the list's order,
    its ``id`` to match it back by; figures blank where the row was bad (``error`` says
    why), ``report`` blank where no proposal was written. UTF-8 with a byte-order mark, so
    Excel reads accents; ROI to 4 places, money to the cent."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(SUMMARY_COLUMNS)
    for o in outcomes:
        v = _offer_figures(o)
        report = ""
        if o.ok:
            report = next((p.name for fmt, p in sorted(o.files.items(),
                                                       key=lambda kv: kv[0] != "pdf")), "")
        roi = v["annual"]["roi"] if v else None
        figures = [_cents(v["annual"]["net_gain"]), None if roi is None else
                   round(roi, ROI_PLACES), _cents(v["timeline"]["npv"]),
                   v["timeline"]["payback_month"]] if v else [None] * 4
        error = "" if o.ok or not o.done else (o.error or "")
        writer.writerow([_csv_text(safe_text(x)) if isinstance(x, str) else _csv_text(x)
                         for x in [getattr(o, "id", ""), o.name, getattr(o, "verdict", ""),
                                   *figures, getattr(o, "warnings", ""), error, report]])
    return buf.getvalue().encode("utf-8-sig")


def write_summary(outcomes: list[Outcome], out_dir) -> Path:
    """Write :func:`summary_text` into ``out_dir`` atomically."""
    return write_set(out_dir, {SUMMARY: summary_text(outcomes)})[SUMMARY]


def _cents(x):
    return None if x is None else round(float(x), 2)
