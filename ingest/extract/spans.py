"""Shared span logic for the rule extractors: candidates, name boundaries, masks.

Names in this genre are written as ``[verb phrase][name][head noun]``
(推进|通州湾精品钢|基地, 成立|南通市工业互联网产业发展|联盟).  A head noun is found
by pattern; :func:`name_start` walks left from it to the start of the name: up
to a punctuation mark, then past the rightmost *boundary word* (a function word
or an action verb that does not occur inside names), then past leading verbs
that double as nouns (建设, 发展).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ingest.gazetteer import vocab

__all__ = ["Candidate", "boundary_re", "is_cjk", "masked", "name_start", "quote_spans"]

# Characters that may sit inside a name; anything else ends it.
_NAME_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff〇A-Za-z0-9０-９Ａ-Ｚａ-ｚ·\-—.．+＋ⅠⅡⅢⅣⅤ]")
# Words that can begin a name's window but are verbs there: stripped from the left.
_LEADING = (
    "建设",
    "发展",
    "提升",
    "整治",
    "改造",
    "保护",
    "服务",
    "推广",
    "培育",
    "规划",
    "实施",
    "新建",
    "建好",
    "用好",
    "开工",
    "加快",
    "开展",
    "年产",
    "总投资",
    "计划",
    "拟",
    "重点",
    "打造",
    "创建",
    "推进",
    "深化",
    "全力",
    "积极",
    "加强",
    "做好",
    "抓好",
    "完成",
    "争创",
    "支持",
    "依托",
    "沿线",
    "周边",
    "配套",
    "全市",
    "市级",
    "省级",
    "国家级",
    "首个",
    "一批",
    "多个",
    "各类",
    "原",
    "该",
    "本",
    "各",
    "我市",
)


# One-character boundary words that also occur inside names: they end a name only at the
# start of the window or after a division name (海门市|以|振康机械).
_WEAK = frozenset("为有是正共并且而但也还都又再各该此其这那同跟或于到至给比")
_WITH_DENG = frozenset({"高等", "中等", "初等", "平等", "同等", "对等"})


@dataclass
class Candidate:
    """A typed span found by one extractor (``end`` exclusive, absolute offsets)."""

    label: str
    start: int
    end: int
    kind: str | None = None
    name: str | None = None
    priority: int = 0
    level: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def surface(self, text: str) -> str:
        return text[self.start : self.end]

    def inside(self, other: Candidate) -> bool:
        return other.start <= self.start and self.end <= other.end and self is not other

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph.

    >>> is_cjk("通"), is_cjk("A"), is_cjk("，")
    (True, False, False)
    """
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"  # with Extension A (湖㳇镇)


@lru_cache(maxsize=1)
def boundary_re() -> re.Pattern[str]:
    """Alternation of the boundary words, longest first."""
    words = sorted(set(vocab()["boundary_words"]), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def _paren_ok(text: str, i: int, lo: int) -> int | None:
    """If ``text[i]`` closes a short place-like parenthesis ``(扬州)``, return its opening index."""
    j = i - 1
    while j >= lo and j >= i - 6 and text[j] not in "(（":
        if not is_cjk(text[j]):
            return None
        j -= 1
    if j < lo or text[j] not in "(（" or i - j < 3:
        return None
    return j


def name_start(
    text: str,
    head_start: int,
    lo: int,
    max_len: int = 14,
    min_len: int = 2,
    strip_leading: bool = True,
) -> int | None:
    """Where the name before the head noun at ``head_start`` begins (``None``: no name).

    >>> t = "推动通州湾精品钢基地建设"
    >>> t[name_start(t, t.index("基地"), 0):t.index("基地")]
    '通州湾精品钢'
    >>> t = "市开发区已集聚交通银行综合后台服务中心"
    >>> t[name_start(t, t.index("银行"), 0):t.index("银行")]
    '交通'
    >>> t = "成立南通市工业互联网产业发展联盟"
    >>> t[name_start(t, t.index("联盟"), 0):t.index("联盟")]
    '南通市工业互联网产业发展'
    """
    i = head_start
    floor = max(lo, head_start - max_len - 8)
    while i > floor:
        ch = text[i - 1]
        if ch in ")）":
            j = _paren_ok(text, i - 1, floor)
            if j is None:
                break
            i = j
            continue
        if not _NAME_CHAR.match(ch):
            break
        i -= 1
    window = text[i:head_start]
    cut = 0
    for m in boundary_re().finditer(window):
        w = m.group()
        if w in _WEAK and m.start() > 0 and window[m.start() - 1] not in "市县区省镇":
            continue  # 华为, 以色列: a weak word inside a name
        if w == "等" and window[m.start() - 1 : m.end()] in _WITH_DENG:
            continue  # 高等研究院: 等 inside a word, not closing a list
        cut = max(cut, m.end())
    start = i + cut
    if strip_leading:
        changed = True
        while changed:
            changed = False
            for w in _LEADING:
                if text.startswith(w, start) and head_start - start - len(w) >= min_len:
                    start += len(w)
                    changed = True
    if not min_len <= head_start - start <= max_len:
        return None
    return start


def quote_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans (inner, absolute) of “…” / "…" quotations in ``text[start:end]``.

    >>> quote_spans("打造“氢能产业园”。", 0, 10)
    [(3, 8)]
    """
    out = []
    for m in re.finditer(r"[“\"]([^“”\"\n]{1,30})[”\"]", text[start:end]):
        out.append((start + m.start(1), start + m.end(1)))
    return out


def masked(spans: list[tuple[int, int]], a: int, b: int) -> bool:
    """True when ``[a, b)`` overlaps one of ``spans``."""
    return any(a < e and s < b for s, e in spans)
