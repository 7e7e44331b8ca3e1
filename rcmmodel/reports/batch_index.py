"""The batch's ``index.html``: every practice with its key figures and links, sortable by the
figures (plain inline JavaScript, no CDN), then every failure with its reason, then the
practices an interrupted run did not reach.

Every name is HTML-escaped; every link is relative (``./``) and URL-quoted, so no input text
becomes markup or a script link.

(:func:`rcmmodel.describe.safe_href` makes the links.)
"""
from __future__ import annotations

import html
import time
from dataclasses import dataclass, field
from pathlib import Path

from .._files import write_set
from ..describe import safe_href

e = html.escape
INDEX = "index.html"


@dataclass
class Cell:
    """A table cell: what is shown, and the number it sorts by (None sorts last)."""

    text: str
    sort: float | None = None
    num: bool = False


@dataclass
class Index:
    """What the page shows; :func:`page` turns it into HTML."""

    title: str
    headers: list[str]                      # last column holds the report links
    sortable: set[int] = field(default_factory=set)
    rows: list[tuple[list[Cell], dict[str, str]]] = field(default_factory=list)
    failures: list[tuple[str, str]] = field(default_factory=list)       # (what, why)
    not_rendered: list[str] = field(default_factory=list)
    running: bool = False                   # written at the start: the batch is under way
    note: str = ""


SCRIPT = """
document.querySelectorAll('table.rcm-sortable th[data-col]').forEach(function (th) {
  th.addEventListener('click', function () {
    var table = th.closest('table'), body = table.tBodies[0], col = +th.dataset.col;
    var down = th.getAttribute('aria-sort') !== 'descending';
    table.querySelectorAll('th[data-col]').forEach(function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', down ? 'descending' : 'ascending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[col].dataset.v, y = b.cells[col].dataset.v;
      if (x === undefined || x === '') return 1;
      if (y === undefined || y === '') return -1;
      return down ? y - x : x - y;
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
h1,h2{color:#12355b}.failures td{color:#c62828}.pending li{color:#8a5a00}"""


def money_cell(x) -> Cell:
    """A dollar figure that sorts by its value; a dash where there is none."""
    from ..describe import money
    return Cell(money(x), float(x), num=True) if x is not None else Cell("—", None, num=True)


def payback_cell(month) -> Cell:
    """``month N`` sorting by N; a dash where it never pays back."""
    return Cell(f"month {month}" if month else "—", month, num=True)


def page(index: Index) -> str:
    """The HTML of the index page."""
    heads = []
    for i, h in enumerate(index.headers):
        num = i in index.sortable
        attrs = f' data-col="{i}" class="num" title="sort"' if num else ""
        heads.append(f"<th{attrs}>{e(h)}</th>")
    body = []
    for cells, links in index.rows:
        tds = []
        for c in cells:
            v = "" if c.sort is None else f"{c.sort:.6g}"
            cls = ' class="num"' if c.num else ""
            tds.append(f'<td{cls} data-v="{v}">{e(c.text)}</td>')
        anchors = " ".join(f'<a href="{e(safe_href(Path(name).name))}">{e(label)}</a>'
                           for label, name in links.items())
        body.append("<tr>" + "".join(tds) + f"<td>{anchors}</td></tr>")
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
