"""YAML for scenario files: the plain subset, read the YAML 1.2 way, with limits.

A scenario is a small hand-written mapping, so the loader refuses what such a file never
needs and a hostile or mistaken one may hold
(docs/methodology.md §9):

* anchors and aliases (``&a`` / ``*a``): an "alias bomb" of nine lines expands to
  billions of nodes; one alias is refused at once, before anything is expanded;
* nesting deeper than :data:`MAX_DEPTH` levels (no RecursionError, however deep), and
  more than :data:`MAX_NODES` keys and values;
* duplicate keys: the last one would silently win (``uplift: 0.10`` then ``uplift: 0.50``);
  every duplicate is reported with its field path and both lines;
* YAML 1.1 surprises: numbers follow YAML 1.2, so ``5e5`` is 500000 and ``0400`` is 400
  (not octal), ``yes``/``no``/``on``/``off`` stay text (a boolean field still accepts
  them), ``1:30`` is not a sexagesimal number, and ``<<`` merge keys do not exist.

Mapping keys are always text. Everything else is PyYAML's safe loader.
"""
from __future__ import annotations

import re

import yaml
from yaml.events import AliasEvent, CollectionStartEvent

from ..errors import Problem, RcmInputError

MAX_DEPTH = 20
MAX_BYTES = 5 * 1024 * 1024
#: Keys and values in one file: a scenario with every field and dozens of quotes holds a few
#: thousand; far beyond is not a scenario, and reading it would take a while for nothing.
MAX_NODES = 50_000


class _Refused(yaml.MarkedYAMLError):
    pass


class _Loader(yaml.SafeLoader):
    """SafeLoader without aliases, deeper than :data:`MAX_DEPTH`, or YAML 1.1 resolvers."""

    yaml_implicit_resolvers: dict = {}       # filled below with the YAML 1.2 core schema
    yaml_constructors = dict(yaml.SafeLoader.yaml_constructors)

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0

    def fetch_flow_collection_start(self, TokenClass):
        # The scanner reads ahead through a flow collection ("[[[[..."); stop it at the
        # limit, before it has read a megabyte of brackets.
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep",
                           self.get_mark())
        super().fetch_flow_collection_start(TokenClass)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(None, None, "anchors and aliases (&name, *name) are not allowed "
                           "in a scenario: write the value out in full", event.start_mark)
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise _Refused(None, None, f"more than {MAX_NODES:,} keys and values: a scenario "
                           "is a short file (is this the right file?)", event.start_mark)
        deeper = isinstance(event, CollectionStartEvent)
        if deeper:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(None, None, f"nested more than {MAX_DEPTH} levels deep",
                               event.start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= deeper

    def construct_mapping(self, node, deep=False):
        # Keys are text: "2024: 100" under costs names a cost "2024"; "on:" is not True.
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep)
        out = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _Refused(None, None, "a key must be a plain word, not a list or mapping",
                               key_node.start_mark)
            out[key_node.value] = self.construct_object(value_node, deep=deep)
        return out


def _int(loader, node):
    text = loader.construct_scalar(node).replace("_", "")
    sign, digits = (-1, text[1:]) if text[:1] == "-" else (1, text.lstrip("+"))
    base = 16 if digits[:2] in ("0x", "0X") else 8 if digits[:2] in ("0o", "0O") else 10
    try:
        return sign * int(digits[2:] if base != 10 else digits, base)
    except ValueError:                           # "!!int abc", or more than 4,300 digits
        problem = "a number too long to read" if len(digits) > 4000 else \
            f"not a whole number: {digits[:40]!r}"
        raise _Refused(None, None, problem, node.start_mark) from None


def _float(loader, node):
    text = loader.construct_scalar(node).replace("_", "").lower()
    if text.lstrip("+-") in (".inf", ".nan"):
        return float(text.replace(".", ""))
    try:
        return float(text)
    except ValueError:
        raise _Refused(None, None, f"not a number: {text[:40]!r}", node.start_mark) from None


def _resolve(tag, pattern, first):
    _Loader.add_implicit_resolver(tag, re.compile(pattern, re.X), list(first))


_resolve("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF")
_resolve("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""])
_resolve("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
         "-+0123456789")
_resolve("tag:yaml.org,2002:float",
         r"""^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?
              |[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$""", "-+0123456789.")
_Loader.add_constructor("tag:yaml.org,2002:int", _int)
_Loader.add_constructor("tag:yaml.org,2002:float", _float)


def _path(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def _duplicates(node, parts, file, out):
    """Every key given twice in one mapping, anywhere in the document."""
    if isinstance(node, yaml.MappingNode):
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key in lines:
                shown_key = key if len(key) <= 40 and key.isprintable() else "(this key)"
                out.append(Problem(file, _path([*parts, shown_key]),
                                   f"given twice (lines {lines[key]} and {line}): keep one"))
            elif key is not None:
                lines[key] = line
            _duplicates(value_node, [*parts, key if key is not None else "?"], file, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _duplicates(item, [*parts, i], file, out)


# PyYAML's words for the commonest slips, and what they mean to someone editing a file
_PLAIN = [
    ("but got '<stream end>'", "the file ends before a [ or { is closed"),
    ("mapping values are not allowed here", "a ':' where a value was expected (a missing "
     "space after a colon, or text with ': ' that needs quotes?)"),
    ("found character '\\t' that cannot start any token", "a tab: indent with spaces"),
    ("could not find expected ':'", "a line that is neither 'key: value' nor '- item'"),
]


def _plain(problem: str) -> str:
    for words, meaning in _PLAIN:
        if words in problem:
            return f"{meaning} ({problem})"
    return problem


def read(text: str, file: str | None = None):
    """Parse a scenario's YAML text: (the document, the keys given twice).

    Duplicate keys are returned, not raised, so that they are reported together with
    every other problem of the file.

    Raises
    ------
    RcmInputError
        For text that is not YAML, or uses what a scenario may not (see the module),
        naming the line and column.
    """
    if len(text) > MAX_BYTES:
        raise RcmInputError.at(file, "", f"the file is over {MAX_BYTES // 2**20} MB: "
                               "a scenario is a short text file")
    loader = None
    try:
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None, []
        found: list[Problem] = []
        _duplicates(node, [], file, found)
        return loader.construct_document(node), found
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise RcmInputError.at(file, f"line {line}", f"a control character (#x{exc.character:02x}) "
                               "that YAML does not allow: a scenario is plain text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be read"
        prefix = "" if isinstance(exc, _Refused) else "not valid YAML: "
        raise RcmInputError.at(file, where, f"{prefix}{_plain(problem)}") from None
    finally:
        if loader is not None:
            loader.dispose()


def loads(text: str, file: str | None = None):
    """The document of :func:`read`; duplicate keys raise :class:`RcmInputError`.

    >>> loads("annual_collections: 5e5\\nrate: 0400\\nok: yes")
    {'annual_collections': 500000.0, 'rate': 400, 'ok': 'yes'}
    """
    data, duplicates = read(text, file)
    if duplicates:
        raise RcmInputError(duplicates)
    return data
