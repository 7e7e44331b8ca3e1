"""What-ifs: the scenario and variants of it, side by side (docs/methodology.md §6, "What-ifs").

``whatif(scenario, {"practice.annual_collections": 750000}, {"vendors[0].pricing.rate": 0.05})``
evaluates the scenario as it is (the base) and once per dict of changes. Each change names a
field by the scenario's field path and is validated exactly like the file
(:func:`rcmmodel.scenario.changes.with_changes`). For each case it gives the changes, every
vendor's planning net gain, the decision (verdict, recommended) and whether the decision moved
from the base's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .._json import cents
from ..model.evaluate import evaluate
from ..model.measure import scenario_with_claims
from ..scenario.changes import with_changes
from .decision import decide

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Case:
    """One scenario of a what-if: the base (no changes) or a variant."""

    changes: dict                     # field path -> value; {} for the base
    net_gains: dict[str, float]       # vendor -> planning net gain a year
    verdict: str
    recommended: str | None
    moved: bool                       # verdict, recommended or alternative differ from the base's
    alternative: str | None = None    # the best in-house alternative (decision.alternative)
    alternative_gains: dict[str, float] = field(default_factory=dict)   # name -> planning net gain
    evaluation: object = field(default=None, repr=False)
    decision: object = field(default=None, repr=False)

    def to_dict(self) -> dict:
        return {"changes": dict(self.changes),
                "net_gains": {k: cents(v) for k, v in self.net_gains.items()},
                "verdict": self.verdict, "recommended": self.recommended,
                "alternative": self.alternative, "moved": self.moved,
                **({"alternative_net_gains": {k: cents(v) for k, v in
                                              self.alternative_gains.items()}}
                   if self.alternative_gains else {})}


@dataclass
class WhatIf:
    """The result of :func:`whatif`: the base and each variant, in the order given."""

    base: Case
    variants: list[Case]

    @property
    def cases(self) -> list[Case]:
        return [self.base, *self.variants]

    @property
    def moved(self) -> list[Case]:
        """The variants whose decision differs from the base's."""
        return [c for c in self.variants if c.moved]

    def to_dict(self) -> dict:
        return {"base": self.base.to_dict(), "variants": [c.to_dict() for c in self.variants]}

    def to_frame(self) -> "pd.DataFrame":
        """One row per case (``base``, then ``variant 1``...): the changes, the verdict,
        the recommended vendor, whether it moved, and a ``net_gain: VENDOR`` column per
        vendor (planning net gain a year)."""
        import pandas as pd

        rows = []
        for k, c in enumerate(self.cases):
            rows.append({"case": "base" if k == 0 else f"variant {k}",
                         "changes": "; ".join(f"{p}={v}" for p, v in c.changes.items()),
                         "verdict": c.verdict, "recommended": c.recommended,
                         "alternative": c.alternative, "moved": c.moved,
                         **{f"net_gain: {n}": g for n, g in c.net_gains.items()},
                         **{f"net_gain: {n}": g for n, g in c.alternative_gains.items()}})
        return pd.DataFrame(rows).set_index("case")


def _case(scenario, changes: dict, base: Case | None) -> Case:
    result = evaluate(scenario)
    d = decide(scenario, evaluation=result)
    moved = base is not None and ((d.verdict, d.recommended, d.alternative)
                                  != (base.verdict, base.recommended, base.alternative))
    return Case(changes=dict(changes),
                net_gains={v.name: float(v.planning.net_gain) for v in result.vendors},
                verdict=d.verdict, recommended=d.recommended, moved=moved,
                alternative=d.alternative,
                alternative_gains={a.name: float(a.net_gain) for a in result.alternatives},
                evaluation=result, decision=d)


def changed_scenario(scenario, changes: dict, label: str = "what-if"):
    """The scenario (a :class:`~rcmmodel.scenario.Scenario` or a file path) with ``changes``
    made, validated like its file, its claims files measured."""
    return scenario_with_claims(with_changes(scenario, changes, label))


def whatif(scenario, *changes: dict, label: str = "what-if") -> WhatIf:
    """The scenario and each variant of it, side by side.

    Parameters
    ----------
    scenario : Scenario or path
        The base; a :class:`~rcmmodel.scenario.Scenario` (from its file where it has one) or
        a scenario file.
    *changes : dict
        One dict per variant: field path (``practice.annual_collections``,
        ``vendors[0].pricing.rate``, ``timeline.ramp_days``...) -> the value to put there.

    Raises
    ------
    RcmInputError
        For any change whose path is no field of a scenario or whose value the file would
        not accept, every one named, before any case is evaluated.

    Examples
    --------
    >>> w = whatif("scenarios/guide-example.yaml",                      # doctest: +SKIP
    ...            {"vendors[0].pricing.rate": 0.05})
    >>> w.variants[0].net_gains["Guide Billing Co"]                       # doctest: +SKIP
    62500.0
    """
    variants = [changed_scenario(scenario, c, label) for c in changes]   # all checked first
    if isinstance(scenario, dict) or not hasattr(scenario, "vendors"):
        scenario = changed_scenario(scenario, {}, label)
    elif scenario.practice.claims_files and scenario.claims_evidence is None:
        scenario = scenario_with_claims(scenario)
    base = _case(scenario, {}, None)
    return WhatIf(base=base, variants=[_case(s, c, base) for s, c in zip(variants, changes)])


__all__ = ["Case", "WhatIf", "changed_scenario", "whatif"]
