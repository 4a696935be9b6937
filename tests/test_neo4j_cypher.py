"""Neo4j-only behaviour: read-only Cypher, cjk full-text search, the launcher, settings.

Against the real Neo4j that ``graph.local_neo4j`` starts (see conftest).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph import local_neo4j
from graph.errors import BackendUnavailable, InvalidQuery, SchemaError
from graph.neo4j_store import Neo4jStore
from tests.neo4j_records import DOC_A, document

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo(neo4j_driver: Any) -> Iterator[Neo4jStore]:
    """An empty Neo4j store (schema in place)."""
    store = Neo4jStore(neo4j_driver, database="neo4j")
    store.clear()
    store.ensure_schema()
    yield store
    store.clear()


# -- raw Cypher ----------------------------------------------------------------------------
def test_read_cypher_returns_plain_rows(neo: Neo4jStore) -> None:
    neo.write(DOC_A)
    rows = neo.read_cypher(
        "MATCH (t:Task {id: $id})-[r:INVOLVES]->(p) RETURN t, r, p.name AS name", {"id": "task:1"}
    )
    assert rows == [
        {
            "t": {"id": "task:1", "label": "Task", "properties": neo.node("task:1").properties},
            "r": {
                "type": "INVOLVES",
                "source": "task:1",
                "target": "project:沪通铁路",
                "properties": {
                    "key": "沪通铁路",
                    "surface": "沪通铁路",
                    "offset": 12,
                    "report": "report:a",
                    "part": "task",
                    "reports": ["report:a"],
                },
            },
            "name": "沪通铁路",
        }
    ]
    # An endpoint that is not itself returned is still named by its id.
    [row] = neo.read_cypher(
        "MATCH ()-[r:LOCATED_IN]->(:Place {id: 'place:南通'}) WHERE r.source = 'gazetteer' RETURN r"
    )
    assert (row["r"]["source"], row["r"]["target"]) == ("place:通州湾", "place:南通")
    assert len(neo.read_cypher("UNWIND range(1, 5000) AS x RETURN x", row_cap=7)) == 7


@pytest.mark.parametrize(
    "query",
    [
        "CREATE (n:X {id: 'x'})",
        "MATCH (n:Task) SET n.text = 'changed'",
        "MATCH (n) DETACH DELETE n",
        "CREATE INDEX x IF NOT EXISTS FOR (n:X) ON (n.y)",
    ],
)
def test_read_cypher_refuses_writes(neo: Neo4jStore, query: str) -> None:
    neo.write(DOC_A)
    before = neo.export()
    with pytest.raises(InvalidQuery):
        neo.read_cypher(query)
    assert neo.export() == before
    assert not neo.read_cypher("SHOW INDEXES YIELD name WHERE name = 'x' RETURN name")


@pytest.mark.parametrize(
    "query",
    [
        "LOAD CSV FROM 'file:///etc/hostname' AS line RETURN line",
        "MATCH (n) CALL (n) { LOAD CSV FROM 'http://127.0.0.1:1/x' AS line RETURN line } RETURN n",
        "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
        "SHOW TRANSACTIONS",
        "SHOW SETTINGS",
        "CALL dbms.listConfig() YIELD name RETURN name",
        "CALL db.clearQueryCaches()",
    ],
)
def test_read_cypher_refuses_what_reaches_past_the_graph(neo: Neo4jStore, query: str) -> None:
    with pytest.raises(InvalidQuery, match="not allowed"):
        neo.read_cypher(query)
    # Plain reads, schema listings and the read-only procedures stay allowed.
    assert neo.read_cypher("RETURN 'LOAD CSV' AS text") == [{"text": "LOAD CSV"}]
    assert neo.read_cypher("CALL db.labels() YIELD label RETURN count(label) AS n")


def test_read_cypher_writes_are_refused_by_neo4j(neo: Neo4jStore) -> None:
    with pytest.raises(InvalidQuery) as err:
        neo.read_cypher("CREATE (n:X {id: 'x'})")
    assert err.value.details["code"] == "Neo.ClientError.Statement.AccessMode"


def test_read_cypher_parameter_the_driver_cannot_send(neo: Neo4jStore) -> None:
    with pytest.raises(InvalidQuery):
        neo.read_cypher("MATCH (t:Task {number: $n}) RETURN t", {"n": 10**40})


def test_read_cypher_syntax_error_and_timeout(neo: Neo4jStore) -> None:
    with pytest.raises(InvalidQuery):
        neo.read_cypher("MATCH (n RETURN n")
    with pytest.raises(InvalidQuery):
        neo.read_cypher(
            "UNWIND range(1, 2000000000) AS x WITH x WHERE x % 7 = 3 RETURN count(x)", timeout=0.5
        )


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
    for hostile in ("铁路 AND (", '"铁路', "铁路~2 OR *", "\\", "   "):
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
    assert local_neo4j.main(["status", "--home", str(tmp_path / "other")]) == 3


def test_from_settings_uses_the_configured_server(neo4j_uri: str, neo: Neo4jStore) -> None:
    from graph.settings import Settings

    # neo4j:// asks the server for a routing table, as with a cluster or Aura.
    routed = neo4j_uri.replace("bolt://", "neo4j://")
    store = Neo4jStore.from_settings(Settings(neo4j_uri=routed, neo4j_database="neo4j"))
    try:
        store.clear()
        assert store.write(document("a")).nodes_created == len(DOC_A.nodes)
        assert store.read_cypher("MATCH (n:Task) RETURN count(n) AS n") == [{"n": 2}]
        store.clear()
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


def test_catalogue_reads_skip_the_plan_check_but_still_refuse_writes(neo: Neo4jStore) -> None:
    """``plan_check=False`` (the catalogue's own statements) is still a read transaction."""
    assert neo.read_cypher("RETURN 1 AS x", plan_check=False) == [{"x": 1}]
    with pytest.raises(InvalidQuery):
        neo.read_cypher("CREATE (:Task {id: 'task:x'})", plan_check=False)
    assert neo.stats().nodes == {}
