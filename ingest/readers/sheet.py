"""Spreadsheets (.xlsx, .xlsm, .xls, .ods): each sheet with content is one table.

Cell values come from python-calamine (one Rust reader for every format).  Merged ranges:

* ``xlsx`` / ``xlsm`` / ``xls``: calamine's ``merged_cell_ranges``;
* ``ods``: calamine (0.9) has none for it, so they are read from the file's ``content.xml``
  (``table:number-rows-spanned`` / ``table:number-columns-spanned``, with repeated rows and
  columns counted), with lxml.

Values are rendered as a reader sees them: an integral number without ``.0``, other numbers
to 15 significant digits (Excel's precision), dates and times in ISO 8601, booleans as
``TRUE`` / ``FALSE``.  Rows without any value are left out, empty columns at either edge
trimmed.  A title merged across the table stays a row of one repeated value.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from ingest.document import Document, TextBuilder
from ingest.readers.grid import MAX_SPAN, Grid

__all__ = ["read_sheet"]

Range = tuple[tuple[int, int], tuple[int, int]]  # (first row, first col), (last row, last col)


def read_sheet(data: bytes, path: str, fmt: str) -> Document:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    ods_merges = _ods_merges(data) if fmt == "ods" else {}
    builder = TextBuilder()
    for name in workbook.sheet_names:
        sheet = workbook.get_sheet_by_name(name)
        values = sheet.to_python(skip_empty_area=False)
        merges = ods_merges.get(name) if fmt == "ods" else sheet.merged_cell_ranges
        grid = _grid(values, list(merges or []))
        if grid.n_rows:
            builder.table(grid.texts, grid.origins, source="sheet", name=name)
    return builder.document(path, fmt, len(data))


def _grid(values: list[list[Any]], merges: list[Range]) -> Grid:
    grid = Grid()
    for i, row in enumerate(values):
        grid.fit(i + 1, 0)
        for j, value in enumerate(row):
            text = render(value)
            if text:
                grid.place(i, j, text)
    n_rows, n_cols = grid.n_rows, grid.n_cols
    for (r0, c0), (r1, c1) in merges:
        # a range is clipped to the values (a merged whole column is not a million rows)
        r1, c1 = min(r1, n_rows - 1, r0 + MAX_SPAN), min(c1, n_cols - 1, c0 + MAX_SPAN)
        if r0 > r1 or c0 > c1:
            continue
        grid.place(r0, c0, grid.texts[r0][c0] or "")
        for i in range(r0, r1 + 1):
            for j in range(c0, c1 + 1):
                if (i, j) != (r0, c0):  # a value left under a merged area is hidden, as in Excel
                    grid.cover(i, j, (r0, c0))
    return grid.tidy()


def render(value: Any) -> str:
    """A cell value as text.

    >>> [render(v) for v in (1.0, 2.5, 0.1 + 0.2, True, dt.date(2019, 3, 1), None)]
    ['1', '2.5', '0.3', 'TRUE', '2019-03-01', '']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def _t(name: str) -> str:
    return f"{{{_TABLE}}}{name}"


def _ods_merges(data: bytes) -> dict[str, list[Range]]:
    """Each sheet's merged ranges, from ``content.xml`` (calamine reads none for .ods)."""
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open("content.xml") as f:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        root = etree.parse(f, parser).getroot()
    out: dict[str, list[Range]] = {}
    for table in root.iter(_t("table")):
        merges: list[Range] = []
        row = 0
        for tr in table.iter(_t("table-row")):
            if _enclosing_table(tr) is not table:
                continue
            repeat = _count(tr, "number-rows-repeated")
            col = 0
            for cell in tr:
                if cell.tag not in {_t("table-cell"), _t("covered-table-cell")}:
                    continue
                width = _count(cell, "number-columns-repeated")
                rows = _count(cell, "number-rows-spanned")
                cols = _count(cell, "number-columns-spanned")
                if cell.tag == _t("table-cell") and (rows > 1 or cols > 1):
                    for k in range(min(width, MAX_SPAN)):
                        for r in range(row, row + min(repeat, MAX_SPAN)):
                            merges.append(((r, col + k), (r + rows - 1, col + k + cols - 1)))
                col += width
            row += repeat
        out[str(table.get(_t("name")) or "")] = merges
    return out


def _enclosing_table(element: Any) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != _t("table"):
        parent = parent.getparent()
    return parent


def _count(element: Any, attr: str) -> int:
    try:
        return max(1, int(element.get(_t(attr)) or 1))
    except ValueError:
        return 1
