"""The ASGI app: JSON API under /api, the explorer at /, OpenAPI at /docs.

>>> from graph.embedded import EmbeddedStore
>>> app = create_app(EmbeddedStore(None))
>>> any(getattr(r, "path", "") == "/api/health" for r in app.routes)
True
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from api.catalogue import QueryCatalogue, load_catalogue
from api.cypher_runner import CypherRunner
from api.deps import StoreHolder, check_cypher_key, check_write_key
from api.errors import ERROR_RESPONSES, install_error_handlers
from api.guards import BodyGuard, KeyCheck
from api.routes import cypher, meta, nodes, pages, queries, writes
from api.routes.pages import STATIC_DIR
from graph.settings import Settings, get_settings
from graph.store import GraphStore

__all__ = ["create_app"]

_MULTIPART_SLACK = 64 * 1024
"""Room for multipart boundaries and form fields above ``max_upload_bytes``."""

_EXPLORER_CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def _security_headers() -> Callable[..., Awaitable[Response]]:
    """``nosniff`` on every answer, and the explorer page's Content-Security-Policy."""

    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if request.url.path == "/":
            response.headers.setdefault("Content-Security-Policy", _EXPLORER_CSP)
        return response

    return headers


def _key_check(settings: Settings) -> KeyCheck:
    """The key checks :class:`~api.guards.BodyGuard` makes before reading a body: the same
    as the routes' own dependencies (which stay, for the OpenAPI document)."""

    def check(method: str, path: str, given: str | None) -> None:
        if method == "POST" and path == "/api/documents":
            check_write_key(settings, given)
        elif method == "POST" and path == "/api/cypher":
            check_cypher_key(settings, given)

    return check


def create_app(
    store: GraphStore | None = None,
    settings: Settings | None = None,
    *,
    catalogue: QueryCatalogue | None = None,
) -> FastAPI:
    """The app over ``store`` (default: the store ``settings`` choose, opened on first use).

    ``catalogue`` replaces ``queries.registry`` (tests); a given store is not closed
    by the app, one it opened is closed at shutdown.
    """
    settings = settings or get_settings()
    catalogue = catalogue or load_catalogue()
    holder = StoreHolder(settings, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            holder.close()

    app = FastAPI(
        title="govgraph",
        summary="Knowledge graph of city-government work plans: tasks, responsibility, "
        "documents, projects, places, targets and progress.",
        version="0.1.0",
        docs_url=None,  # served by api.routes.pages from vendored Swagger UI (works offline)
        redoc_url=None,  # ReDoc loads its script from a CDN: off rather than broken offline
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
    )
    app.state.settings = settings
    app.state.store_holder = holder
    app.state.catalogue = catalogue
    app.state.cypher_runner = CypherRunner(settings)
    install_error_handlers(app)
    app.middleware("http")(_security_headers())
    app.add_middleware(
        BodyGuard,
        limit=settings.max_upload_bytes + _MULTIPART_SLACK,
        check_key=_key_check(settings),
    )
    for router in (
        meta.router,
        nodes.router,
        writes.router,
        cypher.router,
        queries.build_router(catalogue),
        pages.router,
    ):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
