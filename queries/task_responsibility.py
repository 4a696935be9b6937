"""Who answers for a task: the official, the lead and the co-operating departments.

Both sources are shown, labelled: ``assignment`` (a document said so) and ``inferred``
(govgraph guessed, with score and evidence).  For each role an assignment overrides a
guess: when any assignment edge exists for a role, only those rows are ``effective``;
otherwise the inferred rows are.  The task is given by id or by number (``plan`` picks
among several plans).  On the bundled sample (inferred departments only)::

    >>> r = task_responsibility(store, "5")                        # doctest: +SKIP
    >>> [(x.name, x.role, x.source, x.effective) for x in r.responsible][:1]   # doctest: +SKIP
    [('市发展和改革委员会', 'LEADS', 'inferred', True)]
"""

from __future__ import annotations

from pydantic import BaseModel, Field

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
    rnd,
    validated,
)
from queries._resolve import resolve_task
from queries._responsibility import ROLE_ORDER, Role, Source

__all__ = [
    "CYPHER",
    "Responsible",
    "TaskResponsibility",
    "TaskResponsibilityParams",
    "responsible_for",
    "task_responsibility",
]

HOLDERS = ["Official", "Department"]
CYPHER = (
    f"MATCH (h)-[r:{rels('OVERSEES', 'LEADS', 'ASSISTS')}]->(t:{lab('Task')}) "
    "WHERE t.id IN $ids RETURN t.id AS task, h.id AS holder, "
    "[l IN labels(h) WHERE l IN $labels][0] AS label, "
    "h.name AS name, type(r) AS role, r.source AS source, r.score AS score, "
    "coalesce(r.evidence, []) AS evidence, r.rank AS rank"
)


class TaskResponsibilityParams(TaskParams):
    """Which task's responsibility."""


class Responsible(BaseModel):
    holder_id: str
    label: str
    name: str
    role: Role
    source: Source
    effective: bool = Field(description="True unless an assignment overrides this guess.")
    score: float | None = None
    rank: int | None = None
    evidence: list[str] = Field(default_factory=list)


class TaskResponsibility(BaseModel):
    task: TaskRef
    responsible: list[Responsible]
    effective: dict[str, list[str]] = Field(
        description="Role -> names of the effective holders, in order."
    )


def responsible_for(store: GraphStore, task_ids: list[str]) -> dict[str, list[Responsible]]:
    """Grouped, ordered responsibility rows of each task in ``task_ids``."""

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        return [
            {
                "task": t,
                "holder": h,
                "label": g.nodes[h]["label"],
                "name": props(g, h).get("name"),
                "role": typ,
                "source": e.get("source"),
                "score": e.get("score"),
                "evidence": e.get("evidence", []),
                "rank": e.get("rank"),
            }
            for t in task_ids
            if g.has_node(t)
            for h, typ, e in edges_in(g, t, ROLE_ORDER)
        ]

    grouped: dict[tuple[str, str, str, str], Row] = {}
    for r in fetch(store, CYPHER, {"ids": task_ids, "labels": HOLDERS}, walk):
        key = (r["task"], r["holder"], r["role"], r["source"])
        g = grouped.setdefault(key, {**r, "score": None, "rank": None, "evidence": set()})
        if r["score"] is not None:
            g["score"] = max(g["score"] or 0.0, float(r["score"]))
        if r["rank"] is not None:
            g["rank"] = min(g["rank"] if g["rank"] is not None else r["rank"], r["rank"])
        g["evidence"] |= set(r["evidence"] or [])
    assigned = {(t, role) for (t, _, role, src) in grouped if src == "assignment"}
    out: dict[str, list[Responsible]] = {t: [] for t in task_ids}
    for (t, h, role, src), g in grouped.items():
        out[t].append(
            Responsible(
                holder_id=h,
                label=g["label"],
                name=g["name"],
                role=role,
                source=src,
                effective=src == "assignment" or (t, role) not in assigned,
                score=rnd(g["score"]),
                rank=g["rank"],
                evidence=sorted(g["evidence"]),
            )
        )
    for rows in out.values():
        rows.sort(
            key=lambda x: (
                ROLE_ORDER[x.role],
                not x.effective,
                x.source,
                x.rank if x.rank is not None else 1 << 30,
                -(x.score or 0.0),
                x.name,
                x.holder_id,
            )
        )
    return out


def task_responsibility(
    store: GraphStore, task: str, plan: str | None = None
) -> TaskResponsibility:
    """Officials and departments of one task, assignment before inferred in each role."""
    p = validated(TaskResponsibilityParams, task=task, plan=plan)
    the_task = resolve_task(store, p.task, p.plan)
    task_id = the_task.id
    rows = responsible_for(store, [task_id])[task_id]
    effective: dict[str, list[str]] = {}
    for x in rows:
        if x.effective and x.name not in effective.setdefault(x.role, []):
            effective[x.role].append(x.name)
    return TaskResponsibility(task=the_task, responsible=rows, effective=effective)
