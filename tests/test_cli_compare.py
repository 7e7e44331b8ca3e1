"""`rcm compare SCENARIO [--json]`: ranking table, JSON, and exit 2 on bad weights or quotes."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SCENARIOS, rcm_inprocess

from rcmmodel.cli.main import main

DATA = Path(__file__).parent / "data_vendors"


def rcm(*args):
    """In-process (fast); ``rcm_subprocess`` below runs the real command."""
    return rcm_inprocess(*args)


def rcm_subprocess(*args):
    return subprocess.run([sys.executable, "-m", "rcmmodel", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


def run(capsys, *args):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_object(capsys):
    code, out, _ = run(capsys, "compare", DATA / "four-quotes.yaml", "--json")
    assert code == 0
    d = json.loads(out)
    assert set(d) == {"scenario", "basis", "weights", "top_choice", "vendors", "stability",
                      "decision", "weights_source", "priority", "criteria"}
    assert (d["weights_source"], d["priority"]) == ("default", "balanced")
    assert d["top_choice"] == "AllIn"
    assert [(v["name"], v["rank"]) for v in d["vendors"]] == [
        ("AllIn", 1), ("Extras", 2), ("MinPerClaim", 3), ("NoBAA", None)]
    extras = d["vendors"][1]
    assert extras["effective_rate"] == pytest.approx(28900 / 550000)
    assert extras["all_in_annual"] == 28900.0
    assert extras["cost"]["one_time_annual"] == 1500.0
    assert extras["scores"] == {"financial": 100.0, "sla": 25.0, "due_diligence": 50.0,
                                "contract_risk": 15.0, "total": 58.5}
    assert extras["sla"]["kpis"]["net_collection_rate"] == {
        "committed": 0.89, "grade": "red", "target": 0.96, "baseline": 0.90,
        "vs_baseline": "worse"}
    assert extras["contract"]["exit_cost"] == round(6850 + 120 / 365 * 27400, 2)
    nobaa = d["vendors"][3]
    assert not nobaa["eligible"] and "Business Associate Agreement" in nobaa["disqualified"]
    assert {"code": "no_baa", "message": nobaa["disqualified"]} in nobaa["flags"]
    assert all(set(f) == {"code", "message"} for v in d["vendors"] for f in v["flags"])
    fin = d["stability"]["financial"]
    assert fin["share_high"] == pytest.approx(0.9107309, abs=1e-7)
    assert fin["rival_high"] == "Extras"
    assert d["stability"]["sla"]["weight_high"] is None          # no limit: JSON null


def test_table(capsys):
    code, out, _ = run(capsys, "compare", DATA / "four-quotes.yaml")
    assert code == 0
    lines = out.splitlines()
    ranked = [l for l in lines if l[:2] in ("1 ", "2 ", "3 ", "— ")]
    assert [l.split()[1] for l in ranked] == ["AllIn", "Extras", "MinPerClaim", "NoBAA"]
    assert "5.25%" in ranked[1] and "$28,900" in ranked[1] and "58.5" in ranked[1]
    assert "out" in ranked[3] and "no_baa" not in out   # flags are sentences, never codes
    assert "Top choice: AllIn" in out
    assert "Excluded: NoBAA, no Business Associate Agreement" in out
    assert "past it above: Extras comes first" in out
    assert "monthly minimum applies: it adds $6,000 a year" in out


def test_budget_offshore_never_recommended():
    r = rcm("compare", SCENARIOS / "mental-health-group.yaml", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    budget = next(v for v in d["vendors"] if v["name"] == "BudgetBill Offshore")
    assert budget["net_gain"] == max(v["net_gain"] for v in d["vendors"])
    assert budget["rank"] is None and d["top_choice"] != "BudgetBill Offshore"


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_example_compares(capsys, path):
    code, out, err = run(capsys, "compare", path)
    assert code == 0, err
    assert "Top choice:" in out


def _write(tmp_path, ranking_yaml):
    text = (SCENARIOS / "guide-example.yaml").read_text() + ranking_yaml
    path = tmp_path / "s.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("ranking, where", [
    ("ranking:\n  weights: {financial: -1}\n", "ranking.weights.financial"),
    ("ranking:\n  weights: {financial: 0, sla: 0, due_diligence: 0, contract_risk: 0}\n",
     "ranking.weights: weights cannot all be zero"),
    ("ranking:\n  weights: {price: 1}\n", "ranking.weights.price: unknown field"),
])
def test_bad_weights_exit_2(tmp_path, ranking, where):
    r = rcm("compare", _write(tmp_path, ranking))
    assert r.returncode == 2
    assert where in r.stderr and "Traceback" not in r.stderr


def test_bad_quote_rows_exit_2():
    r = rcm("compare", DATA / "with-bad-quotes.yaml")
    assert r.returncode == 2
    assert "quotes-bad.csv: row 3, column rate: must be a number" in r.stderr
    assert "row 10, column baa_offered" in r.stderr
    assert "Traceback" not in r.stderr


def test_missing_scenario_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "compare", tmp_path / "none.yaml")
    assert code == 2 and "no such file" in err


def test_quotes_example_table(capsys):
    code, out, _ = run(capsys, "compare", SCENARIOS / "family-practice-quotes.yaml")
    assert code == 0
    assert "Top choice: AllIn Billing" in out
    assert "Excluded: ShoreSide Billing, no Business Associate Agreement" in out
    assert "bills apart: patient statements $2,700 a year," in out


def test_no_eligible_vendor(tmp_path, capsys):
    text = (SCENARIOS / "guide-example.yaml").read_text().replace(
        "baa_offered: true", "baa_offered: false")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    code, out, _ = run(capsys, "compare", path)
    assert code == 0 and "No vendor can be recommended" in out
    code, out, _ = run(capsys, "compare", path, "--json")
    d = json.loads(out)
    assert d["top_choice"] is None and d["stability"] == {}
