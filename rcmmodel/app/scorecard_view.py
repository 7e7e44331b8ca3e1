"""The Decision step's ranking, criterion by criterion: every criterion (the four built-in ones
and the practice's own, ``ranking.criteria``) with its share of the weights, each quote's
score on it, and the weighted total (read-only).

The figures are the library's (:func:`rcmmodel.vendors.scorecard.ranking_criteria`); the
words are present/'s. The table sits in a ``<details>`` element, open where the practice has
criteria of its own.
"""
from __future__ import annotations

import html

from ..describe import pct
from ..present.charts_vendors import criterion_label
from ..present.decision_text import own_criteria_note
from ..vendors.scorecard import ranking_criteria


def ranking_html(comparison) -> str:
    """The ranking as an HTML table: one row per quote (ranked first, excluded last), one
    column per criterion, the total last."""
    criteria = ranking_criteria(comparison)
    if not comparison.assessments:
        return ""
    head = "".join(f"<th>{html.escape(criterion_label(c.key))}<br>"
                   f"<span class='rcm-help'>{pct(c.share, 0)}</span></th>" for c in criteria)
    rows = []
    for a in comparison.ranked:
        rank = comparison.rank_of(a.name)
        total = comparison.score_of(a.name)["total"]
        cells = "".join(f"<td>{c.scores[a.name]:.0f}</td>" for c in criteria)
        last = (f"<td>{total:.0f}</td>" if a.eligible else
                "<td class='rcm-bad'>excluded</td>")
        rows.append(f"<tr><td>{rank or '—'}</td><td>{html.escape(a.name)}</td>{cells}{last}"
                    "</tr>")
    own = bool(comparison.own_criteria)
    note = ("Scores 0-100 per criterion (higher is better); the share under each is its "
            "weight among all the weights." + own_criteria_note(comparison))
    return (f"<details class='rcm-ranking-criteria'{' open' if own else ''}><summary>"
            "How the quotes rank, criterion by criterion</summary><div class='rcm-scroll'>"
            "<table class='rcm-table rcm-criteria-table'><tr><th>#</th><th>Quote</th>"
            f"{head}<th>Total</th></tr>{''.join(rows)}</table></div>"
            f"<div class='rcm-help'>{html.escape(note)}</div></details>")


__all__ = ["ranking_html"]
