"""Which tasks depend on a task?  Tasks linked to it through shared projects, places,
organizations, documents or departments.

Each link names the shared entity and its evidence (how each task reaches it: the surface
quoted, or the responsibility role and source) and has a weight: the kind's weight
(project / document 1.0, place / organization / department 0.5; a department link that rests
on an inferred edge counts half) divided by the number of *other* tasks that share the
entity, so a project shared by two tasks says more than a district named by twenty.  A
dependency's weight is the sum of its links'.  On the bundled sample::

    >>> d = task_dependencies(store, "1").dependencies[0]            # doctest: +SKIP
    >>> (d.number, d.weight, [x.name for x in d.links])              # doctest: +SKIP
    (2, 0.0179, ['市工业和信息化局'])
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._analytics import ENTITY_EDGES, WEIGHT
from queries._common import (
    CommaSplit,
    Row,
    TaskParams,
    TaskRef,
    _Embedded,
    fetch,
    lab,
    natural_key,
    props,
    rnd,
    validated,
)
from queries._resolve import resolve_task

__all__ = [
    "ALLOWED",
    "CYPHER",
    "Dependency",
    "Link",
    "TaskDependencies",
    "TaskDependenciesParams",
    "dependency_rows",
    "task_dependencies",
]

Kind = Literal["project", "place", "organization", "document", "department"]
ALLOWED: dict[str, list[str]] = {label: list(types) for label, types in ENTITY_EDGES.items()}

CYPHER = (
    f"MATCH (t:{lab('Task')} {{id: $id}})-[r1]-(e)-[r2]-(o:{lab('Task')}) "
    "WHERE o.id <> t.id AND any(l IN labels(e) WHERE l IN $labels) "
    "WITH t, r1, e, r2, o, [l IN labels(e) WHERE l IN $labels][0] AS label "
    "WHERE type(r1) IN $allowed[label] AND type(r2) IN $allowed[label] "
    "RETURN o.id AS other, o.number AS number, o.plan AS plan, o.text AS text, "
    "e.id AS entity, label, e.name AS name, "
    "type(r1) AS t_type, r1.surface AS t_surface, r1.source AS t_source, "
    "type(r2) AS o_type, r2.surface AS o_surface, r2.source AS o_source"
)


class TaskDependenciesParams(TaskParams):
    via: Annotated[list[Kind] | None, CommaSplit] = Field(
        None, description="Kinds of shared entity (default: all)."
    )
    limit: int = Field(50, ge=1, le=10_000, description="Most dependencies returned.")


class Link(BaseModel):
    via: str = Field(description="Label of the shared entity.")
    entity_id: str
    name: str
    weight: float
    evidence: list[str]


class Dependency(BaseModel):
    task_id: str
    number: int
    plan: str
    text: str
    weight: float
    links: list[Link]


class TaskDependencies(BaseModel):
    task: TaskRef
    dependencies: list[Dependency]


def dependency_rows(store: GraphStore, task_id: str, labels: list[str]) -> list[Row]:
    """(other task, shared entity, both edges) rows for ``task_id``."""
    allowed = {k: v for k, v in ALLOWED.items() if k in labels}

    def walk(s: _Embedded) -> list[Row]:
        g, out = s.graph, []
        if not g.has_node(task_id):
            return []

        def around(n: str) -> list[tuple[str, str, dict[str, object]]]:
            """Out then in edges of ``n`` (from the adjacency dicts: the edge views are slower
            on the entities that many tasks name)."""
            return [
                (v, d["type"], d["props"])
                for adjacent in (g._succ[n], g._pred[n])
                for v, keyed in adjacent.items()
                for d in keyed.values()
            ]

        for e, t1, p1 in around(task_id):
            label = g.nodes[e]["label"]
            if t1 not in allowed.get(label, ()):
                continue
            for o, t2, p2 in around(e):
                if o != task_id and t2 in allowed[label] and g.nodes[o]["label"] == "Task":
                    op = props(g, o)
                    out.append(
                        {
                            "other": o,
                            "number": op.get("number"),
                            "plan": op.get("plan"),
                            "text": op.get("text"),
                            "entity": e,
                            "label": label,
                            "name": props(g, e).get("name"),
                            "t_type": t1,
                            "t_surface": p1.get("surface"),
                            "t_source": p1.get("source"),
                            "o_type": t2,
                            "o_surface": p2.get("surface"),
                            "o_source": p2.get("source"),
                        }
                    )
        return out

    return fetch(
        store, CYPHER, {"id": task_id, "labels": sorted(allowed), "allowed": allowed}, walk
    )


def _how(number: int, typ: str, surface: object, source: object) -> str:
    return f"任务{number} {typ} " + (f"「{surface}」" if surface else f"({source})")


def task_dependencies(
    store: GraphStore,
    task: str,
    plan: str | None = None,
    via: list[str] | None = None,
    limit: int = 50,
) -> TaskDependencies:
    """Linked tasks by total weight (heaviest first), then plan and number."""
    p = validated(TaskDependenciesParams, task=task, plan=plan, via=via, limit=limit)
    the_task = resolve_task(store, p.task, p.plan)
    task_id = the_task.id
    labels = [k for k in ALLOWED if p.via is None or k.lower() in p.via]
    rows = dependency_rows(store, task_id, labels)
    others = {r["other"]: r for r in rows}
    me = the_task.number
    sharers: dict[str, set[str]] = defaultdict(set)
    evidence: dict[tuple[str, str], set[str]] = defaultdict(set)
    assigned: dict[tuple[str, str], set[bool]] = defaultdict(set)
    info: dict[str, tuple[str, str]] = {}
    for r in rows:
        o, e = r["other"], r["entity"]
        sharers[e].add(o)
        info[e] = (r["label"], r["name"])
        evidence[(o, e)] |= {
            _how(me, r["t_type"], r["t_surface"], r["t_source"]),
            _how(r["number"], r["o_type"], r["o_surface"], r["o_source"]),
        }
        assigned[(o, e)].add(r["t_source"] != "inferred" and r["o_source"] != "inferred")
    # weights first (plain tuples), models only for the ``limit`` dependencies returned
    links: dict[str, list[tuple[float, str, str, str, list[str]]]] = defaultdict(list)
    for (o, e), ev in evidence.items():
        label, name = info[e]
        factor = 0.5 if label == "Department" and True not in assigned[(o, e)] else 1.0
        weight = rnd(WEIGHT[label] * factor / len(sharers[e])) or 0.0
        links[o].append((weight, label, e, name, sorted(ev)))
    plan_keys: dict[str, tuple[object, ...]] = {}
    ranked = []
    for o, ls in links.items():
        ls.sort(key=lambda x: (-x[0], x[1], x[2]))
        plan = others[o]["plan"]
        if plan not in plan_keys:
            plan_keys[plan] = natural_key(plan)
        total = rnd(sum(x[0] for x in ls)) or 0.0
        ranked.append(((-total, plan_keys[plan], others[o]["number"], o), total, ls))
    ranked.sort(key=lambda x: x[0])
    deps = [
        Dependency(
            task_id=o,
            number=others[o]["number"],
            plan=others[o]["plan"],
            text=others[o]["text"],
            links=[
                Link(via=label, entity_id=e, name=name, evidence=ev, weight=w)
                for w, label, e, name, ev in ls
            ],
            weight=total,
        )
        for (_, _, _, o), total, ls in ranked[: p.limit]
    ]
    return TaskDependencies(task=the_task, dependencies=deps)
