"""What a table column holds: by its header's words, or, with no known header, by its cells.

>>> header_role("牵头单位（部门）"), header_role("责任单位(牵头单位)"), header_role("1—9月进展")
('lead', 'lead', 'progress')
>>> header_role("分管市(省、区、县)领导"), header_role("序 号"), header_role("建设内容")
('official', 'number', 'text')
>>> content_role(["市发改委", "市财政局、市住建局", "区商务局"])
'lead'
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from ingest.departments import is_catch_all
from ingest.labels import LABELS, label_role
from ingest.officials import looks_like_name, official_from_text
from ingest.textutil import CN_DIGITS, chinese_to_int, fold_width

__all__ = ["HEADER_ROLES", "UNIT_SUFFIXES", "content_role", "header_role", "looks_like_unit"]

_TEXT_HEADERS = (
    "任务",
    "工作任务",
    "重点任务",
    "主要任务",
    "重点工作",
    "重点工作任务",
    "主要工作任务",
    "工作任务及目标",
    "任务名称",
    "任务内容",
    "具体任务",
    "目标任务",
    "全年目标任务",
    "任务目标",
    "工作内容",
    "主要内容",
    "具体内容",
    "重点工作内容",
    "工作目标",
    "主要目标",
    "年度目标",
    "预期目标",
    "目标要求",
    "工作要求",
    "内容与要求",
    "工作措施",
    "具体措施",
    "主要措施",
    "工作举措",
    "工作事项",
    "事项",
    "项目名称",
    "项目内容",
    "民生实事",
    "指标要求",
    "目标要求",
    "主要指标",
    "指标",
    "民生实事项目",
    "项目",
    "建设内容",
    "实施内容",
    "年度建设内容",
    "建设规模及内容",
    "主要指标",
    "指标名称",
)

HEADER_ROLES: dict[str, str] = {"序号": "number", "编号": "number", "序": "number"}
HEADER_ROLES.update(dict.fromkeys(_TEXT_HEADERS, "text"))
for _role, _names in LABELS.items():
    for _n in _names:
        HEADER_ROLES.setdefault(_n, _role)
"""Header words (whitespace removed, half-width) -> column role."""

# 1-9月进展, 1—6月完成情况, 上半年推进情况, 截至6月底进展情况, 本月进展情况
_PERIOD_PROGRESS = re.compile(
    r"^(?:截[至止]|至)?(?:\d{4}年)?"
    rf"(?:[\d{CN_DIGITS}]{{1,3}}(?:[-—–~～至到][\d{CN_DIGITS}]{{1,3}})?月(?:份)?(?:底|末)?"
    r"|[上下]半年|前[一二三]季度|第?[一二三四1-4]季度|全年|年度|本月|本季度|当月|年初至今)"
    r"(?:工作)?(?:进展|完成|推进|落实|进度|执行)"
)
_SUFFIX_ROLES = sorted(
    ((n, r) for n, r in HEADER_ROLES.items() if len(n) >= 4 and r not in {"text"}),
    key=lambda nr: -len(nr[0]),
)


# words that name a task's text only beside another (目标与任务): 目标 alone may be a figure
_TEXT_WORDS = frozenset({"目标", "措施", "要求", "内容", "举措", "标准", "计划"})
_TEXT_PREFIX = re.compile(r"^(?:主要|重点|具体|年度|全年|今年|\d{4}年(?:度)?)+")


def header_role(cell: str) -> str | None:
    """The column role of a header cell: number, text, or a field role; ``None`` if unknown.

    Whitespace, width and a bracketed variant do not matter (``牵头 单位``, ``牵头单位（部门）``,
    ``分管市(省、区、县)领导``); a bracket that is itself a label decides (``责任单位(牵头单位)``
    is the lead); ``1-N月`` / ``上半年`` before 进展 / 完成 / 推进 makes a progress column.
    """
    if len(cell) > 64:
        return None  # no header is that long (a quick no for every line of prose)
    key = re.sub(r"[\s*:?]+", "", fold_width(cell)).replace("<br>", "")
    if not key or len(key) > 24:
        return None
    if key in HEADER_ROLES:
        return HEADER_ROLES[key]
    role = label_role(key)
    if role != "other":
        return role
    base = re.sub(r"\([^()]*\)", "", key)
    if base != key and base in HEADER_ROLES:
        return HEADER_ROLES[base]
    if _PERIOD_PROGRESS.match(base):
        return "progress"
    rest = _TEXT_PREFIX.sub("", base)
    if rest != base and HEADER_ROLES.get(rest) == "text":
        return "text"  # 主要工作举措, 重点工作任务, 2024年目标任务
    if len(rest) <= 10 and rest.endswith(
        ("目标任务", "工作任务", "重点任务", "任务内容", "工作内容")
    ):
        return "text"  # 重点工作目标任务, 年度重点工作任务
    if (
        len(base) <= 10
        and base.endswith(("名称", "事项", "实事项目"))
        and not re.search(r"单位|部门|领导|责任|负责|配合|牵头", base)
    ):
        return "text"  # 民生事项名称, 为民办实事项目
    parts = [p for p in re.split(r"[及和与、/]", base) if p]
    if len(parts) > 1 and all(HEADER_ROLES.get(p) == "text" or p in _TEXT_WORDS for p in parts):
        return "text"  # 目标与任务, 任务及措施, 工作任务和目标
    if len(base) <= 12:  # 市级牵头单位, 工作进展情况; 进展情况及存在问题, 责任单位及责任人
        head = re.split(r"[及和与、/]", base, maxsplit=1)[0]
        for name, r in _SUFFIX_ROLES:
            if head.endswith(name) or head == name:
                return r
    return None


UNIT_SUFFIXES: tuple[str, ...] = (
    "委员会", "管委会", "办事处", "街道", "专班", "公司", "集团", "中心", "支行", "分行",
    "银行", "海关", "政府", "大队", "支队", "分局", "小组", "单位", "部门", "法院",
    "检察院", "工会", "局", "委", "办", "厅", "部", "署", "会", "院", "所", "站", "队",
    "处", "室", "社", "馆", "联", "协", "镇", "乡", "区", "县", "市", "团", "校", "台",
)  # fmt: skip


def looks_like_unit(piece: str) -> bool:
    """Whether a short piece names a responsible body or a catch-all group.

    >>> looks_like_unit("市发改委"), looks_like_unit("各相关单位"), looks_like_unit("含续建")
    (True, True, False)
    """
    p = re.sub(r"\([^()]*\)$", "", fold_width(piece).strip())
    p = re.sub(r"等(?:有关|相关|其他)?(?:部门|单位)?$", "", p)
    if not 2 <= len(p) <= 30 or re.search(r"[\d%。:]", p):
        return False
    return p.endswith(UNIT_SUFFIXES) or is_catch_all(p)


T = TypeVar("T")
_PIECE_SEP = re.compile(r"[、,;，；/\s]+|<br\s*/?>")
_DATE = re.compile(
    r"^(?:\d{4}年)?(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末|前|中旬|上旬|下旬|以前|之前|内)*$"
    r"|^(?:\d{4}[-./年]\d{1,2}(?:[-./月]\d{1,2})?日?)(?:前|底)?$"
    r"|^(?:全年|年内|年底前?|长期|持续|常态化|长期坚持|持续推进|\d{4}年(?:底|内)?(?:前|完成)?"
    r"|[上下]半年|第?[一二三四]季度(?:末|底)?(?:前)?)$"
)
_STATUS = re.compile(r"^(?:已完成|完成|未完成|基本完成|序时推进|正常推进|按序时推进|滞后|"
                     r"超序时|达序|未达序|是|否|正在推进|推进中|已开工|未开工)$")  # fmt: skip


def _share(cells: Sequence[T], ok: Callable[[T], object]) -> float:
    return sum(1 for c in cells if ok(c)) / len(cells)


def _number(cell: str) -> int | None:
    s = cell.strip().rstrip(".、")
    if s.isdigit():
        return int(s)
    if s and all(ch in CN_DIGITS for ch in s):
        try:
            return chinese_to_int(s)
        except ValueError:
            return None
    return None


def _officials(cell: str) -> bool:
    pieces = [p for p in _PIECE_SEP.split(cell) if p]
    return bool(pieces) and all(
        official_from_text(p) is not None or looks_like_name(p) for p in pieces
    )


def _units(cell: str) -> bool:
    pieces = [p for p in _PIECE_SEP.split(cell) if p]
    return bool(pieces) and len(cell) <= 80 and _share(pieces, looks_like_unit) >= 0.75


def content_role(cells: list[str]) -> str | None:
    """The role of a column whose header is unknown, from what its cells hold.

    Numbers in sequence -> ``number``; dates and deadlines -> ``deadline``; persons with or
    without their post -> ``official``; unit names -> ``lead``; 已完成 / 滞后 -> ``status``;
    long or mixed text -> ``None`` (the caller takes the longest text column for the task).

    >>> content_role(["1", "2", "3", "4"]), content_role(["6月底前", "2021年12月", "全年"])
    ('number', 'deadline')
    >>> content_role(["张三副市长", "李四", "王五、赵六"])
    'official'
    >>> content_role(["全年地区生产总值增长6%以上,一般公共预算收入增长3%。", "新建5G基站"]) is None
    True
    """
    cells = [fold_width(c).strip() for c in cells if c and c.strip()]
    if not cells:
        return None
    numbers = [_number(c) for c in cells]
    if _share(numbers, lambda n: n is not None) >= 0.8:
        known = [n for n in numbers if n is not None]
        steps = sum(1 for a, b in itertools.pairwise(known) if b == a + 1)
        if len(known) == 1 or steps >= 0.6 * (len(known) - 1):
            return "number"
    if _share(cells, lambda c: bool(_DATE.match(re.sub(r"\s+", "", c)))) >= 0.7:
        return "deadline"
    if _share(cells, _STATUS.match) >= 0.7:
        return "status"
    if _share(cells, _officials) >= 0.7:
        return "official"
    if _share(cells, _units) >= 0.7:
        return "lead"
    return None
