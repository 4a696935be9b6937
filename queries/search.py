"""Full-text search over task text, progress text and entity names (and aliases), for Chinese.

Text is matched the way Neo4j's ``cjk`` analyzer sees it: full-width ASCII folded, lower
case, runs of CJK characters as overlapping bigrams (a lone character as itself), runs of
letters and digits as words.  Candidates are the nodes holding every Han bigram of the
query's terms (:func:`required_tokens`; a ``+a +b`` Lucene query on Neo4j's ``cjk`` full-text
indexes, an intersection in an equivalent token index on the embedded store, built lazily
once per graph object), or, for a query without one, the nodes sharing any token with it
(``store.fulltext``); a candidate is a hit when every whitespace-separated term of the query
occurs in it.  Hits are ranked the same way on both
stores: occurrences of the terms (more first), then label (tasks, progress, entities), then
id (natural order, then plain).  On the bundled sample::

    >>> r = search(store, "集成电路")                                # doctest: +SKIP
    >>> [h.id for h in r.hits][:2]                                   # doctest: +SKIP
    ['task:南通-2019:1', 'progress:a5df610ebdc608c2:1']
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from dataclasses import dataclass
from typing import Annotated, Any

import networkx as nx
from pydantic import BaseModel, Field

from graph.errors import InvalidQuery
from graph.neo4j_cypher import fulltext_indexes
from graph.schema import SCHEMA
from graph.store import GraphStore
from queries._common import (
    CommaSplit,
    Row,
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


_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: " "}


def normalise(text: str) -> str:
    """Full-width ASCII to half-width, then lower case (as the ``cjk`` analyzer folds).

    >>> normalise("ＰＭ２．５\u3000港")
    'pm2.5 港'
    """
    return text.translate(_FOLD).lower()


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


@dataclass(frozen=True)
class _Index:
    """The embedded store's token index: token -> node ids, and each indexed node's candidate
    row (the fields :func:`search` reads, and its ``texts``)."""

    postings: dict[str, set[str]]
    rows: dict[str, Row]


_INDEX: weakref.WeakKeyDictionary[nx.MultiDiGraph, _Index] = weakref.WeakKeyDictionary()


def _index(s: _Embedded) -> _Index:
    """The token index, built once per graph object (writes replace the graph)."""
    g = s.graph
    if g not in _INDEX:
        postings: dict[str, set[str]] = defaultdict(set)
        rows: dict[str, Row] = {}
        for label, fields in FIELDS.items():
            for n in s.ids_with_label(label):
                p = g.nodes[n]["props"]
                rows[n] = _row(n, label, p)
                for text in _texts(p, fields):
                    for tok in tokens(text):
                        postings[tok].add(n)
        _INDEX[g] = _Index(postings=dict(postings), rows=rows)
    return _INDEX[g]


def _row(node: str, label: str, p: dict[str, Any]) -> Row:
    """A candidate: the fields :func:`search` shows, and ``texts``: (field, text, normalised
    text) for each value of the label's full-text fields."""
    row = {
        "id": node,
        "label": label,
        "text": p.get("text"),
        "name": p.get("name"),
        "aliases": p.get("aliases") or [],
        "number": p.get("number"),
        "task": p.get("task"),
        "period": p.get("period"),
    }
    values = [(f, row[f]) for f in FIELDS[label] if row.get(f)]
    row["texts"] = [
        (f, str(x), normalise(str(x)))
        for f, v in values
        for x in (v if isinstance(v, list) else [v])
    ]
    return row


def _texts(p: dict[str, Any], fields: tuple[str, ...]) -> list[str]:
    out = []
    for f in fields:
        v = p.get(f)
        out += [str(x) for x in v] if isinstance(v, list) else ([str(v)] if v else [])
    return out


_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")


def required_tokens(terms: list[str]) -> list[str]:
    """Tokens every hit holds: the bigrams of each (normalised) term's runs of two or more Han
    characters.  A text holding the term holds the run inside one of its own CJK runs, so the
    ``cjk`` analyzer made those bigrams from it too (a lone character or a word at a term's
    edge may be part of a longer token, so neither is required).

    >>> required_tokens(["集成电路", "pm2.5"])
    ['成电', '电路', '集成']
    """
    return sorted(
        {r[i : i + 2] for t in terms for r in _HAN_RUN.findall(t) for i in range(len(r) - 1)}
    )


_READY: weakref.WeakSet[GraphStore] = weakref.WeakSet()


def _fulltext_cypher(indexes: list[str]) -> str:
    """Nodes of ``$labels`` matching Lucene query ``$q`` in any of ``indexes``, with the fields
    :func:`search` checks and shows (index names come from the schema)."""
    return " UNION ALL ".join(
        f"CALL db.index.fulltext.queryNodes('{name}', $q) YIELD node AS n "
        "WITH n, [l IN labels(n) WHERE l IN $labels][0] AS label WHERE label IS NOT NULL "
        "RETURN n.id AS id, label, n.text AS text, n.name AS name, "
        "coalesce(n.aliases, []) AS aliases, n.number AS number, n.task AS task, "
        "n.period AS period"
        for name in indexes
    )


def _neo4j_candidates(store: GraphStore, q: str, labels: list[str], need: list[str]) -> list[Row]:
    """Nodes holding every required token (Lucene ``+a +b``) in one query; without required
    tokens, nodes sharing any token with ``q`` (``store.fulltext``), then their fields."""
    if not need:
        fulltext = getattr(store, "fulltext", None)
        if fulltext is None:
            raise InvalidQuery("this Neo4j store offers no full-text search")
        ids = sorted({i for i, _ in fulltext(q, labels, 100_000)})
        return (
            store.read_cypher(HYDRATE, {"ids": ids, "labels": labels}, row_cap=1_000_000)
            if ids
            else []
        )
    if store not in _READY:  # the full-text indexes exist once the schema does
        ensure = getattr(store, "ensure_schema", None)
        if ensure is not None:
            ensure()
        _READY.add(store)
    indexes = [
        name for name, (covered, _) in fulltext_indexes().items() if set(covered) & set(labels)
    ]
    query = " ".join(f"+{t}" for t in need)  # Han bigrams: nothing to escape
    return store.read_cypher(
        _fulltext_cypher(indexes), {"q": query, "labels": labels}, row_cap=1_000_000
    )


def _neo4j_rows(store: GraphStore, q: str, labels: list[str], need: list[str]) -> list[Row]:
    return [_row(r["id"], r["label"], r) for r in _neo4j_candidates(store, q, labels, need)]


def _candidates(store: GraphStore, q: str, labels: list[str], need: list[str]) -> list[Row]:
    """Nodes that may hold every term of ``q``, with the fields needed to check and show them:
    those holding all ``need`` tokens when there are some, else those sharing a token with ``q``
    (full-text indexes on Neo4j; an equivalent token index on the embedded store)."""
    if store.backend == "neo4j":
        return _neo4j_rows(store, q, labels, need)
    index = _index(embedded(store))
    if need:
        postings = sorted((index.postings.get(t, set()) for t in need), key=len)
        found = set(postings[0]).intersection(*postings[1:])
    else:
        found = set().union(*(index.postings.get(t, set()) for t in tokens(q)))
    wanted = set(labels)
    return [row for n in found if (row := index.rows[n])["label"] in wanted]


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
    found = []
    for c in _candidates(store, p.q, wanted, required_tokens(terms)):
        texts = c["texts"]
        if not all(any(t in low for _, _, low in texts) for t in terms):
            continue
        score = sum(low.count(t) for _, _, low in texts for t in terms)
        found.append((-score, LABEL_ORDER[c["label"]], natural_key(c["id"]), c["id"], c, texts))
    found.sort(key=lambda x: x[:4])
    hits = [_hit(c, texts, terms[0], -score) for score, _, _, _, c, texts in found[: p.limit]]
    return Search(query=p.q, total=len(found), hits=hits)


def _hit(c: Row, texts: list[tuple[str, str, str]], term: str, score: int) -> Hit:
    """A hit on candidate ``c``, its snippet from the first field holding ``term``."""
    field, text = next((f, x) for f, x, low in texts if term in low)
    return Hit(
        id=c["id"],
        label=c["label"],
        name=display_name(c["label"], c),
        field=field,
        snippet=_snippet(text, term),
        score=float(score),
    )
