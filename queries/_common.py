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
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, cast

import networkx as nx
from pydantic import BaseModel, BeforeValidator, ValidationError

from graph.errors import InvalidQuery, NotFound
from graph.schema import SCHEMA
from graph.store import GraphStore

__all__ = [
    "TASK_CHAPTER",
    "TASK_FIELDS",
    "CommaSplit",
    "NodeRef",
    "Row",
    "TaskRef",
    "display_name",
    "edges_in",
    "edges_out",
    "embedded",
    "fetch",
    "lab",
    "natural_key",
    "period_key",
    "props",
    "rels",
    "resolve_entity",
    "resolve_entity_props",
    "resolve_node",
    "resolve_report",
    "resolve_task",
    "resolve_with_props",
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
        problems = "; ".join(f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
                             for err in e.errors())
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
    return cast(_Embedded, store)


def fetch(store: GraphStore, cypher: str, params: dict[str, Any],
          walk: Callable[[_Embedded], list[Row]]) -> list[Row]:
    """Rows from Cypher on Neo4j, from ``walk`` on the embedded store."""
    if store.backend == "neo4j":
        return store.read_cypher(cypher, params, row_cap=ROW_CAP)
    if store.backend == "embedded":
        return walk(embedded(store))
    raise InvalidQuery(f"unknown store backend {store.backend!r}")


# -- embedded helpers ------------------------------------------------------------------------
def props(g: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    return cast(dict[str, Any], g.nodes[node]["props"])


def edges_out(g: nx.MultiDiGraph, node: str, types: Iterable[str],
              label: str | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(target, type, edge props) of ``node``'s outgoing edges of ``types``."""
    wanted = set(types)
    for _, v, d in g.out_edges(node, data=True):
        if d["type"] in wanted and (label is None or g.nodes[v]["label"] == label):
            yield v, d["type"], d["props"]


def edges_in(g: nx.MultiDiGraph, node: str, types: Iterable[str],
             label: str | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
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


# -- resolvers ---------------------------------------------------------------------------------
def display_name(label: str, p: dict[str, Any]) -> str:
    if label == "Task":
        return f"任务{p.get('number')}"
    if label == "Progress":
        return f"任务{p.get('task')}进展({p.get('period', '')})"
    if label == "Target":
        return str(p.get("text") or p.get("metric") or p.get("id"))
    if label == "Report":
        return str(p.get("title") or p.get("id"))
    if label == "Chapter":
        return str(p.get("title") or f"第{p.get('number')}章")
    return str(p.get("name") or p.get("id"))


def _pick(ref: str, what: str, rows: list[Row]) -> NodeRef:
    """The best match: an id beats a canonical name beats an alias; ties are ambiguous."""
    if not rows:
        raise NotFound(f"no {what} {ref!r}", ref=ref)
    best = min(r["how"] for r in rows)
    found = sorted({(r["id"], r["label"]) for r in rows if r["how"] == best})
    if len(found) > 1:
        raise InvalidQuery(f"{what} {ref!r} is ambiguous: {', '.join(i for i, _ in found)}",
                           candidates=[i for i, _ in found])
    node_id, label = found[0]
    name = next(r["name"] for r in rows if r["id"] == node_id)
    return NodeRef(id=node_id, label=label, name=name or "")


def resolve_node(store: GraphStore, ref: str, labels: Sequence[str]) -> NodeRef:
    """A node of one of ``labels`` by id, canonical name or alias (``NotFound`` if none)."""
    return resolve_with_props(store, ref, labels)[0]


def resolve_with_props(store: GraphStore, ref: str, labels: Sequence[str]
                       ) -> tuple[NodeRef, dict[str, Any]]:
    """:func:`resolve_node` and the node's properties, in one round trip."""
    branches = " UNION ALL ".join(
        f"MATCH (n:{lab(x)}) WHERE n.id = $ref OR n.name = $ref "
        f"OR $ref IN coalesce(n.aliases, []) RETURN n.id AS id, '{SCHEMA.label(x).name}' AS label,"
        " n.name AS name, CASE WHEN n.id = $ref THEN 0 WHEN n.name = $ref THEN 1 ELSE 2 END AS how,"
        " properties(n) AS props"
        for x in labels)

    def walk(s: _Embedded) -> list[Row]:
        g, out = s.graph, []
        if g.has_node(ref) and g.nodes[ref]["label"] in labels:
            out.append({"id": ref, "label": g.nodes[ref]["label"],
                        "name": props(g, ref).get("name"), "how": 0, "props": props(g, ref)})
        for x in labels:
            for n in s.ids_with_label(x):
                p = props(g, n)
                if p.get("name") == ref:
                    out.append({"id": n, "label": x, "name": p["name"], "how": 1, "props": p})
                elif ref in p.get("aliases", []):
                    out.append({"id": n, "label": x, "name": p.get("name"), "how": 2, "props": p})
        return out

    rows = fetch(store, branches, {"ref": ref}, walk)
    what = labels[0].lower() if len(labels) == 1 else "entity"
    picked = _pick(ref, what, rows)
    found = dict(next(r["props"] for r in rows if r["id"] == picked.id))
    if not picked.name:  # nodes without a name (tasks, reports ...) resolve by id only
        picked = NodeRef(id=picked.id, label=picked.label, name=display_name(picked.label, found))
    return picked, found


def resolve_entity(store: GraphStore, label: str, ref: str) -> NodeRef:
    """An entity of ``label`` by id, canonical name or alias."""
    return resolve_node(store, ref, [label])


def resolve_entity_props(store: GraphStore, label: str, ref: str
                         ) -> tuple[NodeRef, dict[str, Any]]:
    """:func:`resolve_entity` and the entity's properties."""
    return resolve_with_props(store, ref, [label])


def resolve_task(store: GraphStore, ref: str | int, plan: str | None = None) -> TaskRef:
    """A task from an id (``task:南通-2019:5``) or a number (``5``, with ``plan`` if several)."""
    text = str(ref).strip()
    number = int(text) if text.isdigit() else None
    cypher = (f"MATCH (t:{lab('Task')}) WHERE t.id = $ref OR (t.number = $number "
              f"AND ($plan IS NULL OR t.plan = $plan)) {TASK_CHAPTER} RETURN {TASK_FIELDS}")

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        return [task_fields(g, n) for n in s.ids_with_label("Task")
                if n == text or (props(g, n).get("number") == number
                                 and (plan is None or props(g, n).get("plan") == plan))]

    rows = {r["id"]: r for r in fetch(store, cypher, {"ref": text, "number": number,
                                                      "plan": plan}, walk)}
    if not rows:
        raise NotFound(f"no task {text!r}", ref=text)
    if text in rows:
        return TaskRef(**rows[text])
    if len(rows) > 1:
        ids = sorted(rows)
        raise InvalidQuery(f"task {text!r} is ambiguous (pass plan): {', '.join(ids)}",
                           candidates=ids)
    return TaskRef(**next(iter(rows.values())))


def resolve_report(store: GraphStore, ref: str) -> Row:
    """A report by id or period (``2019-H1``): ``{"id", "period", "title", "plan"}``."""
    cypher = (f"MATCH (r:{lab('Report')}) WHERE r.id = $ref OR r.period = $ref "
              "RETURN r.id AS id, r.period AS period, r.title AS title, r.plan AS plan")

    def walk(s: _Embedded) -> list[Row]:
        g = s.graph
        return [{"id": n, "period": props(g, n).get("period"), "title": props(g, n).get("title"),
                 "plan": props(g, n).get("plan")}
                for n in s.ids_with_label("Report")
                if n == ref or props(g, n).get("period") == ref]

    rows = sorted(fetch(store, cypher, {"ref": ref}, walk), key=lambda r: r["id"])
    exact = [r for r in rows if r["id"] == ref]
    if exact:
        return exact[0]
    if not rows:
        raise NotFound(f"no report {ref!r}", ref=ref)
    if len(rows) > 1:
        raise InvalidQuery(f"report {ref!r} is ambiguous: {', '.join(r['id'] for r in rows)}")
    return rows[0]


# -- task details ----------------------------------------------------------------------------
TASK_CHAPTER = f"OPTIONAL MATCH (t)-[:{rels('IN_CHAPTER')}]->(c:{lab('Chapter')})"
"""Cypher that binds ``c`` to task ``t``'s chapter, for :data:`TASK_FIELDS`."""
TASK_FIELDS = ("t.id AS id, t.number AS number, t.plan AS plan, t.chapter AS chapter, "
               "t.text AS text, c.title AS chapter_title")
"""Cypher return items of a task ``t`` (after :data:`TASK_CHAPTER`): a :class:`TaskRef`."""
TASK_KEYS = ("id", "number", "plan", "chapter", "text", "chapter_title")


def task_fields(g: nx.MultiDiGraph, task: str) -> Row:
    """The :data:`TASK_FIELDS` of ``task`` on the embedded graph."""
    p = props(g, task)
    titles = sorted(t for c, _, _ in edges_out(g, task, ["IN_CHAPTER"], "Chapter")
                    if (t := props(g, c).get("title")) is not None)
    return {"id": task, "number": p.get("number"), "plan": p.get("plan"),
            "chapter": p.get("chapter"), "text": p.get("text"),
            "chapter_title": titles[0] if titles else None}


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
        return [task_fields(g, n) for n in wanted
                if g.has_node(n) and g.nodes[n]["label"] == "Task"]

    rows: dict[str, Row] = {}
    for r in fetch(store, cypher, {"ids": wanted}, walk):  # a second chapter: smallest title
        old = rows.get(r["id"])
        if old is None or (r["chapter_title"] or "") < (old["chapter_title"] or ""):
            rows[r["id"]] = r
    return {i: task_ref(r) for i, r in rows.items()}


def task_order(t: TaskRef) -> tuple[Any, ...]:
    """Plan, then task number."""
    return (natural_key(t.plan), t.number, t.id)
