"""Cypher for the Neo4j store, built in named functions from the schema.

Labels, relationship types and property names reach query text only after
:data:`~graph.schema.SCHEMA` has vouched for them (:func:`label`, :func:`rel_type`);
every value is a ``$parameter``.  Also here: the schema statements, the Lucene
escaping of full-text input, conversion of driver values to plain JSON-able
values, and the translation of driver errors into govgraph errors.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any

from neo4j.exceptions import (
    AuthError,
    ClientError,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.graph import Node, Path, Relationship

from graph.errors import BackendUnavailable, GovGraphError, InvalidQuery, StoreError
from graph.schema import SCHEMA

__all__ = [
    "ELEMENT_IDS",
    "Plain",
    "edge_match",
    "fulltext_indexes",
    "label",
    "lookup_query",
    "lucene_escape",
    "node_label",
    "refusal",
    "rel_type",
    "schema_statements",
    "translate_errors",
]


ELEMENT_IDS = "MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS element_id, n.id AS id"
"""The ``id`` of nodes the driver knows only by element id (a relationship's far ends)."""


def label(name: str) -> str:
    """``name`` as a Cypher label, once the schema has declared it (else ``SchemaError``)."""
    return f"`{SCHEMA.label(name).name}`"


def rel_type(name: str) -> str:
    """``name`` as a Cypher relationship type, once the schema has declared it."""
    return f"`{SCHEMA.relationship(name).name}`"


def node_label(labels: Any) -> str:
    """The schema label among a node's labels (nodes carry exactly one)."""
    names = list(labels)
    for name in names:
        if name in SCHEMA.labels:
            return str(name)
    return str(names[0]) if names else ""


def lookup_query(lock: bool, name: str | None = None, narrow: bool = False) -> str:
    """Find nodes by id: under label ``name``'s index, or whatever their label.

    With ``narrow`` a node's ``reports`` holds only those of ``$rids`` it lists: a writer
    needs no more to tell whether its documents add to the list, and a hub node listed by
    thousands of reports is not shipped whole for every batch.  The answer is one record,
    ``found``: a list of ``[id, labels, properties, element id]`` (one record per node would
    cost the driver more than the lookup costs the server).

    Without ``name`` there is one index seek per declared label (a ``UNION``); ids that
    name their label (:meth:`~graph.schema.Schema.label_of_id`) need only that one.
    With ``lock`` each found node is write-locked before its properties are read, so two
    writers that merge into the same node take turns instead of losing an update.  Removing
    a property that no node has takes the node's write lock and changes nothing (cheaper
    than ``SET n.id = n.id``, which also checks the uniqueness index).
    """
    take_lock = "REMOVE n.`_govgraph_lock` " if lock else ""
    props = "n{.*, reports: [r IN n.reports WHERE r IN $rids]}" if narrow else "properties(n)"
    returns = f"RETURN collect([id, labels(n), {props}, elementId(n)]) AS found"
    if name is not None:
        return f"UNWIND $ids AS id MATCH (n:{label(name)} {{id: id}}) {take_lock}{returns}"
    branches = " UNION ".join(
        f"MATCH (n:{label(name)} {{id: id}}) RETURN n" for name in SCHEMA.labels
    )
    return f"UNWIND $ids AS id CALL (id) {{ {branches} }} {take_lock}{returns}"


def edge_match(etype: str, source: str, target: str) -> str:
    """``MATCH`` of the edge ``row`` names (``row.source``, ``row.target``, ``row.key``).

    Both ends are sought through their ``id`` index first, so that Neo4j checks the
    relationships between two known nodes (``Expand(Into)``) instead of expanding every
    relationship of a hub (a chapter's hundreds of tasks, a report's progress texts).
    """
    src, tgt = label(source), label(target)
    return (
        f"MATCH (a:{src} {{id: row.source}}) MATCH (b:{tgt} {{id: row.target}}) "
        f"CALL (a, b, row) {{ MATCH (a)-[r:{rel_type(etype)}]->(b) WHERE r.key = row.key "
        "RETURN r } "
    )


def fulltext_indexes() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Full-text indexes the schema asks for: name -> (labels, properties).

    Labels that declare the same full-text properties share one index; an entity's
    ``aliases`` are searched along with its ``name``.
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    for lb in SCHEMA.labels.values():
        if not lb.fulltext:
            continue
        props = tuple(lb.fulltext)
        if "name" in props and lb.prop("aliases") is not None:
            props = (*props, "aliases")
        groups.setdefault(props, []).append(lb.name)
    return {f"govgraph_{'_'.join(props)}": (tuple(names), props) for props, names in groups.items()}


def schema_statements() -> list[str]:
    """Uniqueness on ``id`` per label, range indexes, ``cjk`` full-text indexes (idempotent)."""
    out = []
    for lb in SCHEMA.labels.values():
        low = lb.name.lower()
        out.append(
            f"CREATE CONSTRAINT govgraph_{low}_id IF NOT EXISTS "
            f"FOR (n:{label(lb.name)}) REQUIRE n.id IS UNIQUE"
        )
        for prop in lb.indexed:
            assert lb.prop(prop) is not None, f"{lb.name} indexes undeclared {prop}"
            out.append(
                f"CREATE INDEX govgraph_{low}_{prop} IF NOT EXISTS "
                f"FOR (n:{label(lb.name)}) ON (n.`{prop}`)"
            )
    for name, (labels, props) in fulltext_indexes().items():
        on = ", ".join(f"n.`{p}`" for p in props)
        out.append(
            f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS "
            f"FOR (n:{'|'.join(label(x) for x in labels)}) ON EACH [{on}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}}"
        )
    return out


_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def lucene_escape(text: str) -> str:
    """User text as a Lucene query of plain terms: operators escaped or neutralised.

    Lower-casing keeps AND/OR/NOT from acting as operators; the ``cjk`` analyzer lower-cases
    anyway, so matches do not change.

    >>> lucene_escape('沪通铁路 AND (长江)')
    '沪通铁路 and \\\\(长江\\\\)'
    """
    return _LUCENE_SPECIAL.sub(r"\\\1", text).lower()


# Read-only Cypher still reaches beyond the graph: LOAD CSV reads server files and fetches
# URLs, SHOW/TERMINATE TRANSACTIONS see and end other clients' work, some procedures read the
# configuration or clear caches.  Neo4j refuses writes in a read transaction; these are
# refused by looking at the query's plan (no text matching, so string literals are harmless).
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.info",
        "db.ping",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
        "db.index.fulltext.listAvailableAnalyzers",
    }
)
READ_COMMANDS = frozenset({"ShowIndexes", "ShowConstraints", "ShowFunctions", "ShowProcedures"})


def refusal(plan: dict[str, Any] | None) -> str | None:
    """Why a read-only query's plan (``EXPLAIN``) may not run, or ``None`` when it may."""
    stack = [plan] if plan else []
    while stack:
        op = stack.pop()
        kind = str(op.get("operatorType", "")).split("@")[0]
        details = str(op.get("args", {}).get("Details", ""))
        if kind == "LoadCSV":
            return "LOAD CSV is not allowed in read-only Cypher"
        if kind == "ProcedureCall":
            name = details.split("(", 1)[0].strip()
            if name not in READ_PROCEDURES:
                return f"procedure {name} is not allowed in read-only Cypher"
        if kind in ("AdministrationCommand", "SystemProcedureCall") or (
            kind.startswith(("Show", "Terminate")) and kind not in READ_COMMANDS
        ):
            return f"{kind} is not allowed in read-only Cypher"
        stack.extend(op.get("children", []))
    return None


class Plain:
    """Convert driver values (nodes, relationships, paths, temporals) to JSON-able values.

    A relationship names its endpoints by their ``id`` property; when an endpoint was not
    itself returned the driver knows only its element id, so those are collected in
    :attr:`missing` for the caller to look up and :meth:`resolve` fills them in.
    """

    def __init__(self) -> None:
        self.missing: set[str] = set()
        self._pending: list[tuple[dict[str, Any], str, str]] = []

    def value(self, v: Any) -> Any:
        if v is None or isinstance(v, bool | int | float | str):
            return v
        if isinstance(v, Node):
            return {"id": v.get("id"), "label": node_label(v.labels), "properties": dict(v)}
        if isinstance(v, Relationship):
            return self._relationship(v)
        if isinstance(v, Path):
            return {
                "nodes": [self.value(n) for n in v.nodes],
                "relationships": [self.value(r) for r in v.relationships],
            }
        if isinstance(v, list | tuple):
            return [self.value(x) for x in v]
        if isinstance(v, dict):
            return {str(k): self.value(x) for k, x in v.items()}
        if isinstance(v, bytes | bytearray):
            return bytes(v).hex()
        return str(v)  # temporal and spatial values

    def _relationship(self, r: Relationship) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": r.type,
            "source": None,
            "target": None,
            "properties": dict(r),
        }
        for end, node in (("source", r.start_node), ("target", r.end_node)):
            if node is None:
                continue
            if "id" in node:
                out[end] = node["id"]
            else:
                self.missing.add(node.element_id)
                self._pending.append((out, end, node.element_id))
        return out

    def resolve(self, ids: dict[str, str]) -> None:
        """Fill in endpoints from ``element id -> id``."""
        for out, end, element_id in self._pending:
            out[end] = ids.get(element_id)


@contextlib.contextmanager
def translate_errors(action: str, *, client_is_invalid: bool = False) -> Iterator[None]:
    """Re-raise driver errors as govgraph errors (``from`` the original).

    Client errors (syntax, a write in a read transaction, a timeout, a parameter the driver
    cannot encode) become :class:`InvalidQuery` when ``client_is_invalid`` (raw Cypher), else
    :class:`StoreError`.
    """
    try:
        yield
    except GovGraphError:
        raise
    except AuthError as e:
        raise BackendUnavailable(
            f"Neo4j refused the credentials while {action}: {e.message}", code=e.code
        ) from e
    except (ServiceUnavailable, SessionExpired) as e:
        raise BackendUnavailable(f"Neo4j is unavailable while {action}: {e}") from e
    except ClientError as e:
        if client_is_invalid:
            raise InvalidQuery(f"{e.message}", code=e.code) from e
        raise StoreError(f"Neo4j refused {action}: {e.message}", code=e.code) from e
    except Neo4jError as e:
        if client_is_invalid and "OutOfMemoryError" in (e.code or ""):
            # the caller's query wanted more memory than the server gives one transaction
            raise InvalidQuery(f"the query needs too much memory: {e.message}", code=e.code) from e
        raise StoreError(f"Neo4j failed while {action}: {e.message}", code=e.code) from e
    except DriverError as e:
        raise StoreError(f"the Neo4j driver failed while {action}: {e}") from e
    except (ValueError, TypeError, OverflowError) as e:
        # The driver rejects values it cannot send (an integer beyond 64 bits, say): in raw
        # Cypher that is the caller's parameter, in a write it is the store's failure.
        message = f"a value cannot be sent to Neo4j while {action}: {e}"
        if client_is_invalid:
            raise InvalidQuery(message) from e
        raise StoreError(message) from e
