"""One route per question in the query catalogue, generated from its models.

For each entry ``name`` of ``queries.registry.CATALOGUE``:

* ``GET /api/queries/{name}`` takes the entry's ``params_model`` fields as query
  parameters and answers its ``result_model``;
* ``GET /api/queries/{name}/graph`` answers the same question as a drawable
  subgraph (the nodes the result names and the edges among them).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel

from api.catalogue import QueryCatalogue, QuerySpecLike
from api.deps import CatalogueDep, SettingsDep, StoreDep
from api.errors import ERROR_RESPONSES
from api.models import GraphView, QueryInfo, graph_view
from queries.shared_responsibility import MatrixParams, responsibility_matrix_csv
from viz.subgraph import induced_subgraph, node_ids_in, statuses_in

__all__ = ["build_router"]


def _with_params(
    func: Callable[..., Any], spec: QuerySpecLike, *leading: inspect.Parameter
) -> Callable[..., Any]:
    """Give ``func`` a signature FastAPI reads: the dependencies, then the params model."""
    params = list(leading)
    if spec.params_model.model_fields:
        params.append(
            inspect.Parameter(
                "params",
                inspect.Parameter.KEYWORD_ONLY,
                annotation=Annotated[spec.params_model, Query()],
            )
        )
    func.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    return func


def _kw(name: str, annotation: Any) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)


def _answer(spec: QuerySpecLike) -> Callable[..., Any]:
    def answer(store: Any, catalogue: QueryCatalogue, params: BaseModel | None = None) -> Any:
        values = params.model_dump() if params is not None else {}
        return catalogue.run(store, spec.name, values)

    answer.__name__ = f"query_{spec.name}"
    return _with_params(answer, spec, _kw("store", StoreDep), _kw("catalogue", CatalogueDep))


def _drawing(spec: QuerySpecLike) -> Callable[..., Any]:
    def drawing(
        store: Any, settings: Any, catalogue: QueryCatalogue, params: BaseModel | None = None
    ) -> GraphView:
        values = params.model_dump() if params is not None else {}
        result = catalogue.run(store, spec.name, values)
        cap = settings.neighbourhood_cap
        export = induced_subgraph(store, node_ids_in(result), limit=cap)
        return graph_view(export, cap, statuses_in(result))

    drawing.__name__ = f"query_{spec.name}_graph"
    return _with_params(
        drawing,
        spec,
        _kw("store", StoreDep),
        _kw("settings", SettingsDep),
        _kw("catalogue", CatalogueDep),
    )


def build_router(catalogue: QueryCatalogue) -> APIRouter:
    """The query routes for ``catalogue`` (plus ``GET /api/queries`` listing them)."""
    router = APIRouter(prefix="/api/queries", tags=["queries"], responses=ERROR_RESPONSES)
    infos = [
        QueryInfo(
            name=name,
            summary=spec.summary,
            path=f"/api/queries/{name}",
            parameters=spec.params_model.model_json_schema(),
        )
        for name, spec in sorted(catalogue.specs.items())
    ]

    @router.get("", response_model=list[QueryInfo], summary="The questions the API answers")
    def list_queries() -> list[QueryInfo]:
        return infos

    if "responsibility_matrix" in catalogue.specs:
        _matrix_csv_route(router)
    for name, spec in sorted(catalogue.specs.items()):
        router.add_api_route(
            f"/{name}",
            _answer(spec),
            methods=["GET"],
            response_model=spec.result_model,
            summary=spec.summary,
            operation_id=f"query_{name}",
        )
        router.add_api_route(
            f"/{name}/graph",
            _drawing(spec),
            methods=["GET"],
            response_model=GraphView,
            summary=f"{spec.summary} (as a graph)",
            operation_id=f"query_{name}_graph",
        )
    return router


def _matrix_csv_route(router: APIRouter) -> None:
    """``GET /api/queries/responsibility_matrix/csv``: the full department x task table."""

    @router.get(
        "/responsibility_matrix/csv",
        summary="The department x task matrix as CSV (task numbers as columns in one plan)",
        operation_id="query_responsibility_matrix_csv",
        response_model=None,
        responses={
            200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}
        },
    )
    def matrix_csv(store: StoreDep, params: Annotated[MatrixParams, Query()]) -> PlainTextResponse:
        return PlainTextResponse(
            responsibility_matrix_csv(store, params.source, params.plan),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="responsibility_matrix.csv"'},
        )
