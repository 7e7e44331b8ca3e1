"""``rcm kpi``: the JSON contract, the table, exit codes, and no patient data in output."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import rcm_inprocess
from rcmmodel.cli.main import main

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parent / "data" / "x12"   # the shared samples, copied
SMALL = DATA / "ledger_small.csv"
NAMES = [DATA / "names_mixed.835", DATA / "names_pair.837"]
SECRETS = ("QUIMBY", "ZEBULON", "ROSALIND", "FAIRWEATHER", "OCTAVIA", "WINTERBOTTOM",
           "PERCIVAL", "PERCY", "HOLLOWAY", "MARGUERITE", "MBR100ZQ", "SUB100RQ", "MBR101OF",
           "MBR103PW", "MBR104MH", "N-100", "N-101", "PCN10")


def run(capsys, *argv):
    code = main(["kpi", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def rcm(*argv):
    """``rcm kpi ARGV`` in this process (fast): exit code, stdout and stderr as a
    subprocess would give them; ``rcm_real`` runs the real command."""
    return rcm_inprocess("kpi", *argv)


def rcm_real(*argv):
    """The real command, as a user runs it, with a time limit: bad input must not hang."""
    return subprocess.run([sys.executable, "-m", "rcmmodel", "kpi", *map(str, argv)],
                          capture_output=True, text=True, timeout=60)


def test_json_contract(capsys):
    code, out, err = run(capsys, SMALL, "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["claims"] == 6 and data["as_of"] == "2024-03-31"
    assert set(data["kpis"]) == {"net_collection_rate", "gross_collection_rate",
                                 "denial_rate", "final_denial_rate", "denial_rate_dollars",
                                 "clean_claim_rate",
                                 "open_ar", "days_in_ar", "ar_over_90"}
    assert data["kpis"]["days_in_ar"] == pytest.approx(935 / (1300 / 90))
    assert data["totals"] == {"charge": 1750.0, "allowed": 730.0, "insurance_paid": 550.0,
                              "patient_paid": 40.0, "patient_responsibility": 70.0,
                              "contractual_adjustment": 220.0, "other_adjustment": 5.0,
                              "denied_amount": 0.0, "denied_charge": 300.0, "open_ar": 935.0}
    assert data["grades"]["ar_over_90"] is None          # 5 adjudicated claims: not graded
    assert [a["bucket"] for a in data["aging"]] == ["0-30", "31-60", "61-90", "91-120", "120+"]
    # the keys docs/architecture.md promises
    assert data["denials"]["claims"] == {**data["denials"]["claims"], "denied": 1,
                                         "rate": 0.2, "dollars": 300.0,
                                         "dollar_rate": 300 / 1250}
    assert data["denials"]["lines"] == {**data["denials"]["lines"], "denied": 1, "total": 5,
                                        "rate": 0.2}
    assert [p["payer"] for p in data["payers"]] == ["Cigna", "Medicare", "Aetna"]
    assert {"payer", "claims", "charge", "paid", "denial_rate", "days_to_pay_median"} <= set(
        data["payers"][0])
    assert "underpayments" not in data


def test_as_of_option(capsys):
    code, out, _ = run(capsys, SMALL, "--as-of", "2024-04-30", "--json")
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2024-04-30"
    # window 2024-02-01..2024-04-30: C3 + C4 + C5 = 1200 of charges
    assert data["kpis"]["days_in_ar"] == pytest.approx(935 / (1200 / 90))


def test_null_kpi_is_json_null(tmp_path, capsys):
    path = tmp_path / "open.csv"
    path.write_text("claim_id,payer,service_date,charge,insurance_paid,patient_paid,"
                    "contractual_adjustment,other_adjustment,status\n"
                    "A,P,2024-01-01,100,0,0,0,0,open\n")
    code, out, _ = run(capsys, path, "--json")
    assert code == 0
    assert '"denial_rate": null' in out and json.loads(out)["kpis"]["clean_claim_rate"] is None


def test_table_output(capsys):
    code, out, _ = run(capsys, SMALL)
    assert code == 0
    assert "Net collection rate" in out and "57.3%" in out and "not graded" in out
    assert "Days in A/R" in out and "64.7" in out
    assert "1 open claims, 5 adjudicated" in out
    assert "A/R aging" in out and "By payer" in out and "Medicare" in out


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.835")), ids=lambda p: p.name)
def test_every_835_sample_through_the_command(capsys, path):
    """Each sample's claims and totals are its CLP segments' (several claims under one
    placeholder id in one payment run stay several claims)."""
    code, out, _ = run(capsys, path, "--json")
    data = json.loads(out)
    text = path.read_text(encoding="latin-1").strip()
    elem, term = (text[3], text[105]) if text.startswith("ISA") else (text[2], "~")
    clps = [s.strip().split(elem) for s in text.split(term) if s.strip().startswith("CLP")]
    assert code == 0 and data["claims"] == len(clps)
    assert data["totals"]["charge"] == pytest.approx(sum(float(c[3]) for c in clps), abs=0.01)
    assert data["totals"]["insurance_paid"] == pytest.approx(sum(float(c[4]) for c in clps),
                                                             abs=0.01)


def test_mixed_inputs(capsys):
    code, out, _ = run(capsys, SMALL, *NAMES, "--json")
    data = json.loads(out)
    assert code == 0 and data["claims"] == 6 + 5
    assert data["status_counts"]["open"] == 1 + 2
    assert data["provider_adjustments"] == {
        "count": 2, "total": -13.25,
        "by_reason": [{"reason": "L6", "count": 1, "amount": 2.25},
                      {"reason": "WO", "count": 1, "amount": -15.5}]}
    assert data["reversals"] == {"matched": 1, "unmatched": 1}
    reasons = {(d["group"], d["code"]): d for d in data["denials"]["by_reason"]}
    assert reasons[("CO", "16")]["lines"] == 1 and reasons[("CO", "16")]["dollars"] == 100.0
    assert reasons[("", "")]["description"] == "No reason code given"     # the ledger's C3


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_no_patient_name_or_member_id_in_output(capsys, json_flag):
    code, out, err = run(capsys, *NAMES, *json_flag)
    assert code == 0
    for secret in SECRETS:
        assert secret not in out and secret not in err


def test_no_patient_data_in_error_messages(tmp_path, capsys):
    text = NAMES[0].read_text().replace("CLP|N-101|4|", "CLP|N-101|QUIMBY|")
    bad = tmp_path / "bad.835"
    bad.write_text(text)
    code, out, err = run(capsys, bad)
    assert code == 2 and out == ""
    assert "segment 21" in err and "CLP02" in err
    for secret in SECRETS:
        assert secret not in err


MALFORMED = {
    "truncated 835": (lambda: (SAMPLES / "edi835parser_emedny_sample.835").read_bytes()[:900],
                      "segment"),
    "binary garbage": (lambda: bytes(range(256)) * 64, "binary"),
    "csv missing a column": (lambda: SMALL.read_text().replace("status,", "state,").encode(),
                             "missing column(s): status"),
    "csv text amount": (lambda: SMALL.read_text().replace(",300.00,", ",three hundred,")
                        .encode(), "row 4, column charge"),
    "csv unknown status": (lambda: SMALL.read_text().replace(",open,", ",pending,").encode(),
                           "row 6, column status"),
    "835 unknown status": (lambda: (SAMPLES / "moov_sample2.835").read_bytes()
                           .replace(b"CLP*1234567-001*1*", b"CLP*1234567-001*99*"),
                           "segment 19"),
}


@pytest.mark.parametrize("case", MALFORMED, ids=list(MALFORMED))
def test_malformed_input_exits_2_naming_the_place(tmp_path, case):
    make, place = MALFORMED[case]
    path = tmp_path / "input.dat"
    path.write_bytes(make())
    result = rcm(path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert str(path) in result.stderr and place in result.stderr


def test_bad_as_of_and_missing_file(tmp_path):
    result = rcm_real(SMALL, "--as-of", "31/03/2024")        # the real command, once
    assert result.returncode == 2 and "--as-of" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    result = rcm(tmp_path / "nope.835")
    assert result.returncode == 2 and "no such file" in result.stderr
    assert "Traceback" not in result.stderr


def test_uppercase_csv_header_is_a_ledger_not_x12(tmp_path, capsys):
    text = SMALL.read_text().splitlines()
    cols = text[0].upper().split(",")
    cols.insert(0, cols.pop(cols.index("STATUS")))          # header starts with "ST"
    rows = [r.split(",") for r in text[1:]]
    status_at = text[0].split(",").index("status")
    rows = [[r[status_at]] + r[:status_at] + r[status_at + 1:] for r in rows]
    path = tmp_path / "upper.csv"
    path.write_text("\n".join(",".join(r) for r in [cols] + rows) + "\n")
    code, out, _ = run(capsys, path, "--json")
    assert code == 0 and json.loads(out)["kpis"]["open_ar"] == 935.0


# What `rcm kpi` on 835s and a ledger must not load: the stacks of the other commands
# (scenario model, pricing, app, reports, charts, notebooks, PDF) and the 837 reader.
KPI_MUST_NOT_IMPORT = (
    "scipy", "pydantic", "altair", "vl_convert", "jinja2", "nbformat", "nbconvert",
    "papermill", "weasyprint", "openpyxl", "yaml", "ipywidgets", "urllib.request", "socket",
    "rcmmodel.app", "rcmmodel.model", "rcmmodel.scenario", "rcmmodel.pricing",
    "rcmmodel.vendors", "rcmmodel.risk", "rcmmodel.claims.claims837")


def test_kpi_import_path_stays_lean():
    """The command a practice runs on a big 835 pays for pandas and the claims package
    only: every other command's modules stay unloaded (whole process, as a user runs it)."""
    code = ("import json, sys, io, contextlib\nfrom rcmmodel.cli.main import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    code = main(['kpi', {str(SAMPLES / 'lfh_835_managed-care.835')!r}, "
            f"{str(SMALL)!r}, '--json'])\n"
            "print(json.dumps([code, sorted(sys.modules)]))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    code, modules = json.loads(r.stdout)
    assert code == 0
    assert "rcmmodel.claims.remittance" in modules and "pandas" in modules  # it did run
    loaded = [m for m in modules for heavy in KPI_MUST_NOT_IMPORT
              if m == heavy or m.startswith(heavy + ".")]
    assert not loaded, loaded
    commands = [m for m in modules if m.startswith("rcmmodel.cli.commands.")]
    assert sorted(commands) == ["rcmmodel.cli.commands._common", "rcmmodel.cli.commands.kpi"]
    reports = [m for m in modules if m.startswith("rcmmodel.reports.")]
    assert reports in ([], ["rcmmodel.reports.pool"]), reports   # signal handling only


def test_one_command_parser_matches_the_full_one():
    """``rcm kpi`` builds only its own subcommand; its options are the full parser's."""
    from rcmmodel.cli.main import build_parser

    def kpi_actions(parser):
        sub = next(a for a in parser._actions if a.dest == "command")
        return [(a.dest, a.option_strings, a.nargs) for a in sub.choices["kpi"]._actions]

    alone, full = build_parser("kpi"), build_parser()
    assert kpi_actions(alone) == kpi_actions(full)
    assert len(next(a for a in full._actions if a.dest == "command").choices) > 1
    assert list(next(a for a in alone._actions if a.dest == "command").choices) == ["kpi"]
