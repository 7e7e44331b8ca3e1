"""Plausibility: figures that are allowed but rarely true, usually a typo (docs/methodology.md
§9, "Plausibility warnings").

Each check returns a :class:`Implausible` fact (what, where, the figures); the words are
:func:`rcmmodel.present.warnings_text.warning_text`'s. They are warnings, never errors: the
command still exits 0, the report still renders, and every surface shows them.

=====================  =========================================================
key                    warned when
=====================  =========================================================
inhouse_share          in-house billing cost above 25% of collections
staff_for_claims       more than 1 billing FTE per 100 claims a month
claim_size             collections per claim outside $20 to $5,000
no_claims              no claims a month stated (0) while the practice collects
net_gain_ceiling       a vendor's net gain above in-house cost + 50% of collections
uplift_quoted          a quoted uplift above 30%
=====================  =========================================================
"""
from __future__ import annotations

from dataclasses import dataclass

from ..scenario.distributions import central

INHOUSE_SHARE_MAX = 0.25
FTE_PER_100_CLAIMS_MAX = 1.0
CLAIM_SIZE = (20.0, 5000.0)
NET_GAIN_COLLECTIONS_SHARE = 0.50
UPLIFT_MAX = 0.30


@dataclass(frozen=True)
class Implausible:
    """One plausibility warning: its key, the field it points at, and the figures."""

    key: str
    path: str
    value: float
    limit: float | tuple
    vendor: str | None = None
    figures: tuple = ()          # the other figures the words quote, e.g. (collections,)

    def to_dict(self) -> dict:
        limit = list(self.limit) if isinstance(self.limit, tuple) else self.limit
        return {"key": self.key, "path": self.path, "value": self.value, "limit": limit,
                "vendor": self.vendor}


def plausibility(scenario, evaluation=None) -> list[Implausible]:
    """Every plausibility warning of ``scenario`` (and of its ``evaluation``, for the net
    gain ceiling; evaluated here if not given)."""
    from .evaluate import evaluate

    out: list[Implausible] = []
    pr, h = scenario.practice, scenario.inhouse
    c0 = float(central(pr.annual_collections))
    evaluation = evaluation or evaluate(scenario)
    tco = float(central(evaluation.inputs.inhouse.tco))
    if c0 > 0 and tco > INHOUSE_SHARE_MAX * c0:
        path = "inhouse.annual_cost" if h.annual_cost is not None else "inhouse"
        out.append(Implausible("inhouse_share", path, tco, INHOUSE_SHARE_MAX, figures=(c0,)))
    claims = pr.claims_per_month
    claims = None if claims is None else float(central(claims))
    fte = sum(float(central(m.fte)) for m in h.staff)
    if claims and fte > FTE_PER_100_CLAIMS_MAX * claims / 100:
        out.append(Implausible("staff_for_claims", "inhouse.staff", fte,
                               FTE_PER_100_CLAIMS_MAX, figures=(claims,)))
    if claims:
        average = c0 / (12 * claims)
        low, high = CLAIM_SIZE
        if not low <= average <= high:
            out.append(Implausible("claim_size", "practice.claims_per_month",
                                   average, CLAIM_SIZE, figures=(c0, claims)))
    elif claims == 0 and c0 > 0 and "claims_per_month" in pr.model_fields_set:
        # stated as 0 (a fact: a per-claim fee is then $0) while the practice collects:
        # no claim to divide by, so every claim is "outside the usual range"
        out.append(Implausible("no_claims", "practice.claims_per_month", 0.0, CLAIM_SIZE,
                               figures=(c0,)))
    ceiling = tco + NET_GAIN_COLLECTIONS_SHARE * c0
    for i, (v, spec) in enumerate(zip(evaluation.vendors, scenario.vendors)):
        gain = float(central(v.figures.net_gain))
        if gain > ceiling:
            out.append(Implausible("net_gain_ceiling", f"vendors[{i}]", gain,
                                   NET_GAIN_COLLECTIONS_SHARE, vendor=v.name,
                                   figures=(tco, c0)))
        u = float(central(spec.uplift))
        if u > UPLIFT_MAX:
            out.append(Implausible("uplift_quoted", f"vendors[{i}].uplift", u, UPLIFT_MAX,
                                   vendor=v.name))
    return out


__all__ = ["Implausible", "plausibility"]
