"""Operations shared by the CLI and the HTTP API: thin glue of ingest and a store."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from graph.records import WriteResult
from graph.store import GraphStore
from ingest.pipeline import IngestOptions, ProcessedDocument, process_bytes, process_file

__all__ = ["IngestOutcome", "ingest_bytes", "ingest_paths"]


class IngestOutcome:
    """What one document's ingest did."""

    def __init__(self, processed: ProcessedDocument, result: WriteResult, write_s: float) -> None:
        self.processed = processed
        self.result = result
        self.timings = {**processed.timings, "write": write_s}


def _write(store: GraphStore, processed: ProcessedDocument) -> IngestOutcome:
    import time

    t0 = time.perf_counter()
    result = store.write(processed.records)
    return IngestOutcome(processed, result, time.perf_counter() - t0)


def ingest_paths(
    store: GraphStore,
    paths: Sequence[str | Path],
    options: IngestOptions | None = None,
    on_step: Callable[[str, Path], None] | None = None,
) -> list[IngestOutcome]:
    """Process every file first, then write each whole; a bad file writes nothing at all."""
    processed = []
    for path in paths:
        if on_step:
            on_step("parse", Path(path))
        processed.append(process_file(path, options))
    outcomes = []
    for p in processed:
        if on_step:
            on_step("write", Path(p.loaded.path))
        outcomes.append(_write(store, p))
    return outcomes


def ingest_bytes(
    store: GraphStore, data: bytes, name: str, options: IngestOptions | None = None
) -> IngestOutcome:
    """Process and write one uploaded document."""
    return _write(store, process_bytes(data, name, options))
