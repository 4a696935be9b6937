"""Identity across plans (docs/IDENTITY.md): several cities loaded at once, on both stores.

Generic names (起步码头, 10万吨级通用码头, 污水处理厂, 人才公寓, 综合保税区 …) are one node per city
(and per place that qualifies them); distinctive names — national and provincial bodies, 长江,
inter-city lines, 《》 titles — are one node shared by every plan that names them; variants of one
name within a city are one node with aliases; a named section is PART_OF its line.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

from graph.store import GraphStore
from ingest.identity import (
    generic_name,
    identity_key,
    org_scope,
    project_identity,
    province_of,
)
from ingest.pipeline import IngestOptions, process_bytes, process_file
from queries.project_tasks import project_tasks
from queries.search import search
from tests.conftest import SAMPLE, TEST_DATA

# A second city's plan that names the sample's generic facilities, its shared lines and bodies.
YANGZHOU = """扬州市2019年重点工作任务
一、交通建设
1.推进扬州港区起步码头工程,建设10万吨级通用码头,推动北沿江高铁扬州段开工。
进展情况:①起步码头完成前期工作;10万吨通用码头开工。②工信部批复试点。
2.建设人才公寓、污水处理厂,申报综合保税区,落实《长江保护法》,保护长江岸线。
进展情况:①人才公寓开工建设。②省发改委批复综合保税区方案。
"""
OTHERS = (
    TEST_DATA / "yangzhou-2020-h1.txt",
    TEST_DATA / "taizhou-2021-q3.txt",
    TEST_DATA / "heldout" / "hefei-2023.txt",
    TEST_DATA / "heldout" / "wuxi-2022.txt",
)


@pytest.fixture(scope="module")
def city_records():  # type: ignore[no-untyped-def]
    docs = [process_file(SAMPLE).records]
    docs += [process_file(f).records for f in OTHERS]
    docs.append(
        process_bytes(
            YANGZHOU.encode(), "yangzhou-2019.txt", IngestOptions(city="扬州", year=2019)
        ).records
    )
    return docs


@pytest.fixture
def cities(store: GraphStore, city_records) -> GraphStore:  # type: ignore[no-untyped-def]
    for records in city_records:
        store.write(records.model_copy(deep=True))
    return store


def _cities_of(store: GraphStore) -> dict[str, set[str]]:
    """Entity id -> the cities of the tasks that mention it (or its sections)."""
    export = store.export()
    plan_of = {n.id: str(n.properties["plan"]) for n in export.nodes if n.label == "Task"}
    city = {n.id: str(n.properties["city"]) for n in export.nodes if n.label == "Plan"}
    parts = {e.source: e.target for e in export.edges if e.type == "PART_OF"}
    found: dict[str, set[str]] = defaultdict(set)
    for e in export.edges:
        task, entity = (e.target, e.source) if e.type == "SERVES" else (e.source, e.target)
        if e.type in {"INVOLVES", "MENTIONS", "SERVES"} and task in plan_of:
            found[entity].add(city[plan_of[task]])
            if entity in parts:
                found[parts[entity]].add(city[plan_of[task]])
    return found


def test_identity_rule_units() -> None:
    assert identity_key("10万吨级通用码头") == identity_key("10万吨通用码头")
    assert identity_key("“多规合一”信息平台") == "多规合一信息平台"
    assert all(generic_name(n) for n in ("污水处理厂", "人才公寓", "综合保税区", "起步码头"))
    assert not any(generic_name(n) for n in ("北沿江高铁", "宁通高速", "沪通长江大桥"))
    assert project_identity("南通综合保税区", "南通", []) == project_identity(
        "综合保税区", "南通", []
    )
    assert (
        project_identity("人才公寓", "南通", [])[0] != project_identity("人才公寓", "扬州", [])[0]
    )
    assert org_scope("省发展和改革委员会", "government", "南通") == "江苏省"
    assert org_scope("省发展和改革委员会", "government", "合肥") == "安徽省"
    assert org_scope("工业和信息化部", "government", "合肥") is None


def test_generic_names_are_never_shared_between_cities(cities: GraphStore) -> None:
    nodes = {n.id: n for label in ("Project", "Organization") for n in cities.nodes(label)}
    for node_id, where in _cities_of(cities).items():
        if node_id in nodes and len(where) > 1:  # shared: by every plan, or by one province's
            scope = nodes[node_id].properties.get("scope")
            assert not scope or {province_of(c) for c in where} == {scope}, (node_id, where)
    for generic, cities_of_it in (
        ("起步码头", {"南通", "扬州"}),
        # 泰州's is 靖江港区新港作业区10万吨通用码头: scoped by its innermost place
        ("10万吨通用码头", {"南通", "扬州", "泰州"}),
    ):
        ids = {i for i in nodes if i.endswith(":" + generic)}
        assert {i.split(":")[1] for i in ids} == cities_of_it, (generic, ids)
        assert all(nodes[i].properties.get("scope") for i in ids)


def test_distinctive_names_are_shared(cities: GraphStore) -> None:
    where = _cities_of(cities)
    assert {"南通", "扬州", "泰州"} <= where["project:北沿江高铁"]
    assert {"南通", "扬州"} <= where["organization:工业和信息化部"]
    assert {"南通", "扬州"} <= where["organization:江苏省:省发展和改革委员会"]
    assert len(where["place:长江"]) > 1
    assert where["document:长江保护法"] >= {"扬州"}


def test_variants_merge_within_a_city_with_aliases(cities: GraphStore) -> None:
    lvsi = cities.node("project:南通:吕四港区:10万吨通用码头").properties
    assert lvsi["name"] == "吕四港区10万吨级通用码头"
    assert lvsi["aliases"] == ["吕四港区10万吨通用码头"]
    yz = [
        n
        for n in cities.nodes("Project")
        if str(n.id).startswith("project:扬州") and str(n.id).endswith("10万吨通用码头")
    ]
    assert len(yz) == 1 and "10万吨通用码头" in yz[0].properties["aliases"]


def test_sections_are_part_of_their_line(cities: GraphStore) -> None:
    r = project_tasks(cities, "北沿江高铁")
    surfaces = {c.surface for t in r.tasks for c in t.citations}
    assert {"北沿江高铁南通段", "北沿江高铁扬州段"} <= surfaces
    assert {t.task.plan for t in r.tasks} >= {"plan:南通-2019", "plan:扬州-2019"}


def test_a_generic_name_is_found_in_every_city_and_scoped_by_plan(cities: GraphStore) -> None:
    candidates = sorted(n.id for n in cities.nodes("Project") if n.id.endswith(":起步码头"))
    assert len(candidates) == 2
    nantong = project_tasks(cities, "起步码头", plan="南通-2019")
    assert {t.task.plan for t in nantong.tasks} == {"plan:南通-2019"}
    assert [t.task.number for t in nantong.tasks] == [24]
    yangzhou = project_tasks(cities, "起步码头", plan="plan:扬州-2019")
    assert [t.task.number for t in yangzhou.tasks] == [1]
    assert yangzhou.project.id == "project:扬州:扬州港区:起步码头"
    hits = search(cities, "起步码头", labels=["Project"]).hits
    assert {h.id for h in hits} >= set(candidates)
