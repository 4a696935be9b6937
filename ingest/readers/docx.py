"""Word .docx: the body's paragraphs and tables in order (python-docx and its XML).

* A paragraph: one :class:`~ingest.document.Paragraph` per line (a soft line break
  ``<w:br/>`` starts a new one).  Content controls (``w:sdt``) are read through.
* A table: a grid from the XML, merged cells resolved: ``w:gridSpan`` spans columns,
  ``w:vMerge`` (``restart`` opens, no value or ``continue`` extends) spans rows, and
  ``w:gridBefore`` skips leading grid columns.
* A table nested in a cell is kept simple: its paragraphs are lines of that cell's text
  (it is most often a box of notes, and the segmenter reads a cell's lines).
* A 1 x 1 table is a frame around content, not data: its content is read as body (its
  paragraphs as paragraphs, its tables as tables).
"""

from __future__ import annotations

import io
from typing import Any

from ingest.document import Document, TextBuilder
from ingest.readers.grid import Grid

__all__ = ["read_docx"]


def read_docx(data: bytes, path: str) -> Document:
    import docx  # python-docx

    document = docx.Document(io.BytesIO(data))
    builder = TextBuilder()
    _Reader(document, builder).container(document.element.body)
    return builder.document(path, "docx", len(data))


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return str(qn(tag))


def _local(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]


def _val(element: Any, child: str) -> str | None:
    """The ``w:val`` of ``element``'s child ``child`` (``""`` when present without one)."""
    if element is None:
        return None
    found = element.find(_qn(child))
    if found is None:
        return None
    return str(found.get(_qn("w:val")) or "")


def _int(value: str | None, default: int = 1) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


class _Reader:
    def __init__(self, document: Any, builder: TextBuilder) -> None:
        self.document = document
        self.builder = builder

    def container(self, element: Any) -> None:
        """Paragraphs and tables directly in ``element`` (the body, a frame, a content
        control), in order; stack-based, so deep nesting cannot exhaust Python's stack."""
        stack = [iter(element.iterchildren())]
        while stack:
            child = next(stack[-1], None)
            if child is None:
                stack.pop()
                continue
            name = _local(child)
            if name == "p":
                for line in self._paragraph_text(child).splitlines():
                    self.builder.paragraph(line)
            elif name == "tbl":
                frame = self._frame(child)
                if frame is not None:
                    stack.append(iter(frame.iterchildren()))
                else:
                    grid = self._grid(child)
                    self.builder.table(grid.texts, grid.origins, source="docx")
            elif name == "sdt":
                content = child.find(_qn("w:sdtContent"))
                if content is not None:
                    stack.append(iter(content.iterchildren()))

    def _paragraph_text(self, p: Any) -> str:
        from docx.text.paragraph import Paragraph

        return str(Paragraph(p, self.document).text)

    def _frame(self, tbl: Any) -> Any:
        """The single cell of a 1 x 1 table, else None."""
        rows = tbl.findall(_qn("w:tr"))
        if len(rows) != 1:
            return None
        cells = rows[0].findall(_qn("w:tc"))
        return cells[0] if len(cells) == 1 else None

    def _cell_text(self, tc: Any) -> str:
        # every paragraph of the cell in order, nested tables' paragraphs included
        return "\n".join(self._paragraph_text(p) for p in tc.iter(_qn("w:p")))

    def _grid(self, tbl: Any) -> Grid:
        grid = Grid()
        for i, tr in enumerate(tbl.findall(_qn("w:tr"))):
            grid.fit(i + 1, 0)  # the row exists even if it is all vertical continuations
            col = _int(_val(tr.find(_qn("w:trPr")), "w:gridBefore"), 0)
            for tc in tr.findall(_qn("w:tc")):
                tc_pr = tc.find(_qn("w:tcPr"))
                span = max(1, _int(_val(tc_pr, "w:gridSpan")))
                merge = _val(tc_pr, "w:vMerge")
                above = self._origin_above(grid, i, col)
                if merge is not None and merge != "restart" and above is not None:
                    for j in range(col, col + span):
                        grid.cover(i, j, above)
                else:
                    grid.place(i, col, self._cell_text(tc), 1, span)
                col += span
        return grid.tidy()

    @staticmethod
    def _origin_above(grid: Grid, row: int, col: int) -> tuple[int, int] | None:
        if row == 0 or col >= len(grid.texts[row - 1]):
            return None
        origin = grid.origins[row - 1][col]
        if origin is not None:
            return origin
        return (row - 1, col) if grid.texts[row - 1][col] is not None else None
