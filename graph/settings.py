"""All of govgraph's settings, in one typed class (environment prefix ``GOVGRAPH_``).

Every field has a default and a description; ``tests/test_settings_documented.py``
fails when a field is missing from the README's settings table.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "get_settings"]


def _default_data_dir() -> Path:
    return Path(user_data_dir("govgraph", appauthor=False))


class Settings(BaseSettings):
    """govgraph configuration; each field can be set as ``GOVGRAPH_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="GOVGRAPH_", extra="ignore")

    store: Literal["embedded", "neo4j"] = Field(
        "embedded", description="Which store to use: the in-process networkx store or Neo4j."
    )
    data_dir: Path = Field(
        default_factory=_default_data_dir,
        description="Directory of the embedded store's file (and the local Neo4j's home).",
    )
    neo4j_uri: str = Field(
        "bolt://127.0.0.1:7687",
        description="Neo4j URI; bolt://, neo4j://, neo4j+s:// (cluster, Aura) all work.",
    )
    neo4j_user: str = Field("neo4j", description="Neo4j user name.")
    neo4j_password: SecretStr = Field(
        SecretStr(""), description="Neo4j password; empty means auth disabled (local tests)."
    )
    neo4j_database: str = Field("neo4j", description="Neo4j database name.")
    neo4j_bolt_port: int = Field(
        7687, description="Bolt port of the Neo4j started by `govgraph neo4j start`."
    )
    neo4j_heap: str = Field("1g", description="Heap (-Xms/-Xmx) of the local Neo4j.")
    neo4j_pagecache: str = Field("256m", description="Page cache size of the local Neo4j.")
    neo4j_home: Path | None = Field(
        None, description="Home of the local Neo4j; default: <data_dir>/neo4j."
    )
    api_key: SecretStr | None = Field(
        None,
        description="API key that write endpoints require (header X-API-Key); unset = no writes.",
    )
    max_upload_bytes: int = Field(
        20_000_000, description="Largest document the API accepts for ingest, in bytes."
    )
    max_document_chars: int = Field(
        2_000_000,
        description="Largest decoded document ingest accepts, in characters (memory grows "
        "about 300 bytes a character while ingesting: see docs/BENCHMARKS.md).",
    )
    cypher_public: bool = Field(
        False,
        description="Let anyone run read-only Cypher (POST /api/cypher); by default it needs "
        "the API key, like writes.",
    )
    cypher_timeout_s: float = Field(5.0, description="Timeout of read-only Cypher requests.")
    cypher_row_cap: int = Field(1000, description="Most rows a read-only Cypher request returns.")
    cypher_max_bytes: int = Field(
        2_000_000,
        description="Most bytes of rows (as JSON) a read-only Cypher request returns; the rest "
        "is cut off and the answer says truncated.",
    )
    cypher_concurrency: int = Field(
        2, description="Most read-only Cypher requests running at once; more are answered 429."
    )
    neighbourhood_cap: int = Field(500, description="Most nodes a neighbourhood request returns.")

    @property
    def embedded_path(self) -> Path:
        """The embedded store's file."""
        return self.data_dir / "graph.pickle"

    @property
    def local_neo4j_home(self) -> Path:
        return self.neo4j_home or (self.data_dir / "neo4j")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read from the environment once per process."""
    return Settings()
