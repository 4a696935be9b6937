"""Full-text search over task text, progress text and entity names (and aliases), for Chinese.

Text is matched the way Neo4j's ``cjk`` analyzer sees it: full-width ASCII folded, lower
case, runs of CJK characters as overlapping bigrams (a lone character as itself), runs of
letters and digits as words.  Candidates are the nodes sharing a token with the query (the
``cjk`` full-text indexes on Neo4j via ``store.fulltext``; an equivalent token index on the
embedded store, built lazily once per graph object); a candidate is a hit when every
whitespace-separated term of the query occurs in it.  Hits are ranked the same way on both
stores: occurrences of the terms (more first), then label (tasks, progress, entities), then
id.  On the bundled sample::

    >>> r = search(store, "集成电路")                                # doctest: +SKIP
    >>> [h.id for h in r.hits][:2]                                   # doctest: +SKIP
    ['task:南通-2019:1', 'progress:a5df610ebdc608c2:1']
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from typing import Annotated, Any

import networkx as nx
from pydantic import BaseModel, Field

from graph.errors import InvalidQuery
from graph.schema import SCHEMA
from graph.store import GraphStore
from queries._common import (
    CommaSplit,
    _Embedded,
    embedded,
    lab,
    natural_key,
    validated,
)
from queries._resolve import display_name

__all__ = ["FIELDS", "Hit", "Search", "SearchParams", "normalise", "search", "tokens"]

FIELDS: dict[str, tuple[str, ...]] = {
    lb.name: (*lb.fulltext, *(("aliases",) if "name" in lb.fulltext and lb.prop("aliases") else ()))
    for lb in SCHEMA.labels.values()
    if lb.fulltext
}
LABEL_ORDER = {name: i for i, name in enumerate(FIELDS)}
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[0-9a-z]+(?:[.,'_][0-9a-z]+)*")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
HYDRATE = (
    "UNWIND $ids AS id CALL (id) { "
    + " UNION ".join(f"MATCH (n:{lab(x)} {{id: id}}) RETURN n" for x in FIELDS)
    + " } RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label, "
    "n.text AS text, n.name AS name, coalesce(n.aliases, []) AS aliases, "
    "n.number AS number, n.task AS task, n.period AS period"
)


class SearchParams(BaseModel):
    q: str = Field(min_length=1, max_length=200, description="Words to find (all must occur).")
    labels: Annotated[list[str] | None, CommaSplit] = Field(None, description="Only these labels.")
    limit: int = Field(20, ge=1, le=1000, description="Most hits returned.")


class Hit(BaseModel):
    id: str
    label: str
    name: str
    field: str
    snippet: str
    score: float = Field(description="Occurrences of the query terms.")


class Search(BaseModel):
    query: str
    total: int
    hits: list[Hit]


def normalise(text: str) -> str:
    """Full-width ASCII to half-width, then lower case (as the ``cjk`` analyzer folds)."""
    folded = "".join(
        chr(ord(c) - 0xFEE0) if "\uff01" <= c <= "\uff5e" else (" " if c == "\u3000" else c)
        for c in text
    )
    return folded.lower()


def tokens(text: str) -> set[str]:
    """The tokens the ``cjk`` analyzer makes: CJK bigrams (a lone character alone), words.

    >>> sorted(tokens("江海港区 PM2.5"))
    ['pm2.5', '江海', '海港', '港区']
    """
    out: set[str] = set()
    for m in _TOKEN.finditer(normalise(text)):
        run = m.group()
        if _CJK_RUN.fullmatch(run):
            out |= {run[i : i + 2] for i in range(len(run) - 1)} if len(run) > 1 else {run}
        else:
            out.add(run)
    return out


_INDEX: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[str, set[str]]] = (
    weakref.WeakKeyDictionary()
)


def _index(s: _Embedded) -> dict[str, set[str]]:
    """Token -> node ids, built once per graph object (writes replace the graph)."""
    g = s.graph
    if g not in _INDEX:
        index: dict[str, set[str]] = defaultdict(set)
        for label, fields in FIELDS.items():
            for n in s.ids_with_label(label):
                for text in _texts(g.nodes[n]["props"], fields):
                    for tok in tokens(text):
                        index[tok].add(n)
        _INDEX[g] = dict(index)
    return _INDEX[g]


def _texts(p: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    out = []
    for f in fields:
        v = p.get(f)
        out += [str(x) for x in v] if isinstance(v, list) else ([str(v)] if v else [])
    return out


def _candidates(store: GraphStore, q: str, labels: list[str]) -> list[dict[str, Any]]:
    """Nodes sharing a token with ``q``, with the fields needed to check and show them."""
    if store.backend == "neo4j":
        fulltext = getattr(store, "fulltext", None)
        if fulltext is None:
            raise InvalidQuery("this Neo4j store offers no full-text search")
        ids = sorted({i for i, _ in fulltext(q, labels, 100_000)})
        return (
            store.read_cypher(HYDRATE, {"ids": ids, "labels": labels}, row_cap=1_000_000)
            if ids
            else []
        )
    s = embedded(store)
    g, index = s.graph, _index(s)
    found = set().union(*(index.get(t, set()) for t in tokens(q)))
    out = []
    for n in found:
        label = g.nodes[n]["label"]
        if label in labels:
            p = g.nodes[n]["props"]
            out.append(
                {
                    "id": n,
                    "label": label,
                    "text": p.get("text"),
                    "name": p.get("name"),
                    "aliases": p.get("aliases", []),
                    "number": p.get("number"),
                    "task": p.get("task"),
                    "period": p.get("period"),
                }
            )
    return out


def _snippet(text: str, term: str, width: int = 24) -> str:
    at = normalise(text).find(term)
    start, stop = max(at - width, 0), min(at + len(term) + width, len(text))
    return ("…" if start else "") + text[start:stop] + ("…" if stop < len(text) else "")


def search(store: GraphStore, q: str, labels: list[str] | None = None, limit: int = 20) -> Search:
    """Nodes whose text, name or alias holds every term of ``q``, best first."""
    p = validated(SearchParams, q=q, labels=labels, limit=limit)
    wanted = list(p.labels) if p.labels else list(FIELDS)
    bad = [x for x in wanted if x not in FIELDS]
    if bad:
        raise InvalidQuery(f"labels without full-text fields: {', '.join(bad)}")
    terms = [normalise(t) for t in p.q.split()]
    if not tokens(p.q):
        return Search(query=p.q, total=0, hits=[])
    hits = []
    for c in _candidates(store, p.q, wanted):
        values = [(f, c[f]) for f in FIELDS[c["label"]] if c.get(f)]
        texts = [(f, str(x)) for f, v in values for x in (v if isinstance(v, list) else [v])]
        if not all(any(t in normalise(x) for _, x in texts) for t in terms):
            continue
        score = sum(normalise(x).count(t) for _, x in texts for t in terms)
        field, text = next((f, x) for f, x in texts if terms[0] in normalise(x))
        hits.append(
            Hit(
                id=c["id"],
                label=c["label"],
                name=display_name(c["label"], c),
                field=field,
                snippet=_snippet(text, terms[0]),
                score=float(score),
            )
        )
    hits.sort(key=lambda h: (-h.score, LABEL_ORDER[h.label], natural_key(h.id)))
    return Search(query=p.q, total=len(hits), hits=hits[: p.limit])
