"""Which entities bridge otherwise separate work?

On the undirected graph of tasks and the entities they link to (projects, places,
organizations, documents, departments), entities ranked by betweenness centrality
(normalised; sampled on big graphs, see :func:`queries._analytics.betweenness`), with the
tasks and chapters they reach.  A pure function of the graph's task-entity links
(:func:`bridging_entities_links`), cached per store version.  On the bundled sample::

    >>> bridging_entities(store, limit=1).entities[0].label           # doctest: +SKIP
    'Department'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._analytics import ENTITY_EDGES, Links, answer, betweenness, task_entity_graph
from queries._common import CommaSplit, rnd, validated

__all__ = [
    "BridgingEntities",
    "BridgingEntitiesParams",
    "BridgingEntity",
    "bridging_entities",
    "bridging_entities_links",
]

Kind = Literal["project", "place", "organization", "document", "department"]


class BridgingEntitiesParams(BaseModel):
    via: Annotated[list[Kind] | None, CommaSplit] = Field(
        None, description="Kinds of entity (default: all)."
    )
    limit: int = Field(20, ge=1, le=10_000, description="Most entities returned.")


class BridgingEntity(BaseModel):
    id: str
    label: str
    name: str
    tasks: int
    chapters: list[int]
    betweenness: float


class BridgingEntities(BaseModel):
    entities: list[BridgingEntity]


def bridging_entities_links(
    links: Links, via: Sequence[str] | None = None, limit: int | None = None
) -> BridgingEntities:
    """Entities (the first ``limit``) by betweenness on the task-entity graph of ``links``."""
    labels = [x for x in ENTITY_EDGES if via is None or x.lower() in via]
    h = task_entity_graph(links, labels)
    between = betweenness(h)
    rows = []
    for e, ts in links.by_entity(labels).items():
        chapters = {links.tasks[t][1] for t in ts}
        label, name = links.entities[e]
        rows.append(
            BridgingEntity(
                id=e,
                label=label,
                name=name,
                tasks=len(ts),
                chapters=sorted(c for c in chapters if c is not None),
                betweenness=rnd(between.get(e, 0.0)) or 0.0,
            )
        )
    rank = links.rank
    rows.sort(key=lambda x: (-x.betweenness, -len(x.chapters), -x.tasks, rank[x.id]))
    return BridgingEntities(entities=rows[:limit])


def bridging_entities(
    store: GraphStore, via: list[str] | None = None, limit: int = 20
) -> BridgingEntities:
    """Entities that tie tasks of different chapters together."""
    p = validated(BridgingEntitiesParams, via=via, limit=limit)
    kinds = tuple(p.via) if p.via is not None else None
    return answer(
        store,
        ("bridging_entities", kinds),
        lambda links: bridging_entities_links(links, kinds),
        lambda r: BridgingEntities.model_construct(entities=r.entities[: p.limit]),
    )
