"""What-if changes to a scenario: ``{"practice.annual_collections": 750000, ...}``.

A change names a field by the scenario's own field path (``vendors[0].pricing.rate``,
``timeline.ramp_days``, ``ranking.priority``), the path every message uses. It is applied to
the scenario's mapping (as its file holds it) and the result validated exactly like the file,
so a bad value gets the same message, at its path. A path that names no field of the scenario
is an error naming it, before any work (docs/methodology.md §9, "What-ifs").
"""
from __future__ import annotations

import copy
import re
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..errors import Problem, RcmInputError
from .load import parse_scenario, read_scenario_file
from .messages import unknown_key
from .schema import Scenario

#: What a change's old value is where the file does not set the field.
UNSET = None
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")


def parse_path(path: str, label: str = "what-if") -> list[str | int]:
    """``"vendors[0].pricing.rate"`` -> ``["vendors", 0, "pricing", "rate"]``.

    >>> parse_path("vendors[1].pricing.rate")
    ['vendors', 1, 'pricing', 'rate']
    """
    steps: list[str | int] = []
    for part in str(path).split("."):
        m = _STEP.fullmatch(part.strip())
        if not m:
            raise RcmInputError.at(label, str(path), "not a field path: write it as the "
                                   "messages do, e.g. practice.annual_collections or "
                                   "vendors[0].pricing.rate")
        steps.append(m.group(1))
        steps += [int(i) for i in re.findall(r"\d+", m.group(2))]
    return steps


def _unwrap(annotation):
    """The model, list or mapping a field's annotation holds (Optional and Annotated
    peeled), or None for a plain value."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (list, tuple):
        return ("list", typing.get_args(annotation)[0])
    if origin is dict:
        return ("dict", typing.get_args(annotation)[1])
    if origin is not None:            # a union: the first member that has structure
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if inner is not None:
                return inner
        return None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _fields(model) -> dict:
    """A model's fields by the names a file uses (the alias where there is one)."""
    return {(f.alias or name): f for name, f in model.model_fields.items()}


def unknown_step(steps: list[str | int]) -> int | None:
    """The index of the first step of a path that names no field of a scenario, or None."""
    here: Any = Scenario
    for k, step in enumerate(steps):
        if here is None:              # below a plain value (a number, a distribution...)
            return None
        if isinstance(here, tuple):
            kind, inner = here
            if (kind == "list") != isinstance(step, int):
                return k
            here = _unwrap(inner) if not isinstance(inner, type) or not issubclass(
                inner, BaseModel) else inner
            continue
        if isinstance(step, int):
            return k
        field = _fields(here).get(step)
        if field is None:
            return k
        here = _unwrap(field.annotation)
    return None


def _is_list(steps) -> bool:
    """Whether a valid path prefix names a list."""
    here: Any = Scenario
    for step in steps:
        if isinstance(here, tuple):
            here = _unwrap(here[1]) or here[1]
        elif isinstance(here, type) and issubclass(here, BaseModel):
            here = _unwrap(_fields(here)[step].annotation)
    return isinstance(here, tuple) and here[0] == "list"


def _shown(steps) -> str:
    out = ""
    for s in steps:
        out += f"[{s}]" if isinstance(s, int) else ("." if out else "") + s
    return out


def get_path(data, path: str, default=UNSET):
    """The value at ``path`` in a scenario mapping, or ``default`` where it is not set."""
    here = data
    for step in parse_path(path):
        try:
            here = here[step]
        except (KeyError, IndexError, TypeError):
            return default
    return here


def apply_changes(data: dict, changes: dict, label: str = "what-if") -> dict:
    """A copy of the scenario mapping ``data`` with each change made.

    Raises
    ------
    RcmInputError
        Naming every path that is no field of a scenario, or that indexes past a list.
    """
    out = copy.deepcopy(data)
    found = []
    for path, value in changes.items():
        steps = parse_path(path, label)
        bad = unknown_step(steps)
        if bad is not None:
            part = _shown(steps[:bad + 1])
            if isinstance(steps[bad], int) or (bad and _is_list(steps[:bad])):
                message = (f"{_shown(steps[:bad])} is a list: give the entry's index, e.g. "
                           f"{_shown(steps[:bad])}[0]" if not isinstance(steps[bad], int)
                           else f"{_shown(steps[:bad])} is not a list")
            else:
                message = unknown_key(tuple(steps[:bad + 1])) + (
                    "" if bad == len(steps) - 1 else f" (at {part})")
            found.append(Problem(label, str(path), message))
            continue
        here = out
        for k, step in enumerate(steps[:-1]):
            nxt = steps[k + 1]
            if isinstance(step, int):
                if not isinstance(here, list) or step >= len(here):
                    n = len(here) if isinstance(here, list) else 0
                    found.append(Problem(label, str(path), f"no such entry: {_shown(steps[:k + 1])}"
                                         f" (the scenario lists {n})"))
                    break
                here = here[step]
            else:
                if not isinstance(here.get(step), (dict, list)):
                    here[step] = [] if isinstance(nxt, int) else {}
                here = here[step]
        else:
            last = steps[-1]
            if isinstance(last, int):
                if not isinstance(here, list) or last >= len(here):
                    found.append(Problem(label, str(path), f"no such entry: {_shown(steps)}"))
                    continue
            here[last] = value
            _now_the_practices(out, str(path))
    if found:
        raise RcmInputError(found)
    return out


def _now_the_practices(data: dict, path: str) -> None:
    """A figure changed in a what-if is the practice's own from then on: where the file's
    ``sources:`` names it (or a section holding it) as someone else's, say so."""
    sources = data.get("sources")
    if not isinstance(sources, dict):
        return
    for key in list(sources):
        if key == path or path.startswith(key + ".") or path.startswith(key + "["):
            sources[path] = "practice"
        elif key.startswith(path + ".") or key.startswith(path + "["):
            del sources[key]          # the whole section was replaced


def scenario_data(scenario) -> tuple[dict, str | None]:
    """The mapping of a scenario (a :class:`Scenario`, a file path or a mapping) as its file
    holds it, and the file it came from (None for one built in memory)."""
    if isinstance(scenario, dict):
        return copy.deepcopy(scenario), None
    if isinstance(scenario, (str, Path)):
        data, duplicates = read_scenario_file(scenario)
        if duplicates:
            raise RcmInputError(duplicates)
        return data, str(scenario)
    if scenario.source and Path(scenario.source).is_file():
        return read_scenario_file(scenario.source)[0], scenario.source
    data = scenario.model_dump(mode="json", by_alias=True, exclude_unset=True,
                               exclude_none=True)
    data.pop("vendors_file", None)          # its quotes are among the vendors already
    for k in scenario.measured_kpis:        # measured again, never taken as stated
        data.get("practice", {}).get("baseline_kpis", {}).pop(k, None)
    return data, None


def with_changes(scenario, changes: dict, label: str = "what-if") -> Scenario:
    """The scenario with ``changes`` made, validated exactly like its file; a problem at a
    changed path is reported under ``label`` (``--set`` on the command line)."""
    data, file = scenario_data(scenario)
    changed = apply_changes(data, changes, label)
    try:
        return parse_scenario(changed, file)
    except RcmInputError as exc:
        paths = {str(p) for p in changes}

        def related(where: str, path: str) -> bool:
            return where == path or any(a.startswith(b + ".") or a.startswith(b + "[")
                                        for a, b in ((where, path), (path, where)))

        raise RcmInputError([Problem(label, p.where, p.message)
                             if any(related(p.where, q) for q in paths) else p
                             for p in exc.problems]) from None


__all__ = ["UNSET", "apply_changes", "get_path", "parse_path", "scenario_data", "unknown_step",
           "with_changes"]
