"""The one place where errors become HTTP answers.

Every answer that is not a success has the shape of
:meth:`graph.errors.GovGraphError.to_dict`::

    {"error": {"code": "...", "message": "...", "details": {...}}}

``GovGraphError`` subclasses carry their own status; request validation is 422;
Starlette's own HTTP errors (unknown route, wrong method) keep their status;
anything unexpected is logged and answered 500 in the same shape.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.models import ErrorResponse
from graph.errors import GovGraphError

__all__ = [
    "CYPHER_RESPONSES",
    "ERROR_RESPONSES",
    "WRITE_RESPONSES",
    "CypherDisabled",
    "WritesDisabled",
    "error_response",
    "install_error_handlers",
]

log = logging.getLogger("govgraph.api")


class CypherDisabled(GovGraphError):
    """Raw Cypher was asked for but it needs the API key and none is configured."""

    status_code = 403
    code = "cypher_disabled"


class WritesDisabled(GovGraphError):
    """A write was asked for but no API key is configured, so writes are off."""

    status_code = 403
    code = "writes_disabled"


def error_response(status: int, code: str, message: str, **details: Any) -> JSONResponse:
    body = {"error": {"code": code, "message": message, "details": details}}
    return JSONResponse(status_code=status, content=body)


def _clean_validation_errors(errors: Any) -> list[dict[str, Any]]:
    """Pydantic errors without ``input``/``ctx`` (they may hold bytes or exceptions)."""
    return [
        {
            "loc": [str(part) for part in e.get("loc", ())],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


async def _govgraph_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, GovGraphError)
    if exc.status_code >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc.message, exc_info=exc)
    return JSONResponse(status_code=exc.status_code, content=exc.to_dict())


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError | ValidationError)
    errors = _clean_validation_errors(exc.errors())
    where = ".".join(errors[0]["loc"]) if errors else ""
    reason = str(errors[0]["msg"]) if errors else "invalid request"
    message = f"invalid request: {where}: {reason}" if where else reason
    return error_response(422, "validation_error", message, errors=errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    response = error_response(exc.status_code, code, str(exc.detail))
    for name, value in (exc.headers or {}).items():
        response.headers[name] = value
    return response


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "internal error; the server log has details")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers above on ``app``."""
    app.add_exception_handler(GovGraphError, _govgraph_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorResponse, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Invalid query (for example raw Cypher on the embedded store)."),
    404: _error("No such node, report or route."),
    422: _error("Invalid parameters or an unreadable document."),
    500: _error("Unexpected error (logged)."),
    503: _error("The store is unavailable."),
}
"""Documented error answers of every route (all in the one error shape)."""

WRITE_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _error("Missing or wrong X-API-Key."),
    403: _error("Writes are disabled: no API key is configured."),
    413: _error("The upload is larger than max_upload_bytes."),
}

CYPHER_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: _error("Missing or wrong X-API-Key (raw Cypher needs it unless cypher_public)."),
    403: _error("Raw Cypher needs the API key and none is configured."),
    413: _error("The request body is over the limit."),
    429: _error("Too many Cypher queries are running; retry later (Retry-After)."),
    504: _error("The query ran past cypher_timeout_s."),
}
"""Documented error answers of ``POST /api/cypher``."""
