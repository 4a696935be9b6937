"""Ingesting a document gives the same records whatever the hash seed and process state.

String hashes (set and dict order) change with ``PYTHONHASHSEED``, object addresses with
everything the process did before; neither may decide which candidate wins.  Each child
process ingests several documents in a row, as a batch ingest does, so a choice that
depends on memory layout (``id()``) shows up too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT, SAMPLE, TEST_DATA

# Corpus documents (scripts/corpus.py, seed 0) whose places include names that both the
# gazetteer and a head-noun pattern read (平湖, 南湖, 芜湖, 漯河 ...).
CORPUS_SEED = 0
CORPUS_INDICES = (0, 1, 2, 4, 5, 11, 14, 22)
FILES = (SAMPLE, TEST_DATA / "yangzhou-2020-h1.txt", TEST_DATA / "heldout" / "wuxi-2022.txt")
HASH_SEEDS = ("0", "1", "2", "123")

_CHILD = """
import hashlib, json, sys
from pathlib import Path
from ingest.pipeline import IngestOptions, process_bytes, process_file
from scripts.corpus import plan_specs, render

seed, indices, files = json.loads(sys.argv[1])
options = IngestOptions(max_chars=None)
docs = []
for i in indices:
    doc = render(plan_specs(max(indices) + 1)[i], seed)
    docs.append((doc.spec.name, lambda d=doc: process_bytes(d.text.encode(), d.spec.name, options)))
for f in files:
    docs.append((Path(f).name, lambda f=f: process_file(f, options)))

def dump(value):
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)

out = {}
for name, run in docs:
    records = run().records
    rows = sorted(dump([n.id, n.label, n.properties]) for n in records.nodes)
    rows += ["--"] + sorted(dump([e.type, e.source, e.target, e.properties]) for e in records.edges)
    rows += ["--"] + records.warnings
    out[name] = {
        "digest": hashlib.sha256("\\n".join(rows).encode()).hexdigest(),
        "edges": len(records.edges),
    }
print(json.dumps(out, ensure_ascii=False))
"""


def _run_all() -> dict[str, dict[str, dict[str, object]]]:
    arg = json.dumps([CORPUS_SEED, list(CORPUS_INDICES), [str(f) for f in FILES]])
    procs = {}
    for hash_seed in HASH_SEEDS:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        procs[hash_seed] = subprocess.Popen(
            [sys.executable, "-c", _CHILD, arg],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    results = {}
    for hash_seed, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=180)
        assert proc.returncode == 0, stderr
        results[hash_seed] = json.loads(stdout)
    return results


def test_same_records_for_every_hash_seed() -> None:
    results = _run_all()
    first = results[HASH_SEEDS[0]]
    assert len(first) == len(CORPUS_INDICES) + len(FILES)
    differ = {
        name: {seed: r[name] for seed, r in results.items()}
        for name in first
        if len({r[name]["digest"] for r in results.values()}) > 1
    }
    assert not differ, f"records depend on PYTHONHASHSEED: {differ}"
