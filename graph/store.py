"""The ``GraphStore`` interface that both stores implement.

Queries talk to a store through this interface (plus ``read_cypher`` on Neo4j
and ``graph`` on the embedded store); tests run the same behaviour on both.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import Any, Literal

import networkx as nx

from graph.records import DocumentRecords, GraphExport, NodeRecord, Stats, WriteResult

__all__ = ["CypherRows", "GraphStore", "graph_from_export"]


class CypherRows(list[dict[str, Any]]):
    """Rows of raw Cypher; ``truncated`` when the row cap or the byte cap cut them short."""

    truncated: bool = False


class GraphStore(ABC):
    """A place where documents' records are written and the graph is read back."""

    backend: Literal["embedded", "neo4j"]

    @abstractmethod
    def write(self, records: DocumentRecords) -> WriteResult:
        """Write one document whole (one transaction) or raise, leaving the store unchanged."""

    def write_many(self, documents: Sequence[DocumentRecords]) -> list[WriteResult]:
        """Write several documents, each whole; none when any fails schema validation.

        The embedded store writes them in one save (all or nothing); here each document
        is its own transaction once all have been validated.
        """
        prepared = [records.prepared() for records in documents]
        return [self.write(records) for records in prepared]

    def version(self) -> str | None:
        """A token that changes whenever the stored graph changes (``None``: not known).

        Caches of whole-graph answers key on it; equal tokens mean an unchanged graph.
        """
        return None

    @abstractmethod
    def has_report(self, report_id: str) -> bool: ...

    @abstractmethod
    def delete_report(self, report_id: str) -> WriteResult:
        """Remove what only this report contributed; raise ``NotFound`` if it is absent."""

    @abstractmethod
    def export(self) -> GraphExport:
        """The whole graph in the export contract's shape, sorted."""

    @abstractmethod
    def stats(self) -> Stats: ...

    @abstractmethod
    def node(self, node_id: str) -> NodeRecord:
        """One node by id; ``NotFound`` if absent."""

    @abstractmethod
    def nodes(self, label: str, **where: Any) -> list[NodeRecord]:
        """Nodes of one label whose properties equal ``where`` (sorted by id)."""

    @abstractmethod
    def neighbourhood(
        self,
        node_id: str,
        depth: int = 1,
        labels: list[str] | None = None,
        edge_types: list[str] | None = None,
        limit: int = 500,
    ) -> GraphExport:
        """Nodes within ``depth`` hops (either direction) and the edges among them."""

    @abstractmethod
    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph as networkx (node attrs ``label``/``props``; edge ``type``/``props``)."""

    @abstractmethod
    def clear(self) -> None:
        """Delete everything (tests and ``govgraph reset``)."""

    def read_cypher(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout: float = 5.0,
        row_cap: int = 1000,
        plan_check: bool = True,
        max_bytes: int | None = None,
    ) -> list[dict[str, Any]]:
        """Run read-only Cypher; only the Neo4j store can."""
        from graph.errors import NeedsNeo4j

        raise NeedsNeo4j("raw Cypher needs the Neo4j store (set GOVGRAPH_STORE=neo4j)")

    def refresh(self) -> None:  # noqa: B027 - optional hook
        """See writes made by other processes (a no-op where the server already does)."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections and locks."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def graph_from_export(export: GraphExport) -> nx.MultiDiGraph:
    """Build the networkx form of an export (how the Neo4j store offers analytics)."""
    g = nx.MultiDiGraph()
    for n in export.nodes:
        g.add_node(n.id, label=n.label, props=n.properties)
    for e in export.edges:
        g.add_edge(e.source, e.target, key=f"{e.type}\x1f{e.key}", type=e.type, props=e.properties)
    return g
