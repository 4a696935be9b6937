"""The scale measures of the row queries (issue #8), on both stores.

Whole-graph answers (shared responsibility, the matrix, target progress) are kept per store
version: a write or a deletion must show at once, and match what a fresh store object (no
kept answers) computes.  The matrix is sparse; the ranking builds models for the top pairs
only; one-plan questions start from the plan's tasks.  Each must give what the plain
definition gives.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from graph.embedded import EmbeddedStore
from graph.store import GraphStore
from queries._common import whole_graph_answer
from queries.report_diff import report_diff
from queries.shared_responsibility import (
    dense_cells,
    responsibility_matrix,
    responsibility_matrix_csv,
    shared_responsibility,
)
from queries.target_progress import target_progress
from tests.fixtures_graph import PLAN, REPORT_H1, REPORT_Q3, fixture_records

WHOLE_GRAPH: list[tuple[Any, dict[str, Any]]] = [
    (shared_responsibility, {}),
    (shared_responsibility, {"source": "assignment", "limit": 1}),
    (responsibility_matrix, {}),
    (responsibility_matrix, {"source": "inferred"}),
    (target_progress, {}),
    (target_progress, {"status": "met"}),
]


def reopened(store: GraphStore) -> GraphStore:
    """Another store object on the same data: it has no kept answers."""
    if isinstance(store, EmbeddedStore):
        assert store.path is not None
        return EmbeddedStore(store.path)
    from graph.neo4j_store import Neo4jStore

    assert isinstance(store, Neo4jStore)
    return Neo4jStore(store.driver, database=store.database)


def answers(store: GraphStore) -> list[dict[str, Any]]:
    return [func(store, **params).model_dump() for func, params in WHOLE_GRAPH]


def test_kept_answers_follow_writes_and_deletions(store: GraphStore) -> None:
    """(A deletion keeps the later report's figures on the targets: ``latest`` properties
    are not rolled back, so only the fresh object is the reference there.)"""
    h1, q3 = fixture_records()
    store.write(h1)
    before = answers(store)
    assert answers(store) == before  # kept, and unchanged
    assert shared_responsibility(store) is shared_responsibility(store)
    store.write(q3)
    after = answers(store)
    assert after == answers(reopened(store))
    assert after != before  # Q3 brings figures: target 2:1 goes from 40 to 120 of 100
    met = target_progress(store, status="met")
    assert "target:江海-2019:2:1" in [t.target_id for t in met.targets]
    store.delete_report(REPORT_Q3)
    assert answers(store) == answers(reopened(store))


def test_kept_answer_is_not_changed_by_a_filter(store: GraphStore) -> None:
    for records in fixture_records():
        store.write(records)
    every = target_progress(store)
    met = target_progress(store, status="met")
    assert 0 < len(met.targets) < len(every.targets)
    assert target_progress(store).targets == every.targets
    assert met.counts == every.counts


class _Unversioned(EmbeddedStore):
    def version(self) -> None:  # type: ignore[override]
        return None


def test_a_store_without_version_is_not_cached(tmp_path: Path) -> None:
    store = _Unversioned(tmp_path / "g.pickle")
    calls: list[int] = []

    class Answer(BaseModel):
        n: int

    def compute() -> Answer:
        calls.append(1)
        return Answer(n=len(calls))

    assert whole_graph_answer(store, ("k",), compute).n == 1
    assert whole_graph_answer(store, ("k",), compute).n == 2


def test_kept_answers_are_per_key(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.pickle")

    class Answer(BaseModel):
        key: str

    assert whole_graph_answer(store, ("a",), lambda: Answer(key="a")).key == "a"
    assert whole_graph_answer(store, ("b",), lambda: Answer(key="b")).key == "b"
    assert whole_graph_answer(store, ("a",), lambda: Answer(key="x")).key == "a"


# -- the sparse matrix ---------------------------------------------------------------------------
def test_matrix_is_sparse_and_ordered(store: GraphStore) -> None:
    for records in fixture_records():
        store.write(records)
    m = responsibility_matrix(store)
    assert len(m.rows) == len(m.departments)
    for row in m.rows:
        assert row.columns == sorted(set(row.columns))  # column order, each cell once
        assert len(row.codes) == len(row.columns) and all(row.codes)
    dense = dense_cells(m)
    assert len(dense) == len(m.departments) and all(len(r) == len(m.tasks) for r in dense)
    assert sum(1 for row in dense for c in row if c) == sum(len(r.columns) for r in m.rows)
    names = dict(zip(m.departments, m.department_names, strict=True))
    assert dense[m.departments.index("department:江海:市交通运输局")][0] == "lA"
    assert names["department:江海:市交通运输局"] == "市交通运输局"
    assert responsibility_matrix_csv(store).splitlines()[2] == "市发展和改革委员会,L,l,,A"


def test_matrix_of_an_empty_store(store: GraphStore) -> None:
    m = responsibility_matrix(store)
    assert (m.departments, m.tasks, m.rows) == ([], [], [])
    assert responsibility_matrix_csv(store) == "department\n"


# -- one plan: walked from the plan's tasks ------------------------------------------------------
def test_one_plan_equals_the_whole_graph_of_one_plan(store: GraphStore) -> None:
    for records in fixture_records():
        store.write(records)
    assert responsibility_matrix(store, plan=PLAN) == responsibility_matrix(store)
    assert shared_responsibility(store, plan=PLAN) == shared_responsibility(store)
    assert target_progress(store, plan=PLAN) == target_progress(store)
    assert target_progress(store, plan="plan:nowhere-2019").targets == []
    assert shared_responsibility(store, plan="plan:nowhere-2019").total_pairs == 0
    assert responsibility_matrix(store, plan="plan:nowhere-2019").rows == []


def test_one_plan_index_follows_writes(store: GraphStore) -> None:
    h1, q3 = fixture_records()
    store.write(h1)
    before = target_progress(store, plan=PLAN, status="met").targets
    store.write(q3)
    after = target_progress(store, plan=PLAN, status="met").targets
    assert len(after) > len(before)
    d = report_diff(store, REPORT_H1, REPORT_Q3)
    assert [t.number for t in d.tasks] == [
        t.number for t in report_diff(store, "2019-H1", "2019-Q3").tasks
    ]
    assert d.tasks


# -- ranking: models for the top pairs only, the same order as a full sort -----------------------
@pytest.mark.parametrize("source", [None, "assignment", "inferred"])
def test_top_pairs_are_a_prefix_of_the_full_ranking(store: GraphStore, source: str | None) -> None:
    for records in fixture_records():
        store.write(records)
    full = shared_responsibility(store, source=source, limit=10_000)
    expected = sorted(full.pairs, key=lambda p: (-p.shared, -p.jaccard, p.a_id, p.b_id))
    assert full.pairs == expected
    for limit in range(1, len(full.pairs) + 1):
        top = shared_responsibility(store, source=source, limit=limit)
        assert top.pairs == full.pairs[:limit] and top.total_pairs == full.total_pairs
    two = shared_responsibility(store, source=source, min_shared=2, limit=10_000)
    assert two.pairs == [p for p in full.pairs if p.shared >= 2]
