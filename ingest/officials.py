"""Officials named by assignment notices: ``陈立华副市长``, ``常务副市长周文斌``, headings.

A notice names the lead official in a field (``牵头负责领导:张三副市长``), in a
table column (牵头领导), or once for a group of tasks in a heading
(``一、张三市长主抓重点工作``).  This module splits name from post and tells an
official-group heading from a plan chapter.  Names must start with a common
Chinese surname, so a post alone (``分管副市长``) is never taken for a person.

>>> official_from_text("常务副市长周文斌")
OfficialRef(name='周文斌', title='常务副市长', offset=0, surface='常务副市长周文斌')
>>> [o.name for o in officials_in("王海林副市长、刘芳副市长", 100)]
['王海林', '刘芳']
>>> official_from_text("市政府分管领导") is None
True
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ingest.models import Span
from ingest.textutil import fold_width

__all__ = [
    "TITLES",
    "OfficialRef",
    "looks_like_name",
    "official_from_heading",
    "official_from_text",
    "officials_in",
]

TITLES: tuple[str, ...] = (
    "市人大常委会副主任",
    "市人大常委会主任",
    "市政协副主席",
    "市政协主席",
    "市政府党组成员",
    "市政府副秘书长",
    "市政府秘书长",
    "常务副省长",
    "副省长",
    "省长",
    "常务副市长",
    "市委副书记",
    "市委书记",
    "市委常委",
    "副秘书长",
    "秘书长",
    "市长助理",
    "副市长",
    "市长",
    "区委副书记",
    "区委书记",
    "区委常委",
    "县委副书记",
    "县委书记",
    "县委常委",
    "区政府党组成员",
    "县政府党组成员",
    "常务副区长",
    "副区长",
    "区长",
    "常务副县长",
    "副县长",
    "县长",
    "副书记",
    "书记",
    "副主任",
    "主任",
    "副部长",
    "部长",
)
# Common single-character surnames and the compound ones (generic, not any city's officials).
_SURNAMES_1 = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝封"
    # more of the Hundred Family Surnames that officials of the genre bear (洪声耀, 芮春祥 …)
    "洪芮储汲邴糜富乌巴弓牧隗山宓蓬郗班仰秋伊钭厉戎祖束幸韶郜蓟薄印宿怀邰从鄂索咸籍赖"
    "蔺屠阴郁胥能苍双闻莘贡劳逄扶堵宰郦雍郤璩濮寿通扈燕冀郏浦别阎充慕茹习宦鱼容慎戈庾"
    "终暨居衡步都满弘匡国广禄阙东殳沃利蔚越夔隆厍晁勾融訾阚那空毋乜养鞠须丰巢蒯相后荆"
    "红竺权逯盖益桓公"
)
_SURNAMES_2 = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
    "端木",
    "南宫",
)

_TITLE = "|".join(TITLES)
# a given name never contains the first character of a post (王副市长 is no one's name)
_NAME = (
    r"(?:" + "|".join(_SURNAMES_2) + r"|[" + _SURNAMES_1 + r"])"
    r"(?:(?![副常市县区省委书主部秘])[\u4e00-\u9fff]){1,2}?"
)
_VERB = r"(?:主抓|牵头|负责|分管|领衔|联系|挂钩|领办|督办|抓|的|重点|工作|任务|[(]|$)"
_FIELD_RE = re.compile(
    rf"^(?:(?P<t1>{_TITLE})\s*(?P<n1>{_NAME})|(?P<n2>{_NAME})(?:[(](?P<t3>{_TITLE})[)]|(?P<t2>{_TITLE}))?)"
    r"(?:同志)?$"
)
# A heading names a person with a post, or a person called 同志, then what they do.
_HEADING_RE = re.compile(
    rf"^(?:由)?(?:(?P<t1>{_TITLE})(?P<n1>{_NAME})|(?P<n2>{_NAME})(?P<t2>{_TITLE})|"
    rf"(?P<n3>{_NAME})(?=同志))(?:同志)?(?={_VERB})"
)
_SEP = re.compile(r"[、,;/\n]+|和|及")
_NAME_ONLY = re.compile(rf"^{_NAME}$")
_POST_ONLY = re.compile(rf"(?:[市省区县]政府)?(?P<t>{_TITLE})")
_SPACED_NAME = re.compile(r"([" + _SURNAMES_1 + r"])\s+([\u4e00-\u9fff])")
# two padded names run together: 陆 明俞 悦
_SPACED_NAMES = re.compile(r"(?:[" + _SURNAMES_1 + r"][ \u3000]+[\u4e00-\u9fff]){2,}")


def looks_like_name(text: str) -> bool:
    """Whether a piece is a person's name alone: a common surname and one or two characters.

    >>> looks_like_name("汤飞帆"), looks_like_name("市财政局"), looks_like_name("王副市长")
    (True, False, False)
    """
    return bool(_NAME_ONLY.match(fold_width(text).strip()))


class OfficialRef(NamedTuple):
    """An official named in the text: ``offset`` is where ``surface`` starts (absolute)."""

    name: str
    title: str | None
    offset: int
    surface: str


def _ref(m: re.Match[str], text: str, base: int) -> OfficialRef:
    groups = m.groupdict()
    name_group = next(g for g in ("n1", "n2", "n3") if groups.get(g))
    title = groups.get("t1") or groups.get("t2") or groups.get("t3")
    start = m.start("t1") if groups.get("t1") else m.start(name_group)
    end = m.end("t2") if groups.get("t2") else m.end(name_group)
    if groups.get("t3"):
        end = m.end("t3") + 1
    return OfficialRef(
        name=groups[name_group], title=title, offset=base + start, surface=text[start:end]
    )


def official_from_text(text: str, offset: int = 0) -> OfficialRef | None:
    """The official a short piece names (``张三副市长``, ``副市长张三``, ``张三(副市长)``).

    >>> official_from_text("李文娟副市长", 10)
    OfficialRef(name='李文娟', title='副市长', offset=10, surface='李文娟副市长')
    """
    folded = fold_width(text)
    lead = len(folded) - len(folded.lstrip())
    m = _FIELD_RE.match(folded.strip())
    if m is None:
        return None
    return _ref(m, text[lead:], offset + lead)


def officials_in(text: str, offset: int = 0) -> list[OfficialRef]:
    """Every official a field value lists, in order (pieces naming no person are skipped);
    names in a bracket count when the value names no one outside it
    (``按《市委工作要点》分工(蒋永根、金跃民)``)."""
    # a copy that turned no-break spaces into ? (祝振伟? 陈夏林?): read them as the spaces
    text = text.replace("?", " ")
    brackets = list(re.finditer(r"\(([^()]+)\)", fold_width(text)))
    if not brackets:
        return _officials_in(text, offset)
    outside = list(text)
    for m in brackets:  # blanked, so offsets stay those of the text
        outside[m.start() : m.end()] = " " * (m.end() - m.start())
    found = _officials_in("".join(outside), offset)
    if not found:
        for m in brackets:
            found += _officials_in(text[m.start(1) : m.end(1)], offset + m.start(1))
    return found


def _officials_in(text: str, offset: int) -> list[OfficialRef]:
    folded = fold_width(text).rstrip("。;,、")
    out, pos = [], 0
    for m in [*_SEP.finditer(folded), None]:
        stop = m.start() if m else len(folded)
        ref = official_from_text(text[pos:stop], offset + pos)
        if ref is not None:
            out.append(ref)
        elif _SPACED_NAMES.fullmatch(folded[pos:stop].strip()):
            for m4 in _SPACED_NAME.finditer(folded, pos, stop):
                surface = text[m4.start() : m4.end()]
                out.append(
                    OfficialRef(m4.group(1) + m4.group(2), None, offset + m4.start(), surface)
                )
        elif m2 := _SPACED_NAME.fullmatch(folded[pos:stop].strip()):  # 王 健: a spaced name
            lead = len(folded[pos:stop]) - len(folded[pos:stop].lstrip())
            surface = text[pos + lead : pos + lead + len(m2.group())]
            out.append(OfficialRef(m2.group(1) + m2.group(2), None, offset + pos + lead, surface))
        elif m3 := _POST_ONLY.fullmatch(folded[pos:stop].strip()):
            # 市政府常务副市长: a post without a name still says who answers for the task
            lead = len(folded[pos:stop]) - len(folded[pos:stop].lstrip())
            surface = text[pos + lead : pos + lead + len(m3.group())]
            out.append(OfficialRef(surface, m3.group("t"), offset + pos + lead, surface))
        else:  # 张三 李四: space-separated names
            for w in re.finditer(r"\S+", folded[pos:stop]):
                a, b = pos + w.start(), pos + w.end()
                ref = official_from_text(text[a:b], offset + a)
                out.extend([ref] if ref is not None else [])
        pos = m.end() if m else len(folded)
    return out


def official_from_heading(title: Span | None) -> OfficialRef | None:
    """The official a heading puts in charge of the tasks under it, or ``None`` for a plan chapter.

    >>> official_from_heading(Span(start=3, end=14, text="张振东市长主抓重点工作"))
    OfficialRef(name='张振东', title='市长', offset=3, surface='张振东市长')
    >>> official_from_heading(Span(start=0, end=9, text="加快建设市长江大桥")) is None
    True
    """
    if title is None:
        return None
    folded = fold_width(title.text)
    m = _HEADING_RE.match(folded)
    if m is None:
        return None
    return _ref(m, title.text, title.start)
