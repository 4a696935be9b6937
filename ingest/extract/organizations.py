"""Organizations and government bodies named in the text.

* national bodies and well-known organisations from the vocabulary (工信部, 海关, 交通银行);
* provincial bodies by pattern (省工信厅, 江苏省交通运输厅, 省交建局);
* municipal departments (市行政审批局) -> ``Department`` candidates, level 市,
  canonicalised by :mod:`ingest.departments` when that module is installed;
* companies, universities, institutes, banks, associations by head noun
  (…有限公司, …大学, …研究院, …银行, …商会) and short company names by an
  industry word after a brand that is not a common word (中天科技, 通富微电).
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

import ahocorasick

from ingest.extract.projects import is_generic
from ingest.extract.spans import Candidate, boundary_re, is_cjk, masked, name_start
from ingest.gazetteer import common_words, vocab

__all__ = ["company_aliases", "department_lookup", "org_candidates"]

_CJK = "[\u4e00-\u9fff]"
# Stems that make a head noun generic (行业协会, 平台公司, 校企联盟).
_GENERIC = frozenset(
    {
        "行业",
        "平台",
        "国有",
        "上市",
        "民营",
        "龙头",
        "骨干",
        "水务",
        "子",
        "分",
        "该",
        "各",
        "本",
        "新型",
        "落地",
        "各类",
        "相关",
        "一批",
        "省级",
        "市级",
        "国家级",
        "重点",
        "专业",
        "科研",
        "校企",
        "专科",
        "地方",
        "企业",
        "商业",
        "政策性",
        "产业",
        "金融",
        "投资",
        "担保",
        "融资",
        "服务",
        "物流",
        "外贸",
        "建筑",
        "运输",
        "科技型",
        "高新技术",
        "规上",
        "规模以上",
        "高校",
        "知名",
        "国内外",
        "省内外",
        "境外",
        "外资",
        "内资",
        "合资",
        "总部",
        "创新型",
        "领军型",
        "配套",
        "当地",
        "本地",
        "一流",
        "大型",
        "中小",
        "小微",
        "多家",
        "一家",
        "联盟",
        "产业联盟",
        "现代",
        "公立",
        "各级",
        "县级",
        "乡镇",
        "招商",
        "市场化",
        "传统",
        "新兴",
        "一",
        "二",
        "三",
        "新",
        "老",
        "大",
        "小",
        "市",
        "省",
        "县",
        "区",
    }
)
_PROV_PREFIX_BAD = "全各本外跨分我该进出等两"
_MUNI_BAD_BEFORE = "城都超门全本我各该外县州"
_MUNI_SUFFIX = (
    "委员会",
    "办公室",
    "局",
    "委",
    "办",
    "侨联",
    "工商联",
    "妇联",
    "总工会",
    "科协",
    "残联",
    "文联",
    "红十字会",
    "团市委",
)
_MUNI_RE = re.compile(
    "市(?!场|区|民|级|县|域|内|外|长|委书记|场化|政府(?!办))("
    + _CJK
    + "{1,10}?)("
    + "|".join(_MUNI_SUFFIX)
    + ")"
)
# Mass organisations named by level alone (市侨联, 省妇联, 县总工会).
_MASS_RE = re.compile(
    "(?:(?<![\u4e00-\u9fff])|(?<=[和与及同由]))[省市县区]"
    "(侨联|工商联|妇联|总工会|科协|残联|文联|红十字会)"
)
_PROV_GENERIC_RE = re.compile("(省)(?!级|内|外|委书记|长)(" + _CJK + "{1,7}?)(厅|局)")
_NOT_AFTER = {"分行": "业", "银行": "业", "集团": "化", "公司": "化", "股份": "制", "联盟": "链"}
_QUANTITY = re.compile(r"[0-9０-９一二三四五六七八九十百]+[个家项座所名批]")
# A national body's agency named after it (水利部太湖流域管理局, 交通运输部长江航务管理局).
_SUBAGENCY_RE = re.compile("(" + _CJK + "{2,8}?)(管理局|监管局|航务局|督察局)")
_CENTRAL_RE = re.compile("中央(" + _CJK + "{2,8}?)(督导组|巡视组|领导小组)")
_PROJECT_HEADS = ("软件园", "科技城", "科技园", "科技产业", "科创", "物流园", "电子商务产业园")
_PHASES = tuple(c + "期" for c in "一二三四五六七八九")
# 家纺城, 纺织园: a market or a park of the industry, not a company
_MARKET_NEXT = frozenset("城园区")
# A listed item ending so is a facility or a place (濠河风景区、招商重工、南通机场), not a company.
_NOT_COMPANY_ENDS = (
    "机场",
    "景区",
    "风景区",
    "港区",
    "园区",
    "码头",
    "基地",
    "中心",
    "大桥",
    "铁路",
)
# The body itself, not a modifier (报省政府, 经市政府同意; not 市政府重大项目协调会).
_BODY_RE = re.compile(
    r"(?:(?<=[报经向由请与和及、])|(?<![\u4e00-\u9fff]))(?:省政府|市政府|人大|政协)"
    r"(?=[,，。;；、]|批准|同意|审定|审议|批复|印发|出台|备案|验收)"
)
# Short company names closing a list of companies (帮助南通三建等9家企业, 推动X、Y等企业).
_LISTED_RE = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{2,8})等(?:[0-9一二三四五六七八九十]+家)?(?:重点|龙头|骨干|民营|建筑)?"
    r"(?:企业|公司)"
)
# A unit the text creates or names as one (事业单位南通市政务服务代办中心).
_UNIT_RE = re.compile(r"(?:事业单位|挂牌成立|组建了?)([\u4e00-\u9fff]{4,16}?(?:中心|站|处))")
_INDUSTRY_NEXT_OK = set("、，,。；;：:等与和及在入为获已的向将)）旗—") | {""}


@lru_cache(maxsize=1)
def _dictionary() -> tuple[Any, dict[str, str]]:
    v = vocab()
    kinds: dict[str, str] = {}
    for name in v["ministries"]:
        kinds[name] = "government"
    for name in v["known_orgs"]:
        kinds.setdefault(name, _kind_of(name, "company"))
    for stem in v["province_dept_stems"]:
        kinds.setdefault("省" + stem, "government")
    auto = ahocorasick.Automaton()
    for name in kinds:
        auto.add_word(name, name)
    auto.make_automaton()
    return auto, kinds


@lru_cache(maxsize=1)
def _suffixes() -> tuple[re.Pattern[str], dict[str, str]]:
    kind_of: dict[str, str] = {}
    for kind, heads in vocab()["org_suffixes"].items():
        for h in heads:
            kind_of.setdefault(h, kind)
    pattern = re.compile("|".join(sorted(map(re.escape, kind_of), key=len, reverse=True)))
    return pattern, kind_of


@lru_cache(maxsize=1)
def _industry_re() -> re.Pattern[str]:
    words = sorted(vocab()["company_words"], key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _kind_of(name: str, default: str) -> str:
    if name.endswith(("银行", "农商行")):
        return "bank"
    if name.endswith(("大学", "学院", "交大", "清华", "北大", "复旦", "浙大", "南大")):
        return "university"
    if name.endswith(("院", "研究所", "分所")) or name in {"产研院", "高研院", "中科院"}:
        return "research_institute"
    if name.endswith(("所", "交所")):
        return "other"
    return default


def department_lookup(surface: str) -> tuple[str, str | None] | None:
    """(canonical name, level) from :mod:`ingest.departments` when it is installed, else ``None``.

    >>> department_lookup("") is None
    True
    """
    if not surface:
        return None
    try:
        module = importlib.import_module("ingest.departments")
    except ImportError:
        return None
    lookup = getattr(module, "lookup", None)
    entry = lookup(surface) if lookup else None
    if entry is None:
        return None
    return str(entry.name), getattr(entry, "level", None)


@lru_cache(maxsize=1)
def _provinces() -> tuple[str, ...]:
    from ingest.gazetteer import gazetteer

    names = {e.province for es in gazetteer().entries.values() for e in es if e.province}
    return tuple(sorted((n for n in names if n.endswith("省")), key=len, reverse=True))


def _is_place(stem: str) -> bool:
    from ingest.gazetteer import gazetteer

    return any(e.kind in {"city", "province"} for e in gazetteer().entries.get(stem, []))


def _standalone(text: str, i: int, lo: int) -> bool:
    """``text[i]`` starts a word: after a non-CJK char, a boundary word or a place-like 市/省."""
    if i <= lo or not is_cjk(text[i - 1]):
        return True
    before = text[max(lo, i - 6) : i]
    return any(before.endswith(m.group()) for m in boundary_re().finditer(before))


def _government(text: str, start: int, end: int) -> list[Candidate]:
    out: list[Candidate] = []
    auto, kinds = _dictionary()
    for e, name in auto.iter(text[start:end]):
        a = start + e - len(name) + 1
        if name.startswith("省") and a > start and text[a - 1] in _PROV_PREFIX_BAD:
            continue
        out.append(Candidate("Organization", a, a + len(name), kind=kinds[name], priority=3))
    for c in list(out):
        if kinds.get(text[c.start : c.end]) != "government" or text[c.start] == "省":
            continue
        sub = _SUBAGENCY_RE.match(text, c.end, min(end, c.end + 14))
        if sub and not boundary_re().search(sub.group(1)):
            out.append(Candidate("Organization", c.start, sub.end(), kind="government", priority=3))
    for m in _PROV_GENERIC_RE.finditer(text, start, end):
        a = m.start()
        prov = next((p for p in _provinces() if text.endswith(p[:-1], start, a)), None)
        if prov:
            a -= len(prov) - 1  # 江苏省交通运输厅
        elif a > start and text[a - 1] in _PROV_PREFIX_BAD:
            continue
        if boundary_re().search(m.group(2)):
            continue
        out.append(Candidate("Organization", a, m.end(), kind="government", priority=2))
    for m in _MASS_RE.finditer(text, start, end):
        out.append(Candidate("Organization", m.start(), m.end(), kind="association", priority=2))
    for m in _BODY_RE.finditer(text, start, end):
        out.append(Candidate("Organization", m.start(), m.end(), kind="government", priority=2))
    for m in _UNIT_RE.finditer(text, start, end):
        a = text.rfind("单位", m.start(1), m.end(1))  # 组建了正科级事业单位|南通市…中心
        a = m.start(1) if a < 0 else a + 2
        if m.end(1) - a >= 4:
            out.append(Candidate("Organization", a, m.end(1), kind="government", priority=2))
    for m in _CENTRAL_RE.finditer(text, start, end):
        out.append(Candidate("Organization", m.start(), m.end(), kind="government", priority=2))
    for m in _MUNI_RE.finditer(text, start, end):
        a = m.start()
        if (a > start and text[a - 1] in _MUNI_BAD_BEFORE) or (
            not _standalone(text, a, start) and not (a > start and text[a - 1] in "于由和与及、，,")
        ):
            continue
        if boundary_re().search(m.group(1)):
            continue
        surface = m.group()
        found = department_lookup(surface)
        name, level = found if found else (surface, "市")
        out.append(
            Candidate(
                "Department",
                a,
                m.end(),
                kind="department",
                name=name,
                level=level or "市",
                priority=3,
            )
        )
    return out


def _by_suffix(text: str, start: int, end: int) -> list[Candidate]:
    out: list[Candidate] = []
    pattern, kind_of = _suffixes()
    common = common_words()
    for m in pattern.finditer(text, start, end):
        head = m.group()
        nxt = text[m.end() : m.end() + 1]
        if nxt and (nxt in '”"' or nxt in _NOT_AFTER.get(head, "")):
            continue
        kind = kind_of[head]
        s = name_start(text, m.start(), start, max_len=12 if kind == "company" else 18, min_len=1)
        if s is None:
            continue
        stem = text[s : m.start()]
        if (
            stem in _GENERIC
            or stem.endswith(("的", "和"))
            or (stem.endswith("等") and (stem[-2:] not in common))
            or stem.isdigit()
            or _QUANTITY.search(stem)
            or any(
                (stem.startswith(g) or stem.endswith(g)) and len(stem) - len(g) <= 2
                for g in _GENERIC
                if len(g) > 1
            )
        ):
            continue
        if (head.endswith(("公司", "支行", "分行")) and stem in common) or (
            kind == "company" and len(stem) < 2
        ):
            continue
        if head == "医院" and text.startswith(("建设", "主体", "迁建", "新区", "院区"), m.end()):
            continue  # a hospital under construction is a project
        if head == "校区" and (stem.endswith("新") or text.startswith(_PHASES, m.end())):
            continue  # 合肥师范学院新校区, 泰州校区二期: a campus under construction
        out.append(Candidate("Organization", s, m.end(), kind=kind, priority=2))
    for m in _industry_re().finditer(text, start, end):
        nxt = text[m.end() : m.end() + 1]
        s = name_start(text, m.start(), start, max_len=4, min_len=2)
        if s is None or _after_place(text, s, m.start()) is not None:
            # a company written after its place (海门|招商邮轮, 崇川区原|精华制药): the place
            # is a place mention, the company's short name the rest
            s = _after_place(text, max(start, m.start() - 8), m.start())
        if s is None:
            continue
        stem = text[s : m.start()]
        if stem in common or stem in _GENERIC or not all(is_cjk(c) for c in stem):
            continue
        if len(stem) >= 3 and stem[:2] in common and stem[-2:] in common:
            continue
        if (
            nxt not in _INDUSTRY_NEXT_OK
            and not text.startswith(("工业互联网", "公司", "集团", *_PHASES), m.end())
            and not (
                _is_place(stem)
                and not text.startswith(_PROJECT_HEADS, m.start())
                and nxt not in _MARKET_NEXT
            )
        ):
            continue
        out.append(Candidate("Organization", s, m.end(), kind="company", priority=1))
    out += _listed(text, start, end)
    return out


def _after_place(text: str, lo: int, head: int) -> int | None:
    """Where a company's short name starts after a division name (and 原) in
    ``text[lo:head]``, leaving a stem of 2-4 characters; ``None`` when no division
    name is written there."""
    from ingest.gazetteer import gazetteer

    entries = gazetteer().entries
    for p in range(head - 2, lo + 1, -1):
        if not any(
            text[j:p] in entries and any(e.kind in {"city", "county"} for e in entries[text[j:p]])
            for j in range(max(lo, p - 4), p - 1)
        ):
            continue
        s = p + 1 if text[p] == "原" else p
        if 2 <= head - s <= 4:
            return s
    return None


def _listed(text: str, start: int, end: int) -> list[Candidate]:
    """The name closing a list of companies (帮助南通三建等9家企业重新申报)."""
    from ingest.gazetteer import gazetteer

    out = []
    common = common_words()
    for m in _LISTED_RE.finditer(text, start, end):
        deng = m.end(1)
        s = name_start(text, deng, start, max_len=8, min_len=2)
        if s is None:
            continue
        name = text[s:deng]
        if (
            name in common
            or name in gazetteer().entries
            or is_generic(name)
            or not all(is_cjk(c) or c.isalpha() for c in name)
        ):
            continue
        out.append(Candidate("Organization", s, deng, kind="company", priority=1))
    return out


_LEGAL_RE = re.compile(
    r"([\u4e00-\u9fffA-Za-z]{2,10}?)(?:[(（][\u4e00-\u9fff]{2,4}[)）])?"
    r"(?:股份有限公司|有限责任公司|有限公司)"
)
_ITEM_RE = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,8}")


def company_aliases(text: str, start: int, end: int) -> frozenset[str]:
    """Short names of the companies written with their legal name in ``text[start:end]``.

    >>> sorted(company_aliases("支持科大讯飞股份有限公司、大众汽车(安徽)有限公司扩能", 0, 30))
    ['大众汽车', '科大讯飞']
    """
    from ingest.gazetteer import gazetteer

    out = set()
    common = common_words()
    for m in _LEGAL_RE.finditer(text, start, end):
        stem = m.group(1)
        cut = boundary_re().search(stem)
        while cut:
            stem = stem[cut.end() :]
            cut = boundary_re().search(stem)
        for p in _provinces():  # 江苏长电科技 -> 长电科技
            if stem.startswith((p, p[:-1])) and len(stem) - len(p[:-1]) >= 3:
                stem = stem.removeprefix(p).removeprefix(p[:-1])
                break
        if len(stem) >= 3 and stem not in common and stem not in gazetteer().entries:
            out.add(stem)
    return frozenset(out)


def _enumerated(text: str, start: int, end: int, keep: list[Candidate]) -> list[Candidate]:
    """Short names listed with a company (中天科技、先导智能、一汽解放锡柴入选) are companies."""
    from ingest.gazetteer import gazetteer

    out: list[Candidate] = []
    common = common_words()
    for c in keep:
        if c.kind != "company":
            continue
        for step in (1, -1):
            pos = c.end if step == 1 else c.start - 1
            while start <= pos < end and text[pos] == "、":
                if step == 1:
                    m = _ITEM_RE.match(text, pos + 1, end)
                    if not m:
                        break
                    a, b = m.start(), m.end()
                    cut = boundary_re().search(text, a + 2, b)
                    if cut:
                        b = cut.start()  # 比亚迪|扩大产能, 阿斯利康|等
                else:
                    b = pos
                    a = b
                    while a > start and _ITEM_RE.match(text[a - 1]) and b - a < 8:
                        a -= 1
                    cut = None
                    for bm in boundary_re().finditer(text, a, b - 1):
                        cut = bm
                    if cut:
                        a = cut.end()
                while (
                    b - a > 4
                    and text[b - 2 : b] in common
                    and step == 1
                    and all(is_cjk(ch) for ch in text[a : b - 2])
                ):
                    b -= 2  # 吉贝克|金融服务: a trailing description
                item = text[a:b]
                if (
                    len(item) < 2
                    or item in common
                    or item in gazetteer().entries
                    or item.endswith(_NOT_COMPANY_ENDS)
                    or any(k.start < b and a < k.end for k in keep + out)
                    or not any(is_cjk(ch) for ch in item)
                ):
                    break
                out.append(Candidate("Organization", a, b, kind="company", priority=1))
                pos = b if step == 1 else a - 1
    return out


def org_candidates(
    text: str,
    start: int,
    end: int,
    mask: list[tuple[int, int]] | None = None,
    aliases: frozenset[str] = frozenset(),
) -> list[Candidate]:
    """Organization and Department candidates in ``text[start:end]``.

    >>> t = "赴上海交大对接,经省林业局认定,隶属于市行政审批局,"
    >>> t += "江苏道蓬科技有限公司投产,组织通富微电等申报"
    >>> [(c.label, c.surface(t)) for c in org_candidates(t, 0, len(t))]
    [('Organization', '上海交大'), ('Organization', '省林业局'), ('Department', '市行政审批局'), \
('Organization', '江苏道蓬科技有限公司'), ('Organization', '通富微电')]
    """
    mask = mask or []
    cands = [
        c
        for c in _government(text, start, end) + _by_suffix(text, start, end)
        if not masked(mask, c.start, c.end)
    ]
    for c in cands:
        if c.priority == 2 and c.kind != "government":
            host = next(
                (g for g in cands if g.priority == 3 and g.start < c.start < g.end < c.end), None
            )
            if host is not None:
                c.start = host.start  # 工业和信息化部|电子第五研究所: a name cut at 和
    for alias in sorted(aliases):  # a fixed order, whatever the hash seed
        i = text.find(alias, start, end)
        while i >= 0:
            if not masked(mask, i, i + len(alias)):
                cands.append(Candidate("Organization", i, i + len(alias), kind="company"))
            i = text.find(alias, i + len(alias), end)
    keep: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        if any(c.overlaps(k) for k in keep):
            continue
        keep.append(c)
    keep += [c for c in _enumerated(text, start, end, keep) if not masked(mask, c.start, c.end)]
    keep.sort(key=lambda c: c.start)
    return keep
