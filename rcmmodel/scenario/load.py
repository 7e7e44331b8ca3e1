"""Reading scenarios: the scenario file and its quotes sheet.

:func:`load_scenario` reads a YAML file; :func:`parse_scenario` validates a mapping that is
already in memory. Both attach a ``vendors_file``'s quotes. Loading is only loading: the
practice's ``claims_files`` are read and measured by the explicit next step,
:func:`rcmmodel.measure_claims` (:mod:`rcmmodel.model.measure`).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .._files import read_input
from ..errors import Problem, RcmInputError
from . import yaml_loader
from .criteria import criteria_problems
from .messages import problems as _problems
from .audit_files import audit_problems
from .quotes import attach_quotes
from .alternatives import alternative_problems
from .schema import Scenario, scenario_problems

# What a scenario file is not, from its first bytes: X12 starts with ISA, GS or ST and a
# separator; a workbook is a zip; a ledger CSV has a header of commas.
_X12 = re.compile(r"\ufeff?\s*(ISA|GS|ST)[^A-Za-z0-9\s:#'\"-]")   # "ST: x" is YAML
CLAIMS_HINT = ("reports (claims-review too) take a scenario YAML whose "
               "practice.claims_files lists the claims files; rcm kpi reads claims files "
               "directly")
_NOT_SCENARIOS = {".csv": "a CSV sheet (a claims ledger or a quotes sheet?)",
                  ".xlsx": "a workbook", ".835": "an X12 835 file", ".837": "an X12 837 file",
                  ".edi": "an X12 file", ".x12": "an X12 file", ".txt": "a text file"}


def parse_scenario(data: Any, file: str | None = None) -> Scenario:
    """Validate a mapping (as read from YAML) into a :class:`Scenario`.

    Every problem is reported at once: wrong fields, unknown keys, and the rules across
    fields (:func:`rcmmodel.scenario.schema.scenario_problems`).
    """
    if not isinstance(data, dict):
        raise RcmInputError.at(file, "", "a scenario must be a YAML mapping of fields "
                               f"(name: ..., practice: ..., inhouse: ..., vendors: ...)")
    found: list[Problem] = []
    if not data.get("vendors_file"):      # with a sheet, the vendors are known once it is read
        found += _criteria_problems(data, file)
    scenario = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as err:
        found += _problems(err, file)
    except RecursionError:          # a mapping built in memory, deeper than YAML allows
        raise RcmInputError.at(file, "", "nested too deeply to be a scenario") from None
    found += [Problem(file, where, message) for where, message in
              [*scenario_problems(data), *alternative_problems(data)]]
    if found:
        raise RcmInputError(list(dict.fromkeys(found)))
    scenario._source = file
    if scenario.vendors_file:     # quotes from a CSV/Excel sheet join the inline vendors
        scenario = attach_quotes(scenario)
        found = _criteria_problems(data, file, [v.name for v in scenario.vendors])
        if found:
            raise RcmInputError(found)
    if scenario.audit is not None and (found := audit_problems(scenario)):
        raise RcmInputError(found)
    return scenario


def _criteria_problems(data: dict, file, names=None) -> list[Problem]:
    """The vendors the practice's own criteria score are the scenario's (``names``: the
    inline vendors' where not given)."""
    if names is None:
        vendors = data.get("vendors") if isinstance(data.get("vendors"), list) else []
        names = [v.get("name") for v in vendors if isinstance(v, dict)]
    return [Problem(file, where, message)
            for where, message in criteria_problems(data.get("ranking"), names)]


def read_scenario_file(path) -> tuple[Any, list[Problem]]:
    """The mapping a scenario file holds, as read (not yet validated), and its duplicate keys.

    Raises :class:`RcmInputError` where the file cannot be read or is not a scenario."""
    path = Path(path)
    raw = read_input(path, "", yaml_loader.MAX_BYTES,
                     f"the file is over {yaml_loader.MAX_BYTES // 2**20} MB: a scenario is a "
                     "short text file")
    if _X12.match(raw[:64].decode("utf-8", "replace")):
        raise RcmInputError.at(path, "", f"this is an X12 claims file, not a scenario: "
                               f"{CLAIMS_HINT}")
    if raw[:4] == b"PK\x03\x04":
        raise RcmInputError.at(path, "", "this is a workbook, not a scenario YAML file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RcmInputError.at(path, "", f"not UTF-8 text (byte {exc.start + 1}): a scenario "
                               "is a YAML text file") from None
    data, duplicates = yaml_loader.read(text, str(path))
    kind = _NOT_SCENARIOS.get(path.suffix.lower())
    if not isinstance(data, dict) and kind:
        raise RcmInputError.at(path, "", f"this looks like {kind}, not a scenario: "
                               f"{CLAIMS_HINT}")
    return data, duplicates


def load_scenario(path) -> Scenario:
    """Read and validate a scenario file; raise :class:`RcmInputError` listing every problem."""
    data, duplicates = read_scenario_file(path)
    try:
        scenario = parse_scenario(data, str(path))
    except RcmInputError as exc:
        raise RcmInputError(duplicates + exc.problems) from None
    if duplicates:
        raise RcmInputError(duplicates)
    return scenario
