"""Request guards that run before a route reads the body: the write key, then the body's size.

FastAPI reads (and spools) a multipart body before it resolves a route's dependencies, so a
key checked by a dependency comes after the whole upload has been read.  :class:`BodyGuard`
is plain ASGI: for the routes that need the key it checks ``X-API-Key`` from the headers
first, then it counts the body's bytes as they arrive (declared with ``Content-Length`` or
chunked) and answers 413 as soon as they pass the limit, having kept at most the limit in
memory; the route then reads the body from memory.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse

from graph.errors import GovGraphError, PayloadTooLarge

__all__ = ["BodyGuard", "KeyCheck"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
KeyCheck = Callable[[str, str, str | None], None]
"""``check(method, path, given_key)``: raises a :class:`GovGraphError` to refuse the request."""

_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class BodyGuard:
    """Checks the key of the requests that need one, then caps every request body at
    ``limit`` bytes while it streams (nothing past the limit is read)."""

    def __init__(self, app: ASGIApp, *, limit: int, check_key: KeyCheck) -> None:
        self.app = app
        self.limit = limit
        self.check_key = check_key

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        try:
            self.check_key(scope["method"], scope["path"], headers.get("x-api-key"))
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.limit:
                raise self._too_large()
            body = await self._read(receive)
        except GovGraphError as e:
            response = JSONResponse(status_code=e.status_code, content=e.to_dict())
            if isinstance(e, PayloadTooLarge):
                response.headers["Connection"] = "close"  # the rest of the body is not read
            await response(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: the disconnect, when it comes

        await self.app(scope, replay, send)

    async def _read(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                raise self._too_large()
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        return b"".join(chunks)

    def _too_large(self) -> PayloadTooLarge:
        return PayloadTooLarge(
            f"the request is over the limit of {self.limit:,} bytes", limit=self.limit
        )
