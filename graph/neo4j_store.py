"""The Neo4j store, on the official ``neo4j`` driver.

It answers exactly as :class:`~graph.embedded.EmbeddedStore` does (the test suite runs both
through one fixture): the same ids, labels, property maps, edges and counts.  A document is
written in one write transaction: existing property maps are read (and write-locked), merged
in Python with the schema's policies (:func:`~graph.records.merge_properties`, as the embedded
store does), and only the nodes and edges that change are written, with batched ``UNWIND``
statements.  Any failure rolls the whole document back.

Sessions name their database and access mode and all work runs in managed read or write
transactions, so ``bolt://``, ``neo4j://`` and ``neo4j+s://`` (cluster, Aura) URIs all work.

>>> from neo4j import GraphDatabase                      # doctest: +SKIP
>>> store = Neo4jStore(GraphDatabase.driver("bolt://127.0.0.1:7687"), "neo4j")  # doctest: +SKIP
>>> store.write(records).nodes_created                   # doctest: +SKIP
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx
from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Session,
    unit_of_work,
)
from neo4j.exceptions import ClientError, ConstraintError

from graph import neo4j_cypher as cy
from graph.errors import NotFound, StoreError
from graph.neo4j_cypher import Plain, node_label, translate_errors
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
from graph.store import GraphStore, graph_from_export

if TYPE_CHECKING:
    from graph.settings import Settings

__all__ = ["Neo4jStore"]

T = TypeVar("T")
CHUNK = 5000
"""Rows per ``UNWIND`` statement: large enough to amortise round trips, small enough for heap."""

Stored = dict[str, tuple[str, dict[str, Any]]]  # id -> (label, properties)
EdgeGroup = tuple[str, str, str]  # (type, source label, target label)


def _chunks(rows: list[T], size: int = CHUNK) -> Iterator[list[T]]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def _lookup(tx: ManagedTransaction, ids: list[str], lock: bool = False) -> Stored:
    """Stored label and properties of those ``ids`` that exist, whatever their label."""
    found: Stored = {}
    for chunk in _chunks(sorted(set(ids))):
        for rec in tx.run(cy.lookup_query(lock), ids=chunk):
            found[rec["id"]] = (node_label(rec["labels"]), dict(rec["props"]))
    return found


def _neighbours(tx: ManagedTransaction, frontier: list[str], labels: dict[str, str],
                types: list[str] | None) -> dict[str, list[tuple[str, str, str]]]:
    """For each frontier id: (neighbour id, neighbour label, edge type), either direction."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node_id in frontier:
        by_label[labels[node_id]].append(node_id)
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for name, ids in by_label.items():
        for chunk in _chunks(ids):
            for r in tx.run(f"UNWIND $ids AS id MATCH (n:{cy.label(name)} {{id: id}})-[r]-(m) "
                            "WHERE $types IS NULL OR type(r) IN $types "
                            "RETURN id, m.id AS other, labels(m) AS labels, type(r) AS type",
                            ids=chunk, types=types):
                out[r["id"]].append((r["other"], node_label(r["labels"]), r["type"]))
    return out


def _neighbourhood(tx: ManagedTransaction, node_id: str, depth: int, labels: list[str] | None,
                   edge_types: list[str] | None, limit: int) -> GraphExport:
    """Breadth-first, one query per level, visiting neighbours in id order (as embedded)."""
    start = _lookup(tx, [node_id])
    if node_id not in start:
        raise NotFound(f"no node {node_id!r}", id=node_id)
    keep_label = set(labels) if labels else None
    types = sorted(set(edge_types)) if edge_types else None
    label_of = {node_id: start[node_id][0]}
    seen, frontier = [node_id], [node_id]
    for _ in range(max(depth, 0)):
        if not frontier:
            break
        adjacent = _neighbours(tx, frontier, label_of, types)
        nxt: list[str] = []
        for n in frontier:
            for other, other_label, _type in sorted(adjacent[n], key=lambda x: x[0]):
                if other in label_of:
                    continue
                if keep_label and other_label not in keep_label:
                    continue
                if len(seen) >= limit:
                    break
                label_of[other] = other_label
                seen.append(other)
                nxt.append(other)
        frontier = nxt
    stored = _lookup(tx, seen)
    nodes = [NodeRecord(id=n, label=stored[n][0], properties=stored[n][1]) for n in seen]
    edges = []
    for name in sorted({label_of[n] for n in seen}):
        ids = [n for n in seen if label_of[n] == name]
        for r in tx.run(f"UNWIND $ids AS id MATCH (a:{cy.label(name)} {{id: id}})-[r]->(b) "
                        "WHERE b.id IN $all AND ($types IS NULL OR type(r) IN $types) "
                        "RETURN id, type(r) AS type, b.id AS b, properties(r) AS props",
                        ids=ids, all=seen, types=types):
            edges.append(EdgeRecord(type=r["type"], source=r["id"], target=r["b"],
                                    properties=dict(r["props"])))
    return GraphExport(nodes=nodes, edges=edges).sorted()


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` on a Neo4j database reached through ``driver``.

    ``driver`` is injected (tests and the API share one); :meth:`from_settings` builds one
    from :class:`~graph.settings.Settings` and then owns it (:meth:`close` closes it).
    """

    backend = "neo4j"

    def __init__(self, driver: Driver, database: str = "neo4j", *,
                 owns_driver: bool = False) -> None:
        self.driver = driver
        self.database = database
        self._owns_driver = owns_driver
        self._schema_ready = False

    @classmethod
    def from_settings(cls, settings: Settings) -> Neo4jStore:
        """A store on ``settings.neo4j_uri`` (an empty password means no auth)."""
        password = settings.neo4j_password.get_secret_value()
        auth = (settings.neo4j_user, password) if password else None
        with translate_errors(f"connecting to {settings.neo4j_uri}"):
            driver = GraphDatabase.driver(settings.neo4j_uri, auth=auth)
        return cls(driver, settings.neo4j_database, owns_driver=True)

    def close(self) -> None:
        if self._owns_driver:
            self.driver.close()

    # -- transactions ------------------------------------------------------------------------
    def _session(self, mode: str, **config: Any) -> Session:
        """A routing-aware session on our database.

        Server notifications are off: the driver would log each one as a warning (a count of
        a relationship type not yet in the database is one), and nobody reads them here.
        """
        return self.driver.session(database=self.database, default_access_mode=mode,
                                   notifications_min_severity="OFF", **config)

    def _read(self, work: Callable[[ManagedTransaction], T], action: str) -> T:
        with translate_errors(action), self._session(READ_ACCESS) as session:
            return session.execute_read(work)

    def _write(self, work: Callable[[ManagedTransaction], T], action: str) -> T:
        with translate_errors(action), self._session(WRITE_ACCESS) as session:
            return session.execute_write(work)

    def _run_write(self, statement: str, action: str) -> None:
        def work(tx: ManagedTransaction) -> None:
            tx.run(statement).consume()

        self._write(work, action)

    def ensure_schema(self) -> None:
        """Create the constraints and indexes :data:`~graph.schema.SCHEMA` asks for.

        Idempotent (``IF NOT EXISTS``); called before the first write or search.
        """
        for statement in cy.schema_statements():
            try:
                self._run_write(statement, "creating the schema")
            except StoreError as e:  # a concurrent creator won the race: the rule exists
                cause = e.__cause__
                if not (isinstance(cause, ClientError) and "AlreadyExists" in (cause.code or "")):
                    raise
        self._run_write("CALL db.awaitIndexes(300)", "waiting for indexes")
        self._schema_ready = True

    def _ready(self) -> None:
        if not self._schema_ready:
            self.ensure_schema()

    # -- writes ------------------------------------------------------------------------------
    def write(self, records: DocumentRecords) -> WriteResult:
        records = records.deduplicated()
        records.validate_schema()
        self._ready()
        action = f"writing report {records.report_id!r}"
        for attempt in range(3):
            try:
                return self._write(lambda tx: self._write_tx(tx, records), action)
            except StoreError as e:
                # Two writers created the same new node at once; the loser re-reads and merges.
                if attempt == 2 or not isinstance(e.__cause__, ConstraintError):
                    raise
        raise AssertionError("unreachable")

    def _write_tx(self, tx: ManagedTransaction, records: DocumentRecords) -> WriteResult:
        result = WriteResult(report_id=records.report_id)
        stored = _lookup(tx, [n.id for n in records.nodes] + [records.report_id], lock=True)
        result.already_present = records.report_id in stored
        labels = self._write_nodes(tx, records, stored, result)
        self._write_edges(tx, records, labels, stored, result)
        return result

    @staticmethod
    def _write_nodes(tx: ManagedTransaction, records: DocumentRecords, stored: Stored,
                     result: WriteResult) -> dict[str, str]:
        """Create new nodes, rewrite changed ones; return each id's label as stored."""
        labels: dict[str, str] = {}
        new: dict[str, list[dict[str, Any]]] = defaultdict(list)
        changed: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node in records.nodes:
            if node.id not in stored:
                labels[node.id] = node.label
                new[node.label].append({"id": node.id, "props": node.properties})
                result.nodes_created += 1
                continue
            # Like the embedded store: merge by the record's label, keep the stored label.
            stored_label, props = stored[node.id]
            labels[node.id] = stored_label
            merged, conflicts = merge_properties(
                SCHEMA.label(node.label).props, props, node.properties)
            result.conflicts.extend(f"{node.id}.{c}" for c in conflicts)
            if merged != props:
                changed[stored_label].append({"id": node.id, "props": merged})
                result.nodes_updated += 1
        for name, rows in new.items():
            for chunk in _chunks(rows):
                tx.run(f"UNWIND $rows AS row CREATE (n:{cy.label(name)}) SET n = row.props",
                       rows=chunk).consume()
        for name, rows in changed.items():
            for chunk in _chunks(rows):
                tx.run(f"UNWIND $rows AS row MATCH (n:{cy.label(name)} {{id: row.id}}) "
                       "SET n = row.props", rows=chunk).consume()
        return labels

    @staticmethod
    def _write_edges(tx: ManagedTransaction, records: DocumentRecords, labels: dict[str, str],
                     stored: Stored, result: WriteResult) -> None:
        groups: dict[EdgeGroup, list[EdgeRecord]] = defaultdict(list)
        for edge in records.edges:
            groups[(edge.type, labels[edge.source], labels[edge.target])].append(edge)
        for (etype, src, tgt), edges in groups.items():
            ends = (f"MATCH (a:{cy.label(src)} {{id: row.source}}) "
                    f"MATCH (b:{cy.label(tgt)} {{id: row.target}}) ")
            matched = cy.edge_match(etype, src, tgt)
            # An edge can exist already only when both its ends did.
            old_rows = [{"source": e.source, "target": e.target, "key": e.key} for e in edges
                        if e.source in stored and e.target in stored]
            existing: dict[tuple[str, str, str], dict[str, Any]] = {}
            for chunk in _chunks(old_rows):
                for rec in tx.run(f"UNWIND $rows AS row {matched} RETURN row.source AS s, "
                                  "row.target AS t, row.key AS k, properties(r) AS props",
                                  rows=chunk):
                    existing.setdefault((rec["s"], rec["t"], rec["k"]), dict(rec["props"]))
            new_rows: list[dict[str, Any]] = []
            changed_rows: list[dict[str, Any]] = []
            for e in edges:
                ident = (e.source, e.target, e.key)
                row = {"source": e.source, "target": e.target, "key": e.key}
                if ident not in existing:
                    new_rows.append({**row, "props": e.properties})
                    result.edges_created += 1
                    continue
                merged, _ = merge_properties(
                    SCHEMA.relationship(etype).props, existing[ident], e.properties)
                if merged != existing[ident]:
                    changed_rows.append({**row, "props": merged})
                    result.edges_updated += 1
            for chunk in _chunks(new_rows):
                tx.run("UNWIND $rows AS row " + ends +
                       f"CREATE (a)-[r:{cy.rel_type(etype)}]->(b) SET r = row.props",
                       rows=chunk).consume()
            for chunk in _chunks(changed_rows):
                tx.run("UNWIND $rows AS row " + matched + "SET r = row.props",
                       rows=chunk).consume()

    def delete_report(self, report_id: str) -> WriteResult:
        def work(tx: ManagedTransaction) -> WriteResult | None:
            if not _lookup(tx, [report_id], lock=True):
                return None
            result = WriteResult(report_id=report_id)
            # Edges first, then nodes (DETACH takes the edges that other reports still hold).
            result.edges_updated = tx.run(
                "MATCH ()-[r]->() WHERE $rid IN r.reports "
                "WITH r, [x IN r.reports WHERE x <> $rid] AS rest WHERE size(rest) > 0 "
                "SET r.reports = rest RETURN count(r) AS c", rid=report_id).single(strict=True)["c"]
            tx.run("MATCH ()-[r]->() WHERE $rid IN r.reports DELETE r", rid=report_id).consume()
            result.nodes_updated = tx.run(
                "MATCH (n) WHERE $rid IN n.reports "
                "WITH n, [x IN n.reports WHERE x <> $rid] AS rest WHERE size(rest) > 0 "
                "SET n.reports = rest RETURN count(n) AS c", rid=report_id).single(strict=True)["c"]
            tx.run("MATCH (n) WHERE $rid IN n.reports DETACH DELETE n", rid=report_id).consume()
            return result

        result = self._write(work, f"deleting report {report_id!r}")
        if result is None:
            raise NotFound(f"no report {report_id!r}", id=report_id)
        return result

    def clear(self) -> None:
        with translate_errors("clearing the store"), self._session(WRITE_ACCESS) as session:
            # Batches keep a large graph's deletion inside the transaction memory limit.
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
                        ).consume()

    # -- reads -------------------------------------------------------------------------------
    def has_report(self, report_id: str) -> bool:
        return bool(self._read(lambda tx: _lookup(tx, [report_id]), "looking up a report"))

    def export(self) -> GraphExport:
        def work(tx: ManagedTransaction) -> GraphExport:
            nodes = [NodeRecord(id=r["id"], label=node_label(r["labels"]),
                                properties=dict(r["props"]))
                     for r in tx.run("MATCH (n) RETURN n.id AS id, labels(n) AS labels, "
                                     "properties(n) AS props")]
            edges = [EdgeRecord(type=r["type"], source=r["s"], target=r["t"],
                                properties=dict(r["props"]))
                     for r in tx.run("MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS s, "
                                     "b.id AS t, properties(r) AS props")]
            return GraphExport(nodes=nodes, edges=edges)

        return self._read(work, "exporting the graph").sorted()

    def stats(self) -> Stats:
        def work(tx: ManagedTransaction) -> Stats:
            # Counts by label and by type come from Neo4j's count store: no scan.
            nodes = {name: tx.run(f"MATCH (n:{cy.label(name)}) RETURN count(n) AS c")
                     .single(strict=True)["c"] for name in SCHEMA.labels}
            edges = {name: tx.run(f"MATCH ()-[r:{cy.rel_type(name)}]->() RETURN count(r) AS c")
                     .single(strict=True)["c"] for name in SCHEMA.relationships}
            return Stats(nodes={k: v for k, v in sorted(nodes.items()) if v},
                         edges={k: v for k, v in sorted(edges.items()) if v},
                         reports=nodes.get("Report", 0))

        return self._read(work, "counting the graph")

    def node(self, node_id: str) -> NodeRecord:
        found = self._read(lambda tx: _lookup(tx, [node_id]), f"reading node {node_id!r}")
        if node_id not in found:
            raise NotFound(f"no node {node_id!r}", id=node_id)
        name, props = found[node_id]
        return NodeRecord(id=node_id, label=name, properties=props)

    def nodes(self, label: str, **where: Any) -> list[NodeRecord]:
        declared = SCHEMA.label(label)
        conditions, params = [], {}
        for i, (key, value) in enumerate(sorted(where.items())):
            # Declared names go into the text (so indexes apply); any other key is a parameter.
            ref = f"n.`{key}`" if declared.prop(key) is not None else f"n[$k{i}]"
            params[f"k{i}"] = key
            if value is None:
                conditions.append(f"{ref} IS NULL")
            else:
                conditions.append(f"{ref} = $v{i}")
                params[f"v{i}"] = value
        query = (f"MATCH (n:{cy.label(label)}) "
                 + (f"WHERE {' AND '.join(conditions)} " if conditions else "")
                 + "RETURN n.id AS id, properties(n) AS props")
        rows = self._read(lambda tx: [(r["id"], dict(r["props"])) for r in tx.run(query, params)],
                          f"listing {label} nodes")
        return [NodeRecord(id=i, label=label, properties=p) for i, p in sorted(rows)]

    def neighbourhood(
        self,
        node_id: str,
        depth: int = 1,
        labels: list[str] | None = None,
        edge_types: list[str] | None = None,
        limit: int = 500,
    ) -> GraphExport:
        return self._read(
            lambda tx: _neighbourhood(tx, node_id, depth, labels, edge_types, limit),
            f"reading the neighbourhood of {node_id!r}",
        )

    def to_networkx(self) -> nx.MultiDiGraph:
        return graph_from_export(self.export())

    def fulltext(self, query: str, labels: list[str] | None = None,
                 limit: int = 20) -> list[tuple[str, float]]:
        """Node ids and scores whose full-text properties match ``query`` (``cjk`` analyzer).

        ``query`` is user text: Lucene syntax in it is escaped.  Best score first.
        """
        wanted = [SCHEMA.label(x).name for x in labels] if labels else None
        text = cy.lucene_escape(query).strip()
        if not text or limit <= 0:
            return []
        self._ready()
        indexes = [name for name, (covered, _) in cy.fulltext_indexes().items()
                   if wanted is None or set(covered) & set(wanted)]

        def work(tx: ManagedTransaction) -> list[tuple[str, float]]:
            hits: list[tuple[str, float]] = []
            for index in indexes:
                hits += [(r["id"], float(r["score"])) for r in tx.run(
                    "CALL db.index.fulltext.queryNodes($index, $q) YIELD node, score "
                    "WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels) "
                    "RETURN node.id AS id, score LIMIT $limit",
                    index=index, q=text, labels=wanted, limit=limit)]
            return sorted(hits, key=lambda h: (-h[1], h[0]))[:limit]

        return self._read(work, "searching the full-text index")

    def read_cypher(
        self, query: str, params: dict[str, Any] | None = None, *, timeout: float = 5.0,
        row_cap: int = 1000,
    ) -> list[dict[str, Any]]:
        """Run read-only Cypher in a read transaction; Neo4j itself refuses any write.

        At most ``row_cap`` rows come back, as plain JSON-able dicts (nodes as
        ``{"id", "label", "properties"}``, relationships as
        ``{"type", "source", "target", "properties"}``).  A syntax error, a write or
        a timeout raises :class:`~graph.errors.InvalidQuery`.
        """
        @unit_of_work(timeout=timeout)
        def work(tx: ManagedTransaction) -> list[dict[str, Any]]:
            plain = Plain()
            rows: list[dict[str, Any]] = []
            result = tx.run(query, params or {})
            for record in result:
                if len(rows) >= row_cap:
                    break
                rows.append({k: plain.value(v) for k, v in record.items()})
            if plain.missing:
                plain.resolve({r["e"]: r["id"] for r in tx.run(
                    "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS e, n.id AS id",
                    ids=sorted(plain.missing))})
            return rows

        with translate_errors("running read-only Cypher", client_is_invalid=True), \
                self._session(READ_ACCESS, fetch_size=max(1, min(row_cap + 1, 1000))) as session:
            return session.execute_read(work)
