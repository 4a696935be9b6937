"""Nodes, neighbourhoods, entity look-up and search."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api import lookup
from api.deps import SettingsDep, StoreDep
from api.models import (
    GraphView,
    Mention,
    NodeDetail,
    NodeView,
    Page,
    SearchHit,
    graph_view,
    node_view,
)
from api.routes._params import valid_edge_types, valid_labels
from viz.captions import node_caption
from viz.subgraph import induced_subgraph

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["graph"])

NodeId = Annotated[str, Path(min_length=1, max_length=1000, description="A stable node id.")]
Labels = Annotated[
    list[str] | None,
    Query(description="Node labels to keep (repeat or comma-separate), e.g. Task,Department."),
]
EdgeTypes = Annotated[
    list[str] | None,
    Query(description="Edge types to follow (repeat or comma-separate), e.g. LEADS,ASSISTS."),
]
Limit = Annotated[int, Query(ge=1, le=200, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="Items to skip.")]


def _natural(text: str) -> list[tuple[int, int | str]]:
    """Sort key that puts ``chapter:x:2`` before ``chapter:x:10``."""
    return [
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    ]


# The neighbourhood route comes first: node ids may contain "/", so the plain
# node route's path parameter would otherwise swallow ".../neighbourhood".
@router.get(
    "/nodes/{node_id:path}/neighbourhood",
    response_model=GraphView,
    summary="Nodes within `depth` hops of a node and the edges among them",
)
def neighbourhood(
    store: StoreDep,
    settings: SettingsDep,
    node_id: NodeId,
    depth: Annotated[int, Query(ge=0, le=3, description="Hops, either direction.")] = 1,
    labels: Labels = None,
    edge_types: EdgeTypes = None,
    limit: Annotated[
        int | None, Query(ge=1, description="Most nodes (capped by settings.neighbourhood_cap).")
    ] = None,
) -> GraphView:
    cap = min(limit or settings.neighbourhood_cap, settings.neighbourhood_cap)
    export = store.neighbourhood(
        node_id,
        depth=depth,
        labels=valid_labels(labels),
        edge_types=valid_edge_types(edge_types),
        limit=cap,
    )
    return graph_view(export, cap)


@router.get(
    "/nodes/{node_id:path}",
    response_model=NodeDetail,
    summary="One node, with the edges at it and the sentences they were read from",
)
def node(store: StoreDep, settings: SettingsDep, node_id: NodeId) -> NodeDetail:
    record = store.node(node_id)
    around = store.neighbourhood(node_id, depth=1, limit=settings.neighbourhood_cap)
    others = {n.id: n for n in around.nodes}
    mentions = []
    for edge in around.edges:
        if node_id not in (edge.source, edge.target):
            continue
        direction = "out" if edge.source == node_id else "in"
        other = others[edge.target if direction == "out" else edge.source]
        mentions.append(
            Mention(
                type=edge.type,
                direction=direction,
                other=other.id,
                other_label=other.label,
                other_caption=node_caption(other.label, other.properties),
                properties=edge.properties,
            )
        )
    mentions.sort(key=lambda m: ("sentence" not in m.properties, m.type, _natural(m.other)))
    return NodeDetail(
        id=record.id,
        label=record.label,
        properties=record.properties,
        caption=node_caption(record.label, record.properties),
        degree=len(mentions),
        mentions=mentions,
    )


@router.get(
    "/entities",
    response_model=Page[NodeView],
    summary="Entities whose canonical name or an alias is `name`",
)
def entities(
    store: StoreDep,
    name: Annotated[str, Query(min_length=1, max_length=200)],
    label: Annotated[str | None, Query(description="One entity label, e.g. Department.")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[NodeView]:
    found = lookup.find_entities(store, name, label)
    return Page[NodeView](
        items=found[offset : offset + limit], total=len(found), limit=limit, offset=offset
    )


@router.get(
    "/search",
    response_model=Page[SearchHit],
    summary="Tasks, entities, targets and chapters matching `q`, best first",
)
def search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Text to look for.")],
    labels: Labels = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> Page[SearchHit]:
    hits, total = lookup.search(store, q, valid_labels(labels), limit=limit, offset=offset)
    return Page[SearchHit](items=hits, total=total, limit=limit, offset=offset)


@router.get(
    "/subgraph", response_model=GraphView, summary="The given nodes and every edge among them"
)
def subgraph(
    store: StoreDep,
    settings: SettingsDep,
    ids: Annotated[list[str], Query(min_length=1, max_length=500, description="Node ids.")],
    follow: Annotated[
        list[str] | None,
        Query(description="Edge types along which one-hop neighbours are added too."),
    ] = None,
) -> GraphView:
    cap = settings.neighbourhood_cap
    export = induced_subgraph(store, ids, limit=cap, follow=valid_edge_types(follow))
    return graph_view(export, cap)


@router.get("/nodes", response_model=Page[NodeView], summary="Nodes of one label, by id")
def nodes_of_label(
    store: StoreDep,
    label: Annotated[str, Query(description="A node label, e.g. Department.")],
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[NodeView]:
    found = store.nodes(lookup.check_labels([label])[0])
    return Page[NodeView](
        items=[node_view(n) for n in found[offset : offset + limit]],
        total=len(found),
        limit=limit,
        offset=offset,
    )
