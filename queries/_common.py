"""Building blocks shared by the query modules.

Every query follows one shape: fetch flat rows (plain dicts of scalars) either with
parameterised Cypher on Neo4j or with a networkx walk on the embedded store, then build
the result model from those rows with the *same* Python code on both backends, so that
ordering, grouping and rounding cannot differ.  This module holds the dispatch, the
resolvers (department by id, canonical name or alias; task by id or number; ...), task
details with their chapter, deterministic sort keys and rounding.

Labels and relationship types reach Cypher text only through :func:`lab` / :func:`rels`,
which the schema vouches for; every user value is a ``$parameter``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar, cast

import networkx as nx
from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from graph.errors import InvalidQuery
from graph.schema import SCHEMA
from graph.store import GraphStore

__all__ = [
    "TASK_CHAPTER",
    "TASK_FIELDS",
    "CommaSplit",
    "NodeRef",
    "Row",
    "TaskParams",
    "TaskRef",
    "edges_in",
    "edges_out",
    "embedded",
    "fetch",
    "lab",
    "natural_key",
    "period_key",
    "props",
    "rels",
    "rnd",
    "task_fields",
    "task_order",
    "task_ref",
    "task_refs",
    "validated",
]

Row = dict[str, Any]
ROW_CAP = 1_000_000  # internal queries read whole answers; the user-facing cap is ``limit``


class _Embedded(Protocol):
    graph: nx.MultiDiGraph

    def ids_with_label(self, label: str) -> set[str]: ...


class NodeRef(BaseModel):
    """A node named for people: its id, label and canonical name (a task's is ``任务N``)."""

    id: str
    label: str
    name: str


class TaskParams(BaseModel):
    """Parameters of the questions about one task: which task, and its plan when ambiguous."""

    task: str = Field(description="Task id or number.")
    plan: str | None = Field(None, description="Plan id, when a number is in several plans.")


class TaskRef(BaseModel):
    """A task with its chapter."""

    id: str
    number: int
    plan: str
    chapter: int | None = None
    chapter_title: str | None = None
    text: str


# -- Cypher text from the schema -------------------------------------------------------------
def lab(name: str) -> str:
    """A label for Cypher text, once the schema has declared it."""
    return f"`{SCHEMA.label(name).name}`"


def rels(*names: str) -> str:
    """``A|B`` relationship types for Cypher text, once the schema has declared them."""
    return "|".join(f"`{SCHEMA.relationship(n).name}`" for n in names)


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], **values: Any) -> M:
    """``model(**values)``, bad values raised as :class:`InvalidQuery` (HTTP 400)."""
    try:
        return model(**values)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()
        )
        raise InvalidQuery(f"invalid parameters for {model.__name__}: {problems}") from e


def split_commas(value: Any) -> Any:
    """``"a,b"`` -> ``["a", "b"]`` (the CLI passes lists as one string); lists pass through."""
    if isinstance(value, str):
        return [x.strip() for x in value.split(",") if x.strip()]
    return value


CommaSplit = BeforeValidator(split_commas)
"""Annotate list parameters with this so that ``--via project,place`` works from the CLI."""


# -- dispatch ----------------------------------------------------------------------------------
def embedded(store: GraphStore) -> _Embedded:
    """A consistent snapshot (graph + label index of one write) of the embedded store."""
    snapshot = getattr(store, "snapshot", None)
    return cast(_Embedded, snapshot() if snapshot is not None else store)


def fetch(
    store: GraphStore, cypher: str, params: dict[str, Any], walk: Callable[[_Embedded], list[Row]]
) -> list[Row]:
    """Rows from Cypher on Neo4j, from ``walk`` on the embedded store."""
    if store.backend == "neo4j":
        return store.read_cypher(cypher, params, row_cap=ROW_CAP)
    if store.backend == "embedded":
        return walk(embedded(store))
    raise InvalidQuery(f"unknown store backend {store.backend!r}")


# -- embedded helpers ------------------------------------------------------------------------
def props(g: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    return cast(dict[str, Any], g.nodes[node]["props"])


def edges_out(
    g: nx.MultiDiGraph, node: str, types: Iterable[str], label: str | None = None
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(target, type, edge props) of ``node``'s outgoing edges of ``types``."""
    wanted = set(types)
    for _, v, d in g.out_edges(node, data=True):
        if d["type"] in wanted and (label is None or g.nodes[v]["label"] == label):
            yield v, d["type"], d["props"]


def edges_in(
    g: nx.MultiDiGraph, node: str, types: Iterable[str], label: str | None = None
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(source, type, edge props) of ``node``'s incoming edges of ``types``."""
    wanted = set(types)
    for u, _, d in g.in_edges(node, data=True):
        if d["type"] in wanted and (label is None or g.nodes[u]["label"] == label):
            yield u, d["type"], d["props"]


# -- ordering and rounding -------------------------------------------------------------------
_DIGITS = re.compile(r"(\d+)")
_PERIOD_ORDER = {"plan": 0, "Q1": 1, "H1": 2, "Q3": 3, "FY": 4}


def natural_key(text: str | None) -> tuple[Any, ...]:
    """Sort key that puts ``task:x:9`` before ``task:x:10``.

    >>> sorted(["t:10", "t:9", "t:1"], key=natural_key)
    ['t:1', 't:9', 't:10']
    """
    parts = _DIGITS.split(text or "")
    return tuple(int(p) if i % 2 else p for i, p in enumerate(parts))


def period_key(period: str | None) -> tuple[int, int, str]:
    """Time order of report periods (``2019-H1`` < ``2019-Q3`` < ``2019-FY``).

    The same order as ``ingest.ids.period_rank`` (queries do not import ingest).

    >>> sorted(["2019-FY", "2019-H1", "2018-FY", "2019-Q3"], key=period_key)
    ['2018-FY', '2019-H1', '2019-Q3', '2019-FY']
    """
    year, _, part = (period or "").partition("-")
    return (int(year) if year.isdigit() else 0, _PERIOD_ORDER.get(part, 0), period or "")


def rnd(x: float | None, digits: int = 4) -> float | None:
    """Round floats that leave a query so both backends print the same digits."""
    return None if x is None else round(float(x), digits)


# -- task details ----------------------------------------------------------------------------
TASK_CHAPTER = f"OPTIONAL MATCH (t)-[:{rels('IN_CHAPTER')}]->(c:{lab('Chapter')})"
"""Cypher that binds ``c`` to task ``t``'s chapter, for :data:`TASK_FIELDS`."""
TASK_FIELDS = (
    "t.id AS id, t.number AS number, t.plan AS plan, t.chapter AS chapter, "
    "t.text AS text, c.title AS chapter_title"
)
"""Cypher return items of a task ``t`` (after :data:`TASK_CHAPTER`): a :class:`TaskRef`."""
TASK_KEYS = ("id", "number", "plan", "chapter", "text", "chapter_title")


def task_fields(g: nx.MultiDiGraph, task: str) -> Row:
    """The :data:`TASK_FIELDS` of ``task`` on the embedded graph."""
    p = props(g, task)
    titles = sorted(
        t
        for c, _, _ in edges_out(g, task, ["IN_CHAPTER"], "Chapter")
        if (t := props(g, c).get("title")) is not None
    )
    return {
        "id": task,
        "number": p.get("number"),
        "plan": p.get("plan"),
        "chapter": p.get("chapter"),
        "text": p.get("text"),
        "chapter_title": titles[0] if titles else None,
    }


def task_ref(row: Row) -> TaskRef:
    """A :class:`TaskRef` from a row holding :data:`TASK_FIELDS`."""
    return TaskRef(**{k: row[k] for k in TASK_KEYS})


def task_refs(store: GraphStore, ids: Iterable[str]) -> dict[str, TaskRef]:
    """Tasks by id, with their chapter's title."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    cypher = f"MATCH (t:{lab('Task')}) WHERE t.id IN $ids {TASK_CHAPTER} RETURN {TASK_FIELDS}"

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        return [
            task_fields(g, n) for n in wanted if g.has_node(n) and g.nodes[n]["label"] == "Task"
        ]

    rows: dict[str, Row] = {}
    for r in fetch(store, cypher, {"ids": wanted}, walk):  # a second chapter: smallest title
        old = rows.get(r["id"])
        if old is None or (r["chapter_title"] or "") < (old["chapter_title"] or ""):
            rows[r["id"]] = r
    return {i: task_ref(r) for i, r in rows.items()}


def task_order(t: TaskRef) -> tuple[Any, ...]:
    """Plan, then task number."""
    return (natural_key(t.plan), t.number, t.id)
