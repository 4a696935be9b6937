"""What a document is: which plan (city, year), which period, which kind, its title.

Inferred from the text when the user does not say (``--city``, ``--year``,
``--period``); the inference is simple and visible, and a missing city or year
is a :class:`ParseError` that tells the user which option to pass.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections import Counter

from pydantic import BaseModel

from graph.errors import ParseError
from ingest.models import SegmentedDocument
from ingest.textutil import fold_width

__all__ = ["DocumentMeta", "infer_meta"]

_NOT_CITIES = {
    "全市",
    "我市",
    "本市",
    "城市",
    "该市",
    "各市",
    "县市",
    "市区",
    "地级",
    "城区",
    "设区",
    "试点",
    "文明",
    "海绵",
    "智慧",
    "森林",
    "园林",
    "卫生",
    "宜居",
    "枢纽",
    "沿海",
    "沿江",
    "县级",
    "省辖",
    "所在",
    "主城",
    "新城",
    "门户",
    "名城",
    "强市",
    "大市",
    "创新",
    "生态",
    "健康",
}
_CITY_RE = re.compile(r"([\u4e00-\u9fff]{2})市(?!长)")
# a year the plan is about: not a deadline further on (到2026年) nor a day's date (2015年1月23日,
# when a report on 2014 was published)
_YEAR_RE = re.compile(
    r"(?<![到至])(20\d\d)\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*日)(?!\s*(?:底|前|以前|之前))"
)
_PERIODS = (
    (re.compile(r"上半年|1\s*[-—~至到]\s*6\s*月|半年"), "H1"),
    (re.compile(r"前三季度|1\s*[-—~至到]\s*9\s*月|三季度"), "Q3"),
    (re.compile(r"一季度|1\s*[-—~至到]\s*3\s*月"), "Q1"),
    (re.compile(r"全年|年度|年底|年末"), "FY"),
)


class DocumentMeta(BaseModel):
    city: str
    year: int
    period: str
    kind: str
    title: str

    @property
    def plan_key(self) -> str:
        return f"{self.city}-{self.year}"


def _infer_city(text: str, min_count: int = 2) -> str | None:
    counts: Counter[str] = Counter()
    for m in _CITY_RE.finditer(text):
        stem = m.group(1)
        if stem in _NOT_CITIES or stem[-1] in "全各本我该县区省副" or "年" in stem:
            continue
        if not _known_place(stem + "市"):
            continue
        # a name inside a document title is a strong sign of the issuing city
        weight = 3 if text[max(0, m.start() - 1) : m.start()] == "《" else 1
        counts[stem] += weight
    if not counts:
        return None
    stem, n = counts.most_common(1)[0]
    return stem if n >= min_count else None


# the issuing government: 河南省人民政府, 蔡甸区人民政府办公室, 2023年区《政府工作报告》 …
_ISSUER_RE = re.compile(
    r"(?:(?<![\u4e00-\u9fff0-9])|(?<=[省市州]))(?![省市区县州])"
    r"([\u4e00-\u9fff]{1,4}?(?:省|市|区|县|州|旗))"
    r"(?=人民政府|政府(?:办公|工作|重点)|(?:20\d\d年)?(?:《|<|〈)?政府工作报告"
    r"|\d{4}年(?:度)?(?:[市省区县]?政府)?(?:重点工作|民生实事|政府工作))"
)
_NOT_IN_NAMES = set("省市区县经报由向将对为按请已推进关于印发各全本我该年")
_NOT_ISSUERS = {"县区", "市区", "县市区", "省市", "市县", "各市", "设区市", "自治区", "地区"}


def _known_place(name: str) -> bool:
    """A province, city, district or county of the gazetteer (historical names included)."""
    from ingest.gazetteer import gazetteer

    entries = gazetteer().entries
    return any(
        e.kind in {"province", "city", "county"} and not e.short
        for key in (name, name.removesuffix("市"))
        for e in entries.get(key, [])
    )


def _issuer(text: str) -> str | None:
    """The government that issues the document, from its first mentions (weighted by count)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for m in _ISSUER_RE.finditer(text):
        name = m.group(1)
        if name in _NOT_ISSUERS or len(name) < 2 or set(name[:-1]) & _NOT_IN_NAMES:
            continue
        if not _known_place(name):
            continue
        counts[name] += 3 if m.start() < 200 else 1  # the title and the issuer come first
        first.setdefault(name, m.start())
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], -first[n]))


_PLACE_RE = re.compile(r"([\u4e00-\u9fff]{1,4}?(?:省|市|区|县))")


def _mentioned_place(text: str) -> str | None:
    """The place a document names most (武昌区 in every progress paragraph of a district's
    report), when it names it at least twice, or once in its first lines."""
    counts: Counter[str] = Counter()
    for m in _PLACE_RE.finditer(text):
        name = m.group(1)
        if name in _NOT_ISSUERS or set(name[:-1]) & _NOT_IN_NAMES or not _known_place(name):
            continue
        counts[name] += 2 if m.start() < 300 else 1
    if not counts:
        return None
    name, n = counts.most_common(1)[0]
    return name if n >= 2 else None


def _any_year(text: str) -> int | None:
    years = Counter(int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d)", text))
    return years.most_common(1)[0][0] if years else None


def _infer_year(text: str) -> int | None:
    years = Counter(int(y) for y in _YEAR_RE.findall(text) if 2000 <= int(y) <= 2100)
    if not years:
        return None
    return years.most_common(1)[0][0]


def infer_meta(
    doc: SegmentedDocument,
    *,
    city: str | None = None,
    year: int | None = None,
    period: str | None = None,
    title: str | None = None,
    strict: bool = False,
) -> DocumentMeta:
    """Plan and period of a segmented document; explicit values win over inference.

    A document that names no year anywhere is filed under the current year with a warning
    (``strict``: refused), so that its tasks are read rather than lost.
    """
    text = fold_width(doc.text)
    head = fold_width(doc.preamble.text) if doc.preamble else ""
    if city is None:
        city = (
            _issuer(head)
            or _issuer(text[:3000])
            or _infer_city(head, 1)
            or _infer_city(text)
            or _mentioned_place(text)
        )
        if city is None:
            # a plan of its own, so that two documents of unknown places never share tasks
            digest = hashlib.sha256(doc.text.encode("utf-8")).hexdigest()[:6]
            city = f"未知{digest}"
            doc.warnings.append(
                "cannot tell which city's plan this is (no 某某市/省/区/县 in the text); "
                f"filed under {city}: pass --city"
            )
    city = city.removesuffix("市") if len(city) > 2 else city
    year = year or _infer_year(head) or _infer_year(text) or _any_year(text)
    if year is None:
        if strict:
            raise ParseError("cannot tell the plan's year; pass --year", path=doc.path)
        year = datetime.date.today().year
        doc.warnings.append(
            f"cannot tell the plan's year (no 20xx年 in the text); filed under {year}: pass --year"
        )
    has_progress = any(t.progress for t in doc.tasks)
    has_fields = any(
        f.role in {"lead", "responsible", "official", "assist"} for t in doc.tasks for f in t.fields
    )
    kind = "progress" if has_progress else ("assignment" if has_fields else "plan")
    if period is None:
        period = "plan"
        if has_progress:
            period = "FY"
            for rx, name in _PERIODS:
                if rx.search(head) or rx.search(text[:2000]):
                    period = name
                    break
    period = period if period.startswith(str(year)) else f"{year}-{period}"
    if title is None:
        lines = doc.preamble.text.split("\n") if doc.preamble else []
        # the first line that is not a cell of the page's metadata table (索引号 | …)
        first = next((x.strip() for x in lines if x.strip() and not re.search(r"[|\t]", x)), "")
        looks_title = first and len(first) <= 60 and not re.search(r"[。,，;；]", first)
        names = {
            "progress": "重点工作任务进展情况",
            "assignment": "重点工作任务责任分解",
            "plan": "重点工作任务",
        }
        title = first if looks_title else f"{city}市{year}年{names[kind]}({period})"
    return DocumentMeta(city=city, year=year, period=period, kind=kind, title=title)
