"""Byte kernels of the X12 reader (:mod:`rcmmodel.claims.segments`): byte classes,
plain decimals parsed over columns of bytes, and short codes decoded once per distinct
value. Each works on numpy ``uint8`` or bytes arrays at array speed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def is_alnum(c):
    """ASCII letter or digit, for uint8 arrays (arithmetic: faster than a lookup table)."""
    return ((c | np.uint8(32)) - np.uint8(97) <= 25) | (c - np.uint8(48) <= 9)


def is_space(c):
    """Space, tab, line feed, vertical tab, form feed or carriage return (uint8 arrays)."""
    return (c == 32) | (c - np.uint8(9) <= 4)


def decimals(grid):
    """Plain decimals (``-12.50``, ``7``, ``.5``) parsed at array speed from zero-padded
    bytes laid out column-major (``grid[j]``: byte j of every value); ``odd`` marks
    values that are anything else (left to ``float``).

    Digits accumulate as an exact integer and one division by a power of ten rounds it,
    so the result equals ``float(text)`` for up to 15 significant digits.
    """
    digit = grid - np.uint8(48)                          # uint8: non-digits wrap high
    is_digit = digit <= 9
    dot = grid == 46
    minus = grid == 45
    ndig = np.count_nonzero(is_digit, axis=0)
    odd = (((grid != 0) & ~is_digit & ~dot & ~minus).any(axis=0)
           | (np.count_nonzero(dot, axis=0) > 1) | minus[1:].any(axis=0)
           | (ndig == 0) | (ndig > 15))
    digit *= is_digit
    value = np.zeros(grid.shape[1], dtype=np.int64)
    for col in range(grid.shape[0]):
        value *= np.where(is_digit[col], 10, 1)
        value += digit[col]
    # digits after the dot: in a plain decimal, every byte after it (odd ones are NaN)
    length = np.count_nonzero(grid, axis=0)
    at = (dot * np.arange(len(grid), dtype=np.int64)[:, None]).sum(axis=0)
    frac = np.where(dot.any(axis=0), length - 1 - at, 0)
    out = value / 10.0 ** frac
    out[minus[0]] *= -1
    out[odd] = np.nan
    return out + 0.0, odd


def labels(raw) -> np.ndarray:
    """Decode a bytes array with few distinct values: hash them (as integers when they
    fit in 8 bytes), decode each distinct value once."""
    if len(raw) == 0:
        return np.zeros(0, dtype=object)
    if raw.dtype.itemsize <= 8:
        ints = raw.astype("S8").view("<u8")
        codes, uniq = pd.factorize(ints)
        return decode(uniq.astype("<u8").view("S8"))[codes]
    uniq, inverse = np.unique(raw, return_inverse=True)
    return decode(uniq)[inverse.ravel()]


def decode(raw) -> np.ndarray:
    """A bytes array as Python strings (an object array), Latin-1 where not ASCII."""
    try:
        return raw.astype("U").astype(object)
    except UnicodeDecodeError:
        return np.array([v.decode("latin-1") for v in raw], dtype=object)
