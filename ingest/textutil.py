"""Small text helpers shared by the ingest stages: width folding, numerals, lines."""

from __future__ import annotations

import bisect
import functools
import re

__all__ = [
    "CN_DIGITS",
    "LineIndex",
    "chinese_to_int",
    "fold_width",
    "split_sentences",
]

CN_DIGITS = "零〇一二两三四五六七八九十百千"
_CN_VAL = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}


def chinese_to_int(s: str) -> int:
    """Chinese numerals (up to thousands) or digits to an int.

    >>> [chinese_to_int(s) for s in ("十一", "二十", "一百零三", "12")]
    [11, 20, 103, 12]
    """
    s = fold_width(s.strip())
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch in _CN_VAL:
            current = _CN_VAL[ch]
        elif ch in _CN_UNIT:
            total += (current or 1) * _CN_UNIT[ch]
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + current


_WIDTH = {i: i - 0xFEE0 for i in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20
# traditional forms of the genre's magnitudes, measure words and commonest words (a copy in
# 繁體: 5萬個, 2萬間, 序號, 責任單位), one character each, so that figures, headers and labels read
# the same and offsets stay valid
_WIDTH.update(
    (ord(t), ord(s))
    for t, s in zip(
        "萬億個間項條處臺輛張場層際計劃標畝噸號務責單門辦廳區縣鎮進實設備網業發展與關對為這們來時"
        "會開動過還樣點線產規資經濟財稅價農醫療衛學師職創環態質監檢驗雙長頭總數據內轄齡齊護觀覽購館"
        "飲廚統試輪幫擴歲養嚴貧頒歸類節車廣義舊島傳術導報濱兒應靈險溫濕權機構員復興園綠歷電腦視話語"
        "議論證識讀寫書畫雲營運勞隊軍強積極續維滿漢鄉街將於後從稱態",
        "万亿个间项条处台辆张场层际计划标亩吨号务责单门办厅区县镇进实设备网业发展与关对为这们来时"
        "会开动过还样点线产规资经济财税价农医疗卫学师职创环态质监检验双长头总数据内辖龄齐护观览购馆"
        "饮厨统试轮帮扩岁养严贫颁归类节车广义旧岛传术导报滨儿应灵险温湿权机构员复兴园绿历电脑视话语"
        "议论证识读写书画云营运劳队军强积极续维满汉乡街将于后从称态",
        strict=True,
    )
    if t != s
)


def fold_width(s: str) -> str:
    """Full-width ASCII to half-width, same length (offsets stay valid).

    A whole document is folded once: the stages that fold it again for each task (field
    splitting, headings) get the same folded copy back.

    >>> fold_width("１２．进展情况：（１）"), fold_width("學位5萬個")
    ('12.进展情况:(1)', '学位5万个')
    """
    if len(s) > 2048:
        return _fold_long(s)
    return s.translate(_WIDTH)


@functools.lru_cache(maxsize=2)
def _fold_long(s: str) -> str:
    return s.translate(_WIDTH)


class LineIndex:
    """Character offset to 1-based line number."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)


_SENT_END = re.compile(r"[。！？!?；;]+|\n+")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (absolute, stripped) of ``text[start:end]``; ends: 。！？；and newlines."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _SENT_END.finditer(text, start, end):
        stop = m.end() if m.group().strip() else m.start()
        spans.append((pos, stop))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out
