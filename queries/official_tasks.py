"""Which tasks does a lead official oversee?

The official is given by id (``official:南通:张三``), name or alias.  Rows as in
:mod:`queries.department_tasks` with role ``OVERSEES``.  The bundled 2019-H1 sample names
no officials (its assignment notice is a separate document), so there the answer is
``NotFound``; on an assignment notice::

    >>> [t.number for t in official_tasks(store, "张三").tasks]    # doctest: +SKIP
    [1, 2]
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from graph.store import GraphStore
from queries._common import NodeRef, PlanRef, validated
from queries._resolve import resolve_entity_props
from queries._responsibility import HeldTask, Source, held_tasks, holder_cypher

__all__ = ["CYPHER", "OfficialTasks", "OfficialTasksParams", "official_tasks"]

CYPHER = holder_cypher("Official", ("OVERSEES",))


class OfficialTasksParams(BaseModel):
    official: str = Field(description="Official id, name or alias.")
    source: Source | None = Field(None, description="Only assignment or only inferred edges.")
    plan: PlanRef = Field(None, description="Only tasks of this plan (南通-2019 or its id).")


class OfficialTasks(BaseModel):
    official: NodeRef
    title: str | None = None
    tasks: list[HeldTask]


def official_tasks(
    store: GraphStore, official: str, source: str | None = None, plan: str | None = None
) -> OfficialTasks:
    """Tasks the official oversees, by plan and task number."""
    p = validated(OfficialTasksParams, official=official, source=source, plan=plan)
    ref, node = resolve_entity_props(store, "Official", p.official)
    title = node.get("title")
    return OfficialTasks(
        official=ref,
        title=title,
        tasks=held_tasks(store, CYPHER, ref.id, ["OVERSEES"], p.source, p.plan),
    )
