"""The audit after signing (docs/methodology.md §12), every figure worked by hand.

The quote: 5% of collections, at least $50 a month, $50 a month per provider (1 provider:
$600 a year of extras), a 10% uplift, on C0 = $100,000 with $20,000 saved in-house.
Promised net gain: 10,000 + 20,000 - (5% x 110,000 + 600) = 23,900.

Before: 30 paid claims, each charged $100 with $20 written off and $64 paid:
NCR = 64 / 80 = 0.8. After: 30 claims, $72 paid each (60 insurance + 12 patient):
NCR = 0.9, u_real = 0.9 / 0.8 - 1 = 0.125; 10 paid in July ($720), 20 in August ($1,440).
July's fee: 5% x 720 = 36, below the minimum: 50 + 50 extras = 100. August's: 5% x 1,440 =
72 + 50 = 122. Invoices: July 100 (not overbilled), August 150 (28 overbilled); fees a year
250 x 12 / 2 = 1,500. Realized net gain: 100,000 x 0.125 + 20,000 - 1,500 = 31,000.
Leaving: 1,000 + 1,500 x 73 / 365 = 1,300.
"""
from __future__ import annotations

import json

import pytest
import yaml

from conftest import rcm_inprocess

from rcmmodel.errors import RcmInputError
from rcmmodel.model.audit import audit
from rcmmodel.scenario import load_scenario

HEADER = ("claim_id,payer,service_date,submitted_date,charge,insurance_paid,patient_paid,"
          "contractual_adjustment,other_adjustment,status,first_pass,paid_date\n")


def scenario(tmp_path, sla=None, pricing=None):
    quote = {"name": "Vendor V", "pricing": pricing or {"model": "percentage", "rate": 0.05},
             "fees": {"monthly_minimum": 50, "per_provider_monthly": 50}, "uplift": 0.10,
             "sla": sla or {"net_collection_rate": 0.90, "denial_rate": 0.05},
             "contract": {"termination_fee": 1000, "notice_days": 73}}
    doc = {"schema": "rcmmodel/v1", "name": "Audit test",
           "practice": {"annual_collections": 100000, "providers": 1, "claims_per_month": 30},
           "inhouse": {"annual_cost": 20000}, "vendors": [quote]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def ledger(path, rows):
    path.write_text(HEADER + "".join(rows))
    return path


def before(tmp_path, n=30):
    return ledger(tmp_path / "before.csv", [
        f"PATIENT-DOE-{i},Aetna,2026-01-05,2026-01-06,100,64,0,20,0,paid,true,2026-02-10\n"
        for i in range(n)])


def after(tmp_path, n=30, insurance=60, patient=12, submitted=True, name="after.csv"):
    rows = []
    for i in range(n):
        paid = "2026-07-20" if i < 10 else "2026-08-15"
        sent = ("2026-07-02" if i < 12 else "2026-08-02") if submitted else ""
        rows.append(f"PATIENT-ROE-{i},Aetna,2026-07-01,{sent},100,{insurance},{patient},20,0,"
                    f"paid,true,{paid}\n")
    return ledger(tmp_path / name, rows)


def invoices(tmp_path, text="month,amount\n2026-07,100\n2026-08,150\n"):
    path = tmp_path / "invoices.csv"
    path.write_text(text)
    return path


def run(tmp_path, sla=None, pricing=None, bills=True, **after_kw):
    s = load_scenario(scenario(tmp_path, sla, pricing))
    return audit(s, "vendor v", before(tmp_path), after(tmp_path, **after_kw),
                 invoices=invoices(tmp_path) if bills else None).to_dict()


def test_every_figure_by_hand_delivering(tmp_path):
    d = run(tmp_path)
    assert d["vendor"] == "Vendor V"
    assert d["before"]["kpis"]["net_collection_rate"] == 0.8
    assert d["after"]["kpis"]["net_collection_rate"] == 0.9
    assert d["before"]["claims"] == d["after"]["claims"] == 30
    assert d["before"]["period"] == {"start": "2026-01-05", "end": "2026-02-10", "days": 37}
    assert d["uplift"] == {"promised": 0.1, "planning": 0.1, "realized": 0.125}
    assert d["fees"]["months"] == [
        {"month": "2026-07", "collections": 720.0, "claims": 12, "billed": 100.0,
         "contract": 100.0, "overbilled": 0.0},
        {"month": "2026-08", "collections": 1440.0, "claims": 18, "billed": 150.0,
         "contract": 122.0, "overbilled": 28.0}]
    assert d["fees"]["overbilled"] == 28.0 and d["fees"]["a_year"] == 1500.0
    assert d["net_gain"] == {"promised": 23900.0, "realized": 31000.0}
    assert d["sla"] == [
        {"kpi": "net_collection_rate", "committed": 0.9, "achieved": 0.9, "met": True,
         "by": 0.0},
        {"kpi": "denial_rate", "committed": 0.05, "achieved": 0.0, "met": True, "by": -0.05}]
    assert d["verdict"] == "delivering"
    assert d["exit_cost"] == 1300.0
    assert d["shortfall"] == -7100.0


def test_an_sla_missed_makes_it_partly(tmp_path):
    d = run(tmp_path, sla={"net_collection_rate": 0.95, "denial_rate": 0.05})
    assert d["sla"][0] == {"kpi": "net_collection_rate", "committed": 0.95, "achieved": 0.9,
                           "met": False, "by": -0.05}
    assert d["sla"][1]["met"] is True
    assert d["net_gain"]["realized"] == 31000.0
    assert d["verdict"] == "partly"


def test_below_half_the_promise_is_not_delivering(tmp_path):
    # After NCR 48 / 80 = 0.6: u_real = -0.25; 100,000 x -0.25 + 20,000 - 1,500 = -6,500.
    d = run(tmp_path, insurance=48, patient=0)
    assert d["uplift"]["realized"] == -0.25
    assert d["net_gain"]["realized"] == -6500.0
    assert d["verdict"] == "not delivering"
    assert d["sla"][0]["met"] is False


def test_between_half_and_80_percent_is_partly_even_with_every_sla_met(tmp_path):
    # After NCR 0.8 (64 paid): u_real = 0; 20,000 - 1,500 = 18,500, 77% of 23,900.
    d = run(tmp_path, sla={"denial_rate": 0.05}, insurance=52, patient=12)
    assert d["uplift"]["realized"] == 0.0
    assert d["net_gain"]["realized"] == 18500.0
    assert [s["met"] for s in d["sla"]] == [True]
    assert d["verdict"] == "partly"


def test_without_invoices_the_contract_fees_of_the_paid_months(tmp_path):
    # (100 + 122) x 12 / 2 = 1,332; 12,500 + 20,000 - 1,332 = 31,168; 1,000 + 1,332 x 0.2.
    d = run(tmp_path, bills=False)
    assert [(m["month"], m["contract"], m["billed"], m["overbilled"])
            for m in d["fees"]["months"]] == [("2026-07", 100.0, None, None),
                                              ("2026-08", 122.0, None, None)]
    assert d["fees"]["overbilled"] is None and d["fees"]["a_year"] == 1332.0
    assert d["net_gain"]["realized"] == 31168.0
    assert d["exit_cost"] == 1266.4


def test_a_fee_per_claim_counts_the_claims_submitted_each_month(tmp_path):
    # $4 a claim: July 12 claims = 48, below the $50 minimum: 50 + 50; August 18 = 72 + 50.
    d = run(tmp_path, pricing={"model": "per_claim", "fee": 4})
    assert [(m["claims"], m["contract"]) for m in d["fees"]["months"]] == [(12, 100.0),
                                                                            (18, 122.0)]


def test_a_fee_per_claim_without_submission_dates_is_an_input_error(tmp_path):
    with pytest.raises(RcmInputError, match="submitted_date"):
        run(tmp_path, pricing={"model": "per_claim", "fee": 4}, submitted=False)


def test_too_few_claims_on_a_side_give_no_realized_uplift_and_no_verdict(tmp_path):
    d = run(tmp_path, n=20)
    assert d["after"]["graded"] is False
    assert d["uplift"]["realized"] is None and d["net_gain"]["realized"] is None
    assert d["verdict"] is None
    assert all(s["met"] is None for s in d["sla"])
    assert {"key": "too_few_to_grade", "side": "after", "adjudicated": 20,
            "needed": 30} in d["notes"]


def cli(tmp_path, *extra, bills="month,amount\n2026-07,100\n2026-08,150\n", vendor="Vendor V"):
    return rcm_inprocess("audit", str(scenario(tmp_path)), "--vendor", vendor,
                         "--before", str(before(tmp_path)), "--after", str(after(tmp_path)),
                         "--invoices", str(invoices(tmp_path, bills)), *extra)


def test_the_command_prints_json_and_words(tmp_path):
    out = cli(tmp_path, "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["verdict"] == "delivering" and d["exit_cost"] == 1300.0
    text = cli(tmp_path)
    assert text.returncode == 0, text.stderr
    assert "Verdict: delivering" in text.stdout
    assert "$28.00" in text.stdout and "Leaving now would cost $1,300" in text.stdout
    for output in (out.stdout, text.stdout):
        assert "PATIENT" not in output and "DOE" not in output and "ROE" not in output


@pytest.mark.parametrize("bills, where", [
    ("month,amount\n2026-07,100\n2026-13,150\n", "row 3, column month"),
    ("month,amount\n2026-07,100\nJuly,150\n", "row 3, column month"),
    ("month,amount\n2026-07,100\n2026-12,150\n", "row 3, column month"),
    ("month,amount\n2026-07,100\n2026-07,150\n", "row 3, column month"),
    ("month,amount\n2026-07,-5\n", "row 2, column amount"),
    ("month,cost\n2026-07,100\n", "missing column(s) amount"),
    ("month,amount,Amount Billed\n2026-07,100,100\n", "more than one column for amount"),
])
def test_bad_invoices_exit_2_naming_row_and_column(tmp_path, bills, where):
    out = cli(tmp_path, bills=bills)
    assert out.returncode == 2 and out.stdout == ""
    assert "invoices.csv" in out.stderr and where in out.stderr


def test_an_unknown_vendor_exits_2(tmp_path):
    out = cli(tmp_path, vendor="Nobody")
    assert out.returncode == 2
    assert "--vendor" in out.stderr and "Vendor V" in out.stderr


def test_a_file_that_is_not_claims_data_exits_2(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("these are my notes\nnot a ledger at all\n")
    out = rcm_inprocess("audit", str(scenario(tmp_path)), "--vendor", "Vendor V",
                        "--before", str(before(tmp_path)), "--after", str(notes))
    assert out.returncode == 2 and "notes.txt" in out.stderr


def test_invoices_as_a_spreadsheet_saves_them(tmp_path):
    """A byte-order mark, CRLF, 'Invoice Month' / 'Amount Billed' headers, dollar signs and
    thousands separators, and months a spreadsheet turned into dates (2026-07-01)."""
    from rcmmodel.model.invoices import Invoice, read_invoices

    path = tmp_path / "invoices.csv"
    path.write_bytes(b'\xef\xbb\xbfInvoice Month,Amount Billed,Invoice #\r\n'
                     b'2026-07-01,"$1,100.00",INV-1\r\n2026/8,950.5,INV-2\r\n')
    assert read_invoices(path) == [Invoice(2, "2026-07", 1100.0), Invoice(3, "2026-08", 950.5)]
    path.write_text("month,amount\n2026-07-01,100\n2026-07-15,150\n")
    with pytest.raises(RcmInputError) as err:
        read_invoices(path)
    (p,) = err.value.problems
    assert p.where == "row 3, column month" and "already billed in row 2" in p.message
