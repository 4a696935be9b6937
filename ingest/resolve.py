"""Resolve: one canonical name per real entity across a document's mentions.

First version: mentions keep the canonical name their extractor gave.
"""

from __future__ import annotations

from ingest.models import TaskExtraction

__all__ = ["resolve_document"]


def resolve_document(extractions: dict[int, TaskExtraction], city: str) -> dict[int, TaskExtraction]:
    """Extractions with canonical names made consistent across tasks."""
    return extractions
