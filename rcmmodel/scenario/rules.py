"""Rules across the fields of a scenario, checked on the raw mapping (before pydantic) so
that they run even where some field is wrong, and every problem of a file comes in one pass.

Each function returns ``(path, message)`` pairs, the path relative to the mapping it was
given. :mod:`.schema` re-exports them; :mod:`.load` and :mod:`.quotes` call them.
"""
from __future__ import annotations

import unicodedata
from types import SimpleNamespace

from ..describe import shown
from ..pricing import PRICING_MODELS, price_fields


def _given(value) -> bool:
    """Whether a practice volume is there: a positive number, or a distribution."""
    if value is None:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value > 0
    central = getattr(value, "central", None)       # a validated Dist
    if central is not None:
        return central > 0
    return True         # a distribution, or a wrong value (which has its own message)


def _stated(volume) -> bool:
    """Whether a practice volume is stated: any value but absent or null. A stated 0 (no
    patient statements, say) is a fact and prices its fee at $0 (docs/methodology.md §9)."""
    return volume is not None


def _key_in(value, table) -> bool:
    return isinstance(value, str) and value in table        # a list is no key, and unhashable


def pricing_problems(pricing) -> list[tuple[str, str]]:
    """The fields a pricing model needs and does not use, and the model's own rules (from
    the registry, :mod:`rcmmodel.pricing`)."""
    if not isinstance(pricing, dict) or not _key_in(pricing.get("model"), PRICING_MODELS):
        return []
    model = pricing["model"]
    spec = PRICING_MODELS[model]
    out = [(name, f"required for {model} pricing") for name in spec.required
           if pricing.get(name) is None]
    out += [(name, f"not used by {model} pricing") for name in price_fields()
            if name in pricing and name not in spec.names]
    return out + spec.problems(pricing)


def _choices_known(spec, pricing) -> bool:
    """Whether the quote's choice fields hold known values (else they have their own
    message, and the figure a choice needs cannot be told)."""
    return all(_key_in(pricing.get(f.name, f.default), dict(f.choices))
               for f in spec.fields if f.kind == "choice")


# Fees (not pricing models) charged per unit of a practice volume: the fee, and the volume.
FEE_VOLUMES = {"per_statement": "patient_statements_per_month"}


def vendor_problems(vendor, practice=None) -> list[tuple[str, str]]:
    """A quote's pricing rules, and the practice volumes its price multiplies.

    ``practice`` maps volume names to the values stated (raw, or the fields a validated
    :class:`Practice` was given); a missing volume must not price a quote at $0, while a
    stated 0 is a fact and does (docs/methodology.md §9). The
    volume each pricing model needs comes from the registry (:meth:`PricingModel.need`).
    None: volumes unknown yet (a quotes sheet read on its own), not checked.
    """
    if not isinstance(vendor, dict):
        return []
    pricing = vendor.get("pricing")
    out = [(f"pricing.{where}", msg) for where, msg in pricing_problems(pricing)]
    if practice is None:
        return out
    pricing = pricing if isinstance(pricing, dict) else {}
    spec = PRICING_MODELS.get(pricing.get("model")) if _key_in(
        pricing.get("model"), PRICING_MODELS) else None
    if spec is not None and _choices_known(spec, pricing):
        need = spec.need(SimpleNamespace(**{f.name: pricing.get(f.name, f.default)
                                            for f in spec.fields if f.kind == "choice"}))
        if need and not _stated(practice.get(need.volume)):
            out.append((f"pricing.{need.field}", f"{need.why} needs practice.{need.volume} "
                        "(0 if there are none); without it the fee would be $0"))
    fees = vendor.get("fees") if isinstance(vendor.get("fees"), dict) else {}
    for fee, volume in FEE_VOLUMES.items():
        if _given(fees.get(fee)) and not _stated(practice.get(volume)):
            out.append((f"fees.{fee}", f"a {fee.replace('_', '-')} fee needs "
                        f"practice.{volume} (0 if there are none); without it the fee "
                        "would be $0"))
    return out


def name_key(name) -> str:
    """How vendor names are compared: as a reader sees them. Unicode compatibility forms
    (NFKC: a full-width "Ａｃｍｅ", a no-break space, a ligature), case, and runs of any
    kind of space are ignored, and so are invisible characters (zero-width spaces, joiners,
    a byte-order mark), so "Acme\u00a0RCM" and "acme  rcm" are one vendor.

    >>> name_key("Acme\u00a0RCM") == name_key(" acme \u200b RCM ") == name_key("ＡＣＭＥ rcm")
    True
    """
    text = unicodedata.normalize("NFKC", str(name))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return " ".join(text.split()).casefold()


def scenario_problems(data: dict) -> list[tuple[str, str]]:
    """Rules across a whole scenario mapping: vendors there, names unique, volumes given."""
    out = []
    vendors = data.get("vendors")
    if not vendors and not data.get("vendors_file"):
        out.append(("vendors", "give at least one vendor quote (or a vendors_file)"))
    if not isinstance(vendors, list):
        return out
    practice = data.get("practice") if isinstance(data.get("practice"), dict) else {}
    seen: dict[str, int] = {}
    for i, vendor in enumerate(vendors):
        out += [(f"vendors[{i}].{where}", msg) for where, msg in vendor_problems(vendor, practice)]
        name = vendor.get("name") if isinstance(vendor, dict) else None
        if isinstance(name, str) and name.strip():
            first = seen.setdefault(name_key(name), i)
            if first != i:
                out.append((f"vendors[{i}].name", f"duplicate vendor name {shown(name, 40)} "
                            f"(vendors[{first}] has the same name, ignoring case)"))
    return out
