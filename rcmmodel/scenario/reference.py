"""The scenario file's reference, generated from the pydantic schema so it cannot drift.

:func:`json_schema` is what ``rcm schema`` prints (JSON Schema, for editors); :func:`markdown`
is ``docs/scenario-reference.md``: every key with its type, default, meaning and an example,
the pricing models and the practice figures each needs, the distributions, and the quotes
sheet's columns. A test checks that the committed file equals :func:`markdown`'s output.

Regenerate the file after changing the schema::

    python -m rcmmodel.scenario.reference > docs/scenario-reference.md
"""
from __future__ import annotations

import json
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from .schema import SCHEMA, Scenario


class _InFileOrder(GenerateJsonSchema):
    """Keys as the schema declares them (pydantic sorts them), so an example reads like the
    YAML a user writes: ``{up_to: 250000, rate: 0.06}``, not ``{rate: 0.06, up_to: ...}``."""

    def sort(self, value, parent_key=None):
        return value


def json_schema() -> dict:
    """The JSON Schema (draft 2020-12) of a scenario file, with titles and descriptions."""
    schema = Scenario.model_json_schema(by_alias=True, schema_generator=_InFileOrder)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _resolve(schema: dict, node: dict) -> dict:
    ref = node.get("$ref")
    if ref:
        return schema["$defs"][ref.rsplit("/", 1)[-1]]
    return node


def _is_dist(schema: dict, node: dict) -> bool:
    return "$ref" in node and "dist" in _resolve(schema, node).get("properties", {})


def _bounds(node: dict) -> str:
    parts = []
    for key, word in (("minimum", ">="), ("exclusiveMinimum", ">"), ("maximum", "<="),
                      ("exclusiveMaximum", "<")):
        if key in node:
            parts.append(f"{word} {node[key]:g}")
    return f" ({', '.join(parts)})" if parts else ""


def _type_words(schema: dict, node: dict, inner: bool = False) -> str:
    """A property's type in words, e.g. 'number (>= 0) or a distribution' (``inner``: a
    list item's or a mapping value's, where null is a value, not an optional field)."""
    options = node.get("anyOf") or node.get("oneOf") or [node]
    words, nullable, dist = [], False, False
    for option in options:
        if option.get("type") == "null":
            nullable = True
            continue
        if _is_dist(schema, option):
            dist = True
            continue
        words.append(_one_type(schema, option))
    text = " or ".join(dict.fromkeys(w for w in words if w)) or "any"
    if dist:
        text += " or a distribution"
    if nullable and inner:
        return text + " or null"
    return text + (" (optional)" if nullable else "")


def _one_type(schema: dict, node: dict) -> str:
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    if "$ref" in node:
        return "a section (below)"
    kind = node.get("type")
    if kind == "number":
        return "number" + _bounds(node)
    if kind == "integer":
        return "whole number" + _bounds(node)
    if kind == "string":
        return "text"
    if kind == "boolean":
        return "yes/no (`true`/`false`)"
    if kind == "array":
        items = node.get("items", {})
        return "list of sections (below)" if "$ref" in items else \
            f"list of {_type_words(schema, items, inner=True)}"
    if kind == "object":
        values = node.get("additionalProperties")
        if isinstance(values, dict):
            return f"mapping of name: {_type_words(schema, values, inner=True)}"
        return "mapping"
    return ""


def _yaml(value: Any) -> str:
    """A value as inline YAML, e.g. ``{model: percentage, rate: 0.07}``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_yaml(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _default(node: dict, required: bool) -> str:
    if required:
        return "required"
    if "default" not in node:
        return "-"
    value = node["default"]
    if value is None:
        return "none"
    if isinstance(value, dict) and value:
        return "see below"
    if value in ([], {}):
        return "empty"
    return f"`{_yaml(value)}`"


def _sections(schema: dict) -> list[tuple[str, dict]]:
    """Every object of the schema with the path a user writes it at, in document order."""
    out: list[tuple[str, dict]] = []
    seen: set[str] = set()

    def walk(path: str, node: dict) -> None:
        node = _resolve(schema, node)
        if "properties" not in node or node.get("title") in seen:
            return
        seen.add(node["title"])
        out.append((path, node))
        for key, prop in node["properties"].items():
            for option in prop.get("anyOf") or [prop]:
                if _is_dist(schema, option):
                    continue
                if option.get("type") == "array" and "$ref" in option.get("items", {}):
                    walk(f"{path}.{key}[]" if path else f"{key}[]", option["items"])
                elif "$ref" in option:
                    walk(f"{path}.{key}" if path else key, option)

    walk("", schema)
    return out


def _table(schema: dict, node: dict) -> list[str]:
    lines = ["| key | type | default | what it means | example |",
             "|---|---|---|---|---|"]
    required = set(node.get("required", []))
    for key, prop in node["properties"].items():
        examples = prop.get("examples") or []
        example = f"`{key}: {_yaml(examples[0])}`" if examples else ""
        lines.append("| " + " | ".join(_cell(x) for x in (
            f"`{key}`", _type_words(schema, prop), _default(prop, key in required),
            prop.get("description", ""), example)) + " |")
    return lines


def markdown() -> str:
    """``docs/scenario-reference.md``."""
    from . import reference_text as text

    schema = json_schema()
    lines = text.intro(SCHEMA)
    for path, node in _sections(schema):
        lines += ["", f"## `{path}`" if path else "## The top level", ""]
        if node.get("description"):
            lines += [node["description"], ""]
        lines += _table(schema, node)
        lines += text.after(path)
    lines += text.closing()
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":      # python -m rcmmodel.scenario.reference > docs/scenario-reference.md
    import sys

    if sys.argv[1:] == ["--json"]:
        print(json.dumps(json_schema(), indent=2))
    else:
        sys.stdout.write(markdown())
