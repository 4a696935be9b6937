"""Which departments hold the responsibility network together?

Departments are joined when they share tasks (edge weight = shared tasks).  For each:
its tasks, partners, weighted degree (shared task-slots) and betweenness centrality on that
projection (normalised, unweighted).  Ranked by betweenness, then weighted degree, then id.
A pure function of the graph (:func:`department_centrality_graph`), so it runs on either
store through ``store.to_networkx()``.  On the bundled sample (inferred departments)::

    >>> department_centrality(store, limit=1).departments[0].name    # doctest: +SKIP
    '市农业农村局'
"""

from __future__ import annotations

import networkx as nx
from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._analytics import betweenness, cached, department_projection
from queries._common import natural_key, rnd, validated
from queries._responsibility import Source

__all__ = [
    "CentralDepartment",
    "DepartmentCentrality",
    "DepartmentCentralityParams",
    "department_centrality",
    "department_centrality_graph",
]


class DepartmentCentralityParams(BaseModel):
    source: Source | None = Field(None, description="Only assignment or only inferred edges.")
    limit: int = Field(50, ge=1, le=10_000, description="Most departments returned.")


class CentralDepartment(BaseModel):
    id: str
    name: str
    tasks: int
    partners: int
    weighted_degree: int
    betweenness: float


class DepartmentCentrality(BaseModel):
    departments: list[CentralDepartment]


def _department_centrality_graph(
    g: nx.MultiDiGraph, source: str | None = None, limit: int = 50
) -> DepartmentCentrality:
    """Centrality of departments in ``g`` (a graph as ``GraphStore.to_networkx`` gives)."""
    h = department_projection(g, source)
    between = betweenness(h)
    rows = [
        CentralDepartment(
            id=d,
            name=str(g.nodes[d]["props"].get("name")),
            tasks=h.nodes[d]["tasks"],
            partners=h.degree(d),
            weighted_degree=int(h.degree(d, weight="weight")),
            betweenness=rnd(between[d]) or 0.0,
        )
        for d in h.nodes
    ]
    rows.sort(key=lambda x: (-x.betweenness, -x.weighted_degree, natural_key(x.id)))
    return DepartmentCentrality(departments=rows[:limit])


def department_centrality_graph(
    g: nx.MultiDiGraph, source: str | None = None, limit: int = 50
) -> DepartmentCentrality:
    """Centrality of departments in ``g`` (a graph as ``GraphStore.to_networkx`` gives);
    computed once per graph object."""
    return cached(
        g,
        ("department_centrality", source, limit),
        lambda: _department_centrality_graph(g, source, limit),
    )


def department_centrality(
    store: GraphStore, source: str | None = None, limit: int = 50
) -> DepartmentCentrality:
    """Departments ranked by how much shared responsibility runs through them."""
    p = validated(DepartmentCentralityParams, source=source, limit=limit)
    return department_centrality_graph(store.to_networkx(), p.source, p.limit)
