"""Assignment notices in the genre's layouts: each task's official, lead and co-operating units."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.extract import extract_task
from ingest.models import Assignment
from ingest.officials import official_from_heading
from ingest.responsibility import split_units, task_assignments
from ingest.segment import segment

NOTICES = Path(__file__).resolve().parent / "data" / "notices"

Expected = dict[int, tuple[list[str], list[str], list[str]]]  # task -> (officials, leads, assists)


def _assignments(name: str, city: str) -> tuple[str, dict[int, list[Assignment]]]:
    doc = segment((NOTICES / name).read_text("utf-8"), name)
    out = {}
    for chapter in doc.chapters:
        for task in chapter.tasks:
            out[task.number] = task_assignments(
                doc, chapter, task, extract_task(doc.text, task), city
            )
    return doc.text, out


def _check(name: str, city: str, expected: Expected) -> dict[int, list[Assignment]]:
    text, found = _assignments(name, city)
    assert sorted(found) == sorted(expected)
    for number, (officials, leads, assists) in expected.items():
        got = found[number]
        assert [a.name for a in got if a.role == "official"] == officials, number
        assert [a.name for a in got if a.role == "lead"] == leads, number
        assert [a.name for a in got if a.role == "assist"] == assists, number
        for a in got:
            assert a.source == "assignment"
            assert text[a.offset : a.offset + len(a.surface)] == a.surface  # exact span
    return found


def test_fields_on_their_own_lines() -> None:
    found = _check(
        "huaian-2020-lines.txt",
        "淮安",
        {
            1: (
                ["陈立华"],
                ["市工业和信息化局"],
                ["市发展和改革委员会", "市科学技术局", "市商务局"],
            ),
            2: (["陈立华"], ["市科学技术局"], ["市财政局", "市税务局", "市高新区管委会"]),
            3: (
                ["周文斌"],
                ["市行政审批局", "市政务服务管理办公室"],
                ["市市场监督管理局", "市司法局"],
            ),
            4: (["周文斌"], ["市商务局"], ["市发展和改革委员会"]),
            5: (
                ["王海林", "刘芳"],
                ["市农业农村局"],
                ["市住房和城乡建设局", "市卫生健康委员会", "市生态环境局"],
            ),
            6: (
                ["王海林"],
                ["市生态环境局"],
                ["市水利局", "市城市管理局", "市住房和城乡建设局", "市交通运输局"],
            ),
        },
    )
    official = found[3][0]
    assert (official.name, official.title, official.surface) == (
        "周文斌",
        "常务副市长",
        "常务副市长周文斌",
    )
    # catch-all groups (各县、市、区政府, 各有关部门, 各园区, 各乡镇(街道)) are no department
    units = [a for got in found.values() for a in got if a.role != "official"]
    assert all(a.kind == "department" for a in units)
    lead = found[1][1]
    assert (lead.surface, lead.level, lead.kind, lead.rank) == ("市工信局", "市", "department", 0)
    assert lead.sentence == "牵头责任单位:市工信局"


def test_inline_fields_after_the_task_text() -> None:
    found = _check(
        "yancheng-2020-inline.txt",
        "盐城",
        {
            1: ([], ["市发展和改革委员会"], []),
            2: ([], ["市发展和改革委员会", "市工业和信息化局"], ["市开发区管委会"]),
            3: ([], ["市自然资源和规划局"], ["市生态环境局", "市农业农村局"]),
            4: ([], ["市人力资源和社会保障局"], []),
            5: ([], ["市卫生健康委员会"], ["市医疗保障局", "市财政局"]),
            6: ([], ["市委政法委员会", "市公安局"], []),
        },
    )
    # the note in parentheses is not part of the unit's surface
    assert found[3][0].surface == "市自然资源和规划局"


def test_grouped_by_official_heading() -> None:
    _check(
        "yangzhou-2021-grouped.txt",
        "扬州",
        {
            1: (["张振东"], ["市发展和改革委员会"], ["市财政局", "市统计局"]),
            2: (["张振东"], ["市生态环境局"], ["市自然资源和规划局", "市水利局"]),
            3: (["李文娟"], ["市教育局"], ["市住房和城乡建设局", "市自然资源和规划局"]),
            4: (["李文娟"], ["市卫生健康委员会"], ["市医疗保障局", "市人力资源和社会保障局"]),
            5: (["李文娟"], ["市文化广电和旅游局"], ["市委宣传部"]),
            6: (["赵国强"], ["市国有资产监督管理委员会"], ["市财政局"]),
        },
    )


def test_flattened_table() -> None:
    found = _check(
        "taizhou-2021-flat.txt",
        "泰州",
        {
            1: (["孙明"], ["市工业和信息化局"], ["市科学技术局", "市市场监督管理局"]),
            2: (["孙明"], ["市工业和信息化局"], ["市发展和改革委员会", "市财政局"]),
            3: (["吴建平"], ["市住房和城乡建设局"], ["市自然资源和规划局", "市财政局"]),
            4: (["吴建平", "孙明"], ["市交通运输局"], ["市发展和改革委员会", "市自然资源和规划局"]),
        },
    )
    # 各区政府 is not in the directory; it is still a catch-all, not a department
    assert all(a.name != "各区政府" for a in found[3])


def test_pipe_table_with_progress_column() -> None:
    found = _check(
        "zhenjiang-2020-pipe.txt",
        "镇江",
        {
            1: (["钱伟"], ["市生态环境局"], ["市水利局", "市农业农村局"]),
            2: (["郑晓东"], ["市政务服务管理办公室"], ["市大数据管理局"]),
            3: (["郑晓东"], ["市民政局"], ["市财政局"]),
            4: (["钱伟"], ["市自然资源和规划局"], ["市工业和信息化局", "新区管委会"]),
        },
    )
    assert [a.title for a in found[1] if a.role == "official"] == ["副市长"]


def test_official_group_headings_are_told_from_plan_chapters() -> None:
    doc = segment((NOTICES / "yangzhou-2021-grouped.txt").read_text("utf-8"))
    refs = [official_from_heading(c.title) for c in doc.chapters]
    assert [(r.name, r.title) for r in refs if r] == [
        ("张振东", "市长"),
        ("李文娟", "副市长"),
        ("赵国强", "常务副市长"),
    ]
    for chapter, ref in zip(doc.chapters, refs, strict=True):
        assert ref is not None and chapter.title is not None
        assert doc.text[ref.offset : ref.offset + len(ref.surface)] == ref.surface
    sample = segment(
        (NOTICES.parent.parent.parent / "data" / "nantong-2019-h1.txt").read_text("utf-8")
    )
    assert all(official_from_heading(c.title) is None for c in sample.chapters)


def test_task_field_official_wins_over_heading() -> None:
    doc = segment(
        "一、王建国副市长牵头负责\n1.推进老旧小区改造。\n牵头领导:陈晓副市长\n"
        "责任单位:市住建局、市财政局\n2.新建保障性住房1000套。\n责任单位:市住建局\n"
    )
    chapter = doc.chapters[0]
    first, second = (
        task_assignments(doc, chapter, t, extract_task(doc.text, t), "扬州") for t in chapter.tasks
    )
    assert [a.name for a in first if a.role == "official"] == ["陈晓"]
    assert [a.name for a in second if a.role == "official"] == ["王建国"]


def test_lead_note_in_a_responsible_list() -> None:
    doc = segment("1.推进跨境电商综合试验区建设。\n责任单位:市发改委、市商务局(牵头)、海关\n")
    task = doc.tasks[0]
    got = task_assignments(doc, doc.chapters[0], task, extract_task(doc.text, task), "南通")
    assert [(a.role, a.name) for a in got] == [
        ("lead", "市商务局"),
        ("assist", "市发展和改革委员会"),
        ("assist", "海关"),
    ]


def test_only_tasks_without_assigned_departments_are_inferred() -> None:
    doc = segment(
        "1.新增高新技术企业100家。\n牵头单位:市科技局\n"
        "2.新增城镇就业5万人,扶持创业1万人。\n"
        "3.推进高速公路建设。\n牵头领导:陈晓副市长\n"
    )
    chapter = doc.chapters[0]
    by_task = {
        t.number: task_assignments(doc, chapter, t, extract_task(doc.text, t), "南通")
        for t in doc.tasks
    }
    assert [(a.role, a.name, a.source) for a in by_task[1]] == [
        ("lead", "市科学技术局", "assignment")
    ]
    inferred = by_task[2]
    assert inferred[0].role == "lead" and inferred[0].name == "市人力资源和社会保障局"
    assert all(a.source == "inferred" and a.offset == -1 and a.surface == "" for a in inferred)
    # an official alone assigns no department: departments are inferred, the official is kept
    assert [(a.role, a.source) for a in by_task[3]][:2] == [
        ("official", "assignment"),
        ("lead", "inferred"),
    ]
    assert by_task[3][1].name == "市交通运输局"


@pytest.mark.parametrize(
    ("value", "surfaces"),
    [
        (
            "市发改委、市科技局、市商务局等,各县、市、区政府。",
            ["市发改委", "市科技局", "市商务局", "各县、市、区政府"],
        ),
        (
            "各县（市、区）人民政府、盐城经济技术开发区管委会",
            ["各县（市、区）人民政府", "盐城经济技术开发区管委会"],
        ),
        ("市自然资源和规划局(市林业局);市农业农村局", ["市自然资源和规划局", "市农业农村局"]),
        ("市财政局等相关部门", ["市财政局"]),
        ("市发改委<br>市财政局", ["市发改委", "市财政局"]),
        ("市发展和改革委员会", ["市发展和改革委员会"]),  # 和 inside a name is no separator
        ("市人社局及市教育局", ["市人社局", "市教育局"]),
        ("各区、市发改委", ["各区", "市发改委"]),  # list punctuation protected only inside a name
        ("各市(区)人民政府、市财政局", ["各市(区)人民政府", "市财政局"]),
    ],
)
def test_split_units(value: str, surfaces: list[str]) -> None:
    units = split_units(value, 100, "盐城")
    assert [u.surface for u in units] == surfaces
    for u in units:
        assert value[u.offset - 100 : u.offset - 100 + len(u.surface)] == u.surface


def test_a_unit_cut_by_the_end_of_the_copy_is_left_out() -> None:
    def units(text: str) -> list[str]:
        doc = segment(text)
        chapter = doc.chapters[-1]
        task = chapter.tasks[-1]
        found = task_assignments(doc, chapter, task, extract_task(doc.text, task), "阜阳")
        return [a.surface for a in found if a.role in {"lead", "assist"}]

    head = "1.推进甲。\n责任单位:市发改委\n2.推进乙。\n责任单位:市财政局\n3.推进公路建设。\n"
    assert units(head + "责任单位:市交通运输局、市交通运") == ["市交通运输局"]
    # a whole unit's name at the end of the copy stays, and so does any unit of a closed text
    assert units(head + "责任单位:市交通运输局、市公路中心") == ["市交通运输局", "市公路中心"]
    assert units(head + "(责任单位:市交通运输局、市交通运)") == ["市交通运输局", "市交通运"]
