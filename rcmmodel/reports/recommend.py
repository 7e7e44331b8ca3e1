"""The ``rcm-recommendation`` box: the decision (docs/methodology.md §6) as the first
thing a reader sees.

The decision report's box states :func:`rcmmodel.vendors.decide`: the recommended vendor
(or in-house), the financial best it overrules and why, the runner-up and margin, the
net-gain range, the lock-in, the excluded vendors and the count of quotes. A proposal's box
speaks of one vendor, and for an ineligible vendor says plainly that it cannot be
recommended: no ineligible vendor is ever shown in a positive (green) box.
"""
from __future__ import annotations

import html

from IPython.display import HTML, display

from ..describe import money, pct
from ..present import verdict
from ..present.decision_text import reason


def box(title: str, lead: str, points: list[str], tone: str) -> str:
    """The box's HTML; ``tone`` "positive" (green), "neutral" or "negative" (red). Every
    text is escaped (vendor names come from input files)."""
    cls = "rcm-recommendation" + {"positive": "", "neutral": " rcm-neutral",
                                  "negative": " rcm-negative"}[tone]
    items = "".join(f"<li>{html.escape(p)}</li>" for p in points)
    return (f'<div class="{cls}"><p><strong>{html.escape(title)}</strong> '
            f"{html.escape(lead)}</p>" + (f"<ul>{items}</ul>" if items else "") + "</div>")


def warnings_box(report, vendor: str | None = None) -> None:
    """Figures that are allowed but rarely true (docs/methodology.md §9, "Plausibility
    warnings"), in an amber box under the recommendation; a proposal (``vendor``) shows
    none about another vendor's quote."""
    from ..model.plausibility import plausibility
    from ..present.warnings_text import warning_text

    found = [w for w in plausibility(report.scenario, report.result)
             if vendor is None or w.vendor in (None, vendor)]
    if found:
        items = "".join(f"<li>{html.escape(warning_text(w))}</li>" for w in found)
        display(HTML('<div class="rcm-warnings"><p><strong>Check these figures before '
                     "relying on this report:</strong></p>" f"<ul>{items}</ul></div>"))


def decision_box(report) -> None:
    """The decision report's recommendation box (page 1)."""
    warnings_box(report)
    d = report.decision
    display(HTML(box("Recommendation:", reason(d),     # the reason opens with the verdict
                     verdict.decision_points(d, report.comparison, report.sim,
                                             report.scenario.claims_evidence),
                     "positive" if d.verdict in ("outsource", "improve") else "negative")))
    if d.ranges:
        from ..present.charts_decision import net_gain_ranges
        from .html import chart

        left_out = [e["vendor"] for e in d.to_dict()["excluded"]]
        chart(net_gain_ranges(d),
              "Each bar runs from the net gain with no added collections to the net gain at "
              "the uplift the vendor quoted; the diamond marks the uplift its own service "
              "levels imply" + ("; the triangle, the planned uplift: the most the practice's "
                                "claims show being lost" if any(r.get("capped") for r in
                                                                d.ranges.values()) else "")
              + "." + (f" Not shown: {', '.join(left_out)}, excluded (no Business Associate "
                       "Agreement)." if left_out else ""))


def proposal_box(proposal) -> None:
    """One vendor's box: what its offer is worth, and where it stands in the decision."""
    d, name = proposal.decision, proposal.vendor.name
    warnings_box(proposal, name)
    # A proposal names no other vendor: where the decision points elsewhere, it says so
    # without saying to whom (the decision report carries the names).
    if not d.eligible(name):
        display(HTML(box("Recommendation:", verdict.ineligible(name, d),
                         ["HIPAA requires a Business Associate Agreement before a vendor may "
                          "handle patient data."], "negative")))
        return
    v = proposal.vendor
    f = v.planning                       # what the decision plans on
    gain = float(f.net_gain)
    pays = gain > 0
    lead = (f"With {name}, {proposal.scenario.name} "
            + (f"gains {money(gain)}" if pays else f"loses {money(-gain)}")
            + f" a year once up to speed (ROI {pct(f.roi, 0)})")
    if v.planned is not None and v.planned.capped:
        lead += (f", planned at the {pct(v.planned.uplift)} rise in collections the "
                 f"practice's claims support; at the quoted {pct(v.planned.quote)} it would be "
                 f"{money(v.figures.net_gain)}")
    lead += "."
    points = [verdict.net_gain_range(d.ranges[name])]
    points.append(verdict.probability(d, proposal.sim, name))
    points.append(verdict.standing(d, name))
    points.append(f"Lock-in: {verdict.lock_in(proposal.comparison.vendor(name).contract)}.")
    title = ("Recommendation:" if d.recommended == name
             else "Worth considering:" if pays else "Not recommended:")
    # green only for the vendor the decision recommends: one decision on every surface
    tone = "positive" if d.recommended == name else "neutral" if pays else "negative"
    display(HTML(box(title, lead, [p for p in points if p], tone)))


__all__ = ["box", "decision_box", "proposal_box", "warnings_box"]
