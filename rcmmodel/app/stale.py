"""Never old figures under a new input: what an invalid or missing entry blanks, and why.

An entry the model cannot take (a fee rate of 150%, collections left blank, text where a
number goes) is marked under its field by the field itself (:mod:`rcmmodel.app.controls`);
here it is told to the session, which then blanks exactly the figures it feeds:

- an entry of the practice (collections, in-house cost, ...) feeds every figure: all are
  blank until it is fixed;
- an entry of one quote feeds that quote's figures and the decision (which compares every
  quote): that quote and the decision are blank, the other quotes' figures stay.

A practice figure a quote's price multiplies (claims a month for a per-claim price) that is
not given blanks that quote the same way, and the practice's field says which quote needs it:
"Claims a month is needed for BudgetBill's per-claim price."
"""
from __future__ import annotations

import re

from ..present.labels import APP_FIELDS
from ..pricing import PRICING_MODELS
from ..scenario.rules import FEE_VOLUMES

#: The app's field key of each practice volume a price may multiply.
VOLUME_FIELDS = {"claims_per_month": "claims_per_month",
                 "annual_charges": "annual_charges",
                 "patient_statements_per_month": "patient_statements_per_month"}


def _label(key: str) -> str:
    return APP_FIELDS[key][0] if key in APP_FIELDS else key.replace("_", " ").capitalize()


def _stated(value) -> bool:
    return value is not None


def volume_needs(data: dict) -> dict[str, list[str]]:
    """The practice volumes quotes need that are not given: volume -> the sentences saying
    which quote needs it ("Claims a month is needed for BudgetBill's per-claim price")."""
    practice = data.get("practice") or {}
    out: dict[str, list[str]] = {}
    for v in data.get("vendors") or []:
        if not isinstance(v, dict):
            continue
        pricing = v.get("pricing") if isinstance(v.get("pricing"), dict) else {}
        spec = PRICING_MODELS.get(pricing.get("model"))
        name = str(v.get("name") or "this quote")
        if spec is not None:
            from types import SimpleNamespace

            need = spec.need(SimpleNamespace(**{f.name: pricing.get(f.name, f.default)
                                                for f in spec.fields if f.kind == "choice"}))
            if need and not _stated(practice.get(need.volume)):
                out.setdefault(need.volume, []).append(
                    f"{_label(need.volume)} is needed for {name}'s "
                    f"{spec.key.replace('_', '-')} price.")
        fees = v.get("fees") if isinstance(v.get("fees"), dict) else {}
        for fee, volume in FEE_VOLUMES.items():
            if fees.get(fee) is not None and not _stated(practice.get(volume)):
                out.setdefault(volume, []).append(
                    f"{_label(volume)} is needed for {name}'s "
                    f"{_label(fee).lower()}.")
    return out


def needing(data: dict) -> dict[str, str]:
    """Quote name -> why it cannot be priced (a practice volume it needs is not given)."""
    out: dict[str, str] = {}
    for sentences in volume_needs(data).values():
        for s in sentences:
            m = re.match(r"(.+?) is needed for (.+)'s ", s)
            if m:
                out.setdefault(m.group(2), s)
    return out


class Entries:
    """The entries that cannot be used right now, by where they are typed.

    ``mark(key, text, vendor=None)`` records one (a practice entry without ``vendor``);
    ``clear(key)`` forgets it; ``clear_vendor(name)`` forgets a quote's (its form showed
    the stored figures again).
    """

    def __init__(self):
        self._by_key: dict[str, tuple[str | None, str]] = {}

    def mark(self, key: str, text: str, vendor: str | None = None) -> None:
        self._by_key[key] = (vendor, text)

    def clear(self, key: str) -> None:
        self._by_key.pop(key, None)

    def clear_prefix(self, prefix: str) -> None:
        for k in [k for k in self._by_key if k.startswith(prefix)]:
            del self._by_key[k]

    def clear_vendor(self, name: str) -> None:
        for k in [k for k, (v, _t) in self._by_key.items() if v == name]:
            del self._by_key[k]

    def rename(self, old: str, new: str) -> None:
        for k, (v, t) in list(self._by_key.items()):
            if v == old:
                self._by_key[k] = (new, t)

    def reset(self) -> None:
        self._by_key.clear()

    @property
    def practice(self) -> list[str]:
        """The practice's entries that cannot be used, in words."""
        return [t for v, t in self._by_key.values() if v is None]

    @property
    def vendors(self) -> dict[str, list[str]]:
        """Quote name -> its entries that cannot be used, in words."""
        out: dict[str, list[str]] = {}
        for v, t in self._by_key.values():
            if v is not None:
                out.setdefault(v, []).append(t)
        return out

    def __bool__(self) -> bool:
        return bool(self._by_key)

    def all(self) -> list[str]:
        return [t if v is None else f"{v}: {t}" for v, t in self._by_key.values()]


def blank_line(left_out: dict[str, str]) -> str:
    """Why some figures are blank, in one line."""
    parts = [f"{name} ({why.rstrip('.')})" for name, why in left_out.items()]
    return ("Blank until fixed: " + "; ".join(parts) + ". The decision compares every "
            "quote, so it waits too.")


__all__ = ["Entries", "blank_line", "needing", "volume_needs"]
