"""How far has each quantitative target got?

Every target with the figure reported against it (the latest report's: ``actual_*``), the
completion ratio where the figure is comparable, and a status:

* ``no_figure`` - no report gave a figure for it;
* ``not_comparable`` - a figure exists but no ratio (different units, a zero target);
* for a ceiling (qualifier with 以下 / 以内 / 不超过 / 不高于 / 控制在 / 低于): ``met`` when
  ratio <= 1, else ``lagging``;
* otherwise ``met`` when ratio >= 1; ``on_track`` when ratio >= the share of the year the
  report period covers (Q1 0.25, H1 0.5, Q3 0.75, whole year 1.0; rates and shares, unit
  ``%`` or ``个百分点``, are not cumulative and expect 1.0); else ``lagging``.

Filter by chapter, department (id, name or alias; tasks it leads or assists), plan, status.
On the bundled sample (task 1 aims at 规模以上工业总产值 1.5万亿元; its H1 progress gives a
growth rate, not a total, so there is no comparable figure)::

    >>> r = target_progress(store, chapter=1)                     # doctest: +SKIP
    >>> [(t.number, t.value, t.unit, t.status) for t in r.targets][:1]   # doctest: +SKIP
    [(1, 1.5, '万亿元', 'no_figure')]

The rule itself::

    >>> target_status(0.52, True, "2019-H1", "亿元", "达")
    'on_track'
    >>> target_status(0.4, True, "2019-H1", "家", "新增")
    'lagging'
    >>> target_status(0.95, True, "2019-Q3", "微克/立方米", "以下")
    'met'
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from graph.store import GraphStore
from queries._common import (
    PlanRef,
    Row,
    _Embedded,
    edges_in,
    edges_out,
    fetch_packed,
    lab,
    natural_key,
    packed,
    rels,
    rnd,
    validated,
    whole_graph_answer,
    with_property,
)
from queries._resolve import resolve_entity

__all__ = [
    "COLUMNS",
    "CYPHER",
    "MATCHES",
    "STATUSES",
    "TargetProgress",
    "TargetProgressParams",
    "TargetRow",
    "completion",
    "department_progress",
    "expected_share",
    "target_progress",
    "target_status",
    "targets_of",
]

Status = Literal["met", "on_track", "lagging", "no_figure", "not_comparable"]
STATUSES: tuple[str, ...] = ("met", "on_track", "lagging", "not_comparable", "no_figure")
EXPECTED = {"Q1": 0.25, "H1": 0.5, "Q3": 0.75, "FY": 1.0}
RATE_UNITS = {"%", "％", "个百分点", "百分点"}
CEILING_WORDS = ("以下", "以内", "不超过", "不高于", "控制在", "低于")
FIELDS = (
    "metric",
    "value",
    "unit",
    "qualifier",
    "text",
    "actual_value",
    "actual_unit",
    "actual_text",
    "actual_period",
    "ratio",
)

_TARGETS = f"MATCH (t)-[:{rels('HAS_TARGET')}]->(g:{lab('Target')}) "
_FILTERS = (
    "WHERE ($chapter IS NULL OR t.chapter = $chapter) AND ($plan IS NULL OR t.plan = $plan) "
    "AND ($tasks IS NULL OR t.id IN $tasks) "
    f"AND ($department IS NULL OR EXISTS {{ MATCH (d:{lab('Department')})"
    f"-[:{rels('LEADS', 'ASSISTS')}]->(t) WHERE d.id = $department }}) "
)
COLUMNS = (
    ("task", "t.id"),
    ("number", "t.number"),
    ("plan", "t.plan"),
    ("chapter", "t.chapter"),
    ("target", "g.id"),
    *((f, f"g.{f}") for f in FIELDS),
)
MATCHES = {
    None: f"MATCH (t:{lab('Task')}) {_TARGETS}{_FILTERS}",
    "tasks": f"MATCH (t:{lab('Task')}) WHERE t.id IN $tasks {_TARGETS}{_FILTERS}",
    "department": (
        f"MATCH (:{lab('Department')} {{id: $department}})-[:{rels('LEADS', 'ASSISTS')}]->"
        f"(t:{lab('Task')}) WITH DISTINCT t {_TARGETS}{_FILTERS}"
    ),
    "plan": f"MATCH (t:{lab('Task')} {{plan: $plan}}) {_TARGETS}{_FILTERS}",
}
"""Targets of tasks (filtered by chapter, plan, tasks, department), started from the indexed
node that narrows the question most: the given tasks, the department, the plan, else every
task.  Returned as :data:`COLUMNS`, packed (see :func:`queries._common.packed`)."""
CYPHER = packed(MATCHES[None], COLUMNS)
"""The Cypher of the whole-graph question."""


class TargetProgressParams(BaseModel):
    chapter: int | None = Field(None, description="Only tasks of this chapter number.")
    department: str | None = Field(None, description="Only tasks this department leads/assists.")
    status: Status | None = Field(None, description="Only targets with this status.")
    plan: PlanRef = Field(None, description="Only tasks of this plan (南通-2019 or its id).")


class TargetRow(BaseModel):
    target_id: str
    task_id: str
    number: int
    plan: str
    chapter: int | None
    metric: str | None
    value: float
    unit: str | None
    qualifier: str | None
    text: str | None
    actual_value: float | None = None
    actual_unit: str | None = None
    actual_text: str | None = None
    actual_period: str | None = None
    ratio: float | None = None
    expected: float | None = Field(None, description="Share of the target due by the period.")
    status: Status


class TargetProgress(BaseModel):
    targets: list[TargetRow]
    counts: dict[str, int] = Field(description="Status -> number of targets (before filter).")


def expected_share(period: str | None, unit: str | None) -> float:
    """The share of a yearly target due by ``period`` (1.0 for rates and unknown periods)."""
    if unit in RATE_UNITS:
        return 1.0
    return EXPECTED.get((period or "").rpartition("-")[2], 1.0)


def completion(
    value: float | None,
    unit: str | None,
    actual: float | None,
    actual_unit: str | None,
    ratio: float | None,
) -> float | None:
    """The stored ratio, else actual / target when the units agree."""
    if actual is None:
        return None
    if ratio is not None:
        return rnd(ratio)
    if value and (actual_unit in (None, unit)):
        return rnd(actual / value)
    return None


def target_status(
    ratio: float | None,
    has_figure: bool,
    period: str | None,
    unit: str | None,
    qualifier: str | None,
) -> Status:
    """The status rule in the module docstring."""
    if not has_figure:
        return "no_figure"
    if ratio is None:
        return "not_comparable"
    if any(w in (qualifier or "") for w in CEILING_WORDS):
        return "met" if ratio <= 1.0 else "lagging"
    if ratio >= 1.0:
        return "met"
    return "on_track" if ratio >= expected_share(period, unit) else "lagging"


def target_row(r: Row) -> Row:
    """A :class:`TargetRow`'s fields from a fetched row (validated in bulk by :data:`ROWS`)."""
    ratio = completion(r["value"], r["unit"], r["actual_value"], r["actual_unit"], r["ratio"])
    has = r["actual_value"] is not None
    out = {k: r[k] for k in FIELDS}
    out.update(
        target_id=r["target"],
        task_id=r["task"],
        number=r["number"],
        plan=r["plan"],
        chapter=r["chapter"],
        actual_value=rnd(r["actual_value"]),
        ratio=ratio,
        expected=expected_share(r["actual_period"], r["unit"]) if has else None,
        status=target_status(ratio, has, r["actual_period"], r["unit"], r["qualifier"]),
    )
    return out


ROWS = TypeAdapter(list[TargetRow])
"""Validates a whole list of rows in one call (far cheaper than one model at a time)."""


def _rows(
    store: GraphStore,
    chapter: int | None = None,
    department: str | None = None,
    plan: str | None = None,
    tasks: list[str] | None = None,
) -> list[TargetRow]:
    """Target rows in plan, task number and target id order.

    The walk (and the Cypher) starts from the given tasks, else the department's tasks, else
    the plan's tasks, and only without any of them from every target.
    """
    scope = _scope(tasks, department, plan)

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        nodes = g._node
        pairs: Iterable[tuple[str, str]]
        if scope is None:  # every target, through its task: fewer edges than from the tasks
            pairs = (
                (t, target)
                for target in s.ids_with_label("Target")
                for t, _, _ in edges_in(g, target, ["HAS_TARGET"], "Task")
            )
        else:
            pairs = (
                (t, target)
                for t in _start(s, scope, tasks, department, plan)
                for target, _, _ in edges_out(g, t, ["HAS_TARGET"], "Target")
            )
        out = []
        for t, target in pairs:
            tp = nodes[t]["props"]
            if (chapter is not None and tp.get("chapter") != chapter) or (
                plan is not None and tp.get("plan") != plan
            ):
                continue
            if (
                department is not None
                and scope != "department"
                and not any(d == department for d, _, _ in edges_in(g, t, ["LEADS", "ASSISTS"]))
            ):
                continue
            gp: dict[str, Any] = nodes[target]["props"]
            out.append(
                {
                    "task": t,
                    "number": tp.get("number"),
                    "plan": tp.get("plan"),
                    "chapter": tp.get("chapter"),
                    "target": target,
                    **{f: gp.get(f) for f in FIELDS},
                }
            )
        return out

    params = {"chapter": chapter, "plan": plan, "department": department, "tasks": tasks}
    rows = fetch_packed(store, MATCHES[scope], COLUMNS, params, walk)
    unique = {r["target"]: r for r in rows}
    return _in_order(ROWS.validate_python([target_row(r) for r in unique.values()]))


def _scope(tasks: list[str] | None, department: str | None, plan: str | None) -> str | None:
    """Where a question about targets starts: the narrowest of its filters (a key of
    :data:`MATCHES`), ``None`` for every target."""
    if tasks is not None:
        return "tasks"
    if department is not None:
        return "department"
    return "plan" if plan is not None else None


def _start(
    s: _Embedded, scope: str, tasks: list[str] | None, department: str | None, plan: str | None
) -> list[str]:
    """The tasks a scoped walk starts from (each once)."""
    g = s.graph
    if scope == "tasks":
        return [
            t for t in dict.fromkeys(tasks or []) if g.has_node(t) and g.nodes[t]["label"] == "Task"
        ]
    if scope == "department":
        held = edges_out(g, department or "", ["LEADS", "ASSISTS"], "Task")
        return list(dict.fromkeys(t for t, _, _ in held))
    return with_property(s, "Task", "plan", plan)


def _in_order(rows: Iterable[TargetRow]) -> list[TargetRow]:
    """Plan (natural order), task number, then target id (natural order).

    Grouped by (plan, number) first: natural keys are built once per plan, and for target
    ids only where a task has several targets.
    """
    groups: dict[tuple[str, int], list[TargetRow]] = defaultdict(list)
    for r in rows:
        groups[(r.plan, r.number)].append(r)
    plan_keys = {plan: natural_key(plan) for plan, _ in groups}
    out: list[TargetRow] = []
    for key in sorted(groups, key=lambda k: (plan_keys[k[0]], k[1], k[0])):
        group = groups[key]
        out += group if len(group) == 1 else sorted(group, key=lambda x: natural_key(x.target_id))
    return out


def department_progress(store: GraphStore, department_id: str) -> TargetProgress:
    """Targets of the tasks a department (by id, already resolved) leads or assists."""
    return _progress(_rows(store, department=department_id))


def targets_of(store: GraphStore, task_ids: list[str]) -> list[TargetRow]:
    """Target rows of the given tasks."""
    return _rows(store, tasks=task_ids)


def target_progress(
    store: GraphStore,
    chapter: int | None = None,
    department: str | None = None,
    status: str | None = None,
    plan: str | None = None,
) -> TargetProgress:
    """Targets by plan, task number and target id, each with figure, ratio and status."""
    p = validated(
        TargetProgressParams, chapter=chapter, department=department, status=status, plan=plan
    )
    dept = resolve_entity(store, "Department", p.department).id if p.department else None
    if dept is None:  # every plan's targets (or one plan's): kept per store version
        key = ("target_progress", p.chapter, p.plan)
        every = whole_graph_answer(
            store, key, lambda: _progress(_rows(store, p.chapter, None, p.plan))
        )
    else:
        every = _progress(_rows(store, p.chapter, dept, p.plan))
    if p.status is None:
        return every
    return TargetProgress(
        targets=[t for t in every.targets if t.status == p.status], counts=every.counts
    )


def _progress(targets: list[TargetRow]) -> TargetProgress:
    counts: Counter[str] = Counter(t.status for t in targets)
    return TargetProgress(targets=targets, counts={s: counts.get(s, 0) for s in STATUSES})
