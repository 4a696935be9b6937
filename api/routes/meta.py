"""Health, statistics, the palette, and the export contract."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api.deps import CatalogueDep, SettingsDep, StoreDep
from api.models import Health, PaletteOut, StatsOut
from graph.records import GraphExport
from viz.palette import palette

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["graph"])


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("govgraph")
    except PackageNotFoundError:
        return "0+unknown"


@router.get("/health", response_model=Health, summary="Is the API up, and on which store")
def health(store: StoreDep, settings: SettingsDep, catalogue: CatalogueDep) -> Health:
    return Health(
        backend=store.backend,
        version=_version(),
        writes_enabled=bool(settings.api_key and settings.api_key.get_secret_value()),
        queries=len(catalogue.specs),
    )


@router.get("/stats", response_model=StatsOut, summary="Node and edge counts")
def stats(store: StoreDep) -> StatsOut:
    s = store.stats()
    return StatsOut(
        nodes=s.nodes,
        edges=s.edges,
        reports=s.reports,
        total_nodes=s.total_nodes,
        total_edges=s.total_edges,
    )


@router.get("/palette", response_model=PaletteOut, summary="Colours and shapes of labels")
def get_palette() -> PaletteOut:
    return PaletteOut.model_validate(palette())


@router.get(
    "/export", response_model=GraphExport, summary="The whole graph in the export contract's shape"
)
def export(
    store: StoreDep,
    format: Annotated[Literal["json"], Query(description="Only json for now.")] = "json",
) -> GraphExport:
    return store.export()
