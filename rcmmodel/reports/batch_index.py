"""The batch's ``index.html``: every practice with its key figures and links, sortable by the
figures (plain inline JavaScript, no CDN), then every failure with its reason, then the
practices an interrupted run did not reach.

Every name is HTML-escaped; every link is relative (``./``) and URL-quoted, so no input text
becomes markup or a script link.

(:func:`rcmmodel.describe.safe_href` makes the links.)
"""
from __future__ import annotations

import html
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

from .._files import write_set
from ..describe import safe_href

e = html.escape
INDEX = "index.html"
#: The mark on a row whose net gain is below zero: the offer would lose that practice money.
LOSES = "loses money"


@dataclass
class Cell:
    """A table cell: what is shown, and what it sorts by: a number (``math.inf`` for
    "never"), a text (sorted as words, ignoring case), or None (unknown: always last)."""

    text: str
    sort: float | str | None = None
    num: bool = False
    flag: str = ""                # a word shown beside the text, marking its whole row


def sort_value(value) -> str:
    """A cell's ``data-v``: what the page's script sorts by."""
    if value is None:
        return ""
    if isinstance(value, str):
        return e(value.casefold())
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    return f"{value:.6g}"


@dataclass
class Index:
    """What the page shows; :func:`page` turns it into HTML."""

    title: str
    headers: list[str]                      # last column holds the report links
    sortable: set[int] = field(default_factory=set)
    ascending: set[int] = field(default_factory=set)   # sorted low to high on first click
    rows: list[tuple[list[Cell], dict[str, str]]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)       # (what, why)
    not_rendered: list[str] = field(default_factory=list)
    running: bool = False                   # written at the start: the batch is under way
    note: str = ""


SCRIPT = """
function rcmKey(cell) {
  var v = cell.dataset.v;
  if (v === undefined || v === '') return null;
  var n = Number(v);
  return isNaN(n) ? v : n;
}
document.querySelectorAll('table.rcm-sortable th[data-col]').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0], col = +th.dataset.col;
    var now = th.getAttribute('aria-sort');
    var down = now ? now === 'ascending' : th.dataset.first !== 'asc';
    table.querySelectorAll('th[data-col]').forEach(function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = rcmKey(a.cells[col]), y = rcmKey(b.cells[col]);
      if (x === null || y === null) return (x === null) - (y === null);
      var c = (typeof x === 'string' || typeof y === 'string')
        ? String(x).localeCompare(String(y)) : (x < y ? -1 : x > y ? 1 : 0);
      return down ? -c : c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
});
"""

STYLE = """body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse;margin:8px 0 16px}th,td{border-bottom:1px solid #d9e2ec;
padding:4px 10px;text-align:left}th{background:#f0f4f8}td.num,th.num{text-align:right}
th[data-col]{cursor:pointer}th[data-col]:after{content:" \\2195";color:#8a9bb0}
th[aria-sort=descending]:after{content:" \\2193"}th[aria-sort=ascending]:after{content:" \\2191"}
h1,h2{color:#12355b}.failures td{color:#c62828}.pending li{color:#8a5a00}
tr.rcm-loses td{background:#fdf0f0}.rcm-flag{display:inline-block;margin-left:6px;padding:0 5px;
border-radius:3px;background:#c62828;color:#fff;font-size:80%;white-space:nowrap}
@media (max-width:600px){body{margin:12px}table{display:block;overflow-x:auto}}"""


def money_cell(x) -> Cell:
    """A dollar figure that sorts by its value; a dash where there is none."""
    from ..describe import money
    return Cell(money(x), float(x), num=True) if x is not None else Cell("—", None, num=True)


def payback_cell(month) -> Cell:
    """``month N`` sorting by N; "never" where it never pays back, sorting after every
    month (a fact, not a gap: it sorts by its value, first or last as the column goes)."""
    return Cell(f"month {month}", month, num=True) if month else \
        Cell("never", math.inf, num=True)


def blank_cell() -> Cell:
    """A figure there is none of (no vendor recommended): a dash, always sorted last."""
    return Cell("—", None, num=True)


def page(index: Index) -> str:
    """The HTML of the index page."""
    heads = []
    for i, h in enumerate(index.headers):
        attrs = ""
        if i in index.sortable:
            first = "asc" if i in index.ascending else "desc"
            num = ' class="num"' if index.rows and index.rows[0][0][i].num else ""
            attrs = f' data-col="{i}" data-first="{first}"{num} title="sort"'
        heads.append(f"<th{attrs}>{e(h)}</th>")
    body = []
    for cells, links in index.rows:
        tds = []
        for c in cells:
            cls = ' class="num"' if c.num else ""
            flag = f' <span class="rcm-flag">{e(c.flag)}</span>' if c.flag else ""
            tds.append(f'<td{cls} data-v="{sort_value(c.sort)}">{e(c.text)}{flag}</td>')
        anchors = " ".join(f'<a href="{e(safe_href(Path(name).name))}">{e(label)}</a>'
                           for label, name in links.items())
        row = ' class="rcm-loses"' if any(c.flag for c in cells) else ""
        body.append(f"<tr{row}>" + "".join(tds) + f"<td>{anchors}</td></tr>")
    failures = ""
    if index.failures:
        rows = "".join(f"<tr><td>{e(what)}</td><td>{e(why)}</td></tr>"
                       for what, why in index.failures)
        failures = (f"<h2>Failures ({len(index.failures)})</h2><table class=\"failures\">"
                    "<thead><tr><th>practice</th><th>what went wrong</th></tr></thead>"
                    f"<tbody>{rows}</tbody></table>")
    pending = ""
    if index.not_rendered:
        items = "".join(f"<li>{e(n)}</li>" for n in index.not_rendered)
        why = ("The batch is rendering these now; this page is rewritten when it ends. If it "
               "was stopped, run it again to render them." if index.running else
               "The batch was stopped before these practices were rendered; run it again "
               "to render them.")
        pending = (f"<h2>Not rendered ({len(index.not_rendered)})</h2><p>{why}</p>"
                   f"<ul class=\"pending\">{items}</ul>")
    done = len(index.rows)
    total = done + len(index.failures) + len(index.not_rendered)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(index.title)}</title><style>{STYLE}</style></head><body>
<h1>{e(index.title)}</h1>
<p>{done} of {total} practices rendered, {time.strftime('%Y-%m-%d %H:%M')}.
{e(index.note)}</p>
<table class="rcm-sortable"><thead><tr>{''.join(heads)}</tr></thead>
<tbody>{''.join(body)}</tbody></table>
{failures}
{pending}
<script>{SCRIPT}</script>
</body></html>
"""


def write(index: Index, out_dir) -> Path:
    """Write ``index.html`` into ``out_dir`` atomically."""
    return write_set(out_dir, {INDEX: page(index)})[INDEX]
