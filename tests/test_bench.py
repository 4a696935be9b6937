"""The benchmark's Neo4j floor writes the very graph the store's writer writes.

``docs/BENCHMARKS.md`` compares ``Neo4jStore.write_many`` with a bare ``UNWIND … CREATE``
loader of the same rows; the comparison means something only if both leave the same graph.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph.neo4j_store import Neo4jStore
from ingest.pipeline import IngestOptions, process_file
from scripts import bench_worker
from scripts.corpus import generate

pytestmark = pytest.mark.neo4j


def _shape(store: Neo4jStore) -> tuple[list[tuple[str, str]], list[tuple[str, str, str, str]]]:
    """Every node and edge, repeats kept (a writer that wrote one twice must fail)."""
    export = store.export()
    nodes = sorted((n.id, n.label) for n in export.nodes)
    edges = sorted((e.type, e.source, e.target, str(e.properties["key"])) for e in export.edges)
    return nodes, edges


def test_floor_writes_the_nodes_and_edges_write_many_writes(
    neo4j_driver: Any, tmp_path: Path
) -> None:
    generate(3, 5, tmp_path)
    docs = [
        process_file(p, IngestOptions(max_chars=None)).records
        for p in sorted(tmp_path.glob("*.txt"))
    ]
    # the sample's document twice: the floor must not write a node or edge twice
    docs.append(docs[0].model_copy(deep=True))
    store = Neo4jStore(neo4j_driver)
    store.BATCH_ROWS = 1500  # several transactions, documents spanning them
    store.clear()
    try:
        store.write_many([d.model_copy(deep=True) for d in docs])
        expected = _shape(store)
        store.clear()
        bench_worker._floor_write(store, docs)
        assert _shape(store) == expected
        assert len(expected[0]) > 500 and len(expected[1]) > 1000
    finally:
        store.clear()


def test_floor_command_reports_both_writers(
    neo4j_uri: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate(2, 3, tmp_path)
    bench_worker.main(["floor", "--uri", neo4j_uri, "--corpus", str(tmp_path), "--reps", "1"])
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["tasks"] == 200
    assert result["write_many_s"] > 0 and result["floor_s"] > 0
    assert result["ratio"] == pytest.approx(result["write_many_s"] / result["floor_s"])
    assert result["nodes"] > 0 and result["edges"] > 0
