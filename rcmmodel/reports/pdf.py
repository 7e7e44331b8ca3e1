"""HTML to PDF with WeasyPrint, set up once per process.

Profiled on a proposal (6 pages, 5 charts): the first PDF in a process takes ~1.3 s, of
which ~0.5 s is one-time setup (importing WeasyPrint, building the fontconfig font
configuration, parsing the report stylesheet). A batch worker keeps the font configuration
and the parsed stylesheet, so every later report pays only for layout and drawing: ~1.0 s
of CPU, more than half of it drawing the charts' SVG (WeasyPrint's SVG renderer parses
every colour and length of every mark). Rasterising the charts first (resvg via
vl-convert) costs as much as it saves and loses the charts' text, so they stay vectors.
Of that drawing, about half is the charts' words: WeasyPrint (70) shapes and draws SVG text
one character at a time (Kozea/WeasyPrint#2249).

>>> write_pdf("<html><body><p>Hello</p></body></html>", "/tmp/hello.pdf")  # doctest: +SKIP
"""
from __future__ import annotations

import atexit
import logging
import threading
from pathlib import Path

# One setup per thread: a Dask worker runs jobs on several threads, and WeasyPrint's font
# objects (Pango, fontconfig) are not documented as safe to share between threads.
_local = threading.local()


@atexit.register
def release_fonts() -> None:
    """Free this thread's fonts while the interpreter still stands: Pango/fontconfig objects
    left for interpreter teardown can crash the process on its way out (exit code 139). (A
    process that leaves without that teardown, as ``rcm`` does, skips it:
    :func:`rcmmodel.cli.main.leave`.)"""
    _local.__dict__.clear()
    import gc

    gc.collect()


def no_fetching():
    """WeasyPrint's URL fetcher for our pages: it opens ``data:`` URIs (the charts and the
    brand's logo, embedded by us) and refuses every other URL, ``file:``, ``http:`` and the
    rest, whoever asks (the page, its stylesheet, or an image inside an SVG). A report never
    reaches the disk or the network while it is drawn."""
    from weasyprint.urls import URLFetcher

    class DataOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.lower().startswith("data:"):
                raise ValueError("a report fetches nothing: only embedded data is drawn")
            return super().fetch(url, headers)

    return DataOnly(allowed_protocols={"data"}, allow_redirects=False)


def _shared(css_text: str):
    """(font configuration, parsed stylesheet), built on first use in a thread and kept."""
    setup = getattr(_local, "setup", None)
    if setup is None or setup["css_text"] != css_text:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration

        # WeasyPrint warns about every CSS property it ignores; none matter on paper.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        fonts = setup["fonts"] if setup else FontConfiguration()
        fetcher = setup["fetcher"] if setup else no_fetching()
        setup = _local.setup = {"css_text": css_text, "fonts": fonts, "fetcher": fetcher,
                                "css": weasyprint.CSS(string=css_text, font_config=fonts,
                                                      url_fetcher=fetcher)}
    return setup["fonts"], setup["css"], setup["fetcher"]


def prepare(css_text: str) -> None:
    """Set this thread up for PDFs before the first one is wanted: fonts, the parsed
    stylesheet, and a line of text laid out and drawn once (the first layout in a process
    loads Pango's and fontconfig's font data, which later reports then find ready)."""
    if getattr(_local, "setup", None) is not None:
        return
    import weasyprint

    fonts, css, fetcher = _shared(css_text)
    weasyprint.HTML(string="<p>rcmmodel 0123456789 <b>$</b></p>", url_fetcher=fetcher
                    ).write_pdf(stylesheets=[css], font_config=fonts)


# A last page filled less than this share of its height looks left over; the report is
# laid out once more with the appendix set tighter (see TIGHTER), which usually pulls the
# stragglers back onto the page before.
NEARLY_EMPTY = 0.4
# !important: these must win over the report's own rules, whatever order they load in.
TIGHTER = ("table.rcm-wide { font-size: 7.2pt !important; } "
           "table.rcm-wide th, table.rcm-wide td { padding: 1px 3px !important; "
           "line-height: 1.25 !important; } .rcm-sources p, .rcm-sources li { font-size: 7pt !important; } "
           "h2 { margin-top: 14px !important; }")
# The last resort: let blocks kept together (a table and its note) break across pages.
LOOSER = (".rcm-keep, table { break-inside: auto !important; "
          "page-break-inside: auto !important; }")


def last_page_fill(document) -> float:
    """How much of a rendered document's last page its content fills, 0 to 1: the bottom of
    its lowest line of text or image (block boxes stretch to the page's foot and say
    nothing)."""
    from weasyprint.formatting_structure import boxes

    box = document.pages[-1]._page_box
    top, height = box.content_box_y(), box.height
    bottom = top
    for root in box.children:
        if isinstance(root, boxes.MarginBox):        # the page number, a running footer
            continue
        for b in root.descendants():
            if isinstance(b, (boxes.LineBox, boxes.ReplacedBox)) and b.position_y is not None:
                bottom = max(bottom, b.position_y + b.margin_height())
    return max(0.0, min(1.0, (bottom - top) / height)) if height else 1.0


def pdf_bytes(page: str, css_text: str = "", base_url: str | None = None) -> bytes:
    """The PDF of an HTML page (:func:`_pdf_bytes`), with the cyclic garbage collector
    paused while WeasyPrint lays it out and draws it: its hundreds of thousands of boxes
    would otherwise set off full collections that walk every object of the process (10% of
    a report's PDF). What the PDF left behind is collected once, after it (all of it is
    young: nothing was collected meanwhile). A caller that paused the collector itself
    keeps it paused."""
    import gc

    running = gc.isenabled()
    gc.disable()
    try:
        return _pdf_bytes(page, css_text, base_url)
    finally:
        if running:
            gc.enable()
            gc.collect(0)


def _pdf_bytes(page: str, css_text: str = "", base_url: str | None = None) -> bytes:
    """The PDF of an HTML page, with ``css_text`` applied as a pre-parsed stylesheet.

    ``page`` should not carry the same stylesheet inline (it would be parsed again). Where
    the last page would be nearly empty, the page is laid out again with a tighter
    appendix, then also letting kept-together blocks break, and the first layout that
    saves the page is kept.
    """
    import weasyprint

    fonts, css, fetcher = _shared(css_text)
    html = weasyprint.HTML(string=page, base_url=base_url or str(Path.cwd()),
                           url_fetcher=fetcher)
    document = html.render(stylesheets=[css], font_config=fonts)
    extra = ""
    for more in (TIGHTER, LOOSER):
        if len(document.pages) < 2 or last_page_fill(document) >= NEARLY_EMPTY:
            break
        extra += more
        retry = html.render(stylesheets=[css, weasyprint.CSS(string=extra, font_config=fonts,
                                                             url_fetcher=fetcher)],
                            font_config=fonts)
        if len(retry.pages) < len(document.pages):
            document = retry
    return document.write_pdf()


def write_pdf(page: str, target, css_text: str = "") -> None:
    Path(target).write_bytes(pdf_bytes(page, css_text))
