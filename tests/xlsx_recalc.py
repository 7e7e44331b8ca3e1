"""Recompute an exported workbook with the ``formulas`` engine, as Excel would.

``Recalc(path)`` loads the workbook once; ``summary(changes)`` computes it, optionally with
some inputs changed by their defined names, and reads the Summary sheet's vendor rows.

The book as it is is computed once by the engine's dispatcher, every cell; a change is then
computed as Excel recalculates: the cells that depend on the changed inputs, in the order
the engine computed them, each by its own compiled formula (xlsx_engine), and every other
cell keeps its value.
"""
from __future__ import annotations

import functools
import gc
import re
from pathlib import Path

from openpyxl import load_workbook


# Compiled formula cells, shared by every workbook loaded in this process: the examples'
# workbooks repeat most of their formulas (same sheet, cell and text), and compiling a
# formula is most of the engine's loading time. A compiled cell is never changed by a model
# that uses it; the key holds everything its compilation depends on (see _SharedModel).
_COMPILED: dict = {}


@functools.cache
def _model_class():
    import formulas
    from formulas.cell import Cell

    from xlsx_engine import FastFormula

    class _SharedModel(formulas.ExcelModel):
        @staticmethod
        def _compile_cell(crd, val, context, check_formula, references):
            cell = Cell(crd, val, context=context, check_formula=check_formula)
            if cell.builder is not None:
                cell.builder.compile_class = FastFormula
            return cell.compile(references=references, context=context)

        def compile_cell(self, cell, context, references, formula_references):
            if cell.data_type != "f":
                return super().compile_cell(cell, context, references, formula_references)
            text = cell.value if isinstance(cell.value, str) else cell.value.text
            upper = text.upper()
            # defined names are keyed '[book]'!NAME; a compiled formula holds their targets
            names = tuple(sorted((n, repr(r)) for n, r in references.items()
                                 if n.rsplit("!", 1)[-1] in upper))
            key = (context["excel"], context["sheet"], cell.coordinate,
                   formula_references.get(cell.coordinate), text, names)
            if key not in _COMPILED:
                _COMPILED[key] = super().compile_cell(cell, context, references,
                                                      formula_references)
            return _COMPILED[key]

    return _SharedModel


class Recalc:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.book = load_workbook(self.path)
        # loading makes some hundred thousand objects that all live as long as the model:
        # the garbage collector's passes over them (a seventh of the load) find nothing
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.model = _model_class()().loads(str(self.path)).finish()
        finally:
            if collecting:
                gc.enable()
        self._base = self._order = None

    def key(self, sheet: str, cell: str) -> str:
        return f"'[{self.path.name}]{sheet.upper()}'!{cell.replace('$', '')}"

    def name_key(self, name: str) -> str:
        """The engine's key of the cell behind a workbook-level defined name."""
        target = self.book.defined_names[name].attr_text
        sheet, cell = re.fullmatch(r"'?(.*?)'?!(\$?[A-Z]+\$?\d+)", target).groups()
        return self.key(sheet, cell)

    def calculate(self, changes: dict[str, float] | None = None) -> dict:
        """Every cell's value ({engine key: Ranges}), with ``changes`` ({defined name: value})
        typed into their input cells. Read it, do not change it: the book as it is is computed
        once and kept."""
        if self._base is None:
            self._base, self._order = self._dispatch()
        if not changes:
            return self._base
        return self.recompute({self.name_key(n): v for n, v in changes.items()})

    def _dispatch(self, inputs: dict | None = None):
        """The engine's own calculation, and the functions it ran in the order it ran them."""
        solution = self.model.calculate(inputs=inputs) if inputs else self.model.calculate()
        ran = solution.workflow.nodes
        order = [v for _d, _n, (v, sol) in solution._pipe
                 if sol is solution and "results" in ran.get(v, ())]
        return solution, order

    def recompute(self, inputs: dict) -> dict:
        """The base calculation with ``inputs`` ({cell key: value}) typed in: each function
        the engine ran that depends on a changed cell runs again, in the engine's order."""
        import schedula as sh

        nodes = self.model.dsp.nodes
        values, dirty = dict(self._base), set()
        for key, value in inputs.items():
            node = nodes[key]
            assert node["type"] == "data" and key in self.model.dsp.default_values, key
            for f in node.get("filters", ()):
                value = f(value)
            values[key] = value
            dirty.add(key)
        for fid in self._order:
            node = nodes[fid]
            if dirty.isdisjoint(node["inputs"]):
                continue
            args = [values[k] for k in node["inputs"]]
            res = node["function"](*[a for a in args if a is not sh.NONE])
            for f in node.get("filters", ()):
                res = f(res)
            outs = node["outputs"]
            for out, value in zip(outs, res if len(outs) > 1 else [res]):
                if out in inputs:
                    continue
                assert value is not sh.NONE, out
                for f in nodes[out].get("filters", ()):
                    value = f(value)
                values[out] = value
                dirty.add(out)
        return values

    def named(self, solution: dict, name: str):
        """The computed value of the cell behind a defined name, e.g. ``recommended_vendor``."""
        value = solution[self.name_key(name)].value[0][0]
        return value.item() if hasattr(value, "item") else value

    def verdict(self, changes: dict[str, float] | None = None, solution=None) -> str:
        """``recommended_vendor`` (a vendor's name or "in-house"), recomputed (or read from
        ``solution``, a :meth:`calculate` result: one calculation serves many reads)."""
        if solution is None:
            solution = self.calculate(changes)
        return self.named(solution, "recommended_vendor")

    def summary(self, changes: dict[str, float] | None = None,
                solution=None) -> dict[str, dict]:
        """{vendor: {column header: value}} from the Summary sheet, recomputed (or read
        from ``solution``, as :meth:`verdict`)."""
        if solution is None:
            solution = self.calculate(changes)
        ws = self.book["Summary"]
        headers = [c.value for c in ws[1]]
        out = {}
        for row in ws.iter_rows(min_row=2):
            if row[0].value is None:
                break
            values = {}
            for h, cell in zip(headers, row):
                if cell.data_type == "f":
                    value = solution[self.key("Summary", cell.coordinate)].value[0][0]
                    values[h] = value.item() if hasattr(value, "item") else value
                else:
                    values[h] = cell.value
            out[row[0].value] = values
        return out
