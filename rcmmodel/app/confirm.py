"""Ask before discarding her work: an inline question with a button that does it and one
that does not ("Start empty", an example, "Delete this quote")."""
from __future__ import annotations

import html
from typing import Callable

import ipywidgets as w


class Confirm:
    """``ask(question, yes_label, action)`` shows the question; ``action()`` runs only on
    its button, and "Keep my work" puts everything back as it was (``on_cancel``)."""

    def __init__(self):
        self.text = w.HTML("")
        self.yes = w.Button(description="Yes", button_style="danger",
                            layout=w.Layout(width="auto"))
        self.no = w.Button(description="Keep my work", layout=w.Layout(width="auto"))
        self.widget = w.VBox([self.text, w.HBox([self.yes, self.no],
                                                layout=w.Layout(flex_flow="row wrap"))],
                             layout=w.Layout(display="none", width="100%"))
        self.widget.add_class("rcm-confirm")
        self._action: Callable | None = None
        self._cancel: Callable | None = None
        self.yes.on_click(lambda _b: self._answer(True))
        self.no.on_click(lambda _b: self._answer(False))

    @property
    def asking(self) -> bool:
        return self._action is not None

    def ask(self, question: str, yes_label: str, action: Callable,
            on_cancel: Callable | None = None) -> None:
        self.text.value = (f"<div class='rcm-banner rcm-warnings' role='alertdialog'>"
                           f"{html.escape(question)}</div>")
        self.yes.description = yes_label
        self._action, self._cancel = action, on_cancel
        self.widget.layout.display = ""

    def _answer(self, yes: bool) -> None:
        action, cancel = self._action, self._cancel
        self._action = self._cancel = None
        self.widget.layout.display = "none"
        if yes and action is not None:
            action()
        elif not yes and cancel is not None:
            cancel()


__all__ = ["Confirm"]
