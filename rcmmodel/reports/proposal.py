"""The proposal template's sections: one vendor's offer to a prospect, with the same numbers,
assumptions and caveats as the decision report (it subclasses :class:`Report`)."""
from __future__ import annotations

from ..present import charts
from ..present import narrative
from ..describe import money, pct
from ..scenario.pricing_models import pricing_label
from ..scenario.rules import name_key
from ..model.evaluate import Evaluation
from ..model.inputs import with_inputs
from .sections import Report, _spec, chart, show, table


class Proposal(Report):
    """One vendor's offer, for a prospect: the same numbers, seen from that vendor only.

    ``vendor`` defaults to the recommended vendor, else the best eligible one, else the first.
    """

    def __init__(self, scenario_path, vendor: str | None = None, draws: int = 10_000,
                 seed: int = 12345):
        super().__init__(scenario_path, draws=draws, seed=seed)
        names = [v.name for v in self.result.vendors]
        if vendor is None:
            vendor = self.decision.recommended or (self.result.best
                                                   or self.result.vendors[0]).name
        match = [n for n in names if name_key(n) == name_key(vendor)]   # ignoring case
        if not match:
            raise ValueError(f"{self.path}: no vendor named {vendor!r}; "
                             f"the scenario has {', '.join(names)}")
        vendor = match[0]
        self.vendor = self.result.vendor(vendor)
        self.one = single_vendor(self.result, vendor)

    def title(self, kind: str = "") -> None:
        super().title(kind or f"Outsourcing proposal from {self.vendor.name}")

    def recommendation(self) -> None:
        from .recommend import proposal_box
        proposal_box(self)

    def what_you_pay(self) -> None:
        f, spec = self.vendor.figures, _spec(self.scenario, self.vendor.name)
        rows = [["Service fee (" + pricing_label(spec) + ")", money(f.service_fee)],
                ["Recurring extras", money(f.recurring_extras)],
                ["Vendor cost per year (fee and extras)", money(f.vendor_cost)],
                ["All-in cost per year (one-time fees spread over the term)",
                 money(self.comparison.vendor(self.vendor.name).cost.all_in_annual)],
                ["Effective rate on collections", pct(self.comparison.vendor(self.vendor.name).cost.effective_rate)],
                ["One-time fees (month 1)", money(f.one_time)]]
        show(table(rows, ["", "amount"], num={1}))

    def what_you_gain(self) -> None:
        f = self.vendor.figures
        rows = [["Added collections (uplift)", money(f.uplift_amount)],
                ["In-house billing cost you no longer pay", money(f.inhouse_savings)],
                ["Less: vendor cost (fee and extras)", money(-float(f.vendor_cost))],
                ["Net gain per year", money(f.net_gain)],
                ["Return on the fee (ROI)", pct(f.roi, 0)],
                [f"NPV over {self.scenario.timeline.horizon_months} months", money(f.npv)],
                ["Payback", narrative.payback_text(f.payback_month)]]
        show(table(rows, ["", "per year"], num={1}))
        self.uncertainty(self.vendor.name)
        chart(charts.tco_breakdown(self.result))

    def timeline(self) -> None:
        full, self.result = self.result, self.one
        try:
            super().timeline()
        finally:
            self.result = full

    def scorecard(self, only: str | None = None) -> None:
        super().scorecard(self.vendor.name)

    def breakeven(self, only: str | None = None) -> None:
        super().breakeven(self.vendor.name)

    def sensitivity(self, vendor: str | None = None) -> None:
        super().sensitivity(self.vendor.name)

    def fee_notes(self, only: str | None = None) -> None:
        super().fee_notes(self.vendor.name)

    def record(self, template: str = "proposal", **extra) -> None:
        super().record(template, vendor=self.vendor.name, **extra)


def single_vendor(result: Evaluation, name: str) -> Evaluation:
    """The same evaluation restricted to one vendor (for the proposal's charts)."""
    k = [v.name for v in result.vendors].index(name)
    return Evaluation(scenario=result.scenario,
                      inputs=with_inputs(result.inputs, vendors=[result.inputs.vendors[k]]),
                      vendors=[result.vendors[k]])
