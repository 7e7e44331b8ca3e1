"""The scenario a panel edits, kept as a plain mapping and validated on every change.

Panels change numbers in the mapping and hand it to :func:`rcmmodel.parse_scenario`, so
an edited scenario passes exactly the checks a scenario file does and the figures come
from the same :func:`rcmmodel.model.evaluate` as ``rcm evaluate``.
"""
from __future__ import annotations

import copy
from pathlib import Path

import yaml

from ..scenario.distributions import PARAMS, Dist, central
from ..errors import RcmInputError
from ..scenario import Scenario, load_scenario, parse_scenario
from ..paths import example_scenarios

BLANK = {
    "schema": "rcmmodel/v1",
    "name": "New practice",
    "practice": {"annual_collections": 500000.0, "claims_per_month": 400.0},
    "inhouse": {"annual_cost": 40000.0},
    "vendors": [{"name": "Vendor quote", "pricing": {"model": "percentage", "rate": 0.07},
                 "uplift": 0.10}],
}
BLANK_LABEL = "Start blank"


def _centre(x):
    """Distributions become their central value: the app edits one number per field."""
    if isinstance(x, Dist):
        return central(x)
    if isinstance(x, dict):
        if set(x) >= {"kind", "params"} and x.get("kind") in PARAMS:   # a dumped Dist
            return central(Dist(kind=x["kind"], params=x["params"]))
        return {k: _centre(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_centre(v) for v in x]
    return x


def plain(scenario: Scenario) -> dict:
    """A validated scenario as a mapping ``parse_scenario`` accepts again, numbers central.

    Defaults are left out so pricing keeps only its model's fields; quotes read from a
    ``vendors_file`` are already among the vendors, so the file is dropped.
    """
    data = scenario.model_dump(by_alias=True, exclude_defaults=True, exclude_none=True)
    data.pop("vendors_file", None)
    data["schema"] = "rcmmodel/v1"
    return _centre(data)


def example_choices() -> list[tuple[str, str | None]]:
    """(label, path) for the scenario picker: blank first, then each example by its name."""
    choices: list[tuple[str, str | None]] = [(BLANK_LABEL, None)]
    for file, path in example_scenarios().items():
        try:
            name = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("name")
        except (OSError, yaml.YAMLError, AttributeError):
            name = None
        choices.append((f"{name} ({file})" if name else file, str(path)))
    return choices


def default_example() -> str | None:
    """The guide's worked example where it is at hand: the figures people can check."""
    found = example_scenarios().get("guide-example.yaml")
    return str(found) if found else None


def load(source) -> tuple[dict, str | None]:
    """(mapping, file) for a path, a Scenario, a mapping, or None (blank)."""
    if source is None:
        return copy.deepcopy(BLANK), None
    if isinstance(source, Scenario):
        return plain(source), source.source
    if isinstance(source, dict):
        file = None
        return plain(parse_scenario(source, file)), file
    path = Path(source)
    return plain(load_scenario(path)), str(path)


def validate(data: dict, file: str | None) -> Scenario:
    """``parse_scenario`` on an edited mapping (raises :class:`RcmInputError`)."""
    return parse_scenario(copy.deepcopy(data), file)


def problems_text(exc: RcmInputError) -> list[str]:
    """The problems of an edit, without the file name (the user did not type a file)."""
    out = []
    for p in exc.problems:
        out.append(f"{p.where}: {p.message}" if p.where else p.message)
    return out
