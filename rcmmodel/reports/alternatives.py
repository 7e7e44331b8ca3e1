"""The reports' section on fixing billing in-house instead (docs/methodology.md §6): the
practice's alternatives with their figures at the planning uplift, the one sentence that
compares the best of them with the quotes, and the note that they are compared on money
alone. A scenario without alternatives shows nothing (not even the heading).

:class:`AlternativesSection` is mixed into :class:`rcmmodel.reports.sections.Report`, so
the decision report and the proposal (a subclass) call ``report.alternatives()``.
"""
from __future__ import annotations

from ..present.alternatives_text import (ALTERNATIVE_HEADS, MONEY_ALONE, alternative_line,
                                         comparison_sentence, offer_sentence)
from .html import esc, keep, note_html, show, table

HEADING = "Fixing billing in-house instead"


def alternatives_html(result, decision, offer=None) -> str:
    """The section's HTML ("" without alternatives); every name is escaped. A proposal
    (``offer``: its vendor's result) compares with that offer and names no other vendor."""
    found = result.alternatives
    if not found:
        return ""
    from ..present.alternatives_text import alternative_row

    rows = [alternative_row(a) for a in found]
    lines = [alternative_line(a) for a in found if a.planned.capped]
    horizon = result.scenario.timeline.horizon_months
    notes = [MONEY_ALONE,
             "Net gain a year = collections today x the planned uplift - the annual cost "
             "(nothing is saved in-house and no vendor is paid); the uplift ramps up like a "
             f"vendor's, the one-time cost falls in month 1; NPV over {horizon} months.",
             *lines]
    lead = (comparison_sentence(decision) if offer is None
            else offer_sentence(decision, float(offer.planning.net_gain)))
    return (f"<h2>{esc(HEADING)}</h2>"
            f"<p><strong>{esc(lead)}</strong></p>"
            + keep(table(rows, list(ALTERNATIVE_HEADS), num={1, 2, 3, 4, 5}),
                   *(note_html(n) for n in notes)))


class AlternativesSection:
    """``report.alternatives()``: the section, where the scenario lists alternatives."""

    def alternatives(self) -> None:
        # a proposal (it has a .vendor) speaks of its own offer only
        markup = alternatives_html(self.result, self.decision, getattr(self, "vendor", None))
        if markup:
            show(markup)


__all__ = ["AlternativesSection", "HEADING", "alternatives_html"]
