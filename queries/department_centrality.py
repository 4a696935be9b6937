"""Which departments hold the responsibility network together?

Departments are joined when they share tasks (edge weight = shared tasks).  For each:
its tasks, partners, weighted degree (shared task-slots) and betweenness centrality on that
projection (normalised, unweighted).  Ranked by betweenness, then weighted degree, then id.
A pure function of the graph's task-entity links (:func:`department_centrality_links`),
which either store gives without exporting the graph; answers are cached per store version.
Betweenness is sampled on big projections (see :func:`queries._analytics.betweenness`).
On the bundled sample (inferred departments)::

    >>> department_centrality(store, limit=1).departments[0].name    # doctest: +SKIP
    '市农业农村局'
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._analytics import Links, answer, betweenness, department_projection
from queries._common import natural_key, rnd, validated
from queries._responsibility import Source

__all__ = [
    "CentralDepartment",
    "DepartmentCentrality",
    "DepartmentCentralityParams",
    "department_centrality",
    "department_centrality_links",
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


def department_centrality_links(
    links: Links, source: str | None = None, limit: int | None = None
) -> DepartmentCentrality:
    """Centrality of departments (the first ``limit``), from the graph's :class:`Links`."""
    h = department_projection(links, source)
    between = betweenness(h)
    rows = [
        CentralDepartment(
            id=d,
            name=links.entities[d][1],
            tasks=h.nodes[d]["tasks"],
            partners=h.degree(d),
            weighted_degree=int(h.degree(d, weight="weight")),
            betweenness=rnd(between[d]) or 0.0,
        )
        for d in h.nodes
    ]
    rows.sort(key=lambda x: (-x.betweenness, -x.weighted_degree, natural_key(x.id)))
    return DepartmentCentrality(departments=rows[:limit])


def department_centrality(
    store: GraphStore, source: str | None = None, limit: int = 50
) -> DepartmentCentrality:
    """Departments ranked by how much shared responsibility runs through them."""
    p = validated(DepartmentCentralityParams, source=source, limit=limit)
    return answer(
        store,
        ("department_centrality", p.source),
        lambda links: department_centrality_links(links, p.source),
        lambda r: DepartmentCentrality.model_construct(departments=r.departments[: p.limit]),
    )
