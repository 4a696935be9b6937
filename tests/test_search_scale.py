"""Search checked and scored by Neo4j itself, a partial sort, and answers kept per version.

Neo4j checks and scores CJK-only terms in Cypher (``CONTAINS``, ``split``) and sends only ids,
labels and scores; other terms (Latin, digits, punctuation, mixed) are checked in Python on
the fetched texts.  Both must give what a plain scan of every node gives, on both stores.
"""

from __future__ import annotations

import random
import re
import sys
from typing import Any

import pytest

from graph.records import DocumentRecords
from graph.store import GraphStore
from queries import search as search_module
from queries._common import natural_key
from queries.search import (
    _CJK,
    FIELDS,
    LABEL_ORDER,
    _best,
    normalise,
    required_tokens,
    scored_in_cypher,
    search,
    tokens,
)
from tests.fixtures_graph import fixture_records

ODD = (
    "举办江海文化节，哈哈哈哈；ＰＭ２．５浓度与PM2.5浓度，集装箱码头集装箱码头、"
    "江海港区 Port-2 港（三厂）"
)
QUERIES = (
    "集装箱码头",  # CJK only: scored by Neo4j
    "集装箱码头 集装箱码头",  # a repeated term counts twice
    "码头 集装箱",
    "哈哈",  # occurrences without overlap: 哈哈哈哈 holds two
    "哈哈哈",
    "江海 港区",
    "港",  # a lone character: no required bigram
    "PM2.5浓度",  # mixed Latin / Han
    "ｐｍ２．５",  # full-width, no Han
    "pm2.5",
    "port-2",
    "集装箱码头、",  # punctuation in a term
    "（三厂）",
    "江海,港区",
    "文化节 pm2.5",  # a Han term and a Latin term
    "市发改委",  # an alias
    "不存在的词",
)


def _records() -> list[DocumentRecords]:
    """The fixture graph, task 5's text replaced by :data:`ODD`."""
    h1, q3 = fixture_records()
    for node in h1.nodes:
        if node.id.endswith(":5") and node.label == "Task":
            node.properties["text"] = ODD
    return [h1, q3]


def _texts(node: Any) -> list[str]:
    values = [node.properties.get(f) for f in FIELDS[node.label]]
    return [str(x) for v in values if v for x in (v if isinstance(v, list) else [v])]


def _expected(store: GraphStore, q: str) -> list[tuple[str, float]]:
    """(id, score) of every hit, best first, by a scan of every node."""
    terms = [normalise(t) for t in q.split()]
    need = set(required_tokens(terms))
    found = []
    for label in FIELDS:
        for n in store.nodes(label):
            texts = [normalise(x) for x in _texts(n)]
            held = {tok for x in texts for tok in tokens(x)}
            if not (need <= held if need else tokens(q) & held):
                continue
            if all(any(t in x for x in texts) for t in terms):
                score = sum(x.count(t) for x in texts for t in terms)
                found.append((-score, LABEL_ORDER[label], natural_key(n.id), n.id))
    return [(i, float(-s)) for s, _, _, i in sorted(found)]


def test_normalise_keeps_cjk_characters_and_makes_none() -> None:
    """Why Neo4j may check CJK-only terms on the stored text: for every code point,
    normalising keeps a CJK character as it is and turns any other into non-CJK text."""
    cjk = re.compile(rf"[{_CJK}]")
    for cp in range(sys.maxunicode + 1):
        c = chr(cp)
        out = normalise(c)
        if cjk.fullmatch(c):
            assert out == c, hex(cp)
        else:
            assert out and not cjk.search(out), hex(cp)


def test_which_terms_neo4j_scores() -> None:
    assert scored_in_cypher(["集成电路", "港", "ひらがな", "한국"])
    for terms in (["pm2.5浓度"], ["集成电路、"], ["pm2.5"], ["集成电路", "5g"], ["（三厂）"]):
        assert not scored_in_cypher(terms), terms


def test_search_matches_a_scan_on_edge_cases(store: GraphStore) -> None:
    for records in _records():
        store.write(records)
    for q in QUERIES:
        expected = _expected(store, q)
        found = search(store, q, limit=1000)
        assert [(h.id, h.score) for h in found.hits] == expected, q
        assert found.total == len(expected), q
        for limit in (1, 2, 3):
            top = search(store, q, limit=limit)
            assert [(h.id, h.score) for h in top.hits] == expected[:limit], (q, limit)
            assert top.total == len(expected), q
    odd = search(store, "哈哈").hits
    assert [(h.id, h.score, h.field) for h in odd] == [("task:江海-2019:5", 2.0, "text")]
    assert search(store, "集装箱码头 集装箱码头").hits[0].score == 4.0
    assert search(store, "集装箱码头", labels=["Project"]).hits[0].label == "Project"


def test_best_is_a_full_sort_cut_to_limit() -> None:
    rng = random.Random(7)
    labels = list(FIELDS)
    for _ in range(200):
        found: list[Any] = [
            (rng.randint(1, 3), rng.choice(labels[:3]), f"task:p:{rng.randint(1, 40)}", None)
            for _ in range(rng.randint(0, 30))
        ]
        full = sorted(found, key=lambda x: (-x[0], LABEL_ORDER[x[1]], natural_key(x[2]), x[2]))
        limit = rng.randint(1, 35)
        assert _best(list(found), limit) == full[:limit]


def test_kept_answers_follow_writes_and_are_copies(store: GraphStore) -> None:
    h1, q3 = _records()
    store.write(h1)
    first = search(store, "集装箱码头")
    first.hits.clear()  # a caller changing its answer does not change the kept one
    again = search(store, "集装箱码头")
    assert again.hits and again.total == first.total
    store.write(q3)  # a write: a new version, answered afresh
    assert search(store, "水污染").total >= 1
    assert search(store, "集装箱码头").total == len(_expected(store, "集装箱码头"))


def test_kept_answers_are_bounded(store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    store.write(_records()[0])
    monkeypatch.setattr(search_module._SEARCHES, "keep", 2)
    for q in ("集装箱", "码头", "江海", "港区"):
        search(store, q)
    assert len(search_module._SEARCHES._kept[store][1]) == 2
