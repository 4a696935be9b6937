"""Unit tests of the rule extractors on short strings."""

from __future__ import annotations

import pytest

from ingest.extract import extract_task, part_mentions
from ingest.extract.documents import unbracketed_mentions
from ingest.extract.organizations import org_candidates
from ingest.extract.places import place_candidates
from ingest.extract.targets import convert, figures, pair_targets, target_mentions
from ingest.models import TargetMention
from ingest.resolve import canonical_org, resolve_document
from ingest.segment import segment


def surfaces(text: str, label: str) -> list[str]:
    return [m.surface for m in part_mentions(text, 0, len(text)) if m.label == label]


# --- documents -------------------------------------------------------------------------------


def test_bracketed_titles_keep_inner_punctuation() -> None:
    t = "出台《南通市智慧建筑产业三年行动方案(2019-2021年)》和《关于“5215”的意见》。"
    assert surfaces(t, "Document") == [
        "南通市智慧建筑产业三年行动方案(2019-2021年)",
        "关于“5215”的意见",
    ]


def test_unbracketed_title_needs_a_specific_name() -> None:
    t = "落实长三角一体化三年行动计划任务,编制县域乡村建设规划,实施“千企升级”三年行动计划。"
    got = [m.surface for m in unbracketed_mentions(t, 0, len(t))]
    assert got == ["长三角一体化三年行动计划", "“千企升级”三年行动计划"]
    assert all(m.kind == "unbracketed" for m in unbracketed_mentions(t, 0, len(t)))


def test_nothing_is_read_inside_a_title() -> None:
    t = "印发《南通市长江入河排污口排查整治工作方案》。"
    assert surfaces(t, "Place") == [] and surfaces(t, "Project") == []


# --- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("赴成都、上海、西安等地举办对接会", ["成都", "上海", "西安"]),
        ("其中曲塘镇210项、洋口镇389项", ["曲塘镇", "洋口镇"]),
        ("洋口港区、吕四港区纳入规划", ["洋口港区", "吕四港区"]),
        ("实施长青沙、开沙岛等沿江区域绿化工程", ["长青沙", "开沙岛"]),
        ("宝应县射阳湖镇完成湿地修复", ["宝应县", "射阳湖镇"]),
        ("组织企业参加欧盟、西班牙、捷克等国推介会", ["欧盟", "西班牙", "捷克"]),
        # a route "X至Y" is no place: its far end is (the road itself is a Project)
        ("加快推进通海至余东高速、桃源至南湖高速建设", ["南湖"]),
        ("推进合肥至芜湖高速", ["合肥", "芜湖"]),
    ],
)
def test_places(text: str, expected: list[str]) -> None:
    assert [c.surface(text) for c in place_candidates(text, 0, len(text))] == expected


def test_generic_words_are_not_places() -> None:
    t = "推进沿江沿海地区发展,加强乡镇河道整治,建设特色小镇和美丽乡村"
    assert [c.surface(t) for c in place_candidates(t, 0, len(t))] == []


def test_historical_division_is_kept_and_own_city_dropped() -> None:
    doc = segment("1.海门市以振康机械为龙头,南通市推进。\n进展情况:①已推进。\n")
    ex = resolve_document({1: extract_task(doc.text, doc.tasks[0])}, "南通")
    places = [(m.surface, m.name) for m in ex[1].mentions if m.label == "Place"]
    assert places == [("海门市", "海门市")]


def test_place_inside_a_project_name_is_listed_but_not_inside_an_organization() -> None:
    t = "推动通州湾精品钢基地建设,江西南通商会登记注册"
    assert surfaces(t, "Place") == ["通州湾"]
    assert surfaces(t, "Organization") == ["江西南通商会"]


# --- organizations ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经省林业局认定,省交通运输厅批复", ["省林业局", "省交通运输厅"]),
        ("江苏省自然资源厅审查通过", ["江苏省自然资源厅"]),
        ("精选18家企业向工信部申报", ["工信部"]),
        ("与华为技术有限公司签订协议", ["华为技术有限公司"]),
        ("组织通富微电、招商局重工等申报", ["通富微电", "招商局重工"]),
        (
            "引进上海海事大学,成立南通市工业互联网产业发展联盟",
            ["上海海事大学", "南通市工业互联网产业发展联盟"],
        ),
    ],
)
def test_organizations(text: str, expected: list[str]) -> None:
    assert [c.surface(text) for c in org_candidates(text, 0, len(text))] == expected


def test_generic_heads_are_not_organizations() -> None:
    t = "帮助10家行业商会,指导平台公司转型,新建校企联盟,打造新能源汽车全产业链"
    assert [c.surface(t) for c in org_candidates(t, 0, len(t))] == []


def test_municipal_department_is_a_department_mention() -> None:
    t = "组建了隶属于市行政审批局的事业单位"
    found = [(m.label, m.surface, m.level) for m in part_mentions(t, 0, len(t))]
    assert found == [("Department", "市行政审批局", "市")]


def test_canonical_names_of_abbreviations() -> None:
    assert canonical_org("上海交大") == canonical_org("上海交通大学") == "上海交通大学"
    assert canonical_org("省发改委") == "省发展和改革委员会"
    assert canonical_org("工信部") == "工业和信息化部"


# --- projects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "加快沪通铁路、盐通铁路建设,海启高速、锡通高速北接线建成通车",
            ["沪通铁路", "盐通铁路", "海启高速", "锡通高速北接线"],
        ),
        ("开工一港池进港航道和起步码头工程", ["一港池进港航道", "起步码头"]),
        ("抓好轨道交通1号线建设", ["轨道交通1号线"]),
        ("如皋市规划建设“氢能产业园”", ["氢能产业园"]),
        ("举办第四届中国(南通)海洋新材料产业高峰论坛", ["第四届中国(南通)海洋新材料产业高峰论坛"]),
        (
            "恒科纺织二期开工,吕四港区10万吨级通用码头工程报批",
            ["恒科纺织二期", "吕四港区10万吨级通用码头"],
        ),
    ],
)
def test_projects(text: str, expected: list[str]) -> None:
    assert surfaces(text, "Project") == expected


def test_generic_phrases_are_not_projects() -> None:
    t = "抓好重大项目和城建重点项目,创建智能制造示范区,建设4个项目"
    assert surfaces(t, "Project") == []


# --- targets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("新建校企联盟六百家", 600.0, "家"),
        ("新开工产业项目三十个", 30.0, "个"),
        ("生物医药产业规模突破千亿元", 1000.0, "亿元"),
        ("工业总产值达1.5万亿元左右", 1.5, "万亿元"),
        ("实际使用外资达到１５亿美元", 15.0, "亿美元"),
        ("外贸进出口总额增长８％", 8.0, "％"),
        ("比重提高1.5个百分点", 1.5, "个百分点"),
        ("为600个行政村配建(更新)健身器材", 600.0, "个"),
        ("新增义务教育公办学校学位5萬個", 5.0, "萬個"),
        ("改造近视防控教室照明2万间", 2.0, "万间"),
        ("完成泉山学校一期2座教学楼建设", 2.0, "座"),
        ("为全区23000名老年人提供居家上门服务", 23000.0, "名"),
        ("新增安装300套路口交通信息视频采集设备", 300.0, "套"),
    ],
)
def test_target_values_and_units(text: str, value: float, unit: str) -> None:
    [t] = target_mentions(text, 0, len(text))
    assert (t.value, t.unit) == (value, unit)


def test_modifiers_are_not_targets() -> None:
    t = (
        "力争全年新开工10亿元以上产业项目三十个,加强对8个在手百亿元以上产业项目的服务,"
        "深化20万吨级航道前期工作"
    )
    assert [(m.value, m.unit) for m in target_mentions(t, 0, len(t))] == [(30.0, "个")]


def test_qualifiers() -> None:
    t = "力争新引进外资项目40个、内资项目10个,参保率稳定在97.5%左右,林木覆盖率24%以上,超过70%。"
    assert [m.qualifier for m in target_mentions(t, 0, len(t))] == [
        "力争",
        "力争",
        "左右",
        "以上",
        "超过",
    ]


def test_unit_conversion() -> None:
    assert convert(2.0, "万人", "人") == 20000.0
    assert convert(1.36, "亿元", "万亿元") == 0.000136
    assert convert(3, "家", "个") is None


def test_pairing_picks_the_figure_of_the_same_metric() -> None:
    task = "造船完工量达到1000万载重吨,新引进高层次人才2万人。"
    progress = (
        "全市造船完工量810万载重吨,新接订单1280万载重吨;新引进高层次人才9600人,其中博士386人。"
    )
    targets = target_mentions(task, 0, len(task))
    pair_targets(progress, targets, 0, len(progress))
    assert [(t.actual.value if t.actual else None, t.ratio) for t in targets] == [
        (810.0, 0.81),
        (9600.0, 0.48),
    ]


def test_growth_rate_does_not_pair_with_a_level() -> None:
    targets = [
        TargetMention(metric="高新技术产业产值占比", value=50, unit="%", text="比重达50%", offset=0)
    ]
    progress = "高新技术产业产值同比增长12%。"
    pair_targets(progress, targets, 0, len(progress))
    assert targets[0].actual is None


def test_figures_read_chinese_and_fullwidth_numerals() -> None:
    t = "二十五件、１２．５万亩、两家"
    assert [(q.value, q.unit) for q in figures(t, 0, len(t))] == [
        (25.0, "件"),
        (12.5, "万亩"),
        (2.0, "家"),
    ]


# --- rules added with the full 100-task gold ---------------------------------------------------


def test_count_after_an_action_verb_is_a_target_and_pairs_on_its_object() -> None:
    t = "实施50个重点产业项目,打造一批特色小镇。"
    targets = target_mentions(t, 0, len(t))
    assert [(m.value, m.unit) for m in targets] == [(50.0, "个")]
    p = "排定市级重点项目85个,亿元以上项目62个。"
    pair_targets(p, targets, 0, len(p))
    assert targets[0].actual is not None and targets[0].actual.value == 85.0


def test_a_figure_the_progress_plans_is_not_reported_against_the_target() -> None:
    t = "全社会固定资产投资完成300亿元。"
    targets = target_mentions(t, 0, len(t))
    p = "全年计划实现固定资产投资311亿元,增幅14%。一季度报送固定资产投资52.83亿元。"
    pair_targets(p, targets, 0, len(p))
    assert targets[0].actual is not None and targets[0].actual.value == 52.83


def test_quoted_name_before_a_category_word_is_the_project() -> None:
    t = "优化“南通百通”APP,深入开展“利剑斩污”专项行动,打造电商平台“菜菜网”,实施“四送”工程。"
    assert surfaces(t, "Project") == ["南通百通", "利剑斩污", "菜菜网"]
    t = "深入开展“项目攻坚年”活动。"
    assert surfaces(t, "Project") == []


def test_facility_named_after_its_zone_and_self_named_zone() -> None:
    t = "市开发区公共文化中心正在施工;统筹综保区区港联动。"
    assert surfaces(t, "Project") == ["市开发区公共文化中心", "综保区"]


def test_mass_organisations_by_level() -> None:
    t = "市侨联与海外侨团签订倡议书,成立省妇联和市总工会。"
    assert [c.surface(t) for c in org_candidates(t, 0, len(t))] == ["市侨联", "省妇联", "市总工会"]


def test_epithets_and_generic_rivers_are_not_places() -> None:
    t = "共建新侨之乡,强化入海河流整治,抓好环濠河博物馆群功能提升。"
    assert [c.surface(t) for c in place_candidates(t, 0, len(t))] == ["濠河"]


def test_unbracketed_title_after_a_verb_and_not_a_list() -> None:
    t = "继续完善2035城市总体规划,制定公共资源配置等领域政府信息公开实施方案。"
    assert [m.surface for m in unbracketed_mentions(t, 0, len(t))] == ["2035城市总体规划"]


def test_a_count_planned_after_its_figure_is_not_reported() -> None:
    t = "建成新型合作农场的村达到150个以上。"
    targets = target_mentions(t, 0, len(t))
    p = t + "全市共228个村计划发展新型合作农场,其中52个经济薄弱村。"
    pair_targets(p, targets, len(t), len(p))
    assert targets[0].actual is None or targets[0].actual.value != 228.0


def test_the_figure_right_after_the_targets_object_word_is_its_report() -> None:
    t = "帮扶高校毕业生、农民工、退役军人等1.5万名以上群众创业。"
    targets = target_mentions(t, 0, len(t))
    p = t + "共扶持各类城乡劳动者创业9968人;申报扣除的人员达670888人。"
    pair_targets(p, targets, len(t), len(p))
    assert targets[0].actual is not None and targets[0].actual.value == 9968.0
    assert targets[0].ratio == round(9968 / 15000, 4)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("②城山路、洪江路改造完成;世纪大道快车道全线通车", ["城山路", "洪江路", "世纪大道"]),
        ("推进老城厢道路整治,沿线道路改造", []),
        ("开工建设通扬线航道市区段等工程", ["通扬线航道市区段"]),
        ("①结合森旅节筹备,推动景区质量提升", ["森旅节"]),
        ("开展“张謇杯”南通杰出通商评选", ["张謇杯"]),
        ("实施“一节一带五片区”重点工程", ["一节一带五片区"]),
        ("②市“江海英才”计划资助引进52位人才,进入省“双创计划”答辩", ["“江海英才”计划"]),
        ("与杭州跨境综试区合作,海门港新区等部分园区", ["杭州跨境综试区", "海门港新区"]),
        ("抓好环濠河博物馆群功能提升", ["环濠河博物馆群"]),
    ],
)
def test_genre_projects(text: str, expected: list[str]) -> None:
    assert surfaces(text, "Project") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("帮助南通三建等9家企业重新申报对外援助项目", ["南通三建"]),
        ("综保区三期封关验收已报省政府,待验收", ["省政府"]),
        ("组织召开市政府重大项目协调会8次", []),
        ("组建了正科级事业单位南通市政务服务代办中心,出台办法", ["南通市政务服务代办中心"]),
        ("争取海门招商邮轮等21个省重大产业项目", ["招商邮轮"]),
        ("崇川区原精华制药已完成修复施工", ["精华制药"]),
        ("发挥南通大学和高等研究院、产研院等作用", ["南通大学", "高等研究院", "产研院"]),
        ("重点推动南通家纺城电子商务产业园建设", []),
        ("濠河风景区、招商重工、南通机场等一批行业试点项目", ["招商重工"]),
    ],
)
def test_genre_organizations(text: str, expected: list[str]) -> None:
    assert surfaces(text, "Organization") == expected


def test_a_company_phase_is_a_project_and_its_park_not_a_company_project() -> None:
    t = "恒科纺织二期、阳光岛清洁能源基地已开工;来伊份食品工业园项目签约"
    assert surfaces(t, "Project") == ["恒科纺织二期", "阳光岛清洁能源基地", "来伊份食品工业园"]


def test_places_sharing_a_head_and_named_as_a_kind_of_area() -> None:
    t = "以通启、通吕、如泰运河等流域为重点,加强寺街西南营等历史文化街区保护"
    assert surfaces(t, "Place") == ["通启", "通吕", "如泰运河", "寺街西南营"]
