"""A report's notebook becomes its HTML page and its PDF through one export
(rcmmodel/reports/convert.py, docs/architecture.md): the body is made once and wrapped twice,
and what converting needs is readied while a kernel starts (``meanwhile``).

The template's run is replaced by a small executed notebook here (the kernel is not the
point); the real reports are rendered by the slow tests of test_reports.py."""
from __future__ import annotations

import nbformat
import pytest
from conftest import SCENARIOS

from rcmmodel.reports import convert, render

GUIDE = SCENARIOS / "guide-example.yaml"
FIGURES = {"net_gain": 1.5}


def executed_notebook():
    nb = nbformat.v4.new_notebook()
    params = nbformat.v4.new_code_cell("scenario_path = 'x'")
    params.metadata["tags"] = ["injected-parameters"]
    shown = nbformat.v4.new_code_cell("report.title()")
    shown.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<h1>Guide clinic</h1>"}),
        nbformat.v4.new_output("stream", name="stderr", text="a warning\n"),
        nbformat.v4.new_output("display_data", data={render.FIGURES_MIME: FIGURES})]
    nb.cells = [params, nbformat.v4.new_markdown_cell("## What you would pay"), shown]
    return nb


@pytest.fixture
def exports(monkeypatch):
    """The template's run replaced by :func:`executed_notebook`; every export counted."""
    calls = {"export": 0, "meanwhile": []}
    monkeypatch.setattr(render, "execute", lambda *a, meanwhile=None, **k: (
        calls["meanwhile"].append(meanwhile), executed_notebook())[1])
    real = convert.html_body

    def counted(nb):
        calls["export"] += 1
        return real(nb)

    monkeypatch.setattr(render, "html_body", counted)
    return calls


def test_html_and_pdf_share_one_export(exports):
    data, figures, name = render.render_bytes(GUIDE, "decision", ("html", "pdf", "ipynb"))
    assert exports["export"] == 1
    assert figures == FIGURES and name
    page = data["html"].decode()
    assert "<h1>Guide clinic</h1>" in page and "What you would pay" in page
    assert "a warning" not in page and "scenario_path" not in page   # readers see neither
    assert "<style>" in page                                         # self-contained
    assert data["pdf"].startswith(b"%PDF")
    assert nbformat.reads(data["ipynb"].decode(), as_version=4).cells   # the notebook whole
    # the conversion is readied while a kernel starts: render_bytes hands execute the work
    assert callable(exports["meanwhile"][0])


def test_notebook_alone_exports_nothing(exports):
    data, _, _ = render.render_bytes(GUIDE, "decision", ("ipynb",))
    assert exports["export"] == 0 and set(data) == {"ipynb"}


def test_page_wraps_the_body_with_or_without_the_stylesheet():
    nb = executed_notebook()
    body = convert.html_body(nb)
    inline = convert.page_html(body, "Guide <clinic>")
    bare = convert.page_html(body, "Guide <clinic>", inline_css=False)
    assert body in inline and body in bare
    assert convert.CSS in inline and convert.CSS not in bare     # the PDF applies it parsed
    assert "<title>Guide &lt;clinic&gt;</title>" in inline       # a title is text, escaped
    assert convert.to_html(nb, "Guide <clinic>") == inline


def test_prepare_readies_the_exporter_once():
    convert.prepare(("html",))
    first = convert._exporter()
    convert.prepare(("html",))
    assert convert._exporter() is first
