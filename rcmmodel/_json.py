"""JSON for people and programs: the one place numbers are rounded for output.

Money is kept as float USD through every computation and rounded to the cent only here;
anything that is not a finite number becomes ``null``, so every JSON we print is strict.

>>> cents(51500.004)
51500.0
>>> cents(float("nan")) is None
True
>>> rounded(0.123456789)
0.123457
>>> clean({"rate": float("inf"), "n": [1, 2.5]})
{'rate': None, 'n': [1, 2.5]}
>>> dumps({"x": float("nan")}, indent=None)
'{"x": null}'
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import numbers


def number(x) -> float | None:
    """A finite float, or None (for None, NaN, infinities, pandas' NA/NaT and non-numbers)."""
    if x is None or isinstance(x, bool):
        return None if x is None else float(x)
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def rounded(x, digits: int = 6) -> float | None:
    """A rate, share or score for output: ``digits`` decimals (``-0.0`` shown as ``0.0``),
    None where not finite."""
    x = number(x)
    return None if x is None else round(x, digits) + 0.0


def cents(x) -> float | None:
    """Money for output: rounded to the cent (``-0.0`` shown as ``0.0``), None where not finite.

    (Money for people, as text, is :func:`rcmmodel.describe.money`.)"""
    return rounded(x, 2)


def clean(obj, money_keys=frozenset()):
    """A structure safe for strict JSON: numpy scalars become Python numbers, dates ISO strings,
    NaN and infinities None; values under ``money_keys`` are rounded to the cent."""
    if isinstance(obj, dict):
        return {k: (cents(v) if k in money_keys and _is_num(v) else clean(v, money_keys))
                for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [clean(v, money_keys) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, numbers.Integral):
        return int(obj)
    if isinstance(obj, numbers.Real):
        return number(obj)
    if isinstance(obj, (_dt.date, _dt.datetime)):
        return obj.isoformat()
    if type(obj).__name__ in ("NAType", "NaTType"):
        return None
    if hasattr(obj, "isoformat"):         # pandas Timestamp
        return obj.isoformat()
    if hasattr(obj, "item"):              # any other numpy scalar
        return clean(obj.item(), money_keys)
    return obj


def _is_num(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def dumps(obj, indent: int | None = 2) -> str:
    """Strict JSON text (``allow_nan=False``: NaN and infinities have already become null)."""
    return json.dumps(clean(obj), indent=indent, allow_nan=False, default=str)
