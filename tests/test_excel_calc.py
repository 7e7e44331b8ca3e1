"""The Python evaluator behind the values stored beside the workbook's formulas
(rcmmodel.reports.excel_calc) follows Excel's rules where the model's formulas rely on them.
The whole workbooks are checked against an independent engine in test_export_recalc.py."""
from __future__ import annotations

import pytest
from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from rcmmodel.reports.excel_calc import UnsupportedFormula, computed_values, parse


def values(cells: dict, names: dict | None = None) -> dict:
    wb = Workbook()
    ws = wb.active
    ws.title = "S"
    for coord, value in cells.items():
        ws[coord] = value
    for name, target in (names or {}).items():
        wb.defined_names[name] = DefinedName(name, attr_text=target)
    return computed_values(wb)["S"]


def test_precedence_and_arithmetic_as_excel():
    got = values({"A1": "=-2^2", "A2": "=2+3*4-6/3", "A3": "=2^3^2", "A4": "=50%*A9+1",
                  "A5": "=(1+0.08)^(1/12)-1"})
    assert got["A1"] == 4                     # negation binds tighter than ^ in Excel
    assert got["A2"] == 12 and got["A3"] == 64 and got["A4"] == 1   # A9 blank: 0
    assert got["A5"] == pytest.approx(1.08 ** (1 / 12) - 1)


def test_if_takes_one_branch_and_errors_travel():
    got = values({"A1": 0, "A2": '=IF(A1=0,"",1/A1)', "A3": "=1/A1", "A4": "=A3+1",
                  "A5": "=IFERROR(A3,7)"})
    assert got["A2"] == "" and got["A3"] == "#DIV/0!" and got["A4"] == "#DIV/0!"
    assert got["A5"] == 7


def test_text_compares_above_numbers_and_without_case():
    got = values({"A1": "Beta", "A2": "alpha", "A3": "=A2<A1", "A4": '=A1="BETA"',
                  "A5": "=A1>1000000", "A6": '=A9=""', "A7": '="Outsource to "&A1'})
    assert got["A3"] is True and got["A4"] is True and got["A5"] is True
    assert got["A6"] is True and got["A7"] == "Outsource to Beta"


def test_ranges_functions_and_names():
    got = values({"A1": 3, "A2": "", "A3": 5, "A4": True, "B1": "x", "B2": "y", "B3": "z",
                  "C1": "=MAX(A1:A4)", "C2": "=MIN(A1:A4)", "C3": "=COUNT(A1:A4)",
                  "C4": "=INDEX(B1:B3,MATCH(5,A1:A3,0))", "C5": "=MATCH(4,A1:A3,0)",
                  "C6": "=NPV(0.1,A1:A3)", "C7": "=rate*2", "C8": "=AND(A4,OR(A1>4,A3>4))",
                  "C9": "=1+(A1=3)+(A3=3)"}, {"rate": "'S'!$A$3"})
    assert (got["C1"], got["C2"], got["C3"]) == (5, 3, 2)
    assert got["C4"] == "z" and got["C5"] == "#N/A"
    assert got["C6"] == pytest.approx(3 / 1.1 + 5 / 1.1 ** 2)     # a blank is no period
    assert got["C7"] == 10 and got["C8"] is True and got["C9"] == 2


def test_a_formula_outside_the_known_set_is_refused_and_left_without_a_value():
    with pytest.raises(UnsupportedFormula):
        parse("=VLOOKUP(1,B1:C2,2,FALSE)")
    # ... and in a workbook, that cell and those reading it keep no stored value
    got = values({"A1": 2, "A2": "=VLOOKUP(1,B1:C2,2,FALSE)", "A3": "=A2+1", "A4": "=A1*3"})
    assert got == {"A4": 6}
