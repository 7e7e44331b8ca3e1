"""X12 readers: the segment reader, 835 remittances, 837P claims, and their merge."""
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings, strategies as st

from rcmmodel.claims.review import load_claims, sniff
from rcmmodel.errors import RcmInputError
from rcmmodel.claims.remittance import read_835
from rcmmodel.claims.x12 import detect_separators, iter_segments
from rcmmodel.claims.claims837 import read_837

SAMPLES = Path(__file__).resolve().parent / "data" / "x12"   # the shared samples, copied
DATA = Path(__file__).parent / "data"
SAMPLES_835 = sorted(SAMPLES.glob("*.835"))
SAMPLES_837 = sorted(SAMPLES.glob("*.837"))


def raw_segments(path):
    """An independent, naive split: separators from fixed ISA positions, '~' otherwise."""
    text = path.read_text(encoding="latin-1").strip()
    if text.startswith("ISA"):
        elem, term = text[3], text[105]
    else:
        elem, term = text[2], "~"
    segs = [s.strip() for s in text.split(term) if s.strip()]
    return [s.split(elem) for s in segs]


def clp_facts(path):
    clps = [s for s in raw_segments(path) if s[0] == "CLP"]
    return {"claims": len(clps), "charge": sum(float(s[3]) for s in clps),
            "paid": sum(float(s[4]) for s in clps),
            "denied": sum(s[2] == "4" for s in clps)}


def test_all_samples_present():
    assert len(SAMPLES_835) == 11 and len(SAMPLES_837) == 5


@pytest.mark.parametrize("path", SAMPLES_835, ids=lambda p: p.name)
def test_835_sample_matches_its_clp_segments(path):
    facts = clp_facts(path)
    ledger = read_835(path)
    assert len(ledger) == facts["claims"]
    assert ledger["charge"].sum() == pytest.approx(facts["charge"], abs=0.005)
    assert ledger["insurance_paid"].sum() == pytest.approx(facts["paid"], abs=0.005)
    assert (ledger["status"] == "denied").sum() == facts["denied"]
    assert ledger["payer"].notna().all()
    assert ledger["service_date"].notna().all()
    assert sniff(path) == "835"


@pytest.mark.parametrize("path", SAMPLES_837, ids=lambda p: p.name)
def test_837_sample_claim_counts(path):
    clms = [s for s in raw_segments(path) if s[0] == "CLM"]
    ledger = read_837(path)
    assert len(ledger) == len(clms)
    assert ledger["charge"].sum() == pytest.approx(sum(float(s[2]) for s in clms))
    assert (ledger["status"] == "open").all()
    assert ledger["payer"].notna().all() and ledger["service_date"].notna().all()
    assert sniff(path) == "837"


def test_many_claims_837_has_820_claims():
    ledger = read_837(SAMPLES / "imsweb_837p_many_claims.837")
    assert len(ledger) == 820
    assert set(ledger["payer"]) == {"HEALTH INSURANCE COMPANY", "HEALTH INSURANCE COMPANY TWO"}
    assert ledger["service_date"].min() == pd.Timestamp("2005-03-14")   # RD8 range start


def test_no_envelope_file_with_malformed_svc():
    ledger = read_835(SAMPLES / "edi835parser_blue_cross_nc_sample.835")
    row = ledger.iloc[0]
    assert row["payer"] == "BLUE CROSS AND BLUE SHIELD OF NORTH CAROLINA"
    assert row["contractual_adjustment"] == pytest.approx(34.6)
    assert row["patient_responsibility"] == pytest.approx(142.54)
    assert row["paid_date"] == pd.Timestamp("2011-01-08")             # BPR16
    assert row["submitted_date"] == pd.Timestamp("2011-01-03")        # DTM*050 received
    assert row["service_date"] == pd.Timestamp("2010-12-31")          # line-level 472


def test_denied_claim_co_is_denied_amount_not_contractual():
    row = read_835(SAMPLES / "pyx12_835_mult_loops.835").iloc[0]
    assert row["status"] == "denied"
    assert row["contractual_adjustment"] == 0
    assert row["denied_amount"] == pytest.approx(500.04)
    assert row["other_adjustment"] == pytest.approx(127.8 + 287.55)
    assert row["denial_reason"] == "16"


def test_several_transaction_sets_and_plb():
    ledger = read_835(SAMPLES / "moov_sample1.835")
    assert len(ledger) == 2 and (ledger["status"] == "denied").all()
    plb = ledger.attrs["provider_adjustments"]
    assert [p["amount"] for p in plb] == [6173.5, 6173.4]
    assert ledger["charge"].sum() == pytest.approx(770.41)   # PLB kept apart from claims


def test_bpr16_filler_falls_back_to_dtm405():
    row = read_835(SAMPLES / "moov_sample2.835").iloc[0]     # BPR16 is 20990080
    assert row["paid_date"] == pd.Timestamp("2022-08-05")


class TestHandMade835:
    """tests/data/names_mixed.835: '|' elements, newline terminator, three sets, two payers,
    a 6-triplet CAS, a reversal and its correction, an unmatched reversal, PLB."""

    @pytest.fixture
    def ledger(self):
        return read_835(DATA / "names_mixed.835").set_index("claim_id")

    def test_separators(self):
        head = (DATA / "names_mixed.835").read_text()[:300]
        seps = detect_separators(head)
        assert (seps.element, seps.component, seps.segment) == ("|", ">", "\n")

    def test_reversal_cancels_original(self, ledger):
        assert sorted(ledger.index) == ["N-100", "N-101", "N-103"]
        n100 = ledger.loc["N-100"]
        assert (n100["insurance_paid"], n100["contractual_adjustment"]) == (140.0, 40.0)
        assert n100["paid_date"] == pd.Timestamp("2024-03-29")
        assert ledger.attrs["reversals"] == 1 and ledger.attrs["unmatched_reversals"] == 1

    def test_six_cas_triplets_on_denied_claim(self, ledger):
        n101 = ledger.loc["N-101"]
        assert n101["status"] == "denied"
        assert n101["denied_amount"] == 150.0 and n101["contractual_adjustment"] == 0
        assert n101["denial_reason"] == "16"

    def test_oa_pi_other_and_partial(self, ledger):
        n103 = ledger.loc["N-103"]
        assert n103["other_adjustment"] == 120.0
        assert n103["allowed"] == 180.0 and n103["status"] == "partial"
        assert n103["service_date"] == pd.Timestamp("2024-01-25")     # earliest line date
        assert n103["paid_date"] == pd.Timestamp("2024-03-18")        # BPR16 invalid
        assert n103["payer"] == "BLUE PELICAN INSURANCE"

    def test_plb(self, ledger):
        plb = ledger.attrs["provider_adjustments"]
        assert [(p["reason"], p["amount"]) for p in plb] == [("WO", -15.5), ("L6", 2.25)]


def test_837_and_835_together():
    ledger = load_claims([DATA / "names_pair.837", DATA / "names_mixed.835"]).set_index(
        "claim_id")
    assert sorted(ledger.index) == ["N-100", "N-101", "N-103", "N-105", "N-106"]
    assert ledger.loc["N-105", "status"] == "open"
    assert ledger.loc["N-105", "payer"] == "ACME HEALTH PLAN"   # not the 2330B payer
    assert ledger.loc["N-106", "charge"] == 65.0                # resubmission replaces
    assert ledger.loc["N-100", "submitted_date"] == pd.Timestamp("2024-01-05")
    assert ledger.loc["N-100", "first_pass"]
    assert not ledger.loc["N-103", "first_pass"]                # sent as a replacement (7)
    assert ledger.attrs["sources"] == {"ledger": 0, "835": 1, "837": 1}


def test_no_name_or_member_id_is_stored():
    ledger = load_claims([DATA / "names_pair.837", DATA / "names_mixed.835"])
    text = ledger.to_csv() + repr(ledger.attrs)
    for secret in ("QUIMBY", "ZEBULON", "ROSALIND", "FAIRWEATHER", "OCTAVIA", "WINTERBOTTOM",
                   "PERCIVAL", "PERCY", "HOLLOWAY", "MARGUERITE", "MBR100ZQ", "SUB100RQ",
                   "MBR101OF", "MBR103PW", "MBR104MH"):
        assert secret not in text


def mutate(path, old, new, count=1):
    text = path.read_text()
    assert old in text
    return text.replace(old, new, count).encode()


class TestMalformed:
    def expect(self, data, where, message, reader=read_835):
        with pytest.raises(RcmInputError) as exc:
            reader(data, name="f.835")
        [problem] = exc.value.problems
        assert problem.file == "f.835"
        assert problem.where == where
        assert re.search(message, problem.message)

    def test_unknown_status_names_segment(self):
        data = mutate(SAMPLES / "lfh_835_managed-care.835", "CLP*8765432112*1*", "CLP*8765432112*9*")
        self.expect(data, "segment 20", "unknown CLP02")

    def test_text_amount(self):
        data = mutate(SAMPLES / "lfh_835_managed-care.835", "*800.00*450.00*", "*800.00*lots*")
        self.expect(data, "segment 13", "CLP04 paid amount is not a number")

    def test_truncated(self):
        raw = (SAMPLES / "edi835parser_emedny_sample.835").read_bytes()
        self.expect(raw[: len(raw) // 2], "segment 29", "middle of a segment: truncated")
        cut = raw.index(b"CLP*PATIENT ACCOUNT NUMBER*2*34*")
        self.expect(raw[:cut], "segment 33", "no SE.*truncated")

    def test_missing_iea(self):
        raw = (SAMPLES / "lfh_835_managed-care.835").read_bytes()
        self.expect(raw[: raw.index(b"IEA")], "segment 29", "no IEA")

    def test_binary_garbage(self):
        self.expect(bytes(range(256)) * 4, "", "not an X12 file")
        self.expect(b"ISA*" + bytes(range(256)) * 4, "segment 1", "ISA|binary|separators")

    def test_nul_after_header(self):
        raw = (SAMPLES / "lfh_835_managed-care.835").read_bytes()
        self.expect(raw[:300] + b"\x00\x00", "segment 1", "binary")

    def test_cas_before_clp_and_bad_group(self):
        data = mutate(SAMPLES / "lfh_835_managed-care.835", "LX*1~", "LX*1~\nCAS*CO*45*1~")
        self.expect(data, "segment 13", "CAS before any CLP")
        data = mutate(SAMPLES / "lfh_835_managed-care.835", "CAS*CO*A2*50.00", "CAS*XX*A2*50")
        self.expect(data, "segment 14", "unknown CAS group")

    def test_wrong_transaction_set(self):
        self.expect((SAMPLES / "lfh_837p_demo.example1.837").read_bytes(), "segment 3",
                    "not an 835")
        self.expect((SAMPLES / "lfh_835_managed-care.835").read_bytes(), "segment 3",
                    "not an 837", reader=read_837)

    def test_empty_and_envelope_only(self):
        self.expect(b"  \n", "", "empty")
        with pytest.raises(RcmInputError, match="no 835 transaction set"):
            read_835(b"ISA*00*          *00*          *ZZ*A              *ZZ*B              "
                     b"*240101*1200*^*00501*000000001*0*T*:~IEA*1*000000001~")

    def test_bad_service_date(self):
        data = mutate(SAMPLES / "lfh_835_managed-care.835", "DTM*150*20020301", "DTM*150*20021399")
        self.expect(data, "segment 13", "service date")


def test_empty_transaction_set_is_zero_claims():
    ledger = read_835(b"ST*835*1~BPR*I*0*C*NON************20240101~SE*3*1~")
    assert len(ledger) == 0


def test_iter_segments_numbers_segments():
    segs = list(iter_segments(SAMPLES / "lfh_835_managed-care.835"))
    assert [n for n, _ in segs] == list(range(1, 31))
    assert segs[12][1][:3] == ["CLP", "5554555444", "1"]
    assert segs[-1][1][0] == "IEA"


def test_streams_across_chunk_boundaries(monkeypatch):
    import rcmmodel.claims.x12 as x12
    path = SAMPLES / "imsweb_837p_many_claims.837"
    whole = list(iter_segments(path))
    monkeypatch.setattr(x12, "CHUNK", 997)        # segments straddle chunk boundaries
    assert list(iter_segments(path)) == whole
    assert len(read_837(path)) == 820


def test_stream_object():
    data = (SAMPLES / "moov_sample2.835").read_bytes()
    assert len(read_835(io.BytesIO(data))) == 1


# --- Hypothesis: the readers only ever return or raise RcmInputError -----------------

SEED = (SAMPLES / "lfh_835_secondary-payment.835").read_bytes()
X12_ALPHABET = st.sampled_from(list(b"*~:>^|\n\r 0123456789.-ABCDEGILMNOPQRSTUVX\x00\xff"))


@st.composite
def mutated_835(draw):
    data = bytearray(SEED)
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        i = draw(st.integers(0, len(data)))
        if op == "flip" and i < len(data):
            data[i] = draw(X12_ALPHABET)
        elif op == "cut":
            del data[i:]
        elif op == "insert":
            data[i:i] = bytes(draw(st.lists(X12_ALPHABET, max_size=12)))
        elif op == "delete":
            del data[i:i + draw(st.integers(1, 20))]
    return bytes(data)


def _must_be_clean(reader, data):
    try:
        reader(data)
    except RcmInputError:
        pass


FUZZ = settings(max_examples=examples(300), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_random_bytes(data):
    _must_be_clean(read_835, data)
    _must_be_clean(read_837, data)
    _must_be_clean(lambda d: list(iter_segments(d)), data)


@FUZZ
@given(st.binary(max_size=300).map(lambda b: b"ISA*" + b))
def test_fuzz_after_isa(data):
    _must_be_clean(read_835, data)
    _must_be_clean(lambda d: list(iter_segments(d)), data)


@FUZZ
@given(mutated_835())
def test_fuzz_mutated_sample(data):
    _must_be_clean(read_835, data)
    _must_be_clean(read_837, data)


# --- the byte kernels the 835 reader parses with (rcmmodel.claims.bytecols) -------------

def _chunk_of(values):
    from rcmmodel.claims.segments import Chunk

    body = "".join(f"CLP*C{i}*1*{v}*0~" for i, v in enumerate(values)).encode("latin-1")
    chunk = Chunk(detect_separators("ST*835*1~"), body, 1, "t.835")
    return chunk, chunk.where("CLP")


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.decimals(min_value=-10**9, max_value=10**9, places=2,
                            allow_nan=False, allow_infinity=False), min_size=1, max_size=40))
def test_amounts_parse_as_float_does(amounts):
    """A plain decimal of any width (one or two 8-byte words, or longer) parses to exactly
    ``float(text)``, as Python reads it."""
    texts = [f"{a}" for a in amounts] + ["0.10", "-.5", "7", "123456789012.5"]
    chunk, idx = _chunk_of(texts)
    values, problem = chunk.number(idx, 3, "CLP03 charge", required=True)
    assert problem is None
    assert list(values) == [float(t) + 0.0 for t in texts]


def test_odd_amounts_take_the_slow_way_and_bad_ones_are_named():
    chunk, idx = _chunk_of(["1e3", " 12.5", "12.50 ", "", "abc"])
    values, problem = chunk.number(idx, 3, "CLP03 charge")
    assert list(values[:4]) == [1000.0, 12.5, 12.5, 0.0]      # blank -> the default
    assert problem == (5, "CLP03 charge is not a number")
    chunk, idx = _chunk_of(["5", "1_000"])
    assert chunk.number(idx, 3, "CLP03 charge")[1] == (2, "CLP03 charge is not a number")
    chunk, idx = _chunk_of(["5", "12345678901234567890.5"])      # past 15 digits: float
    assert chunk.number(idx, 3, "CLP03 charge")[1] == (2, "CLP03 charge is too large to be "
                                                        "an amount")


def test_short_and_long_codes_read_alike():
    """Codes of up to 8 bytes (one word each) and longer ones (the general path) come out
    stripped and decoded the same way."""
    short = ["CO", " PR", "45 ", "N206", "", "20240131", "AB:CD"]
    chunk, idx = _chunk_of(["1"] * len(short))
    body = "".join(f"CAS*{c}*1~" for c in short).encode()
    from rcmmodel.claims.segments import Chunk

    chunk = Chunk(detect_separators("ST*835*1~"), body, 1, "t.835")
    idx = chunk.where("CAS")
    assert list(chunk.label(idx, 1, 8)) == [c.strip() for c in short]
    longer = chunk.label_at(*chunk.field(idx, 1), 8)
    body_long = "".join(f"CAS*{c}*1~" for c in short + ["LONGER-THAN-8"]).encode()
    chunk_long = Chunk(detect_separators("ST*835*1~"), body_long, 1, "t.835")
    both = chunk_long.label(chunk_long.where("CAS"), 1, 16)
    assert list(both[:-1]) == list(longer) and both[-1] == "LONGER-THAN-8"
