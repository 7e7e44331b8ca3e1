"""Storing each formula's result beside it in the saved .xlsx (openpyxl cannot).

openpyxl writes a formula cell as ``<c r="B15" s="6"><f>...</f><v /></c>``: an empty result,
which a viewer that does not recalculate (a preview, a mail client, ``pandas.read_excel``)
shows as a blank. :func:`workbook_file` saves the workbook, then rewrites each worksheet's
XML so that every formula cell carries the value :func:`.excel_calc.computed_values` found
(a number, text with ``t="str"``, a logical with ``t="b"``, an error with ``t="e"``).
Excel and LibreOffice recompute on opening all the same (``fullCalcOnLoad``).
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree
from xml.sax.saxutils import escape

from .excel_calc import XlError, computed_values

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}
# one formula cell as openpyxl writes it; the formula's text is XML-escaped (no '<')
_CELL = re.compile(r'<c r="([A-Z]+[0-9]+)"([^>]*)><f>([^<]*)</f><v ?/></c>')


def _sheet_files(z: zipfile.ZipFile) -> dict[str, str]:
    """{sheet title: the worksheet's part name in the zip}."""
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels.findall("p:Relationship", _NS)}
    out = {}
    for sheet in book.find("m:sheets", _NS):
        part = target[sheet.get(f"{{{_NS['r']}}}id")]
        out[sheet.get("name")] = part.lstrip("/") if part.startswith("/") else \
            posixpath.normpath(posixpath.join("xl", part))
    return out


def _cached(value) -> tuple[str, str]:
    """(the cell's type attribute, the text of its <v>) for a computed value."""
    if isinstance(value, XlError):
        return ' t="e"', escape(str(value))
    if isinstance(value, bool):
        return ' t="b"', "1" if value else "0"
    if isinstance(value, (int, float)):
        return "", repr(float(value))
    return ' t="str"', escape("" if value is None else str(value))


def with_values(data: bytes, values: dict[str, dict[str, object]]) -> bytes:
    """The .xlsx ``data`` with each formula cell's value from ``values`` (sheet -> coordinate
    -> value) stored beside its formula."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as z, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as w:
        parts = {part: title for title, part in _sheet_files(z).items()}
        for item in z.infolist():
            body = z.read(item.filename)
            sheet = values.get(parts.get(item.filename), {})
            if sheet:
                def fill(m, sheet=sheet):
                    if m.group(1) not in sheet:
                        return m.group(0)
                    kind, text = _cached(sheet[m.group(1)])
                    return (f'<c r="{m.group(1)}"{m.group(2)}{kind}><f>{m.group(3)}</f>'
                            f"<v>{text}</v></c>")
                body = _CELL.sub(fill, body.decode("utf-8")).encode("utf-8")
            w.writestr(item, body)
    return out.getvalue()


def workbook_file(wb) -> bytes:
    """The .xlsx bytes of ``wb`` with every formula's computed value stored beside it."""
    buffer = io.BytesIO()
    wb.save(buffer)
    return with_values(buffer.getvalue(), computed_values(wb))


__all__ = ["with_values", "workbook_file"]
