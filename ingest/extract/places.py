"""Places: administrative divisions, countries and regions (gazetteer), and by pattern
towns (曲塘镇), ports and port areas (吕四港区), water bodies, shoals and islands
(濠河, 冷家沙, 开沙岛), scenic areas (濠河风景区) and streets.

The document's own city is not removed here (``extract_task`` does not know
it); :func:`ingest.resolve.resolve_document` drops it.
"""

from __future__ import annotations

import re

from ingest.extract.spans import Candidate, boundary_re, is_cjk, masked, name_start
from ingest.gazetteer import common_words, document_province, gazetteer

__all__ = ["place_candidates"]

_NOT_PLACES = {"中国", "中华人民共和国", "国家", "全国"}

# head -> (min stem, max stem, stems that make it generic)
_HEADS: dict[str, tuple[int, int, frozenset[str]]] = {
    "港区": (2, 4, frozenset({"各", "沿江", "沿海", "主要"})),
    "作业区": (2, 4, frozenset({"各"})),
    "风景区": (1, 5, frozenset({"重点", "国家级", "主要", "核心"})),
    "景区": (
        2,
        4,
        frozenset({"重点", "主要", "核心", "各", "旅游", "国家级", "4A级", "5A级", "A级"}),
    ),
    "国家湿地公园": (1, 4, frozenset({"省级", "城市"})),
    "湿地公园": (1, 6, frozenset({"国家", "省级", "城市"})),
    "镇": (
        2,
        4,
        frozenset(
            {
                "发达",
                "特色",
                "小城",
                "重点",
                "中心",
                "建制",
                "经济",
                "美丽",
                "各",
                "乡",
                "城",
                "村",
                "小",
                "集",
                "古",
                "名",
                "强",
                "特色小",
                "经济发达",
            }
        ),
    ),
    "乡": (
        2,
        4,
        frozenset({"城", "美丽", "返", "下", "家", "故", "各", "回", "本", "留", "异"}),
    ),
    "街道": (2, 4, frozenset({"各", "镇", "乡镇", "城市"})),
    "运河": (1, 4, frozenset({"古", "大", "新", "市区", "城市"})),
    "河": (
        1,
        4,
        frozenset(
            {
                "运",
                "内",
                "巡",
                "山",
                "沿",
                "入",
                "跨",
                "界",
                "冰",
                "银",
                "护城",
                "小",
                "大",
                "出",
                "两",
                "各",
                "条",
                "主",
                "支",
                "河",
                "城市",
                "黑臭",
                "骨干",
                "主要",
                "县乡",
                "农村",
                "城乡",
                "市区",
                "中心",
                "周边",
                "区域",
                "一",
                "通江",
            }
        ),
    ),
    "湖": (1, 4, frozenset({"河", "江", "退圩还", "小", "大", "各", "城市"})),
    "湾": (2, 4, frozenset({"海", "港", "大", "各"})),
    "岛": (
        2,
        4,
        frozenset({"海", "半", "全", "本", "群", "孤", "小", "各", "能源", "生态", "人工"}),
    ),
    "沙": (2, 3, frozenset({"泥", "石", "风", "防", "黄", "流"})),
    "洪": (2, 3, frozenset({"防汛防", "排", "泄", "行", "抗", "蓄", "分", "山", "防"})),
    "港": (
        2,
        3,
        frozenset(
            {
                "临",
                "空",
                "海",
                "出",
                "入",
                "进",
                "离",
                "内",
                "外",
                "沿",
                "香",
                "深",
                "各",
                "江海",
                "新",
                "保",
                "疏",
                "母",
                "一",
            }
        ),
    ),
    "地区": (
        2,
        3,
        frozenset(
            {
                "重点",
                "沿线",
                "集聚",
                "部分",
                "其他",
                "周边",
                "相关",
                "农村",
                "城市",
                "贫困",
                "薄弱",
                "边远",
                "各",
                "发达",
                "欠发达",
                "沿海",
                "沿江",
                "中心",
            }
        ),
    ),
    "街": (2, 3, frozenset({"美食", "步行", "商业", "特色", "历史", "文化", "老", "主", "各"})),
    "步行街": (2, 4, frozenset({"商业", "特色", "各"})),
    "古镇": (2, 3, frozenset({"特色", "千年", "江南", "各"})),
    "历史文化街区": (2, 4, frozenset({"重点", "各"})),
}
_END_STOP = {"镇", "乡", "港", "沙", "洪", "岛", "湾", "街", "地区", "河"}
_STRICT = {"河", "湖", "岛", "沙", "洪", "港", "地区", "街", "镇", "乡"}
_PROJECT_AFTER = ("铁路", "高铁", "城际", "高速", "公路", "大桥")
_DIRECTIONS = {"东北", "华东", "华北", "华南", "华中"}
_HEAD_RE = re.compile("|".join(sorted(map(re.escape, _HEADS), key=len, reverse=True)))
# Characters after a head that show the head was part of a longer word (港口, 河道, 湖泊 ...).
_NOT_AFTER = {
    "港": "口池务城航湾区务",
    "河": "道湖流长",
    "湖": "泊区",
    "沙": "漠石",
    "岛": "屿",
    "镇": "村级域区江",
    "乡": "村镇土愁贤亲",
    "街": "道区巷",
    "湾": "区",
    "洪": "水涝峰",
}


def _pattern_places(
    text: str, start: int, end: int, taken: list[tuple[int, int]]
) -> list[Candidate]:
    out: list[Candidate] = []
    ends = {b for _, b in taken}
    starts = {a for a, _ in taken}
    for m in _HEAD_RE.finditer(text, start, end):
        head = m.group()
        nxt = text[m.end()] if m.end() < len(text) else ""
        if nxt and nxt in _NOT_AFTER.get(head, ""):
            continue
        if head in "镇乡" and text.startswith(_PROJECT_AFTER, m.end()):
            continue
        lo_stem, hi_stem, stop = _HEADS[head]
        s = name_start(text, m.start(), start, max_len=hi_stem + 8, min_len=lo_stem)
        if s is None:
            continue
        for b in sorted(ends | {c.end for c in out}):
            if s < b <= m.start() - lo_stem:
                s = b  # a place just before the stem bounds it (宝应县|射阳湖镇)
        if m.start() - s > hi_stem:
            inner = [a for a in starts if s <= a < m.start() - lo_stem]
            if not inner or m.start() - min(inner) > hi_stem + 3:
                continue
            s = min(inner)  # anchored on a known place (优化|南通港)
        while m.start() - s > lo_stem and boundary_re().match(text, s, s + 1):
            s += 1  # 合肥|至|芜湖: a boundary character after the bounding place
        via = text.rfind("至", s + 1, m.start())
        if via != -1:
            s = via + 1  # 桃源至|南湖(高速): a route's far end is the place, not the route
            if m.start() - s < lo_stem:
                continue
        if text[s] == "环" and m.start() - s >= 2:
            s += 1  # 环|濠河: "around the river"
        stem = text[s : m.start()]
        if stem in {"建设", "推进", "加快", "实施", "打造", "提升", "市", "县", "区", "省"}:
            continue  # 建设|运河湾公园, 宜兴市|湖㳇镇: a verb or a suffix, not a stem
        if head == "乡" and stem.endswith("之"):
            continue  # 新侨之乡, 鱼米之乡: an epithet, not a township
        if (
            not stem
            or stem.startswith(("中国", "国家", "全国"))
            or stem in stop
            or not all(is_cjk(c) for c in stem)
            or any(stem.endswith(x) for x in stop if len(x) > 1 or head in _END_STOP)
        ):
            continue
        if head in _STRICT and stem in common_words() and (s, m.start()) not in taken:
            continue
        out.append(Candidate("Place", s, m.end(), kind="pattern", priority=1))
    return out


def _starts_word(text: str, a: int, lo: int) -> bool:
    if a <= lo or not is_cjk(text[a - 1]) or text[a - 1] in "和与及赴在到往至、":
        return True
    before = text[max(lo, a - 4) : a]
    return any(before.endswith(m.group()) for m in boundary_re().finditer(before))


def place_candidates(
    text: str, start: int, end: int, mask: list[tuple[int, int]] | None = None
) -> list[Candidate]:
    """Places in ``text[start:end]`` (absolute offsets), overlapping candidates included.

    >>> t = "赴成都、西安等地;其中曲塘镇210项,濠河风景区整治"
    >>> [c.surface(t) for c in place_candidates(t, 0, len(t))]
    ['成都', '西安', '曲塘镇', '濠河风景区']
    """
    mask = mask or []
    g = gazetteer()
    province = document_province(text)
    out: list[Candidate] = []
    found = g.matches(text[start:end], province)
    heads = {a + start for a, _, _ in found}
    for a, b, entry in found:
        a, b = a + start, b + start
        if b - a == 2 and b - 1 in heads and a > start and is_cjk(text[a - 1]):
            continue  # 河南 in 运河|南通: glued on both sides, the later name wins
        if text[a:b] in _NOT_PLACES or masked(mask, a, b):
            continue
        if text[b - 1 : b + 1] in {"河流", "河道", "湖泊"}:
            continue  # 海河 in 入海河流
        if text[b : b + 1] == "路" and text[b + 1 : b + 2] not in "线径网演况":
            continue  # 淮河路, 长江路: a street named after the place
        if entry.kind == "country" and b - a == 2 and not _starts_word(text, a, start):
            continue  # 海地 in 沿海地区
        if entry.kind == "county" and b - a == 2 and entry.province != province:
            continue  # 范县, 沛县: two-character county names only near home
        if text[a:b] in _DIRECTIONS and (
            text[b : b + 1] in "部角侧方向面" or any(o.end == a for o in out)
        ):
            continue
        # a short form glued to a longer CJK word is usually part of it (通州湾 -> 通州)
        out.append(
            Candidate(
                "Place",
                a,
                b,
                kind=entry.kind,
                name=entry.name,
                priority=2,
                extra={"parent": entry.parent if entry.kind == "county" else ""},
            )
        )
    taken = [(c.start, c.end) for c in out]
    for c in _pattern_places(text, start, end, taken):
        if not masked(mask, c.start, c.end):
            out.append(c)
    for c in _sharing_head(text, start, out) + _kind_after(text, start, end):
        if not masked(mask, c.start, c.end) and not any(c.overlaps(o) for o in out):
            out.append(c)
    return _longest(out)


# Water names listed before the one that carries their shared head (通启、通吕、如泰运河).
_SHARED_HEADS = ("运河", "河", "湖")
# A place named as an instance of a kind of area (寺街西南营等历史文化街区).
_KIND_AFTER = re.compile(r"([\u4e00-\u9fff]{2,6})等(?:历史文化街区|历史街区|传统村落|古村落)")


def _sharing_head(text: str, lo: int, found: list[Candidate]) -> list[Candidate]:
    out: list[Candidate] = []
    for c in found:
        if c.kind != "pattern" or not text[c.start : c.end].endswith(_SHARED_HEADS):
            continue
        b = c.start - 1
        while b > lo and text[b] == "、":
            a = next((b - k for k in (2, 3) if b - k >= lo and _starts_word(text, b - k, lo)), -1)
            if a < 0 or not all(is_cjk(ch) for ch in text[a:b]):
                break  # not a short name standing alone between list marks
            item = text[a:b]
            if item in common_words() or boundary_re().search(item):
                break
            out.append(Candidate("Place", a, b, kind="pattern", priority=1))
            b = a - 1
    return out


def _kind_after(text: str, start: int, end: int) -> list[Candidate]:
    out = []
    for m in _KIND_AFTER.finditer(text, start, end):
        s = name_start(text, m.end(1), start, max_len=6, min_len=2)
        if s is not None and not _generic_place(text[s : m.end(1)]):
            out.append(Candidate("Place", s, m.end(1), kind="pattern", priority=1))
    return out


def _generic_place(stem: str) -> bool:
    return stem in common_words() or stem in {"重点", "各类", "传统", "历史"}


def _longest(cands: list[Candidate]) -> list[Candidate]:
    """Drop a place that sits inside a longer place (通州湾 inside 通州湾港区).

    Of two candidates with the same span (平湖 as the county 平湖市 and by the pattern
    ``湖``) one is kept: the higher priority (the gazetteer's, which knows the canonical
    name, kind and parent), then the one listed first.  The choice depends on nothing
    but the candidates, so the same text always gives the same places.
    """
    best: dict[tuple[int, int], Candidate] = {}
    for c in cands:
        if any(c.inside(o) and (o.end - o.start) > (c.end - c.start) for o in cands):
            continue
        held = best.get((c.start, c.end))
        if held is None or c.priority > held.priority:
            best[(c.start, c.end)] = c
    return sorted(best.values(), key=lambda c: (c.start, c.end))
