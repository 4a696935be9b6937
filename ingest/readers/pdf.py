"""PDF: ruled tables as grids, the other text as lines (pdfplumber over pdfminer).

Per page:

* ruled tables are found by ``page.find_tables()`` (the lines strategy); a cell's text is the
  characters whose centre lies in its box, line by line, left to right;
* merged cells are resolved from the cells' boxes: a box covers every grid row and column
  whose start lies inside it (pdfplumber leaves those positions None), so a box two rows high
  is a rowspan and one two columns wide a colspan;
* the text outside the tables' boxes is read as before: pdfminer's layout with a wide char
  margin (each printed line whole), each line's glyphs left to right, one paragraph a line;
  a table takes its place before the first line below its top.

A table continues the last table of the previous page when it is the first table of its page,
has as many columns, and nothing but page numbers lies between them; leading rows repeating
the table's header are dropped from the continuation.

pdfminer guesses word spaces from glyph gaps, and Chinese print has none: a space is kept only
between two ASCII letters or digits set apart (``LNG 码头`` reads ``LNG码头``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ingest.document import Document, TextBuilder
from ingest.readers.grid import Grid

__all__ = ["join_chars", "read_pdf"]

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom (pdfplumber's page coordinates)
Glyph = tuple[float, float, float, str]  # x0, x1, y0, text
_TOLERANCE = 1.0  # points: two box edges this close are the same ruling line
# a page number ("- 3 -", "第3页", "3/12", "第3页 共12页"): page furniture between the two
# parts of a table continued on the next page
_PAGE_NUMBER = re.compile(
    r"^[\s\-—–－·•]*(?:第\s*)?\d+(?:\s*/\s*\d+)?(?:\s*页)?(?:\s*共\s*\d+\s*页)?[\s\-—–－·•]*$"
)


@dataclass
class _Line:
    text: str
    page: int


@dataclass
class _Table:
    grid: Grid
    page: int
    first_on_page: bool


def read_pdf(data: bytes, path: str) -> Document:
    import pdfplumber

    items: list[_Line | _Table] = []
    # A wide char margin keeps each printed line whole: with the default, a glyph from a
    # fallback font (quotes in a CJK line) splits the line and strands "3." on its own.
    with pdfplumber.open(io.BytesIO(data), laparams={"char_margin": 50}) as pdf:
        for number, page in enumerate(pdf.pages):
            items.extend(_page_items(page, number))
    builder = TextBuilder()
    for item in _join_continued(items):
        if isinstance(item, _Line):
            for line in item.text.splitlines():
                builder.paragraph(line)
        else:
            builder.table(item.grid.texts, item.grid.origins, source="pdf")
    return builder.document(path, "pdf", len(data))


def _page_items(page: Any, number: int) -> list[_Line | _Table]:
    tables: list[tuple[float, Grid]] = []
    boxes: list[BBox] = []
    for found in page.find_tables():
        grid = _table_grid(found.cells, page.chars)
        if grid.n_rows > 1 or grid.n_cols > 1:  # a box around text is no table
            tables.append((found.bbox[1], grid))
            boxes.append(found.bbox)
    tables.sort(key=lambda t: t[0])
    out: list[_Line | _Table] = []
    pending = iter(tables)
    upcoming = next(pending, None)
    for top, text in _page_lines(page, boxes):
        while upcoming is not None and upcoming[0] <= top:
            out.append(_Table(upcoming[1], number, not any(isinstance(i, _Table) for i in out)))
            upcoming = next(pending, None)
        out.append(_Line(text, number))
    while upcoming is not None:
        out.append(_Table(upcoming[1], number, not any(isinstance(i, _Table) for i in out)))
        upcoming = next(pending, None)
    return out


def _inside(x: float, y: float, box: BBox) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _page_lines(page: Any, boxes: Sequence[BBox]) -> Iterable[tuple[float, str]]:
    """The page's printed lines outside ``boxes`` as (top, text), in pdfminer's order."""
    from pdfminer.layout import LTChar, LTTextContainer, LTTextLineHorizontal

    mb_x0, mb_top = page.mediabox[0], page.mediabox[1]
    height = page.height

    def top_of(obj: Any) -> float:
        return float(height - obj.y1 + mb_top)

    def outside(obj: Any) -> bool:
        cx = (obj.x0 + obj.x1) / 2 + mb_x0
        cy = height - (obj.y0 + obj.y1) / 2 + mb_top
        return not any(_inside(cx, cy, box) for box in boxes)

    for box in page.layout:
        if not isinstance(box, LTTextContainer):
            continue
        for line in box:
            if isinstance(line, LTTextLineHorizontal):
                chars = [c for c in line if isinstance(c, LTChar) and outside(c)]
                text = join_chars((c.x0, c.x1, c.y0, c.get_text()) for c in chars)
                if text.strip():
                    yield min(top_of(c) for c in chars), text.rstrip()
            elif isinstance(line, LTTextContainer) and outside(line):
                text = line.get_text()
                if text.strip():
                    yield top_of(line), text.rstrip()


def join_chars(glyphs: Iterable[Glyph]) -> str:
    """A printed line's glyphs ``(x0, x1, y0, text)`` left to right.

    pdfminer keeps the order glyphs were drawn in, and a glyph from a fallback font (the
    quotes of “双创” in a CJK font without them) is drawn after its line, so it lands at the
    line's start: ``“ ”二、健全 双创 促进体系`` is no chapter heading.  Sorting by x puts it
    back.  A space is set only between two ASCII letters or digits set apart.

    >>> join_chars([(20, 30, 0, "码"), (0, 8, 0, "L"), (8, 14, 0, "N"), (14, 16, 0, "G")])
    'LNG码'
    >>> join_chars([(0, 6, 0, "A"), (10, 16, 0, "B")])
    'A B'
    """

    def ascii_word(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    out: list[str] = []
    previous: Glyph | None = None
    for glyph in sorted(glyphs, key=lambda g: (g[0], g[2])):
        x0, x1, _, text = glyph
        if (
            previous is not None
            and ascii_word(previous[3][-1:])
            and ascii_word(text[:1])
            and x0 - previous[1] > 0.2 * (x1 - x0)
        ):
            out.append(" ")
        out.append(text)
        previous = glyph
    return "".join(out)


def _cell_text(box: BBox, chars: Sequence[dict[str, Any]]) -> str:
    inside = [
        c
        for c in chars
        if _inside((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2, box) and c["text"].strip()
    ]
    inside.sort(key=lambda c: (c["top"], c["x0"]))
    lines: list[list[dict[str, Any]]] = []
    for c in inside:
        # a glyph starting above the middle of the current line's first glyph's height
        # belongs to that line
        if lines and c["top"] < (lines[-1][0]["top"] + lines[-1][0]["bottom"]) / 2:
            lines[-1].append(c)
        else:
            lines.append([c])
    return "\n".join(
        join_chars((c["x0"], c["x1"], -c["bottom"], c["text"]) for c in line) for line in lines
    )


def _positions(values: Iterable[float]) -> list[float]:
    """Distinct edge positions, edges closer than the tolerance merged."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > _TOLERANCE:
            out.append(v)
    return out


def _index(positions: list[float], value: float) -> int:
    return min(range(len(positions)), key=lambda k: abs(positions[k] - value))


def _table_grid(cells: Sequence[BBox], chars: Sequence[dict[str, Any]]) -> Grid:
    """The grid of a ruled table from its cell boxes: each box covers the rows and columns
    that start inside it."""
    xs = _positions(c[0] for c in cells)
    tops = _positions(c[1] for c in cells)
    grid = Grid.empty(len(tops), len(xs))
    for box in sorted(cells, key=lambda c: (c[1], c[0])):
        x0, top, x1, bottom = box
        row, col = _index(tops, top), _index(xs, x0)
        rowspan = sum(1 for t in tops[row:] if t < bottom - _TOLERANCE)
        colspan = sum(1 for x in xs[col:] if x < x1 - _TOLERANCE)
        grid.place(row, col, _cell_text(box, chars), rowspan, colspan)
    return grid.tidy()


def _join_continued(items: list[_Line | _Table]) -> list[_Line | _Table]:
    out: list[_Line | _Table] = []
    last: _Table | None = None  # the last table kept, and what follows it
    after: list[_Line] = []
    for item in items:
        if isinstance(item, _Line):
            out.append(item)
            after.append(item)
            continue
        if (
            last is not None
            and item.first_on_page
            and item.page == last.page + 1
            and item.grid.n_cols == last.grid.n_cols
            and all(_PAGE_NUMBER.match(line.text) for line in after)
        ):
            last.grid.extend(item.grid, _repeated_header(last.grid, item.grid))
            last.page = item.page
            continue
        out.append(item)
        last, after = item, []
    return out


def _repeated_header(table: Grid, continuation: Grid) -> int:
    """How many leading rows of ``continuation`` repeat the leading rows of ``table``."""
    n = 0
    while n < min(table.n_rows - 1, continuation.n_rows) and continuation.row_texts(
        n
    ) == table.row_texts(n):
        n += 1
    return n
