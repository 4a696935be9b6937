"""Policy documents: titles inside 《》 (nested brackets kept), and formal titles cited
without brackets (长三角一体化三年行动计划) as ``kind="unbracketed"``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.models import Mention

__all__ = ["document_mentions", "normalise_title", "unbracketed_mentions"]


def normalise_title(title: str) -> str:
    """Canonical form of a title: width folded, inner whitespace removed."""
    from ingest.textutil import fold_width

    return "".join(fold_width(title).split())


def document_mentions(text: str, start: int, end: int) -> Iterator[Mention]:
    """Every 《…》 title in ``text[start:end]``; nested 《》 stay inside the outer title."""
    depth, open_at = 0, -1
    for i in range(start, end):
        ch = text[i]
        if ch == "《":
            if depth == 0:
                open_at = i + 1
            depth += 1
        elif ch == "》" and depth > 0:
            depth -= 1
            if depth == 0 and i > open_at:
                surface = text[open_at:i]
                yield Mention(
                    label="Document",
                    surface=surface,
                    offset=open_at,
                    name=normalise_title(surface),
                    kind="bracketed",
                )


_DOC_HEADS = (
    "行动计划",
    "实施意见",
    "实施方案",
    "实施办法",
    "管理办法",
    "实施细则",
    "规划纲要",
    "总体规划",
    "专项规划",
    "实施规划",
    "协同规划",
    "发展规划",
    "指导意见",
    "条例",
)
_DOC_HEAD_RE = re.compile("|".join(_DOC_HEADS))
# Verbs that introduce a cited document; the title starts after the first of them.
_DOC_VERB_RE = re.compile(
    r"深入实施|全面对接|积极对接|落实|实施|对接|制定|出台|印发|编制|完成|推进|执行|"
    r"批复|贯彻|按照|依据|根据|纳入|列入|修编|起草|研究|完善|修订"
)
_TITLE_CHAR = re.compile(r"[\u4e00-\u9fff0-9“”\"()（）\-—]")


def unbracketed_mentions(
    text: str, start: int, end: int, mask: list[tuple[int, int]] | None = None
) -> Iterator[Mention]:
    """Formal titles cited without 《》: a specific name before a doc-like head noun.

    >>> t = "落实长三角一体化三年行动计划任务,编制县域乡村建设规划。"
    >>> [m.surface for m in unbracketed_mentions(t, 0, len(t))]
    ['长三角一体化三年行动计划']
    """
    from ingest.extract.projects import is_generic

    mask = mask or []
    for m in _DOC_HEAD_RE.finditer(text, start, end):
        if any(m.start() < e and s < m.end() for s, e in mask):
            continue
        i = m.start()
        while i > start and m.start() - i < 26 and _TITLE_CHAR.match(text[i - 1]):
            i -= 1
        verb = _DOC_VERB_RE.search(text, i, m.start())
        s = verb.end() if verb else i
        while s < m.start() and (_DOC_VERB_RE.match(text, s)):
            s = _DOC_VERB_RE.match(text, s).end()  # type: ignore[union-attr]
        stem = text[s : m.start()]
        plain = stem.replace("“", "").replace("”", "")
        action_plan = m.group() == "行动计划" and len(plain) >= 4
        if len(stem) < 3 or (is_generic(plain) and not action_plan and len(plain) < 8):
            continue
        if "等" in stem:
            continue  # 社会公益事业、公共资源配置等领域…实施方案: a list of fields, not a title
        if not verb and s > start and "\u4e00" <= text[s - 1] <= "\u9fff":
            continue
        surface = text[s : m.end()]
        yield Mention(
            label="Document",
            surface=surface,
            offset=s,
            name=normalise_title(surface),
            kind="unbracketed",
        )
