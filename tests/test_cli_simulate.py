"""``rcm simulate``: the JSON of docs/architecture.md, reproducibility, readable output,
exit 2 on bad input."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

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
        assert 0 <= v["prob_positive"] <= 1
    assert d["vendors"][2]["prob_best"] is None
    assert d["vendors"][0]["prob_best"] + d["vendors"][1]["prob_best"] == pytest.approx(1)
    assert 0 <= d["prob_outsourcing_pays"] <= 1


def test_guide_uniform_rate_through_the_cli(capsys):
    d, _ = run_json(capsys, HERE / "guide-uniform-rate.yaml", "--draws", 100000)
    v = d["vendors"][0]
    assert v["prob_positive"] == pytest.approx(0.6364, abs=0.006)
    assert v["net_gain"]["p50"] == pytest.approx(7500, abs=400)
    assert v["net_gain"]["p05"] == pytest.approx(-17250, abs=250)
    assert v["net_gain"]["p95"] == pytest.approx(32250, abs=250)


def test_defaults_and_same_seed_same_output(capsys):
    a, _ = run_json(capsys, HERE / "three-vendors.yaml")
    b, _ = run_json(capsys, HERE / "three-vendors.yaml")
    assert a == b and a["draws"] == 10000 and a["seed"] == 12345
    c, _ = run_json(capsys, HERE / "three-vendors.yaml", "--seed", 1)
    assert c["vendors"] != a["vendors"]


def test_no_distributions_zero_spread(capsys):
    d, _ = run_json(capsys, HERE / "guide-fixed.yaml", "--draws", 50)
    g = d["vendors"][0]["net_gain"]
    assert g["p05"] == g["p50"] == g["p95"] == 51500.0


def test_readable_table(capsys):
    assert main(["simulate", str(HERE / "three-vendors.yaml"), "--draws", "2000"]) == 0
    out = capsys.readouterr().out
    assert "2,000 draws, seed 12345" in out and "P(best)" in out and "(no BAA)" in out
    assert "Alpha: collections uplift: between 0% and 15%, most likely 8%" in out
    assert "vendors[" not in out and "triangular(" not in out
    assert "Outsourcing beats staying in-house in" in out
    assert main(["simulate", str(HERE / "guide-fixed.yaml"), "--draws", "10"]) == 0
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
