"""Building blocks shared by the query modules.

Every query follows one shape: fetch flat rows (plain dicts of scalars) either with
parameterised Cypher on Neo4j or with a networkx walk on the embedded store, then build
the result model from those rows with the *same* Python code on both backends, so that
ordering, grouping and rounding cannot differ.  This module holds the dispatch, the
resolvers (department by id, canonical name or alias; task by id or number; ...), task
details with their chapter, deterministic sort keys and rounding.

Labels and relationship types reach Cypher text only through :func:`lab` / :func:`rels`,
which the schema vouches for; every user value is a ``$parameter``.

For scale: big answers come from Neo4j packed in one record (:func:`fetch_packed`);
whole-graph answers are kept per store version (:func:`whole_graph_answer`); the embedded
walks read networkx's adjacency dicts directly and find "the nodes with this property value"
through an index built once per graph (:func:`with_property`).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import combinations
from typing import Annotated, Any, Protocol, TypeVar, cast

import networkx as nx
from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from graph.errors import InvalidQuery
from graph.gc_pause import settle, thaw
from graph.schema import SCHEMA
from graph.store import GraphStore

__all__ = [
    "TASK_CHAPTER",
    "TASK_FIELDS",
    "CommaSplit",
    "NodeRef",
    "PlanRef",
    "Row",
    "TaskParams",
    "TaskRef",
    "VersionedCache",
    "edges_in",
    "edges_out",
    "embedded",
    "fetch",
    "fetch_packed",
    "lab",
    "natural_key",
    "packed",
    "pair_counts",
    "per_graph",
    "period_key",
    "plan_id",
    "props",
    "rels",
    "rnd",
    "task_fields",
    "task_order",
    "task_ref",
    "task_refs",
    "validated",
    "whole_graph_answer",
    "with_property",
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


def plan_id(name: str) -> str:
    """The id of a plan named by its id or by its city and year: one way to name a plan.

    >>> plan_id("南通-2019"), plan_id("plan:南通-2019"), plan_id(" 南通-2019 ")
    ('plan:南通-2019', 'plan:南通-2019', 'plan:南通-2019')
    """
    name = name.strip()
    return name if name.startswith("plan:") else f"plan:{name}"


def _plan_or_none(value: Any) -> Any:
    if isinstance(value, str):
        return plan_id(value) if value.strip() else None
    return value


PlanRef = Annotated[str | None, BeforeValidator(_plan_or_none)]
"""A plan parameter: ``plan:南通-2019`` or ``南通-2019`` (both become the id), empty = none."""


class TaskParams(BaseModel):
    """Parameters of the questions about one task: which task, and its plan when ambiguous."""

    task: str = Field(description="Task id or number.")
    plan: PlanRef = Field(
        None, description="Plan (plan:南通-2019 or 南通-2019), when a number is in several plans."
    )


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
A = TypeVar("A")


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
        return store.read_cypher(cypher, params, row_cap=ROW_CAP, plan_check=False)
    if store.backend == "embedded":
        return walk(embedded(store))
    raise InvalidQuery(f"unknown store backend {store.backend!r}")


def packed(match: str, columns: Sequence[tuple[str, str]]) -> str:
    """Cypher that returns the rows of ``match`` as one record: a list of value lists.

    ``columns`` are (name, expression) pairs.  Thousands of small records cost the driver
    several times more than one record holding the same values; :func:`fetch_packed`
    unpacks them into rows again.
    """
    return f"{match} RETURN collect([{', '.join(e for _, e in columns)}]) AS rows"


def fetch_packed(
    store: GraphStore,
    match: str,
    columns: Sequence[tuple[str, str]],
    params: dict[str, Any],
    walk: Callable[[_Embedded], list[Row]],
) -> list[Row]:
    """:func:`fetch` for big answers: rows named by ``columns``, sent packed by Neo4j."""
    if store.backend != "neo4j":
        return fetch(store, "", params, walk)
    keys = [name for name, _ in columns]
    records = store.read_cypher(packed(match, columns), params, row_cap=1, plan_check=False)
    return [dict(zip(keys, values, strict=True)) for r in records for values in r["rows"]]


# -- answers kept per store version ------------------------------------------------------------
class VersionedCache:
    """Answers kept per store object and :meth:`~GraphStore.version`, at most ``keep`` of them
    (least recently used out first; ``None``: no bound).

    Each module keeps its own (searches are many and cheap to redo; they must not push out
    whole-graph answers).  The version (one round trip on Neo4j) is read before computing: a
    write in between gives an answer newer than its version, and the next call sees a new
    version and computes again.  A store without a version is never cached.  ``get`` returns
    the kept object itself: treat it as read-only, or copy it.
    """

    def __init__(self, keep: int | None) -> None:
        self.keep = keep
        self._kept: weakref.WeakKeyDictionary[
            GraphStore, tuple[str, OrderedDict[tuple[Any, ...], Any]]
        ] = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def entries(self, store: GraphStore) -> OrderedDict[tuple[Any, ...], Any]:
        """The answers kept for the store's current version (one version read); a fresh,
        unkept dict when the store has no version."""
        return self._answers(store)[0]

    def _answers(self, store: GraphStore) -> tuple[OrderedDict[tuple[Any, ...], Any], bool]:
        """:meth:`entries`, and whether they are kept (the store has a version)."""
        version = store.version()
        if version is None:
            return OrderedDict(), False
        with self._lock:
            kept = self._kept.get(store)
            if kept is None or kept[0] != version:
                # Old answers go (or a new store came, and earlier ones may be garbage):
                # let the collector see what was frozen.
                thaw((id(store), version))
                kept = (version, OrderedDict())
                self._kept[store] = kept
            return kept[1], True

    def get(self, store: GraphStore, key: tuple[Any, ...], compute: Callable[[], A]) -> A:
        answers, kept = self._answers(store)
        with self._lock:
            if key in answers:
                answers.move_to_end(key)
                return cast(A, answers[key])
        answer = compute()
        with self._lock:
            answers[key] = answer
            while self.keep is not None and len(answers) > self.keep:
                answers.popitem(last=False)
        if kept:  # until the graph changes: out of the collector's full passes
            settle()
        return answer


_INDEX_LOCK = threading.Lock()
ANSWERS_KEPT = 32  # per store object: whole-graph answers for this many parameter sets
_WHOLE_GRAPH = VersionedCache(ANSWERS_KEPT)


def whole_graph_answer(store: GraphStore, key: tuple[Any, ...], compute: Callable[[], A]) -> A:
    """``compute()`` once per store object, version and ``key`` (:class:`VersionedCache`).

    For questions about the whole graph (every plan's tasks), whose answer costs a walk of
    every responsibility edge or target.  Callers get the kept answer itself: treat it as
    read-only (build a new model to filter it).
    """
    return _WHOLE_GRAPH.get(store, key, compute)


# -- embedded helpers ------------------------------------------------------------------------
def props(g: nx.MultiDiGraph, node: str) -> dict[str, Any]:
    """A node's properties (from networkx's node dict: ``g.nodes[...]`` is a slower view)."""
    return cast(dict[str, Any], g._node[node]["props"])


def edges_out(
    g: nx.MultiDiGraph, node: str, types: Iterable[str], label: str | None = None
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(target, type, edge props) of ``node``'s outgoing edges of ``types``.

    Reads the adjacency dicts directly: networkx's edge views cost several times more per
    edge, and tasks and hubs have many edges.
    """
    return _edges(g, g._succ.get(node, {}), types, label)


def edges_in(
    g: nx.MultiDiGraph, node: str, types: Iterable[str], label: str | None = None
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(source, type, edge props) of ``node``'s incoming edges of ``types``."""
    return _edges(g, g._pred.get(node, {}), types, label)


def _edges(
    g: nx.MultiDiGraph,
    adjacent: dict[str, dict[str, dict[str, Any]]],
    types: Iterable[str],
    label: str | None,
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    wanted = set(types)
    nodes = g._node
    for other, keyed in adjacent.items():
        if label is not None and nodes[other]["label"] != label:
            continue
        for d in keyed.values():
            if d["type"] in wanted:
                yield other, d["type"], d["props"]


_PER_GRAPH: weakref.WeakKeyDictionary[nx.MultiDiGraph, dict[tuple[Any, ...], Any]] = (
    weakref.WeakKeyDictionary()
)


def per_graph(g: nx.MultiDiGraph, key: tuple[Any, ...], build: Callable[[], A]) -> A:
    """``build()`` once per embedded graph object and ``key``: indexes derived from a graph
    (writes replace the embedded graph, never change it, so they never go stale).  The value
    is shared: read it, never change it."""
    with _INDEX_LOCK:
        built = _PER_GRAPH.setdefault(g, {})
        if key in built:
            return cast(A, built[key])
    value = build()
    with _INDEX_LOCK:
        value = built.setdefault(key, value)
    settle()
    return cast(A, value)


def with_property(s: _Embedded, label: str, name: str, value: Any) -> list[str]:
    """Ids of the ``label`` nodes whose property ``name`` equals ``value`` (sorted).

    An index built once per graph (:func:`per_graph`), like the Neo4j property indexes:
    "the tasks of one plan" without walking every task.  The list is the index's own: read
    it, never change it.
    """

    def build() -> dict[Any, list[str]]:
        groups: dict[Any, list[str]] = defaultdict(list)
        nodes = s.graph._node
        for n in s.ids_with_label(label):
            v = nodes[n]["props"].get(name)
            if isinstance(v, str | int) and not isinstance(v, bool):
                groups[v].append(n)
        return {v: sorted(ids) for v, ids in groups.items()}

    index = per_graph(s.graph, ("with_property", label, name), build)
    return index.get(value, [])


def pair_counts(
    members: dict[str, set[str]], key: Callable[[str], Any] | None = None
) -> Counter[tuple[str, str]]:
    """How many members each pair of holders shares (departments and their tasks, say).

    Counted member by member (a task has a handful of departments), never pair by pair of
    holders; each pair is ordered by ``key`` (the ids themselves by default).
    """
    holders: dict[str, list[str]] = defaultdict(list)
    for holder, ms in members.items():
        for m in ms:
            holders[m].append(holder)
    counts: Counter[tuple[str, str]] = Counter()
    for hs in holders.values():
        if len(hs) > 1:
            counts.update(combinations(sorted(hs, key=key), 2))
    return counts


# -- ordering and rounding -------------------------------------------------------------------
_DIGITS = re.compile(r"(\d+)")
_PERIOD_ORDER = {"plan": 0, "Q1": 1, "H1": 2, "Q3": 3, "FY": 4}


def natural_key(text: str | None) -> tuple[Any, ...]:
    """Sort key that puts ``task:x:9`` before ``task:x:10``.

    >>> sorted(["t:10", "t:9", "t:1"], key=natural_key)
    ['t:1', 't:9', 't:10']
    """
    parts: list[Any] = _DIGITS.split(text or "")
    parts[1::2] = map(int, parts[1::2])  # the digit runs: every other part
    return tuple(parts)


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
