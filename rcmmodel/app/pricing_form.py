"""The pricing part of every quote form, built from the pricing registry.

A form shows, for the pricing model picked, one field per field of that model: a number
box for a rate (in percent) or an amount, a dropdown for a choice, a text box for bands.
Nothing here names a model: a model registered in :mod:`rcmmodel.pricing` gets its fields
in every form (docs/architecture.md, "Adding a pricing model").
"""
from __future__ import annotations

import copy

from ..pricing import PRICING_MODELS, PriceField, price_fields


def numeric_fields() -> dict[str, PriceField]:
    """The number fields of every registered model (a form keeps one box for each)."""
    return {name: f for name, f in price_fields().items() if f.numeric}


def scale(f: PriceField) -> float:
    """Form units per stored unit: a rate is typed in percent."""
    return 100.0 if f.kind == "rate" else 1.0


def number_kw(f: PriceField) -> dict:
    """The :class:`~rcmmodel.app.controls.NumberField` settings of a number field."""
    kw = dict(unit="percent" if f.kind == "rate" else "money", slider=f.slider,
              digits=f.digits, expect=f.expect, help=f.help)
    if f.kind == "rate":
        kw["high"] = 100
    return kw


def start_value(f: PriceField) -> float | None:
    """What a new quote's box shows, in form units."""
    return None if f.example is None else float(f.example) * scale(f)


def editable(model: str) -> bool:
    """Whether a form of number boxes (and the quote's own choices) can edit the model."""
    return all(f.numeric or f.kind == "choice" for f in PRICING_MODELS[model].fields)


def pricing_options(quoted: dict) -> list[tuple[str, str]]:
    """The pricing models a quote may be switched to in a number form, as (label, key).

    Models such a form can edit are always offered; one it cannot (bands) only when quoted.
    """
    out = []
    for key, spec in PRICING_MODELS.items():
        ok = editable(key)
        if ok or quoted.get("model") == key:
            label = spec.label if ok else f"{spec.label} (as quoted)"
            for f in spec.fields:
                if f.kind == "choice" and key == quoted.get("model") and quoted.get(f.name):
                    words = dict(f.choices)
                    label = label.replace(words.get(f.default, "").lower(),
                                          words.get(quoted[f.name], "").lower())
            out.append((label, key))
    return out


def form_pricing(model: str, values: dict, quoted: dict) -> dict:
    """The ``pricing:`` mapping a number form describes: its boxes (``values`` in form units)
    for a model the form edits, else the quote as it stands; choices are kept as quoted."""
    spec = PRICING_MODELS[model]
    if not editable(model):
        return copy.deepcopy(quoted)
    pricing = {"model": model}
    for f in spec.fields:
        if f.numeric:
            pricing[f.name] = values[f.name] / scale(f)
        elif f.kind == "choice" and quoted.get(f.name) not in (None, f.default):
            pricing[f.name] = quoted[f.name]
    return pricing


def show_pricing_fields(fields: dict, model: str) -> None:
    """Show the number boxes of a pricing model, hide the rest."""
    names = PRICING_MODELS[model].names
    for key in numeric_fields():
        fields[key].show(key in names)


def template_value(f: PriceField, value) -> str:
    """A pricing value as a quotes sheet cell."""
    if f.kind == "rate":
        return f"{value * 100:g}%"
    if f.kind == "tiers":
        return ";".join(f"{t.get('up_to', '') or ''}:{t['rate']}" for t in value)
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def template_rows() -> list[dict]:
    """One example row a registered pricing model, for the quotes sheet template."""
    rows = []
    for k, (key, spec) in enumerate(PRICING_MODELS.items()):
        row = {"name": f"Example quote {k + 1} ({spec.label.lower()})", "pricing_model": key,
               "uplift": "0.10", "baa_offered": "yes"}
        for f in spec.fields:
            if f.required or f.kind != "choice":
                row[f.name] = template_value(f, f.example)
        if k == 0:
            row.update({"setup": "500", "sla_days_in_ar": "30",
                        "sla_net_collection_rate": "0.96", "term_months": "12",
                        "notice_days": "90"})
        rows.append(row)
    return rows


__all__ = ["editable", "form_pricing", "number_kw", "numeric_fields", "pricing_options",
           "scale", "show_pricing_fields", "start_value", "template_rows", "template_value"]
