"""Responsibility: the official and departments answering for each task.

What a notice states comes first (``source="assignment"``): the task's fields
(``牵头负责领导:`` / ``牵头单位:`` / ``协同责任单位:`` / ``责任单位:`` …, on their own
lines, inline or as table columns) and, for notices grouped by official, the
official named in the group heading (``二、李四副市长牵头负责``), and the lead a
section heading names for every task under it (``一、区发改局牵头工作(8项)``).  Units
are resolved through the department directory (:mod:`ingest.departments`) at their
level (国家 / 省 / 市 / 县区); unknown units keep their surface as name.  Catch-all
groups (``各县、市、区政府``, ``各有关部门``, ``区直各部门``) name no body and are left
out.  When a ``责任单位`` list stands alone, its first unit leads and the rest assist
(the genre's convention; notices say so in their preamble); beside a ``牵头单位``,
``责任单位`` assist.

Only when the document assigns no unit at all to a task are departments inferred
(:mod:`ingest.responsibility_inference`); a task handed to catch-all groups alone is
not guessed at.  Officials are never inferred.

>>> from ingest.segment import segment
>>> doc = segment("1.新增高新技术企业300家。\\n牵头负责领导:陈立华副市长。\\n"
...               "牵头单位:市科技局。\\n配合单位:市财政局、各县、市、区政府。\\n")
>>> [(a.role, a.name, a.surface) for a in task_assignments(doc, doc.chapters[0], doc.tasks[0],
...                                                       TaskExtraction(), "淮安")]
... # doctest: +NORMALIZE_WHITESPACE
[('official', '陈立华', '陈立华副市长'), ('lead', '市科学技术局', '市科技局'),
 ('assist', '市财政局', '市财政局')]
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from ingest.columns import looks_like_unit
from ingest.departments import DepartmentEntry, is_catch_all, lookup, resolve_unit
from ingest.fields import heading_fields
from ingest.layout_base import _TERMINAL
from ingest.models import (
    Assignment,
    AssignmentField,
    ChapterSeg,
    SegmentedDocument,
    TaskExtraction,
    TaskSeg,
)
from ingest.officials import OfficialRef, looks_like_name, official_from_heading, officials_in
from ingest.responsibility_inference import inferred_assignments
from ingest.textutil import fold_width

__all__ = ["UnitSurface", "split_units", "stated_assignments", "task_assignments"]

Marker = Literal["lead", "assist"]

# 各县、市、区政府 and kin: list punctuation inside one collective name, not between units.
_COLLECTIVE_RE = re.compile(
    r"(?:各|(?<![\u4e00-\u9fff])(?=县))(?:辖)?[县市区乡镇](?:[(、]*(?:县级市|[县市区乡镇])[)]?){1,2}"
    r"(?:人民政府|党委政府|党委和政府|政府|管委会)?(?=等|[^\u4e00-\u9fff]|$)"
)
_SEP = set("、,;/|")
_LEAD_NOTE = re.compile(r"^\((?:牵头|牵头单位|主办|主责|负责|排名第一)\)$")
_ASSIST_NOTE = re.compile(r"^\((?:配合|协办|参与|协同|配合单位)\)$")
_TRAILING_NOTE = re.compile(r"\([^()]*\)$")
_REMARK = re.compile(r"下同|列第|为牵头|[,;，；]|^\([^()]{9,}\)$")
_ETC = re.compile(r"等(?:[省市区县]级|[省市区县]直)?(?:有关|相关|其他)?(?:部门|单位)?$")
_JOINERS = re.compile(r"和|及|与")


class UnitSurface(NamedTuple):
    """One unit of a field value: exact ``surface`` at absolute ``offset``, and any role note."""

    surface: str
    offset: int
    marker: Marker | None = None


def _pieces(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between separators at parenthesis depth 0, outside collective names."""
    folded = re.sub(r"<br\s*/?>", lambda m: " " * len(m.group()), fold_width(text))
    protected = [m.span() for m in _COLLECTIVE_RE.finditer(folded)]
    out, start, depth = [], 0, 0
    for i, ch in enumerate(folded):
        depth += (ch == "(") - (ch == ")" and depth > 0)
        inside = any(a <= i < b for a, b in protected)
        if depth == 0 and not inside and (ch in _SEP or ch.isspace()):
            out.append((start, i))
            start = i + 1
    out.append((start, len(folded)))
    return out


def _clean(text: str, a: int, b: int) -> tuple[int, int, Marker | None]:
    folded = fold_width(text)
    while a < b and (folded[a].isspace() or folded[a] in "由"):
        a += 1
    while b > a and (folded[b - 1].isspace() or folded[b - 1] in "。.:"):
        b -= 1
    marker: Marker | None = None
    if a < b and folded[a] in "★☆*":  # ★区发改委: the star marks the lead unit
        marker = "lead"
        a += 1
    note = _TRAILING_NOTE.search(folded, a, b)
    if note and note.start() > a:
        if _LEAD_NOTE.match(note.group()):
            marker, b = "lead", note.start()
        elif _ASSIST_NOTE.match(note.group()):
            marker, b = "assist", note.start()
    etc = _ETC.search(folded, a, b)
    if etc and etc.start() > a:
        b = etc.start()
    return a, b, marker


def split_units(text: str, offset: int = 0, city: str | None = None) -> list[UnitSurface]:
    """The units a responsibility field lists, as exact surfaces with absolute offsets.

    >>> [u.surface for u in split_units("市发改委、市科技局等,各县、市、区政府。")]
    ['市发改委', '市科技局', '各县、市、区政府']
    >>> [tuple(u) for u in split_units("市商务局(牵头)、市财政局", 10)]
    [('市商务局', 10, 'lead'), ('市财政局', 19, None)]
    >>> [u.surface for u in split_units("市发改委和市财政局")]
    ['市发改委', '市财政局']
    """
    out: list[UnitSurface] = []
    pieces = _pieces(text)
    for i, (a0, b0) in enumerate(pieces):
        a, b, marker = _clean(text, a0, b0)
        surface = text[a:b]
        if len(re.findall(r"[\u4e00-\u9fff]", surface)) < 2:
            continue  # 等, 各, or a lone 市 / 区 where a copy was cut off
        if out and _run_on(text, pieces[i:], city):
            break  # the list has ended: a table or text run on after it (… 各区政府 鄞州 海曙 合计)
        note = _TRAILING_NOTE.search(fold_width(surface))
        if note and note.start() > 0 and not surface.startswith(("各", "县")):
            head = surface[: note.start()]
            if lookup(head, city) is not None or _REMARK.search(note.group()):
                surface = head  # 市自然资源和规划局(市林业局), 工商联(列第一位者为牵头单位,下同)
        if lookup(surface, city) is None:
            parts = _joined_units(surface, city)
            if parts:
                out.extend(UnitSurface(p, offset + a + i, marker) for p, i in parts)
                continue
        out.append(UnitSurface(surface, offset + a, marker))
    return out


def _run_on(text: str, rest: list[tuple[int, int]], city: str | None) -> bool:
    """The pieces from ``rest[0]`` on are no longer units: it follows a space and it and the
    next piece are neither units nor names (one odd piece, 区水投 or 伍泽国, stays a unit)."""
    if rest[0][0] == 0 or not text[rest[0][0] - 1].isspace():
        return False
    first = fold_width(text[slice(*_clean(text, *rest[0])[:2])])
    if re.search(r":\s*\S", first) and _not_a_unit(first, city):
        return True  # 舜耕街道办事处:已联合…: a unit's report on its part, not a unit
    if len(rest) < 2:
        return False
    return all(_not_a_unit(text[slice(*_clean(text, a, b)[:2])], city) for a, b in rest[:2])


def _not_a_unit(surface: str, city: str | None) -> bool:
    return (
        not looks_like_unit(surface)
        and not looks_like_name(surface)
        and lookup(surface, city) is None
        and not _joined_units(surface, city)
    )


def _joined_units(surface: str, city: str | None) -> list[tuple[str, int]]:
    """``市发改委和市财政局`` -> both, when every part is a known unit; else nothing."""
    parts, pos = [], 0
    for m in [*_JOINERS.finditer(surface), None]:
        stop = m.start() if m else len(surface)
        parts.append((surface[pos:stop], pos))
        pos = m.end() if m else len(surface)
    if len(parts) > 1 and all(p and lookup(p, city) is not None for p, _ in parts):
        return parts
    return []


def _sentence(doc: SegmentedDocument, field: AssignmentField) -> str:
    """The field as written (label and value) when the label precedes the value, else the value."""
    start = doc.text.rfind(
        field.label, max(0, field.value.start - len(field.label) - 3), field.value.start
    )
    return doc.text[start : field.value.end] if start >= 0 else field.value.text


Role = Marker | Literal["responsible"]


def _heading_leads(doc: SegmentedDocument, chapter: ChapterSeg) -> list[AssignmentField]:
    title = chapter.title
    if title is None:
        return []
    return [f for f in heading_fields(doc.text, title.start, title.end) if f.role == "lead"]


def _unit_fields(
    doc: SegmentedDocument, chapter: ChapterSeg, task: TaskSeg
) -> list[AssignmentField]:
    """The task's unit fields; its heading's lead first when the task names no lead itself."""
    own = [f for f in task.fields if f.role in {"lead", "assist", "responsible"}]
    if any(f.role in {"lead", "responsible"} for f in own):
        return own
    return [*_heading_leads(doc, chapter), *own]


def stated_assignments(
    doc: SegmentedDocument, chapter: ChapterSeg, task: TaskSeg, city: str
) -> list[Assignment]:
    """What the document says about the task: its fields, and its group heading's official."""
    officials: list[Assignment] = []
    units: list[tuple[Role, UnitSurface, int, str]] = []
    for field in task.fields:
        if field.role != "official":
            continue
        sentence = _sentence(doc, field)
        for rank, ref in enumerate(officials_in(field.value.text, field.value.start)):
            officials.append(_official(ref, rank, sentence))
    fields = _unit_fields(doc, chapter, task)
    for field in fields:
        found = split_units(field.value.text, field.value.start, city)
        kept = [u for u in found if not is_catch_all(u.surface, city) and not _cut(doc, u, city)]
        # 市民政局 伍泽国: a unit with its head's name beside it; the name is an official
        heads = [
            u
            for u in kept
            if looks_like_name(u.surface)
            and lookup(u.surface, city) is None
            and not looks_like_unit(u.surface)
        ]
        if heads and len(heads) < len(kept):
            kept = [u for u in kept if u not in heads]
            for u in heads:
                ref = OfficialRef(u.surface, None, u.offset, u.surface)
                officials.append(_official(ref, len(officials), _sentence(doc, field)))
        role: Role = "lead" if field.role == "lead" else "assist"
        if field.role == "responsible":
            role = "responsible"
        sentence = _sentence(doc, field)
        units.extend((role, u, rank, sentence) for rank, u in enumerate(kept))
    heading = official_from_heading(chapter.title)
    if not officials and heading is not None:
        officials.append(_official(heading, 0, chapter.title.text if chapter.title else ""))
    has_lead = any(f.role == "lead" for f in fields)
    has_assist = any(f.role == "assist" for f in fields)
    return _dedupe([*officials, *_department_assignments(units, city, has_lead, has_assist)])


def _cut(doc: SegmentedDocument, unit: UnitSurface, city: str) -> bool:
    """The unit is where the copy stops mid-name (``…,市交通运``): the text ends with it, with
    no closing mark, and it is no unit's name."""
    end = len(doc.text.rstrip())
    return (
        unit.offset + len(unit.surface) >= end
        and fold_width(doc.text[end - 1 : end]) not in _TERMINAL
        and not looks_like_unit(unit.surface)
        and lookup(unit.surface, city) is None
    )


def _official(ref: OfficialRef, rank: int, sentence: str) -> Assignment:
    return Assignment(
        role="official",
        name=ref.name,
        surface=ref.surface,
        offset=ref.offset,
        title=ref.title,
        rank=rank,
        sentence=sentence,
    )


_LEVEL_PREFIX = re.compile(r"^(?:国家|省|市|区|县)")


def _resolve(surface: str, level_prefix: str | None, city: str) -> DepartmentEntry:
    """The unit's entry; a bare name after ``省商务厅、`` takes its level (``财政厅`` -> 省)."""
    entry = resolve_unit(surface, city)
    if level_prefix and not _LEVEL_PREFIX.match(surface) and not surface.startswith("各"):
        prefixed = lookup(level_prefix + surface, city)
        if prefixed is not None and (not entry.known or entry.level != prefixed.level):
            return prefixed
    return entry


def _department_assignments(
    units: list[tuple[Role, UnitSurface, int, str]],
    city: str,
    has_lead: bool,
    has_assist: bool = False,
) -> list[Assignment]:
    has_lead = has_lead or any(u.marker == "lead" for _, u, _, _ in units)
    # 责任单位 beside a 配合单位 field and no 牵头单位: the 责任单位 are the ones who lead
    all_lead = not has_lead and has_assist
    out = []
    prefix: str | None = None
    for role, u, rank, sentence in units:
        final: Marker
        if u.marker is not None:
            final = u.marker
        elif role == "responsible":
            final = "lead" if (rank == 0 or all_lead) and not has_lead else "assist"
        else:
            final = role
        entry = _resolve(u.surface, prefix if rank else None, city)
        if rank == 0 or _LEVEL_PREFIX.match(u.surface):
            m = _LEVEL_PREFIX.match(u.surface)
            prefix = m.group() if m else None
        out.append(
            Assignment(
                role=final,
                name=entry.name,
                surface=u.surface,
                offset=u.offset,
                rank=rank,
                level=entry.level,
                kind=entry.kind,
                sentence=sentence,
            )
        )
    return sorted(out, key=lambda a: (a.role != "lead", a.offset))


def _dedupe(assignments: list[Assignment]) -> list[Assignment]:
    """One assignment per person or unit (a unit's lead role before its assist role)."""
    out: list[Assignment] = []
    seen: set[tuple[bool, str]] = set()
    for a in assignments:
        key = (a.role == "official", a.name)
        if key not in seen:
            seen.add(key)
            out.append(a)
    return out


def task_assignments(
    doc: SegmentedDocument,
    chapter: ChapterSeg,
    task: TaskSeg,
    extraction: TaskExtraction,
    city: str,
) -> list[Assignment]:
    """The task's official and departments: stated ones, else inferred departments."""
    stated = stated_assignments(doc, chapter, task, city)
    if any(a.role in {"lead", "assist"} for a in stated) or _unit_fields(doc, chapter, task):
        return stated
    return [*stated, *inferred_assignments(doc, chapter, task, extraction, city)]
