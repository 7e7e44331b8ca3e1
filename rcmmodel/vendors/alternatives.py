"""The decision with the practice's in-house alternatives (docs/methodology.md §6, "Fixing
billing in-house instead"): one rule, applied to the vendor decision of
:func:`rcmmodel.vendors.decision.decide` and, draw by draw, by
:func:`rcmmodel.vendors.odds.decision_odds`.

With ``g_alt`` the best alternative's planning net gain and ``g_vendor`` the recommended
vendor's, the verdict is

outsource
    a vendor is recommended and ``g_vendor >= g_alt`` (a tie, to the cent, goes to the
    vendor);
improve
    ``g_alt > 0`` and (no vendor is recommended, or ``g_alt > g_vendor``);
stay
    otherwise.

An alternative is compared on money alone: it has no SLA, due diligence or contract to
score, so only the planning net gains meet. ``alternative`` names the best alternative
(whatever the verdict; None without alternatives). Where the verdict is "improve" no vendor
is recommended; the vendor it beat (the recommended one, or where none pays the best-ranked
eligible quote) becomes the runner-up, and ``margin.net_gain`` is how much a year the
alternative gains over it.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from ..model.alternatives import best_alternative

#: Net gains within half a cent of each other are equal (a tie goes to the vendor).
HALF_CENT = 0.005


def improves(best_alt, vendor_gain, recommended) -> np.ndarray | bool:
    """The rule for one decision or every draw at once: whether the best alternative's
    planning net gain ``best_alt`` wins over the vendor decision (``recommended``: whether a
    vendor is recommended, ``vendor_gain``: its planning net gain).

    >>> improves(23000.0, 17750.0, True), improves(5000.0, 17750.0, True)
    (True, False)
    >>> improves(100.0, 0.0, False), improves(-100.0, 0.0, False)
    (True, False)
    """
    best_alt = np.asarray(best_alt, dtype=float)
    out = (best_alt > 0) & (~np.asarray(recommended, dtype=bool)
                            | (best_alt > np.asarray(vendor_gain, dtype=float) + HALF_CENT))
    return out if out.ndim else bool(out)


def with_alternatives(d, results):
    """The decision ``d`` (vendors only) with the alternatives' figures ``results``
    (:class:`rcmmodel.model.alternatives.AlternativeResult`) weighed in."""
    best = best_alternative(results)
    if best is None:
        return d
    gains = {r.name: float(r.net_gain) for r in results}
    recommended = d.recommended is not None
    vendor_gain = d.gains[d.recommended] if recommended else 0.0
    if not improves(best.net_gain, vendor_gain, recommended):
        return dataclasses.replace(d, alternative=best.name, alternative_gains=gains)
    rival = d.recommended if recommended else d.runner_up
    margin = {"score": None,
              "net_gain": None if rival is None else float(best.net_gain) - d.gains[rival]}
    return dataclasses.replace(d, verdict="improve", recommended=None, runner_up=rival,
                               margin=margin, flip=None, flips=[], outweighs=[],
                               alternative=best.name, alternative_gains=gains)


__all__ = ["HALF_CENT", "improves", "with_alternatives"]
