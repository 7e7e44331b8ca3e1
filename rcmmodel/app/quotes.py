"""Step 2, "Quotes": add, rename, edit and delete vendors' quotes.

Every pricing model and every fee of a quote has a field here; each edit is written to
the shared scenario at once, so moving to another quote and back keeps it. A quotes
template (CSV, the columns of :mod:`rcmmodel.scenario.quotes`) can be downloaded, filled
in a spreadsheet and uploaded.
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..errors import RcmInputError
from ..present.flags_text import disqualified_text
from ..pricing import PRICING_MODELS
from ..scenario.quotes import read_quotes
from . import session as ses
from .alternatives_view import alternatives_editor
from .controls import error_html, note_html
from .confirm import Confirm
from .practice import grid, section
from .quote_editor import QuoteEditor
from .quote_text import quotes_template, quotes_template_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
from .transfer import Download, Upload


class QuotesStep:
    """The list of quotes in ``session.data['vendors']``: pick, add, rename, delete, upload;
    the picked quote's form is a :class:`~rcmmodel.app.quote_editor.QuoteEditor`."""

    def __init__(self, session: ses.Session):
        self.session = session
        self.loading = False
        self.pick = w.Dropdown(description="Quote", style={"description_width": "initial"},
                               layout=w.Layout(width="100%", max_width="460px"))
        self.pick.observe(self._on_pick, "value")
        self.add = w.Button(description="Add a quote", icon="plus", layout=w.Layout(width="auto"))
        self.add.on_click(lambda _b: self.add_quote())
        self.delete = w.Button(description="Delete this quote", icon="trash",
                               layout=w.Layout(width="auto"))
        self.confirm = Confirm()
        self.delete.on_click(lambda _b: self.confirm.ask(
            f"Delete {self.session.selected}? Its terms are lost.", "Delete it",
            self.delete_quote))
        self.name = w.Text(description="Quote name", continuous_update=False,
                           style={"description_width": "initial"},
                           layout=w.Layout(width="100%", max_width="460px"))
        self.name.add_class("rcm-text")
        self.name.observe(self._on_rename, "value")
        self.editor = QuoteEditor(session)
        self.banner = w.HTML("")
        self.message = w.HTML("")
        self.template = Download(lambda: ("quotes-template.csv", quotes_template(), "text/csv"),
                                 label="Download quotes template (CSV)")
        self.template.add_class("rcm-download-template")
        self.template_xlsx = Download(lambda: ("quotes-template.xlsx", quotes_template_xlsx(),
                                               XLSX), label="Download quotes template (Excel)")
        self.template_xlsx.add_class("rcm-download-template-xlsx")
        self.upload = Upload(self._on_upload, label="Upload filled quotes (CSV or Excel)",
                             accept=".csv,.xlsx")
        self.upload.add_class("rcm-upload-quotes")
        self.form = w.VBox([section("This quote's terms", "The quote picked above: "
                                    "what you change here is kept."),
                            self.banner, grid([self.name]), self.editor.widget],
                           layout=w.Layout(width="100%"))
        self.costs = w.HTML("")
        self.costs.add_class("rcm-quote-costs")
        self.empty = w.HTML(note_html("No quotes yet: add one, or download the template, "
                                      "fill it in and upload it."))
        self.widget = w.VBox([
            section("Your quotes", "One quote per vendor. Everything you type is kept when "
                     "you move between quotes."),
            w.HBox([self.pick], layout=w.Layout(width="100%")),
            w.HBox([self.add, self.delete], layout=w.Layout(flex_flow="row wrap")),
            self.confirm.widget, self.costs,
            self.empty, self.message, self.form,
            section("From a spreadsheet", "Download the template, fill in one row per "
                     "quote, and upload it: its quotes join these."),
            w.HBox([self.template, self.template_xlsx], layout=w.Layout(flex_flow="row wrap")),
            self.upload,
        ], layout=w.Layout(width="100%"))
        self.widget.add_class("rcm-step-quotes")
        self.widget.children += (alternatives_editor(session),)    # fixing billing in-house
        session.listen(self._on_session)
        self.show()
        self._costs()

    # the editor's parts, by the names the step had before the editor was its own class
    bound = property(lambda self: self.editor.bound)
    model = property(lambda self: self.editor.model)
    answers = property(lambda self: self.editor.answers)

    # -- which quote ---------------------------------------------------------------------

    @property
    def vendors(self) -> list:
        return self.session.data.setdefault("vendors", [])

    def index(self) -> int | None:
        names = [v["name"] for v in self.vendors]
        return names.index(self.session.selected) if self.session.selected in names else None

    def show(self) -> None:
        """Show the selected quote's fields (after a pick, an add, a load)."""
        self.loading = True
        try:
            names = [v["name"] for v in self.vendors]
            self.pick.options = names
            i = self.index()
            if i is None and names:
                self.session.selected, i = names[0], 0
            self.pick.value = names[i] if i is not None else None
            has = i is not None
            self.form.layout.display = "" if has else "none"
            self.empty.layout.display = "none" if has else ""
            self.delete.disabled = not has
            if not has:
                self.editor.show(None)
                return
            self.name.value = self.vendors[i]["name"]
            self.editor.show(i)
            self._banner()
        finally:
            self.loading = False

    def _banner(self) -> None:
        r = self.session.result
        name = self.session.selected
        if r is not None and name and not r.decision.eligible(name):
            why = " ".join(disqualified_text(c) for c in r.decision.reasons(name))
            self.banner.value = (f"<div class='rcm-banner rcm-ineligible' role='alert'>"
                                 f"<b>{html.escape(name)} cannot be recommended.</b> "
                                 f"{html.escape(why)}</div>")
        else:
            self.banner.value = ""

    # -- editing -------------------------------------------------------------------------

    def add_quote(self) -> None:
        names = {v["name"].lower() for v in self.vendors}
        n = len(self.vendors) + 1
        while f"quote {n}" in names:
            n += 1
        first = next(iter(PRICING_MODELS.values()))
        pricing = {"model": first.key, **{f.name: f.example for f in first.fields if f.required}}
        self.vendors.append({"name": f"Quote {n}", "pricing": pricing, "uplift": 0.0})
        self.session.selected = f"Quote {n}"
        self.show()
        self.session.changed()

    def delete_quote(self) -> None:
        i = self.index()
        if i is None:
            return
        del self.vendors[i]
        self.session.selected = self.vendors[min(i, len(self.vendors) - 1)]["name"] \
            if self.vendors else None
        self.show()
        self.session.changed()

    def _on_pick(self, change) -> None:
        if not self.loading and change["new"] is not None:
            self.session.selected = change["new"]
            self.show()
            self.session.changed()

    def _on_rename(self, change) -> None:
        if self.loading:
            return
        i = self.index()
        new = change["new"].strip()
        others = {v["name"].lower() for j, v in enumerate(self.vendors) if j != i}
        if not new or new.lower() in others or len(new) > 200:
            self.message.value = error_html("Each quote needs its own name (at most 200 "
                                            "characters).")
            return
        self.message.value = ""
        self.vendors[i]["name"] = new
        self.session.entries.rename(self.session.selected, new)
        self.session.selected = new
        self.show()
        self.session.changed()

    # -- from elsewhere ------------------------------------------------------------------

    def _on_session(self, session, reload) -> None:
        if reload:
            self.show()
        else:
            self._banner()
        self._costs()

    def _costs(self) -> None:
        from .costs import cost_cards, inhouse_html

        s = self.session
        if not self.vendors:
            self.costs.value = ""
            return
        self.costs.value = (
            "<h3 class='rcm-section'>What each quote costs you</h3>" + cost_cards(s)
            + (inhouse_html(s.result) if s.result is not None else ""))

    def _on_upload(self, items) -> str:
        (name, path), = items[:1]
        try:
            quotes = read_quotes(path,                # volumes are checked with the practice
                                 taken=[v["name"] for v in self.vendors])
        except RcmInputError as exc:
            text = "; ".join(str(p).replace(str(path), name) for p in exc.problems)
            return "This sheet cannot be used: " + text
        for q in quotes:
            self.vendors.append(ses.as_file_values(q.model_dump(exclude_defaults=True,
                                                        exclude_none=True)))
        if quotes:
            self.session.selected = quotes[0].name
        self.show()
        self.session.changed()
        return f"Added {len(quotes)} quote{'s' if len(quotes) != 1 else ''} from {name}."


__all__ = ["QuotesStep"]
