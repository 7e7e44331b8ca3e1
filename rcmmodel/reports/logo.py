"""An SVG logo made safe to embed: it draws, and reaches for nothing.

An SVG is a document, not just a picture: it can hold scripts, HTML (``foreignObject``),
and links to other files (``<image href="file:///...">``, ``<use href="other.svg#x">``,
``fill="url(http://...)"``, ``@import`` in a ``<style>``) that a renderer would fetch and
draw into the report. :func:`clean_svg` keeps the drawing and removes every such reach:

- elements that run or embed other content (``script``, ``foreignObject``, ``iframe``,
  ``object``, ``embed``, ``audio``, ``video``, ``animate``/``set`` that could rewrite a link)
  are removed with their content;
- an ``href`` is kept only where it points inside the logo (``#id``), or, on ``<image>``,
  where it holds a PNG, JPEG or GIF as a ``data:`` URI (the logo's own bytes); an
  ``<image>``, ``<use>`` or ``<feImage>`` left without one is removed;
- event handlers (``on...``) are removed, and so is any attribute or ``<style>`` whose CSS
  names a URL other than ``url(#id)`` or holds ``@import``;
- a DOCTYPE (where entities that read files are declared) is refused outright.

The PDF renderer is also given a fetcher that refuses every URL but ``data:``
(:func:`rcmmodel.reports.pdf.no_fetching`): two locks on the same door.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
_DROP = {"script", "foreignobject", "iframe", "object", "embed", "audio", "video",
         "animate", "set", "animatemotion", "animatetransform", "handler", "listener"}
_NEEDS_HREF = {"image", "use", "feimage"}
_RASTER = re.compile(r"data:image/(?:png|jpeg|gif);base64,[A-Za-z0-9+/=\s]*\Z")
_EXTERNAL_CSS = re.compile(r"url\(\s*(?![\s'\"]*#)|@import|expression\(", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!\s*(?:doctype|entity)", re.IGNORECASE)


class UnsafeSvg(ValueError):
    """An SVG that cannot be made safe (a DOCTYPE, not XML, not an ``<svg>``)."""


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def _href_ok(element: str, value: str) -> bool:
    value = value.strip()
    return value.startswith("#") or (element == "image" and bool(_RASTER.match(value)))


def _clean(node) -> None:
    for child in list(node):
        if not isinstance(child.tag, str):             # a comment or processing instruction
            node.remove(child)
            continue
        name = _local(child.tag)
        if name in _DROP:
            node.remove(child)
            continue
        if name == "style" and _EXTERNAL_CSS.search(child.text or ""):
            node.remove(child)
            continue
        linked = False
        for attr, value in list(child.attrib.items()):
            key = _local(attr)
            if key == "href":
                if _href_ok(name, value):
                    linked = True
                else:
                    del child.attrib[attr]
            elif key.startswith("on") or _EXTERNAL_CSS.search(value):
                del child.attrib[attr]
        if name in _NEEDS_HREF and not linked:
            node.remove(child)
            continue
        _clean(child)


def clean_svg(data: bytes) -> bytes:
    """The SVG ``data`` with every script, embedded document and outside reference removed
    (see the module's notes); raises :class:`UnsafeSvg` for a DOCTYPE or what is not an
    SVG document."""
    if _DOCTYPE.search(data):
        raise UnsafeSvg("an SVG with a DOCTYPE or entities is not accepted; export the logo "
                        "again as plain SVG")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise UnsafeSvg(f"not a readable SVG ({exc})") from None
    if _local(root.tag) != "svg":
        raise UnsafeSvg("not an SVG image (its root element is not <svg>)")
    for attr in [a for a in root.attrib if _local(a).startswith("on")
                 or _EXTERNAL_CSS.search(root.attrib[a])]:
        del root.attrib[attr]
    _clean(root)
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
