"""The Neo4j store against a real Neo4j (started by ``graph.local_neo4j``, see conftest).

Most behaviour is checked by comparing with the embedded store: the same sequence of
writes and deletes must give the same results, exports, stats, neighbourhoods and node
lists.  Then what only Neo4j has to get right: constraints and indexes, rollback of a
failed document, concurrent writers.  Raw Cypher, full-text search and the launcher are in
``test_neo4j_cypher.py``; the documents in ``neo4j_records.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import NotFound, SchemaError, StoreError
from graph.neo4j_cypher import fulltext_indexes
from graph.neo4j_store import Neo4jStore
from graph.records import DocumentRecords
from graph.schema import SCHEMA
from graph.store import GraphStore
from tests.neo4j_records import DOC_A, DOC_B, PLAN, document, node

pytestmark = pytest.mark.neo4j


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
    constraints = neo.read_cypher("SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties RETURN *")
    unique = {
        (c["labelsOrTypes"][0], tuple(c["properties"]))
        for c in constraints
        if c["type"] == "UNIQUENESS"
    }
    assert unique >= {(name, ("id",)) for name in SCHEMA.labels}
    indexes = neo.read_cypher(
        "SHOW INDEXES YIELD name, type, state, labelsOrTypes, properties, options RETURN *"
    )
    assert all(i["state"] == "ONLINE" for i in indexes)
    ranged = {
        (i["labelsOrTypes"][0], tuple(i["properties"])) for i in indexes if i["type"] == "RANGE"
    }
    wanted = {(lb.name, (p,)) for lb in SCHEMA.labels.values() for p in lb.indexed}
    assert wanted and wanted <= ranged
    text = {i["name"]: i for i in indexes if i["type"] == "FULLTEXT"}
    for name, (labels, props) in fulltext_indexes().items():
        assert set(text[name]["labelsOrTypes"]) == set(labels)
        assert set(text[name]["properties"]) == set(props)
        assert text[name]["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    assert {"Task", "Progress", "Department", "Place"} <= {
        lb for i in text.values() for lb in i["labelsOrTypes"]
    }


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
    assert (
        again["nodes_created"],
        again["nodes_updated"],
        again["edges_created"],
        again["edges_updated"],
    ) == (0, 0, 0, 0)
    assert twins.neo.export() == before
    twins.assert_same_graph()


def test_sample_document_equal_embedded(twins: Twins, sample_records: DocumentRecords) -> None:
    twins.write(sample_records)
    twins.write(DOC_A)
    twins.assert_same_graph()
    assert twins.neo.stats().total_nodes == len(twins.emb.graph)


def test_write_rejects_undeclared_label_before_touching_neo4j(twins: Twins) -> None:
    bad = DocumentRecords(report_id="report:x", nodes=[node("x", "Spaceship")])
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
    doc.nodes.append(node("task:big", "Task", number=2**70, text="溢出", plan=PLAN))
    with pytest.raises(StoreError):
        neo.write(doc)
    assert neo.export() == before


def test_concurrent_writers_do_not_lose_updates(neo: Neo4jStore) -> None:
    emb = EmbeddedStore(None)
    docs = [document(f"c{i}", alias=f"别名{i}") for i in range(10)]
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
    assert neo.node("dept:发改委").properties["aliases"] == sorted(f"别名{i}" for i in range(10))

    # "first" properties depend on which writer committed first; the union ones may not.
    def unions(export: Any) -> list[Any]:
        keep = ("reports", "aliases", "evidence", "warnings")
        return [
            (n.id, n.label, {k: v for k, v in n.properties.items() if k in keep})
            for n in export.nodes
        ] + [
            (
                e.type,
                e.source,
                e.target,
                e.key,
                {k: v for k, v in e.properties.items() if k in keep},
            )
            for e in export.edges
        ]

    assert unions(neo.export()) == unions(emb.export())


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
        ("Task", {}),
        ("Task", {"plan": PLAN}),
        ("Task", {"number": 2}),
        ("Task", {"number": 2, "chapter": 1}),
        ("Place", {"kind": "zone"}),
        ("Task", {"report": None}),
        ("Place", {"aliases": ["南通"]}),
        ("Target", {"value": 2000}),
        ("Task", {"undeclared": None}),
        ("Task", {"x": 1}),
        ("Task", {"number": 10**40}),
        ("Task", {"number": [10**40]}),
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
                    twins.do(
                        lambda s, a=start, b=labels, c=types, d=limit: s.neighbourhood(
                            a, depth=depth, labels=b, edge_types=c, limit=d
                        )
                    )
    assert twins.do(lambda s: s.neighbourhood("nope")) is NotFound


def test_to_networkx_equal_embedded(twins: Twins) -> None:
    twins.write(DOC_A)
    a, b = twins.emb.to_networkx(), twins.neo.to_networkx()
    assert sorted(a.nodes(data=True)) == sorted(b.nodes(data=True))
    assert sorted(a.edges(keys=True, data="props")) == sorted(b.edges(keys=True, data="props"))
