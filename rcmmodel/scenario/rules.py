"""Rules across the fields of a scenario, checked on the raw mapping (before pydantic) so
that they run even where some field is wrong, and every problem of a file comes in one pass.

Each function returns ``(path, message)`` pairs, the path relative to the mapping it was
given. :mod:`.schema` re-exports them; :mod:`.load` and :mod:`.quotes` call them.
"""
from __future__ import annotations

from types import SimpleNamespace

from ..describe import shown
from .pricing_models import BASES, FIELDS, PRICING_MODELS


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


def _key_in(value, table) -> bool:
    return isinstance(value, str) and value in table        # a list is no key, and unhashable


def pricing_problems(pricing) -> list[tuple[str, str]]:
    """The fields a pricing model needs and does not use (from the registry,
    :mod:`.pricing_models`); tiers ascending, the last one open."""
    if not isinstance(pricing, dict) or not _key_in(pricing.get("model"), PRICING_MODELS):
        return []
    model = pricing["model"]
    spec = PRICING_MODELS[model]
    out = [(name, f"required for {model} pricing") for name in spec.required
           if pricing.get(name) is None]
    out += [(name, f"not used by {model} pricing") for name in FIELDS
            if name in pricing and name not in spec.fields]
    tiers = pricing.get("tiers")
    if "tiers" not in spec.fields or not isinstance(tiers, list):
        return out
    if not tiers:
        return out + [("tiers", "give at least one tier, the last without up_to")]
    last = 0.0
    for i, tier in enumerate(tiers):
        up_to = tier.get("up_to") if isinstance(tier, dict) else None
        if up_to is None:
            if i != len(tiers) - 1:
                out.append((f"tiers[{i}].up_to", "only the last tier may be open-ended"))
            continue
        if not isinstance(up_to, (int, float)) or isinstance(up_to, bool):
            continue                                 # not a number: reported by its own check
        if up_to <= last:
            out.append((f"tiers[{i}].up_to", "tier bounds must increase"))
        last = max(last, up_to)
    end = tiers[-1].get("up_to") if isinstance(tiers[-1], dict) else None
    if end is not None:
        above = f"${end:,.0f}" if isinstance(end, (int, float)) else "it"
        out.append(("tiers", f"the last tier must be open (no up_to), or every dollar above "
                    f"{above} would be billed at 0%: end with a band such as {{rate: 0.04}}"))
    return out


# Fees (not pricing models) charged per unit of a practice volume: the fee, and the volume.
FEE_VOLUMES = {"per_statement": "patient_statements_per_month"}


def vendor_problems(vendor, practice=None) -> list[tuple[str, str]]:
    """A quote's pricing rules, and the practice volumes its price multiplies.

    ``practice`` maps volume names to values (raw, or a validated :class:`Practice`'s); a
    volume that is missing or 0 must not price a quote at $0 (docs/methodology.md §9). The
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
    if _key_in(pricing.get("model"), PRICING_MODELS) and \
            _key_in(pricing.get("base", "collections"), BASES):
        need = PRICING_MODELS[pricing["model"]].need(
            SimpleNamespace(base=pricing.get("base", "collections")))
        if need and not _given(practice.get(need.volume)):
            out.append((f"pricing.{need.field}", f"{need.why} needs practice.{need.volume} "
                        "(above 0); without it the fee would be $0"))
    fees = vendor.get("fees") if isinstance(vendor.get("fees"), dict) else {}
    for fee, volume in FEE_VOLUMES.items():
        if _given(fees.get(fee)) and not _given(practice.get(volume)):
            out.append((f"fees.{fee}", f"a {fee.replace('_', '-')} fee needs "
                        f"practice.{volume} (above 0); without it the fee would be $0"))
    return out


def name_key(name) -> str:
    """How vendor names are compared: ignoring case and surrounding spaces."""
    return str(name).strip().casefold()


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
