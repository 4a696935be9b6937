"""Write a :class:`~graph.records.GraphExport` as JSON, GraphML or neo4j-admin CSV."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx

from graph.records import GraphExport
from graph.schema import SCHEMA

__all__ = ["to_csv_dir", "to_graphml", "to_json"]

_CSV_TYPES = {
    "str": "string",
    "int": "long",
    "float": "double",
    "bool": "boolean",
    "list[str]": "string[]",
    "list[float]": "double[]",
    "list[int]": "long[]",
}


def to_json(export: GraphExport) -> str:
    """The export contract: ``{"nodes": [...], "edges": [...]}``, sorted, UTF-8 text."""
    return json.dumps(export.sorted().model_dump(), ensure_ascii=False, indent=1, sort_keys=True)


def _scalar(value: Any) -> Any:
    if isinstance(value, list):
        return json.dumps(value, ensure_ascii=False)
    return value


def to_graphml(export: GraphExport, path: Path) -> None:
    """GraphML that Gephi opens (list properties become JSON strings)."""
    g = nx.MultiDiGraph()
    for n in export.nodes:
        attrs = {k: _scalar(v) for k, v in n.properties.items() if k != "id"}
        display = n.properties.get("name") or n.properties.get("title") or n.id
        g.add_node(n.id, node_label=n.label, label=str(display), **attrs)
    for e in export.edges:
        attrs = {("edge_key" if k == "key" else k): _scalar(v) for k, v in e.properties.items()}
        g.add_edge(e.source, e.target, key=f"{e.type}|{e.key}", type=e.type, **attrs)
    nx.write_graphml(g, path, encoding="utf-8", named_key_ids=True)


def to_csv_dir(export: GraphExport, directory: Path) -> list[Path]:
    """neo4j-admin import CSVs: ``nodes_<Label>.csv`` and ``relationships_<TYPE>.csv``.

    Headers follow the import tool's format (``id:ID``, ``:LABEL``, ``:START_ID``,
    ``:END_ID``, ``:TYPE``, typed properties, arrays split on ``;``), so
    ``neo4j-admin database import full --nodes=... --relationships=...`` loads them.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    by_label: dict[str, list] = defaultdict(list)
    for n in export.nodes:
        by_label[n.label].append(n)
    for label, nodes in sorted(by_label.items()):
        props = [p for p in SCHEMA.label(label).props if p.name != "id"]
        header = ["id:ID", *[f"{p.name}:{_CSV_TYPES[p.type]}" for p in props], ":LABEL"]
        rows = [[n.id, *[_cell(n.properties.get(p.name)) for p in props], label] for n in nodes]
        written.append(_write(directory / f"nodes_{label}.csv", header, rows))
    by_type: dict[str, list] = defaultdict(list)
    for e in export.edges:
        by_type[e.type].append(e)
    for rel_type, edges in sorted(by_type.items()):
        props = list(SCHEMA.relationship(rel_type).props)
        header = [
            ":START_ID",
            ":END_ID",
            ":TYPE",
            *[f"{p.name}:{_CSV_TYPES[p.type]}" for p in props],
        ]
        rows = [
            [e.source, e.target, rel_type, *[_cell(e.properties.get(p.name)) for p in props]]
            for e in edges
        ]
        written.append(_write(directory / f"relationships_{rel_type}.csv", header, rows))
    return written


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path
