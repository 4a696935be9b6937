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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ingest.document import Block, Cell, Document, Paragraph, Table
from ingest.fields import HEADER_ROLES, header_role
from ingest.models import Span
from ingest.textutil import CN_DIGITS, chinese_to_int, fold_width

__all__ = ["Line", "align_cells", "cell_kind", "read_text", "split_lines"]


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


def _span(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, text=text[start:end]) if end > start else None


def _cell(text: str, start: int, end: int) -> Cell:
    span = _span(text, start, end)
    return Cell(text=span.text if span else "", span=span)


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
        for reader in (_pipe_lines_table, _pipe_table, _tab_table, _flat_table, _space_table):
            found = reader(text, lines, i)
            if found is not None:
                table, i = found
                blocks.append(table)
                break
        else:
            span = _span(text, ln.start, ln.end)
            assert span is not None
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
        rows.append([_cell(text, a, b) for a, b in cells])
        row_lines.append(ln.number)
    if len(rows) < 2 and not (rows and _has_header(rows[0])):
        return None
    width = max(len(r) for r in rows)
    short = len(rows[-1]) < width  # fewer separators than the widest row: cut mid-row
    for r in rows:
        r.extend(Cell() for _ in range(width - len(r)))
    _realign_short_rows(rows)
    table = Table(rows=rows, line=row_lines[0], source=source, row_lines=row_lines)
    if short and len(rows) > 1 and all(not ln.stripped for ln in lines[j:]):
        _cut_last_row(table)
    return table, j


def _realign_short_rows(rows: list[list[Cell]], given: list[int] | None = None) -> None:
    """A row with fewer cells than its header lost the cells merged down from above (a copy of
    a table with rowspans): put its cells under the columns they fit, the rest from above.

    ``given[k]``, when known, is how many cells the copy gave row ``k`` (its empty cells
    included: they hold a column too); otherwise a row's non-empty cells are what it gave.
    """
    head = next((k for k, r in enumerate(rows[:4]) if _has_header(r)), None)
    if head is None:
        return
    roles = [header_role(c.text) for c in rows[head]]
    width = len(roles)
    seen: list[Counter[str]] | None = None
    if given is not None:
        whole = [r for k, r in enumerate(rows) if k > head and given[k] == width]
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


def _has_header(row: list[Cell]) -> bool:
    return sum(header_role(c.text) is not None for c in row) >= 2


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


_PIPES = re.compile(r"\s*(\|+)\s*")
_CLOSED_CELL = re.compile(r"(.*?\S)\s*\|\s*")


def _pipe_lines_table(text: str, lines: list[Line], i: int) -> tuple[Table, int] | None:
    """A table whose copy puts each cell on its own line and closes it with a pipe, at the
    line's end (``序号 |``) or on the next line (``|``).  A line of pipes alone ends a row
    that lacks as many cells as it has pipes (cells merged from above); one pipe after a
    closed cell is an empty cell.  The header is the first row's header words."""
    if not header_role(lines[i].stripped.rstrip("| ")):
        return None  # the table starts at its first header word
    cells: list[Cell | None] = []  # None: a row ends here
    missing: list[int] = []  # per row end, the cells it lacks
    open_start: int | None = None
    closed = False
    j = i
    while j < len(lines):
        ln = lines[j]
        if not ln.stripped:
            if open_start is None and cells and closed:
                j += 1
                continue
            break
        pipes = _PIPES.fullmatch(ln.text)
        if pipes:
            k = len(pipes.group(1))
            if open_start is not None:  # 文本 then | on its own line: closes the cell
                cells.append(_cell(text, open_start, lines[j - 1].end))
                open_start, closed = None, True
                k -= 1
            if k == 1 and closed:
                cells.append(Cell())
            elif k >= 1:
                cells.append(None)
                missing.append(k)
            closed = True
        elif m := _CLOSED_CELL.fullmatch(ln.text):
            if open_start is not None:
                cells.append(_cell(text, open_start, lines[j - 1].end))
            cells.append(_cell(text, ln.start, ln.start + len(m.group(1))))
            open_start, closed = None, True
        elif open_start is None:
            if j > i and not closed:
                break
            open_start, closed = ln.start, False
        j += 1
    if open_start is not None:
        cells.append(_cell(text, open_start, lines[j - 1].end))
    # the header: the first cells that are header words
    texts = [c.text if c is not None else None for c in cells]
    head = 0
    while head < len(texts) and (t := texts[head]) is not None and _header_like(t):
        head += 1
    while head and header_role(texts[head - 1] or "") is None:
        head -= 1  # the header ends with a word it knows
    header = [c for c in cells[:head] if c is not None]
    roles = [header_role(c.text) for c in header]
    known = sum(r is not None for r in roles)
    if known < 3 or 2 * known < len(header) or None not in cells:
        return None
    if not ({"text", "progress"} & set(roles)) and "number" not in roles:
        return None
    width = len(header)
    if head < len(cells) and cells[head] is None:
        width += missing[0]  # the header row lacks cells too: its colspans
        header = header + [Cell() for _ in range(missing[0])]
    rows: list[list[Cell]] = [header]
    current: list[Cell] = []
    for c in cells[head:]:
        if c is None:
            if current or rows:
                rows.append(current)
            current = []
            continue
        current.append(c)
        if len(current) == width:
            rows.append(current)
            current = []
    if current:
        rows.append(current)
    rows = [r for r in rows if r]
    given = [len(r) for r in rows]
    for r in rows:
        r.extend(Cell() for _ in range(width - len(r)))
    _realign_short_rows(rows, given)
    row_lines = [_line_of(lines, next((c for c in r if c.span), None)) for r in rows]
    return Table(rows=rows, line=lines[i].number, source="pipe", row_lines=row_lines), j


def _line_of(lines: list[Line], cell: Cell | None) -> int:
    if cell is None or cell.span is None:
        return lines[0].number
    for ln in lines:
        if ln.start <= cell.span.start <= ln.end:
            return ln.number
    return lines[0].number


# ---------------------------------------------------------------- one cell per line

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
    if _OWN_NUMBER.match(s):
        return "numbered"  # 3.规上工业总产值增长5%: a task's own text with its number
    if re.fullmatch(r"[\u4e00-\u9fff](?:\s*[\u4e00-\u9fff]){1,2}", s) and not _UNIT_END.search(s):
        return "name"  # 王斌, 吕  乐 (a two-character name padded to the width of three)
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

    >>> align_cells(["text", "lead", "assist", "progress"], ["long", "units", "long"])
    [[0], [1], [], [2]]
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


_CHAPTER = re.compile(r"^\s*[" + CN_DIGITS + r"]{1,4}\s*[、.]\s*\S")


def _number_of(s: str) -> int | None:
    s = fold_width(s).strip().rstrip(".、")
    if s.isdigit() and len(s) <= 4:
        return int(s)
    return None


def _flat_header(lines: list[Line], i: int) -> tuple[list[Line], int] | None:
    """The header of a table written one cell per line, starting at line index ``i``, and
    the index after it; None when no such header starts there."""
    if not header_role(lines[i].stripped):
        return None
    header: list[Line] = []
    j = i
    while j < len(lines) and (not lines[j].stripped or _header_like(lines[j].stripped)):
        if lines[j].stripped:  # a copy may keep a blank line between cells
            header.append(lines[j])
        j += 1
    while header and header_role(header[-1].stripped) is None:
        j = header.pop().number - 1  # the header ends with a word it knows
    header = _join_wrapped_headers(header)
    roles = [header_role(h.stripped) for h in header]
    known = sum(r is not None for r in roles)
    responsibility = {"lead", "assist", "responsible", "official"} & set(roles)
    if known < 3 or 2 * known < len(header):
        return None
    if not ({"text", "progress"} & set(roles)) and not (roles[0] == "number" and responsibility):
        return None  # without a task column, a numbered table of who answers will do
    return header, j


def _row_follows(lines: list[Line], j: int, expected: int | None) -> bool:
    """The next numbered row of the table comes within a few lines after line ``j``."""
    ahead = [ln for ln in lines[j + 1 : j + 12] if ln.stripped][:3]
    return any(_number_of(ln.text) in (expected, 1) for ln in ahead)


def _join_wrapped_headers(header: list[Line]) -> list[Line]:
    """A header cell the copy wrapped over two lines (牵头 / 市领导, 完成 / 时限) is one cell:
    a short first part that, with the next line, makes a header word."""
    out: list[Line] = []
    k = 0
    while k < len(header):
        h = header[k]
        if k + 1 < len(header) and len(h.stripped) <= 3:  # 牵头 / 市领导, 市政府 / 分管领导
            nxt = header[k + 1]
            joined = h.stripped + nxt.stripped
            first_role = header_role(h.stripped)
            if (
                header_role(joined) is not None
                and first_role != "number"
                and (first_role is None or len(h.stripped) <= 2)
                and (joined in HEADER_ROLES or first_role is None)
            ):
                gap = " " * (nxt.start - h.end)  # the line break, as a space in the folded copy
                out.append(Line(h.number, h.start, nxt.end, h.text + gap + nxt.text))
                k += 2
                continue
        out.append(h)
        k += 1
    return out


def _flat_table(text: str, lines: list[Line], i: int) -> tuple[Table, int] | None:
    found = _flat_header(lines, i)
    if found is None:
        return None
    header, j = found
    roles = [header_role(h.stripped) for h in header]
    width = len(header)
    number_first = roles[0] == "number"
    rows: list[list[Cell]] = [[_cell(text, h.start, h.end) for h in header]]
    row_lines = [header[0].number]
    pending: list[Line] = []
    expected: int | None = None
    end = j

    def flush() -> None:
        if not pending:
            return
        row_lines.append(pending[0].number)
        if len(pending) == 1 and _CHAPTER.match(pending[0].text) and number_first:
            # a group heading written across the whole row
            first = _cell(text, pending[0].start, pending[0].end)
            rows.append(
                [first]
                + [
                    Cell(text=first.text, span=first.span, merged_from=(len(rows), 0))
                    for _ in range(width - 1)
                ]
            )
            pending.clear()
            return
        body = pending[1:] if number_first else pending
        cols = roles[1:] if number_first else roles
        kinds = [cell_kind(ln.text) for ln in body]
        assigned = align_cells(cols, kinds)
        row: list[Cell] = [_cell(text, pending[0].start, pending[0].end)] if number_first else []
        for c, idx in enumerate(assigned):
            col = c + (1 if number_first else 0)
            if idx:
                row.append(_cell(text, body[idx[0]].start, body[idx[-1]].end))
            elif len(rows) > 1 and rows[-1][col].text:
                above = rows[-1][col]
                origin = above.merged_from or (len(rows) - 1, col)
                row.append(Cell(text=above.text, span=above.span, merged_from=origin))
            else:
                row.append(Cell())
        rows.append(row)
        pending.clear()

    footer = _footer_start(lines)
    while j < len(lines):
        ln = lines[j]
        if ln.number >= footer:
            break
        if not ln.stripped:
            if ln.text and pending:
                pending.append(ln)  # a line of only a (non-breaking) space: an empty cell
            j += 1
            continue
        if _ATTACHMENT.match(ln.text) or (
            header_role(ln.stripped) and _flat_header(lines, j) is not None
        ):
            # another attachment or another table: this one ends with its last full row
            if len(pending) > width:
                end = lines.index(pending[width])
                del pending[width:]
            break
        if number_first:
            number = _number_of(ln.text)
        else:  # no 序号 column: a row starts at its task's own number (1.主动对接…)
            own = _OWN_NUMBER.match(ln.text)
            number = int(own.group(1)) if own and roles[0] == "text" else None
        starts_row = number is not None and (expected is None or number == expected or number == 1)
        if starts_row:
            flush()
            pending.append(ln)
            expected = (number or 0) + 1
        elif _CHAPTER.match(ln.text) and (not pending or _row_full(pending, width)):
            flush()
            pending.append(ln)
            flush()
        elif header_role(ln.stripped) is not None and not pending:
            j += 1  # a header repeated on a new page
            continue
        elif pending:
            pending.append(ln)
        elif number_first and len(ln.stripped) <= 40 and _row_follows(lines, j, expected):
            # a heading without 一、 (强化科技创新支撑能力。, (一)) before or between the rows
            pending.append(ln)
            flush()
        else:
            break
        j += 1
        end = j
    short = bool(pending) and len(pending) < width
    last_row = list(pending)
    flush()  # (a cut last row is read below)
    if len(rows) < 2:
        return None
    table = Table(rows=rows, line=header[0].number, source="flat", row_lines=row_lines)
    at_end = not any(ln.stripped for ln in lines[end:])
    stub_cut = bool(last_row) and len(last_row[-1].stripped) <= 2 and not text.endswith("\n")
    if at_end and ((short and _fragment(last_row[-1].stripped)) or stub_cut):
        # the copy stops in the last row: the cells it lacks were never copied, so none is
        # repeated from the row above
        stub = last_row[-1]
        table.rows[-1] = [
            Cell()
            if c.is_merged_copy
            or (
                len(stub.stripped) <= 2
                and roles[j] != "text"
                and c.span is not None
                and c.span.start == stub.start
            )
            else c
            for j, c in enumerate(table.rows[-1])
        ]  # and a unit cut to a character or two (市发) names nothing
        table.cut = True
    return table, end


def _fragment(s: str) -> bool:
    """A cell's text that the copy cut: a character or two, or a long text stopped mid-sentence."""
    return len(s) <= 2 or (len(s) > 24 and s[-1] not in '。;；!！?？)）"”')


def _cut_last_row(table: Table) -> None:
    """The copy stops inside the table's last row: its missing cells are not merged from
    above (they were never copied), and the row is marked cut."""
    last = table.rows[-1]
    own = [j for j, c in enumerate(last) if c.text and not c.is_merged_copy]
    after = own[-1] if own else -1
    # cells merged down into the row before its last own cell are its rowspans (a 序号 over
    # sub-rows); those after it are where the copy stopped
    table.rows[-1] = [Cell() if j > after and c.is_merged_copy else c for j, c in enumerate(last)]
    table.cut = True


def _header_like(s: str) -> bool:
    """A known header word, or a short label a header might hold (区民生实事项目数量)."""
    return header_role(s) is not None or bool(re.fullmatch(r"[\u4e00-\u9fff()（）/]{2,10}", s))


def _space_table(text: str, lines: list[Line], i: int) -> tuple[Table, int] | None:
    """A table whose cells a copy separated by spaces: a header line of header words
    (``序号 目标任务 牵头责任部门 进展情况``), then rows that start with their number, a row
    going on over several lines; each row's space-separated pieces are put under the columns
    they fit (a long text may hold spaces of its own and take several pieces)."""
    head = lines[i]
    opening = head.stripped.split(maxsplit=1)
    if len(opening) < 2 or header_role(opening[0]) != "number":
        return None  # the header starts with 序号 (a quick no for every other line)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", head.text)]
    roles = [header_role(head.text[a:b]) for a, b in words]
    known = sum(r is not None for r in roles)
    if len(words) < 3 or known < 3 or known < len(words) - 1 or roles[0] != "number":
        return None
    if not ({"text", "progress"} & set(roles)):
        return None
    rows: list[list[Cell]] = [[_cell(text, head.start + a, head.start + b) for a, b in words]]
    row_lines = [head.number]
    pieces: list[tuple[int, int]] = []
    expected = 1
    j = i + 1
    end = j

    def flush() -> None:
        if not pieces:
            return
        kinds = [cell_kind(text[a:b]) for a, b in pieces[1:]]
        assigned = align_cells(roles[1:], kinds)
        row = [_cell(text, *pieces[0])]
        for idx in assigned:
            if idx:
                row.append(_cell(text, pieces[1 + idx[0]][0], pieces[1 + idx[-1]][1]))
            else:
                row.append(Cell())
        rows.append(row)
        pieces.clear()

    footer = _footer_start(lines)
    while j < len(lines) and lines[j].number < footer:
        ln = lines[j]
        found = [(ln.start + m.start(), ln.start + m.end()) for m in re.finditer(r"\S+", ln.text)]
        if found and _number_of(text[found[0][0] : found[0][1]]) == expected:
            flush()
            row_lines.append(ln.number)
            expected += 1
        elif found and _GROUP_HEADING.match(ln.text):
            flush()  # 一、… / (一)… between the rows: a heading across the table
            first = _cell(text, ln.start, ln.end)
            rows.append(
                [first]
                + [
                    Cell(text=first.text, span=first.span, merged_from=(len(rows), 0))
                    for _ in range(len(words) - 1)
                ]
            )
            row_lines.append(ln.number)
            j += 1
            end = j
            continue
        elif not pieces and found:
            break
        pieces.extend(found)
        j += 1
        if found:
            end = j
    flush()
    if len(rows) < 2:
        return None
    return Table(rows=rows, line=head.number, source="space", row_lines=row_lines), end


_GROUP_HEADING = re.compile(
    r"^\s*(?:[" + CN_DIGITS + r"]{1,3}\s*[、.]|\(\s*[" + CN_DIGITS + r"]{1,3}\s*\))\s*\S"
)
_OWN_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.、](?![\dA-Za-z])\s*\S")
_ATTACHMENT = re.compile(r"^\s*附件\s*\d{0,2}\s*$")


def _row_full(pending: list[Line], width: int) -> bool:
    return len(pending) >= width


_FOOTER = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[\u4e00-\u9fff]{2,20}"
    r"(?:人民政府|办公室|委员会|督查室|政府办|办公厅)|\(此件公开发布\)|附件\S*)\s*$"
)


def _footer_start(lines: list[Line]) -> int:
    """First line of a closing issuer-and-date block (after the last line when none)."""
    end = lines[-1].number + 1 if lines else 1
    dated = False
    for ln in reversed(lines):
        if not ln.stripped:
            continue
        if not _FOOTER.match(ln.text):
            break
        end = ln.number
        dated = dated or bool(re.match(r"^\s*\d{4}\s*年", ln.text))
    return end if dated else (lines[-1].number + 1 if lines else 1)


def chinese_number(s: str) -> int | None:
    try:
        return chinese_to_int(s)
    except ValueError:
        return None
