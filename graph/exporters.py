"""Write a :class:`~graph.records.GraphExport` as JSON, GraphML or neo4j-admin CSV.

The formats themselves live in :mod:`graph.graphml` and :mod:`graph.admin_csv`; this module
is what the CLI and the API call.
"""

from __future__ import annotations

import json
from pathlib import Path

from graph.admin_csv import write_admin_csv
from graph.graphml import write_graphml
from graph.records import GraphExport

__all__ = ["to_csv_dir", "to_graphml", "to_json"]


def to_json(export: GraphExport) -> str:
    """The export contract: ``{"nodes": [...], "edges": [...]}``, sorted, UTF-8 text."""
    return json.dumps(export.sorted().model_dump(), ensure_ascii=False, indent=1, sort_keys=True)


def to_graphml(export: GraphExport, path: Path) -> None:
    """GraphML that Gephi, yEd, networkx and igraph load whole (:mod:`graph.graphml`)."""
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        write_graphml(export, fh)


def to_csv_dir(export: GraphExport, directory: Path, database: str = "neo4j") -> list[Path]:
    """The folder for ``neo4j-admin database import full`` (:mod:`graph.admin_csv`): one CSV
    per label and relationship type, ``import.sh`` with the exact command, and
    ``after-import.cypher``.  Returns the files written."""
    return write_admin_csv(export, directory, database)
