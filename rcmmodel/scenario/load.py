"""Reading scenarios: the one place that opens files (the scenario, its quotes sheet, its claims).

:func:`load_scenario` reads a YAML file; :func:`parse_scenario` validates a mapping that is
already in memory. Both attach a ``vendors_file``'s quotes and measure the baseline KPIs the
file does not state from its ``claims_files``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import RcmInputError
from .quotes import attach_quotes
from .schema import Scenario, _problems


def parse_scenario(data: Any, file: str | None = None) -> Scenario:
    """Validate a mapping (as read from YAML) into a :class:`Scenario`."""
    if not isinstance(data, dict):
        raise RcmInputError.at(file, "", "a scenario must be a YAML mapping of fields")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        raise RcmInputError(_problems(err, file)) from None
    scenario._source = file
    if scenario.vendors_file:     # quotes from a CSV/Excel sheet join the inline vendors
        scenario = attach_quotes(scenario)
    if scenario.practice.claims_files:
        scenario = _measure_baseline(scenario)
    return scenario


def _measure_baseline(scenario: Scenario) -> Scenario:
    """Fill the baseline KPIs not given in the file from the practice's own claims files."""
    from ..claims.review import baseline_kpis

    given = scenario.practice.baseline_kpis
    missing = [k for k in type(given).model_fields if getattr(given, k) is None]
    if not missing:
        return scenario
    measured = baseline_kpis(scenario.practice.claims_files, base_dir=scenario.base_dir)
    update = {k: measured[k] for k in missing if measured.get(k) is not None}
    practice = scenario.practice.model_copy(
        update={"baseline_kpis": given.model_copy(update=update)})
    out = scenario.model_copy(update={"practice": practice})
    out._source = scenario.source
    out._measured_kpis = sorted(update)
    return out


def load_scenario(path) -> Scenario:
    """Read and validate a scenario file; raise :class:`RcmInputError` listing every problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RcmInputError.at(path, "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RcmInputError.at(path, "", f"cannot read: {exc}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise RcmInputError.at(path, where, f"not valid YAML: {problem}") from None
    return parse_scenario(data, str(path))
