"""--brand: a consultant's or billing company's identity on its reports."""
from __future__ import annotations

import subprocess

import pytest

from conftest import ROOT, SCENARIOS, rcm_inprocess
from rcmmodel.errors import RcmInputError
from rcmmodel.reports.brand import brand_footer, brand_header, load_brand, parse_brand

BRAND = ROOT / "tests" / "data" / "brand" / "northwind.yaml"


def problems(data, tmp_path=None):
    with pytest.raises(RcmInputError) as err:
        parse_brand(data, "brand.yaml", tmp_path)
    return {p.where: p.message for p in err.value.problems}


def test_the_example_brand_loads_with_its_logo_embedded():
    b = load_brand(BRAND)
    assert b.name == "Northwind Billing Partners" and b.primary == "#0b3d91"
    assert b.logo.startswith("data:image/png;base64,iVBOR")
    assert "jane@northwind.example" in b.contact


def test_every_mistake_is_named_at_once(tmp_path):
    (tmp_path / "notes.txt").write_text("not an image")
    found = problems({"name": "", "colors": {"primary": "blue", "accnet": "#fff"},
                      "logo": "notes.txt", "phone": 1}, tmp_path)
    assert set(found) == {"name", "colors.primary", "colors.accnet", "logo", "phone"}
    assert "hex colour like '#0b3d91'" in found["colors.primary"]
    assert "not a PNG, JPEG or SVG" in found["logo"]


def test_missing_logo_and_control_characters(tmp_path):
    found = problems({"name": "Evil\x1b[2J Co", "logo": "gone.png"}, tmp_path)
    assert "control characters" in found["name"] and "no such image file" in found["logo"]


def test_brand_text_is_escaped_never_markup():
    b = parse_brand({"name": "<script>alert(1)</script> & Co",
                     "contact": '"><img src=x onerror=alert(1)>'})
    page = brand_header(b) + brand_footer(b) + brand_footer(b, running=True)
    assert "<script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page and "&amp; Co" in page


def test_aliases_and_non_mappings_are_refused(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &x [1, 2]\nname: *x\n")
    with pytest.raises(RcmInputError, match="aliases"):
        load_brand(bomb)
    listed = tmp_path / "list.yaml"
    listed.write_text("- name\n")
    with pytest.raises(RcmInputError, match="mapping"):
        load_brand(listed)


def test_a_bad_brand_file_exits_2_before_any_work(tmp_path):
    bad = tmp_path / "brand.yaml"
    bad.write_text("name: Acme\ncolors: {primary: red}\n")
    proc = rcm_inprocess("report", SCENARIOS / "guide-example.yaml", "-o", tmp_path / "out",
                         "--brand", bad)
    assert proc.returncode == 2
    assert "colors.primary" in proc.stderr and "Traceback" not in proc.stderr
    assert "rendering" not in proc.stderr and not (tmp_path / "out").exists()


@pytest.mark.slow
def test_brand_on_the_cover_and_every_page(tmp_path):
    proc = rcm_inprocess("report", SCENARIOS / "guide-example.yaml", "-o", tmp_path,
                         "--template", "proposal", "--brand", BRAND)
    assert proc.returncode == 0, proc.stderr
    [page] = tmp_path.glob("*.html")
    [pdf] = tmp_path.glob("*.pdf")
    text = page.read_text(encoding="utf-8")
    assert text.count("data:image/png;base64,iVBOR") == 1          # the logo, embedded
    assert "Prepared by Northwind Billing Partners" in text and "#0b3d91" in text
    assert "src=\"http" not in text
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for i, p in enumerate(pages):             # the footer runs on every printed page
        assert "Northwind Billing Partners" in p, i
        assert "jane@northwind.example" in p, i
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                            text=True).stdout
    assert len(images.splitlines()) >= 3                   # header lines + the logo
