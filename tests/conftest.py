"""Shared fixtures: every store-level behaviour runs on both stores.

The Neo4j store is a REAL Neo4j 5.26 started once per test session by the
project's own launcher (``graph.local_neo4j``).  When it cannot start, the
Neo4j tests fail (``GOVGRAPH_REQUIRE_NEO4J=1``, set by CI) or are skipped with
the reason shown (local runs without Java).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.store import GraphStore

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "nantong-2019-h1.txt"
TEST_DATA = Path(__file__).resolve().parent / "data"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


NEO4J_PORT = int(os.environ.get("GOVGRAPH_TEST_NEO4J_PORT") or _free_port())


def _require_neo4j() -> bool:
    return os.environ.get("GOVGRAPH_REQUIRE_NEO4J", "") not in {"", "0", "false"}


@pytest.fixture(scope="session")
def neo4j_uri() -> Iterator[str]:
    """Start one Neo4j for the whole session (or use GOVGRAPH_TEST_NEO4J_URI)."""
    given = os.environ.get("GOVGRAPH_TEST_NEO4J_URI")
    if given:
        yield given
        return
    if shutil.which("java") is None or shutil.which("mvn") is None:
        if _require_neo4j():
            pytest.fail("Neo4j is required (GOVGRAPH_REQUIRE_NEO4J) but java/mvn are missing")
        pytest.skip("java and mvn are needed to start Neo4j")
    from graph import local_neo4j

    given_home = os.environ.get("GOVGRAPH_TEST_NEO4J_HOME")
    home = Path(given_home or tempfile.mkdtemp(prefix="gg-neo4j-"))
    try:
        info = local_neo4j.start(home, port=NEO4J_PORT, password=None)
    except Exception as e:
        if _require_neo4j():
            pytest.fail(f"Neo4j could not start: {e}")
        pytest.skip(f"Neo4j could not start: {e}")
    try:
        yield str(info["uri"])
    finally:
        local_neo4j.stop(home)
        if not given_home:
            shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_uri: str):  # type: ignore[no-untyped-def]
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(neo4j_uri, auth=None)
    yield driver
    driver.close()


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each kind."""
    if request.param == "embedded":
        s: GraphStore = EmbeddedStore(tmp_path / "graph.pickle")
    else:
        from graph.neo4j_store import Neo4jStore

        driver = request.getfixturevalue("neo4j_driver")
        s = Neo4jStore(driver, database="neo4j")
        s.clear()
    try:
        yield s
    finally:
        if request.param == "neo4j":
            s.clear()


@pytest.fixture(scope="session")
def sample_records():  # type: ignore[no-untyped-def]
    from ingest.pipeline import process_file

    return process_file(SAMPLE).records


@pytest.fixture
def sample_store(store: GraphStore, sample_records) -> GraphStore:  # type: ignore[no-untyped-def]
    """A store of each kind holding the bundled sample."""
    store.write(sample_records.model_copy(deep=True))
    return store
