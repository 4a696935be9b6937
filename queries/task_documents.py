"""Which policy documents does a task implement, and where are they cited?

The task is given by id or number.  Documents come in the order the texts cite them
(report, offset), each with its citations.  On the bundled sample::

    >>> [d.name for d in task_documents(store, "2").documents]      # doctest: +SKIP
    ['南通市智慧建筑产业三年行动方案(2019-2021年)']
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from graph.store import GraphStore
from queries._common import (
    Row,
    TaskParams,
    TaskRef,
    _Embedded,
    edges_in,
    fetch,
    lab,
    props,
    rels,
    validated,
)
from queries._resolve import resolve_task
from queries.document_trace import Citation, citation_order

__all__ = ["CYPHER", "CitedDocument", "TaskDocuments", "TaskDocumentsParams", "task_documents"]

CYPHER = (
    f"MATCH (doc:{lab('Document')})-[s:{rels('SERVES')}]->(t:{lab('Task')} {{id: $id}}) "
    "RETURN doc.id AS document, doc.name AS name, s.report AS report, s.part AS part, "
    "s.offset AS offset, s.surface AS surface, s.sentence AS sentence"
)


class TaskDocumentsParams(TaskParams):
    """Which task's documents."""


class CitedDocument(BaseModel):
    document_id: str
    name: str
    citations: list[Citation]


class TaskDocuments(BaseModel):
    task: TaskRef
    documents: list[CitedDocument]


def task_documents(store: GraphStore, task: str, plan: str | None = None) -> TaskDocuments:
    """Documents the task serves, first cited first."""
    p = validated(TaskDocumentsParams, task=task, plan=plan)
    the_task = resolve_task(store, p.task, p.plan)
    task_id = the_task.id

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        return [
            {
                "document": d,
                "name": props(g, d).get("name"),
                **{k: e.get(k) for k in ("report", "part", "offset", "surface", "sentence")},
            }
            for d, _, e in edges_in(g, task_id, ["SERVES"], "Document")
        ]

    names: dict[str, str] = {}
    cites: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    for r in fetch(store, CYPHER, {"id": task_id}, walk):
        doc = r.pop("document")
        names[doc] = r.pop("name")
        cites[doc].add(tuple(sorted(r.items())))
    docs = [
        CitedDocument(
            document_id=d,
            name=names[d],
            citations=sorted(
                (Citation(**dict(c)) for c in cs),  # type: ignore[arg-type]
                key=citation_order,
            ),
        )
        for d, cs in cites.items()
    ]
    docs.sort(key=lambda d: (citation_order(d.citations[0]), d.document_id))
    return TaskDocuments(task=the_task, documents=docs)
