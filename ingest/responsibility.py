"""Responsibility: officials and departments from a task's assignment fields.

First version: names as written, split on the genre's list separators.
"""

from __future__ import annotations

import re

from ingest.models import Assignment, ChapterSeg, SegmentedDocument, TaskExtraction, TaskSeg

__all__ = ["task_assignments"]

_SEP = re.compile(r"[、,，;；/]|及(?=[\u4e00-\u9fff]{2,})")


def _units(text: str, start: int) -> list[tuple[str, int]]:
    out, pos = [], 0
    for m in [*_SEP.finditer(text), None]:
        stop = m.start() if m else len(text)
        piece = text[pos:stop]
        stripped = piece.strip().removesuffix("等")
        if stripped:
            out.append((stripped, start + pos + piece.index(stripped[0])))
        pos = m.end() if m else len(text)
    return out


def task_assignments(
    doc: SegmentedDocument, chapter: ChapterSeg, task: TaskSeg, extraction: TaskExtraction,
    city: str,
) -> list[Assignment]:
    """Assignments written in the task's fields (``牵头单位:`` …), in order."""
    out: list[Assignment] = []
    for field in task.fields:
        if field.role not in {"official", "lead", "assist", "responsible"}:
            continue
        for rank, (name, offset) in enumerate(_units(field.value.text, field.value.start)):
            role = field.role
            if role == "responsible":
                role = "lead" if rank == 0 else "assist"
            out.append(Assignment(role=role, name=name, surface=name, offset=offset, rank=rank,
                                  sentence=field.value.text))  # type: ignore[arg-type]
    return out
