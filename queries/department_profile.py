"""Everything about one department: its tasks, and through them the projects, places,
organizations and documents it works with, and its targets with their progress.

Entities are counted by how many of the department's tasks reach them (most first).  On
the bundled sample::

    >>> r = department_profile(store, "市生态环境局")               # doctest: +SKIP
    >>> [(e.name, e.tasks) for e in r.documents][:1]                # doctest: +SKIP
    [('2019年全市海洋生态环境保护工作要点', [75])]
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._common import (
    NodeRef,
    Row,
    _Embedded,
    edges_in,
    edges_out,
    fetch,
    lab,
    natural_key,
    props,
    rels,
    validated,
)
from queries._resolve import resolve_entity_props
from queries._responsibility import HeldTask, held_tasks
from queries.department_tasks import CYPHER as TASKS_CYPHER
from queries.target_progress import TargetRow, department_progress

__all__ = [
    "CYPHER",
    "DepartmentProfile",
    "DepartmentProfileParams",
    "LinkedEntity",
    "department_profile",
]

LINKED = ["Project", "Place", "Organization", "Document"]
CYPHER = (
    f"MATCH (d:{lab('Department')} {{id: $id}})-[:{rels('LEADS', 'ASSISTS')}]->"
    f"(t:{lab('Task')}) WITH DISTINCT t "
    f"MATCH (t)-[:{rels('INVOLVES', 'MENTIONS', 'SERVES')}]-(e) "
    "WHERE any(l IN labels(e) WHERE l IN $labels) "
    "RETURN DISTINCT t.id AS task, t.number AS number, e.id AS entity, "
    "[l IN labels(e) WHERE l IN $labels][0] AS label, e.name AS name"
)


class DepartmentProfileParams(BaseModel):
    department: str = Field(description="Department id, canonical name or alias.")


class LinkedEntity(BaseModel):
    id: str
    name: str
    tasks: list[int] = Field(description="Numbers of the department's tasks that reach it.")


class DepartmentProfile(BaseModel):
    department: NodeRef
    aliases: list[str]
    level: str | None = None
    tasks: list[HeldTask]
    projects: list[LinkedEntity]
    places: list[LinkedEntity]
    organizations: list[LinkedEntity]
    documents: list[LinkedEntity]
    targets: list[TargetRow]
    target_counts: dict[str, int]


def department_profile(store: GraphStore, department: str) -> DepartmentProfile:
    """The department's tasks, linked entities and targets."""
    p = validated(DepartmentProfileParams, department=department)
    ref, node = resolve_entity_props(store, "Department", p.department)

    def walk(s: _Embedded) -> list[Row]:
        g, out = s.graph, set()
        for t, _, _ in edges_out(g, ref.id, ["LEADS", "ASSISTS"], "Task"):
            number = props(g, t).get("number")
            near = [
                (e, lb)
                for e, _, _ in edges_out(g, t, ["INVOLVES", "MENTIONS"])
                for lb in [g.nodes[e]["label"]]
            ]
            near += [(e, g.nodes[e]["label"]) for e, _, _ in edges_in(g, t, ["SERVES"])]
            for e, lb in near:
                if lb in LINKED:
                    out.add((t, number, e, lb, props(g, e).get("name")))
        keys = ("task", "number", "entity", "label", "name")
        return [dict(zip(keys, row, strict=True)) for row in out]

    grouped: dict[str, dict[tuple[str, str], set[int]]] = defaultdict(lambda: defaultdict(set))
    for r in fetch(store, CYPHER, {"id": ref.id, "labels": LINKED}, walk):
        grouped[r["label"]][(r["entity"], r["name"])].add(r["number"])

    def entities(label: str) -> list[LinkedEntity]:
        items = [
            LinkedEntity(id=i, name=n, tasks=sorted(ts)) for (i, n), ts in grouped[label].items()
        ]
        return sorted(items, key=lambda e: (-len(e.tasks), natural_key(e.id)))

    progress = department_progress(store, ref.id)
    return DepartmentProfile(
        department=ref,
        aliases=list(node.get("aliases", [])),
        level=node.get("level"),
        tasks=held_tasks(store, TASKS_CYPHER, ref.id, ["LEADS", "ASSISTS"]),
        projects=entities("Project"),
        places=entities("Place"),
        organizations=entities("Organization"),
        documents=entities("Document"),
        targets=progress.targets,
        target_counts=progress.counts,
    )
