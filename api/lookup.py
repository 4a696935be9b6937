"""Look-ups the explorer needs that are not planners' questions.

Search-as-you-type over names and texts, and entities by name or alias.  They
read the store only through the ``GraphStore`` interface, so they give the same
answers on both stores; the questions themselves live in ``queries/``.  Each
label's nodes are read once per store version (``GraphStore.version``), with one
casefolded string of their searched values, so a search is a ``str.find`` scan,
not a read of every node.

>>> from graph.embedded import EmbeddedStore
>>> hits, total = search(EmbeddedStore(None), "南通")
>>> hits, total
([], 0)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any, cast

from api.models import NodeView, SearchHit, node_view
from graph.gc_pause import settle
from graph.records import NodeRecord
from graph.schema import ENTITY_LABELS, SCHEMA
from graph.store import GraphStore
from queries._common import VersionedCache
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


@dataclass(frozen=True)
class _Label:
    """One label's nodes, and one casefolded string of everything :func:`_score` matches in
    them (``\x00``-separated; ``starts[i]`` is where node ``i``'s part begins)."""

    nodes: list[NodeRecord]
    haystack: str
    starts: list[int]

    @staticmethod
    def of(nodes: list[NodeRecord]) -> _Label:
        parts, starts, at = [], [], 0
        for node in nodes:
            part = "\x00".join(_searched(node)).casefold() + "\x00"
            starts.append(at)
            parts.append(part)
            at += len(part)
        return _Label(nodes=nodes, haystack="".join(parts), starts=starts)

    def containing(self, q: str) -> Iterable[NodeRecord]:
        """The nodes one of whose searched values contains ``q`` (and perhaps a few more when
        ``q`` holds the separator; :func:`_score` decides)."""
        at = self.haystack.find(q)
        while at >= 0:
            i = bisect_right(self.starts, at) - 1
            yield self.nodes[i]
            after = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.haystack)
            at = self.haystack.find(q, after)


_LABELS = VersionedCache(keep=None)  # label -> its _Label, per store version


def _searched(node: NodeRecord) -> list[str]:
    """The values :func:`_score` looks into."""
    props = node.properties
    values = [props.get(k) for k in ("name", "title", "metric", "text")]
    aliases = [*(props.get("aliases") or []), *(props.get("known_as") or [])]
    return [v for v in values if isinstance(v, str)] + [str(a) for a in aliases]


def _labels(store: GraphStore) -> MutableMapping[tuple[Any, ...], Any]:
    """The store's :class:`_Label` s read so far at its current version (one version check;
    a fresh, unkept dict when the store cannot tell its version)."""
    return _LABELS.entries(store)


def _label(store: GraphStore, label: str, known: MutableMapping[tuple[Any, ...], Any]) -> _Label:
    """``store.nodes(label)`` with its search string, read once per store version."""
    if (label,) not in known:
        known[(label,)] = _Label.of(store.nodes(label))
        settle()  # kept until the graph changes (see graph.gc_pause)
    return cast(_Label, known[(label,)])


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
    known = _labels(store)
    for label in check_labels(labels or SEARCH_LABELS):
        indexed = _label(store, label, known)
        nodes = list(indexed.containing(query))
        if number is not None and label == "Task":
            seen = {n.id for n in nodes}
            nodes += [
                n
                for n in indexed.nodes
                if n.properties.get("number") == number and n.id not in seen
            ]
        for node in nodes:
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
    known = _labels(store)
    for lb in labels:
        for node in _label(store, lb, known).nodes:
            props = node.properties
            names = [
                props.get("name"),
                *(props.get("aliases") or []),
                *(props.get("known_as") or []),
            ]
            if wanted in names:
                found.append(node_view(node))
    return sorted(found, key=lambda n: n.id)
