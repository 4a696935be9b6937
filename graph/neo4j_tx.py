"""Transaction functions of the Neo4j store.

Each takes the driver's ``ManagedTransaction`` and runs inside the read or write
transaction that :class:`~graph.neo4j_store.Neo4jStore` opened, so a document is
written (or a report deleted) whole or not at all.  The Cypher they run is
built from the schema (:mod:`graph.neo4j_cypher`); every value is a parameter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from neo4j import ManagedTransaction, Transaction

from graph import neo4j_cypher as cy
from graph.errors import InvalidQuery, NotFound
from graph.neo4j_cypher import Plain, node_label
from graph.records import (
    DocumentRecords,
    EdgeRecord,
    GraphExport,
    NodeRecord,
    WriteResult,
    merge_properties,
)
from graph.schema import SCHEMA
from graph.store import CypherRows

__all__ = [
    "CHUNK",
    "Rows",
    "chunks",
    "create_edges",
    "create_nodes",
    "delete_document",
    "json_size",
    "lookup",
    "neighbourhood",
    "plan_refusal",
    "read_rows",
    "storable",
    "write_documents",
]

T = TypeVar("T")
CHUNK = 5000
"""Rows per ``UNWIND`` statement: large enough to amortise round trips, small enough for heap."""

Stored = dict[str, tuple[str, dict[str, Any]]]  # id -> (label, properties)
EdgeGroup = tuple[str, str, str]  # (type, source label, target label)


class Rows(list[T]):
    """A parameter list whose ``repr`` is its length.

    The driver formats every RUN message's parameters for its debug log whether or not
    debug logging is on; for thousands of rows that ``repr`` cost a tenth of a write's
    client time.  The packer sends a ``list`` subclass as a list.
    """

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def chunks(rows: list[T], size: int = CHUNK) -> Iterator[Rows[T]]:
    for i in range(0, len(rows), size):
        yield Rows(rows[i : i + size])


def storable(value: Any) -> bool:
    """Whether Neo4j could hold ``value`` as a property (so that it may equal one)."""
    if isinstance(value, list | tuple):
        return all(storable(v) for v in value)
    if isinstance(value, bool | float | str) or value is None:
        return True
    return isinstance(value, int) and -(2**63) <= value < 2**63


def lookup(
    tx: ManagedTransaction,
    ids: list[str],
    lock: bool = False,
    element_ids: dict[str, str] | None = None,
    rids: list[str] | None = None,
) -> Stored:
    """Stored label and properties of those ``ids`` that exist, whatever their label.

    An id that names its label (``place:…``) is sought under that label's index only (the
    schema makes such ids carry that label); any other id under every label.  With ``lock``
    the found nodes are write-locked; ``element_ids`` collects their element ids.  With
    ``rids`` a node's ``reports`` lists only those of ``rids`` it holds (see
    :func:`~graph.neo4j_cypher.lookup_query`).
    """
    by_label: dict[str | None, list[str]] = defaultdict(list)
    for node_id in sorted(set(ids)):
        by_label[SCHEMA.label_of_id(node_id)].append(node_id)
    found: Stored = {}
    for name, some in sorted(by_label.items(), key=lambda x: x[0] or ""):
        query = cy.lookup_query(lock, name, narrow=rids is not None)
        for chunk in chunks(some):
            rows = tx.run(query, ids=chunk, rids=rids).single(strict=True)["found"]
            for node_id, labels, props, eid in rows:
                found[node_id] = (node_label(labels), props)
                if element_ids is not None:
                    element_ids[node_id] = eid
    return found


def _neighbours(
    tx: ManagedTransaction,
    frontier: list[str],
    element_ids: dict[str, str],
    types: list[str] | None,
) -> dict[str, list[tuple[str, str, str]]]:
    """For each frontier id: (neighbour id, neighbour label, its element id), either direction.

    Frontier nodes are reached by element id (no index seek), the whole level in one query.
    """
    out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for chunk in chunks(frontier):
        for r in tx.run(
            "UNWIND $eids AS e MATCH (n) WHERE elementId(n) = e MATCH (n)-[r]-(m) "
            "WHERE $types IS NULL OR type(r) IN $types "
            "RETURN n.id AS id, m.id AS other, labels(m) AS labels, elementId(m) AS eid",
            eids=[element_ids[n] for n in chunk],
            types=types,
        ):
            out[r["id"]].append((r["other"], node_label(r["labels"]), r["eid"]))
    return out


def neighbourhood(
    tx: ManagedTransaction,
    node_id: str,
    depth: int,
    labels: list[str] | None,
    edge_types: list[str] | None,
    limit: int,
) -> GraphExport:
    """Breadth-first, one query per level, visiting neighbours in id order (as embedded);
    then one query for the nodes' properties and one for the edges among them."""
    element_ids: dict[str, str] = {}
    if node_id not in lookup(tx, [node_id], element_ids=element_ids):
        raise NotFound(f"no node {node_id!r}", id=node_id)
    keep_label = set(labels) if labels else None
    types = sorted(set(edge_types)) if edge_types else None
    seen, frontier = [node_id], [node_id]
    visited = {node_id}
    for _ in range(max(depth, 0)):
        if not frontier:
            break
        adjacent = _neighbours(tx, frontier, element_ids, types)
        nxt: list[str] = []
        for n in frontier:
            for other, other_label, eid in sorted(adjacent[n], key=lambda x: x[0]):
                if other in visited:
                    continue
                if keep_label and other_label not in keep_label:
                    continue
                if len(seen) >= limit:
                    break
                visited.add(other)
                element_ids[other] = eid
                seen.append(other)
                nxt.append(other)
        frontier = nxt
    eids = [element_ids[n] for n in seen]
    nodes = [
        NodeRecord(id=r["id"], label=node_label(r["labels"]), properties=dict(r["props"]))
        for r in tx.run(
            "UNWIND $eids AS e MATCH (n) WHERE elementId(n) = e "
            "RETURN n.id AS id, labels(n) AS labels, properties(n) AS props",
            eids=eids,
        )
    ]
    edges = [
        EdgeRecord(type=r["type"], source=r["a"], target=r["b"], properties=dict(r["props"]))
        for r in tx.run(
            "UNWIND $eids AS e MATCH (a) WHERE elementId(a) = e MATCH (a)-[r]->(b) "
            "WHERE elementId(b) IN $eids AND ($types IS NULL OR type(r) IN $types) "
            "RETURN a.id AS a, type(r) AS type, b.id AS b, properties(r) AS props",
            eids=eids,
            types=types,
        )
    ]
    return GraphExport(nodes=nodes, edges=edges).sorted()


def write_documents(
    tx: ManagedTransaction, documents: Sequence[DocumentRecords]
) -> list[WriteResult]:
    """Merge validated documents, in order, inside the caller's write transaction.

    Stored property maps are read (and write-locked) once for the whole batch; each
    document is then merged in Python exactly as the embedded store merges it, one after
    the other, so every :class:`WriteResult` is what writing the documents one by one would
    report; finally only the net changes are written, a few ``UNWIND`` statements per label
    and relationship pattern whatever the number of documents.
    """
    ids = {n.id for records in documents for n in records.nodes}
    ids |= {records.report_id for records in documents}
    element_ids: dict[str, str] = {}
    rids = _batch_reports(documents)
    stored = lookup(tx, sorted(ids), lock=True, element_ids=element_ids, rids=rids)
    nodes: Stored = {}  # id -> (label, properties) after the documents merged so far
    results = []
    for records in documents:
        result = WriteResult(report_id=records.report_id)
        result.already_present = records.report_id in nodes or records.report_id in stored
        for node in records.nodes:
            _merge_node(node, nodes.get(node.id) or stored.get(node.id), nodes, result)
        results.append(result)
    labels = {i: label for i, (label, _) in nodes.items()}
    labels.update({i: label for i, (label, _) in stored.items()})
    _write_nodes(tx, nodes, stored, element_ids, narrowed=rids is not None)
    _write_edges(tx, documents, labels, stored, results, element_ids)
    return results


def _batch_reports(documents: Sequence[DocumentRecords]) -> list[str] | None:
    """Every report id the batch's nodes list, when all are ASCII (else ``None``).

    A stored node's ``reports`` is then read narrowed to these, and extended in Cypher
    (:func:`_write_nodes`), whose ``ORDER BY`` sorts ASCII as Python does.
    """
    rids = {r for records in documents for n in records.nodes for r in n.properties["reports"]}
    return sorted(rids) if all(r.isascii() for r in rids) else None


def _merge_node(
    node: NodeRecord,
    current: tuple[str, dict[str, Any]] | None,
    nodes: Stored,
    result: WriteResult,
) -> None:
    """Like the embedded store: merge by the record's label, keep the stored label."""
    if current is None:
        nodes[node.id] = (node.label, node.properties)
        result.nodes_created += 1
        return
    label, props = current
    merged, conflicts = merge_properties(SCHEMA.label(node.label).props, props, node.properties)
    result.conflicts.extend(f"{node.id}.{c}" for c in conflicts)
    if merged != props:
        nodes[node.id] = (label, merged)
        result.nodes_updated += 1


def _write_nodes(
    tx: ManagedTransaction,
    nodes: Stored,
    stored: Stored,
    element_ids: dict[str, str],
    narrowed: bool,
) -> None:
    """Create the new nodes (noting their element ids) and update the changed ones.

    An update sets only the properties that changed.  When ``stored`` holds narrowed
    ``reports`` (:func:`lookup` with ``rids``) the new report ids are added to the full
    list in Cypher, which keeps it sorted and free of repeats as the embedded store does.
    """
    new: dict[str, list[dict[str, Any]]] = defaultdict(list)
    changed: list[dict[str, Any]] = []
    for node_id, (name, props) in nodes.items():
        if node_id not in stored:
            new[name].append({"id": node_id, "props": props})
            continue
        before = stored[node_id][1]
        if props == before:
            continue
        changes = {k: v for k, v in props.items() if before.get(k) != v}
        add: list[str] = []
        if narrowed and "reports" in changes:
            add = sorted(set(changes.pop("reports")) - set(before.get("reports", ())))
        changed.append({"eid": element_ids[node_id], "set": changes, "add": add})
    for name, rows in sorted(new.items()):
        create_nodes(tx, name, rows, element_ids)
    for chunk in chunks(changed):
        tx.run(
            "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.eid SET n += row.set "
            "WITH n, row WHERE size(row.add) > 0 "
            "CALL (n, row) { UNWIND coalesce(n.reports, []) + row.add AS r "
            "WITH DISTINCT r ORDER BY r RETURN collect(r) AS rs } "
            "SET n.reports = rs",
            rows=chunk,
        ).consume()


def create_nodes(
    tx: ManagedTransaction, name: str, rows: list[dict[str, Any]], element_ids: dict[str, str]
) -> None:
    """Create ``name`` nodes from rows ``{"id", "props"}``; note their element ids."""
    for chunk in chunks(rows):
        created = tx.run(
            f"UNWIND $rows AS row CREATE (n:{cy.label(name)}) SET n = row.props "
            "RETURN collect([row.id, elementId(n)]) AS created",
            rows=chunk,
        ).single(strict=True)["created"]
        element_ids.update(created)


def create_edges(tx: ManagedTransaction, etype: str, rows: list[dict[str, Any]]) -> None:
    """Create ``etype`` edges from rows ``{"a", "b", "props"}`` (ends by element id)."""
    for chunk in chunks(rows):
        tx.run(
            "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a "
            "MATCH (b) WHERE elementId(b) = row.b "
            f"CREATE (a)-[r:{cy.rel_type(etype)}]->(b) SET r = row.props",
            rows=chunk,
        ).consume()


EdgeId = tuple[str, str, str]  # (source, target, key) within one (type, labels) group


def _stored_edges(
    tx: ManagedTransaction, group: EdgeGroup, idents: list[EdgeId]
) -> dict[EdgeId, dict[str, Any]]:
    """Property maps of those edges of ``group`` that exist already (first of duplicates)."""
    matched = cy.edge_match(*group)
    rows = [{"source": s, "target": t, "key": k} for s, t, k in sorted(set(idents))]
    existing: dict[EdgeId, dict[str, Any]] = {}
    for chunk in chunks(rows):
        for rec in tx.run(
            f"UNWIND $rows AS row {matched} RETURN row.source AS s, "
            "row.target AS t, row.key AS k, properties(r) AS props",
            rows=chunk,
        ):
            existing.setdefault((rec["s"], rec["t"], rec["k"]), dict(rec["props"]))
    return existing


def _write_edges(
    tx: ManagedTransaction,
    documents: Sequence[DocumentRecords],
    labels: dict[str, str],
    stored: Stored,
    results: list[WriteResult],
    element_ids: dict[str, str],
) -> None:
    groups: dict[EdgeGroup, list[tuple[int, EdgeRecord]]] = defaultdict(list)
    for i, records in enumerate(documents):
        for edge in records.edges:
            groups[(edge.type, labels[edge.source], labels[edge.target])].append((i, edge))
    for group, edges in sorted(groups.items()):
        etype = group[0]
        policies = SCHEMA.relationship(etype).props
        # An edge can exist already only when both its ends did.
        before = _stored_edges(
            tx,
            group,
            [
                (e.source, e.target, e.key)
                for _, e in edges
                if e.source in stored and e.target in stored
            ],
        )
        after: dict[EdgeId, dict[str, Any]] = {}
        for i, e in edges:
            ident = (e.source, e.target, e.key)
            current = after.get(ident, before.get(ident))
            if current is None:
                after[ident] = e.properties
                results[i].edges_created += 1
                continue
            merged, _ = merge_properties(policies, current, e.properties)
            if merged != current:
                after[ident] = merged
                results[i].edges_updated += 1
        new_rows, changed_rows = [], []
        for (s, t, k), props in after.items():
            if (s, t, k) not in before:
                new_rows.append({"a": element_ids[s], "b": element_ids[t], "props": props})
            elif props != before[(s, t, k)]:
                changed_rows.append({"source": s, "target": t, "key": k, "props": props})
        create_edges(tx, etype, new_rows)
        matched = cy.edge_match(*group)
        for chunk in chunks(changed_rows):
            tx.run("UNWIND $rows AS row " + matched + "SET r = row.props", rows=chunk).consume()


def delete_document(tx: ManagedTransaction, report_id: str) -> WriteResult | None:
    """Remove what only ``report_id`` contributed; ``None`` when there is no such node."""
    if not lookup(tx, [report_id], lock=True):
        return None
    result = WriteResult(report_id=report_id)
    # Edges first, then nodes (DETACH takes the edges that other reports still hold).
    result.edges_updated = tx.run(
        "MATCH ()-[r]->() WHERE $rid IN r.reports "
        "WITH r, [x IN r.reports WHERE x <> $rid] AS rest WHERE size(rest) > 0 "
        "SET r.reports = rest RETURN count(r) AS c",
        rid=report_id,
    ).single(strict=True)["c"]
    tx.run("MATCH ()-[r]->() WHERE $rid IN r.reports DELETE r", rid=report_id).consume()
    result.nodes_updated = tx.run(
        "MATCH (n) WHERE $rid IN n.reports "
        "WITH n, [x IN n.reports WHERE x <> $rid] AS rest WHERE size(rest) > 0 "
        "SET n.reports = rest RETURN count(n) AS c",
        rid=report_id,
    ).single(strict=True)["c"]
    tx.run("MATCH (n) WHERE $rid IN n.reports DETACH DELETE n", rid=report_id).consume()
    return result


def plan_refusal(
    tx: ManagedTransaction | Transaction, query: str, params: dict[str, Any]
) -> str | None:
    """Why ``query``'s plan is refused as users' read-only Cypher (``EXPLAIN``: nothing runs),
    or None."""
    return cy.refusal(tx.run(f"EXPLAIN {query}", params).consume().plan)


def read_rows(
    tx: ManagedTransaction | Transaction,
    query: str,
    params: dict[str, Any],
    row_cap: int,
    plan_check: bool = True,
    max_bytes: int | None = None,
) -> CypherRows:
    """At most ``row_cap`` rows of read-only ``query``, and at most ``max_bytes`` of them as
    JSON, as plain values (see ``read_cypher``); the records are streamed and the rest is
    discarded on the server when a cap is reached."""
    if plan_check:
        why = plan_refusal(tx, query, params)
        if why is not None:
            raise InvalidQuery(why)
    plain = Plain()
    rows = CypherRows()
    budget = max_bytes if max_bytes is not None else -1
    for record in tx.run(query, params):
        if len(rows) >= row_cap:
            rows.truncated = True
            break  # the transaction's end discards the rest on the server
        row = {k: plain.value(v) for k, v in record.items()}
        if budget >= 0:
            budget -= json_size(row, budget + 1)
            if budget < 0:
                rows.truncated = True
                break
        rows.append(row)
    if plain.missing:
        found = tx.run(cy.ELEMENT_IDS, ids=sorted(plain.missing))
        plain.resolve({r["element_id"]: r["id"] for r in found})
    return rows


def json_size(value: Any, most: int) -> int:
    """About the size of ``value`` as JSON, counted only until it passes ``most``.

    >>> json_size({"a": [1, 22, "三"]}, 1000), json_size(list(range(10**6)), 100) > 100
    (20, True)
    """
    size = 0
    stack = [value]
    while stack and size <= most:
        v = stack.pop()
        if isinstance(v, dict):
            size += 2 + 2 * len(v)
            for k, item in v.items():
                size += len(str(k).encode()) + 2
                stack.append(item)
        elif isinstance(v, list | tuple):
            size += 2 + len(v)
            stack.extend(v)
        elif isinstance(v, str):
            size += len(v.encode()) + 2
        else:
            size += len(str(v))
    return size
