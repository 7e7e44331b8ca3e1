"""What the worked notebooks rely on from the library: example files found wherever the
notebook runs, ``rcm lab`` opening the index, charts drawn offline, and the charts of
what-ifs, a portfolio, denials by payer and the audit carrying the library's figures."""
from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT, SCENARIOS

import rcmmodel
from rcmmodel import RcmInputError
from rcmmodel.paths import example


def test_example_finds_the_shipped_files_from_anywhere(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)                     # not the repository, not notebooks/
    assert example("family-practice-claims.yaml") == SCENARIOS / "family-practice-claims.yaml"
    assert example("audit/before.csv") == SCENARIOS / "audit" / "before.csv"


def test_example_names_a_missing_file():
    with pytest.raises(RcmInputError) as err:
        example("no-such-practice.yaml")
    (p,) = err.value.problems
    assert p.where == "example" and "no-such-practice.yaml" in p.message


def test_rcm_lab_opens_the_index():
    from rcmmodel.cli.commands.lab import INDEX, lab_command

    folder = ROOT / "notebooks"
    cmd = lab_command(folder, port=8899, no_browser=True)
    assert (folder / INDEX).is_file()
    assert "--LabApp.default_url=/lab/tree/index.ipynb" in cmd
    assert f"--ServerApp.root_dir={folder}" in cmd and "--ServerApp.port=8899" in cmd
    assert not any("default_url" in a for a in lab_command(ROOT / "docs"))   # no index there


def test_charts_drawn_offline_as_svg():
    import altair as alt

    from rcmmodel.reports.notebook import RENDERER, static_charts, svg_renderer

    chart = alt.Chart(pd.DataFrame({"x": [1, 2]}), title="Two bars").mark_bar().encode(x="x:Q")
    bundle = svg_renderer(chart.to_dict())
    assert bundle["image/svg+xml"].lstrip().startswith("<svg")
    assert bundle["text/plain"] == "<chart: Two bars>"
    before = alt.renderers.active
    try:
        static_charts()
        assert alt.renderers.active == RENDERER
    finally:
        alt.renderers.enable(before)


def _values(chart) -> list[dict]:
    spec = chart.to_dict()
    return next(iter(spec["datasets"].values()))


def test_whatif_chart_carries_each_case():
    from rcmmodel.present import whatif_net_gains

    w = rcmmodel.whatif(SCENARIOS / "guide-example.yaml", {"vendors[0].pricing.rate": 0.05})
    rows = _values(whatif_net_gains(w, ["base", "cheaper"]))
    # 50,000 + 40,000 - 7% x 550,000, then at 5%
    assert [(r["case"], r["net_gain"], r["recommended"]) for r in rows] == [
        ("base", pytest.approx(51500), True), ("cheaper", pytest.approx(62500), True)]


def test_portfolio_chart_keeps_each_practice():
    from rcmmodel.present import portfolio_net_gains

    frame = pd.DataFrame({"practice": ["A", "B"], "net_gain": [1000.0, -50.0],
                          "verdict": ["outsource", "stay"], "other": [1, 2]})
    rows = _values(portfolio_net_gains(frame))
    assert [(r["practice"], r["net_gain"], r["verdict"]) for r in rows] == [
        ("A", 1000.0, "outsource"), ("B", -50.0, "stay")]


def test_denials_by_payer_is_the_reviews():
    from rcmmodel.present import denials_by_payer

    review = rcmmodel.measure_claims(
        rcmmodel.load_scenario(SCENARIOS / "family-practice-claims.yaml")).review
    rows = _values(denials_by_payer(review))
    assert {r["payer"]: r["denial_rate"] for r in rows} == {
        p["payer"]: pytest.approx(p["denial_rate"]) for p in review["payers"]}
    assert denials_by_payer({"payers": [], "kpis": {}}) is None


def test_audit_charts_are_the_audits():
    from rcmmodel.model.audit import audit
    from rcmmodel.present import fees_by_month, kpis_against_sla

    folder = SCENARIOS / "audit"
    d = audit(rcmmodel.load_scenario(folder / "audit-example.yaml"), "Steady Billing",
              folder / "before.csv", folder / "after.csv",
              invoices=folder / "invoices.csv").to_dict()
    spec = fees_by_month(d).to_dict()
    fees = [r for ds in spec["datasets"].values() for r in ds]
    billed = {r["month"]: r["amount"] for r in fees if r["what"].startswith("Billed")}
    assert billed == {m["month"]: m["billed"] for m in d["fees"]["months"]
                      if m["billed"] is not None}
    over = [r["month"] for r in fees if r["what"] == "Billed above the contract"]
    assert over == [m["month"] for m in d["fees"]["months"] if (m["overbilled"] or 0) > 0]
    spec = kpis_against_sla(d).to_dict()
    values = [r for ds in spec["datasets"].values() for r in ds]
    after = [r["value"] for r in values if r.get("side") == "After (vendor)"]
    assert d["after"]["kpis"]["net_collection_rate"] * 100 == pytest.approx(after[0]) or \
        any(v == pytest.approx(d["after"]["kpis"]["net_collection_rate"] * 100) for v in after)
    assert any(r.get("value") == pytest.approx(6.0) for r in values
               if set(r) == {"value"})                       # the SLA's 6% denial rate line


def test_every_example_a_notebook_opens_ships_in_the_wheel():
    import fnmatch
    import json
    import re
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "data-files"]
    shipped = [g for globs in data.values() for g in globs]
    opened = {name for nb in (ROOT / "notebooks").glob("*.ipynb")
              for cell in json.loads(nb.read_text())["cells"] if cell["cell_type"] == "code"
              for name in re.findall(r'example\("([^"]+)"\)', "".join(cell["source"]))}
    assert {"family-practice-claims.yaml", "audit/before.csv"} <= opened
    for name in opened:
        assert (SCENARIOS / name).is_file(), name
        assert any(fnmatch.fnmatch(f"scenarios/{name}", g) for g in shipped), name
    assert any(fnmatch.fnmatch("notebooks/index.ipynb", g) for g in shipped)
