"""The practice's priorities: how quotes are ranked beyond price (``ranking:``), as a preset of
the four built-in weights, the practice's own weights, and its own criteria
(:mod:`rcmmodel.scenario.criteria`); docs/methodology.md §5 Comparing vendors."""
from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .criteria import Criterion, Weight, criteria_weight_problems
from .fields import D, Section

# The practice's priorities as presets of the four weights (financial, sla, due_diligence,
# contract_risk); why each weighs what it does: docs/methodology.md §5 Comparing vendors.
PRIORITIES: dict[str, dict[str, float]] = {
    "balanced": {"financial": 0.40, "sla": 0.25, "due_diligence": 0.20, "contract_risk": 0.15},
    "money_first": {"financial": 0.70, "sla": 0.10, "due_diligence": 0.10,
                    "contract_risk": 0.10},
    "low_risk": {"financial": 0.25, "sla": 0.25, "due_diligence": 0.25, "contract_risk": 0.25},
}
DEFAULT_PRIORITY = "balanced"
_BALANCED = PRIORITIES[DEFAULT_PRIORITY]


class Weights(Section):
    """How much each criterion counts in the vendor ranking; only their ratios matter."""
    financial: Weight = Field(_BALANCED["financial"], **D(
        "Net gain (or NPV) against the best eligible quote."))
    sla: Weight = Field(_BALANCED["sla"], **D(
        "The committed KPIs graded against the benchmarks."))
    due_diligence: Weight = Field(_BALANCED["due_diligence"], **D(
        "Due-diligence questions answered yes."))
    contract_risk: Weight = Field(_BALANCED["contract_risk"], **D(
        "How little the contract binds: term, termination fee, notice, auto-renewal."))

    @model_validator(mode="after")
    def _not_all_zero(self):
        if not any(getattr(self, name) for name in type(self).model_fields):
            raise ValueError("weights cannot all be zero: give at least one criterion a weight")
        return self


class Ranking(Section):
    """How quotes are ranked beyond price (`rcm compare` and the decision): the practice's
    priorities, as a preset or as its own weights (not both); neither: the balanced default.
    Its own criteria (`criteria`) rank beside the four built-in ones."""
    priority: Literal[tuple(PRIORITIES)] | None = Field(None, **D(
        "The practice's priorities as a preset: balanced (0.40 / 0.25 / 0.20 / 0.15), "
        "money_first (0.70 / 0.10 / 0.10 / 0.10) or low_risk (0.25 each), for financial / "
        "SLA / due diligence / contract risk.", "money_first"))
    weights: Weights = Field(Weights(), **D("The weight of each criterion."))
    basis: Literal["net_gain", "npv"] = Field("net_gain", **D(
        "The financial criterion's measure: the steady-state year's net gain, or the NPV "
        "over the horizon."))
    criteria: list[Criterion] = Field([], **D(
        "The practice's own criteria beside the four built-in ones (a section each, below).",
        [{"name": "References and client retention", "weight": 0.1,
          "scores": {"Acme RCM": 80}}]))

    @model_validator(mode="after")
    def _preset_or_weights(self):
        if self.priority is not None and "weights" in self.model_fields_set:
            raise ValueError("@priority: give either priority (a preset) or weights (your "
                             "own), not both")
        for problem in criteria_weight_problems(self.criteria, self.preset is not None):
            raise ValueError(f"@criteria: {problem}")
        return self

    @property
    def weights_source(self) -> str:
        """"practice" where the scenario sets a preset or weights, else "default"."""
        chosen = self.priority is not None or "weights" in self.model_fields_set
        return "practice" if chosen else "default"

    @property
    def effective_weights(self) -> dict[str, float]:
        """The weights that rank, by criterion (the four built-in ones, then the practice's
        own criteria by name): the built-ins the practice's own weights, or its preset's or
        the default preset's; with a preset the four share what the practice's criteria
        leave (1 - their weights), in the preset's proportions."""
        own = {c.name: c.weight for c in self.criteria}
        if self.preset is None:
            return {**self.weights.model_dump(), **own}
        rest = 1.0 - sum(own.values())
        return {**{k: w * rest for k, w in PRIORITIES[self.preset].items()}, **own}

    @property
    def preset(self) -> str | None:
        """The preset behind the weights (None where the practice gave its own)."""
        if "weights" in self.model_fields_set:
            return None
        return self.priority or DEFAULT_PRIORITY


__all__ = ["DEFAULT_PRIORITY", "PRIORITIES", "Ranking", "Weight", "Weights"]
