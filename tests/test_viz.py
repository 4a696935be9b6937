"""viz: the shared palette, captions, subgraphs of query results, and the pyvis export."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graph.records import EdgeRecord, GraphExport, NodeRecord
from graph.schema import LABELS, RELATIONSHIPS
from graph.store import GraphStore
from tests.api_helpers import DEPARTMENT, extra_records
from tests.conftest import SAMPLE
from viz.captions import edge_caption, node_caption
from viz.palette import LABEL_STYLES, STATUS_STYLES, palette
from viz.render import render_html
from viz.subgraph import induced_subgraph, node_ids_in, statuses_in

STATIC = Path(__file__).resolve().parent.parent / "api" / "static"


def test_palette_covers_the_schema_with_distinct_colours() -> None:
    p = palette()
    assert set(p["labels"]) == {lb.name for lb in LABELS}
    assert set(p["edges"]) == {r.name for r in RELATIONSHIPS}
    colours = [style["color"] for style in LABEL_STYLES.values()]
    assert len(set(colours)) == len(colours)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", c) for c in colours)
    assert {"met", "on_track", "lagging", "no_figure"} <= set(p["statuses"])
    json.dumps(p)  # served as is by /api/palette


def test_the_explorer_takes_its_colours_from_the_palette() -> None:
    script = (STATIC / "app.js").read_text(encoding="utf-8").lower()
    assert "/api/palette" in script
    for style in [*LABEL_STYLES.values(), *STATUS_STYLES.values()]:
        assert style["color"].lower() not in script


def test_captions_for_every_sample_node(sample_store: GraphStore) -> None:
    for node in sample_store.export().nodes:
        caption = node_caption(node.label, node.properties)
        assert caption and len(caption) <= 24, (node.id, caption)
    assert edge_caption("ASSISTS", {"source": "inferred"}).endswith("(inferred)")
    assert "inferred" not in edge_caption("ASSISTS", {"source": "assignment"})


def test_ids_and_statuses_found_anywhere_in_a_result() -> None:
    result = {
        "targets": [
            {"target_id": "target:a", "task_id": "task:x:1", "status": "met"},
            {"target_id": "target:b", "task_id": "task:x:2", "status": "lagging"},
        ],
        "note": "task:x:1 is not an id inside prose",
        "count": 2,
    }
    assert node_ids_in(result) == ["target:a", "task:x:1", "target:b", "task:x:2"]
    assert statuses_in(result) == {"target:a": "met", "target:b": "lagging"}


def test_induced_subgraph_on_both_stores(sample_store: GraphStore) -> None:
    sample_store.write(extra_records(sample_store.export()))
    task = next(n for n in sample_store.nodes("Task") if n.properties["number"] == 1)
    sub = induced_subgraph(sample_store, [DEPARTMENT, task.id, "task:none:0"], limit=10)
    assert {n.id for n in sub.nodes} == {DEPARTMENT, task.id}
    assert {(e.type, e.source, e.target) for e in sub.edges} >= {("LEADS", DEPARTMENT, task.id)}
    followed = induced_subgraph(sample_store, [task.id], limit=10, follow=["IN_CHAPTER"])
    assert {n.label for n in followed.nodes} == {"Task", "Chapter"}
    capped = induced_subgraph(sample_store, [n.id for n in sample_store.nodes("Task")], limit=7)
    assert len(capped.nodes) == 7


def _small_export() -> GraphExport:
    return GraphExport(
        nodes=[
            NodeRecord(id="department:x:甲", label="Department", properties={"name": "甲局"}),
            NodeRecord(
                id="task:x:1", label="Task", properties={"number": 1, "text": "推进</script>"}
            ),
            NodeRecord(id="target:x:1", label="Target", properties={"value": 5.0, "unit": "%"}),
        ],
        edges=[
            EdgeRecord(
                type="LEADS",
                source="department:x:甲",
                target="task:x:1",
                properties={"source": "inferred", "sentence": "甲局推进"},
            ),
            EdgeRecord(
                type="ASSISTS",
                source="department:x:甲",
                target="task:x:1",
                properties={"source": "assignment", "key": "b"},
            ),
            EdgeRecord(type="HAS_TARGET", source="task:x:1", target="target:x:1"),
        ],
    )


def _vis_data(page: str, name: str) -> list[dict[str, Any]]:
    match = re.search(rf"var {name} = new vis\.DataSet\((.*?)\);\n", page)
    assert match, name
    return list(json.loads(match.group(1)))


def test_render_html_is_self_contained_and_styled() -> None:
    page = render_html(_small_export(), "测试 <视图>", statuses={"target:x:1": "lagging"})
    assert "<title>测试 &lt;视图&gt;</title>" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", page)
    assert (
        "vis.Network" in page
        and "</script>" not in page.split("var nodes")[1].split("new vis.Network")[0]
    )
    nodes = {n["id"]: n for n in _vis_data(page, "nodes")}
    edges = _vis_data(page, "edges")
    assert nodes["department:x:甲"]["color"]["background"] == LABEL_STYLES["Department"]["color"]
    assert nodes["target:x:1"]["color"]["background"] == STATUS_STYLES["lagging"]["color"]
    dashed = {e["type"]: e["dashes"] for e in edges}
    assert dashed == {"LEADS": True, "ASSISTS": False, "HAS_TARGET": False}
    assert any("inferred" in e["label"] for e in edges if e["type"] == "LEADS")


def test_render_whole_sample_graph(sample_store: GraphStore) -> None:
    export = sample_store.export()
    page = render_html(export, "南通 2019")
    assert len(_vis_data(page, "nodes")) == len(export.nodes)
    assert '"iterations": 300' in page  # stabilise, then physics off


def test_cli_viz_and_serve_are_registered(tmp_path: Path) -> None:
    from api.cli import app

    runner = CliRunner()
    base = ["--data-dir", str(tmp_path / "data")]
    assert runner.invoke(app, [*base, "ingest", str(SAMPLE)]).exit_code == 0
    out = tmp_path / "view.html"
    node = runner.invoke(
        app, [*base, "viz", "--node", "task:南通-2019:24", "--depth", "2", "--output", str(out)]
    )
    assert node.exit_code == 0, node.output
    assert "task:南通-2019:24" in {n["id"] for n in _vis_data(out.read_text("utf-8"), "nodes")}
    query_out = tmp_path / "query.html"
    query = runner.invoke(
        app,
        [
            *base,
            "viz",
            "--query",
            "shared_responsibility",
            "--param",
            "limit=5",
            "--output",
            str(query_out),
        ],
    )
    assert query.exit_code == 0, query.output
    labels = {n["kind"] for n in _vis_data(query_out.read_text("utf-8"), "nodes")}
    assert "Department" in labels
    both = runner.invoke(app, [*base, "viz", "--output", str(out)])
    assert both.exit_code != 0
    assert "--port" in runner.invoke(app, ["serve", "--help"]).output


@pytest.mark.browser
def test_exported_html_renders_from_disk_without_network(
    tmp_path: Path, sample_store: GraphStore
) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_browser import ARGS, CHROMIUM

    if sample_store.backend != "embedded":
        pytest.skip("the page does not depend on the store; one run is enough")
    path = tmp_path / "view.html"
    path.write_text(render_html(sample_store.export(), "南通 2019"), encoding="utf-8")
    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()

        def only_files(route: Any) -> None:
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.route("**/*", only_files)
        page.goto(path.as_uri())
        page.wait_for_timeout(500)
        count = page.evaluate("network.body.data.nodes.length")
        page.screenshot(path=str(tmp_path / "viz.png"))
        browser.close()
    assert count == len(sample_store.export().nodes)
    assert outside == []
