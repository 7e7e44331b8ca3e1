"""A root of a scalar function on a bracketing interval: Brent's method, in plain Python.

The same algorithm, step for step and in the same double-precision arithmetic, as
``scipy.optimize.brentq`` (Brent 1973, as written for SciPy by Charles Harris), so it finds
the very same root (tests/test_roots.py compares them bit for bit). It lives here because
importing ``scipy.optimize`` costs ~0.3 s of CPU, which every ``rcm evaluate``, ``rcm
compare`` and ``rcm report`` paid before its first break-even (docs/architecture.md: the
command line loads heavy libraries only where a command needs them). The function
evaluations cost far more than the few float operations of each step.

>>> round(brentq(lambda x: x * x - 2.0, 0.0, 2.0), 12)
1.414213562373
"""
from __future__ import annotations

import math

#: The smallest relative tolerance allowed: four times the machine epsilon (as SciPy's).
RTOL = 4 * 2.220446049250313e-16


def _sign_bit(x: float) -> bool:
    return math.copysign(1.0, x) < 0


def brentq(f, a: float, b: float, xtol: float = 2e-12, rtol: float = RTOL,
           maxiter: int = 100) -> float:
    """A root of ``f`` in ``[a, b]``, where ``f(a)`` and ``f(b)`` differ in sign.

    Converged when the bracket is narrower than ``xtol + rtol * |x|``.

    Raises
    ------
    ValueError
        ``f(a)`` and ``f(b)`` have the same sign, ``f`` returned NaN, or a tolerance is
        out of range.
    RuntimeError
        No convergence in ``maxiter`` steps.
    """
    if xtol <= 0:
        raise ValueError(f"xtol too small ({xtol:g} <= 0)")
    if rtol < RTOL:
        raise ValueError(f"rtol too small ({rtol:g} < {RTOL:g})")

    def value(x: float) -> float:
        fx = float(f(x))
        if math.isnan(fx):
            raise ValueError(f"the function is NaN at {x!r}")
        return fx

    xpre, xcur = float(a), float(b)
    xblk = fblk = spre = scur = 0.0
    fpre, fcur = value(xpre), value(xcur)
    if fpre == 0:
        return xpre
    if fcur == 0:
        return xcur
    if _sign_bit(fpre) == _sign_bit(fcur):
        raise ValueError("f(a) and f(b) must have different signs")
    for _ in range(maxiter):
        if fpre != 0 and fcur != 0 and _sign_bit(fpre) != _sign_bit(fcur):
            xblk, fblk = xpre, fpre
            spre = scur = xcur - xpre
        if abs(fblk) < abs(fcur):           # keep the best estimate in xcur
            xpre, xcur, xblk = xcur, xblk, xcur
            fpre, fcur, fblk = fcur, fblk, fcur
        delta = (xtol + rtol * abs(xcur)) / 2
        sbis = (xblk - xcur) / 2
        if fcur == 0 or abs(sbis) < delta:
            return xcur
        if abs(spre) > delta and abs(fcur) < abs(fpre):
            if xpre == xblk:                # interpolate (secant)
                stry = -fcur * (xcur - xpre) / (fcur - fpre)
            else:                           # extrapolate (inverse quadratic)
                dpre = (fpre - fcur) / (xpre - xcur)
                dblk = (fblk - fcur) / (xblk - xcur)
                stry = -fcur * (fblk * dblk - fpre * dpre) / (dblk * dpre * (fblk - fpre))
            bound = abs(spre) if abs(spre) < 3 * abs(sbis) - delta else 3 * abs(sbis) - delta
            if 2 * abs(stry) < bound:       # a good short step
                spre, scur = scur, stry
            else:                           # bisect
                spre = scur = sbis
        else:                               # bisect
            spre = scur = sbis
        xpre, fpre = xcur, fcur
        xcur += scur if abs(scur) > delta else (delta if sbis > 0 else -delta)
        fcur = value(xcur)
    raise RuntimeError(f"no convergence after {maxiter} iterations, value is {xcur!r}")
