"""What changed between two reports?  Per task: new or changed figures, targets newly met,
documents and projects cited in the later report and not in the earlier one.

Reports are given by id or period (``2019-H1``).  Status as in :mod:`queries.target_progress`
at each report's period.  With the bundled sample (2019-H1) and a Q3 report of the same
plan (as in the test fixture, where 高新技术企业 went from 40 to 120 of 100)::

    >>> r = report_diff(store, "2019-H1", "2019-Q3")                  # doctest: +SKIP
    >>> [(t.number, t.newly_met) for t in r.tasks][:1]                # doctest: +SKIP
    [(2, ['target:南通-2019:2:1'])]
"""

from __future__ import annotations

from collections import defaultdict

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._common import (
    NodeRef,
    Row,
    _Embedded,
    edges_in,
    edges_out,
    fetch,
    lab,
    natural_key,
    props,
    rels,
    validated,
    with_property,
)
from queries._resolve import resolve_report
from queries.task_history import Figure, figure_of

__all__ = [
    "CITES_CYPHER",
    "EVERY_TASK_CITES_CYPHER",
    "FIGURES_CYPHER",
    "FigureChange",
    "ReportDiff",
    "ReportDiffParams",
    "TaskDiff",
    "report_diff",
]

FIGURES_CYPHER = (
    f"MATCH (pg:{lab('Progress')})-[:{rels('IN_REPORT')}]->(r:{lab('Report')}) "
    "WHERE r.id IN $reports "
    f"MATCH (pg)-[:{rels('ON_TASK')}]->(t:{lab('Task')}) "
    f"MATCH (pg)-[m:{rels('MEASURES')}]->(g:{lab('Target')}) "
    "RETURN r.id AS report, t.id AS task, t.number AS number, t.plan AS plan, "
    "g.id AS target, g.metric AS metric, "
    "g.value AS target_value, g.unit AS target_unit, g.qualifier AS qualifier, "
    "m.value AS value, m.unit AS unit, m.text AS figure_text, m.ratio AS ratio"
)
CITED = ["Document", "Project"]
_CITES = (
    f"MATCH (t)-[e:{rels('SERVES', 'INVOLVES')}]-(x) WHERE e.report IN $reports "
    "AND any(l IN labels(x) WHERE l IN $labels) "
    "RETURN DISTINCT e.report AS report, t.id AS task, t.number AS number, t.plan AS plan, "
    "x.id AS entity, "
    "[l IN labels(x) WHERE l IN $labels][0] AS label, x.name AS name"
)
CITES_CYPHER = f"MATCH (t:{lab('Task')}) WHERE t.plan IN $plans {_CITES}"
"""Documents and projects the reports cite, from the tasks of the reports' plans (indexed)."""
EVERY_TASK_CITES_CYPHER = f"MATCH (t:{lab('Task')}) {_CITES}"
"""The same from every task, for a report that does not name its plan."""


class ReportDiffParams(BaseModel):
    report_a: str = Field(description="The earlier report: id or period.")
    report_b: str = Field(description="The later report: id or period.")


class FigureChange(BaseModel):
    target_id: str
    before: Figure | None
    after: Figure


class TaskDiff(BaseModel):
    task_id: str
    number: int
    plan: str
    new_figures: list[FigureChange]
    newly_met: list[str]
    new_documents: list[NodeRef]
    new_projects: list[NodeRef]


class ReportDiff(BaseModel):
    report_a: str
    period_a: str | None
    report_b: str
    period_b: str | None
    tasks: list[TaskDiff]


def report_diff(store: GraphStore, report_a: str, report_b: str) -> ReportDiff:
    """Changes from report A to report B, task by task (plan and number order)."""
    p = validated(ReportDiffParams, report_a=report_a, report_b=report_b)
    a = resolve_report(store, p.report_a)
    b = a if p.report_b == p.report_a else resolve_report(store, p.report_b)
    wanted = [a["id"], b["id"]]

    def walk_figures(s: _Embedded) -> list[Row]:
        g, out = s.graph, []
        for r in wanted:
            for pg, _, _ in edges_in(g, r, ["IN_REPORT"], "Progress"):
                for t, _, _ in edges_out(g, pg, ["ON_TASK"], "Task"):
                    for tg, _, m in edges_out(g, pg, ["MEASURES"], "Target"):
                        tp = props(g, tg)
                        out.append(
                            {
                                "report": r,
                                "task": t,
                                "target": tg,
                                "number": props(g, t).get("number"),
                                "plan": props(g, t).get("plan"),
                                "metric": tp.get("metric"),
                                "target_value": tp.get("value"),
                                "target_unit": tp.get("unit"),
                                "qualifier": tp.get("qualifier"),
                                "value": m.get("value"),
                                "unit": m.get("unit"),
                                "figure_text": m.get("text"),
                                "ratio": m.get("ratio"),
                            }
                        )
        return out

    # An edge whose ``report`` is R was written by R, and R writes only its own plan's tasks
    # (a task's id and plan come from the same city and year as R's plan): only those tasks
    # are walked (``Task.plan`` is indexed), every task only for a report without a plan.
    plans = sorted({a["plan"], b["plan"]}) if a["plan"] and b["plan"] else None

    def walk_cites(s: _Embedded) -> list[Row]:
        g, out = s.graph, set()
        tasks = (
            s.ids_with_label("Task")
            if plans is None
            else [t for plan in plans for t in with_property(s, "Task", "plan", plan)]
        )
        for t in tasks:
            near = [
                *edges_out(g, t, ["INVOLVES"], "Project"),
                *edges_in(g, t, ["SERVES"], "Document"),
            ]
            for x, _, e in near:
                if e.get("report") in wanted:
                    out.add(
                        (
                            e["report"],
                            t,
                            props(g, t).get("number"),
                            props(g, t).get("plan"),
                            x,
                            g.nodes[x]["label"],
                            props(g, x).get("name"),
                        )
                    )
        keys = ("report", "task", "number", "plan", "entity", "label", "name")
        return [dict(zip(keys, r, strict=True)) for r in out]

    period = {a["id"]: a["period"], b["id"]: b["period"]}
    figs: dict[str, dict[str, dict[str, Figure]]] = defaultdict(lambda: defaultdict(dict))
    numbers: dict[str, tuple[int, str]] = {}
    for r in fetch(store, FIGURES_CYPHER, {"reports": wanted}, walk_figures):
        figs[r["report"]][r["task"]][r["target"]] = figure_of(r, period[r["report"]])
        numbers[r["task"]] = (r["number"], r["plan"])
    cites: dict[str, dict[str, set[tuple[str, str, str]]]] = defaultdict(lambda: defaultdict(set))
    cites_cypher = EVERY_TASK_CITES_CYPHER if plans is None else CITES_CYPHER
    params = {"reports": wanted, "labels": CITED, "plans": plans}
    for r in fetch(store, cites_cypher, params, walk_cites):
        cites[r["report"]][r["task"]].add((r["entity"], r["label"], r["name"]))
        numbers[r["task"]] = (r["number"], r["plan"])
    task_ids = set(figs[b["id"]]) | set(cites[b["id"]])
    out = []
    for t in task_ids:
        before, after = figs[a["id"]].get(t, {}), figs[b["id"]].get(t, {})
        changes = [
            FigureChange(target_id=g, before=before.get(g), after=f)
            for g, f in after.items()
            if g not in before or before[g].value != f.value
        ]
        met = [
            g
            for g, f in after.items()
            if f.status == "met" and (g not in before or before[g].status != "met")
        ]
        new = cites[b["id"]][t] - cites[a["id"]].get(t, set())
        docs = [NodeRef(id=i, label=lb, name=n) for i, lb, n in new if lb == "Document"]
        projects = [NodeRef(id=i, label=lb, name=n) for i, lb, n in new if lb == "Project"]
        if changes or met or docs or projects:
            out.append(
                TaskDiff(
                    task_id=t,
                    number=numbers[t][0],
                    plan=numbers[t][1],
                    new_figures=sorted(changes, key=lambda c: natural_key(c.target_id)),
                    newly_met=sorted(met, key=natural_key),
                    new_documents=sorted(docs, key=lambda x: natural_key(x.id)),
                    new_projects=sorted(projects, key=lambda x: natural_key(x.id)),
                )
            )
    out.sort(key=lambda d: (natural_key(d.plan), d.number, d.task_id))
    return ReportDiff(
        report_a=a["id"], period_a=a["period"], report_b=b["id"], period_b=b["period"], tasks=out
    )
