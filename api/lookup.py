"""Look-ups the explorer needs that are not planners' questions.

Search-as-you-type over names and texts, and entities by name or alias.  They
read the store only through the ``GraphStore`` interface, so they give the same
answers on both stores; the questions themselves live in ``queries/``.

>>> from graph.embedded import EmbeddedStore
>>> hits, total = search(EmbeddedStore(None), "南通")
>>> hits, total
([], 0)
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from api.models import NodeView, SearchHit, node_view
from graph.records import NodeRecord
from graph.schema import ENTITY_LABELS, SCHEMA
from graph.store import GraphStore
from viz.captions import node_caption

__all__ = ["SEARCH_LABELS", "check_labels", "find_entities", "search"]

SEARCH_LABELS: tuple[str, ...] = (
    "Task",
    *ENTITY_LABELS,
    "Target",
    "Chapter",
    "Report",
    "Plan",
)
_TASK_NUMBER = re.compile(r"^(?:#|任务|第)?\s*(\d{1,4})\s*(?:项|号)?$")


def check_labels(labels: Iterable[str]) -> list[str]:
    """The labels, each checked against the schema (``SchemaError`` names a bad one)."""
    return [SCHEMA.label(label).name for label in labels]


def _score_text(value: str, q: str, exact: float, prefix: float, contains: float) -> float:
    v = value.casefold()
    if v == q:
        return exact
    if v.startswith(q):
        return prefix
    if q in v:
        return contains - min(v.index(q), 50) / 100
    return 0.0


def _snippet(text: str, q: str, width: int = 24) -> str:
    at = text.casefold().find(q)
    if at < 0:
        return text[: width * 2]
    start = max(0, at - width)
    end = min(len(text), at + len(q) + width)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _score(node: NodeRecord, q: str, number: int | None) -> tuple[float, str]:
    props = node.properties
    best, snippet = 0.0, ""
    if number is not None and node.label == "Task" and props.get("number") == number:
        best = 95.0
    for key, exact, prefix, contains in (
        ("name", 100, 70, 50),
        ("title", 80, 60, 45),
        ("metric", 70, 55, 40),
    ):
        value = props.get(key)
        if isinstance(value, str):
            best = max(best, _score_text(value, q, exact, prefix, contains))
    for alias in [*(props.get("aliases") or []), *(props.get("known_as") or [])]:
        best = max(best, _score_text(str(alias), q, 90, 60, 40))
    text = props.get("text")
    if isinstance(text, str) and q in text.casefold():
        if best < 20:
            best = 20 - min(text.casefold().index(q), 500) / 1000
        snippet = _snippet(text, q)
    return best, snippet


def search(
    store: GraphStore,
    q: str,
    labels: Iterable[str] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> tuple[list[SearchHit], int]:
    """Nodes whose name, alias, title or text contains ``q``, best first; and the total."""
    query = q.strip().casefold()
    if not query:
        return [], 0
    match = _TASK_NUMBER.match(query)
    number = int(match.group(1)) if match else None
    hits: list[SearchHit] = []
    for label in check_labels(labels or SEARCH_LABELS):
        for node in store.nodes(label):
            score, snippet = _score(node, query, number)
            if score <= 0:
                continue
            caption = node_caption(node.label, node.properties)
            name = str(node.properties.get("name") or node.properties.get("title") or caption)
            hits.append(
                SearchHit(
                    id=node.id,
                    label=node.label,
                    caption=caption,
                    name=name,
                    snippet=snippet,
                    score=round(score, 3),
                )
            )
    order = {label: i for i, label in enumerate(SEARCH_LABELS)}
    hits.sort(key=lambda h: (-h.score, order.get(h.label, 99), h.id))
    return hits[offset : offset + limit], len(hits)


def find_entities(store: GraphStore, name: str, label: str | None = None) -> list[NodeView]:
    """Entities whose canonical name or an alias equals ``name`` (sorted by id)."""
    wanted = name.strip()
    labels = check_labels([label]) if label else list(ENTITY_LABELS)
    found = []
    for lb in labels:
        for node in store.nodes(lb):
            props = node.properties
            names = [
                props.get("name"),
                *(props.get("aliases") or []),
                *(props.get("known_as") or []),
            ]
            if wanted in names:
                found.append(node_view(node))
    return sorted(found, key=lambda n: n.id)
