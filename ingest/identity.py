"""Identity: when two mentions, in one plan or in several, name the same real thing.

The rule (docs/IDENTITY.md says it for users):

* **Distinctive names are shared** by every plan that writes them: national bodies, companies,
  universities (global), provincial bodies (one per province: 省发改委 of Jiangsu is not that of
  Anhui), inter-city lines and bridges whose stem names them (北沿江高铁, 沪通铁路, 宁通高速),
  names that carry another place themselves (北沿江高铁南通段), and programmes or platforms with a
  proper stem (“江海英才”计划).  Places and 《》 titles are shared by name (unchanged).
* **Generic names are scoped** by the plan's city, and by the place that qualifies them: the
  place written in the name (吕四港区10万吨级通用码头 -> 南通:吕四港区) or else the one place the
  sentence names (起步码头 in a sentence about 通州湾港区).  A name is generic when, without its
  places, capacity, numbers and head noun, only common words are left (污水处理厂, 人才公寓,
  综合保税区, 起步码头, 10万吨级通用码头, 轨道交通1号线).  The plan's own city written in the
  name (南通综合保税区, 市开发区) is no qualifier: it is the city scope itself.
* **Variants merge**: the id is built from a key that drops 级 after a capacity, spaces,
  punctuation and quotes (10万吨级通用码头 = 10万吨通用码头, “江海英才”计划 = 江海英才计划); every
  surface stays as an alias.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.extract.projects import is_generic
from ingest.gazetteer import gazetteer, vocab

__all__ = [
    "generic_name",
    "identity_key",
    "org_scope",
    "project_base",
    "project_identity",
    "province_of",
    "section_whole",
]

_PUNCT = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）\[\]【】、,，.。·・:：;；!！?？—\-_/]")
_CAPACITY_LEVEL = re.compile(r"(?<=吨)级")
# what a generic stem may hold besides common words: capacities, sizes and numbers, and the
# technology abbreviations every city builds (LNG接收站, 5G基站)
_MEASURE = re.compile(
    r"[0-9０-９.]+(?:万|千|百)?(?:吨级?|标箱|千伏|kV|KV|米|公里|号|期|座|个)?"
    r"|[一二三四五六七八九十]+(?:号|期)|LNG|5G|CNG|CBD|[A-Z]"
)
# Common modifiers of facilities, beside ingest/data/common_words.txt: a 疏港铁路 or a
# 液化品码头 is one of many, not a name.
_GENERIC_WORDS = frozenset(
    {
        "疏港",
        "城市",
        "液化品",
        "散货",
        "集装箱",
        "通用",
        "专用",
        "污水",
        "垃圾",
        "新",
        "老",
        "东",
        "西",
        "南",
        "北",
        "中",
        "东部",
        "西部",
        "南部",
        "北部",
        "先行",
        "起步",
        "一港池",
        "进港",
    }
)
# one-character heads the vocabulary does not list (污水处理|厂, 公交首末|站)
_FACILITY_CHARS = frozenset("厂站场馆园院楼所库池塔桥路线厅")
_PHASE_TAIL = re.compile(
    r"(?:[一二三四五六七八九1-9](?:期|号))?(?:扩容|新馆|北段|南段)?(?:工程|项目)?$"
)
_OWN_CITY_PREFIX = ("我市", "全市", "市")
_NATIONAL = ("国家", "中国", "中央", "国务院", "全国", "中华")


def identity_key(name: str) -> str:
    """The key variants of one name share: no spaces, punctuation or quotes, no 级 after 吨.

    >>> identity_key("10万吨级通用码头") == identity_key("10万吨通用码头")
    True
    >>> identity_key("“江海英才”计划")
    '江海英才计划'
    """
    return _CAPACITY_LEVEL.sub("", _PUNCT.sub("", name)) or name


def province_of(city: str) -> str:
    """The province of a plan's city (``""`` when the gazetteer does not know it).

    >>> province_of("南通"), province_of("合肥市")
    ('江苏省', '安徽省')
    """
    g = gazetteer()
    full = city if city.endswith("市") else city + "市"
    return g.city_province.get(full, "")


@lru_cache(maxsize=1)
def _heads() -> tuple[str, ...]:
    heads = {h for hs in vocab()["project_heads"].values() for h in hs}
    return tuple(sorted(heads, key=len, reverse=True))


def _own_city_forms(city: str) -> tuple[str, ...]:
    short = city.removesuffix("市")
    return (short + "市", short, *_OWN_CITY_PREFIX) if short else _OWN_CITY_PREFIX


def project_base(name: str, city: str, places: list[str]) -> tuple[str, str]:
    """``(place, base)``: what qualifies a project name at its start and the rest.

    The place is ``"*"`` for the plan's own city (南通综合保税区, 市开发区), a place's name for
    a place inside the city (吕四港区10万吨级通用码头), ``""`` when the name starts with neither.

    >>> project_base("吕四港区10万吨级通用码头", "南通", ["吕四港区"])
    ('吕四港区', '10万吨级通用码头')
    >>> project_base("南通综合保税区", "南通", [])
    ('*', '综合保税区')
    >>> project_base("北沿江高铁南通段", "南通", [])
    ('', '北沿江高铁南通段')
    >>> project_base("扬州港六圩港区二期码头", "扬州", ["扬州港", "六圩港区"])
    ('六圩港区', '二期码头')
    """
    for p in sorted(places, key=len, reverse=True):
        short = p.removesuffix("市").removesuffix("县").removesuffix("区")
        for written in (p, short):
            if len(written) >= 2 and name.startswith(written) and len(name) > len(written) + 1:
                inner, rest = project_base(
                    name[len(written) :], city, [x for x in places if x != p]
                )
                # 扬州港六圩港区二期码头: the innermost place written qualifies the name
                if inner not in {"", "*"} and not _outside(p):
                    return inner, rest
                return p, name[len(written) :]
    for form in _own_city_forms(city):
        if name.startswith(form) and len(name) > len(form) + 1:
            return "*", name[len(form) :]
    return "", name


def _outside(place: str) -> bool:
    """A place that is not inside one city: a province, another city, a region, a river."""
    entries = gazetteer().entries.get(place, [])
    return any(e.kind in {"province", "city", "country", "region", "water"} for e in entries)


def _stem(base: str) -> str:
    core = _PHASE_TAIL.sub("", base) or base
    for h in _heads():
        if core.endswith(h) and len(core) > len(h):
            return core[: -len(h)]
        if core == h:
            return ""
    return core


def generic_name(base: str) -> bool:
    """True when a project name without its places names a kind of thing, not one thing.

    >>> [generic_name(n) for n in ("污水处理厂", "人才公寓", "综合保税区", "起步码头")]
    [True, True, True, True]
    >>> [generic_name(n) for n in ("10万吨级通用码头", "轨道交通1号线", "LNG接收站")]
    [True, True, True]
    >>> [generic_name(n) for n in ("北沿江高铁", "沪通铁路", "江海英才计划", "北沿江高铁南通段")]
    [False, False, False, False]
    """
    stem = _MEASURE.sub("", _stem(identity_key(base)))
    if not stem or stem in _GENERIC_WORDS:
        return True
    i = 0
    while i < len(stem):
        for n in (4, 3, 2):
            piece = stem[i : i + n]
            if piece in _GENERIC_WORDS or is_generic(piece):
                i += n
                break
        else:
            if stem[i] not in _FACILITY_CHARS:
                return False
            i += 1
    return True


def project_identity(
    name: str, city: str, places: list[str], sentence_place: str = ""
) -> tuple[str | None, str]:
    """``(scope, key)`` of a project: shared names have no scope; generic ones the plan's city
    and the place written in the name, else ``sentence_place``.

    >>> project_identity("北沿江高铁", "南通", [])
    (None, '北沿江高铁')
    >>> project_identity("吕四港区10万吨级通用码头", "南通", ["吕四港区"])
    ('南通:吕四港区', '10万吨通用码头')
    >>> project_identity("起步码头", "南通", [], "通州湾港区")
    ('南通:通州湾港区', '起步码头')
    >>> project_identity("人才公寓", "扬州", [])
    ('扬州', '人才公寓')
    >>> (project_identity("扬州港六圩港区二期码头", "扬州", ["扬州港", "六圩港区"])
    ...  == project_identity("六圩港区二期码头", "扬州", ["六圩港区"]))
    True
    """
    place, base = project_base(name, city, places)
    if not generic_name(base) or (place not in {"", "*"} and _outside(place)):
        return None, identity_key(name)
    if place == "*":  # the name says it is the city's own: no sentence narrows it
        return city, identity_key(base)
    place = place or sentence_place
    scope = f"{city}:{place}" if place else city
    return scope, identity_key(base)


def org_scope(name: str, kind: str | None, city: str) -> str | None:
    """The scope of an organization's id: ``None`` (shared), the province, or the city.

    >>> org_scope("工业和信息化部", "government", "南通") is None
    True
    >>> org_scope("省发展和改革委员会", "government", "南通")
    '江苏省'
    >>> org_scope("市行政审批局", "government", "南通"), org_scope("海关", "government", "南通")
    ('南通', '南通')
    >>> org_scope("中天科技", "company", "南通") is None
    True
    """
    if name.startswith("省"):
        return province_of(city) or city
    if name.startswith(("市", "区", "县", "我市", "全市")):
        return city  # 市侨联, 市行政审批局: the city's own
    if kind != "government":
        return None  # companies, banks, universities, institutes are one each wherever named
    if name.startswith(_NATIONAL) or name.endswith(("部", "总局", "总署")):
        return None
    g = gazetteer()
    if any(a == 0 for a, _, _ in g.matches(name, province_of(city) or None)):
        return None  # a body that names its place: 南通海关, 江苏省交通厅
    return city


_SECTION = re.compile(
    r"(.{2,}?(?:高速铁路|城际铁路|铁路|高铁|城际|高速公路|高速|大桥|运河|航道|公路))(.{2,6}段)$"
)


def section_whole(name: str) -> str | None:
    """The line a named section belongs to (北沿江高铁南通段 -> 北沿江高铁), if the name is one.

    >>> section_whole("北沿江高铁南通段"), section_whole("盐通铁路南通段")
    ('北沿江高铁', '盐通铁路')
    >>> section_whole("沪通铁路") is None
    True
    """
    m = _SECTION.fullmatch(name)
    if not m or m.group(2) in {"阶段", "路段", "标段", "区段", "先行段", "先导段"}:
        return None
    return m.group(1)
