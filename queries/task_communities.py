"""Which tasks form clusters?  Louvain communities of the task graph.

Tasks are joined by shared entities, weighted as in :mod:`queries.task_dependencies`
(project / document 1.0, place / organization / department 0.5, divided by the other
sharers).  Louvain runs with a fixed seed on a graph built in sorted order, so the answer is
the same every time and on both stores.  Each community lists its tasks, the entities that
tie it (by member tasks reached) and its chapters.  A pure function of the graph
(:func:`task_communities_graph`).  On the bundled sample::

    >>> task_communities(store).communities[0].tasks[:3]              # doctest: +SKIP
    [7, 9, 10]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Literal

import networkx as nx
from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._analytics import ENTITY_EDGES, cached, links_by_entity, task_projection
from queries._common import CommaSplit, natural_key, rnd, validated

__all__ = [
    "Community",
    "TaskCommunities",
    "TaskCommunitiesParams",
    "task_communities",
    "task_communities_graph",
]

Kind = Literal["project", "place", "organization", "document", "department"]
SEED = 42


class TaskCommunitiesParams(BaseModel):
    via: Annotated[list[Kind] | None, CommaSplit] = Field(
        None, description="Kinds of shared entity (default: all)."
    )
    min_size: int = Field(2, ge=1, description="Smallest community listed.")
    resolution: float = Field(1.0, gt=0, le=10, description="Louvain resolution.")


class Community(BaseModel):
    index: int
    size: int
    tasks: list[int]
    task_ids: list[str]
    entities: list[str] = Field(description="Names of entities shared inside, most shared first.")
    chapters: dict[int, int] = Field(description="Chapter number -> member tasks.")


class TaskCommunities(BaseModel):
    modularity: float
    communities: list[Community]


def _task_communities_graph(
    g: nx.MultiDiGraph, via: Sequence[str] | None = None, min_size: int = 2, resolution: float = 1.0
) -> TaskCommunities:
    """Communities of tasks in ``g``."""
    labels = [x for x in ENTITY_EDGES if via is None or x.lower() in via]
    h = task_projection(g, labels)
    if h.number_of_edges() == 0:
        return TaskCommunities(modularity=0.0, communities=[])
    parts = nx.community.louvain_communities(h, weight="weight", resolution=resolution, seed=SEED)
    modularity = nx.community.modularity(h, parts, weight="weight", resolution=resolution)
    links = links_by_entity(g, labels)
    groups = sorted(
        (sorted(c, key=natural_key) for c in parts), key=lambda c: (-len(c), natural_key(c[0]))
    )
    out: list[Community] = []
    for members in groups:
        if len(members) < min_size:
            continue
        inside = set(members)
        shared = [(len(ts & inside), e) for e, ts in links.items() if len(ts & inside) >= 2]
        shared.sort(key=lambda x: (-x[0], natural_key(x[1])))
        chapters = Counter(g.nodes[t]["props"].get("chapter") for t in members)
        out.append(
            Community(
                index=len(out),
                size=len(members),
                task_ids=members,
                tasks=[g.nodes[t]["props"]["number"] for t in members],
                entities=[str(g.nodes[e]["props"].get("name")) for _, e in shared[:10]],
                chapters={c: n for c, n in sorted(chapters.items()) if c is not None},
            )
        )
    return TaskCommunities(modularity=rnd(modularity) or 0.0, communities=out)


def task_communities_graph(
    g: nx.MultiDiGraph, via: Sequence[str] | None = None, min_size: int = 2, resolution: float = 1.0
) -> TaskCommunities:
    """Communities of tasks in ``g``; computed once per graph object."""
    key = ("task_communities", tuple(via) if via is not None else None, min_size, resolution)
    return cached(g, key, lambda: _task_communities_graph(g, via, min_size, resolution))


def task_communities(
    store: GraphStore, via: list[str] | None = None, min_size: int = 2, resolution: float = 1.0
) -> TaskCommunities:
    """Clusters of tasks tied by shared projects, places, documents and departments."""
    p = validated(TaskCommunitiesParams, via=via, min_size=min_size, resolution=resolution)
    return task_communities_graph(store.to_networkx(), p.via, p.min_size, p.resolution)
