"""How are two things connected?  The shortest explained path between two nodes.

Edge direction is ignored; Plan and Report nodes (which join everything to everything)
are skipped unless asked for.  Among several shortest paths the one whose node ids are
smallest in natural order, step by step, wins; between two nodes the edge with the smallest
(type, direction, key) explains the step.  Endpoints are ids, or entity names / aliases.
On the bundled sample::

    >>> r = path_between(store, "task:南通-2019:1", "task:南通-2019:2")   # doctest: +SKIP
    >>> [s.type for s in r.steps]                                         # doctest: +SKIP
    ['IN_CHAPTER', 'IN_CHAPTER']
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Annotated, Any

import networkx as nx
from pydantic import BaseModel, Field

from graph.errors import InvalidQuery
from graph.schema import SCHEMA
from graph.store import GraphStore
from queries._common import (
    CommaSplit,
    NodeRef,
    Row,
    _Embedded,
    fetch,
    lab,
    natural_key,
    validated,
)
from queries._resolve import display_name, resolve_node

__all__ = ["MAX_LENGTH", "PathBetween", "PathBetweenParams", "Step", "path_between", "path_cypher"]

MAX_LENGTH = 10
ALL_LABELS = list(SCHEMA.labels)


def path_cypher(source_label: str, target_label: str) -> str:
    """All shortest undirected paths between ``$a`` and ``$b`` avoiding ``$exclude`` labels."""
    return (
        f"MATCH (a:{lab(source_label)} {{id: $a}}) MATCH (b:{lab(target_label)} {{id: $b}}) "
        f"MATCH p = allShortestPaths((a)-[*..{MAX_LENGTH}]-(b)) "
        "WHERE all(n IN nodes(p) WHERE n = a OR n = b "
        "OR none(l IN labels(n) WHERE l IN $exclude)) AND length(p) <= $max_length "
        "RETURN [n IN nodes(p) | n.id] AS ids, [n IN nodes(p) | {id: n.id, "
        "label: [l IN labels(n) WHERE l IN $labels][0], name: n.name, number: n.number, "
        "task: n.task, period: n.period, text: n.text, metric: n.metric, title: n.title}] "
        "AS nodes, "
        "[r IN relationships(p) | [startNode(r).id, endNode(r).id, type(r), "
        "coalesce(r.key, ''), r.surface, r.sentence]] AS rels"
    )


class PathBetweenParams(BaseModel):
    source: str = Field(description="Id, or entity name / alias, of one end.")
    target: str = Field(description="Id, or entity name / alias, of the other end.")
    max_length: int = Field(6, ge=1, le=MAX_LENGTH, description="Longest path considered.")
    exclude: Annotated[list[str], CommaSplit] = Field(
        default_factory=lambda: ["Plan", "Report"],
        description="Labels the path may not pass through.",
    )


class Step(BaseModel):
    source_id: str
    source_name: str
    type: str
    target_id: str
    target_name: str
    forward: bool = Field(description="True when the edge points along the path.")
    surface: str | None = None
    sentence: str | None = None
    text: str


class PathBetween(BaseModel):
    source: NodeRef
    target: NodeRef
    found: bool
    length: int | None = None
    steps: list[Step]
    nodes: list[NodeRef]


def _key(node_id: str) -> tuple[Any, ...]:
    return (natural_key(node_id), node_id)


def _neighbours(g: nx.MultiDiGraph, n: str) -> list[str]:
    return [*g.successors(n), *g.predecessors(n)]


def _layers(
    g: nx.MultiDiGraph, a: str, b: str, allowed: Callable[[str], bool], limit: int
) -> list[set[str]] | None:
    """The nodes of every shortest ``a``-``b`` path (at most ``limit`` long), by distance from
    ``a``; ``None`` when there is none.

    A bidirectional BFS: whole levels are added on the side with the smaller frontier until the
    two searches meet, so it reads about the square root of what a one-sided search would.
    Then the meeting nodes (``i`` from ``a``, ``L - i`` from ``b``) are followed back to either
    end, keeping only the neighbours one step nearer it: exactly the nodes on shortest paths.
    """
    dist = ({a: 0}, {b: 0})
    frontier = [[a], [b]]
    depth = [0, 0]
    middle: set[str] = set()
    while not middle:
        if depth[0] + depth[1] >= limit or not frontier[0] or not frontier[1]:
            return None
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        seen, nxt = dist[side], []
        depth[side] += 1
        for n in frontier[side]:
            for m in _neighbours(g, n):
                if m not in seen and allowed(m):
                    seen[m] = depth[side]
                    nxt.append(m)
        frontier[side] = nxt
        # The first level to reach the other search fixes the length: every node it shares
        # with that search lies on a shortest path, as far from either end as the two depths.
        middle = {n for n in nxt if n in dist[1 - side]}
    i, length = depth[0], depth[0] + depth[1]
    layers: list[set[str]] = [set() for _ in range(length + 1)]
    layers[i] = middle
    for step in range(i - 1, -1, -1):  # back towards a
        layers[step] = {
            m for n in layers[step + 1] for m in _neighbours(g, n) if dist[0].get(m) == step
        }
    for step in range(i + 1, length + 1):  # on towards b
        layers[step] = {
            m
            for n in layers[step - 1]
            for m in _neighbours(g, n)
            if dist[1].get(m) == length - step
        }
    return layers


def _embedded_paths(s: _Embedded, a: str, b: str, exclude: set[str], limit: int) -> list[Row]:
    """The lexicographically smallest shortest path, as Cypher would give it (one row)."""
    g = s.graph
    layers = _layers(g, a, b, lambda n: g.nodes[n]["label"] not in exclude or n in (a, b), limit)
    if layers is None:
        return []
    ids, here = [a], a
    for layer in layers[1:]:
        here = min((m for m in _neighbours(g, here) if m in layer), key=_key)
        ids.append(here)
    keys = ("name", "number", "task", "period", "text", "metric", "title")
    nodes = [
        {"id": n, "label": g.nodes[n]["label"], **{k: g.nodes[n]["props"].get(k) for k in keys}}
        for n in ids
    ]
    rels = []
    for u, v in pairwise(ids):
        for x, y in ((u, v), (v, u)):
            for d in g.get_edge_data(x, y, default={}).values():
                p = d["props"]
                rels.append(
                    [x, y, d["type"], p.get("key", ""), p.get("surface"), p.get("sentence")]
                )
    return [{"ids": ids, "nodes": nodes, "rels": rels}]


def path_between(
    store: GraphStore,
    source: str,
    target: str,
    max_length: int = 6,
    exclude: list[str] | None = None,
) -> PathBetween:
    """The shortest path (ignoring direction), each step explained."""
    p = validated(
        PathBetweenParams,
        source=source,
        target=target,
        max_length=max_length,
        exclude=["Plan", "Report"] if exclude is None else exclude,
    )
    unknown = [x for x in p.exclude if x not in SCHEMA.labels]
    if unknown:
        raise InvalidQuery(f"unknown labels in exclude: {', '.join(unknown)}")
    a = resolve_node(store, p.source, ALL_LABELS)
    b = resolve_node(store, p.target, ALL_LABELS)
    if a.id == b.id:
        return PathBetween(source=a, target=b, found=True, length=0, nodes=[a], steps=[])
    rows = fetch(
        store,
        path_cypher(a.label, b.label),
        {
            "a": a.id,
            "b": b.id,
            "exclude": p.exclude,
            "max_length": p.max_length,
            "labels": ALL_LABELS,
        },
        lambda s: _embedded_paths(s, a.id, b.id, set(p.exclude), p.max_length),
    )
    if not rows:
        return PathBetween(source=a, target=b, found=False, nodes=[], steps=[])
    best = min(rows, key=lambda r: [_key(x) for x in r["ids"]])
    ids = best["ids"]
    edges: dict[frozenset[str], set[tuple[Any, ...]]] = {}
    for r in rows:
        for rel in r["rels"]:
            edges.setdefault(frozenset(rel[:2]), set()).add(tuple(rel))
    nodes = [
        NodeRef(id=n["id"], label=n["label"], name=display_name(n["label"], n))
        for n in best["nodes"]
    ]
    names = {n.id: n.name for n in nodes}
    steps = []
    for u, v in pairwise(ids):
        options = edges[frozenset((u, v))]
        src, tgt, typ, _, surface, sentence = min(
            options, key=lambda e: (e[2], e[0] != u, str(e[3]))
        )
        arrow = f"-[{typ}]->" if src == u else f"<-[{typ}]-"
        steps.append(
            Step(
                source_id=src,
                source_name=names[src],
                type=typ,
                target_id=tgt,
                target_name=names[tgt],
                forward=src == u,
                surface=surface,
                sentence=sentence,
                text=f"{names[u]} {arrow} {names[v]}",
            )
        )
    return PathBetween(
        source=a, target=b, found=True, length=len(ids) - 1, nodes=nodes, steps=steps
    )
