"""The words the genre labels responsibility and progress with, and the role each names.

One vocabulary read by the task-body splitter (:mod:`ingest.fields`: ``牵头单位:市发改委``,
``(责任领导:李四副市长)``) and by table headers (:mod:`ingest.columns`: ``| 牵头单位 |``).

>>> label_role("协同责任单位"), label_role("分管县领导"), label_role("进展情况")
('assist', 'official', 'progress')
>>> label_role("责任单位(牵头单位)"), label_role("牵头单位（部门）")
('lead', 'lead')
"""

from __future__ import annotations

import itertools
import re

from ingest.models import FieldRole
from ingest.textutil import fold_width

__all__ = ["DIVISION_LABELS", "INLINE_LABELS", "LABELS", "label_role"]


def _official_labels() -> tuple[str, ...]:
    verbs = ("牵头负责", "牵头", "责任", "分管", "负责", "联系", "挂钩", "包保", "领办", "督办")
    levels = ("", "市", "省", "区", "县", "市级", "区级", "县级", "省级")
    made = [v + lv + "领导" for v, lv in itertools.product(verbs, levels)]
    return (*made, "市领导", "省领导", "区领导", "县领导", "市级领导", "区级领导", "县级领导")


# Labels written before a value in a task body (field lines, inline, inside a bracket).
INLINE_LABELS: dict[FieldRole, tuple[str, ...]] = {
    "official": _official_labels(),
    "lead": (
        "牵头责任单位",
        "牵头负责单位",
        "牵头单位",
        "牵头部门",
        "牵头责任部门",
        "主办单位",
        "主责单位",
        "主责部门",
        "主要责任单位",
        "牵头",
        "主办",
    ),
    "assist": (
        "协同配合单位",
        "协同责任单位",
        "配合责任单位",
        "协同单位",
        "协同部门",
        "配合单位",
        "配合部门",
        "协办单位",
        "参与单位",
        "参与部门",
        "协助单位",
        "协作单位",
        "配合",
        "协办",
        "协同",
        "参与",
    ),
    "responsible": (
        "责任单位",
        "责任部门",
        "责任主体",
        "承办单位",
        "负责单位",
        "负责部门",
        "具体责任单位",
        "落实单位",
    ),
    "progress": (
        "实际完成情况",
        "进展情况",
        "完成情况",
        "推进情况",
        "落实情况",
        "工作进展",
        "进展",
    ),
}
INLINE_LABELS["official"] = (*INLINE_LABELS["official"], "项目责任人")
# a report that follows a city's plan and the district's own: 市级牵头单位 / 区级牵头单位
for _unit_role in ("lead", "assist", "responsible"):
    INLINE_LABELS[_unit_role] = (
        *INLINE_LABELS[_unit_role],
        *(
            level + name
            for name in INLINE_LABELS[_unit_role]
            if name.endswith(("单位", "部门"))
            for level in ("省级", "市级", "区级", "县级")
        ),
    )
# A label whose value is a sentence of verbs: ``部门分工:市发改委牵头,各地、各部门配合``.
DIVISION_LABELS: tuple[str, ...] = ("部门分工", "责任分工", "任务分工", "分工")

# Column headers only (too loose for running text: ``累计完成:`` opens a figure, not a field).
_HEADER_ONLY: dict[FieldRole, tuple[str, ...]] = {
    "official": ("分管市(省、区、县)领导", "责任人", "联系领导"),
    "progress": (
        "当前进度",
        "累计完成",
        "形象进度",
        "执行情况",
        "进度情况",
        "本月进展情况",
        "工作推进情况",
        "进展及成效",
    ),
    "deadline": (
        "完成时限",
        "时间节点",
        "完成时间",
        "时限要求",
        "时限",
        "完成期限",
        "办结时限",
        "时间要求",
        "计划完成时间",
        "完成时间节点",
    ),
    "status": ("是否达序", "完成状态", "是否完成", "进度状态", "完成进度", "是否序时"),
    "schedule": ("序时进度", "序时要求", "时序进度"),
    "investment": (
        "计划投资",
        "总投资",
        "年度计划投资",
        "计划总投资",
        "年度投资",
        "投资额",
        "投资计划",
        "年度投资计划",
    ),
    "invested": (
        "完成投资",
        "累计完成投资",
        "已完成投资",
        "实际完成投资",
        "投资完成额",
        "完成投资额",
        "累计投资",
        "已投入资金",
        "累计投入资金",
        "已累计投入资金",
        "完成额度",
    ),
    "note": ("备注", "存在问题", "存在的问题", "下步打算", "下一步工作打算", "下一步计划"),
}

LABELS: dict[FieldRole, tuple[str, ...]] = {
    role: (*INLINE_LABELS.get(role, ()), *_HEADER_ONLY.get(role, ()))
    for role in (*INLINE_LABELS, *(r for r in _HEADER_ONLY if r not in INLINE_LABELS))
}
_ROLE_OF: dict[str, FieldRole] = {}
for _role, _names in LABELS.items():
    for _n in _names:
        _ROLE_OF.setdefault(_n, _role)
_PAREN = re.compile(r"\(([^()]*)\)")


def label_role(label: str) -> FieldRole:
    """The role a label names; ``other`` when it names none.

    A bracket after the label is a variant (``牵头单位(部门)``), unless it is itself a
    label, which then says the role (``责任单位(牵头单位)`` is the lead).
    """
    key = re.sub(r"\s+", "", fold_width(label)).replace("（", "(").replace("）", ")")
    if key in _ROLE_OF:
        return _ROLE_OF[key]
    for inner in _PAREN.findall(key):
        if inner in _ROLE_OF and _ROLE_OF[inner] in {"lead", "assist", "official"}:
            return _ROLE_OF[inner]
    base = _PAREN.sub("", key)
    return _ROLE_OF.get(base, "other")
