"""A brand's SVG logo reaches for nothing (rcmmodel/reports/logo.py), and the PDF renderer
fetches nothing but the data we embedded (rcmmodel/reports/pdf.py, ``no_fetching``): an SVG
whose ``<image href>`` points at a local web server or a file on disk has nothing fetched
and nothing embedded."""
from __future__ import annotations

import base64
import http.server
import io
import threading

import pytest
import yaml

from rcmmodel.errors import RcmInputError
from rcmmodel.reports.brand import load_brand
from rcmmodel.reports.logo import UnsafeSvg, clean_svg

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")


def svg(body: str, head: str = "") -> bytes:
    return (f'{head}<svg xmlns="http://www.w3.org/2000/svg" '
            f'xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20">'
            f'<rect id="r" width="10" height="10" fill="#0b3d91"/>{body}</svg>').encode()


DATA_PNG = "data:image/png;base64," + base64.b64encode(PNG).decode()


@pytest.mark.parametrize("body, gone", [
    ('<script>alert(1)</script>', "script"),
    ('<foreignObject><iframe src="http://x/"/></foreignObject>', "foreignObject"),
    ('<image href="http://127.0.0.1:9/a.png" width="5" height="5"/>', "127.0.0.1"),
    ('<image xlink:href="file:///etc/passwd" width="5" height="5"/>', "/etc/passwd"),
    ('<image href="/tmp/secret.png" width="5" height="5"/>', "secret.png"),
    ('<use href="other.svg#x"/>', "other.svg"),
    ('<feImage href="https://example.com/i.png"/>', "example.com"),
    ('<style>@import url(http://x/y.css);</style>', "@import"),
    ('<rect width="5" height="5" fill="url(http://x/p.svg#g)"/>', "http://x"),
    ('<rect width="5" height="5" style="fill: url(\'file:///x\')"/>', "file:///x"),
    ('<rect width="5" height="5" onload="alert(1)"/>', "onload"),
    ('<a href="javascript:alert(1)"><rect width="5" height="5"/></a>', "javascript"),
    ('<set attributeName="href" to="http://x/"/>', "http://x/"),
    ('<!-- http://comment.example/ -->', "comment.example"),
])
def test_clean_svg_removes_every_reach_outside(body, gone):
    cleaned = clean_svg(svg(body)).decode()
    assert gone not in cleaned, cleaned
    assert 'id="r"' in cleaned                      # the drawing itself stays


@pytest.mark.parametrize("body, kept", [
    ('<use href="#r" x="12"/>', 'href="#r"'),
    ('<use xlink:href="#r" x="12"/>', '#r'),
    ('<rect width="5" height="5" fill="url(#g)"/>', "url(#g)"),
    (f'<image href="{DATA_PNG}" width="5" height="5"/>', DATA_PNG[:40]),
])
def test_clean_svg_keeps_what_stays_inside(body, kept):
    assert kept in clean_svg(svg(body)).decode()


@pytest.mark.parametrize("data, words", [
    (svg("", head='<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'), "DOCTYPE"),
    (b"<svg><unclosed></svg>", "not a readable SVG"),
    (b'<html xmlns="http://www.w3.org/1999/xhtml"><svg/></html>', "not an SVG"),
])
def test_clean_svg_refuses_what_it_cannot_clean(data, words):
    with pytest.raises(UnsafeSvg, match=words):
        clean_svg(data)


def test_a_brand_with_a_hostile_svg_is_refused_or_cleaned(tmp_path):
    (tmp_path / "bad.svg").write_bytes(svg("", head='<!DOCTYPE svg [<!ENTITY x "y">]>'))
    (tmp_path / "brand.yaml").write_text(yaml.safe_dump({"name": "N", "logo": "bad.svg"}))
    with pytest.raises(RcmInputError, match="logo: bad.svg: an SVG with a DOCTYPE"):
        load_brand(tmp_path / "brand.yaml")
    (tmp_path / "ok.svg").write_bytes(svg('<image href="http://127.0.0.1:9/a.png"/>'))
    (tmp_path / "brand.yaml").write_text(yaml.safe_dump({"name": "N", "logo": "ok.svg"}))
    logo = load_brand(tmp_path / "brand.yaml").logo
    assert logo.startswith("data:image/svg+xml;base64,")
    assert b"127.0.0.1" not in base64.b64decode(logo.split(",", 1)[1])


@pytest.fixture
def server():
    """A local web server that records every path asked of it (and serves a PNG)."""
    asked: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    httpd.shutdown()


def _images(pdf: bytes) -> int:
    from pypdf import PdfReader

    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.slow
def test_the_pdf_fetches_nothing_but_embedded_data(tmp_path, server):
    """Even an SVG that was never cleaned (the fetcher alone), and a page naming outside
    images directly: no request reaches the server, no file is read, no image is drawn."""
    from rcmmodel.reports.pdf import pdf_bytes

    url, asked = server
    secret = tmp_path / "secret.png"
    secret.write_bytes(PNG)
    raw = svg(f'<image href="{url}/in-svg.png" width="9" height="9"/>'
              f'<image href="{secret.as_uri()}" width="9" height="9"/>'
              f'<image href="{secret}" width="9" height="9"/>')
    inline = "data:image/svg+xml;base64," + base64.b64encode(raw).decode()
    page = (f'<html><head><link rel="stylesheet" href="{url}/style.css">'
            f'<style>@import url("{url}/more.css"); body {{ background: url({url}/bg.png) }}'
            f'</style></head><body><p>Logo</p><img src="{inline}">'
            f'<img src="{url}/direct.png"><img src="{secret.as_uri()}"><img src="secret.png">'
            f'</body></html>')
    pdf = pdf_bytes(page, base_url=str(tmp_path))
    assert asked == []
    assert _images(pdf) == 0
    # The same page with the PNG embedded as data: drawn, so the count above can fail.
    assert _images(pdf_bytes(f'<html><body><img src="{DATA_PNG}"></body></html>')) == 1


JAPANESE = "さくら内科クリニック"


@pytest.mark.slow
def test_japanese_names_print_in_the_pdf(tmp_path):
    """Non-Latin names print as letters, not boxes: the report's font stack falls back to
    Noto Sans CJK (fonts-noto-cjk, installed by .ci/run and named in the README)."""
    import shutil
    import subprocess

    if not subprocess.run(["fc-list", ":lang=ja"], capture_output=True, text=True).stdout:
        pytest.skip("no Japanese font installed: apt-get install -y fonts-noto-cjk")
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils (pdftotext, pdffonts) not installed")
    from rcmmodel.reports.pdf import pdf_bytes
    from rcmmodel.reports.render import CSS

    path = tmp_path / "ja.pdf"
    path.write_bytes(pdf_bytes(f'<html><body><main class="rcm-report"><h1>{JAPANESE}: '
                               'proposal</h1><p>Practice</p></main></body></html>', CSS))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                          text=True).stdout
    assert JAPANESE in text
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    assert "CJK" in fonts, fonts
