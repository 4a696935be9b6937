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
from api.errors import CypherDisabled, WritesDisabled
from graph.errors import GovGraphError, Unauthorized
from graph.factory import open_store
from graph.settings import Settings
from graph.store import GraphStore

__all__ = [
    "CatalogueDep",
    "CypherAccess",
    "SettingsDep",
    "StoreDep",
    "StoreHolder",
    "WriteAccess",
    "check_cypher_key",
    "check_key",
    "check_write_key",
    "get_app_settings",
    "get_catalogue",
    "get_store",
    "require_cypher_key",
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


def check_key(settings: Settings, given: str | None, *, disabled: GovGraphError) -> None:
    """Refuse unless ``given`` is the configured key (compared in constant time); with no key
    configured, refuse with ``disabled``."""
    configured = settings.api_key.get_secret_value() if settings.api_key else ""
    if not configured:
        raise disabled
    given_bytes = (given or "").encode("utf-8", "surrogatepass")
    if not hmac.compare_digest(given_bytes, configured.encode("utf-8", "surrogatepass")):
        raise Unauthorized("missing or wrong X-API-Key header")


def check_write_key(settings: Settings, given: str | None) -> None:
    """The key check of every write."""
    check_key(
        settings,
        given,
        disabled=WritesDisabled("writes are disabled: set GOVGRAPH_API_KEY to enable them"),
    )


def check_cypher_key(settings: Settings, given: str | None) -> None:
    """The key check of ``POST /api/cypher``, unless ``cypher_public`` opens it to anyone."""
    if settings.cypher_public:
        return
    check_key(
        settings,
        given,
        disabled=CypherDisabled(
            "raw Cypher needs the API key: set GOVGRAPH_API_KEY and send it as X-API-Key, "
            "or set GOVGRAPH_CYPHER_PUBLIC=true"
        ),
    )


_KEY_HEADER = Header(description="The API key (settings.api_key).")


def require_write_key(
    settings: SettingsDep, x_api_key: Annotated[str | None, _KEY_HEADER] = None
) -> None:
    """Allow the request only with the configured key."""
    check_write_key(settings, x_api_key)


def require_cypher_key(
    settings: SettingsDep, x_api_key: Annotated[str | None, _KEY_HEADER] = None
) -> None:
    """Allow raw Cypher only with the configured key (or to anyone with ``cypher_public``)."""
    check_cypher_key(settings, x_api_key)


WriteAccess = Depends(require_write_key)
CypherAccess = Depends(require_cypher_key)
