"""Tasks quoted in running prose: a progress report that names only some tasks of its plan.

Supervision reports (通报) often list the lagging or finished tasks in one paragraph, each as
its lead unit, its number in the plan and its text in quotes, followed by what was reported::

    未达预期8项分别是:市发改委牵头的第1项“地区生产总值增长6.5%以上”,一季度增长6.4%;
    市财政局牵头的第4项“一般公共预算收入增长5%”,1-5月份增长4%。

Each ``第N项“…”`` is task N of the plan; the words before ``牵头的`` (or ``负责的``) up to the
clause start name its lead unit, and the clause after the quote, up to ``;`` or ``。``, is its
progress.  The layout is only tried when a document has no numbered list or task table.
"""

from __future__ import annotations

import re

from ingest.layout_base import _Base, _span
from ingest.models import AssignmentField, ChapterSeg, SegmentedDocument, TaskSeg
from ingest.textutil import CN_DIGITS, LineIndex, chinese_to_int

__all__ = ["prose_tasks"]

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
