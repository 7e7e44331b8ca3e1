"""Computing the live Excel model's formulas in Python, for the values stored beside them.

openpyxl writes a formula without its result, so a viewer that does not recalculate
(a preview, a mail client, ``pandas.read_excel``) shows a blank. :func:`computed_values`
evaluates every formula cell of a workbook this package built, the way Excel does, and
:mod:`.excel_cache` stores each result next to its formula. Excel and LibreOffice still
compute every formula themselves when the file opens (``fullCalcOnLoad``).

This is not a general spreadsheet engine: it knows the operators and the functions the
model's formulas use (:data:`FUNCTIONS`), cell references, ranges on one sheet and
workbook-level defined names; anything else raises :class:`UnsupportedFormula`, so a new
formula outside that set fails the export's tests instead of storing a wrong value. The
tests recompute the same workbooks with an independent engine (the ``formulas`` library)
and compare every stored value with its result.

Excel's rules followed here: an empty cell is 0 in arithmetic; text compares above every
number and case-insensitively; MAX, MIN, SUM, COUNT and NPV skip text, logical values and
blanks inside ranges; IF evaluates only the branch it takes; errors (#DIV/0!, #N/A,
#VALUE!) travel through every operation.
"""
from __future__ import annotations

import math
import operator
import re

from openpyxl.formula.tokenizer import Token, Tokenizer
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries


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


# -- parsing: tokens to a tree --------------------------------------------------------------
INFIX = {"=": 1, "<>": 1, "<": 1, ">": 1, "<=": 1, ">=": 1, "&": 2, "+": 3, "-": 3,
         "*": 4, "/": 4, "^": 5}
PREFIX = 6          # Excel: -2^2 is 4, negation binds tighter than ^
POSTFIX = 7         # %


def parse(text: str):
    """The tree of a formula (``=...``): tuples ("num", x), ("text", s), ("bool", b),
    ("ref", name), ("call", NAME, args), ("op", sym, a, b), ("neg", a), ("pct", a)."""
    tokens = [t for t in Tokenizer(text).items if t.type != Token.WSPACE]
    tree, at = _expr(tokens, 0, 0)
    if at != len(tokens):
        raise UnsupportedFormula(text)
    return tree


def _expr(tokens, at: int, floor: int):
    left, at = _atom(tokens, at)
    while at < len(tokens):
        t = tokens[at]
        if t.type == Token.OP_POST:
            left, at = ("pct", left), at + 1
            continue
        if t.type != Token.OP_IN or INFIX[t.value] <= floor:
            break                                          # left-associative, as Excel
        right, at = _expr(tokens, at + 1, INFIX[t.value])
        left = ("op", t.value, left, right)
    return left, at


def _atom(tokens, at: int):
    t = tokens[at]
    if t.type == Token.OP_PRE:
        inner, at = _expr(tokens, at + 1, PREFIX)
        return (("neg", inner) if t.value == "-" else inner), at
    if t.type == Token.PAREN and t.subtype == Token.OPEN:
        inner, at = _expr(tokens, at + 1, 0)
        return inner, at + 1                               # the closing parenthesis
    if t.type == Token.FUNC and t.subtype == Token.OPEN:
        name, args, at = t.value[:-1].upper(), [], at + 1
        if name not in FUNCTIONS and name not in LAZY:
            raise UnsupportedFormula(f"function {name}")
        while not (tokens[at].type == Token.FUNC and tokens[at].subtype == Token.CLOSE):
            arg, at = _expr(tokens, at, 0)
            args.append(arg)
            if tokens[at].type == Token.SEP:
                at += 1
        return ("call", name, args), at + 1
    if t.type == Token.OPERAND:
        if t.subtype == Token.NUMBER:
            return ("num", float(t.value)), at + 1
        if t.subtype == Token.TEXT:
            return ("text", t.value[1:-1].replace('""', '"')), at + 1
        if t.subtype == Token.LOGICAL:
            return ("bool", t.value.upper() == "TRUE"), at + 1
        if t.subtype == Token.RANGE:
            return ("ref", t.value), at + 1
    raise UnsupportedFormula(f"token {t.value!r}")


# -- values -------------------------------------------------------------------------------
def _num(x):
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


def _binary(sym, a, b):
    for x in (a, b):
        if isinstance(x, XlError):
            return x
    if sym in INFIX and INFIX[sym] == 1:
        return _compare(sym, a, b)
    if sym == "&":
        return _text(a) + _text(b)
    a, b = _num(a), _num(b)
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
    rate, xs = _num(rate), _numbers(flows)
    for x in (rate, xs):
        if isinstance(x, XlError):
            return x
    return sum(x / (1 + rate) ** i for i, x in enumerate(xs, start=1))


def _index(area, row, col=None):
    row = int(_num(row))
    if not isinstance(area, Range):
        return area if row == 1 else XlError("#REF!")
    if col is None and (area.width == 1 or len(area) == area.width):
        k = row - 1                                        # one row or one column
    else:
        k = (row - 1) * area.width + int(_num(col)) - 1
    return area[k] if 0 <= k < len(area) else XlError("#REF!")


def _match(x, area, kind=1.0):
    if isinstance(x, XlError):
        return x
    if _num(kind) != 0:
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
                xs.append(bool(_num(x)))
    return xs


def _and(*args):
    xs = _logical(args)
    return xs if isinstance(xs, XlError) else all(xs)


def _or(*args):
    xs = _logical(args)
    return xs if isinstance(xs, XlError) else any(xs)


def _abs(x):
    x = _num(x)
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


# -- the workbook -------------------------------------------------------------------------
_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^'!]+))!(.+)$")


class Book:
    """Evaluates the formula cells of an openpyxl workbook (as built, before saving)."""

    def __init__(self, wb):
        self.wb = wb
        self.names = {}
        for name, dn in wb.defined_names.items():
            self.names[name.lower()] = dn.attr_text
        self.values: dict[tuple[str, str], object] = {}
        self.trees: dict[str, tuple] = {}
        self.busy: set = set()
        self.failed: set = set()         # cells that need what this module cannot compute

    def formula_cells(self):
        for ws in self.wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if cell.data_type == "f" and isinstance(cell.value, str):
                        yield ws.title, cell.coordinate

    def cell(self, sheet: str, coord: str):
        key = (sheet, coord)
        if key in self.values:
            return self.values[key]
        cell = self.wb[sheet][coord]
        if not (cell.data_type == "f" and isinstance(cell.value, str)):
            value = cell.value
            return float(value) if isinstance(value, int) and not isinstance(value, bool) \
                else value
        if key in self.busy or key in self.failed:
            raise UnsupportedFormula(f"{sheet}!{coord}")
        self.busy.add(key)
        try:
            text = cell.value
            tree = self.trees.get(text) or self.trees.setdefault(text, parse(text))
            value = self._one(self.eval(tree, sheet))
        except UnsupportedFormula:
            self.failed.add(key)
            raise
        finally:
            self.busy.discard(key)
        self.values[key] = value
        return value

    def reference(self, text: str, sheet: str):
        if text.lower() in self.names:
            return self.reference(self.names[text.lower()], sheet)
        m = _REF.match(text)
        if m:
            sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
            text = m.group(3)
        text = text.replace("$", "")
        if ":" not in text:
            return self.cell(sheet, text)
        c1, r1, c2, r2 = range_boundaries(text)
        values = [self.cell(sheet, f"{get_column_letter(c)}{r}")
                  for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]
        return Range(values, c2 - c1 + 1)

    def eval(self, tree, sheet: str):
        kind = tree[0]
        if kind in ("num", "text", "bool"):
            return tree[1]
        if kind == "ref":
            return self.reference(tree[1], sheet)
        if kind == "neg":
            x = _num(self._one(self.eval(tree[1], sheet)))
            return x if isinstance(x, XlError) else -x
        if kind == "pct":
            x = _num(self._one(self.eval(tree[1], sheet)))
            return x if isinstance(x, XlError) else x / 100
        if kind == "op":
            return _binary(tree[1], self._one(self.eval(tree[2], sheet)),
                           self._one(self.eval(tree[3], sheet)))
        name, args = tree[1], tree[2]
        if name == "IF":
            test = self._one(self.eval(args[0], sheet))
            if isinstance(test, XlError):
                return test
            truth = bool(_num(test)) if not isinstance(test, str) else None
            if truth is None:
                return VALUE
            branch = args[1] if truth else (args[2] if len(args) > 2 else ("bool", False))
            return self._one(self.eval(branch, sheet))
        if name == "IFERROR":
            value = self._one(self.eval(args[0], sheet))
            return self._one(self.eval(args[1], sheet)) if isinstance(value, XlError) \
                else value
        return FUNCTIONS[name](*(self.eval(a, sheet) for a in args))

    @staticmethod
    def _one(x):
        """A single value where a range stands for one cell."""
        if isinstance(x, Range):
            return x[0] if len(x) == 1 else VALUE
        return x


def computed_values(wb) -> dict[str, dict[str, object]]:
    """{sheet title: {cell coordinate: value}} of every formula cell of ``wb``. A cell that
    needs a function outside :data:`FUNCTIONS` (a pricing plug-in's formula, say) is left
    out, with every cell that reads it: those keep no stored value, and Excel computes them
    on opening as it does every formula."""
    book = Book(wb)
    out: dict[str, dict[str, object]] = {}
    for sheet, coord in list(book.formula_cells()):
        try:
            out.setdefault(sheet, {})[coord] = book.cell(sheet, coord)
        except UnsupportedFormula:
            continue           # no stored value: Excel computes it on opening
    return out


__all__ = ["Book", "UnsupportedFormula", "XlError", "computed_values", "parse"]
