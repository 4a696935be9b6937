"""A bounded load test of the JSON API on loopback.

Starts a uvicorn server (127.0.0.1, a free port) over a store holding the bundled sample,
runs ``--clients`` threads of httpx clients against the neighbourhood endpoint and query
endpoints until ``--requests`` requests are done or ``--duration`` seconds have passed,
stops the server by its pid and prints throughput, p50/p95 and errors per endpoint::

    python scripts/loadtest.py --clients 8 --requests 3000 --duration 60
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.bench import free_port

__all__ = ["main", "request_mix"]

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "nantong-2019-h1.txt"
HOST = "127.0.0.1"  # loopback only, whatever the arguments say

SERVER = """
import sys, uvicorn
from api.app import create_app
from graph.gc_pause import freeze_kept_answers
freeze_kept_answers()  # as govgraph serve does
if sys.argv[2]:
    from neo4j import GraphDatabase
    from graph.neo4j_store import Neo4jStore
    store = Neo4jStore(GraphDatabase.driver(sys.argv[2], auth=None), owns_driver=True)
else:
    from graph.embedded import EmbeddedStore
    store = EmbeddedStore(sys.argv[3])
uvicorn.run(create_app(store), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


def _load_sample(neo4j_uri: str | None, path: Path) -> list[tuple[str, str]]:
    """Write the sample into the store the server will open; return (label, id) picks."""
    from graph.store import GraphStore
    from ingest.pipeline import process_file

    store: GraphStore
    if neo4j_uri:
        from neo4j import GraphDatabase

        from graph.neo4j_store import Neo4jStore

        store = Neo4jStore(GraphDatabase.driver(neo4j_uri, auth=None), owns_driver=True)
        store.clear()
    else:
        from graph.embedded import EmbeddedStore

        store = EmbeddedStore(path)
    store.write(process_file(SAMPLE).records)
    picks = []
    for label in ("Task", "Department", "Place", "Project", "Document"):
        nodes = store.nodes(label)
        picks += [(label, n.id) for n in nodes[:: max(1, len(nodes) // 5)][:5]]
    store.close()
    return picks


def request_mix(picks: list[tuple[str, str]]) -> list[tuple[str, str, dict[str, Any]]]:
    """(endpoint name, path, query parameters): what an explorer session asks for.

    >>> request_mix([("Task", "task:x:1")])[0]
    ('neighbourhood', '/api/nodes/task:x:1/neighbourhood', {'depth': 1})
    """
    mix: list[tuple[str, str, dict[str, Any]]] = []
    for label, node_id in picks:
        mix.append(("neighbourhood", f"/api/nodes/{node_id}/neighbourhood", {"depth": 1}))
        mix.append(("neighbourhood", f"/api/nodes/{node_id}/neighbourhood", {"depth": 2}))
        if label == "Department":
            mix.append(
                ("query department_tasks", "/api/queries/department_tasks", {"department": node_id})
            )
        if label == "Task":
            mix.append(
                ("query task_dependencies", "/api/queries/task_dependencies", {"task": node_id})
            )
    mix += [("query search", "/api/queries/search", {"q": q}) for q in ("集成电路", "长江", "港口")]
    mix += [
        ("query shared_responsibility", "/api/queries/shared_responsibility", {}),
        ("query target_progress", "/api/queries/target_progress", {}),
    ]
    return mix


def _wait_until_up(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError("the server exited while starting")
        try:
            if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


def run_load(
    base: str,
    mix: list[tuple[str, str, dict[str, Any]]],
    clients: int,
    requests: int,
    duration: float,
) -> dict[str, Any]:
    import httpx

    counter = itertools.count()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def client() -> None:
        with httpx.Client(base_url=base, timeout=30) as http:
            while time.monotonic() < deadline:
                i = next(counter)
                if i >= requests:
                    return
                name, path, params = mix[i % len(mix)]
                t = time.perf_counter()
                try:
                    ok = http.get(path, params=params).status_code == 200
                except httpx.HTTPError:
                    ok = False
                took = time.perf_counter() - t
                with lock:
                    latencies[name].append(took)
                    errors[name] += not ok

    began = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    from scripts.bench_worker import percentiles

    per = {
        name: {**percentiles(v), "errors": errors[name], "rps": len(v) / wall}
        for name, v in sorted(latencies.items())
    }
    total = sum(len(v) for v in latencies.values())
    return {
        "clients": clients,
        "wall_s": wall,
        "requests": total,
        "rps": total / wall,
        "errors": sum(errors.values()),
        "endpoints": per,
    }


def markdown(result: dict[str, Any], store: str) -> str:
    lines = [
        f"{result['requests']:,} requests from {result['clients']} clients in "
        f"{result['wall_s']:.1f} s on {store}: **{result['rps']:.0f} req/s**, "
        f"{result['errors']} errors.",
        "",
        "| endpoint | requests | req/s | p50 ms | p95 ms | errors |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, v in result["endpoints"].items():
        lines.append(
            f"| {name} | {v['n']:,} | {v['rps']:.0f} | {v['p50']:.1f} | "
            f"{v['p95']:.1f} | {v['errors']} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3000, help="stop after this many")
    parser.add_argument("--duration", type=float, default=60, help="or after this many seconds")
    parser.add_argument("--neo4j-uri", help="serve a running Neo4j (cleared!) instead")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.requests < 1 or not 0 < args.duration <= 600:
        parser.error("clients and requests must be positive; duration in (0, 600] seconds")
    tmp = Path(tempfile.mkdtemp(prefix="gg-load-"))
    store_path = tmp / "graph.pickle"
    picks = _load_sample(args.neo4j_uri, store_path)
    port = free_port()
    base = f"http://{HOST}:{port}"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), args.neo4j_uri or "", str(store_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        _wait_until_up(base, server)
        result = run_load(base, request_mix(picks), args.clients, args.requests, args.duration)
    finally:
        server.terminate()  # the server we started, by its pid
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=15)
        shutil.rmtree(tmp, ignore_errors=True)
    print(markdown(result, "neo4j" if args.neo4j_uri else "embedded"))
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
