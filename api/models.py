"""Response and request models of the JSON API (what /docs shows)."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field, field_validator

from graph.records import EdgeRecord, GraphExport, NodeRecord
from viz.captions import node_caption

__all__ = [
    "CypherRequest",
    "CypherResult",
    "DeleteResult",
    "ErrorBody",
    "ErrorResponse",
    "GraphView",
    "Health",
    "IngestResult",
    "Mention",
    "NodeDetail",
    "NodeView",
    "Page",
    "PaletteOut",
    "QueryInfo",
    "SearchHit",
    "StatsOut",
    "graph_view",
    "node_view",
]

T = TypeVar("T")


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable error code, e.g. not_found.")
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorResponse(BaseModel):
    """The one error shape of every non-2xx answer (``GovGraphError.to_dict()``)."""

    error: ErrorBody


class Page(BaseModel, Generic[T]):
    """One page of a long list: ``items`` from ``offset``, ``total`` overall."""

    items: list[T]
    total: int
    limit: int
    offset: int


class NodeView(NodeRecord):
    """A node as the export contract has it, plus the caption drawings use."""

    caption: str = ""


class GraphView(BaseModel):
    """A drawable subgraph; ``truncated`` when the node cap cut it short."""

    nodes: list[NodeView] = Field(default_factory=list)
    edges: list[EdgeRecord] = Field(default_factory=list)
    truncated: bool = False
    limit: int = 0
    statuses: dict[str, str] = Field(
        default_factory=dict, description="Target statuses by node id, when a query gave them."
    )


class Mention(BaseModel):
    """An edge at a node, with the sentence it was read from (when it has one)."""

    type: str
    direction: Literal["out", "in"]
    other: str
    other_label: str
    other_caption: str
    properties: dict[str, Any] = Field(default_factory=dict)


class NodeDetail(NodeView):
    degree: int = 0
    mentions: list[Mention] = Field(default_factory=list)


class SearchHit(BaseModel):
    id: str
    label: str
    caption: str
    name: str
    snippet: str = ""
    score: float


class StatsOut(BaseModel):
    nodes: dict[str, int]
    edges: dict[str, int]
    reports: int
    total_nodes: int
    total_edges: int


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    backend: str
    version: str
    writes_enabled: bool
    queries: int


class PaletteOut(BaseModel):
    labels: dict[str, dict[str, Any]]
    edges: dict[str, dict[str, Any]]
    statuses: dict[str, dict[str, str]]
    responsibility_types: list[str]
    inferred: dict[str, Any]


class QueryInfo(BaseModel):
    name: str
    summary: str
    path: str
    parameters: dict[str, Any] = Field(description="JSON Schema of the query's parameters.")


class IngestResult(BaseModel):
    report_id: str
    title: str
    city: str
    year: int
    period: str
    tasks: int
    nodes_created: int
    nodes_updated: int
    edges_created: int
    edges_updated: int
    already_present: bool
    conflicts: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)


class DeleteResult(BaseModel):
    report_id: str
    deleted: bool = True
    nodes_updated: int = 0
    edges_updated: int = 0


_INT64 = (-(2**63), 2**63 - 1)


def _check_cypher_value(value: Any) -> None:
    """Refuse values Bolt cannot carry (they would fail inside the driver, not as a query error)."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return
    if isinstance(value, int):
        if not _INT64[0] <= value <= _INT64[1]:
            raise ValueError(f"integer {value} is outside the 64-bit range Cypher supports")
    elif isinstance(value, dict):
        for item in value.values():
            _check_cypher_value(item)
    elif isinstance(value, list):
        for item in value:
            _check_cypher_value(item)


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, max_length=20_000, description="Read-only Cypher.")
    params: dict[str, Any] = Field(
        default_factory=dict, description="Query parameters, referenced as $name in the query."
    )

    @field_validator("params")
    @classmethod
    def _bolt_values(cls, params: dict[str, Any]) -> dict[str, Any]:
        _check_cypher_value(params)
        return params


class CypherResult(BaseModel):
    rows: list[dict[str, Any]]
    row_cap: int
    truncated: bool


def node_view(node: NodeRecord) -> NodeView:
    return NodeView(
        id=node.id,
        label=node.label,
        properties=node.properties,
        caption=node_caption(node.label, node.properties),
    )


def graph_view(
    export: GraphExport, limit: int, statuses: dict[str, str] | None = None
) -> GraphView:
    return GraphView(
        nodes=[node_view(n) for n in export.nodes],
        edges=export.edges,
        truncated=len(export.nodes) >= limit,
        limit=limit,
        statuses=statuses or {},
    )
