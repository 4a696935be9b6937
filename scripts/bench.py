"""Benchmarks: ingest throughput, query and neighbourhood latency, memory, growth, naive ratio,
and the Neo4j writer against the Cypher floor.

For each scale (times the bundled sample's 100 tasks, corpus from ``scripts/corpus.py``)
and each store, one fresh subprocess (``scripts/bench_worker.py``) ingests the corpus and
then times every query of the catalogue and the explorer's neighbourhood endpoint; its
peak RSS is the run's memory.  With ``--neo4j`` a Neo4j 5.26 is started by
``graph.local_neo4j`` in a temporary home on a free port (and stopped after), or
``--neo4j-uri`` names a running one (its database is cleared!).  Markdown tables go to
stdout (and ``--out``), raw figures to ``--json`` (rewritten after every run).  For 1000x:
``--batch-scales 1000`` writes the embedded corpus in one batch (one document at a time is
quadratic, see docs/BENCHMARKS.md), ``--skip-analytics-scales 1000`` leaves out the
whole-graph questions, ``--max-memory-gb`` caps each worker's address space.  With Neo4j,
``--floor-scale`` (default 100) also times the store's writer against the least work any
Cypher loader must do for the same graph (``bench_worker floor``)::

    python scripts/bench.py --scales 1,10,100 --neo4j --out /tmp/bench.md
    python scripts/bench.py --scales 1000 --stores neo4j --neo4j --skip-analytics-scales 1000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in {None, ""}:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.corpus import generate

__all__ = ["free_port", "machine", "main", "markdown"]

ROOT = Path(__file__).resolve().parent.parent


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = "unknown"
    with open("/proc/cpuinfo") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as fh:
        mem_kb = int(fh.readline().split()[1])
    return {
        "cpus": str(os.cpu_count()),
        "memory": f"{mem_kb / 2**20:.1f} GiB",
        "cpu": cpu,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _worker(*args: str, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "scripts.bench_worker", *args]
    proc = subprocess.run(
        cmd,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _corpus(scale: int, seed: int, cache: Path) -> Path:
    out = cache / f"scale-{scale}-seed-{seed}"
    if not (out / "manifest.json").exists():
        generate(scale, seed, out)
    return out


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _neo4j_version(uri: str) -> str:
    from neo4j import GraphDatabase

    with GraphDatabase.driver(uri, auth=None) as driver:
        rec = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e"
        ).records[0]
        return f"{rec['v']} {rec['e']}"


# -- report ------------------------------------------------------------------------------------
def _row(cells: Sequence[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows), ""]


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    lines = [
        f"Machine: {m['cpus']} CPUs ({m['cpu']}), {m['memory']}, Python {m['python']}"
        + (f", Neo4j {results['neo4j_version']}" if results.get("neo4j_version") else "")
        + f"; seed {results['seed']}.",
        "",
    ]
    if results.get("sample"):
        lines += ["### The bundled sample (100 tasks), extraction included", ""]
        rows = [
            [
                store,
                f"{s['cold']['total']:.2f}",
                f"{s['warm_total']:.3f}",
                f"{s['warm_process']:.3f}",
                f"{s['warm_write']:.3f}",
            ]
            for store, s in results["sample"].items()
        ]
        lines += _table(
            [
                "store",
                "cold s (first in process)",
                "warm s",
                "of which parse+extract",
                "of which write",
            ],
            rows,
        )
    lines += ["### Ingest", ""]
    rows = []
    for run in results["runs"]:
        r, st = run["result"], run["result"]["stages"]
        total = sum(st.values())
        rows.append(
            [
                run["store"],
                run["scale"],
                r["documents"],
                f"{r['tasks']:,}",
                f"{r['chars']:,}",
                f"{st['load'] + st['segment']:.1f}",
                f"{st['extract']:.1f}",
                f"{st['assemble']:.1f}",
                f"{st['write']:.1f}",
                f"{r['chars'] / total:,.0f}",
                f"{r['tasks'] / total:,.0f}",
                f"{r['tasks'] / st['write']:,.0f}",
                f"{r['nodes']:,}",
                f"{r['edges']:,}",
                f"{r['peak_ingest_mb']:,.0f}",
                f"{r['rss_after_ingest_mb'] - r['rss_before_mb']:,.0f}",
                f"{r.get('file_mb', 0):,.1f}" if "file_mb" in r else "-",
            ]
        )
    lines += _table(
        [
            "store",
            "scale",
            "docs",
            "tasks",
            "chars",
            "parse s",
            "extract s",
            "assemble s",
            "write s",
            "chars/s",
            "tasks/s",
            "write tasks/s",
            "nodes",
            "edges",
            "peak RSS MB",
            "graph RSS MB",
            "file MB",
        ],
        rows,
    )
    for run in results["runs"]:
        mode = "one batch for the corpus" if run["result"].get("batched") else None
        lines.append(
            f"{run['store']} at scale {run['scale']}: "
            f"{mode or run['result'].get('write_mode', 'write per document')}."
        )
    lines.append("")
    for run in results["runs"]:
        if run["result"].get("single_write_s"):
            writes = ", ".join(f"{s:.1f}" for s in run["result"]["single_write_s"])
            lines += [
                f"{run['store']} at scale {run['scale']}: one more document written "
                f"alone then takes {writes} s (copy + save of the whole graph).",
                "",
            ]
    for run in results["runs"]:
        q = run["result"]["queries"]
        lines += [
            f"### Query latency: {run['store']}, scale {run['scale']} "
            f"({run['result']['nodes']:,} nodes)",
            "",
        ]
        rows = [
            [name, _ms(v.get("first")), f"{v['p50']:.1f}", f"{v['p95']:.1f}", v["n"]]
            if "p50" in v
            else [name, "error", v["error"], "", 0]
            for name, v in sorted(q.items())
            if not name.startswith("_")
        ]
        nb = run["result"]["neighbourhood"]
        rows.append(
            [
                "GET /api/nodes/{id}/neighbourhood?depth=2",
                "-",
                f"{nb['p50']:.1f}",
                f"{nb['p95']:.1f}",
                nb["n"],
            ]
        )
        lines += _table(["query", "first call ms", "p50 ms", "p95 ms", "runs"], rows)
    if results.get("naive"):
        n = results["naive"]
        lines += [
            "### Batched store vs one MERGE per row (Neo4j, same records, same run)",
            "",
            *_table(
                ["approach", "rows", "seconds", "rows/s"],
                [
                    [
                        "Neo4jStore.write_many (UNWIND batches, several documents per tx)",
                        f"{n['rows_batched']:,}",
                        f"{n['batched_s']:.2f}",
                        f"{n['batched_rows_per_s']:,.0f}",
                    ],
                    [
                        "naive: one auto-commit MERGE per node / edge",
                        f"{n['rows_naive']:,}",
                        f"{n['naive_s']:.2f}",
                        f"{n['naive_rows_per_s']:,.0f}",
                    ],
                ],
            ),
            f"Ratio (naive time per row / batched time per row): "
            f"**{n['ratio']:.1f}x**; naive ran on the first {n['rows_naive']:,} rows "
            f"and is compared per row.",
            "",
        ]
    if results.get("floor"):
        f = results["floor"]
        lines += [
            f"### Neo4j writer vs the Cypher floor ({f['scale']}x corpus, same server, same run)",
            "",
            *_table(
                ["writer", "seconds (best of " + str(len(f["seconds"]["floor"])) + ")", "tasks/s"],
                [
                    [
                        "Neo4jStore.write_many (locked lookups, merge, net changes)",
                        f"{f['write_many_s']:.2f}",
                        f"{f['write_many_tasks_per_s']:,.0f}",
                    ],
                    [
                        "floor: each node and edge once, UNWIND CREATE only, no lookups",
                        f"{f['floor_s']:.2f}",
                        f"{f['floor_tasks_per_s']:,.0f}",
                    ],
                ],
            ),
            f"{f['tasks']:,} tasks, {f['nodes']:,} nodes, {f['edges']:,} edges; the writer "
            f"takes **{f['ratio']:.2f}x** the floor's time.",
            "",
        ]
    return "\n".join(lines)


# -- orchestration -----------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict[str, Any]:
    scales = [int(s) for s in args.scales.split(",") if s]
    batch_scales = {int(s) for s in args.batch_scales.split(",") if s}
    analytics_off = {int(s) for s in args.skip_analytics_scales.split(",") if s}
    cache = args.corpus_dir or Path(tempfile.mkdtemp(prefix="gg-corpus-"))
    own_cache = args.corpus_dir is None
    results: dict[str, Any] = {"machine": machine(), "seed": args.seed, "runs": [], "sample": {}}
    uri, home = args.neo4j_uri, None
    if args.neo4j and uri is None:
        from graph import local_neo4j

        home = Path(tempfile.mkdtemp(prefix="gg-bench-neo4j-"))
        uri = str(
            local_neo4j.start(
                home, port=free_port(), heap=args.neo4j_heap, pagecache=args.neo4j_pagecache
            )["uri"]
        )
    stores = [s for s in args.stores.split(",") if s == "embedded" or (s == "neo4j" and uri)]
    try:
        if uri:
            results["neo4j_version"] = _neo4j_version(uri)
        for store in stores if not args.skip_sample else []:
            extra = ["--uri", uri] if store == "neo4j" and uri else []
            results["sample"][store] = _worker("sample", "--store", store, *extra, timeout=600)
            print(
                f"sample on {store}: {results['sample'][store]['warm_total']:.3f} s",
                file=sys.stderr,
            )
        for scale in scales:
            corpus = _corpus(scale, args.seed, cache)
            for store in stores:
                extra = ["--uri", uri] if store == "neo4j" and uri else []
                if store == "embedded" and scale in batch_scales:
                    extra = ["--batch"]
                if scale in analytics_off:
                    extra.append("--skip-analytics")
                if args.max_memory_gb:
                    extra += ["--max-memory-gb", str(args.max_memory_gb)]
                began = time.perf_counter()
                result = _worker(
                    "ingest",
                    "--store",
                    store,
                    "--corpus",
                    str(corpus),
                    "--reps",
                    str(args.reps),
                    *extra,
                    timeout=args.timeout,
                )
                name = f"{store} (batched)" if "--batch" in extra else store
                results["runs"].append({"store": name, "scale": scale, "result": result})
                if args.json:  # keep what is measured so far
                    args.json.write_text(
                        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
                    )
                print(
                    f"scale {scale} on {store}: {time.perf_counter() - began:.0f} s",
                    file=sys.stderr,
                )
        if uri and args.naive_rows:
            corpus = _corpus(max(scales), args.seed, cache)
            results["naive"] = _worker(
                "naive",
                "--uri",
                uri,
                "--corpus",
                str(corpus),
                "--rows",
                str(args.naive_rows),
                timeout=args.timeout,
            )
        if uri and args.floor_scale:
            results["floor"] = {
                "scale": args.floor_scale,
                **_worker(
                    "floor",
                    "--uri",
                    uri,
                    "--corpus",
                    str(_corpus(args.floor_scale, args.seed, cache)),
                    "--reps",
                    "2",
                    timeout=args.timeout,
                ),
            }
    finally:
        if own_cache:
            shutil.rmtree(cache, ignore_errors=True)
        if home is not None:
            from graph import local_neo4j

            local_neo4j.stop(home)
            shutil.rmtree(home, ignore_errors=True)
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scales", default="1,10", help="comma-separated, e.g. 1,10,100,1000")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--neo4j", action="store_true", help="also bench Neo4j (started here)")
    parser.add_argument("--neo4j-uri", help="a running Neo4j to use instead (it is cleared!)")
    parser.add_argument("--neo4j-heap", default="1g")
    parser.add_argument("--neo4j-pagecache", default="1g")
    parser.add_argument("--reps", type=int, default=20, help="timed runs per query")
    parser.add_argument(
        "--batch-scales",
        default="",
        help="scales at which the embedded store is written in one batch "
        "(one copy + save for the corpus, then 3 single writes), e.g. 1000",
    )
    parser.add_argument("--skip-sample", action="store_true")
    parser.add_argument(
        "--stores",
        default="embedded,neo4j",
        help="which stores to bench (neo4j only with --neo4j or --neo4j-uri)",
    )
    parser.add_argument(
        "--skip-analytics-scales",
        default="",
        help="scales at which whole-graph analytics queries are not timed",
    )
    parser.add_argument(
        "--max-memory-gb",
        type=float,
        default=0,
        help="address-space limit of each worker (0: none)",
    )
    parser.add_argument(
        "--naive-rows", type=int, default=3000, help="rows for the naive MERGE comparison (0: skip)"
    )
    parser.add_argument(
        "--floor-scale",
        type=int,
        default=100,
        help="corpus scale for the Neo4j writer vs Cypher floor comparison (0: skip)",
    )
    parser.add_argument("--corpus-dir", type=Path, help="keep generated corpora here")
    parser.add_argument("--timeout", type=float, default=4 * 3600, help="per run, seconds")
    parser.add_argument("--out", type=Path, help="write the markdown here too")
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args(argv)
    results = run(args)
    text = markdown(results)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
