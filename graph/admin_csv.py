"""CSV for ``neo4j-admin database import full`` that comes back exactly as it went out.

One file per label (``nodes_<Label>.csv``) and per relationship type
(``relationships_<TYPE>.csv``), in the importer's header format (``id:ID``, ``:LABEL``,
``:START_ID``, ``:END_ID``, ``:TYPE``, typed properties), plus two files beside them:

* ``import.sh``: the exact ``neo4j-admin database import full <database> ...`` command
  (:func:`admin_import_args`), run from the folder;
* ``after-import.cypher``: what the importer cannot do itself (below), to run once the
  server is started.

How values are written, and why (checked against Neo4j 5.26's importer, issue #16):

* arrays are joined with U+001F (``--array-delimiter=U+001F``), a control character that
  no extracted text holds; a value that does contain it raises :class:`ExportError` rather
  than coming back split;
* every string and array is quoted (RFC 4180, quotes doubled), numbers and booleans are
  not; a missing value is an empty unquoted field, which the importer leaves absent, and an
  empty string is ``""``, which it stores as an empty string (``--ignore-empty-strings=false``);
* the importer stores no empty array (an empty field is no value at all), while the
  project's Neo4j writer stores ``[]``.  So a row with empty lists names them in a
  ``_empty_lists`` array, and ``after-import.cypher`` sets each to ``[]`` and removes the
  marker.  A list holding just one empty string would be written like an empty list, so it
  raises :class:`ExportError`;
* fields may span lines (``--multiline-fields=true``) and are not trimmed.
"""

from __future__ import annotations

import math
import shlex
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from graph.errors import ExportError
from graph.records import EdgeRecord, GraphExport, NodeRecord
from graph.schema import SCHEMA, Prop

__all__ = [
    "ARRAY_DELIMITER",
    "EMPTY_LISTS",
    "admin_import_args",
    "after_import_statements",
    "write_admin_csv",
]

ARRAY_DELIMITER = "\x1f"
"""Between array elements (U+001F, the ASCII unit separator)."""

EMPTY_LISTS = "_empty_lists"
"""Marker property: names of a row's properties that are empty lists (removed after import)."""

_TYPES = {
    "str": "string",
    "int": "long",
    "float": "double",
    "bool": "boolean",
    "list[str]": "string[]",
    "list[float]": "double[]",
    "list[int]": "long[]",
}


def admin_import_args(directory: Path, files: Iterable[Path], database: str = "neo4j") -> list[str]:
    """``neo4j-admin`` arguments that import ``files`` (written by :func:`write_admin_csv`)
    into ``database``; paths relative to ``directory``.  The database name must come right
    after ``full``: put further options after it.

    >>> admin_import_args(Path("out"), [Path("out/nodes_Task.csv")])[:4]
    ['database', 'import', 'full', 'neo4j']
    """
    args = [
        "database",
        "import",
        "full",
        database,
        "--id-type=string",
        f"--array-delimiter=U+{ord(ARRAY_DELIMITER):04X}",
        "--multiline-fields=true",
        "--ignore-empty-strings=false",
        "--trim-strings=false",
    ]
    for path in files:
        name = path.relative_to(directory).as_posix()
        kind = "nodes" if name.startswith("nodes_") else "relationships"
        args.append(f"--{kind}={name}")
    return args


def write_admin_csv(export: GraphExport, directory: Path, database: str = "neo4j") -> list[Path]:
    """Write the import folder; returns every file written (CSVs first)."""
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    empty_lists: dict[str, set[str]] = {"node": set(), "edge": set()}
    by_label: dict[str, list[NodeRecord]] = defaultdict(list)
    for n in export.nodes:
        by_label[n.label].append(n)
    for label, nodes in sorted(by_label.items()):
        props = [p for p in SCHEMA.label(label).props if p.name != "id"]
        header = ["id:ID", *_columns(props), ":LABEL"]
        rows = (
            [
                _quote(n.id),
                *_cells(props, n.properties, f"{label} {n.id}", empty_lists["node"]),
                label,
            ]
            for n in sorted(nodes, key=lambda n: n.id)
        )
        written.append(_write(directory / f"nodes_{label}.csv", header, rows))
    by_type: dict[str, list[EdgeRecord]] = defaultdict(list)
    for e in export.edges:
        by_type[e.type].append(e)
    for rel_type, edges in sorted(by_type.items()):
        props = list(SCHEMA.relationship(rel_type).props)
        header = [":START_ID", ":END_ID", ":TYPE", *_columns(props)]
        rows = (
            [
                _quote(e.source),
                _quote(e.target),
                rel_type,
                *_cells(props, e.properties, f"{rel_type} {e.source}", empty_lists["edge"]),
            ]
            for e in edges
        )
        written.append(_write(directory / f"relationships_{rel_type}.csv", header, rows))
    script = directory / "import.sh"
    script.write_text(_import_script(directory, written, database), encoding="utf-8")
    script.chmod(0o755)
    cypher = directory / "after-import.cypher"
    statements = after_import_statements(empty_lists["node"], empty_lists["edge"])
    cypher.write_text(_AFTER_HEADER + "".join(s + ";\n" for s in statements), encoding="utf-8")
    return [*written, script, cypher]


def after_import_statements(node_props: Iterable[str], edge_props: Iterable[str]) -> list[str]:
    """Cypher that restores the empty lists the importer could not write (schema-declared
    property names only; no values are formatted in).  Run once, after the first start."""
    statements: list[str] = []
    for pattern, var, names in (("(x)", "x", node_props), ("()-[x]->()", "x", edge_props)):
        declared = sorted(set(names))
        for name in declared:
            _check_name(name)
            statements.append(
                f"MATCH {pattern} WHERE '{name}' IN {var}.{EMPTY_LISTS} SET {var}.`{name}` = []"
            )
        if declared:
            statements.append(
                f"MATCH {pattern} WHERE {var}.{EMPTY_LISTS} IS NOT NULL REMOVE {var}.{EMPTY_LISTS}"
            )
    return statements


def _check_name(name: str) -> None:
    if not name.isidentifier():  # schema names are identifiers; anything else is a bug here
        raise ExportError(f"property name {name!r} cannot be written into Cypher")


_AFTER_HEADER = """\
// Run once after `import.sh`, with the server started (for example
// `cypher-shell -d neo4j -f after-import.cypher`).  Neo4j's importer stores no empty
// array, while govgraph's Neo4j writer stores `[]`: the rows that had empty lists name
// them in `_empty_lists`; these statements set them and remove the marker.
"""


def _import_script(directory: Path, files: list[Path], database: str) -> str:
    args = admin_import_args(directory, files, database)
    fixed = " \\\n  ".join(shlex.quote(a) for a in args[4:])
    return f"""\
#!/bin/sh
# Load this folder into a new, empty Neo4j 5.26 database with Neo4j's own importer.
#   sh import.sh [DATABASE [more neo4j-admin options, e.g. --overwrite-destination=true]]
# The server must be stopped (or the database not yet created).  NEO4J_ADMIN may name
# the neo4j-admin to run (default: the one on PATH).  The database name must come right
# after `full`.  Then start the server and run after-import.cypher once.
set -eu
cd "$(dirname "$0")"
database="${{1:-{database}}}"
[ "$#" -gt 0 ] && shift
exec ${{NEO4J_ADMIN:-neo4j-admin}} database import full "$database" \\
  {fixed} \\
  "$@"
"""


def _columns(props: Sequence[Prop]) -> list[str]:
    return [*(f"{p.name}:{_TYPES[p.type]}" for p in props), f"{EMPTY_LISTS}:string[]"]


def _cells(props: Sequence[Prop], values: dict[str, Any], where: str, seen: set[str]) -> list[str]:
    cells: list[str] = []
    empty: list[str] = []
    for p in props:
        value = values.get(p.name)
        if value == [] and p.type.startswith("list["):
            empty.append(p.name)
            seen.add(p.name)
            cells.append("")
        else:
            cells.append(_cell(value, f"{where}: {p.name}"))
    cells.append(_cell(empty or None, where))
    return cells


def _cell(value: Any, where: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        items = [_item(v) for v in value]
        if items == [""]:
            raise ExportError(f"{where}: a list of one empty string reads back as no list")
        for item in items:
            if ARRAY_DELIMITER in item:
                raise ExportError(f"{where}: {item!r} holds the array delimiter U+001F")
        return _quote(ARRAY_DELIMITER.join(items))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    return _quote(str(value))


def _item(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    return str(value)


def _number(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return repr(value)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _write(path: Path, header: list[str], rows: Iterable[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(header) + "\n")
        for row in rows:
            fh.write(",".join(row) + "\n")
    return path
