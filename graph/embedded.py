"""The embedded default store: a networkx MultiDiGraph in-process, persisted to one file.

Writes are copy-on-write: a document is merged into a copy of the graph, the
copy is saved to a temporary file which is fsynced and renamed over the store
file, and only then does the store switch to it.  A failure anywhere leaves
both the file and the in-memory graph as they were; readers that hold the old
graph keep a consistent view.  A lock file serialises writers across processes.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import pickle
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import NotFound, StoreError
from graph.gc_pause import gc_paused
from graph.records import (
    DocumentRecords,
    EdgeRecord,
    GraphExport,
    NodeRecord,
    Stats,
    WriteResult,
    merge_properties,
)
from graph.schema import SCHEMA
from graph.store import GraphStore

__all__ = ["EmbeddedSnapshot", "EmbeddedStore"]

FORMAT = "govgraph-embedded/1"


def _edge_key(edge_type: str, key: str) -> str:
    return f"{edge_type}\x1f{key}"


class EmbeddedSnapshot:
    """One consistent view: a graph and its label index from the same write."""

    __slots__ = ("_index", "graph")

    def __init__(self, graph: nx.MultiDiGraph, index: dict[str, set[str]]) -> None:
        self.graph = graph
        self._index = index

    def ids_with_label(self, label: str) -> set[str]:
        return self._index.get(label, set())


def _release(graph: nx.MultiDiGraph) -> None:
    """Drop a replaced graph's cached views (``nodes``, ``edges``, ``degree``, ...).

    Each view refers back to its graph, so a replaced graph would wait for a full pass of
    the cyclic collector, which writes pause and which runs rarely on a big heap: a corpus
    written document by document kept every old copy alive (1.2 GB instead of 0.5 GB at
    100x).  Without the views, reference counting frees the graph as soon as the last reader
    lets go of it; a reader still holding it gets the views rebuilt on first use.
    """
    cached = [
        name
        for name in vars(graph)
        if isinstance(getattr(type(graph), name, None), functools.cached_property)
    ]
    for name in cached:
        del graph.__dict__[name]


class EmbeddedStore(GraphStore):
    """In-process store on networkx, persisted to ``path`` (``None``: memory only).

    >>> store = EmbeddedStore(None)
    >>> store.stats().total_nodes
    0
    """

    backend = "embedded"

    def __init__(self, path: Path | str | None) -> None:
        self.path = Path(path) if path is not None else None
        self._lock = threading.RLock()
        self._graph = nx.MultiDiGraph()
        self._mtime: float | None = None
        self._label_index: dict[str, set[str]] = defaultdict(set)
        # The graph with its label index, swapped in one assignment: a reader that takes both
        # from here never pairs one write's graph with another's index.
        self._view: tuple[nx.MultiDiGraph, dict[str, set[str]]] = (self._graph, self._label_index)
        self._generation = 0
        if self.path is not None and self.path.exists():
            self._load()

    # -- persistence -------------------------------------------------------
    def _load(self) -> None:
        assert self.path is not None
        # Unpickling builds millions of objects and frees none: with the collector on, its
        # passes over them took two thirds of loading the 1000x graph (10.7 s -> 3.2 s).
        with gc_paused():
            try:
                with self.path.open("rb") as fh:
                    payload = pickle.load(fh)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as e:
                raise StoreError(f"cannot read the embedded store {self.path}: {e}") from e
            if not isinstance(payload, dict) or payload.get("format") != FORMAT:
                raise StoreError(f"{self.path} is not a govgraph embedded store file")
            self._set_graph(payload["graph"])
        self._mtime = self.path.stat().st_mtime

    def _save(self, graph: nx.MultiDiGraph) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=self._temp_prefix(), suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(
                    {"format": FORMAT, "graph": graph}, fh, protocol=pickle.HIGHEST_PROTOCOL
                )
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
            dir_fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        self._mtime = self.path.stat().st_mtime

    def _temp_prefix(self) -> str:
        assert self.path is not None
        return f".{self.path.name}."

    def _remove_torn_temp_files(self) -> None:
        """Delete the temp files of writers killed mid-save (only the lock holder writes one)."""
        assert self.path is not None
        for torn in self.path.parent.glob(f"{self._temp_prefix()}*.tmp"):
            with contextlib.suppress(FileNotFoundError):
                torn.unlink()

    @contextlib.contextmanager
    def _writer(self) -> Iterator[None]:
        """Hold the thread lock and, when persisted, the inter-process file lock."""
        with self._lock:
            if self.path is None:
                yield
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path.with_suffix(".lock"), "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    self._remove_torn_temp_files()
                    if self.path.exists() and self.path.stat().st_mtime != self._mtime:
                        self._load()  # another process wrote since we read
                    yield
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)

    def _set_graph(self, graph: nx.MultiDiGraph) -> None:
        index: dict[str, set[str]] = defaultdict(set)
        for node_id, label in graph.nodes(data="label"):
            index[label].add(node_id)
        old = self._graph
        self._graph = graph
        self._label_index = index
        self._view = (graph, index)
        self._generation += 1
        if old is not graph:
            _release(old)

    def version(self) -> str:
        """Changes with every write or reload of this store object (graphs are replaced)."""
        return str(self._generation)

    def refresh(self) -> None:
        """Reload when another process replaced the file since we read it (one stat call)."""
        if self.path is None:
            return
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            return
        if mtime != self._mtime:
            with self._lock:
                if self.path.stat().st_mtime != self._mtime:
                    self._load()

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The current graph; treat as read-only (writes replace it, never mutate it)."""
        return self._graph

    def ids_with_label(self, label: str) -> set[str]:
        return self._view[1].get(label, set())

    def snapshot(self) -> EmbeddedSnapshot:
        """The graph and its label index as of one write; queries read through this."""
        graph, index = self._view
        return EmbeddedSnapshot(graph, index)

    # -- writes ------------------------------------------------------------
    def write(self, records: DocumentRecords) -> WriteResult:
        return self.write_many([records])[0]

    def write_many(self, documents: Sequence[DocumentRecords]) -> list[WriteResult]:
        """Write several documents with one copy and one save: all of them or none.

        Each document is still merged as :meth:`write` would, in order; the graph is
        copied and saved once, so ingesting a corpus is linear, not quadratic.
        """
        with gc_paused():
            prepared = [records.prepared() for records in documents]
            with self._writer():
                graph = self._graph.copy()
                results = []
                for records in prepared:
                    result = WriteResult(report_id=records.report_id)
                    result.already_present = graph.has_node(records.report_id)
                    for node in records.nodes:
                        self._merge_node(graph, node, result)
                    for edge in records.edges:
                        self._merge_edge(graph, edge, result)
                    results.append(result)
                try:
                    self._save(graph)
                except OSError as e:
                    raise StoreError(f"cannot write the embedded store {self.path}: {e}") from e
                self._set_graph(graph)
                return results

    @staticmethod
    def _merge_node(graph: nx.MultiDiGraph, node: NodeRecord, result: WriteResult) -> None:
        if not graph.has_node(node.id):
            graph.add_node(node.id, label=node.label, props=dict(node.properties))
            result.nodes_created += 1
            return
        attrs = graph.nodes[node.id]
        merged, conflicts = merge_properties(
            SCHEMA.label(node.label).props, attrs["props"], node.properties
        )
        result.conflicts.extend(f"{node.id}.{c}" for c in conflicts)
        if merged != attrs["props"]:
            attrs["props"] = merged  # a new dict: the previous graph keeps its own
            result.nodes_updated += 1

    @staticmethod
    def _merge_edge(graph: nx.MultiDiGraph, edge: EdgeRecord, result: WriteResult) -> None:
        key = _edge_key(edge.type, edge.key)
        if not graph.has_edge(edge.source, edge.target, key):
            graph.add_edge(
                edge.source, edge.target, key=key, type=edge.type, props=dict(edge.properties)
            )
            result.edges_created += 1
            return
        attrs = graph.edges[edge.source, edge.target, key]
        merged, _ = merge_properties(
            SCHEMA.relationship(edge.type).props, attrs["props"], edge.properties
        )
        if merged != attrs["props"]:
            attrs["props"] = merged
            result.edges_updated += 1

    def delete_report(self, report_id: str) -> WriteResult:
        with self._writer():
            if not self._graph.has_node(report_id):
                raise NotFound(f"no report {report_id!r}", id=report_id)
            graph = self._graph.copy()
            result = WriteResult(report_id=report_id)
            for u, v, k, attrs in list(graph.edges(keys=True, data=True)):
                reports = attrs["props"].get("reports", [])
                if report_id in reports:
                    rest = [r for r in reports if r != report_id]
                    if rest:
                        attrs["props"] = {**attrs["props"], "reports": rest}
                        result.edges_updated += 1
                    else:
                        graph.remove_edge(u, v, k)
            for node_id, attrs in list(graph.nodes(data=True)):
                reports = attrs["props"].get("reports", [])
                if report_id in reports:
                    rest = [r for r in reports if r != report_id]
                    if rest:
                        attrs["props"] = {**attrs["props"], "reports": rest}
                        result.nodes_updated += 1
                    else:
                        graph.remove_node(node_id)
            self._save(graph)
            self._set_graph(graph)
            return result

    def clear(self) -> None:
        with self._writer():
            graph = nx.MultiDiGraph()
            self._save(graph)
            self._set_graph(graph)

    # -- reads -------------------------------------------------------------
    def has_report(self, report_id: str) -> bool:
        return self._graph.has_node(report_id)

    def export(self) -> GraphExport:
        g = self._graph
        nodes = [
            NodeRecord(id=n, label=d["label"], properties=dict(d["props"]))
            for n, d in g.nodes(data=True)
        ]
        edges = [
            EdgeRecord(type=d["type"], source=u, target=v, properties=dict(d["props"]))
            for u, v, d in g.edges(data=True)
        ]
        return GraphExport(nodes=nodes, edges=edges).sorted()

    def stats(self) -> Stats:
        g, index = self._view
        edges: dict[str, int] = defaultdict(int)
        for _, _, t in g.edges(data="type"):
            edges[t] += 1
        nodes = {label: len(ids) for label, ids in index.items() if ids}
        return Stats(
            nodes=dict(sorted(nodes.items())),
            edges=dict(sorted(edges.items())),
            reports=nodes.get("Report", 0),
        )

    def node(self, node_id: str) -> NodeRecord:
        g = self._graph
        if not g.has_node(node_id):
            raise NotFound(f"no node {node_id!r}", id=node_id)
        d = g.nodes[node_id]
        return NodeRecord(id=node_id, label=d["label"], properties=dict(d["props"]))

    def nodes(self, label: str, **where: Any) -> list[NodeRecord]:
        SCHEMA.label(label)
        g, index = self._view
        out = []
        for node_id in sorted(index.get(label, set())):
            props = g.nodes[node_id]["props"]
            if all(props.get(k) == v for k, v in where.items()):
                out.append(NodeRecord(id=node_id, label=label, properties=dict(props)))
        return out

    def neighbourhood(
        self,
        node_id: str,
        depth: int = 1,
        labels: list[str] | None = None,
        edge_types: list[str] | None = None,
        limit: int = 500,
    ) -> GraphExport:
        g = self._graph
        if not g.has_node(node_id):
            raise NotFound(f"no node {node_id!r}", id=node_id)
        keep_label = set(labels) if labels else None
        keep_type = set(edge_types) if edge_types else None
        seen = [node_id]
        seen_set = {node_id}
        frontier = [node_id]
        for _ in range(max(depth, 0)):
            nxt: list[str] = []
            for n in frontier:
                neighbours = [(v, d) for _, v, d in g.out_edges(n, data=True)] + [
                    (u, d) for u, _, d in g.in_edges(n, data=True)
                ]
                for other, d in sorted(neighbours, key=lambda x: x[0]):
                    if other in seen_set:
                        continue
                    if keep_type and d["type"] not in keep_type:
                        continue
                    if keep_label and g.nodes[other]["label"] not in keep_label:
                        continue
                    if len(seen) >= limit:
                        break
                    seen.append(other)
                    seen_set.add(other)
                    nxt.append(other)
            frontier = nxt
        nodes = [
            NodeRecord(id=n, label=g.nodes[n]["label"], properties=dict(g.nodes[n]["props"]))
            for n in seen
        ]
        edges = [
            EdgeRecord(type=d["type"], source=u, target=v, properties=dict(d["props"]))
            for u, v, d in g.subgraph(seen).edges(data=True)
            if not keep_type or d["type"] in keep_type
        ]
        return GraphExport(nodes=nodes, edges=edges).sorted()

    def to_networkx(self) -> nx.MultiDiGraph:
        return self._graph
