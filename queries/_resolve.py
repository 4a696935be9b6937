"""Resolvers: the node a user means, by id, canonical name, alias, number or period.

An id beats a canonical name beats an alias; two matches at the same level are ambiguous
(:class:`~graph.errors.InvalidQuery` listing the candidates); none is
:class:`~graph.errors.NotFound`.  Each resolver is one round trip on either store (two for a
node named by name or alias rather than id); none scans every node on the embedded store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import networkx as nx

from graph.errors import InvalidQuery, NotFound
from graph.schema import SCHEMA
from graph.store import GraphStore
from queries._common import (
    TASK_CHAPTER,
    TASK_FIELDS,
    NodeRef,
    Row,
    TaskRef,
    _Embedded,
    fetch,
    lab,
    per_graph,
    plan_id,
    props,
    task_fields,
    with_property,
)

__all__ = [
    "display_name",
    "resolve_entity",
    "resolve_entity_props",
    "resolve_node",
    "resolve_report",
    "resolve_task",
    "resolve_with_props",
]


def display_name(label: str, p: dict[str, Any]) -> str:
    if label == "Task":
        return f"任务{p.get('number')}"
    if label == "Progress":
        return f"任务{p.get('task')}进展({p.get('period', '')})"
    if label == "Target":
        return str(p.get("text") or p.get("metric") or p.get("id"))
    if label == "Report":
        return str(p.get("title") or p.get("id"))
    if label == "Chapter":
        return str(p.get("title") or f"第{p.get('number')}章")
    return str(p.get("name") or p.get("id"))


def _pick(ref: str, what: str, rows: list[Row]) -> NodeRef:
    """The best match: an id beats a canonical name beats an alias; ties are ambiguous."""
    if not rows:
        raise NotFound(f"no {what} {ref!r}", ref=ref)
    best = min(r["how"] for r in rows)
    found = sorted({(r["id"], r["label"]) for r in rows if r["how"] == best})
    if len(found) > 1:
        raise InvalidQuery(
            f"{what} {ref!r} is ambiguous: {', '.join(i for i, _ in found)}",
            candidates=[i for i, _ in found],
        )
    node_id, label = found[0]
    name = next(r["name"] for r in rows if r["id"] == node_id)
    return NodeRef(id=node_id, label=label, name=name or "")


def resolve_node(store: GraphStore, ref: str, labels: Sequence[str]) -> NodeRef:
    """A node of one of ``labels`` by id, canonical name or alias (``NotFound`` if none)."""
    return resolve_with_props(store, ref, labels)[0]


def _by_id_cypher(labels: Sequence[str]) -> str:
    """The node of one of ``labels`` whose id is ``$ref`` (one index seek per label)."""
    return " UNION ALL ".join(
        f"MATCH (n:{lab(x)} {{id: $ref}}) RETURN n.id AS id, '{SCHEMA.label(x).name}' AS label,"
        " n.name AS name, 0 AS how, properties(n) AS props"
        for x in labels
    )


def _by_name_cypher(labels: Sequence[str]) -> str:
    """Nodes of ``labels`` whose id, name, alias or former name is ``$ref``."""
    return " UNION ALL ".join(
        f"MATCH (n:{lab(x)}) WHERE n.id = $ref OR n.name = $ref "
        "OR $ref IN coalesce(n.aliases, []) OR $ref IN coalesce(n.known_as, []) "
        f"RETURN n.id AS id, '{SCHEMA.label(x).name}' AS label,"
        " n.name AS name, CASE WHEN n.id = $ref THEN 0 WHEN n.name = $ref THEN 1 ELSE 2 END AS how,"
        " properties(n) AS props"
        for x in labels
    )


def _names(g: nx.MultiDiGraph) -> dict[str, list[tuple[str, int]]]:
    """Name, alias or former name -> (node id, 1 for a name, 2 for the others), once per graph
    object (:func:`~queries._common.per_graph`)."""

    def build() -> dict[str, list[tuple[str, int]]]:
        found: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for n, p in g.nodes(data="props"):
            name = p.get("name")
            if name is not None:
                found[name].append((n, 1))
            others = [*p.get("aliases", []), *p.get("known_as", [])]
            for other in dict.fromkeys(x for x in others if x != name):
                found[other].append((n, 2))
        return dict(found)

    return per_graph(g, ("names",), build)


def _row(g: nx.MultiDiGraph, n: str, how: int) -> Row:
    p = props(g, n)
    return {"id": n, "label": g.nodes[n]["label"], "name": p.get("name"), "how": how, "props": p}


def resolve_with_props(
    store: GraphStore, ref: str, labels: Sequence[str]
) -> tuple[NodeRef, dict[str, Any]]:
    """:func:`resolve_node` and the node's properties: one round trip for an id (an index seek
    per label), else a second that reads names and aliases."""

    def by_id(s: _Embedded) -> list[Row]:
        g = s.graph
        return [_row(g, ref, 0)] if g.has_node(ref) and g.nodes[ref]["label"] in labels else []

    def by_name(s: _Embedded) -> list[Row]:
        g = s.graph
        return [
            _row(g, n, how) for n, how in _names(g).get(ref, []) if g.nodes[n]["label"] in labels
        ]

    rows = fetch(store, _by_id_cypher(labels), {"ref": ref}, by_id)
    if not rows:  # an id beats any name: look at names only when no id matched
        rows = fetch(store, _by_name_cypher(labels), {"ref": ref}, by_name)
    what = labels[0].lower() if len(labels) == 1 else "entity"
    picked = _pick(ref, what, rows)
    found = dict(next(r["props"] for r in rows if r["id"] == picked.id))
    if not picked.name:  # nodes without a name (tasks, reports ...) resolve by id only
        picked = NodeRef(id=picked.id, label=picked.label, name=display_name(picked.label, found))
    return picked, found


def resolve_entity(store: GraphStore, label: str, ref: str) -> NodeRef:
    """An entity of ``label`` by id, canonical name or alias."""
    return resolve_node(store, ref, [label])


def resolve_entity_props(store: GraphStore, label: str, ref: str) -> tuple[NodeRef, dict[str, Any]]:
    """:func:`resolve_entity` and the entity's properties."""
    return resolve_with_props(store, ref, [label])


def resolve_task(store: GraphStore, ref: str | int, plan: str | None = None) -> TaskRef:
    """A task from an id (``task:南通-2019:5``) or a number (``5``, with ``plan`` if several;
    ``plan`` is the plan's id or its city-year, ``南通-2019``)."""
    text = str(ref).strip()
    plan = plan_id(plan) if plan and plan.strip() else None
    # ASCII digits only ("²".isdigit() is true), and small enough for a Cypher integer
    number = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None
    cypher = (
        f"MATCH (t:{lab('Task')}) WHERE t.id = $ref OR (t.number = $number "
        f"AND ($plan IS NULL OR t.plan = $plan)) {TASK_CHAPTER} RETURN {TASK_FIELDS}"
    )

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        found = [text] if text in s.ids_with_label("Task") else []
        if number is not None:  # the tasks of that number (an index built once per graph)
            found += [
                n
                for n in with_property(s, "Task", "number", number)
                if plan is None or props(g, n).get("plan") == plan
            ]
        return [task_fields(g, n) for n in dict.fromkeys(found)]

    rows = {
        r["id"]: r
        for r in fetch(store, cypher, {"ref": text, "number": number, "plan": plan}, walk)
    }
    if not rows:
        raise NotFound(f"no task {text!r}", ref=text)
    if text in rows:
        return TaskRef(**rows[text])
    if len(rows) > 1:
        ids = sorted(rows)
        raise InvalidQuery(
            f"task {text!r} is ambiguous (pass plan): {', '.join(ids)}", candidates=ids
        )
    return TaskRef(**next(iter(rows.values())))


def resolve_report(store: GraphStore, ref: str) -> Row:
    """A report by id or period (``2019-H1``): ``{"id", "period", "title", "plan"}``."""
    cypher = (
        f"MATCH (r:{lab('Report')}) WHERE r.id = $ref OR r.period = $ref "
        "RETURN r.id AS id, r.period AS period, r.title AS title, r.plan AS plan"
    )

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        return [
            {
                "id": n,
                "period": props(g, n).get("period"),
                "title": props(g, n).get("title"),
                "plan": props(g, n).get("plan"),
            }
            for n in s.ids_with_label("Report")
            if n == ref or props(g, n).get("period") == ref
        ]

    rows = sorted(fetch(store, cypher, {"ref": ref}, walk), key=lambda r: r["id"])
    exact = [r for r in rows if r["id"] == ref]
    if exact:
        return exact[0]
    if not rows:
        raise NotFound(f"no report {ref!r}", ref=ref)
    if len(rows) > 1:
        raise InvalidQuery(f"report {ref!r} is ambiguous: {', '.join(r['id'] for r in rows)}")
    return rows[0]
