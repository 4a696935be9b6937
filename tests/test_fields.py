"""Task bodies split into text, responsibility fields and progress; headings; table columns."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.columns import content_role, header_role
from ingest.departments import is_catch_all, lookup, resolve_unit
from ingest.fields import TaskBody, heading_fields, split_task_body
from ingest.models import ChapterSeg, SegmentedDocument, Span, TaskSeg
from ingest.officials import officials_in
from ingest.responsibility import split_units, stated_assignments

DATA = Path(__file__).resolve().parent / "data"


def _split(body: str, prefix: str = "1.") -> tuple[str, TaskBody]:
    """The document ``prefix + body`` and its body split (offsets count the prefix)."""
    text = prefix + body
    got = split_task_body(text, len(prefix), len(text))
    for f in got.fields:
        assert text[f.value.start : f.value.end] == f.value.text  # exact span
        value = f.value.text
        assert value == value.strip(" ,，;；、。:：")  # no punctuation around
        assert value.count("(") + value.count("（") == value.count(")") + value.count("）")
        assert not value.startswith(("[", "【")) and not value.endswith(("]", "】"))
    return text, got


def _fields(body: str) -> tuple[str, list[tuple[str, str]]]:
    text, got = _split(body)
    return text[2 : got.text_end], [(f.role, f.value.text) for f in got.fields]


@pytest.mark.parametrize(
    ("body", "task", "fields"),
    [
        (  # the bug seen on a real notice: a label after a full-width comma, the bracket kept
            "建成5G基站1000个。（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，"
            "各区、县级市）",
            "建成5G基站1000个。",
            [
                ("lead", "市发展改革委"),
                ("assist", "市委组织部、市人力资源和社会保障局，各区、县级市"),
            ],
        ),
        (
            "推进老旧小区改造(责任领导:张三;牵头单位:市住建局;责任单位:市财政局 市城管局)",
            "推进老旧小区改造",
            [("official", "张三"), ("lead", "市住建局"), ("responsible", "市财政局 市城管局")],
        ),
        ("推进乡村振兴【牵头单位：市农业农村局】", "推进乡村振兴", [("lead", "市农业农村局")]),
        (
            "做好疫情防控。[牵头单位:区卫健局;责任单位:区疫情防控指挥部成员单位、各街办(新区)]",
            "做好疫情防控。",
            [("lead", "区卫健局"), ("responsible", "区疫情防控指挥部成员单位、各街办(新区)")],
        ),
        (
            "落实减税降费政策（牵头单位：市税务局、配合单位：市财政局）",
            "落实减税降费政策",
            [("lead", "市税务局"), ("assist", "市财政局")],
        ),
        (
            "推进城市更新（市住建局牵头，市财政局、市自然资源和规划局配合）。",
            "推进城市更新",
            [("lead", "市住建局"), ("assist", "市财政局、市自然资源和规划局")],
        ),
        (
            "建设智慧城市（市大数据局牵头，市公安局参与）",
            "建设智慧城市",
            [("lead", "市大数据局"), ("assist", "市公安局")],
        ),
        ("新建学校5所（市教育局负责）", "新建学校5所", [("responsible", "市教育局")]),
        (
            "落实提振市场信心措施。(省发展改革委牵头,省商务厅、文化和旅游厅等相关部门按职责分工负责)",
            "落实提振市场信心措施。",
            [("lead", "省发展改革委"), ("responsible", "省商务厅、文化和旅游厅等相关部门")],
        ),
        (
            "优化营商环境（市政务办、市发改委等负责）",
            "优化营商环境",
            [("responsible", "市政务办、市发改委等")],
        ),
        (
            "推进招商引资（牵头：市商务局；配合：市发改委）",
            "推进招商引资",
            [("lead", "市商务局"), ("assist", "市发改委")],
        ),
        (
            "扩大有效投资。部门分工：市发展改革委牵头，各地、各部门配合",
            "扩大有效投资。",
            [("lead", "市发展改革委"), ("assist", "各地、各部门")],
        ),
        (
            "稳定就业。\n责任单位：市人社局、市财政局",
            "稳定就业。",
            [("responsible", "市人社局、市财政局")],
        ),
        (
            "新建公路100公里。\n分管市领导：张三\n牵头单位：市交通运输局\n",
            "新建公路100公里。",
            [("official", "张三"), ("lead", "市交通运输局")],
        ),
        (
            "推进就业增收（责任领导：李四副市长）",
            "推进就业增收",
            [("official", "李四副市长")],
        ),
        ("推进教育提质（王五副市长牵头）", "推进教育提质", [("official", "王五副市长")]),
        (  # inline after a clause end, as the list layout has always read it
            "地区生产总值增长6%以上。牵头单位:市发改委;责任单位:各县(市)区政府",
            "地区生产总值增长6%以上。",
            [("lead", "市发改委"), ("responsible", "各县(市)区政府")],
        ),
        (  # a bracketed variant of a label; a bracket that names the role decides it
            "推进数字政府建设。\n牵头单位（部门）：市大数据局\n责任单位（牵头单位）：市政务办",
            "推进数字政府建设。",
            [("lead", "市大数据局"), ("lead", "市政务办")],
        ),
        (  # 分别牵头: both lead
            "稳岗扩岗。\n责任单位：市人力社保局、市农业农村局分别牵头",
            "稳岗扩岗。",
            [("lead", "市人力社保局、市农业农村局")],
        ),
        (  # a list wrapped onto the next line; a label with its value on the next line
            "推进项目建设。\n责任单位：市发改委、市财政局、\n市住建局\n牵头领导：\n张三",
            "推进项目建设。",
            [("responsible", "市发改委、市财政局、\n市住建局"), ("official", "张三")],
        ),
    ],
)
def test_responsibility_in_every_form_of_the_genre(
    body: str, task: str, fields: list[tuple[str, str]]
) -> None:
    assert _fields(body) == (task, fields)


@pytest.mark.parametrize(
    "body",
    ["新开工项目20个（含续建）", "实施三年行动计划（2021—2023年）", "举办（第三届）江海博览会"],
)
def test_brackets_that_name_no_one_stay_in_the_text(body: str) -> None:
    assert _fields(body) == (body, [])


def test_a_responsibility_bracket_inside_the_text_gives_fields_and_stays() -> None:
    body = "推进A（市发改委负责），推进B（市财政局负责）。"
    task, fields = _fields(body)
    assert task == "推进A（市发改委负责），推进B"  # only the trailing bracket is cut
    assert fields == [("responsible", "市发改委"), ("responsible", "市财政局")]


def test_progress_span_and_labels_quoted_inside_it() -> None:
    text, got = _split("新建基站。\n牵头单位：市工信局\n1-6月进展情况：已建成800个。牵头单位：无\n")
    assert got.progress is not None
    assert text[slice(*got.progress)] == "已建成800个。牵头单位：无"
    assert [(f.role, f.value.text) for f in got.fields] == [("lead", "市工信局")]
    text, got = _split("办好博览会。\n完成情况：已于6月举办。")
    assert got.progress is not None and text[slice(*got.progress)] == "已于6月举办。"
    assert text[2 : got.text_end] == "办好博览会。"


def test_offsets_are_absolute() -> None:
    text = "一、稳增长\n12.推进A（牵头单位：市发改委）\n13.推进B"
    start = text.index("推进A")
    got = split_task_body(text, start, text.index("\n13."))
    assert text[start : got.text_end] == "推进A"
    (field,) = got.fields
    assert (field.value.start, field.value.text) == (text.index("市发改委"), "市发改委")


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("一、区发改局牵头工作（8项）", [("lead", "区发改局")]),
        ("（二）市教育局牵头（5项）", [("lead", "市教育局")]),
        ("三、由市住建局牵头负责的工作", [("lead", "市住建局")]),
        ("四、区发改局、区财政局牵头负责", [("lead", "区发改局、区财政局")]),
        ("一、李四副市长牵头负责", [("official", "李四副市长")]),
        ("一、着力稳增长促发展", []),
        ("二、发挥龙头企业牵头作用", []),
        ("五、加快建设市长江大桥", []),
    ],
)
def test_heading_fields(heading: str, expected: list[tuple[str, str]]) -> None:
    text = "前言\n" + heading
    got = heading_fields(text, 3, len(text))
    assert [(f.role, f.value.text) for f in got] == expected
    for f in got:
        assert text[f.value.start : f.value.end] == f.value.text


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("序号", "number"),
        ("序 号", "number"),
        ("编号", "number"),
        ("工作任务", "text"),
        ("项目名称", "text"),
        ("内容与要求", "text"),
        ("全年目标任务", "text"),
        ("工作措施", "text"),
        ("进展情况", "progress"),
        ("1-9月进展", "progress"),
        ("1—6月完成情况", "progress"),
        ("上半年推进情况", "progress"),
        ("本月进展情况", "progress"),
        ("累计完成", "progress"),
        ("形象进度", "progress"),
        ("进展情况及存在问题", "progress"),
        ("牵头领导", "official"),
        ("分管市领导", "official"),
        ("分管县领导", "official"),
        ("分管市(省、区、县)领导", "official"),
        ("分管市（省、区、县）领导", "official"),
        ("责任市领导", "official"),
        ("联系领导", "official"),
        ("牵头单位", "lead"),
        ("牵头 单位", "lead"),
        ("牵头单位（部门）", "lead"),
        ("责任单位(牵头单位)", "lead"),
        ("主责单位", "lead"),
        ("市级牵头单位", "lead"),
        ("协同配合单位", "assist"),
        ("参与单位", "assist"),
        ("责任单位", "responsible"),
        ("责任主体", "responsible"),
        ("承办单位", "responsible"),
        ("负责单位", "responsible"),
        ("完成时限", "deadline"),
        ("时间节点", "deadline"),
        ("时限", "deadline"),
        ("是否达序", "status"),
        ("完成进度", "status"),
        ("序时进度", "schedule"),
        ("备注", "note"),
        ("总投资", "investment"),
        ("计划投资", "investment"),
        ("市发改委", None),
        ("1", None),
        ("完成情况良好", None),
        ("全年地区生产总值增长6%以上", None),
    ],
)
def test_header_role(header: str, role: str | None) -> None:
    assert header_role(header) == role


@pytest.mark.parametrize(
    ("cells", "role"),
    [
        (["1", "2", "3", "4"], "number"),
        (["一", "二", "三"], "number"),
        (["市发改委", "市财政局、市住建局", "区商务局", "各街道"], "lead"),
        (["县教育局", "县示范区管委会", "城投集团"], "lead"),
        (["6月底前", "2021年12月底", "全年", "长期坚持"], "deadline"),
        (["张三副市长", "李四", "王五、赵六"], "official"),
        (["已完成", "序时推进", "滞后"], "status"),
        (["全年地区生产总值增长6%以上,一般公共预算收入增长3%。", "新建5G基站1000个。"], None),
        ([], None),
    ],
)
def test_content_role(cells: list[str], role: str | None) -> None:
    assert content_role(cells) == role


@pytest.mark.parametrize(
    "surface",
    [
        "各区、县级市",
        "县级市",
        "各县(市、区)政府",
        "各县（市）区政府",
        "各有关单位",
        "各相关单位",
        "有关部门",
        "相关街道",
        "各街道",
        "各镇(街道)",
        "区直各部门",
        "市直各部门",
        "各地各部门",
        "全区经济运行各专班",
        "市各有关部门",
        "区属各重点国企",
        "区疫情防控指挥部成员单位",
        "各乡、镇人民政府",
    ],
)
def test_catch_all_groups(surface: str) -> None:
    assert is_catch_all(surface, "南通")


@pytest.mark.parametrize(
    "surface", ["市发改委", "区住建局", "团市委", "立山经济开发区", "某某区人民政府", "市委组织部"]
)
def test_units_are_not_catch_alls(surface: str) -> None:
    assert not is_catch_all(surface, "南通")


@pytest.mark.parametrize(
    ("surface", "name", "level"),
    [
        ("国家发展改革委", "国家发展和改革委员会", "国家"),
        ("省发展改革委", "省发展和改革委员会", "省"),
        ("省住建厅", "省住房和城乡建设厅", "省"),
        ("省住房城乡建设厅", "省住房和城乡建设厅", "省"),
        ("市发改委", "市发展和改革委员会", "市"),
        ("区住建局", "区住房和城乡建设局", "县区"),
        ("县卫健局", "县卫生健康局", "县区"),
        ("区发改局", "区发展和改革局", "县区"),
        ("区市场局", "区市场监督管理局", "县区"),
        ("立山区发改局", "区发展和改革局", "县区"),
        ("某某区人民政府", "某某区人民政府", "县区"),
        ("桥东街道办事处", "桥东街道办事处", "县区"),
    ],
)
def test_units_resolve_at_their_level(surface: str, name: str, level: str) -> None:
    entry = resolve_unit(surface, "南通")
    assert (entry.name, entry.level) == (name, level)
    assert resolve_unit(entry.name, "南通") == entry  # the canonical name finds itself


def test_district_bodies_name_their_municipal_counterpart() -> None:
    entry = lookup("区发改局")
    assert entry is not None and entry.counterpart == "市发展和改革委员会"


def _stated(body: str, city: str = "南通") -> list[tuple[str, str, str | None]]:
    text, got = _split(body)
    task = TaskSeg(
        number=1,
        line=1,
        text=Span(start=2, end=got.text_end, text=text[2 : got.text_end]),
        fields=got.fields,
    )
    doc = SegmentedDocument(path="x", text=text, layout="list")
    chapter = ChapterSeg(number=1, title=None, line=1)
    return [(a.role, a.surface, a.level) for a in stated_assignments(doc, chapter, task, city)]


def test_assignments_from_a_bracket_drop_catch_alls() -> None:
    got = _stated(
        "建成5G基站（牵头单位：市发展改革委，配合单位：市委组织部、市人力资源和社会保障局，"
        "各区、县级市）"
    )
    assert got == [
        ("lead", "市发展改革委", "市"),
        ("assist", "市委组织部", "市"),
        ("assist", "市人力资源和社会保障局", "市"),
    ]


def test_first_of_a_responsible_list_leads_unless_a_lead_is_named() -> None:
    assert _stated("稳就业（市人社局、市财政局等负责）") == [
        ("lead", "市人社局", "市"),
        ("assist", "市财政局", "市"),
    ]
    assert _stated("稳就业。牵头单位:区人社局;责任单位:区财政局,各街道,各相关单位") == [
        ("lead", "区人社局", "县区"),
        ("assist", "区财政局", "县区"),
    ]
    # a catch-all first in the list does not lead; the first body does
    assert _stated("稳就业。\n责任单位：各县(市、区)政府，市人社局、市财政局") == [
        ("lead", "市人社局", "市"),
        ("assist", "市财政局", "市"),
    ]


def test_a_bare_name_after_a_provincial_one_is_provincial() -> None:
    got = _stated("扩大消费。(省商务厅、财政厅、发展改革委等相关部门按职责分工负责)")
    assert got[:2] == [("lead", "省商务厅", "省"), ("assist", "财政厅", "省")]


def test_a_copy_cut_inside_the_closing_bracket_of_units_keeps_them() -> None:
    text, got = _split("提高财政补助标准。落实最低生活保障标准政策。(市医疗保障局、市卫生健康委")
    assert [(f.role, f.value.text) for f in got.fields] == [
        ("responsible", "市医疗保障局、市卫生健康委")
    ]
    assert text[: got.text_end].endswith("保障标准政策。")
    # a bracket left open before more text is no field: the copy is not cut there
    _, mid = _split("推进(市医疗保障局、市卫生健康委\n2.建设新城。")
    assert mid.fields == []


def test_labels_of_a_report_on_two_levels_and_of_a_project_head() -> None:
    _, got = _split("地区生产总值增长10%。(市级牵头单位:市发展改革委;区级牵头单位:区发改局)")
    assert [(f.role, f.value.text) for f in got.fields] == [
        ("lead", "市发展改革委"),
        ("lead", "区发改局"),
    ]
    _, got = _split(
        "新增设备300套。 牵头领导:王仁洲 责任单位:市公安局 项目责任人:王伟标 "
        "实际完成情况:整体进度已完成年度目标任务的55%。"
    )
    assert [(f.role, f.value.text) for f in got.fields] == [
        ("official", "王仁洲"),
        ("responsible", "市公安局"),
        ("official", "王伟标"),
    ]
    assert got.progress is not None


def test_a_unit_list_ends_where_a_flattened_table_runs_on() -> None:
    text = "市公安局、市城管局,各区政府 鄞州 海曙、江东 合计 新辟线路年度目标 2 5"
    assert [u.surface for u in split_units(text)] == ["市公安局", "市城管局", "各区政府"]
    # a unit's report on its part (舜耕街道办事处:已联合…) ends the list
    text = "区投促局、\n\n舜耕街道办事处\n\n\n舜耕街道办事处:已联合区投促局、山东国华成立招商小组"
    assert [u.surface for u in split_units(text)] == ["区投促局", "舜耕街道办事处"]
    # one odd piece after a space is still a unit (a company's short name) or a head's name
    assert [u.surface for u in split_units("区城管局 区水投")] == ["区城管局", "区水投"]


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("王 嵘\n方 勇", ["王嵘", "方勇"]),  # a padded name per line of the cell
        ("陆 明俞 悦", ["陆明", "俞悦"]),  # two padded names run together
        ("祝振伟 陈夏林", ["祝振伟", "陈夏林"]),
        ("钱 宇", ["钱宇"]),
    ],
)
def test_officials_in_a_table_cell(value: str, names: list[str]) -> None:
    found = officials_in(value, 10)
    assert [o.name for o in found] == names
    assert all(value[o.offset - 10 :].startswith(o.surface) for o in found)
