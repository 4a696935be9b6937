"""Plain text to blocks: paragraphs, and the tables that text copies of web pages hold.

A text copy keeps a table in one of three shapes, all read into the same :class:`Table`:

* pipe rows — ``| 序号 | 工作任务 | 牵头单位 |`` or ``1 | 建成… | 市发改委``, with or
  without outer pipes (separator rows ``|---|`` are dropped);
* tab-separated rows;
* one cell per line ("flattened"), announced by a run of header words (序号, 工作任务,
  牵头单位, …): the header gives the column count, each row starts at its number, and a merged
  cell shows up as a missing cell.  A short row is aligned to the columns by what each cell
  looks like (a unit list, a name, a deadline, long text), and a missing cell repeats the cell
  above (``merged_from``), as a rowspan would.  A line that continues a long cell (a progress
  text written over several lines) joins that cell.

Everything else is one :class:`Paragraph` per non-empty line.  Spans point into the text.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from ingest.document import Block, Cell, Document, Paragraph, Table
from ingest.readers.cells import (
    Line,
    align_cells,
    cell_at,
    cell_kind,
    cut_last_row,
    has_header,
    number_of,
    realign_short_rows,
    span_of,
    split_lines,
)
from ingest.readers.lines import flat_table, pipe_lines_table, space_table
from ingest.textutil import fold_width

__all__ = ["Line", "align_cells", "cell_kind", "read_text", "split_lines"]


def read_text(
    text: str, path: str = "<input>", encoding: str = "utf-8", size: int | None = None
) -> Document:
    """Blocks of a plain-text document.

    >>> doc = read_text("标题\\n| 序号 | 工作任务 |\\n|---|---|\\n| 1 | 建成沪通铁路 |")
    >>> [type(b).__name__ for b in doc.blocks]
    ['Paragraph', 'Table']
    >>> [c.text for c in doc.tables[0].rows[1]]
    ['1', '建成沪通铁路']
    """
    folded = fold_width(text)
    lines = split_lines(folded)
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if not ln.stripped:
            i += 1
            continue
        for reader in (pipe_lines_table, _pipe_table, _tab_table, flat_table, space_table):
            found = reader(text, lines, i)
            if found is not None:
                table, i = found
                blocks.append(table)
                break
        else:
            span = span_of(text, ln.start, ln.end)
            if span is not None:  # a line of nothing but the ? a copy left for a space
                blocks.append(Paragraph(span=span, line=ln.number))
            i += 1
    size = size if size is not None else len(text.encode("utf-8"))
    return Document.build(text, blocks, path, "txt", encoding, size)


# ---------------------------------------------------------------- pipe and tab rows

_SEPARATOR = re.compile(r":?-{2,}:?")


def _pipe_cells(ln: Line) -> list[tuple[int, int]] | None:
    s = ln.text
    if s.count("|") < 1:
        return None
    bars = [ln.start + k for k, ch in enumerate(s) if ch == "|"]
    left = s[: s.index("|")].strip()
    right = s[s.rindex("|") + 1 :].strip()
    edges = list(bars)
    if left:
        edges.insert(0, ln.start - 1)
    if right:
        edges.append(ln.end)
    cells = [(a + 1, b) for a, b in itertools.pairwise(edges)]
    return cells if len(cells) >= 2 else None


def _grid_table(
    text: str,
    lines: list[Line],
    i: int,
    split: Callable[[Line], list[tuple[int, int]] | None],
    source: str,
) -> tuple[Table, int] | None:
    rows: list[list[Cell]] = []
    row_lines: list[int] = []
    j = i
    while j < len(lines):
        ln = lines[j]
        if not ln.stripped:
            # a blank line inside a table ends it unless the table goes on right after
            if rows and j + 1 < len(lines) and split(lines[j + 1]) is not None:
                j += 1
                continue
            break
        cells = split(ln)
        if cells is None:
            break
        texts = [fold_width(text[a:b]).strip() for a, b in cells]
        j += 1
        if all(_SEPARATOR.fullmatch(t) or not t for t in texts):
            continue
        rows.append([cell_at(text, a, b) for a, b in cells])
        row_lines.append(ln.number)
    if len(rows) < 2 and not (rows and has_header(rows[0])):
        return None
    _join_broken_rows(text, rows, row_lines)
    width = max(len(r) for r in rows)
    short = len(rows[-1]) < width  # fewer separators than the widest row: cut mid-row
    for r in rows:
        r.extend(Cell() for _ in range(width - len(r)))
    realign_short_rows(rows)
    table = Table(rows=rows, line=row_lines[0], source=source, row_lines=row_lines)
    if short and len(rows) > 1 and all(not ln.stripped for ln in lines[j:]):
        cut_last_row(table)
    return table, j


def _join_broken_rows(text: str, rows: list[list[Cell]], row_lines: list[int]) -> None:
    """A row the copy broke over two lines (``2 | 兒童口腔… | … |`` then ``130 | 105.96 | … |``):
    two short rows that together fill the header's width, the second not starting the next
    task, are one row."""
    width = len(rows[0])
    k = 1
    while k + 1 < len(rows):
        a, b = rows[k], rows[k + 1]
        first, second = number_of(a[0].text), number_of(b[0].text)
        if (
            len(a) < width
            and len(a) + len(b) == width
            and first is not None
            and second != first + 1
        ):
            rows[k] = a + b
            del rows[k + 1], row_lines[k + 1]
        k += 1


def _pipe_table(text: str, lines: list[Line], i: int) -> tuple[Table, int] | None:
    return _grid_table(text, lines, i, _pipe_cells, "pipe")


def _tab_cells(ln: Line) -> list[tuple[int, int]] | None:
    if "\t" not in ln.text.strip():
        return None
    out, start = [], ln.start
    for k, ch in enumerate(ln.text):
        if ch == "\t":
            out.append((start, ln.start + k))
            start = ln.start + k + 1
    out.append((start, ln.end))
    # leading and trailing empty cells of an indented line are not cells
    while out and not ln.text[out[0][0] - ln.start : out[0][1] - ln.start].strip():
        out.pop(0)
    return out if len(out) >= 2 else None


def _tab_table(text: str, lines: list[Line], i: int) -> tuple[Table, int] | None:
    return _grid_table(text, lines, i, _tab_cells, "tab")
