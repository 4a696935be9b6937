"""Responsibility rows shared by ``department_tasks``, ``official_tasks`` and the profiles.

A holder (department or official) may reach one task by several edges of one role (two
reports quoting the same assignment, say); rows are grouped by (task, role, source): the
best score and the union of evidence.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._common import (
    TASK_CHAPTER,
    TASK_FIELDS,
    Row,
    TaskRef,
    _Embedded,
    edges_out,
    fetch,
    lab,
    rels,
    rnd,
    task_fields,
    task_order,
    task_ref,
)

__all__ = ["ROLE_ORDER", "HeldTask", "Role", "Source", "held_tasks", "holder_cypher"]

Role = Literal["LEADS", "ASSISTS", "OVERSEES"]
Source = Literal["assignment", "inferred"]
ROLE_ORDER = {"OVERSEES": 0, "LEADS": 1, "ASSISTS": 2}


class HeldTask(BaseModel):
    """One task a department or official answers for, in one role, from one source."""

    task_id: str
    number: int
    plan: str
    chapter: int | None
    chapter_title: str | None
    role: Role
    source: Source
    score: float | None = None
    evidence: list[str] = Field(default_factory=list)
    text: str


def holder_cypher(label: str, roles: Sequence[str]) -> str:
    """Responsibility edges of one holder node: ``$id``, ``$roles``, ``$source``, ``$plan``."""
    return (
        f"MATCH (h:{lab(label)} {{id: $id}})-[r:{rels(*roles)}]->(t:{lab('Task')}) "
        "WHERE type(r) IN $roles AND ($source IS NULL OR r.source = $source) "
        f"AND ($plan IS NULL OR t.plan = $plan) {TASK_CHAPTER} "
        "RETURN type(r) AS role, r.source AS source, r.score AS score, "
        f"coalesce(r.evidence, []) AS evidence, {TASK_FIELDS}"
    )


def held_tasks(
    store: GraphStore,
    cypher: str,
    holder: str,
    roles: Sequence[str],
    source: str | None = None,
    plan: str | None = None,
) -> list[HeldTask]:
    """Tasks ``holder`` reaches by ``roles`` edges, grouped and sorted."""

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        if not g.has_node(holder):
            return []
        return [
            {
                "role": typ,
                "source": p.get("source"),
                "score": p.get("score"),
                "evidence": p.get("evidence", []),
                **task_fields(g, t),
            }
            for t, typ, p in edges_out(g, holder, roles, "Task")
            if (source is None or p.get("source") == source)
            and (plan is None or g.nodes[t]["props"].get("plan") == plan)
        ]

    params = {"id": holder, "roles": list(roles), "source": source, "plan": plan}
    grouped: dict[tuple[str, str, str], Row] = {}
    refs: dict[str, TaskRef] = {}
    for r in fetch(store, cypher, params, walk):
        refs.setdefault(r["id"], task_ref(r))
        g = grouped.setdefault(
            (r["id"], r["role"], r["source"]), {"score": None, "evidence": set()}
        )
        if r["score"] is not None:
            g["score"] = max(g["score"] or 0.0, float(r["score"]))
        g["evidence"] |= set(r["evidence"] or [])
    out = [
        HeldTask(
            task_id=t,
            number=refs[t].number,
            plan=refs[t].plan,
            chapter=refs[t].chapter,
            chapter_title=refs[t].chapter_title,
            role=role,
            source=src,
            score=rnd(g["score"]),
            evidence=sorted(g["evidence"]),
            text=refs[t].text,
        )
        for (t, role, src), g in grouped.items()
        if t in refs
    ]
    return sorted(out, key=lambda h: (*task_order(refs[h.task_id]), ROLE_ORDER[h.role], h.source))
