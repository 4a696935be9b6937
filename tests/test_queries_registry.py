"""The catalogue, search, analytics, injection safety, and the two stores giving equal answers.

Parity tests hold the fixture (and the bundled sample) in BOTH stores at once and compare
every catalogue query's whole result.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import InvalidQuery, NotFound
from graph.store import GraphStore
from queries.bridging_entities import bridging_entities
from queries.department_centrality import department_centrality
from queries.department_tasks import department_tasks
from queries.path_between import path_between
from queries.registry import CATALOGUE, render_table, run_query
from queries.search import search, tokens
from queries.target_progress import target_progress
from queries.task_communities import task_communities
from tests.fixtures_graph import fixture_records

INJECTION = "x'}) DETACH DELETE n //"

FIXTURE_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("department_tasks", {"department": "市发改委"}),
    ("department_tasks", {"department": "市交通局", "role": "LEADS"}),
    ("official_tasks", {"official": "张三"}),
    ("task_responsibility", {"task": "1"}),
    ("task_responsibility", {"task": "4"}),
    ("shared_responsibility", {}),
    ("shared_responsibility", {"source": "inferred"}),
    ("responsibility_matrix", {}),
    ("department_profile", {"department": "市发展和改革委员会"}),
    ("document_trace", {"document": "港口发展规划"}),
    ("task_documents", {"task": "1"}),
    ("task_dependencies", {"task": "2"}),
    ("task_dependencies", {"task": "4", "via": ["place", "department"]}),
    ("project_tasks", {"project": "三厂污水处理厂"}),
    ("place_tasks", {"place": "江海市"}),
    ("path_between", {"source": "市生态环境局", "target": "江海大学"}),
    ("path_between", {"source": "task:江海-2019:1", "target": "task:江海-2019:3"}),
    (
        "path_between",
        {
            "source": "task:江海-2019:1",
            "target": "task:江海-2019:2",
            "exclude": ["Chapter", "Plan", "Report"],
        },
    ),
    ("target_progress", {}),
    ("target_progress", {"status": "met"}),
    ("search", {"q": "集装箱码头"}),
    ("search", {"q": "污水 三厂"}),
    ("search", {"q": "市发改委"}),
    ("search", {"q": "PM2.5"}),
    ("search", {"q": "港"}),
    ("search", {"q": "江海", "labels": ["Place", "Organization"]}),
    ("department_centrality", {}),
    ("task_communities", {}),
    ("bridging_entities", {}),
    ("task_history", {"task": "1"}),
    ("report_diff", {"report_a": "2019-H1", "report_b": "2019-Q3"}),
]


# -- the catalogue -----------------------------------------------------------------------------
def test_catalogue_covers_every_query_once() -> None:
    assert {name for name, _ in FIXTURE_CALLS} == set(CATALOGUE)
    for name, spec in CATALOGUE.items():
        assert spec.name == name and spec.summary
        assert spec.func.__doc__ and spec.func.__module__.startswith("queries.")


@pytest.fixture
def graph_store(store: GraphStore) -> GraphStore:
    for records in fixture_records():
        store.write(records)
    return store


@pytest.mark.parametrize(("name", "params"), FIXTURE_CALLS)
def test_run_query_returns_the_result_model(
    graph_store: GraphStore, name: str, params: dict[str, Any]
) -> None:
    result = run_query(graph_store, name, params)
    assert isinstance(result, CATALOGUE[name].result_model)
    json.loads(result.model_dump_json())  # JSON-able all the way down
    rows = render_table(result)
    assert all(isinstance(r, dict) for r in rows)


def test_run_query_errors(graph_store: GraphStore) -> None:
    with pytest.raises(NotFound):
        run_query(graph_store, "no_such_query", {})
    with pytest.raises(InvalidQuery):
        run_query(graph_store, "department_tasks", {})  # department is required
    with pytest.raises(InvalidQuery):
        run_query(graph_store, "shared_responsibility", {"limit": -1})
    with pytest.raises(InvalidQuery):
        run_query(graph_store, "target_progress", {"status": "finished"})
    with pytest.raises(InvalidQuery):
        run_query(graph_store, "target_progress", {"colour": "red"})
    with pytest.raises(NotFound):
        run_query(graph_store, "department_tasks", {"department": "市不存在局"})


def test_render_table_flattens(graph_store: GraphStore) -> None:
    rows = render_table(run_query(graph_store, "document_trace", {"document": "港口发展规划"}))
    assert rows[0]["task_number"] == 1
    rows = render_table(run_query(graph_store, "shared_responsibility", {}))
    assert rows[0]["task_numbers"] == "3, 4"


# -- injection -----------------------------------------------------------------------------------
def test_injection_returns_nothing_and_deletes_nothing(graph_store: GraphStore) -> None:
    before = graph_store.stats()
    for call in (
        lambda: department_tasks(graph_store, INJECTION),
        lambda: target_progress(graph_store, department=INJECTION),
        lambda: path_between(graph_store, INJECTION, "江海大学"),
        lambda: run_query(graph_store, "task_history", {"task": INJECTION}),
        lambda: run_query(graph_store, "document_trace", {"document": INJECTION}),
    ):
        with pytest.raises(NotFound):
            call()
    assert search(graph_store, INJECTION).hits == []
    assert search(graph_store, '") OR 1=1 //').hits == []
    assert graph_store.stats() == before


# -- search ------------------------------------------------------------------------------------
def test_tokens_follow_the_cjk_analyzer() -> None:
    assert tokens("江海港区") == {"江海", "海港", "港区"}
    assert tokens("港") == {"港"}
    assert tokens("ＰＭ２.５浓度") == {"pm2.5", "浓度"}


def test_search_hits_and_ranking(graph_store: GraphStore) -> None:
    r = search(graph_store, "集装箱码头")
    assert [h.id for h in r.hits] == [
        "task:江海-2019:1",
        "progress:aaaa000000000001:1",
        "progress:bbbb000000000002:2",
        "project:江海港区集装箱码头",
    ]
    assert "集装箱码头" in r.hits[0].snippet
    alias = search(graph_store, "市发改委").hits
    assert [(h.id, h.field) for h in alias] == [("department:江海:市发展和改革委员会", "aliases")]
    both = search(graph_store, "污水 三厂")  # every term must occur
    assert [(h.id, h.score) for h in both.hits] == [
        ("task:江海-2019:4", 3.0),
        ("progress:aaaa000000000001:4", 2.0),
        ("progress:bbbb000000000002:4", 2.0),
        ("project:三厂污水处理厂", 2.0),
    ]
    assert search(graph_store, "江海 污水").hits == []
    assert search(graph_store, "江海", labels=["Place"]).total == 2
    assert search(graph_store, "江海大学").hits[0].id == "task:江海-2019:2"
    with pytest.raises(InvalidQuery):
        search(graph_store, "江海", labels=["Target"])


def test_search_index_follows_writes(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.pickle")
    h1, q3 = fixture_records()
    store.write(h1)
    assert search(store, "水污染").hits == []
    store.write(q3)
    assert [h.id for h in search(store, "水污染").hits] == [
        "progress:bbbb000000000002:3",
        "document:水污染防治工作计划",
    ]


# -- analytics -----------------------------------------------------------------------------------
def test_analytics(graph_store: GraphStore) -> None:
    central = department_centrality(graph_store).departments
    assert [(d.name, d.betweenness) for d in central[:2]] == [
        ("市发展和改革委员会", 0.6667),
        ("市生态环境局", 0.0),
    ]
    communities = task_communities(graph_store).communities
    assert [c.tasks for c in communities] == [[1, 2], [3, 4]]
    assert communities[0].chapters == {1: 2}
    bridges = bridging_entities(graph_store, limit=1).entities
    assert bridges[0].name == "市发展和改革委员会" and bridges[0].chapters == [1, 2]


# -- parity: both stores at once ---------------------------------------------------------------
def _neo4j_store(request: pytest.FixtureRequest) -> GraphStore:
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(request.getfixturevalue("neo4j_driver"), database="neo4j")
    store.clear()
    return store


@pytest.fixture
def both(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[GraphStore, ...]]:
    embedded = EmbeddedStore(tmp_path / "g.pickle")
    neo = _neo4j_store(request)
    yield embedded, neo
    neo.clear()


@pytest.mark.neo4j
def test_both_stores_answer_the_fixture_alike(both: tuple[GraphStore, GraphStore]) -> None:
    embedded, neo = both
    for records in reversed(fixture_records()):  # Q3 first: the graph must not depend on order
        embedded.write(records.model_copy(deep=True))
        neo.write(records.model_copy(deep=True))
    for name, params in FIXTURE_CALLS:
        a = run_query(embedded, name, params).model_dump()
        b = run_query(neo, name, params).model_dump()
        assert a == b, name


def sample_calls(store: GraphStore) -> list[tuple[str, dict[str, Any]]]:
    """Calls whose parameters come from what the sample holds right now."""
    calls: list[tuple[str, dict[str, Any]]] = [
        ("task_responsibility", {"task": "1"}),
        ("shared_responsibility", {}),
        ("responsibility_matrix", {}),
        ("task_documents", {"task": "2"}),
        ("task_dependencies", {"task": "1"}),
        ("task_dependencies", {"task": "60"}),
        ("target_progress", {}),
        ("search", {"q": "集成电路"}),
        ("search", {"q": "南通 港口"}),
        ("search", {"q": "长江"}),
        ("department_centrality", {}),
        ("task_communities", {}),
        ("bridging_entities", {}),
        ("task_history", {"task": "1"}),
        ("path_between", {"source": "task:南通-2019:1", "target": "task:南通-2019:90"}),
    ]
    reports = store.nodes("Report")
    if reports:
        period = reports[0].properties["period"]
        calls.append(("report_diff", {"report_a": period, "report_b": period}))
    for label, name, key in (
        ("Department", "department_tasks", "department"),
        ("Department", "department_profile", "department"),
        ("Official", "official_tasks", "official"),
        ("Document", "document_trace", "document"),
        ("Project", "project_tasks", "project"),
        ("Place", "place_tasks", "place"),
    ):
        nodes = store.nodes(label)
        for node in nodes[:2] + nodes[-1:]:
            calls.append((name, {key: node.id}))
    return calls


def test_every_query_runs_on_the_sample(sample_store: GraphStore) -> None:
    for name, params in sample_calls(sample_store):
        result = run_query(sample_store, name, params)
        assert isinstance(result, CATALOGUE[name].result_model), name
    hits = search(sample_store, "集成电路").hits
    assert hits and hits[0].id == "task:南通-2019:1"
    docs = sample_store.nodes("Document")
    assert docs
    trace = run_query(sample_store, "document_trace", {"document": docs[0].properties["name"]})
    assert trace.model_dump()["tasks"], "every document serves some task"


@pytest.mark.neo4j
def test_both_stores_answer_the_sample_alike(
    both: tuple[GraphStore, GraphStore], sample_records: Any
) -> None:
    embedded, neo = both
    embedded.write(sample_records.model_copy(deep=True))
    neo.write(sample_records.model_copy(deep=True))
    for name, params in sample_calls(embedded):
        a = run_query(embedded, name, params).model_dump()
        b = run_query(neo, name, params).model_dump()
        assert a == b, (name, params)


def test_analytics_follow_writes(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.pickle")
    h1, q3 = fixture_records()
    store.write(h1)
    first = {e.id for e in bridging_entities(store).entities}
    assert "document:水污染防治工作计划" not in first
    store.write(q3)  # a new graph object: the cached answer is not reused
    assert "document:水污染防治工作计划" in {e.id for e in bridging_entities(store).entities}


@pytest.mark.parametrize("task", ["²", "١٢", "99999999999999999999999", "", "task:"])
def test_odd_task_references_are_not_found(graph_store: GraphStore, task: str) -> None:
    with pytest.raises(NotFound):
        run_query(graph_store, "task_history", {"task": task})


def test_unknown_labels_are_invalid(graph_store: GraphStore) -> None:
    with pytest.raises(InvalidQuery):
        run_query(graph_store, "search", {"q": "江海", "labels": ["Nope"]})
    with pytest.raises(InvalidQuery):
        run_query(
            graph_store,
            "path_between",
            {"source": "江海大学", "target": "海门区", "exclude": "Plan,Nope"},
        )
