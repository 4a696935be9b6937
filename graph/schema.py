"""The graph schema, as data.

Writers (both stores), the Neo4j constraint setup, record validation and the
docs all read this module; an undeclared label, relationship type or property
is a :class:`~graph.errors.SchemaError`, never a new type.

Merge policies say how a property combines when the same node or edge is
written again (by a second report of the same plan, say):

* ``first`` keeps the value already stored (a different new value is reported
  as a conflict when the property is marked ``conflict=True``);
* ``last`` overwrites;
* ``union`` keeps the sorted union of two lists (so the result does not depend
  on ingest order);
* ``min`` keeps the smaller value (provenance such as ``span``: order-independent);
* ``latest`` properties change together, taken from the write whose
  ``actual_rank`` is greater (a later report's figure replaces an earlier one,
  whatever order the reports are ingested in).

Every node and edge also carries ``reports`` (union): the ids of the reports
that contributed it, so deleting a report removes exactly what only it said.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

__all__ = [
    "ENTITY_LABELS",
    "LABELS",
    "MENTION_TYPES",
    "RELATIONSHIPS",
    "RESPONSIBILITY_TYPES",
    "SCHEMA",
    "Label",
    "Prop",
    "RelType",
    "Schema",
    "per_props",
    "prop_index",
]

T = TypeVar("T")
PropType = Literal["str", "int", "float", "bool", "list[str]", "list[float]", "list[int]"]
Policy = Literal["first", "last", "union", "min", "latest"]


@dataclass(frozen=True)
class Prop:
    name: str
    type: PropType = "str"
    policy: Policy = "first"
    required: bool = False
    conflict: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Label:
    name: str
    doc: str
    props: tuple[Prop, ...]
    fulltext: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()

    def prop(self, name: str) -> Prop | None:
        return prop_index(self.props).get(name)


@dataclass(frozen=True)
class RelType:
    name: str
    doc: str
    patterns: tuple[tuple[str, str], ...]
    props: tuple[Prop, ...] = ()

    def prop(self, name: str) -> Prop | None:
        return prop_index(self.props).get(name)


_PER_PROPS: dict[tuple[int, Callable[..., Any]], tuple[tuple[Prop, ...], Any]] = {}


def per_props(props: Iterable[Prop], build: Callable[[Iterable[Prop]], T]) -> T:
    """``build(props)``, kept per declared tuple and ``build`` (other iterables are built each
    time).  Keyed by the tuple's ``id`` for speed; the cache keeps the tuple alive, so that
    ``id`` cannot be reused by another."""
    if not isinstance(props, tuple):
        return build(props)
    key = (id(props), build)
    hit = _PER_PROPS.get(key)
    if hit is None or hit[0] is not props:
        hit = _PER_PROPS[key] = (props, build(props))
    return cast(T, hit[1])


def _by_name(props: Iterable[Prop]) -> dict[str, Prop]:
    return {p.name: p for p in props}


def prop_index(props: Iterable[Prop]) -> dict[str, Prop]:
    """``props`` by name (:func:`per_props`)."""
    return per_props(props, _by_name)


COMMON_NODE = (
    Prop("id", required=True, doc="Stable id, the same on both stores."),
    Prop("reports", "list[str]", "union", doc="Ids of the reports that contributed the node."),
)
ENTITY = (
    Prop("name", required=True, doc="Canonical name."),
    Prop("aliases", "list[str]", "union", doc="Every other surface form seen."),
)
COMMON_EDGE = (
    Prop("key", doc="Distinguishes parallel edges of one type between the same nodes."),
    Prop("reports", "list[str]", "union", doc="Ids of the reports that said it."),
)
MENTION = (
    Prop("surface", doc="Exact substring of the source text."),
    Prop("offset", "int", doc="Start of `surface` in the decoded source text (characters)."),
    Prop("report", doc="Id of the Report whose text holds the span."),
    Prop("part", doc="Which part of the task the span is in: task | progress | assignment."),
    Prop("sentence", doc="The sentence that holds the span."),
)
RESPONSIBILITY = (
    *MENTION,
    Prop(
        "source",
        required=True,
        doc="assignment (a document said so) | inferred (govgraph guessed).",
    ),
    Prop("score", "float", "last", doc="Inference score in [0, 1] (inferred edges only)."),
    Prop("evidence", "list[str]", "union", doc="Words or spans that decided an inferred edge."),
    Prop("rank", "int", doc="Position of the unit in the assignment list (0 = first)."),
)

LABELS: tuple[Label, ...] = (
    Label(
        "Plan",
        "A city's list of key tasks for one year.",
        (
            *COMMON_NODE,
            Prop("city", required=True),
            Prop("year", "int", required=True),
            Prop("name"),
        ),
        indexed=("city",),
    ),
    Label(
        "Report",
        "One ingested source document.",
        (
            *COMMON_NODE,
            Prop("title"),
            Prop("period", doc="e.g. 2019-H1, 2019-Q3, 2019 (whole year)."),
            Prop("sha256", required=True),
            Prop("path"),
            Prop("kind", doc="progress | assignment | plan"),
            Prop("plan"),
            Prop("chars", "int"),
            Prop("tasks", "int"),
            Prop("layout"),
            Prop("warnings", "list[str]", "union"),
            Prop(
                "parts",
                "list[str]",
                "union",
                doc="sha256 of each document written into the report: one, or the pages of a "
                "table ingested one after another.",
            ),
        ),
        indexed=("sha256",),
    ),
    Label(
        "Chapter",
        "A numbered (or closing unnumbered) heading of a plan.",
        (
            *COMMON_NODE,
            Prop("number", "int", required=True),
            Prop("title", conflict=True),
            Prop("plan"),
        ),
    ),
    Label(
        "Task",
        "A key task; unique by number within its Plan.",
        (
            *COMMON_NODE,
            Prop("number", "int", required=True),
            Prop("text", required=True, conflict=True),
            Prop("chapter", "int"),
            Prop("plan", required=True),
            Prop(
                "span", policy="min", doc="<report id>@<offset> of the text (smallest report id)."
            ),
            Prop(
                "section",
                "int",
                doc="Which numbered list of its document (2, 3 … when numbering restarts at 1: "
                "省 / 市 / 县 lists in one report); absent for the first.",
            ),
            Prop("incomplete", "bool", doc="True when the copy stops inside the task."),
            Prop(
                "columns",
                "list[str]",
                "union",
                doc="Other table columns of the task as 'header: value' (完成时限, 是否达序 …).",
            ),
        ),
        fulltext=("text",),
        indexed=("number", "plan"),
    ),
    Label(
        "Progress",
        "A task's progress text in one Report.",
        (
            *COMMON_NODE,
            Prop("text", required=True),
            Prop("report", required=True),
            Prop("task", "int"),
            Prop("plan"),
            Prop("period"),
            Prop("offset", "int"),
            Prop("items", "list[str]"),
        ),
        fulltext=("text",),
    ),
    Label(
        "Department",
        "A government department or collective unit with responsibility.",
        (
            *COMMON_NODE,
            *ENTITY,
            Prop("level", doc="国家 | 省 | 市 | 县区"),
            Prop("kind", doc="department | collective"),
            Prop(
                "known_as",
                "list[str]",
                "union",
                doc="Abbreviations and former names from the department directory.",
            ),
        ),
        fulltext=("name",),
        indexed=("name",),
    ),
    Label(
        "Official",
        "A lead official named by an assignment notice.",
        (
            *COMMON_NODE,
            *ENTITY,
            Prop("title", doc="Post, e.g. 副市长."),
        ),
        fulltext=("name",),
        indexed=("name",),
    ),
    Label(
        "Project",
        "A named project, facility, zone, platform or event.",
        (
            *COMMON_NODE,
            *ENTITY,
            Prop("kind"),
            Prop(
                "scope",
                doc="Where a generic name holds: a city, city:place or province "
                "(docs/IDENTITY.md); absent when the name is shared by every plan.",
            ),
        ),
        fulltext=("name",),
        indexed=("name",),
    ),
    Label(
        "Document",
        "A policy document, titled as inside 《》.",
        (
            *COMMON_NODE,
            *ENTITY,
            Prop("bracketed", "bool", "last"),
        ),
        fulltext=("name",),
        indexed=("name",),
    ),
    Label(
        "Place",
        "A geographic or administrative place.",
        (
            *COMMON_NODE,
            *ENTITY,
            Prop("kind"),
            Prop("parent", doc="Name of the enclosing place."),
        ),
        fulltext=("name",),
        indexed=("name",),
    ),
    Label(
        "Organization",
        "A company, university, institute, association, bank or body.",
        (
            *COMMON_NODE,
            *ENTITY,
            Prop("kind"),
            Prop(
                "scope",
                doc="Where a generic name holds: a city, city:place or province "
                "(docs/IDENTITY.md); absent when the name is shared by every plan.",
            ),
        ),
        fulltext=("name",),
        indexed=("name",),
    ),
    Label(
        "Target",
        "A quantitative target of a task, with the figure reported against it.",
        (
            *COMMON_NODE,
            Prop("metric"),
            Prop("value", "float", required=True),
            Prop("unit"),
            Prop("qualifier"),
            Prop("text"),
            Prop("task", "int"),
            Prop("plan"),
            Prop("span", policy="min", doc="<report id>@<offset> of the target clause."),
            Prop("actual_value", "float", "latest"),
            Prop("actual_unit", policy="latest"),
            Prop("actual_text", policy="latest"),
            Prop("actual_offset", "int", "latest"),
            Prop("actual_report", policy="latest"),
            Prop("actual_period", policy="latest"),
            Prop("actual_rank", policy="latest", doc="Sortable period of the actual figure."),
            Prop("ratio", "float", "latest", doc="actual / target when comparable."),
        ),
    ),
)

RELATIONSHIPS: tuple[RelType, ...] = (
    RelType("IN_CHAPTER", "A task belongs to a chapter.", (("Task", "Chapter"),), COMMON_EDGE),
    RelType(
        "OF_PLAN",
        "A chapter or report belongs to a plan.",
        (("Chapter", "Plan"), ("Report", "Plan")),
        COMMON_EDGE,
    ),
    RelType(
        "OVERSEES",
        "A lead official oversees a task.",
        (("Official", "Task"),),
        (*COMMON_EDGE, *RESPONSIBILITY),
    ),
    RelType(
        "LEADS",
        "A department leads a task.",
        (("Department", "Task"),),
        (*COMMON_EDGE, *RESPONSIBILITY),
    ),
    RelType(
        "ASSISTS",
        "A department co-operates on a task.",
        (("Department", "Task"),),
        (*COMMON_EDGE, *RESPONSIBILITY),
    ),
    RelType(
        "SERVES",
        "A task implements a policy document.",
        (("Document", "Task"),),
        (*COMMON_EDGE, *MENTION),
    ),
    RelType(
        "INVOLVES", "A task involves a project.", (("Task", "Project"),), (*COMMON_EDGE, *MENTION)
    ),
    RelType(
        "MENTIONS",
        "A task's text mentions a place, organization or department.",
        (("Task", "Place"), ("Task", "Organization"), ("Task", "Department")),
        (*COMMON_EDGE, *MENTION),
    ),
    RelType(
        "LOCATED_IN",
        "A project or place lies in a place.",
        (("Project", "Place"), ("Place", "Place")),
        (*COMMON_EDGE, Prop("source", doc="name | gazetteer | sentence")),
    ),
    RelType(
        "PART_OF",
        "A named section of a line is part of the line (北沿江高铁南通段 -> 北沿江高铁).",
        (("Project", "Project"),),
        (*COMMON_EDGE, Prop("source", doc="name")),
    ),
    RelType("HAS_TARGET", "A task has a quantitative target.", (("Task", "Target"),), COMMON_EDGE),
    RelType(
        "MEASURES",
        "A progress text reports a figure against a target.",
        (("Progress", "Target"),),
        (
            *COMMON_EDGE,
            Prop("value", "float"),
            Prop("unit"),
            Prop("text"),
            Prop("offset", "int"),
            Prop("report"),
            Prop("ratio", "float"),
        ),
    ),
    RelType("ON_TASK", "A progress text reports on a task.", (("Progress", "Task"),), COMMON_EDGE),
    RelType(
        "IN_REPORT", "A progress text comes from a report.", (("Progress", "Report"),), COMMON_EDGE
    ),
)

ENTITY_LABELS = ("Department", "Official", "Project", "Document", "Place", "Organization")
MENTION_TYPES = ("SERVES", "INVOLVES", "MENTIONS")
RESPONSIBILITY_TYPES = ("OVERSEES", "LEADS", "ASSISTS")


@dataclass(frozen=True)
class Schema:
    labels: dict[str, Label] = field(default_factory=lambda: {lb.name: lb for lb in LABELS})
    relationships: dict[str, RelType] = field(
        default_factory=lambda: {r.name: r for r in RELATIONSHIPS}
    )

    def label(self, name: str) -> Label:
        from graph.errors import SchemaError

        try:
            return self.labels[name]
        except KeyError:
            raise SchemaError(f"undeclared label {name!r}", label=name) from None

    def relationship(self, name: str) -> RelType:
        from graph.errors import SchemaError

        try:
            return self.relationships[name]
        except KeyError:
            raise SchemaError(f"undeclared relationship type {name!r}", type=name) from None

    def allows(self, rel: str, source_label: str, target_label: str) -> bool:
        return (source_label, target_label) in self.relationship(rel).patterns

    def label_of_id(self, node_id: str) -> str | None:
        """The label an id's prefix names (``place:海门市`` -> ``Place``), if any.

        Ids are ``<label in lower case>:...``; a record whose id names a label must carry
        that label (checked on validation), so a store may look such an id up under that
        label's index alone.

        >>> SCHEMA.label_of_id("place:海门市"), SCHEMA.label_of_id("海门市")
        ('Place', None)
        """
        prefix, sep, _ = node_id.partition(":")
        return _BY_PREFIX.get(prefix) if sep else None


SCHEMA = Schema()
_BY_PREFIX = {name.lower(): name for name in SCHEMA.labels}
