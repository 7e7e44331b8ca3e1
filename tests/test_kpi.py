"""KPIs pinned to hand-computed values (docs/methodology.md §7), null cases, breakdowns and
properties.

tests/data/ledger_small.csv, by hand (as_of = 2024-03-31, the latest date in it):

    claim  payer     service     charge  paid ins+pat  contractual  other  status   open A/R  age
    C1     Aetna     2024-01-01  200     110 + 30     50           0      paid     10        90
    C2     Aetna     2024-01-15  100      60 + 0      20           0      partial  20        76
    C3     Medicare  2024-02-01  300       0 + 0       0           0      denied   300       59
    C4     Medicare  2024-02-10  400     280 + 10    100           5      paid     5         50
    C5     Cigna     2024-03-01  500       open                           open     500       30
    C6     Cigna     2023-12-01  250     100 + 0      50           0      partial  100       121

    charge 1750, collected 590, contractual 220, closed 5, denied 1 (charge 300),
    first_pass C1 C2 C6, open A/R 935, period 2023-12-01..2024-03-31 = 122 days.

    docs/methodology.md §7: collection rates over the adjudicated claims (all but C5, charge 1250);
    days in A/R over the window 2024-01-02..2024-03-31 (90 days), whose charges are
    C2 + C3 + C4 + C5 = 1300 (C1 on 2024-01-01 and C6 are older).
"""
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from rcmmodel.model.gain import sla_implied_uplift
from conftest import examples
from hypothesis import given, settings, strategies as st

from rcmmodel.claims import kpi
from rcmmodel.claims.review import baseline_kpis, load_claims, summarize
from rcmmodel.claims.ledger import make_ledger, read_ledger

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def small():
    return read_ledger(DATA / "ledger_small.csv")


EXPECTED = {
    "net_collection_rate": 590 / (1250 - 220),
    "gross_collection_rate": 590 / 1250,
    "denial_rate": 1 / 5,
    "denial_rate_dollars": 300 / (1750 - 500),
    "clean_claim_rate": 3 / 5,
    "open_ar": 935.0,
    "days_in_ar": 935 / (1300 / 90),
    "ar_over_90": 100 / 935,            # C1 is exactly 90 days old: not over 90
}


@pytest.mark.parametrize("name, value", EXPECTED.items())
def test_each_kpi_by_hand(small, name, value):
    assert getattr(kpi, name)(small) == pytest.approx(value, rel=1e-12)
    assert kpi.kpis(small)[name] == pytest.approx(value, rel=1e-12)


def test_as_of_default_is_latest_date(small):
    assert kpi.default_as_of(small) == pd.Timestamp("2024-03-31")
    assert kpi.period_days(small) == 122


def test_explicit_as_of_moves_window_and_ages(small):
    values = kpi.kpis(small, pd.Timestamp("2024-04-30"))
    # window 2024-02-01..2024-04-30: C3 + C4 + C5 = 1200
    assert values["days_in_ar"] == pytest.approx(935 / (1200 / 90))
    assert values["ar_over_90"] == pytest.approx((10 + 20 + 100) / 935)
    assert values["denial_rate"] == pytest.approx(0.2)      # not time-dependent


def test_as_of_before_first_service_gives_null_days(small):
    assert kpi.days_in_ar(small, pd.Timestamp("2023-11-30")) is None


def ledger(**cols):
    n = len(next(iter(cols.values())))
    base = {"claim_id": [f"X{i}" for i in range(n)], "service_date": ["2024-01-01"] * n,
            "payer": ["P"] * n}
    base.update(cols)
    return make_ledger(base)


NULL_CASES = {
    "empty ledger": (make_ledger({"claim_id": [], "status": []}),
                     {k: None for k in kpi.KPI_NAMES if k != "open_ar"} | {"open_ar": 0.0}),
    "all open": (ledger(charge=[100.0, 50.0], status=["open", "open"],
                        first_pass=[None, None]),
                 {"denial_rate": None, "denial_rate_dollars": None, "clean_claim_rate": None,
                  "net_collection_rate": None, "gross_collection_rate": None,
                  "open_ar": 150.0}),
    "all written off as contractual": (
        ledger(charge=[100.0], contractual_adjustment=[100.0], status=["paid"],
               first_pass=[True]),
        {"net_collection_rate": None, "gross_collection_rate": 0.0, "open_ar": 0.0,
         "ar_over_90": None, "days_in_ar": 0.0, "denial_rate": 0.0}),
    "zero charges": (ledger(charge=[0.0], status=["denied"], first_pass=[False]),
                     {"gross_collection_rate": None, "net_collection_rate": None,
                      "denial_rate": 1.0, "denial_rate_dollars": None, "days_in_ar": None,
                      "clean_claim_rate": 0.0}),
    "first pass unknown": (ledger(charge=[100.0], insurance_paid=[100.0], status=["paid"]),
                           {"clean_claim_rate": None, "net_collection_rate": 1.0,
                            "ar_over_90": None}),
}


@pytest.mark.parametrize("case", NULL_CASES, ids=list(NULL_CASES))
def test_null_never_zero_when_denominator_is_zero(case):
    data, expected = NULL_CASES[case]
    values = kpi.kpis(data)
    for name, value in expected.items():
        assert values[name] == value, name


def test_open_ar_ignores_overpayment_and_float_residue():
    data = ledger(charge=[100.0, 0.3], insurance_paid=[120.0, 0.1],
                  patient_paid=[0.0, 0.2], status=["paid", "paid"])
    assert kpi.open_ar(data) == 0.0


def test_by_payer(small):
    frame = kpi.by_payer(small).set_index("payer")
    assert list(frame.index) == ["Aetna", "Cigna", "Medicare"]
    assert frame.loc["Aetna", "net_collection_rate"] == pytest.approx(200 / 230)
    # the whole data's window (90 days, 1300 of charges); Aetna's in it: C2, 100
    assert frame.loc["Aetna", "days_in_ar"] == pytest.approx(30 / (100 / 90))
    assert frame.loc["Cigna", "ar_over_90"] == pytest.approx(100 / 600)
    assert frame.loc["Medicare", "denial_rate"] == pytest.approx(0.5)
    assert frame.loc["Medicare", "denial_rate_dollars"] == pytest.approx(300 / 700)
    assert frame.loc["Medicare", "clean_claim_rate"] == 0.0
    assert frame["claims"].sum() == 6 and frame["open_ar"].sum() == pytest.approx(935)


def test_by_month(small):
    frame = kpi.by_month(small).set_index("month")
    assert list(frame.index) == ["2023-12", "2024-01", "2024-02", "2024-03"]
    assert np.isnan(frame.loc["2024-03", "denial_rate"])       # only an open claim
    assert frame.loc["2024-02", "denial_rate"] == 0.5
    assert "days_in_ar" not in frame.columns


def test_aging_buckets(small):
    frame = kpi.aging(small).set_index("bucket")
    assert list(frame.index) == list(kpi.AGING_BUCKETS)
    assert frame["open_ar"].tolist() == [500.0, 305.0, 30.0, 0.0, 100.0]
    assert frame["claims"].tolist() == [1, 2, 2, 0, 1]
    assert frame["share"].sum() == pytest.approx(1.0)


def test_aging_unknown_service_date():
    data = ledger(charge=[10.0, 20.0], status=["open", "open"],
                  service_date=["2024-01-01", None], paid_date=["2024-01-31", None])
    frame = kpi.aging(data).set_index("bucket")
    assert frame.loc["unknown", "open_ar"] == 20.0
    assert frame.loc["0-30", "open_ar"] == 10.0


def test_carc_descriptions():
    from rcmmodel.claims.codes import describe_carc
    assert describe_carc("45").startswith("Charge above")
    assert describe_carc("co16") == describe_carc("16")   # group prefix as ledgers write it
    assert describe_carc("PR-27") == describe_carc("27")
    assert describe_carc("CO-9999").startswith("Other reason")
    assert describe_carc("97") == "Paid as part of another service or procedure"


def test_grades(small):
    assert kpi.grades(kpi.kpis(small)) == {
        "days_in_ar": "red", "clean_claim_rate": "red", "net_collection_rate": "red",
        "denial_rate": "red", "ar_over_90": "green"}
    assert kpi.grades({})["days_in_ar"] is None


def test_ratio_scalar_and_array():
    assert kpi.ratio(1, 4) == 0.25 and kpi.ratio(3, 0) is None
    out = kpi.ratio(np.array([1.0, 2.0]), np.array([0.0, 4.0]))
    assert np.isnan(out[0]) and out[1] == 0.5


def test_sla_implied_uplift():
    assert sla_implied_uplift(0.96, 0.90) == pytest.approx(0.96 / 0.90 - 1)
    assert sla_implied_uplift(0.96, None) is None
    assert sla_implied_uplift(None, 0.9) is None


def test_summary_and_baseline(small):
    review = summarize(load_claims(DATA / "ledger_small.csv"))
    assert review["claims"] == 6 and review["as_of"] == "2024-03-31"
    for name, value in EXPECTED.items():
        assert review["kpis"][name] == pytest.approx(value)
    assert review["totals"]["charge"] == 1750.0
    assert review["totals"]["insurance_paid"] == 550.0
    assert review["totals"]["open_ar"] == 935.0
    assert review["status_counts"] == {"paid": 2, "partial": 2, "denied": 1, "open": 1}
    # 5 adjudicated claims: shown, not graded
    assert not review["graded"] and set(review["grades"].values()) == {None}
    assert review["open_claims"] == 1 and review["adjudicated_claims"] == 5
    assert review["period"] == {"start": "2023-12-01", "end": "2024-03-31", "days": 122}
    assert review["window"] == {"start": "2024-01-02", "end": "2024-03-31", "days": 90,
                                "charges": 1300.0}
    base = baseline_kpis([DATA / "ledger_small.csv"])
    # the same function, so the same figures as rcm kpi
    assert base == pytest.approx({k: EXPECTED[k] for k in base})
    relative = baseline_kpis(["ledger_small.csv"], base_dir=DATA, as_of="2024-03-15")
    # as of 2024-03-15: C5 (served 03-01) is in; C6 paid 03-31 has not been paid yet
    # (open, A/R 250); window 2023-12-17..2024-03-15 = C1 + C2 + C3 + C4 + C5 = 1500.
    assert relative["days_in_ar"] == pytest.approx((10 + 20 + 300 + 5 + 500 + 250)
                                                   / (1500 / 90))
    assert relative["net_collection_rate"] == pytest.approx(490 / (1000 - 170))


# --- properties -------------------------------------------------------------------

money = st.floats(0, 10_000, allow_nan=False).map(lambda x: round(x, 2))
rows = st.lists(st.tuples(money, st.floats(0, 1), st.floats(0, 1),
                          st.sampled_from(["paid", "partial", "denied", "open"]),
                          st.booleans(), st.integers(0, 400)), min_size=1, max_size=30)


def build(data):
    charge = [c for c, *_ in data]
    return make_ledger({
        "claim_id": [str(i) for i in range(len(data))],
        "service_date": [pd.Timestamp("2024-01-01") + pd.Timedelta(days=d)
                         for *_, d in data],
        "charge": charge,
        "insurance_paid": [round(c * p, 2) for c, p, *_ in data],
        "contractual_adjustment": [round(c * (1 - p) * a, 2) for c, p, a, *_ in data],
        "status": [s for _, _, _, s, _, _ in data],
        "first_pass": [f and s != "open" for _, _, _, s, f, _ in data]})


@settings(max_examples=examples(150), deadline=None)
@given(rows)
def test_rates_are_fractions_and_order_free(data):
    frame = build(data)
    values = kpi.kpis(frame)
    for name in ("denial_rate", "denial_rate_dollars", "clean_claim_rate", "ar_over_90",
                 "gross_collection_rate"):
        assert values[name] is None or -1e-9 <= values[name] <= 1 + 1e-9
    shuffled = kpi.kpis(frame.iloc[::-1].reset_index(drop=True))
    assert shuffled == pytest.approx(values, nan_ok=True)


@settings(max_examples=examples(100), deadline=None)
@given(rows)
def test_group_breakdowns_add_up(data):
    frame = build(data)
    assert kpi.by_payer(frame)["open_ar"].sum() == pytest.approx(kpi.open_ar(frame))
    assert kpi.aging(frame)["open_ar"].sum() == pytest.approx(kpi.open_ar(frame))
    assert kpi.by_month(frame)["claims"].sum() == len(frame)
