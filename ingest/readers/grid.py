"""Table grids shared by the readers: merged areas placed, empty rows and edge columns dropped.

A reader describes a table as cells with a position and an extent (HTML ``rowspan`` /
``colspan``, a spreadsheet's merged range, a PDF cell's bounding box); :class:`Grid` turns
them into the rectangular grid :meth:`ingest.document.TextBuilder.table` writes: ``texts``
holds each origin cell's text, ``origins`` the (row, column) of the cell whose area covers a
position (None for an origin or an empty position).

>>> g = Grid.from_rows([[("序号", 2, 1), ("责任单位", 1, 2)], [("牵头", 1, 1), ("配合", 1, 1)]])
>>> g.texts
[['序号', '责任单位', None], [None, '牵头', '配合']]
>>> g.origins
[[None, None, (0, 1)], [(0, 0), None, None]]
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["MAX_SPAN", "Grid"]

MAX_SPAN = 1000
"""Largest row or column span honoured (browsers cap colspan at 1000); a larger one is a typo
or an attack on memory, not a table."""


@dataclass
class Grid:
    texts: list[list[str | None]] = field(default_factory=list)
    origins: list[list[tuple[int, int] | None]] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.texts)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.texts), default=0)

    @classmethod
    def empty(cls, n_rows: int, n_cols: int) -> Grid:
        return cls(
            texts=[[None] * n_cols for _ in range(n_rows)],
            origins=[[None] * n_cols for _ in range(n_rows)],
        )

    def place(self, row: int, col: int, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        """Put an origin cell at (row, col) and cover ``rowspan`` x ``colspan`` from it.

        The grid grows to fit; a position already covered keeps its first owner (an HTML
        table's overlapping spans are resolved the same way by browsers: first come).
        """
        rowspan = max(1, min(rowspan, MAX_SPAN))
        colspan = max(1, min(colspan, MAX_SPAN))
        self.fit(row + rowspan, col + colspan)
        self.texts[row][col] = text
        self.origins[row][col] = None
        for i in range(row, row + rowspan):
            for j in range(col, col + colspan):
                if (i, j) != (row, col) and self.texts[i][j] is None and not self.origins[i][j]:
                    self.origins[i][j] = (row, col)

    def cover(self, row: int, col: int, origin: tuple[int, int]) -> None:
        """Make (row, col) a copy of the cell at ``origin`` (a vMerge continuation)."""
        self.fit(row + 1, col + 1)
        self.texts[row][col] = None
        self.origins[row][col] = origin

    def covered(self, row: int, col: int) -> bool:
        """Whether (row, col) holds a cell or is covered by one."""
        if row >= len(self.texts) or col >= len(self.texts[row]):
            return False
        return self.texts[row][col] is not None or self.origins[row][col] is not None

    def fit(self, n_rows: int, n_cols: int) -> None:
        """Grow to at least ``n_rows`` x ``n_cols``, every row as wide as the widest."""
        width = max(self.n_cols, n_cols)
        while len(self.texts) < n_rows:
            self.texts.append([])
            self.origins.append([])
        for texts, origins in zip(self.texts, self.origins, strict=True):
            texts.extend([None] * (width - len(texts)))
            origins.extend([None] * (width - len(origins)))

    @classmethod
    def from_rows(cls, rows: list[list[tuple[str, int, int]]]) -> Grid:
        """The HTML table algorithm: each row's cells ``(text, rowspan, colspan)`` go to the
        first free column, left to right; a span reaching below the last row is cut there."""
        grid = cls()
        n_rows = len(rows)
        for i, cells in enumerate(rows):
            grid.fit(i + 1, 0)
            col = 0
            for text, rowspan, colspan in cells:
                while grid.covered(i, col):
                    col += 1
                span = n_rows - i if rowspan == 0 else min(rowspan, n_rows - i)
                grid.place(i, col, text, span, colspan)
                col += max(1, min(colspan, MAX_SPAN))
        return grid.tidy()

    def text_at(self, row: int, col: int) -> str:
        origin = self.origins[row][col] or (row, col)
        return (self.texts[origin[0]][origin[1]] or "").strip()

    def tidy(self) -> Grid:
        """Rows without any text dropped, empty columns at either edge dropped, ragged rows
        padded; the origins renumbered to match."""
        self.fit(self.n_rows, self.n_cols)
        keep_rows = [
            i for i in range(self.n_rows) if any(self.text_at(i, j) for j in range(self.n_cols))
        ]
        filled_cols = [
            j for j in range(self.n_cols) if any(self.text_at(i, j) for i in range(self.n_rows))
        ]
        if not keep_rows or not filled_cols:
            return Grid()
        keep_cols = list(range(filled_cols[0], filled_cols[-1] + 1))
        row_at = {old: new for new, old in enumerate(keep_rows)}
        col_at = {old: new for new, old in enumerate(keep_cols)}
        out = Grid.empty(len(keep_rows), len(keep_cols))
        for i in keep_rows:
            for j in keep_cols:
                origin = self.origins[i][j]
                if origin is None:
                    out.texts[row_at[i]][col_at[j]] = self.texts[i][j]
                elif origin[0] in row_at and origin[1] in col_at:
                    out.origins[row_at[i]][col_at[j]] = (row_at[origin[0]], col_at[origin[1]])
                else:  # its origin was empty and dropped: the cover is empty too
                    out.texts[row_at[i]][col_at[j]] = None
        return out

    def row_texts(self, row: int) -> list[str]:
        return [self.text_at(row, j) for j in range(self.n_cols)]

    def extend(self, other: Grid, skip_rows: int = 0) -> None:
        """Append ``other``'s rows (from ``skip_rows`` on) below this grid: a table continued
        on the next page.  Both have the same number of columns."""
        base = self.n_rows - skip_rows
        for i in range(skip_rows, other.n_rows):
            self.texts.append(list(other.texts[i]))
            self.origins.append(
                [
                    None
                    if o is None
                    else (o[0] + base, o[1])
                    if o[0] >= skip_rows
                    else None  # covered by a dropped header row: nothing to repeat
                    for o in other.origins[i]
                ]
            )
