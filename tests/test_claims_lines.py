"""Service lines, denials, payers, underpayments, as-of and the evidence-based uplift,
pinned on two small hand-made 835s (tests/data/lines_a.835, lines_b.835).

lines_a.835, two transaction sets (BPR16 paid dates 2024-03-01 and 2024-03-05):

    claim  payer         CLP02 line  code     charge paid  adjustments        line denied?
    ZQX-1  ACME          1     1     99213    100    80    CO-45 20, B6 80    no
                               2     80053    100    0     CO-97 100          yes (bundling)
    ZQX-2  ACME          4     1     97110    150    0     claim CO-50 150    yes (CLP02 4)
    ZQX-3  ACME          1     1     99214    120    0     CO-16 120, MA130   yes (resubmit)
    ZQX-4  ACME          1     1     99212     90    0     PR-1 90            no (deductible)
    ZQX-5  BLUE PELICAN  1     1     99215    200    100   CO-45 70, PR-2 30  no
                               2     36415    100    0     CO-29 100          yes (timely)
    ZQX-6  BLUE PELICAN  2     1     99213-25 120    0     OA-23 120          no (CARC 23)

lines_b.835 (paid 2024-04-10) pays ZQX-2 after all: 120, CO-45 30, B6 120: an overturn.

As of 2024-04-10 (the latest date): 6 claims, all adjudicated.
    denied claims ZQX-1, 2, 3, 5 = 4 of 6; denied dollars 100 + 150 + 120 + 100 = 470
    of 980 charged; lines 4 of 8; 1 overturned (ZQX-2): 1 / 4.
    collected 80 + 120 + 100 = 300; contractual 20 + 30 + 70 = 120 (CO on denied lines is
    denied, not contractual); net collection 300 / (980 - 120); gross 300 / 980.
    open A/R: ZQX-1 100, ZQX-3 120, ZQX-4 90, ZQX-5 130 (30 the patient's) = 440;
    patients owe 90 + 30 = 120.
    window 2024-01-20 .. 2024-04-10 = 82 days, charges 980: days in A/R 440 / (980 / 82).
    ACME 4 claims, 560 charged, 200 paid, 3 of 4 denied, days to pay 29 and 65: median 47;
    BLUE PELICAN 2 claims, 420, 100 paid, 1 of 2 denied, 45 days.
    fee schedule: 99213 ACME 95 (allowed 80: 15 short), 97110 ACME 140 (120: 20 short),
    99215 BLUE PELICAN 150 (130: 20 short); 55 in all, ACME 35, BLUE PELICAN 20.
"""
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import examples
from hypothesis import given, settings, strategies as st

from rcmmodel.claims import segments
from rcmmodel.claims.evidence import judge_quote
from rcmmodel.claims.fees import read_fee_schedule
from rcmmodel.claims.history import ClaimsData
from rcmmodel.claims.ledger import make_ledger
from rcmmodel.claims.remittance import read_remittances
from rcmmodel.claims.review import read_claims, summarize
from rcmmodel.errors import RcmInputError
from rcmmodel.present.review_text import basis_text, judgement_text, review_dict

DATA = Path(__file__).parent / "data"
FILES = [DATA / "lines_a.835", DATA / "lines_b.835"]
FEES = DATA / "fee_schedule.csv"
SECRETS = ("ABERNATHY", "LUCINDA", "BARTHOLOMEW", "CORNELIA", "CALLOWAY", "DESMOND",
           "EUGENIA", "DUNWOODY", "FLORENTINE", "EVERSHOLT", "GWENDOLYN", "FOTHERINGAY",
           "HORATIO", "MBRZQ", "SUBZQ", "ZQX-", "PCN")


@pytest.fixture(scope="module")
def review():
    return summarize(read_claims(FILES), fee_schedule=FEES)


def test_service_lines_are_read():
    r = read_remittances(FILES[0])
    lines = r.lines
    assert len(lines) == 8
    assert lines["procedure_code"].tolist() == ["99213", "80053", "97110", "99214", "99212",
                                                "99215", "36415", "99213"]
    assert lines["modifiers"].tolist()[-1] == "25"
    assert lines["denied"].tolist() == [False, True, True, True, False, False, True, False]
    assert lines["allowed"].tolist()[:2] == [80.0, 0.0]               # B6, else paid + PR
    assert set(r.remarks["code"]) == {"MA130"}


def test_co97_bundled_lab_is_a_line_denial():
    ledger = read_remittances(FILES[0]).ledger.set_index("claim_id")
    one = ledger.loc["ZQX-1"]
    assert one["status"] == "paid" and one["denied_charge"] == 100.0
    assert one["contractual_adjustment"] == 20.0 and one["denied_amount"] == 100.0
    review = summarize(read_claims(FILES[0]))
    assert review["denials"]["claims"]["denied"] == 4              # ZQX-1 among them


def test_kpis_by_hand(review):
    k = review["kpis"]
    assert review["claims"] == 6 and review["as_of"] == "2024-04-10"
    assert k["net_collection_rate"] == pytest.approx(300 / 860)
    assert k["gross_collection_rate"] == pytest.approx(300 / 980)
    assert k["denial_rate"] == pytest.approx(4 / 6)           # initial: ZQX-2 counts
    assert k["final_denial_rate"] == pytest.approx((4 - 1) / 6)   # ZQX-2 was overturned
    assert k["denial_rate_dollars"] == pytest.approx(470 / 980)
    assert k["open_ar"] == 440.0
    assert k["days_in_ar"] == pytest.approx(440 / (980 / 82))
    assert k["ar_over_90"] == 0.0
    assert review["window"] == {"start": "2024-01-20", "end": "2024-04-10", "days": 82,
                                "charges": 980.0}
    assert review["open_claims"] == 0 and review["adjudicated_claims"] == 6
    assert not review["graded"]                                     # under 30 claims


def test_denials_by_hand(review):
    d = review["denials"]
    assert d["claims"] == {**d["claims"], "denied": 4, "rate": 4 / 6, "dollars": 470.0,
                           "dollar_rate": 470 / 980, "overturned": 1, "overturn_rate": 0.25}
    assert d["lines"] == {**d["lines"], "denied": 4, "total": 8, "rate": 0.5}
    reasons = {(r["group"], r["code"]): r for r in d["by_reason"]}
    assert set(reasons) == {("CO", "97"), ("CO", "50"), ("CO", "16"), ("CO", "29")}
    assert reasons[("CO", "97")]["category"] == "coding/bundling"
    assert reasons[("CO", "50")]["category"] == "medical necessity"
    assert reasons[("CO", "50")]["overturned_lines"] == 1
    assert reasons[("CO", "16")]["category"] == "missing information"
    assert reasons[("CO", "16")]["appealable"] is False                # MA130: resubmit
    assert reasons[("CO", "16")]["action"] == "correct and resubmit"
    assert reasons[("CO", "29")]["category"] == "timely filing"
    assert all(reasons[k]["appealable"] for k in [("CO", "97"), ("CO", "50"), ("CO", "29")])
    assert [r["dollars"] for r in d["by_reason"]] == [150.0, 120.0, 100.0, 100.0]


def test_payers_and_aging_by_hand(review):
    payers = {p["payer"]: p for p in review["payers"]}
    acme, blue = payers["ACME HEALTH PLAN"], payers["BLUE PELICAN INSURANCE"]
    assert (acme["claims"], acme["charge"], acme["paid"]) == (4, 560.0, 200.0)
    assert acme["denial_rate"] == 0.75 and acme["days_to_pay_median"] == 47.0
    assert acme["mix"] == pytest.approx(560 / 980)
    assert (blue["claims"], blue["paid"], blue["denial_rate"]) == (2, 100.0, 0.5)
    assert blue["days_to_pay_median"] == 45.0
    buckets = {a["bucket"]: a for a in review["aging"]}
    assert buckets["31-60"]["open_ar"] == 210.0 and buckets["61-90"]["open_ar"] == 230.0
    assert review["balances"] == {"insurance": 320.0, "patient": 120.0}
    by_payer = {p["payer"]: p for p in review["aging_by_payer"]}
    assert by_payer["ACME HEALTH PLAN"]["total"] == 310.0
    lag = {(r["service_month"], r["paid_month"]): r["paid"] for r in review["lag_table"]}
    assert lag == {("2024-02", "2024-03"): 80.0, ("2024-02", "2024-04"): 120.0,
                   ("2024-01", "2024-03"): 100.0}


def test_underpayments_by_hand(review):
    u = review["underpayments"]
    assert (u["lines"], u["amount"], u["checked_lines"]) == (3, 55.0, 3)
    assert u["by_payer"] == [{"payer": "ACME HEALTH PLAN", "lines": 2, "amount": 35.0},
                             {"payer": "BLUE PELICAN INSURANCE", "lines": 1, "amount": 20.0}]
    assert {c["procedure_code"]: c["amount"] for c in u["by_code"]} == {
        "97110": 20.0, "99215": 20.0, "99213": 15.0}


def test_evidence_by_hand(review):
    """Denials not overturned: appeal 97 + 29 = 200, resubmit 16 = 120; a paid line yields
    300 / 450 of its charge; own overturn rate 1/4. Underpayments 55, half to all."""
    ev = review["evidence"]
    assert review["paid_yield"] == pytest.approx(300 / 450)
    assert ev["overturn_source"] == "measured" and ev["overturn_rate"] == 0.25
    denials = ev["components"][0]
    assert denials["low_amount"] == pytest.approx(200 * 2 / 3 * 0.25, abs=0.01)
    assert denials["high_amount"] == pytest.approx(320 * 2 / 3 * 0.25, abs=0.01)
    assert ev["low"] == pytest.approx((200 * 2 / 3 * 0.25 + 27.5) / 300, abs=1e-4)
    assert ev["high"] == pytest.approx((320 * 2 / 3 * 0.25 + 55) / 300, abs=1e-4)
    assert judge_quote(0.5, ev)["status"] == "above"
    assert judge_quote(0.25, ev)["status"] == "within"
    assert judge_quote(0.10, ev)["status"] == "below"
    assert judgement_text(judge_quote(0.5, ev)).startswith("promises 50.0% more collections")
    assert judgement_text(judge_quote(None, ev)) == "no claims data to check the quote against"
    assert basis_text(denials).startswith("denied dollars not overturned")


def test_as_of_measures_the_practice_on_that_day():
    data = read_claims(FILES)
    march = summarize(data, "2024-03-31")
    # ZQX-2's payment of 2024-04-10 has not happened: denied, not overturned
    assert march["claims"] == 6
    assert march["denials"]["claims"]["overturned"] == 0
    assert march["kpis"]["final_denial_rate"] == march["kpis"]["denial_rate"]
    assert march["collections"] == 180.0
    assert march["kpis"]["open_ar"] == 590.0
    before_pay = summarize(data, "2024-02-28")           # no remittance yet: all open
    assert before_pay["open_claims"] == 6 and before_pay["adjudicated_claims"] == 0
    assert before_pay["kpis"]["net_collection_rate"] is None
    assert before_pay["kpis"]["open_ar"] == 980.0
    early = summarize(data, "2024-02-03")                # claims served later left out
    assert early["claims"] == 3


def test_837_only_is_not_graded():
    review = summarize(read_claims(DATA / "names_pair.837"))
    assert review["adjudicated_claims"] == 0 and set(review["grades"].values()) == {None}
    assert review["kpis"]["net_collection_rate"] is None
    assert [n["key"] for n in review["notes"]] == ["submissions_only"]
    assert any("837" in n for n in review_dict(review)["notes"])


def test_long_span_gets_a_note():
    review = summarize(read_claims(DATA / "x12" / "lfh_835_managed-care.835"))
    assert all(n["key"] != "long_span" for n in review["notes"])
    both = summarize(read_claims([DATA / "x12" / "lfh_835_managed-care.835", FILES[0]]))
    assert any("months of service" in n for n in review_dict(both)["notes"])


def _many_sets(times=60) -> bytes:
    """lines_a.835's two transaction sets repeated with fresh claim ids (~100 KB)."""
    text = FILES[0].read_text()
    head, rest = text.split("ST*835*0001~", 1)
    body, tail = rest.rsplit("GE*", 1)
    sets = "".join(("ST*835*0001~" + body).replace("ZQX-", f"R{i}-") for i in range(times))
    return (head + sets + "GE*" + tail).encode()


def test_streams_across_chunk_boundaries(monkeypatch):
    data = _many_sets()
    whole = read_remittances(data)
    assert len(whole.ledger) == 6 * 60 and len(whole.lines) == 8 * 60
    monkeypatch.setattr(segments, "CHUNK", 997)      # ~100 chunks, segments cut anywhere
    cut = read_remittances(data)
    for a, b in ((cut.ledger, whole.ledger), (cut.lines, whole.lines),
                 (cut.adjustments, whole.adjustments), (cut.remarks, whole.remarks)):
        assert a.equals(b)


def test_fee_schedule_errors_name_row_and_column(tmp_path):
    bad = tmp_path / "fees.csv"
    bad.write_text("payer,procedure_code,modifier,allowed\nACME,99213,,lots\n,99214,,5\n")
    with pytest.raises(RcmInputError) as exc:
        read_fee_schedule(bad)
    wheres = [p.where for p in exc.value.problems]
    assert wheres == ["row 2, column allowed", "row 3, column payer"]
    (tmp_path / "nocol.csv").write_text("payer,code,allowed\nA,1,2\n")
    with pytest.raises(RcmInputError, match="procedure_code"):
        read_fee_schedule(tmp_path / "nocol.csv")


def rcm(*argv):
    """``rcm kpi ARGV`` in this process (test_cli_kpi.py runs the real command)."""
    from conftest import rcm_inprocess

    return rcm_inprocess("kpi", *argv)


def test_cli_fee_schedule_and_no_patient_data():
    for extra in ([], ["--json"]):
        proc = rcm(*FILES, "--fee-schedule", FEES, *extra)
        assert proc.returncode == 0, proc.stderr
        for secret in SECRETS:
            assert secret not in proc.stdout and secret not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["underpayments"]["amount"] == 55.0
    proc = rcm(*FILES, "--fee-schedule", DATA / "nope.csv")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_sample_of_30_is_graded(tmp_path):
    rows = ["claim_id,payer,service_date,charge,insurance_paid,patient_paid,"
            "contractual_adjustment,other_adjustment,status,first_pass"]
    rows += [f"C{i},P,2024-01-{1 + i % 28:02d},100,80,0,20,0,paid,true" for i in range(30)]
    path = tmp_path / "ledger.csv"
    path.write_text("\n".join(rows) + "\n")
    review = summarize(read_claims(path))
    assert review["graded"] and review["grades"]["net_collection_rate"] == "green"


def test_ledger_denied_charge_is_a_line_denial(tmp_path):
    """A paid claim whose ledger row says 40 of its 100 were denied: a denied claim
    (docs/methodology.md §7: denied_charge > 0) with 40 denied dollars, one denied line;
    open A/R counts the 40 (charge 100 - paid 50 - contractual 10)."""
    path = tmp_path / "ledger.csv"
    path.write_text("claim_id,payer,service_date,charge,insurance_paid,patient_paid,"
                    "contractual_adjustment,other_adjustment,status,denied_charge,paid_date\n"
                    "A,P,2024-01-02,100,50,0,10,0,paid,40,2024-01-20\n"
                    "B,P,2024-01-03,100,90,0,10,0,paid,,2024-01-20\n")
    review = summarize(read_claims(path))
    assert review["denials"]["claims"] == {**review["denials"]["claims"], "denied": 1,
                                           "rate": 0.5, "dollars": 40.0,
                                           "dollar_rate": 40 / 200}
    assert review["denials"]["lines"] == {**review["denials"]["lines"], "denied": 1,
                                          "total": 2, "dollars": 40.0}
    assert review["kpis"]["open_ar"] == 40.0


def test_evidence_uses_the_cited_rate_without_overturns():
    review = summarize(read_claims(FILES[0]))            # no second 835: nothing overturned
    ev = review["evidence"]
    assert ev["overturn_source"] == "cited" and ev["overturn_rate"] == 0.63
    assert review["denials"]["claims"]["overturned"] == 0


def test_fee_schedule_modifier_rows_win_and_blank_matches_any(tmp_path):
    """ZQX-1's 99213 (no modifier) takes the blank row; a row for modifier 25 applies only
    to lines carrying 25."""
    fees = tmp_path / "fees.csv"
    fees.write_text("payer,procedure_code,modifier,allowed\n"
                    "ACME HEALTH PLAN,99213,25,500\nACME HEALTH PLAN,99213,,90\n")
    review = summarize(read_claims(FILES), fee_schedule=fees)
    assert review["underpayments"]["amount"] == 10.0        # 90 - 80, not 500 - 80
    assert review["underpayments"]["unmatched_lines"] == 2  # 97110 and 99215 have no rate


# --- properties over random ledgers -----------------------------------------------------


_row = st.tuples(st.floats(1, 5000).map(lambda x: round(x, 2)), st.floats(0, 1), st.floats(0, 1),
                 st.sampled_from(["paid", "partial", "denied", "open"]),
                 st.sampled_from(["A", "B", None]), st.integers(0, 300), st.integers(0, 60),
                 st.floats(0, 1))


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(_row, min_size=1, max_size=40), st.integers(0, 400))
def test_review_adds_up(rows, as_of_day):
    """Whatever the ledger and date: parts add up to wholes, rates are fractions, and
    nothing overturned that was not denied."""
    start = pd.Timestamp("2024-01-01")
    claims = []
    for i, (charge, share, adj, status, payer, day, lag, cut) in enumerate(rows):
        settled = status in ("paid", "partial")
        paid = round(charge * share, 2) if settled else 0.0
        claims.append({
            "claim_id": f"C{i}", "payer": payer, "charge": charge, "status": status,
            "service_date": start + pd.Timedelta(days=day),
            "paid_date": None if status == "open" else start + pd.Timedelta(days=day + lag),
            "insurance_paid": paid,
            "contractual_adjustment": round((charge - paid) * adj, 2) if settled else 0.0,
            "first_pass": status != "open",
            # a denied line on some paid claims
            "denied_charge": round(charge * cut, 2) if settled and cut > 0.8 else 0.0})
    ledger = make_ledger({k: [c[k] for c in claims] for k in claims[0]})
    review = summarize(ClaimsData.from_ledger(ledger), start + pd.Timedelta(days=as_of_day))
    d = review["denials"]["claims"]
    assert d["denied"] <= d["adjudicated"] == review["adjudicated_claims"]
    assert review["adjudicated_claims"] + review["open_claims"] == review["claims"]
    assert d["overturned"] <= d["denied"]
    k = review["kpis"]
    assert (k["final_denial_rate"] is None) == (k["denial_rate"] is None)
    if k["denial_rate"] is not None:      # final = (denied - overturned) / adjudicated
        assert k["final_denial_rate"] == pytest.approx(
            (d["denied"] - d["overturned"]) / d["adjudicated"])
    for name in ("denial_rate", "final_denial_rate", "denial_rate_dollars",
                 "gross_collection_rate", "ar_over_90"):
        value = review["kpis"][name]
        assert value is None or -1e-9 <= value <= 1 + 1e-9
    open_ar = review["kpis"]["open_ar"]
    assert sum(a["open_ar"] for a in review["aging"]) == pytest.approx(open_ar, abs=0.05)
    assert sum(review["balances"].values()) == pytest.approx(open_ar, abs=0.05)
    assert sum(p["open_ar"] for p in review["payers"]) == pytest.approx(open_ar, abs=0.05)
    assert sum(p["claims"] for p in review["payers"]) == review["claims"]
    ev = review["evidence"]
    assert ev["high"] is None or ev["low"] <= ev["high"] + 1e-12


@pytest.mark.parametrize("header, row", [
    ("payer,procedure_code,allowed", "ACME HEALTH PLAN,99213,90"),          # no modifier column
    ("payer,procedure_code,modifier,allowed", "ACME HEALTH PLAN,99213,,90"),  # all blank
    # as exports spell it: a byte-order mark, other names, extra columns, CRLF
    ("\ufeffPayer Name,CPT,Mod,Allowed Amount,Effective Date",
     'acme health plan,99213,,"$90.00",2026-01-01\r'),
    ("Payer,Procedure Code,Modifier,Contracted Rate", "ACME HEALTH PLAN,99213,,90.00\r"),
])
def test_fee_schedule_without_modifiers(tmp_path, header, row):
    """Most fee schedules name no modifier at all: they price every line of the code."""
    fees = tmp_path / "fees.csv"
    fees.write_bytes(f"{header}\n{row}\n".encode())
    review = summarize(read_claims(FILES), fee_schedule=fees)
    assert review["underpayments"]["amount"] == 10.0        # 90 - 80 on ZQX-1's 99213
    only_835 = summarize(read_claims(FILES[:1]), fee_schedule=fees)
    assert only_835["underpayments"]["lines"] >= 0


def test_fee_schedule_with_two_columns_for_one_field_is_refused(tmp_path):
    fees = tmp_path / "fees.csv"
    fees.write_text("payer,CPT,procedure_code,allowed\nACME,99213,99213,90\n")
    with pytest.raises(RcmInputError) as err:
        read_fee_schedule(fees)
    (p,) = err.value.problems
    assert p.where == "header" and "procedure_code" in p.message
