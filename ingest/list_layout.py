"""The list layout: numbered headings and tasks in any family of the genre (一、/（一）/1./(1)/
①/实事一:/一是), progress after ``进展情况:`` or a reporting period, and responsibility fields on
their own lines, inline or in a bracket."""

from __future__ import annotations

import itertools
import re

from ingest.fields import FIELD_LABEL_RE, TaskBody, heading_fields, label_role, split_task_body
from ingest.layout_base import CHAPTER_RE, DOTTED_TASK_RE, FOOTER_RE, TASK_RE, _Base, _span
from ingest.models import (
    AssignmentField,
    ChapterSeg,
    SegmentedDocument,
    TaskSeg,
)
from ingest.readers.text import Line as _Line
from ingest.textutil import CN_DIGITS, chinese_to_int

__all__: list[str] = []

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


# what a report says was done: 完成年度计划的104.44%, 已开工, 截至6月底 (traditional 計劃 too)
_REPORTED = re.compile(
    r"完成(?:了)?(?:年度|全年)?(?:计划|計劃|目标|目標|任务|任務)的?\s*\d|已(?:完成|开工|開工|建成|竣工|投用)"
    r"|均已|已全部|全部完成|完成率|截[至止]|累计|累計"
)


def _reports_results(items: list[str]) -> bool:
    """A family whose items say what was done: a report's details under each task."""
    return len(items) >= 2 and 2 * sum(bool(_REPORTED.search(t)) for t in items) > len(items)


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
    # a task is its first line, and what follows it is progress (the items under it report)
    progress_after_line = False
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
                if task is None:
                    open_task = None
                    return
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
        self.leaf_chapters()
        preamble = self.preamble(first_structure if first_structure is not None else 0)
        return self.done("list", preamble)

    def leaf_chapters(self) -> None:
        """A numbered heading with no tasks under it, among headings that have some, is a task
        itself when it names who answers for it (``二、解决6万人农村饮水安全问题。(责任单位:
        市水务局)`` between ``一、`` and ``三、`` that hold ``1.`` ``2.``); lists are then counted
        again in the order the tasks come."""
        numbered = [c for c in self.chapters if c.numbered and c.title is not None]
        if not any(c.tasks for c in numbered):
            return
        added = False
        for k, chapter in enumerate(numbered):
            if chapter.tasks or chapter.title is None:
                continue
            later = [c.title.start for c in numbered[k + 1 :] if c.title is not None]
            end = min(later[0] if later else self.footer_start(), self.footer_start())
            end = max(end, chapter.title.end)
            while end > chapter.title.end and self.text[end - 1] != "\n":
                end -= 1  # the next heading's number, before its title
            below = [ln for ln in self.lines if chapter.title.end < ln.start < end]
            patterns = [self.task_re, *(FAMILIES[f] for f in self.sub_families)]
            if any(p.match(ln.text) for ln in below for p in patterns):
                continue  # numbered items under it: a heading, not a task
            body = split_task_body(self.text, chapter.title.start, chapter.title.end)
            if not any(f.role in {"lead", "responsible"} for f in body.fields):
                continue
            if body.progress is None and below:
                body = TaskBody(
                    text_end=body.text_end,
                    fields=body.fields,
                    progress=(below[0].start, below[-1].end),
                )
            chapter.tasks.append(
                self.task_of(chapter.number, chapter.line, chapter.title.start, body)
            )
            added = True
        if added:
            section, last = 1, 0
            for task in [t for c in self.chapters for t in c.tasks]:
                if last and task.number <= last:
                    section += 1
                task.section, last = section, task.number

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
        above_task = [f for f in present if _ORDER.index(f) < _ORDER.index(task_family)]
        if above_task and _reports_results(items[task_family]):
            # 一、新增学位5万个 / 完成年度计划的104% / (一)…完成年度计划的214.8%: the items
            # under each task report on it; the level above holds the tasks
            upper = above_task[-1]
            if _task_like(items[upper]) and not _reports_results(items[upper]):
                task_family = upper
                self.progress_after_line = True
        self.task_family = task_family
        self.task_re = FAMILIES[task_family]
        if task_family == "ar":
            dotted = sum(bool(DOTTED_TASK_RE.match(ln.text)) for ln in self.lines[begin:])
            if dotted < 2:
                self.task_re = DOTTED_TASK_RE  # bare numbers only beside dotted ones
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

    def task(self, number: int, first: _Line, end: int) -> TaskSeg | None:
        """Task ``number`` from its first line to ``end``; None (with a warning) when the
        number carries no text, so that one bare number does not cost the whole document."""
        m = self.task_re.match(first.text)
        assert m is not None
        body_start = first.start + (m.start(2) if m.group(2) else len(first.text))
        body = split_task_body(self.text, body_start, end)
        if self.progress_after_line and body.progress is None and first.end < body.text_end:
            body = TaskBody(
                text_end=first.end, fields=body.fields, progress=(first.end + 1, body.text_end)
            )
        if not self.text[body_start : body.text_end].strip():
            self.warnings.append(f"line {first.number}: task {number} has no text; left out")
            return None
        return self.task_of(number, first.number, body_start, body)
