"""The department directory: who a responsible unit is, whatever the document calls it.

The data lives in ``ingest/data/departments.json``: the municipal departments a
Chinese prefecture-level city has after the 2018-2019 institutional reform,
the party and people's bodies and vertically managed offices that appear as
responsible units, and the collective units (``各县(市)区政府``, ``各有关部门`` …)
that notices assign as such.  Names are city-neutral (``市发展和改革委员会``);
node ids add the city (see :func:`ingest.ids.entity_id`).  Each municipal
entry also names its national and provincial counterparts, from which
level-国家 / level-省 entries are built.

>>> lookup("南通市发改委", city="南通").name
'市发展和改革委员会'
>>> lookup("市环保局").name, lookup("市卫计委").name
('市生态环境局', '市卫生健康委员会')
>>> e = lookup("各县（市、区）人民政府")
>>> e.name, e.kind, e.level
('各县(市)区政府', 'collective', '县区')
>>> lookup("省工信厅").level, lookup("省工信厅").counterpart
('省', '市工业和信息化局')
>>> lookup("某某协会") is None
True
>>> resolve_unit("新区管委会", city="镇江").name
'新区管委会'

A district's or county's own body resolves through its municipal counterpart, with the level
县区 (``区发改局`` is the district's 发展和改革局), and catch-all groups are told apart from units:

>>> e = lookup("区发改局")
>>> e.name, e.level, e.counterpart
('区发展和改革局', '县区', '市发展和改革委员会')
>>> is_catch_all("各区、县级市"), is_catch_all("区直各部门"), is_catch_all("区发改局")
(True, True, False)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

import ahocorasick
from pydantic import BaseModel, ConfigDict

from ingest.textutil import fold_width

__all__ = [
    "DIRECTORY",
    "DepartmentEntry",
    "Kind",
    "Level",
    "UnitMention",
    "find_units",
    "is_catch_all",
    "lookup",
    "normalize",
    "resolve_unit",
]

Level = Literal["国家", "省", "市", "县区"]
Kind = Literal["department", "collective"]


class DepartmentEntry(BaseModel):
    """One responsible unit: canonical name, level, kind, other names and remit keywords."""

    model_config = ConfigDict(frozen=True)

    name: str
    level: Level
    kind: Kind = "department"
    aliases: tuple[str, ...] = ()
    former: tuple[str, ...] = ()  # pre-reform names now merged into this unit
    remit: tuple[str, ...] = ()  # keywords of what it answers for (for inference)
    counterpart: str | None = None  # national/provincial body: its municipal counterpart
    known: bool = True  # False: not in the directory, kept under its surface

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the unit goes by, canonical first."""
        return (self.name, *self.aliases, *self.former)


def _load() -> dict[str, DepartmentEntry]:
    raw = json.loads(resources.files("ingest").joinpath("data/departments.json").read_text("utf-8"))
    out: dict[str, DepartmentEntry] = {}
    for unit in raw["units"]:
        entry = DepartmentEntry(
            name=unit["name"],
            level=unit["level"],
            kind=unit["kind"],
            aliases=tuple(unit.get("aliases", ())),
            former=tuple(unit.get("former", ())),
            remit=tuple(unit.get("remit", ())),
        )
        out[entry.name] = entry
        for level, key in (("国家", "national"), ("省", "provincial")):
            names = unit.get(key, ())
            if names and names[0] not in out:
                out[names[0]] = DepartmentEntry(
                    name=names[0], level=level, aliases=tuple(names[1:]), counterpart=entry.name
                )
    return out


DIRECTORY: Mapping[str, DepartmentEntry] = MappingProxyType(_load())
"""Canonical name -> entry, for every unit the directory knows (all levels)."""

_COLLECTIVE_PUNCT = re.compile(r"[、()]")
_TRAIL = "。.;；,，、:："


def normalize(surface: str) -> str:
    """The lookup key of a unit name: half-width, no spaces, 人民政府 -> 政府.

    Collective names also lose their list punctuation, so the spellings of one
    collective meet: ``各县(市)区政府``, ``各县、市、区政府`` and ``各县(市、区)政府``.

    >>> normalize("各县、市、区人民政府") == normalize("各县（市）区政府")
    True
    """
    key = re.sub(r"\s+", "", fold_width(surface)).strip(_TRAIL).replace("人民政府", "政府")
    if key.startswith(("各", "县(")):
        key = _COLLECTIVE_PUNCT.sub("", key)
    return key


@cache
def _index() -> dict[str, DepartmentEntry]:
    index: dict[str, DepartmentEntry] = {}
    for entry in DIRECTORY.values():
        for name in entry.names:
            index.setdefault(normalize(name), entry)
    return index


_CITY_PREFIX = re.compile(r"^(?:(?![市省各])[\u4e00-\u9fff]){2,3}(?=市)")
_PROVINCE_PREFIX = re.compile(r"^(?:(?![市省各])[\u4e00-\u9fff]){2,3}(?=省)")
_PAREN = re.compile(r"\([^()]*\)$")


def _candidates(key: str, city: str | None) -> Iterator[str]:
    yield key
    if _PAREN.search(key):  # 市自然资源和规划局(市林业局): the name before the note
        yield from _candidates(_PAREN.sub("", key), city)
        return
    if city:
        stem = normalize(city)
        stem = stem[:-1] if stem.endswith("市") and len(stem) > 2 else stem
        if stem + "市" in key:
            yield key.replace(stem + "市", "市", 1)
        elif stem in key:
            yield key.replace(stem, "市", 1)
            yield key.replace(stem, "", 1)
    elif m := _CITY_PREFIX.match(key):
        yield key[m.end() :]
    if m := _PROVINCE_PREFIX.match(key):
        yield key[m.end() :]


@cache
def _provincial_of() -> dict[str, DepartmentEntry]:
    """Municipal canonical name -> its provincial counterpart."""
    return {e.counterpart: e for e in DIRECTORY.values() if e.level == "省" and e.counterpart}


# 区发改局, 立山区发改局, 县卫健局: a district's or county's body; the place name is dropped
_LOCAL_PREFIX = re.compile(r"^(?:[\u4e00-\u9fff]{1,4}?(?=[区县][\u4e00-\u9fff]{2}))?(?P<p>[区县])")
_LOCAL_NOT = re.compile(r"^[区县](?:委员会|政府|人民政府|管委会)?$|^[区县]级|^区县")


def _municipal(rest: str, city: str | None) -> tuple[DepartmentEntry, str] | None:
    """The municipal department ``市`` + ``rest`` names (a body's 局 and 委 spellings meet)."""
    tries = ["市" + rest]
    if rest.endswith("局"):
        tries += ["市" + rest[:-1] + "委", "市" + rest[:-1] + "委员会"]
    elif rest.endswith(("委", "厅")):
        tries += ["市" + rest[:-1] + "局"]
    index = _index()
    for key in tries:
        entry = index.get(key)
        if entry is not None and entry.kind == "department" and entry.level == "市":
            return entry, rest
    return None


def _local_entry(key: str, city: str | None) -> DepartmentEntry | None:
    """``区住建局`` -> 区住房和城乡建设局 (level 县区), through the municipal directory."""
    m = _LOCAL_PREFIX.match(key)
    if m is None or _LOCAL_NOT.match(key[m.start("p") :]):
        return None
    found = _municipal(key[m.end() :], city)
    if found is None:
        return None
    entry, rest = found
    if not entry.name.startswith("市"):
        return None  # 人民银行市中心支行, 海关: no district body of that name
    stem = entry.name.removeprefix("市")
    if rest.endswith("局") and stem.endswith("委员会"):
        stem = stem[:-3] + "局"  # a district's 发展和改革局, 卫生健康局
    return _derived(m.group("p") + stem, entry.name, entry.remit)


def _provincial_entry(key: str, city: str | None) -> DepartmentEntry | None:
    """``省住房城乡建设厅`` -> 省住房和城乡建设厅, through its municipal counterpart's names."""
    if not key.startswith("省") or len(key) < 3:
        return None
    found = _municipal(key[1:], city)
    return _provincial_of().get(found[0].name) if found else None


@cache
def _derived(name: str, counterpart: str, remit: tuple[str, ...]) -> DepartmentEntry:
    return DepartmentEntry(name=name, level="县区", counterpart=counterpart, remit=remit)


def lookup(surface: str, city: str | None = None) -> DepartmentEntry | None:
    """The directory entry a unit name means, or ``None`` when the directory does not know it.

    ``city`` (``南通`` or ``南通市``) lets the city's own prefix be dropped
    (``南通市发改委``, ``南通海关``, ``人民银行南通市中心支行``) without mistaking a
    county-level city's body (``海门市政府``) for the municipal one; without it,
    any two- or three-character prefix before ``市`` is dropped.

    >>> lookup("人民银行南通市中心支行", "南通").name
    '人民银行市中心支行'
    >>> lookup("海门市政府办公室", "南通") is None
    True
    """
    index = _index()
    keys = list(_candidates(normalize(surface), city))
    for key in keys:
        if key in index:
            return index[key]
    for key in keys:
        entry = _provincial_entry(key, city) or _local_entry(key, city)
        if entry is not None:
            return entry
    return None


_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,4}?(?:县|区|镇|乡|街道)")
_LOCAL_UNIT = re.compile(r"^(?:[区县镇乡]|街道)|(?:街道办事处|街道办|街道|镇政府|乡政府)$")


def _guess_level(name: str, city: str | None) -> Level:
    if name.startswith(("国家", "国务院", "中央")):
        return "国家"
    if name.startswith("省") or _PROVINCE_PREFIX.match(name):
        return "省"
    if name.startswith("市") or (city and name.startswith(city)):
        return "市"
    if _CITY_PREFIX.match(name) or _PLACE_PREFIX.match(name) or _LOCAL_UNIT.search(name):
        return "县区"
    return "市"


# Groups a notice hands a task to without naming a body: every district, all departments …
_CATCH_ALL = re.compile(
    r"^各|^驻[市区县]"
    r"|^(?:全?[市区县省])?[直级属]?(?:各|有关|相关|其他|其它)"
    r"|各(?:专班|部门|单位|街道|镇|乡镇|地|成员单位|区|县)"
    r"|成员单位$"
    # a kind of body with no name of its own: 开发园区管委会 after 各区(县、市)政府
    r"|^(?:开发园区|开发区|园区|功能区|产业园区|乡镇街道|镇街道|社区|村)"
    r"(?:管委会|管理委员会|人民政府|政府|办事处)?$"
    r"|^(?:县级市|县市区|县区|区县|乡镇|镇街|镇\(?街道\)?|[县市区]\([县市区、]+\)[县市区]?)"
    r"(?:人民政府|党委政府|政府|管委会)?$"
)


def is_catch_all(surface: str, city: str | None = None) -> bool:
    """Whether a responsible "unit" is a catch-all group (各区、县级市, 有关部门), not a body.

    >>> [is_catch_all(s) for s in ("各县(市、区)政府", "全区经济运行各专班", "县级市", "团市委")]
    [True, True, True, False]
    """
    entry = lookup(surface, city)
    if entry is not None:
        return entry.kind == "collective"
    key = re.sub(r"\s+", "", fold_width(surface)).strip(_TRAIL)
    return bool(_CATCH_ALL.search(key))


def resolve_unit(surface: str, city: str | None = None) -> DepartmentEntry:
    """The directory entry, or an entry for an unknown unit named by its surface (never dropped).

    >>> e = resolve_unit("海门市政府", "南通")
    >>> e.name, e.level, e.known
    ('海门市政府', '县区', False)
    >>> resolve_unit("各社区", "南通").kind
    'collective'
    """
    entry = lookup(surface, city)
    if entry is not None:
        return entry
    name = re.sub(r"\s+", "", fold_width(surface)).strip(_TRAIL)
    kind: Kind = "collective" if name.startswith("各") else "department"
    return DepartmentEntry(name=name, level=_guess_level(name, city), kind=kind, known=False)


class UnitMention(BaseModel):
    """A directory unit named in running text."""

    entry: DepartmentEntry
    surface: str
    offset: int


@cache
def _unit_matcher(city: str | None) -> ahocorasick.Automaton:
    names = {
        fold_width(n)
        for e in DIRECTORY.values()
        if e.kind == "department"
        for n in e.names
        if len(n) >= 3
    }
    if city:  # 南通市行政审批局, 南通海关: the city's own prefix belongs to the surface
        names |= {city + n for n in names}
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, len(name))
    automaton.make_automaton()
    return automaton


def find_units(
    text: str, city: str | None = None, start: int = 0, end: int | None = None
) -> list[UnitMention]:
    """Directory departments named in ``text[start:end]`` (collectives are not looked for).

    >>> [(m.entry.name, m.surface, m.offset) for m in find_units("由南通市行政审批局牵头", "南通")]
    [('市行政审批局', '南通市行政审批局', 1)]
    """
    end = len(text) if end is None else end
    folded = fold_width(text[start:end])  # fold only the slice: callers pass one task at a time
    out = []
    for last, length in _unit_matcher(city).iter_long(folded):  # leftmost-longest
        a, b = start + last + 1 - length, start + last + 1
        entry = lookup(text[a:b], city)
        if entry is not None:
            out.append(UnitMention(entry=entry, surface=text[a:b], offset=a))
    return out
