"""The body guard: the key is checked before an upload is read, and a body is cut at the limit
while it streams (chunked or with Content-Length), through the real ASGI app."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from graph.embedded import EmbeddedStore
from graph.settings import Settings

KEY = "correct horse battery staple"
CHUNK = b"x" * 65536


def _call(
    app: Any, path: str, headers: dict[str, str], chunks: int
) -> tuple[int, dict[str, Any], int]:
    """POST ``chunks`` chunks of 64 KiB to ``path``; the status, the JSON body, and how many
    chunks the app pulled."""
    pulled = 0
    out: dict[str, Any] = {"status": None, "body": b""}

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        if pulled >= chunks:
            await asyncio.sleep(3600)  # a client that never ends: the app must not wait
        pulled += 1
        return {"type": "http.request", "body": CHUNK, "more_body": pulled < chunks}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
        elif message["type"] == "http.response.body":
            out["body"] += message.get("body", b"")

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), 30))
    return out["status"], json.loads(out["body"]), pulled


@pytest.fixture
def app(tmp_path: Path) -> Any:
    settings = Settings(data_dir=tmp_path, api_key=KEY, max_upload_bytes=1_000_000)
    return create_app(EmbeddedStore(tmp_path / "g.pickle"), settings)


MULTIPART = {"content-type": "multipart/form-data; boundary=b"}
GIB_CHUNKS = 16384  # 1 GiB in 64 KiB chunks


@pytest.mark.parametrize("key", [None, "wrong"])
@pytest.mark.parametrize("path", ["/api/documents", "/api/cypher"])
def test_no_key_is_refused_before_the_body_is_read(app: Any, key: str | None, path: str) -> None:
    headers = {**MULTIPART, "transfer-encoding": "chunked"}
    if key is not None:
        headers["x-api-key"] = key
    status, body, pulled = _call(app, path, headers, GIB_CHUNKS)
    assert status == 401 and body["error"]["code"] == "unauthorized"
    assert pulled == 0


def test_writes_disabled_is_refused_before_the_body_is_read(tmp_path: Path) -> None:
    app = create_app(EmbeddedStore(tmp_path / "g.pickle"), Settings(data_dir=tmp_path))
    headers = {**MULTIPART, "transfer-encoding": "chunked", "x-api-key": KEY}
    status, body, pulled = _call(app, "/api/documents", headers, GIB_CHUNKS)
    assert (status, body["error"]["code"], pulled) == (403, "writes_disabled", 0)


def test_a_chunked_body_is_cut_at_the_limit(app: Any) -> None:
    headers = {**MULTIPART, "transfer-encoding": "chunked", "x-api-key": KEY}
    status, body, pulled = _call(app, "/api/documents", headers, GIB_CHUNKS)
    assert status == 413 and body["error"]["code"] == "payload_too_large"
    limit_chunks = (1_000_000 + 64 * 1024) // len(CHUNK) + 1
    assert pulled == limit_chunks  # not one chunk past the limit was read


def test_a_lying_content_length_is_cut_at_the_limit(app: Any) -> None:
    headers = {**MULTIPART, "content-length": "1000", "x-api-key": KEY}
    status, _, pulled = _call(app, "/api/documents", headers, GIB_CHUNKS)
    assert status == 413 and pulled < 20


def test_a_declared_oversized_body_is_refused_unread(app: Any) -> None:
    headers = {**MULTIPART, "content-length": str(2**30), "x-api-key": KEY}
    status, _, pulled = _call(app, "/api/documents", headers, GIB_CHUNKS)
    assert (status, pulled) == (413, 0)
