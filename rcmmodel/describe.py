"""Words and numbers for people: money and percent formats shared by the CLI, charts and reports.

A quote's pricing is described by :func:`rcmmodel.scenario.pricing_models.pricing_label`.
"""
from __future__ import annotations

import math


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


# --------------------------------------------------------------------------------------
# Text from input files, made safe to show (SPEC 3 and 6: no control sequence reaches a
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
