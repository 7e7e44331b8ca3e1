"""A new pricing model in one module: a flat monthly retainer with its own ``monthly_fee``
field, added as a plugin (the ``rcmmodel.pricing`` entry point group) without touching
rcmmodel. It is then validated, evaluated, shown with its fee arithmetic, exported to a
workbook that recomputes to the cent, and offered in the app's quote form with its field.

The plugin must be registered before the scenario schema is built, so the check runs in a
fresh interpreter that sees the plugin's package on its path.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT

pytest.importorskip("formulas")

PLUGIN = '''
"""A flat monthly retainer, whatever the practice collects."""
from rcmmodel.describe import money
from rcmmodel.pricing import FeeStep, PriceField, PricingModel, register


class Retainer(PricingModel):
    key = "retainer"
    label = "Flat monthly retainer"
    order = 90
    fields = (PriceField("monthly_fee", "money", "Monthly retainer",
                         "A flat fee each month, in USD.", unit="USD a month",
                         example=3000, slider=(0, 10_000, 100)),)
    price = "monthly_fee"
    price_label = "Monthly retainer"
    formula = "`monthly_fee` x 12"
    example = "{model: retainer, monthly_fee: 3000}"

    def monthly_fee(self, p, collections_month, charges_annual, claims_per_month):
        return p.monthly_fee + 0 * collections_month

    def summary(self, p):
        return f"{money(p.monthly_fee)} a month, flat"

    def fee_lines(self, p, c1, charges, claims):
        return [FeeStep("Retainer", f"{money(p.monthly_fee)} a month x 12",
                        p.monthly_fee * 12)]

    def excel_month_fee(self, names, x):
        return names.monthly_fee

    def excel_words(self, p):
        return "the monthly retainer"


register(Retainer())
'''

CHECK = '''
import json, sys
from pathlib import Path
import yaml
sys.path.insert(0, "tests")
from rcmmodel.pricing import PRICING_MODELS
from rcmmodel import evaluate
from rcmmodel.scenario import parse_scenario
from rcmmodel.present.fees import fee_lines
from rcmmodel.reports.excel import export_workbook
from xlsx_recalc import Recalc

out = {"models": list(PRICING_MODELS)}
data = yaml.safe_load(Path("scenarios/guide-example.yaml").read_text())
data["vendors"][0]["pricing"] = {"model": "retainer", "monthly_fee": 3000}
path = Path(sys.argv[1]) / "retainer.yaml"
path.write_text(yaml.safe_dump(data))
r = evaluate(parse_scenario(data))
v = r.vendors[0]
out["net_gain"] = float(v.figures.net_gain)
out["fee_lines"] = [[l.what, l.how, l.amount] for l in fee_lines(r, v.name)]
book = Recalc(export_workbook(path, Path(sys.argv[1]) / "retainer.xlsx"))
out["excel_net_gain"] = book.summary()[v.name]["net gain"]
out["excel_net_gain_650k"] = book.summary({"annual_collections": 650000})[v.name]["net gain"]
from rcmmodel.app import OwnerApp
app = OwnerApp()
q = app.quotes
q.add_quote()
q.model.value = "retainer"
out["form_label"] = q.bound["monthly_fee"].field.label
out["form_shown"] = q.editor.by_model["monthly_fee"].layout.display
q.bound["monthly_fee"].field.value = 2500
out["stored"] = q.vendors[-1]["pricing"]
try:
    bad = dict(data)
    bad["vendors"] = [{"name": "X", "pricing": {"model": "retainer"}}]
    parse_scenario(bad)
except Exception as exc:
    out["bad"] = str(exc)
print(json.dumps(out))
'''


@pytest.mark.slow
def test_a_retainer_added_in_one_module_works_on_every_surface(tmp_path):
    plugins = tmp_path / "site"
    (plugins / "rcm_retainer-1.0.dist-info").mkdir(parents=True)
    (plugins / "rcm_retainer.py").write_text(PLUGIN)
    (plugins / "rcm_retainer-1.0.dist-info" / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: rcm-retainer\nVersion: 1.0\n")
    (plugins / "rcm_retainer-1.0.dist-info" / "entry_points.txt").write_text(
        "[rcmmodel.pricing]\nretainer = rcm_retainer\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT), str(plugins), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(CHECK), str(tmp_path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1])
    assert got["models"][-1] == "retainer"
    # 500,000 x 10% uplift + 40,000 in-house savings - 3,000 x 12
    assert got["net_gain"] == pytest.approx(54000)
    assert got["fee_lines"][0] == ["Retainer", "$3,000 a month x 12", 36000]
    assert got["fee_lines"][-1][0] == "Vendor cost a year" and got["fee_lines"][-1][2] == 36000
    assert got["excel_net_gain"] == pytest.approx(54000, abs=0.005)
    # 650,000 x 10% + 40,000 - 36,000: the workbook follows a change to the cent
    assert got["excel_net_gain_650k"] == pytest.approx(69000, abs=0.005)
    assert got["form_label"] == "Monthly retainer" and got["form_shown"] == ""
    assert got["stored"] == {"model": "retainer", "monthly_fee": 2500.0}
    assert "monthly_fee" in got["bad"] and "required for retainer pricing" in got["bad"]
