"""The one scenario the app's four steps share, and everything computed from it.

The scenario is kept as the mapping a scenario file holds (distributions as
``{dist: ...}``), so "Save scenario" writes exactly what the steps show and
:func:`rcmmodel.load_scenario` reads it back to the same scenario. Each change is
validated like a file (:func:`rcmmodel.parse_scenario`) and evaluated, ranked and decided
by the library (:func:`rcmmodel.vendors.decision.decide`), the same as ``rcm evaluate``.
"""
from __future__ import annotations

import copy
import math
import re
import time
from pathlib import Path
from typing import Callable

import yaml

from ..errors import Problem, RcmInputError
from ..paths import example_name, example_scenarios
from ..present.labels import APP_FIELDS, field_label
from ..model.measure import scenario_with_claims
from ..scenario.audit_files import absolute_block
from ..scenario import Scenario, load_scenario, parse_scenario
from ..scenario.distributions import Dist
from .stale import Entries, blank_line, needing

SCHEMA = "rcmmodel/v1"
BLANK = {
    "schema": SCHEMA,
    "name": "New practice",
    "practice": {"annual_collections": 500000.0, "claims_per_month": 400.0},
    "inhouse": {"annual_cost": 40000.0},
    "vendors": [{"name": "Vendor quote", "pricing": {"model": "percentage", "rate": 0.07},
                 "uplift": 0.10}],
}
BLANK_LABEL = "Start blank"


def empty() -> dict:
    """A new practice: nothing filled in yet."""
    return {"schema": SCHEMA, "name": "My practice", "practice": {}, "inhouse": {},
            "vendors": []}


def as_file_values(x):
    """A dumped scenario value as YAML holds it: distributions as ``{dist: kind, ...}``."""
    if isinstance(x, Dist):
        return {"dist": x.kind, **{k: float(v) for k, v in x.params.items()}}
    if isinstance(x, dict):
        if set(x) >= {"kind", "params"} and isinstance(x.get("params"), dict):
            return {"dist": x["kind"], **{k: float(v) for k, v in x["params"].items()}}
        return {k: as_file_values(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [as_file_values(v) for v in x]
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return x
    return x


def to_mapping(scenario: Scenario) -> dict:
    """A validated scenario as the mapping of its file, self-contained.

    Quotes from a ``vendors_file`` join the vendors. ``claims_files`` are kept, as full
    paths, and KPIs measured from them are left out of the baseline: they are measured
    again (cached) whenever the scenario is, so a measured figure is never saved as one the
    practice stated, and the evidence that caps the uplift stays.
    """
    data = scenario.model_dump(by_alias=True, exclude_unset=True, exclude_none=True)
    data.pop("vendors_file", None)
    practice = data.get("practice", {})
    if practice.get("claims_files"):
        practice["claims_files"] = [str((scenario.base_dir / p).resolve())
                                    for p in scenario.practice.claims_files]
        for k in scenario.measured_kpis:
            practice.get("baseline_kpis", {}).pop(k, None)
        if practice.get("baseline_kpis") == {}:
            practice.pop("baseline_kpis")
    if data.get("audit"):                # its files as full paths too
        data["audit"] = absolute_block(scenario)
    h = data.get("inhouse", {})
    if "annual_cost" in h:
        h.pop("turnover", None)
    data["schema"] = SCHEMA
    out = {"schema": SCHEMA, "name": data.pop("name", "My practice")}
    out.update({k: v for k, v in data.items() if k != "schema"})
    return as_file_values(out)


def to_yaml(data: dict) -> str:
    """The scenario file for ``data`` (what "Save scenario" writes)."""
    head = ("# Saved by the rcmmodel app. Open it in the app again, or run\n"
            "# `rcm report` / `rcm export` / `rcm evaluate` on it.\n")
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def example_choices() -> list[tuple[str, str | None]]:
    """(label, path) for the scenario picker: blank first, then each example by its name."""
    choices: list[tuple[str, str | None]] = [(BLANK_LABEL, None)]
    for file, path in example_scenarios().items():
        name = example_name(path)
        choices.append((f"{name} ({file})" if name else file, str(path)))
    return choices


def default_example() -> str | None:
    """The guide's worked example where it is at hand: the figures people can check."""
    found = example_scenarios().get("guide-example.yaml")
    return str(found) if found else None


def load(source) -> tuple[dict, str | None]:
    """(mapping, file) for a path, a Scenario, a mapping, or None (the blank practice).

    The mapping is the one every surface edits (:func:`to_mapping`): ranges stay
    ``{dist: ...}``, so an edit elsewhere never reduces a range to its middle.
    """
    if source is None:
        return copy.deepcopy(BLANK), None
    if isinstance(source, Scenario):
        return to_mapping(source), source.source
    if isinstance(source, dict):
        return to_mapping(parse_scenario(copy.deepcopy(source), None)), None
    path = Path(source)
    return open_scenario(path), str(path)


def open_scenario(path, shown_name: str | None = None) -> dict:
    """A scenario file as the mapping the app edits: loaded, then its claims files measured
    (:func:`rcmmodel.scenario_with_claims`). A bad file raises :class:`RcmInputError` naming
    it as the user knows it (``shown_name``)."""
    try:
        scenario = scenario_with_claims(load_scenario(path))
    except RcmInputError as exc:
        if not shown_name:
            raise
        raise RcmInputError([Problem(shown_name, p.where, p.message)
                             for p in exc.problems]) from None
    return to_mapping(scenario)


def validate(data: dict, file: str | None = None) -> Scenario:
    """``parse_scenario`` on an edited mapping, its claims files measured (raises
    :class:`RcmInputError`)."""
    return scenario_with_claims(parse_scenario(copy.deepcopy(data), file))


def problems_text(exc: RcmInputError) -> list[str]:
    """The problems of an edit, without the file name (the user did not type a file)."""
    return [f"{p.where}: {p.message}" if p.where else p.message for p in exc.problems]


def central(x):
    """The number the model uses for a field that may hold a ``{dist: ...}`` range."""
    if isinstance(x, dict) and "dist" in x:
        p = x
        return {"triangular": lambda: p["mode"], "pert": lambda: p["mode"],
                "uniform": lambda: (p["low"] + p["high"]) / 2, "normal": lambda: p["mean"],
                "lognormal": lambda: p["median"]}[p["dist"]]()
    return x


def missing(data: dict) -> list[str]:
    """What she still has to enter before there is anything to compute, in her words."""
    out = []
    p, h = data.get("practice", {}), data.get("inhouse", {})
    if p.get("annual_collections") is None:
        out.append(APP_FIELDS["annual_collections"][0].lower())
    if h.get("annual_cost") is None and not h.get("staff"):
        out.append("what billing costs you in-house")
    if not data.get("vendors"):
        out.append("at least one vendor's quote")
    return out


def plain_where(where: str, data: dict) -> str:
    """``vendors[1].pricing.rate`` as she would say it: "Acme RCM: fee rate".

    The words come from the one label table (:func:`rcmmodel.present.labels.field_label`);
    a path it does not know (a problem about a whole block) is said word by word.
    """
    m = re.match(r"vendors\[(\d+)\]", where or "")
    prefix = ""
    if m:
        vendors = data.get("vendors", [])
        i = int(m.group(1))
        prefix = (f"{vendors[i]['name']}: " if i < len(vendors) and "name" in vendors[i]
                  else f"Quote {i + 1}: ")
    try:
        text = field_label((where or "").replace("@", ""), vendor=False)
    except (KeyError, ValueError, IndexError):
        words = [w for w in re.split(r"[.\[\]@]+", where or "") if w and not w.isdigit()
                 and w != "vendors"]
        last = words[-1] if words else ""
        text = {"inhouse": "in-house cost", "": "this entry"}.get(last, last.replace("_", " "))
    if prefix:
        text = text[:1].lower() + text[1:]
    text = prefix + text
    return text[:1].upper() + text[1:]


class Session:
    """The shared scenario and its results; steps listen with :meth:`listen`.

    After :meth:`changed`, exactly one of ``result`` (a namespace of ``scenario``,
    ``evaluation``, ``comparison``, ``decision``) or ``blocked`` (a sentence: what is
    missing or wrong) is set.
    """

    def __init__(self, data: dict | None = None, *, compute: bool = True):
        self.data = data if data is not None else empty()
        self.compute = compute     # False: a panel computes what it shows itself
        self.selected: str | None = None     # the quote the headline and Quotes show
        self.result = None
        self.blocked = ""
        self.problems: list[str] = []
        self.ms = 0.0
        self.entries = Entries()       # what she typed that cannot be used yet
        self.left_out: dict[str, str] = {}   # quotes blank until an entry is fixed, and why
        self.claims = None             # the claims she uploaded or the file names (app.losses)
        self._listeners: list[Callable] = []
        self._hold = 0

    # -- loading -------------------------------------------------------------------------

    def replace(self, data: dict) -> None:
        """Start over from a mapping (a new practice, an example, an opened file)."""
        self.data = data
        self.entries.reset()
        names = [v["name"] for v in data.get("vendors", [])]
        self.selected = names[0] if names else None
        self.changed(reload=True)

    def open_file(self, path, shown_name: str | None = None) -> None:
        """Open a scenario file; a bad file raises :class:`RcmInputError` naming it as
        the user knows it (``shown_name``), and leaves the current scenario alone."""
        self.replace(open_scenario(path, shown_name))

    # -- listening -----------------------------------------------------------------------

    def listen(self, fn: Callable) -> None:
        """``fn(session, reload)`` after each change; ``reload`` when a new scenario came."""
        self._listeners.append(fn)

    def changed(self, reload: bool = False) -> None:
        """Recompute from ``data`` and tell every step."""
        t0 = time.perf_counter()
        if self.compute:
            self._compute()
        self.ms = 1e3 * (time.perf_counter() - t0)
        for fn in self._listeners:
            fn(self, reload)

    def _compute(self) -> None:
        from types import SimpleNamespace

        from ..model.evaluate import evaluate
        from ..vendors.decision import decide
        from ..vendors.ranking import compare

        self.result, self.problems, self.left_out = None, [], {}
        gaps = missing(self.data)
        if self.entries.practice:
            self.blocked = ("Every figure is blank until this is fixed: "
                            + "; ".join(self.entries.practice))
            return
        if gaps:
            self.blocked = "To see your figures, enter " + _listing(gaps) + "."
            return
        left_out = {name: "; ".join(t) for name, t in self.entries.vendors.items()}
        for name, why in needing(self.data).items():
            left_out.setdefault(name, why)
        data = copy.deepcopy(self.data)
        for _attempt in range(2):
            data["vendors"] = [v for v in self.data.get("vendors", [])
                               if v.get("name") not in left_out]
            if not data["vendors"]:
                self.left_out = left_out
                self.blocked = blank_line(left_out)
                return
            try:
                scenario = scenario_with_claims(parse_scenario(copy.deepcopy(data), None))
                break
            except RcmInputError as exc:
                own = _vendor_problems(exc, data)
                if own and len(own) == len(exc.problems) and _attempt == 0:
                    for name, text in own:
                        left_out.setdefault(name, text)
                    continue
                self.problems = [f"{plain_where(p.where, data)}: {p.message}" if p.where
                                 else p.message for p in exc.problems]
                self.blocked = "Some entries need fixing: " + "; ".join(self.problems)
                return
        self.left_out = left_out
        evaluation = evaluate(scenario)
        comparison = compare(scenario, evaluation=evaluation)
        decision = decide(scenario, evaluation, comparison)
        self.blocked = ""
        names = [v.name for v in evaluation.vendors]
        if self.selected not in names and self.selected not in left_out:
            self.selected = names[0]
        from ..model.plausibility import plausibility

        self.result = SimpleNamespace(scenario=scenario, evaluation=evaluation,
                                      comparison=comparison, decision=decision,
                                      warnings=plausibility(scenario, evaluation),
                                      left_out=dict(left_out))

    @property
    def complete(self) -> bool:
        """Figures for every quote and the decision: nothing typed waits to be fixed."""
        return self.result is not None and not self.left_out and not self.entries

    # -- reading -------------------------------------------------------------------------

    def vendor_result(self, name: str | None = None):
        """The evaluation of one quote (the selected one by default)."""
        if self.result is None:
            return None
        name = name or self.selected
        for v in self.result.evaluation.vendors:
            if v.name == name:
                return v
        return None

    @property
    def net_gain(self) -> float | None:
        """The selected quote's steady-state net gain as the decision plans it (the quote's,
        unless the practice's claims cap its uplift): what ``.rcm-net-gain`` shows."""
        v = self.vendor_result()
        if v is None:
            return None
        g = float(v.planning.net_gain)
        return g if math.isfinite(g) else None

    def file_stem(self) -> str:
        name = re.sub(r"[^A-Za-z0-9]+", "-", str(self.data.get("name") or "")).strip("-")
        return name.lower()[:60] or "my-practice"


def _vendor_problems(exc: RcmInputError, data: dict) -> list[tuple[str, str]]:
    """(quote name, the problem in words) for each problem inside one quote."""
    out = []
    vendors = data.get("vendors", [])
    for p in exc.problems:
        m = re.match(r"vendors\[(\d+)\]", p.where or "")
        if not m or int(m.group(1)) >= len(vendors):
            continue
        name = vendors[int(m.group(1))].get("name") or f"Quote {int(m.group(1)) + 1}"
        out.append((name, f"{plain_where(p.where, data)}: {p.message}"))
    return out


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
