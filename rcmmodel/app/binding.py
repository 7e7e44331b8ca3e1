"""Fields bound to places in the scenario mapping, and the figure builders the steps share.

A bound field shows the number at its place (a percent field shows 7 for 0.07) and writes
it back when she changes it. A place that holds a range (``{dist: ...}``) shows its
middle figure with a note saying it is a range; typing a figure replaces the range, and
nothing else ever does, so a range is never silently reduced to its middle.
"""
from __future__ import annotations

import html

from ..describe import money
from ..present.labels import APP_FIELDS
from .controls import NumberField, note_html
from .session import central

_UNSET = object()


def get_in(data: dict, path: tuple, default=None):
    node = data
    for key in path:
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list) and isinstance(key, int) and key < len(node):
            node = node[key]
        else:
            return default
    return node


def set_in(data: dict, path: tuple, value) -> None:
    """Set ``value`` at ``path``, creating mappings; None removes the key (and empty parents)."""
    node = data
    trail = []
    for key in path[:-1]:
        trail.append((node, key))
        node = node.setdefault(key, {}) if isinstance(node, dict) else node[key]
    if value is None:
        node.pop(path[-1], None)
        for parent, key in reversed(trail):
            if isinstance(parent, dict) and parent.get(key) == {}:
                parent.pop(key)
    else:
        node[path[-1]] = value


def _range_words(spec: dict, scale: float, unit: str) -> str:
    def f(x):
        x = x * scale
        return money(x) if unit == "money" else f"{x:g}%" if unit == "percent" else f"{x:g}"

    kind = spec.get("dist")
    if kind in ("triangular", "pert"):
        return f"between {f(spec['low'])} and {f(spec['high'])}, most likely {f(spec['mode'])}"
    if kind == "uniform":
        return f"anywhere between {f(spec['low'])} and {f(spec['high'])}"
    if kind == "normal":
        return f"about {f(spec['mean'])}, give or take {f(spec['sd'])}"
    return f"about {f(spec.get('median', 0))}"


class Bound:
    """A :class:`NumberField` for the number at ``path`` (``scale`` 100 for percents)."""

    def __init__(self, key: str, path: tuple, on_change, *, unit: str = "number",
                 scale: float = 1.0, integer: bool = False, default=None,
                 words: tuple[str, str] | None = None, **kw):
        label, help_text = words or APP_FIELDS[key]
        self.key, self.path, self.scale, self.integer = key, path, scale, integer
        self.default = default          # what the scenario file means when the key is absent
        self.on_change = on_change
        self.field = NumberField(label, None, unit=unit, help=help_text,
                                 on_change=self._changed, **kw)
        self.note = ""

    @property
    def box(self):
        return self.field.box

    def load(self, data: dict) -> None:
        raw = get_in(data, self.path)
        self.note = ""
        if isinstance(raw, dict) and "dist" in raw:
            self.note = (f"A range: {_range_words(raw, self.scale, self.field.unit)}. The "
                         "decision uses it; typing a figure here replaces it.")
            raw = central(raw)
        if raw is None:
            raw = self.default
        self.field.set_quietly(None if raw is None else float(raw) * self.scale)
        if self.note:
            self.field.message.value = note_html(self.note)

    def store(self, data: dict) -> None:
        if self.note:            # still the range she loaded: leave it as it is
            return
        v = self.field.value
        if v is not None:
            v = v / self.scale
            v = int(round(v)) if self.integer else round(v, 10)
        set_in(data, self.path, v)

    def _changed(self, field) -> None:
        if field.valid:
            self.note = ""
        self.on_change(self)


def figure_rows(rows) -> str:
    """A small table of (label, value, plain line) rows."""
    out = []
    for label, value, line in rows:
        out.append(f"<tr><th scope='row'>{html.escape(label)}</th>"
                   f"<td>{html.escape(value)}</td></tr>")
        if line:
            out.append(f"<tr class='rcm-line'><td colspan='2'>{html.escape(line)}</td></tr>")
    return "<table class='rcm-figures'>" + "".join(out) + "</table>"
