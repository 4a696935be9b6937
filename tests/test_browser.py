"""The explorer in a real browser: Debian's Chromium driven by Playwright (no browser download).

A uvicorn server runs in-process on a free loopback port over an embedded store
holding the sample (plus a few entities, see ``tests/api_helpers.py``).  The
page must load with no request leaving the loopback address.  Screenshots go to
``GOVGRAPH_SCREENSHOTS`` (default: a pytest tmp dir).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from graph.embedded import EmbeddedStore
from graph.settings import Settings
from tests.api_helpers import DEPARTMENT, PROJECT, extra_records

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, sample_records: Any) -> Iterator[str]:
    import uvicorn

    store = EmbeddedStore(tmp_path_factory.mktemp("browser") / "graph.pickle")
    store.write(sample_records.model_copy(deep=True))
    store.write(extra_records(store.export()))
    settings = Settings(data_dir=tmp_path_factory.mktemp("data"))
    port = _free_port()
    config = uvicorn.Config(
        create_app(store, settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    wanted = os.environ.get("GOVGRAPH_SCREENSHOTS")
    folder = Path(wanted) if wanted else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    pg = context.new_page()
    outside: list[str] = []
    errors: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(server) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    pg.route("**/*", route)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.goto(server + "/")
    wait_until(pg, "document.body.dataset.ready === 'true'")
    yield pg
    context.close()
    assert outside == [], f"the page tried to reach outside the server: {outside}"
    assert errors == [], f"errors in the page: {errors}"


def wait_until(page: Any, expression: str, timeout: float = 15.0) -> None:
    """Poll ``expression`` in the page (``wait_for_function`` evaluates strings, which the
    explorer's Content-Security-Policy forbids; ``evaluate`` goes through the devtools protocol)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for: {expression}")
        page.wait_for_timeout(50)


def node_count(page: Any) -> int:
    return int(page.evaluate("window.govgraph.network.body.data.nodes.length"))


def settle(page: Any) -> None:
    """Wait for the layout to stop (physics is switched off after stabilisation)."""
    wait_until(
        page,
        "!window.govgraph.network.physics.physicsEnabled "
        "|| !window.govgraph.network.physics.options.enabled",
        timeout=20,
    )
    page.wait_for_timeout(400)


def search_and_open(page: Any, text: str, node_id: str) -> None:
    page.get_by_test_id("search-input").fill(text)
    hit = page.locator(f'[data-testid="search-result"][data-id="{node_id}"]')
    hit.wait_for(timeout=5000)
    hit.dispatch_event("mousedown")
    wait_until(
        page,
        f"document.getElementById('details-title') && window.govgraph.state.selected "
        f"&& window.govgraph.state.selected.id === {node_id!r}",
        timeout=10,
    )
    settle(page)


def test_explorer_loads_offline_with_vendored_assets(page: Any, shots: Path) -> None:
    assert "govgraph" in page.title()
    assert page.evaluate("typeof vis.Network") == "function"
    legend = page.get_by_test_id("legend")
    assert legend.locator("[data-label=Task]").count() == 1
    page.screenshot(path=str(shots / "00-start.png"))


def test_department_view_and_source_sentence(page: Any, shots: Path) -> None:
    search_and_open(page, "市发改委", DEPARTMENT)
    assert page.locator("#view-department").get_attribute("class").find("active") >= 0
    assert node_count(page) >= 3
    details = page.get_by_test_id("details")
    assert "市发展和改革委员会" in details.get_by_test_id("details-title").inner_text()
    sentence = details.get_by_test_id("source-sentence").first
    assert sentence.locator("mark").count() == 1
    assert details.locator(".tag.inferred").count() >= 1  # inferred ASSISTS is labelled
    assert details.locator(".tag.assigned").count() >= 1
    dashed = page.evaluate(
        "window.govgraph.edges.get().filter(e => e.gg.properties.source === 'inferred')"
        ".every(e => Array.isArray(e.dashes))"
    )
    assert dashed
    page.screenshot(path=str(shots / "01-department.png"))


def test_click_task_shows_source_sentence_and_expand_adds_nodes(page: Any, shots: Path) -> None:
    search_and_open(page, "通州湾港区", PROJECT)
    before = node_count(page)
    # click the project's task on the canvas: its details list the mention sentence
    task_id = page.evaluate("window.govgraph.nodes.get().find(n => n.gg.label === 'Task').id")
    pos = page.evaluate(
        f"(() => {{ const n = window.govgraph.network; const p = n.getPositions([{task_id!r}])"
        f"[{task_id!r}]; return n.canvasToDOM(p); }})()"
    )
    box = page.get_by_test_id("network").bounding_box()
    page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    wait_until(
        page, f"window.govgraph.state.selected && window.govgraph.state.selected.id === {task_id!r}"
    )
    marks = page.get_by_test_id("source-sentence").locator("mark")
    assert marks.count() >= 1
    assert any("通州湾" in text for text in marks.all_inner_texts())
    page.screenshot(path=str(shots / "02-task-details.png"))

    page.get_by_test_id("expand-button").click()
    wait_until(page, f"window.govgraph.network.body.data.nodes.length > {before}")
    settle(page)
    assert node_count(page) > before
    page.screenshot(path=str(shots / "03-expanded.png"))

    # double-click expands too (the chapter node brings its other tasks)
    chapter = page.evaluate("window.govgraph.nodes.get().find(n => n.gg.label === 'Chapter').id")
    grown = node_count(page)
    page.evaluate(f"window.govgraph.expand({chapter!r})")
    wait_until(page, f"window.govgraph.network.body.data.nodes.length > {grown}")


def test_label_filter_hides_nodes(page: Any, shots: Path) -> None:
    page.get_by_test_id("view-overview").click()
    wait_until(page, "window.govgraph.network.body.data.nodes.length > 50")
    settle(page)
    shown = page.evaluate("window.govgraph.visibleNodeCount()")
    tasks = page.evaluate("window.govgraph.nodes.get().filter(n => n.gg.label === 'Task').length")
    assert tasks >= 50
    page.get_by_test_id("filter-label-Task").uncheck()
    assert page.evaluate("window.govgraph.visibleNodeCount()") == shown - tasks
    page.screenshot(path=str(shots / "04-filtered.png"))
    page.get_by_test_id("filter-label-Task").check()
    assert page.evaluate("window.govgraph.visibleNodeCount()") == shown
    page.get_by_test_id("filter-edge-IN_CHAPTER").uncheck()
    hidden = page.evaluate("window.govgraph.edges.get().filter(e => e.hidden).length")
    assert hidden == tasks
    page.screenshot(path=str(shots / "05-overview.png"))


def test_exports_png_and_json(page: Any, shots: Path) -> None:
    search_and_open(page, "市发改委", DEPARTMENT)
    data_url = page.evaluate("window.govgraph.exportPng()")
    assert data_url.startswith("data:image/png;base64,") and len(data_url) > 5000
    with page.expect_download() as info:
        page.get_by_test_id("export-json").click()
    target = shots / "view.json"
    info.value.save_as(str(target))
    import json

    exported = json.loads(target.read_text(encoding="utf-8"))
    assert {n["id"] for n in exported["nodes"]} >= {DEPARTMENT}
    assert all(set(e) == {"type", "source", "target", "properties"} for e in exported["edges"])
    with page.expect_download() as png:
        page.get_by_test_id("export-png").click()
    png.value.save_as(str(shots / "view.png"))
    assert (shots / "view.png").read_bytes()[:4] == b"\x89PNG"


def test_docs_page_works_offline(page: Any, server: str, shots: Path) -> None:
    page.goto(server + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".opblock").count() > 10
    page.screenshot(path=str(shots / "06-docs.png"))


def test_chromium_is_debians() -> None:
    assert shutil.which("chromium") == CHROMIUM or Path(CHROMIUM).exists()
