"""What the layouts share: the genre's numbering and footer patterns, spans, and the state of a
document being segmented (chapters, warnings, progress and sentences of a span)."""

from __future__ import annotations

import re

from ingest.fields import TaskBody
from ingest.models import (
    ChapterSeg,
    ProgressSeg,
    SegmentedDocument,
    Span,
    TaskSeg,
)
from ingest.officials import official_from_heading
from ingest.readers.text import Line as _Line
from ingest.textutil import CN_DIGITS, chinese_to_int, split_sentences

__all__ = ["ANNOUNCED_RE", "CHAPTER_RE", "DOTTED_TASK_RE", "FOOTER_RE", "ITEM_RE", "TASK_RE"]

CHAPTER_RE = re.compile(r"^\s*([" + CN_DIGITS + r"]{1,4})\s*[、.﹒]\s*(\S.*?)\s*$")
TASK_RE = re.compile(
    r"^\s*(\d{1,5})(?:\s*[.、﹒)](?![A-Za-z])(?!\d+(?!\d)(?:\.\d+(?!\d))?(?![月日号.]))"
    # a copy that lost the dot (1加快…): one or two digits right before a word that is not a
    # measure (3个, 12月, 30余家 are counts and dates, not task numbers)
    r"|(?<!\d\d\d)(?=[\u4e00-\u9fff])"
    r"(?![年月日号个项万亿千百元家所条座名人次户套台辆里米吨倍批期届类件栋间处余多几度天周分秒岁位只株亩级]))"
    r"\s*(\S.*)?$"
)
# the same without the copy that lost its dots: the numbering a document must show before a
# bare 1加快… is read as a task (a table printed without its cells shows bare numbers too)
DOTTED_TASK_RE = re.compile(
    r"^\s*(\d{1,5})\s*[.、﹒)](?![A-Za-z])(?!\d+(?!\d)(?:\.\d+(?!\d))?(?![月日号.]))\s*(\S.*)?$"
)
ITEM_RE = re.compile(r"[\u2460-\u2473\u3251-\u325f\u32b1-\u32bf]|(?<![\w])\(\d{1,2}\)")
FOOTER_RE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|[\u4e00-\u9fff]{2,20}"
    r"(?:人民政府|办公室|委员会|督查室|政府办|办公厅))\s*$"
)
_DATE_RE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月")
_TERMINAL = '。！？!?；;)）」”"》…】]|'
ANNOUNCED_RE = re.compile(r"(\d{1,4})\s*项[^。\n]{0,6}?(?:工作)?任务")


def _span(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start=start, end=end, text=text[start:end])


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

    def task_of(self, number: int, line: int, start: int, body: TaskBody) -> TaskSeg:
        """Task ``number`` whose text runs from ``start`` to the body's end, with the body's
        fields and progress."""
        text = _span(self.text, start, body.text_end)
        return TaskSeg(
            number=number,
            line=line,
            text=text,
            sentences=self.sentences(text),
            progress=self.progress(*body.progress) if body.progress is not None else None,
            fields=body.fields,
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
