"""Where is responsibility shared?  Pairs of departments and the tasks they share, ranked.

Also the whole department x task matrix (:func:`responsibility_matrix`), exportable as CSV
(:func:`responsibility_matrix_csv`).  A cell says how the department is involved:
``L`` leads by assignment, ``l`` leads by inference only, ``A`` / ``a`` the same for assisting
(``La``: leads by assignment and is guessed to assist too); empty when not involved.  On the
bundled sample (inferred departments)::

    >>> r = shared_responsibility(store, limit=1)                   # doctest: +SKIP
    >>> (r.pairs[0].a_name, r.pairs[0].b_name, r.pairs[0].shared)   # doctest: +SKIP
    ('市发展和改革委员会', '市工业和信息化局', 3)
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from typing import Any

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._common import (
    PlanRef,
    Row,
    _Embedded,
    fetch_packed,
    lab,
    natural_key,
    packed,
    pair_counts,
    rels,
    rnd,
    validated,
    whole_graph_answer,
    with_property,
)
from queries._responsibility import Source

__all__ = [
    "COLUMNS",
    "CYPHER",
    "MATCH",
    "PLAN_MATCH",
    "MatrixParams",
    "MatrixRow",
    "ResponsibilityMatrix",
    "SharedPair",
    "SharedResponsibility",
    "SharedResponsibilityParams",
    "dense_cells",
    "responsibility_matrix",
    "responsibility_matrix_csv",
    "shared_responsibility",
]

_LINKS = f"-[r:{rels('LEADS', 'ASSISTS')}]->"
_GROUPED = (
    "WITH d, type(r) AS role, r.source AS source, collect(t.id) AS tasks, "
    "collect(t.number) AS numbers"
)
COLUMNS = (
    ("department", "d.id"),
    ("name", "d.name"),
    ("role", "role"),
    ("source", "source"),
    ("tasks", "tasks"),
    ("numbers", "numbers"),
)
MATCH = (
    f"MATCH (d:{lab('Department')}){_LINKS}(t:{lab('Task')}) "
    f"WHERE $source IS NULL OR r.source = $source {_GROUPED}"
)
PLAN_MATCH = (
    f"MATCH (t:{lab('Task')} {{plan: $plan}}) MATCH (d:{lab('Department')}){_LINKS}(t) "
    f"WHERE $source IS NULL OR r.source = $source {_GROUPED}"
)
"""The same for one plan, from the plan's tasks (``Task.plan`` is indexed)."""
CYPHER = packed(MATCH, COLUMNS)
"""Every department's tasks, one row per (department, role, source) with the task ids and
numbers in parallel lists (numbers are required, so ``collect`` drops none), packed."""


class SharedResponsibilityParams(BaseModel):
    source: Source | None = Field(None, description="Only assignment or only inferred edges.")
    plan: PlanRef = Field(None, description="Only tasks of this plan (南通-2019 or its id).")
    min_shared: int = Field(1, ge=1, description="Smallest number of shared tasks.")
    limit: int = Field(50, ge=1, le=10_000, description="Most pairs returned.")


class SharedPair(BaseModel):
    a_id: str
    a_name: str
    b_id: str
    b_name: str
    shared: int = Field(description="Tasks both departments lead or assist.")
    jaccard: float = Field(description="shared / tasks of either.")
    task_ids: list[str]
    task_numbers: list[int]


class SharedResponsibility(BaseModel):
    pairs: list[SharedPair]
    total_pairs: int


class MatrixParams(BaseModel):
    source: Source | None = Field(None, description="Only assignment or only inferred edges.")
    plan: PlanRef = Field(None, description="Only tasks of this plan (南通-2019 or its id).")


class MatrixRow(BaseModel):
    """One department's non-empty cells: ``codes[k]`` is its involvement in task
    ``columns[k]`` (column numbers ascending)."""

    columns: list[int]
    codes: list[str] = Field(description="L/l lead, A/a assist; upper case = assignment.")


class ResponsibilityMatrix(BaseModel):
    """The department x task matrix, sparse (row by row, only the cells that are not empty):
    its size follows the responsibility edges, not departments x tasks.  :func:`dense_cells`
    gives the full table (of one plan, say)."""

    departments: list[str] = Field(description="Department ids, one per row.")
    department_names: list[str]
    tasks: list[str] = Field(description="Task ids, one per column.")
    task_numbers: list[int]
    rows: list[MatrixRow] = Field(description="One per department, in the same order.")


def _links(store: GraphStore, source: str | None, plan: str | None) -> list[Row]:
    """Rows ``department, name, role, source, tasks, numbers``: a department's tasks reached
    by one role from one source (tasks and their numbers in parallel lists).

    Kept per store version, for both questions: read them, never change them.
    """
    key = ("responsibility_links", source, plan)
    return whole_graph_answer(store, key, lambda: _fetch_links(store, source, plan))


def _fetch_links(store: GraphStore, source: str | None, plan: str | None) -> list[Row]:

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        nodes, pred, succ = g._node, g._pred, g._succ
        grouped: dict[tuple[str, str, Any], list[str]] = defaultdict(list)
        if plan is None:  # every department's edges to tasks
            pairs = (
                (d, t, keyed)
                for d in s.ids_with_label("Department")
                for t, keyed in succ[d].items()
                if nodes[t]["label"] == "Task"
            )
        else:  # the edges into the plan's tasks
            pairs = (
                (d, t, keyed)
                for t in with_property(s, "Task", "plan", plan)
                for d, keyed in pred[t].items()
                if nodes[d]["label"] == "Department"
            )
        for d, t, keyed in pairs:
            for e in keyed.values():
                if e["type"] in ("LEADS", "ASSISTS"):
                    src = e["props"].get("source")
                    if source is None or src == source:
                        grouped[(d, e["type"], src)].append(t)
        return [
            {
                "department": d,
                "name": nodes[d]["props"].get("name"),
                "role": role,
                "source": src,
                "tasks": ts,
                "numbers": [nodes[t]["props"].get("number") for t in ts],
            }
            for (d, role, src), ts in grouped.items()
        ]

    match = MATCH if plan is None else PLAN_MATCH
    return fetch_packed(store, match, COLUMNS, {"source": source, "plan": plan}, walk)


def shared_responsibility(
    store: GraphStore,
    source: str | None = None,
    plan: str | None = None,
    min_shared: int = 1,
    limit: int = 50,
) -> SharedResponsibility:
    """Department pairs by the number of tasks they share (then Jaccard, then ids).

    Pairs are counted task by task (a task has a handful of departments); the models are
    built for the ``limit`` pairs returned only.  Cached per store version.
    """
    p = validated(
        SharedResponsibilityParams, source=source, plan=plan, min_shared=min_shared, limit=limit
    )
    key = ("shared_responsibility", p.source, p.plan, p.min_shared, p.limit)
    return whole_graph_answer(store, key, lambda: _shared(store, p))


def _shared(store: GraphStore, p: SharedResponsibilityParams) -> SharedResponsibility:
    tasks_of: dict[str, set[str]] = defaultdict(set)
    names: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for r in _links(store, p.source, p.plan):
        tasks_of[r["department"]].update(r["tasks"])
        names[r["department"]] = r["name"]
        numbers.update(zip(r["tasks"], r["numbers"], strict=True))
    counts = pair_counts(tasks_of)
    kept = [(pair, n) for pair, n in counts.items() if n >= p.min_shared]
    top = _top_pairs(kept, {d: len(ts) for d, ts in tasks_of.items()}, p.limit)
    pairs = []
    for (a, b), n, jaccard in top:
        both = sorted(tasks_of[a] & tasks_of[b], key=natural_key)
        pairs.append(
            SharedPair(
                a_id=a,
                a_name=names[a],
                b_id=b,
                b_name=names[b],
                shared=n,
                jaccard=jaccard,
                task_ids=both,
                task_numbers=[numbers[t] for t in both],
            )
        )
    return SharedResponsibility(pairs=pairs, total_pairs=len(kept))


def _top_pairs(
    pairs: list[tuple[tuple[str, str], int]], sizes: dict[str, int], limit: int
) -> list[tuple[tuple[str, str], int, float]]:
    """The first ``limit`` pairs by shared tasks (most first), Jaccard, then natural ids.

    Pairs are bucketed by their shared count first, so the full sort key (a rounded
    Jaccard and two natural keys) is built only for the buckets that reach the answer.
    """
    buckets: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for pair, n in pairs:
        buckets[n].append(pair)
    keys: dict[str, tuple[Any, ...]] = {}

    def nk(d: str) -> tuple[Any, ...]:
        if d not in keys:
            keys[d] = natural_key(d)
        return keys[d]

    out: list[tuple[tuple[str, str], int, float]] = []
    for n in sorted(buckets, reverse=True):
        if len(out) >= limit:
            break
        ranked = sorted(
            (
                (-(rnd(n / (sizes[a] + sizes[b] - n)) or 0.0), nk(a), nk(b), a, b)
                for a, b in buckets[n]
            )
        )
        out += [((a, b), n, -j) for j, _, _, a, b in ranked[: limit - len(out)]]
    return out


def responsibility_matrix(
    store: GraphStore, source: str | None = None, plan: str | None = None
) -> ResponsibilityMatrix:
    """Every department (rows) against every task it touches (columns), sparse: its size
    follows the responsibility edges, not departments x tasks.  Cached per store version."""
    p = validated(MatrixParams, source=source, plan=plan)
    key = ("responsibility_matrix", p.source, p.plan)
    return whole_graph_answer(store, key, lambda: _matrix(store, p.source, p.plan))


def _bit(role: str, source: str | None) -> int:
    """A cell's letters as bits: 1 ``L``, 2 ``l``, 4 ``A``, 8 ``a`` (upper case: assignment)."""
    bit = 1 if role == "LEADS" else 4
    return bit if source == "assignment" else bit * 2


_CODE = {
    bits: ("L" if bits & 1 else "l" if bits & 2 else "")
    + ("A" if bits & 4 else "a" if bits & 8 else "")
    for bits in range(16)
}
"""``L`` over ``l``, then ``A`` over ``a`` (``La``: leads by assignment, guessed to assist)."""


def _matrix(store: GraphStore, source: str | None, plan: str | None) -> ResponsibilityMatrix:
    bits: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    names: dict[str, str] = {}
    numbers: dict[str, int] = {}
    for r in _links(store, source, plan):
        letter = _bit(r["role"], r["source"])
        d = r["department"]
        names[d] = r["name"]
        numbers.update(zip(r["tasks"], r["numbers"], strict=True))
        held = bits[d]
        for t in r["tasks"]:
            held[t] |= letter
    departments = sorted(names, key=natural_key)
    tasks = sorted(numbers, key=natural_key)
    column = {t: j for j, t in enumerate(tasks)}
    rows = []
    for d in departments:
        row = sorted((column[t], _CODE[b]) for t, b in bits[d].items())
        rows.append({"columns": [j for j, _ in row], "codes": [c for _, c in row]})
    return ResponsibilityMatrix.model_validate(
        {
            "departments": departments,
            "department_names": [names[d] for d in departments],
            "tasks": tasks,
            "task_numbers": [numbers[t] for t in tasks],
            "rows": rows,
        }
    )


def dense_cells(m: ResponsibilityMatrix) -> list[list[str]]:
    """The matrix as one row of codes per department ('' where not involved)."""
    dense = []
    for row in m.rows:
        cells = [""] * len(m.tasks)
        for j, code in zip(row.columns, row.codes, strict=True):
            cells[j] = code
        dense.append(cells)
    return dense


def responsibility_matrix_csv(
    store: GraphStore, source: str | None = None, plan: str | None = None
) -> str:
    """The matrix as CSV: ``department`` then one column per task (its number, or its id
    when several plans are present)."""
    m = responsibility_matrix(store, source, plan)
    one_plan = len({t.rsplit(":", 1)[0] for t in m.tasks}) <= 1
    header = [str(n) if one_plan else t for t, n in zip(m.tasks, m.task_numbers, strict=True)]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["department", *header])
    for name, row in zip(m.department_names, dense_cells(m), strict=True):
        w.writerow([name, *row])
    return buf.getvalue()
