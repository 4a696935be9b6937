"""Quantitative targets in a task's text, paired with the progress figure that measures them.

A figure is a number (Arabic, full-width or Chinese: 1.5, １５, 二十, 千) followed by
a unit (万亿元, 亿美元, 个百分点, %, 家, 万名 …).  In the task text a figure is a
target unless it modifies a noun (``10亿元以上产业项目``, ``20万吨级航道``,
``8个在手项目``).  A target is paired with the progress figure of a convertible
unit (亿元 ~ 万亿元, 人 ~ 名) whose surrounding words share most with the
target's metric; growth rates pair only with growth rates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.models import Figure, Span, TargetMention, TaskSeg
from ingest.textutil import chinese_to_int, fold_width

__all__ = ["Quantity", "column_targets", "convert", "figures", "pair_targets", "target_mentions"]

_UNITS = sorted(
    [
        "万亿元",
        "亿元",
        "万元",
        "元",
        "亿美元",
        "万美元",
        "美元",
        "万人次",
        "人次",
        "万人",
        "人",
        "万名",
        "名",
        "万亩",
        "亩",
        "万户",
        "户",
        "亿吨",
        "万吨",
        "吨",
        "万载重吨",
        "载重吨",
        "万标箱",
        "标箱",
        "万辆",
        "辆",
        "个百分点",
        "百分点",
        "%",
        "家",
        "个",
        "项",
        "件",
        "座",
        "所",
        "处",
        "条",
        "公里",
        "平方公里",
        "万平方米",
        "平方米",
        "套",
        "张",
        "台",
        "部",
        "场",
        "位",
        "微克/立方米",
        "万千瓦",
        "千瓦",
        "兆瓦",
        "万株",
        "株",
        "万册",
        "册",
        "批",
        "倍",
        "万套",
        "万间",
        "万个",
        "万所",
        "间",
        "万张",
        "万座",
        "万例",
        "例",
    ],
    key=len,
    reverse=True,
)
_CN = "零〇一二两三四五六七八九十百千"
FIGURE_RE = re.compile(
    r"(?<![A-Za-z0-9.])(?P<num>\d+(?:\.\d+)?|["
    + _CN
    + r"]+)(?P<approx>余|多)?(?P<unit>"
    + "|".join(map(re.escape, _UNITS))
    + ")"
)
_MAGNITUDE = (("万亿", 1e12), ("亿", 1e8), ("千万", 1e7), ("万", 1e4))
_SAME_BASE = {"名": "人"}
_MONEY_OR_SIZE = ("元", "美元", "吨", "载重吨", "标箱", "千瓦", "兆瓦")
_CLAUSE = re.compile(r"[,，;；。:：!?！？\n]")
_GROWTH = re.compile(r"增长|增速|增幅|下降|提高|提升|降低")
_YEAR_SPEC = re.compile(r"20\d\d年度")
# a figure the progress text plans, not one it reports: 全年计划实现固定资产投资311亿元
_PLANNED = re.compile(r"(?:全年|年度)计划|计划(?:实现|完成|投资|新增)|目标(?:任务)?为")
# ... or one it plans right after the count: 全市共228个村|计划发展新型合作农场
_PLANNED_AFTER = re.compile(r"[\u4e00-\u9fff]{0,2}计划(?:发展|实施|建设|新增|完成|开工|实现)")
# An action verb right before a count (实施50个重点产业项目, 支持92个经济薄弱村): the count is
# the amount of the task's object, not a modifier of it.
_COUNT_VERB = re.compile(
    r"(?:实施|支持|扶持|帮扶|新建|建成|建设|培育|打造|引进|招引|新增|创建|启动|完成|改造|整治|(?<![成作认视])为)$"
)
_COUNT_UNITS = ("个", "家", "项", "所", "座", "条", "处")
_STRIP = re.compile(
    r"(?:达到|达|为|至|在|突破|超过|提高|增长|控制在|稳定在|保持在|力争|确保|实现|完成|新增)+$"
)


@dataclass
class Quantity:
    """A number with its unit at ``start`` (absolute), and the clause around it."""

    value: float
    unit: str
    start: int
    end: int
    clause_start: int
    clause_end: int


def _number(s: str) -> float | None:
    if s[0].isdigit():
        return float(s)
    if s in {"十", "百", "千"} or all(ch in _CN for ch in s):
        try:
            return float(chinese_to_int(s))
        except ValueError:
            return None
    return None


def figures(text: str, start: int, end: int) -> list[Quantity]:
    """Every number + unit in ``text[start:end]`` (full-width folded first).

    >>> t = "新增上云企业2000家,产值1.5万亿元左右,研发机构二十个,增长８％"
    >>> [(q.value, q.unit) for q in figures(t, 0, len(t))]
    [(2000.0, '家'), (1.5, '万亿元'), (20.0, '个'), (8.0, '%')]
    """
    folded = fold_width(text[start:end])
    out = []
    for m in FIGURE_RE.finditer(folded):
        value = _number(m.group("num"))
        if value is None:
            continue
        a, b = start + m.start(), start + m.end()
        cs = start + max((c.end() for c in _CLAUSE.finditer(folded, 0, m.start())), default=0)
        ce_m = _CLAUSE.search(folded, m.end())
        ce = start + (ce_m.start() if ce_m else len(folded))
        out.append(Quantity(value, m.group("unit"), a, b, cs, ce))
    return out


def _base(unit: str) -> tuple[float, str]:
    unit = fold_width(unit)
    for prefix, factor in _MAGNITUDE:
        if unit.startswith(prefix) and len(unit) > len(prefix):
            rest = unit[len(prefix) :]
            return factor, _SAME_BASE.get(rest, rest)
    return 1.0, _SAME_BASE.get(unit, unit)


def convert(value: float, unit: str, to_unit: str) -> float | None:
    """``value unit`` expressed in ``to_unit``, or ``None`` when not convertible.

    >>> convert(1.36, "亿元", "万亿元"), convert(9600, "人", "万名"), convert(3, "家", "个")
    (0.000136, 0.96, None)
    """
    f1, b1 = _base(unit)
    f2, b2 = _base(to_unit)
    if b1 != b2:
        return None
    return round(value * f1 / f2, 10)


def _counted_object(text: str, q: Quantity) -> bool:
    """An Arabic count right after an action verb (实施50个重点产业项目), or closing a list
    with 等 (建成沿浦、宜山等8家卫生院)."""
    before = text[max(q.clause_start, q.start - 4) : q.start]
    return (
        q.unit in _COUNT_UNITS
        and text[q.start].isdigit()
        and (bool(_COUNT_VERB.search(before)) or before.endswith("等"))
    )


def _acted_on(text: str, q: Quantity) -> bool:
    """A count of what the clause's verb acts on, the verb a few words before it (完成泉山学校
    一期2座教学楼建设, 为全区23000名老年人提供…, 新增安装300套设备)."""
    before = text[max(q.clause_start, q.start - 12) : q.start]
    return (
        q.unit in (*_COUNT_UNITS, "名", "户", "套", "只", "本")
        and text[q.start].isdigit()
        and bool(_ACTING.search(before))
        and not re.search(r"[\d%]", before)
    )


_ACTING = re.compile(
    r"^(?:完成|新建|建成|改造|新增|实施|壮大|培育|为|对)|(?:新增|新建|完成|为)[^为]{0,4}$"
)


def _is_modifier(text: str, q: Quantity) -> bool:
    """True when the figure qualifies a noun (10亿元以上产业项目) rather than stating an amount."""
    after = fold_width(text[q.end : q.end + 4])
    before = text[max(q.clause_start, q.start - 1) : q.start]
    if after.startswith("级") or (before.endswith(("前", "第")) and q.unit != "位"):
        return True
    if (
        before.endswith(("超", "近"))
        and q.unit != "位"
        and after[:1]
        and "\u4e00" <= after[0] <= "\u9fff"
    ):
        return True  # 超亿美元外资项目; but 总投资超500亿元。 states an amount
    rest = after
    for w in ("以上", "左右", "以下", "以内"):
        rest = rest.removeprefix(w)
    if not rest or not ("\u4e00" <= rest[0] <= "\u9fff") or rest[0] in "的、和及":
        return False
    base = _base(q.unit)[1]
    return base in _MONEY_OR_SIZE or not after.startswith("以上")


def _qualifier(text: str, q: Quantity) -> tuple[str, int]:
    after = text[q.end : q.end + 2]
    if after in {"左右", "以上"}:
        return after, q.end + 2
    before = text[q.clause_start : q.start]
    if re.search(r"超过|突破|超$", before):
        return "超过", q.end
    sentence_start = max(text.rfind("。", 0, q.start), text.rfind("；", 0, q.start))
    if "力争" in text[max(sentence_start, 0) : q.start]:
        return "力争", q.end
    return "", q.end


def _metric(text: str, q: Quantity) -> str:
    if _counted_object(text, q):
        return text[q.end : q.clause_end]  # the counted object: 实施50个|重点产业项目
    a = max(q.clause_start, text.rfind("、", q.clause_start, q.start) + 1)
    metric = text[a : q.start].strip()
    metric = _STRIP.sub("", metric)
    return metric or text[q.end : q.clause_end]


def target_mentions(text: str, start: int, end: int) -> list[TargetMention]:
    """Targets stated in ``text[start:end]`` (a task's own text).

    >>> t = "力争新引进超亿美元外资项目40个、超50亿元内资项目10个,高技能人才1.4万名以上。"
    >>> [(m.value, m.unit, m.qualifier) for m in target_mentions(t, 0, len(t))]
    [(40.0, '个', '力争'), (10.0, '个', '力争'), (1.4, '万名', '以上')]
    """
    out = []
    for q in figures(text, start, end):
        if _is_modifier(text, q) and not _counted_object(text, q) and not _acted_on(text, q):
            continue
        qualifier, stop = _qualifier(text, q)
        out.append(
            TargetMention(
                metric=_metric(text, q),
                value=q.value,
                unit=text[q.start : q.end][len(text[q.start : q.end]) - len(q.unit) :],
                qualifier=qualifier,
                text=text[q.clause_start : stop],
                offset=q.clause_start,
            )
        )
    return out


def _bigrams(s: str) -> set[str]:
    s = FIGURE_RE.sub(" ", fold_width(s))
    s = re.sub(r"[\s\d.%“”\"()（）]", " ", s)
    return {s[i : i + 2] for i in range(len(s) - 1) if " " not in s[i : i + 2]}


_PIECE = re.compile(r"[,，;；。:：!?！？\n、(（]")


def _contexts(text: str, q: Quantity, lo: int) -> tuple[str, str]:
    """The words around a progress figure: its own piece (up to 、 or a clause mark), and
    that piece with the clause before it."""
    marks = [m.end() for m in _PIECE.finditer(text, lo, q.start)]
    own_start = marks[-1] if marks else lo
    stop = _PIECE.search(text, q.end)
    own_end = stop.start() if stop else len(text)
    own = text[own_start : q.start] + " " + text[q.end : own_end]
    clauses = [m.end() for m in _CLAUSE.finditer(text, lo, own_start)]
    prev_start = clauses[-2] if len(clauses) >= 2 else lo
    return own, text[prev_start : q.start] + " " + text[q.end : own_end]


def pair_targets(
    text: str, targets: list[TargetMention], start: int, end: int, threshold: float = 0.34
) -> None:
    """Fill ``actual`` and ``ratio`` of ``targets`` from the progress text ``text[start:end]``.

    >>> t = "新增上云企业2000家。"
    >>> targets = target_mentions(t, 0, len(t))
    >>> p = "启动申报18家;上半年新增上云企业1600余家,累计超过6000家。"
    >>> pair_targets(p, targets, 0, len(p)); (targets[0].actual.value, targets[0].ratio)
    (1600.0, 0.8)
    """
    found = [
        q
        for q in figures(text, start, end)
        if not _YEAR_SPEC.search(text[q.clause_start : q.start])
        and not _PLANNED.search(text[q.clause_start : q.start])
        and not _PLANNED_AFTER.match(text, q.end, q.clause_end)
    ]
    for t in targets:
        metric = t.metric + t.text[t.text.rfind(t.metric) + len(t.metric) :]
        want = _bigrams(metric)
        # the word the target's object ends with (1.5万名以上群众|创业), written right before a
        # figure (扶持各类城乡劳动者|创业9968人), names what that figure counts
        tail = ""
        after = t.offset + len(t.text)
        if text.startswith(t.text, t.offset) and after < len(text):
            stop = _CLAUSE.search(text, after)
            tail = re.sub(r"[^\u4e00-\u9fff]", "", text[after : stop.start() if stop else end])
            tail = tail[-2:]
        growth = bool(_GROWTH.search(t.text))
        best: tuple[float, Quantity] | None = None
        fitting = 0
        for q in found:
            if convert(1.0, q.unit, t.unit) is None:
                continue
            near = text[max(q.clause_start, q.start - 6) : q.start]
            if _base(t.unit)[1] == "%" and growth != bool(_GROWTH.search(near)):
                continue
            if text[q.end : q.end + 2] == "以上" and _is_modifier(text, q):
                continue
            fitting += 1
            own, wide = (_bigrams(c) for c in _contexts(text, q, start))
            score = max(len(want & own), 0.8 * len(want & wide)) / len(want) if want else 0.0
            if len(tail) == 2 and text[q.start - 2 : q.start] == tail:
                score = max(score, threshold)
            if best is None or score > best[0] + 1e-9:
                best = (score, q)
        # the task's only target and the progress's only figure of its kind (一季度增长6.4%
        # for 地区生产总值增长6.5%) measure each other even when the progress names no metric
        alone = len(targets) == 1 and fitting == 1
        if best is None or (best[0] < threshold and not alone):
            continue
        q = best[1]
        raw_unit = text[q.start : q.end][len(text[q.start : q.end]) - len(q.unit) :]
        t.actual = Figure(
            value=q.value,
            unit=raw_unit,
            text=text[q.clause_start : q.clause_end],
            offset=q.clause_start,
        )
        converted = convert(q.value, q.unit, t.unit)
        t.ratio = round(converted / t.value, 4) if converted is not None and t.value else None


_MONEY_UNIT = re.compile(r"[(（]\s*(万元|亿元|元)\s*[)）]")
_AMOUNT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*")


def column_targets(text: str, task: TaskSeg) -> list[TargetMention]:
    """A table's planned investment column as a target of the task, and its done investment
    column as the figure against it (``年内计划投资(万元) | 350`` … ``已累计投入资金(万元) | 206``).

    >>> from ingest.models import Span
    >>> t = "350 206"
    >>> task = TaskSeg(number=1, line=1, text=Span(start=0, end=0, text=""), cells={
    ...     "年内计划投资(万元)": Span(start=0, end=3, text="350"),
    ...     "已累计投入资金(万元)": Span(start=4, end=7, text="206")})
    >>> [(m.metric, m.value, m.unit, m.actual.value, m.ratio) for m in column_targets(t, task)]
    [('年内计划投资', 350.0, '万元', 206.0, 0.5886)]
    """
    from ingest.columns import header_role

    planned: list[tuple[str, Span]] = []
    done: list[tuple[str, Span]] = []
    for name, span in task.cells.items():
        if not _AMOUNT.fullmatch(fold_width(span.text)):
            continue
        role = header_role(name)
        if role == "investment":
            planned.append((name, span))
        elif role == "invested":
            done.append((name, span))
    out = []
    for name, span in planned[:1]:
        unit_m = _MONEY_UNIT.search(fold_width(name))
        unit = unit_m.group(1) if unit_m else "万元"
        value = float(fold_width(span.text).strip())
        target = TargetMention(
            metric=_MONEY_UNIT.sub("", name).strip(),
            value=value,
            unit=unit,
            text=span.text.strip(),
            offset=span.start,
        )
        if done:
            dname, dspan = done[0]
            dunit_m = _MONEY_UNIT.search(fold_width(dname))
            dunit = dunit_m.group(1) if dunit_m else unit
            actual = float(fold_width(dspan.text).strip())
            target.actual = Figure(
                value=actual, unit=dunit, text=dspan.text.strip(), offset=dspan.start
            )
            converted = convert(actual, dunit, unit)
            target.ratio = round(converted / value, 4) if converted is not None and value else None
        out.append(target)
    return out
