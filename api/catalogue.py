"""The questions the API serves, as ``queries.registry`` lists them.

The API builds one route per catalogue entry, so a query added to the
registry appears in the API, /docs and the explorer with no API change.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from pydantic import BaseModel

from graph.errors import NotFound
from graph.store import GraphStore

__all__ = ["QueryCatalogue", "QuerySpecLike", "load_catalogue"]


class QuerySpecLike(Protocol):
    """What the API reads of a ``queries.registry.QuerySpec``."""

    @property
    def name(self) -> str: ...
    @property
    def params_model(self) -> type[BaseModel]: ...
    @property
    def result_model(self) -> type[BaseModel]: ...
    @property
    def summary(self) -> str: ...


Runner = Callable[[GraphStore, str, dict[str, Any]], BaseModel]


def _no_queries(store: GraphStore, name: str, params: dict[str, Any]) -> BaseModel:
    raise NotFound(f"no query {name!r}", name=name)


@dataclass(frozen=True)
class QueryCatalogue:
    specs: Mapping[str, QuerySpecLike] = field(default_factory=dict)
    run: Runner = _no_queries


def load_catalogue() -> QueryCatalogue:
    """The registry's catalogue, or an empty one while ``queries.registry`` does not exist."""
    try:
        registry = importlib.import_module("queries.registry")
    except ModuleNotFoundError as e:
        if e.name != "queries.registry":
            raise
        return QueryCatalogue()
    return QueryCatalogue(specs=registry.CATALOGUE, run=registry.run_query)
