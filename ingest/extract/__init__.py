"""Extract: entities and targets named in a task's text and progress text.

``extract_task`` is the stage's entry point; each entity type has its own
module.  Offsets are absolute (into the decoded document text).
"""

from __future__ import annotations

from ingest.extract.documents import document_mentions
from ingest.models import Mention, Span, TaskExtraction, TaskSeg

__all__ = ["extract_task", "sentence_at"]


def sentence_at(sentences: list[Span], offset: int) -> str:
    """The sentence holding ``offset`` (empty when none does)."""
    for s in sentences:
        if s.start <= offset < s.end:
            return s.text
    return ""


def _parts(task: TaskSeg) -> list[tuple[str, Span, list[Span]]]:
    parts: list[tuple[str, Span, list[Span]]] = [("task", task.text, task.sentences)]
    if task.progress is not None:
        parts.append(("progress", task.progress.span, task.progress.sentences))
    return parts


def extract_task(text: str, task: TaskSeg) -> TaskExtraction:
    """Mentions and targets of one task.

    >>> from ingest.segment import segment
    >>> doc = segment("1.落实《南通市港口条例》。\\n进展情况:①已实施。\\n")
    >>> [(m.label, m.surface) for m in extract_task(doc.text, doc.tasks[0]).mentions]
    [('Document', '南通市港口条例')]
    """
    mentions: list[Mention] = []
    for part, span, sentences in _parts(task):
        for m in document_mentions(text, span.start, span.end):
            m.part = part  # type: ignore[assignment]
            m.sentence = sentence_at(sentences, m.offset)
            mentions.append(m)
    return TaskExtraction(mentions=mentions, targets=[])
