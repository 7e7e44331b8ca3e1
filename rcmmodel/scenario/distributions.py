"""Uncertain inputs: any numeric scenario field may be a distribution
(docs/methodology.md §8, "Uncertain inputs"; the checks in §9).

``{dist: triangular, low, mode, high}``, ``pert`` (low, mode, high), ``uniform`` (low, high),
``normal`` (mean, sd) and ``lognormal`` (median, sigma). The deterministic model uses the
central value: the mode, the midpoint of a uniform, the mean, or the median.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..describe import clip, safe_text, shown

PARAMS = {
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high"),
    "uniform": ("low", "high"),
    "normal": ("mean", "sd"),
    "lognormal": ("median", "sigma"),
}


WORDS = {
    "triangular": "between low and high, most likely mode; the model uses the mode",
    "pert": "like triangular, with less weight in the tails; the model uses the mode",
    "uniform": "anywhere between low and high, equally likely; the model uses the midpoint",
    "normal": "around mean, give or take sd; the model uses the mean",
    "lognormal": "positive, typically median, with a long upper tail (sigma: spread of its "
                 "log); the model uses the median",
}


PARAM_WORDS = {"low": "the lowest value", "mode": "the most likely value",
               "high": "the highest value", "mean": "the mean", "sd": "the standard deviation",
               "median": "the median (half the values lie below it)",
               "sigma": "the standard deviation of the value's logarithm"}


def _schema_types() -> tuple:
    """One TypedDict per distribution, so the scenario's JSON Schema (``rcm schema``) can say
    what ``{dist: ...}`` takes; validation itself is :func:`parse_dist`."""
    from typing import Annotated, Literal

    from pydantic import ConfigDict, Field
    from typing_extensions import TypedDict

    out = []
    for kind, names in PARAMS.items():
        fields = {"dist": Annotated[Literal[kind], Field(description="The distribution.")],
                  **{name: Annotated[float, Field(description=PARAM_WORDS[name].capitalize()
                                                  + ".")] for name in names}}
        typed = TypedDict(f"{kind.capitalize()}Distribution", fields)
        typed.__pydantic_config__ = ConfigDict(
            extra="forbid", title=f"{kind} distribution",
            json_schema_extra={"description": f"An uncertain number: {WORDS[kind]}."})
        out.append(typed)
    return tuple(out)


SCHEMA_TYPES = _schema_types()


class DistError(ValueError):
    """A distribution's parameters are wrong; ``param`` names the one at fault, if any."""

    def __init__(self, message: str, param: str | None = None):
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class Dist:
    """One uncertain input. Build it with :func:`parse_dist` so it is always valid."""

    kind: str
    params: dict = field(hash=False)
    # The range the field allows (a rate in [0, 1], money >= 0): draws outside it are clipped,
    # so an unbounded normal never hands the model a negative fee or ramp.
    limits: tuple = (-np.inf, np.inf)

    def __getattr__(self, name):
        try:
            return self.__dict__["params"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def central(self) -> float:
        p = self.params
        return float({"triangular": lambda: p["mode"], "pert": lambda: p["mode"],
                      "uniform": lambda: (p["low"] + p["high"]) / 2,
                      "normal": lambda: p["mean"], "lognormal": lambda: p["median"]}[self.kind]())

    @property
    def bounds(self) -> tuple[float, float]:
        """The support: (low, high), infinite where unbounded."""
        p = self.params
        if self.kind in ("triangular", "pert", "uniform"):
            return p["low"], p["high"]
        if self.kind == "lognormal":
            return 0.0, np.inf
        return -np.inf, np.inf

    def frozen(self):
        """The scipy.stats frozen distribution."""
        from scipy import stats   # imported here: scipy.stats costs ~0.3 s at CLI start-up

        p = self.params
        if self.kind in ("triangular", "pert", "uniform"):
            low, high = p["low"], p["high"]
            scale = high - low
            if self.kind == "uniform":
                return stats.uniform(loc=low, scale=scale)
            c = (p["mode"] - low) / scale
            if self.kind == "triangular":
                return stats.triang(c, loc=low, scale=scale)
            # PERT: a beta scaled to [low, high] with the usual lambda = 4.
            return stats.beta(1 + 4 * c, 1 + 4 * (1 - c), loc=low, scale=scale)
        if self.kind == "normal":
            return stats.norm(loc=p["mean"], scale=p["sd"])
        return stats.lognorm(s=p["sigma"], scale=p["median"])

    def ppf(self, q):
        return np.clip(self.frozen().ppf(q), *self.limits)

    def sample(self, rng: np.random.Generator, size: int) -> np.ndarray:
        draws = np.asarray(self.frozen().rvs(size=size, random_state=rng), dtype=float)
        return np.clip(draws, *self.limits, out=draws)

    def to_dict(self) -> dict:
        return {"dist": self.kind, **self.params}

    def __str__(self) -> str:
        inner = ", ".join(f"{k} {v:g}" for k, v in self.params.items())
        return f"{self.kind}({inner})"


def _number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise DistError(f"must be a number, got {shown(value)}", name)
    value = float(value)
    if not np.isfinite(value):
        raise DistError("must be a finite number", name)
    return value


def parse_dist(spec: dict) -> Dist:
    """Validate a ``{dist: ..., ...}`` mapping into a :class:`Dist`."""
    kind = spec.get("dist")
    if not isinstance(kind, str) or kind not in PARAMS:
        raise DistError(f"unknown distribution {shown(kind)}; use one of {', '.join(PARAMS)}",
                        "dist")
    names = PARAMS[kind]
    unknown = sorted(str(k) for k in set(spec) - set(names) - {"dist"})
    if unknown:      # the key becomes part of a field path: keep it short and printable
        raise DistError(f"{kind} takes {', '.join(names)}; unknown parameter",
                        clip(safe_text(unknown[0]), 40))
    missing = [n for n in names if n not in spec]
    if missing:
        raise DistError(f"{kind} needs {', '.join(names)}; missing", missing[0])
    p = {n: _number(n, spec[n]) for n in names}
    if kind in ("triangular", "pert"):
        if not p["low"] < p["high"]:
            raise DistError("low must be below high", "high")
        if not p["low"] <= p["mode"] <= p["high"]:
            raise DistError("mode must lie between low and high", "mode")
    elif kind == "uniform":
        if not p["low"] < p["high"]:
            raise DistError("low must be below high", "high")
    elif kind == "normal":
        if not p["sd"] > 0:
            raise DistError("sd must be greater than 0", "sd")
    elif kind == "lognormal":
        if not p["median"] > 0:
            raise DistError("median must be greater than 0", "median")
        if not p["sigma"] > 0:
            raise DistError("sigma must be greater than 0", "sigma")
    return Dist(kind, p)


def central(x):
    """The deterministic value of a scenario number: itself, or a distribution's centre."""
    return x.central if isinstance(x, Dist) else x
