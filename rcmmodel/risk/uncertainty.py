"""Monte Carlo over a scenario's distributions
(docs/methodology.md §8 How sure the answer is).

Every distribution in the scenario is drawn N times from one seeded generator and the whole
model, timeline included, runs once per chunk of draws on numpy arrays: the same
:func:`~rcmmodel.model.vendor_figures` the deterministic answer uses, never a Python loop per
draw. Chunks keep memory bounded; the per-draw net gain and NPV of every vendor are kept
(float64, 16 bytes a draw a vendor) so the percentiles are exact, not merged estimates.

>>> from rcmmodel.scenario import parse_scenario
>>> s = parse_scenario({"name": "x", "practice": {"annual_collections": 500000},
...     "inhouse": {"annual_cost": 40000},
...     "vendors": [{"name": "A", "uplift": 0.10,
...                  "pricing": {"model": "percentage", "rate": {"dist": "uniform",
...                                                              "low": 0.10, "high": 0.20}}}]})
>>> r = simulate(s, draws=200000, seed=1)
>>> round(r.vendors[0].prob_positive, 2)      # the uplift is drawn from 0 to 10% as well
0.37
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..scenario.distributions import Dist, central
from ..errors import RcmInputError
from ..model.inputs import scenario_inputs, uncertain_fields
from ..model.gain import vendor_figures
from ..scenario.schema import Scenario

from .._json import cents
from . import DEFAULT_DRAWS, DEFAULT_SEED  # noqa: E402  (re-exported)
CHUNK = 65_536            # 64k draws x 36 months x 8 bytes ~ 19 MB per temporary array
PROGRESS_MIN_DRAWS = 200_000   # below this a run takes well under a second: no bar
QUANTILES = (5, 50, 95)


@dataclass
class VendorSimulation:
    """One vendor's simulated outcomes; ``net_gain`` and ``npv`` hold one value per draw."""

    name: str
    eligible: bool
    net_gain: np.ndarray
    npv: np.ndarray
    prob_recommended: float = 0.0      # share of draws the decision recommends it

    def percentiles(self, measure: str = "net_gain") -> dict:
        """``{"p05": .., "p50": .., "p95": ..}`` of ``net_gain`` or ``npv``."""
        values = np.percentile(getattr(self, measure), QUANTILES)
        return {f"p{q:02d}": float(v) for q, v in zip(QUANTILES, values)}

    @property
    def prob_positive(self) -> float | None:
        """Share of draws where the steady-state net gain is above zero; None for a vendor
        that cannot be chosen (no Business Associate Agreement): it never "pays"."""
        if not self.eligible:
            return None
        return float(np.count_nonzero(self.net_gain > 0)) / self.net_gain.size

    @property
    def mean(self) -> float:
        return float(self.net_gain.mean())

    def to_dict(self) -> dict:
        pct = lambda m: {k: cents(v) for k, v in self.percentiles(m).items()}
        return {"name": self.name, "net_gain": pct("net_gain"), "npv": pct("npv"),
                "prob_positive": self.prob_positive,
                "prob_recommended": self.prob_recommended, "eligible": self.eligible}


@dataclass
class Simulation:
    """The result of :func:`simulate`; ``.to_dict()`` is what ``rcm simulate --json`` prints."""

    scenario: Scenario
    draws: int
    seed: int
    uncertain: dict[str, Dist]
    vendors: list[VendorSimulation]
    prob_outsourcing_pays: float | None = None     # 1 - prob_stay: some vendor recommended
    prob_stay: float = 1.0                         # share of draws the decision stays in-house
    prob_improve: float = 0.0                      # of those, an in-house alternative wins
    alternatives: list = field(default_factory=list)   # risk.alternatives.AlternativeSimulation
    chunk: int = CHUNK
    inputs: dict[str, np.ndarray] = field(default_factory=dict)   # per-draw inputs, if kept

    def vendor(self, name: str) -> VendorSimulation:
        for v in self.vendors:
            if v.name == name:
                return v
        raise KeyError(name)

    def to_dict(self) -> dict:
        return {"scenario": self.scenario.name, "draws": self.draws, "seed": self.seed,
                "uncertain": {path: d.to_dict() for path, d in self.uncertain.items()},
                "vendors": [v.to_dict() for v in self.vendors],
                "prob_stay": self.prob_stay,
                "prob_outsourcing_pays": self.prob_outsourcing_pays,
                **({"alternatives": [a.to_dict() for a in self.alternatives],
                    "prob_improve": self.prob_improve} if self.alternatives else {})}

    def to_frame(self) -> pd.DataFrame:
        """One row per vendor: percentiles of net gain and NPV and the probabilities."""
        rows = []
        for v in self.vendors:
            row = {"vendor": v.name}
            for measure in ("net_gain", "npv"):
                row.update({f"{measure}_{k}": x for k, x in v.percentiles(measure).items()})
            row.update({"net_gain_mean": v.mean, "prob_positive": v.prob_positive,
                        "prob_recommended": v.prob_recommended, "eligible": v.eligible})
            rows.append(row)
        return pd.DataFrame(rows).set_index("vendor")

    def draws_frame(self, measure: str = "net_gain", limit: int | None = None) -> pd.DataFrame:
        """Per-draw values, one column per vendor (the first ``limit`` draws), for plots."""
        return pd.DataFrame({v.name: getattr(v, measure)[:limit] for v in self.vendors})


def check_draws(draws, what: str = "--draws") -> int:
    """``draws`` as a positive int, or :class:`RcmInputError` naming ``what``."""
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise RcmInputError.at(None, what, f"must be a whole number of draws of at least 1, "
                               f"got {draws!r}")
    return int(draws)


def _fill(out: np.ndarray, start: int, stop: int, value) -> None:
    # A figure that depends on no draw comes back a scalar: broadcast it into the chunk.
    out[start:stop] = value


def _draw_chunk(uncertain: dict[str, Dist], rng: np.random.Generator, n: int) -> dict:
    """One chunk of draws, one array per uncertain field, in a fixed field order."""
    return {path: dist.sample(rng, n) for path, dist in uncertain.items()}


def uplift_dist(quote, cap: float | None) -> Dist | None:
    """How a vendor's uplift is drawn (docs/methodology.md §8): a range as given, capped at
    ``cap``; a point ``u`` > 0 from triangular(0, u_plan, u_plan), "at most the promise,
    possibly nothing"; a point of 0 or below stays a point (None)."""
    if isinstance(quote, Dist):
        if cap is None:
            return quote
        low, high = quote.limits
        return Dist(quote.kind, quote.params, (low, min(high, float(cap))))
    from ..model.planning import capped

    u = capped(float(central(quote)), cap)
    if u <= 0:
        return None
    return Dist("triangular", {"low": 0.0, "mode": u, "high": u}, (0.0, u))


def simulate(scenario: Scenario, draws: int = DEFAULT_DRAWS, seed: int = DEFAULT_SEED,
             progress: bool | None = None, chunk: int = CHUNK,
             keep_inputs: bool = False, caps: dict[str, float] | None = None) -> Simulation:
    """Draw every distribution ``draws`` times and evaluate every vendor on each draw.

    Parameters
    ----------
    scenario : Scenario
        A validated scenario; any numeric field may hold a :class:`~rcmmodel.scenario.distributions.Dist`.
    draws : int
        Number of Monte Carlo draws (at least 1).
    seed : int
        Seed of the numpy Generator. The same seed, draws and chunk give identical results.
    progress : bool or None
        Show a tqdm bar on stderr. None: only for runs of ``PROGRESS_MIN_DRAWS`` or more.
    chunk : int
        Draws evaluated at once; bounds the memory of the (chunk, months) timeline arrays.
    keep_inputs : bool
        Keep each uncertain input's draws in ``Simulation.inputs`` (by field path), e.g. to
        plot net gain against uplift or to check a draw by hand.
    caps : dict, optional
        Vendor name -> the most its uplift can be; by default the high end of what the
        practice's claims show being lost (``scenario.claims_evidence``), where usable.
        Every vendor's uplift is drawn as :func:`uplift_dist` says.

    Returns
    -------
    Simulation
        Per vendor: per-draw net gain and NPV, percentiles, ``prob_positive`` and
        ``prob_recommended`` (the decision's rule in every draw,
        :func:`rcmmodel.vendors.odds.decision_odds`); overall ``prob_stay``.
    """
    from ..vendors.odds import decision_odds
    from .alternatives import AlternativeSimulation, alternative_dists, alternative_draws
    from ..vendors.ranking import compare

    draws = check_draws(draws)
    chunk = check_draws(chunk, "chunk")
    rng = np.random.default_rng(seed)
    uncertain = dict(uncertain_fields(scenario))
    ev = scenario.claims_evidence
    if caps is None:                 # the practice's claims, where usable, cap every uplift
        caps = {v.name: ev.high for v in scenario.vendors} if ev is not None and ev.usable \
            else {}
    for i, v in enumerate(scenario.vendors):
        d = uplift_dist(v.uplift, (caps or {}).get(v.name))
        if d is not None:
            uncertain[f"vendors[{i}].uplift"] = d
        else:
            uncertain.pop(f"vendors[{i}].uplift", None)
    cap = ev.high if ev is not None and ev.usable else None      # as a vendor's
    uncertain.update(alternative_dists(scenario, cap, uplift_dist))
    alt_gains = np.empty((len(scenario.alternatives), draws))
    alt_npvs = np.empty_like(alt_gains)
    names = [v.name for v in scenario.vendors]
    eligible = np.array([v.profile.baa_offered is not False for v in scenario.vendors])
    gains = np.empty((len(names), draws))
    npvs = np.empty((len(names), draws))
    kept = {path: np.empty(draws) for path in uncertain} if keep_inputs else {}
    # Without distributions every chunk is the same scalar answer: one pass suffices.
    step = chunk if uncertain else draws
    bar = _progress(draws, progress)
    try:
        for start in range(0, draws, step):
            stop = min(draws, start + step)
            drawn = _draw_chunk(uncertain, rng, stop - start)
            for path, values in kept.items():
                values[start:stop] = drawn[path]
            inputs = scenario_inputs(
                scenario, lambda path, value: drawn[path] if path in drawn else central(value))
            for k, vendor in enumerate(inputs.vendors):
                figures = vendor_figures(inputs, vendor, with_months=False)
                _fill(gains[k], start, stop, figures.net_gain)
                _fill(npvs[k], start, stop, figures.npv)
            for k, (g, v) in enumerate(zip(*alternative_draws(
                    scenario, drawn, inputs.practice.collections, inputs.timeline))):
                _fill(alt_gains[k], start, stop, g)
                _fill(alt_npvs[k], start, stop, v)
            if bar is not None:
                bar.update(stop - start)
    finally:
        if bar is not None:
            bar.close()
    odds = decision_odds(compare(scenario), gains, npvs, alternatives=alt_gains)
    vendors = [VendorSimulation(name=n, eligible=bool(e), net_gain=gains[k], npv=npvs[k],
                                prob_recommended=odds.prob_recommended[k])
               for k, (n, e) in enumerate(zip(names, eligible))]
    return Simulation(scenario=scenario, draws=draws, seed=seed, uncertain=uncertain,
                      vendors=vendors, prob_outsourcing_pays=1.0 - odds.prob_stay,
                      prob_stay=odds.prob_stay, chunk=chunk, inputs=kept,
                      prob_improve=odds.prob_improve,
                      alternatives=[AlternativeSimulation(a.name, alt_gains[k], alt_npvs[k])
                                    for k, a in enumerate(scenario.alternatives)])


def _progress(total: int, progress: bool | None):
    if progress is False or (progress is None and total < PROGRESS_MIN_DRAWS):
        return None
    from tqdm.auto import tqdm
    return tqdm(total=total, unit="draw", unit_scale=True, desc="simulate", leave=False)
