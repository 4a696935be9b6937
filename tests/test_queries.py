"""Every query on both stores, against the hand-made fixture (tests/fixtures_graph.py).

Each test runs once per store (the ``store`` fixture); the expected answers are worked out by
hand from the fixture's docstring, so the same literals hold on both stores.
"""

from __future__ import annotations

import pytest

from graph.errors import InvalidQuery, NotFound
from graph.store import GraphStore
from queries.department_profile import department_profile
from queries.department_tasks import department_tasks
from queries.document_trace import document_trace
from queries.official_tasks import official_tasks
from queries.path_between import path_between
from queries.place_tasks import place_tasks
from queries.project_tasks import project_tasks
from queries.report_diff import report_diff
from queries.shared_responsibility import responsibility_matrix_csv, shared_responsibility
from queries.target_progress import target_progress
from queries.task_dependencies import task_dependencies
from queries.task_documents import task_documents
from queries.task_history import task_history
from queries.task_responsibility import task_responsibility
from tests.fixtures_graph import REPORT_H1, REPORT_Q3, fixture_records

T = "task:江海-2019:"
FGW = "department:江海:市发展和改革委员会"


@pytest.fixture
def graph_store(store: GraphStore) -> GraphStore:
    for records in fixture_records():
        store.write(records)
    return store


# -- responsibility ----------------------------------------------------------------------------
@pytest.mark.parametrize("ref", [FGW, "市发展和改革委员会", "市发改委"])
def test_department_tasks_by_id_name_or_alias(graph_store: GraphStore, ref: str) -> None:
    r = department_tasks(graph_store, ref)
    assert r.department.id == FGW
    assert [(t.number, t.role, t.source, t.score) for t in r.tasks] == [
        (1, "LEADS", "assignment", None),
        (2, "LEADS", "inferred", 0.8),
        (4, "ASSISTS", "assignment", None),
    ]
    assert r.tasks[0].chapter == 1 and r.tasks[0].chapter_title == "坚持产业强市,加快发展先进制造业"
    assert r.tasks[1].evidence == ["建设通州"]


def test_department_tasks_filters(graph_store: GraphStore) -> None:
    leads = department_tasks(graph_store, "市发改委", role="LEADS")
    assert [t.number for t in leads.tasks] == [1, 2]
    assert [
        t.number for t in department_tasks(graph_store, "市发改委", source="inferred").tasks
    ] == [2]
    # 市交通运输局 leads task 1 by inference and assists it by assignment: two rows
    rows = department_tasks(graph_store, "市交通局").tasks
    assert [(t.number, t.role, t.source) for t in rows] == [
        (1, "LEADS", "inferred"),
        (1, "ASSISTS", "assignment"),
        (2, "ASSISTS", "assignment"),
    ]


def test_department_tasks_unknown_and_bad(graph_store: GraphStore) -> None:
    with pytest.raises(NotFound):
        department_tasks(graph_store, "市不存在局")
    with pytest.raises(InvalidQuery):
        department_tasks(graph_store, "市发改委", role="OWNS")


def test_official_tasks(graph_store: GraphStore) -> None:
    r = official_tasks(graph_store, "李四")
    assert r.title == "副市长"
    assert [(t.number, t.role) for t in r.tasks] == [(3, "OVERSEES"), (4, "OVERSEES")]


def test_task_responsibility_prefers_assignment(graph_store: GraphStore) -> None:
    r = task_responsibility(graph_store, "1")
    assert r.task.id == T + "1"
    assert [(x.name, x.role, x.source, x.effective) for x in r.responsible] == [
        ("张三", "OVERSEES", "assignment", True),
        ("市发展和改革委员会", "LEADS", "assignment", True),
        ("市交通运输局", "LEADS", "inferred", False),
        ("市交通运输局", "ASSISTS", "assignment", True),
    ]
    assert r.effective == {
        "OVERSEES": ["张三"],
        "LEADS": ["市发展和改革委员会"],
        "ASSISTS": ["市交通运输局"],
    }
    # no assignment names a lead for task 2: the guess stands
    r2 = task_responsibility(graph_store, T + "2")
    assert r2.effective["LEADS"] == ["市发展和改革委员会"]
    assert task_responsibility(graph_store, "5").responsible == []
    with pytest.raises(NotFound):
        task_responsibility(graph_store, "99")


def test_shared_responsibility(graph_store: GraphStore) -> None:
    r = shared_responsibility(graph_store)
    assert r.total_pairs == 4
    assert [(p.a_name, p.b_name, p.shared, p.jaccard, p.task_numbers) for p in r.pairs[:2]] == [
        ("市生态环境局", "海门区人民政府", 2, 1.0, [3, 4]),
        ("市交通运输局", "市发展和改革委员会", 2, 0.6667, [1, 2]),
    ]
    assigned = shared_responsibility(graph_store, source="assignment")
    assert [(p.a_name, p.b_name, p.jaccard) for p in assigned.pairs] == [
        ("市发展和改革委员会", "海门区人民政府", 0.5),
        ("市交通运输局", "市发展和改革委员会", 0.3333),
    ]
    assert shared_responsibility(graph_store, min_shared=2, limit=1).pairs[0].shared == 2


def test_responsibility_matrix_csv(graph_store: GraphStore) -> None:
    assert responsibility_matrix_csv(graph_store) == (
        "department,1,2,3,4\n"
        "市交通运输局,lA,A,,\n"
        "市发展和改革委员会,L,l,,A\n"
        "市生态环境局,,,L,l\n"
        "海门区人民政府,,,a,A\n"
    )


def test_department_profile(graph_store: GraphStore) -> None:
    r = department_profile(graph_store, "市环保局")
    assert r.department.name == "市生态环境局" and r.aliases == ["市环保局"]
    assert [(t.number, t.role, t.source) for t in r.tasks] == [
        (3, "LEADS", "assignment"),
        (4, "LEADS", "inferred"),
    ]
    assert [(e.name, e.tasks) for e in r.places] == [("三厂街道", [4]), ("海门区", [3])]
    assert [(e.name, e.tasks) for e in r.projects] == [("三厂污水处理厂", [4])]
    assert [(e.name, e.tasks) for e in r.documents] == [("水污染防治工作计划", [3])]
    assert r.organizations == []
    assert [(t.target_id, t.status) for t in r.targets] == [("target:江海-2019:3:1", "met")]


# -- documents ---------------------------------------------------------------------------------
def test_document_trace(graph_store: GraphStore) -> None:
    r = document_trace(graph_store, "港口发展规划")
    assert [t.task.number for t in r.tasks] == [1, 2]
    first = r.tasks[0]
    assert [(c.report, c.part, c.surface) for c in first.citations] == [
        (REPORT_H1, "task", "港口发展规划"),
        (REPORT_Q3, "task", "港口发展规划"),
    ]
    assert first.citations[0].sentence and "《港口发展规划》" in first.citations[0].sentence
    assert [t.target_id for t in first.targets] == ["target:江海-2019:1:1", "target:江海-2019:1:2"]
    assert r.departments == ["市发展和改革委员会"]
    with pytest.raises(NotFound):
        document_trace(graph_store, "不存在的文件")


def test_task_documents(graph_store: GraphStore) -> None:
    r = task_documents(graph_store, "3")
    assert [(d.name, [(c.report, c.part) for c in d.citations]) for d in r.documents] == [
        ("水污染防治工作计划", [(REPORT_Q3, "progress")])
    ]
    assert task_documents(graph_store, "4").documents == []


# -- dependencies ------------------------------------------------------------------------------
def test_task_dependencies(graph_store: GraphStore) -> None:
    r = task_dependencies(graph_store, "1")
    assert [(d.number, d.weight) for d in r.dependencies] == [(2, 2.625), (4, 0.25)]
    links = {(x.via, x.name): x.weight for x in r.dependencies[0].links}
    assert links == {
        ("Document", "港口发展规划"): 1.0,
        ("Project", "江海港区集装箱码头"): 1.0,
        ("Department", "市交通运输局"): 0.5,
        ("Department", "市发展和改革委员会"): 0.125,
    }
    project = next(x for x in r.dependencies[0].links if x.via == "Project")
    assert project.evidence == [
        "任务1 INVOLVES 「江海港区集装箱码头」",
        "任务2 INVOLVES 「江海港区集装箱码头」",
    ]
    only_docs = task_dependencies(graph_store, "1", via=["document"])
    assert [(d.number, d.weight) for d in only_docs.dependencies] == [(2, 1.0)]
    assert task_dependencies(graph_store, "5").dependencies == []


def test_project_tasks(graph_store: GraphStore) -> None:
    r = project_tasks(graph_store, "江海港区集装箱码头")
    assert [(t.task.number, [c.part for c in t.citations]) for t in r.tasks] == [
        (1, ["task"]),
        (2, ["progress"]),
    ]
    assert [(p.name, p.depth) for p in r.places] == [("江海港区", 1), ("海门区", 2), ("江海市", 3)]


def test_place_tasks_nested(graph_store: GraphStore) -> None:
    r = place_tasks(graph_store, "海门区")
    assert [(p.name, p.depth) for p in r.places] == [
        ("海门区", 0),
        ("三厂街道", 1),
        ("江海港区", 1),
    ]
    assert [p.name for p in r.within] == ["江海市"]
    assert [t.number for t in r.tasks] == [1, 2, 3, 4]
    task1 = r.tasks[0]
    assert [(v.place_name, v.project_name) for v in task1.via] == [
        ("江海港区", None),
        ("江海港区", "江海港区集装箱码头"),
    ]
    assert [t.number for t in place_tasks(graph_store, "海门区", nested=False).tasks] == [3]
    assert [t.number for t in place_tasks(graph_store, "江海市").tasks] == [1, 2, 3, 4]
    assert [t.number for t in place_tasks(graph_store, "通州区").tasks] == [2]


def test_path_between(graph_store: GraphStore) -> None:
    r = path_between(graph_store, "市生态环境局", "江海大学")
    assert r.found and r.length == 4
    assert [n.name for n in r.nodes] == [
        "市生态环境局",
        "任务4",
        "市发展和改革委员会",
        "任务2",
        "江海大学",
    ]
    assert [s.text for s in r.steps][-1] == "任务2 -[MENTIONS]-> 江海大学"
    # many paths of length 2 join tasks 1 and 2: the smallest node ids win
    tie = path_between(graph_store, T + "1", T + "2")
    assert [n.id for n in tie.nodes] == [T + "1", "chapter:江海-2019:1", T + "2"]
    skip = path_between(graph_store, T + "1", T + "2", exclude=["Chapter", "Plan", "Report"])
    assert [n.name for n in skip.nodes] == ["任务1", "市交通运输局", "任务2"]
    assert skip.steps[0].type == "ASSISTS" and not skip.steps[0].forward
    alone = path_between(graph_store, T + "5", "江海大学", max_length=2)
    assert not alone.found and alone.steps == []


# -- progress ----------------------------------------------------------------------------------
def test_target_progress(graph_store: GraphStore) -> None:
    r = target_progress(graph_store)
    assert [(t.target_id[-3:], t.actual_value, t.ratio, t.status) for t in r.targets] == [
        ("1:1", 780.0, 0.78, "on_track"),
        ("1:2", None, None, "no_figure"),
        ("2:1", 120.0, 1.2, "met"),
        ("3:1", 38.0, 0.95, "met"),
    ]
    assert r.counts == {"met": 2, "on_track": 1, "lagging": 0, "not_comparable": 0, "no_figure": 1}
    assert [t.number for t in target_progress(graph_store, chapter=2).targets] == [3]
    assert [t.target_id[-3:] for t in target_progress(graph_store, status="met").targets] == [
        "2:1",
        "3:1",
    ]
    assert [
        t.target_id[-3:] for t in target_progress(graph_store, department="市交通局").targets
    ] == ["1:1", "1:2", "2:1"]


def test_target_progress_at_h1(store: GraphStore) -> None:
    store.write(fixture_records()[0])
    r = target_progress(store)
    assert [(t.target_id[-3:], t.expected, t.status) for t in r.targets] == [
        ("1:1", 0.5, "on_track"),
        ("1:2", None, "no_figure"),
        ("2:1", 0.5, "lagging"),
        ("3:1", None, "no_figure"),
    ]


def test_task_history(graph_store: GraphStore) -> None:
    r = task_history(graph_store, "2")
    assert [(e.period, [(f.value, f.ratio, f.status) for f in e.figures]) for e in r.entries] == [
        ("2019-H1", [(40.0, 0.4, "lagging")]),
        ("2019-Q3", [(120.0, 1.2, "met")]),
    ]
    assert [e.period for e in task_history(graph_store, "3").entries] == ["2019-Q3"]


def test_report_diff(graph_store: GraphStore) -> None:
    r = report_diff(graph_store, "2019-H1", REPORT_Q3)
    assert (r.report_a, r.report_b) == (REPORT_H1, REPORT_Q3)
    got = {t.number: t for t in r.tasks}
    assert sorted(got) == [1, 2, 3, 4]
    assert [(c.before.value if c.before else None, c.after.value) for c in got[1].new_figures] == [
        (520.0, 780.0)
    ]
    assert got[1].newly_met == []
    assert got[2].newly_met == ["target:江海-2019:2:1"]
    assert [p.name for p in got[2].new_projects] == ["江海港区集装箱码头"]
    assert got[3].newly_met == ["target:江海-2019:3:1"]
    assert got[3].new_figures[0].before is None
    assert [d.name for d in got[3].new_documents] == ["水污染防治工作计划"]
    assert [p.name for p in got[4].new_projects] == ["三厂污水处理厂"] and not got[4].new_figures
    with pytest.raises(NotFound):
        report_diff(graph_store, "2019-H1", "2020-FY")


# -- one way to name a plan --------------------------------------------------------------------
PLAN_QUERIES: dict[str, dict[str, str]] = {
    "department_tasks": {"department": "市发改委"},
    "official_tasks": {"official": "李四"},
    "project_tasks": {"project": "江海港区集装箱码头"},
    "shared_responsibility": {},
    "responsibility_matrix": {},
    "target_progress": {},
    "task_dependencies": {"task": "1"},
    "task_documents": {"task": "1"},
    "task_history": {"task": "1"},
    "task_responsibility": {"task": "1"},
}


def test_every_query_with_a_plan_is_checked_here() -> None:
    from queries.registry import CATALOGUE

    with_plan = {n for n, spec in CATALOGUE.items() if "plan" in spec.params_model.model_fields}
    assert with_plan == set(PLAN_QUERIES)


@pytest.mark.parametrize("name", sorted(PLAN_QUERIES))
def test_a_plan_is_named_by_id_or_by_city_year(graph_store: GraphStore, name: str) -> None:
    from queries.registry import run_query

    params = PLAN_QUERIES[name]
    by_id = run_query(graph_store, name, {**params, "plan": "plan:江海-2019"}).model_dump()
    by_key = run_query(graph_store, name, {**params, "plan": "江海-2019"}).model_dump()
    assert by_key == by_id
    assert by_id == run_query(graph_store, name, dict(params)).model_dump()  # one plan only
    try:
        other = run_query(graph_store, name, {**params, "plan": "别处-2019"}).model_dump()
    except NotFound:
        return
    assert other != by_id  # the plan filters (else this test could not fail)
