"""One quote's form: pricing, fees, uplift (with its range), SLA, contract, due diligence.

The same editor edits a quote in the owner's app (step 2, "Quotes"), in the quote
comparison and in the calculator: each shows the sections it needs. It writes to the
quote at ``session.data['vendors'][i]`` the way a scenario file holds it, and calls
``session.changed()``. A place holding a range (``{dist: ...}``) keeps it until a
figure is typed there (see :class:`~rcmmodel.app.binding.Bound`). The pricing fields come
from the pricing registry (:mod:`rcmmodel.app.pricing_form`).
"""
from __future__ import annotations

import html

import ipywidgets as w

from ..present.labels import APP_FIELDS
from ..pricing import PRICING_MODELS, price_fields
from . import session as ses
from .binding import Bound, get_in, set_in
from .controls import FieldError, error_html, note_html
from .practice import grid, section
from .pricing_form import number_kw, numeric_fields, scale, start_value
from .quote_text import parse_extras, parse_tiers, tiers_text
from ..scenario.quotes import PROFILE as QUOTE_PROFILE

# Every due-diligence answer of the schema (the quotes sheet's columns), the BAA first.
PROFILE = ("baa_offered",) + tuple(k for k in QUOTE_PROFILE if k != "baa_offered")
ANSWERS = [("Not said", "not said"), ("Yes", "yes"), ("No", "no")]
ANSWER_VALUE = {"not said": None, "yes": True, "no": False}
ANSWER_KEY = {v: k for k, v in ANSWER_VALUE.items()}
SECTIONS = ("pricing", "fees", "uplift", "sla", "contract", "diligence")
UPLIFT = ("uplift", "uplift_low", "uplift_high")
STORED = {"fees": ("setup", "monthly_minimum", "per_statement", "per_provider_monthly",
                   "credentialing_per_provider"),
          "sla": ("sla_days_in_ar", "sla_clean_claim_rate", "sla_net_collection_rate",
                  "sla_denial_rate"),
          "contract": ("term_months", "termination_fee", "notice_days")}


def _with_line(dropdown, key: str):
    """A yes/no question with its plain line under it."""
    return w.VBox([dropdown, w.HTML(f"<div class='rcm-help'>{html.escape(APP_FIELDS[key][1])}"
                                    "</div>")])


def _quote_fields(ch) -> dict:
    """The number fields of a quote besides its pricing: fees, uplift, SLA, contract."""
    pct = dict(unit="percent", scale=100)
    return {
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
        # "0.05" reads as 0.05%: questioned like a fee rate typed as a fraction
        "uplift": Bound("uplift", ("uplift",), ch, low=-99, slider=(-10, 30, 0.5),
                        expect=(2, 30), **pct),
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


class QuoteEditor:
    """The form of the quote ``session.data['vendors'][i]`` (:meth:`show` picks ``i``).

    Parameters
    ----------
    session : Session
        Holds the scenario mapping; ``session.changed()`` follows each valid edit.
    sections : tuple
        Which of :data:`SECTIONS` to show (and write); the rest of the quote is left as is.
    on_invalid : callable, optional
        Called instead when a field holds something that is not a valid figure; by
        default the session is marked blocked.
    """

    def __init__(self, session: ses.Session, *, sections=SECTIONS, on_invalid=None):
        self.session = session
        self.sections = tuple(sections)
        self.i: int | None = None
        self.loading = False
        self._uplift_edited = self._extras_edited = False
        self.on_invalid = on_invalid or self._blocked
        ch = self._changed
        self.priced = {k: Bound(k, ("pricing", k), ch, scale=scale(f), words=(f.label, f.help),
                                **{a: v for a, v in number_kw(f).items() if a != "help"})
                       for k, f in numeric_fields().items()}
        self.bound = {**self.priced, **_quote_fields(ch)}
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
        self.renewal = w.Dropdown(description=APP_FIELDS["auto_renewal"][0], options=ANSWERS,
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="100%", max_width="460px"))
        for d in [*self.answers.values(), self.renewal]:
            d.observe(lambda c: self._changed(None), "value")
        b = self.bound
        self.by_model = {**{k: x.box for k, x in self.priced.items()}, **self.choices,
                         **{k: t[1] for k, t in self.bands.items()}}
        sec = self.sections
        parts = []
        if "pricing" in sec:
            parts.append(grid([self.model, *self.by_model.values()]))
        if "fees" in sec:
            parts += [section("Other fees"),
                      grid([*[b[k].box for k in STORED["fees"]], self.extras[1]])]
        if "uplift" in sec:
            parts += [section("What the vendor adds",
                               "The uplift is the biggest assumption: give a lowest and "
                               "highest too, and the decision shows how likely outsourcing "
                               "pays."),
                      grid([b[k].box for k in UPLIFT])]
        if "sla" in sec:
            parts += [section("What the vendor promises (SLA)"),
                      grid([b[k].box for k in STORED["sla"]])]
        if "contract" in sec:
            parts += [section("Contract"), grid([*[b[k].box for k in STORED["contract"]],
                                                 _with_line(self.renewal, "auto_renewal")])]
        if "diligence" in sec:
            parts += [section("Due diligence"),
                      grid([_with_line(d, k) for k, d in self.answers.items()])]
        self.widget = w.VBox(parts, layout=w.Layout(width="100%"))
        self.widget.add_class("rcm-quote-editor")

    @property
    def fields(self) -> dict:
        """The number fields by key (``fields["rate"]``, ``fields["uplift"]``...)."""
        return {k: b.field for k, b in self.bound.items()}

    @property
    def valid(self) -> bool:
        return all(b.field.valid for b in self.bound.values())

    def _blocked(self, texts=None) -> None:
        """Her entry cannot be used: this quote's figures and the decision go blank,
        saying why (:mod:`rcmmodel.app.stale`), until it is fixed."""
        entries, key = self.session.entries, f"quote:{id(self)}:"
        entries.clear_prefix(key)
        name = self.name
        texts = texts or [b.field.error for b in self.bound.values() if not b.field.valid]
        for n, text in enumerate(texts):
            entries.mark(f"{key}{n}", text, vendor=name)
        self.session.changed()

    @property
    def name(self) -> str | None:
        vendors = self.session.data.get("vendors") or []
        return vendors[self.i].get("name") if self.i is not None and self.i < len(vendors) \
            else None

    def on_change(self) -> None:
        self.session.changed()

    def _text(self, key, words=None):
        label, line = words or APP_FIELDS[key]
        t = w.Text(description=label, continuous_update=False,
                   style={"description_width": "initial"},
                   layout=w.Layout(width="100%", max_width="460px"))
        t.add_class("rcm-text")
        msg = w.HTML("")
        t.observe(lambda c: self._on_text(key), "value")
        box = w.VBox([t, w.HTML(f"<div class='rcm-help'>{html.escape(line)}</div>"), msg])
        box.add_class("rcm-field")
        return t, box, msg

    # -- which quote ---------------------------------------------------------------------

    def show(self, i: int | None) -> None:
        """Show quote ``i``'s figures (None: no quote)."""
        self.i = i
        self._uplift_edited = self._extras_edited = False
        self.session.entries.clear_prefix(f"quote:{id(self)}:")   # the stored figures again
        if i is None:
            return
        self.loading = True
        try:
            v = self.session.data["vendors"][i]
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
            for k, f in numeric_fields().items():     # a model's box not quoted: its example
                if k not in p and start_value(f) is not None:
                    self.priced[k].field.set_quietly(start_value(f))
            self._load_uplift(v)
            for k, d in self.answers.items():
                d.value = ANSWER_KEY[(v.get("profile") or {}).get(k)]
            self.renewal.value = ANSWER_KEY[(v.get("contract") or {}).get("auto_renewal")]
            self._show_model()
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

    # -- editing -------------------------------------------------------------------------

    def _on_text(self, key) -> None:
        if key == "other_annual" and not self.loading:
            self._extras_edited = True
        self._changed(None)

    def _on_model(self, change) -> None:
        if not self.loading:
            self._show_model()
            self._changed(None)

    def _changed(self, bound) -> None:
        if self.loading:
            return
        i = self.i
        if i is None:
            return
        if bound is not None and bound.key in UPLIFT:
            self._uplift_edited = True
        if any(not b.field.valid for b in self.bound.values()):
            self.on_invalid()
            return
        v = self.session.data["vendors"][i]
        shown = self.sections
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
                    if self.on_invalid == self._blocked:
                        self._blocked([f"{f.label}: {exc}"])
                    return
        extras = None
        try:
            if self._extras_edited:
                extras = parse_extras(self.extras[0].value)
            self.extras[2].value = ""
        except FieldError as exc:
            self.extras[2].value = error_html(f"Other yearly fees: {exc}")
            if self.on_invalid == self._blocked:
                self._blocked([f"Other yearly fees: {exc}"])
            return
        self.session.entries.clear_prefix(f"quote:{id(self)}:")
        if "pricing" in shown:
            v["pricing"] = pricing
        for part, keys in STORED.items():
            if part in shown:
                for key in keys:
                    b[key].store(v)
        if "fees" in shown and self._extras_edited:
            set_in(v, ("fees", "other_annual"), extras or None)
        if "uplift" in shown and self._uplift_edited:
            v["uplift"] = self._uplift(v.get("uplift"))
        if "contract" in shown:
            set_in(v, ("contract", "auto_renewal"), ANSWER_VALUE[self.renewal.value])
        if "diligence" in shown:
            for k, d in self.answers.items():
                set_in(v, ("profile", k), ANSWER_VALUE[d.value])
        self.on_change()

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


__all__ = ["QuoteEditor", "SECTIONS"]
