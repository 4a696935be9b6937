"""The table layout: tasks from the document's task tables (:mod:`ingest.tables` types their
columns and reads their rows), chapters from the paragraphs and heading rows between them."""

from __future__ import annotations

from ingest.document import Document, Paragraph, Table
from ingest.fields import split_task_body
from ingest.layout_base import CHAPTER_RE, _Base, _span
from ingest.models import (
    ChapterSeg,
    ProgressSeg,
    SegmentedDocument,
    Span,
    TaskPart,
    TaskSeg,
)
from ingest.readers.text import Line as _Line
from ingest.tables import ColumnPlan, RowRead, plan_columns, read_rows
from ingest.textutil import fold_width

__all__: list[str] = []


def _task_tables(tables: list[Table]) -> list[tuple[Table, ColumnPlan]]:
    """The tables that hold tasks, with their typed columns.  A table without a header of
    its own that follows a task table of the same width continues it (a table broken over
    pages, or one table per row in a word processor's copy)."""
    out: list[tuple[Table, ColumnPlan]] = []
    previous: ColumnPlan | None = None
    for t in tables:
        plan = plan_columns(t)
        if plan is None and previous is not None and t.n_cols == len(previous.roles):
            plan = ColumnPlan(
                previous.roles, previous.names, 0, previous.text_col, previous.number_col
            )
        if plan is not None:
            out.append((t, plan))
            previous = plan
    return out


class _TableLayout(_Base):
    """Tasks from the document's task tables; headings from paragraphs and heading rows."""

    def __init__(
        self,
        text: str,
        folded: str,
        lines: list[_Line],
        path: str,
        document: Document,
        tables: list[tuple[Table, ColumnPlan]],
    ) -> None:
        super().__init__(text, folded, lines, path)
        self.document = document
        self.plans = {id(t): p for t, p in tables}
        self.section = 1
        self.last_number = 0
        self.counter = 0  # running number for rows without one

    def parse(self) -> SegmentedDocument:
        first_structure: int | None = None
        sources: list[str] = []
        for block in self.document.blocks:
            if isinstance(block, Paragraph):
                ln = self.lines[block.line - 1]
                chapter = self.chapter_from(ln)
                if chapter is not None and len(block.span.text) <= 40:
                    self.add_chapter(chapter)
                    first_structure = (
                        block.span.start if first_structure is None else first_structure
                    )
                continue
            plan = self.plans.get(id(block))
            if plan is None:
                continue
            start = _table_start(block)
            first_structure = start if first_structure is None else first_structure
            sources.append(block.source)
            self.read_table(block, plan)
        layout = f"{sources[0]}-table" if sources else "table"
        return self.done(layout, self.preamble(first_structure or 0))

    def read_table(self, table: Table, plan: ColumnPlan) -> None:
        current: TaskSeg | None = None
        group_started = False
        for row in read_rows(table, plan):
            line = table.row_lines[row.index] if row.index < len(table.row_lines) else table.line
            if row.kind == "skip":
                continue
            if row.kind == "heading":
                assert row.heading is not None
                title = row.heading
                m = CHAPTER_RE.match(fold_width(title.text))
                if m:
                    title = _span(self.text, title.start + m.start(2), title.end)
                number = row.heading_number
                if number is None:
                    number = (self.chapters[-1].number if self.chapters else 0) + 1
                self.add_chapter(
                    ChapterSeg(
                        number=number,
                        title=title,
                        line=line,
                        numbered=row.heading_number is not None,
                    )
                )
                group_started = True
                current = None
                continue
            if row.kind == "continue" and current is not None:
                self.extend(current, row)
                continue
            number = row.number
            if number is None:
                number = self.counter + 1
            if number <= self.last_number and self.current_tasks_exist():
                if number == 1 or group_started:
                    self.section += 1
                else:
                    self.warnings.append(
                        f"line {line}: task {number} comes after task {self.last_number}; "
                        "read as the start of another list"
                    )
                    self.section += 1
            group_started = False
            self.last_number = number
            self.counter = number
            if row.text is None:
                self.warnings.append(f"line {line}: task {number} has no text in its row; left out")
                current = None
                continue
            current = self.task_from(row, number, line)
            self.current_chapter(line).tasks.append(current)
            if table.cut and row.index == table.n_rows - 1:
                current.complete = False
                self.warnings.append(
                    f"line {line}: task {number} is cut off (the copy ends inside its row); "
                    "it is kept and flagged incomplete"
                )

    def current_tasks_exist(self) -> bool:
        return any(c.tasks for c in self.chapters)

    def task_from(self, row: RowRead, number: int, line: int) -> TaskSeg:
        assert row.text is not None
        body = split_task_body(self.text, row.text.start, row.text.end)
        text = _span(self.text, row.text.start, body.text_end)
        if not text.text:
            text = row.text
        fields = [*body.fields, *row.fields]
        sentences = self.sentences(text)
        progress = self.progress_of(row.progress)
        if progress is None and body.progress is not None:
            progress = self.progress(*body.progress)
        more = []
        for extra in row.extra_text:
            sentences.extend(self.sentences(extra))
            more.append(TaskPart(text=extra, progress=progress.span if progress else None))
        for extra_progress in row.progress[1:]:
            more.append(
                TaskPart(text=_span(self.text, text.end, text.end), progress=extra_progress)
            )
        return TaskSeg(
            more=more,
            number=number,
            line=line,
            text=text,
            sentences=sentences,
            progress=progress,
            fields=fields,
            section=self.section,
            properties=row.properties,
            cells=row.cells,
        )

    def progress_of(self, spans: list[Span]) -> ProgressSeg | None:
        if not spans:
            return None
        first = self.progress(spans[0].start, spans[0].end)
        for extra in spans[1:]:
            more = self.progress(extra.start, extra.end)
            first.items.extend(more.items)
            first.sentences.extend(more.sentences)
        return first

    def extend(self, task: TaskSeg, row: RowRead) -> None:
        """A sub-row of the task above: its cells add to the task."""
        task.fields.extend(row.fields)
        progress = self.progress_of(row.progress)
        for extra in [*([row.text] if row.text is not None else []), *row.extra_text]:
            task.sentences.extend(self.sentences(extra))
            task.more.append(
                TaskPart(text=extra, progress=row.progress[0] if row.progress else None)
            )
        if progress is not None:
            if task.progress is None:
                task.progress = progress
            else:
                task.progress.items.extend(progress.items)
                task.progress.sentences.extend(progress.sentences)
        for k, v in row.properties.items():
            task.properties.setdefault(k, v)
        for k, span in row.cells.items():
            task.cells.setdefault(k, span)


def _table_start(table: Table) -> int:
    for row in table.rows:
        for c in row:
            if c.span is not None:
                return c.span.start
    return 0
