"""Responsibility and progress field labels as the genre writes them.

One table used by the list layout (``牵头单位:市发改委``) and by table headers
(``| 序号 | 工作任务 | 牵头单位 |``), so both read the same vocabulary.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ingest.models import AssignmentField, FieldRole, Span
from ingest.textutil import fold_width

__all__ = [
    "FIELD_LABEL_RE",
    "HEADER_ROLES",
    "TaskBody",
    "header_role",
    "heading_fields",
    "label_role",
    "split_task_body",
]

_LABELS: dict[FieldRole, tuple[str, ...]] = {
    "official": (
        "牵头负责领导",
        "牵头市领导",
        "牵头领导",
        "责任领导",
        "分管领导",
        "分管市领导",
        "负责领导",
        "联系市领导",
        "挂钩领导",
        "责任市领导",
        "市领导",
    ),
    "lead": (
        "牵头责任单位",
        "牵头单位",
        "牵头部门",
        "主办单位",
        "主责单位",
        "牵头责任部门",
        "主要责任单位",
    ),
    "assist": (
        "协同责任单位",
        "协同单位",
        "协同部门",
        "配合单位",
        "配合部门",
        "协办单位",
        "参与单位",
        "协助单位",
        "协作单位",
    ),
    "responsible": ("责任单位", "责任部门", "责任主体", "承办单位"),
    "progress": ("进展情况", "完成情况", "推进情况", "工作进展", "进展", "落实情况"),
}

HEADER_ROLES: dict[str, str] = {
    "序号": "number",
    "编号": "number",
    "序": "number",
    "工作任务": "text",
    "重点工作": "text",
    "重点工作任务": "text",
    "任务": "text",
    "工作内容": "text",
    "主要任务": "text",
    "目标任务": "text",
    "任务内容": "text",
    "具体任务": "text",
    "工作任务及目标": "text",
}
for _role, _names in _LABELS.items():
    for _n in _names:
        HEADER_ROLES.setdefault(_n, _role)

_ALL = sorted({n for names in _LABELS.values() for n in names}, key=len, reverse=True)
# A field label at the start of a line or after a clause end, followed by a colon.
FIELD_LABEL_RE = re.compile(
    r"(?:(?<=^)|(?<=[\n。;；.!！?？\s]))[(（]?(" + "|".join(_ALL) + r")[)）]?\s*[:：]", re.M
)


def label_role(label: str) -> FieldRole:
    """The role a field label names.

    >>> label_role("协同责任单位"), label_role("牵头负责领导"), label_role("进展情况")
    ('assist', 'official', 'progress')
    """
    for role, names in _LABELS.items():
        if label in names:
            return role
    return "other"


def header_role(cell: str) -> str | None:
    """The column role of a table header cell (``None`` when it is not a known header)."""
    key = re.sub(r"\s+", "", cell)
    return HEADER_ROLES.get(key)


class TaskBody(NamedTuple):
    """A task's own text end, its responsibility fields and its progress span."""

    text_end: int
    fields: list[AssignmentField]
    progress: tuple[int, int] | None


def _value(text: str, start: int, end: int) -> Span:
    while start < end and (text[start].isspace() or text[start] in ":："):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in "。；;,，、)）"):
        end -= 1
    return Span(start=start, end=end, text=text[start:end])


def split_task_body(text: str, start: int, end: int) -> TaskBody:
    """Split ``text[start:end]`` into the task's text, its fields and its progress."""
    folded = fold_width(text)
    labels = list(FIELD_LABEL_RE.finditer(folded, start, end))
    text_end = labels[0].start() if labels else end
    fields: list[AssignmentField] = []
    progress: tuple[int, int] | None = None
    for lab, nxt in zip(labels, [*labels[1:], None], strict=False):
        role = label_role(lab.group(1))
        if role == "progress":
            stop = end
            later = [x for x in labels if x.start() > lab.start() and folded[x.start() - 1] == "\n"]
            stop = later[0].start() if later else end
            if progress is None:
                progress = (lab.end(), stop)
            continue
        if progress is not None and progress[0] <= lab.start() < progress[1]:
            continue
        stop = nxt.start() if nxt is not None else end
        nl = folded.find("\n", lab.end(), stop)
        if nl != -1 and role != "other":
            stop = nl
        fields.append(
            AssignmentField(role=role, label=lab.group(1), value=_value(text, lab.end(), stop))
        )
    return TaskBody(text_end, fields, progress)


def heading_fields(text: str, start: int, end: int) -> list[AssignmentField]:
    """Responsibility a section heading gives every task under it (``一、X牵头工作(8项)``)."""
    return []
