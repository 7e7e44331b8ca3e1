"""The kinds of value a scenario field holds, each checked with a message in the user's words.

Numbers are finite and bounded (money below $1 trillion, so no sum can overflow); a
boolean is never a number (``providers: true`` is a mistake, not 1); counts are whole;
a rate written as a percentage gets "rates are fractions: did you mean 0.92?"; names
hold no control characters and at most 200 characters. A message quotes at most 80
characters of the value it rejects (:func:`rcmmodel.describe.shown`).
"""
from __future__ import annotations

import dataclasses
import math
from typing import Annotated, Any, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from ..describe import is_control, shown
from .distributions import SCHEMA_TYPES, DistError, parse_dist

#: Every number in a scenario stays below this: money under $1 trillion, and no product
#: or sum of inputs can overflow a float.
LIMIT = 1e12
NAME_LIMIT = 200


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(value) -> float:
    """A plain number as a finite float within :data:`LIMIT`, or ValueError in plain words."""
    if not _is_number(value):
        what = f"{str(value).lower()} (a yes/no answer)" if isinstance(value, bool) \
            else shown(value)
        raise ValueError(f"must be a number, got {what}")
    if isinstance(value, int) and abs(value) >= LIMIT:
        raise ValueError(f"must be below {LIMIT:,.0f}")     # before float(): 10**400 overflows
    value = float(value)
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if abs(value) >= LIMIT:
        raise ValueError(f"must be below {LIMIT:,.0f}")
    return value


def _bounds(low, high, ge, gt, le, rate):
    if ge is not None and low < ge:
        raise ValueError(f"must be at least {ge:g}")
    if gt is not None and low <= gt:
        raise ValueError(f"must be greater than {gt:g}")
    if le is not None and high > le:
        hint = ""
        if rate and 1 < high <= 100:
            hint = f" (rates are fractions: did you mean {high / 100:g}?)"
        raise ValueError(f"must be at most {le:g}{hint}")


def number(ge: float | None = None, le: float | None = None, gt: float | None = None,
           rate: bool = False, dist: bool = True):
    """A number (or, with ``dist``, a distribution ``{dist: ...}``) within the bounds given.

    ``rate`` marks a fraction, so that ``92`` is answered with "did you mean 0.92?".
    """

    def check(value):
        if isinstance(value, dict) and "dist" in value:
            if not dist:
                raise ValueError("must be a plain number here (not a distribution)")
            try:
                d = parse_dist(value)
            except DistError as exc:
                raise ValueError(f"@{exc.param}: {exc}" if exc.param else str(exc)) from None
            for v in d.params.values():
                _finite(v)
            low, high = d.bounds
            if d.kind in ("normal", "lognormal"):
                low = high = d.central  # unbounded: check the centre only
            _bounds(low, high, ge, gt, le, rate)
            floor = max(x for x in (ge, gt, -math.inf) if x is not None)
            return dataclasses.replace(d, limits=(floor, math.inf if le is None else le))
        if isinstance(value, dict) and dist:
            raise ValueError("must be a number or a distribution {dist: ...}, got a mapping "
                             "without 'dist'")
        if _is_number(value) and not (isinstance(value, float) and not math.isfinite(value)):
            _bounds(value, value, ge, gt, le, rate)   # the field's own limits say more
        value = _finite(value)
        _bounds(value, value, ge, gt, le, rate)
        return value

    # What the JSON Schema (rcm schema) shows; the check above is what validates.
    plain = Annotated[float, Field(ge=ge, gt=gt, le=le)]
    shape = Union[(plain, *SCHEMA_TYPES)] if dist else plain
    return Annotated[Any, BeforeValidator(check, json_schema_input_type=shape)]


def whole(ge: int | None = None, le: int | None = None):
    """A whole number (``12``, or ``12.0``), never a boolean."""

    def check(value):
        if _is_number(value) and isinstance(value, float) and math.isfinite(value) \
                and value != int(value):
            raise ValueError(f"must be a whole number, got {shown(value)}")
        if _is_number(value) and not (isinstance(value, float) and not math.isfinite(value)):
            if le is not None and value > le:
                raise ValueError(f"must be at most {le}")
            if ge is not None and value < ge:
                raise ValueError(f"must be at least {ge}")
        try:
            value = int(_finite(value))
        except ValueError as exc:
            raise ValueError(str(exc).replace("must be a number", "must be a whole number")) \
                from None
        if ge is not None and value < ge:
            raise ValueError(f"must be at least {ge}")
        if le is not None and value > le:
            raise ValueError(f"must be at most {le}")
        return value

    return Annotated[int, BeforeValidator(check, json_schema_input_type=Annotated[
        int, Field(ge=ge, le=le)])]


def check_name(value, what: str = "a name") -> str:
    """Text fit to name something in every output: no control characters, 1-200 characters."""
    if not isinstance(value, str):
        raise ValueError(f"must be text, got {shown(value)} (put it in quotes)")
    if not value.strip():
        raise ValueError(f"must not be empty: give {what}")
    bad = next((c for c in value if is_control(c)), None)
    if bad is not None:
        raise ValueError(f"must not contain control characters (found {shown(bad)} in "
                         f"{shown(value, 40)})")
    if len(value) > NAME_LIMIT:
        raise ValueError(f"is {len(value)} characters long; at most {NAME_LIMIT} please")
    return value


Name = Annotated[str, BeforeValidator(check_name, json_schema_input_type=Annotated[
    str, Field(min_length=1, max_length=NAME_LIMIT)])]


def _named_mapping(value):
    """A mapping whose keys are names (``costs:``, ``other_annual:``)."""
    if isinstance(value, dict):
        for key in value:
            try:
                check_name(key)
            except ValueError as exc:
                plain = isinstance(key, str) and 0 < len(key) < 40 and key.isprintable() \
                    and "." not in key
                raise ValueError(f"@{key if plain else '(a name)'}: the name {exc}") from None
    return value


Money = number(ge=0)
Rate = number(ge=0, le=1, rate=True)
Count = number(ge=0)
PlainMoney = number(ge=0, dist=False)
PlainDays = number(ge=0, dist=False)
PlainRate = number(ge=0, le=1, rate=True, dist=False)
NamedAmounts = Annotated[dict[str, Money], BeforeValidator(_named_mapping)]


class Section(BaseModel):
    """A section of a scenario file: unknown keys are errors, and a validated section is frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


def D(text: str, *examples):
    """A field's words for ``rcm schema`` and docs/scenario-reference.md."""
    return {"description": text, **({"examples": list(examples)} if examples else {})}
