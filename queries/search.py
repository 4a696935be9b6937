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
id (natural order, then plain).  When every term is made of CJK characters, Neo4j checks and
scores the candidates itself (:func:`scored_in_cypher`: exactly as Python would) and sends
only ids, labels and scores; the fields are read for the hits shown.  Answers are kept per
store version (:func:`_kept`; any write makes a new one).  On the bundled sample::

    >>> r = search(store, "集成电路")                                # doctest: +SKIP
    >>> [h.id for h in r.hits][:2]                                   # doctest: +SKIP
    ['task:南通-2019:1', 'progress:a5df610ebdc608c2:1']
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, Field

from graph.errors import InvalidQuery
from graph.neo4j_cypher import fulltext_indexes, lucene_escape
from graph.schema import SCHEMA
from graph.store import GraphStore
from queries._common import (
    CommaSplit,
    Row,
    VersionedCache,
    _Embedded,
    embedded,
    lab,
    natural_key,
    per_graph,
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


def _index(s: _Embedded) -> _Index:
    """The token index, built once per graph object (:func:`~queries._common.per_graph`)."""

    def build() -> _Index:
        g = s.graph
        postings: dict[str, set[str]] = defaultdict(set)
        rows: dict[str, Row] = {}
        for label, fields in FIELDS.items():
            for n in s.ids_with_label(label):
                p = g.nodes[n]["props"]
                rows[n] = _row(n, label, p)
                for text in _texts(p, fields):
                    for tok in tokens(text):
                        postings[tok].add(n)
        return _Index(postings=dict(postings), rows=rows)

    return per_graph(s.graph, ("search",), build)


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
Scored = tuple[int, str, str, Row | None]
"""A hit: (score, label, id, candidate row, or ``None`` when only Neo4j has read it)."""
_CJK_TERM = re.compile(rf"[{_CJK}]+")


def scored_in_cypher(terms: list[str]) -> bool:
    """Whether Neo4j can check and score ``terms`` on the stored text exactly as :func:`search`
    does on normalised text: when every term is made of CJK characters.  :func:`normalise`
    leaves those characters alone and makes none of them from other characters, so a text's
    CJK runs are the same before and after it, and a CJK-only term occurs (and is counted,
    non-overlapping, left to right) the same in both.

    >>> scored_in_cypher(["集成电路", "港"]), scored_in_cypher(["pm2.5浓度"])
    (True, False)
    """
    return all(_CJK_TERM.fullmatch(t) for t in terms)


def _texts_cypher(props: tuple[str, ...], label: str) -> str:
    """Cypher for node ``n``'s values of ``props`` as one list of strings (lists flattened),
    the values :func:`_row` puts in ``texts``."""
    parts = [
        f"coalesce(n.`{f}`, [])"
        if (p := SCHEMA.label(label).prop(f)) and p.type.startswith("list")
        else f"[n.`{f}`]"
        for f in props
    ]
    return f"[x IN {' + '.join(parts)} WHERE x IS :: STRING]"


def _scored_cypher(indexes: list[str]) -> str:
    """Cypher: the nodes of ``$labels`` matching Lucene query ``$q`` in ``indexes`` that hold
    every term of ``$terms``, and how often: occurrences counted with ``split``, without
    overlaps, left to right, as ``str.count`` counts them.  One record per label holding flat
    lists of ids and scores: thousands of small lists cost the driver far more."""
    branches = []
    for name in indexes:
        covered, props = fulltext_indexes()[name]
        branches.append(
            f"CALL db.index.fulltext.queryNodes('{name}', $q) YIELD node AS n "
            "WITH n, [l IN labels(n) WHERE l IN $labels][0] AS label WHERE label IS NOT NULL "
            f"WITH n, label, {_texts_cypher(props, covered[0])} AS texts "
            "WITH n, label, [t IN $terms | "
            "reduce(c = 0, x IN texts | c + size(split(x, t)) - 1)] AS counts "
            "WHERE all(c IN counts WHERE c > 0) "
            "RETURN label, collect(n.id) AS ids, "
            "collect(reduce(s = 0, c IN counts | s + c)) AS scores"
        )
    return " UNION ALL ".join(branches)


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


def _fulltext_indexes(store: GraphStore, labels: list[str]) -> list[str]:
    """Names of the full-text indexes covering some of ``labels`` (made sure to exist)."""
    if store not in _READY:  # the full-text indexes exist once the schema does
        ensure = getattr(store, "ensure_schema", None)
        if ensure is not None:
            ensure()
        _READY.add(store)
    return [name for name, (covered, _) in fulltext_indexes().items() if set(covered) & set(labels)]


def _lucene(q: str, need: list[str]) -> str:
    """The Lucene query for the candidates: every required token (``+a +b``; Han bigrams, so
    nothing to escape), or without any, ``q``'s tokens (escaped, as ``store.fulltext``)."""
    return " ".join(f"+{t}" for t in need) if need else lucene_escape(q).strip()


def _neo4j_candidates(store: GraphStore, q: str, labels: list[str], need: list[str]) -> list[Row]:
    """Nodes holding every required token (Lucene ``+a +b``) in one query; without required
    tokens, nodes sharing any token with ``q`` (``store.fulltext``), then their fields."""
    if not need:
        fulltext = getattr(store, "fulltext", None)
        if fulltext is None:
            raise InvalidQuery("this Neo4j store offers no full-text search")
        ids = sorted({i for i, _ in fulltext(q, labels, 100_000)})
        return (
            store.read_cypher(
                HYDRATE, {"ids": ids, "labels": labels}, row_cap=1_000_000, plan_check=False
            )
            if ids
            else []
        )
    return store.read_cypher(
        _fulltext_cypher(_fulltext_indexes(store, labels)),
        {"q": _lucene(q, need), "labels": labels},
        row_cap=1_000_000,
        plan_check=False,
    )


def _neo4j_scored(
    store: GraphStore, q: str, labels: list[str], need: list[str], terms: list[str]
) -> list[Scored]:
    """Hits checked and scored by Neo4j (for :func:`scored_in_cypher` terms): only their id,
    label and score leave the server."""
    records = store.read_cypher(
        _scored_cypher(_fulltext_indexes(store, labels)),
        {"q": _lucene(q, need), "labels": labels, "terms": terms},
        row_cap=1_000_000,
        plan_check=False,
    )
    return [
        (score, r["label"], i, None)
        for r in records
        for i, score in zip(r["ids"], r["scores"], strict=True)
    ]


def _neo4j_rows(store: GraphStore, ids: list[str], labels: list[str]) -> dict[str, Row]:
    """The candidate rows of nodes ``ids`` (the hits shown), by id."""
    if not ids:
        return {}
    rows = store.read_cypher(
        HYDRATE, {"ids": ids, "labels": labels}, row_cap=1_000_000, plan_check=False
    )
    return {r["id"]: _row(r["id"], r["label"], r) for r in rows}


def _candidates(store: GraphStore, q: str, labels: list[str], need: list[str]) -> list[Row]:
    """Nodes that may hold every term of ``q``, with the fields needed to check and show them:
    those holding all ``need`` tokens when there are some, else those sharing a token with ``q``
    (full-text indexes on Neo4j; an equivalent token index on the embedded store)."""
    if store.backend == "neo4j":
        return [_row(r["id"], r["label"], r) for r in _neo4j_candidates(store, q, labels, need)]
    index = _index(embedded(store))
    if need:
        postings = sorted((index.postings.get(t, set()) for t in need), key=len)
        found = set(postings[0]).intersection(*postings[1:])
    else:
        found = set().union(*(index.postings.get(t, set()) for t in tokens(q)))
    wanted = set(labels)
    return [row for n in found if (row := index.rows[n])["label"] in wanted]


def _scored(store: GraphStore, q: str, labels: list[str], terms: list[str]) -> list[Scored]:
    """Every hit as (score, label, id, candidate row): nodes holding every term, scored by
    the terms' occurrences.  Neo4j checks and scores CJK-only terms itself and leaves the
    row out (``None``: read later, for the hits shown); otherwise Python does, on the rows."""
    need = required_tokens(terms)
    if store.backend == "neo4j" and scored_in_cypher(terms):
        return _neo4j_scored(store, q, labels, need, terms)
    found: list[Scored] = []
    for c in _candidates(store, q, labels, need):
        texts = c["texts"]
        if all(any(t in low for _, _, low in texts) for t in terms):
            score = sum(low.count(t) for _, _, low in texts for t in terms)
            found.append((score, c["label"], c["id"], c))
    return found


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
    return _kept(store, (p.q, tuple(wanted), p.limit), lambda: _search(store, p.q, wanted, p.limit))


def _search(store: GraphStore, q: str, wanted: list[str], limit: int) -> Search:
    terms = [normalise(t) for t in q.split()]
    if not tokens(q):
        return Search(query=q, total=0, hits=[])
    found = _scored(store, q, wanted, terms)
    top = _best(found, limit)
    rows = _neo4j_rows(store, [i for _, _, i, row in top if row is None], wanted)
    hits = [
        _hit(c, c["texts"], terms[0], score)
        for score, _, i, row in top
        if (c := row if row is not None else rows.get(i)) is not None
    ]
    return Search(query=q, total=len(found), hits=hits)


SEARCHES_KEPT = 64  # per store object: answers for this many (q, labels, limit)
_SEARCHES = VersionedCache(SEARCHES_KEPT)


def _kept(store: GraphStore, key: tuple[Any, ...], compute: Callable[[], Search]) -> Search:
    """``compute()`` once per store object, version and ``key``, in a pool of its own; a copy."""
    return _SEARCHES.get(store, key, compute).model_copy(deep=True)


def _best(found: list[Scored], limit: int) -> list[Scored]:
    """The first ``limit`` of ``found`` by score (more first), label, then id (natural order,
    then plain).  Natural keys cost microseconds each, so only the hits tied with the first
    ``limit`` on score and label get one (sorting thousands of hits by them took ms)."""
    found.sort(key=lambda x: (-x[0], LABEL_ORDER[x[1]]))
    stop = min(limit, len(found))
    while 0 < stop < len(found) and found[stop][:2] == found[stop - 1][:2]:
        stop += 1
    head = found[:stop]
    head.sort(key=lambda x: (-x[0], LABEL_ORDER[x[1]], natural_key(x[2]), x[2]))
    return head[:limit]


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
