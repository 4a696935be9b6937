"""Turn any query result into a drawable subgraph.

Query results differ in shape, but every one names the nodes it is about by
their stable ids.  :func:`node_ids_in` finds those ids anywhere in a result,
:func:`statuses_in` finds target statuses next to them, and
:func:`induced_subgraph` fetches the nodes and the edges among them, so the
explorer and ``govgraph viz`` can draw any question's answer.

>>> node_ids_in({"rows": [{"task": "task:南通-2019:3", "n": 2}, {"x": "not an id"}]})
['task:南通-2019:3']
>>> statuses_in([{"task": "task:x:1", "target": "target:a", "status": "met"},
...              {"id": "target:b", "status": "unknown"}])
{'target:a': 'met'}
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.errors import NotFound
from graph.records import EdgeRecord, GraphExport, NodeRecord
from graph.schema import SCHEMA
from graph.store import GraphStore
from viz.palette import STATUS_STYLES

__all__ = ["induced_subgraph", "looks_like_id", "node_ids_in", "statuses_in"]

_PREFIXES = tuple(f"{name.lower()}:" for name in SCHEMA.labels)


def looks_like_id(value: object) -> bool:
    """Whether a value has the shape of a govgraph node id (``<label>:<key>``, no spaces)."""
    return (
        isinstance(value, str)
        and value.startswith(_PREFIXES)
        and len(value) < 1000
        and not any(ch.isspace() for ch in value)
    )


def _walk(obj: Any) -> Iterable[Any]:
    if hasattr(obj, "model_dump"):
        obj = obj.model_dump()
    stack = [obj]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list | tuple):
            stack.extend(reversed(item))


def node_ids_in(result: Any) -> list[str]:
    """Every node id mentioned anywhere in ``result``, in first-seen order."""
    seen: dict[str, None] = {}
    for item in _walk(result):
        if looks_like_id(item):
            seen.setdefault(item, None)
    return list(seen)


def statuses_in(result: Any) -> dict[str, str]:
    """Target statuses (met/on_track/lagging/no_figure) keyed by the id beside them."""
    out: dict[str, str] = {}
    for item in _walk(result):
        if not isinstance(item, dict) or item.get("status") not in STATUS_STYLES:
            continue
        ids = [value for value in item.values() if looks_like_id(value)]
        targets = [i for i in ids if i.startswith("target:")]
        if ids:
            out.setdefault((targets or ids)[0], item["status"])
    return out


def induced_subgraph(
    store: GraphStore,
    ids: Iterable[str],
    limit: int = 500,
    follow: Iterable[str] | None = None,
) -> GraphExport:
    """The nodes among ``ids`` that exist and every edge between them (at most ``limit`` nodes).

    With ``follow`` (edge types), the neighbours one hop away along those types
    come too: ``follow=["HAS_TARGET"]`` draws targets with their tasks.
    """
    nodes: dict[str, NodeRecord] = {}
    for node_id in ids:
        if len(nodes) >= limit:
            break
        if node_id in nodes:
            continue
        try:
            nodes[node_id] = store.node(node_id)
        except NotFound:
            continue
    follow_types = list(follow or [])
    if follow_types:
        for node_id in list(nodes):
            around = store.neighbourhood(node_id, depth=1, edge_types=follow_types, limit=limit)
            for other in around.nodes:
                if len(nodes) >= limit:
                    break
                nodes.setdefault(other.id, other)
    edges: dict[tuple[str, str, str, str], EdgeRecord] = {}
    for node_id in nodes:
        around = store.neighbourhood(node_id, depth=1, limit=limit)
        for edge in around.edges:
            if edge.source in nodes and edge.target in nodes:
                edges[(edge.type, edge.source, edge.target, edge.key)] = edge
    return GraphExport(nodes=list(nodes.values()), edges=list(edges.values())).sorted()
