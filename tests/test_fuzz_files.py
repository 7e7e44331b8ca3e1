"""Hypothesis fuzzers for the files a user hands over besides a scenario: fee schedules,
prospect lists (CRM exports) and brand files. Whatever the file holds, the reader gives a
result or an :class:`RcmInputError` (exit 2, a message), never another exception; and what
it accepts works downstream (underpayments computed, each prospect's scenario evaluated,
the brand's header drawn without any input text becoming markup).

``RCM_FUZZ_EXAMPLES`` sets the examples per fuzzer (default 60)."""
from __future__ import annotations

import base64
import csv
import io
import os
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, fuzz_examples
from hypothesis import HealthCheck, given, settings, strategies as st

from rcmmodel.errors import RcmInputError

FUZZ = settings(max_examples=fuzz_examples(60), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
DATA = ROOT / "tests" / "data"
CRM_LISTS = ROOT / "scenarios" / "prospects"

# Cells as they come: numbers written every way, text with controls, quotes and separators.
numberish = st.sampled_from(["0", "95", "95.00", "$1,200", "1,5", "80.000", "-5", "1e308",
                             "nan", "inf", "-0", "0x10", "12 345", "٣", "½", "1_000", "",
                             " ", "N/A", "=1+1", "1.2.3", "9" * 400])
texty = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
cells = st.one_of(numberish, texty, st.sampled_from(["ACME", "acme ", "Blue Pelican",
                                                     "99213", "97110", "25", "\x1b[2J", "a\nb",
                                                     '"', ";", ",", "\t"]))


def _write(rows: list[list[str]], delimiter: str, encoding: str) -> Path:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    fd, name = tempfile.mkstemp(suffix=".csv")
    os.close(fd)
    path = Path(name)
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        data = buf.getvalue().encode("utf-8")
    path.write_bytes(data)
    return path


@st.composite
def tables(draw, columns: tuple[str, ...], extra=("owner", "stage", "notes", "")):
    header = draw(st.lists(st.sampled_from(columns + extra), min_size=1, max_size=12))
    if draw(st.booleans()):
        header = [h.title().replace("_", " ") for h in header]
    rows = draw(st.lists(st.lists(cells, min_size=0, max_size=len(header) + 1), max_size=8))
    return [header] + rows


# ------------------------------------------------------------------ fee schedules
@pytest.fixture(scope="module")
def snap():
    from rcmmodel.claims.review import read_claims

    data = read_claims([DATA / "lines_a.835", DATA / "lines_b.835"])
    return data.at(None)


@FUZZ
@given(table=tables(("payer", "procedure_code", "modifier", "allowed")),
       raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_fuzz_fee_schedules(snap, table, raw):
    from rcmmodel.claims.fees import read_fee_schedule, underpayments

    path = _write(table, ",", "utf-8")
    if raw is not None:
        path.write_bytes(raw)
    try:
        schedule = read_fee_schedule(path)
    except RcmInputError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    finally:
        path.unlink()
    found = underpayments(snap, schedule)
    assert found["amount"] >= 0 and all(p["amount"] >= 0 for p in found["by_payer"])


# ------------------------------------------------------------------ prospect lists
@pytest.fixture(scope="module")
def offer():
    from rcmmodel.reports.prospects import load_offer

    return load_offer(CRM_LISTS / "offer-example.yaml")


CRM_COLUMNS = ("name", "specialty", "providers", "annual_collections", "claims_per_month",
                    "inhouse_annual_cost", "billing_staff_fte", "avg_salary",
                    "patient_statements_per_month", "annual_charges", "days_in_ar",
                    "clean_claim_rate", "net_collection_rate", "denial_rate", "id")


@FUZZ
@given(table=tables(CRM_COLUMNS), delimiter=st.sampled_from([",", ";", "\t"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
def test_fuzz_prospect_lists(offer, table, delimiter, encoding):
    from rcmmodel.model.evaluate import evaluate
    from rcmmodel.reports.prospects import read_prospects
    from rcmmodel.scenario import parse_scenario

    path = _write(table, delimiter, encoding)
    try:
        prospects = read_prospects(path, offer)
    except RcmInputError as exc:
        assert exc.problems and all(p.message for p in exc.problems)
        return
    finally:
        path.unlink()
    slugs = [p.slug for p in prospects]
    assert len(set(slugs)) == len(slugs) and "index" not in slugs
    for p in prospects:
        assert all(ch.isprintable() for ch in p.name)
        if p.ok:                        # what the list accepts, the model evaluates
            evaluate(parse_scenario(p.scenario))
        else:
            assert p.problems


# ------------------------------------------------------------------ brand files
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
logos = st.one_of(
    st.just(PNG), st.binary(max_size=64),
    st.builds(lambda body: b'<svg xmlns="http://www.w3.org/2000/svg">' + body.encode() + b"</svg>",
              st.sampled_from(['<image href="http://x/a.png"/>', "<script>1</script>",
                               '<use href="#a"/>', "<rect/>", "<unclosed>", "&amp;", "]]>",
                               '<!DOCTYPE x [<!ENTITY e "x">]>'])),
    st.builds(lambda t: t.encode(), st.text(max_size=80)))
values = st.one_of(texty, st.integers(), st.none(), st.lists(texty, max_size=2),
                   st.sampled_from(["#0b3d91", "#fff", "red", "#12345g", "Northwind <b>",
                                    "javascript:alert(1)"]))


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["name", "logo", "colors", "contact", "extra"]),
                            values, max_size=5),
       colors=st.one_of(st.none(), st.dictionaries(st.sampled_from(["primary", "accent", "x"]),
                                                   values, max_size=3)),
       logo=st.one_of(st.none(), logos), raw=st.one_of(st.none(), st.binary(max_size=120)))
def test_fuzz_brand_files(data, colors, logo, raw):
    from rcmmodel.reports.brand import brand_css, brand_footer, brand_header, load_brand

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if colors is not None:
            data = {**data, "colors": colors}
        if logo is not None:
            (folder / "logo.img").write_bytes(logo)
            data = {**data, "logo": "logo.img"}
        path = folder / "brand.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True))
        if raw is not None:
            path.write_bytes(raw)
        try:
            brand = load_brand(path)
        except RcmInputError as exc:
            assert exc.problems and all(p.message for p in exc.problems)
            return
    page = brand_header(brand) + brand_footer(brand) + brand_css(brand)
    # Brand text is text: escaped, never a tag or a link (a name "javascript:" is just words).
    assert "<script" not in page.lower()
    assert not re.search(r"""(?:href|src)\s*=\s*["']?\s*javascript:""", page, re.I)
    tags = {t.lower() for t in re.findall(r"<([a-zA-Z]+)", page)}
    assert tags <= {"header", "footer", "div", "span", "img", "strong", "p"}, tags
    if brand.logo:
        assert brand.logo.startswith(("data:image/png;", "data:image/jpeg;",
                                      "data:image/svg+xml;"))
        if brand.logo.startswith("data:image/svg+xml;"):
            svg = base64.b64decode(brand.logo.split(",", 1)[1]).lower()
            assert b"<script" not in svg and b"http://" not in svg.replace(
                b"http://www.w3.org/", b"")
