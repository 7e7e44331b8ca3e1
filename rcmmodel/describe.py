"""Words and numbers for people: money and rate formats, ranges said as sentences.

A leaf module (it imports nothing of ours), so every layer can say a number the same way.
A quote's pricing is described by :func:`rcmmodel.pricing.pricing_label`;
labels for fields, flags and sources live in :mod:`rcmmodel.present.labels`.
"""
from __future__ import annotations

import math

# The 5th and 95th percentiles of a normal lie this many standard deviations from its mean.
_Z90 = 1.6448536269514722

def money(x, cents: bool = False) -> str:
    """'$51,500' (or '-$1,234.50' with cents); an em dash for None or NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    x = float(x)
    text = f"${abs(x):,.2f}" if cents else f"${abs(round(x)):,.0f}"
    return f"-{text}" if x < 0 and text.strip("$0.,") else text


def pct(x, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{float(x) * 100:.{digits}f}%"


def count(n, word: str, many: str | None = None) -> str:
    """A number and its noun, singular or plural: the one place plurals are made.

    >>> count(1, "provider"), count(2, "provider"), count(1, "quote"), count(3, "day")
    ('1 provider', '2 providers', '1 quote', '3 days')
    >>> count(1_200, "claim"), count(1, "person", "people"), count(0, "vendor")
    ('1,200 claims', '1 person', '0 vendors')
    """
    n = int(n) if float(n).is_integer() else float(n)
    return f"{n:,} {word if n == 1 else (many or word + 's')}"


def score(x, digits: int = 0) -> str:
    """A ranking score (0-100) for people, half a point always rounded up, so the same score
    reads the same in a table (no decimals) and in a sentence (one).

    >>> score(80.5), score(81.5), score(81.25, 1), score(81.75, 1), score(None)
    ('81', '82', '81.3', '81.8', '—')
    """
    from decimal import ROUND_HALF_UP, Decimal

    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    step = Decimal(1).scaleb(-digits)
    # through repr: 81.25 is stored a hair under, and must still round up
    return str(Decimal(repr(float(x))).quantize(step, rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------------------
# Text from input files, made safe to show (docs/methodology.md §9 and
# docs/architecture.md: no control sequence reaches a
# terminal, no markup or script link reaches a page, no message quotes a whole structure)
# --------------------------------------------------------------------------------------

QUOTE_LIMIT = 80
# Bidirectional overrides and isolates reorder what a terminal or page shows ("Trojan
# Source"); line and paragraph separators break lines like a newline would.
_INVISIBLE = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\u200e\u200f")


def is_control(ch: str) -> bool:
    """True for a character that steers a terminal or reorders text instead of showing."""
    code = ord(ch)
    return code < 0x20 or 0x7f <= code < 0xa0 or ch in _INVISIBLE


def safe_text(text, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape, e.g. ``'\\x1b[31m'``.

    >>> safe_text("Acme\\x1b[2J RCM")
    'Acme\\\\x1b[2J RCM'
    """
    text = str(text)
    if not any(is_control(c) for c in text):
        return text
    return "".join(c if not is_control(c) or (keep_newlines and c == "\n")
                   else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
                   for c in text)


def plain_text(text):
    """A name from an input file fit to draw or print: each run of control characters
    (ESC, BEL, VT, a line break, a bidirectional override) becomes one space; None stays None.

    >>> plain_text("Aetna\\x1b[31m\\x07 PPO\\n")
    'Aetna [31m PPO'
    """
    if text is None or not isinstance(text, str) or not any(is_control(c) for c in text):
        return text
    return " ".join("".join(" " if is_control(c) else c for c in text).split())


def clip(text: str, limit: int = QUOTE_LIMIT) -> str:
    """At most ``limit`` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def shown(value, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message may quote it: its repr, safe and at most ``limit`` characters.

    A nested structure is summarised, never walked in full, so a message stays short and
    quick whatever the input holds.

    >>> len(shown("x" * 200))
    80
    >>> shown({"a": [1, 2, 3, 4, 5, 6, 7, 8]})
    "{'a': [1, 2, 3, 4, 5, 6, ...]}"
    """
    import reprlib

    r = reprlib.Repr()
    r.maxlevel, r.maxdict, r.maxlist, r.maxtuple, r.maxset = 2, 4, 6, 6, 6
    r.maxstring, r.maxother, r.maxlong = limit + 2, limit, 40
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 256:
        return "a number too large to show"      # repr of a 5,000-digit int is refused
    try:
        text = r.repr(value)
    except ValueError:
        text = f"a {type(value).__name__}"
    return clip(safe_text(text), limit)


def safe_href(name: str) -> str:
    """A relative, URL-quoted link to a file beside the page: ``./name`` with every
    character that could start a scheme, query or markup quoted.

    >>> safe_href("javascript:alert(1).html")
    './javascript%3Aalert%281%29.html'
    """
    from urllib.parse import quote

    return "./" + quote(str(name), safe="-_.~")


def rate(x) -> str:
    """A rate as few digits as it needs: 0.07 -> '7%', 0.0765 -> '7.65%'."""
    return f"{round(float(x) * 100, 2):g}%"


def fee(x) -> str:
    """A small fee with cents where it has them: 6.5 -> '$6.50', 500 -> '$500'."""
    x = float(x)
    return money(x, cents=abs(x) < 100 and x != round(x))


def possessive(name: str) -> str:
    """"Acme RCM's", but "Billing Pros'": a name ending in s takes the apostrophe alone."""
    name = str(name)
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def is_range(x) -> bool:
    """Whether ``x`` is an uncertain input (a scenario distribution) rather than a number."""
    return hasattr(x, "kind") and hasattr(x, "params")


def spread(d, fmt=lambda v: f"{v:,.4g}", unit: str = "", compact: bool = False) -> str:
    """An uncertain input said in words.

    ``d`` is a scenario distribution (anything with ``kind`` and ``params``); ``fmt`` formats
    one value; ``unit`` follows the last number of a range ("days").

    >>> from types import SimpleNamespace as D
    >>> spread(D(kind="triangular", params={"low": 60, "mode": 75, "high": 120}),
    ...        lambda v: f"{v:g}", " days")
    'between 60 and 120 days, most likely 75'
    >>> spread(D(kind="uniform", params={"low": 6, "high": 9.5}), fee)
    'anywhere between $6 and $9.50, every value equally likely'
    >>> spread(D(kind="pert", params={"low": .05, "mode": .1, "high": .2}), rate, compact=True)
    'most likely 10% (5% to 20%)'
    """
    p = d.params
    if d.kind in ("triangular", "pert"):
        lo, mid, hi = p["low"], p["mode"], p["high"]
        if compact:
            return f"most likely {fmt(mid)}{unit} ({fmt(lo)} to {fmt(hi)})"
        return f"between {fmt(lo)} and {fmt(hi)}{unit}, most likely {fmt(mid)}"
    if d.kind == "uniform":
        lo, hi = p["low"], p["high"]
        if compact:
            return f"{fmt(lo)} to {fmt(hi)}{unit}"
        return f"anywhere between {fmt(lo)} and {fmt(hi)}{unit}, every value equally likely"
    if d.kind == "normal":
        mid, sd = p["mean"], p["sd"]
        lo, hi = mid - _Z90 * sd, mid + _Z90 * sd
        if compact:
            return f"about {fmt(mid)}{unit} ({fmt(lo)} to {fmt(hi)})"
        return (f"about {fmt(mid)}{unit}, give or take {fmt(sd)}; nine times in ten between "
                f"{fmt(lo)} and {fmt(hi)}")
    mid, sigma = p["median"], p["sigma"]           # lognormal
    lo, hi = mid * math.exp(-_Z90 * sigma), mid * math.exp(_Z90 * sigma)
    if compact:
        return f"typically {fmt(mid)}{unit} ({fmt(lo)} to {fmt(hi)})"
    return f"typically {fmt(mid)}{unit}; nine times in ten between {fmt(lo)} and {fmt(hi)}"


def tier_band(tiers, k: int) -> str:
    """Where tier ``k`` applies, in words: 'up to $250,000', 'from $250,000 to $500,000',
    'above $500,000' (``tiers`` have ``up_to``, None for the open last band)."""
    upper = tiers[k].up_to
    lower = tiers[k - 1].up_to if k else None
    if lower is None:
        return f"up to {money(upper)}" if upper is not None else "on all collections"
    return (f"from {money(lower)} to {money(upper)}" if upper is not None
            else f"above {money(lower)}")


def text_table(headers, rows, align=None) -> list[str]:
    """A plain-text table as lines: ``align`` holds a format alignment per column ("<" or
    ">"; default: the first left, the rest right).

    >>> text_table(["KPI", "Value"], [("Days in A/R", "31")])
    ['KPI          Value', '-----------  -----', 'Days in A/R     31']
    """
    cells = [[str(c) for c in r] for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h)
              for i, h in enumerate(headers)]
    align = align or ["<"] + [">"] * (len(headers) - 1)
    fmt = "  ".join(f"{{:{a}{w}}}" for a, w in zip(align, widths))
    lines = [fmt.format(*headers), fmt.format(*("-" * w for w in widths))]
    return [line.rstrip() for line in lines + [fmt.format(*r) for r in cells]]
