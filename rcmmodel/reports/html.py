"""Small HTML pieces the report sections display: tables, notes, charts as images, and
blocks kept together on a printed page.

Everything from an input file is escaped here (names, roles, notes), so no input text
becomes markup or a link.
"""
from __future__ import annotations

import base64
import html

from IPython.display import HTML, display

from ..present import charts
from .render import FIGURES_MIME

GRADE_WORDS = {"green": "on target", "amber": "watch", "red": "off target", None: "unknown"}
# rows: a longer table may break across pages (its header repeats); a shorter one fits a
# page and is kept whole. A table that may outgrow a page whatever its rows (the
# assumptions, its cells wrapping) says so (``long``): kept whole it would leave its
# heading alone on a page.
LONG_TABLE = 16


def esc(x) -> str:
    return html.escape(str(x))


def table(rows, header, num: set[int] | None = None, raw: bool = False,
          wide: bool = False, wrap_head: bool = False, muted: set[int] | None = None,
          long: bool = False) -> str:
    """An HTML table; columns in ``num`` right-aligned; cells escaped unless ``raw``;
    ``wide`` tables use a smaller type so many columns fit a printed page; ``wrap_head``
    lets long headers wrap (a name a user gave a column, say); rows in ``muted`` (0-based)
    are greyed: a vendor that cannot be chosen; ``long``: may break across pages whatever
    its rows."""
    num, muted = num or set(), muted or set()
    cell = (lambda x: str(x)) if raw else esc
    head = "".join(f'<th class="num">{esc(h)}</th>' if i in num else f"<th>{esc(h)}</th>"
                   for i, h in enumerate(header))
    body = "".join(("<tr class=\"rcm-excluded\">" if k in muted else "<tr>") + "".join(
        f'<td class="num">{cell(c)}</td>' if i in num else f"<td>{cell(c)}</td>"
        for i, c in enumerate(r)) + "</tr>" for k, r in enumerate(rows))
    # A short table is kept on one page; a long one may break, repeating its header.
    classes = (["rcm-wide"] if wide else []) + (["rcm-long"] if long or len(rows) > LONG_TABLE
                                                 else []) \
        + (["rcm-wrap-head"] if wrap_head else [])
    cls = f' class="{" ".join(classes)}"' if classes else ""
    thead = f"<thead><tr>{head}</tr></thead>" if any(str(h) for h in header) else ""
    return f"<table{cls}>{thead}<tbody>{body}</tbody></table>"


def sources_html(references) -> str:
    """The list of sources under an assumptions table, one citation a line."""
    items = "".join(f"<li>{esc(r)}.</li>" for r in references)
    return f'<div class="rcm-sources"><p><strong>Sources</strong></p><ul>{items}</ul></div>'


def badge(grade) -> str:
    return f'<span class="rcm-grade {grade or "none"}">{GRADE_WORDS[grade]}</span>'


def note_html(text: str) -> str:
    return f'<p class="rcm-note">{esc(text)}</p>'


def bullets(items) -> str:
    return "<ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def chart_html(c, alt_text: str | None = None) -> str:
    """An altair chart as an inline SVG image (rendered offline by vl-convert); as an image
    because inline SVGs of several charts would share clip-path ids."""
    spec = c.to_dict()              # once: it validates the whole chart, the costly part
    svg = charts.to_svg(spec)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    title = alt_text or _title(spec) or "chart"
    return f'<img class="rcm-chart" src="data:image/svg+xml;base64,{data}" alt="{esc(title)}">'


def _title(spec: dict) -> str:
    t = spec.get("title")
    if isinstance(t, dict):
        t = t.get("text")
    return t if isinstance(t, str) else ""


def keep(*parts: str) -> str:
    """A block the printed page keeps together (a table and the note that explains it)."""
    return '<div class="rcm-keep">' + "".join(parts) + "</div>"


def show(markup: str) -> None:
    display(HTML(markup))


def note(text: str) -> None:
    show(note_html(text))


def callout(text: str, positive: bool, label: str = "What the claims show.") -> None:
    """The report's opening line: green where the news is good, else amber. A claims review
    recommends no vendor, so its label says what it is."""
    cls = "rcm-recommendation" + ("" if positive else " rcm-negative")
    show(f'<p class="{cls}"><strong>{esc(label)}</strong> {esc(text)}</p>')


def plain(x):
    """JSON-safe copy: numpy scalars to Python, NaN to None."""
    import math

    if isinstance(x, dict):
        return {str(k): plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [plain(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        x = x.item()
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return None
    return x


def record(figures: dict) -> None:
    """Display a report's key figures as machine-readable output, hidden from readers
    (:data:`rcmmodel.reports.render.FIGURES_MIME`; tests read them back)."""
    display({FIGURES_MIME: plain(figures)}, raw=True)


def chart(c, text: str | None = None) -> None:
    """Display a chart, with the note under it kept on the same page."""
    show(keep(chart_html(c), note_html(text)) if text else chart_html(c))


def fee_table(evaluation, name: str) -> str:
    """Vendor ``name``'s fees with the arithmetic shown (:func:`rcmmodel.present.fees.fee_lines`),
    totals in bold."""
    from ..describe import money
    from ..present.fees import fee_lines

    rows = []
    for line in fee_lines(evaluation, name):
        amount = esc(money(line.amount, cents=0 < abs(line.amount) < 100))
        what, how = esc(line.what), esc(line.how)
        rows.append([f"<strong>{what}</strong>", how, f"<strong>{amount}</strong>"]
                    if line.total else [what, how, amount])
    return table(rows, ["fee", "how it is worked out", "amount"], num={2}, raw=True)


__all__ = ["badge", "bullets", "callout", "chart", "chart_html", "esc", "fee_table", "keep",
           "note", "note_html", "plain", "record", "show", "sources_html", "table"]
