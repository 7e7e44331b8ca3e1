"""Validation errors in the user's words: the field path, what is wrong, what would be right.

pydantic's own messages ("Input should be a valid dictionary or instance of Fees") are
rewritten; an unknown key gets "did you mean ...?" when it is close to a field of its
own section, or names a field that lives in another section (``pricing.monthly_minimum``
belongs in ``fees``).
"""
from __future__ import annotations

import difflib
import re
import typing
from functools import lru_cache

from pydantic import BaseModel, ValidationError

from ..describe import shown
from ..errors import MAX_LISTED, Problem
from .schema import SCHEMA, Scenario

# pydantic error type -> what the value must be, in plain words
_KINDS = {
    "string_type": "must be text",
    "list_type": "must be a list (one '- item' a line, or [a, b])",
    "dict_type": "must be a mapping of names to values (key: value)",
    "model_type": "must be a mapping of fields (key: value)",
    "model_attributes_type": "must be a mapping of fields (key: value)",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
}


def _models(annotation) -> list[type[BaseModel]]:
    """The pydantic models inside a field's annotation (``list[Vendor] | None`` -> Vendor)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in typing.get_args(annotation) for m in _models(arg)]


def _is_list(annotation) -> bool:
    return typing.get_origin(annotation) is list or any(
        _is_list(a) for a in typing.get_args(annotation))


@lru_cache(maxsize=1)
def _homes() -> dict[str, list[str]]:
    """Every field name -> the sections it is a field of, e.g. ``vendors[].fees``."""
    homes: dict[str, list[str]] = {}

    def walk(model, path, depth):
        for name, info in model.model_fields.items():
            key = info.alias or name
            homes.setdefault(key, []).append(path)
            subs = _models(info.annotation)
            if subs and depth < 6:
                sub = (f"{path}.{key}" if path else key) + ("[]" if _is_list(info.annotation) else "")
                walk(subs[0], sub, depth + 1)

    walk(Scenario, "", 0)
    return homes


def _model_at(loc) -> type[BaseModel] | None:
    """The model whose fields a location's last part is checked against."""
    model = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None)
        found = _models(info.annotation) if info else []
        if not found:
            return None
        model = found[0]
    return model


def _fill(section: str, loc) -> str:
    """``vendors[].fees`` with the indexes of ``loc`` -> ``vendors[0].fees``."""
    indexes = iter(p for p in loc if isinstance(p, int))
    return re.sub(r"\[\]", lambda _: f"[{next(indexes, '...')}]", section)


def unknown_key(loc) -> str:
    """The message for an unknown key: a near spelling, or the section it belongs in."""
    key, parent = loc[-1], loc[:-1]
    if not isinstance(key, str):
        return "unknown field"
    model = _model_at(parent)
    fields = [f.alias or n for n, f in model.model_fields.items()] if model else []
    homes = _homes().get(key)
    typo = difflib.get_close_matches(key, fields, n=1, cutoff=0.85)
    if homes and typo:    # 'vendor' at the top: a slip for 'vendors' more than audit.vendor
        return f"unknown field; did you mean {typo[0]}?"
    if homes:             # a real field, in the wrong section: say where it goes
        here = _path(parent)
        best = _fill(max(homes, key=lambda h: len(_common(h, here))), parent)
        section = best.rsplit(".", 1)[-1] if best else "the top level"
        return (f"unknown field {'here' if not parent else 'in ' + str(parent[-1])}; "
                f"{key} belongs in {section} ({best + '.' if best else ''}{key})")
    near = difflib.get_close_matches(key, fields, n=1, cutoff=0.6)
    near = near or [f for f in fields if len(key) >= 4 and (f.startswith(key) or key in f)][:1]
    if near:
        return f"unknown field; did you mean {near[0]}?"
    listed = ", ".join(fields) if 0 < len(fields) <= 14 else ""
    return "unknown field (check the spelling" + (f"; fields here: {listed})" if listed else ")")


def _common(a: str, b: str) -> str:
    a, b = re.sub(r"\[\d*\]", "[]", a), re.sub(r"\[\d*\]", "[]", b)
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _path(loc) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out.replace(".[", "[")


def problems(err: ValidationError, file: str | None) -> list[Problem]:
    """pydantic's errors as :class:`Problem` s with field paths and plain messages."""
    out = []
    for e in err.errors(include_url=False):
        loc = ["schema" if p == "schema_" else p for p in e["loc"]]
        msg, kind = e["msg"], e["type"]
        for prefix in ("Value error, ", "Assertion failed, "):
            if msg.startswith(prefix):
                msg = msg[len(prefix):]
        if msg.startswith("@"):          # a validator naming the field below its model
            sub, _, msg = msg[1:].partition(": ")
            loc.append(sub)
        if len(out) >= MAX_LISTED:     # beyond what is listed: only counted, so keep it cheap
            pass
        elif kind == "extra_forbidden":
            msg = unknown_key(loc)
        elif kind == "missing":
            msg = "required field is missing"
        elif kind == "literal_error" and loc and loc[-1] == "schema":
            msg = f"must be {SCHEMA!r}"
        elif kind in _KINDS:
            msg = f"{_KINDS[kind]}, got {shown(e.get('input'))}"
        elif msg.startswith("Input should be"):
            msg = "must be" + msg[len("Input should be"):] + f", got {shown(e.get('input'))}"
        out.append(Problem(file, _path(loc), msg))
    return out
