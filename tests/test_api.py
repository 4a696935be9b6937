"""The JSON API on both stores: reads, the error shape, write auth, uploads, Cypher, injection.

Every test goes through ``TestClient(create_app(store, settings))``; the ``store``
fixture runs each on the embedded store and on a real Neo4j (marker ``neo4j``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel, Field

from api.app import create_app
from api.catalogue import QueryCatalogue
from graph.embedded import EmbeddedStore
from graph.settings import Settings
from graph.store import GraphStore
from tests.api_helpers import DEPARTMENT, EXTRA_REPORT, PROJECT, extra_records
from tests.conftest import SAMPLE
from viz.palette import palette

KEY = "correct horse battery staple"
Client = Callable[..., TestClient]


@pytest.fixture
def rich_store(sample_store: GraphStore) -> GraphStore:
    """The sample plus a few departments, an official, a project and a place."""
    sample_store.write(extra_records(sample_store.export()))
    return sample_store


@pytest.fixture
def make_client(tmp_path: Path) -> Client:
    def make(store: GraphStore, **settings: Any) -> TestClient:
        conf = Settings(data_dir=tmp_path / "data", **settings)
        return TestClient(create_app(store, conf), raise_server_exceptions=False)

    return make


@pytest.fixture
def client(rich_store: GraphStore, make_client: Client) -> TestClient:
    return make_client(rich_store)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape: {"error": {"code", "message", "details"}}."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "details"}
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return dict(body["error"])


def snapshot(store: GraphStore) -> dict[str, Any]:
    return store.export().model_dump()


# -- reads ---------------------------------------------------------------------------


def test_health_stats_palette(client: TestClient, rich_store: GraphStore) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["backend"] == rich_store.backend
    assert health["writes_enabled"] is False
    stats = client.get("/api/stats").json()
    expected = rich_store.stats()
    assert stats["nodes"] == expected.nodes and stats["edges"] == expected.edges
    assert stats["total_nodes"] == expected.total_nodes
    assert client.get("/api/palette").json() == palette()


def test_export_is_the_contract(client: TestClient, rich_store: GraphStore) -> None:
    body = client.get("/api/export?format=json").json()
    assert body == rich_store.export().model_dump(mode="json")
    task = next(n for n in body["nodes"] if n["label"] == "Task")
    assert {"number", "text", "chapter", "plan"} <= set(task["properties"])
    assert_error(client.get("/api/export?format=xml"), 422, "validation_error")


def test_node_detail_lists_source_sentences(client: TestClient) -> None:
    body = client.get(f"/api/nodes/{DEPARTMENT}").json()
    assert body["label"] == "Department" and body["properties"]["name"] == "市发展和改革委员会"
    with_sentence = [m for m in body["mentions"] if "sentence" in m["properties"]]
    assert with_sentence
    for m in with_sentence:
        assert m["properties"]["surface"] in m["properties"]["sentence"]
    sources = {m["properties"].get("source") for m in body["mentions"]}
    assert {"assignment", "inferred"} <= sources


@pytest.mark.parametrize("node_id", ["nope", "task:不存在:1", "a/b/c", "report:x/../../etc"])
def test_unknown_node_is_404(client: TestClient, node_id: str) -> None:
    assert_error(client.get(f"/api/nodes/{node_id}"), 404, "not_found")
    assert_error(client.get(f"/api/nodes/{node_id}/neighbourhood"), 404, "not_found")


def test_neighbourhood_filters_and_cap(rich_store: GraphStore, make_client: Client) -> None:
    client = make_client(rich_store, neighbourhood_cap=5)
    task = next(n for n in rich_store.nodes("Task") if n.properties["number"] == 1)
    full = client.get(f"/api/nodes/{task.id}/neighbourhood", params={"depth": 2}).json()
    assert len(full["nodes"]) == 5 and full["truncated"] and full["limit"] == 5
    asked = client.get(
        f"/api/nodes/{task.id}/neighbourhood", params={"depth": 2, "limit": 1000}
    ).json()
    assert len(asked["nodes"]) <= 5
    only = client.get(
        f"/api/nodes/{task.id}/neighbourhood",
        params={"edge_types": "LEADS,ASSISTS", "labels": "Department"},
    ).json()
    assert {n["label"] for n in only["nodes"]} == {"Task", "Department"}
    assert {e["type"] for e in only["edges"]} <= {"LEADS", "ASSISTS"}
    assert all(n["caption"] for n in only["nodes"])
    assert_error(
        client.get(f"/api/nodes/{task.id}/neighbourhood?labels=Bogus"), 422, "schema_error"
    )
    assert_error(
        client.get(f"/api/nodes/{task.id}/neighbourhood?edge_types=DROP"), 422, "schema_error"
    )
    assert_error(client.get(f"/api/nodes/{task.id}/neighbourhood?depth=9"), 422, "validation_error")


def test_entities_by_name_and_alias(client: TestClient) -> None:
    by_name = client.get("/api/entities", params={"name": "市发展和改革委员会"}).json()
    by_alias = client.get(
        "/api/entities", params={"name": "市发改委", "label": "Department"}
    ).json()
    assert DEPARTMENT in [n["id"] for n in by_name["items"]]
    assert DEPARTMENT in [n["id"] for n in by_alias["items"]]
    none = client.get("/api/entities", params={"name": "市发改委", "label": "Place"}).json()
    assert none == {"items": [], "total": 0, "limit": 50, "offset": 0}
    assert_error(client.get("/api/entities?name=x&label=Nope"), 422, "schema_error")


def test_search_ranks_and_pages(client: TestClient) -> None:
    hits = client.get("/api/search", params={"q": "市发改委"}).json()
    assert hits["items"][0]["id"] == DEPARTMENT
    by_number = client.get("/api/search", params={"q": "#24"}).json()
    assert by_number["items"][0]["label"] == "Task" and by_number["items"][0]["id"].endswith(":24")
    port = client.get("/api/search", params={"q": "通州湾港区", "labels": "Project"}).json()
    assert port["items"][0]["id"] == PROJECT and {h["label"] for h in port["items"]} == {"Project"}
    page1 = client.get("/api/search", params={"q": "发展", "limit": 3}).json()
    page2 = client.get("/api/search", params={"q": "发展", "limit": 3, "offset": 3}).json()
    assert page1["total"] == page2["total"] > 6
    assert not {h["id"] for h in page1["items"]} & {h["id"] for h in page2["items"]}
    assert_error(client.get("/api/search?q="), 422, "validation_error")


def test_nodes_of_label_pages(client: TestClient, rich_store: GraphStore) -> None:
    body = client.get("/api/nodes", params={"label": "Task", "limit": 10, "offset": 95}).json()
    assert body["total"] == len(rich_store.nodes("Task")) and len(body["items"]) <= 10


def test_subgraph_of_ids(client: TestClient, rich_store: GraphStore) -> None:
    task = next(n for n in rich_store.nodes("Task") if n.properties["number"] == 1)
    body = client.get("/api/subgraph", params={"ids": [DEPARTMENT, task.id, "nope"]}).json()
    assert {n["id"] for n in body["nodes"]} == {DEPARTMENT, task.id}
    assert any(e["type"] == "LEADS" for e in body["edges"])
    follow = client.get("/api/subgraph", params={"ids": [DEPARTMENT], "follow": "LEADS"}).json()
    assert task.id in {n["id"] for n in follow["nodes"]}


# -- the query catalogue ---------------------------------------------------------------


def test_every_catalogue_entry_has_routes(client: TestClient) -> None:
    from queries.registry import CATALOGUE

    listed = {q["name"] for q in client.get("/api/queries").json()}
    assert listed == set(CATALOGUE)
    paths = client.get("/openapi.json").json()["paths"]
    for name, spec in CATALOGUE.items():
        operation = paths[f"/api/queries/{name}"]["get"]
        names = {p["name"] for p in operation.get("parameters", [])}
        assert names == set(spec.params_model.model_fields), name
        assert f"/api/queries/{name}/graph" in paths


def test_query_route_answers_like_run_query(client: TestClient, rich_store: GraphStore) -> None:
    from queries.registry import run_query

    got = client.get("/api/queries/department_tasks", params={"department": "市发改委"})
    assert got.status_code == 200, got.text
    expected = run_query(rich_store, "department_tasks", {"department": "市发改委"})
    assert got.json() == expected.model_dump(mode="json")
    drawing = client.get(
        "/api/queries/department_tasks/graph", params={"department": DEPARTMENT}
    ).json()
    assert DEPARTMENT in {n["id"] for n in drawing["nodes"]}
    assert_error(client.get("/api/queries/department_tasks"), 422, "validation_error")
    assert_error(client.get("/api/queries/department_tasks?department=没有这个部门"), 404)


@pytest.mark.parametrize("plan", ["南通-2019", "plan:南通-2019"])
def test_a_plan_is_named_by_id_or_by_city_year(client: TestClient, plan: str) -> None:
    got = client.get("/api/queries/task_responsibility", params={"task": "1", "plan": plan})
    assert got.status_code == 200, got.text
    assert got.json()["task"]["plan"] == "plan:南通-2019"
    csv = client.get("/api/queries/responsibility_matrix/csv", params={"plan": plan})
    assert csv.status_code == 200 and "市发展和改革委员会" in csv.text


def test_matrix_as_csv(client: TestClient, rich_store: GraphStore) -> None:
    from queries.shared_responsibility import responsibility_matrix_csv

    got = client.get("/api/queries/responsibility_matrix/csv")
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert got.text == responsibility_matrix_csv(rich_store)
    assert got.text.startswith("department,")
    assert_error(client.get("/api/queries/responsibility_matrix/csv?source=nope"), 422)


class _Params(BaseModel):
    chapter: int = Field(ge=1)
    labels: list[str] = Field(default_factory=list)


class _Row(BaseModel):
    task: str
    status: str


class _Result(BaseModel):
    rows: list[_Row]


@dataclass(frozen=True)
class _Spec:
    name: str
    func: Callable[..., BaseModel]
    params_model: type[BaseModel]
    result_model: type[BaseModel]
    summary: str


def test_routes_are_generated_from_any_catalogue(rich_store: GraphStore, tmp_path: Path) -> None:
    def run(store: GraphStore, name: str, params: dict[str, Any]) -> BaseModel:
        p = _Params.model_validate(params)
        rows = [_Row(task=n.id, status="lagging") for n in store.nodes("Task", chapter=p.chapter)]
        return _Result(rows=rows)

    spec = _Spec("chapter_tasks", run, _Params, _Result, "Tasks of a chapter")
    app = create_app(
        rich_store,
        Settings(data_dir=tmp_path),
        catalogue=QueryCatalogue(specs={"chapter_tasks": spec}, run=run),
    )
    client = TestClient(app, raise_server_exceptions=False)
    rows = client.get("/api/queries/chapter_tasks?chapter=2").json()["rows"]
    assert rows and all(r["task"].startswith("task:") for r in rows)
    drawing = client.get("/api/queries/chapter_tasks/graph?chapter=2").json()
    assert {n["id"] for n in drawing["nodes"]} == {r["task"] for r in rows}
    assert set(drawing["statuses"].values()) == {"lagging"}
    assert_error(client.get("/api/queries/chapter_tasks?chapter=0"), 422, "validation_error")
    schema = client.get("/openapi.json").json()
    params = schema["paths"]["/api/queries/chapter_tasks"]["get"]["parameters"]
    assert {p["name"] for p in params} == {"chapter", "labels"}


# -- the error shape -------------------------------------------------------------------


def test_error_shape_for_framework_errors(client: TestClient) -> None:
    assert_error(client.get("/api/nothing-here"), 404, "not_found")
    assert_error(client.put("/api/stats"), 405, "method_not_allowed")
    assert_error(client.get("/api/search"), 422, "validation_error")


class _Broken(EmbeddedStore):
    def stats(self) -> Any:
        raise RuntimeError("disk on fire")


def test_unexpected_error_is_500_in_the_same_shape(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = TestClient(
        create_app(_Broken(None), Settings(data_dir=tmp_path)), raise_server_exceptions=False
    )
    error = assert_error(client.get("/api/stats"), 500, "internal_error")
    assert "disk on fire" not in error["message"]  # internals stay in the log
    assert "disk on fire" in caplog.text


# -- writes ----------------------------------------------------------------------------


def _upload(
    client: TestClient, data: bytes, name: str = "plan.txt", key: str | None = None, **form: Any
) -> Any:
    headers = {"X-API-Key": key} if key is not None else {}
    return client.post(
        "/api/documents", files={"file": (name, data, "text/plain")}, data=form, headers=headers
    )


def test_writes_disabled_without_a_configured_key(
    client: TestClient, rich_store: GraphStore
) -> None:
    before = snapshot(rich_store)
    assert_error(_upload(client, SAMPLE.read_bytes(), key=KEY), 403, "writes_disabled")
    assert_error(
        client.delete(f"/api/reports/{EXTRA_REPORT}", headers={"X-API-Key": KEY}),
        403,
        "writes_disabled",
    )
    assert snapshot(rich_store) == before


@pytest.mark.parametrize("key", [None, "", "wrong", KEY + " ", KEY.upper(), "密钥"])
def test_wrong_or_missing_key_is_401(
    rich_store: GraphStore, make_client: Client, key: str | None
) -> None:
    client = make_client(rich_store, api_key=KEY)
    before = snapshot(rich_store)
    headers: dict[str, Any] = {} if key is None else {"X-API-Key": key.encode("utf-8")}
    response = client.post(
        "/api/documents",
        headers=headers,
        files={"file": ("plan.txt", SAMPLE.read_bytes(), "text/plain")},
    )
    assert_error(response, 401, "unauthorized")
    assert_error(client.delete(f"/api/reports/{EXTRA_REPORT}", headers=headers), 401)
    assert snapshot(rich_store) == before


def test_upload_then_delete_with_the_key(store: GraphStore, make_client: Client) -> None:
    client = make_client(store, api_key=KEY)
    assert client.get("/api/health").json()["writes_enabled"] is True
    response = _upload(client, SAMPLE.read_bytes(), name="nantong.txt", key=KEY)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["city"] == "南通" and body["year"] == 2019 and body["tasks"] == 100
    assert body["nodes_created"] > 100 and not body["already_present"]
    assert store.has_report(body["report_id"])
    again = _upload(client, SAMPLE.read_bytes(), name="nantong.txt", key=KEY).json()
    assert again["already_present"] and again["nodes_created"] == 0
    deleted = client.delete(f"/api/reports/{body['report_id']}", headers={"X-API-Key": KEY})
    assert deleted.status_code == 200 and deleted.json()["deleted"]
    assert store.stats().total_nodes == 0
    assert_error(
        client.delete(f"/api/reports/{body['report_id']}", headers={"X-API-Key": KEY}),
        404,
        "not_found",
    )


def test_upload_of_a_spreadsheet_reads_its_merged_table(
    store: GraphStore, make_client: Client
) -> None:
    xlsx = Path(__file__).parent / "data" / "real" / "dazhu_2016_minsheng_fenjie_merged.xlsx"
    client = make_client(store, api_key=KEY)
    response = _upload(client, xlsx.read_bytes(), name=xlsx.name, key=KEY)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["tasks"] == 10 and body["year"] == 2016
    leads = {
        e.target.rsplit(":", 1)[1]
        for e in store.export().edges
        if e.type == "LEADS" and e.source.endswith("县民政局")
    }
    assert leads == {"5"}  # 序号 5 and 县民政局 merged over two rows: one task


def test_upload_with_explicit_city_year_period(store: GraphStore, make_client: Client) -> None:
    client = make_client(store, api_key=KEY)
    body = _upload(
        client, SAMPLE.read_bytes(), key=KEY, city="南通", year="2019", period="H1"
    ).json()
    assert body["period"] == "2019-H1"
    bad = [{"year": "abc"}, {"year": "1800"}, {"period": "yesterday"}, {"city": "Nantong';--"}]
    for form in bad:
        assert_error(_upload(client, b"x", key=KEY, **form), 422, "validation_error")


def test_a_reworded_upload_is_409_unless_it_replaces(
    store: GraphStore, make_client: Client
) -> None:
    client = make_client(store, api_key=KEY)
    first = _upload(client, SAMPLE.read_bytes(), key=KEY).json()
    reworded = SAMPLE.read_text("utf-8").replace("。\n", "。 \n").encode()
    before = snapshot(store)
    assert_error(_upload(client, reworded, key=KEY), 409, "revised_report")
    assert snapshot(store) == before
    second = _upload(client, reworded, key=KEY, replace="true")
    assert second.status_code == 201
    assert [n.id for n in store.nodes("Report")] == [second.json()["report_id"]]
    assert second.json()["report_id"] != first["report_id"]


def test_oversized_upload_is_413_and_changes_nothing(
    rich_store: GraphStore, make_client: Client
) -> None:
    client = make_client(rich_store, api_key=KEY, max_upload_bytes=1000)
    before = snapshot(rich_store)
    assert_error(_upload(client, SAMPLE.read_bytes()[:5000], key=KEY), 413, "payload_too_large")
    huge = b"x" * (1000 + 70 * 1024)  # over the cap plus multipart slack: refused before parsing
    assert_error(_upload(client, huge, key=KEY), 413, "payload_too_large")
    assert snapshot(rich_store) == before


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n  ", "empty"),
        ("binary.txt", bytes(range(256)) * 20, ""),
        ("noise.txt", "这是一段没有任何任务的文字。".encode(), ""),
        ("broken.docx", b"PK\x03\x04 not really a zip", "docx"),
        ("broken.pdf", b"%PDF-1.4 garbage", "pdf"),
        ("page.html", b"<html><body></body></html>", "html"),
        ("tool.exe", b"MZ\x90\x00", "unsupported"),
        ("../../../etc/passwd", b"root:x:0:0", ""),
    ],
)
def test_malformed_upload_is_422_with_the_parse_message(
    rich_store: GraphStore, make_client: Client, name: str, data: bytes, reason: str
) -> None:
    client = make_client(rich_store, api_key=KEY)
    before = snapshot(rich_store)
    error = assert_error(_upload(client, data, name=name, key=KEY), 422)
    assert error["code"] in {"parse_error", "schema_error"}
    assert reason in error["message"]
    assert snapshot(rich_store) == before


# -- Cypher ----------------------------------------------------------------------------


def test_cypher_on_the_embedded_store_needs_neo4j(
    sample_records: Any, make_client: Client, tmp_path: Path
) -> None:
    store = EmbeddedStore(tmp_path / "g.pickle")
    store.write(sample_records.model_copy(deep=True))
    client = make_client(store, cypher_public=True)
    error = assert_error(
        client.post("/api/cypher", json={"query": "MATCH (n) RETURN n"}), 400, "needs_neo4j"
    )
    assert "Neo4j" in error["message"]


def test_cypher_is_read_only(rich_store: GraphStore, make_client: Client) -> None:
    client = make_client(rich_store, cypher_row_cap=7, cypher_public=True)
    before = snapshot(rich_store)
    writes = [
        "CREATE (n:Task {id: 'x'}) RETURN n",
        "MATCH (n) DETACH DELETE n",
        "MATCH (t:Task) SET t.text = 'hacked' RETURN t.id",
        "MERGE (d:Department {id: $id}) RETURN d",
        "CREATE INDEX x FOR (n:Task) ON (n.x)",
    ]
    for query in writes:
        response = client.post("/api/cypher", json={"query": query, "params": {"id": "x"}})
        assert_error(response, 400)
    assert snapshot(rich_store) == before
    if rich_store.backend == "neo4j":
        rows = client.post(
            "/api/cypher",
            json={
                "query": "MATCH (t:Task) WHERE t.number <= $n RETURN t.number AS n ORDER BY n",
                "params": {"n": 3},
            },
        ).json()
        assert [r["n"] for r in rows["rows"]] == [1, 2, 3]
        capped = client.post("/api/cypher", json={"query": "MATCH (t:Task) RETURN t"}).json()
        assert len(capped["rows"]) == 7 and capped["truncated"]
        assert_error(client.post("/api/cypher", json={"query": "THIS IS NOT CYPHER"}), 400)
    assert_error(client.post("/api/cypher", json={"query": ""}), 422, "validation_error")
    huge = {"query": "RETURN $n AS n", "params": {"n": 10**40}}
    assert_error(client.post("/api/cypher", json=huge), 422, "validation_error")
    assert_error(client.post("/api/cypher", json={"params": {}}), 422, "validation_error")


# -- injection -------------------------------------------------------------------------

PAYLOADS = [
    "' OR 1=1 --",
    'x") DETACH DELETE n //',
    "}) MATCH (n) DETACH DELETE n //",
    "Task`) DETACH DELETE n //",
    "Task:Department",
    "LEADS|ASSISTS]->() DELETE r //",
    "$id",
    "{{7*7}}",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%00\x00",
    "\u202e\ufeff",
    "9" * 40,
    "任务" * 60,
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_injection_through_every_parameter(
    rich_store: GraphStore, make_client: Client, payload: str, request: pytest.FixtureRequest
) -> None:
    client = make_client(rich_store, api_key=KEY)
    before = snapshot(rich_store)
    key = {"X-API-Key": KEY}
    responses = [
        client.get(f"/api/nodes/{quote(payload, safe='')}"),
        client.get(f"/api/nodes/{quote(payload, safe='')}/neighbourhood"),
        client.get(f"/api/nodes/{DEPARTMENT}/neighbourhood", params={"labels": payload}),
        client.get(f"/api/nodes/{DEPARTMENT}/neighbourhood", params={"edge_types": payload}),
        client.get("/api/entities", params={"name": payload}),
        client.get("/api/entities", params={"name": "x", "label": payload}),
        client.get("/api/search", params={"q": payload}),
        client.get("/api/search", params={"q": "x", "labels": payload}),
        client.get("/api/nodes", params={"label": payload}),
        client.get("/api/subgraph", params={"ids": [payload, DEPARTMENT]}),
        client.get("/api/subgraph", params={"ids": DEPARTMENT, "follow": payload}),
        client.delete(f"/api/reports/{quote(payload, safe='')}", headers=key),
        client.post(
            "/api/cypher", json={"query": "MATCH (n {id: $id}) RETURN n", "params": {"id": payload}}
        ),
        _upload(client, payload.encode(), name=f"{payload}.txt", key=key["X-API-Key"]),
    ]
    from queries.registry import CATALOGUE

    for name, spec in CATALOGUE.items():
        for field, info in spec.params_model.model_fields.items():
            value = [payload] if "list" in str(info.annotation) else payload
            responses.append(client.get(f"/api/queries/{name}", params={field: value}))
    for response in responses:
        assert response.status_code < 500, (response.request.url, response.text)
        if response.status_code >= 400:
            assert_error(response, response.status_code)
    assert snapshot(rich_store) == before


# -- the page and the docs -------------------------------------------------------------


def test_explorer_page_and_assets_are_local(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert "/static/vendor/vis-network/vis-network.min.js" in html
    for asset in (
        "/static/app.js",
        "/static/app.css",
        "/static/vendor/vis-network/vis-network.min.js",
        "/static/vendor/swagger-ui/swagger-ui-bundle.js",
        "/static/vendor/swagger-ui/swagger-ui.css",
        "/static/favicon.svg",
    ):
        assert client.get(asset).status_code == 200, asset
    for text in (html, client.get("/static/app.js").text, client.get("/static/app.css").text):
        assert 'src="http' not in text and 'href="http' not in text and "url(http" not in text
        for host in ("cdn.", "cdnjs", "jsdelivr", "unpkg", "googleapis", "bootstrapcdn"):
            assert host not in text.lower()


def test_docs_use_vendored_swagger_and_redoc_is_off(client: TestClient) -> None:
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "cdn.jsdelivr" not in docs
    assert client.get("/redoc").status_code == 404
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "govgraph"
    errors = schema["paths"]["/api/stats"]["get"]["responses"]
    assert errors["500"]["content"]["application/json"]["schema"]["$ref"].endswith("ErrorResponse")
