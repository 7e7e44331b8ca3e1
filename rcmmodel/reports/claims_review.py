"""Sections of the claims-review template: KPIs graded against the benchmarks (with the
period, window and open claims they cover), denials by reason and category, payers, A/R
aging, underpayments, and the uplift the data supports beside each vendor's quote.

Everything shown is an aggregate from :func:`rcmmodel.claims.claims_review` (counts and
sums by KPI, payer, reason code or aging bucket): no claim-level row, so no patient name
or member ID can reach a report. A scenario without claims files still renders: the
review says so and grades the KPIs the scenario states instead.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..describe import count, money, pct
from ..present.labels import glossary_line
from .html import (badge, callout, chart, esc, note, note_html, record, show, sources_html,
                   table)
from .sections import kpi_value
from ..model.measure import measure_claims
from ..scenario import load_scenario
from ..claims.evidence import CITED_OVERTURN_RATE, CITED_OVERTURN_SOURCE, judge_quotes
from ..claims.targets import TARGETS
from ..present import charts_claims
from ..present.labels import ACTION_LABELS, CATEGORY_LABELS, EVIDENCE_LABELS, KPI_LABELS
from ..present.review_text import basis_text, evidence_dict, judgement_text, note_text

#: Share of denied dollars typically won back on appeal: the cited rate, used when the
#: practice's own 835s show no overturn (rcmmodel.claims.evidence).
APPEAL_RECOVERY_RATE = CITED_OVERTURN_RATE
APPEAL_SOURCE = CITED_OVERTURN_SOURCE
KPI_ORDER = ("net_collection_rate", "gross_collection_rate", "clean_claim_rate", "denial_rate",
             "final_denial_rate", "denial_rate_dollars", "days_in_ar", "ar_over_90", "open_ar")


def _label(kpi: str) -> str:
    return KPI_LABELS.get(kpi, kpi)


def _lower(label: str) -> str:
    """'Days in A/R' -> 'days in A/R' mid-sentence; an acronym at the start stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def open_text(review: dict) -> str:
    """What is still owed, said so that a count of undecided claims never sits alone beside
    dollars still open (a paid claim may leave a patient balance or a partial payment).

    >>> open_text({"open_claims": 0, "aging": [{"open_ar": 1000.0}]})
    'none awaiting a payer, $1,000 of A/R still open (patient balances and partial payments)'
    >>> open_text({"open_claims": 2, "aging": [{"open_ar": 0.0}]})
    '2 awaiting a payer, nothing else owed'
    """
    waiting = review.get("open_claims") or 0
    owed = sum(a.get("open_ar") or 0.0 for a in review.get("aging") or [])
    head = f"{waiting:,} awaiting a payer" if waiting else "none awaiting a payer"
    if owed >= 0.5:
        return (f"{head}, {money(owed)} of A/R still open (patient balances and partial "
                "payments)" if not waiting else f"{head}, {money(owed)} of A/R still open")
    return f"{head}, nothing else owed"


def _show_value(kpi: str, value) -> str:
    return money(value) if kpi == "open_ar" else kpi_value(kpi, value)


class ClaimsReview:
    """The historical claims review of a scenario's ``practice.claims_files``.

    Parameters
    ----------
    scenario_path : str or Path
    as_of : str, optional
        ``YYYY-MM-DD``; defaults to the latest date in the data.
    appeal_recovery_rate : float
        Share of denied dollars assumed recoverable on appeal where the data shows no
        overturn of its own (the practice's own rate wins when it does).
    fee_schedule : str or Path, optional
        Contracted rates (CSV ``payer, procedure_code, modifier, allowed``), relative to
        the scenario's folder: adds underpayments.
    """

    def __init__(self, scenario_path, as_of=None, appeal_recovery_rate=APPEAL_RECOVERY_RATE,
                 fee_schedule=None):
        self.path = Path(scenario_path)
        measured = measure_claims(load_scenario(self.path))
        self.scenario = measured.scenario
        self.recovery = float(appeal_recovery_rate)
        self.review = None
        if measured.has_claims:
            from ..claims.evidence import evidence
            from ..claims.review import json_ready
            schedule = None if not fee_schedule else (
                Path(self.scenario.base_dir) / fee_schedule)
            self.review = measured.review_as_of(as_of, fee_schedule=schedule)
            if self.review["denials"]["claims"]["overturned"] == 0 and \
                    self.recovery != APPEAL_RECOVERY_RATE:
                self.review["evidence"] = json_ready(
                    evidence(self.review, overturn_rate=self.recovery))
        self.kpis = (self.review["kpis"] if self.review else
                     self.scenario.practice.baseline_kpis.model_dump())

    # -- opening

    def title(self) -> None:
        s = self.scenario
        show(f"<h1>{esc(s.name)}</h1><p class=\"rcm-note\">Claims review · "
             f"{esc(s.practice.specialty.replace('_', ' '))} · prepared "
             f"{_dt.date.today():%B %d, %Y} with rcmmodel</p>")

    def summary(self) -> None:
        k = self.kpis
        graded = [f"{_lower(_label(n))} {_show_value(n, k.get(n))}" for n in TARGETS
                  if k.get(n) is not None]
        if self.review is None:
            text = ("This scenario has no claims data (no claims files are listed for the "
                    "practice), so nothing was measured; graded below are the KPIs the "
                    "scenario states" + (f": {', '.join(graded)}" if graded else "") + ".")
            callout(text, not graded or all(TARGETS[n].grade(k[n]) == "green" for n in TARGETS
                                             if k.get(n) is not None), "No claims data.")
            return
        r = self.review
        ev = r["evidence"]
        misses = [_lower(_label(n)) for n in TARGETS if r["grades"].get(n) == "red"]
        text = (f"{count(r['claims'], 'claim')} served {r['period']['start']} to "
                f"{r['as_of']}, {open_text(r)}: " + ", ".join(graded) + ". ")
        if not r["graded"]:
            text += "Too little data to grade against the benchmarks. "
        elif misses:
            text += f"Off target: {', '.join(misses)}. "
        else:
            text += "All graded KPIs are on target or close. "
        if ev["high"] is not None:
            text += (f"The data shows {pct(ev['low'])} to {pct(ev['high'])} of collections "
                     "being lost that a billing service could win back.")
        callout(text, not misses and r["graded"])
        for n in r["notes"]:
            note(note_text(n))

    # -- body

    def kpi_table(self) -> None:
        rows = []
        graded = self.review is None or self.review["graded"]
        for n in KPI_ORDER:
            if n not in self.kpis:
                continue
            v, target = self.kpis.get(n), TARGETS.get(n)
            bench = "—"
            if target:
                bench = (">= " if target.higher_is_better else "< ") + kpi_value(n, target.green)
            grade = (self.review["grades"].get(n) if self.review else
                     (target.grade(v) if target else None))
            rows.append([esc(_label(n)), esc(_show_value(n, v)), esc(bench),
                         badge(grade) if target and graded else ("not graded" if target
                                                                  else "")])
        show(table(rows, ["KPI", "value", "benchmark", "grade"], num={1}, raw=True))
        if self.review is None:
            note("Stated in the scenario, not measured from claims.")
            return
        r = self.review
        t, c, w = r["totals"], r["status_counts"], r["window"]
        note(f"Collection and denial rates over the {r['adjudicated_claims']:,} adjudicated "
             f"claims; days in A/R over the {w['days'] or 0} days {w['start']} to {w['end']}. "
             f"Charges {money(t.get('charge'))}; paid by insurers "
             f"{money(t.get('insurance_paid'))} and patients {money(t.get('patient_paid'))}. "
             f"Claims paid {c['paid']:,}, partial {c['partial']:,}, denied {c['denied']:,}, "
             f"open {c['open']:,}.")

    def denials(self) -> None:
        if self.review is None:
            note("No claims data: denials by reason need the practice's claims "
                 "(a ledger or 835 remittances).")
            return
        d = self.review["denials"]
        c, lines = d["claims"], d["lines"]
        text = (f"{c['denied']:,} of {c['adjudicated']:,} claims denied in whole or in part "
                f"({pct(c['rate'])}), {money(c['dollars'])}; {lines['denied']:,} of "
                f"{lines['total']:,} service lines ({pct(lines['rate'])}).")
        if c["overturned"]:
            text += (f" {c['overturned']:,} were paid after all in a later remittance: an "
                     f"overturn rate of {pct(c['overturn_rate'])}.")
        note(text)
        if not d["by_reason"]:
            note("No denied claims in the data.")
            return
        fig = charts_claims.denials_by_category(self.review)
        if fig is not None:
            chart(fig)
        show(table([[f"{x['group']}-{x['code']}".strip("-") or "—", x["description"],
                     CATEGORY_LABELS[x["category"]], f"{x['lines']:,}", money(x["dollars"]),
                     ACTION_LABELS[x["action"]]] for x in d["by_reason"][:15]],
                   ["reason", "what it means", "category", "lines", "dollars", "what to do"],
                   num={3, 4}, wide=True))

    def payers(self) -> None:
        if self.review is None:
            note("No claims data: payer figures need the practice's claims.")
            return
        payers = self.review["payers"][:20]
        if not payers:
            note("No payers in the data.")
            return
        fig = charts_claims.days_to_pay(self.review)
        if fig is not None:
            chart(fig)
        show(table([[p["payer"], f"{p['claims']:,}", money(p["charge"]), money(p["paid"]),
                     pct(p["mix"]), pct(p["denial_rate"]),
                     "—" if p["days_to_pay_median"] is None else f"{p['days_to_pay_median']:.0f}"]
                    for p in payers],
                   ["payer", "claims", "charges", "paid", "share of charges", "denial rate",
                    "median days to pay"], num={1, 2, 3, 4, 5, 6}, wide=True))
        lag = self.review["charge_lag"]
        if lag:
            note(f"Charge lag: claims went out a median {lag['median_days']:.0f} days after "
                 f"the visit ({pct(lag['over_30_days'])} over 30 days).")
        best = [b for b in self.review["best_payers"] if b["best_payer"]][:10]
        if best:
            show("<h3>Who pays best for each code</h3>" + table(
                [[b["procedure_code"], f"{b['lines']:,}", b["best_payer"],
                  money(b["payers"][0]["allowed_per_unit"]),
                  money(b["payers"][-1]["allowed_per_unit"])] for b in best],
                ["code", "paid lines", "pays best", "its median allowed", "lowest payer's"],
                num={1, 3, 4}))

    def aging(self) -> None:
        if self.review is None:
            note("No claims data: A/R aging needs the practice's claims.")
            return
        aging = self.review["aging"]
        if not aging or not sum(a["open_ar"] or 0 for a in aging):
            note("No open A/R: every claim is settled.")
            return
        chart(charts_claims.aging_stack(self.review))
        show(table([[a["bucket"], f"{a['claims']:,}", money(a["open_ar"]),
                     money(a["insurance"]), money(a["patient"]), pct(a.get("share"))]
                    for a in aging], ["days since service", "claims", "open A/R",
                                      "insurers owe", "patients owe", "share"],
                   num={1, 2, 3, 4, 5}))
        by_payer = self.review["aging_by_payer"][:10]
        if by_payer:
            buckets = [a["bucket"] for a in aging]
            show("<h3>By payer</h3>" + table(
                [[p["payer"]] + [money(p.get(b, 0.0)) for b in buckets] + [money(p["total"])]
                 for p in by_payer], ["payer"] + buckets + ["total"],
                num=set(range(1, len(buckets) + 2)), wide=True))

    def underpayments(self) -> None:
        if self.review is None or "underpayments" not in self.review:
            note("No fee schedule given: underpayments need the contracted rates "
                 "(a CSV of payer, procedure code, modifier and allowed amount).")
            return
        u = self.review["underpayments"]
        note(f"{u['lines']:,} paid lines were allowed less than the contract: "
             f"{money(u['amount'])} short ({u['checked_lines']:,} lines checked; "
             f"{u['unmatched_lines']:,} had no contracted rate).")
        if u["by_payer"]:
            show(table([[p["payer"], f"{p['lines']:,}", money(p["amount"])]
                        for p in u["by_payer"]], ["payer", "lines", "short"], num={1, 2}))

    def estimates(self) -> dict:
        """The evidence-based uplift range (see :mod:`rcmmodel.claims.evidence`), its
        components' labels and bases in words."""
        if self.review is None:
            return {}
        return evidence_dict(self.review["evidence"])

    def recoverable(self) -> None:
        if self.review is None:
            note("No claims data: what billing is losing needs the practice's claims.")
            return
        ev = self.review["evidence"]
        if ev["high"] is None:
            note("No collections in the data to measure losses against.")
            return
        rows = [[EVIDENCE_LABELS[c["name"]], money(c["low_amount"]), money(c["high_amount"]),
                 f"{pct(c['low'])} to {pct(c['high'])}", basis_text(c)] for c in ev["components"]]
        rows.append(["Total", money(ev["low_amount"]), money(ev["high_amount"]),
                     f"{pct(ev['low'])} to {pct(ev['high'])}", "of collections over the period"])
        show(table(rows, ["what is lost", "low", "high", "share of collections", "basis"],
                   num={1, 2}, wide=True))
        vendors = self.scenario.vendors
        if vendors:
            from ..scenario.distributions import central
            gone = {v.name for v in vendors if v.profile.baa_offered is False}
            verdicts = [[j["vendor"] + (" (excluded: no BAA)" if j["vendor"] in gone else ""),
                         pct(j["uplift"]), judgement_text(j)] for j in judge_quotes(
                [(v.name, central(v.uplift)) for v in vendors], ev)]
            show("<h3>The vendors' quoted uplift against the evidence</h3>" + table(
                verdicts, ["vendor", "quoted uplift", "against the data"], num={1}))

    def assumptions(self) -> None:
        from ..present.assumptions import benchmark_source
        from ..present.labels import CITED, cite, references

        rows = [["Claims data", self._sources(), cite("scenario")]]
        keys = ["hfma", "aafp", "mgma"]
        if self.review is not None:
            ev = self.review["evidence"]
            rows.append(["As of", self.review["as_of"], "latest date in the data unless given"])
            own = ev["overturn_source"] == "measured"
            rows.append(["Overturn rate", pct(ev["overturn_rate"], 0) + (
                "" if own else " (hospital claims, 2017)"), ev["sources"]["overturn"] if own
                else f"{cite('overturn')}: a hospital figure; no practice-level rate found, "
                     "used because the practice's remittances show no overturn of their own"])
            keys.append("overturn")
            aged = ev["sources"]["aged_ar"]
            rows.append(["A/R over 120 days collectable", "10% to 30%", aged[:1].upper() + aged[1:]])
            rows.append(["Denial codes", "CARC and RARC", cite("x12")])
            keys.append("x12")
        rows.append(["KPI definitions", "net and gross collection rate over adjudicated claims, "
                     "denial rate, clean claim rate, days in A/R over the last 90 days, A/R "
                     "over 90", f"{cite('aafp', 'mgma', 'hfma')}; {cite('methodology')}"])
        for t in TARGETS.values():
            text, cited = benchmark_source(t.source)
            keys += cited
            rows.append([f"Benchmark: {t.label}", ("≥ " if t.higher_is_better else "< ")
                         + kpi_value(t.kpi, t.green), text])
        show(table(rows, ["assumption", "value", "source"], wide=True, long=True))
        keys = [k for k in ["guide", *keys, "methodology"] if k in CITED]
        show(note_html(glossary_line("A/R KPI")))
        show(sources_html(references(keys)))

    def _sources(self) -> str:
        if self.review is None:
            return "none (KPIs as stated in the scenario)"
        kinds = self.review.get("sources") or {}
        n = len(self.scenario.practice.claims_files)
        return f"{n} file{'s' if n != 1 else ''}" + (
            " (" + ", ".join(f"{v} {k}" for k, v in kinds.items() if v) + ")" if kinds else "")

    def record(self) -> None:
        r = self.review
        figures = {"scenario": self.scenario.name, "template": "claims-review",
                   "has_claims": r is not None,
                   "claims": r["claims"] if r else None,
                   "as_of": r["as_of"] if r else None,
                   "kpis": self.kpis,
                   "grades": (r["grades"] if r else
                              {n: TARGETS[n].grade(self.kpis.get(n)) for n in TARGETS}),
                   "denials": r["denials"]["claims"] if r else None,
                   "estimates": self.estimates()}
        record(figures)
