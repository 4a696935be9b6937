"""Which entities bridge otherwise separate work?

On the undirected graph of tasks and the entities they link to (projects, places,
organizations, documents, departments), entities ranked by betweenness centrality
(normalised), with the tasks and chapters they reach.  A pure function of the graph
(:func:`bridging_entities_graph`).  On the bundled sample::

    >>> bridging_entities(store, limit=1).entities[0].label           # doctest: +SKIP
    'Department'
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Literal

import networkx as nx
from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._analytics import (
    ENTITY_EDGES,
    betweenness,
    cached,
    links_by_entity,
    task_entity_graph,
)
from queries._common import CommaSplit, natural_key, rnd, validated

__all__ = [
    "BridgingEntities",
    "BridgingEntitiesParams",
    "BridgingEntity",
    "bridging_entities",
    "bridging_entities_graph",
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


def _bridging_entities_graph(
    g: nx.MultiDiGraph, via: Sequence[str] | None = None, limit: int = 20
) -> BridgingEntities:
    """Entities of ``g`` by betweenness on the task-entity graph."""
    labels = [x for x in ENTITY_EDGES if via is None or x.lower() in via]
    h = task_entity_graph(g, labels)
    between = betweenness(h)
    links = links_by_entity(g, labels)
    rows = []
    for e, ts in links.items():
        chapters = {g.nodes[t]["props"].get("chapter") for t in ts}
        rows.append(
            BridgingEntity(
                id=e,
                label=g.nodes[e]["label"],
                name=str(g.nodes[e]["props"].get("name")),
                tasks=len(ts),
                chapters=sorted(c for c in chapters if c is not None),
                betweenness=rnd(between.get(e, 0.0)) or 0.0,
            )
        )
    rows.sort(key=lambda x: (-x.betweenness, -len(x.chapters), -x.tasks, natural_key(x.id)))
    return BridgingEntities(entities=rows[:limit])


def bridging_entities_graph(
    g: nx.MultiDiGraph, via: Sequence[str] | None = None, limit: int = 20
) -> BridgingEntities:
    """Entities of ``g`` by betweenness; computed once per graph object."""
    key = ("bridging_entities", tuple(via) if via is not None else None, limit)
    return cached(g, key, lambda: _bridging_entities_graph(g, via, limit))


def bridging_entities(
    store: GraphStore, via: list[str] | None = None, limit: int = 20
) -> BridgingEntities:
    """Entities that tie tasks of different chapters together."""
    p = validated(BridgingEntitiesParams, via=via, limit=limit)
    return bridging_entities_graph(store.to_networkx(), p.via, p.limit)
