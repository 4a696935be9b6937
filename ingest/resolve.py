"""Resolve: one canonical name per real entity across a document's mentions.

* Places: the document's own city (南通, 南通市) is dropped — the whole plan is
  about it; divisions already carry their gazetteer name (启东 -> 启东市) and
  historical names stay themselves (海门市 is not renamed 海门区).
* Organizations: standard abbreviations of national bodies, provincial
  departments and universities map to their full name (工信部 ->
  工业和信息化部, 省发改委 -> 省发展和改革委员会, 上海交大 -> 上海交通大学).
* Departments: canonical names from :mod:`ingest.departments` when installed,
  otherwise the surface as written.
* Within a document, a name that is another mention's name with the
  province/city prefix removed (扬州中集通华专用车有限公司 vs 中集通华专用车有限公司)
  is left alone: only listed abbreviations are merged, never guesses.

Every surface form stays on the mention, so the assembled node lists all of
them as aliases.

Then identity (:mod:`ingest.identity`, docs/IDENTITY.md): each project and organization gets
the key and scope its id is built from, generic project names the one place their sentences
name, variants of one key in the document one canonical name (the longest surface), and a named
section the line it belongs to.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from ingest.extract.organizations import department_lookup
from ingest.gazetteer import vocab
from ingest.identity import (
    identity_key,
    org_scope,
    project_base,
    project_identity,
    section_whole,
)
from ingest.models import Mention, TaskExtraction

__all__ = ["canonical_org", "resolve_document"]

# Abbreviation -> full name, for bodies named at every level.
_ABBREVIATIONS = {
    "发改委": "发展和改革委员会",
    "发展改革委": "发展和改革委员会",
    "工信厅": "工业和信息化厅",
    "经信委": "经济和信息化委员会",
    "人社厅": "人力资源和社会保障厅",
    "住建厅": "住房和城乡建设厅",
    "交通厅": "交通运输厅",
    "文旅厅": "文化和旅游厅",
    "卫健委": "卫生健康委员会",
    "卫生健康委": "卫生健康委员会",
    "市场监管局": "市场监督管理局",
    "应急厅": "应急管理厅",
    "医保局": "医疗保障局",
    "国资委": "国有资产监督管理委员会",
    "科技厅": "科学技术厅",
}


@lru_cache(maxsize=1)
def _org_names() -> dict[str, str]:
    names = {
        "工信部": "工业和信息化部",
        "科技部": "科学技术部",
        "人社部": "人力资源和社会保障部",
        "人力资源社会保障部": "人力资源和社会保障部",
        "住建部": "住房和城乡建设部",
        "住房城乡建设部": "住房和城乡建设部",
        "交通部": "交通运输部",
        "农业部": "农业农村部",
        "文旅部": "文化和旅游部",
        "环保部": "生态环境部",
        "国家发改委": "国家发展和改革委员会",
        "国家发展改革委": "国家发展和改革委员会",
        "国家卫健委": "国家卫生健康委员会",
        "国家林草局": "国家林业和草原局",
        "国家药监局": "国家药品监督管理局",
        "国家医保局": "国家医疗保障局",
        "市场监管总局": "国家市场监督管理总局",
        "国家市场监管总局": "国家市场监督管理总局",
        "证监会": "中国证券监督管理委员会",
        "中国证监会": "中国证券监督管理委员会",
        "人民银行": "中国人民银行",
        "中科院": "中国科学院",
        "上海交大": "上海交通大学",
        "清华": "清华大学",
        "北大": "北京大学",
        "复旦": "复旦大学",
        "浙大": "浙江大学",
        "南大": "南京大学",
        "上交所": "上海证券交易所",
        "深交所": "深圳证券交易所",
        "香港联交所": "香港联合交易所",
        "铁总": "中国铁路总公司",
        "国铁集团": "中国国家铁路集团有限公司",
        "产研院": "江苏省产业技术研究院",
    }
    for abbr, full in _ABBREVIATIONS.items():
        names.setdefault("省" + abbr, "省" + full)
    names.setdefault("省发展和改革委", "省发展和改革委员会")
    for stem in vocab()["province_dept_stems"]:
        names.setdefault("省" + stem, "省" + stem)
    return names


def canonical_org(surface: str) -> str:
    """The canonical name of an organization written ``surface``.

    >>> canonical_org("工信部"), canonical_org("省发改委"), canonical_org("上海交大")
    ('工业和信息化部', '省发展和改革委员会', '上海交通大学')
    >>> canonical_org("江苏道蓬科技有限公司")
    '江苏道蓬科技有限公司'
    """
    if surface in _org_names():
        return _org_names()[surface]
    for abbr, full in _ABBREVIATIONS.items():
        if surface.endswith(abbr) and len(surface) > len(abbr) and surface[-len(abbr) - 1] == "省":
            return surface[: -len(abbr)] + full
    return surface


def _own_city(name: str, city: str) -> bool:
    city = city.removesuffix("市")
    return name in {city, city + "市"}


def _resolve(m: Mention, city: str) -> Mention | None:
    if m.label == "Place" and (_own_city(m.surface, city) or _own_city(m.name, city)):
        return None
    if m.label == "Place" and m.parent and _own_city(m.parent, city):
        m.parent = city.removesuffix("市") + "市"
    if m.label == "Project":
        m.places = [p for p in m.places if not _own_city(p, city)]
    if m.label == "Organization":
        m.name = canonical_org(m.surface)
    if m.label == "Department":
        found = department_lookup(m.surface)
        if found:
            m.name, level = found
            m.level = level or m.level
    return m


def resolve_document(
    extractions: dict[str, TaskExtraction], city: str
) -> dict[str, TaskExtraction]:
    """Extractions with canonical names made consistent across tasks.

    >>> ex = {1: TaskExtraction(mentions=[
    ...     Mention(label="Place", surface="南通", offset=0, name="南通"),
    ...     Mention(label="Place", surface="启东", offset=3, name="启东市"),
    ...     Mention(label="Organization", surface="上海交大", offset=6, name="上海交大")])}
    >>> [(m.surface, m.name) for m in resolve_document(ex, "南通")[1].mentions]
    [('启东', '启东市'), ('上海交大', '上海交通大学')]
    """
    out: dict[str, TaskExtraction] = {}
    for number, ex in extractions.items():
        mentions = [r for m in ex.mentions if (r := _resolve(m.model_copy(), city)) is not None]
        out[number] = TaskExtraction(mentions=mentions, targets=ex.targets)
    _identify([m for ex in out.values() for m in ex.mentions], city)
    return out


# Places that qualify a generic name in their sentence: divisions below the city, towns, ports
# and port areas, zones -- not a province, another city, a country, a region or a river.
_SCOPING_KINDS = frozenset({"county", "town", "pattern", "port", "district"})


def _sentence_places(mentions: list[Mention]) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m in mentions:
        if m.label == "Place" and m.sentence and (m.kind or "pattern") in _SCOPING_KINDS:
            found[(m.part, m.sentence)].add(m.name)
    return found


def _identify(mentions: list[Mention], city: str) -> None:
    """Set key, scope, section and canonical name of a document's projects and organizations.

    A generic project name takes the place its sentence names when the sentence names one;
    when all the document's sentences around that name name the same one place, every mention
    of the name takes it (起步码头 said once beside 通州湾港区 and once alone is one terminal).
    """
    by_sentence = _sentence_places(mentions)
    projects = [m for m in mentions if m.label == "Project"]
    seen: dict[str, set[str]] = defaultdict(set)
    for m in projects:
        scope, key = project_identity(m.name, city, m.places)
        if scope and scope.startswith(city + ":"):  # the place written in the name
            seen[key].add(scope.removeprefix(city + ":"))
        if scope == city and project_base(m.name, city, m.places)[0] != "*":
            # generic and no place in the name: look at the sentence
            around = by_sentence.get((m.part, m.sentence), set()) - set(m.places)
            around = {p for p in around if p not in m.surface}
            seen[key].update(around)
            m.scope_place = next(iter(around)) if len(around) == 1 else None
        m.scope, m.key = scope, key
        whole = section_whole(m.name)
        m.part_of = whole if whole and whole != m.name else None
    for m in projects:
        if m.scope != city or project_base(m.name, city, m.places)[0] == "*":
            continue
        places = seen.get(m.key or "", set())
        if m.scope_place is None and len(places) == 1:
            m.scope_place = next(iter(places))
        if m.scope_place:
            m.scope = f"{city}:{m.scope_place}"
    for m in mentions:
        if m.label == "Organization":
            m.scope, m.key = org_scope(m.name, m.kind, city), identity_key(m.name)
    # variants of one key: one canonical name, the longest surface (then the smallest)
    groups: dict[tuple[str, str | None, str], list[Mention]] = defaultdict(list)
    for m in mentions:
        if m.key is not None:
            groups[(m.label, m.scope, m.key)].append(m)
    for group in groups.values():
        name = min({m.name for m in group}, key=lambda n: (-len(n), n))
        for m in group:
            m.name = name
