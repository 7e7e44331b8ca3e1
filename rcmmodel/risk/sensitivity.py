"""Which inputs move the answer: tornado sensitivity and break-even maps (issue 4).

Both run the model once, vectorized: the tornado puts every swung input into one array of
2 x K cases (each input low, then high, the rest at base); a break-even map puts the whole
grid into one array. The numbers come from the same :mod:`rcmmodel.model` functions the
deterministic answer uses.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from ..scenario.distributions import central
from ..model.evaluate import evaluate
from ..model.inputs import main_fields, scenario_inputs, uncertain_fields, with_inputs
from ..model.breakeven import price_changes, price_of
from ..model.gain import steady_net_gain, vendor_figures
from ..model.planning import capped, planned_uplift
from ..pricing import PRICING_MODELS, has_rate, pricing_model
from ..scenario.schema import Scenario

TORNADO_LOW, TORNADO_HIGH = 0.10, 0.90
MAIN_SWING = 0.20
AXES = ("rate", "uplift", "collections", "inhouse_cost", "price")   # named in present.labels


def _vendor_index(scenario: Scenario, vendor: str | None, need_rate: bool = False) -> int:
    """The vendor asked for by name, else the highest planning net gain among eligible
    vendors (one with a fee rate if ``need_rate``), else the first."""
    names = [v.name for v in scenario.vendors]
    if vendor is not None:
        if vendor not in names:
            raise KeyError(f"no vendor named {vendor!r}; the scenario has {', '.join(names)}")
        k = names.index(vendor)
    else:
        result = evaluate(scenario)
        ranked = sorted(range(len(names)), key=lambda i: (not result.vendors[i].eligible,
                                                          -float(result.vendors[i].planning.net_gain)))
        if need_rate:
            ranked = [i for i in ranked if has_rate(scenario.vendors[i].pricing)] or ranked
        k = ranked[0]
    if need_rate and not has_rate(scenario.vendors[k].pricing):
        rated = " or ".join(m.key for m in PRICING_MODELS.values() if m.has_rate)
        raise ValueError(f"{names[k]}: a fee-rate axis needs {rated} pricing, "
                         f"not {scenario.vendors[k].pricing.model}")
    return k


def _plan(scenario: Scenario, k: int):
    """Vendor k's planned uplift, and the cap on any uplift the evidence sets (None where
    the practice's claims are not usable): the decision's ``u_plan = min(u_quote, e_high)``."""
    planned = planned_uplift(central(scenario.vendors[k].uplift), scenario.claims_evidence)
    high = scenario.claims_evidence.high if planned.basis == "claims" else None
    return planned, high


def _concerns(path: str, k: int) -> bool:
    """Whether an input can move vendor k's figures (another vendor's quote cannot)."""
    return not path.startswith("vendors[") or path.startswith(f"vendors[{k}].")


def tornado(scenario: Scenario, vendor: str | None = None, low: float = TORNADO_LOW,
            high: float = TORNADO_HIGH, swing: float = MAIN_SWING) -> pd.DataFrame:
    """Swing each input to a low and a high value, the rest at base; rank by net-gain swing.

    One method, whatever the scenario: every nonzero input, fixed ones included, goes to
    base x (1 -/+ ``swing``), except the uncertain ones, which go to their ``low`` and
    ``high`` percentiles (10th and 90th). ``attrs`` hold the method's figures (``swing``,
    ``low``, ``high``, ``uncertain``); :func:`rcmmodel.present.charts_risk.method_words` says
    it in words, for the chart's caption.

    The base is the decision's: the vendor's uplift at its planning value ``u_plan``
    (docs/methodology.md §6), and where the practice's claims cap it, no swing takes the
    uplift above the cap (the simulation truncates its draws the same way).

    Parameters
    ----------
    scenario : Scenario
    vendor : str, optional
        Whose net gain to rank by; default the eligible vendor with the highest planning
        net gain.

    Returns
    -------
    pandas.DataFrame
        One row per input, largest swing first: ``input`` (field path), ``base_value``,
        ``low_value``, ``high_value``, ``net_gain_low``, ``net_gain_high``, ``swing``
        (|high - low| in net gain), ``npv_low``, ``npv_high``. ``attrs`` hold ``vendor``,
        ``swing``, ``low`` and ``high`` (the percentiles), ``uncertain`` (whether any input
        goes to its percentiles), ``base_net_gain`` and ``base_npv`` (at the planning
        uplift), ``uplift`` and ``uplift_quoted``, ``capped`` (whether the claims cap the
        quote) and ``quoted_net_gain`` (the net gain at the quoted uplift).
    """
    k = _vendor_index(scenario, vendor)
    planned, cap = _plan(scenario, k)
    uncertain = {p: d for p, d in uncertain_fields(scenario).items() if _concerns(p, k)}
    cases = {p: (v, v * (1 - swing), v * (1 + swing))
             for p, v in main_fields(scenario).items() if v and _concerns(p, k)}
    cases.update({p: (d.central, float(d.ppf(low)), float(d.ppf(high)))
                  for p, d in uncertain.items()})
    # The uplift as the decision plans on it: at most what the practice's claims show being
    # lost, the base at u_plan (as the simulation truncates its draws at the cap).
    up = f"vendors[{k}].uplift"
    if up in cases:
        base, lo, hi = cases[up]
        if up not in uncertain:
            base = planned.uplift
            lo, hi = base * (1 - swing), base * (1 + swing)
        cases[up] = (capped(base, cap), capped(lo, cap), capped(hi, cap))
    paths = list(cases)
    n = 2 * len(paths)
    arrays = {}
    for j, path in enumerate(paths):
        base, lo, hi = cases[path]
        column = np.full(n, float(base))
        column[2 * j], column[2 * j + 1] = lo, hi
        arrays[path] = column

    def pick(path, value):
        return arrays[path] if path in arrays else central(value)

    quoted = scenario_inputs(scenario)
    planning = with_inputs(quoted, k, uplift=planned.uplift)
    base_fig = vendor_figures(planning, planning.vendors[k], with_months=False)
    quote_fig = vendor_figures(quoted, quoted.vendors[k], with_months=False)
    name = scenario.vendors[k].name
    columns = ["input", "base_value", "low_value", "high_value", "net_gain_low",
               "net_gain_high", "swing", "npv_low", "npv_high"]
    if n:
        inputs = scenario_inputs(scenario, pick)
        fig = vendor_figures(inputs, inputs.vendors[k], with_months=False)
        gain = np.broadcast_to(fig.net_gain, (n,))
        npv = np.broadcast_to(fig.npv, (n,))
        frame = pd.DataFrame({
            "input": paths, "base_value": [cases[p][0] for p in paths],
            "low_value": [cases[p][1] for p in paths], "high_value": [cases[p][2] for p in paths],
            "net_gain_low": gain[0::2], "net_gain_high": gain[1::2],
            "swing": np.abs(gain[1::2] - gain[0::2]),
            "npv_low": npv[0::2], "npv_high": npv[1::2]})
        # Ties in net gain (timeline-only inputs swing it by 0) are ranked by their NPV swing.
        frame["_npv_swing"] = np.abs(frame["npv_high"] - frame["npv_low"])
        # an input that moves nothing (claims under a % fee) is noise here
        frame = frame[(frame["swing"] > 1e-9) | (frame["_npv_swing"] > 1e-9)]
        frame = frame.sort_values(["swing", "_npv_swing"], ascending=False, kind="stable")
        frame = frame.drop(columns="_npv_swing").reset_index(drop=True)
    else:
        frame = pd.DataFrame(columns=columns)
    frame.attrs.update(vendor=name, swing=swing, low=low, high=high, uncertain=bool(uncertain),
                       base_net_gain=float(base_fig.net_gain),
                       base_npv=float(base_fig.npv), uplift=planned.uplift,
                       uplift_quoted=planned.quote, capped=planned.capped,
                       quoted_net_gain=float(quote_fig.net_gain))
    return frame


@dataclass
class BreakevenMap:
    """Net gain of one vendor over a grid of two inputs, and the line where it is zero."""

    vendor: str
    x: str                      # one of AXES
    y: str
    x_values: np.ndarray
    y_values: np.ndarray
    net_gain: np.ndarray        # shape (len(y_values), len(x_values))
    zero_line: pd.DataFrame     # columns x, y: for each x, the y where net gain = 0
    base: tuple                 # (x, y) of the scenario as the decision plans it (u_plan)
    pricing_model: str = ""     # the vendor's (registry key): what its "price" axis is
    price_in_dollars: bool = False   # the "price" axis is in dollars (a fee per unit)
    quote: tuple | None = None  # (x, y) at the quoted uplift, where the claims cap it

    def to_frame(self) -> pd.DataFrame:
        """Long form, one row per grid cell: ``x``, ``y``, ``net_gain``."""
        xx, yy = np.meshgrid(self.x_values, self.y_values)
        return pd.DataFrame({"x": xx.ravel(), "y": yy.ravel(), "net_gain": self.net_gain.ravel()})

    def to_dict(self) -> dict:
        return {"vendor": self.vendor, "x": self.x, "y": self.y,
                "x_values": self.x_values.tolist(), "y_values": self.y_values.tolist(),
                "net_gain": self.net_gain.tolist(), "base": list(self.base),
                "quote": None if self.quote is None else list(self.quote),
                "zero_line": self.zero_line.to_dict(orient="records")}


# The axes by the name with_inputs knows them by.
_INPUT = {"rate": "rate", "uplift": "uplift", "collections": "collections",
          "inhouse_cost": "inhouse_savings"}


def _with(inputs, k: int, values: dict):
    """``inputs`` with vendor k's price/rate/uplift or the practice's collections or the
    in-house savings replaced (scalars or arrays)."""
    unknown = [axis for axis in values if axis not in _INPUT and axis != "price"]
    if unknown:
        raise ValueError(f"unknown axis {unknown[0]!r}; use one of {', '.join(AXES)}")
    changes = {}
    for axis, value in values.items():
        if axis == "price":
            changes.update(price_changes(inputs, k, value))
        else:
            changes[_INPUT[axis]] = value
    return with_inputs(inputs, k, **changes)


def net_gain_at(inputs, k: int, values: dict):
    """Vendor k's steady-state net gain with the inputs of ``values`` (axis -> value or
    array) replaced, e.g. ``net_gain_at(inputs, 0, {"price": np.linspace(0, .2, 41)})``."""
    grid = _with(inputs, k, values)
    return steady_net_gain(grid.practice, grid.inhouse.savings, grid.vendors[k]).net_gain


def _base_value(inputs, k: int, axis: str) -> float:
    """Vendor k's value on ``axis`` in ``inputs``."""
    v = inputs.vendors[k]
    return float({"rate": lambda: v.pricing.rate, "price": lambda: price_of(inputs, k),
                  "uplift": lambda: v.uplift,
                  "collections": lambda: inputs.practice.collections,
                  "inhouse_cost": lambda: inputs.inhouse.savings}[axis]())


def _default_range(axis: str, base: float, points: int) -> np.ndarray:
    # Wide enough to hold the guide's ranges (fees 4-10%, uplift 10-20%) and the base.
    if axis == "rate" or (axis == "price" and base < 1):
        return np.linspace(0.0, max(0.20, 2 * base), points)
    if axis == "price":                     # a fee per claim, in dollars
        return np.linspace(0.0, 2.5 * base, points)
    if axis == "uplift":
        return np.linspace(min(0.0, 2 * base), max(0.30, 2 * base), points)
    return np.linspace(0.25 * base, 3.0 * base, points)


def breakeven_map(scenario: Scenario, vendor: str | None = None, x: str = "rate",
                  y: str = "uplift", x_values=None, y_values=None,
                  points: int = 41) -> BreakevenMap:
    """Steady-state net gain over a grid of ``x`` by ``y`` for one vendor, vectorized.

    Axes are ``"rate"`` (the vendor's fee rate), ``"uplift"``, ``"collections"`` (C0) and
    ``"inhouse_cost"`` (in-house savings). The inputs an axis does not move are the
    decision's (the uplift at its planning value); ``base`` is the scenario's point as the
    decision plans it and ``quote`` the point as quoted where the practice's claims cap it. The issue's two maps are fee rate x uplift
    (the default) and collections x fee rate (``x="collections", y="rate"``).

    Returns
    -------
    BreakevenMap
        ``net_gain[i, j]`` is the net gain at ``y_values[i]``, ``x_values[j]``;
        ``zero_line`` gives, for each x, the y where net gain crosses zero (rows only where
        it crosses inside the grid's y range).
    """
    if x == y:
        raise ValueError("x and y must be different inputs")
    k = _vendor_index(scenario, vendor, need_rate="rate" in (x, y))
    planned, _ = _plan(scenario, k)
    quoted = scenario_inputs(scenario)
    inputs = with_inputs(quoted, k, uplift=planned.uplift)     # as the decision plans it
    bx, by = _base_value(inputs, k, x), _base_value(inputs, k, y)
    qx, qy = _base_value(quoted, k, x), _base_value(quoted, k, y)
    xs = np.asarray(x_values if x_values is not None
                    else _default_range(x, max(bx, qx), points), float)
    ys = np.asarray(y_values if y_values is not None
                    else _default_range(y, max(by, qy), points), float)
    xx, yy = np.meshgrid(xs, ys)

    def gain(xv, yv):
        grid = _with(inputs, k, {x: xv, y: yv})
        return steady_net_gain(grid.practice, grid.inhouse.savings, grid.vendors[k]).net_gain

    z = np.broadcast_to(gain(xx.ravel(), yy.ravel()), (xx.size,)).reshape(xx.shape)
    rows = []
    for j, xv in enumerate(xs):
        col = z[:, j]
        # A sign change between grid cells brackets the root; brentq pins it exactly.
        cross = np.flatnonzero(np.signbit(col[:-1]) != np.signbit(col[1:]))
        for i in cross:
            f = lambda t: float(gain(xv, t))
            rows.append({"x": float(xv), "y": float(brentq(f, ys[i], ys[i + 1], xtol=1e-12))})
    zero = pd.DataFrame(rows, columns=["x", "y"])
    return BreakevenMap(vendor=scenario.vendors[k].name, x=x, y=y, x_values=xs, y_values=ys,
                        net_gain=np.asarray(z, dtype=float), zero_line=zero, base=(bx, by),
                        quote=(qx, qy) if planned.capped and (qx, qy) != (bx, by) else None,
                        pricing_model=inputs.vendors[k].pricing.model,
                        price_in_dollars=pricing_model(inputs.vendors[k].pricing).price_in_dollars)


__all__ = ["BreakevenMap", "breakeven_map", "net_gain_at", "tornado"]
