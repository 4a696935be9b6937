"""Inferred responsibility on the bundled sample, a progress report with no assignment notice."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from ingest.extract import extract_task
from ingest.models import Assignment
from ingest.responsibility import task_assignments
from ingest.segment import segment

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "nantong-2019-h1.txt"


@cache
def _sample() -> dict[int, list[Assignment]]:
    doc = segment(SAMPLE.read_text("utf-8"), str(SAMPLE))
    return {
        task.number: task_assignments(doc, chapter, task, extract_task(doc.text, task), "南通")
        for chapter in doc.chapters
        for task in chapter.tasks
    }


def test_every_task_gets_an_inferred_lead_with_evidence() -> None:
    found = _sample()
    assert len(found) == 100
    for number, assignments in found.items():
        leads = [a for a in assignments if a.role == "lead"]
        assert len(leads) == 1, number
        assert leads[0].evidence, number
        assert len([a for a in assignments if a.role == "assist"]) <= 3
        for a in assignments:
            assert a.source == "inferred" and a.surface == "" and a.offset == -1
            assert a.score is not None and 0.0 <= a.score <= 1.0
            assert a.level == "市" and a.kind == "department"
        scores = [a.score for a in assignments]
        assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]


def test_no_officials_are_invented() -> None:
    assert not [a for found in _sample().values() for a in found if a.role == "official"]


@pytest.mark.parametrize(
    ("task", "lead", "evidence"),
    [
        (1, "市工业和信息化局", "remit:先进制造业"),
        (8, "市商务局", "remit:招商引资"),
        (13, "市市场监督管理局", "remit:知识产权"),
        (24, "市交通运输局", "remit:航道"),
        (31, "市行政审批局", "remit:放管服"),
        (39, "市国有资产监督管理委员会", "remit:混合所有制"),
        (41, "市地方金融监督管理局", "remit:融资难"),
        (53, "市自然资源和规划局", "remit:多规合一"),
        (61, "市农业农村局", "remit:高标准农田"),
        (75, "市生态环境局", "remit:三线一单"),
        (87, "市教育局", "remit:师德"),
        (89, "市卫生健康委员会", "remit:分级诊疗"),
        (98, "市司法局", "remit:法治政府"),
        (100, "市财政局", "remit:紧日子"),
    ],
)
def test_inferred_lead_on_clear_cases(task: int, lead: str, evidence: str) -> None:
    best = _sample()[task][0]
    assert (best.role, best.name) == ("lead", lead)
    assert evidence in best.evidence


def test_named_bodies_and_counterparts_count_as_evidence() -> None:
    doc = segment(
        "1.深化相对集中行政许可权改革。\n进展情况:①南通市行政审批局完成事项划转,"
        "获省政务服务管理办公室肯定。\n"
    )
    task = doc.tasks[0]
    best = task_assignments(doc, doc.chapters[0], task, extract_task(doc.text, task), "南通")[0]
    assert best.name == "市行政审批局"
    assert "named:市行政审批局" in best.evidence
    assert "counterpart:省政务服务管理办公室" in best.evidence


def test_nothing_to_go_on_means_no_guess() -> None:
    doc = segment("1.做好年度各项工作。\n")
    task = doc.tasks[0]
    assert task_assignments(doc, doc.chapters[0], task, extract_task(doc.text, task), "南通") == []
