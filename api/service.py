"""Operations shared by the CLI and the HTTP API: thin glue of ingest and a store."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from graph.errors import ParseError, RevisedReport
from graph.records import WriteResult
from graph.store import GraphStore
from ingest.assemble import with_report_id
from ingest.pipeline import IngestOptions, ProcessedDocument, process_bytes, process_file

__all__ = [
    "DOCUMENT_SUFFIXES",
    "IngestOutcome",
    "Processed",
    "expand_paths",
    "ingest_bytes",
    "ingest_paths",
    "join_pages",
    "revisions",
]


class Processed:
    """What is kept of a processed document until it is written: its records and a summary.

    The decoded text and the segmentation (as large again as the records) are let go as
    soon as the records are built, so a folder of 1,000 reports is not held twice over.
    """

    def __init__(self, processed: ProcessedDocument) -> None:
        self.path = processed.loaded.path
        self.meta = processed.meta
        tasks = processed.segmented.tasks
        self.tasks = len(tasks)
        # the first task's list and number: a page that starts past 1 continues an earlier page
        self.first_task = (tasks[0].section, tasks[0].number) if tasks else (1, 1)
        self.joined = False  # written into an earlier page's report
        self.records = processed.records
        self.timings = dict(processed.timings)


class IngestOutcome:
    """What one document's ingest did: where it came from, what it held, what it wrote."""

    def __init__(self, processed: Processed, result: WriteResult, write_s: float) -> None:
        self.path = processed.path
        self.meta = processed.meta
        self.tasks = processed.tasks
        self.warnings = list(processed.records.warnings)
        self.result = result
        self.timings = {**processed.timings, "write": write_s}


def ingest_paths(
    store: GraphStore,
    paths: Sequence[str | Path],
    options: IngestOptions | None = None,
    on_step: Callable[[str, Path], None] | None = None,
) -> list[IngestOutcome]:
    """Process every file first, then write them; a bad file writes nothing at all.

    A folder stands for the documents directly in it (:data:`DOCUMENT_SUFFIXES`, by name).
    On the embedded store the documents are written together (one save); on Neo4j in
    transactions of several documents each (``Neo4jStore.BATCH_ROWS``), each document whole.
    """
    processed = []
    for path in expand_paths(paths):
        if on_step:
            on_step("parse", Path(path))
        processed.append(Processed(process_file(path, options)))
    join_pages(store, processed)
    revised = revisions(store, processed, replace=bool(options and options.replace))
    if on_step:
        for p in processed:
            on_step("write", Path(p.path))
    t0 = time.perf_counter()
    for rid in revised:
        store.delete_report(rid)
    results = store.write_many([p.records for p in processed])
    write_s = (time.perf_counter() - t0) / max(1, len(processed))
    return [IngestOutcome(p, r, write_s) for p, r in zip(processed, results, strict=True)]


def join_pages(store: GraphStore, documents: Sequence[Processed]) -> None:
    """A page of a table that starts past task 1 joins the report of the same plan, period,
    kind and title written before it (in the store, or earlier in the same batch): government
    sites paginate long tables, and their pages are one report."""
    seen: dict[tuple[str, str, str, str], str] = {}
    for p in documents:
        key = (f"plan:{p.meta.plan_key}", p.meta.period, p.meta.kind, p.meta.title)
        rid = p.records.report_id
        if p.first_task != (1, 1):
            target = seen.get(key) or _stored_report(store, key, rid)
            if target is not None and target != rid:
                p.records = with_report_id(p.records, target)
                p.joined = True
                continue
        seen.setdefault(key, rid)


def revisions(store: GraphStore, documents: Sequence[Processed], replace: bool) -> list[str]:
    """The stored reports that ``documents`` revise, to delete before they are written.

    A document revises a report when it has the same plan, period and kind, at least half of
    the tasks of the smaller of the two, and other text (a copy with other whitespace or
    punctuation, or a corrected version).  Without ``replace`` it is refused with a
    :class:`RevisedReport` naming both, before anything is written: a plan's period is one
    report, so task history lists it once.  Pages of one table are not revisions (they
    join the first page's report, :func:`join_pages`).  Two documents of one batch that
    revise each other are refused even with ``replace``: which one stands is the user's call.
    """
    out: list[str] = []
    batch: dict[tuple[str, str, str], list[tuple[str, set[str], str]]] = {}
    for p in documents:
        if p.joined:
            continue
        rid = p.records.report_id
        plan = f"plan:{p.meta.plan_key}"
        key = (plan, p.meta.period, p.meta.kind)
        tasks = {n.id for n in p.records.nodes if n.label == "Task"}
        known = [
            (r.id, _report_tasks(store, plan, r.id), str(r.properties.get("path", "")))
            for r in store.nodes("Report", plan=plan, period=p.meta.period, kind=p.meta.kind)
            if r.id != rid
        ]
        for other, other_tasks, where in [*known, *batch.get(key, [])]:
            if other == rid:
                continue
            shared = len(tasks & other_tasks)
            if not shared or 2 * shared < min(len(tasks), len(other_tasks)):
                continue
            if not replace or not any(r[0] == other for r in known):
                raise RevisedReport(
                    f"{p.path}: plan {p.meta.plan_key} already has a {p.meta.kind} report for "
                    f"{p.meta.period} ({other}, from {where or 'an upload'}) with {shared} of the "
                    "same tasks, and this copy's text differs from it; pass --replace "
                    "(replace=true) to replace that report, or --period to file this one under "
                    "another period"
                )
            if other not in out:
                out.append(other)
        batch.setdefault(key, []).append((rid, tasks, str(p.path)))
    return out


def _report_tasks(store: GraphStore, plan: str, rid: str) -> set[str]:
    return {t.id for t in store.nodes("Task", plan=plan) if rid in t.properties.get("reports", [])}


def _stored_report(store: GraphStore, key: tuple[str, str, str, str], rid: str) -> str | None:
    plan, period, kind, title = key
    found = [
        r.id
        for r in store.nodes("Report", plan=plan, period=period, kind=kind, title=title)
        if r.id != rid
    ]
    return found[-1] if found else None


DOCUMENT_SUFFIXES = frozenset(
    {".txt", ".docx", ".html", ".htm", ".pdf", ".xlsx", ".xlsm", ".xls", ".ods"}
)
"""What a folder given to :func:`ingest_paths` contributes (other files, such as a corpus's
``manifest.json``, are left out)."""


def expand_paths(paths: Sequence[str | Path]) -> list[Path]:
    """``paths`` with each folder replaced by its documents, sorted by name (not recursive).

    A folder without any document is an error (:class:`ParseError` naming it), not a
    silent no-op.
    """
    out: list[Path] = []
    for path in map(Path, paths):
        if not path.is_dir():
            out.append(path)
            continue
        found = sorted(
            p for p in path.iterdir() if p.is_file() and p.suffix.lower() in DOCUMENT_SUFFIXES
        )
        if not found:
            kinds = " ".join(sorted(DOCUMENT_SUFFIXES))
            raise ParseError(f"the folder holds no document ({kinds})", path=str(path))
        out += found
    return out


def ingest_bytes(
    store: GraphStore, data: bytes, name: str, options: IngestOptions | None = None
) -> IngestOutcome:
    """Process and write one uploaded document."""
    processed = Processed(process_bytes(data, name, options))
    join_pages(store, [processed])
    revised = revisions(store, [processed], replace=bool(options and options.replace))
    t0 = time.perf_counter()
    for rid in revised:
        store.delete_report(rid)
    result = store.write(processed.records)
    return IngestOutcome(processed, result, time.perf_counter() - t0)
