"""Trace a policy document back to the tasks it serves.

For each task: its chapter, who answers for it (officials and departments, assignment and
inferred, see :mod:`queries.task_responsibility`), its targets with their progress, and the
sentences that cite the document (report, part, offset).  The document is given by id,
title (inside 《》) or alias.  On the bundled sample::

    >>> r = document_trace(store, "南通市“5215”工业大企业培育实施方案")   # doctest: +SKIP
    >>> [(t.task.number, t.citations[0].part) for t in r.tasks]          # doctest: +SKIP
    [(3, 'progress')]
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._common import (
    TASK_CHAPTER,
    TASK_FIELDS,
    NodeRef,
    Row,
    TaskRef,
    _Embedded,
    edges_out,
    fetch,
    lab,
    rels,
    task_fields,
    task_order,
    task_ref,
    validated,
)
from queries._resolve import resolve_entity_props
from queries.target_progress import TargetRow, targets_of
from queries.task_responsibility import Responsible, responsible_for

__all__ = [
    "CYPHER",
    "Citation",
    "DocumentTrace",
    "DocumentTraceParams",
    "TracedTask",
    "citation_rows",
    "document_trace",
]

CYPHER = (
    f"MATCH (doc:{lab('Document')} {{id: $id}})-[s:{rels('SERVES')}]->(t:{lab('Task')}) "
    f"{TASK_CHAPTER} RETURN s.report AS report, s.part AS part, s.offset AS offset, "
    f"s.surface AS surface, s.sentence AS sentence, {TASK_FIELDS}"
)
CITATION_KEYS = ("report", "part", "offset", "surface", "sentence")


class DocumentTraceParams(BaseModel):
    document: str = Field(description="Document id, title or alias.")


class Citation(BaseModel):
    """Where a text cites an entity: report, part of the task, offset, surface, sentence."""

    report: str | None
    part: str | None
    offset: int | None
    surface: str | None
    sentence: str | None


class TracedTask(BaseModel):
    task: TaskRef
    citations: list[Citation]
    responsible: list[Responsible]
    targets: list[TargetRow]


class DocumentTrace(BaseModel):
    document: NodeRef
    aliases: list[str]
    tasks: list[TracedTask]
    departments: list[str] = Field(description="Effective lead departments over all tasks.")


def citation_order(c: Citation) -> tuple[str, int, str]:
    return (c.report or "", c.offset if c.offset is not None else -1, c.surface or "")


def citation_rows(
    store: GraphStore, document_id: str
) -> tuple[dict[str, TaskRef], dict[str, list[Citation]]]:
    """The tasks the document serves, and per task its citations in text order."""

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        if not g.has_node(document_id):
            return []
        return [
            {**{k: e.get(k) for k in CITATION_KEYS}, **task_fields(g, t)}
            for t, _, e in edges_out(g, document_id, ["SERVES"], "Task")
        ]

    refs: dict[str, TaskRef] = {}
    out: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    for r in fetch(store, CYPHER, {"id": document_id}, walk):
        refs.setdefault(r["id"], task_ref(r))
        out[r["id"]].add(tuple(r[k] for k in CITATION_KEYS))
    cites = {
        t: sorted(
            (Citation(**dict(zip(CITATION_KEYS, c, strict=True))) for c in cs), key=citation_order
        )
        for t, cs in out.items()
    }
    return refs, cites


def document_trace(store: GraphStore, document: str) -> DocumentTrace:
    """Tasks the document serves, in plan and number order, with their context."""
    p = validated(DocumentTraceParams, document=document)
    ref, node = resolve_entity_props(store, "Document", p.document)
    refs, cites = citation_rows(store, ref.id)
    ids = sorted(cites)
    holders = responsible_for(store, ids)
    targets: dict[str, list[TargetRow]] = defaultdict(list)
    for row in targets_of(store, ids):
        targets[row.task_id].append(row)
    traced = sorted(
        (
            TracedTask(task=refs[t], citations=cites[t], responsible=holders[t], targets=targets[t])
            for t in ids
            if t in refs
        ),
        key=lambda x: task_order(x.task),
    )
    leads: list[str] = []
    for tt in traced:
        for h in tt.responsible:
            if h.role == "LEADS" and h.effective and h.name not in leads:
                leads.append(h.name)
    return DocumentTrace(
        document=ref, aliases=list(node.get("aliases", [])), tasks=traced, departments=leads
    )
