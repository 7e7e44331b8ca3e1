"""The "Assumptions and sources" table: every input the model runs on, in words, with where
it comes from.

Rows are built from the scenario's field paths through :mod:`rcmmodel.present.labels`, so a
field is called the same here as in the tornado chart and the app; uncertain inputs read as
ranges ("between 60 and 120 days, most likely 75"). Related inputs share a row (a staff
member's FTE and salary, a vendor's whole quote) so the table fits a page or two.
"""
from __future__ import annotations

import re

from ..claims.targets import TARGETS
from ..describe import is_range, money, pct
from ..pricing import pricing_label
from ..scenario.distributions import central
from .decision_text import PRESET_WORDS, criterion_words
from .labels import KPI_LABELS, SOURCES, cite, field_label, value_text

# What a planning default stands for, beside its source (rcmmodel.model.provenance).
_DEFAULT_NOTES = {
    "inhouse.payroll_tax_rate": "Social Security and Medicare",
    "inhouse.benefits_rate": "health, retirement and paid time off",
    "timeline.discount_rate": "a small practice's cost of capital",
    "timeline.horizon_months": "three years, a typical first contract and then some",
    "inhouse.turnover.annual_rate": "billing staff turnover",
    "inhouse.turnover.cost_per_departure": "hiring and training a replacement",
}
# What the guide says beside an input the practice or vendor gives.
_GUIDE_NOTES = {
    "vendors[].uplift": "a good vendor adds 10-20%",
    "timeline.parallel_run_days": "the transition takes 30-60 days",
    "timeline.ramp_days": "60-90 days to stable results",
}


def given_inputs(scenario) -> dict:
    """Every numeric model input as the scenario gives it (a number or an uncertain input),
    by field path, in model order."""
    from ..model.inputs import scenario_inputs

    found: dict = {}

    def spy(path, value):
        found[path] = value
        return central(value)

    scenario_inputs(scenario, spy)
    return found


def benchmark_source(text: str) -> tuple[str, list[str]]:
    """A benchmark's source note in short citations, and the sources it names:
    'guide: under 5%; AAFP: 5-10% is average' ->
    ('Billing services guide: under 5%; AAFP: 5-10% is average', ['guide', 'aafp'])."""
    out, keys = [], []
    for part in text.split(";"):
        who, _, what = part.strip().partition(":")
        key = who.strip().split()[0].lower() if who.strip() else ""
        if key in SOURCES:
            keys.append(key)
            rest = who.strip()[len(key):].strip()
            what = f"{rest} {what.strip()}".strip() if rest else what.strip()
            out.append(f"{cite(key)}: {what}" if what else cite(key))
        else:
            out.append(part.strip())
    return "; ".join(out), keys


def source_text(where: dict, path: str) -> str:
    """Where one input comes from, in words for a cell (``where``: path -> its
    :class:`~rcmmodel.model.provenance.InputSource`)."""
    return _source(where, path)[0]


def _source(where: dict, path: str) -> tuple[str, list[str]]:
    """Where an input comes from, in a table cell, and the sources it cites: the practice's
    figure, the quote, measured from claims (with the period), or a planning default with
    its source; never a default called the practice's."""
    bare = re.sub(r"\[\d+\]", "[]", path)
    found = where.get(path)
    if found is not None and found.source == "default":
        key = found.note or "assumption"
        # rcmmodel's reasons for its own defaults are not the reasons of a seller's figure
        note = None if key == "offer" else _DEFAULT_NOTES.get(bare) or _GUIDE_NOTES.get(bare)
        return (f"{cite(key)}: {note}" if note else cite(key)), [key]
    if found is not None and found.source == "measured":
        when = f" ({found.note})" if found.note else ""
        return f"{cite('measured')}{when}", ["measured"]
    key = "quote" if path.startswith("vendors[") else "practice"
    if bare in _GUIDE_NOTES:
        return f"{cite(key)}; {cite('guide')}: {_GUIDE_NOTES[bare]}", [key, "guide"]
    return cite(key), [key]


def _row(item, value, source, keys) -> dict:
    return {"item": item, "value": value, "source": source, "keys": list(keys)}


def _field(where, path, given, scenario, vendor=True) -> dict:
    return _row(field_label(path, scenario, vendor=vendor), value_text(path, given[path]),
                *_source(where, path))


def _quote(k: int, scenario, given) -> str:
    """A vendor's whole quote in one line: pricing, uplift, every fee it charges."""
    v = scenario.vendors[k]
    at = f"vendors[{k}]"
    parts = [pricing_label(v), f"uplift {value_text(f'{at}.uplift', given[f'{at}.uplift'])}"]
    for path, value in given.items():
        if path.startswith(f"{at}.fees.") and (is_range(value) or float(value)):
            if ".other_annual." in path:
                name = path.split(".other_annual.", 1)[1].replace("_", " ")  # dots kept
                parts.append(f"{name} {value_text(path, value)} a year")
                continue
            label = field_label(path, scenario, vendor=False)
            parts.append(f"{label[:1].lower() + label[1:]} {value_text(path, value)}")
    return "; ".join(parts)


def overturn_row(scenario) -> dict:
    """The overturn rate behind the denials a vendor could win back: the practice's own, or
    the cited hospital figure with its scope said where it is used."""
    from ..model.measure import measure_claims

    e = (measure_claims(scenario).review or {}).get("evidence") or {}
    rate = e.get("overturn_rate")
    if e.get("overturn_source") == "measured":
        return _row("Denials overturned on appeal", pct(rate, 0),
                    f"{cite('measured')}: the practice's own remittances", ["measured"])
    return _row("Denials overturned on appeal", f"{pct(rate, 0)} (hospital claims, 2017)",
                f"{cite('overturn')}: a hospital figure; no practice-level rate found, and the "
                "practice's own remittances show no overturn", ["overturn"])


def assumptions(scenario, result, only: str | None = None) -> list[dict]:
    """Rows of the "Assumptions and sources" table: ``item``, ``value``, ``source`` (short
    citations) and ``keys`` (the sources cited, for :func:`rcmmodel.present.labels.references`).

    ``only`` keeps one vendor's quote: a proposal shows no other vendor's terms.
    """
    from ..model.provenance import input_sources

    s, given = scenario, given_inputs(scenario)
    where = {i.path: i for i in input_sources(scenario)}
    rows = [_field(where, p, given, s) for p in ("practice.annual_collections", "practice.annual_charges",
                                          "practice.claims_per_month",
                                          "practice.patient_statements_per_month")
            if p in given and (p != "practice.patient_statements_per_month"
                               or central(given[p]))]
    rows.insert(min(3, len(rows)), _row("Providers", str(s.practice.providers),
                                        *_source(where, "practice.providers")))
    if "inhouse.annual_cost" in given:
        rows.append(_field(where, "inhouse.annual_cost", given, s))
    for i, staff in enumerate(s.inhouse.staff):
        fte, salary = f"inhouse.staff[{i}].fte", f"inhouse.staff[{i}].salary"
        (said, keys), (said_pay, keys_pay) = _source(where, fte), _source(where, salary)
        if said != said_pay:         # the practice's FTEs at a cited or assumed salary
            said, keys = f"{said} (FTE); {said_pay} (salary)", [*keys, *keys_pay]
        rows.append(_row(staff.role, f"{value_text(fte, given[fte])} at "
                                     f"{value_text(salary, given[salary])} a year",
                         said, keys))
    for p in ("inhouse.payroll_tax_rate", "inhouse.benefits_rate"):
        if p in given:
            rows.append(_field(where, p, given, s))
    costs = [p for p in given if p.startswith("inhouse.costs.")]
    if costs:
        rows.append(_row("Other in-house costs a year", ", ".join(
            f"{p[len('inhouse.costs.'):].replace('_', ' ')} {value_text(p, given[p])}"
            for p in costs),
            *_source(where, costs[0])))
    rate, cost = "inhouse.turnover.annual_rate", "inhouse.turnover.cost_per_departure"
    if rate in given and central(given[rate]):
        rows.append(_row("Billing staff turnover", f"{value_text(rate, given[rate])} a year, "
                         f"{value_text(cost, given[cost])} per departure",
                         *_source(where, rate)))
    if central(given.get("inhouse.residual_after_outsourcing", 0)):
        rows.append(_field(where, "inhouse.residual_after_outsourcing", given, s))
    rows.append(_row("In-house total cost of ownership", money(result.inhouse_tco),
                     f"{cite('methodology')}: wages x (1 + payroll tax + benefits) + other "
                     "costs + turnover", ["methodology"]))
    names = [v.name for v in s.vendors]
    for k in ([names.index(only)] if only is not None else range(len(names))):
        excluded = "" if result.vendors[k].eligible else " (excluded: no BAA)"
        rows.append(_row(names[k] + excluded if only is None else "The offer" + excluded,
                         _quote(k, s, given),
                         f"{cite('quote')}; {cite('guide')}: {_GUIDE_NOTES['vendors[].uplift']}",
                         ["quote", "guide"]))
    for path, found in where.items():
        if path.startswith("practice.baseline_kpis.") and only is None:
            key = path.rsplit(".", 1)[1]
            rows.append(_row(f"Today: {KPI_LABELS.get(key, key)}", value_text(path, found.value),
                             *_source(where, path)))
    ev = s.claims_evidence
    if ev is not None:
        rows.append(_row("What the practice's claims show being lost", (
            f"{pct(ev.low, 1)} to {pct(ev.high, 1)} of collections a year (denials not "
            f"overturned, underpayments), from {ev.claims:,} adjudicated claims; the decision "
            "plans on no more than the high end" if ev.usable else
            f"not used: {ev.claims:,} adjudicated claims, fewer than the 30 needed"
            if ev.too_few_claims else "not used: no collections in the period"),
            *([f"{cite('measured')} ({ev.start} to {ev.end})", ["measured"]]
              if ev.start else [cite("measured"), ["measured"]])))
    if ev is not None and ev.usable:
        rows.append(overturn_row(s))
    rk = s.ranking
    total = sum(rk.effective_weights.values()) or 1.0
    rows.append(_row("Ranking weights", ", ".join(
        f"{criterion_words(c)} {pct(w / total, 0)}" for c, w in rk.effective_weights.items())
        + " of the total",
        *((f"{cite('practice')}: the {PRESET_WORDS[rk.preset]} priorities" if rk.preset else
           cite("practice"), ["practice"]) if rk.weights_source == "practice" else
          (f"{cite('assumption')}: the balanced default, which the practice did not set"
           + ("; the weights of its own criteria are the practice's" if rk.criteria else ""),
           ["assumption"]))))
    rows.append(_row("Net gain", "added collections + in-house savings - vendor cost",
                     f"{cite('guide')}; {cite('methodology')}", ["guide", "methodology"]))
    rows.append(_row("The decision", "the top-ranked vendor among those with a Business "
                     "Associate Agreement that gain more than in-house billing at the planning "
                     "uplift (the quote, capped by what the practice's claims show being lost)",
                     cite("methodology"), ["methodology"]))
    rows.append(_row("What a quote does not state", "\"not stated\"; scored as half a contract "
                     "penalty, a KPI not committed, a question not verified",
                     cite("methodology"), ["methodology"]))
    rows.append(_row("Months modelled", f"{s.timeline.horizon_months} months",
                     *_source(where, "timeline.horizon_months")))
    rows += [_field(where, p, given, s) for p in ("timeline.discount_rate", "timeline.parallel_run_days",
                                          "timeline.ramp_days")]
    for target in TARGETS.values():
        cmp_ = ">=" if target.higher_is_better else "<"
        val = f"{target.green:g} days" if target.unit == "days" else pct(target.green, 0)
        text, keys = benchmark_source(target.source)
        rows.append(_row(f"Benchmark: {target.label}", f"{cmp_} {val}", text, keys))
    return rows


__all__ = ["assumptions", "benchmark_source", "given_inputs", "source_text"]
