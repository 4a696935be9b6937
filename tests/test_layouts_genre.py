"""The layouts of the genre read through the document model (issue #14).

Small documents written in the genre's shapes; the real documents of tests/data/real/ are
the evidence that these shapes occur (tests/test_real.py).
"""

from __future__ import annotations

import pytest

from graph.errors import ParseError
from ingest.pipeline import IngestOptions, process_loaded
from ingest.readers import read_bytes
from ingest.readers.text import align_cells, read_text
from ingest.segment import segment

OPTIONS = IngestOptions(city="某", year=2023)


def _records(text: str, name: str = "x.txt"):  # type: ignore[no-untyped-def]
    return process_loaded(read_text(text, name), OPTIONS)


def test_parenthesised_chinese_numbers_are_the_tasks_under_chapters() -> None:
    doc = segment(
        "一、主要预期目标\n（一）地区生产总值增长7%以上\n责任单位：区发展和改革局\n"
        "（二）规上工业增加值增长12%以上\n责任单位：区科技和经信局\n"
        "二、重点工作\n（一）推进城市更新\n牵头单位：区住建局\n"
    )
    assert [(t.key, t.text.text) for t in doc.tasks] == [
        ("1", "地区生产总值增长7%以上"),
        ("2", "规上工业增加值增长12%以上"),
        ("2-1", "推进城市更新"),
    ]
    assert [c.number for c in doc.chapters] == [1, 2]


def test_numbering_that_starts_again_is_another_list_with_its_own_ids() -> None:
    got = _records(
        "省民生实事\n1.新建幼儿园5所。\n2.改造农村公路100公里。\n"
        "市民生实事\n1.新增公交线路3条。\n2.建成口袋公园10个。\n"
    )
    tasks = sorted(n.id for n in got.records.nodes if n.label == "Task")
    assert tasks == ["task:某-2023:1", "task:某-2023:2", "task:某-2023:2-1", "task:某-2023:2-2"]
    second = next(n for n in got.records.nodes if n.id == "task:某-2023:2-1")
    assert second.properties["section"] == 2 and second.properties["number"] == 1


def test_a_covering_letter_before_its_attachment_gives_no_tasks() -> None:
    doc = segment(
        "各部门：\n一、高度重视，压实责任。各单位要细化措施。\n二、加强督查。\n"
        "附件：重点工作任务分解表\n某某区人民政府办公室\n2023年3月1日\n附件\n"
        "一、稳增长\n1.地区生产总值增长6%。\n牵头单位：区发改局\n"
    )
    assert [(t.number, t.text.text) for t in doc.tasks] == [(1, "地区生产总值增长6%。")]


def test_a_copy_run_together_on_one_line_is_split_at_its_numbers() -> None:
    line = (
        "现将重点工作分解如下。 一、扩大内需 (一)促进消费。 1.落实提振消费措施,改善消费条件。"
        "(省商务厅牵头,省财政厅配合) 2.激活房地产市场,满足刚性住房需求。(省住房城乡建设厅负责)"
        " 3.加大保障性租赁住房供给,解决新市民住房问题。(省住房城乡建设厅牵头)"
    )
    got = _records(line)
    assert [t.number for t in got.segmented.tasks] == [1, 2, 3]
    assert all(t.line == 1 for t in got.segmented.tasks)
    leads = {e.target.rsplit(":", 1)[1] for e in got.records.edges if e.type == "LEADS"}
    assert leads == {"1", "2", "3"}


def test_a_lead_named_in_a_section_heading_applies_to_its_tasks() -> None:
    got = _records(
        "附件1\n2025年县政府工作报告任务清单\n一、县示范区管委会牵头工作(2项)\n"
        "1.建设南美白对虾工厂化循环水养殖基地。\n2.打造食用菌酵素生产基地。\n"
    )
    leads = sorted(
        (e.target.rsplit(":", 1)[1], e.properties["surface"])
        for e in got.records.edges
        if e.type == "LEADS"
    )
    assert leads == [("1", "县示范区管委会"), ("2", "县示范区管委会")]


FLAT = (
    "序号\n工作任务\n牵头领导\n牵头单位\n配合单位\n"
    "1\n新增高新技术企业300家。\n王斌\n市科技局\n市财政局、市统计局\n"
    "2\n培育专精特新企业50家。\n市工信局\n市财政局\n"  # 王斌 merged down: a missing cell
)


def test_a_flattened_table_repeats_a_merged_cell_from_above() -> None:
    doc = read_text(FLAT)
    (table,) = doc.tables
    row = table.rows[2]
    assert [c.text for c in row] == ["2", "培育专精特新企业50家。", "王斌", "市工信局", "市财政局"]
    assert row[2].merged_from == (1, 2) and row[2].span == table.rows[1][2].span
    seg = segment(doc)
    assert [(f.role, f.value.text) for f in seg.tasks[1].fields] == [
        ("official", "王斌"),
        ("lead", "市工信局"),
        ("assist", "市财政局"),
    ]


def test_cells_are_aligned_to_columns_by_what_they_look_like() -> None:
    roles: list[str | None] = ["text", "official", "lead", "assist", "progress"]
    assert align_cells(roles[:3] + roles[4:], ["long", "units", "long"]) == [[0], [], [1], [2]]
    assert align_cells(roles, ["long", "name", "units", "units", "long", "long"]) == [
        [0],
        [1],
        [2],
        [3],
        [4, 5],
    ]


def test_a_pipe_row_missing_its_merged_cells_is_a_sub_row_of_the_task_above() -> None:
    got = _records(
        "民生实事项目进展情况表\n序号 | 项目内容 | 进展情况 | 责任单位 |\n"
        "1 | 新建婴幼儿成长驿站7家。 | 新建成长驿站13家。 | 卫生健康局 |\n"
        "新增托位500个。 | 新增托位600个。 | ||\n"
        "2 | 实施农村公路大中修100公里。 | 完成大中修50公里。 | 交通运输局 |\n"
    )
    tasks = got.segmented.tasks
    assert [t.number for t in tasks] == [1, 2]
    targets = sorted(
        (n.properties["value"], n.properties.get("actual_value"))
        for n in got.records.nodes
        if n.label == "Target" and n.id.startswith("target:某-2023:1:")
    )
    assert targets == [(7.0, 13.0), (500.0, 600.0)]


HTML = """<html><head><meta charset="utf-8"></head><body>
<p>2024年度区政府民生实事项目进度表</p>
<table>
<tr><th rowspan="2">序号</th><th rowspan="2">项目名称</th><th rowspan="2">牵头单位</th>
    <th colspan="2">本月进展情况</th><th rowspan="2">完成时限</th></tr>
<tr><th>前期手续</th><th>形象进度</th></tr>
<tr><td colspan="6">一、教育</td></tr>
<tr><td>1</td><td>新建中小学3所</td><td rowspan="2">区教体局</td><td>已完成</td>
    <td>主体封顶</td><td>12月底</td></tr>
<tr><td>2</td><td>新增学位3800个</td><td>已完成</td><td>新增学位3000个</td><td>12月底</td></tr>
</table></body></html>"""


def test_an_html_table_with_spans_and_two_header_levels() -> None:
    doc = read_bytes(HTML.encode(), "x.html")
    seg = segment(doc)
    assert seg.layout == "html-table"
    assert [(c.number, c.title.text if c.title else None) for c in seg.chapters] == [(1, "教育")]
    second = seg.tasks[1]
    assert [(f.role, f.value.text) for f in second.fields] == [("lead", "区教体局")]
    assert second.properties == {"完成时限": "12月底"}
    assert second.progress is not None and second.progress.span.text == "已完成"
    got = process_loaded(doc, OPTIONS)
    task = next(n for n in got.records.nodes if n.id == "task:某-2023:2")
    assert task.properties["columns"] == ["完成时限: 12月底"]
    target = next(n for n in got.records.nodes if n.id == "target:某-2023:2:1")
    assert (target.properties["value"], target.properties["actual_value"]) == (3800.0, 3000.0)


def test_progress_that_goes_on_from_the_task_without_a_label() -> None:
    doc = segment(
        "(二)其他指标任务完成情况\n"
        "1.新开工亿元以上产业项目100个。上半年,新开工亿元及以上产业项目80个。\n"
        "2.新增高新技术企业50家,建设创新平台。1-6月,新增高新技术企业31家。\n"
    )
    first, second = doc.tasks
    assert first.text.text == "新开工亿元以上产业项目100个。"
    assert first.progress is not None and first.progress.span.text.startswith("上半年,")
    assert second.progress is not None and second.progress.span.text.startswith("1-6月,")


def test_a_flattened_header_may_hold_a_word_it_does_not_know() -> None:
    doc = read_text(
        "序号\n项目内容\n项目数量\n当前进度\n牵头单位\n"
        "1\n新建公办园5所。\n1个\n80%\n县教育局\n"
        "2\n建设四好农村路55公里。\n1个\n95%\n县交通局\n"
    )
    (table,) = doc.tables
    assert table.n_cols == 5 and [c.text for c in table.rows[2]][-1] == "县交通局"
    seg = segment(doc)
    assert [(t.number, t.properties) for t in seg.tasks] == [
        (1, {"项目数量": "1个"}),
        (2, {"项目数量": "1个"}),
    ]


def test_yishi_items_that_name_their_lead_are_the_tasks() -> None:
    got = _records(
        "一、扩大有效投资\n"
        "（一）加快重大项目建设。一是推进沿江高铁建设（市发改委牵头，市交通局配合）；"
        "二是开工建设城市快速路10公里（市住建局负责）。\n"
        "（二）促进消费。一是举办消费季活动（市商务局牵头）；二是新增限上企业50家（市商务局负责）。\n"
    )
    tasks = [(t.key, t.text.text) for t in got.segmented.tasks]
    assert tasks == [
        ("1", "推进沿江高铁建设"),
        ("2", "开工建设城市快速路10公里"),
        ("2-1", "举办消费季活动"),
        ("2-2", "新增限上企业50家"),
    ]
    leads = sorted(
        (e.target.rsplit(":", 1)[1], e.properties["surface"])
        for e in got.records.edges
        if e.type == "LEADS"
    )
    assert leads == [("1", "市发改委"), ("2", "市住建局"), ("2-1", "市商务局"), ("2-2", "市商务局")]


def test_yishi_in_a_task_without_leads_of_its_own_stays_in_the_task() -> None:
    doc = segment(
        "一、产业\n1.发展先进制造业,一是培育龙头企业,二是建设产业园。\n牵头单位:市工信局\n"
        "2.推进科技创新,一是建设实验室,二是引进人才。\n牵头单位:市科技局\n"
    )
    assert [t.number for t in doc.tasks] == [1, 2]
    assert "二是建设产业园" in doc.tasks[0].text.text


def test_a_unit_written_with_its_heads_name_gives_the_official() -> None:
    got = _records(
        "序号 | 工作任务 | 牵头单位 | 进展情况 |\n"
        "1 | 提高城乡低保标准。 | 市民政局 伍泽国 | 已完成。 |\n"
        "2 | 新增公办学位3000个。 | 市教育局、市财政局 | 新增学位2100个。 |\n"
    )
    edges = [
        (e.type, e.target.rsplit(":", 1)[1], e.properties.get("surface")) for e in got.records.edges
    ]
    assert ("OVERSEES", "1", "伍泽国") in edges and ("LEADS", "1", "市民政局") in edges
    assert not any(t == "OVERSEES" and k == "2" for t, k, _ in edges)


def test_parenthesised_and_circled_numbers_as_the_task_level() -> None:
    doc = segment(
        "一、稳增长\n（一）扩大投资\n(1)新开工亿元以上项目100个。牵头单位:市发改委\n"
        "(2)完成工业投资500亿元。牵头单位:市工信局\n（二）促进消费\n"
        "(1)社会消费品零售总额增长8%。牵头单位:市商务局\n"
    )
    assert [(t.key, t.text.text) for t in doc.tasks] == [
        ("1", "新开工亿元以上项目100个。"),
        ("2", "完成工业投资500亿元。"),
        ("2-1", "社会消费品零售总额增长8%。"),
    ]
    circled = segment(
        "重点民生实事\n①新建幼儿园5所,新增学位1000个。牵头单位:市教育局\n"
        "②改造老旧小区30个。牵头单位:市住建局\n"
    )
    assert [(t.number, [f.value.text for f in t.fields]) for t in circled.tasks] == [
        (1, ["市教育局"]),
        (2, ["市住建局"]),
    ]


def test_documents_of_unknown_places_never_share_a_plan() -> None:
    one = process_loaded(
        read_text("2023年民生实事\n1.新建幼儿园5所。\n2.改造老旧小区30个。\n", "a.txt")
    )
    two = process_loaded(
        read_text("2023年民生实事\n1.建成口袋公园10个。\n2.新增公交线路3条。\n", "b.txt")
    )
    keys = {one.meta.plan_key, two.meta.plan_key}
    assert len(keys) == 2 and all(k.startswith("未知") for k in keys)
    assert any("pass --city" in w for w in one.segmented.warnings)


def test_tasks_quoted_in_prose_by_their_number_and_lead() -> None:
    got = _records(
        "关于1-5月份重点工作进展情况的报告\n"
        "147项重点工作总体进展顺利,8项未达预期。未达预期项目分别是:"
        "市发改委牵头的第1项“地区生产总值增长6.5%以上”,一季度增长6.4%;"
        "市商务局负责的第5项“社会消费品零售总额增长6%”,一季度增长4.6%,增速居全省末位。\n"
    )
    tasks = {n.properties["number"]: n for n in got.records.nodes if n.label == "Task"}
    assert sorted(tasks) == [1, 5]
    assert tasks[5].properties["text"] == "社会消费品零售总额增长6%"
    leads = {(e.source, e.target.rsplit(":", 1)[1]) for e in got.records.edges if e.type == "LEADS"}
    assert {t for _, t in leads} == {"1", "5"}
    figures = sorted(n.properties["actual_value"] for n in got.records.nodes if n.label == "Target")
    assert figures == [4.6, 6.4]


def test_one_quoted_task_in_prose_is_not_a_work_plan() -> None:
    with pytest.raises(ParseError, match="no numbered tasks"):
        segment("会议指出,要完成第1项“地区生产总值增长6.5%以上”的目标。\n")


def test_numbers_alone_on_their_lines_are_the_tasks_when_nothing_else_is() -> None:
    doc = segment(
        "2016年实事项目具体完成情况\n\n1\n\n新增 7069张 公办养老床位,为计划的101%。\n\n"
        "2\n\n新建 81家 老年人日间服务中心。\n责任单位:市民政局\n\n3\n\n完成 101.7万 老旧住宅小区电"
    )
    assert [(t.number, t.text.text) for t in doc.tasks] == [
        (1, "新增 7069张 公办养老床位,为计划的101%。"),
        (2, "新建 81家 老年人日间服务中心。"),
        (3, "完成 101.7万 老旧住宅小区电"),
    ]
    assert [f.value.text for f in doc.tasks[1].fields] == ["市民政局"]


def test_a_table_whose_name_column_says_what_it_names_and_the_pages_fields_after_it() -> None:
    doc = segment(
        "类别 | 民生事项名称 | 2022年度任务目标 | 责任单位 | 分管市领导 | 1-9月份工作完成情况 |\n"
        "四、教育文化 | 14.改扩建泉山学校 | 完成2座教学楼。 | 教育体育局 | 刘福利 | 完成主体。 |\n"
        "15.推进学校塑胶运动场地建设 | 完成运动场地。 | 教育体育局 | 刘福利 | 开始施工。 | |\n"
        "索引号: | 113706850042672474/2022-04772 | 成文日期: | 2022-10-08 |\n"
    )
    assert [(t.number, t.text.text) for t in doc.tasks] == [
        (14, "改扩建泉山学校"),
        (15, "推进学校塑胶运动场地建设"),
    ]
    assert doc.tasks[1].properties.get("类别") == "四、教育文化"


def test_items_that_report_on_a_numbered_task_are_its_progress_not_tasks() -> None:
    got = _records(
        "关于2023年为民办实事项目实施情况的通报\n"
        "一、新增义务教育公办学校学位5萬個,改造近视防控教室照明2万间\n"
        "省级财政补助资金下达5.45亿元,完成年度计划的104.44%。\n"
        "(一)推进公办学校扩容建设,投用后预计新增学位10.74萬個,完成年度计划的214.8%。\n"
        "(二)实施近视防控教室照明改造工程,全省完成改造21702间,完成年度计划的108.5%。\n"
        "二、新建、改扩建公办幼儿园150所\n"
        "全省开工新建、改扩建公办幼儿园195所,完成年度计划的130%。\n"
        "三、新增300所学校体育场向社会开放\n"
        "(一)全省新增301所学校均已向社会开放学校体育场地。\n"
        "(二)全省学校均已落实有关要求。\n"
    )
    tasks = {n.properties["number"]: n for n in got.records.nodes if n.label == "Task"}
    assert sorted(tasks) == [1, 2, 3]
    assert tasks[1].properties["text"] == "新增义务教育公办学校学位5萬個,改造近视防控教室照明2万间"
    targets = sorted(
        (n.properties["value"], n.properties["unit"], n.properties.get("actual_value"))
        for n in got.records.nodes
        if n.label == "Target" and n.id.split(":")[2] == "1"
    )
    assert targets == [(2.0, "万间", 21702.0), (5.0, "萬個", 10.74)]


def test_cells_each_closed_by_a_pipe_on_its_line_without_missing_cell_markers() -> None:
    doc = segment(
        "重点工作目标任务分解表\n序号 |\n目标与任务 |\n分 管 县领导 |\n牵头责任单位 |\n责任单位 |\n"
        "80 |\n新增托位数400个以上,公办园在园幼儿占比60%以上。 |\n俞 悦 |\n县教育局 |\n"
        "县各有关单位 |\n81 |\n保障职业学院秋季开学。 |\n陆 明 |\n县教育局 |\n县各有关单位 |\n"
    )
    assert [(t.number, t.text.text) for t in doc.tasks] == [
        (80, "新增托位数400个以上,公办园在园幼儿占比60%以上。"),
        (81, "保障职业学院秋季开学。"),
    ]
    assert [(f.role, f.value.text) for f in doc.tasks[1].fields] == [
        ("official", "陆 明"),
        ("lead", "县教育局"),
        ("responsible", "县各有关单位"),
    ]


def test_a_space_separated_table_with_a_wrapped_header_and_a_total_row() -> None:
    doc = segment(
        "万州区2025年重点民生实事目标任务及月度推进情况表\n"
        "序号 项目名称 2025年工作目标任务 2025年投资计划(万元) 责任\n单位\n"
        "月度进展情况(1-3月) 投资完成情况 备注\n完成额度\n(万元)\n占比(%\n"
        "合计 182852 \n\n55219.1 30.2 \n一、市级重点民生实事 16842 \n\n4906.1 29.1 \n"
        "1 实施城镇老旧小区改造 新开工改造城镇老旧小区67个。 11604 区住房城乡建委 "
        "新开工改造城镇老旧小区42个。 3500  30.2 \n"
        "2 农村公路加装护栏 实施农村公路生命安全防护工程201公里。 3417 区交通运输委 "
        "已完成施工图审查。 680 19.9 \n"
        "3 关爱青少年心理健康 开展中小学教师心理健康教育"
    )
    assert [(t.number, t.text.text) for t in doc.tasks] == [
        (1, "实施城镇老旧小区改造"),
        (2, "农村公路加装护栏"),
        (3, "关爱青少年心理健康"),
    ]
    assert [f.value.text for f in doc.tasks[0].fields] == ["区住房城乡建委"]
    assert doc.tasks[1].progress is not None
    assert doc.tasks[1].progress.span.text == "已完成施工图审查。"
    assert not doc.tasks[2].complete


def test_a_heading_with_no_tasks_under_it_that_names_its_unit_is_a_task() -> None:
    doc = segment(
        "截止2019年12月31日,十件实事涉及的16项工作任务全面完成。\n"
        "一、减少农村扶贫对象6.76万人。(责任单位:市扶贫办)该件实事已全面完成\n"
        "1.减少农村扶贫对象6.76万人(责任单位:市扶贫办,各县区)\n此项工作已完成。\n"
        "2.实施易地扶贫搬迁18695人。(责任单位:市移民局)\n此项工作已完成。\n"
        "二、解决6万人农村饮水安全问题。(责任单位:市水务局,各县区政府)该件实事已全面完成\n"
        "此项工作已完成。解决6.007万人的农村饮水安全问题。\n"
        "三、新建公办幼儿园8所。(责任单位:市教育局)\n"
        "1.新建、改扩建公办幼儿园8所(责任单位:市教育局)\n此项工作已完成。\n"
    )
    assert [(t.key, t.text.text[:12]) for t in doc.tasks] == [
        ("1", "减少农村扶贫对象6.76"),
        ("2", "实施易地扶贫搬迁1869"),
        ("2-2", "解决6万人农村饮水安全问"),
        ("3-1", "新建、改扩建公办幼儿园8"),
    ]
    leaf = doc.tasks[2]
    assert [f.value.text for f in leaf.fields] == ["市水务局,各县区政府"]
    assert leaf.progress is not None and "6.007万人" in leaf.progress.span.text


def test_a_traditional_copy_with_a_row_broken_over_two_lines() -> None:
    doc = segment(
        "序號 | 項目名稱 | 實施內容 | 項目當前形象進度 | 年內計劃投資(萬元) | 責任部門 |\n"
        "1 | 餐飲服務食品安全提升工程 | 在500家餐飲單位實施明廚亮灶。 | 已接入。 | 350 | 市監局 |\n"
        "2 | 兒童口腔健康幸福工程 | 完成48所區屬小學學生的口腔健康檢查。 | 現場實施已結束。 |\n"
        "130 | 民衛局 |\n"
        "3 | 就業惠民工程 | 全年新增60000個就業崗位。 | 新增就業62806個。 | 0 | 人社局 |\n"
    )
    assert [(t.number, t.text.text) for t in doc.tasks] == [
        (1, "餐飲服務食品安全提升工程"),
        (2, "兒童口腔健康幸福工程"),
        (3, "就業惠民工程"),
    ]
    assert [f.value.text for f in doc.tasks[1].fields] == ["民衛局"]
    assert doc.tasks[2].progress is not None


def test_planned_and_done_investment_columns_are_a_target_and_its_figure() -> None:
    got = _records(
        "序号 | 项目名称 | 形象进度 | 年内计划投资(万元) | 年内已累计投入资金(万元) | 责任部门 |\n"
        "1 | 餐饮服务食品安全提升工程 | 已接入平台。 | 350 | 206 | 区市场监管局 |\n"
        "2 | 儿童口腔健康幸福工程 | 检查已结束。 | 130 | 105.96 | 区卫健委 |\n"
    )
    targets = sorted(
        (
            n.id.split(":")[2],
            *(n.properties.get(k) for k in ("value", "unit", "actual_value", "ratio")),
        )
        for n in got.records.nodes
        if n.label == "Target"
    )
    assert targets == [("1", 350.0, "万元", 206.0, 0.5886), ("2", 130.0, "万元", 105.96, 0.8151)]
