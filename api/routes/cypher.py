"""Read-only Cypher, on the Neo4j store only."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request

from api.cypher_runner import CypherRunner
from api.deps import CypherAccess, StoreDep
from api.errors import CYPHER_RESPONSES
from api.models import CypherRequest, CypherResult

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["cypher"])


def _plain(value: Any) -> Any:
    """JSON-ready values; anything the driver returns that JSON lacks becomes its text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # JSON has no NaN or Infinity
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return str(value)


@router.post(
    "/cypher",
    response_model=CypherResult,
    summary="Run read-only Cypher with a timeout, a row cap and a byte cap (Neo4j store only)",
    dependencies=[CypherAccess],
    responses=CYPHER_RESPONSES,
)
def cypher(request: Request, store: StoreDep, body: CypherRequest) -> CypherResult:
    runner: CypherRunner = request.app.state.cypher_runner
    rows = runner.run(store, body.query, body.params)
    return CypherResult(
        rows=[_plain(row) for row in rows],
        row_cap=runner.settings.cypher_row_cap,
        truncated=rows.truncated,
    )
