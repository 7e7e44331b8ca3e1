"""The proposal template's sections: one vendor's offer to a prospect, fit to send.

It shows that vendor's terms only: other quotes appear as the practice's current cost and
an unnamed market range, never by name. The contract and the service levels come early
(page 1 or 2), every fee's arithmetic is shown, and the ROI is honest: the quoted uplift
stands beside the uplift the vendor's own SLA implies and beside no uplift at all. The
numbers are the decision report's (it subclasses :class:`Report`).
"""
from __future__ import annotations

from ..describe import count, money, pct, rate
from ..model.breakeven import gain_at_uplift
from ..model.evaluate import Evaluation
from ..model.inputs import with_inputs
from ..present import charts, narrative
from .html import keep, note, note_html, show, table
from .sections import Report

# The guide's range for a percentage-of-collections fee.
GUIDE_FEE_RANGE = (0.04, 0.10)
NOT_STATED = "not stated"


class Proposal(Report):
    """One vendor's offer, for a prospect: the same numbers, seen from that vendor only.

    ``vendor`` is matched ignoring case; it defaults to the recommended vendor, else the
    best eligible one, else the first (:func:`rcmmodel.reports.render.offer_vendor`).
    """

    def __init__(self, scenario_path, vendor: str | None = None, draws: int = 10_000,
                 seed: int = 12345, fee_schedule=None):
        from .render import offer_vendor

        super().__init__(scenario_path, draws=draws, seed=seed, fee_schedule=fee_schedule)
        name = offer_vendor(self.scenario, vendor)
        self.vendor = self.result.vendor(name)
        self.one = single_vendor(self.result, name)
        self.k = [v.name for v in self.result.vendors].index(name)

    # -- page 1: the offer against what the practice pays today

    def title(self, kind: str = "") -> None:
        super().title(kind or f"Outsourcing proposal from {self.vendor.name}")

    def recommendation(self) -> None:
        from .recommend import proposal_box
        proposal_box(self)

    def market_range(self) -> str:
        """Other quotes' all-in effective rates as an unnamed range, and the guide's range."""
        # a quote that cannot be chosen (no BAA) is no price the practice could pay
        others = [a.cost.effective_rate for a in self.comparison.assessments
                  if a.name != self.vendor.name and a.eligible]
        guide = (f"the billing services guide puts fees at {rate(GUIDE_FEE_RANGE[0])} to "
                 f"{rate(GUIDE_FEE_RANGE[1])} of collections")
        if not others:
            return guide[:1].upper() + guide[1:]
        span = (f"{pct(min(others))} to {pct(max(others))}" if len(others) > 1
                else pct(others[0]))
        return (f"{count(len(others), 'other quote')} for this practice that could be chosen: "
                f"{span} of collections all-in; {guide}")

    def at_a_glance(self) -> None:
        f = self.vendor.figures
        cost = self.comparison.vendor(self.vendor.name).cost
        rows = [["Your billing today: in-house cost a year", money(self.result.inhouse_tco)],
                [f"{self.vendor.name}: vendor cost a year", money(f.vendor_cost)],
                ["One-time fees (month 1)", money(f.one_time)],
                ["Effective rate, all-in", pct(cost.effective_rate)],
                ["Net gain a year", money(f.net_gain)],
                ["Return on the fee (ROI)", pct(f.roi, 0)],
                ["Payback", narrative.payback_text(self.vendor.planning.payback_month)]]
        v = self.vendor
        if not v.eligible:          # no figure that says it pays: it cannot be chosen
            for row in rows[4:]:
                row[1] = "not counted (no BAA)"
        elif v.planned is not None and v.planned.capped:
            rows.insert(4, [f"Net gain a year planned (at {pct(v.planned.uplift)}, what your "
                            "claims show being lost)", money(v.planning.net_gain)])
            rows[5][0] = f"Net gain a year as quoted (at {pct(v.planned.quote)})"
            rows[1][0] += " as quoted"
            rows[6] = ["Return on the fee (ROI), planned", pct(v.planning.roi, 0)]
            rows[7][0] = "Payback, planned"
        show(keep(table(rows, ["", ""], num={1}), note_html(
            f"Market range: {self.market_range()}. Effective rate: the vendor's yearly cost "
            "plus its one-time fees spread over the contract term, as a share of collections.")))

    def what_you_pay(self) -> None:
        """Every fee with its arithmetic, the monthly minimum included."""
        show(keep(self.fee_table(self.vendor.name),
                  note_html("A full year once the added collections have ramped up; one-time "
                            "fees are paid once, in the first month.")))

    # -- page 2: the contract and the service levels

    def terms(self) -> None:
        """The contract's terms ("not stated" where the quote is silent) and the SLA."""
        a = self.comparison.vendor(self.vendor.name)
        c = a.contract
        baa = {True: "yes", False: "no: it cannot be recommended",
               None: "not stated: get it in writing before signing"}
        renew = {True: "yes", False: "no", None: NOT_STATED}
        rows = [["Term", f"{c.term_months} months" if c.term_months else NOT_STATED],
                ["Notice to leave", f"{c.notice_days} days" if c.notice_days is not None
                 else NOT_STATED],
                ["Termination fee", money(c.termination_fee) if c.termination_fee is not None
                 else NOT_STATED],
                ["Renews automatically", renew[c.auto_renewal]],
                ["Cost of leaving (fee and fees owed over the notice)",
                 money(c.exit_cost) if getattr(c, "exit_cost", None) is not None
                 else NOT_STATED],
                ["Business Associate Agreement (HIPAA)", baa[a.diligence.answers["baa_offered"]]]]
        show(keep("<h3>Contract</h3>", table(rows, ["term", "the offer"])))
        show("<h3>Service levels</h3>")
        super().scorecard(self.vendor.name, diligence=False)

    # -- what the practice gains, honestly

    def uplift_cases(self) -> list[tuple[str, tuple, str]]:
        """(case, (uplift low, uplift high) or None, where it comes from): the quote, what
        its SLA implies, what the practice's claims data supports, and no uplift at all."""
        v = self.vendor
        quoted = float(self.one.inputs.vendors[0].uplift)
        implied = v.sla_implied_uplift
        sla_note = ("its SLA's net collection rate against yours today" if implied is not None
                    else "no net collection rate in the SLA, or yours is not known")
        cases = [("As quoted", (quoted, quoted), "the vendor's quote"),
                 ("What its SLA implies", None if implied is None
                  else (float(implied), float(implied)), sla_note)]
        ev = self.evidence()
        if ev is not None:
            cases.append(("What your claims data supports",
                          None if ev.get("low") is None else (ev["low"], ev["high"]),
                          "denials, underpayments and old A/R in your claims files"))
        cases.append(("No uplift at all", (0.0, 0.0), "collections as they are today"))
        return cases

    def evidence(self) -> dict | None:
        """The uplift range the practice's claims files support (None without claims)."""
        if not self.scenario.practice.claims_files:
            return None
        from ..claims.evidence import evidence
        from ..model.measure import measure_claims

        return evidence(measure_claims(self.scenario).review)

    def not_a_choice(self, what: str) -> bool:
        """For a vendor without a Business Associate Agreement, say that ``what`` is not
        shown, and why; True where it said so."""
        if self.vendor.eligible:
            return False
        note(f"{what} is not shown: {self.vendor.name} offers no Business Associate Agreement "
             "(BAA), which HIPAA requires, so it cannot be chosen whatever its figures.")
        return True

    def what_you_gain(self) -> None:
        if self.not_a_choice("What the offer would gain"):
            return
        v = self.vendor
        f = v.planning                  # what the decision plans on, as the lead says
        capped = bool(v.planned and v.planned.capped)
        rows = [["Added collections (uplift)" + (f", planned at {pct(v.planned.uplift)}"
                                                 if capped else ""), money(f.uplift_amount)],
                ["In-house billing cost you no longer pay", money(f.inhouse_savings)],
                ["Less: vendor cost (fee and extras)", money(-float(f.vendor_cost))],
                ["Net gain a year" + (", planned" if capped else ""), money(f.net_gain)],
                [f"Net present value (NPV) over {self.scenario.timeline.horizon_months} months",
                 money(f.npv)]]
        show(table(rows, ["", "a year"], num={1}))
        inputs, vin = self.one.inputs, self.one.inputs.vendors[0]
        c0, savings = float(inputs.practice.collections), float(inputs.inhouse.savings)
        cases = []
        for case, span, source in self.uplift_cases():
            if span is None:
                cases.append([case, NOT_STATED, "—", "—", "—", source])
                continue
            said = []
            for u in dict.fromkeys(span):       # one value, or the low and the high
                gain = float(gain_at_uplift(inputs, vin, u))
                cost = c0 * u + savings - gain      # net gain = uplift + savings - cost
                said.append((pct(u), money(c0 * u), money(gain),
                             pct(gain / cost, 0) if cost else "—"))
            cases.append([case] + [" to ".join(x) for x in zip(*said)] + [source])
        b = self.vendor.breakeven.get("min_uplift")
        show(keep("<h3>How much rests on the uplift</h3>", table(
            cases, ["uplift", "", "added collections", "net gain", "ROI", "from"],
            num={1, 2, 3, 4}, wide=True), note_html(
            "The quoted uplift is the vendor's promise; the SLA's is what it commits to in "
            "writing. Outsourcing pays for itself at an uplift of "
            + (f"{pct(b)} or more." if b is not None else "no uplift within reach."))))
        self.uncertainty(self.vendor.name)

    # -- the rest, seen from this vendor only

    def timeline(self) -> None:
        if self.not_a_choice("The month-by-month cash"):
            return
        full, self.result = self.result, self.one
        try:
            super().timeline()
        finally:
            self.result = full

    def scorecard(self, only: str | None = None, diligence: bool = True) -> None:
        super().scorecard(self.vendor.name, diligence=diligence)

    def breakeven(self, only: str | None = None) -> None:
        if self.not_a_choice("Where the offer would break even"):
            return
        super().breakeven(self.vendor.name)

    def sensitivity(self, vendor: str | None = None) -> None:
        if self.not_a_choice("What moves its net gain"):   # no map of where it pays
            return
        super().sensitivity(self.vendor.name)

    def fee_notes(self, only: str | None = None, arithmetic: bool = False) -> None:
        super().fee_notes(self.vendor.name, arithmetic=False)   # page 1 shows the arithmetic
        self.diligence(self.vendor.name)

    def assumptions(self, only: str | None = None) -> None:
        super().assumptions(self.vendor.name)

    def record(self, template: str = "proposal", **extra) -> None:
        super().record(template, vendor=self.vendor.name, **extra)


def single_vendor(result: Evaluation, name: str) -> Evaluation:
    """The same evaluation restricted to one vendor (for the proposal's charts)."""
    k = [v.name for v in result.vendors].index(name)
    return Evaluation(scenario=result.scenario,
                      inputs=with_inputs(result.inputs, vendors=[result.inputs.vendors[k]]),
                      vendors=[result.vendors[k]])


__all__ = ["Proposal", "single_vendor"]
