"""Graphs the analytics work on, derived from the whole graph in a fixed order.

Both stores give the same ``to_networkx()`` graph up to insertion order; every derived
graph here adds nodes and edges in sorted order, so that the algorithms (whose float sums
and tie-breaks follow iteration order) give the same numbers on both stores.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations
from typing import Any, TypeVar, cast

import networkx as nx
from pydantic import BaseModel

from queries._common import natural_key

__all__ = [
    "PIVOTS",
    "betweenness",
    "cached",
    "department_projection",
    "links_by_entity",
    "task_entity_graph",
    "task_projection",
]

M = TypeVar("M", bound=BaseModel)
_CACHE: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[tuple[Any, ...], BaseModel]] = (
    weakref.WeakKeyDictionary()
)


PIVOTS = 256
"""Betweenness uses at most this many source nodes (exact below it; above, sampled with a fixed
seed over nodes in sorted order, so the answer is the same on both stores and O(PIVOTS * E))."""


def betweenness(h: nx.Graph) -> dict[Any, float]:
    """Normalised betweenness: exact on small graphs, deterministic pivots on big ones."""
    if h.number_of_nodes() == 0:
        return {}
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(h.nodes, key=_key))
    ordered.add_edges_from(h.edges)
    k = min(PIVOTS, ordered.number_of_nodes())
    if k == ordered.number_of_nodes():
        return nx.betweenness_centrality(ordered, normalized=True)
    return nx.betweenness_centrality(ordered, k=k, seed=0, normalized=True)


def cached(g: nx.MultiDiGraph, key: tuple[Any, ...], compute: Callable[[], M]) -> M:
    """``compute()`` once per graph object and key (the embedded store replaces its graph on
    every write, so a cached answer never outlives the graph it describes)."""
    answers = _CACHE.setdefault(g, {})
    if key not in answers:
        answers[key] = compute()
    return cast(M, answers[key].model_copy(deep=True))


ENTITY_EDGES: dict[str, tuple[str, ...]] = {
    "Project": ("INVOLVES",),
    "Place": ("MENTIONS",),
    "Organization": ("MENTIONS",),
    "Document": ("SERVES",),
    "Department": ("LEADS", "ASSISTS"),
}
WEIGHT = {"Project": 1.0, "Document": 1.0, "Place": 0.5, "Organization": 0.5, "Department": 0.5}


def _key(n: str) -> tuple[Any, ...]:
    return (natural_key(n), n)


def links_by_entity(
    g: nx.MultiDiGraph, labels: list[str], source: str | None = None
) -> dict[str, set[str]]:
    """Entity id -> ids of the tasks it is linked to by its label's edge types."""
    out: dict[str, set[str]] = defaultdict(set)
    for u, v, d in g.edges(data=True):
        for e, t in ((u, v), (v, u)):
            label = g.nodes[e].get("label")
            if (
                label in labels
                and d["type"] in ENTITY_EDGES[label]
                and g.nodes[t].get("label") == "Task"
                and (source is None or label != "Department" or d["props"].get("source") == source)
            ):
                out[e].add(t)
    return out


def department_projection(g: nx.MultiDiGraph, source: str | None = None) -> nx.Graph:
    """Departments, joined when they share tasks (``weight`` = shared tasks)."""
    tasks = links_by_entity(g, ["Department"], source)
    h = nx.Graph()
    for d in sorted(tasks, key=_key):
        h.add_node(d, tasks=len(tasks[d]))
    for a, b in combinations(sorted(tasks, key=_key), 2):
        shared = len(tasks[a] & tasks[b])
        if shared:
            h.add_edge(a, b, weight=shared)
    return h


def task_projection(g: nx.MultiDiGraph, labels: list[str]) -> nx.Graph:
    """Tasks, joined by shared entities; ``weight`` sums kind weight / (sharers - 1)."""
    h = nx.Graph()
    task_ids = sorted((n for n, d in g.nodes(data=True) if d.get("label") == "Task"), key=_key)
    h.add_nodes_from(task_ids)
    weights: dict[tuple[str, str], float] = defaultdict(float)
    for e, ts in sorted(links_by_entity(g, labels).items(), key=lambda x: _key(x[0])):
        if len(ts) < 2:
            continue
        w = WEIGHT[g.nodes[e]["label"]] / (len(ts) - 1)
        for a, b in combinations(sorted(ts, key=_key), 2):
            weights[(a, b)] += w
    for (a, b), w in sorted(weights.items(), key=lambda x: (_key(x[0][0]), _key(x[0][1]))):
        h.add_edge(a, b, weight=round(w, 6))
    return h


def task_entity_graph(g: nx.MultiDiGraph, labels: list[str]) -> nx.Graph:
    """The undirected bipartite graph of tasks and the entities they link to."""
    links = links_by_entity(g, labels)
    h = nx.Graph()
    for e in sorted(links, key=_key):
        for t in sorted(links[e], key=_key):
            h.add_edge(e, t)
    return h
