"""Excel's values, operators and the functions the live Excel model uses, for
:mod:`.excel_calc` (which computes the model's formulas in Python).

Excel's rules followed here: an empty cell is 0 in arithmetic; text compares above every
number and case-insensitively; MAX, MIN, SUM, COUNT and NPV skip text, logical values and
blanks inside ranges (NPV counts no period for them); errors (#DIV/0!, #N/A, #VALUE!)
travel through every operation.
"""
from __future__ import annotations

import math
import operator


class UnsupportedFormula(ValueError):
    """A formula this module cannot compute (a function or syntax the model never uses)."""


class XlError(str):
    """An Excel error value, e.g. ``#DIV/0!``."""


DIV0, NA, VALUE = XlError("#DIV/0!"), XlError("#N/A"), XlError("#VALUE!")


class Range(list):
    """The values of a range, row by row, with its width (for INDEX)."""

    def __init__(self, values, width: int):
        super().__init__(values)
        self.width = width



INFIX = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3,
         "*": 4, "/": 4, "^": 5}


def to_number(x):
    """A value as a number for arithmetic (blank 0, TRUE 1), or an error."""
    if isinstance(x, XlError):
        return x
    if x is None:
        return 0.0
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, (int, float)):
        return float(x)
    try:
        return float(x)
    except ValueError:
        return VALUE


def _text(x) -> str:
    if x is None:
        return ""
    if isinstance(x, bool):
        return "TRUE" if x else "FALSE"
    if isinstance(x, float):
        return repr(int(x)) if x.is_integer() else repr(x)
    return str(x)


def _order(x):
    """Excel's order of values: numbers, then text (case-insensitive), then logicals."""
    if x is None:
        return (0, 0.0)
    if isinstance(x, bool):
        return (2, x)
    if isinstance(x, (int, float)):
        return (0, float(x))
    return (1, str(x).lower())


def _compare(sym, a, b):
    if a is None and isinstance(b, str):
        a = ""
    if b is None and isinstance(a, str):
        b = ""
    ka, kb = _order(a), _order(b)
    return {"=": ka == kb, "<>": ka != kb, "<": ka < kb, ">": ka > kb, "<=": ka <= kb,
            ">=": ka >= kb}[sym]


ARITH = {"+": operator.add, "-": operator.sub, "*": operator.mul}


def binary(sym, a, b):
    for x in (a, b):
        if isinstance(x, XlError):
            return x
    if sym in INFIX and INFIX[sym] == 1:
        return _compare(sym, a, b)
    if sym == "&":
        return _text(a) + _text(b)
    a, b = to_number(a), to_number(b)
    for x in (a, b):
        if isinstance(x, XlError):
            return x
    if sym in ARITH:
        return ARITH[sym](a, b)
    if sym == "/":
        return DIV0 if b == 0 else a / b
    try:
        out = a ** b
    except (OverflowError, ZeroDivisionError):
        return DIV0
    return VALUE if isinstance(out, complex) or math.isinf(out) else out


def _numbers(args) -> list[float] | XlError:
    """The numbers of MAX/MIN/SUM-like arguments: a range gives its numbers only; a single
    value counts where it is a number or a logical."""
    out = []
    for a in args:
        items = a if isinstance(a, Range) else [a]
        for x in items:
            if isinstance(x, XlError):
                return x
            if isinstance(x, bool):
                if not isinstance(a, Range):
                    out.append(float(x))
            elif isinstance(x, (int, float)):
                out.append(float(x))
    return out


def _over_numbers(fold):
    def run(*args):
        xs = _numbers(args)
        return xs if isinstance(xs, XlError) else fold(xs)
    return run


def _npv(rate, *flows):
    rate, xs = to_number(rate), _numbers(flows)
    for x in (rate, xs):
        if isinstance(x, XlError):
            return x
    return sum(x / (1 + rate) ** i for i, x in enumerate(xs, start=1))


def _index(area, row, col=None):
    row = int(to_number(row))
    if not isinstance(area, Range):
        return area if row == 1 else XlError("#REF!")
    if col is None and (area.width == 1 or len(area) == area.width):
        k = row - 1                                        # one row or one column
    else:
        k = (row - 1) * area.width + int(to_number(col)) - 1
    return area[k] if 0 <= k < len(area) else XlError("#REF!")


def _match(x, area, kind=1.0):
    if isinstance(x, XlError):
        return x
    if to_number(kind) != 0:
        raise UnsupportedFormula("MATCH other than exact (0)")
    key = _order(x)
    for i, y in enumerate(area if isinstance(area, Range) else [area], start=1):
        if y is not None and _order(y) == key:
            return float(i)
    return NA


def _logical(args):
    xs = []
    for a in args:
        for x in (a if isinstance(a, Range) else [a]):
            if isinstance(x, XlError):
                return x
            if x is not None and not isinstance(x, str):
                xs.append(bool(to_number(x)))
    return xs


def _and(*args):
    xs = _logical(args)
    return xs if isinstance(xs, XlError) else all(xs)


def _or(*args):
    xs = _logical(args)
    return xs if isinstance(xs, XlError) else any(xs)


def _abs(x):
    x = to_number(x)
    return x if isinstance(x, XlError) else abs(x)


FUNCTIONS = {
    "MAX": _over_numbers(lambda xs: max(xs, default=0.0)),
    "MIN": _over_numbers(lambda xs: min(xs, default=0.0)),
    "SUM": _over_numbers(sum),
    "COUNT": lambda *a: float(sum(1 for r in a for x in (r if isinstance(r, Range) else [r])
                                  if isinstance(x, (int, float)) and not isinstance(x, bool))),
    "NPV": _npv, "INDEX": _index, "MATCH": _match, "AND": _and, "OR": _or, "ABS": _abs,
}
LAZY = {"IF", "IFERROR"}         # evaluate only what they need


__all__ = ["DIV0", "FUNCTIONS", "INFIX", "LAZY", "NA", "VALUE", "Range", "UnsupportedFormula",
           "XlError", "binary", "to_number"]
