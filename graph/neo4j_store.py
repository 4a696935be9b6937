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

from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import networkx as nx
from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    Driver,
    GraphDatabase,
    ManagedTransaction,
    Session,
    Transaction,
    unit_of_work,
)
from neo4j.exceptions import ClientError, ConstraintError

from graph import neo4j_cypher as cy
from graph import neo4j_tx as ntx
from graph.errors import InvalidQuery, NotFound, StoreError
from graph.gc_pause import gc_paused
from graph.neo4j_cypher import node_label, translate_errors
from graph.records import (
    DocumentRecords,
    EdgeRecord,
    GraphExport,
    NodeRecord,
    Stats,
    WriteResult,
)
from graph.schema import SCHEMA
from graph.store import CypherRows, GraphStore, graph_from_export

if TYPE_CHECKING:
    from graph.settings import Settings

__all__ = ["Neo4jStore", "document_batches"]

T = TypeVar("T")


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` on a Neo4j database reached through ``driver``.

    ``driver`` is injected (tests and the API share one); :meth:`from_settings` builds one
    from :class:`~graph.settings.Settings` and then owns it (:meth:`close` closes it).
    """

    backend = "neo4j"

    def __init__(
        self, driver: Driver, database: str = "neo4j", *, owns_driver: bool = False
    ) -> None:
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
        return self.driver.session(
            database=self.database,
            default_access_mode=mode,
            notifications_min_severity="OFF",
            **config,
        )

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
        existing, all_online = self._schema_state()
        wait = not all_online
        for statement in cy.schema_statements():
            if _statement_name(statement) in existing:
                continue  # already there: no write transaction (a cold start costs one read)
            wait = True
            try:
                self._run_write(statement, "creating the schema")
            except StoreError as e:  # a concurrent creator won the race: the rule exists
                cause = e.__cause__
                if not (isinstance(cause, ClientError) and "AlreadyExists" in (cause.code or "")):
                    raise
        if wait:
            self._run_write("CALL db.awaitIndexes(300)", "waiting for indexes")
        self._schema_ready = True

    def _schema_state(self) -> tuple[set[str], bool]:
        """Names of the database's indexes and constraints, and whether every index is online
        (one read transaction)."""

        def work(tx: ManagedTransaction) -> tuple[set[str], bool]:
            indexes = [(r["name"], r["state"]) for r in tx.run("SHOW INDEXES YIELD name, state")]
            names = {name for name, _ in indexes}
            names |= {r["name"] for r in tx.run("SHOW CONSTRAINTS YIELD name")}
            return names, all(state == "ONLINE" for _, state in indexes)

        return self._read(work, "reading the schema")

    def _ready(self) -> None:
        if not self._schema_ready:
            self.ensure_schema()

    # -- writes ------------------------------------------------------------------------------
    BATCH_ROWS = 50_000
    """Nodes + edges per write transaction in :meth:`write_many` (documents are never split)."""

    def write(self, records: DocumentRecords) -> WriteResult:
        return self.write_many([records])[0]

    def write_many(self, documents: Sequence[DocumentRecords]) -> list[WriteResult]:
        """Write documents in order, several per transaction, each whole.

        All are validated first (a schema error writes nothing).  Documents are then grouped
        into transactions of about :attr:`BATCH_ROWS` nodes and edges; each transaction
        merges its documents in one pass (see :func:`graph.neo4j_tx.write_documents`), so a
        corpus costs a few round trips per batch instead of dozens per document.  A failure
        rolls back its own batch: documents already committed stay, none is half-written.
        """
        with gc_paused():
            prepared = [records.prepared() for records in documents]
            if not prepared:
                return []
            self._ready()
            results: list[WriteResult] = []
            for batch in document_batches(prepared, self.BATCH_ROWS):
                results += self._write_batch(batch)
            return results

    def _write_batch(self, batch: list[DocumentRecords]) -> list[WriteResult]:
        names = ", ".join(repr(r.report_id) for r in batch[:3])
        more = f" and {len(batch) - 3} more" if len(batch) > 3 else ""
        action = f"writing report{'s' if len(batch) > 1 else ''} {names}{more}"
        for attempt in range(3):
            try:
                return self._write(lambda tx: ntx.write_documents(tx, batch), action)
            except StoreError as e:
                # Two writers created the same new node at once; the loser re-reads and merges.
                if attempt == 2 or not isinstance(e.__cause__, ConstraintError):
                    raise
        raise AssertionError("unreachable")

    def delete_report(self, report_id: str) -> WriteResult:
        result = self._write(
            lambda tx: ntx.delete_document(tx, report_id), f"deleting report {report_id!r}"
        )
        if result is None:
            raise NotFound(f"no report {report_id!r}", id=report_id)
        return result

    def clear(self) -> None:
        with translate_errors("clearing the store"), self._session(WRITE_ACCESS) as session:
            # Batches keep a large graph's deletion inside the transaction memory limit;
            # relationships go first, so a hub node's thousands of them do not all fall
            # into the one batch that detaches it.
            session.run(
                "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
            session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    # -- reads -------------------------------------------------------------------------------
    def version(self) -> str:
        """The database's latest bookmark: it names the last committed transaction, so it
        changes with every write (by any client) and only then.  One round trip."""

        def work(tx: ManagedTransaction) -> None:
            tx.run("RETURN 1").consume()

        with translate_errors("reading the graph's version"), self._session(READ_ACCESS) as s:
            s.execute_read(work)
            return "|".join(sorted(s.last_bookmarks().raw_values))

    def has_report(self, report_id: str) -> bool:
        return bool(self._read(lambda tx: ntx.lookup(tx, [report_id]), "looking up a report"))

    def export(self) -> GraphExport:
        def work(tx: ManagedTransaction) -> GraphExport:
            nodes = [
                NodeRecord(id=r["id"], label=node_label(r["labels"]), properties=dict(r["props"]))
                for r in tx.run(
                    "MATCH (n) RETURN n.id AS id, labels(n) AS labels, properties(n) AS props"
                )
            ]
            edges = [
                EdgeRecord(
                    type=r["type"], source=r["s"], target=r["t"], properties=dict(r["props"])
                )
                for r in tx.run(
                    "MATCH (a)-[r]->(b) RETURN type(r) AS type, a.id AS s, "
                    "b.id AS t, properties(r) AS props"
                )
            ]
            return GraphExport(nodes=nodes, edges=edges)

        return self._read(work, "exporting the graph").sorted()

    def stats(self) -> Stats:
        def work(tx: ManagedTransaction) -> Stats:
            # Counts by label and by type come from Neo4j's count store: no scan.
            nodes = {
                name: tx.run(f"MATCH (n:{cy.label(name)}) RETURN count(n) AS c").single(
                    strict=True
                )["c"]
                for name in SCHEMA.labels
            }
            edges = {
                name: tx.run(f"MATCH ()-[r:{cy.rel_type(name)}]->() RETURN count(r) AS c").single(
                    strict=True
                )["c"]
                for name in SCHEMA.relationships
            }
            return Stats(
                nodes={k: v for k, v in sorted(nodes.items()) if v},
                edges={k: v for k, v in sorted(edges.items()) if v},
                reports=nodes.get("Report", 0),
            )

        return self._read(work, "counting the graph")

    def node(self, node_id: str) -> NodeRecord:
        found = self._read(lambda tx: ntx.lookup(tx, [node_id]), f"reading node {node_id!r}")
        if node_id not in found:
            raise NotFound(f"no node {node_id!r}", id=node_id)
        name, props = found[node_id]
        return NodeRecord(id=node_id, label=name, properties=props)

    def nodes(self, label: str, **where: Any) -> list[NodeRecord]:
        declared = SCHEMA.label(label)
        if not all(ntx.storable(v) for v in where.values()):
            return []  # no stored property can equal it (an integer beyond 64 bits, say)
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
        query = (
            f"MATCH (n:{cy.label(label)}) "
            + (f"WHERE {' AND '.join(conditions)} " if conditions else "")
            + "RETURN n.id AS id, properties(n) AS props"
        )
        rows = self._read(
            lambda tx: [(r["id"], dict(r["props"])) for r in tx.run(query, params)],
            f"listing {label} nodes",
        )
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
            lambda tx: ntx.neighbourhood(tx, node_id, depth, labels, edge_types, limit),
            f"reading the neighbourhood of {node_id!r}",
        )

    def to_networkx(self) -> nx.MultiDiGraph:
        return graph_from_export(self.export())

    def fulltext(
        self, query: str, labels: list[str] | None = None, limit: int = 20
    ) -> list[tuple[str, float]]:
        """Node ids and scores whose full-text properties match ``query`` (``cjk`` analyzer).

        ``query`` is user text: Lucene syntax in it is escaped.  Best score first.
        """
        wanted = [SCHEMA.label(x).name for x in labels] if labels else None
        text = cy.lucene_escape(query).strip()
        if not text or limit <= 0:
            return []
        self._ready()
        indexes = [
            name
            for name, (covered, _) in cy.fulltext_indexes().items()
            if wanted is None or set(covered) & set(wanted)
        ]

        def work(tx: ManagedTransaction) -> list[tuple[str, float]]:
            hits: list[tuple[str, float]] = []
            for index in indexes:
                hits += [
                    (r["id"], float(r["score"]))
                    for r in tx.run(
                        "CALL db.index.fulltext.queryNodes($index, $q) YIELD node, score "
                        "WHERE $labels IS NULL OR any(l IN labels(node) WHERE l IN $labels) "
                        "RETURN node.id AS id, score LIMIT $limit",
                        index=index,
                        q=text,
                        labels=wanted,
                        limit=limit,
                    )
                ]
            return sorted(hits, key=lambda h: (-h[1], h[0]))[:limit]

        return self._read(work, "searching the full-text index")

    def read_cypher(
        self,
        query: str,
        params: dict[str, Any] | None = None,
        *,
        timeout: float = 5.0,
        row_cap: int = 1000,
        plan_check: bool = True,
        max_bytes: int | None = None,
    ) -> CypherRows:
        """Run read-only Cypher in a read transaction; Neo4j itself refuses any write.

        At most ``row_cap`` rows, and rows of at most ``max_bytes`` as JSON, come back as plain
        JSON-able dicts (nodes as ``{"id", "label", "properties"}``, relationships as
        ``{"type", "source", "target", "properties"}``); the records are streamed and the
        rest discarded once a cap is reached (``truncated``).  ``timeout`` is the server's
        transaction timeout.  A syntax error, a write, a timeout or a query over the
        server's memory limits raises :class:`~graph.errors.InvalidQuery`, and so does what
        reaches past the graph without writing (``LOAD CSV``, ``TERMINATE TRANSACTIONS``,
        procedures other than the read-only ``db.*`` ones): see
        :func:`graph.neo4j_cypher.refusal`.  Users' Cypher runs once: a transient error (an
        out-of-memory one, say) is not retried, which would run the costly query again.

        ``plan_check=False`` is for the query catalogue's own statements (built from the
        schema, never from user text): it skips that ``EXPLAIN`` round trip, pulls the
        rows in one batch and lets the driver retry transient errors.
        """

        def rows(tx: ManagedTransaction | Transaction) -> CypherRows:
            return ntx.read_rows(tx, query, params or {}, row_cap, plan_check, max_bytes)

        fetch_size = max(1, min(row_cap + 1, 1000)) if plan_check else -1
        with (
            translate_errors("running read-only Cypher", client_is_invalid=True),
            self._session(READ_ACCESS, fetch_size=fetch_size) as session,
        ):
            if plan_check:
                # The plan check runs nothing, so it may be retried: a pooled connection that
                # died with an earlier query (one that ran the server out of memory) fails
                # here and is replaced, instead of failing this caller's query.
                why = session.execute_read(
                    unit_of_work(timeout=timeout)(ntx.plan_refusal), query, params or {}
                )
                if why is not None:
                    raise InvalidQuery(why)
                with session.begin_transaction(timeout=timeout) as tx:
                    return ntx.read_rows(tx, query, params or {}, row_cap, False, max_bytes)
            return session.execute_read(unit_of_work(timeout=timeout)(rows))


def document_batches(
    documents: Sequence[DocumentRecords], rows: int
) -> Iterator[list[DocumentRecords]]:
    """Consecutive runs of documents holding about ``rows`` nodes and edges each."""
    batch: list[DocumentRecords] = []
    size = 0
    for records in documents:
        n = len(records.nodes) + len(records.edges)
        if batch and size + n > rows:
            yield batch
            batch, size = [], 0
        batch.append(records)
        size += n
    if batch:
        yield batch


def _statement_name(statement: str) -> str:
    """The name a ``CREATE ... <name> IF NOT EXISTS`` schema statement gives."""
    return statement.split(" IF NOT EXISTS", 1)[0].rsplit(" ", 1)[-1]
