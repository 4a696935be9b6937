"""Dependencies routes take: the store, the settings, the write key check.

The app keeps one :class:`StoreHolder` in ``app.state``; tests give
:func:`api.app.create_app` a store of their own, the server opens the one
settings choose on first use.
"""

from __future__ import annotations

import hmac
import threading
from typing import Annotated

from fastapi import Depends, Header, Request

from api.catalogue import QueryCatalogue
from api.errors import WritesDisabled
from graph.errors import Unauthorized
from graph.factory import open_store
from graph.settings import Settings
from graph.store import GraphStore

__all__ = [
    "CatalogueDep",
    "SettingsDep",
    "StoreDep",
    "StoreHolder",
    "WriteAccess",
    "get_app_settings",
    "get_catalogue",
    "get_store",
    "require_write_key",
]


class StoreHolder:
    """Holds the app's store; opens it from settings on first use when none was given."""

    def __init__(self, settings: Settings, store: GraphStore | None = None) -> None:
        self._settings = settings
        self._store = store
        self._owned = store is None
        self._lock = threading.Lock()

    def get(self) -> GraphStore:
        if self._store is None:
            with self._lock:
                if self._store is None:
                    self._store = open_store(self._settings)
        return self._store

    def close(self) -> None:
        """Close the store if this holder opened it (a given store belongs to the caller)."""
        if self._owned and self._store is not None:
            self._store.close()
            self._store = None


def get_store(request: Request) -> GraphStore:
    holder: StoreHolder = request.app.state.store_holder
    store = holder.get()
    store.refresh()  # a CLI ingest into the same embedded file shows up on the next request
    return store


def get_app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_catalogue(request: Request) -> QueryCatalogue:
    catalogue: QueryCatalogue = request.app.state.catalogue
    return catalogue


StoreDep = Annotated[GraphStore, Depends(get_store)]
CatalogueDep = Annotated[QueryCatalogue, Depends(get_catalogue)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def require_write_key(
    settings: SettingsDep,
    x_api_key: Annotated[
        str | None, Header(description="The API key (settings.api_key) that writes need.")
    ] = None,
) -> None:
    """Allow the request only with the configured key (compared in constant time)."""
    configured = settings.api_key.get_secret_value() if settings.api_key else ""
    if not configured:
        raise WritesDisabled("writes are disabled: set GOVGRAPH_API_KEY to enable them")
    given = (x_api_key or "").encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(given, configured.encode("utf-8", "surrogatepass")):
        raise Unauthorized("missing or wrong X-API-Key header")


WriteAccess = Depends(require_write_key)
