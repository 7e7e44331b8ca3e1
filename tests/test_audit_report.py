"""The audit report (`rcm report --template audit`): rendered once from the README's example
command, with a brand, every figure shown pinned to the library's (rcm audit --json), no
patient identifier in the HTML or the PDF. An audit batch (`rcm batch --template audit`) is
tests/test_batch.py's, on its Dask cluster's warm kernels."""
from __future__ import annotations

import json
import re
import shlex
import subprocess

import pytest

from conftest import ROOT, rcm_inprocess

from rcmmodel.describe import money, pct
from rcmmodel.present.labels import format_kpi

pytestmark = pytest.mark.slow
EXAMPLE = ROOT / "scenarios" / "audit" / "audit-example.yaml"
BRAND = ROOT / "tests" / "data" / "brand" / "northwind.yaml"


def readme_command() -> list[str]:
    """The README's `rcm report ... --template audit` line, as printed."""
    line = next(l for l in (ROOT / "README.md").read_text().splitlines()
                if l.startswith("rcm report") and "--template audit" in l)
    return shlex.split(line)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("audit")
    argv = readme_command()
    argv[argv.index("-o") + 1] = str(out)           # the README writes to reports/
    proc = rcm_inprocess(*argv[1:], "--format", "html,pdf,ipynb", "--brand", BRAND, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    html = (out / "audit-example-audit.html").read_text()
    pdf = out / "audit-example-audit.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    nb = json.loads((out / "audit-example-audit.ipynb").read_text())
    figures = [o["data"]["application/vnd.rcmmodel.figures+json"] for c in nb["cells"]
               for o in c.get("outputs", []) if "application/vnd.rcmmodel.figures+json"
               in o.get("data", {})][-1]
    d = json.loads(rcm_inprocess("audit", EXAMPLE, "--json").stdout)
    return {"html": html, "pdf": text, "figures": figures, "audit": d, "out": out}


def test_the_recorded_figures_are_rcm_audits(rendered):
    assert rendered["figures"]["audit"] == rendered["audit"]


def test_page_one_says_the_verdict_with_both_net_gains(rendered):
    d, page1 = rendered["audit"], rendered["pdf"].split("\f")[0]
    flat = " ".join(page1.split())
    assert "Verdict. Steady Billing is partly delivering" in flat
    assert money(d["net_gain"]["promised"]) in flat and money(d["net_gain"]["realized"]) in flat
    assert "Northwind" in rendered["html"]          # the brand
    for r in d["sla"]:                              # the SLA table is on page 1
        assert format_kpi(r["kpi"], r["achieved"]) in flat


def test_every_figure_shown_is_the_librarys(rendered):
    d, html = rendered["audit"], rendered["html"]
    for m in d["fees"]["months"]:
        for key in ("collections", "contract", "billed"):
            assert money(m[key], cents=True) in html
    assert money(d["fees"]["overbilled"], cents=True) in html
    assert money(d["fees"]["a_year"]) in html and money(d["fees"]["promised_a_year"]) in html
    assert money(d["exit_cost"]) in html and pct(d["uplift"]["realized"]) in html
    for k, v in d["before"]["kpis"].items():
        assert format_kpi(k, v) in html and format_kpi(k, d["after"]["kpis"][k]) in html
    for r in d["after"]["denials"]["by_reason"]:
        assert money(r["dollars"]) in html and r["description"] in html
    for heading in ("KPIs before and after, against the SLA", "The monthly fee check",
                    "Denials after: what the vendor is still losing", "Leaving: what it "
                    "would cost", "What this audit cannot tell", "Assumptions and sources"):
        assert heading in html
    assert "payer mix" in html and "fee-schedule changes" in html


def test_no_patient_identifier_and_offline(rendered):
    ids = {row.split(",")[0] for f in ("before.csv", "after.csv")
           for row in (EXAMPLE.parent / f).read_text().splitlines()[1:]}
    for text in (rendered["html"], rendered["pdf"]):
        assert not any(re.search(rf"\b{re.escape(i)}\b", text) for i in ids)
    assert not re.search(r'(src|href)=["\']https?://', rendered["html"])

