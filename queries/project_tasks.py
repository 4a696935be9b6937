"""Which tasks involve a project, and where is the project?

The project is given by id, canonical name or alias.  With several cities loaded a generic name
(起步码头) names one node per city (docs/IDENTITY.md): ``plan`` picks the plan's city's node;
without it the name resolves as any name does (a canonical name beats an alias, two of a kind
are ambiguous and the error lists them); ``search`` lists them all.  Tasks come with the
sentences that name the project or one of its sections (``PART_OF``: a query for 北沿江高铁
finds the tasks of 北沿江高铁南通段); places are the project's own and the places that contain
them (``depth`` 1 = where the project is).  On the bundled sample (once project
extraction lands; task 1's progress names it)::

    >>> r = project_tasks(store, "通州湾精品钢基地")                  # doctest: +SKIP
    >>> [t.task.number for t in r.tasks], [p.name for p in r.places]  # doctest: +SKIP
    ([1], ['通州湾'])
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import BaseModel, Field

from graph.errors import InvalidQuery
from graph.store import GraphStore
from queries._common import (
    NodeRef,
    Row,
    TaskRef,
    _Embedded,
    edges_in,
    edges_out,
    fetch,
    lab,
    natural_key,
    plan_id,
    props,
    rels,
    task_order,
    task_refs,
    validated,
)
from queries._resolve import resolve_entity_props
from queries.document_trace import Citation, citation_order

__all__ = [
    "CYPHER",
    "PLACES_CYPHER",
    "ProjectTask",
    "ProjectTasks",
    "ProjectTasksParams",
    "RankedPlace",
    "enclosing_places",
    "project_tasks",
    "resolve_scoped",
]

CYPHER = (
    f"MATCH (w:{lab('Project')} {{id: $id}})<-[:{rels('PART_OF')}*0..3]-(p:{lab('Project')}) "
    f"MATCH (t:{lab('Task')})-[m:{rels('INVOLVES')}]->(p) "
    "RETURN DISTINCT t.id AS task, m.report AS report, m.part AS part, m.offset AS offset, "
    "m.surface AS surface, m.sentence AS sentence"
)


def places_cypher(label: str) -> str:
    """Places above a node of ``label`` (``$id``), with their smallest depth."""
    return (
        f"MATCH path = (p:{lab(label)} {{id: $id}})-[:{rels('LOCATED_IN')}*1..12]->"
        f"(q:{lab('Place')}) RETURN q.id AS place, q.name AS name, "
        "min(length(path)) AS depth"
    )


PLACES_CYPHER = places_cypher("Project")


class ProjectTasksParams(BaseModel):
    project: str = Field(description="Project id, canonical name or alias.")
    plan: str | None = Field(
        default=None,
        description="Plan id (plan:南通-2019 or 南通-2019): picks that city's node when the "
        "name names one in several cities, and keeps that plan's tasks only.",
    )


class RankedPlace(BaseModel):
    id: str
    name: str
    depth: int = Field(description="LOCATED_IN hops from the start (0 = the place itself).")


class ProjectTask(BaseModel):
    task: TaskRef
    citations: list[Citation]


class ProjectTasks(BaseModel):
    project: NodeRef
    kind: str | None = None
    tasks: list[ProjectTask]
    places: list[RankedPlace]


def enclosing_places(store: GraphStore, node_id: str, label: str) -> list[RankedPlace]:
    """Places a project or place lies in, nearest first (LOCATED_IN followed upwards)."""
    cypher = places_cypher(label)

    def walk(s: _Embedded) -> list[Row]:
        g, depth, frontier, out = s.graph, {node_id: 0}, [node_id], []
        while frontier and len(depth) < 10_000:
            nxt = []
            for n in frontier:
                for q, _, _ in edges_out(g, n, ["LOCATED_IN"], "Place"):
                    if q not in depth:
                        depth[q] = depth[n] + 1
                        nxt.append(q)
                        out.append({"place": q, "name": props(g, q).get("name"), "depth": depth[q]})
            frontier = nxt
        return out

    rows = fetch(store, cypher, {"id": node_id}, walk)
    return sorted(
        (RankedPlace(id=r["place"], name=r["name"], depth=r["depth"]) for r in rows),
        key=lambda x: (x.depth, natural_key(x.id)),
    )


def _scoped_cypher(label: str) -> str:
    return (
        f"MATCH (n:{lab(label)}) WHERE n.id STARTS WITH $prefix "
        "AND (n.name = $ref OR $ref IN coalesce(n.aliases, [])) RETURN n.id AS id"
    )


def resolve_scoped(
    store: GraphStore, label: str, ref: str, plan: str | None
) -> tuple[NodeRef, dict[str, Any]]:
    """An entity by id, name or alias; with ``plan``, the node of that name scoped to the plan's
    city comes first (a generic name is one node per city, docs/IDENTITY.md)."""
    if plan is not None:
        city = plan.removeprefix("plan:").rsplit("-", 1)[0]
        prefix = f"{label.lower()}:{city}:"

        def walk(s: _Embedded) -> list[Row]:
            g = s.graph
            return [
                {"id": n}
                for n in s.ids_with_label(label)
                if n.startswith(prefix)
                and (props(g, n).get("name") == ref or ref in props(g, n).get("aliases", []))
            ]

        mine = sorted(
            {
                r["id"]
                for r in fetch(store, _scoped_cypher(label), {"prefix": prefix, "ref": ref}, walk)
            }
        )
        if len(mine) > 1:
            raise InvalidQuery(
                f"{label.lower()} {ref!r} is ambiguous in {plan}: {', '.join(mine)}",
                candidates=mine,
            )
        if mine:
            return resolve_entity_props(store, label, mine[0])
    return resolve_entity_props(store, label, ref)


def _parts(g: Any, node_id: str) -> list[str]:
    """The project and its sections, sections of sections ... (PART_OF, 3 levels)."""
    found, frontier = [node_id], [node_id]
    for _ in range(3):
        frontier = [s for n in frontier for s, _, _ in edges_in(g, n, ["PART_OF"], "Project")]
        found += [s for s in frontier if s not in found]
    return found


def project_tasks(store: GraphStore, project: str, plan: str | None = None) -> ProjectTasks:
    """Tasks that involve the project or its sections (plan and number order) and its places;
    with ``plan``, that plan's node of the name and that plan's tasks only."""
    p = validated(ProjectTasksParams, project=project, plan=plan)
    ref, node = resolve_scoped(store, "Project", p.project, p.plan)

    def walk(s: _Embedded) -> list[Row]:
        return [
            {
                "task": t,
                **{k: e.get(k) for k in ("report", "part", "offset", "surface", "sentence")},
            }
            for part in _parts(s.graph, ref.id)
            for t, _, e in edges_in(s.graph, part, ["INVOLVES"], "Task")
        ]

    cites: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    for r in fetch(store, CYPHER, {"id": ref.id}, walk):
        cites[r.pop("task")].add(tuple(sorted(r.items())))
    refs = task_refs(store, cites)
    tasks = [
        ProjectTask(
            task=refs[t],
            citations=sorted(
                (Citation(**dict(c)) for c in cs),  # type: ignore[arg-type]
                key=citation_order,
            ),
        )
        for t, cs in cites.items()
        if t in refs and (p.plan is None or refs[t].plan == plan_id(p.plan))
    ]
    tasks.sort(key=lambda x: task_order(x.task))
    return ProjectTasks(
        project=ref,
        kind=node.get("kind"),
        places=enclosing_places(store, ref.id, "Project"),
        tasks=tasks,
    )
