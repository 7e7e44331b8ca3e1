"""What the worked notebooks in ``notebooks/`` share: charts drawn offline, and their key
figures shown to the reader and recorded for the tests.

A worked notebook calls :func:`static_charts` once, then displays altair charts as usual;
it ends with :func:`key_figures`, a small table of the figures it found that also carries
them as machine-readable output (:data:`rcmmodel.reports.render.FIGURES_MIME`), which
``tests/test_notebooks_nbval.py`` reads back and compares with the library.
"""
from __future__ import annotations

import html
import math

from IPython.display import display

from ..present.charts import STATIC_CONFIG
from .html import plain
from .render import FIGURES_MIME

RENDERER = "rcmmodel-svg"


def svg_renderer(spec: dict, **_options) -> dict:
    """An altair renderer: the chart as SVG drawn in the kernel by vl-convert, so it shows
    in JupyterLab, in exported HTML and offline, with the reports' font."""
    import vl_convert as vlc

    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    return {"image/svg+xml": vlc.vegalite_to_svg(spec, config=STATIC_CONFIG),
            "text/plain": f"<chart: {text}>" if text else "<chart>"}


def static_charts() -> None:
    """Draw every altair chart of this kernel as SVG, offline (no CDN, no browser-side
    renderer needed)."""
    import altair as alt

    if RENDERER not in alt.renderers.names():
        alt.renderers.register(RENDERER, svg_renderer)
    alt.renderers.enable(RENDERER)


def _shown(value) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return "n/a" if value is None else str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "n/a"
    if isinstance(value, (int, float)):
        return f"{value:,.6g}"
    return str(value)


def key_figures(figures: dict) -> None:
    """Show the notebook's key figures as a two-column table and record them, unrounded,
    for the tests (:func:`rcmmodel.reports.render.recorded_figures` reads them back)."""
    figures = plain(figures)
    rows = "".join(f"<tr><td style=\"text-align:left\"><code>{html.escape(str(k))}</code></td>"
                   f'<td style="text-align:right">{html.escape(_shown(v))}</td></tr>'
                   for k, v in figures.items())
    text = "\n".join(f"{k}: {_shown(v)}" for k, v in figures.items())
    display({FIGURES_MIME: figures,
             "text/html": f"<table><thead><tr><th>figure</th><th>value</th></tr></thead>"
                          f"<tbody>{rows}</tbody></table>",
             "text/plain": text}, raw=True)


__all__ = ["RENDERER", "key_figures", "static_charts", "svg_renderer"]
