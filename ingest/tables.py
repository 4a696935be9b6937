"""Tasks out of tables: columns typed by their header words, or by their content.

A task table is any :class:`~ingest.document.Table` with a column of task text.  Its header
rows (one or two levels: 本月进展情况 over 前期手续 / 形象进度) give each column a role
(:func:`ingest.fields.header_role`); a column whose header is unknown, or a table without a
header, is typed by what its cells look like (:func:`ingest.readers.text.cell_kind`).  Rows
are then read as tasks:

* a row holding one value across the table (a colspan or a one-cell row) is a group heading,
  a chapter when it is numbered 一、二、…;
* a 序号 一/二 merged down over sub-rows is a group whose sub-rows are the tasks;
* a row whose number cell repeats the task above (merged down) adds to that task;
* responsibility columns become fields, the progress column the task's progress, and every
  other column (完成时限, 是否达序, 备注, a monthly plan …) a named property of the task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.document import Cell, Table
from ingest.fields import header_role
from ingest.models import AssignmentField, FieldRole, Span
from ingest.readers.text import cell_kind
from ingest.textutil import CN_DIGITS, chinese_to_int, fold_width

__all__ = ["ColumnPlan", "RowRead", "plan_columns", "read_rows"]

_RESP_ROLES = {"official", "lead", "assist", "responsible"}
_CN_NUM = re.compile(r"^[" + CN_DIGITS + r"]{1,4}$")
_OWN_NUMBER = re.compile(
    r"^\s*(?:(\d{1,3})\s*[.、](?!\d)|\(\s*(["
    + CN_DIGITS
    + r"]{1,3})\s*\)|(["
    + CN_DIGITS
    + r"]{1,3})\s*、)\s*"
)
_CN_HEAD = re.compile(r"^\s*([" + CN_DIGITS + r"]{1,4})\s*[、.]\s*(.*)$", re.S)


@dataclass
class ColumnPlan:
    """The typed columns of one task table."""

    roles: list[str | None]
    names: list[str]
    header_rows: int
    text_col: int
    number_col: int | None


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", fold_width(s))


def _header_row_score(row: list[Cell]) -> int:
    return sum(header_role(c.text) is not None for c in row if not c.is_merged_copy)


def plan_columns(table: Table) -> ColumnPlan | None:
    """Roles of a table's columns, or None when it holds no task text."""
    rows = table.rows
    width = table.n_cols
    head = None
    for r in range(min(6, len(rows))):
        if _header_row_score(rows[r]) >= 2 or (
            _header_row_score(rows[r]) >= 1 and any(header_role(c.text) == "text" for c in rows[r])
        ):
            head = r
            break
    roles: list[str | None] = [None] * width
    names = [""] * width
    header_rows = 0
    if head is not None:
        header_rows = head + 1
        # a second header level: short cells under a merged parent, no task number
        while header_rows < len(rows) and header_rows - head < 3:
            nxt = rows[header_rows]
            parents = [c.merged_from is not None or c.text == "" for c in rows[header_rows - 1]]
            subs = [c for c in nxt if c.text and not c.is_merged_copy]
            looks_sub = subs and all(len(_norm(c.text)) <= 12 for c in subs)
            if not (looks_sub and any(parents) and not _has_number(nxt)):
                break
            if not any(header_role(c.text) for c in subs) and len(subs) < 2:
                break
            header_rows += 1
        for j in range(width):
            texts: list[str] = []
            for r in range(head, header_rows):
                t = _norm(rows[r][j].text) if j < len(rows[r]) else ""
                if t and t not in texts:
                    texts.append(t)
            names[j] = "/".join(texts)
            for t in reversed(texts):  # the deepest level that names a role wins
                role = header_role(t)
                if role is not None:
                    roles[j] = role
                    break
    body = rows[header_rows:]
    # columns without a known header: typed by their content
    for j in range(width):
        if roles[j] is not None:
            continue
        kinds = [cell_kind(r[j].text) for r in body if j < len(r) and r[j].text]
        if not kinds:
            continue
        top = max(set(kinds), key=kinds.count)
        share = kinds.count(top) / len(kinds)
        if share < 0.6:
            continue
        if top == "number" and "number" not in roles:
            roles[j] = "number"
        elif top == "name" and "official" not in roles:
            roles[j] = "official"
        elif top == "units":
            roles[j] = "lead" if "lead" not in roles else "assist"
        elif top == "date" and head is None:
            roles[j] = "deadline"
    if "text" not in roles:
        # the longest text column carries the task
        lengths = [
            (sum(len(r[j].text) for r in body if j < len(r)), j)
            for j in range(width)
            if roles[j] is None
        ]
        if not lengths:
            return None
        total, j = max(lengths)
        if head is None and (total < 12 * max(1, len(body)) or "number" not in roles):
            return None  # no header, no numbered rows of text: a page's metadata, not tasks
        roles[j] = "text"
    if head is None and len(body) < 2:
        return None
    # several task columns (项目名称 | 主要内容): the first carries the task, unless it is a
    # group label merged down over the rows (项目 over 重点工作目标任务)
    text_cols = [j for j, r in enumerate(roles) if r == "text"]
    text_col = next((j for j in text_cols if not _mostly_merged(body, j)), text_cols[0])
    number_col = roles.index("number") if "number" in roles else None
    return ColumnPlan(roles, names, header_rows, text_col, number_col)


def _mostly_merged(body: list[list[Cell]], j: int) -> bool:
    cells = [r[j] for r in body if j < len(r) and r[j].text]
    return bool(cells) and 2 * sum(c.is_merged_copy for c in cells) > len(cells)


def _has_number(row: list[Cell]) -> bool:
    return any(
        fold_width(c.text).strip().rstrip(".、").isdigit() for c in row if not c.is_merged_copy
    )


@dataclass
class RowRead:
    """One body row as the segmenter needs it."""

    index: int
    kind: str  # task | continue | heading | skip
    number: int | None = None
    heading: Span | None = None  # a group heading's span
    heading_number: int | None = None
    text: Span | None = None
    fields: list[AssignmentField] = field(default_factory=list)
    progress: list[Span] = field(default_factory=list)
    properties: dict[str, str] = field(default_factory=dict)
    cells: dict[str, Span] = field(default_factory=dict)
    extra_text: list[Span] = field(default_factory=list)


def _arabic(s: str) -> int | None:
    s = fold_width(s).strip().rstrip(".、")
    return int(s) if s.isdigit() and len(s) <= 4 else None


def _cn(s: str) -> int | None:
    s = fold_width(s).strip().rstrip(".、")
    if not _CN_NUM.match(s):
        return None
    try:
        return chinese_to_int(s)
    except ValueError:
        return None


def read_rows(table: Table, plan: ColumnPlan) -> list[RowRead]:
    """Each body row of a task table, read by the column plan."""
    out: list[RowRead] = []
    header_texts = [
        [_norm(c.text) for c in table.rows[r]]
        for r in range(max(0, plan.header_rows - 1), plan.header_rows)
    ]
    text_group = [
        j
        for j, r in enumerate(plan.roles)
        if r == "text" and plan.names[j] == plan.names[plan.text_col]
    ]
    for i in range(plan.header_rows, table.n_rows):
        row = table.rows[i]
        texts = [_norm(c.text) for c in row]
        if header_texts and texts == header_texts[-1]:
            out.append(RowRead(i, "skip"))  # the header repeated on a new page
            continue
        origins = {c.merged_from or (i, j) for j, c in enumerate(row) if c.text}
        own = [c for c in row if c.text and not c.is_merged_copy]
        if not own:
            out.append(RowRead(i, "skip"))
            continue
        if 2 * sum(bool(_META_LABEL.fullmatch(fold_width(c.text))) for c in own) >= len(own):
            out.append(RowRead(i, "skip"))  # the page's 索引号: | … | 成文日期: | … run on
            continue
        num_cell = row[plan.number_col] if plan.number_col is not None else None
        text_cell = row[plan.text_col]
        if len(origins) == 1 and table.n_cols > 1:
            out.append(_heading(i, own[0]))
            continue
        if num_cell is not None and not num_cell.is_merged_copy and _cn(num_cell.text) is not None:
            # 一 / 二 in the number column: a group heading (its title in the next cells)
            title = next(
                (
                    c
                    for j, c in enumerate(row)
                    if j != plan.number_col and c.text and not c.is_merged_copy
                ),
                None,
            )
            merged_down = (
                i + 1 < table.n_rows
                and plan.number_col is not None
                and table.rows[i + 1][plan.number_col].merged_from == (i, plan.number_col)
            )
            if merged_down:
                # 一 merged down over its sub-rows: a group, and this row its first task
                read = _heading(i, num_cell)
                read.heading_number = _cn(num_cell.text)
                out.append(read)
            elif title is None or text_cell.is_merged_copy or len(_norm(title.text)) <= 30:
                read = _heading(i, title or num_cell)
                read.heading_number = _cn(num_cell.text)
                out.append(read)
                continue
        # several columns under one task header (项目名称 over two columns): the innermost
        # cell of the row that is not a copy of the one above or beside it is the task
        own_texts = [row[j] for j in text_group if row[j].text and not row[j].is_merged_copy]
        if len(text_group) > 1 and own_texts:
            text_cell = own_texts[-1]
        read = RowRead(i, "task")
        own_number = _OWN_NUMBER.match(fold_width(text_cell.text)) if text_cell.text else None
        grouped = num_cell is not None and (
            num_cell.is_merged_copy
            or (
                i + 1 < table.n_rows
                and plan.number_col is not None
                and table.rows[i + 1][plan.number_col].merged_from == (i, plan.number_col)
            )
        )
        if own_number and grouped and not text_cell.is_merged_copy:
            # the 序号 numbers a group merged over its rows; each task carries its own 1. 2.
            num_cell = None
        if num_cell is not None and num_cell.text:
            if num_cell.is_merged_copy and _arabic(num_cell.text) is not None:
                read.kind = "continue"
            read.number = _arabic(num_cell.text)
        if text_cell.text and not (text_cell.is_merged_copy and read.kind == "continue"):
            read.text = text_cell.span
            if read.number is None and text_cell.span is not None:
                # the task's own number written in its cell: 1.文化中心北路, (一)井盖整治项目
                m = _OWN_NUMBER.match(fold_width(text_cell.text))
                if m:
                    digits = m.group(1) or m.group(2) or m.group(3)
                    read.number = _arabic(digits) or _cn(digits)
                    span = text_cell.span
                    read.text = Span(
                        start=span.start + m.end(), end=span.end, text=span.text[m.end() :]
                    )
        elif text_cell.is_merged_copy and read.kind == "task" and read.number is None:
            read.kind = "continue"
        for j, c in enumerate(row):
            role = plan.roles[j]
            if j in (plan.number_col, plan.text_col) or not c.text or c.span is None:
                continue
            if j in text_group:
                continue  # the group's other cells: the task's headings, not its text
            if read.kind == "continue" and c.is_merged_copy:
                continue
            if role in _RESP_ROLES:
                read.fields.append(
                    AssignmentField(
                        role=_field_role(role), label=plan.names[j] or role or "", value=c.span
                    )
                )
            elif role == "progress":
                read.progress.append(c.span)
            elif role == "text":
                read.extra_text.append(c.span)
            elif role == "number":
                continue
            else:
                name = plan.names[j] or (role or f"列{j + 1}")
                read.properties[name] = c.text
                read.cells[name] = c.span
        if read.text is None and read.kind == "task":
            if not read.fields and not read.progress:
                out.append(RowRead(i, "skip"))
                continue
            read.kind = "continue"
        out.append(read)
    return out


# a page's key-value cells (索引号:, 成文日期:, 发布机构:), not a task's
_META_LABEL = re.compile(r"\s*[\u4e00-\u9fff ]{2,8}\s*[:：]\s*")


def _field_role(role: str | None) -> FieldRole:
    assert role in _RESP_ROLES
    return role  # type: ignore[return-value]


def _heading(i: int, cell: Cell) -> RowRead:
    assert cell.span is not None
    read = RowRead(i, "heading", heading=cell.span)
    m = _CN_HEAD.match(fold_width(cell.text))
    if m:
        try:
            read.heading_number = chinese_to_int(m.group(1))
        except ValueError:
            read.heading_number = None
    return read
