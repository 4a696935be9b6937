"""One exception tree for govgraph.

Every class carries the HTTP status the API answers with, so that the API maps
errors to responses in one place (``api.errors``) and the CLI prints them the
same way.  Driver and parser errors are wrapped at the boundary with
``raise ... from e``.
"""

from __future__ import annotations

__all__ = [
    "BackendUnavailable",
    "Conflict",
    "ExportError",
    "GovGraphError",
    "InvalidQuery",
    "NeedsNeo4j",
    "NotFound",
    "ParseError",
    "PayloadTooLarge",
    "QueryTimedOut",
    "SchemaError",
    "StoreError",
    "TooBusy",
    "Unauthorized",
]


class GovGraphError(Exception):
    """Root of every error govgraph raises on purpose."""

    status_code: int = 500
    code: str = "govgraph_error"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = {k: v for k, v in details.items() if v is not None}

    def to_dict(self) -> dict[str, object]:
        """The JSON error shape shared by the API and ``--json`` CLI output."""
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


class ParseError(GovGraphError):
    """A document could not be decoded or segmented.

    ``path``, ``line`` and ``reason`` say where and why; the message names all three.
    """

    status_code = 422
    code = "parse_error"

    def __init__(self, reason: str, *, path: str | None = None, line: int | None = None) -> None:
        where = path or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {reason}", path=path, line=line, reason=reason)
        self.path = path
        self.line = line
        self.reason = reason


class SchemaError(GovGraphError):
    """A record uses a label, relationship type or property the schema does not declare."""

    status_code = 422
    code = "schema_error"


class ExportError(GovGraphError):
    """The graph holds a value an export format cannot carry exactly."""

    status_code = 422
    code = "export_error"


class NotFound(GovGraphError):
    status_code = 404
    code = "not_found"


class InvalidQuery(GovGraphError):
    status_code = 400
    code = "invalid_query"


class NeedsNeo4j(InvalidQuery):
    """The operation exists only on the Neo4j store (for example raw Cypher)."""

    code = "needs_neo4j"


class Conflict(GovGraphError):
    status_code = 409
    code = "conflict"


class RevisedReport(Conflict):
    """A document that revises a stored report: same plan, period and kind, mostly the same
    tasks, different text.  Refused unless the user asks to replace the stored report."""

    code = "revised_report"


class Unauthorized(GovGraphError):
    status_code = 401
    code = "unauthorized"


class PayloadTooLarge(GovGraphError):
    status_code = 413
    code = "payload_too_large"


class TooBusy(GovGraphError):
    """As many costly requests as allowed are running; retry later."""

    status_code = 429
    code = "too_busy"


class QueryTimedOut(GovGraphError):
    """A query ran past its timeout and was abandoned."""

    status_code = 504
    code = "timeout"


class StoreError(GovGraphError):
    """The store failed while reading or writing; nothing was half-written."""

    status_code = 500
    code = "store_error"


class BackendUnavailable(StoreError):
    status_code = 503
    code = "backend_unavailable"
