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
from ..present.labels import APP_FIELDS
from ..pricing import PRICING_MODELS, price_fields
from ..scenario.quotes import read_quotes
from . import session as ses
from .binding import Bound, get_in, set_in
from .quote_text import parse_extras, parse_tiers, quotes_template, tiers_text
from .controls import FieldError, error_html, note_html
from .practice import _grid, _section
from .pricing_form import number_kw, numeric_fields, scale
from .transfer import Download, Upload
PROFILE = ("baa_offered", "specialty_experience", "certified_coders", "realtime_dashboard",
           "data_export_on_exit")
ANSWERS = [("Not said", "not said"), ("Yes", "yes"), ("No", "no")]
ANSWER_VALUE = {"not said": None, "yes": True, "no": False}
ANSWER_KEY = {v: k for k, v in ANSWER_VALUE.items()}


class QuotesStep:
    """The quote editor over ``session.data['vendors']``."""

    def __init__(self, session: ses.Session):
        self.session = session
        self.loading = False
        ch = self._changed
        pct = dict(unit="percent", scale=100)
        # the form follows the pricing registry: a box for every number field of every model
        self.priced = {k: Bound(k, ("pricing", k), ch, scale=scale(f), words=(f.label, f.help),
                                **{a: v for a, v in number_kw(f).items() if a != "help"})
                       for k, f in numeric_fields().items()}
        self.bound = {
            **self.priced,
            "setup": Bound("setup", ("fees", "setup"), ch, unit="money", slider=None,
                           optional=True),
            "monthly_minimum": Bound("monthly_minimum", ("fees", "monthly_minimum"), ch,
                                     unit="money", slider=None, optional=True),
            "per_statement": Bound("per_statement", ("fees", "per_statement"), ch,
                                   unit="money", digits=2, slider=None, optional=True),
            "per_provider_monthly": Bound("per_provider_monthly",
                                          ("fees", "per_provider_monthly"), ch, unit="money",
                                          slider=None, optional=True),
            "credentialing_per_provider": Bound("credentialing_per_provider",
                                                ("fees", "credentialing_per_provider"), ch,
                                                unit="money", slider=None, optional=True),
            "uplift": Bound("uplift", ("uplift",), ch, low=-99, slider=(-10, 30, 0.5), **pct),
            "uplift_low": Bound("uplift_low", ("_low",), ch, low=-99, slider=None,
                                optional=True, **pct),
            "uplift_high": Bound("uplift_high", ("_high",), ch, low=-99, slider=None,
                                 optional=True, **pct),
            "sla_days_in_ar": Bound("sla_days_in_ar", ("sla", "days_in_ar"), ch, slider=None,
                                    optional=True),
            "sla_clean_claim_rate": Bound("sla_clean_claim_rate", ("sla", "clean_claim_rate"),
                                          ch, high=100, expect=(50, 100), slider=None,
                                          optional=True, **pct),
            "sla_net_collection_rate": Bound("sla_net_collection_rate",
                                             ("sla", "net_collection_rate"), ch, high=150,
                                             expect=(50, 100), slider=None, optional=True,
                                             **pct),
            "sla_denial_rate": Bound("sla_denial_rate", ("sla", "denial_rate"), ch, high=100,
                                     expect=(1, 50), slider=None, optional=True, **pct),
            "term_months": Bound("term_months", ("contract", "term_months"), ch, low=1,
                                 integer=True, slider=None, optional=True),
            "termination_fee": Bound("termination_fee", ("contract", "termination_fee"), ch,
                                     unit="money", slider=None, optional=True),
            "notice_days": Bound("notice_days", ("contract", "notice_days"), ch, integer=True,
                                 slider=None, optional=True),
        }
        self.pick = w.Dropdown(description="Quote", style={"description_width": "initial"},
                               layout=w.Layout(width="100%", max_width="460px"))
        self.pick.observe(self._on_pick, "value")
        self.add = w.Button(description="Add a quote", icon="plus", layout=w.Layout(width="auto"))
        self.add.on_click(lambda _b: self.add_quote())
        self.delete = w.Button(description="Delete this quote", icon="trash",
                               layout=w.Layout(width="auto"))
        self.delete.on_click(lambda _b: self.delete_quote())
        self.name = w.Text(description="Quote name", continuous_update=False,
                           style={"description_width": "initial"},
                           layout=w.Layout(width="100%", max_width="460px"))
        self.name.add_class("rcm-text")
        self.name.observe(self._on_rename, "value")
        self.model = w.Dropdown(description="Pricing",
                                options=[(m.label, k) for k, m in PRICING_MODELS.items()],
                                style={"description_width": "initial"},
                                layout=w.Layout(width="100%", max_width="460px"))
        self.model.observe(self._on_model, "value")
        self.choices = {k: w.Dropdown(description=f.label,
                                      options=[(label, v) for v, label in f.choices],
                                      style={"description_width": "initial"})
                        for k, f in price_fields().items() if f.kind == "choice"}
        for d in self.choices.values():
            d.observe(lambda c: self._changed(None), "value")
        self.bands = {k: self._text(k, (f.label, f.help + " Type them as 'up to: rate', "
                                        "e.g. '250,000: 6%; above: 4%'."))
                      for k, f in price_fields().items() if f.kind == "tiers"}
        self.extras = self._text("other_annual")
        self.answers = {k: w.Dropdown(description=APP_FIELDS[k][0], options=ANSWERS,
                                      style={"description_width": "initial"},
                                      layout=w.Layout(width="100%", max_width="460px"))
                        for k in PROFILE}
        for d in self.answers.values():
            d.observe(lambda c: self._changed(None), "value")
        self.banner = w.HTML("")
        self.message = w.HTML("")
        self.template = Download(lambda: ("quotes-template.csv", quotes_template(), "text/csv"),
                                 label="Download quotes template")
        self.template.add_class("rcm-download-template")
        self.upload = Upload(self._on_upload, label="Upload filled quotes (CSV or Excel)",
                             accept=".csv,.xlsx")
        self.upload.add_class("rcm-upload-quotes")
        b = self.bound
        self.by_model = {**{k: x.box for k, x in self.priced.items()}, **self.choices,
                         **{k: t[1] for k, t in self.bands.items()}}
        grid = lambda *children: _grid(list(children))
        self.form = w.VBox([
            self.banner,
            grid(self.name, self.model, *self.by_model.values()),
            _section("Other fees"),
            grid(*[b[k].box for k in ("setup", "monthly_minimum", "per_statement",
                                      "per_provider_monthly", "credentialing_per_provider")],
                 self.extras[1]),
            _section("What the vendor adds",
                     "The uplift is the biggest assumption: give a lowest and highest too, "
                     "and the decision shows how likely outsourcing pays."),
            grid(b["uplift"].box, b["uplift_low"].box, b["uplift_high"].box),
            _section("What the vendor promises (SLA)"),
            grid(*[b[k].box for k in ("sla_days_in_ar", "sla_clean_claim_rate",
                                      "sla_net_collection_rate", "sla_denial_rate")]),
            _section("Contract"),
            grid(*[b[k].box for k in ("term_months", "termination_fee", "notice_days")]),
            _section("Due diligence"),
            grid(*[w.VBox([d, w.HTML(f"<div class='rcm-help'>{html.escape(APP_FIELDS[k][1])}"
                                     "</div>")]) for k, d in self.answers.items()]),
        ], layout=w.Layout(width="100%"))
        self.empty = w.HTML(note_html("No quotes yet: add one, or download the template, "
                                      "fill it in and upload it."))
        self.widget = w.VBox([
            _section("Your quotes", "One quote per vendor. Everything you type is kept when "
                     "you move between quotes."),
            w.HBox([self.pick], layout=w.Layout(width="100%")),
            w.HBox([self.add, self.delete], layout=w.Layout(flex_flow="row wrap")),
            self.empty, self.message, self.form,
            _section("From a spreadsheet", "Download the template, fill in one row per "
                     "quote, and upload it: its quotes join these."),
            self.template, self.upload,
        ], layout=w.Layout(width="100%"))
        self.widget.add_class("rcm-step-quotes")
        session.listen(self._on_session)
        self.show()

    def _text(self, key, words=None):
        label, line = words or APP_FIELDS[key]
        t = w.Text(description=label, continuous_update=False,
                   style={"description_width": "initial"},
                   layout=w.Layout(width="100%", max_width="460px"))
        t.add_class("rcm-text")
        msg = w.HTML("")
        t.observe(lambda c: self._changed(None), "value")
        box = w.VBox([t, w.HTML(f"<div class='rcm-help'>{html.escape(line)}</div>"), msg])
        box.add_class("rcm-field")
        return t, box, msg

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
                return
            v = self.vendors[i]
            self.name.value = v["name"]
            p = v.get("pricing", {})
            self.model.value = p.get("model", next(iter(PRICING_MODELS)))
            for k, d in self.choices.items():
                d.value = p.get(k, price_fields()[k].default)
            for k, t in self.bands.items():
                t[0].value = tiers_text(p.get(k))
            self.extras[0].value = "; ".join(f"{k}={ses.central(a):g}" for k, a in
                                             (v.get("fees", {}).get("other_annual") or {}).items())
            for b in self.bound.values():
                b.load(v)
            self._load_uplift(v)
            for k, d in self.answers.items():
                d.value = ANSWER_KEY[(v.get("profile") or {}).get(k)]
            self._show_model()
            self._banner()
        finally:
            self.loading = False

    def _load_uplift(self, v) -> None:
        u = v.get("uplift")
        b = self.bound
        if isinstance(u, dict) and u.get("dist") in ("triangular", "pert", "uniform"):
            mode = ses.central(u)
            b["uplift"].field.set_quietly(mode * 100)
            b["uplift_low"].field.set_quietly(u["low"] * 100)
            b["uplift_high"].field.set_quietly(u["high"] * 100)
        else:
            b["uplift_low"].field.set_quietly(None)
            b["uplift_high"].field.set_quietly(None)
        if u is None:
            b["uplift"].field.set_quietly(0.0)

    def _show_model(self) -> None:
        wanted = PRICING_MODELS[self.model.value].names
        for key, box in self.by_model.items():
            box.layout.display = "" if key in wanted else "none"

    def _banner(self) -> None:
        r = self.session.result
        name = self.session.selected
        if r is not None and name and not r.decision.eligible(name):
            why = " ".join(r.decision.reasons(name))
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
        self.session.selected = new
        self.show()
        self.session.changed()

    def _on_model(self, change) -> None:
        if not self.loading:
            self._show_model()
            self._changed(None)

    def _changed(self, bound) -> None:
        if self.loading:
            return
        i = self.index()
        if i is None:
            return
        if any(not b.field.valid for b in self.bound.values()):
            self.session.blocked = "Fix the entry marked in red."
            return
        v = self.vendors[i]
        model = self.model.value
        pricing = {"model": model}
        b = self.bound
        for f in PRICING_MODELS[model].fields:
            key = f.name
            if key in self.priced and b[key].note:
                pricing[key] = get_in(v, ("pricing", key))      # a range, untouched
            elif key in self.priced:
                scratch = {}
                b[key].store(scratch)
                value = get_in(scratch, ("pricing", key))
                pricing[key] = value if value is not None else 0.0
            elif key in self.choices and self.choices[key].value != f.default:
                pricing[key] = self.choices[key].value
            elif key in self.bands:
                text, _box, msg = self.bands[key]
                try:
                    pricing[key] = parse_tiers(text.value)
                    msg.value = ""
                except FieldError as exc:
                    msg.value = error_html(f"{f.label}: {exc}")
                    return
        try:
            extras = parse_extras(self.extras[0].value)
            self.extras[2].value = ""
        except FieldError as exc:
            self.extras[2].value = error_html(f"Other yearly fees: {exc}")
            return
        v["pricing"] = pricing
        for key in ("setup", "monthly_minimum", "per_statement", "per_provider_monthly",
                    "credentialing_per_provider", "sla_days_in_ar", "sla_clean_claim_rate",
                    "sla_net_collection_rate", "sla_denial_rate", "term_months",
                    "termination_fee", "notice_days"):
            b[key].store(v)
        set_in(v, ("fees", "other_annual"), extras or None)
        v["uplift"] = self._uplift(v.get("uplift"))
        for k, d in self.answers.items():
            set_in(v, ("profile", k), ANSWER_VALUE[d.value])
        self.session.changed()

    def _uplift(self, old):
        b = self.bound
        mode, low, high = (b[k].field.value for k in ("uplift", "uplift_low", "uplift_high"))
        mode = 0.0 if mode is None else mode
        if low is None or high is None:
            b["uplift_high"].field.message.value = (
                note_html("Give both a lowest and a highest for a range.")
                if (low is None) != (high is None) else "")
            return round(mode / 100, 10)
        if not low <= mode <= high:
            b["uplift_high"].field.message.value = error_html(
                "The lowest, most likely and highest uplift must be in that order.")
            return old
        b["uplift_high"].field.message.value = ""
        kind = old.get("dist") if isinstance(old, dict) and old.get("dist") == "pert" \
            else "triangular"
        return {"dist": kind, "low": round(low / 100, 10), "mode": round(mode / 100, 10),
                "high": round(high / 100, 10)}

    # -- from elsewhere ------------------------------------------------------------------

    def _on_session(self, session, reload) -> None:
        if reload:
            self.show()
        else:
            self._banner()

    def _on_upload(self, items) -> str:
        (name, path), = items[:1]
        try:
            quotes = read_quotes(path,                # volumes are checked with the practice
                                 taken=[v["name"] for v in self.vendors])
        except RcmInputError as exc:
            text = "; ".join(str(p).replace(str(path), name) for p in exc.problems)
            return "This sheet cannot be used: " + text
        for q in quotes:
            self.vendors.append(ses._plain(q.model_dump(exclude_defaults=True,
                                                        exclude_none=True)))
        if quotes:
            self.session.selected = quotes[0].name
        self.show()
        self.session.changed()
        return f"Added {len(quotes)} quote{'s' if len(quotes) != 1 else ''} from {name}."


__all__ = ["QuotesStep"]
