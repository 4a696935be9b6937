"""Layouts tried when a document has no numbered list or task table with a complete task.

**Tasks quoted in running prose**: a progress report that names only some tasks of its plan.

Supervision reports (通报) often list the lagging or finished tasks in one paragraph, each as
its lead unit, its number in the plan and its text in quotes, followed by what was reported::

    未达预期8项分别是:市发改委牵头的第1项“地区生产总值增长6.5%以上”,一季度增长6.4%;
    市财政局牵头的第4项“一般公共预算收入增长5%”,1-5月份增长4%。

Each ``第N项“…”`` is task N of the plan; the words before ``牵头的`` (or ``负责的``) up to the
clause start name its lead unit, and the clause after the quote, up to ``;`` or ``。``, is its
progress.

**Numbers alone on their lines** (a page whose list or table lost its cells: ``1`` on one line,
the task on the next): numbers 1, 2, 3 … alone on a line, each followed by a line of text, are
the tasks; a number out of that sequence (a count in a cell: ``28``) is part of the task above.
"""

from __future__ import annotations

import re

from ingest.fields import split_task_body
from ingest.layout_base import _Base, _span
from ingest.models import AssignmentField, ChapterSeg, SegmentedDocument, TaskSeg
from ingest.readers.text import split_lines
from ingest.textutil import CN_DIGITS, LineIndex, chinese_to_int

__all__ = ["numbered_line_tasks", "prose_tasks"]

_ITEM_RE = re.compile(
    r"(?:(?P<lead>[^\s:;,。、“”()]{2,30}?)(?P<verb>牵头|负责|承担)的)?"
    r"第\s*(?P<n>\d{1,4}|[" + CN_DIGITS + r"]{1,4})\s*项(?:任务|工作)?\s*"
    r"[“\"](?P<text>[^”\"\n]{2,200})[”\"]"
)
_CLAUSE_END = re.compile(r"[;。\n]")


class _ProseLayout(_Base):
    def parse(self) -> SegmentedDocument | None:
        matches = list(_ITEM_RE.finditer(self.folded))
        numbers = [_number(m.group("n")) for m in matches]
        if len(matches) < 2 or len(set(numbers)) < len(numbers):
            return None
        index = LineIndex(self.folded)
        chapter = ChapterSeg(number=0, title=None, line=index.line(matches[0].start()))
        chapter.numbered = False
        for m, nxt, number in zip(matches, [*matches[1:], None], numbers, strict=True):
            limit = nxt.start() if nxt is not None else len(self.folded)
            stop = _CLAUSE_END.search(self.folded, m.end(), limit)
            end = stop.start() if stop else limit
            task = TaskSeg(
                number=number,
                line=index.line(m.start("text")),
                text=_span(self.text, m.start("text"), m.end("text")),
            )
            task.sentences = [task.text]
            if m.group("lead"):
                role = "lead" if m.group("verb") == "牵头" else "responsible"
                value = _span(self.text, m.start("lead"), m.end("lead"))
                task.fields.append(AssignmentField(role=role, label=m.group("verb"), value=value))
            after = m.end()
            while after < end and self.folded[after] in ",，: ":
                after += 1
            if after < end:
                task.progress = self.progress(after, end)
            chapter.tasks.append(task)
        self.chapters.append(chapter)
        preamble = self.preamble(matches[0].start())
        return self.done("prose", preamble)


def _number(digits: str) -> int:
    return int(digits) if digits.isdigit() else chinese_to_int(digits)


def prose_tasks(text: str, folded: str, path: str) -> SegmentedDocument | None:
    """The tasks a report quotes in running prose, or None when it quotes fewer than two.

    >>> s = "市发改委牵头的第1项“投资增长8%”,增长5.1%;市财政局牵头的第4项“收入增长5%”,增长4%。"
    >>> doc = prose_tasks(s, s, "r.txt")
    >>> [(t.number, t.text.text, t.fields[0].value.text, t.progress.span.text) for t in doc.tasks]
    [(1, '投资增长8%', '市发改委', '增长5.1%'), (4, '收入增长5%', '市财政局', '增长4%')]
    """
    return _ProseLayout(text, folded, [], path).parse()


_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


class _NumberedLines(_Base):
    def parse(self) -> SegmentedDocument | None:
        starts: list[tuple[int, int]] = []  # (task number, index of its number's line)
        for i, ln in enumerate(self.lines):
            m = _BARE_NUMBER.match(ln.text)
            if m and int(m.group(1)) == len(starts) + 1 and self._text_follows(i):
                starts.append((int(m.group(1)), i))
        if len(starts) < 2:
            return None
        chapter = ChapterSeg(number=0, title=None, line=self.lines[starts[0][1]].number)
        chapter.numbered = False
        ends = [self.lines[i].start for _, i in starts[1:]] + [self.footer_start()]
        for (number, i), end in zip(starts, ends, strict=True):
            first = next(ln for ln in self.lines[i + 1 :] if ln.text.strip())
            end = self._without_counts(first.end, end)
            body = split_task_body(self.text, first.start, end)
            chapter.tasks.append(self.task_of(number, first.number, first.start, body))
        self.chapters.append(chapter)
        return self.done("list", self.preamble(self.lines[starts[0][1]].start))

    def _text_follows(self, i: int) -> bool:
        nxt = next((ln for ln in self.lines[i + 1 :] if ln.text.strip()), None)
        return nxt is not None and bool(_CJK.search(nxt.text))

    def _without_counts(self, first_end: int, end: int) -> int:
        """``end`` moved back over trailing lines that are only numbers (a table's count cells)."""
        for ln in reversed([x for x in self.lines if first_end < x.start < end]):
            if ln.text.strip() and not re.fullmatch(r"\s*[\d.%]+\s*", ln.text):
                break
            end = min(end, ln.start)
        return max(end, first_end)


def numbered_line_tasks(text: str, folded: str, path: str) -> SegmentedDocument | None:
    """The tasks of numbers alone on their lines, or None when there are fewer than two.

    >>> s = "测评表\\n序号\\n名称\\n1\\n\\n教育惠民\\n\\n28\\n\\n2\\n公共卫生\\n20\\n1\\n"
    >>> [(t.number, t.text.text) for t in numbered_line_tasks(s, s, "t.txt").tasks]
    [(1, '教育惠民'), (2, '公共卫生')]
    """
    return _NumberedLines(text, folded, split_lines(folded), path).parse()
