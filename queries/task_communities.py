"""Which tasks form clusters?  Louvain communities of the task graph.

Tasks are joined by shared entities, weighted as in :mod:`queries.task_dependencies`
(project / document 1.0, place / organization / department 0.5, divided by the other
sharers; an entity shared by very many tasks joins each to its nearest ones in sorted order
instead of to all, see :func:`queries._analytics.task_projection`).  Louvain
(:func:`queries._analytics.louvain`) runs with a fixed seed on a graph built in sorted order,
so the answer is the same every time and on both stores.  Each community lists its tasks, the
entities that tie it (by member tasks reached) and its chapters.  A pure function of the
graph's task-entity links (:func:`task_communities_links`), cached per store version.
On the bundled sample::

    >>> task_communities(store).communities[0].tasks[:3]              # doctest: +SKIP
    [7, 9, 10]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._analytics import (
    ENTITY_EDGES,
    Links,
    answer,
    louvain,
    modularity,
    task_projection,
)
from queries._common import CommaSplit, natural_key, rnd, validated

__all__ = [
    "Community",
    "TaskCommunities",
    "TaskCommunitiesParams",
    "task_communities",
    "task_communities_links",
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


def task_communities_links(
    links: Links, via: Sequence[str] | None = None, min_size: int = 2, resolution: float = 1.0
) -> TaskCommunities:
    """Communities of tasks, from the graph's task-entity :class:`Links`."""
    labels = [x for x in ENTITY_EDGES if via is None or x.lower() in via]
    h = task_projection(links, labels)
    if not any(h.adj):
        return TaskCommunities(modularity=0.0, communities=[])
    parts = louvain(h, resolution=resolution, seed=SEED)
    score = modularity(h, parts, resolution=resolution)
    groups = sorted(
        (sorted((h.names[i] for i in c), key=natural_key) for c in parts),
        key=lambda c: (-len(c), natural_key(c[0])),
    )
    groups = [c for c in groups if len(c) >= min_size]
    out: list[Community] = []
    for index, members in enumerate(groups):
        chapters = Counter(links.tasks[t][1] for t in members)
        out.append(
            Community(
                index=index,
                size=len(members),
                task_ids=members,
                tasks=[links.tasks[t][0] for t in members],
                entities=[],
                chapters={c: n for c, n in sorted(chapters.items()) if c is not None},
            )
        )
    for community, shared in zip(out, _shared_entities(links, labels, groups), strict=True):
        community.entities = [links.entities[e][1] for _, e in shared[:10]]
    return TaskCommunities(modularity=rnd(score) or 0.0, communities=out)


def _shared_entities(
    links: Links, labels: list[str], groups: list[list[str]]
) -> list[list[tuple[int, str]]]:
    """For each group: (member tasks reached, entity) of entities reaching two or more of its
    tasks, most first, then by id (one pass over the links, not one per group)."""
    where = {t: i for i, members in enumerate(groups) for t in members}
    shared: list[list[tuple[int, str]]] = [[] for _ in groups]
    for e, ts in links.by_entity(labels).items():
        for i, n in Counter(where[t] for t in ts if t in where).items():
            if n >= 2:
                shared[i].append((n, e))
    for found in shared:
        found.sort(key=lambda x: (-x[0], natural_key(x[1])))
    return shared


def task_communities(
    store: GraphStore, via: list[str] | None = None, min_size: int = 2, resolution: float = 1.0
) -> TaskCommunities:
    """Clusters of tasks tied by shared projects, places, documents and departments."""
    p = validated(TaskCommunitiesParams, via=via, min_size=min_size, resolution=resolution)
    kinds = tuple(p.via) if p.via is not None else None
    return answer(
        store,
        ("task_communities", kinds, p.min_size, p.resolution),
        lambda links: task_communities_links(links, kinds, p.min_size, p.resolution),
    )
