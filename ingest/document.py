"""The document model between loading and segmenting: paragraphs and tables, in reading order.

Every format reader (text, HTML, .docx, spreadsheets, PDF) produces a :class:`Document`: the
decoded text, and :class:`Paragraph` and :class:`Table` blocks whose spans point into it.  A
table is a rectangular grid of :class:`Cell` with merged cells already resolved: a cell covered
by a ``rowspan`` / ``colspan`` / vMerge / merged range repeats its origin's text and span and
says where it came from (``merged_from``).  The layouts read blocks, never pipe characters.

The decoded text of a non-text format is written by its reader: one line per paragraph, one
line per table row with its cells separated by a tab (a cell's own line breaks kept), so a
span's ``text`` is always ``document.text[start:end]``.

The shape follows docling-core's ``TableData`` / ``TableCell`` (a grid derived from cells with
row and column spans), without depending on docling.

>>> doc = Document.from_text("一、产业\\n1.建成沪通铁路。")
>>> [type(b).__name__ for b in doc.blocks]
['Paragraph', 'Paragraph']
"""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import BaseModel, Field

from ingest.models import LoadedDocument, Span

__all__ = ["Block", "Cell", "Document", "Paragraph", "Table", "TextBuilder"]


class Cell(BaseModel):
    """One cell of a table grid.  ``span`` is None for an empty cell."""

    text: str = ""
    span: Span | None = None
    # (row, column) of the cell whose merged area covers this one; None for an origin cell
    merged_from: tuple[int, int] | None = None

    @property
    def is_merged_copy(self) -> bool:
        return self.merged_from is not None


class Paragraph(BaseModel):
    kind: Literal["paragraph"] = "paragraph"
    span: Span
    line: int  # 1-based line of the decoded text where it starts


class Table(BaseModel):
    kind: Literal["table"] = "table"
    rows: list[list[Cell]]  # rectangular: every row has n_cols cells
    line: int  # 1-based line of the decoded text where the table starts
    source: str = ""  # how it was found: html, docx, sheet, pdf, pipe, tab, flat
    name: str | None = None  # a sheet's name or a caption
    row_lines: list[int] = Field(default_factory=list)  # 1-based line of each row
    cut: bool = False  # the copy stops inside the last row

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)


Block = Paragraph | Table


class Document(LoadedDocument):
    """A loaded document: its decoded text (``LoadedDocument``) and its blocks."""

    blocks: list[Block] = Field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    @classmethod
    def build(
        cls, text: str, blocks: list[Block], path: str, fmt: str, encoding: str, size: int
    ) -> Document:
        """A document of ``text`` and its blocks; its sha256 is that of the text."""
        return cls(
            path=path,
            text=text,
            encoding=encoding,
            size=size,
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
            format=fmt,
            blocks=blocks,
        )

    @classmethod
    def from_text(cls, text: str, path: str = "<input>") -> Document:
        """A document of plain text, its tables recognised (pipes, tabs, one cell per line)."""
        from ingest.readers.text import read_text

        return read_text(text, path=path, encoding="utf-8", size=len(text.encode("utf-8")))


class TextBuilder:
    """Writes the decoded text of a structured format and the blocks that point into it.

    >>> b = TextBuilder()
    >>> b.paragraph("一、产业")
    >>> b.table([["序号", "任务"], ["1", "建成沪通铁路"]], source="html")
    >>> doc = b.document("x.html", "html", 10)
    >>> doc.text
    '一、产业\\n序号\\t任务\\n1\\t建成沪通铁路'
    >>> doc.tables[0].rows[1][1].span.text
    '建成沪通铁路'
    """

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.line = 1
        self.blocks: list[Block] = []

    def _write(self, s: str) -> int:
        if self.parts:
            self.parts.append("\n")
            self.pos += 1
            self.line += 1
        start = self.pos
        self.parts.append(s)
        self.pos += len(s)
        self.line += s.count("\n")
        return start

    def paragraph(self, text: str) -> None:
        text = text.strip()
        if not text:
            return
        line = self.line + (1 if self.parts else 0)
        start = self._write(text)
        self.blocks.append(
            Paragraph(span=Span(start=start, end=start + len(text), text=text), line=line)
        )

    def table(
        self,
        grid: list[list[str | None]],
        origins: list[list[tuple[int, int] | None]] | None = None,
        source: str = "",
        name: str | None = None,
    ) -> None:
        """Write a grid of cell texts.  ``origins[i][j]`` is the (row, col) a merged copy
        repeats; its text is not written again, and it shares its origin's span."""
        n_cols = max((len(r) for r in grid), default=0)
        rows: list[list[Cell]] = []
        row_lines: list[int] = []
        first_line = self.line + (1 if self.parts else 0)
        for i in range(len(grid)):
            row_lines.append(self.line + (1 if self.parts else 0))
            if self.parts:
                self.parts.append("\n")
                self.pos += 1
                self.line += 1
            cells: list[Cell] = []
            for j in range(n_cols):
                origin = origins[i][j] if origins and j < len(origins[i]) else None
                if origin is not None and origin != (i, j):
                    oi, oj = origin
                    src = rows[oi][oj] if oi < i else cells[oj]
                    cells.append(Cell(text=src.text, span=src.span, merged_from=origin))
                    if j:
                        self.parts.append("\t")
                        self.pos += 1
                    continue
                text = (grid[i][j] if j < len(grid[i]) else None) or ""
                text = "\n".join(x.strip() for x in text.strip().splitlines() if x.strip())
                if j:
                    self.parts.append("\t")
                    self.pos += 1
                start = self.pos
                self.parts.append(text)
                self.pos += len(text)
                self.line += text.count("\n")
                span = Span(start=start, end=start + len(text), text=text) if text else None
                cells.append(Cell(text=text, span=span))
            rows.append(cells)
        if rows:
            self.blocks.append(
                Table(rows=rows, line=first_line, source=source, name=name, row_lines=row_lines)
            )

    def document(self, path: str, fmt: str, size: int) -> Document:
        return Document.build("".join(self.parts), self.blocks, path, fmt, fmt, size)
