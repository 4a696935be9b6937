"""What keeps analytics, paths and search fast at scale, on both stores.

Answers cached per store version and dropped by any write; betweenness as networkx computes it
(exact, or from seeded pivots); the linear task projection; the bidirectional path search
against a plain BFS; search candidates narrowed by required bigrams; the explorer's look-ups.
"""

from __future__ import annotations

import random
from collections import deque
from typing import Any

import networkx as nx
import pytest

from api import lookup
from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from queries import _analytics
from queries._analytics import RING, Links, betweenness, louvain, modularity, task_projection
from queries.bridging_entities import bridging_entities
from queries.department_centrality import department_centrality
from queries.path_between import _embedded_paths, _key
from queries.search import FIELDS, normalise, required_tokens, search, tokens
from queries.task_communities import task_communities
from tests.fixtures_graph import fixture_records

WATER = "document:水污染防治工作计划"  # only the Q3 report names it


# -- the cache -----------------------------------------------------------------------------------
def test_a_write_invalidates_cached_analytics(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    h1, q3 = fixture_records()
    store.write(h1)
    fetched: list[Links] = []
    real = _analytics._fetch_links

    def counted(s: GraphStore) -> Links:
        fetched.append(real(s))
        return fetched[-1]

    monkeypatch.setattr(_analytics, "_fetch_links", counted)
    first = bridging_entities(store)
    assert WATER not in {e.id for e in first.entities}
    department_centrality(store)
    task_communities(store)
    assert bridging_entities(store) == first
    assert len(fetched) == 1, "one read of the links per version, shared by every analytic"
    version = store.version()
    store.write(q3)
    assert store.version() != version
    assert WATER in {e.id for e in bridging_entities(store).entities}
    assert len(fetched) == 2


def test_cached_answers_are_copies(store: GraphStore) -> None:
    for records in fixture_records():
        store.write(records)
    r = department_centrality(store, limit=1)
    r.departments[0].name = "changed"
    assert department_centrality(store, limit=1).departments[0].name != "changed"
    assert len(department_centrality(store, limit=2).departments) == 2


def test_links_are_the_same_on_both_stores(store: GraphStore) -> None:
    for records in fixture_records():
        store.write(records)
    links = _analytics._fetch_links(store)
    assert links.tasks["task:江海-2019:5"] == (5, 1)
    assert links.by_entity(["Department"], "assignment")["department:江海:市发展和改革委员会"] == {
        "task:江海-2019:1",
        "task:江海-2019:4",
    }
    assert "task:江海-2019:5" not in {t for _, t, _ in links.edges}


# -- algorithms ----------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", range(8))
def test_betweenness_is_networkx_betweenness(seed: int) -> None:
    g = nx.relabel_nodes(nx.gnm_random_graph(30, 50, seed=seed), lambda i: f"n{i}")
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g, key=_key))
    ordered.add_edges_from(g.edges)
    expected = nx.betweenness_centrality(ordered, normalized=True)
    assert betweenness(g) == pytest.approx(expected, abs=1e-12)


def test_betweenness_samples_pivots_on_big_graphs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_analytics, "PIVOTS", 10)
    g = nx.relabel_nodes(nx.gnm_random_graph(60, 120, seed=1), lambda i: f"n{i}")
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(g, key=_key))
    ordered.add_edges_from(g.edges)
    expected = nx.betweenness_centrality(ordered, k=10, seed=0, normalized=True)
    assert betweenness(g) == pytest.approx(expected, abs=1e-12)


def _links(shared: dict[str, list[str]], tasks: list[str]) -> Links:
    return Links(
        tasks={t: (i, 1) for i, t in enumerate(tasks)},
        entities={e: ("Project", e) for e in shared},
        edges=[(e, t, None) for e, ts in shared.items() for t in ts],
    )


def test_task_projection_is_linear_for_widely_shared_entities() -> None:
    tasks = [f"task:x:{i}" for i in range(200)]
    small = tasks[: 2 * RING + 1]
    h = task_projection(_links({"project:big": tasks, "project:small": small}, tasks), ["Project"])
    big_only = task_projection(_links({"project:big": tasks}, tasks), ["Project"])
    assert sum(len(a) for a in big_only.adj) // 2 == RING * len(tasks)  # not 200 * 199 / 2
    for a in big_only.adj:  # every task still gets the entity's whole weight
        assert sum(a.values()) == pytest.approx(1.0)
    clique = task_projection(_links({"project:small": small}, tasks), ["Project"])
    assert all(len(a) == len(small) - 1 for a in clique.adj[: len(small)])  # exact below it
    assert h.names == tasks


def test_louvain_finds_planted_communities() -> None:
    g = nx.relabel_nodes(
        nx.planted_partition_graph(4, 10, 0.9, 0.02, seed=3), lambda i: f"task:x:{i}"
    )
    names = sorted(g, key=_key)
    rank = {n: i for i, n in enumerate(names)}
    adj: list[dict[int, float]] = [{rank[m]: 1.0 for m in g[n]} for n in names]
    graph = _analytics.IntGraph(names=names, adj=adj)
    parts = louvain(graph, seed=42)
    assert sorted(len(p) for p in parts) == [10, 10, 10, 10]
    expected = nx.community.modularity(g, [{names[i] for i in p} for p in parts])
    assert modularity(graph, parts) == pytest.approx(expected)
    assert louvain(graph, seed=42) == parts


# -- paths -------------------------------------------------------------------------------------
def _plain_shortest(g: nx.MultiDiGraph, a: str, b: str, skip: set[str], limit: int) -> Any:
    """The old one-sided search: BFS from a, then from b inside it, smallest ids greedily."""

    def bfs(start: str, ok: set[str] | None, stop: int) -> dict[str, int]:
        dist, queue = {start: 0}, deque([start])
        while queue:
            n = queue.popleft()
            if dist[n] < stop:
                for m in (*g.successors(n), *g.predecessors(n)):
                    if m not in dist and m not in skip and (ok is None or m in ok):
                        dist[m] = dist[n] + 1
                        queue.append(m)
        return dist

    da = bfs(a, None, limit)
    if b not in da:
        return None
    db = bfs(b, set(da), da[b])
    ids, here = [a], a
    for step in range(1, da[b] + 1):
        here = min(
            (
                m
                for m in (*g.successors(here), *g.predecessors(here))
                if da.get(m) == step and db.get(m) == da[b] - step
            ),
            key=_key,
        )
        ids.append(here)
    return ids


def test_bidirectional_paths_match_a_plain_search() -> None:
    store = EmbeddedStore(None)
    for records in fixture_records():
        store.write(records)
    s = store.snapshot()
    g = s.graph
    nodes = sorted(g, key=_key)
    rng = random.Random(0)
    for _ in range(150):
        a, b = rng.sample(nodes, 2)
        exclude = rng.choice([{"Plan", "Report"}, {"Chapter", "Plan", "Report"}, set()])
        limit = rng.choice([1, 2, 3, 6])
        skip = {n for n in g if g.nodes[n]["label"] in exclude} - {a, b}
        rows = _embedded_paths(s, a, b, exclude, limit)
        assert (rows[0]["ids"] if rows else None) == _plain_shortest(g, a, b, skip, limit)


# -- search ------------------------------------------------------------------------------------
def _texts(node: Any) -> list[str]:
    values = [node.properties.get(f) for f in FIELDS[node.label]]
    return [str(x) for v in values if v for x in (v if isinstance(v, list) else [v])]


def test_required_tokens_never_lose_a_hit(store: GraphStore) -> None:
    """Hits are still the nodes sharing a token with the query that hold every term."""
    for records in fixture_records():
        store.write(records)
    everything = [n for label in FIELDS for n in store.nodes(label)]
    for q in ("江海港区", "集装箱 码头", "污水处理", "港", "PM2.5浓度", "江海 污水", "三厂 污水"):
        terms = [normalise(t) for t in q.split()]
        expected = {
            n.id
            for n in everything
            if tokens(q) & {tok for x in _texts(n) for tok in tokens(x)}
            and all(any(t in normalise(x) for x in _texts(n)) for t in terms)
        }
        found = search(store, q, limit=1000)
        assert {h.id for h in found.hits} == expected, q
        assert found.total == len(expected)
    assert required_tokens(["港", "pm2.5浓度"]) == ["浓度"]


# -- the explorer's look-ups ---------------------------------------------------------------------
def test_lookup_follows_writes(store: GraphStore) -> None:
    h1, q3 = fixture_records()
    store.write(h1)
    assert lookup.search(store, "水污染")[1] == 0
    assert lookup.find_entities(store, "水污染防治工作计划") == []
    store.write(q3)
    hits, total = lookup.search(store, "水污染")
    assert total >= 1 and WATER in {h.id for h in hits}
    assert [n.id for n in lookup.find_entities(store, "水污染防治工作计划")] == [WATER]
    by_number, _ = lookup.search(store, "#4")
    assert by_number[0].id == "task:江海-2019:4"
