"""Tables a text copy writes one cell per line: flattened, space-separated, or each cell closed
by a pipe line.

* one cell per line ("flattened"), announced by a run of header words (序号, 工作任务,
  牵头单位, …): the header gives the column count, each row starts at its number, and a merged
  cell shows up as a missing cell, filled from the cell above once the row's cells are put
  under the columns they fit;
* a header line of header words separated by spaces, then rows that start with their number;
* each cell on its own line closed by a pipe (``序号 |`` or ``|`` on the next line), a line of
  pipes alone ending a row that lacks as many cells.
"""

from __future__ import annotations

import re

from ingest.document import Cell, Table
from ingest.fields import HEADER_ROLES, header_role
from ingest.readers.cells import (
    ATTACHMENT,
    CHAPTER_START,
    GROUP_HEADING,
    OWN_NUMBER,
    Line,
    align_cells,
    cell_at,
    cell_kind,
    cut_last_row,
    header_like,
    is_fragment,
    number_of,
    realign_short_rows,
    row_full,
)

__all__ = ["flat_table", "pipe_lines_table", "space_table"]


_PIPES = re.compile(r"\s*(\|+)\s*")
_CLOSED_CELL = re.compile(r"(.*?\S)\s*\|\s*")


def pipe_lines_table(text: str, lines: list[Line], i: int) -> tuple[Table, int] | None:
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
                cells.append(cell_at(text, open_start, lines[j - 1].end))
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
                cells.append(cell_at(text, open_start, lines[j - 1].end))
            cells.append(cell_at(text, ln.start, ln.start + len(m.group(1))))
            open_start, closed = None, True
        elif open_start is None:
            if j > i and not closed:
                break
            open_start, closed = ln.start, False
        j += 1
    # a last cell that no pipe closes, at the end of the text: the copy stops inside it
    cut = open_start is not None and all(not ln.stripped for ln in lines[j:])
    if open_start is not None:
        cells.append(cell_at(text, open_start, lines[j - 1].end))
    # the header: the first cells that are header words
    texts = [c.text if c is not None else None for c in cells]
    head = 0
    while head < len(texts) and (t := texts[head]) is not None and header_like(t):
        head += 1
    while head and header_role(texts[head - 1] or "") is None:
        head -= 1  # the header ends with a word it knows
    header = [c for c in cells[:head] if c is not None]
    roles = [header_role(c.text) for c in header]
    known = sum(r is not None for r in roles)
    if known < 3 or 2 * known < len(header):
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
    realign_short_rows(rows, given)
    row_lines = [_line_of(lines, next((c for c in r if c.span), None)) for r in rows]
    table = Table(rows=rows, line=lines[i].number, source="pipe", row_lines=row_lines)
    if cut and len(rows) > 1:
        cut_last_row(table)
    return table, j


def _line_of(lines: list[Line], cell: Cell | None) -> int:
    if cell is None or cell.span is None:
        return lines[0].number
    for ln in lines:
        if ln.start <= cell.span.start <= ln.end:
            return ln.number
    return lines[0].number


# ---------------------------------------------------------------- one cell per line


def _flat_header(lines: list[Line], i: int) -> tuple[list[Line], int] | None:
    """The header of a table written one cell per line, starting at line index ``i``, and
    the index after it; None when no such header starts there."""
    if not header_role(lines[i].stripped):
        return None
    header: list[Line] = []
    j = i
    while j < len(lines) and (not lines[j].stripped or header_like(lines[j].stripped)):
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
    return any(number_of(ln.text) in (expected, 1) for ln in ahead)


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


def flat_table(text: str, lines: list[Line], i: int) -> tuple[Table, int] | None:
    found = _flat_header(lines, i)
    if found is None:
        return None
    header, j = found
    roles = [header_role(h.stripped) for h in header]
    width = len(header)
    number_first = roles[0] == "number"
    rows: list[list[Cell]] = [[cell_at(text, h.start, h.end) for h in header]]
    row_lines = [header[0].number]
    pending: list[Line] = []
    expected: int | None = None
    end = j

    def flush() -> None:
        if not pending:
            return
        row_lines.append(pending[0].number)
        if len(pending) == 1 and CHAPTER_START.match(pending[0].text) and number_first:
            # a group heading written across the whole row
            first = cell_at(text, pending[0].start, pending[0].end)
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
        row: list[Cell] = [cell_at(text, pending[0].start, pending[0].end)] if number_first else []
        for c, idx in enumerate(assigned):
            col = c + (1 if number_first else 0)
            if idx:
                row.append(cell_at(text, body[idx[0]].start, body[idx[-1]].end))
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
        if ATTACHMENT.match(ln.text) or (
            header_role(ln.stripped) and _flat_header(lines, j) is not None
        ):
            # another attachment or another table: this one ends with its last full row
            if len(pending) > width:
                end = lines.index(pending[width])
                del pending[width:]
            break
        if number_first:
            number = number_of(ln.text)
        else:  # no 序号 column: a row starts at its task's own number (1.主动对接…)
            own = OWN_NUMBER.match(ln.text)
            number = int(own.group(1)) if own and roles[0] == "text" else None
        starts_row = number is not None and (expected is None or number == expected or number == 1)
        if starts_row:
            flush()
            pending.append(ln)
            expected = (number or 0) + 1
        elif CHAPTER_START.match(ln.text) and (not pending or row_full(pending, width)):
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
    if at_end and ((short and is_fragment(last_row[-1].stripped)) or stub_cut):
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


def space_table(text: str, lines: list[Line], i: int) -> tuple[Table, int] | None:
    """A table whose cells a copy separated by spaces: a header line of header words
    (``序号 目标任务 牵头责任部门 进展情况``), then rows that start with their number, a row
    going on over several lines; each row's space-separated pieces are put under the columns
    they fit (a long text may hold spaces of its own and take several pieces)."""
    head = lines[i]
    opening = head.stripped.split(maxsplit=1)
    if len(opening) < 2 or header_role(opening[0]) != "number":
        return None  # the header starts with 序号 (a quick no for every other line)
    words = [(head.start + m.start(), head.start + m.end()) for m in re.finditer(r"\S+", head.text)]
    j = _header_goes_on(text, lines, i + 1, words)
    roles = [header_role(text[a:b]) for a, b in words]
    known = sum(r is not None for r in roles)
    if len(words) < 3 or known < 3 or known < len(words) - 1 or roles[0] != "number":
        return None
    if not ({"text", "progress"} & set(roles)):
        return None
    rows: list[list[Cell]] = [[cell_at(text, a, b) for a, b in words]]
    row_lines = [head.number]
    pieces: list[tuple[int, int]] = []
    expected = 1
    end = j
    skipping = False  # the figures of a 合计 row or of a group heading's row: not cells of a task

    def flush(last: bool = False) -> None:
        if not pieces:
            return
        kinds = [cell_kind(text[a:b]) for a, b in pieces[1:]]
        assigned = align_cells(roles[1:], kinds)
        if last and pieces[-1][1] >= len(text.rstrip()) and len(pieces) - 1 < len(roles) - 1:
            # the copy stops inside the row: its pieces are its first cells, in order
            assigned = [[k] for k in range(len(pieces) - 1)]
            assigned += [[] for _ in range(len(roles) - len(pieces))]
        row = [cell_at(text, *pieces[0])]
        for idx in assigned:
            if idx:
                row.append(cell_at(text, pieces[1 + idx[0]][0], pieces[1 + idx[-1]][1]))
            else:
                row.append(Cell())
        rows.append(row)
        pieces.clear()

    footer = _footer_start(lines)
    while j < len(lines) and lines[j].number < footer:
        ln = lines[j]
        found = [(ln.start + m.start(), ln.start + m.end()) for m in re.finditer(r"\S+", ln.text)]
        if found and number_of(text[found[0][0] : found[0][1]]) == expected:
            flush()
            row_lines.append(ln.number)
            expected += 1
            skipping = False
        elif found and _TOTAL.match(ln.text):
            flush()
            skipping = True
            j += 1
            continue
        elif found and GROUP_HEADING.match(ln.text):
            flush()  # 一、… / (一)… between the rows: a heading across the table
            first = cell_at(text, ln.start, ln.end)
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
            skipping = True
            continue
        elif skipping and found and all(re.fullmatch(r"[\d.%]+", text[a:b]) for a, b in found):
            j += 1
            continue
        elif not pieces and found:
            break
        pieces.extend(found)
        j += 1
        if found:
            end = j
    cut = bool(pieces) and pieces[-1][1] >= len(text.rstrip())
    flush(last=True)
    if len(rows) < 2:
        return None
    table = Table(rows=rows, line=head.number, source="space", row_lines=row_lines)
    if cut:
        cut_last_row(table)
    return table, end


_TOTAL = re.compile(r"^\s*(?:合\s*计|总\s*计|小\s*计)(?:\s|$)")


def _header_goes_on(text: str, lines: list[Line], k: int, words: list[tuple[int, int]]) -> int:
    """A header wrapped over lines (``… 责任`` / ``单位`` / ``月度进展情况 备注``): a word that
    completes the last one is joined to it, known header words are more columns, other words
    (a second header level: ``完成额度``, ``(万元)``) are passed over.  Returns the index of the
    line after the header."""
    start = k
    while k < len(lines) and k - start < 8:
        ln = lines[k]
        found = [(ln.start + m.start(), ln.start + m.end()) for m in re.finditer(r"\S+", ln.text)]
        if not found:
            k += 1
            continue
        first = text[found[0][0] : found[0][1]]
        if (
            number_of(first) is not None
            or GROUP_HEADING.match(ln.text)
            or _TOTAL.match(ln.text)
            or len(ln.stripped) > 40
            or any(b - a > 16 or re.fullmatch(r"[\d.%,]+", text[a:b]) for a, b in found)
        ):
            break
        a0, b0 = words[-1]
        if header_role(text[a0:b0]) is None and header_role(text[a0:b0] + first) is not None:
            words[-1] = (a0, found[0][1])  # 责任 + 单位
            found = found[1:]
        words.extend((a, b) for a, b in found if header_role(text[a:b]) is not None)
        k += 1
    return k


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
