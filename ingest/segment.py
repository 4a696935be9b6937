"""Segment: chapters, tasks, progress, items, sentences and responsibility fields.

A document's blocks (:mod:`ingest.document`) are read by one of two layouts:

* tables — when a table holds task text, its rows are the tasks (:mod:`ingest.table_layout`,
  columns typed by :mod:`ingest.tables`); the layout is named after where the table came from
  (``html-table``, ``pipe-table``, ``flat-table`` …);
* ``list`` — numbered headings and tasks in any family of the genre, progress after
  ``进展情况:`` and its items ①②③, fields on their own lines, inline or in a bracket
  (:mod:`ingest.list_layout`);
* ``prose`` — when neither finds a complete task: tasks a report quotes in running prose,
  ``X牵头的第N项“…”`` followed by what was reported (:mod:`ingest.prose_layout`).

Numbering that starts again is another list of tasks (``TaskSeg.section``).  A copy cut short
keeps its complete tasks with warnings; ``strict`` refuses it.  Every span carries offsets into
the decoded text.  Anything that cannot be read raises :class:`~graph.errors.ParseError` naming
the file, line and reason.
"""

from __future__ import annotations

from graph.errors import ParseError
from ingest.document import Document
from ingest.fields import FIELD_LABEL_RE
from ingest.labels import label_role
from ingest.layout_base import _TERMINAL, ANNOUNCED_RE
from ingest.list_layout import _ListLayout
from ingest.models import (
    LoadedDocument,
    SegmentedDocument,
    Span,
    TaskSeg,
)
from ingest.prose_layout import numbered_line_tasks, prose_tasks
from ingest.readers.text import read_text
from ingest.readers.text import split_lines as _lines
from ingest.table_layout import _TableLayout, _task_tables
from ingest.textutil import LineIndex, fold_width

__all__ = ["segment"]


def segment(
    source: str | LoadedDocument, path: str = "<input>", strict: bool = False
) -> SegmentedDocument:
    """Split a decoded document into chapters and tasks.

    ``source`` is a :class:`~ingest.document.Document` (its tables read as grids) or plain
    text (its tables recognised first).  A copy cut short keeps its complete tasks: the cut
    task is flagged and a warning names its line; ``strict`` refuses it instead.

    >>> doc = segment("一、产业\\n1.建成沪通铁路。\\n进展情况:①开工。②通车。\\n")
    >>> [(t.number, t.text.text, len(t.progress.items)) for t in doc.tasks]
    [(1, '建成沪通铁路。', 2)]
    """
    document = _as_document(source, path)
    path = document.path
    text = document.text
    folded = fold_width(text)
    lines = _lines(folded)
    tables = _task_tables(document.tables)
    if tables:
        doc = _TableLayout(text, folded, lines, path, document, tables).parse()
    else:
        doc = _ListLayout(text, folded, lines, path).parse()
    if not any(t.complete for t in doc.tasks):
        doc = prose_tasks(text, folded, path) or numbered_line_tasks(text, folded, path) or doc
    _check(doc, folded, path, strict)
    return doc


def _as_document(source: str | LoadedDocument, path: str) -> Document:
    if isinstance(source, Document):
        return source
    if isinstance(source, LoadedDocument):
        doc = read_text(source.text, path=source.path, encoding=source.encoding, size=source.size)
        return doc
    return read_text(source, path=path)


def _check(doc: SegmentedDocument, folded: str, path: str, strict: bool = False) -> None:
    tasks = doc.tasks
    if not tasks:
        raise ParseError(
            "no numbered tasks found (expected lines such as '1.…' or a table with a 序号 column)",
            path=path,
            line=1,
        )
    index = LineIndex(folded)
    seen: dict[str, int] = {}
    for t in tasks:
        if t.key in seen:
            message = f"task number {t.number} appears twice (first at line {seen[t.key]})"
            if strict:
                raise ParseError(message, path=path, line=t.line)
            doc.warnings.append(f"line {t.line}: {message}; the second is left out")
            for chapter in doc.chapters:
                chapter.tasks = [x for x in chapter.tasks if x is not t]
            continue
        seen[t.key] = t.line
    tasks = doc.tasks
    for section in sorted({t.section for t in tasks}):
        numbers = sorted(t.number for t in tasks if t.section == section)
        missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
        if missing:
            where = f" in list {section}" if section > 1 else ""
            doc.warnings.append(f"task numbers skipped{where}: {', '.join(map(str, missing[:20]))}")
    if doc.layout == "list" and _ends_mid_sentence(tasks):
        last = tasks[-1]
        tail = _tail(last)
        message = (
            f"the file ends in the middle of a sentence ('…{tail.text[-12:]}') in task "
            f"{last.number}: it looks truncated"
        )
        if strict:
            raise ParseError(message, path=path, line=index.line(tail.end))
        last.complete = False
        doc.warnings.append(
            f"line {index.line(tail.end)}: task {last.number} is cut off (the copy ends in the "
            "middle of a sentence); it is kept and flagged incomplete"
        )
    _stray_fields(doc, folded, index)
    if doc.preamble is not None:
        m = ANNOUNCED_RE.search(fold_width(doc.preamble.text))
        if m and int(m.group(1)) != len(tasks):
            last = tasks[-1]
            message = (
                f"the document announces {m.group(1)} tasks but {len(tasks)} were found, "
                f"the last being task {last.number}"
            )
            if strict and int(m.group(1)) > len(tasks):
                raise ParseError(
                    message + ": the file looks truncated",
                    path=path,
                    line=index.line(len(folded.rstrip())),
                )
            doc.warnings.append(message)


def _stray_fields(doc: SegmentedDocument, folded: str, index: LineIndex) -> None:
    """Progress or responsibility written before the first task belongs to no task: it is
    not stored, and a warning stored on the report names its line."""
    if doc.preamble is None:
        return
    start, end = doc.preamble.start, doc.preamble.end
    for m in FIELD_LABEL_RE.finditer(folded, start, end):
        if folded[m.start() - 1 : m.start()] not in ("", "\n"):
            continue  # a label at a line start only: prose quotes 进展情况 too
        role = label_role(m.group(1))
        if role not in {"progress", "lead", "assist", "responsible", "official"}:
            continue
        if m.group(1).startswith(("主办", "承办", "协办")):
            continue  # the web page's sponsor (主办单位:市委宣传部), not a task's unit
        stop = folded.find("\n", m.end(), end)
        value = folded[m.end() : stop if stop != -1 else end].strip()
        if not value:
            continue
        doc.warnings.append(
            f"line {index.line(m.start())}: '{folded[m.start() : m.end()].strip()}{value[:20]}…' "
            "comes before the first task and belongs to none; it is not stored"
        )


def _tail(task: TaskSeg) -> Span:
    return task.progress.span if task.progress is not None else task.text


def _ends_mid_sentence(tasks: list[TaskSeg]) -> bool:
    """The last task stops without the closing punctuation that the document's other tasks have."""
    last = tasks[-1]
    if last.fields and last.fields[-1].value.end > _tail(last).end:
        return False  # a unit list legitimately ends without punctuation

    def closed(t: TaskSeg) -> bool:
        text = _tail(t).text
        return bool(text) and (text[-1] in _TERMINAL or text[-1].isdigit())

    others = tasks[:-1]
    convention = len(others) >= 3 and sum(map(closed, others)) >= 0.9 * len(others)
    return convention and not closed(last)
