"""Cells of text copies: lines, what a cell looks like, and putting cells under columns.

Shared by the readers of tables in plain text (:mod:`ingest.readers.text`,
:mod:`ingest.readers.lines`): a copy loses a table's grid, and these rebuild it from what each
cell looks like (:func:`cell_kind`) and the columns' header words (:func:`align_cells`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ingest.document import Cell, Table
from ingest.fields import header_role
from ingest.models import Span
from ingest.textutil import CN_DIGITS, fold_width

__all__ = [
    "ATTACHMENT",
    "CHAPTER_START",
    "GROUP_HEADING",
    "OWN_NUMBER",
    "Line",
    "align_cells",
    "cell_at",
    "cell_kind",
    "cut_last_row",
    "has_header",
    "header_like",
    "is_fragment",
    "number_of",
    "realign_short_rows",
    "row_full",
    "span_of",
    "split_lines",
]


@dataclass
class Line:
    """A line of the text: its 1-based number, its span, and its full-width-folded copy."""

    number: int
    start: int
    end: int  # exclusive, without the newline
    text: str  # folded copy, same length

    @property
    def stripped(self) -> str:
        return self.text.strip()


def split_lines(folded: str) -> list[Line]:
    out, pos = [], 0
    for i, raw in enumerate(folded.split("\n"), start=1):
        out.append(Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def span_of(text: str, start: int, end: int) -> Span | None:
    """The stripped span of a cell.  A copy that turned no-break spaces into ``?`` leaves one
    at the end of every cell (``序号? | 牵头单位? |``); no cell of the genre ends in an ASCII
    question mark, so it goes with the spaces."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == "?"):
        end -= 1
    return Span(start=start, end=end, text=text[start:end]) if end > start else None


def cell_at(text: str, start: int, end: int) -> Cell:
    span = span_of(text, start, end)
    return Cell(text=span.text if span else "", span=span)


def realign_short_rows(rows: list[list[Cell]], given: list[int] | None = None) -> None:
    """A row with fewer cells than its header lost the cells merged down from above (a copy of
    a table with rowspans): put its cells under the columns they fit, the rest from above.

    ``given[k]``, when known, is how many cells the copy gave row ``k`` (its empty cells
    included: they hold a column too); otherwise a row's non-empty cells are what it gave.
    """
    head = next((k for k, r in enumerate(rows[:4]) if has_header(r)), None)
    if head is None:
        return
    roles = [header_role(c.text) for c in rows[head]]
    width = len(roles)
    seen: list[Counter[str]] | None = None
    if given is not None:
        whole = [r for k, r in enumerate(rows) if k > head and given[k] == width]
    else:  # the rows that fill every column show what each column holds
        whole = [r for r in rows[head + 1 :] if all(c.text for c in r[:width])]
    if whole:
        seen = [Counter(cell_kind(r[j].text) for r in whole) for j in range(width)]
    for k in range(head + 1, len(rows)):
        row = rows[k]
        if given is not None:
            cells = row[: given[k]]
            short = sum(bool(c.text) for c in cells) > 1 and len(cells) < width
        else:
            cells = [c for c in row if c.text]
            last = max((j for j, c in enumerate(row) if c.text), default=-1)
            # a one-value row is a group heading, a full row needs nothing
            short = 1 < len(cells) < width and last + 1 < width
        if not short:
            continue
        assigned = align_cells(roles, [cell_kind(c.text) for c in cells], seen)
        new: list[Cell] = []
        for j, idx in enumerate(assigned):
            if idx:
                new.append(cells[idx[0]])  # several cells for one column: the first stands
                continue
            above = rows[k - 1][j]
            origin = above.merged_from or (k - 1, j)
            new.append(
                Cell(text=above.text, span=above.span, merged_from=origin) if above.text else Cell()
            )
        rows[k] = new


def has_header(row: list[Cell]) -> bool:
    return sum(header_role(c.text) is not None for c in row) >= 2


_UNIT_END = re.compile(
    r"(?:局|委|办|厅|署|院|部|处|室|站|所|会|队|政府|中心|公司|集团|银行|街道|镇|乡|区|县|市|"
    r"分局|支队|大队|管委会|委员会|办公室|领导小组|指挥部|园区|开发区)(?:\([^()]{1,12}\))?$"
)
_POST = re.compile(r"(?:副?(?:市|省|区|县|州|旗)长|书记|主任|秘书长|部长|副主席|主席|局长|委员)")
_DATE = re.compile(
    r"(?:\d{4}\s*年)?\s*\d{1,2}\s*月(?:底|末|前|份|中旬|上旬|下旬)?|年底|年内|长期|持续推进|全年"
)
_NUMBER = re.compile(r"\d{1,4}[.、]?|[" + CN_DIGITS + r"]{1,3}[、.]?")


def cell_kind(s: str) -> str:
    """What a cell's text looks like: number, name, units, date, short or long text.

    >>> [cell_kind(s) for s in ("12", "王斌", "市发改委、市财政局", "2021年12月底", "推进…" * 10)]
    ['number', 'name', 'units', 'date', 'long']
    """
    s = fold_width(s).strip()
    if not s:
        return "empty"
    if _NUMBER.fullmatch(s):
        return "number"
    if _DATE.fullmatch(s) or (len(s) <= 14 and _DATE.match(s) and "完成" in s):
        return "date"
    if OWN_NUMBER.match(s):
        return "numbered"  # 3.规上工业总产值增长5%: a task's own text with its number
    if all(
        re.fullmatch(r"[\u4e00-\u9fff](?:[ \t\u3000]*[\u4e00-\u9fff]){1,2}", ln.strip())
        and not _UNIT_END.search(ln.strip())
        for ln in s.split("\n")
    ):
        return "name"  # 王斌, 吕  乐 (a two-character name padded to the width of three), a
        # name per line
    parts = [p for p in re.split(r"[、,;，；\s]+", s) if p]
    if parts and len(s) <= 80 and all(len(p) <= 24 for p in parts):
        if all(
            _POST.search(p)
            or (re.fullmatch(r"[\u4e00-\u9fff]{2,3}", p) and not _UNIT_END.search(p))
            for p in parts
        ) and (any(_POST.search(p) for p in parts) or len(s) <= 4):
            return "name"
        if sum(bool(_UNIT_END.search(p)) for p in parts) >= max(1, (len(parts) + 1) // 2):
            return "units"
    return "long" if len(s) > 24 else "short"


_FITS: dict[str | None, dict[str, float]] = {
    "number": {"number": 3.0},
    "official": {"name": 3.0, "short": 0.5},
    "lead": {"units": 3.0, "short": 1.0, "name": -1.0},
    "assist": {"units": 3.0, "short": 1.0},
    "responsible": {"units": 3.0, "short": 1.0},
    "deadline": {"date": 3.0, "short": 0.5},
    "status": {"short": 1.5, "date": 0.5},
    "text": {"long": 3.0, "short": 1.5, "units": -0.5, "numbered": 3.0},
    "progress": {"long": 3.0, "short": 1.0, "date": 0.5, "numbered": 2.0},
}
_MULTILINE = {"text", "progress", None}
# cost of leaving a column empty: merged cells are responsibility and deadlines, rarely text
_SKIP = {
    "number": -0.6,
    "official": -0.5,
    "lead": -0.8,
    "assist": -0.8,
    "responsible": -0.8,
    "deadline": -0.8,
}


def _fit(role: str | None, kind: str) -> float:
    if kind == "empty":
        return 0.0
    table = _FITS.get(role, {"long": 1.5, "short": 1.5, "units": 1.0, "date": 1.0, "name": 1.0})
    return table.get(kind, -2.0)


def align_cells(
    roles: list[str | None],
    kinds: list[str],
    seen: list[Counter[str]] | None = None,
) -> list[list[int]]:
    """Assign consecutive cells to columns in order; a column may take none (a merged cell)
    or, for text and progress columns, several lines.  Returns, per column, the cell indexes.
    ``seen[j]``, when given, counts the kinds column ``j`` held in the table's whole rows: a
    cell fits better where its kind was seen (a numbered task text, an empty leader cell).

    >>> align_cells(["text", "official", "lead", "progress"], ["long", "units", "long"])
    [[0], [], [1], [2]]
    """

    def fit(j: int, kind: str) -> float:
        score = _fit(roles[j], kind)
        if seen is not None and seen[j]:
            share = seen[j][kind] / sum(seen[j].values())
            score += 2.0 * share - 0.5
        return score

    n, m = len(kinds), len(roles)
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    for j in range(m):
        role = roles[j]
        for i in range(n + 1):
            if best[i][j] == neg:
                continue
            skip = best[i][j] + _SKIP.get(role or "", -2.5)
            if skip > best[i][j + 1]:
                best[i][j + 1], back[i][j + 1] = skip, (i, j)
            limit = n if role != "number" else min(n, i + 1)
            score = best[i][j]
            for k in range(i + 1, limit + 1):
                # each line a cell takes must fit the column; a cell over several lines
                # (a progress text, a unit per line) costs a little per extra line
                score += fit(j, kinds[k - 1]) - (0.3 if k > i + 1 else 0.0)
                if role not in _MULTILINE and k > i + 1:
                    score -= 0.7
                if score > best[k][j + 1]:
                    best[k][j + 1], back[k][j + 1] = score, (i, j)
    out: list[list[int]] = [[] for _ in range(m)]
    i, j = n, m
    if best[n][m] == neg:  # cannot happen while the last column takes lines; be safe
        return [[k] if k < n else [] for k in range(m)]
    while j > 0:
        prev = back[i][j]
        assert prev is not None
        pi, pj = prev
        out[pj] = list(range(pi, i))
        i, j = pi, pj
    return out


CHAPTER_START = re.compile(r"^\s*[" + CN_DIGITS + r"]{1,4}\s*[、.]\s*\S")


def number_of(s: str) -> int | None:
    s = fold_width(s).strip().rstrip(".、")
    if s.isdigit() and len(s) <= 4:
        return int(s)
    return None


def is_fragment(s: str) -> bool:
    """A cell's text that the copy cut: a character or two, or a long text stopped mid-sentence."""
    return len(s) <= 2 or (len(s) > 24 and s[-1] not in '。;；!！?？)）"”')


def cut_last_row(table: Table) -> None:
    """The copy stops inside the table's last row: its missing cells are not merged from
    above (they were never copied), and the row is marked cut."""
    last = table.rows[-1]
    own = [j for j, c in enumerate(last) if c.text and not c.is_merged_copy]
    after = own[-1] if own else -1
    # cells merged down into the row before its last own cell are its rowspans (a 序号 over
    # sub-rows); those after it are where the copy stopped
    table.rows[-1] = [Cell() if j > after and c.is_merged_copy else c for j, c in enumerate(last)]
    table.cut = True


def header_like(s: str) -> bool:
    """A known header word, or a short label a header might hold (区民生实事项目数量)."""
    return header_role(s) is not None or bool(re.fullmatch(r"[\u4e00-\u9fff()（）/]{2,10}", s))


GROUP_HEADING = re.compile(
    r"^\s*(?:[" + CN_DIGITS + r"]{1,3}\s*[、.]|\(\s*[" + CN_DIGITS + r"]{1,3}\s*\))\s*\S"
)
OWN_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、](?![\dA-Za-z])\s*\S")
ATTACHMENT = re.compile(r"^\s*附件\s*\d{0,2}\s*$")


def row_full(pending: list[Line], width: int) -> bool:
    return len(pending) >= width
