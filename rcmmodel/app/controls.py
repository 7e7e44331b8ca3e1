"""Building blocks of the app's panels: number fields, inline messages, charts, styles.

A number field is a slider beside a text box: the slider for exploring, the box for the
exact figure a practice owner knows. Whatever is typed is parsed here, so a wrong entry
("abc", a negative volume) becomes a message under the field instead of a traceback.
"""
from __future__ import annotations

import html
import math
import re
import time
from contextlib import contextmanager
from typing import Callable

import ipywidgets as w

from ..describe import money
from .vega import VegaCharts, chart_specs, quick_altair

STYLE = """<style>
.rcm-app {font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;}
.rcm-title {font-size: 1.6em; font-weight: 600; margin: 0.2em 0 0.1em;}
.rcm-subtitle {color: #555; margin-bottom: 0.6em;}
.rcm-net-gain {font-size: 2.4em; font-weight: 700; font-variant-numeric: tabular-nums;}
.rcm-good {color: #2e7d32;} .rcm-bad {color: #c62828;}
.rcm-figures {line-height: 1.5;}
.rcm-figures td {padding: 1px 12px 1px 0; font-variant-numeric: tabular-nums;}
.rcm-input-error {color: #c62828; font-size: 0.9em; line-height: 1.3;}
.rcm-note {color: #555; font-size: 0.9em;}
.rcm-stale {opacity: 0.45;}
.rcm-section {font-weight: 600; margin: 0.6em 0 0.2em; color: #333;}
table.rcm-table {border-collapse: collapse; margin: 0.3em 0 0.8em;
                 font-variant-numeric: tabular-nums;}
table.rcm-table th, table.rcm-table td {padding: 3px 10px; border-bottom: 1px solid #ddd;
                                        text-align: right; line-height: 1.4;
                                        white-space: nowrap;}
ul.rcm-notes {margin: 0.2em 0 0.8em; padding-left: 1.2em; max-width: 1100px;}
table.rcm-table th:first-child, table.rcm-table td:first-child {text-align: left;}
.rcm-grade {display: inline-block; min-width: 4.5em; padding: 0 6px; border-radius: 3px;
            color: white; text-align: center; font-size: 0.85em;}
.rcm-chart svg {max-width: 100%; height: auto;}
.rcm-help {color: #555; font-size: 0.85em; line-height: 1.3; margin: 0 0 0.5em;}
.rcm-warning {color: #8a5a00; background: #fff4d6; border-left: 3px solid #f9a825;
              padding: 2px 6px; font-size: 0.9em; line-height: 1.3;}
.rcm-field .widget-text {flex-wrap: wrap; width: 100%; margin-bottom: 2px;}
.rcm-field .widget-text > label {flex: 1 0 100%; text-align: left; font-weight: 500;
                                 color: #222; margin-bottom: 2px;}
.rcm-field .widget-text > input {max-width: 14em;}
</style>"""

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$")
_SUFFIX = {"k": 1e3, "m": 1e6}


class FieldError(ValueError):
    """What is wrong with one entry, in words for the person who typed it."""


def parse_number(text: str, unit: str = "number") -> float:
    """Read a number as people type it: '$500,000', '500k', '1.2m', '7%', '-5'.

    Parameters
    ----------
    text : str
    unit : {'money', 'percent', 'number', 'days'}
        For 'percent' the result is in percent (7 for '7%' or '7'), as the fields show it.

    Raises
    ------
    FieldError
        When the text is not a number.

    Examples
    --------
    >>> parse_number("$1.2m", "money"), parse_number("7%", "percent")
    (1200000.0, 7.0)
    """
    raw = str(text).strip().lower().replace(",", "").replace("$", "").replace(" ", "")
    if unit == "percent":
        raw = raw.rstrip("%")
    scale = 1.0
    if raw[-1:] in _SUFFIX and unit in ("money", "number"):
        scale, raw = _SUFFIX[raw[-1]], raw[:-1]
    if not _NUMBER.match(raw):
        shown = str(text).strip() or "an empty entry"
        raise FieldError(f"{shown!r} is not a number" if str(text).strip() else
                         "enter a number")
    value = float(raw) * scale
    if not math.isfinite(value):
        raise FieldError("enter a finite number")
    return value


def format_number(value: float, unit: str = "number", digits: int = 0) -> str:
    """The text a field shows for a value: '$500,000', '7%', '90'."""
    if unit == "money" and digits in (0, 2):
        return money(value, cents=digits == 2)
    if unit == "money":
        return f"${value:,.{digits}f}"
    if unit == "percent":
        return f"{round(value, 4):g}%"
    return f"{round(value, 4):g}"


class NumberField:
    """A labelled text box for one number, with a slider where exploring helps.

    The label is the text box's own ``<label>`` (its accessible name, "Annual
    collections"); a plain-English line sits under it, always visible, and a message
    under that when an entry is wrong or looks mistyped.

    Parameters
    ----------
    label : str
    value : float or None
        In the field's unit (percent fields hold 7 for 7%); None shows an empty box with
        ``placeholder`` (a figure she has not given yet).
    unit : {'money', 'percent', 'number', 'days'}
    low, high : float or None
        What the model accepts; an entry outside shows a message and is not applied.
    slider : (min, max, step) or None
        The slider's usual range. A typed value outside it stretches the slider just
        enough to show it; a later value inside it brings the usual range back, so one
        typo never leaves a slider where a small drag jumps by millions.
    on_change : callable(NumberField)
        Called after every accepted change (and after a rejected one, so a panel can mark
        its figures out of date).
    low_open : bool
        True where ``low`` itself is not allowed (collections must be above 0).
    digits : int
        Decimals shown for money (2 for a per-claim fee).
    help : str
        The plain line under the field.
    optional : bool
        A blank entry is allowed and means "not given" (value None).
    expect : (low, high) or None
        For percent fields: the usual range, in percent. A value below 1 whose hundredfold
        falls in it ("0.07" for a fee) gets a warning that it reads as 0.07%.
    """

    def __init__(self, label: str, value: float | None, *, unit: str = "number",
                 low: float | None = 0.0, high: float | None = None,
                 slider: tuple[float, float, float] | None = (0, 100, 1),
                 on_change: Callable | None = None, low_open: bool = False,
                 digits: int = 0, help: str | None = None, optional: bool = False,
                 expect: tuple[float, float] | None = None, placeholder: str = ""):
        self.label, self.unit, self.low, self.high = label, unit, low, high
        self.low_open, self.digits, self.optional, self.expect = low_open, digits, optional, expect
        self.on_change = on_change
        self._value = None if value is None else float(value)
        self._syncing, self._error, self.error = False, False, ""
        self.base_range = slider
        self.text = w.Text(value=self._shown(self._value), description=label,
                           placeholder=placeholder, continuous_update=False,
                           style={"description_width": "initial"},
                           layout=w.Layout(width="100%"))
        # Stable class names let browser tests and custom CSS find a field by its label.
        self.slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
        self.text.add_class("rcm-field-" + self.slug)
        self.text.add_class("rcm-text")
        parts = [self.text]
        self.slider = None
        if slider is not None:
            lo, hi, step = slider
            start = lo if self._value is None else min(max(self._value, lo), hi)
            self.slider = w.FloatSlider(
                value=start, min=lo, max=hi, step=step, readout=False,
                continuous_update=False,  # one recompute per release, no backlog
                layout=w.Layout(width="100%", max_width="420px"))
            self.slider.add_class("rcm-slider-" + self.slug)
            self.slider.add_class("rcm-slider")
            self._calibrate(self._value)
            self.slider.observe(self._from_slider, "value")
            parts.append(self.slider)
        # The plain line and any message share one HTML widget: a page of fields is
        # hundreds of widget models, and each costs the browser time to build.
        self.lines = w.HTML("")
        self.message = _Lines(self.lines, help or "")
        self.box = w.VBox([*parts, self.lines],
                          layout=w.Layout(width="100%", max_width="460px"))
        self.box.add_class("rcm-field")
        self.label_widget = self.text
        self.text.observe(self._from_text, "value")

    def _shown(self, value) -> str:
        return "" if value is None else format_number(value, self.unit, self.digits)

    @property
    def value(self) -> float | None:
        """The last accepted value, in the field's unit (None: not given)."""
        return self._value

    @value.setter
    def value(self, value) -> None:
        self._accept(None if value is None else float(value), notify=True)

    @property
    def valid(self) -> bool:
        return not self._error

    def set_quietly(self, value) -> None:
        """Show a value without calling ``on_change`` (loading a scenario)."""
        self._accept(None if value is None else float(value), notify=False)

    def show(self, visible: bool) -> None:
        self.box.layout.display = "" if visible else "none"

    def check(self, value: float) -> None:
        """Raise :class:`FieldError` where the model would not accept ``value``."""
        shown = format_number
        if self.low is not None and (value < self.low or (self.low_open and value == self.low)):
            word = "more than" if self.low_open else "at least"
            raise FieldError(f"must be {word} {shown(self.low, self.unit, self.digits)}")
        if self.high is not None and value > self.high:
            raise FieldError(f"must be at most {shown(self.high, self.unit, self.digits)}")

    def warning(self, value) -> str:
        """A doubt about an accepted value: a rate that looks typed as a fraction."""
        if (self.unit == "percent" and self.expect and value is not None and 0 < value < 1
                and self.expect[0] <= value * 100 <= self.expect[1]):
            return (f"{self.label} reads as {format_number(value, 'percent')}: rates here are "
                    f"in percent. For {format_number(value * 100, 'percent')}, type "
                    f"{round(value * 100, 4):g}.")
        return ""

    def _calibrate(self, value) -> None:
        s, (lo, hi, step) = self.slider, self.base_range
        if value is None or lo <= value <= hi:
            new_lo, new_hi = lo, hi
        elif value > hi:
            new_lo, new_hi = lo, value * 1.5 if value > 0 else hi
        else:
            new_lo, new_hi = (value * 1.5 if value < 0 else value), hi
        # widen before narrowing so min never passes max on the way
        if new_hi > s.max:
            s.max = new_hi
        s.min = new_lo
        s.max = new_hi
        s.step = step if (new_hi - new_lo) <= 2 * (hi - lo) else (new_hi - new_lo) / 1000

    def _accept(self, value, notify: bool) -> None:
        if value is not None:
            self.check(value)
        self._value = value
        self._error = False
        warn = self.warning(value)
        self.message.value = warning_html(warn) if warn else ""
        self._syncing = True
        try:
            if self.slider is not None:
                self._calibrate(value)
                if value is not None:
                    self.slider.value = value
            self.text.value = self._shown(value)
        finally:
            self._syncing = False
        if notify and self.on_change is not None:
            self.on_change(self)

    def _from_slider(self, change) -> None:
        if not self._syncing:
            self._accept(float(change["new"]), notify=True)

    def _from_text(self, change) -> None:
        if self._syncing:
            return
        raw = str(change["new"]).strip()
        if not raw and self.optional:
            self._accept(None, notify=True)
            return
        try:
            value = parse_number(raw, self.unit)
            self.check(value)
        except FieldError as exc:
            self._error, self.error = True, f"{self.label}: {exc}"
            self.message.value = error_html(self.error)
            if self.on_change is not None:
                self.on_change(self)     # lets the panel mark its figures as out of date
            return
        self._accept(value, notify=True)


class _Lines:
    """A field's plain line and, under it, its message, drawn into one HTML widget;
    ``.value`` is the message (as :class:`ipywidgets.HTML` would have it)."""

    def __init__(self, widget, help_text: str):
        self.widget, self.help, self._value = widget, help_text, ""
        self._draw()

    @property
    def value(self) -> str:
        return self._value

    @value.setter
    def value(self, text: str) -> None:
        if text != self._value:
            self._value = text
            self._draw()

    def _draw(self) -> None:
        line = f"<div class='rcm-help'>{html.escape(self.help)}</div>" if self.help else ""
        self.widget.value = line + self._value


def warning_html(text: str) -> str:
    return f"<div class='rcm-warning'>{html.escape(text)}</div>"


def error_html(text: str) -> str:
    return f"<div class='rcm-input-error'>{html.escape(text)}</div>"


def note_html(text: str) -> str:
    return f"<div class='rcm-note'>{html.escape(text)}</div>"


class ChartPainter:
    """Sends a panel's charts to the page as Vega-Lite specs; the browser draws them.

    Building the specs of a panel's charts takes some 30 ms (rendering them to SVG took
    200-400 ms), so it happens right after the figures, on the kernel's thread: there is
    no backlog to manage when a slider is dragged, and the page redraws only the charts
    whose spec changed (see :mod:`rcmmodel.app.vega`). ``benchmarks/bench_app.py`` times it.

    Parameters
    ----------
    build : callable(*args) -> list of altair charts
        One chart per name (None hides that chart).
    names, notes : list of str
        The charts' names (their ``<div>`` gets the class ``rcm-chart-NAME``) and,
        optionally, one line of plain words under each chart: what it shows.
    problems : ipywidgets.HTML
        Where a failure to build the charts is reported.
    """

    def __init__(self, build, names, problems, notes=()):
        self.build, self.names, self.problems = build, list(names), problems
        self.view = VegaCharts(self.names, notes=notes)
        self.view.add_class("rcm-chart-column")
        self.ms = 0.0                # the last request: building and sending the specs
        self._failed = ""            # the message of the last failure, while it shows

    @property
    def specs(self) -> dict:
        """The specs on the page, by chart name (None where a chart is hidden)."""
        return dict(zip(self.names, self.view.specs))

    def request(self, *args) -> None:
        """Build the charts for these inputs and send their specs to the page."""
        t0 = time.perf_counter()
        try:
            with quick_altair():
                specs = chart_specs(self.build(*args))
        except Exception as exc:     # a chart must never take the figures down with it
            self._failed = error_html(f"The charts could not be drawn: "
                                      f"{type(exc).__name__}: {exc}")
            self.problems.value = self._failed
            return
        if self._failed and self.problems.value == self._failed:   # drawn again: say so
            self.problems.value = ""
        self._failed = ""
        self.view.show(specs)
        self.ms = 1e3 * (time.perf_counter() - t0)

    def clear(self) -> None:
        self.view.clear()


@contextmanager
def holding(panel):
    """Suspend a panel's recomputing while several of its controls are set at once."""
    outer = panel._holding
    panel._holding = True
    try:
        yield
    finally:
        panel._holding = outer


class Panel:
    """What every panel shares: display as its widget, and a hold on recomputing while
    several controls are set at once (see :func:`holding`)."""

    _holding = False
    widget = None

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def _hold(self):
        return holding(self)

    def _show_problems(self, exc) -> None:
        """An input error as inline messages, never a traceback."""
        from .session import problems_text

        self.problems.value = "".join(error_html(t) for t in problems_text(exc))

