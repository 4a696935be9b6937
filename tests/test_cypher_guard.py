"""Attacks on POST /api/cypher against a real Neo4j (the project's launcher, conf included):
after each, the API and Neo4j still answer.  Timings are printed (``-s``) for the record."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.app import create_app
from graph.settings import Settings
from tests.conftest import _free_port

pytestmark = pytest.mark.neo4j

TIMEOUT_S = 3.0


@pytest.fixture(scope="module")
def neo4j_driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A server of this module's own, started by the project's launcher (conf included): an
    attack that ends in an OutOfMemoryError leaves the JVM up but may have cost it threads
    (its transaction monitor, say), so the session's server must never see one."""
    if os.environ.get("GOVGRAPH_TEST_NEO4J_URI"):
        pytest.skip("needs java and mvn to start a dedicated server")
    from neo4j import GraphDatabase

    from graph import local_neo4j

    home = tmp_path_factory.mktemp("guard-neo4j")
    uri = str(local_neo4j.start(home, port=_free_port(), heap="512m")["uri"])
    try:
        with GraphDatabase.driver(uri, auth=None) as driver:
            yield driver
    finally:
        local_neo4j.stop(home)


@pytest.fixture(scope="module")
def client(neo4j_driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_driver, database="neo4j")
    conf = Settings(
        data_dir=tmp_path_factory.mktemp("guard"),
        cypher_public=True,
        cypher_timeout_s=TIMEOUT_S,
        cypher_max_bytes=100_000,
        cypher_concurrency=2,
    )
    yield TestClient(create_app(store, conf), raise_server_exceptions=False)


def _cypher(client: TestClient, query: str, wait: bool = True) -> tuple[Any, float]:
    """The answer and how long it took; with ``wait``, a 429 (both slots still held by an
    earlier test's abandoned query) is retried for up to 120 s first."""
    deadline = time.monotonic() + 120
    while True:
        began = time.monotonic()
        response = client.post("/api/cypher", json={"query": query})
        took = time.monotonic() - began
        if not wait or response.status_code != 429 or time.monotonic() > deadline:
            return response, took
        time.sleep(1)


def _still_answers(client: TestClient, neo4j_driver: Any, wait_s: float = 120) -> None:
    """Neo4j answers the driver, and the API answers Cypher once a slot is free again."""
    # execute_query retries on a fresh connection, as any application would: a pooled one
    # may have died with the query that ran the server out of memory
    records, _, _ = neo4j_driver.execute_query("RETURN 1 AS x")
    assert records[0]["x"] == 1
    deadline = time.monotonic() + wait_s
    while True:
        # 429: the slots are held by abandoned queries; 504: they keep the server's cores busy
        # (on a 2-core CI machine) until they end
        response, _ = _cypher(client, "RETURN 1 AS x", wait=False)
        if response.status_code not in {429, 504} or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == [{"x": 1}]


def test_a_list_that_fills_the_heap_fails_alone(client: TestClient, neo4j_driver: Any) -> None:
    query = "RETURN size([x IN range(1, 300000000) WHERE x % 2 = 0]) AS s"
    response, took = _cypher(client, query)
    print(f"\nheap-filling list: {response.status_code} in {took:.1f} s")
    assert response.status_code in {400, 504}, response.text
    assert took < TIMEOUT_S + 10
    _still_answers(client, neo4j_driver)


def test_one_long_expression_is_abandoned_at_the_timeout(
    client: TestClient, neo4j_driver: Any
) -> None:
    query = "RETURN reduce(acc = 0, x IN range(1, 1500000000) | acc + x) AS s"
    first, took = _cypher(client, query)
    print(f"\nreduce over 1.5e9: {first.status_code} in {took:.1f} s")
    assert first.status_code == 504 and first.json()["error"]["code"] == "timeout"
    assert took < TIMEOUT_S + 5
    second, _ = _cypher(client, query, wait=False)  # the first still runs: both slots taken
    third, took3 = _cypher(client, "RETURN 1 AS x", wait=False)
    print(f"third while two run: {third.status_code} in {took3:.2f} s")
    assert second.status_code == 504
    assert third.status_code == 429 and third.json()["error"]["code"] == "too_busy"
    began = time.monotonic()
    _still_answers(client, neo4j_driver)
    print(f"slots free again after {time.monotonic() - began:.1f} s")


def test_many_rows_are_cut_at_the_byte_cap(client: TestClient, neo4j_driver: Any) -> None:
    response, took = _cypher(client, "UNWIND range(1, 15000000) AS x RETURN x")
    body = response.json()
    print(f"\n15e6 rows: {response.status_code}, {len(response.content)} bytes in {took:.1f} s")
    assert response.status_code == 200 and body["truncated"]
    assert len(response.content) < 150_000
    response, took = _cypher(client, "UNWIND range(1, 10) AS x RETURN 'x' AS s, x")
    assert response.json()["truncated"] is False and len(response.json()["rows"]) == 10
    _still_answers(client, neo4j_driver)


def test_one_huge_row_is_cut_or_abandoned(client: TestClient, neo4j_driver: Any) -> None:
    response, took = _cypher(client, "RETURN range(1, 15000000) AS r")
    print(f"\none row of 15e6: {response.status_code} in {took:.1f} s")
    assert response.status_code in {200, 400, 504}, response.text
    if response.status_code == 200:
        assert response.json()["truncated"] and len(response.content) < 150_000
    _still_answers(client, neo4j_driver)


_small = st.integers(min_value=-5, max_value=2000)
_big = st.integers(min_value=10**6, max_value=10**9)
_bound = st.one_of(_small, _big)
_list = st.builds(lambda a, b: f"range({a}, {b})", _small, _bound)
_expression = st.one_of(
    st.builds(lambda xs: f"size({xs})", _list),
    st.builds(lambda xs: f"[x IN {xs} WHERE x % 3 = 0 | x * 2][0..5]", _list),
    st.builds(lambda xs: f"reduce(a = 0, x IN {xs} | a + x)", _list),
    st.builds(lambda xs: f"size([x IN {xs} | toString(x)])", _list),
    st.builds(lambda n: f"reduce(s = 'ab', i IN range(1, {n}) | s + s)", st.integers(1, 40)),
    st.just("1"),
)
_query = st.one_of(
    st.builds(lambda e: f"RETURN {e} AS v", _expression),
    st.builds(lambda xs, e: f"UNWIND {xs} AS x RETURN x, {e} AS v", _list, _expression),
    st.builds(lambda e: f"MATCH (n) RETURN n, {e} AS v", _expression),
    st.builds(lambda xs: f"UNWIND {xs} AS x WITH x ORDER BY x DESC RETURN collect(x) AS c", _list),
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=_query)
def test_generated_read_queries_never_take_the_server_down(
    client: TestClient, neo4j_driver: Any, query: str
) -> None:
    response, took = _cypher(client, query)
    # 503: Neo4j dropped the connection of a query that ran it out of memory (it lives on)
    assert response.status_code in {200, 400, 429, 503, 504}, (query, response.text)
    assert took < TIMEOUT_S + 10, query
    body = response.json()
    if response.status_code == 200:
        assert len(response.content) < 150_000 and isinstance(body["truncated"], bool)
    else:
        assert set(body["error"]) == {"code", "message", "details"}
    _still_answers(client, neo4j_driver)


def test_the_conf_the_launcher_writes_bounds_transactions(tmp_path: Path) -> None:
    from graph import local_neo4j_home as h

    h.write_conf(tmp_path, 7687, auth=False, pagecache="64m", heap="1g")
    conf = h.conf_file(tmp_path).read_text(encoding="utf-8")
    assert "db.memory.transaction.max=512m" in conf
    assert "dbms.memory.transaction.total.max=768m" in conf
    assert "db.transaction.timeout=300s" in conf
    assert "-XX:+ExitOnOutOfMemoryError" not in h.JVM_FLAGS
