"""The ``formulas`` engine's own parser and Excel functions, run without its dispatcher's
bookkeeping, for the workbook recompute tests (see xlsx_recalc).

``formulas`` compiles each formula cell into a small dispatcher (one node per operator,
function and operand) and runs it through ``schedula``'s generic machinery on every call;
that bookkeeping, not Excel's arithmetic, is most of a recompute's time. ``FastFormula``
runs the same compiled nodes (the engine's operator and function implementations, its
filters and constants) in dependency order with a plain dict, and hands any call it cannot
run that way (an exception, a node kind it does not know) to the engine's own
``DispatchPipe``, built on first need. ``tests/test_export_recalc.py`` checks the two give
the same value for every cell of a workbook.
"""
from __future__ import annotations

import schedula as sh

# node attributes whose meaning the plain run reproduces (solve_cycle: cycle detection only)
_KNOWN = {"type", "inputs", "outputs", "function", "wait_inputs", "index", "filters",
          "solve_cycle", "extra_inputs"}
_DISPATCH_KW = {"_stopper", "_executor", "_sol_name", "_verbose"}
ARG, DEFAULT, COMPUTED, CALL = range(4)


def plan(dsp, inputs, output):
    """The steps computing ``output`` from ``inputs`` in ``dsp`` (a formula's dispatcher), in
    dependency order, or None where a node is not a plain data or single-output function."""
    nodes, pred, succ, defaults = dsp.nodes, dsp.dmap.pred, dsp.dmap.succ, dsp.default_values
    index = {k: i for i, k in enumerate(inputs)}
    missing = {k: len(n["inputs"]) for k, n in nodes.items() if n["type"] == "function"}
    ready = [k for k, n in nodes.items() if n["type"] == "data" and not pred[k]]
    steps, seen = [], set()
    while ready:
        k = ready.pop()
        node = nodes[k]
        if set(node) - _KNOWN or k in seen:
            return None
        seen.add(k)
        if node["type"] == "data":
            if node.get("wait_inputs"):
                return None
            filters = tuple(node.get("filters", ()))
            if pred[k]:
                if len(pred[k]) != 1 or k in defaults or k in index:
                    return None
                steps.append((COMPUTED, k, None, filters))
            elif k in index:
                steps.append((ARG, k, index[k], filters))
            elif k in defaults:
                steps.append((DEFAULT, k, defaults[k]["value"], filters))
            else:
                return None
        elif node["type"] == "function" and len(node["outputs"]) == 1:
            steps.append((CALL, node["outputs"][0], node["function"], tuple(node["inputs"])))
            ready.append(node["outputs"][0])
            continue
        else:
            return None
        for f in succ[k]:
            missing[f] -= 1
            if not missing[f]:
                ready.append(f)
    if output not in seen or len(seen) != len(nodes) or set(index) - seen:
        return None
    return tuple(steps)


class FastFormula:
    """A compiled formula (``formulas``' ``AstBuilder.compile_class``): the engine's nodes,
    run in order; anything else is delegated to the engine's ``DispatchPipe``."""

    def __init__(self, dsp, function_id=None, inputs=None, outputs=None, **kwargs):
        self._args = (dsp, function_id, inputs, outputs), kwargs
        self._real = None
        self.dsp, self.inputs, self.outputs = dsp, inputs, outputs
        self.function_id = self.__name__ = function_id
        ok = (outputs is not None and len(outputs) == 1 and inputs is not None
              and all(v is not sh.NONE for v in inputs.values()))
        self._steps = plan(dsp, list(inputs), outputs[0]) if ok else None

    def real(self):
        if self._real is None:
            args, kwargs = self._args
            self._real = sh.DispatchPipe(*args, **kwargs)
        return self._real

    def __getattr__(self, name):             # anything else: the engine's own object's
        if name.startswith("__") or name in ("_real", "_args", "_steps"):
            raise AttributeError(name)
        return getattr(self.real(), name)

    def __call__(self, *args, **kwargs):
        steps = self._steps
        if steps is None or len(args) != len(self.inputs) or set(kwargs) - _DISPATCH_KW:
            return self.real()(*args, **kwargs)
        none, values = sh.NONE, {}
        try:
            for kind, node, what, more in steps:
                if kind == CALL:
                    value = what(*[a for a in (values[k] for k in more) if a is not none])
                    if value is none:
                        raise LookupError(node)
                    values[node] = value
                    continue
                value = args[what] if kind == ARG else values[node] if kind == COMPUTED \
                    else what
                for f in more:
                    if value is none:
                        break
                    value = f(value)
                if value is none:
                    raise LookupError(node)
                values[node] = value
            return values[self.outputs[0]]
        except Exception:
            return self.real()(*args, **kwargs)
