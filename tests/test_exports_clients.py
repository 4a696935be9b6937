"""The GraphML and neo4j-admin CSV exports, read back by the clients people use (issue #16).

networkx and python-igraph read the GraphML here; Gephi's toolkit (Java, from Maven Central)
reads it in the ``gephi`` test, skipped only when java or mvn is missing; Neo4j's own
``neo4j-admin database import full``, from the project's Neo4j jars, loads the CSV folder in
the ``neo4j`` test, and the database it makes must export exactly what the JSON export says.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from graph.embedded import EmbeddedStore
from graph.errors import ExportError
from graph.exporters import to_csv_dir, to_graphml, to_json
from graph.records import EdgeRecord, GraphExport, NodeRecord

GEPHI = Path(__file__).parent / "gephi"
NS = {"g": "http://graphml.graphdrawing.org/xmlns"}


@pytest.fixture(scope="module")
def sample_export(sample_records, tmp_path_factory: pytest.TempPathFactory) -> GraphExport:  # type: ignore[no-untyped-def]
    store = EmbeddedStore(tmp_path_factory.mktemp("sample") / "graph.pickle")
    store.write(sample_records.model_copy(deep=True))
    return store.export()


@pytest.fixture(scope="module")
def sample_graphml(sample_export: GraphExport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("graphml") / "sample.graphml"
    to_graphml(sample_export, path)
    return path


def _decoded(value: Any, prop_is_list: bool) -> Any:
    return json.loads(value) if prop_is_list else value


# -- GraphML ---------------------------------------------------------------------------------
def test_graphml_ids_are_unique_and_keys_typed(
    sample_export: GraphExport, sample_graphml: Path
) -> None:
    root = ET.parse(sample_graphml).getroot()
    edge_ids = [e.get("id") for e in root.iterfind(".//g:edge", NS)]
    assert len(edge_ids) == len(sample_export.edges) > 900
    assert len(set(edge_ids)) == len(edge_ids)
    keys = root.findall("g:key", NS)
    assert len({k.get("id") for k in keys}) == len(keys)
    assert {k.get("attr.type") for k in keys} <= {"string", "long", "double", "boolean"}
    by_name = {(k.get("for"), k.get("attr.name")): k for k in keys}
    assert by_name[("node", "number")].get("attr.type") == "long"
    assert by_name[("node", "value")].get("attr.type") == "double"
    assert by_name[("edge", "offset")].get("attr.type") == "long"
    assert "JSON array" in (by_name[("node", "aliases")].findtext("g:desc", "", NS))
    # Gephi keeps one edge per (source, target, label): parallel edges get their own label.
    labels = Counter(
        (e.get("source"), e.get("target"), e.get("label")) for e in root.iterfind(".//g:edge", NS)
    )
    assert max(labels.values()) == 1


def test_networkx_reads_every_node_edge_and_value(
    sample_export: GraphExport, sample_graphml: Path
) -> None:
    g = nx.read_graphml(sample_graphml, force_multigraph=True)
    assert g.number_of_nodes() == len(sample_export.nodes)
    assert g.number_of_edges() == len(sample_export.edges)
    for node in sample_export.nodes:
        attrs = g.nodes[node.id]
        assert attrs["node_label"] == node.label
        for name, value in node.properties.items():
            if name != "id":
                assert _decoded(attrs[name], isinstance(value, list)) == value, (node.id, name)
    arrived = Counter((d["type"], s, t, d.get("edge_key", "")) for s, t, d in g.edges(data=True))
    assert arrived == Counter((e.type, e.source, e.target, e.key) for e in sample_export.edges)
    progress = next(
        n for n in sample_export.nodes if n.label == "Progress" and n.properties["items"]
    )
    assert json.loads(g.nodes[progress.id]["items"]) == progress.properties["items"]


def test_igraph_reads_every_node_and_edge(sample_export: GraphExport, sample_graphml: Path) -> None:
    igraph = pytest.importorskip("igraph")
    g = igraph.Graph.Read_GraphML(str(sample_graphml))
    assert g.vcount() == len(sample_export.nodes)
    assert g.ecount() == len(sample_export.edges)
    tasks = [v for v in g.vs if v["node_label"] == "Task"]
    expected = {n.id: n.properties["number"] for n in sample_export.nodes if n.label == "Task"}
    assert {v["id"]: int(v["number"]) for v in tasks} == expected
    assert Counter(g.es["type"]) == Counter(e.type for e in sample_export.edges)


def test_graphml_keeps_awkward_text(tmp_path: Path) -> None:
    text = 'a "b" <c> & d\r\ne\tf'
    export = GraphExport(
        nodes=[NodeRecord(id="x<1>", label="Place", properties={"name": text, "aliases": []})]
    )
    to_graphml(export, tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.nodes["x<1>"]["name"] == text and g.nodes["x<1>"]["aliases"] == "[]"


def _gephi_classpath(work: Path) -> str:
    """Gephi's toolkit resolved with Maven (offline first, as graph.local_neo4j_home does)."""
    out = work / "classpath.txt"
    errors = ""
    for mode in (["-o"], []):
        proc = subprocess.run(
            ["mvn", "-B", "-q", *mode, "-f", str(GEPHI / "pom.xml"),
             "dependency:build-classpath", f"-Dmdep.outputFile={out}"],
            capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        if proc.returncode == 0 and out.exists():
            return out.read_text(encoding="utf-8").strip()
        errors = (proc.stdout + proc.stderr)[-2000:]
    pytest.fail(f"Maven could not resolve gephi-toolkit:\n{errors}")


@pytest.mark.gephi
def test_gephi_imports_every_node_and_edge(
    sample_export: GraphExport, sample_graphml: Path, tmp_path: Path
) -> None:
    if shutil.which("java") is None or shutil.which("javac") is None or shutil.which("mvn") is None:
        pytest.skip("java, javac and mvn are needed to run Gephi's toolkit")
    cp = _gephi_classpath(tmp_path)
    classes = tmp_path / "classes"
    subprocess.run(
        ["javac", "-d", str(classes), "-cp", cp, str(GEPHI / "GephiImport.java")], check=True
    )
    target = next(n for n in sample_export.nodes if n.label == "Target")
    proc = subprocess.run(
        ["java", "-Djava.awt.headless=true", "-cp", f"{classes}{os.pathsep}{cp}",
         "GephiImport", str(sample_graphml), target.id],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    lines = [line.split("\t") for line in proc.stdout.splitlines()]
    counts = {line[0]: int(line[1]) for line in lines if line[0] in {"nodes", "edges"}}
    assert counts == {"nodes": len(sample_export.nodes), "edges": len(sample_export.edges)}
    attrs = {line[2]: (line[3], line[4]) for line in lines if line[0] == "attr"}
    assert attrs["value"] == ("Double", repr(target.properties["value"]))
    assert attrs["task"] == ("Long", str(target.properties["task"]))
    assert attrs["metric"] == ("String", target.properties["metric"])
    assert attrs["node_label"] == ("String", "Target")


# -- neo4j-admin CSV -------------------------------------------------------------------------
def _rows(path: Path) -> list[list[str | None]]:
    """Fields as the importer's documented CSV reads them: quoted → the text (``""``
    doubled), unquoted empty → None (no value).  Enough for the files we write."""
    rows: list[list[str | None]] = []
    text = path.read_text(encoding="utf-8")
    i, row, n = 0, [], len(text)
    while i < n:
        if text[i] == '"':
            j, buf = i + 1, []
            while True:
                if text[j] == '"' and text[j + 1 : j + 2] == '"':
                    buf.append('"')
                    j += 2
                elif text[j] == '"':
                    break
                else:
                    buf.append(text[j])
                    j += 1
            row.append("".join(buf))
            i = j + 1
        else:
            j = i
            while j < n and text[j] not in ",\n":
                j += 1
            row.append(text[i:j] or None)
            i = j
        if i < n and text[i] == "\n":
            rows.append(row)
            row = []
        i += 1
    return rows


def test_csv_encodes_arrays_empties_and_quotes(tmp_path: Path) -> None:
    node = NodeRecord(
        id="progress:1",
        label="Progress",
        properties={"text": 'say "hi"\nthen', "items": ["a;b", "c"], "reports": []},
    )
    edge = EdgeRecord(type="ON_TASK", source="progress:1", target="task:1", properties={"key": ""})
    task = NodeRecord(id="task:1", label="Task", properties={"number": 1, "text": "t"})
    files = to_csv_dir(GraphExport(nodes=[node, task], edges=[edge]), tmp_path)
    assert {f.name for f in files} >= {"import.sh", "after-import.cypher", "nodes_Progress.csv"}
    header, row = _rows(tmp_path / "nodes_Progress.csv")
    values = dict(zip(header, row, strict=True))
    assert values["items:string[]"] == "a;b\x1fc"
    assert values["text:string"] == 'say "hi"\nthen'
    assert values["reports:string[]"] is None and values["_empty_lists:string[]"] == "reports"
    rel_header, rel_row = _rows(tmp_path / "relationships_ON_TASK.csv")
    assert dict(zip(rel_header, rel_row, strict=True))["key:string"] == ""  # "" not absent
    script = (tmp_path / "import.sh").read_text(encoding="utf-8")
    assert 'database import full "$database"' in script
    assert "--array-delimiter=U+001F" in script and "--id-type=string" in script
    assert "--nodes=nodes_Progress.csv" in script and "--relationships=relationships_ON_TASK.csv"
    cypher = (tmp_path / "after-import.cypher").read_text(encoding="utf-8")
    assert "SET x.`reports` = []" in cypher


@pytest.mark.parametrize("items", [["a\x1fb"], [""]])
def test_csv_refuses_what_it_cannot_carry(tmp_path: Path, items: list[str]) -> None:
    node = NodeRecord(id="progress:1", label="Progress", properties={"items": items})
    with pytest.raises(ExportError):
        to_csv_dir(GraphExport(nodes=[node]), tmp_path)


def _after_import(folder: Path) -> list[str]:
    text = (folder / "after-import.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    return [s.strip() for s in body.split(";") if s.strip()]


@pytest.mark.neo4j
def test_csv_round_trips_through_neo4j_admin_import(
    sample_export: GraphExport, tmp_path: Path
) -> None:
    """``import.sh`` as written, run with the project's Neo4j jars into a fresh home; the
    started database then exports exactly the JSON export."""
    if shutil.which("java") is None or shutil.which("mvn") is None:
        if os.environ.get("GOVGRAPH_REQUIRE_NEO4J", "") not in {"", "0", "false"}:
            pytest.fail("Neo4j is required (GOVGRAPH_REQUIRE_NEO4J) but java/mvn are missing")
        pytest.skip("java and mvn are needed to run neo4j-admin")
    from neo4j import GraphDatabase

    from graph import local_neo4j
    from graph import local_neo4j_home as h
    from graph.neo4j_store import Neo4jStore

    assert any(";" in item for n in sample_export.nodes for item in n.properties.get("items", []))
    folder = tmp_path / "csv"
    to_csv_dir(sample_export, folder)
    home = (tmp_path / "neo4j").resolve()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    cp = h.classpath(home)
    h.write_conf(home, port, auth=False, pagecache="64m")
    admin = tmp_path / "neo4j-admin"
    admin.write_text(
        "#!/bin/sh\n"
        f'exec java -cp "{cp}" {" ".join(h.JVM_FLAGS)} -Dneo4j.home="{home}" '
        f'{h.ADMIN_TOOL} "$@"\n',
        encoding="utf-8",
    )
    admin.chmod(0o755)
    env = h.java_env(home) | {"NEO4J_ADMIN": str(admin)}
    proc = subprocess.run(
        ["sh", str(folder / "import.sh"), "neo4j"], env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-3000:]
    info = local_neo4j.start(home, port=port, password=None, pagecache="64m")
    try:
        with GraphDatabase.driver(str(info["uri"]), auth=None) as driver:
            for statement in _after_import(folder):
                driver.execute_query(statement, database_="neo4j")
            imported = Neo4jStore(driver, "neo4j").export()
    finally:
        local_neo4j.stop(home)
    assert to_json(imported) == to_json(sample_export)
