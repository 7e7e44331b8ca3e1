"""Sections of the claims-review template: KPIs graded against the benchmarks, denials by
reason and payer, A/R aging and an estimate of recoverable revenue.

Everything shown is an aggregate from :func:`rcmmodel.claims.claims_review` (counts and
sums by KPI, payer, reason code or aging bucket): no claim-level row, so no patient name
or member ID can reach a report. A scenario without claims files still renders: the
review says so and grades the KPIs the scenario states instead.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

import altair as alt
import pandas as pd

from ..describe import money, pct
from .sections import (FIGURES_MIME, _callout, _plain, badge, chart, display, esc,
                              kpi_value, note, show, table)
from ..scenario import load_scenario
from ..claims.targets import TARGETS

#: Share of denied dollars typically won back on appeal: an assumption, overridable.
APPEAL_RECOVERY_RATE = 0.63
APPEAL_SOURCE = ("Change Healthcare, Healthy Hospital Revenue Cycle Index (June 2017): an appeal "
                 "success rate of 63% on denied hospital claims; physician practices and payers "
                 "differ, so adjust it to your own appeal results")
KPI_ORDER = ("net_collection_rate", "gross_collection_rate", "clean_claim_rate", "denial_rate",
             "denial_rate_dollars", "days_in_ar", "ar_over_90", "open_ar")
LABELS = {"gross_collection_rate": "Gross collection rate", "denial_rate_dollars":
          "Denial rate (dollars)", "open_ar": "Open A/R"}


def _label(kpi: str) -> str:
    return TARGETS[kpi].label if kpi in TARGETS else LABELS.get(kpi, kpi)


def _lower(label: str) -> str:
    """'Days in A/R' -> 'days in A/R' mid-sentence; an acronym at the start stays."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


def _show_value(kpi: str, value) -> str:
    return kpi_value(kpi, value)


def aging_chart(aging: list[dict]) -> alt.Chart:
    """Open A/R by age since service; older buckets darker (harder to collect)."""
    frame = pd.DataFrame(aging)
    order = list(frame["bucket"])
    return alt.Chart(frame, title="Open A/R by days since service").mark_bar().encode(
        x=alt.X("bucket:N", sort=order, title="Days since service"),
        y=alt.Y("open_ar:Q", title="Open A/R (dollars)", axis=alt.Axis(format="$,.0f")),
        color=alt.Color("bucket:N", sort=order, legend=None,
                        scale=alt.Scale(domain=order, scheme="oranges")),
        tooltip=["bucket", alt.Tooltip("open_ar:Q", format="$,.0f"), "claims"],
    ).properties(width=480, height=220)


class ClaimsReview:
    """The historical claims review of a scenario's ``practice.claims_files``.

    Parameters
    ----------
    scenario_path : str or Path
    as_of : str, optional
        ``YYYY-MM-DD``; defaults to the latest date in the data.
    appeal_recovery_rate : float
        Share of denied dollars assumed recoverable on appeal.
    """

    def __init__(self, scenario_path, as_of=None, appeal_recovery_rate=APPEAL_RECOVERY_RATE):
        self.path = Path(scenario_path)
        self.scenario = load_scenario(self.path)
        self.recovery = float(appeal_recovery_rate)
        files = self.scenario.practice.claims_files
        self.review = None
        if files:
            from ..claims.review import claims_review
            self.review = claims_review(files, as_of, base_dir=self.scenario.base_dir)
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
        est = self.estimates()
        if self.review is None:
            text = ("This scenario has no claims data (practice.claims_files is empty), so "
                    "nothing was measured; graded below are the KPIs the scenario states"
                    + (f": {', '.join(graded)}" if graded else "") + ".")
            if est.get("implied_uplift_per_year"):
                text += (f" Reaching a 96% net collection rate would add about "
                         f"{money(est['implied_uplift_per_year'])} a year.")
            _callout(text, not graded or all(TARGETS[n].grade(k[n]) == "green" for n in TARGETS
                                             if k.get(n) is not None))
            return
        r = self.review
        misses = [_label(n) for n in TARGETS if r["grades"].get(n) == "red"]
        text = (f"{r['claims']:,} claims over {r['period_days'] or 0:,} days to {r['as_of']}: "
                + ", ".join(graded) + ". "
                + (f"Off target: {', '.join(misses)}. " if misses else "All graded KPIs are "
                   "on target or close. ")
                + f"About {money(est['recoverable'])} looks recoverable now "
                f"(denials worth appealing and the gap to a 96% net collection rate).")
        _callout(text, not misses)

    # -- body

    def kpi_table(self) -> None:
        rows = []
        for n in KPI_ORDER:
            if n not in self.kpis:
                continue
            v, target = self.kpis.get(n), TARGETS.get(n)
            bench = "—"
            if target:
                bench = (">= " if target.higher_is_better else "< ") + kpi_value(n, target.green)
            rows.append([esc(_label(n)), esc(_show_value(n, v)), esc(bench),
                         badge(target.grade(v)) if target else ""])
        show(table(rows, ["KPI", "value", "benchmark", "grade"], num={1}, raw=True))
        if self.review is None:
            note("Stated in the scenario (practice.baseline_kpis), not measured from claims.")
        else:
            t = self.review["totals"]
            c = self.review["status_counts"]
            note(f"Charges {money(t.get('charge'))}; paid by insurers "
                 f"{money(t.get('insurance_paid'))} and patients {money(t.get('patient_paid'))}. "
                 f"Claims paid {c['paid']:,}, partial {c['partial']:,}, denied {c['denied']:,}, "
                 f"open {c['open']:,}.")

    def denials(self) -> None:
        if self.review is None:
            note("No claims data: denials by reason and payer need the practice's claims "
                 "(a ledger CSV or 835 remittances in practice.claims_files).")
            return
        reasons = self.review["denials_by_reason"]
        if reasons:
            show("<h3>By reason</h3>" + table(
                [[r["code"] or "—", r["description"], f"{r['claims']:,}", money(r["charge"]),
                  money(r.get("denied_amount"))] for r in reasons[:15]],
                ["code", "reason", "claims", "charges", "denied amount"], num={2, 3, 4}))
        else:
            note("No denied claims in the data.")
        payers = sorted(self.review["by_payer"], key=lambda r: -(r["charge"] or 0))
        show("<h3>By payer</h3>" + table(
            [[p["payer"], f"{p['claims']:,}", money(p["charge"]), money(p["collected"]),
              pct(p.get("denial_rate")), pct(p.get("net_collection_rate")),
              kpi_value("days_in_ar", p.get("days_in_ar"))] for p in payers[:20]],
            ["payer", "claims", "charges", "collected", "denial rate", "net collection rate",
             "days in A/R"], num={1, 2, 3, 4, 5, 6}))

    def aging(self) -> None:
        if self.review is None:
            note("No claims data: A/R aging needs the practice's claims.")
            return
        aging = self.review["aging"]
        if not aging or not sum(a["open_ar"] or 0 for a in aging):
            note("No open A/R: every claim is settled.")
            return
        chart(aging_chart(aging))
        show(table([[a["bucket"], f"{a['claims']:,}", money(a["open_ar"]), pct(a.get("share"))]
                    for a in aging], ["days since service", "claims", "open A/R", "share"],
                   num={1, 2, 3}))

    def estimates(self) -> dict:
        """Recoverable revenue: denials worth appealing, and the gap to a 96% collection rate."""
        target = TARGETS["net_collection_rate"].green
        ncr = self.kpis.get("net_collection_rate")
        if self.review is None:
            c0 = self.scenario.practice.annual_collections
            from ..scenario.distributions import central
            up = (target / ncr - 1.0) * central(c0) if ncr and ncr < target else 0.0
            return {"implied_uplift_per_year": up}
        t = self.review["totals"]
        denied = float(t.get("denied_amount") or 0.0)
        base = float(t.get("charge") or 0.0) - float(t.get("contractual_adjustment") or 0.0)
        gap = max(0.0, (target - ncr) * base) if ncr is not None else 0.0
        appeal = denied * self.recovery
        # The two overlap (a denial lowers the collection rate), so the headline takes the
        # larger rather than the sum.
        return {"denied_amount": denied, "appeal_recoverable": appeal,
                "collection_gap": gap, "recoverable": max(appeal, gap),
                "period_days": self.review["period_days"]}

    def recoverable(self) -> None:
        e = self.estimates()
        if self.review is None:
            ncr = self.kpis.get("net_collection_rate")
            note("No claims data: the estimate below uses the stated net collection rate "
                 f"({pct(ncr)}) and annual collections.")
            show(table([["Added collections a year at a 96% net collection rate",
                         money(e["implied_uplift_per_year"])]], ["estimate", "amount"], num={1}))
            return
        show(table([
            ["Denied dollars still open", money(e["denied_amount"])],
            [f"Recoverable on appeal (at {pct(self.recovery, 0)})", money(e["appeal_recoverable"])],
            ["Gap to a 96% net collection rate over the period", money(e["collection_gap"])],
            ["Recoverable revenue estimate (the larger; they overlap)", money(e["recoverable"])],
        ], ["estimate", "amount"], num={1}))

    def assumptions(self) -> None:
        rows = [["Claims data", self._sources(), f"scenario file {self.path.name}"]]
        if self.review is not None:
            rows.append(["As of", self.review["as_of"], "latest date in the data unless given"])
        rows.append(["Appeal recovery rate", pct(self.recovery, 0), APPEAL_SOURCE])
        rows.append(["KPI definitions", "SPEC 5 (net and gross collection rate, denial rate, "
                     "clean claim rate, days in A/R, A/R over 90)", "AAFP, MGMA, HFMA MAP Keys"])
        for t in TARGETS.values():
            rows.append([f"Benchmark: {t.label}", ("≥ " if t.higher_is_better else "< ")
                         + kpi_value(t.kpi, t.green), t.source])
        show(table(rows, ["assumption", "value", "source"]))

    def _sources(self) -> str:
        if self.review is None:
            return "none (KPIs as stated in the scenario)"
        kinds = self.review.get("sources") or {}
        n = len(self.scenario.practice.claims_files)
        return f"{n} file{'s' if n != 1 else ''}" + (
            " (" + ", ".join(f"{v} {k}" for k, v in kinds.items() if v) + ")" if kinds else "")

    def record(self) -> None:
        figures = {"scenario": self.scenario.name, "template": "claims-review",
                   "has_claims": self.review is not None,
                   "claims": self.review["claims"] if self.review else None,
                   "as_of": self.review["as_of"] if self.review else None,
                   "kpis": self.kpis,
                   "grades": {n: TARGETS[n].grade(self.kpis.get(n)) for n in TARGETS},
                   "estimates": self.estimates()}
        display({FIGURES_MIME: _plain(figures)}, raw=True)
