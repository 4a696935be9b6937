"""Which tasks concern a place - including the places inside it?

Places nest through ``(Place)-[:LOCATED_IN]->(Place)``: a county's tasks include those of
its towns, ports and parks.  A task concerns a place when its text mentions the place or it
involves a project located there.  Each task lists how it was reached (place, depth below
the asked place, project if any, surface).  ``nested=false`` keeps the place itself only.
On the bundled sample (once place extraction lands; 海门市 names 振康机械's robot town in
task 2's progress and 工业机器人科创园 in task 4's)::

    >>> r = place_tasks(store, "海门市")                             # doctest: +SKIP
    >>> [t.number for t in r.tasks][:2]                              # doctest: +SKIP
    [2, 4]
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
    fetch,
    lab,
    natural_key,
    props,
    rels,
    task_order,
    task_refs,
    validated,
)
from queries._resolve import resolve_entity
from queries.project_tasks import RankedPlace, enclosing_places

__all__ = [
    "CYPHER",
    "INSIDE_CYPHER",
    "PlaceTask",
    "PlaceTasks",
    "PlaceTasksParams",
    "PlaceVia",
    "place_tasks",
]

INSIDE_CYPHER = (
    f"MATCH path = (q:{lab('Place')})-[:{rels('LOCATED_IN')}*0..12]->"
    f"(p:{lab('Place')} {{id: $id}}) "
    "RETURN q.id AS place, q.name AS name, min(length(path)) AS depth"
)
CYPHER = (
    f"MATCH (q:{lab('Place')}) WHERE q.id IN $places CALL (q) {{ "
    f"MATCH (t:{lab('Task')})-[m:{rels('MENTIONS')}]->(q) "
    "RETURN t.id AS task, null AS project, null AS project_name, m.surface AS surface "
    f"UNION MATCH (t:{lab('Task')})-[m:{rels('INVOLVES')}]->(pr:{lab('Project')})"
    f"-[:{rels('LOCATED_IN')}]->(q) "
    "RETURN t.id AS task, pr.id AS project, pr.name AS project_name, m.surface AS surface } "
    "RETURN q.id AS place, task, project, project_name, surface"
)


class PlaceTasksParams(BaseModel):
    place: str = Field(description="Place id, canonical name or alias.")
    nested: bool = Field(True, description="Include the places inside it.")


class PlaceVia(BaseModel):
    place_id: str
    place_name: str
    depth: int
    project_id: str | None = None
    project_name: str | None = None
    surface: str | None = None


class PlaceTask(BaseModel):
    task_id: str
    number: int
    plan: str
    chapter: int | None
    text: str
    via: list[PlaceVia]


class PlaceTasks(BaseModel):
    place: NodeRef
    tasks: list[PlaceTask]
    within: list[RankedPlace] = Field(description="Places the place lies in, nearest first.")
    places: list[RankedPlace] = Field(description="The place (depth 0) and the places inside.")


def _inside(store: GraphStore, place_id: str, nested: bool) -> list[RankedPlace]:
    def walk(s: _Embedded) -> list[Row]:
        g, depth, frontier = s.graph, {place_id: 0}, [place_id]
        while frontier and nested:
            nxt = []
            for n in frontier:
                for q, _, _ in edges_in(g, n, ["LOCATED_IN"], "Place"):
                    if q not in depth:
                        depth[q] = depth[n] + 1
                        nxt.append(q)
            frontier = nxt
        return [{"place": q, "name": props(g, q).get("name"), "depth": d} for q, d in depth.items()]

    rows = fetch(store, INSIDE_CYPHER, {"id": place_id}, walk)
    places = [RankedPlace(id=r["place"], name=r["name"], depth=r["depth"]) for r in rows]
    return sorted(
        (x for x in places if nested or x.depth == 0), key=lambda x: (x.depth, natural_key(x.id))
    )


def place_tasks(store: GraphStore, place: str, nested: bool = True) -> PlaceTasks:
    """Tasks about the place or any place inside it, in plan and number order."""
    p = validated(PlaceTasksParams, place=place, nested=nested)
    ref = resolve_entity(store, "Place", p.place)
    places = _inside(store, ref.id, p.nested)
    info = {x.id: x for x in places}

    def walk(s: _Embedded) -> list[Row]:
        g, out = s.graph, []
        for q in info:
            for t, _, m in edges_in(g, q, ["MENTIONS"], "Task"):
                out.append(
                    {
                        "place": q,
                        "task": t,
                        "project": None,
                        "project_name": None,
                        "surface": m.get("surface"),
                    }
                )
            for pr, _, _ in edges_in(g, q, ["LOCATED_IN"], "Project"):
                for t, _, m in edges_in(g, pr, ["INVOLVES"], "Task"):
                    out.append(
                        {
                            "place": q,
                            "task": t,
                            "project": pr,
                            "project_name": props(g, pr).get("name"),
                            "surface": m.get("surface"),
                        }
                    )
        return out

    vias: dict[str, set[tuple[str, str | None, str | None, str | None]]] = defaultdict(set)
    for r in fetch(store, CYPHER, {"places": sorted(info)}, walk):
        vias[r["task"]].add((r["place"], r["project"], r["project_name"], r["surface"]))
    refs = task_refs(store, vias)
    tasks = []
    for t, vs in vias.items():
        via = [
            PlaceVia(
                place_id=q,
                place_name=info[q].name,
                depth=info[q].depth,
                project_id=pr,
                project_name=pn,
                surface=sf,
            )
            for q, pr, pn, sf in vs
        ]
        via.sort(
            key=lambda v: (v.depth, natural_key(v.place_id), v.project_id or "", v.surface or "")
        )
        ref_t = refs[t]
        tasks.append(
            PlaceTask(
                task_id=t,
                number=ref_t.number,
                plan=ref_t.plan,
                chapter=ref_t.chapter,
                text=ref_t.text,
                via=via,
            )
        )
    tasks.sort(key=lambda x: task_order(refs[x.task_id]))
    return PlaceTasks(
        place=ref, within=enclosing_places(store, ref.id, "Place"), places=places, tasks=tasks
    )
