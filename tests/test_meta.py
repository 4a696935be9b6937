"""The plan's place and year read from the document when the user gives neither (issue #14)."""

from __future__ import annotations

import datetime

import pytest

from graph.errors import ParseError
from ingest.meta import infer_meta
from ingest.segment import segment

TASKS = "\n1.推进城市更新。\n责任单位:区住建局\n2.新建学校2所。\n责任单位:区教育局\n"


def _meta(head: str, *, strict: bool = False):  # type: ignore[no-untyped-def]
    return infer_meta(segment(head + TASKS), strict=strict)


def test_the_issuer_is_the_district_named_after_its_city() -> None:
    meta = _meta("杭州市余杭区人民政府办公室关于印发2018年重点工作任务分解的通知")
    assert (meta.city, meta.year) == ("余杭区", 2018)


def test_a_place_named_in_every_progress_paragraph_is_the_plans() -> None:
    head = (
        "2021年区《政府工作报告》前三季度完成情况通报\n"
        "完成情况:1-9月,武昌区地区生产总值完成1152.04亿元。\n"
        "完成情况:1-9月,武昌区固定资产投资完成281.82亿元。"
    )
    assert _meta(head).city == "武昌区"


def test_a_deadline_year_and_a_days_date_are_not_the_plans_year() -> None:
    head = "2015年01月23日 来源:晚报\n2014年,济南在政府工作报告中提出为市民办15件实事。"
    assert _meta(head).year == 2014
    head = "咸阳市人民政府关于印发重点工作的通知 咸政发〔2022〕4号\n到2026年,人均收入超过38000元。"
    assert _meta(head).year == 2022


def test_no_year_anywhere_files_under_this_year_with_a_warning_or_refuses_when_strict() -> None:
    head = "安徽省人民政府关于年重点工作及责任分解的通知"
    doc = segment(head + TASKS)
    meta = infer_meta(doc)
    assert meta.year == datetime.date.today().year
    assert any("pass --year" in w for w in doc.warnings)
    with pytest.raises(ParseError, match="pass --year"):
        _meta(head, strict=True)
