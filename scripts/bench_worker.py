"""The measuring half of ``scripts/bench.py``, run in a fresh subprocess per store and scale.

A fresh interpreter gives each run its own peak memory (``VmHWM``) and its own cold
start.  It prints one JSON object on its last line of stdout::

    python -m scripts.bench_worker ingest --store embedded --corpus DIR [--uri bolt://...]
    python -m scripts.bench_worker sample --store neo4j --uri bolt://...
    python -m scripts.bench_worker naive --uri bolt://... --corpus DIR --rows 3000
    python -m scripts.bench_worker floor --uri bolt://... --corpus DIR --reps 2
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.records import DocumentRecords
from graph.store import GraphStore
from ingest.pipeline import IngestOptions, process_file

__all__ = ["main", "percentiles"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "nantong-2019-h1.txt"
QUERY_BUDGET_S = 20.0  # per query: stop repeating a slow one after this long
QUERY_TIMEOUT_S = 180  # a first call longer than this is reported as such, not waited for
ANALYTICS = (
    "department_centrality",
    "task_communities",
    "bridging_entities",
    "responsibility_matrix",
    "shared_responsibility",
)
"""Whole-graph questions (skipped with ``--skip-analytics``)."""


FRESH_TERMS = (
    "新能源汽车", "轨道交通", "长江", "港区", "产业园", "高速", "集装箱", "污水处理", "乡村振兴",
    "营商环境", "智能制造", "人才", "医疗", "学校", "铁路", "码头", "生态", "旅游", "科技", "养老",
)  # fmt: skip
"""Search terms of the genre, each asked once (a kept answer cannot serve them)."""


class QueryTimeout(Exception):
    pass


def _timeout(*_: object) -> None:
    raise QueryTimeout


def percentiles(samples: list[float]) -> dict[str, float]:
    """p50 / p95 / max in milliseconds (nearest rank).

    >>> percentiles([0.001, 0.002, 0.003])["p50"]
    2.0
    """
    ordered = sorted(samples)
    rank = lambda q: ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]  # noqa: E731
    return {
        "p50": rank(0.50) * 1000,
        "p95": rank(0.95) * 1000,
        "max": ordered[-1] * 1000,
        "n": len(ordered),
    }


def peak_rss_mb() -> float:
    """This process's peak RSS (``VmHWM``): on Linux ``ru_maxrss`` keeps the peak of the
    process that started it, across ``exec``."""
    try:
        with open("/proc/self/status") as fh:
            return next(int(x.split()[1]) for x in fh if x.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize() / 2**20


def open_store(kind: str, uri: str | None, path: Path | None) -> GraphStore:
    if kind == "embedded":
        from graph.embedded import EmbeddedStore

        return EmbeddedStore(path)
    from neo4j import GraphDatabase

    from graph.neo4j_store import Neo4jStore

    if uri is None:
        raise SystemExit("--uri is needed for the neo4j store")
    store = Neo4jStore(GraphDatabase.driver(uri, auth=None), owns_driver=True)
    store.clear()
    store.ensure_schema()
    return store


def corpus_files(corpus: Path) -> list[Path]:
    return sorted(corpus.glob("*.txt"))


# -- ingest ------------------------------------------------------------------------------------
def ingest(store: GraphStore, files: list[Path], batch_rows: int = 0) -> dict[str, Any]:
    """Process and write every file; stage times summed over the corpus.

    With ``batch_rows`` documents are written with ``store.write_many`` once about that many
    nodes and edges have been processed (what ``govgraph ingest`` of a folder does on Neo4j:
    several documents per transaction); without, one ``store.write`` per document.
    """
    stages = {"load": 0.0, "segment": 0.0, "extract": 0.0, "assemble": 0.0, "write": 0.0}
    chars = tasks = rows = 0
    first_doc_s = None
    pending: list[Any] = []
    pending_rows = 0

    def flush() -> None:
        nonlocal pending, pending_rows
        t = time.perf_counter()
        store.write_many(pending)
        stages["write"] += time.perf_counter() - t
        pending, pending_rows = [], 0

    for path in files:
        t0 = time.perf_counter()
        result = process_file(path, IngestOptions(max_chars=None))
        records = result.records
        n = len(records.nodes) + len(records.edges)
        if batch_rows:
            pending.append(records)
            pending_rows += n
            if pending_rows >= batch_rows:
                flush()
        else:
            t1 = time.perf_counter()
            store.write(records)
            stages["write"] += time.perf_counter() - t1
        if first_doc_s is None:
            first_doc_s = time.perf_counter() - t0
        for k, v in result.timings.items():
            stages[k] = stages.get(k, 0.0) + v
        chars += len(result.loaded.text)
        tasks += len(result.segmented.tasks)
        rows += n
    if pending:
        flush()
    return {
        "documents": len(files),
        "chars": chars,
        "tasks": tasks,
        "rows": rows,
        "stages": stages,
        "first_document_s": first_doc_s,
        "write_mode": f"write_many per {batch_rows:,} rows" if batch_rows else "write per document",
    }


def ingest_batched(store: GraphStore, files: list[Path]) -> dict[str, Any]:
    """The embedded store with one copy and one save for the whole corpus.

    What a ``write_many`` would do (see docs/BENCHMARKS.md): every document is still
    deduplicated, validated and merged by the store's own code, and nothing reaches the
    file unless all of them do; only the per-document copy + save (O(graph) each) is gone.
    """
    from graph.embedded import EmbeddedStore
    from graph.gc_pause import gc_paused
    from graph.records import WriteResult

    assert isinstance(store, EmbeddedStore)
    stages = {"load": 0.0, "segment": 0.0, "extract": 0.0, "assemble": 0.0, "write": 0.0}
    chars = tasks = rows = 0
    with store._writer():
        with gc_paused():
            graph = store.graph.copy()
        for path in files:
            result = process_file(path, IngestOptions(max_chars=None))
            for k, v in result.timings.items():
                stages[k] = stages.get(k, 0.0) + v
            t = time.perf_counter()
            with gc_paused():  # as write_many merges
                records = result.records.deduplicated()
                records.validate_schema()
                outcome = WriteResult(report_id=records.report_id)
                for node in records.nodes:
                    store._merge_node(graph, node, outcome)
                for edge in records.edges:
                    store._merge_edge(graph, edge, outcome)
            stages["write"] += time.perf_counter() - t
            chars += len(result.loaded.text)
            tasks += len(result.segmented.tasks)
            rows += len(records.nodes) + len(records.edges)
        t = time.perf_counter()
        with gc_paused():
            store._save(graph)
            store._set_graph(graph)
        stages["write"] += time.perf_counter() - t
    return {
        "documents": len(files),
        "chars": chars,
        "tasks": tasks,
        "rows": rows,
        "stages": stages,
        "first_document_s": None,
        "batched": True,
    }


def single_writes(store: GraphStore, files: list[Path]) -> list[float]:
    """Seconds to write each of a few more documents one by one into the big graph."""
    out = []
    for path in files:
        records = process_file(path, IngestOptions(max_chars=None)).records
        t = time.perf_counter()
        store.write(records)
        out.append(time.perf_counter() - t)
    return out


# -- queries -----------------------------------------------------------------------------------
def _pick(store: GraphStore, label: str) -> str | None:
    nodes = store.nodes(label)
    return nodes[len(nodes) // 2].id if nodes else None


def query_calls(store: GraphStore) -> list[tuple[str, dict[str, Any]]]:
    """One call per catalogue query, with parameters taken from the graph (middle of each list)."""
    tasks = store.nodes("Task")
    task = tasks[len(tasks) // 2] if tasks else None
    same_plan = [t for t in tasks if task and t.properties["plan"] == task.properties["plan"]]
    reports = store.nodes("Report")
    picks = {
        label: _pick(store, label)
        for label in ("Department", "Official", "Document", "Project", "Place")
    }
    calls: list[tuple[str, dict[str, Any]]] = [
        ("shared_responsibility", {}),
        ("responsibility_matrix", {}),
        ("target_progress", {}),
        ("search", {"q": "集成电路"}),
        ("department_centrality", {}),
        ("task_communities", {}),
        ("bridging_entities", {}),
    ]
    if task is not None:
        tid = task.id
        calls += [
            (name, {"task": tid})
            for name in (
                "task_responsibility",
                "task_documents",
                "task_dependencies",
                "task_history",
            )
        ]
        calls.append(("path_between", {"source": same_plan[0].id, "target": same_plan[-1].id}))
    if reports:
        rid = reports[len(reports) // 2].id
        calls.append(("report_diff", {"report_a": rid, "report_b": rid}))
    for name, label, key in (
        ("department_tasks", "Department", "department"),
        ("department_profile", "Department", "department"),
        ("official_tasks", "Official", "official"),
        ("document_trace", "Document", "document"),
        ("project_tasks", "Project", "project"),
        ("place_tasks", "Place", "place"),
    ):
        if picks[label] is not None:
            calls.append((name, {key: picks[label]}))
    return calls


def query_latency(store: GraphStore, reps: int, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    from queries.registry import CATALOGUE, run_query

    out: dict[str, Any] = {}
    for name, params in query_calls(store):
        if name in skip:
            out[name] = {"error": "skipped (--skip-analytics)"}
            continue
        first = time.perf_counter()
        signal.alarm(QUERY_TIMEOUT_S)
        try:
            run_query(store, name, params)  # the first call: plans, caches, lazy imports
        except QueryTimeout:
            out[name] = {"error": f"first call over {QUERY_TIMEOUT_S} s"}
            continue
        except Exception as e:  # a query that fails here is reported, not fatal
            out[name] = {"error": f"{type(e).__name__}: {e}"[:200]}
            continue
        finally:
            signal.alarm(0)
        first_s = time.perf_counter() - first
        samples: list[float] = []
        began = time.perf_counter()
        while len(samples) < reps and time.perf_counter() - began < QUERY_BUDGET_S:
            t = time.perf_counter()
            run_query(store, name, params)
            samples.append(time.perf_counter() - t)
        out[name] = {**percentiles(samples), "first": first_s * 1000, "params": params}
    if "search" not in skip:  # answers are kept per store version: time fresh terms too
        samples = []
        for term in FRESH_TERMS[:reps]:
            t = time.perf_counter()
            run_query(store, "search", {"q": term})
            samples.append(time.perf_counter() - t)
        out["search, a new term each call"] = {**percentiles(samples), "params": FRESH_TERMS}
    missing = sorted(set(CATALOGUE) - set(out))
    if missing:
        out["_not_measured"] = missing
    return out


def neighbourhood_latency(store: GraphStore, reps: int) -> dict[str, Any]:
    """GET /api/nodes/{id}/neighbourhood through the app, in process (TestClient)."""
    from fastapi.testclient import TestClient

    from api.app import create_app

    ids = [
        i
        for i in (_pick(store, "Task"), _pick(store, "Department"), _pick(store, "Place"))
        if i is not None
    ]
    samples: list[float] = []
    sizes: list[int] = []
    with TestClient(create_app(store)) as client:
        for node_id in ids:
            client.get(f"/api/nodes/{node_id}/neighbourhood")
        for _ in range(reps):
            for node_id in ids:
                t = time.perf_counter()
                r = client.get(f"/api/nodes/{node_id}/neighbourhood", params={"depth": 2})
                samples.append(time.perf_counter() - t)
                assert r.status_code == 200, r.text[:300]
                sizes.append(len(r.json().get("nodes", [])))
    return {**percentiles(samples), "nodes_returned": max(sizes) if sizes else 0, "ids": ids}


# -- commands ----------------------------------------------------------------------------------
def cmd_ingest(args: argparse.Namespace) -> dict[str, Any]:
    from graph.gc_pause import freeze_kept_answers

    freeze_kept_answers()  # queries are timed as `govgraph serve` answers them
    signal.signal(signal.SIGALRM, _timeout)
    if args.max_memory_gb:  # fail with MemoryError rather than take a shared machine down
        limit = int(args.max_memory_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    tmp = Path(tempfile.mkdtemp(prefix="gg-bench-"))
    store = open_store(args.store, args.uri, tmp / "graph.pickle")
    base_rss = rss_mb()
    files = corpus_files(args.corpus)
    extra = files[-args.single_writes :] if args.batch and args.single_writes else []
    if args.batch:
        result = ingest_batched(store, files[: len(files) - len(extra)])
    else:
        batch_rows = int(getattr(store, "BATCH_ROWS", 0)) if args.store == "neo4j" else 0
        result = ingest(store, files, batch_rows)
    stats = store.stats()
    result.update(
        nodes=stats.total_nodes,
        edges=stats.total_edges,
        rss_after_ingest_mb=rss_mb(),
        rss_before_mb=base_rss,
        peak_ingest_mb=peak_rss_mb(),
    )
    if args.store == "embedded":
        result["file_mb"] = (tmp / "graph.pickle").stat().st_size / 2**20
    if extra:
        result["single_write_s"] = single_writes(store, extra)
    print(f"ingested {result['documents']} documents", file=sys.stderr, flush=True)
    result["queries"] = query_latency(store, args.reps, ANALYTICS if args.skip_analytics else ())
    result["neighbourhood"] = neighbourhood_latency(store, max(3, args.reps // 3))
    result["peak_mb"] = peak_rss_mb()
    store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return result


def cmd_sample(args: argparse.Namespace) -> dict[str, Any]:
    """The bundled sample, cold (first in the process) and warm (median of five)."""
    runs: list[dict[str, Any]] = []
    tmp = Path(tempfile.mkdtemp(prefix="gg-bench-"))
    for i in range(6):
        store = open_store(args.store, args.uri, tmp / f"g{i}.pickle")
        t0 = time.perf_counter()
        result = process_file(SAMPLE)
        t1 = time.perf_counter()
        store.write(result.records)
        t2 = time.perf_counter()
        runs.append(
            {"process": t1 - t0, "write": t2 - t1, "total": t2 - t0, "stages": result.timings}
        )
        store.close()
    shutil.rmtree(tmp, ignore_errors=True)
    warm = runs[1:]
    return {
        "cold": runs[0],
        "warm_total": statistics.median(float(r["total"]) for r in warm),
        "warm_process": statistics.median(float(r["process"]) for r in warm),
        "warm_write": statistics.median(float(r["write"]) for r in warm),
    }


def _naive_write(session: Any, records: DocumentRecords, budget: int) -> int:
    """One MERGE round trip per node and per edge (auto-commit), as a naive loader does."""
    from graph import neo4j_cypher as cy

    labels = {n.id: n.label for n in records.nodes}
    done = 0
    for n in records.nodes:
        if done >= budget:
            return done
        session.run(
            f"MERGE (n:{cy.label(n.label)} {{id: $id}}) SET n += $props",
            id=n.id,
            props=n.properties,
        ).consume()
        done += 1
    for e in records.edges:
        if done >= budget:
            return done
        session.run(
            f"MATCH (a:{cy.label(labels[e.source])} {{id: $s}}) "
            f"MATCH (b:{cy.label(labels[e.target])} {{id: $t}}) "
            f"MERGE (a)-[r:{cy.rel_type(e.type)} {{key: $key}}]->(b) SET r += $props",
            s=e.source,
            t=e.target,
            key=e.key,
            props=e.properties,
        ).consume()
        done += 1
    return done


def cmd_naive(args: argparse.Namespace) -> dict[str, Any]:
    """Batched store vs one MERGE per row, on the same records, in the same run."""
    docs: list[DocumentRecords] = []
    rows = 0
    for path in corpus_files(args.corpus):
        records = process_file(path, IngestOptions(max_chars=None)).records
        docs.append(records)
        rows += len(records.nodes) + len(records.edges)
        if rows >= args.rows:
            break
    from graph.neo4j_store import Neo4jStore

    store = open_store("neo4j", args.uri, None)
    assert isinstance(store, Neo4jStore)
    copies = [r.model_copy(deep=True) for r in docs]
    t = time.perf_counter()
    store.write_many(copies)  # as the ingest of a folder writes them
    batched = time.perf_counter() - t
    store.clear()
    done, naive = 0, 0.0
    with store.driver.session(database=store.database) as session:
        for r in docs:
            t = time.perf_counter()
            done += _naive_write(session, r.model_copy(deep=True), args.rows - done)
            naive += time.perf_counter() - t
            if done >= args.rows:
                break
    store.clear()
    store.close()
    per_row_batched, per_row_naive = batched / rows, naive / done
    return {
        "documents": len(docs),
        "rows_batched": rows,
        "batched_s": batched,
        "rows_naive": done,
        "naive_s": naive,
        "batched_rows_per_s": 1 / per_row_batched,
        "naive_rows_per_s": 1 / per_row_naive,
        "ratio": per_row_naive / per_row_batched,
    }


def _floor_write(store: Any, documents: list[DocumentRecords]) -> None:
    """The graph ``write_many`` makes of ``documents``, written with the least work Cypher allows.

    Same transactions (documents grouped as ``write_many`` groups them), same rows: each node
    and each edge once, with the properties of its first record.  No lookups, no locks, no
    merging: only the store's own ``UNWIND … CREATE`` statements (``create_nodes``,
    ``create_edges``).  A lower bound for any loader that writes this graph through Cypher,
    to compare the store's writer with.
    """
    from graph.neo4j_store import document_batches
    from graph.neo4j_tx import create_edges, create_nodes
    from graph.records import edge_identity

    element_ids: dict[str, str] = {}
    edges_seen: set[tuple[str, str, str, str]] = set()

    def rows(batch: list[DocumentRecords]) -> tuple[dict[str, Any], dict[str, Any]]:
        nodes: dict[str, dict[str, dict[str, Any]]] = {}
        edges: dict[str, list[dict[str, Any]]] = {}
        for records in batch:
            for n in records.nodes:
                if n.id not in element_ids:
                    nodes.setdefault(n.label, {}).setdefault(n.id, n.properties)
            for e in records.edges:
                ident = edge_identity(e.type, e.source, e.target, e.key)
                if ident not in edges_seen:
                    edges_seen.add(ident)
                    edges.setdefault(e.type, []).append(e)
        return nodes, edges

    def work(tx: Any, nodes: dict[str, Any], edges: dict[str, Any]) -> None:
        # a retried transaction runs this again: it only reads the rows and notes element ids
        for label, props in nodes.items():
            create_nodes(tx, label, [{"id": i, "props": p} for i, p in props.items()], element_ids)
        for etype, some in edges.items():
            create_edges(
                tx,
                etype,
                [
                    {"a": element_ids[e.source], "b": element_ids[e.target], "props": e.properties}
                    for e in some
                ],
            )

    prepared = [records.prepared() for records in documents]
    with store.driver.session(database=store.database) as session:
        for batch in document_batches(prepared, store.BATCH_ROWS):
            session.execute_write(work, *rows(batch))


def cmd_floor(args: argparse.Namespace) -> dict[str, Any]:
    """The store's batched writer against the Cypher floor, on the same corpus and server.

    Alternates ``write_many`` and :func:`_floor_write` ``--reps`` times each into a cleared
    database and keeps each one's best time; both must leave the same counts.
    """
    docs = [
        process_file(p, IngestOptions(max_chars=None)).records for p in corpus_files(args.corpus)
    ]
    tasks = sum(1 for r in docs for n in r.nodes if n.label == "Task")
    from graph.neo4j_store import Neo4jStore

    store = open_store("neo4j", args.uri, None)
    assert isinstance(store, Neo4jStore)
    times: dict[str, list[float]] = {"write_many": [], "floor": []}
    counts: dict[str, tuple[int, int]] = {}
    writers = {"write_many": store.write_many, "floor": lambda d: _floor_write(store, d)}
    for _ in range(max(1, args.reps)):
        for name, write in writers.items():
            store.clear()
            t = time.perf_counter()
            write(docs)
            times[name].append(time.perf_counter() - t)
            stats = store.stats()
            counts[name] = (stats.total_nodes, stats.total_edges)
    store.clear()
    store.close()
    if counts["floor"] != counts["write_many"]:
        raise SystemExit(f"the floor wrote another graph: {counts}")
    best = {name: min(ts) for name, ts in times.items()}
    return {
        "documents": len(docs),
        "tasks": tasks,
        "nodes": counts["floor"][0],
        "edges": counts["floor"][1],
        "seconds": times,
        "write_many_s": best["write_many"],
        "floor_s": best["floor"],
        "write_many_tasks_per_s": tasks / best["write_many"],
        "floor_tasks_per_s": tasks / best["floor"],
        "ratio": best["write_many"] / best["floor"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=("ingest", "sample", "naive", "floor"))
    parser.add_argument("--store", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--uri")
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument(
        "--batch",
        action="store_true",
        help="embedded: one copy + save for the corpus (the write_many fix)",
    )
    parser.add_argument("--skip-analytics", action="store_true")
    parser.add_argument("--max-memory-gb", type=float, default=0)
    parser.add_argument(
        "--single-writes",
        type=int,
        default=3,
        help="with --batch: then write this many more documents one by one",
    )
    args = parser.parse_args(argv)
    command = {
        "ingest": cmd_ingest,
        "sample": cmd_sample,
        "naive": cmd_naive,
        "floor": cmd_floor,
    }[args.command]
    print(json.dumps(command(args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
