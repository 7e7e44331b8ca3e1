"""Where every input the model uses comes from (docs/methodology.md §9, "Where every
number comes from").

Each input is one of:

``practice``
    written in the scenario by (or for) the practice: typed in the app, in the file, or on
    the prospect's row;
``quote``
    a vendor's own terms (``vendors[...]``, as quoted);
``measured``
    measured from the practice's claims files (a baseline KPI the file leaves out), with
    the period;
``default``
    rcmmodel's planning default, where the scenario says nothing, with its source key
    (:data:`DEFAULT_SOURCES`: a citation, or ``"assumption"`` where it is ours).

A default is never the practice's figure, whatever its value: what decides is whether the
scenario file states the field, not what the number is. A figure the file states on
someone else's word (its ``sources:``: a billing company's assumption for a prospect,
``offer``, or a cited default written in, ``bls``) is a default with that source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

#: The source of each planning default (keys of :data:`rcmmodel.present.sources.SOURCES`).
DEFAULT_SOURCES = {
    "inhouse.payroll_tax_rate": "irs",
    "inhouse.benefits_rate": "assumption",
    "inhouse.turnover.annual_rate": "assumption",
    "inhouse.turnover.cost_per_departure": "assumption",
    "inhouse.residual_after_outsourcing": "assumption",
    "timeline.horizon_months": "assumption",
    "timeline.discount_rate": "assumption",
    "timeline.parallel_run_days": "guide",
    "timeline.ramp_days": "guide",
    "practice.providers": "assumption",
    "practice.claims_per_month": "assumption",
    "practice.patient_statements_per_month": "assumption",
}


@dataclass(frozen=True)
class InputSource:
    """One input: its field path, the value the model uses, and where it comes from."""

    path: str
    value: object
    source: str                  # "practice" | "quote" | "measured" | "default"
    note: str | None = None      # the default's source key, or the measured period

    def to_dict(self) -> dict:
        value = self.value.to_dict() if hasattr(self.value, "to_dict") else self.value
        return {"path": self.path, "value": value, "source": self.source, "note": self.note}


_STEP = re.compile(r"([A-Za-z_]\w*)(?:\[(\d+)\])?")


def stated(scenario, path: str) -> bool:
    """Whether the scenario file states ``path`` (each model on the way has it set)."""
    node = scenario
    for name, index in _STEP.findall(path):
        fields_set = getattr(node, "model_fields_set", None)
        if fields_set is not None:
            if name not in fields_set and name not in _aliases(node, name):
                return False
            node = getattr(node, name)
        elif isinstance(node, dict):
            if name not in node:
                return False
            node = node[name]
        else:
            return True
        if index:
            node = node[int(index)]
    return True


def _aliases(node, name) -> set:
    field = type(node).model_fields.get(name)
    alias = getattr(field, "alias", None)
    return {alias} & node.model_fields_set if alias else set()


def _period(scenario) -> str | None:
    ev = scenario.claims_evidence
    if ev is None or not (ev.start or ev.end):
        return None
    return f"{ev.start} to {ev.end}"


def given_by(scenario, path: str) -> str | None:
    """Who gave a figure the file states but the practice did not (the file's ``sources:``,
    where the path or a section holding it is named): ``"offer"`` or a citation key."""
    named = getattr(scenario, "sources", None) or {}
    parts = path.split(".")
    for k in range(len(parts), 0, -1):
        prefix = ".".join(parts[:k])
        for key in (prefix, re.sub(r"\[\d+\]$", "", prefix)):
            if key in named:
                return None if named[key] == "practice" else named[key]
    return None


def input_sources(scenario) -> list[InputSource]:
    """Every input the model uses, with its source, in model order; then the baseline KPIs
    and the practice's counts that the decision and the SLA scorecard read."""
    from .inputs import main_fields

    out = []
    for path, value in main_fields(scenario).items():
        if stated(scenario, path):
            by = given_by(scenario, path)
            if by is not None:          # stated in the file, but not by the practice
                out.append(InputSource(path, value, "default", by))
                continue
            source = "quote" if path.startswith("vendors[") else "practice"
            out.append(InputSource(path, value, source))
        else:
            if ".fees." in path and path.startswith("vendors["):
                # a fee the quote does not name is one it does not charge: the quote's term
                out.append(InputSource(path, value, "quote", "not charged"))
            else:
                out.append(InputSource(path, value, "default",
                                       DEFAULT_SOURCES.get(re.sub(r"\[\d+\]", "[]", path),
                                                           "assumption")))
    pr = scenario.practice
    for path, value in (("practice.providers", pr.providers),
                        ("timeline.horizon_months", scenario.timeline.horizon_months)):
        by = given_by(scenario, path) if stated(scenario, path) else None
        out.append(InputSource(path, value, "default", by) if by else
                   InputSource(path, value, "practice") if stated(scenario, path) else
                   InputSource(path, value, "default", DEFAULT_SOURCES.get(path)))
    measured = set(scenario.measured_kpis)
    for key, value in pr.baseline_kpis.model_dump().items():
        if value is None:
            continue
        path = f"practice.baseline_kpis.{key}"
        out.append(InputSource(path, value, "measured", _period(scenario)) if key in measured
                   else InputSource(path, value, "practice"))
    return out


__all__ = ["DEFAULT_SOURCES", "InputSource", "given_by", "input_sources", "stated"]
