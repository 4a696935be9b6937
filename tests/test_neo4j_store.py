"""The Neo4j store against a real Neo4j (started by ``graph.local_neo4j``, see conftest).

Most behaviour is checked by comparing with the embedded store: the same sequence of
writes and deletes must give the same results, exports, stats, neighbourhoods and node
lists.  The rest is what only Neo4j does: constraints and indexes, rollback of a failed
document, read-only Cypher refused writes, ``cjk`` full-text search.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graph import local_neo4j
from graph.embedded import EmbeddedStore
from graph.errors import BackendUnavailable, InvalidQuery, NotFound, SchemaError, StoreError
from graph.neo4j_cypher import fulltext_indexes
from graph.neo4j_store import Neo4jStore
from graph.records import DocumentRecords, EdgeRecord, NodeRecord
from graph.schema import SCHEMA
from graph.store import GraphStore

pytestmark = pytest.mark.neo4j

PLAN = "plan:南通-2019"


# -- records -------------------------------------------------------------------------------
def _node(node_id: str, label: str, **props: Any) -> NodeRecord:
    return NodeRecord(id=node_id, label=label, properties=props)


def _edge(etype: str, source: str, target: str, /, **props: Any) -> EdgeRecord:
    return EdgeRecord(type=etype, source=source, target=target, properties=props)


def document(
    report: str, *, task_text: str = "加快沪通铁路建设,新增上云企业2000家。",
    alias: str = "市发改", period: str = "2019-H1", extra_tasks: int = 0,
) -> DocumentRecords:
    """A small progress report touching every kind of node, property and edge."""
    rid = f"report:{report}"
    nodes = [
        _node(PLAN, "Plan", city="南通", year=2019, name="南通市2019年重点工作任务"),
        _node(rid, "Report", sha256=report * 4, title=f"报告{report}", period=period,
              plan=PLAN, chars=1200, warnings=[f"w-{report}"]),
        _node("chapter:1", "Chapter", number=1, title="坚持产业强市不动摇", plan=PLAN),
        _node("task:1", "Task", number=1, text=task_text, chapter=1, plan=PLAN,
              span=f"{rid}@10"),
        _node("task:2", "Task", number=2, text="推进通州湾港区建设。", chapter=1, plan=PLAN),
        _node(f"progress:{report}:1", "Progress", text="沪通铁路建设进展顺利,完成投资15亿元。",
              report=rid, task=1, plan=PLAN, period=period, items=["①", "②"]),
        _node("dept:发改委", "Department", name="市发改委", aliases=[alias], level="市"),
        _node("official:王某", "Official", name="王某", title="副市长"),
        _node("place:南通", "Place", name="南通市", aliases=["南通"], kind="city"),
        _node("place:通州湾", "Place", name="通州湾", kind="zone", parent="南通市"),
        _node("project:沪通铁路", "Project", name="沪通铁路", aliases=[], kind="railway"),
        _node("org:中天", "Organization", name="中天科技", kind="company"),
        _node("doc:方案", "Document", name="南通市智慧建筑产业三年行动方案", bracketed=True),
        _node("target:1:0", "Target", metric="上云企业", value=2000.0, unit="家",
              qualifier="新增", task=1, plan=PLAN, actual_value=1600.0, ratio=0.8,
              actual_rank=period),
    ]
    for i in range(extra_tasks):
        nodes.append(_node(f"task:x{i}", "Task", number=100 + i, text=f"任务{i}", plan=PLAN))
    edges = [
        _edge("OF_PLAN", "chapter:1", PLAN),
        _edge("OF_PLAN", rid, PLAN),
        _edge("IN_CHAPTER", "task:1", "chapter:1"),
        _edge("IN_CHAPTER", "task:2", "chapter:1"),
        _edge("LEADS", "dept:发改委", "task:1", source="assignment", rank=0, report=rid),
        _edge("ASSISTS", "dept:发改委", "task:2", source="inferred", score=0.7,
              evidence=["发改", report]),
        _edge("OVERSEES", "official:王某", "task:1", source="assignment"),
        _edge("INVOLVES", "task:1", "project:沪通铁路", key="沪通铁路", surface="沪通铁路",
              offset=12, report=rid, part="task"),
        _edge("MENTIONS", "task:2", "place:通州湾", key="通州湾", surface="通州湾", offset=3,
              report=rid),
        _edge("MENTIONS", "task:2", "place:通州湾", key="通州湾港区", surface="通州湾港区",
              offset=3, report=rid),
        _edge("MENTIONS", "task:1", "org:中天", key="中天", surface="中天", offset=40,
              report=rid),
        _edge("LOCATED_IN", "project:沪通铁路", "place:南通", source="name"),
        _edge("LOCATED_IN", "place:通州湾", "place:南通", source="gazetteer"),
        _edge("SERVES", "doc:方案", "task:2", key="方案", surface="方案", offset=0, report=rid),
        _edge("HAS_TARGET", "task:1", "target:1:0"),
        _edge("ON_TASK", f"progress:{report}:1", "task:1"),
        _edge("IN_REPORT", f"progress:{report}:1", rid),
        _edge("MEASURES", f"progress:{report}:1", "target:1:0", value=1600.0, unit="家"),
    ]
    edges += [_edge("IN_CHAPTER", f"task:x{i}", "chapter:1") for i in range(extra_tasks)]
    return DocumentRecords(report_id=rid, nodes=nodes, edges=edges)


DOC_A = document("a")
DOC_B = document("b", task_text="加快沪通铁路二期建设。", alias="发改委", period="2019-Q3")


# -- fixtures ------------------------------------------------------------------------------
@pytest.fixture
def neo(neo4j_driver: Any) -> Iterator[Neo4jStore]:
    """An empty Neo4j store (schema in place)."""
    store = Neo4jStore(neo4j_driver, database="neo4j")
    store.clear()
    store.ensure_schema()
    yield store
    store.clear()


class Twins:
    """An embedded store and a Neo4j store that receive the same operations."""

    def __init__(self, neo: Neo4jStore) -> None:
        self.emb = EmbeddedStore(None)
        self.neo = neo

    def do(self, step: Callable[[GraphStore], Any]) -> Any:
        """Run ``step`` on both; the answers (or the error types) must be equal."""
        answers: list[Any] = []
        errors: list[Exception] = []
        for store in (self.emb, self.neo):
            try:
                answers.append(_comparable(step(store)))
            except Exception as e:  # compare the error type, not the message
                answers.append(type(e))
                errors.append(e)
        if answers[0] != answers[1] and errors:
            raise AssertionError(f"the stores disagree: {answers}") from errors[-1]
        assert answers[0] == answers[1]
        return answers[0]

    def write(self, records: DocumentRecords) -> Any:
        return self.do(lambda s: s.write(records.model_copy(deep=True)))

    def assert_same_graph(self) -> None:
        assert self.emb.export().model_dump() == self.neo.export().model_dump()
        assert self.emb.stats() == self.neo.stats()


def _comparable(value: Any) -> Any:
    if hasattr(value, "model_dump"):
        return value.model_dump()
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


@pytest.fixture
def twins(neo: Neo4jStore) -> Twins:
    return Twins(neo)


# -- schema --------------------------------------------------------------------------------
def test_constraints_and_indexes_follow_the_schema(neo: Neo4jStore) -> None:
    neo.ensure_schema()  # idempotent: a second call changes nothing and does not fail
    constraints = neo.read_cypher(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN *")
    unique = {(c["labelsOrTypes"][0], tuple(c["properties"])) for c in constraints
              if c["type"] == "UNIQUENESS"}
    assert unique >= {(name, ("id",)) for name in SCHEMA.labels}
    indexes = neo.read_cypher(
        "SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties, options RETURN *")
    assert all(i["state"] == "ONLINE" for i in indexes)
    ranged = {(i["labelsOrTypes"][0], tuple(i["properties"])) for i in indexes
              if i["type"] == "RANGE"}
    wanted = {(lb.name, (p,)) for lb in SCHEMA.labels.values() for p in lb.indexed}
    assert wanted and wanted <= ranged
    text = {i["name"]: i for i in indexes if i["type"] == "FULLTEXT"}
    for name, (labels, props) in fulltext_indexes().items():
        assert set(text[name]["labelsOrTypes"]) == set(labels)
        assert set(text[name]["properties"]) == set(props)
        assert text[name]["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    assert {"Task", "Progress", "Department", "Place"} <= {
        lb for i in text.values() for lb in i["labelsOrTypes"]}


# -- writes --------------------------------------------------------------------------------
def test_write_counts_and_export_equal_embedded(twins: Twins) -> None:
    first = twins.write(DOC_A)
    assert first["nodes_created"] == len(DOC_A.nodes) and not first["already_present"]
    twins.assert_same_graph()
    second = twins.write(DOC_B)  # shares the plan, tasks, entities; adds aliases; conflicts
    assert second["nodes_updated"] > 0 and second["edges_updated"] > 0
    assert "task:1.text" in second["conflicts"]
    twins.assert_same_graph()


def test_rewrite_is_idempotent(twins: Twins) -> None:
    twins.write(DOC_A)
    before = twins.neo.export()
    again = twins.write(DOC_A)
    assert again["already_present"]
    assert (again["nodes_created"], again["nodes_updated"],
            again["edges_created"], again["edges_updated"]) == (0, 0, 0, 0)
    assert twins.neo.export() == before
    twins.assert_same_graph()


def test_sample_document_equal_embedded(twins: Twins, sample_records: DocumentRecords) -> None:
    twins.write(sample_records)
    twins.write(DOC_A)
    twins.assert_same_graph()
    assert twins.neo.stats().total_nodes == len(twins.emb.graph)


def test_write_rejects_undeclared_label_before_touching_neo4j(twins: Twins) -> None:
    bad = DocumentRecords(report_id="report:x", nodes=[_node("x", "Spaceship")])
    assert twins.do(lambda s: s.write(bad)) is SchemaError
    assert twins.neo.stats().total_nodes == 0


class _FailingDriver:
    """A real driver whose write transactions hit a statement Neo4j rejects, mid-document.

    The ``fail_at``-th batched write statement of a transaction is replaced by one that
    divides by zero on the server, after earlier statements of the same transaction ran.
    """

    def __init__(self, driver: Any, fail_at: int) -> None:
        self.driver, self.fail_at, self.passed = driver, fail_at, 0

    def session(self, **config: Any) -> Any:
        outer = self

        class Session:
            def __init__(self) -> None:
                self.inner = outer.driver.session(**config)

            def __enter__(self) -> Session:
                return self

            def __exit__(self, *exc: object) -> None:
                self.inner.close()

            def execute_read(self, work: Any, *a: Any, **k: Any) -> Any:
                return self.inner.execute_read(work, *a, **k)

            def execute_write(self, work: Any, *a: Any, **k: Any) -> Any:
                return self.inner.execute_write(lambda tx: work(Tx(tx)), *a, **k)

        class Tx:
            def __init__(self, tx: Any) -> None:
                self.tx, self.writes = tx, 0

            def run(self, query: str, parameters: Any = None, **kw: Any) -> Any:
                if query.startswith("UNWIND $rows"):
                    self.writes += 1
                    if self.writes == outer.fail_at:
                        return self.tx.run("RETURN 1 / 0 AS boom")
                    outer.passed = max(outer.passed, self.writes)
                return self.tx.run(query, parameters, **kw)

        return Session()


def test_failed_write_rolls_back_whole(neo: Neo4jStore, neo4j_driver: Any) -> None:
    neo.write(document("a"))
    before = neo.export()
    failing = Neo4jStore(_FailingDriver(neo4j_driver, fail_at=4), "neo4j")  # type: ignore[arg-type]
    failing._schema_ready = True
    with pytest.raises(StoreError) as err:
        failing.write(document("b", extra_tasks=3))
    assert "ArithmeticError" in str(err.value.details.get("code"))
    assert failing.driver.passed == 3  # type: ignore[attr-defined]  # three batches had run
    assert neo.export() == before
    assert not neo.has_report("report:b")
    # Nothing lingers (locks, half-written nodes): the same document now writes whole.
    twin = EmbeddedStore(None)
    twin.write(document("a"))
    assert neo.write(document("b", extra_tasks=3)) == twin.write(document("b", extra_tasks=3))
    assert neo.export() == twin.export()


def test_value_the_driver_cannot_send_rolls_back(neo: Neo4jStore) -> None:
    neo.write(document("a"))
    before = neo.export()
    doc = document("b")
    doc.nodes.append(_node("task:big", "Task", number=2**70, text="溢出", plan=PLAN))
    with pytest.raises(StoreError):
        neo.write(doc)
    assert neo.export() == before


def test_concurrent_writers_do_not_lose_updates(neo: Neo4jStore) -> None:
    emb = EmbeddedStore(None)
    docs = [document(f"c{i}", alias=f"别名{i}") for i in range(6)]
    errors: list[BaseException] = []

    def run(doc: DocumentRecords) -> None:
        try:
            neo.write(doc.model_copy(deep=True))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(d,)) for d in docs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for d in docs:
        emb.write(d.model_copy(deep=True))
    assert neo.node("dept:发改委").properties["aliases"] == sorted(f"别名{i}" for i in range(6))
    assert neo.export() == emb.export()


# -- deletes and reads ---------------------------------------------------------------------
def test_delete_report_equal_embedded(twins: Twins) -> None:
    twins.write(DOC_A)
    twins.write(DOC_B)
    result = twins.do(lambda s: s.delete_report("report:a"))
    assert result["nodes_updated"] > 0 and result["edges_updated"] > 0
    twins.assert_same_graph()
    assert twins.do(lambda s: s.delete_report("report:a")) is NotFound
    twins.do(lambda s: s.delete_report("report:b"))
    twins.assert_same_graph()
    assert twins.neo.stats().total_nodes == 0


def test_node_and_nodes_equal_embedded(twins: Twins) -> None:
    twins.write(DOC_A)
    twins.write(DOC_B)
    for node_id in ("task:1", "dept:发改委", "report:b", "nope"):
        twins.do(lambda s, i=node_id: s.node(i))
        twins.do(lambda s, i=node_id: s.has_report(i))
    assert twins.do(lambda s: s.node("nope")) is NotFound
    queries: list[tuple[str, dict[str, Any]]] = [
        ("Task", {}), ("Task", {"plan": PLAN}), ("Task", {"number": 2}),
        ("Task", {"number": 2, "chapter": 1}), ("Place", {"kind": "zone"}),
        ("Task", {"report": None}), ("Place", {"aliases": ["南通"]}),
        ("Target", {"value": 2000}), ("Task", {"undeclared": None}), ("Task", {"x": 1}),
    ]
    for name, where in queries:
        twins.do(lambda s, n=name, w=where: s.nodes(n, **w))
    assert len(twins.neo.nodes("Task", plan=PLAN)) == 2
    assert twins.do(lambda s: s.nodes("Spaceship")) is SchemaError


@pytest.mark.parametrize("depth", [0, 1, 2, 3])
def test_neighbourhood_equal_embedded(twins: Twins, depth: int) -> None:
    twins.write(DOC_A)
    twins.write(DOC_B)
    for start in ("task:1", "place:南通", "report:a", "dept:发改委"):
        for labels in (None, ["Task", "Place"], ["Report"]):
            for types in (None, ["MENTIONS", "LOCATED_IN", "IN_CHAPTER"], ["NOPE"]):
                for limit in (1, 3, 500):
                    twins.do(lambda s, a=start, b=labels, c=types, d=limit:
                             s.neighbourhood(a, depth=depth, labels=b, edge_types=c, limit=d))
    assert twins.do(lambda s: s.neighbourhood("nope")) is NotFound


def test_to_networkx_equal_embedded(twins: Twins) -> None:
    twins.write(DOC_A)
    a, b = twins.emb.to_networkx(), twins.neo.to_networkx()
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data="props")) == sorted(b.edges(keys=True, data="props"))


# -- raw Cypher ----------------------------------------------------------------------------
def test_read_cypher_returns_plain_rows(neo: Neo4jStore) -> None:
    neo.write(DOC_A)
    rows = neo.read_cypher(
        "MATCH (t:Task {id: $id})-[r:INVOLVES]->(p) RETURN t, r, p.name AS name", {"id": "task:1"})
    assert rows == [{
        "t": {"id": "task:1", "label": "Task", "properties": neo.node("task:1").properties},
        "r": {"type": "INVOLVES", "source": "task:1", "target": "project:沪通铁路",
              "properties": {"key": "沪通铁路", "surface": "沪通铁路", "offset": 12,
                             "report": "report:a", "part": "task", "reports": ["report:a"]}},
        "name": "沪通铁路",
    }]
    # An endpoint that is not itself returned is still named by its id.
    [row] = neo.read_cypher("MATCH ()-[r:LOCATED_IN]->(:Place {id: 'place:南通'}) "
                            "WHERE r.source = 'gazetteer' RETURN r")
    assert (row["r"]["source"], row["r"]["target"]) == ("place:通州湾", "place:南通")
    assert len(neo.read_cypher("UNWIND range(1, 5000) AS x RETURN x", row_cap=7)) == 7


@pytest.mark.parametrize("query", [
    "CREATE (n:X {id: 'x'})",
    "MATCH (n:Task) SET n.text = 'changed'",
    "MATCH (n) DETACH DELETE n",
    "CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.y)",
])
def test_read_cypher_refuses_writes(neo: Neo4jStore, query: str) -> None:
    neo.write(DOC_A)
    before = neo.export()
    with pytest.raises(InvalidQuery):
        neo.read_cypher(query)
    assert neo.export() == before
    assert not neo.read_cypher("SHOW INDEXES YIELD name WHERE name = 'x' RETURN name")


def test_read_cypher_syntax_error_and_timeout(neo: Neo4jStore) -> None:
    with pytest.raises(InvalidQuery):
        neo.read_cypher("MATCH (n RETURN n")
    with pytest.raises(InvalidQuery):
        neo.read_cypher("UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 "
                        "RETURN count(x)", timeout=0.5)


# -- full-text -----------------------------------------------------------------------------
def test_fulltext_finds_chinese_terms(neo: Neo4jStore) -> None:
    neo.write(DOC_A)
    hits = neo.fulltext("铁路")
    ids = [i for i, _ in hits]
    assert {"task:1", "progress:a:1", "project:沪通铁路"} <= set(ids)
    assert all(score > 0 for _, score in hits)
    assert [i for i, _ in neo.fulltext("铁路", labels=["Task"])] == ["task:1"]
    assert [i for i, _ in neo.fulltext("南通", labels=["Place"])] == ["place:南通"]
    assert "dept:发改委" in [i for i, _ in neo.fulltext("市发改")]  # an alias
    assert len(neo.fulltext("铁路", limit=1)) == 1
    assert neo.fulltext("通州湾") and not neo.fulltext("上海")
    for hostile in ('铁路 AND (', '"铁路', "铁路~2 OR *", "\\", "   "):
        neo.fulltext(hostile)  # Lucene syntax in user input is escaped, never an error
    with pytest.raises(SchemaError):
        neo.fulltext("铁路", labels=["Spaceship"])


# -- the launcher --------------------------------------------------------------------------
def test_launcher_status_and_busy_port(neo4j_uri: str, tmp_path: Path) -> None:
    port = int(neo4j_uri.rsplit(":", 1)[1])
    with pytest.raises(BackendUnavailable, match="busy"):
        local_neo4j.start(tmp_path / "other", port=port)
    assert local_neo4j.stop(tmp_path / "other") is False
    assert local_neo4j.status(tmp_path / "other")["running"] is False


def test_from_settings_uses_the_configured_server(neo4j_uri: str) -> None:
    from graph.settings import Settings

    store = Neo4jStore.from_settings(Settings(neo4j_uri=neo4j_uri, neo4j_database="neo4j"))
    try:
        assert store.stats().reports >= 0
    finally:
        store.close()


def test_unreachable_server_is_backend_unavailable() -> None:
    from neo4j import GraphDatabase

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    driver = GraphDatabase.driver(f"bolt://127.0.0.1:{port}", max_transaction_retry_time=0)
    try:
        with pytest.raises(BackendUnavailable):
            Neo4jStore(driver).stats()
    finally:
        driver.close()
