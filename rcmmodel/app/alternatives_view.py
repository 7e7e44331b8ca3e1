"""Fixing billing in-house instead, in the app (docs/methodology.md §6).

:class:`AlternativesEditor` is the "In-house improvement" entry on the Quotes step, next to
the quotes: the practice's ways to fix billing itself (``session.data['alternatives']``),
each with a name, what it costs a year and once, and the uplift it is expected to bring.
:class:`AlternativesSummary` shows on the Decision step what the library made of them: the
one sentence comparing the best with the quotes, each alternative's figures at its planning
uplift, and that they are compared on money alone. Words come from
:mod:`rcmmodel.present.alternatives_text`; figures from the session's evaluation and
decision, as every other surface.

Each step hooks one in with a line (``alternatives_editor(session)`` /
``alternatives_summary(session)`` return the widget to place).
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..present.alternatives_text import (ALTERNATIVE_HEADS, ALTERNATIVE_WORDS, IMPROVE_LABEL,
                                         MONEY_ALONE, alternative_row, comparison_sentence)
from .binding import Bound
from .controls import error_html, note_html
from .practice import grid, section

FIELDS = ("annual_cost", "one_time", "uplift")


class AlternativesEditor:
    """Pick, add, rename, edit and delete the scenario's in-house alternatives."""

    def __init__(self, session):
        self.session = session
        self.loading = False
        self.i: int | None = None
        kw = dict(layout=w.Layout(width="100%", max_width="460px"),
                  style={"description_width": "initial"})
        self.pick = w.Dropdown(description=IMPROVE_LABEL, **kw)
        self.pick.observe(self._on_pick, "value")
        self.add = w.Button(description="Add an in-house improvement", icon="plus",
                            layout=w.Layout(width="auto"))
        self.add.on_click(lambda _b: self.add_alternative())
        self.delete = w.Button(description="Delete this improvement", icon="trash",
                               layout=w.Layout(width="auto"))
        self.delete.on_click(lambda _b: self.delete_alternative())
        self.name = w.Text(description="What you would do", continuous_update=False, **kw)
        self.name.add_class("rcm-text")
        self.name.observe(self._on_rename, "value")
        ch = self._changed
        self.bound = {
            "annual_cost": Bound("annual_cost", ("annual_cost",), ch, unit="money",
                                 slider=None, words=ALTERNATIVE_WORDS["annual_cost"]),
            "one_time": Bound("one_time", ("one_time",), ch, unit="money", slider=None,
                              optional=True, words=ALTERNATIVE_WORDS["one_time"]),
            "uplift": Bound("uplift", ("uplift",), ch, unit="percent", scale=100, low=-99,
                            slider=(0, 20, 0.5), words=ALTERNATIVE_WORDS["uplift"]),
        }
        self.message = w.HTML("")
        self.form = w.VBox([grid([self.name, *(b.box for b in self.bound.values())])],
                           layout=w.Layout(width="100%"))
        self.widget = w.VBox([
            section(IMPROVE_LABEL, "Instead of a vendor: a way to fix billing yourselves (a "
                    "certified coder, a denial-management service, better software). "
                    + MONEY_ALONE),
            w.HBox([self.pick], layout=w.Layout(width="100%")),
            w.HBox([self.add, self.delete], layout=w.Layout(flex_flow="row wrap")),
            self.message, self.form], layout=w.Layout(width="100%"))
        self.widget.add_class("rcm-alternatives")
        session.listen(lambda s, reload: self.show() if reload else None)
        self.show()

    @property
    def items(self) -> list:
        return self.session.data.get("alternatives") or []

    def show(self) -> None:
        self.loading = True
        try:
            names = [a.get("name", "") for a in self.items]
            self.pick.options = names
            if self.i is None or self.i >= len(names):
                self.i = 0 if names else None
            has = self.i is not None
            self.pick.value = names[self.i] if has else None
            self.form.layout.display = "" if has else "none"
            self.pick.layout.display = "" if has else "none"
            self.delete.disabled = not has
            if has:
                self.name.value = names[self.i]
                for b in self.bound.values():
                    b.load(self.items[self.i])
        finally:
            self.loading = False

    def add_alternative(self) -> None:
        taken = {a.get("name", "").lower() for a in self.items}
        n = len(self.items) + 1
        while f"improvement {n}" in taken:
            n += 1
        self.session.data.setdefault("alternatives", []).append(
            {"name": f"Improvement {n}", "annual_cost": 0.0, "uplift": 0.0})
        self.i = len(self.items) - 1
        self.show()
        self.session.changed()

    def delete_alternative(self) -> None:
        if self.i is None:
            return
        del self.items[self.i]
        if not self.items:
            self.session.data.pop("alternatives", None)
        self.i = min(self.i, len(self.items) - 1) if self.items else None
        self.show()
        self.session.changed()

    def _on_pick(self, change) -> None:
        if not self.loading and change["new"] is not None:
            self.i = list(self.pick.options).index(change["new"])
            self.show()

    def _on_rename(self, change) -> None:
        if self.loading or self.i is None:
            return
        new = change["new"].strip()
        others = {a.get("name", "").lower() for j, a in enumerate(self.items) if j != self.i}
        if not new or new.lower() in others or len(new) > 200:
            self.message.value = error_html("Each in-house improvement needs its own name (at "
                                            "most 200 characters).")
            return
        self.message.value = ""
        self.items[self.i]["name"] = new
        self.show()
        self.session.changed()

    def _changed(self, bound) -> None:
        if self.loading or self.i is None:
            return
        if any(not b.field.valid for b in self.bound.values()):
            self.session.blocked = "Fix the entry marked in red."
            return
        for b in self.bound.values():
            b.store(self.items[self.i])
        self.session.changed()


class AlternativesSummary:
    """The Decision step's view of the alternatives ("" where there are none)."""

    def __init__(self, session):
        self.session = session
        self.widget = w.HTML("")
        self.widget.add_class("rcm-alternatives-summary")
        session.listen(lambda s, reload: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        r = self.session.result
        found = r.evaluation.alternatives if r is not None else []
        if not found:
            self.widget.value = ""
            return
        head = "".join(f"<th>{html.escape(h)}</th>" for h in ALTERNATIVE_HEADS)
        best = r.decision.alternative
        rows = "".join(
            f"<tr class='{'rcm-best' if a.name == best else ''}'>"
            + "".join(f"<td>{html.escape(c)}</td>" for c in alternative_row(a)) + "</tr>"
            for a in found)
        self.widget.value = (
            f"<h3 class='rcm-section'>{html.escape(IMPROVE_LABEL)}</h3>"
            f"<div class='rcm-alternative-sentence'><b>"
            f"{html.escape(comparison_sentence(r.decision))}</b></div>"
            f"<div class='rcm-scroll'><table class='rcm-table rcm-alternatives-table'>"
            f"<tr>{head}</tr>{rows}</table></div>{note_html(MONEY_ALONE)}")


def alternatives_editor(session) -> w.Widget:
    """The Quotes step's "In-house improvement" entry."""
    return AlternativesEditor(session).widget


def alternatives_summary(session) -> w.Widget:
    """The Decision step's figures of the in-house alternatives."""
    return AlternativesSummary(session).widget


__all__ = ["AlternativesEditor", "AlternativesSummary", "alternatives_editor",
           "alternatives_summary"]
