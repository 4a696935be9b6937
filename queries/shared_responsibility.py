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
from itertools import combinations

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._common import (
    Row,
    _Embedded,
    edges_in,
    fetch,
    lab,
    natural_key,
    props,
    rels,
    rnd,
    validated,
)
from queries._responsibility import Source

__all__ = [
    "CYPHER",
    "MatrixParams",
    "ResponsibilityMatrix",
    "SharedPair",
    "SharedResponsibility",
    "SharedResponsibilityParams",
    "responsibility_matrix",
    "responsibility_matrix_csv",
    "shared_responsibility",
]

CYPHER = (
    f"MATCH (d:{lab('Department')})-[r:{rels('LEADS', 'ASSISTS')}]->(t:{lab('Task')}) "
    "WHERE ($source IS NULL OR r.source = $source) AND ($plan IS NULL OR t.plan = $plan) "
    "RETURN d.id AS department, d.name AS name, t.id AS task, t.number AS number, "
    "t.plan AS plan, type(r) AS role, r.source AS source"
)


class SharedResponsibilityParams(BaseModel):
    source: Source | None = Field(None, description="Only assignment or only inferred edges.")
    plan: str | None = Field(None, description="Only tasks of this plan id.")
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
    plan: str | None = Field(None, description="Only tasks of this plan id.")


class ResponsibilityMatrix(BaseModel):
    departments: list[str] = Field(description="Department ids, one per row.")
    department_names: list[str]
    tasks: list[str] = Field(description="Task ids, one per column.")
    task_numbers: list[int]
    cells: list[list[str]] = Field(description="L/l lead, A/a assist; upper case = assignment.")


def _rows(store: GraphStore, source: str | None, plan: str | None) -> list[Row]:
    def walk(s: _Embedded) -> list[Row]:
        g, out = s.graph, []
        for t in s.ids_with_label("Task"):
            tp = props(g, t)
            if plan is not None and tp.get("plan") != plan:
                continue
            for d, typ, e in edges_in(g, t, ["LEADS", "ASSISTS"], "Department"):
                if source is None or e.get("source") == source:
                    out.append(
                        {
                            "department": d,
                            "name": props(g, d).get("name"),
                            "task": t,
                            "number": tp.get("number"),
                            "plan": tp.get("plan"),
                            "role": typ,
                            "source": e.get("source"),
                        }
                    )
        return out

    return fetch(store, CYPHER, {"source": source, "plan": plan}, walk)


def shared_responsibility(
    store: GraphStore,
    source: str | None = None,
    plan: str | None = None,
    min_shared: int = 1,
    limit: int = 50,
) -> SharedResponsibility:
    """Department pairs by the number of tasks they share (then Jaccard, then ids)."""
    p = validated(
        SharedResponsibilityParams, source=source, plan=plan, min_shared=min_shared, limit=limit
    )
    rows = _rows(store, p.source, p.plan)
    tasks_of: dict[str, set[str]] = defaultdict(set)
    names, numbers = {}, {}
    for r in rows:
        tasks_of[r["department"]].add(r["task"])
        names[r["department"]] = r["name"]
        numbers[r["task"]] = r["number"]
    by_task: dict[str, set[str]] = defaultdict(set)
    for d, ts in tasks_of.items():
        for t in ts:
            by_task[t].add(d)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for t, ds in by_task.items():
        for a, b in combinations(sorted(ds), 2):
            shared[(a, b)].add(t)
    pairs = [
        SharedPair(
            a_id=a,
            a_name=names[a],
            b_id=b,
            b_name=names[b],
            shared=len(ts),
            jaccard=rnd(len(ts) / len(tasks_of[a] | tasks_of[b])) or 0.0,
            task_ids=sorted(ts, key=natural_key),
            task_numbers=[numbers[t] for t in sorted(ts, key=natural_key)],
        )
        for (a, b), ts in shared.items()
        if len(ts) >= p.min_shared
    ]
    pairs.sort(key=lambda x: (-x.shared, -x.jaccard, natural_key(x.a_id), natural_key(x.b_id)))
    return SharedResponsibility(pairs=pairs[: p.limit], total_pairs=len(pairs))


def responsibility_matrix(
    store: GraphStore, source: str | None = None, plan: str | None = None
) -> ResponsibilityMatrix:
    """Every department (rows) against every task it touches (columns)."""
    p = validated(MatrixParams, source=source, plan=plan)
    rows = _rows(store, p.source, p.plan)
    codes: dict[tuple[str, str], set[str]] = defaultdict(set)
    names, numbers = {}, {}
    for r in rows:
        letter = "L" if r["role"] == "LEADS" else "A"
        codes[(r["department"], r["task"])].add(
            letter if r["source"] == "assignment" else letter.lower()
        )
        names[r["department"]] = r["name"]
        numbers[r["task"]] = r["number"]
    departments = sorted(names, key=natural_key)
    tasks = sorted(numbers, key=natural_key)

    def cell(d: str, t: str) -> str:
        got = codes.get((d, t), set())
        lead = "L" if "L" in got else ("l" if "l" in got else "")
        assist = "A" if "A" in got else ("a" if "a" in got else "")
        return lead + assist

    return ResponsibilityMatrix(
        departments=departments,
        department_names=[names[d] for d in departments],
        tasks=tasks,
        task_numbers=[numbers[t] for t in tasks],
        cells=[[cell(d, t) for t in tasks] for d in departments],
    )


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
    for name, row in zip(m.department_names, m.cells, strict=True):
        w.writerow([name, *row])
    return buf.getvalue()
