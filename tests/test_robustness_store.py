"""Stores under crashes and concurrency: a document is in the graph whole or not at all.

* the embedded store's file survives writers killed with SIGKILL at random moments, and
  readers (threads or processes) only ever see the graph before or after a write;
* Neo4j keeps the previous graph, and none of a half-sent document, when the client is
  killed mid-write or when the server is stopped or killed mid-write and started again.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph.embedded import EmbeddedStore
from graph.records import DocumentRecords, EdgeRecord, NodeRecord
from graph.store import GraphStore
from ingest.load import load_bytes
from ingest.pipeline import IngestOptions, process_loaded
from scripts.corpus import plan_specs, render
from tests.conftest import _free_port

ROOT = Path(__file__).resolve().parent.parent


# -- documents --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def corpus_records() -> list[DocumentRecords]:
    """Eight generated progress reports and notices of 40 tasks each, as records."""
    out = []
    for spec in plan_specs(8, plan_tasks=40):
        doc = render(spec, seed=21)
        loaded = load_bytes(doc.text.encode(), spec.name)
        out.append(process_loaded(loaded, IngestOptions()).records)
    return out


def synthetic_report(name: str, tasks: int) -> DocumentRecords:
    """A big document without parsing: a report of ``tasks`` tasks with progress texts."""
    rid, plan = f"report:{name}", f"plan:{name}-2019"
    nodes = [
        NodeRecord(id=plan, label="Plan", properties={"city": name, "year": 2019}),
        NodeRecord(id=rid, label="Report", properties={"sha256": name * 8, "plan": plan}),
        NodeRecord(id=f"chapter:{name}:1", label="Chapter", properties={"number": 1, "plan": plan}),
    ]
    edges = [
        EdgeRecord(type="OF_PLAN", source=rid, target=plan),
        EdgeRecord(type="OF_PLAN", source=f"chapter:{name}:1", target=plan),
    ]
    for n in range(1, tasks + 1):
        task, progress = f"task:{name}:{n}", f"progress:{name}:{n}"
        nodes += [
            NodeRecord(
                id=task,
                label="Task",
                properties={
                    "number": n,
                    "text": f"推进第{n}项重点工作,新增企业{n}家。",
                    "plan": plan,
                },
            ),
            NodeRecord(
                id=progress,
                label="Progress",
                properties={"text": f"第{n}项工作进展顺利。", "report": rid, "task": n},
            ),
        ]
        edges += [
            EdgeRecord(type="IN_CHAPTER", source=task, target=f"chapter:{name}:1"),
            EdgeRecord(type="ON_TASK", source=progress, target=task),
            EdgeRecord(type="IN_REPORT", source=progress, target=rid),
        ]
    return DocumentRecords(report_id=rid, nodes=nodes, edges=edges)


def _write_time(store: GraphStore, records: DocumentRecords) -> float:
    t = time.perf_counter()
    store.write(records.model_copy(deep=True))
    return time.perf_counter() - t


def _snapshot(store: GraphStore) -> str:
    return store.export().model_dump_json()


def _save_records(records: list[DocumentRecords], path: Path) -> Path:
    path.write_text("\n".join(r.model_dump_json() for r in records), encoding="utf-8")
    return path


WRITER = """
import sys
from graph.records import DocumentRecords
{open_store}
lines = open(sys.argv[2], encoding="utf-8").read().splitlines()
print("ready", flush=True)
for line in lines:
    records = DocumentRecords.model_validate_json(line)
    print("begin", records.report_id, flush=True)
    store.write(records)
    print("end", records.report_id, flush=True)
"""
EMBEDDED = "from graph.embedded import EmbeddedStore\nstore = EmbeddedStore(sys.argv[1])"
NEO4J = (
    "from neo4j import GraphDatabase\nfrom graph.neo4j_store import Neo4jStore\n"
    "store = Neo4jStore(GraphDatabase.driver(sys.argv[1], auth=None))"
)


def _start_writer(target: str, records_file: Path, open_store: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER.format(open_store=open_store), target, str(records_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line == "ready\n", line + proc.stderr.read()  # type: ignore[union-attr]
    return proc


def _kill(proc: subprocess.Popen[str]) -> list[str]:
    """SIGKILL the writer; return what it printed (its last line says where it was)."""
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=30)
    return ["ready", *out.split("\n")] if out else ["ready"]


# -- embedded: killed writers -------------------------------------------------------------------
@pytest.mark.slow
def test_killed_writers_leave_a_loadable_store_with_whole_documents(
    tmp_path: Path, corpus_records: list[DocumentRecords]
) -> None:
    path = tmp_path / "g.pickle"
    reference = EmbeddedStore(None)
    states = [_snapshot(reference)]
    for r in corpus_records:  # the graph after each prefix of the writes
        reference.write(r.model_copy(deep=True))
        states.append(_snapshot(reference))
    base = EmbeddedStore(path)
    for r in corpus_records[:2]:
        base.write(r.model_copy(deep=True))
    base_bytes = path.read_bytes()
    records_file = _save_records(corpus_records[2:], tmp_path / "rest.jsonl")

    took = _write_time(EmbeddedStore(path), corpus_records[2])  # to aim the kills
    rng = random.Random(1234)
    mid_write = 0
    for _ in range(8):
        path.write_bytes(base_bytes)
        proc = _start_writer(str(path), records_file, EMBEDDED)
        assert proc.stdout is not None
        seen = []
        for _begin in range(rng.randrange(len(corpus_records) - 2) + 1):
            seen.append(proc.stdout.readline().strip())
            while not seen[-1].startswith("begin"):
                seen.append(proc.stdout.readline().strip())
        time.sleep(rng.uniform(0.0, 0.9) * took)
        lines = [*seen, *(ln for ln in _kill(proc)[1:] if ln)]
        mid_write += lines[-1].startswith("begin")
        store = EmbeddedStore(path)  # loads, whatever the moment of the kill
        written = sum(ln.startswith("end") for ln in lines)
        assert _snapshot(store) in states[2 + written : 2 + written + 2]
    assert mid_write >= 3, "the kills should mostly land inside a write"

    store = EmbeddedStore(path)  # a later writer is neither blocked nor confused by leftovers
    for r in corpus_records:
        store.write(r.model_copy(deep=True))
    assert _snapshot(EmbeddedStore(path)) == states[-1]


def test_leftover_temp_files_are_ignored_and_cleaned(
    tmp_path: Path, corpus_records: list[DocumentRecords]
) -> None:
    path = tmp_path / "g.pickle"
    store = EmbeddedStore(path)
    store.write(corpus_records[0].model_copy(deep=True))
    torn = tmp_path / ".g.pickle.crashed.tmp"  # as a writer killed mid-save leaves it
    other = tmp_path / ".graph-other.tmp"  # not this store's: left alone
    torn.write_bytes(path.read_bytes()[:1000])
    other.write_bytes(b"")
    assert EmbeddedStore(path).stats() == store.stats()
    store.write(corpus_records[1].model_copy(deep=True))
    assert sorted(p.name for p in tmp_path.iterdir()) == [other.name, "g.lock", "g.pickle"]


# -- embedded: readers during writes -------------------------------------------------------------
def test_reader_threads_see_the_old_or_the_new_graph(
    tmp_path: Path, corpus_records: list[DocumentRecords]
) -> None:
    store = EmbeddedStore(tmp_path / "g.pickle")
    reference = EmbeddedStore(None)
    valid_stats = {reference.stats().model_dump_json()}
    valid_sizes = {(0, 0)}
    for r in corpus_records:
        reference.write(r.model_copy(deep=True))
        valid_stats.add(reference.stats().model_dump_json())
        export = reference.export()
        valid_sizes.add((len(export.nodes), len(export.edges)))
    reports = [r.report_id for r in corpus_records]
    errors: list[str] = []
    done = threading.Event()

    def reader() -> None:
        while not done.is_set():
            try:
                stats = store.stats().model_dump_json()
                if stats not in valid_stats:
                    errors.append(f"stats mixed two graphs: {stats}")
                export = store.export()
                if (len(export.nodes), len(export.edges)) not in valid_sizes:
                    errors.append("export mixed two graphs")
                for node in store.nodes("Report"):
                    if node.id not in reports:
                        errors.append(f"unknown report {node.id}")
            except Exception as e:  # any failure of a reader is the finding
                errors.append(f"{type(e).__name__}: {e}")

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often: races show up if they exist
    threads = [threading.Thread(target=reader) for _ in range(3)]
    try:
        for t in threads:
            t.start()
        for r in corpus_records:
            store.write(r.model_copy(deep=True))
    finally:
        done.set()
        for t in threads:
            t.join()
        sys.setswitchinterval(switch)
    assert errors == []
    assert store.stats() == reference.stats()


READER = """
import sys
from graph.embedded import EmbeddedStore
seen = set()
while True:
    try:
        seen.add(EmbeddedStore(sys.argv[1]).stats().model_dump_json())
    except Exception as e:
        print("ERROR", type(e).__name__, e, flush=True)
        break
    if open(sys.argv[2]).read() == "stop":
        break
for s in seen:
    print(s, flush=True)
"""


@pytest.mark.slow
def test_reader_processes_load_whole_files_during_writes(
    tmp_path: Path, corpus_records: list[DocumentRecords]
) -> None:
    path, flag = tmp_path / "g.pickle", tmp_path / "flag"
    store = EmbeddedStore(path)
    store.write(corpus_records[0].model_copy(deep=True))
    reference = EmbeddedStore(None)
    valid = set()
    for r in corpus_records:
        reference.write(r.model_copy(deep=True))
        valid.add(reference.stats().model_dump_json())
    flag.write_text("go")
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(path), str(flag)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for r in corpus_records[1:]:
        store.write(r.model_copy(deep=True))
    flag.write_text("stop")
    for proc in readers:
        out, _ = proc.communicate(timeout=60)
        lines = [ln for ln in out.splitlines() if ln]
        assert lines and not any(ln.startswith("ERROR") for ln in lines), out[-2000:]
        assert set(lines) <= valid


# -- Neo4j --------------------------------------------------------------------------------------
@pytest.fixture
def neo(neo4j_uri: str) -> Iterator[Any]:
    from neo4j import GraphDatabase

    from graph.neo4j_store import Neo4jStore

    driver = GraphDatabase.driver(neo4j_uri, auth=None)
    store = Neo4jStore(driver, database="neo4j")
    store.clear()
    yield store
    store.clear()
    driver.close()


def _writer_killed_mid_write(neo: Any, uri: str, records_file: Path, delay: float) -> list[str]:
    """SIGKILL a writer while Neo4j runs one of its statements (seen in SHOW TRANSACTIONS),
    ``delay`` seconds after that: mid-transaction, before its COMMIT is sent."""
    proc = _start_writer(uri, records_file, NEO4J)
    assert proc.stdout is not None
    assert proc.stdout.readline().startswith("begin")
    deadline = time.monotonic() + 60
    with neo.driver.session(database=neo.database) as session:
        while time.monotonic() < deadline:
            running = session.run(
                "SHOW TRANSACTIONS YIELD currentQuery "
                "WHERE currentQuery STARTS WITH 'UNWIND' RETURN count(*) AS c"
            ).single(strict=True)["c"]
            if running:
                break
            assert proc.poll() is None, "the writer ended before it was seen writing"
            time.sleep(0.005)
        else:
            raise AssertionError("the writer's transaction never showed up")
    time.sleep(delay)
    return ["begin", *[ln for ln in _kill(proc) if ln][1:]]


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_client_killed_mid_write_leaves_no_half_document(
    neo: Any, neo4j_uri: str, tmp_path: Path, corpus_records: list[DocumentRecords]
) -> None:
    tasks = 12_000  # a write of many statements, so a kill lands inside it
    first, second = corpus_records[0], synthetic_report("b", tasks)
    neo.write(first.model_copy(deep=True))
    before = _snapshot(neo)
    records_file = _save_records([second], tmp_path / "second.jsonl")
    rng = random.Random(7)
    for _ in range(3):
        lines = _writer_killed_mid_write(neo, neo4j_uri, records_file, rng.uniform(0, 0.05))
        assert not any(ln.startswith("end") for ln in lines), "killed after the commit"
        assert _snapshot(neo) == before
        assert not neo.has_report(second.report_id)
    # the dead clients' transactions hold no locks: the same document now writes whole
    neo.write(second.model_copy(deep=True))
    assert neo.stats().nodes["Task"] == tasks + sum(n.label == "Task" for n in first.nodes)


@pytest.mark.neo4j
@pytest.mark.slow
def test_neo4j_restarted_mid_write_keeps_the_previous_graph(
    tmp_path: Path, corpus_records: list[DocumentRecords]
) -> None:
    """A dedicated server (never the session's): stopped, then killed, in the middle of a write."""
    if os.environ.get("GOVGRAPH_TEST_NEO4J_URI"):
        pytest.skip("needs java and mvn to start a dedicated server")
    from neo4j import GraphDatabase

    from graph import local_neo4j
    from graph.neo4j_store import Neo4jStore

    home = tmp_path / "neo4j"
    first, second = corpus_records[0], synthetic_report("b", 3000)
    records_file = _save_records([second], tmp_path / "second.jsonl")
    port = _free_port()
    uri = str(local_neo4j.start(home, port=port)["uri"])
    try:
        with GraphDatabase.driver(uri, auth=None) as driver:
            store = Neo4jStore(driver)
            store.write(first.model_copy(deep=True))
            before = _snapshot(store)
            store.write(second.model_copy(deep=True))
            both = _snapshot(store)
            store.delete_report(second.report_id)
            assert _snapshot(store) == before
        for how in ("stop", "kill"):
            proc = _start_writer(uri, records_file, NEO4J)
            assert proc.stdout is not None and proc.stdout.readline().startswith("begin")
            time.sleep(0.5)
            if how == "stop":  # SIGTERM: Neo4j lets running transactions end, or rolls back
                local_neo4j.stop(home)
            else:
                pid = local_neo4j.status(home)["pid"]
                assert isinstance(pid, int)
                os.kill(pid, signal.SIGKILL)  # the server we started, by its pid
            proc.communicate(timeout=120)
            local_neo4j.stop(home)  # reap a killed server and its pid file
            uri = str(local_neo4j.start(home, port=port)["uri"])
            with GraphDatabase.driver(uri, auth=None) as driver:
                store = Neo4jStore(driver)
                after = _snapshot(store)
                assert after in (before, both), f"half a document after a {how} mid-write"
                if after == both:
                    store.delete_report(second.report_id)
    finally:
        local_neo4j.stop(home)
