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

from graph.errors import ParseError
from ingest.document import Document, Paragraph, Table
from ingest.fields import FIELD_LABEL_RE, heading_fields, label_role, split_task_body
from ingest.models import (
    AssignmentField,
    ChapterSeg,
    LoadedDocument,
    ProgressSeg,
    SegmentedDocument,
    Span,
    TaskPart,
    TaskSeg,
)
from ingest.officials import official_from_heading
from ingest.readers.text import Line as _Line
from ingest.readers.text import read_text
from ingest.readers.text import split_lines as _lines
from ingest.tables import ColumnPlan, RowRead, plan_columns, read_rows
from ingest.textutil import CN_DIGITS, LineIndex, chinese_to_int, fold_width, split_sentences

__all__ = ["segment"]

CHAPTER_RE = re.compile(r"^\s*([" + CN_DIGITS + r"]{1,4})\s*[、.﹒]\s*(\S.*?)\s*$")
TASK_RE = re.compile(r"^\s*(\d{1,5})\s*[.、﹒)](?![\dA-Za-z])\s*(\S.*)?$")
ITEM_RE = re.compile(r"[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]|(?<![\w])\(\d{1,2}\)")
FOOTER_RE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[\u4e00-\u9fff]{2,20}"
    r"(?:人民政府|办公室|委员会|督查室|政府办|办公厅))\s*$"
)
_DATE_RE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月")
_TERMINAL = '。！？!?；;)）」”"》…】]|'
ANNOUNCED_RE = re.compile(r"(\d{1,4})\s*项[^。\n]{0,6}?(?:工作)?任务")
_CLAUSE_END = "。；;!！?？”\"'）)》]】…"


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
    _check(doc, folded, path, strict)
    return doc


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
            raise ParseError(
                f"task number {t.number} appears twice (first at line {seen[t.key]})",
                path=path,
                line=t.line,
            )
        seen[t.key] = t.line
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


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# numbering families of the genre, outermost first; each matches at a line start (folded)
FAMILIES: dict[str, re.Pattern[str]] = {
    "cn": CHAPTER_RE,
    "pcn": re.compile(r"^\s*\(\s*([" + CN_DIGITS + r"]{1,4})\s*\)\s*[、.]?\s*(\S.*?)\s*$"),
    "ar": TASK_RE,
    "par": re.compile(r"^\s*\(\s*(\d{1,3})\s*\)\s*[、.]?\s*(\S.*)?$"),
    "circ": re.compile(r"^\s*([" + _CIRCLED + r"])\s*[、.]?\s*(\S.*)?$"),
    # 实事一: / 任务二: — a 民生实事 report's items, each its own numbered task
    "label": re.compile(
        r"^\s*(?:实事|任务|事项|项目|工作)\s*([一二三四五六七八九十]{1,3})\s*[:：]\s*(\S.*)?$"
    ),
    # 一是…二是…: items inside a paragraph, tasks when each names who answers for it
    "shi": re.compile(r"^\s*([一二三四五六七八九十]{1,3})是(?=\S)\s*(\S.*)?$"),
}
_ORDER = ["cn", "pcn", "label", "ar", "par", "circ", "shi"]
_PREFERENCE = ["shi", "ar", "pcn", "label", "par", "cn", "circ"]
_DATE_LINE_RE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")
_ATTACHMENT_RE = re.compile(r"^\s*附件\s*\d*\s*(?:[:：]|$)")


# a numbering marker inside a long line, after a space: a copy that lost its line breaks
_RUN_ON_MARK = re.compile(
    r"(?<=[\s。;)])\s*(?=(?:[" + CN_DIGITS + r"]{1,3}[、]|\([" + CN_DIGITS + r"]{1,3}\)"
    r"|\d{1,3}[.、﹒](?!\d)|[①-⑳]))"
)


def _split_run_on(lines: list[_Line]) -> list[_Line]:
    """Lines of a copy whose paragraphs were run together on one line, split before each
    numbering marker that follows a space (offsets and line numbers stay those of the text)."""
    out: list[_Line] = []
    for ln in lines:
        if len(ln.text) < 100 or len(_RUN_ON_MARK.findall(ln.text)) < 3:
            out.append(ln)
            continue
        cuts = (
            [0] + [m.end() for m in _RUN_ON_MARK.finditer(ln.text) if m.end() > 0] + [len(ln.text)]
        )
        for a, b in itertools.pairwise(sorted(set(cuts))):
            if ln.text[a:b].strip():
                out.append(_Line(ln.number, ln.start + a, ln.start + b, ln.text[a:b]))
    return out


_SHI_MARK = re.compile(r"(?<=[。;；,，:：\s])(?=[一二三四五六七八九十]{1,3}是(?!否|指|由))")


def _split_shi_items(lines: list[_Line], text: str) -> list[_Line]:
    """Lines split before each 一是 / 二是 … when the document writes its tasks that way:
    at least two such items each name who answers for them (a bracket or a field)."""
    out: list[_Line] = []
    owned = 0
    for ln in lines:
        cuts = [m.start() for m in _SHI_MARK.finditer(ln.text)]
        if not cuts:
            out.append(ln)
            continue
        bounds = [0, *cuts, len(ln.text)]
        for a, b in itertools.pairwise(bounds):
            piece = _Line(ln.number, ln.start + a, ln.start + b, ln.text[a:b])
            if piece.text.strip():
                out.append(piece)
                if FAMILIES["shi"].match(piece.text):
                    body = split_task_body(text, piece.start, piece.end)
                    owned += any(f.role in {"lead", "responsible"} for f in body.fields)
    return out if owned >= 2 else lines


def _family_number(family: str, s: str) -> int:
    if family == "circ":
        return _CIRCLED.index(s) + 1
    return chinese_to_int(s) if family in {"cn", "pcn", "shi", "label"} else int(s)


# the headings of an explanation, a letter or a plan's preamble, not tasks
_PROSE_HEADING = re.compile(
    r"背景|依据|主要内容|保障措施|总体要求|指导思想|基本原则|工作目标|组织领导|工作要求|"
    r"解读|意义|目的|适用范围|实施步骤|附则|有关事项|其他事项|名词解释|联系方式"
)


def _is_prose_heading(item: str) -> bool:
    return bool(_PROSE_HEADING.search(item[:12]))


def _task_like(items: list[str]) -> bool:
    """Whether a family's items carry task text, not just short headings."""
    if not items:
        return False
    long = sum(
        len(t) > 20 or "。" in t or ";" in t or bool(FIELD_LABEL_RE.search(t)) for t in items
    )
    return long >= max(1, len(items) // 2)


class _ListLayout(_Base):
    """Numbered headings and tasks in any family of the genre (一、/（一）/1./(1)/①), progress
    after ``进展情况:``, and fields on their own lines, inline or in a bracket.

    The task level is the innermost family whose items carry task text; the outermost family
    above it gives chapters, and any between are sub-headings whose responsibility (``（一）
    市发改委牵头``) applies to the tasks under them.  A numbered list that starts again at 1
    starts another list of tasks (``section``).  When the document has attachments, the
    covering letter's own numbered points before the last ``附件`` line are not tasks.
    """

    # the numbering families in use, chosen by choose_families() from the document
    task_family = "ar"
    task_re = TASK_RE
    chapter_family: str | None = "cn"
    sub_families: tuple[str, ...] = ()
    shi_tasks = False  # the document writes its tasks as 一是…二是…

    def parse(self) -> SegmentedDocument:
        self.lines = _split_run_on(self.lines)
        split = _split_shi_items(self.lines, self.text)
        self.shi_tasks = split is not self.lines
        self.lines = split
        begin = self.choose_families()
        first_structure: int | None = None
        last_number = 0
        section = 1
        # inside progress text: the next number of its own 1., 2., … list; None outside
        sub_next: int | None = None
        open_task: tuple[int, _Line] | None = None
        heading_fields: list[AssignmentField] = []
        restart = False  # a heading since the last task: a number may start again at 1

        def close(end: int) -> None:
            nonlocal open_task
            if open_task is not None:
                task = self.task(open_task[0], open_task[1], end)
                task.section = section
                own = {f.role for f in task.fields}
                task.fields.extend(f for f in heading_fields if f.role not in own)
                self.current_chapter(open_task[1].number).tasks.append(task)
                open_task = None

        for i, ln in enumerate(self.lines):
            if i < begin:
                continue
            stripped = ln.text.strip()
            if not stripped:
                continue
            chapter = self.chapter_from(ln)
            if chapter is not None and not self.is_task_line(ln, last_number, sub_next):
                close(ln.start)
                self.add_chapter(chapter)
                heading_fields = self.heading_fields(ln)
                first_structure = ln.start if first_structure is None else first_structure
                sub_next = None
                restart = True
                continue
            sub = self.subheading(ln)
            if sub and not self.is_task_line(ln, last_number, sub_next):
                close(ln.start)
                chapter_fields = self.heading_fields_of_chapter()
                heading_fields = [*self.heading_fields(ln), *chapter_fields]
                first_structure = ln.start if first_structure is None else first_structure
                sub_next = None
                restart = True
                continue
            m = self.task_re.match(ln.text)
            if m and self.is_task_line(ln, last_number, sub_next):
                close(ln.start)
                number = _family_number(self.task_family, m.group(1))
                if last_number and number <= last_number and (restart or number == 1):
                    section += 1
                    last_number = 0
                open_task = (number, ln)
                first_structure = ln.start if first_structure is None else first_structure
                last_number = max(last_number, number)
                sub_next = 1 if "进展情况" in ln.text else None
                restart = False
                continue
            if m and sub_next is not None:
                sub_next = _family_number(self.task_family, m.group(1)) + 1
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
                heading_fields = []
                first_structure = ln.start if first_structure is None else first_structure
                sub_next = None
                restart = True
                continue
            field = FIELD_LABEL_RE.match(stripped)
            if field and label_role(field.group(1)) == "progress":
                sub_next = 1
        close(self.footer_start())
        preamble = self.preamble(first_structure if first_structure is not None else 0)
        return self.done("list", preamble)

    def choose_families(self) -> int:
        """Pick the task and chapter families; return the first line index to read."""
        begin = 0
        last_item = max(
            (
                k
                for k, ln in enumerate(self.lines)
                if any(FAMILIES[f].match(ln.text) for f in ("ar", "pcn", "cn"))
            ),
            default=-1,
        )
        for k, ln in enumerate(self.lines):
            if k < last_item and (_ATTACHMENT_RE.match(ln.text) or self._signature_ends(k)):
                begin = k + 1
        items: dict[str, list[str]] = {f: [] for f in FAMILIES}
        in_progress = False
        last: tuple[str, int] | None = None  # the family and index of the item being read
        for ln in self.lines[begin:]:
            stripped = ln.text.strip()
            if FIELD_LABEL_RE.match(stripped):
                if "进展" in stripped[:8] or "完成情况" in stripped[:8]:
                    in_progress = True
                elif last is not None:
                    # an item followed by its own field lines carries a task, however short
                    fam, k = last
                    items[fam][k] += "。"
                    last = None
            for fam in _ORDER:
                m = FAMILIES[fam].match(ln.text)
                if m and m.group(2):
                    if fam in {"circ", "par"} and in_progress:
                        break
                    try:
                        _family_number(fam, m.group(1))
                    except ValueError:
                        continue
                    items[fam].append(m.group(2))
                    last = (fam, len(items[fam]) - 1)
                    if fam in {"cn", "pcn", "ar"}:
                        in_progress = False
                    break
        if not self.shi_tasks:
            items["shi"] = []  # 一是 opening a paragraph is prose unless its items are tasks
        present = [f for f in _ORDER if items[f]]
        # the innermost family that carries task text; when none does (numbered titles, each
        # followed by its paragraph), the innermost family of headings there is
        fallback = next(
            (
                f
                for f in ("par", "ar", "label", "pcn")  # 一、 headings alone are a plan's chapters
                if len(items[f]) >= 3 and sum(map(_is_prose_heading, items[f])) * 2 < len(items[f])
            ),
            "ar",
        )
        task_family = next(
            (f for f in _PREFERENCE if len(items[f]) >= 1 and _task_like(items[f])),
            fallback,
        )
        self.task_family = task_family
        self.task_re = FAMILIES[task_family]
        above = [f for f in present if _ORDER.index(f) < _ORDER.index(task_family)]
        self.chapter_family = above[0] if above else None
        self.sub_families = tuple(above[1:])
        return begin

    def _signature_ends(self, k: int) -> bool:
        """A covering letter's closing date under its issuer, with more text after it."""
        if not _DATE_LINE_RE.match(self.lines[k].text):
            return False
        prev = next((ln for ln in self.lines[k - 1 :: -1] if ln.text.strip()), None) if k else None
        return prev is not None and bool(FOOTER_RE.match(prev.text))

    def chapter_from(self, ln: _Line) -> ChapterSeg | None:
        family = self.chapter_family
        if family is None:
            return None
        m = FAMILIES[family].match(ln.text)
        if not m or not m.group(2):
            return None
        try:
            number = _family_number(family, m.group(1))
        except ValueError:
            return None
        return ChapterSeg(
            number=number, title=_span(self.text, ln.start + m.start(2), ln.end), line=ln.number
        )

    def subheading(self, ln: _Line) -> bool:
        return any(FAMILIES[f].match(ln.text) for f in self.sub_families)

    def heading_fields(self, ln: _Line) -> list[AssignmentField]:
        return heading_fields(self.text, ln.start, ln.end)

    def heading_fields_of_chapter(self) -> list[AssignmentField]:
        if not self.chapters or self.chapters[-1].title is None:
            return []
        title = self.chapters[-1].title
        return heading_fields(self.text, title.start, title.end)

    def is_task_line(self, ln: _Line, last_number: int, sub_next: int | None) -> bool:
        """Whether a numbered line starts a task (and not an item of progress text).

        Inside progress text, a line that continues the progress's own ``1.``, ``2.`` …
        list is an item; so is a small number far below the current task's.  A number at
        or just below the current task's that does not continue that list is read as a
        task, so that a duplicated task number is reported instead of being swallowed.
        """
        m = self.task_re.match(ln.text)
        if not m or not m.group(2):
            return False
        try:
            number = _family_number(self.task_family, m.group(1))
        except ValueError:
            return False
        if re.search(rf"[;；,，]\s*{number + 1}\s*[、.]", m.group(2)):
            return False  # 1、金寨县;2、裕安区;… : a ranking written on one line, not a task
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
            or self.task_re.match(stripped)
        ):
            return False
        if FIELD_LABEL_RE.match(stripped) or not re.search(r"[\u4e00-\u9fff]", stripped):
            return False
        for nxt in self.lines[i + 1 :]:
            if nxt.text.strip():
                return bool(self.task_re.match(nxt.text))
        return False

    def task(self, number: int, first: _Line, end: int) -> TaskSeg:
        m = self.task_re.match(first.text)
        assert m is not None
        body_start = first.start + (m.start(2) if m.group(2) else len(first.text))
        body = split_task_body(self.text, body_start, end)
        progress = self.progress(*body.progress) if body.progress is not None else None
        text = _span(self.text, body_start, body.text_end)
        if not text.text:
            raise ParseError(f"task {number} has no text", path=self.path, line=first.number)
        return TaskSeg(
            number=number,
            line=first.number,
            text=text,
            sentences=self.sentences(text),
            progress=progress,
            fields=body.fields,
        )


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
        if row.text is None:
            raise ParseError(f"task {number} has no text in its row", path=self.path, line=line)
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


def _table_start(table: Table) -> int:
    for row in table.rows:
        for c in row:
            if c.span is not None:
                return c.span.start
    return 0
