"""Records that ingest produces and stores write, and the export shape.

A :class:`DocumentRecords` is everything one source document contributes; a
store writes it whole (one transaction) or not at all.  Property values are
plain scalars or lists of scalars, which both networkx and Neo4j store as is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Field

from graph.errors import SchemaError
from graph.schema import SCHEMA, Prop, per_props, prop_index

__all__ = [
    "DocumentRecords",
    "EdgeRecord",
    "GraphExport",
    "NodeRecord",
    "Stats",
    "WriteResult",
    "clean_properties",
    "edge_identity",
    "merge_properties",
]

Value = str | int | float | bool | list[str] | list[float] | list[int]


class NodeRecord(BaseModel):
    id: str
    label: str
    properties: dict[str, Any] = Field(default_factory=dict)


class EdgeRecord(BaseModel):
    type: str
    source: str
    target: str
    properties: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> str:
        return str(self.properties.get("key", ""))


def edge_identity(edge_type: str, source: str, target: str, key: str) -> tuple[str, str, str, str]:
    """What makes two edges the same edge (on both stores)."""
    return (edge_type, source, target, key)


class DocumentRecords(BaseModel):
    """Everything one document contributes to the graph."""

    report_id: str
    nodes: list[NodeRecord] = Field(default_factory=list)
    edges: list[EdgeRecord] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def validate_schema(self) -> None:
        """Raise :class:`SchemaError` unless every record fits the schema.

        Also fills ``id``/``reports`` on nodes and ``key``/``reports`` on edges
        and drops ``None`` values, so the stores receive clean rows.
        """
        labels: dict[str, str] = {}
        for node in self.nodes:
            label = SCHEMA.label(node.label)
            node.properties["id"] = node.id
            node.properties.setdefault("reports", [self.report_id])
            node.properties = clean_properties(
                label.props, node.properties, f"{node.label} {node.id}"
            )
            for prop in label.props:
                if prop.required and prop.name not in node.properties:
                    raise SchemaError(
                        f"{node.label} {node.id} lacks required property {prop.name!r}"
                    )
            if labels.setdefault(node.id, node.label) != node.label:
                raise SchemaError(f"node id {node.id!r} used with two labels")
            named = SCHEMA.label_of_id(node.id)
            if named is not None and named != node.label:
                raise SchemaError(f"node id {node.id!r} names label {named}, not {node.label}")
        for edge in self.edges:
            rel = SCHEMA.relationship(edge.type)
            src, tgt = labels.get(edge.source), labels.get(edge.target)
            if src is None or tgt is None:
                missing = edge.source if src is None else edge.target
                raise SchemaError(
                    f"{edge.type} edge refers to node {missing!r} not in the document"
                )
            if (src, tgt) not in rel.patterns:
                raise SchemaError(f"pattern ({src})-[:{edge.type}]->({tgt}) is not in the schema")
            edge.properties.setdefault("key", "")
            edge.properties.setdefault("reports", [self.report_id])
            edge.properties = clean_properties(
                rel.props, edge.properties, f"{edge.type} {edge.source}->{edge.target}"
            )

    def prepared(self) -> DocumentRecords:
        """Deduplicated and schema-validated: what a store writes (raises ``SchemaError``)."""
        records = self.deduplicated()
        records.validate_schema()
        return records

    def deduplicated(self) -> DocumentRecords:
        """Merge records with the same identity inside this document."""
        nodes: dict[str, NodeRecord] = {}
        for node in self.nodes:
            if node.id in nodes:
                merged, _ = merge_properties(
                    SCHEMA.label(node.label).props, nodes[node.id].properties, node.properties
                )
                nodes[node.id] = NodeRecord(id=node.id, label=node.label, properties=merged)
            else:
                nodes[node.id] = node
        edges: dict[tuple[str, str, str, str], EdgeRecord] = {}
        for edge in self.edges:
            ident = edge_identity(edge.type, edge.source, edge.target, edge.key)
            if ident in edges:
                merged, _ = merge_properties(
                    SCHEMA.relationship(edge.type).props, edges[ident].properties, edge.properties
                )
                edges[ident] = EdgeRecord(
                    type=edge.type, source=edge.source, target=edge.target, properties=merged
                )
            else:
                edges[ident] = edge
        return DocumentRecords(
            report_id=self.report_id,
            nodes=list(nodes.values()),
            edges=list(edges.values()),
            warnings=self.warnings,
        )


_CASTS: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
_Check = tuple[bool, type, bool]  # (is a list, item type, sorted as a set)


def _build_checks(props: Iterable[Prop]) -> dict[str, _Check]:
    checks: dict[str, _Check] = {}
    for p in props:
        is_list = p.type.startswith("list[")
        checks[p.name] = (is_list, _CASTS[p.type[5:-1] if is_list else p.type], p.policy == "union")
    return checks


def _checks(props: Iterable[Prop]) -> dict[str, _Check]:
    """Per declared property: how to check and cast its value (built once per schema tuple)."""
    return per_props(props, _build_checks)


def clean_properties(props: Iterable[Prop], values: dict[str, Any], where: str) -> dict[str, Any]:
    """Check names and types against the schema; drop ``None``; sort union lists."""
    checks = _checks(props)
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        check = checks.get(name)
        if check is None:
            raise SchemaError(f"{where}: undeclared property {name!r}")
        is_list, cast, union = check
        if is_list:
            if not isinstance(value, list | tuple | set):
                raise SchemaError(f"{where}: property {name!r} must be a list")
            items = [v if type(v) is cast else cast(v) for v in value if v is not None]
            out[name] = sorted(set(items)) if union else items
        elif isinstance(value, list | dict | tuple | set):
            raise SchemaError(f"{where}: property {name!r} must be a {cast.__name__}")
        else:
            out[name] = value if type(value) is cast else cast(value)
    return out


def merge_properties(
    props: Iterable[Prop], existing: dict[str, Any], new: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Combine a stored property map with a new one, by each property's policy.

    Returns the merged map and the names of ``conflict=True`` properties whose
    new value differed from the stored one (the stored value is kept).

    >>> from graph.schema import SCHEMA
    >>> merge_properties(SCHEMA.label("Place").props,
    ...     {"name": "海门市", "aliases": ["海门"]}, {"name": "海门市", "aliases": ["海门区"]})
    ({'name': '海门市', 'aliases': ['海门', '海门区']}, [])
    """
    declared = prop_index(props)
    merged = dict(existing)
    conflicts: list[str] = []
    newer = str(new.get("actual_rank", "")) > str(existing.get("actual_rank", ""))
    for name, value in new.items():
        prop = declared.get(name)
        policy = prop.policy if prop else "first"
        if name not in merged:
            merged[name] = value
        elif policy == "union":
            merged[name] = sorted(set(merged[name]) | set(value))
        elif policy == "last" or (policy == "latest" and newer):
            merged[name] = value
        elif policy == "min":
            merged[name] = min(merged[name], value)
        elif merged[name] != value and prop is not None and prop.conflict:
            conflicts.append(name)
    return merged, conflicts


class WriteResult(BaseModel):
    report_id: str
    nodes_created: int = 0
    nodes_updated: int = 0
    edges_created: int = 0
    edges_updated: int = 0
    conflicts: list[str] = Field(default_factory=list)
    already_present: bool = False


class GraphExport(BaseModel):
    """The export contract (see docs and DESIGN.md): stable ids, sorted."""

    nodes: list[NodeRecord] = Field(default_factory=list)
    edges: list[EdgeRecord] = Field(default_factory=list)

    def sorted(self) -> GraphExport:
        return GraphExport(
            nodes=sorted(self.nodes, key=lambda n: n.id),
            edges=sorted(self.edges, key=lambda e: (e.type, e.source, e.target, e.key)),
        )


class Stats(BaseModel):
    nodes: dict[str, int] = Field(default_factory=dict)
    edges: dict[str, int] = Field(default_factory=dict)
    reports: int = 0

    @property
    def total_nodes(self) -> int:
        return sum(self.nodes.values())

    @property
    def total_edges(self) -> int:
        return sum(self.edges.values())
