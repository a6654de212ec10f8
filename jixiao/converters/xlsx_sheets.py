"""A .xlsx workbook's cells, read sparsely and streaming, under the caps.

openpyxl's loader builds an object for every cell the sheet XML names (styled empty ones
too), for every slot of every merged range (a merge over a whole sheet is 17 billion
objects), for every style, hyperlink or validation: a small file can ask for gigabytes. Here
only what a table needs is kept: the display text of each cell that holds a value, the
merged ranges as four numbers each, and the number format of each cell style. Every part is
read through ``SafeZip`` (real inflated bytes capped, no DOCTYPE, elements counted), the
sheets' ``<c>`` elements are counted against ``SHEET_CELLS`` before a sheet is parsed, and
the parts are parsed with lxml's ``iterparse``, each element dropped once read.

The values are openpyxl's, through its own helpers (``data_only``: a formula's cached
value): numbers as int or float, dates for date formats, booleans, shared and inline
strings.
"""

from __future__ import annotations

import io
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from jixiao.converters.zipsafe import SafeZip, xml_error
from jixiao.exceptions import DocumentLoadError
from jixiao.limits import SHEET_CELLS, TABLE_CELLS, too_large

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c[\s/>]")

Display = Callable[[Any, str], str]  # (value, number format) -> text as shown


@dataclass
class Sheet:
    title: str
    texts: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col), 1-based
    merges: set[tuple[int, int, int, int]] = field(default_factory=set)  # r0, c0, r1, c1


@dataclass
class _Styles:
    formats: list[str] = field(default_factory=lambda: ["General"])  # per cell style (xf)
    dates: set[int] = field(default_factory=set)
    durations: set[int] = field(default_factory=set)


def _events(data: bytes, tags: tuple[str, ...], events: tuple[str, ...] = ("end",)) -> Iterator[
    tuple[str, etree._Element]
]:
    """``iterparse`` over a part, safe (no entities, no network), erroring in one line."""
    try:
        yield from etree.iterparse(
            io.BytesIO(data), events=events, tag=tags, resolve_entities=False,
            no_network=True, load_dtd=False, huge_tree=False,
        )
    except etree.XMLSyntaxError as exc:
        raise DocumentLoadError(
            f"not a readable .xlsx workbook: bad XML ({xml_error(exc)})"
        ) from None


def _drop(el: etree._Element) -> None:
    """Free an element read and every sibling before it."""
    el.clear()
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]


def _int(raw: str | None, default: int) -> int:
    try:
        return int(raw) if raw is not None else default
    except ValueError:
        return default


class Workbook:
    """The sheets of one .xlsx package, in workbook order."""

    def __init__(self, data: bytes) -> None:
        self.zip = SafeZip(data, not_zip="not a readable .xlsx workbook (not a ZIP archive, "
                                         "or truncated)")
        self.declared_cells = 0
        book = self._main_part()
        self.rels = self._rels(book)
        self.sheet_list, self.epoch = self._book(book)
        self.strings = self._strings()
        self.styles = self._styles()

    def close(self) -> None:
        self.zip.close()

    # -- package ---------------------------------------------------------------------------
    def _xml(self, name: str) -> bytes | None:
        return self.zip.read_xml(name) if self.zip.has(name) else None

    def _main_part(self) -> str:
        data = self._xml("_rels/.rels")
        for _, rel in _events(data or b"<r/>", (_REL,)):
            if (rel.get("Type") or "").endswith("/officeDocument"):
                target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                if self.zip.has(target):
                    return target
        if self.zip.has("xl/workbook.xml"):
            return "xl/workbook.xml"
        raise DocumentLoadError("not a readable .xlsx workbook (no workbook part)")

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, package path of the target) for ``part``."""
        folder, name = posixpath.split(part)
        data = self._xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        out: dict[str, tuple[str, str]] = {}
        for _, rel in _events(data or b"<r/>", (_REL,)):
            target = rel.get("Target") or ""
            if rel.get("TargetMode") != "External":
                path = target[1:] if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                out[rel.get("Id") or ""] = (rel.get("Type") or "", path)
            _drop(rel)
        return out

    def _related(self, kind: str) -> str | None:
        return next((p for t, p in self.rels.values() if t.endswith(f"/{kind}")), None)

    def _book(self, part: str) -> tuple[list[tuple[str, str]], Any]:
        """(title, sheet part) of each worksheet, and the date epoch."""
        from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

        epoch = CALENDAR_WINDOWS_1900
        sheets: list[tuple[str, str]] = []
        for _, el in _events(self.zip.read_xml(part), (MAIN + "sheet", MAIN + "workbookPr")):
            if el.tag == MAIN + "workbookPr":
                if (el.get("date1904") or "").lower() in ("1", "true"):
                    epoch = CALENDAR_MAC_1904
                continue
            kind, path = self.rels.get(el.get(_R_ID) or "", ("", ""))
            if "chartsheet" not in kind and self.zip.has(path):
                sheets.append((el.get("name") or "", path))
            _drop(el)
        return sheets, epoch

    def _strings(self) -> list[str]:
        from openpyxl.cell.text import Text

        path = self._related("sharedStrings")
        data = self._xml(path) if path else None
        out: list[str] = []
        for _, si in _events(data or b"<r/>", (MAIN + "si",)):
            out.append(Text.from_tree(si).content.replace("x005F_", ""))
            _drop(si)
        return out

    def _styles(self) -> _Styles:
        from openpyxl.styles.numbers import (
            BUILTIN_FORMATS,
            is_date_format,
            is_timedelta_format,
        )

        data = self._xml(self._related("styles") or "xl/styles.xml")
        if data is None:
            return _Styles()
        custom: dict[int, str] = {}
        ids: list[int] = []
        for _, el in _events(data, (MAIN + "numFmt", MAIN + "xf")):
            if el.tag == MAIN + "numFmt":
                custom[_int(el.get("numFmtId"), -1)] = el.get("formatCode") or "General"
            elif (parent := el.getparent()) is not None and parent.tag == MAIN + "cellXfs":
                ids.append(_int(el.get("numFmtId"), 0))
                _drop(el)
        styles = _Styles(formats=[])
        for index, fmt_id in enumerate(ids or [0]):
            fmt = custom.get(fmt_id) or BUILTIN_FORMATS.get(fmt_id) or "General"
            styles.formats.append(fmt)
            if is_date_format(fmt):
                styles.dates.add(index)
            if is_timedelta_format(fmt):
                styles.durations.add(index)
        return styles

    # -- sheets ----------------------------------------------------------------------------
    def sheets(self, display: Display) -> Iterator[Sheet]:
        for title, path in self.sheet_list:
            yield self._sheet(title, self.zip.read_xml(path), display)

    def _sheet(self, title: str, data: bytes, display: Display) -> Sheet:
        self.declared_cells += len(_CELL_TAG.findall(data))
        SHEET_CELLS.check(self.declared_cells, f"the sheets declare {self.declared_cells} cells")
        sheet = Sheet(title)
        cap = TABLE_CELLS.value()
        row = col = 0
        tags = (MAIN + "row", MAIN + "c", MAIN + "mergeCell")
        for event, el in _events(data, tags, ("start", "end")):
            if event == "start":
                if el.tag == MAIN + "row":
                    row = _row_number(el.get("r"), row + 1)
                    col = 0
                continue
            if el.tag == MAIN + "c":
                (row, col), text = self._cell(el, row, col + 1, display)
                if text:
                    sheet.texts[(row, col)] = text
                    if len(sheet.texts) > cap:  # the used range can only be larger
                        raise too_large(f"sheet {title!r}: more than {cap} cells hold text",
                                        cap, TABLE_CELLS)
            elif el.tag == MAIN + "mergeCell":
                sheet.merges.add(_merge_bounds(el.get("ref") or ""))
            _drop(el)
        sheet.merges.discard((0, 0, 0, 0))
        return sheet

    def _cell(self, el: etree._Element, row: int, col: int, display: Display) -> tuple[
        tuple[int, int], str
    ]:
        """((row, col), display text) of one ``<c>``; its position from ``r`` or the count."""
        from openpyxl.utils.cell import coordinate_to_tuple

        ref = el.get("r")
        if ref:
            try:
                row, col = coordinate_to_tuple(ref)
            except (ValueError, TypeError):
                raise DocumentLoadError(
                    f"not a readable .xlsx workbook: bad cell {ref[:20]!r}"
                ) from None
        style = _int(el.get("s"), 0)
        value = self._value(el, style)
        if value is None:
            return (row, col), ""
        fmt = self.styles.formats[style] if 0 <= style < len(self.styles.formats) else "General"
        return (row, col), display(value, fmt).strip()

    def _value(self, el: etree._Element, style: int) -> Any:
        """The cell's value as openpyxl gives it with ``data_only=True``."""
        from openpyxl.cell.text import Text
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        kind = el.get("t", "n")
        if kind == "inlineStr":
            inline = el.find(MAIN + "is")
            return None if inline is None else Text.from_tree(inline).content
        raw = el.findtext(MAIN + "v") or None
        if raw is None:
            return None
        try:
            if kind == "n":
                number = float(raw) if any(ch in raw for ch in ".Ee") else int(raw)
                if style not in self.styles.dates:
                    return number
                try:
                    return from_excel(number, self.epoch, timedelta=style in self.styles.durations)
                except (OverflowError, ValueError):
                    return "#VALUE!"
            if kind == "s":
                return self.strings[int(raw)]
            if kind == "b":
                return bool(int(raw))
            if kind == "d":
                return from_ISO8601(raw)
        except (ValueError, IndexError, OverflowError):
            raise DocumentLoadError(
                f"not a readable .xlsx workbook: bad {kind!r} cell value {raw[:20]!r}"
            ) from None
        return raw  # "str" (a formula's text), "e" (an error such as #N/A)


def _row_number(raw: str | None, default: int) -> int:
    if raw is None:
        return default
    try:
        return int(float(raw))
    except ValueError:
        raise DocumentLoadError(f"not a readable .xlsx workbook: bad row {raw[:20]!r}") from None


def _merge_bounds(ref: str) -> tuple[int, int, int, int]:
    """(min_row, min_col, max_row, max_col) of ``A1:B2``; zeros for a malformed ref."""
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return (0, 0, 0, 0)
    if None in (min_col, min_row, max_col, max_row):
        return (0, 0, 0, 0)
    return (min_row, min_col, max_row, max_col)
