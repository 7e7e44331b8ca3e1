"""The claims ledger: reading, validating, and reporting bad cells by row and column."""
from pathlib import Path

import pandas as pd
import pytest

from rcmmodel.errors import RcmInputError
from rcmmodel.claims.ledger import (COLUMNS, EXTRAS, REQUIRED, _fast_csv, make_ledger, read_ledger,
                             validate_ledger, write_ledger)

DATA = Path(__file__).parent / "data"
SMALL = DATA / "ledger_small.csv"
HEADER = SMALL.read_text().splitlines()[0]


def write(tmp_path, text, name="ledger.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(excinfo):
    return [(p.where, p.message) for p in excinfo.value.problems]


class TestRead:
    def test_small_ledger_columns_and_types(self):
        ledger = read_ledger(SMALL)
        assert list(ledger.columns) == list(COLUMNS + EXTRAS)
        assert len(ledger) == 6
        assert ledger["charge"].sum() == pytest.approx(1750.0)
        assert ledger["service_date"].dtype.kind == "M"
        assert ledger["first_pass"].tolist()[:4] == [True, True, False, False]
        assert pd.isna(ledger["first_pass"][4])           # blank: unknown, not False
        assert ledger["status"].tolist() == ["paid", "partial", "denied", "paid", "open",
                                             "partial"]

    def test_fast_reader_agrees_with_the_validating_reader(self):
        fast = _fast_csv(SMALL)
        assert fast is not None                  # a canonical CSV takes the fast path
        slow = validate_ledger(pd.read_csv(SMALL, dtype=str, keep_default_na=False))
        pd.testing.assert_frame_equal(fast, slow)

    @pytest.mark.parametrize("old, new", [(",100.00,", ",$100,"), ("2024-01-15", "01/15/2024"),
                                          (",partial,", ",Partial ,"), (",true,", ",TRUE,")])
    def test_non_canonical_cells_still_read(self, tmp_path, old, new):
        text = SMALL.read_text().replace(old, new, 1)
        pd.testing.assert_frame_equal(read_ledger(write(tmp_path, text)), read_ledger(SMALL))

    def test_blank_payments_are_zero_blank_allowed_is_unknown(self):
        ledger = read_ledger(SMALL)
        open_claim = ledger.iloc[4]
        assert open_claim["insurance_paid"] == 0.0
        assert open_claim["contractual_adjustment"] == 0.0
        assert pd.isna(open_claim["allowed"])
        assert pd.isna(open_claim["paid_date"])

    def test_optional_columns_may_be_absent(self, tmp_path):
        path = write(tmp_path, ",".join(REQUIRED) + "\nX1,Aetna,2024-01-01,100,50,0,10,0,paid\n")
        ledger = read_ledger(path)
        assert pd.isna(ledger["first_pass"][0])
        assert pd.isna(ledger["submitted_date"][0])

    def test_us_dates_money_signs_and_case(self, tmp_path):
        path = write(tmp_path, ",".join(REQUIRED) + '\nX1,Aetna,01/31/2024,"$1,200.50",50,0,'
                     "10,0, Paid \n")
        ledger = read_ledger(path)
        assert ledger["service_date"][0] == pd.Timestamp("2024-01-31")
        assert ledger["charge"][0] == 1200.50
        assert ledger["status"][0] == "paid"

    def test_excel_reads_like_csv(self, tmp_path):
        csv = read_ledger(SMALL)
        frame = pd.read_csv(SMALL)
        for col in ("service_date", "submitted_date", "paid_date"):
            frame[col] = pd.to_datetime(frame[col])
        xlsx = tmp_path / "ledger.xlsx"
        frame.to_excel(xlsx, index=False)
        pd.testing.assert_frame_equal(read_ledger(xlsx), csv)

    def test_write_then_read_round_trip(self, tmp_path):
        ledger = read_ledger(SMALL)
        write_ledger(ledger, tmp_path / "out.csv")
        pd.testing.assert_frame_equal(read_ledger(tmp_path / "out.csv"), ledger)

    def test_make_ledger_fills_absent_columns(self):
        ledger = make_ledger({"claim_id": ["A"], "charge": [1.0], "status": ["open"]})
        assert list(ledger.columns) == list(COLUMNS + EXTRAS)
        assert ledger["insurance_paid"][0] == 0.0


class TestErrors:
    def test_missing_column_named(self, tmp_path):
        text = SMALL.read_text().replace("insurance_paid,", "")
        with pytest.raises(RcmInputError) as exc:
            read_ledger(write(tmp_path, text))
        [(where, message)] = problems(exc)
        assert where == "header" and "insurance_paid" in message

    def test_text_amount_names_row_and_column(self, tmp_path):
        text = SMALL.read_text().replace("C4,Medicare,2024-02-10,2024-02-11,400.00",
                                         "C4,Medicare,2024-02-10,2024-02-11,four hundred")
        with pytest.raises(RcmInputError) as exc:
            read_ledger(write(tmp_path, text))
        assert problems(exc) == [("row 5, column charge",
                                  "not an amount (expected a number such as 125.50)")]
        assert "four hundred" not in str(exc.value)     # cell values are never echoed

    def test_unknown_status(self, tmp_path):
        text = SMALL.read_text().replace(",denied,", ",refunded,")
        with pytest.raises(RcmInputError) as exc:
            read_ledger(write(tmp_path, text))
        [(where, message)] = problems(exc)
        assert where == "row 4, column status" and "paid, partial, denied, open" in message

    def test_every_bad_cell_listed_in_row_order(self, tmp_path):
        text = (HEADER + "\n"
                "A,P,2024-02-30,10,0,0,0,0,paid,maybe,\n"
                ",P,2024-01-01,,0,0,0,0,open,,\n"
                "C,P,,-5,x,0,0,0,paid,true,2024-13-01\n")
        text = text.replace(HEADER, "claim_id,payer,service_date,charge,insurance_paid,"
                            "patient_paid,contractual_adjustment,other_adjustment,status,"
                            "first_pass,paid_date")
        with pytest.raises(RcmInputError) as exc:
            read_ledger(write(tmp_path, text))
        wheres = [w for w, _ in problems(exc)]
        assert wheres == ["row 2, column service_date", "row 2, column first_pass",
                          "row 3, column claim_id", "row 3, column charge",
                          "row 4, column charge", "row 4, column insurance_paid",
                          "row 4, column service_date", "row 4, column paid_date"]

    def test_many_problems_are_capped(self, tmp_path):
        rows = "".join(f"X{i},P,2024-01-01,abc,0,0,0,0,paid\n" for i in range(50))
        with pytest.raises(RcmInputError) as exc:
            read_ledger(write(tmp_path, ",".join(REQUIRED) + "\n" + rows))
        assert len(exc.value.problems) == 21
        assert "more problems" in exc.value.problems[-1].message

    @pytest.mark.parametrize("content, message", [
        (b"", "empty"),
        (b"\x00\x01\x02binary\xff", "binary"),
        (b"claim_id\n\xff\xfe\xfa", "UTF-8"),
        (b"PK\x03\x04garbage", "Excel"),
    ])
    def test_unreadable_files(self, tmp_path, content, message):
        path = tmp_path / "bad.csv"
        path.write_bytes(content)
        with pytest.raises(RcmInputError) as exc:
            read_ledger(path)
        assert message in str(exc.value)
        assert str(path) in str(exc.value)

    def test_missing_file(self, tmp_path):
        with pytest.raises(RcmInputError, match="no such file"):
            read_ledger(tmp_path / "nope.csv")


def test_headers_as_exports_spell_them(tmp_path):
    """'Claim ID', 'Insurance-Paid', a byte-order mark and CRLF: the same ledger."""
    lines = SMALL.read_text().splitlines()
    spelled = ",".join(h.replace("_", " ").title() if k % 2 else h.upper().replace("_", "-")
                       for k, h in enumerate(lines[0].split(",")))
    path = tmp_path / "export.csv"
    path.write_bytes(("\ufeff" + "\r\n".join([spelled, *lines[1:]]) + "\r\n").encode())
    pd.testing.assert_frame_equal(read_ledger(path), read_ledger(SMALL))


def test_two_headers_for_one_column_are_refused(tmp_path):
    lines = SMALL.read_text().splitlines()
    path = write(tmp_path, "\n".join([lines[0] + ",Claim ID",
                                      *(row + ",X1" for row in lines[1:])]) + "\n")
    with pytest.raises(RcmInputError) as exc:
        read_ledger(path)
    assert problems(exc) == [("header", "the column(s) claim_id appear twice (headers are "
                              "matched ignoring case, spaces and underscores): keep one")]
