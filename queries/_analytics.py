"""What the whole-graph analytics read, the graphs they derive, and their answers' cache.

The analytics only need the links between tasks and the entities they name (the edge types of
:data:`ENTITY_EDGES`), the tasks' numbers and chapters and the entities' labels and names.
:func:`task_links` fetches exactly that, as flat rows, with one Cypher query on Neo4j and a
walk of the entities' edges on the embedded store (never the whole graph through
``to_networkx()``).  Every derived graph adds nodes and edges in sorted order, so that the
algorithms (whose float sums and tie-breaks follow iteration order) give the same numbers on
both stores.

Answers are cached per store object and :meth:`~graph.store.GraphStore.version` (one round trip
on Neo4j): a write by anyone changes the version, and the next call recomputes.

Scale choices (documented in each function):

* betweenness is exact on small graphs and sampled from a number of pivots fixed by a work
  budget on big ones (:func:`betweenness`);
* the task projection joins the tasks of an entity as a clique when it has at most
  ``2 * RING + 1`` tasks, else as a ring of ``RING`` neighbours a side
  (:func:`task_projection`), so it is linear in the links, not quadratic;
* communities come from a compact, seeded Louvain on integer adjacency (:func:`louvain`).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import networkx as nx
from pydantic import BaseModel

from graph.schema import SCHEMA
from graph.store import GraphStore
from queries._common import (
    Row,
    VersionedCache,
    _Embedded,
    fetch,
    lab,
    natural_key,
    pair_counts,
    rels,
)

__all__ = [
    "ENTITY_EDGES",
    "PIVOTS",
    "PIVOT_BUDGET",
    "RING",
    "WEIGHT",
    "Links",
    "answer",
    "betweenness",
    "department_projection",
    "louvain",
    "modularity",
    "task_entity_graph",
    "task_links",
    "task_projection",
]

M = TypeVar("M", bound=BaseModel)

ENTITY_EDGES: dict[str, tuple[str, ...]] = {
    "Project": ("INVOLVES",),
    "Place": ("MENTIONS",),
    "Organization": ("MENTIONS",),
    "Document": ("SERVES",),
    "Department": ("LEADS", "ASSISTS"),
}
WEIGHT = {"Project": 1.0, "Document": 1.0, "Place": 0.5, "Organization": 0.5, "Department": 0.5}

PIVOTS = 256
"""Betweenness uses at most this many source nodes (exact when the graph has no more nodes)."""
PIVOT_BUDGET = 2_000_000
"""... and, on a big graph, only as many as keep ``pivots * edges`` under this budget (at least
``MIN_PIVOTS``): sampled with a fixed seed over nodes in sorted order, so the answer is the same
on both stores and the work is bounded (a few seconds of pure Python at any scale)."""
MIN_PIVOTS = 16
LINKS_TIMEOUT_S = 300.0
"""How long the Neo4j query for :class:`Links` may run (it reads every task-entity link)."""
RING = 4
"""An entity shared by more than ``2 * RING + 1`` tasks joins each of them to the ``RING`` next
ones a side (tasks in sorted order, wrapping round), not to all of them: see
:func:`task_projection`."""


def _key(n: str) -> tuple[Any, ...]:
    return (natural_key(n), n)


# -- what the analytics read -------------------------------------------------------------------
@dataclass(frozen=True)
class Links:
    """The task-entity links of the whole graph, with what the analytics show of either end.

    ``tasks``: task id -> (number, chapter), every task; ``entities``: entity id -> (label,
    name); ``edges``: (entity, task, the edge's ``source`` for departments, else ``None``), one
    per relationship of the entity's :data:`ENTITY_EDGES` types.
    """

    tasks: dict[str, tuple[Any, Any]]
    entities: dict[str, tuple[str, str]]
    edges: list[tuple[str, str, Any]]

    def by_entity(self, labels: Iterable[str], source: str | None = None) -> dict[str, set[str]]:
        """Entity id -> ids of the tasks it is linked to (only entities of ``labels``;
        departments only through edges whose ``source`` is ``source``, when given)."""
        wanted = set(labels)
        out: dict[str, set[str]] = defaultdict(set)
        for e, t, src in self.edges:
            label = self.entities[e][0]
            if label in wanted and (source is None or label != "Department" or src == source):
                out[e].add(t)
        return out

    @cached_property
    def rank(self) -> dict[str, int]:
        """Every task and entity id -> its place in natural order (sorting keys, computed once)."""
        ids = sorted({*self.tasks, *self.entities}, key=_key)
        return {n: i for i, n in enumerate(ids)}

    def ordered(self, ids: Iterable[str]) -> list[str]:
        """``ids`` in natural order."""
        return sorted(ids, key=self.rank.__getitem__)


def _links_cypher() -> str:
    """One row per task (``data``: number and chapter), then one per linked entity (``data``:
    its tasks' ids, or [id, edge source] pairs for a department): few rows and values, since
    decoding them is most of the time this query takes."""
    tasks = (
        f"MATCH (t:{lab('Task')}) "
        "RETURN t.id AS id, null AS label, null AS name, [t.number, t.chapter] AS data"
    )
    links = [
        f"MATCH (e:{lab(label)})-[r:{rels(*types)}]-(t:{lab('Task')}) "
        f"RETURN e.id AS id, '{SCHEMA.label(label).name}' AS label, e.name AS name, "
        f"collect({'[t.id, r.source]' if label == 'Department' else 't.id'}) AS data"
        for label, types in ENTITY_EDGES.items()
    ]
    return " UNION ALL ".join([tasks, *links])


def _links_walk(s: _Embedded) -> list[Row]:
    """The rows of :func:`_links_cypher` from the embedded graph (entities' edges only)."""
    g = s.graph
    rows: list[Row] = []
    for t in s.ids_with_label("Task"):
        p = g.nodes[t]["props"]
        rows.append(
            {"id": t, "label": None, "name": None, "data": [p.get("number"), p.get("chapter")]}
        )
    for label, types in ENTITY_EDGES.items():
        wanted = set(types)
        for e in s.ids_with_label(label):
            ends = [(v, d) for _, v, d in g.out_edges(e, data=True)]
            ends += [(u, d) for u, _, d in g.in_edges(e, data=True)]
            data: list[Any] = [
                [t, d["props"].get("source")] if label == "Department" else t
                for t, d in ends
                if d["type"] in wanted and g.nodes[t]["label"] == "Task"
            ]
            if data:
                name = g.nodes[e]["props"].get("name")
                rows.append({"id": e, "label": label, "name": name, "data": data})
    return rows


def _fetch_links(store: GraphStore) -> Links:
    if store.backend == "neo4j":  # not ``fetch``: no row cap, and time for a big graph
        rows = store.read_cypher(
            _links_cypher(), {}, timeout=LINKS_TIMEOUT_S, row_cap=10**9, plan_check=False
        )
    else:
        rows = fetch(store, _links_cypher(), {}, _links_walk)
    tasks: dict[str, tuple[Any, Any]] = {}
    entities: dict[str, tuple[str, str]] = {}
    edges: list[tuple[str, str, Any]] = []
    for r in rows:
        if r["label"] is None:
            tasks[r["id"]] = (r["data"][0], r["data"][1])
            continue
        entities[r["id"]] = (r["label"], str(r["name"]))
        for x in r["data"]:
            t, src = x if r["label"] == "Department" else (x, None)
            edges.append((r["id"], t, src))
    return Links(tasks=tasks, entities=entities, edges=edges)


# -- the cache -----------------------------------------------------------------------------------
_ANALYTICS = VersionedCache(keep=None)  # the links and every analytics answer, per version


def task_links(store: GraphStore) -> Links:
    """The store's :class:`Links`, fetched once per version."""
    return _ANALYTICS.get(store, ("links",), lambda: _fetch_links(store))


def answer(
    store: GraphStore,
    key: tuple[Any, ...],
    compute: Callable[[Links], M],
    view: Callable[[M], M] | None = None,
) -> M:
    """``compute(links)`` once per store object, store version and ``key``; each call gets a
    deep copy of ``view(answer)`` (a part of it, say the first ``limit`` rows; ``view`` must
    build a new model, not change the cached one).
    """
    found = _ANALYTICS.get(store, key, lambda: compute(task_links(store)))
    return (view(found) if view is not None else found).model_copy(deep=True)


# -- derived graphs ------------------------------------------------------------------------------
def department_projection(links: Links, source: str | None = None) -> nx.Graph:
    """Departments, joined when they share tasks (``weight`` = shared tasks).

    Built from each task's departments (a task has a handful), not from every pair of
    departments, and added in sorted order.
    """
    tasks = links.by_entity(["Department"], source)
    order = links.ordered(tasks)
    rank = {d: i for i, d in enumerate(order)}.__getitem__
    shared = pair_counts(tasks, key=rank)
    h = nx.Graph()
    for d in order:
        h.add_node(d, tasks=len(tasks[d]))
    for a, b in sorted(shared, key=lambda pair: (rank(pair[0]), rank(pair[1]))):
        h.add_edge(a, b, weight=shared[(a, b)])
    return h


@dataclass(frozen=True)
class IntGraph:
    """An undirected graph on ``0..n-1``: ``adj[u]`` maps neighbours to edge weights."""

    names: list[str]
    adj: list[dict[int, float]]


def task_projection(links: Links, labels: list[str]) -> IntGraph:
    """Tasks (all of them, in sorted order), joined by shared entities.

    An entity of kind weight ``w`` shared by ``n`` tasks adds ``w / (n - 1)`` to each pair of
    them, as in :mod:`queries.task_dependencies`, while ``n <= 2 * RING + 1``.  A more shared
    entity (a river, a department, a metro line named by hundreds of tasks) would add
    ``n^2 / 2`` pairs, so it joins each task to the ``RING`` next ones a side in sorted order
    (wrapping round) with ``w / (2 * RING)`` each: every task still gets ``w`` in all from it,
    as in the clique, at ``RING * n`` edges.  Weights are summed in sorted entity order.
    """
    names = links.ordered(links.tasks)
    rank = {t: i for i, t in enumerate(names)}
    weights: dict[tuple[int, int], float] = defaultdict(float)
    shared = links.by_entity(labels)
    for e in links.ordered(shared):
        ts = sorted(rank[t] for t in shared[e])
        n = len(ts)
        if n < 2:
            continue
        kind = WEIGHT[links.entities[e][0]]
        if n <= 2 * RING + 1:
            w = kind / (n - 1)
            for i, a in enumerate(ts):
                for b in ts[i + 1 :]:
                    weights[(a, b)] += w
            continue
        w = kind / (2 * RING)
        for i, a in enumerate(ts):
            for step in range(1, RING + 1):
                b = ts[(i + step) % n]
                weights[(a, b) if a < b else (b, a)] += w
    adj: list[dict[int, float]] = [{} for _ in names]
    for (a, b), w in sorted(weights.items()):
        adj[a][b] = adj[b][a] = round(w, 6)
    return IntGraph(names=names, adj=adj)


def task_entity_graph(links: Links, labels: list[str]) -> IntGraph:
    """The undirected bipartite graph of tasks and the entities they link to (sorted order)."""
    shared = links.by_entity(labels)
    names = links.ordered({*shared, *(t for ts in shared.values() for t in ts)})
    rank = {n: i for i, n in enumerate(names)}
    adj: list[dict[int, float]] = [{} for _ in names]
    for e in links.ordered(shared):
        a = rank[e]
        for b in sorted(rank[t] for t in shared[e]):
            adj[a][b] = adj[b][a] = 1.0
    return IntGraph(names=names, adj=adj)


# -- betweenness ---------------------------------------------------------------------------------
def _int_graph(h: nx.Graph) -> IntGraph:
    """``h`` with nodes renumbered in sorted order (neighbours kept in ``h``'s order)."""
    names = sorted(h.nodes, key=_key)
    rank = {n: i for i, n in enumerate(names)}
    return IntGraph(names=names, adj=[{rank[m]: 1.0 for m in h[n]} for n in names])


def pivots(n: int, edges: int) -> int:
    """How many BFS sources :func:`betweenness` uses on ``n`` nodes and ``edges`` edges."""
    budget = max(MIN_PIVOTS, PIVOT_BUDGET // max(edges, 1))
    return min(n, PIVOTS, budget)


def betweenness(h: nx.Graph | IntGraph) -> dict[str, float]:
    """Normalised (unweighted) betweenness, as ``nx.betweenness_centrality`` computes it.

    Exact (every node a source) when :func:`pivots` allows all of them; else from that many
    sources drawn with ``random.Random(0)`` over the nodes in sorted order, rescaled as
    networkx rescales a ``k`` sample.  Brandes' algorithm on integer adjacency lists.
    """
    g = h if isinstance(h, IntGraph) else _int_graph(h)
    n = len(g.names)
    if n == 0:
        return {}
    nbrs = [list(a) for a in g.adj]
    edges = sum(len(a) for a in nbrs) // 2
    k = pivots(n, edges)
    sources = list(range(n)) if k == n else random.Random(0).sample(range(n), k)
    score = [0.0] * n
    for s in sources:
        _accumulate(nbrs, s, score)
    return dict(zip(g.names, _rescale(score, n, None if k == n else sources), strict=True))


def _accumulate(nbrs: list[list[int]], s: int, score: list[float]) -> None:
    """Add source ``s``'s dependencies to ``score``: one BFS counting shortest paths, then
    back-propagation over the neighbours one step nearer ``s`` (networkx's sums, same order)."""
    n = len(nbrs)
    dist = [-1] * n
    sigma = [0.0] * n
    dist[s], sigma[s] = 0, 1.0
    order = [s]
    i = 0
    while i < len(order):
        v = order[i]
        i += 1
        dv, sv = dist[v] + 1, sigma[v]
        for w in nbrs[v]:
            dw = dist[w]
            if dw < 0:
                dist[w], sigma[w] = dv, sv
                order.append(w)
            elif dw == dv:
                sigma[w] += sv
    delta = [0.0] * n
    for w in reversed(order):
        before = dist[w] - 1
        coeff = (1.0 + delta[w]) / sigma[w]
        for v in nbrs[w]:
            if dist[v] == before:
                delta[v] += sigma[v] * coeff
        if w != s:
            score[w] += delta[w]


def _rescale(score: list[float], n: int, sampled: list[int] | None) -> list[float]:
    """networkx's normalisation (endpoints excluded) for all sources or a sample of them."""
    big_n = n - 1
    if big_n < 2:
        return score
    if sampled is None:
        scale = 1 / (big_n * (big_n - 1))
        return [x * scale for x in score]
    k = len(sampled)
    inside = set(sampled)
    source_scale = 1 / ((k - 1) * (big_n - 1)) if k > 1 else float("nan")
    other_scale = 1 / (k * (big_n - 1))
    return [x * (source_scale if i in inside else other_scale) for i, x in enumerate(score)]


# -- communities ---------------------------------------------------------------------------------
def louvain(g: IntGraph, resolution: float = 1.0, seed: int = 42) -> list[list[int]]:
    """Louvain communities of ``g`` (node numbers), deterministic for a given ``seed``.

    Local moving visits nodes in an order shuffled by ``random.Random(seed)``; a node moves to
    the neighbouring community of best modularity gain (the first met, in the node's fixed
    neighbour order, on ties) when that gain is positive; levels are aggregated until a level
    moves nothing.
    """
    n = len(g.adj)
    members: list[list[int]] = [[i] for i in range(n)]
    adj = [dict(a) for a in g.adj]
    total = sum(sum(a.values()) for a in adj) / 2  # self-loops counted once in adj below
    if total <= 0:
        return members
    rng = random.Random(seed)
    while True:
        com, moved = _one_level(adj, total, resolution, rng)
        if not moved:
            return members
        groups: dict[int, list[int]] = {}
        for node, c in enumerate(com):
            groups.setdefault(c, []).append(node)
        renumber = {c: i for i, c in enumerate(sorted(groups))}
        members = [sorted(x for node in groups[c] for x in members[node]) for c in sorted(groups)]
        new_adj: list[dict[int, float]] = [defaultdict(float) for _ in members]
        for u, a in enumerate(adj):
            cu = renumber[com[u]]
            for v, w in a.items():
                cv = renumber[com[v]]
                if u > v:
                    continue
                if cu == cv:
                    new_adj[cu][cu] += w  # a loop holds its weight once (degree counts it twice)
                else:
                    new_adj[cu][cv] += w
                    new_adj[cv][cu] += w
        adj = [dict(a) for a in new_adj]


def _one_level(
    adj: list[dict[int, float]], total: float, resolution: float, rng: random.Random
) -> tuple[list[int], bool]:
    """One local-moving phase; (community of each node, whether any node moved)."""
    n = len(adj)
    degree = [sum(a.values()) + a.get(i, 0.0) for i, a in enumerate(adj)]  # loops count twice
    com = list(range(n))
    tot = list(degree)
    two_m = 2 * total
    order = list(range(n))
    rng.shuffle(order)
    moved_any = False
    improved = True
    while improved:
        improved = False
        for u in order:
            cu, du = com[u], degree[u]
            links: dict[int, float] = {}
            for v, w in adj[u].items():
                if v != u:
                    c = com[v]
                    links[c] = links.get(c, 0.0) + w
            tot[cu] -= du
            scale = resolution * du / two_m
            base = links.get(cu, 0.0) - tot[cu] * scale
            best, best_gain = cu, 0.0
            for c, w in links.items():  # first seen wins a tie: neighbour order is fixed
                gain = w - tot[c] * scale - base
                if gain > best_gain + 1e-12:
                    best, best_gain = c, gain
            tot[best] += du
            if best != cu:
                com[u] = best
                improved = moved_any = True
    return com, moved_any


def modularity(g: IntGraph, parts: list[list[int]], resolution: float = 1.0) -> float:
    """Newman modularity of ``parts`` on ``g`` (weighted), as networkx defines it."""
    total = sum(sum(a.values()) for a in g.adj) / 2
    if total <= 0:
        return 0.0
    where = {node: i for i, part in enumerate(parts) for node in part}
    inside = [0.0] * len(parts)
    degree = [0.0] * len(parts)
    for u, a in enumerate(g.adj):
        cu = where[u]
        for v, w in a.items():
            degree[cu] += w * (2 if u == v else 1)
            if where[v] == cu:
                inside[cu] += w * (2 if u == v else 1)
    return sum(
        inside[c] / (2 * total) - resolution * (degree[c] / (2 * total)) ** 2
        for c in range(len(parts))
    )
