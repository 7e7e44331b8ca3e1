"""Sections of the ``audit`` template: after signing, is the vendor delivering?
(docs/methodology.md §12)

Page 1 gives the verdict in one sentence with the promised and the realized net gain, then
the key figures; the body shows the KPIs before and after against the SLA lines, the monthly
fee check, the denials the vendor still takes by reason, the exit arithmetic, what the audit
cannot tell, and the assumptions and sources. Every figure is read from
:meth:`rcmmodel.model.audit.Audit.to_dict`, the same dict ``rcm audit --json`` prints; it
holds aggregates only, so no patient identifier can reach the report.

The files come from the scenario's ``audit:`` block (:mod:`rcmmodel.scenario.audit_files`),
relative to the scenario file; ``vendor`` overrides the block's.
"""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from ..describe import money, pct
from ..model.audit import DELIVERING_FROM, NOT_DELIVERING_BELOW, audit
from ..model.measure import scenario_with_claims
from ..pricing import pricing_model
from ..present import charts_audit
from ..present.audit_text import (LIMITS, exit_rows, exit_sentence, sla_result,
                                  verdict_sentence)
from ..present.labels import ACTION_LABELS, KPI_LABELS, cite, format_kpi
from ..scenario import load_scenario
from ..scenario.audit_files import audit_args
from .html import bullets, chart, esc, note, record, show, table

#: The verdict box's colour: green, amber, red; none yet: amber.
_BOX = {"delivering": "", "partly": " rcm-neutral", "not delivering": " rcm-negative",
        None: " rcm-neutral"}


class AuditReport:
    """The audit of the vendor a scenario's ``audit:`` block names.

    Parameters
    ----------
    scenario_path : str or Path
    vendor : str, optional
        The vendor audited, instead of the block's (matched ignoring case).
    """

    def __init__(self, scenario_path, vendor=None):
        self.path = Path(scenario_path)
        scenario = load_scenario(self.path)
        self.args = audit_args(scenario, vendor=vendor)
        self.scenario = scenario_with_claims(scenario)
        self.result = audit(self.scenario, **self.args)
        self.d = self.result.to_dict()
        self.spec = next(v for v in self.scenario.vendors if v.name == self.d["vendor"])

    # -- page 1

    def title(self) -> None:
        d = self.d
        show(f"<h1>{esc(self.scenario.name)}</h1><p class=\"rcm-note\">Is "
             f"{esc(d['vendor'])} delivering? An audit after signing · in-house "
             f"{esc(d['before']['period']['start'])} to {esc(d['before']['period']['end'])}, "
             f"{esc(d['vendor'])} {esc(d['after']['period']['start'])} to "
             f"{esc(d['after']['period']['end'])} · prepared {_dt.date.today():%B %d, %Y} "
             "with rcmmodel</p>")

    def verdict(self) -> None:
        d = self.d
        show(f'<div class="rcm-recommendation{_BOX[d["verdict"]]}"><p><strong>Verdict.'
             f"</strong> {esc(verdict_sentence(d))}</p></div>")
        u, g, f = d["uplift"], d["net_gain"], d["fees"]
        rows = [["Net gain a year", money(g["promised"]), money(g["realized"])],
                ["Rise in collections", pct(u["promised"]),
                 "n/a" if u["realized"] is None else pct(u["realized"])],
                ["Fees a year", money(f["promised_a_year"]), money(f["a_year"])]]
        show(table(rows, ["", "promised at signing", "realized"], num={1, 2}))
        lines = [exit_sentence(d)]
        if f["invoiced"]:
            months = sum(m["overbilled"] > 0 for m in f["months"])
            lines.insert(0, f"Invoices: {money(f['overbilled'], cents=True)} billed above the "
                            f"contract in {months} of {len(f['months'])} months."
                         if f["overbilled"] else
                         f"Invoices: every one of the {len(f['months'])} months billed at or "
                         "under the contract.")
        show(bullets(lines))
        if d["sla"]:
            show("<h3>The service levels the contract states</h3>" + table(
                [[KPI_LABELS[r["kpi"]], format_kpi(r["kpi"], r["committed"]),
                  format_kpi(r["kpi"], r["achieved"]), sla_result(r)] for r in d["sla"]],
                ["KPI", "committed", "achieved", f"result ({d['vendor']})"], num={1, 2}))
        else:
            note("The contract states no service level: nothing to hold the vendor to.")

    # -- body

    def kpis(self) -> None:
        d = self.d
        fig = charts_audit.kpis_against_sla(d)
        if fig is not None:
            chart(fig)
        rows = [[esc(KPI_LABELS[k]), esc(format_kpi(k, v)),
                 esc(format_kpi(k, d["after"]["kpis"].get(k)))]
                for k, v in d["before"]["kpis"].items()]
        show("<h3>Every KPI, before and after</h3>" + table(
            rows, ["KPI", "before (in-house)", f"after ({d['vendor']})"], num={1, 2}))
        b, a = d["before"], d["after"]
        note(f"Before: {b['claims']:,} claims ({b['adjudicated_claims']:,} adjudicated), "
             f"{b['period']['start']} to {b['period']['end']}. After: {a['claims']:,} claims "
             f"({a['adjudicated_claims']:,} adjudicated), {a['period']['start']} to "
             f"{a['period']['end']}. Rates over adjudicated claims; 30 are needed on a side "
             "to grade it.")

    def fees(self) -> None:
        f = self.d["fees"]
        fig = charts_audit.fees_by_month(self.d)
        if fig is not None:
            chart(fig)
        how = (f"{self._pricing_words()}; a month's collections are the payments dated in "
               "that month in the vendor's files, and yearly extras count a twelfth a month.")
        if f["invoiced"]:
            rows = [[m["month"], money(m["collections"], cents=True),
                     money(m["contract"], cents=True), money(m["billed"], cents=True),
                     f"<strong class=\"rcm-over\">{esc(money(m['overbilled'], cents=True))}"
                     "</strong>" if m["overbilled"] > 0 else esc(money(0, cents=True))]
                    for m in f["months"]]
            rows = [[esc(c) for c in r[:4]] + [r[4]] for r in rows]
            rows.append(["<strong>Total</strong>", "", "", "",
                         f"<strong>{esc(money(f['overbilled'], cents=True))}</strong>"])
            show(table(rows, ["month", "collections", "contract fee", "billed", "overbilled"],
                       num={1, 2, 3, 4}, raw=True))
            note(f"Contract fee each month: {how} Fees a year: the invoices' total x 12 / "
                 f"{len(f['months'])} months = {money(f['a_year'])}.")
        else:
            show(table([[m["month"], money(m["collections"], cents=True),
                         money(m["contract"], cents=True)] for m in f["months"]],
                       ["month", "collections", "contract fee"], num={1, 2}))
            note(f"No invoices were given, so nothing is checked against the contract. "
                 f"Contract fee each month: {how}")

    def denials(self) -> None:
        den = self.d["after"]["denials"]
        before = self.d["before"]["denials"]
        note(f"After: {den['claims']:,} claims denied ({pct(den['rate'])} of those "
             f"adjudicated), {money(den['dollars'])}; before: {before['claims']:,} "
             f"({pct(before['rate'])}), {money(before['dollars'])}.")
        reasons = [r for r in den["by_reason"] if r["lines"]]
        if not reasons:
            note("The vendor's files show no denied claim.")
            return
        fig = charts_audit.denials_by_reason(self.d)
        if fig is not None:
            chart(fig)
        show(table([[f"{r['group']}-{r['code']}".strip("-") or "—", r["description"],
                     f"{r['lines']:,}", money(r["dollars"]),
                     ACTION_LABELS.get(r["action"], r["action"])] for r in reasons[:12]],
                   ["reason", "what it means", "claims", "dollars", "what to do"],
                   num={2, 3}))

    def exit(self) -> None:
        rows = exit_rows(self.d)
        if not rows:
            note("The claims cannot give the fees a year yet, so the cost of leaving is not "
                 "worked out.")
            return
        show(table(rows, ["", "how it is worked out", "amount"], num={2}))
        note(exit_sentence(self.d))

    def limits(self) -> None:
        show(bullets(LIMITS))

    def assumptions(self) -> None:
        from ..present.labels import CITED, references

        d, a = self.d, self.args
        files = lambda ps: ", ".join(Path(p).name for p in ps)  # noqa: E731
        rows = [
            ["Vendor audited", d["vendor"], "the scenario's audit: block" if not
             self._vendor_given() else "chosen for this report"],
            ["Collections before the vendor (C0)", money(d["baseline"]["collections"]),
             cite("practice") + " (at signing)"],
            ["In-house cost saved", money(d["baseline"]["inhouse_savings"]),
             cite("practice") + " (at signing)"],
            ["Uplift promised", pct(d["uplift"]["promised"]), cite("quote")],
            ["Pricing, minimum and extras", self._pricing_words(), cite("quote")],
            ["Termination fee and notice", f"{money(d['exit_terms']['termination_fee'] or 0)}"
             f", {d['exit_terms']['notice_days'] or 0} days", cite("quote")],
            ["Before: the practice's own billing", files(a["before"]), cite("measured")],
            ["After: the vendor's billing", files(a["after"]), cite("measured")],
            ["Invoices", Path(a["invoices"]).name if a["invoices"] else "none given",
             "the vendor's invoices"],
            ["Verdict rule", f"not delivering below {pct(NOT_DELIVERING_BELOW, 0)} of the "
             f"promised net gain; delivering with every SLA KPI met and at least "
             f"{pct(DELIVERING_FROM, 0)}", cite("methodology") + " §12"],
            ["KPI definitions", "net collection rate, clean claim rate, denial rate, days in "
             "A/R, as for the claims review", f"{cite('aafp', 'mgma', 'hfma')}; "
             f"{cite('methodology')}"],
        ]
        show(table(rows, ["assumption", "value", "source"], wide=True))
        keys = [k for k in ("aafp", "mgma", "hfma", "methodology") if k in CITED]
        show('<div class="rcm-sources"><p><strong>Sources.</strong> '
             + esc(" ".join(f"{r}." for r in references(keys))) + "</p></div>")

    def _vendor_given(self) -> bool:
        block = self.scenario.audit
        return block is None or block.vendor.casefold() != self.d["vendor"].casefold()

    def _pricing_words(self) -> str:
        from ..model.evaluate import evaluate

        ev = evaluate(self.scenario)
        quote = ev.inputs.vendors[[v.name for v in self.scenario.vendors].index(self.d["vendor"])]
        extras = [f"{money(quote.per_provider_monthly)} per provider a month"] \
            if quote.per_provider_monthly else []
        extras += [f"{money(quote.per_statement, cents=True)} per patient statement"] \
            if quote.per_statement else []
        extras += [f"{money(v)} a year of {k.replace('_', ' ')}"
                   for k, v in (quote.other_annual or {}).items()]
        return (f"{pricing_model(quote.pricing).summary(quote.pricing)}, at least "
                f"{money(quote.monthly_minimum)} a month"
                + (f"; {', '.join(extras)}" if extras else ""))

    def record(self) -> None:
        """The audit's figures for machines: exactly what ``rcm audit --json`` prints."""
        record({"scenario": self.scenario.name, "template": "audit", "audit": self.d})
