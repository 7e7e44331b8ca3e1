"""``rcm simulate``: the JSON of docs/architecture.md, reproducibility, readable output,
exit 2 on bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from rcmmodel.cli.main import main

HERE = Path(__file__).resolve().parent / "scenarios_unc"
ROOT = HERE.parents[1]


def run_json(capsys, *args):
    assert main(["simulate", *map(str, args), "--json"]) == 0
    out, err = capsys.readouterr()
    return json.loads(out), err


def test_json_has_the_spec_shape(capsys):
    d, err = run_json(capsys, HERE / "three-vendors.yaml", "--draws", 3000, "--seed", 7)
    assert err == ""                         # no progress bar with --json
    assert d["draws"] == 3000 and d["seed"] == 7
    assert [v["name"] for v in d["vendors"]] == ["Alpha", "Beta", "Gamma (no BAA)"]
    for v in d["vendors"]:
        for measure in ("net_gain", "npv"):
            assert set(v[measure]) == {"p05", "p50", "p95"}
            assert v[measure]["p05"] <= v[measure]["p50"] <= v[measure]["p95"]
    assert all(0 <= v["prob_positive"] <= 1 for v in d["vendors"][:2])
    # the vendor without a Business Associate Agreement is never said to pay or recommended
    assert d["vendors"][2]["prob_positive"] is None and d["vendors"][2]["prob_recommended"] == 0
    assert sum(v["prob_recommended"] for v in d["vendors"]) + d["prob_stay"] == pytest.approx(1)
    assert "prob_best" not in json.dumps(d)
    assert d["prob_outsourcing_pays"] == pytest.approx(1 - d["prob_stay"])


def test_guide_uniform_rate_through_the_cli(capsys):
    d, _ = run_json(capsys, HERE / "guide-uniform-rate.yaml", "--draws", 100000)
    from test_uncertainty import net_gain_quantile      # the integral over rate and uplift

    v = d["vendors"][0]
    assert v["prob_positive"] == pytest.approx(0.37399, abs=0.006)
    assert v["prob_recommended"] == v["prob_positive"]
    for key, q in (("p05", 0.05), ("p50", 0.5), ("p95", 0.95)):
        assert v["net_gain"][key] == pytest.approx(net_gain_quantile(q), abs=400)


def test_defaults_and_same_seed_same_output(capsys):
    a, _ = run_json(capsys, HERE / "three-vendors.yaml")
    b, _ = run_json(capsys, HERE / "three-vendors.yaml")
    assert a == b and a["draws"] == 10000 and a["seed"] == 12345
    c, _ = run_json(capsys, HERE / "three-vendors.yaml", "--seed", 1)
    assert c["vendors"] != a["vendors"]


def _no_uplift(tmp_path):
    data = yaml.safe_load((HERE / "guide-fixed.yaml").read_text())
    data["vendors"][0]["uplift"] = 0
    path = tmp_path / "fixed.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_no_distributions_and_no_uplift_zero_spread(capsys, tmp_path):
    d, _ = run_json(capsys, _no_uplift(tmp_path), "--draws", 50)
    g = d["vendors"][0]["net_gain"]
    assert g["p05"] == g["p50"] == g["p95"] == 5000.0          # 40,000 - 7% x 500,000


def test_readable_table(capsys, tmp_path):
    assert main(["simulate", str(HERE / "three-vendors.yaml"), "--draws", "2000"]) == 0
    out = capsys.readouterr().out
    assert "2,000 draws, seed 12345" in out and "P(recommended)" in out
    assert "Gamma (no BAA) (excluded: no BAA)" in out and "best" not in out
    assert "Alpha: collections uplift: between 0% and 15%, most likely 8%" in out
    assert "vendors[" not in out and "triangular(" not in out
    assert "stays in-house in" in out
    assert main(["simulate", str(_no_uplift(tmp_path)), "--draws", "10"]) == 0
    assert "no spread" in capsys.readouterr().out


@pytest.mark.parametrize("draws", ["0", "-5", "abc", "1.5", "", "99999999999"])
def test_bad_draws_exit_2_naming_draws(capsys, draws):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", str(HERE / "guide-fixed.yaml"), "--draws", draws])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "--draws" in err and "Traceback" not in err


@pytest.mark.parametrize("seed", ["-1", "x"])
def test_bad_seed_exits_2_naming_seed(capsys, seed):
    with pytest.raises(SystemExit) as exc:
        main(["simulate", str(HERE / "guide-fixed.yaml"), "--seed", seed])
    assert exc.value.code == 2 and "--seed" in capsys.readouterr().err


@pytest.mark.parametrize("path, fields", [
    ("bad-dist-mode.yaml", ["vendors[0].uplift.mode"]),
    ("bad-dist-kind.yaml", ["practice.annual_collections.dist", "vendors[0].pricing.rate.high"]),
])
def test_bad_distributions_exit_2_naming_the_field(capsys, path, fields):
    assert main(["simulate", str(HERE / path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    for field in fields:
        assert field in captured.err
    assert path in captured.err


def test_missing_file_exits_2(capsys):
    assert main(["simulate", str(HERE / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_the_installed_command_exits_2_without_a_traceback():
    rcm = Path(sys.executable).parent / "rcm"
    cmd = [str(rcm)] if rcm.exists() else [sys.executable, "-m", "rcmmodel"]
    bad = subprocess.run(cmd + ["simulate", str(HERE / "guide-fixed.yaml"), "--draws", "0"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "--draws" in bad.stderr and "Traceback" not in bad.stderr
    ok = subprocess.run(cmd + ["simulate", str(ROOT / "scenarios" / "uncertain-uplift.yaml"),
                               "--draws", "500", "--json"], capture_output=True, text=True,
                        cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)["vendors"]) == 3


def test_the_readable_output_states_the_decision_as_evaluate_does(capsys):
    """The same decision on every surface: simulate's text ends with evaluate's reason."""
    path = ROOT / "scenarios" / "pediatrics-fix-inhouse.yaml"
    assert main(["simulate", str(path), "--draws", "500"]) == 0
    sim = capsys.readouterr().out
    assert main(["evaluate", str(path)]) == 0
    decision = next(x for x in capsys.readouterr().out.splitlines()
                    if x.startswith("Decision: "))
    assert sim.rstrip().splitlines()[-1] == decision
    assert "Hiring a certified coder would gain $23,000 a year" in decision
