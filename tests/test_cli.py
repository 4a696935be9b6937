"""The command line end to end, on the embedded store, as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import SAMPLE


def govgraph(data_dir: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("govgraph")
    cmd = [exe] if exe else [sys.executable, "-m", "api"]
    env = {"GOVGRAPH_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin", "COLUMNS": "200"}
    proc = subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=120)
    if check and proc.returncode != 0:
        raise AssertionError(f"govgraph {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data_dir = tmp_path_factory.mktemp("cli")
    govgraph(data_dir, "ingest", str(SAMPLE))
    return data_dir


def _export(data_dir: Path) -> dict:
    return json.loads(govgraph(data_dir, "export", "--format", "json").stdout)


def test_export_contract_on_the_sample(ingested: Path) -> None:
    data = _export(ingested)
    text = SAMPLE.read_text(encoding="utf-8")
    tasks = sorted(
        (n for n in data["nodes"] if n["label"] == "Task"), key=lambda n: n["properties"]["number"]
    )
    assert [t["properties"]["number"] for t in tasks] == list(range(1, 101))
    assert {t["properties"]["chapter"] for t in tasks} == set(range(1, 12))
    assert all(t["properties"]["text"] in text for t in tasks)
    assert all(t["properties"]["plan"] == "plan:南通-2019" for t in tasks)
    progress = [n for n in data["nodes"] if n["label"] == "Progress"]
    assert len(progress) == 100 and all(p["properties"]["text"] in text for p in progress)
    ids = {n["id"] for n in data["nodes"]}
    surfaces = 0
    for e in data["edges"]:
        assert e["source"] in ids and e["target"] in ids
        p = e["properties"]
        if "surface" in p:
            surfaces += 1
            assert text[p["offset"] : p["offset"] + len(p["surface"])] == p["surface"]
            assert p["report"] in ids
    assert surfaces > 50
    for n in data["nodes"]:
        if n["label"] in {"Department", "Official", "Project", "Document", "Place", "Organization"}:
            assert n["properties"]["name"] and isinstance(n["properties"]["aliases"], list)


def test_ingesting_twice_gives_an_identical_export(ingested: Path) -> None:
    before = _export(ingested)
    out = govgraph(ingested, "ingest", str(SAMPLE)).stdout
    assert "unchanged" in out
    assert _export(ingested) == before


def test_gbk_copy_gives_the_same_graph(ingested: Path, tmp_path: Path) -> None:
    gbk = tmp_path / "nantong-gbk.txt"
    gbk.write_bytes(SAMPLE.read_text(encoding="utf-8").encode("gbk"))
    fresh = tmp_path / "store"
    govgraph(fresh, "ingest", str(gbk))
    strip = lambda d: [n for n in d["nodes"] if n["label"] != "Report"]  # noqa: E731 - path differs
    assert strip(_export(fresh)) == strip(_export(ingested))


@pytest.mark.parametrize("kind", ["truncated", "binary"])
def test_bad_copies_fail_clearly_and_write_nothing(
    ingested: Path, tmp_path: Path, kind: str
) -> None:
    before = _export(ingested)
    bad = tmp_path / f"{kind}.txt"
    raw = SAMPLE.read_bytes()
    bad.write_bytes(raw[: len(raw) // 3] if kind == "truncated" else bytes(range(256)) * 64)
    proc = govgraph(ingested, "ingest", str(bad), check=False)
    assert proc.returncode == 2
    assert str(bad) in proc.stderr and "error" in proc.stderr
    assert _export(ingested) == before


def test_one_bad_file_among_several_writes_none(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    store = tmp_path / "store"
    proc = govgraph(store, "ingest", str(SAMPLE), str(bad), check=False)
    assert proc.returncode == 2
    assert json.loads(govgraph(store, "stats", "--json").stdout)["nodes"] == {}


def test_a_folder_ingests_the_documents_in_it(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SAMPLE, folder / "b-nantong.txt")
    (folder / "manifest.json").write_text("{}")  # not a document: left out
    (folder / "notes").mkdir()  # nor is a subfolder
    by_folder, by_file = tmp_path / "a", tmp_path / "b"
    out = govgraph(by_folder, "ingest", str(folder)).stdout
    assert "b-nantong.txt" in out and "manifest" not in out
    govgraph(by_file, "ingest", str(folder / "b-nantong.txt"))
    assert _export(by_folder) == _export(by_file)


def test_a_folder_without_documents_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "manifest.json").write_text("{}")
    store = tmp_path / "store"
    proc = govgraph(store, "ingest", str(SAMPLE), str(empty), check=False)
    assert proc.returncode == 2
    assert str(empty) in proc.stderr and "no document" in proc.stderr
    assert json.loads(govgraph(store, "stats", "--json").stdout)["nodes"] == {}


def test_expand_paths_lists_a_folders_documents_by_name(tmp_path: Path) -> None:
    from api.service import expand_paths

    for name in ("b.TXT", "a.docx", "c.pdf", "d.html", "e.json", "f"):
        (tmp_path / name).write_text("x")
    loose = tmp_path / "loose.md"
    assert expand_paths([tmp_path, loose]) == [
        tmp_path / n for n in ("a.docx", "b.TXT", "c.pdf", "d.html")
    ] + [loose]


def test_stats_and_show(ingested: Path) -> None:
    stats = json.loads(govgraph(ingested, "stats", "--json").stdout)
    assert stats["nodes"]["Task"] == 100 and stats["nodes"]["Chapter"] == 11
    shown = govgraph(ingested, "show", "2").stdout
    assert (
        "做大专业化园区" in shown
        and "进展情况" in shown
        and "南通市智慧建筑产业三年行动方案" in shown
    )
    missing = govgraph(ingested, "show", "999", check=False)
    assert missing.returncode == 2 and "no task 999" in missing.stderr


def test_graphml_and_csv_exports(ingested: Path, tmp_path: Path) -> None:
    graphml = tmp_path / "g.graphml"
    govgraph(ingested, "export", "--format", "graphml", "--output", str(graphml))
    root = ET.parse(graphml).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(root.findall(".//g:node", ns)) == sum(
        json.loads(govgraph(ingested, "stats", "--json").stdout)["nodes"].values()
    )
    csv_dir = tmp_path / "csv"
    govgraph(ingested, "export", "--format", "csv", "--output", str(csv_dir))
    header = (csv_dir / "nodes_Task.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("id:ID,") and header.endswith(",:LABEL") and "number:long" in header
    rel = (csv_dir / "relationships_IN_CHAPTER.csv").read_text(encoding="utf-8").splitlines()
    assert rel[0].startswith(":START_ID,:END_ID,:TYPE") and len(rel) == 101


def test_responsibility_matrix_as_a_table_and_as_csv(ingested: Path) -> None:
    import csv
    import io

    table = govgraph(ingested, "query", "responsibility_matrix").stdout
    assert "department" in table and "leads" in table and "市交通运输局" in table
    rows = list(
        csv.reader(
            io.StringIO(govgraph(ingested, "query", "responsibility_matrix", "--csv").stdout)
        )
    )
    assert rows[0][0] == "department" and rows[0][1:4] == ["1", "2", "3"]
    assert len(rows[0]) == 101  # one column per task of the one plan
    body = {r[0]: r[1:] for r in rows[1:]}
    assert all(len(cells) == 100 for cells in body.values())
    assert {c for cells in body.values() for c in cells} <= {
        "",
        "L",
        "l",
        "A",
        "a",
        "La",
        "lA",
        "LA",
    }
    assert any(c for c in body["市交通运输局"])
    refused = govgraph(ingested, "query", "search", "--q", "港", "--csv", check=False)
    assert (
        refused.returncode != 0
        and "--csv is for responsibility_matrix" in refused.stdout + refused.stderr
    )


def test_show_a_task_of_a_later_list_and_its_columns(tmp_path: Path) -> None:
    doc = Path(__file__).parent / "data" / "real" / "b2-shapingba-2022-table.txt"
    govgraph(tmp_path, "ingest", str(doc))
    later = govgraph(tmp_path, "show", "2-1", "--plan", "沙坪坝区-2022").stdout
    assert "任务 2-1" in later and "联动共建科学城" in later
    first = govgraph(tmp_path, "show", "1", "--plan", "沙坪坝区-2022").stdout
    assert "任务 1 " in first and "地区生产总值增长5.5%左右" in first
    bad = govgraph(tmp_path, "show", "x-1", check=False)
    assert bad.returncode != 0 and bad.stderr.startswith("error: a task is N or LIST-N")


def _bare(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``govgraph`` as a script runs it: stderr a pipe, no COLUMNS, a narrow default width."""
    exe = shutil.which("govgraph")
    cmd = [exe] if exe else [sys.executable, "-m", "api"]
    env = {"GOVGRAPH_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    return subprocess.run([*cmd, *args], capture_output=True, text=True, env=env, timeout=120)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ingest", "/nowhere/" + "y" * 100 + ".txt"), "/nowhere/" + "y" * 100 + ".txt: cannot"),
        (("show", "1", "--plan", "x" * 120), "no task 1 in plan " + "x" * 120),
        (("show",), "Missing argument"),
        (("stats", "--bogus"), "No such option: --bogus"),
        (("no-such-command",), "No such command 'no-such-command'"),
        (("query", "department_tasks", "--department", "x", "--bogus", "1"), "unknown parameters"),
    ],
)
def test_errors_are_one_first_line_never_wrapped(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    proc = _bare(tmp_path, *args)
    assert proc.returncode == 2
    first = proc.stderr.splitlines()[0]
    assert first.startswith("error: ") and message in first, proc.stderr


def test_an_ingest_error_has_no_progress_bar_residue(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("hello world\n", encoding="utf-8")
    proc = _bare(tmp_path, "ingest", str(bad))
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: {bad}:1: no numbered tasks found"), proc.stderr


@pytest.mark.parametrize("plan", ["南通-2019", "plan:南通-2019"])
def test_a_plan_is_named_by_id_or_by_city_year(ingested: Path, plan: str) -> None:
    query = govgraph(
        ingested, "query", "task_responsibility", "--task", "1", "--plan", plan, "--json"
    )
    assert json.loads(query.stdout)["task"]["plan"] == "plan:南通-2019"
    assert "任务 1" in govgraph(ingested, "show", "1", "--plan", plan).stdout


def test_a_reworded_report_is_refused_then_replaced_with_replace(tmp_path: Path) -> None:
    govgraph(tmp_path, "ingest", str(SAMPLE))
    reworded = tmp_path / "reworded.txt"
    reworded.write_text(SAMPLE.read_text("utf-8").replace("。\n", "。 \n"), encoding="utf-8")
    refused = govgraph(tmp_path, "ingest", str(reworded), check=False)
    assert refused.returncode != 0
    first = refused.stderr.splitlines()[0]
    assert first.startswith("error: ") and "--replace" in first and "2019-H1" in first
    govgraph(tmp_path, "ingest", "--replace", str(reworded))
    assert sum(n["label"] == "Report" for n in _export(tmp_path)["nodes"]) == 1
