"""An executed report notebook into what people read: the HTML page and the PDF.

nbconvert's ``basic`` template gives the cell bodies only (no code, no prompts); the body
is exported once per report (:func:`html_body`) and wrapped twice (:func:`page_html`): with
the stylesheet inline for the HTML file, without it for the PDF, which applies it
pre-parsed (WeasyPrint, :mod:`.pdf`). The page carries no CDN script or stylesheet.

The one-time parts of a conversion (nbconvert's templates, WeasyPrint's fonts and parsed
stylesheet) are built while the report's kernel starts in its own process
(:func:`prepare`), so a cold ``rcm report`` does not wait for them after the template.
"""
from __future__ import annotations

import html
import re
import threading
from pathlib import Path

from .style import CSS

#: The mime type under which a template records its key figures (see report_sections.record).
FIGURES_MIME = "application/vnd.rcmmodel.figures+json"


def recorded_figures(nb) -> dict | None:
    """The key figures a template recorded (the last output of type :data:`FIGURES_MIME`)."""
    found = None
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if FIGURES_MIME in data:
                found = data[FIGURES_MIME]
    return dict(found) if found is not None else None


def _presentable(nb):
    """A copy of the executed notebook fit for readers: no stderr, no errors, no parameters."""
    import copy

    nb = copy.deepcopy(nb)
    keep = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "injected-parameters" in tags:
            continue
        if cell.cell_type == "markdown" and "papermill-error-cell-tag" in tags:
            continue
        if cell.cell_type == "code":
            # Readers see neither warnings (stderr) nor the figures kept for machines.
            cell.outputs = [o for o in cell.outputs
                            if not (o.output_type == "stream" and o.get("name") == "stderr")
                            and o.output_type != "error"
                            and FIGURES_MIME not in o.get("data", {})]
        keep.append(cell)
    nb.cells = keep
    return nb


_exporters = threading.local()


def _new_exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                        exclude_output_prompt=True, anchor_link_text="")


def _exporter():
    """nbconvert's exporter, built once per thread (loading its templates takes a while)."""
    exporter = getattr(_exporters, "html", None)
    if exporter is None:
        exporter = _exporters.html = _new_exporter()
    return exporter


def prepare(formats) -> None:
    """Get this thread ready to convert a report into ``formats``: the notebook runner's
    modules, nbconvert's exporter with its templates compiled, and WeasyPrint with its fonts
    and the parsed stylesheet. Called while the report's kernel starts and imports (its own
    process, on another core), so a cold ``rcm report`` does not wait for them after the
    template; whatever this thread has already is not built again."""
    import nbclient  # noqa: F401   (the kernel's runner)
    import papermill.parameterize  # noqa: F401

    if {"html", "pdf"} & set(formats) and getattr(_exporters, "html", None) is None:
        import nbformat

        _exporter().from_notebook_node(nbformat.v4.new_notebook())   # compiles its templates
    if "pdf" in formats:
        from .pdf import prepare as prepare_pdf

        prepare_pdf(CSS)


def html_body(nb) -> str:
    """The executed notebook's readable part as HTML (nbconvert, no code, no prompts): made
    once per report and wrapped by :func:`page_html` for the HTML file and for the PDF."""
    body, _ = _exporter().from_notebook_node(_presentable(nb))
    # The basic template adds no head; strip any remote script or stylesheet a future
    # nbconvert might add anyway, so the page stays offline.
    body = re.sub(r'<script[^>]+src=["\']https?://[^>]*>\s*</script>', "", body, flags=re.I)
    body = re.sub(r'<link[^>]+href=["\']https?://[^>]*>', "", body, flags=re.I)
    # Charts arrive as <img src="data:image/svg+xml;base64,..."> (inline, offline; kept as
    # images because inline SVGs would share clip-path ids); give them a real alt text.
    return body.replace('alt="No description has been provided for this image"', 'alt="chart"')


def page_html(body: str, title: str, inline_css: bool = True, brand=None) -> str:
    """A self-contained HTML page around a report's :func:`html_body`; with a
    :class:`~rcmmodel.reports.brand.Brand`, its masthead, colours and footer.

    ``inline_css=False`` leaves the shared stylesheet out, for :func:`to_pdf`, which applies
    it pre-parsed; the brand's few colour rules stay inline either way.
    """
    from .brand import brand_css, brand_footer, brand_header

    css = (CSS if inline_css else "") + brand_css(brand)
    style = f"<style>{css}</style>\n" if css else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n{style}</head>\n<body>\n"
            # The footer comes first: printed, it runs in every page's margin from page 1.
            f"<main class=\"rcm-report\">\n{brand_footer(brand, running=True)}"
            f"{brand_header(brand)}\n{body}\n{brand_footer(brand)}</main>\n</body>\n</html>\n")


def to_html(nb, title: str, inline_css: bool = True, brand=None) -> str:
    """A self-contained HTML page of an executed notebook (:func:`html_body` wrapped by
    :func:`page_html`)."""
    return page_html(html_body(nb), title, inline_css, brand)


def to_pdf(page: str, target=None) -> bytes:
    """The PDF of a page made by ``to_html(..., inline_css=False)`` (WeasyPrint, no browser);
    written to ``target`` too if given. Font setup and the stylesheet are reused."""
    from .pdf import pdf_bytes

    data = pdf_bytes(page, CSS)
    if target is not None:
        Path(target).write_bytes(data)
    return data
