"""Loading is loading: ``load_scenario`` reads and validates the scenario file only; the
claims files are measured by the explicit next step, ``measure_claims`` /
``scenario_with_claims`` (rcmmodel/model/measure.py), cached on the files' paths,
modification times and sizes."""
import os
import shutil
from pathlib import Path

import pytest
import yaml
from conftest import SCENARIOS, guide_dict

import rcmmodel
from rcmmodel.claims.review import baseline_kpis, claims_review
from rcmmodel.errors import RcmInputError
from rcmmodel.model import measure

CLAIMS = SCENARIOS / "family-practice-claims.yaml"


@pytest.fixture(autouse=True)
def fresh_cache():
    measure.clear_cache()
    yield
    measure.clear_cache()


def scenario_with_ledger(tmp_path, **practice):
    shutil.copy(SCENARIOS / "claims" / "family-practice-ledger.csv", tmp_path / "l.csv")
    d = guide_dict()
    d["practice"].update(claims_files=["l.csv"], **practice)
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(d))
    return tmp_path / "s.yaml"


def test_loading_opens_no_claims_file(tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("load_scenario read claims files")

    monkeypatch.setattr("rcmmodel.claims.load.read_claims", boom)
    monkeypatch.setattr("rcmmodel.claims.review.read_claims", boom)
    s = rcmmodel.load_scenario(CLAIMS)
    assert s.measured_kpis == [] and s.practice.baseline_kpis.days_in_ar is None
    d = guide_dict()
    d["practice"]["claims_files"] = ["nowhere.835"]
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(d))
    assert rcmmodel.load_scenario(tmp_path / "s.yaml").practice.claims_files == ["nowhere.835"]


def test_scenario_does_not_import_claims():
    text = "\n".join(p.read_text() for p in (SCENARIOS.parent / "rcmmodel" / "scenario")
                     .glob("*.py"))
    assert "claims." not in text.replace("claims_files", "").replace("claims_per", "")


def test_measured_baseline_is_the_claims_review_kpis():
    m = rcmmodel.measure_claims(rcmmodel.load_scenario(CLAIMS))
    s = CLAIMS.parent
    review = claims_review(["claims/family-practice-ledger.csv"], base_dir=s)
    assert m.review == review
    b = m.scenario.practice.baseline_kpis
    for k, v in baseline_kpis(["claims/family-practice-ledger.csv"], base_dir=s).items():
        assert getattr(b, k) == v == pytest.approx(review["kpis"][k])
    assert m.measured_kpis == sorted(["days_in_ar", "clean_claim_rate",
                                      "net_collection_rate", "denial_rate"])
    assert m.scenario.source == str(CLAIMS)


def test_without_claims_files_nothing_is_read():
    s = rcmmodel.load_scenario(SCENARIOS / "guide-example.yaml")
    m = rcmmodel.measure_claims(s)
    assert m.scenario is s and m.review is None and not m.has_claims
    assert m.review_as_of("2024-01-01") is None


def test_a_missing_claims_file_is_named_by_the_measuring_step(tmp_path):
    d = guide_dict()
    d["practice"]["claims_files"] = ["nowhere.835"]
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(d))
    s = rcmmodel.load_scenario(tmp_path / "s.yaml")
    with pytest.raises(RcmInputError, match="nowhere.835"):
        rcmmodel.scenario_with_claims(s)


def test_files_are_read_once_until_they_change(tmp_path, monkeypatch):
    path = scenario_with_ledger(tmp_path)
    calls = []
    real = measure._Read.__init__

    def counting(self, data):
        calls.append(1)
        real(self, data)

    monkeypatch.setattr(measure._Read, "__init__", counting)
    first = rcmmodel.measure_claims(rcmmodel.load_scenario(path))
    again = rcmmodel.measure_claims(rcmmodel.load_scenario(path))
    assert len(calls) == 1 and again.scenario == first.scenario
    review = first.review
    review["kpis"]["days_in_ar"] = -1          # a caller's change does not reach the cache
    assert again.review["kpis"]["days_in_ar"] != -1
    ledger = tmp_path / "l.csv"
    lines = ledger.read_text().splitlines(keepends=True)
    ledger.write_text("".join(lines[:len(lines) // 2]))
    st = ledger.stat()
    os.utime(ledger, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    changed = rcmmodel.measure_claims(rcmmodel.load_scenario(path))
    assert len(calls) == 2
    assert changed.review["claims"] < first.review["claims"]


def test_review_as_of_a_date_or_with_a_fee_schedule_is_the_claims_review():
    m = rcmmodel.measure_claims(rcmmodel.load_scenario(CLAIMS))
    files, base = ["claims/family-practice-ledger.csv"], CLAIMS.parent
    assert m.review_as_of("2024-02-15") == claims_review(files, "2024-02-15", base_dir=base)
    schedule = Path(__file__).parent / "data" / "fee_schedule.csv"
    assert m.review_as_of(fee_schedule=schedule) == claims_review(files, base_dir=base,
                                                                  fee_schedule=schedule)


def test_given_kpis_win_and_are_not_called_measured(tmp_path):
    path = scenario_with_ledger(tmp_path, baseline_kpis={"net_collection_rate": 0.9,
                                                         "ar_over_90": 0.2})
    s = rcmmodel.scenario_with_claims(rcmmodel.load_scenario(path))
    b = s.practice.baseline_kpis
    assert b.net_collection_rate == 0.9 and b.ar_over_90 == 0.2
    assert s.measured_kpis == ["clean_claim_rate", "days_in_ar", "denial_rate"]
