"""Segment: chapters, tasks, progress, items, sentences and responsibility fields.

Three layouts of the genre are read:

* ``list`` — headings ``一、…`` (and unnumbered headings such as 加强政府自身建设),
  tasks ``N.`` with their text, then ``进展情况:`` and items ①②③, and
  responsibility fields (``牵头单位:`` …) on their own lines or inline;
* ``pipe-table`` — ``| 序号 | 工作任务 | 牵头单位 | … |`` rows;
* ``flat-table`` — the same table flattened one cell per line.

Every span carries offsets into the decoded text.  Anything that cannot be
read raises :class:`~graph.errors.ParseError` naming the file, line and reason.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import cast

from graph.errors import ParseError
from ingest.fields import FIELD_LABEL_RE, header_role, label_role
from ingest.models import (
    AssignmentField,
    ChapterSeg,
    FieldRole,
    ProgressSeg,
    SegmentedDocument,
    Span,
    TaskSeg,
)
from ingest.officials import official_from_heading
from ingest.textutil import CN_DIGITS, LineIndex, chinese_to_int, fold_width, split_sentences

__all__ = ["segment"]

CHAPTER_RE = re.compile(r"^\s*([" + CN_DIGITS + r"]{1,4})\s*[、.]\s*(\S.*?)\s*$")
TASK_RE = re.compile(r"^\s*(\d{1,5})\s*[.、](?!\d)\s*(\S.*)?$")
ITEM_RE = re.compile(r"[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]|(?<![\w])\(\d{1,2}\)")
FOOTER_RE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[\u4e00-\u9fff]{2,20}"
    r"(?:人民政府|办公室|委员会|督查室|政府办|办公厅))\s*$"
)
_DATE_RE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月")
_TERMINAL = '。！？!?；;)）」”"》…】]|'
ANNOUNCED_RE = re.compile(r"(\d{1,4})\s*项[^。\n]{0,6}?(?:工作)?任务")
_CLAUSE_END = "。；;!！?？”\"'）)》]】…"


@dataclass
class _Line:
    number: int  # 1-based
    start: int
    end: int  # exclusive, without the newline
    text: str  # folded-width copy, same length


def _lines(folded: str) -> list[_Line]:
    out, pos = [], 0
    for i, raw in enumerate(folded.split("\n"), start=1):
        out.append(_Line(i, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return out


def _span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, text=text[start:end])


def _strip_trailing(text: str, start: int, end: int, chars: str = "。；;,，、") -> Span:
    span = _span(text, start, end)
    e = span.end
    while e > span.start and text[e - 1] in chars:
        e -= 1
    return _span(text, span.start, e)


def segment(text: str, path: str = "<input>") -> SegmentedDocument:
    """Split a decoded document into chapters and tasks.

    >>> doc = segment("一、产业\\n1.建成沪通铁路。\\n进展情况:①开工。②通车。\\n")
    >>> [(t.number, t.text.text, len(t.progress.items)) for t in doc.tasks]
    [(1, '建成沪通铁路。', 2)]
    """
    folded = fold_width(text)
    lines = _lines(folded)
    layout = _detect_layout(lines)
    if layout == "pipe-table":
        doc = _PipeTable(text, folded, lines, path).parse()
    elif layout == "flat-table":
        doc = _FlatTable(text, folded, lines, path).parse()
    else:
        doc = _ListLayout(text, folded, lines, path).parse()
    _check(doc, folded, path)
    return doc


def _detect_layout(lines: list[_Line]) -> str:
    for ln in lines:
        stripped = ln.text.strip()
        if stripped.startswith("|") and stripped.count("|") >= 3:
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            roles = [header_role(c) for c in cells]
            if "number" in roles or "text" in roles:
                return "pipe-table"
    run = 0
    for ln in lines:
        stripped = ln.text.strip()
        if not stripped:
            continue
        if header_role(stripped):
            run += 1
            if run >= 3:
                return "flat-table"
        else:
            run = 0
    return "list"


def _check(doc: SegmentedDocument, folded: str, path: str) -> None:
    tasks = doc.tasks
    if not tasks:
        raise ParseError(
            "no numbered tasks found (expected lines such as '1.…' or a table with a 序号 column)",
            path=path,
            line=1,
        )
    index = LineIndex(folded)
    seen: dict[int, int] = {}
    for t in tasks:
        if t.number in seen:
            raise ParseError(
                f"task number {t.number} appears twice (first at line {seen[t.number]})",
                path=path,
                line=t.line,
            )
        seen[t.number] = t.line
    numbers = sorted(seen)
    missing = sorted(set(range(numbers[0], numbers[-1] + 1)) - set(numbers))
    if missing:
        doc.warnings.append(f"task numbers skipped: {', '.join(map(str, missing[:20]))}")
    if doc.layout == "list" and _ends_mid_sentence(tasks):
        last = tasks[-1]
        tail = _tail(last)
        raise ParseError(
            f"the file ends in the middle of a sentence ('…{tail.text[-12:]}') in task "
            f"{last.number}: it looks truncated",
            path=path,
            line=index.line(tail.end),
        )
    if doc.preamble is not None:
        m = ANNOUNCED_RE.search(fold_width(doc.preamble.text))
        if m and int(m.group(1)) > len(tasks) and numbers[-1] < int(m.group(1)):
            last = tasks[-1]
            raise ParseError(
                f"the document announces {m.group(1)} tasks but only {len(tasks)} were found, "
                f"the last being task {last.number}: the file looks truncated",
                path=path,
                line=index.line(len(folded.rstrip())),
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


class _Base:
    def __init__(self, text: str, folded: str, lines: list[_Line], path: str) -> None:
        self.text = text
        self.folded = folded
        self.lines = lines
        self.path = path
        self.chapters: list[ChapterSeg] = []
        self.warnings: list[str] = []

    def chapter_from(self, ln: _Line) -> ChapterSeg | None:
        m = CHAPTER_RE.match(ln.text)
        if not m:
            return None
        try:
            number = chinese_to_int(m.group(1))
        except ValueError:
            return None
        return ChapterSeg(
            number=number, title=_span(self.text, ln.start + m.start(2), ln.end), line=ln.number
        )

    def current_chapter(self, line: int) -> ChapterSeg:
        if not self.chapters:
            self.chapters.append(ChapterSeg(number=0, title=None, line=line, numbered=False))
        return self.chapters[-1]

    def add_chapter(self, chapter: ChapterSeg) -> None:
        if chapter.title is not None and official_from_heading(chapter.title) is not None:
            chapter.official = chapter.title
        if self.chapters and not self.chapters[-1].tasks and self.chapters[-1].number == 0:
            self.chapters.pop()
        self.chapters.append(chapter)

    def footer_start(self) -> int:
        """Where a closing issuer-and-date block starts (the end of the text when there is none).

        The block must hold a date line: a unit's name alone on the last line is a table
        cell or a field value, not a signature.
        """
        end, dated = len(self.text), False
        for ln in reversed(self.lines):
            if not ln.text.strip():
                continue
            if not FOOTER_RE.match(ln.text):
                break
            end = ln.start
            dated = dated or bool(_DATE_RE.match(ln.text))
        return end if dated else len(self.text)

    def preamble(self, end: int) -> Span | None:
        span = _span(self.text, 0, end)
        return span if span.text else None

    def progress(self, start: int, end: int) -> ProgressSeg:
        span = _span(self.text, start, end)
        items: list[Span] = []
        marks = [m.start() for m in ITEM_RE.finditer(self.folded, span.start, span.end)]
        for a, b in zip(marks, [*marks[1:], span.end], strict=False):
            items.append(_span(self.text, a, b))
        sentences = [
            _span(self.text, a, b) for a, b in split_sentences(self.text, span.start, span.end)
        ]
        return ProgressSeg(span=span, items=items, sentences=sentences)

    def sentences(self, span: Span) -> list[Span]:
        return [_span(self.text, a, b) for a, b in split_sentences(self.text, span.start, span.end)]

    def done(self, layout: str, preamble: Span | None) -> SegmentedDocument:
        chapters = [c for c in self.chapters if c.tasks or c.number != 0]
        return SegmentedDocument(
            path=self.path,
            text=self.text,
            layout=layout,
            preamble=preamble,
            chapters=chapters,
            warnings=self.warnings,
        )


class _ListLayout(_Base):
    """Headings, ``N.`` tasks, ``进展情况:`` and inline or line-wise fields."""

    def parse(self) -> SegmentedDocument:
        first_structure: int | None = None
        last_number = 0
        # inside progress text: the next number of its own 1., 2., … list; None outside
        sub_next: int | None = None
        open_task: tuple[int, _Line] | None = None

        def close(end: int) -> None:
            nonlocal open_task
            if open_task is not None:
                self.current_chapter(open_task[1].number).tasks.append(
                    self.task(open_task[0], open_task[1], end)
                )
                open_task = None

        for i, ln in enumerate(self.lines):
            stripped = ln.text.strip()
            if not stripped:
                continue
            chapter = self.chapter_from(ln)
            if chapter is not None and not self.is_task_line(ln, last_number, sub_next):
                close(ln.start)
                self.add_chapter(chapter)
                first_structure = ln.start if first_structure is None else first_structure
                sub_next = None
                continue
            m = TASK_RE.match(ln.text)
            if m and self.is_task_line(ln, last_number, sub_next):
                close(ln.start)
                number = int(m.group(1))
                open_task = (number, ln)
                first_structure = ln.start if first_structure is None else first_structure
                last_number = max(last_number, number)
                sub_next = 1 if "进展情况" in ln.text else None
                continue
            if m and sub_next is not None:
                sub_next = int(m.group(1)) + 1
                continue
            if self.is_unnumbered_heading(i, stripped):
                close(ln.start)
                number = (self.chapters[-1].number if self.chapters else 0) + 1
                self.add_chapter(
                    ChapterSeg(
                        number=number,
                        title=_span(self.text, ln.start, ln.end),
                        line=ln.number,
                        numbered=False,
                    )
                )
                first_structure = ln.start if first_structure is None else first_structure
                sub_next = None
                continue
            field = FIELD_LABEL_RE.match(stripped)
            if field and label_role(field.group(1)) == "progress":
                sub_next = 1
        close(self.footer_start())
        preamble = self.preamble(first_structure if first_structure is not None else 0)
        return self.done("list", preamble)

    def is_task_line(self, ln: _Line, last_number: int, sub_next: int | None) -> bool:
        """Whether a numbered line starts a task (and not an item of progress text).

        Inside progress text, a line that continues the progress's own ``1.``, ``2.`` …
        list is an item; so is a small number far below the current task's.  A number at
        or just below the current task's that does not continue that list is read as a
        task, so that a duplicated task number is reported instead of being swallowed.
        """
        m = TASK_RE.match(ln.text)
        if not m or not m.group(2):
            return False
        number = int(m.group(1))
        if sub_next is None:
            return True  # outside progress text every numbered line is a task
        if number == sub_next and (number <= last_number or sub_next > 1):
            return False
        if number > last_number:
            return number <= last_number + 50
        return number >= last_number - 2

    def is_unnumbered_heading(self, i: int, stripped: str) -> bool:
        if (
            len(stripped) > 30
            or any(ch in stripped for ch in "。，,；;：:！？!?")
            or TASK_RE.match(stripped)
        ):
            return False
        if FIELD_LABEL_RE.match(stripped) or not re.search(r"[\u4e00-\u9fff]", stripped):
            return False
        for nxt in self.lines[i + 1 :]:
            if nxt.text.strip():
                return bool(TASK_RE.match(nxt.text))
        return False

    def task(self, number: int, first: _Line, end: int) -> TaskSeg:
        m = TASK_RE.match(first.text)
        assert m is not None
        body_start = first.start + (m.start(2) if m.group(2) else len(first.text))
        fields: list[AssignmentField] = []
        progress: ProgressSeg | None = None
        labels = list(FIELD_LABEL_RE.finditer(self.folded, body_start, end))
        text_end = labels[0].start() if labels else end
        for lab, nxt in zip(labels, [*labels[1:], None], strict=False):
            role = label_role(lab.group(1))
            if role == "progress":
                # progress runs to the next field that starts a line, or the block end
                stop = end
                if nxt is not None and self.folded[nxt.start() - 1 : nxt.start()] in ("\n", ""):
                    stop = nxt.start()
                elif nxt is not None:
                    later = [
                        x
                        for x in labels
                        if x.start() > lab.start() and self.folded[x.start() - 1] == "\n"
                    ]
                    stop = later[0].start() if later else end
                if progress is None:
                    progress = self.progress(lab.end(), stop)
                continue
            if progress is not None and progress.span.start <= lab.start() < progress.span.end:
                continue  # a label quoted inside progress text
            stop = nxt.start() if nxt is not None else end
            nl = self.folded.find("\n", lab.end(), stop)
            if nl != -1 and role != "other":
                stop = nl
            fields.append(
                AssignmentField(
                    role=role, label=lab.group(1), value=_strip_trailing(self.text, lab.end(), stop)
                )
            )
        text = _span(self.text, body_start, text_end)
        if not text.text:
            raise ParseError(f"task {number} has no text", path=self.path, line=first.number)
        return TaskSeg(
            number=number,
            line=first.number,
            text=text,
            sentences=self.sentences(text),
            progress=progress,
            fields=fields,
        )


class _TableBase(_Base):
    def row_task(
        self, number: int, line: int, cells: list[tuple[str | None, str, int, int]]
    ) -> TaskSeg:
        text: Span | None = None
        fields: list[AssignmentField] = []
        progress: ProgressSeg | None = None
        for role, header, a, b in cells:
            span = _strip_trailing(self.text, a, b, chars="")
            if role is None or role == "number" or not span.text:
                continue
            if role == "text":
                text = span if text is None else _span(self.text, text.start, span.end)
            elif role == "progress":
                progress = self.progress(a, b)
            else:
                fields.append(
                    AssignmentField(
                        role=cast(FieldRole, role),
                        label=header,
                        value=_strip_trailing(self.text, a, b),
                    )
                )
        if text is None:
            raise ParseError(f"task {number} has no text in its row", path=self.path, line=line)
        return TaskSeg(
            number=number,
            line=line,
            text=text,
            sentences=self.sentences(text),
            progress=progress,
            fields=fields,
        )


def _number_cell(s: str) -> int | None:
    s = s.strip().rstrip(".、")
    if s.isdigit():
        return int(s)
    try:
        return chinese_to_int(s) if s and all(ch in CN_DIGITS for ch in s) else None
    except ValueError:
        return None


class _PipeTable(_TableBase):
    def parse(self) -> SegmentedDocument:
        roles: list[str | None] | None = None
        headers: list[str] = []
        first_structure: int | None = None
        for ln in self.lines:
            stripped = ln.text.strip()
            if not stripped:
                continue
            if not stripped.startswith("|"):
                chapter = self.chapter_from(ln)
                if chapter is not None:
                    self.add_chapter(chapter)
                    first_structure = ln.start if first_structure is None else first_structure
                continue
            cells = self.cells(ln)
            texts = [self.folded[a:b].strip() for a, b in cells]
            if all(re.fullmatch(r":?-{2,}:?", t) or not t for t in texts):
                continue
            header = [header_role(t) for t in texts]
            if sum(r is not None for r in header) >= 2 and ("number" in header or "text" in header):
                roles, headers = header, texts
                first_structure = ln.start if first_structure is None else first_structure
                continue
            if roles is None:
                continue
            by_role = dict(zip(roles, texts, strict=False))
            number = _number_cell(by_role.get("number", "") or "")
            if number is None:
                nonempty = [(a, b) for (a, b), t in zip(cells, texts, strict=True) if t]
                if len(nonempty) == 1:
                    a, b = nonempty[0]
                    fake = _Line(ln.number, a, b, self.folded[a:b])
                    chapter = self.chapter_from(fake)
                    if chapter is not None:
                        self.add_chapter(chapter)
                        continue
                self.warnings.append(f"line {ln.number}: table row without a task number skipped")
                continue
            row = [(r, h, a, b) for r, h, (a, b) in zip(roles, headers, cells, strict=False)]
            self.current_chapter(ln.number).tasks.append(self.row_task(number, ln.number, row))
        return self.done("pipe-table", self.preamble(first_structure or 0))

    def cells(self, ln: _Line) -> list[tuple[int, int]]:
        bars = [ln.start + i for i, ch in enumerate(ln.text) if ch == "|"]
        if not ln.text.strip().endswith("|"):
            bars.append(ln.end)
        return [(a + 1, b) for a, b in itertools.pairwise(bars)]


class _FlatTable(_TableBase):
    def parse(self) -> SegmentedDocument:
        roles: list[str | None] = []
        headers: list[str] = []
        first_structure: int | None = None
        row: list[_Line] = []
        header_run: list[_Line] = []
        expected: int | None = None

        def flush() -> None:
            if not row:
                return
            number = _number_cell(row[0].text) or 0
            cells = row[1:]
            skip = 1 if roles and roles[0] == "number" else 0
            cols, names = roles[skip:], headers[skip:]
            if len(cells) != len(cols):
                self.warnings.append(
                    f"line {row[0].number}: task {number} has {len(cells)} cells for "
                    f"{len(cols)} columns; cells were matched in order"
                )
            mapped: list[tuple[str | None, str, int, int]] = []
            for i, cell in enumerate(cells):
                role = cols[min(i, len(cols) - 1)] if cols else None
                name = names[min(i, len(names) - 1)] if names else ""
                mapped.append((role, name, cell.start, cell.end))
            self.current_chapter(row[0].number).tasks.append(
                self.row_task(number, row[0].number, mapped)
            )
            row.clear()

        footer = self.footer_start()
        for ln in self.lines:
            stripped = ln.text.strip()
            if not stripped or ln.start >= footer:
                continue
            if header_role(stripped) and (not row or header_run):
                header_run.append(ln)
                continue
            if header_run:
                if len(header_run) >= 2:
                    roles = [header_role(h.text.strip()) for h in header_run]
                    headers = [h.text.strip() for h in header_run]
                    first_structure = (
                        header_run[0].start if first_structure is None else first_structure
                    )
                header_run = []
            number = _number_cell(stripped) if stripped.isdigit() else None
            if roles and number is not None and (expected is None or number == expected or not row):
                flush()
                row.append(ln)
                expected = number + 1
                continue
            chapter = self.chapter_from(ln)
            if chapter is not None and (not row or len(row) > len(roles) - 1):
                flush()
                self.add_chapter(chapter)
                first_structure = ln.start if first_structure is None else first_structure
                continue
            if row:
                row.append(ln)
        flush()
        return self.done("flat-table", self.preamble(first_structure or 0))
