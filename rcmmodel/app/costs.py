"""Costs up front: what billing costs her today, part by part, and what each quote would
cost a year (its fee, effective rate, one-time fees and the fee's arithmetic in words)
beside its net gain. Shown on the Quotes and Decision steps.

Every figure is the library's: the in-house parts are the model's own
(``evaluation.inputs.inhouse.parts``, :func:`rcmmodel.model.inhouse.inhouse_parts`), each
with where it comes from (:func:`rcmmodel.model.provenance.input_sources`, worded by
:func:`rcmmodel.present.assumptions.source_text`); a quote's fee lines are
:func:`rcmmodel.present.fees.fee_lines`, its effective rate the comparison's
(:mod:`rcmmodel.vendors.assess`). A quote blank until an entry is fixed says why
(:mod:`rcmmodel.app.stale`).
"""
from __future__ import annotations

import html

from ..describe import money, pct
from ..present.labels import inhouse_label

# The input each part of the in-house cost is computed from (its source is that input's).
PART_INPUTS = {"wages": "inhouse.staff[0].salary", "payroll_tax": "inhouse.payroll_tax_rate",
               "benefits": "inhouse.benefits_rate", "turnover": "inhouse.turnover.annual_rate",
               "total": "inhouse.annual_cost"}


def _e(x) -> str:
    return html.escape(str(x))


def inhouse_parts(result) -> list[tuple[str, float, str]]:
    """(part in words, dollars a year, where it comes from) of her in-house billing cost."""
    from ..model.provenance import input_sources
    from ..present.assumptions import source_text

    where = {s.path: s for s in input_sources(result.scenario)}
    rows = []
    for key, amount in result.evaluation.inputs.inhouse.parts.items():
        if not float(amount):
            continue
        path = PART_INPUTS.get(key, f"inhouse.costs.{key}")
        rows.append((inhouse_label(key), float(amount), source_text(where, path)))
    return rows


def inhouse_html(result) -> str:
    """Her in-house cost, part by part, with the total and what outsourcing saves."""
    ev = result.evaluation
    rows = [[_e(label), money(amount), f"<span class='rcm-source'>{_e(src)}</span>"]
            for label, amount, src in inhouse_parts(result)]
    rows.append(["<b>Billing costs you a year</b>",
                 f"<b class='rcm-inhouse-total'>{money(ev.inhouse_tco)}</b>", ""])
    if abs(float(ev.inhouse_savings) - float(ev.inhouse_tco)) > 0.005:
        rows.append(["Saved by outsourcing (less what stays in-house)",
                     money(ev.inhouse_savings), ""])
    return ("<h3 class='rcm-section'>What billing costs you today</h3>"
            + stacked(["Part", "A year", "Where it comes from"], rows, "rcm-inhouse"))


def fee_words(evaluation, name: str) -> tuple[str, str]:
    """(the yearly fee's arithmetic, the one-time fees') in words: 'Service fee: 7% x
    $550,000 = $38,500'."""
    from ..present.fees import fee_lines

    yearly, once = [], []
    for line in fee_lines(evaluation, name):
        if line.total and line.what != "Vendor cost a year":
            continue
        if line.what == "Vendor cost a year":
            continue
        text = (f"{line.what}: {line.how} = {money(line.amount)}" if line.how
                else f"{line.what}: {money(line.amount)}")
        (once if line.once else yearly).append(text)
    return "; ".join(yearly), "; ".join(once)


def quote_costs(session, name: str) -> dict | None:
    """What quote ``name`` costs and gains, or None while it is blank."""
    r = session.result
    if r is None or name in session.left_out:
        return None
    v = session.vendor_result(name)
    if v is None:
        return None
    yearly, once = fee_words(r.evaluation, name)
    return {"fee": float(v.figures.vendor_cost),
            "rate": r.comparison.vendor(name).cost.effective_rate,
            "one_time": float(v.figures.one_time), "net_gain": float(v.planning.net_gain),
            "yearly_words": yearly, "once_words": once}


def cost_cards(session, names=None) -> str:
    """One card per quote: yearly fee, effective rate, one-time fees, the arithmetic, and
    the net gain beside them (blank, saying why, until an entry is fixed)."""
    names = names if names is not None else [v.get("name") for v in
                                             session.data.get("vendors") or []]
    r = session.result
    cards = []
    for name in names:
        c = quote_costs(session, name)
        excluded = r is not None and c is not None and not r.decision.eligible(name)
        tag = " <span class='rcm-bad rcm-tag'>excluded</span>" if excluded else ""
        head = f"<div class='rcm-card-head'>{_e(name)}{tag}</div>"
        if c is None:
            why = session.left_out.get(name) or session.blocked or "not computed yet"
            cards.append(f"<div class='rcm-card rcm-card-blank' data-vendor='{_e(name)}'>"
                         f"{head}<div class='rcm-net-gain-small'>&mdash;</div>"
                         f"<div class='rcm-stale-why'>Blank until fixed: {_e(why)}</div>"
                         "</div>")
            continue
        tone = "rcm-good" if c["net_gain"] > 0 and not excluded else "rcm-bad"
        rows = [("Fees a year", money(c["fee"]), "rcm-fee"),
                ("Effective rate", pct(c["rate"]), "rcm-rate"),
                ("One-time fees", money(c["one_time"]) if c["one_time"] else "none",
                 "rcm-once"),
                ("Net gain a year", money(c["net_gain"]), f"rcm-gain {tone}")]
        table = "".join(f"<tr><th scope='row'>{a}</th><td class='{cls}'>{b}</td></tr>"
                        for a, b, cls in rows)
        words = _e(c["yearly_words"]) + (f"<br>Once: {_e(c['once_words'])}"
                                         if c["once_words"] else "")
        mine = " rcm-card-selected" if name == session.selected else ""
        cards.append(f"<div class='rcm-card{mine}' data-vendor='{_e(name)}'>{head}"
                     f"<table class='rcm-figures'>{table}</table>"
                     f"<div class='rcm-fee-words'>{words}</div></div>")
    return ("<div class='rcm-cards rcm-cost-cards'>" + "".join(cards) + "</div>"
            "<div class='rcm-help'>Fees a year: the vendor's fee on the collections it "
            "brings plus recurring extras, once up to speed. Effective rate: that and the "
            "one-time fees spread over the contract, as a share of collections. Net gain = "
            "added collections + in-house cost saved - fees.</div>")


CARD_CSS = """
.rcm-cards {display: grid; gap: 10px; margin: 6px 0 10px;
            grid-template-columns: repeat(auto-fill, minmax(min(100%, 280px), 1fr));}
.rcm-card {border: 1px solid #dde3ea; border-radius: 6px; padding: 8px 10px;
           background: #fff; min-width: 0; overflow-wrap: anywhere;}
.rcm-card-head {font-weight: 600; margin-bottom: 4px;}
.rcm-card-selected {border: 2px solid #1f5fa8;}
.rcm-card .rcm-figures {width: 100%;}
.rcm-card .rcm-figures td {text-align: right;}
.rcm-fee-words, .rcm-stale-why, .rcm-source {color: #555; font-size: 0.85em;
                                             line-height: 1.35;}
.rcm-stale-why {color: #8a5a00;}
table.rcm-table td.rcm-words, table.rcm-table td.rcm-fee-words,
table.rcm-table th.rcm-words {white-space: normal; text-align: left; max-width: 40em;}
.rcm-tag {font-size: 0.85em; font-weight: 600;}
table.rcm-stack th {white-space: normal;}
table.rcm-stack td:first-child {white-space: normal; min-width: 9em; max-width: 16em;}
.rcm-total td {font-weight: 600;}
@media (max-width: 600px) {
  table.rcm-stack, table.rcm-stack tbody, table.rcm-stack tr, table.rcm-stack td
    {display: block; width: 100%;}
  table.rcm-stack tr:first-child {display: none;}
  table.rcm-stack tr {border: 1px solid #dde3ea; border-radius: 6px; margin: 0 0 8px;
                      padding: 4px 8px;}
  table.rcm-stack tr.rcm-line {border: none; margin-top: -8px; padding-top: 0;}
  table.rcm-stack td {border: none; text-align: right; white-space: normal;
                      padding: 1px 0;}
  table.rcm-stack td::before {content: attr(data-label); float: left; color: #555;
                              padding-right: 8px;}
  table.rcm-stack td:first-child {text-align: left; font-weight: 600; max-width: none;}
  table.rcm-stack tr.rcm-line td {font-weight: normal; text-align: left; max-width: none;}
  table.rcm-stack td:empty {display: none;}
  /* a wide grid of figures (the ranking by criterion): narrower cells, words wrapped */
  table.rcm-criteria-table {width: 100%; table-layout: fixed; font-size: 0.78em;}
  table.rcm-criteria-table th, table.rcm-criteria-table td {white-space: normal;
    padding: 2px 3px; overflow-wrap: anywhere; text-align: right;}
  table.rcm-criteria-table th:nth-child(2), table.rcm-criteria-table td:nth-child(2)
    {width: 28%; text-align: left;}
  table.rcm-stack td:first-child::before {content: none;}
}
"""


# Columns of words, not figures: left-aligned and wrapped.
WORDY = {"Reason", "Can it be appealed?", "How it is counted", "Against your claims",
         "Where it comes from"}


def stacked(head: list[str], rows: list[list[str]], cls: str = "", lines=None,
            row_classes=None) -> str:
    """A table that becomes one card per row on a phone (``rcm-stack``): each cell carries
    its column's name; ``lines`` an optional line of words under each row, ``row_classes``
    an optional class for each row. Cells are HTML."""
    out = [f"<table class='rcm-table rcm-stack {cls}'><tr>"
           + "".join(f"<th{' class=rcm-words' if h in WORDY else ''}>{_e(h)}</th>"
                     for h in head) + "</tr>"]
    for i, row in enumerate(rows):
        tr = (f"<tr class='{_e(row_classes[i])}'>" if row_classes and row_classes[i]
              else "<tr>")
        out.append(tr + "".join(
            f"<td data-label='{_e(h)}'{' class=rcm-words' if h in WORDY else ''}>{c}</td>"
            for h, c in zip(head, row)) + "</tr>")
        if lines and lines[i]:
            out.append(f"<tr class='rcm-line'><td colspan='{len(head)}' "
                       f"class='rcm-fee-words'>{lines[i]}</td></tr>")
    return "".join(out) + "</table>"


__all__ = ["CARD_CSS", "cost_cards", "fee_words", "inhouse_html", "inhouse_parts",
           "quote_costs", "stacked"]
