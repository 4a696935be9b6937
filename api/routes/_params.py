"""Query-parameter helpers shared by the routers."""

from __future__ import annotations

from collections.abc import Iterable

from api.lookup import check_labels
from graph.schema import SCHEMA

__all__ = ["split_values", "valid_edge_types", "valid_labels"]


def split_values(values: Iterable[str] | None) -> list[str]:
    """Repeated and comma-separated values alike (``?labels=Task,Project&labels=Place``)."""
    out: list[str] = []
    for value in values or []:
        out.extend(part.strip() for part in value.split(",") if part.strip())
    return list(dict.fromkeys(out))


def valid_labels(values: Iterable[str] | None) -> list[str] | None:
    labels = split_values(values)
    return check_labels(labels) if labels else None


def valid_edge_types(values: Iterable[str] | None) -> list[str] | None:
    types = split_values(values)
    return [SCHEMA.relationship(t).name for t in types] if types else None
