"""Open the store that settings choose."""

from __future__ import annotations

from graph.settings import Settings, get_settings
from graph.store import GraphStore

__all__ = ["open_store"]


def open_store(settings: Settings | None = None) -> GraphStore:
    """The embedded store (default) or Neo4j, as ``settings.store`` says."""
    settings = settings or get_settings()
    if settings.store == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings)
    from graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.embedded_path)
