"""The ingest chain: load -> segment -> extract -> resolve -> assemble.

Pure: a document goes in, :class:`~graph.records.DocumentRecords` come out,
with per-stage timings.  Writing them is the store's job.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from pydantic import BaseModel, Field

from graph.errors import PayloadTooLarge
from graph.gc_pause import gc_paused
from graph.records import DocumentRecords
from graph.settings import get_settings
from ingest.assemble import assemble
from ingest.extract import extract_task
from ingest.load import load_bytes, load_file
from ingest.meta import DocumentMeta, infer_meta
from ingest.models import LoadedDocument, SegmentedDocument
from ingest.resolve import resolve_document
from ingest.responsibility import task_assignments
from ingest.segment import segment

__all__ = ["IngestOptions", "ProcessedDocument", "process_bytes", "process_file", "process_loaded"]


class IngestOptions(BaseModel):
    city: str | None = None
    year: int | None = None
    period: str | None = None
    title: str | None = None
    max_bytes: int | None = None
    strict: bool = False
    """Refuse a copy cut short (a task cut off, fewer tasks than announced) instead of keeping
    its complete tasks with a warning."""
    replace: bool = False
    """A document that revises a stored report (same plan, period and kind, mostly the same
    tasks, other text) replaces it; without this it is refused (docs/READING.md)."""
    max_chars: int | None = Field(default_factory=lambda: get_settings().max_document_chars)
    """Longest decoded text accepted (None: no limit); memory grows with it (docs/BENCHMARKS.md)."""


class ProcessedDocument(BaseModel):
    loaded: LoadedDocument
    segmented: SegmentedDocument
    meta: DocumentMeta
    records: DocumentRecords
    timings: dict[str, float] = Field(default_factory=dict)


def process_loaded(
    loaded: LoadedDocument, options: IngestOptions | None = None
) -> ProcessedDocument:
    """Segment, extract, resolve and assemble an already decoded document."""
    with gc_paused():
        return _process_loaded(loaded, options)


def _process_loaded(loaded: LoadedDocument, options: IngestOptions | None) -> ProcessedDocument:
    options = options or IngestOptions()
    _check_chars(loaded.path, len(loaded.text), options.max_chars)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    doc = segment(loaded, loaded.path, strict=options.strict)
    meta = infer_meta(
        doc,
        city=options.city,
        year=options.year,
        period=options.period,
        title=options.title,
        strict=options.strict,
    )
    t1 = time.perf_counter()
    timings["segment"] = t1 - t0
    extractions = {t.key: extract_task(doc.text, t) for t in doc.tasks}
    extractions = resolve_document(extractions, meta.city)
    assignments = {}
    for chapter in doc.chapters:
        for task in chapter.tasks:
            assignments[task.key] = task_assignments(
                doc, chapter, task, extractions[task.key], meta.city
            )
    t2 = time.perf_counter()
    timings["extract"] = t2 - t1
    records = assemble(loaded, doc, meta, extractions, assignments).prepared()
    timings["assemble"] = time.perf_counter() - t2
    return ProcessedDocument(
        loaded=loaded, segmented=doc, meta=meta, records=records, timings=timings
    )


# their size says little about their text
_NOT_PLAIN = {".docx", ".pdf", ".html", ".htm", ".xlsx", ".xlsm", ".xls", ".ods"}


def _check_chars(path: str, chars: int, limit: int | None, prefix: str = "") -> None:
    if limit is not None and chars > limit:
        raise PayloadTooLarge(
            f"{path}: the document is {prefix}{chars:,} characters, over the limit of {limit:,} "
            "(GOVGRAPH_MAX_DOCUMENT_CHARS)",
            path=path,
            chars=chars,
            limit=limit,
        )


def process_file(path: str | Path, options: IngestOptions | None = None) -> ProcessedDocument:
    """Load and process one file."""
    options = options or IngestOptions()
    if options.max_chars is not None and Path(path).suffix.lower() not in _NOT_PLAIN:
        # plain text takes at most 4 bytes a character: refuse before reading and decoding
        with contextlib.suppress(OSError):  # load_file names an unreadable file
            size = Path(path).stat().st_size
            if size > 4 * options.max_chars:
                _check_chars(str(path), size // 4, options.max_chars, f"{size:,} bytes, at least ")
    t0 = time.perf_counter()
    loaded = load_file(path, options.max_bytes)
    load_time = time.perf_counter() - t0
    result = process_loaded(loaded, options)
    result.timings = {"load": load_time, **result.timings}
    return result


def process_bytes(
    data: bytes, name: str, options: IngestOptions | None = None
) -> ProcessedDocument:
    """Process a document given as bytes (an upload)."""
    return process_loaded(load_bytes(data, name), options)
