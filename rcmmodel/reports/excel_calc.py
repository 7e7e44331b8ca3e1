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

Excel's rules for values and functions are in :mod:`.excel_functions`; here IF (and
IFERROR) evaluates only the branch it takes.
"""
from __future__ import annotations

import re

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from .excel_functions import (FUNCTIONS, INFIX, LAZY, VALUE, Range, UnsupportedFormula,
                              XlError, binary, to_number)

# -- parsing: tokens to a tree --------------------------------------------------------------
PREFIX = 6          # Excel: -2^2 is 4, negation binds tighter than ^
POSTFIX = 7         # %


_TOKEN = re.compile(r"""\s*(?:
    (?P<text>"(?:[^"]|"")*")
  | (?P<ref>(?:'(?:[^']|'')+'|[A-Za-z_][\w.]*)!\$?[A-Za-z]+\$?\d+(?::\$?[A-Za-z]+\$?\d+)?
      | \$?[A-Za-z]+\$?\d+:\$?[A-Za-z]+\$?\d+)
  | (?P<func>[A-Za-z][A-Za-z0-9.]*)\(
  | (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>\$?[A-Za-z_][\w.$]*)
  | (?P<op><>|<=|>=|[-+*/^&=<>%])
  | (?P<punct>[(),])
)""", re.X)


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) pairs of a formula: text, ref, func, num, name, op, pre, post, punct."""
    out, at, body = [], 0, text[1:] if text.startswith("=") else text
    while at < len(body.rstrip()):
        m = _TOKEN.match(body, at)
        if not m:
            raise UnsupportedFormula(f"cannot read {body[at:]!r}")
        kind, at = m.lastgroup, m.end()
        value = m.group(kind)
        if kind == "op" and value == "%":
            kind = "post"
        elif kind == "op" and value in "+-" and (not out or out[-1][0] in (
                "op", "pre", "func") or out[-1] in (("punct", "("), ("punct", ","))):
            kind = "pre"
        out.append((kind, value))
    return out


def parse(text: str):
    """The tree of a formula (``=...``): tuples ("num", x), ("text", s), ("bool", b),
    ("ref", name), ("call", NAME, args), ("op", sym, a, b), ("neg", a), ("pct", a)."""
    items = tokens(text)
    tree, at = _expr(items, 0, 0)
    if at != len(items):
        raise UnsupportedFormula(text)
    return tree


def _expr(items, at: int, floor: int):
    left, at = _atom(items, at)
    while at < len(items):
        kind, value = items[at]
        if kind == "post":
            left, at = ("pct", left), at + 1
            continue
        if kind != "op" or INFIX[value] <= floor:
            break                                          # left-associative, as Excel
        right, at = _expr(items, at + 1, INFIX[value])
        left = ("op", value, left, right)
    return left, at


def _atom(items, at: int):
    if at >= len(items):
        raise UnsupportedFormula("a formula ends too soon")
    kind, value = items[at]
    if kind == "pre":
        inner, at = _expr(items, at + 1, PREFIX)
        return (("neg", inner) if value == "-" else inner), at
    if (kind, value) == ("punct", "("):
        inner, at = _expr(items, at + 1, 0)
        return inner, at + 1                               # the closing parenthesis
    if kind == "func":
        name, args, at = value.upper(), [], at + 1
        if name not in FUNCTIONS and name not in LAZY:
            raise UnsupportedFormula(f"function {name}")
        while items[at] != ("punct", ")"):
            arg, at = _expr(items, at, 0)
            args.append(arg)
            if items[at] == ("punct", ","):
                at += 1
        return ("call", name, args), at + 1
    if kind == "num":
        return ("num", float(value)), at + 1
    if kind == "text":
        return ("text", value[1:-1].replace('""', '"')), at + 1
    if kind == "name" and value.upper() in ("TRUE", "FALSE"):
        return ("bool", value.upper() == "TRUE"), at + 1
    if kind in ("ref", "name"):
        return ("ref", value), at + 1
    raise UnsupportedFormula(f"token {value!r}")



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
        self.refs: dict[tuple[str, str], tuple] = {}      # a reference's cells, resolved
        self.failed: set = set()         # cells that need what this module cannot compute
        self.formulas: dict[tuple[str, str], str] = {}    # (sheet, coordinate) -> formula
        self.constants: dict[tuple[str, str], object] = {}
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    key = (ws.title, cell.coordinate)
                    if cell.data_type == "f" and isinstance(cell.value, str):
                        self.formulas[key] = cell.value
                    elif cell.value is not None:
                        value = cell.value
                        self.constants[key] = float(value) if isinstance(value, int) and \
                            not isinstance(value, bool) else value

    def formula_cells(self):
        return list(self.formulas)

    def cell(self, sheet: str, coord: str):
        key = (sheet, coord)
        if key in self.values:
            return self.values[key]
        if key not in self.formulas:
            return self.constants.get(key)          # None: an empty cell
        if key in self.busy or key in self.failed:
            raise UnsupportedFormula(f"{sheet}!{coord}")
        self.busy.add(key)
        try:
            text = self.formulas[key]
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
        key = (text, sheet)
        where = self.refs.get(key) or self.refs.setdefault(key, self._where(text, sheet))
        if len(where) == 2:
            return self.cell(*where)
        at, coords, width = where
        return Range([self.cell(at, c) for c in coords], width)

    def _where(self, text: str, sheet: str) -> tuple:
        """(sheet, coordinate) of a cell, or (sheet, coordinates, width) of a range."""
        while text.lower() in self.names:
            text = self.names[text.lower()]
        m = _REF.match(text)
        if m:
            sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
            text = m.group(3)
        text = text.replace("$", "")
        if ":" not in text:
            return sheet, text
        c1, r1, c2, r2 = range_boundaries(text)
        return sheet, [f"{get_column_letter(c)}{r}" for r in range(r1, r2 + 1)
                       for c in range(c1, c2 + 1)], c2 - c1 + 1

    def eval(self, tree, sheet: str):
        kind = tree[0]
        if kind in ("num", "text", "bool"):
            return tree[1]
        if kind == "ref":
            return self.reference(tree[1], sheet)
        if kind == "neg":
            x = to_number(self._one(self.eval(tree[1], sheet)))
            return x if isinstance(x, XlError) else -x
        if kind == "pct":
            x = to_number(self._one(self.eval(tree[1], sheet)))
            return x if isinstance(x, XlError) else x / 100
        if kind == "op":
            return binary(tree[1], self._one(self.eval(tree[2], sheet)),
                           self._one(self.eval(tree[3], sheet)))
        name, args = tree[1], tree[2]
        if name == "IF":
            test = self._one(self.eval(args[0], sheet))
            if isinstance(test, XlError):
                return test
            truth = bool(to_number(test)) if not isinstance(test, str) else None
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
    for sheet, coord in book.formula_cells():
        try:
            out.setdefault(sheet, {})[coord] = book.cell(sheet, coord)
        except UnsupportedFormula:
            continue           # no stored value: Excel computes it on opening
    return out


__all__ = ["Book", "UnsupportedFormula", "XlError", "computed_values", "parse"]
