"""A consultant's or billing company's identity on its reports: ``--brand FILE``.

The brand file is YAML::

    name: Northwind Billing Partners       # required: who prepared the report
    logo: northwind.png                   # optional: PNG, JPEG or SVG, relative to this file
    colors:
      primary: "#0b3d91"                  # headings and rules
      accent: "#f28c28"                   # the recommendation's edge, highlights
    contact: "Jane Roe · jane@northwind.example · (555) 010-2000"

It is read and checked before any report runs (a mistake exits 2 naming the field). The
logo is embedded as a data URI (an SVG cleaned of scripts and outside references first:
:mod:`rcmmodel.reports.logo`), so the HTML stays one self-contained file; the name and
contact are escaped wherever they appear, so brand text never becomes markup.
"""
from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path

from .._files import read_input, read_small_text
from ..errors import Problem, RcmInputError
from .logo import UnsafeSvg, clean_svg

MAX_FILE = 64 * 1024                 # a brand file is a few lines
MAX_LOGO = 2 * 1024 * 1024           # a logo is an image for a page header, not a photo
MAX_NAME, MAX_CONTACT = 120, 300
DEFAULT_PRIMARY, DEFAULT_ACCENT = "#12355b", "#2e7d32"
_HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_KEYS = {"name", "logo", "colors", "contact"}
_COLOR_KEYS = {"primary", "accent"}


@dataclass(frozen=True)
class Brand:
    """Who prepared a report, as shown on its cover and footer."""

    name: str
    primary: str = DEFAULT_PRIMARY
    accent: str = DEFAULT_ACCENT
    contact: str = ""
    logo: str | None = None          # a data URI (data:image/png;base64,...)


def _image_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")) and \
            b"<svg" in data[:65536].lower():
        return "image/svg+xml"
    return None


def _text(value, where: str, limit: int, problems: list, file: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(file, where, "must be text, e.g. "
                                + ("'Northwind Billing Partners'" if where == "name"
                                   else "'Jane Roe · jane@example.com'")))
        return None
    if _CONTROL.search(value):
        problems.append(Problem(file, where, "must not hold control characters or line breaks"))
        return None
    if len(value) > limit:
        problems.append(Problem(file, where, f"at most {limit} characters (it has "
                                             f"{len(value)})"))
        return None
    return value.strip()


def _logo(value, base: Path, problems: list, file: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        problems.append(Problem(file, "logo", "must be the path of a PNG, JPEG or SVG image"))
        return None
    path = Path(value)
    path = path if path.is_absolute() else base / path
    try:
        data = read_input(path, "logo", MAX_LOGO, f"{value[:80]}: the image is over 2 MB; "
                          "use one under 2 MB")
    except RcmInputError as exc:
        said = exc.problems[0].message
        if said == "no such file":
            said = (f"no such image file: {value[:80]} (a path relative to the brand file)")
        elif not said.startswith(value[:80]):
            said = f"{value[:80]}: {said}"
        problems.append(Problem(file, "logo", said))
        return None
    kind = _image_type(data)
    if kind is None:
        problems.append(Problem(file, "logo", f"{value[:80]} is not a PNG, JPEG or SVG image"))
        return None
    if kind == "image/svg+xml":
        try:
            data = clean_svg(data)       # nothing in it runs or reaches outside the logo
        except UnsafeSvg as exc:
            problems.append(Problem(file, "logo", f"{value[:80]}: {exc}"))
            return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def parse_brand(data, file: str = "brand", base_dir: Path | None = None) -> Brand:
    """Validate a mapping (as read from a brand file) into a :class:`Brand`; every problem
    is reported at once, each naming its field."""
    if not isinstance(data, dict):
        raise RcmInputError.at(file, "", "a brand file must be a YAML mapping with name, "
                                         "logo, colors and contact")
    problems: list[Problem] = []
    for key in sorted(set(data) - _KEYS, key=str):
        problems.append(Problem(file, str(key)[:80], "unknown key; a brand file has "
                                                     "name, logo, colors and contact"))
    name = _text(data.get("name"), "name", MAX_NAME, problems, file)
    contact = ""
    if data.get("contact") is not None:
        contact = _text(data.get("contact"), "contact", MAX_CONTACT, problems, file) or ""
    colors = data.get("colors") or {}
    found = {"primary": DEFAULT_PRIMARY, "accent": DEFAULT_ACCENT}
    if not isinstance(colors, dict):
        problems.append(Problem(file, "colors", "must give primary and accent, e.g. "
                                                "{primary: '#0b3d91', accent: '#f28c28'}"))
        colors = {}
    for key in sorted(set(colors) - _COLOR_KEYS, key=str):
        problems.append(Problem(file, f"colors.{str(key)[:40]}",
                                "unknown colour; give primary and accent"))
    for key in ("primary", "accent"):
        if key in colors:
            value = colors[key]
            if isinstance(value, str) and _HEX.fullmatch(value.strip()):
                found[key] = value.strip()
            else:
                problems.append(Problem(file, f"colors.{key}", f"must be a hex colour like "
                                        f"'#0b3d91' (quoted in YAML), got {str(value)[:80]!r}"))
    logo = None
    if data.get("logo") is not None:
        logo = _logo(data["logo"], base_dir or Path.cwd(), problems, file)
    if problems:
        raise RcmInputError(problems)
    return Brand(name=name, primary=found["primary"], accent=found["accent"],
                 contact=contact, logo=logo)


def load_brand(path) -> Brand:
    """Read and check a brand file; raise :class:`RcmInputError` naming each bad field."""
    from ..scenario.yaml_loader import loads     # no aliases, duplicates or deep nesting

    path = Path(path)
    text = read_small_text(path, "--brand", MAX_FILE, "too large for a brand file (over 64 KB)")
    data = loads(text, str(path))
    return parse_brand(data, str(path), path.parent)


# ------------------------------------------------------------------ on the page

def brand_css(brand: Brand | None) -> str:
    """The brand's colours over the report's stylesheet (hex colours, checked on load)."""
    if brand is None:
        return ""
    p, a = brand.primary, brand.accent
    return (f"h1, h2, .rcm-brand-name {{ color: {p}; }} h2 {{ border-bottom-color: {p}33; }} "
            f".rcm-brand {{ border-bottom-color: {p}; }} "
            f".rcm-recommendation {{ border-left-color: {a}; }} "
            f".rcm-footer {{ border-top-color: {a}; }}")


def brand_header(brand: Brand | None) -> str:
    """The cover's masthead: logo, name and contact line (escaped)."""
    if brand is None:
        return ""
    e = html.escape
    logo = (f'<img class="rcm-brand-logo" src="{brand.logo}" alt="{e(brand.name)} logo">'
            if brand.logo else "")
    contact = f'<div class="rcm-brand-contact">{e(brand.contact)}</div>' if brand.contact else ""
    return (f'<header class="rcm-brand">{logo}<div><div class="rcm-brand-name">Prepared by '
            f'{e(brand.name)}</div>{contact}</div></header>')


def brand_footer(brand: Brand | None, running: bool = False) -> str:
    """The brand's line at the foot of every printed page (``running``: the copy placed
    first, which the printed page repeats in its margin) or at the end of the HTML page."""
    if brand is None:
        return ""
    text = html.escape(brand.name + (f" · {brand.contact}" if brand.contact else ""))
    kind = "rcm-running" if running else "rcm-end"
    return f'<footer class="rcm-footer {kind}">{text}</footer>'


__all__ = ["Brand", "brand_css", "brand_footer", "brand_header", "load_brand", "parse_brand"]
