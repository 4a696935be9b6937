"""How has a task moved over time?  Its progress text in each report, by period, with the
figures each report gave against the task's targets (value, ratio, status as in
:mod:`queries.target_progress`).  On the bundled sample (one report)::

    >>> r = task_history(store, "1")                                 # doctest: +SKIP
    >>> [(e.period, e.text[:12]) for e in r.entries]                 # doctest: +SKIP
    [('2019-H1', '1-5月,全市规模以上工业')]
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel

from graph.store import GraphStore
from queries._common import (
    Row,
    TaskParams,
    TaskRef,
    _Embedded,
    edges_in,
    edges_out,
    fetch,
    lab,
    natural_key,
    period_key,
    props,
    rels,
    rnd,
    validated,
)
from queries._resolve import resolve_task
from queries.target_progress import Status, completion, target_status

__all__ = [
    "CYPHER",
    "Figure",
    "HistoryEntry",
    "TaskHistory",
    "TaskHistoryParams",
    "figure_of",
    "task_history",
]

CYPHER = (
    f"MATCH (pg:{lab('Progress')})-[:{rels('ON_TASK')}]->(t:{lab('Task')} {{id: $id}}) "
    f"OPTIONAL MATCH (pg)-[:{rels('IN_REPORT')}]->(r:{lab('Report')}) "
    f"OPTIONAL MATCH (pg)-[m:{rels('MEASURES')}]->(g:{lab('Target')}) "
    "RETURN pg.id AS progress, pg.text AS text, pg.period AS period, r.id AS report, "
    "r.title AS title, g.id AS target, g.metric AS metric, g.value AS target_value, "
    "g.unit AS target_unit, g.qualifier AS qualifier, m.value AS value, m.unit AS unit, "
    "m.text AS figure_text, m.ratio AS ratio"
)


class TaskHistoryParams(TaskParams):
    """Which task's history."""


class Figure(BaseModel):
    target_id: str
    metric: str | None
    target_value: float | None
    target_unit: str | None
    value: float | None
    unit: str | None
    text: str | None
    ratio: float | None
    status: Status


class HistoryEntry(BaseModel):
    progress_id: str
    report_id: str | None
    report_title: str | None
    period: str | None
    text: str
    figures: list[Figure]


class TaskHistory(BaseModel):
    task: TaskRef
    entries: list[HistoryEntry]


def figure_of(r: Row, period: str | None) -> Figure:
    """A MEASURES row as a figure with its ratio and status at ``period``."""
    ratio = completion(r["target_value"], r["target_unit"], r["value"], r["unit"], r["ratio"])
    return Figure(
        target_id=r["target"],
        metric=r["metric"],
        target_value=r["target_value"],
        target_unit=r["target_unit"],
        value=rnd(r["value"]),
        unit=r["unit"],
        text=r["figure_text"],
        ratio=ratio,
        status=target_status(
            ratio, r["value"] is not None, period, r["target_unit"], r["qualifier"]
        ),
    )


def task_history(store: GraphStore, task: str, plan: str | None = None) -> TaskHistory:
    """Progress entries of the task in period order (then report id)."""
    p = validated(TaskHistoryParams, task=task, plan=plan)
    the_task = resolve_task(store, p.task, p.plan)
    task_id = the_task.id

    def walk(s: _Embedded) -> list[Row]:
        g, out = s.graph, []
        for pg, _, _ in edges_in(g, task_id, ["ON_TASK"], "Progress"):
            pp = props(g, pg)
            reports: list[str | None] = [
                r for r, _, _ in edges_out(g, pg, ["IN_REPORT"], "Report")
            ] or [None]
            measures = [(t, m) for t, _, m in edges_out(g, pg, ["MEASURES"], "Target")]
            for r in reports:
                base = {
                    "progress": pg,
                    "text": pp.get("text"),
                    "period": pp.get("period"),
                    "report": r,
                    "title": props(g, r).get("title") if r else None,
                }
                empty = {
                    "target": None,
                    "metric": None,
                    "target_value": None,
                    "target_unit": None,
                    "qualifier": None,
                    "value": None,
                    "unit": None,
                    "figure_text": None,
                    "ratio": None,
                }
                out += (
                    [{**base, **empty}]
                    if not measures
                    else [
                        {
                            **base,
                            "target": t,
                            "metric": props(g, t).get("metric"),
                            "target_value": props(g, t).get("value"),
                            "target_unit": props(g, t).get("unit"),
                            "qualifier": props(g, t).get("qualifier"),
                            "value": m.get("value"),
                            "unit": m.get("unit"),
                            "figure_text": m.get("text"),
                            "ratio": m.get("ratio"),
                        }
                        for t, m in measures
                    ]
                )
        return out

    entries: dict[tuple[str, str | None], HistoryEntry] = {}
    figures: dict[tuple[str, str | None], dict[str, Figure]] = defaultdict(dict)
    for r in fetch(store, CYPHER, {"id": task_id}, walk):
        key = (r["progress"], r["report"])
        entries.setdefault(
            key,
            HistoryEntry(
                progress_id=r["progress"],
                report_id=r["report"],
                report_title=r["title"],
                period=r["period"],
                text=r["text"] or "",
                figures=[],
            ),
        )
        if r["target"] is not None:
            figures[key][r["target"]] = figure_of(r, r["period"])
    for key, e in entries.items():
        e.figures = sorted(figures[key].values(), key=lambda f: natural_key(f.target_id))
    ordered = sorted(
        entries.values(), key=lambda e: (period_key(e.period), e.report_id or "", e.progress_id)
    )
    return TaskHistory(task=the_task, entries=ordered)
