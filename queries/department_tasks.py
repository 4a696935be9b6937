"""Which tasks does a department lead or assist?

The department is given by id (``department:南通:市发展和改革委员会``), canonical name
or alias (``市发改委``).  Each row carries the chapter, the role (``LEADS`` / ``ASSISTS``)
and the source: ``assignment`` when a document said so, ``inferred`` when govgraph guessed,
with its score and evidence.  Example on the bundled sample (departments there are
inferred)::

    >>> r = department_tasks(store, "市发展和改革委员会")          # doctest: +SKIP
    >>> [(t.number, t.role, t.source, t.score) for t in r.tasks][:2]   # doctest: +SKIP
    [(5, 'ASSISTS', 'inferred', 0.6165), (7, 'LEADS', 'inferred', 0.9402)]
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._common import NodeRef, PlanRef, validated
from queries._resolve import resolve_entity
from queries._responsibility import HeldTask, Source, held_tasks, holder_cypher

__all__ = ["CYPHER", "DepartmentTasks", "DepartmentTasksParams", "department_tasks"]

CYPHER = holder_cypher("Department", ("LEADS", "ASSISTS"))


class DepartmentTasksParams(BaseModel):
    department: str = Field(description="Department id, canonical name or alias.")
    role: Literal["LEADS", "ASSISTS"] | None = Field(None, description="Only this role.")
    source: Source | None = Field(None, description="Only assignment or only inferred edges.")
    plan: PlanRef = Field(None, description="Only tasks of this plan (南通-2019 or its id).")


class DepartmentTasks(BaseModel):
    department: NodeRef
    tasks: list[HeldTask]


def department_tasks(
    store: GraphStore,
    department: str,
    role: str | None = None,
    source: str | None = None,
    plan: str | None = None,
) -> DepartmentTasks:
    """Tasks the department leads or assists, by plan and task number, then role."""
    p = validated(DepartmentTasksParams, department=department, role=role, source=source, plan=plan)
    ref = resolve_entity(store, "Department", p.department)
    roles = [p.role] if p.role else ["LEADS", "ASSISTS"]
    return DepartmentTasks(
        department=ref, tasks=held_tasks(store, CYPHER, ref.id, roles, p.source, p.plan)
    )
