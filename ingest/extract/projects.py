"""Projects: named infrastructure, zones, parks, facilities, platforms, events, programmes.

A project name ends in a head noun (铁路, 大桥, 航道, 码头, 产业园, 开发区, 论坛 ...),
optionally followed by a phase (一期, 二期) or 扩容/新馆; a trailing 工程/项目 is
dropped.  *Strong* heads (rail, bridges, ports, parks, events) make a name of
any stem; *weak* heads (基地, 中心, 平台, 示范区, 小镇 ...) only when the stem is
anchored — it starts with a place or an organization, holds Latin letters or
digits, or is not just common words (so 通州湾精品钢基地 is a project and
智能制造示范区 is not).  Quoted names ending in a head (“氢能产业园”, “双百工程”)
are projects; ``X项目`` only right after or starting with an organization.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ingest.extract.spans import Candidate, boundary_re, name_start, quote_spans
from ingest.gazetteer import common_words, vocab

__all__ = ["is_generic", "project_candidates"]

_PHASE = re.compile(r"(?:[一二三四五六七八九1-9](?:期|号))?(?:扩容|新馆|北段|南段)?(?:工程|项目)?")
# A named section of a line (通扬线航道市区段, 沪渝蓉高铁合武段), not 阶段/路段/标段.
_SECTION = re.compile(r"[\u4e00-\u9fff]{2}段(?<![阶路地时标工期]段)(?<!(?<!市)区段)")
_LINEAR = {"rail", "road", "metro", "waterway"}
# An extension or renovation named with its facility keeps its 工程/项目 (锡宜高速公路扩建工程):
# without it the rest names an action, not a facility.
_WORKS = re.compile(r"(?:改扩建|扩建|改建|整治|提升|改造|扩容)(?:工程|项目)")
_PHASE_ONLY = re.compile(r"[一二三四五六七八九](?:期)")
# Lines written as a letter and a number (锡澄S1线), and further lines of an enumeration
# (轨道交通6号线、7号线一期).
_LETTER_LINE = re.compile(r"(?<![A-Za-z])[A-Z][0-9]{1,2}线")
_BARE_LINE = re.compile(r"(?<=[、和及;；])[0-9]{1,2}号线")
_NOT_AFTER = {
    "码头": "区",
    "中心": "城区",
    "平台": "公",
    "高速": "公铁",
    "航道": "整",
    "服务网": "站点",
    "合作园": "区",
    "创新园": "区",
    "创意园": "区",
}
_QUANTITY = re.compile(r"[0-9]+[个家项座所名批]")
# A street is a project where the text names its works (城山路、洪江路改造, 世纪大道快车道全线通车,
# 工农路改造提升): a street name alone is an address.
_ROAD = re.compile(
    r"(?:路|大道)(?=改造|拓宽|快车道|慢车道|快速化|改建|扩建|延伸|贯通|综合整治|整治)"
)
_ROAD_LIST = re.compile(r"(?:路|大道)(?=、)")
_NOT_ROAD_STEMS = ("道", "公", "铁", "线", "网", "干", "支", "水", "电", "马", "思", "出", "之")
_RANKS = ("国家级", "省级", "市级", "重点", "国家", "各级")
# heads that extend the project before them (锡通高速|北接线); other heads after a project
# name make a longer phrase that is not a name (常泰长江大桥|主航道).
_DEPENDENT = {"接线", "隧道", "航站楼", "交通枢纽", "科创园", "产业园"}
_STOP_STEMS = frozenset(
    {
        "重点",
        "各类",
        "相关",
        "省级",
        "市级",
        "国家级",
        "特色",
        "专业化",
        "一批",
        "多个",
        "该",
        "本",
        "各",
        "有关",
        "重大",
        "主要",
        "新",
        "全市",
        "我市",
        "全省",
        "城建",
        "产业",
        "国家",
        "省",
        "市",
        "县",
        "区",
        "现代化",
        "国际",
        "综合",
        "一站式",
        "城乡",
        "非法",
        "公用",
        "公共",
        "各级",
    }
)
_PROGRAMME_HEADS = ("计划", "工程", "行动")
# Words written right after a quoted name that make it a project of that kind
# (“南通百通”APP, “利剑斩污”专项行动, “融金惠通”帮企行动, “濠西书苑”等项目, “X”活动).
_AFTER_QUOTE = re.compile(
    r"(?:等)?(?:(APP|App|app|平台|[\u4e00-\u9fff]{0,2}大模型|小程序)"
    r"|(专项行动|[\u4e00-\u9fff]{0,2}行动|[\u4e00-\u9fff]{0,2}工程"
    r"|[\u4e00-\u9fff]{0,4}(?:攻坚战|大会战))"
    r"|((?:系列)?活动)|(项目))"
)
# A quoted loan product (“科创贷”, “科技e贷”, “苏科贷”) is a named programme.
_PRODUCT = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,6}贷")
_QUOTED_SYSTEM = re.compile(r"[\u4e00-\u9fff]{0,2}(?:平台|系统)")
_AFTER_QUOTE_KINDS = ("platform", "programme", "event", "other")
# Zone abbreviations that name the city's one zone of that type on their own (综保区).
_SELF_NAMED = frozenset({"综保区"})
_NUMERAL_START = tuple("一二三四五六七八九十两双")


@lru_cache(maxsize=1)
def _heads() -> tuple[re.Pattern[str], dict[str, str], frozenset[str]]:
    kinds: dict[str, str] = {}
    for kind, heads in vocab()["project_heads"].items():
        if kind == "programme":
            continue
        for h in heads:
            kinds.setdefault(h, kind)
    pattern = re.compile("|".join(sorted(map(re.escape, kinds), key=len, reverse=True)))
    return pattern, kinds, frozenset(vocab()["strong_project_heads"])


def _phase(text: str, at: int) -> str:
    """The phase or extension written right after a head noun (二期, 扩容, 新馆), if any."""
    m = _PHASE.match(text, at)
    return m.group() if m else ""


def is_generic(stem: str) -> bool:
    """True when ``stem`` is made of common words only (智能制造), so it names nothing.

    >>> is_generic("智能制造"), is_generic("沪通科技合作"), is_generic("5G")
    (True, False, False)
    """
    common = common_words()
    i = 0
    while i < len(stem):
        for n in (4, 3, 2):
            if stem[i : i + n] in common:
                i += n
                break
        else:
            return False
    return True


def _anchored(stem_start: int, stem: str, anchors: list[Candidate]) -> bool:
    if re.search(r"[A-Za-z0-9]", stem) or not is_generic(stem):
        return True
    return any(a.start == stem_start for a in anchors)


def _after_port_area(text: str, s: int, head_start: int, places: list[Candidate]) -> int | None:
    """Where the port area a terminal's name starts with ends (吕四港区|10万吨级通用码头), if it
    starts with one: the name keeps it (the longest name the text supports)."""
    return next(
        (
            p.end
            for p in places
            if p.start == s
            and text[p.start : p.end].endswith(("港区", "作业区", "港"))
            and head_start - p.end >= 2
            and not _PHASE_ONLY.fullmatch(text, p.end, head_start)
        ),
        None,
    )


def project_candidates(
    text: str,
    start: int,
    end: int,
    places: list[Candidate],
    orgs: list[Candidate],
    mask: list[tuple[int, int]] | None = None,
) -> list[Candidate]:
    """Project candidates in ``text[start:end]``, given the places and organizations found there.

    >>> t = "推动通州湾精品钢基地建设,创建智能制造示范区,开工建设沪通铁路、起步码头工程。"
    >>> from ingest.extract.places import place_candidates
    >>> [c.surface(t) for c in project_candidates(t, 0, len(t), place_candidates(t, 0, len(t)), [])]
    ['通州湾精品钢基地', '沪通铁路', '起步码头']
    """
    mask = mask or []
    pattern, kinds, strong = _heads()
    anchors = places + orgs
    out: list[Candidate] = []
    for m in pattern.finditer(text, start, end):
        head = m.group()
        nxt = text[m.end() : m.end() + 1]
        if nxt and nxt in _NOT_AFTER.get(head, ""):
            continue
        if head == "医院" and not text.startswith(
            ("建设", "主体", "迁建", "一期", "二期", "三期", "新区"), m.end()
        ):
            continue
        is_strong = head in strong
        s = name_start(
            text,
            m.start(),
            start,
            max_len=22 if kinds[head] == "event" else 16,
            min_len=0
            if head in _SELF_NAMED
            else 1
            if head in {"创区", "开发区"} or head.endswith("节")  # 森|旅节, a festival's short name
            else 2,
        )
        if s is None:
            continue
        if kinds[head] in {"rail", "road"} and text[s - 1 : s] == "至":
            s2 = name_start(text, s - 1, start, max_len=10, min_len=2)
            if s2 is not None and any(p.start == s2 for p in places):
                s = s2  # 通海港区至通州湾港区疏港铁路
        elif kinds[head] in {"port", "energy", "waterway"}:
            area_end = _after_port_area(text, s, m.start(), places)
            if area_end is not None and text[area_end : m.start()] in _STOP_STEMS:
                continue  # 泰兴港区|公用码头: a kind of terminal, not a name
        owner = next(
            (
                o
                for o in orgs
                if o.start == s
                and o.kind == "company"
                and o.end - o.start > 6
                and text[o.start : o.end].endswith("公司")
                and m.start() - o.end >= 2
            ),
            None,
        )
        if owner is not None:
            s = owner.end  # 大众汽车(安徽)有限公司|MEB工厂
        stem = text[s : m.start()]
        cut = stem.rfind("建设")
        if cut > 0:
            s, stem = s + cut + 2, stem[cut + 2 :]  # 洋口港LNG能源岛建设|一体化配套产业园区
        if not stem and head in _SELF_NAMED and not text[m.start() - 1 : m.start()].isdigit():
            out.append(Candidate("Project", m.start(), m.end(), kind=kinds[head], priority=1))
            continue
        if stem.startswith("级"):
            continue  # 各|级政务大厅
        if (
            (stem in _STOP_STEMS and (stem, head) != ("市", "开发区"))
            or (len(stem) == 1 and head not in {"创区", "开发区"} and not head.endswith("节"))
            or (len(stem) == 1 and stem != "市" and head == "开发区")
            or not stem
        ):
            continue
        if _QUANTITY.search(stem) or stem.startswith(_RANKS) or any(r in stem for r in _RANKS[:4]):
            continue
        if stem.startswith(("省", "全国")):
            continue
        if re.fullmatch(r"\d+(?:\.\d+)?万?吨级?", stem):
            continue  # a terminal of that size, unless written after its port area
        if stem.endswith("分") or re.fullmatch(r"[一二三四五六七八九\d]期", stem):
            continue
        if head == "公园" and stem.endswith("湿地"):
            continue  # 溱湖国家湿地公园: a place
        if head == "校区" and "新" not in stem and not _phase(text, m.end()):
            continue
        if not is_strong and not _anchored(s, stem, anchors):
            continue
        e = m.end()
        tail = _phase(text, e)
        if tail:
            keep = tail.removesuffix("工程").removesuffix("项目")
            e += len(keep)
        if kinds[head] in _LINEAR and not tail:
            sec = _SECTION.match(text, e)
            if sec:
                e = sec.end()  # a named section (北沿江高铁南通段): PART_OF the line
        works = _WORKS.match(text, e)
        if works:
            e = works.end()
        if head == "医院" and text.startswith("新区", e):
            e += 2  # 合肥市第三人民医院新区
        if kinds[head] == "event" and text.startswith(("大赛", "比赛"), e):
            e += 2  # 2019长三角阅读马拉松|大赛
        if head == "快速化改造":
            e = m.start()  # 鼓楼南路|快速化改造
        out.append(
            Candidate(
                "Project",
                s,
                e,
                kind=kinds[head],
                priority=2 if is_strong else 1,
                extra={"head": head},
            )
        )
    out += _lines(text, start, end, out)
    out += _roads(text, start, end)
    out = _drop_phrases(out, strong, places)
    out += _company_projects(text, start, end, orgs)
    out += [
        c for c in _phased(text, start, end, places, orgs) if not any(c.overlaps(o) for o in out)
    ]
    quoted = _quoted(text, start, end, kinds)
    # a head noun around a quoted name is the name's category (电商平台“菜菜网”,
    # “南通往视”电影博物馆): the quoted name is the project, not the category phrase
    ends = {c.start - 1 for c in quoted if c.extra.get("named")}
    starts = {c.end + 1 for c in quoted if c.extra.get("named")}
    out = [c for c in out if c.end not in ends and c.start not in starts]
    out += quoted
    return [c for c in out if not masked_any(mask, c)]


def _lines(text: str, start: int, end: int, found: list[Candidate]) -> list[Candidate]:
    """Lines written by letter and number (锡澄S1线) or numbered after an earlier line."""
    out = []
    for m in _LETTER_LINE.finditer(text, start, end):
        s = name_start(text, m.start(), start, max_len=8, min_len=2)
        if s is not None:
            e = m.end() + len(_phase(text, m.end()).removesuffix("工程").removesuffix("项目"))
            out.append(Candidate("Project", s, e, kind="metro", priority=2, extra={"head": "线"}))
    for m in _BARE_LINE.finditer(text, start, end):
        if not any(c.kind == "metro" and 0 <= m.start() - c.end <= 40 for c in found):
            continue
        e = m.end() + len(_phase(text, m.end()).removesuffix("工程").removesuffix("项目"))
        out.append(Candidate("Project", m.start(), e, kind="metro", priority=2))
    return out


def _roads(text: str, start: int, end: int) -> list[Candidate]:
    """Streets whose works the text names, and those listed before them (城山路、洪江路改造)."""
    out: list[Candidate] = []
    for m in _ROAD.finditer(text, start, end):
        e = m.end()
        while True:
            s = name_start(text, m.start(), start, max_len=4, min_len=2, strip_leading=True)
            if s is None or text[s : m.start()].endswith(_NOT_ROAD_STEMS):
                break
            if re.search(r"[^\u4e00-\u9fff]", text[s : m.start()]):
                break
            out.append(Candidate("Project", s, e, kind="road", priority=1, extra={"head": "路"}))
            if s - 1 < start or text[s - 1] != "、":
                break
            prev = _ROAD_LIST.search(text, max(start, s - 6), s)
            if prev is None or prev.end() != s - 1:
                break
            m, e = prev, prev.end()
    return out


def _phased(
    text: str, start: int, end: int, places: list[Candidate], orgs: list[Candidate]
) -> list[Candidate]:
    """A port or an institution followed by a phase is a project (合肥派河港三期, 无锡学院二期)."""
    out = []
    for c in places + orgs:
        if not (start <= c.start and c.end < end) or not _PHASE_ONLY.match(text, c.end):
            continue
        surface = text[c.start : c.end]
        if c.label == "Place" and not surface.endswith(("港", "港区")):
            continue
        if c.label != "Place" and (c.kind == "government" or c.label == "Department"):
            continue
        kind = "port" if c.label == "Place" else "base" if c.kind == "company" else "building"
        out.append(
            Candidate("Project", c.start, c.end + 2, kind=kind, priority=1, extra={"owned": "1"})
        )
    return out


def _drop_phrases(
    cands: list[Candidate], strong: frozenset[str], places: list[Candidate] | None = None
) -> list[Candidate]:
    """Drop a candidate whose stem holds a complete project followed by more words.

    When the rest starts with a place and is long enough to be a name of its own, the
    candidate is cut to it instead (巢马城际铁路|马鞍山长江公铁大桥).
    """
    places = places or []
    keep = []
    for q in cands:
        inner = [
            p
            for p in cands
            if p is not q
            and q.start <= p.start
            and p.end < q.end
            and (p.priority == 2 or p.end - p.start <= 4)
        ]
        if q.kind == "building" and all(p.kind == "zone" for p in inner):
            inner = []  # a facility named after its zone (市开发区|公共文化中心)
        if inner and q.extra.get("head") not in _DEPENDENT:
            last = max(p.end for p in inner)
            if any(p.start == last for p in places) and q.end - last >= 6:
                q.start = last
                keep.append(q)
            continue
        keep.append(q)
    return keep


def masked_any(mask: list[tuple[int, int]], c: Candidate) -> bool:
    return any(c.start < e and s < c.end for s, e in mask)


def _company_projects(text: str, start: int, end: int, orgs: list[Candidate]) -> list[Candidate]:
    """``X项目`` right after (江苏道蓬科技有限公司|5万吨…项目) or starting with an organization."""
    out = []
    for m in re.finditer("项目", text[start:end]):
        h = start + m.start()
        for o in orgs:
            if o.label != "Organization" or not (0 < h - o.end <= 14):
                continue
            between = text[o.end : h]
            if o.kind == "government" or boundary_re().search(between):
                continue
            if not re.fullmatch(r"[\u4e00-\u9fffA-Za-z0-9.()（）]+", between):
                continue
            head = _heads()[0].search(between)
            if head is not None and head.end() == len(between) and len(between) > len(head.group()):
                continue  # 来伊份食品工业园|项目: the facility's own name is the project
            s = o.end if o.end - o.start > 6 else o.start
            out.append(Candidate("Project", s, h + 2, kind="industrial_park", priority=1))
    return out


def _named_by_quote(text: str, a: int, b: int, kinds: dict[str, str]) -> str | None:
    """The kind of project a quoted name is, from the words around the quotes, if any."""
    inner = text[a:b]
    if _PRODUCT.fullmatch(inner) and len(inner) >= 3:
        return "programme"
    if len(inner) == 2 and re.match(r"APP|App|app", text[b + 1 : b + 4]):
        return "platform"  # “灵锡”APP: a two-character app name
    if len(inner) < 3 or (inner.startswith(_NUMERAL_START) and len(inner) <= 4):
        return None  # “四送”, “三定”: numbered slogans
    if inner.endswith("年"):
        return None  # “项目攻坚年”活动: a theme year, a slogan
    if inner.endswith("杯"):
        return "event"  # “张謇杯”评选: a named award or contest
    if re.search(r"[0-9A-Za-z+＋]", inner) or not all(
        "\u4e00" <= ch <= "\u9fff" or ch == "、" for ch in inner
    ):
        return None
    m = _AFTER_QUOTE.match(text, b + 1)
    if m:
        return next(k for k, g in zip(_AFTER_QUOTE_KINDS, m.groups(), strict=True) if g)
    after = text[b + 1 : b + 7]
    for h in sorted(kinds, key=len, reverse=True):
        i = after.find(h)
        if 0 <= i <= 2 and kinds[h] in {"building", "event", "platform"}:
            return kinds[h]  # “南通往视”电影博物馆
    before = text[max(0, a - 5) : a - 1]
    for h in sorted(kinds, key=len, reverse=True):
        if before.endswith(h) and kinds[h] in {"platform", "building"}:
            return kinds[h]  # 电商平台“菜菜网”
    return None


def _quoted(text: str, start: int, end: int, kinds: dict[str, str]) -> list[Candidate]:
    out = []
    for a, b in quote_spans(text, start, end):
        inner = text[a:b]
        named = _named_by_quote(text, a, b, kinds)
        system = _QUOTED_SYSTEM.match(text, b + 1) if named == "platform" else None
        if system:  # “多规合一”信息平台: the platform's name is the quote and its head
            out.append(Candidate("Project", a - 1, system.end(), kind=named, priority=3))
            continue
        if (
            text.startswith("计划", b + 1)
            and len(inner) >= 3
            and not inner.endswith(_PROGRAMME_HEADS)
            and text[a - 2 : a - 1] not in "省国"
            and _named_by_quote(text, a, b, {}) is None
            and not text.startswith(("计划单列", "计划任务"), b + 1)
        ):  # “江海英才”计划: a programme named by its quote and 计划
            out.append(Candidate("Project", a - 1, b + 3, kind="programme", priority=3))
            continue
        if named and not inner.endswith(tuple(kinds)) and not inner.endswith(_PROGRAMME_HEADS):
            out.append(Candidate("Project", a, b, kind=named, priority=3, extra={"named": "1"}))
            continue
        for h in sorted(kinds, key=len, reverse=True):
            if inner.endswith(h) and len(inner) > len(h):
                out.append(Candidate("Project", a, b, kind=kinds[h], priority=3))
                break
        else:
            if (
                inner.endswith(_PROGRAMME_HEADS)
                and len(inner) >= 4
                and "、" not in inner
                and text[a - 2 : a - 1] not in "省国市"
            ):
                out.append(Candidate("Project", a, b, kind="programme", priority=3))
    return out
