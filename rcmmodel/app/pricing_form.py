"""The pricing part of every quote form, built from the pricing registry.

A form shows, for the pricing model picked, one field per field of that model: a number
box for a rate (in percent) or an amount, a dropdown for a choice, a text box for bands.
Nothing here names a model: a model registered in :mod:`rcmmodel.pricing` gets its fields
in every form (docs/architecture.md, "Adding a pricing model").
"""
from __future__ import annotations

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


__all__ = ["number_kw", "numeric_fields", "scale", "start_value", "template_rows",
           "template_value"]
