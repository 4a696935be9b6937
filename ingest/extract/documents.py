"""Policy documents: titles inside 《》 (nested brackets kept)."""

from __future__ import annotations

from collections.abc import Iterator

from ingest.models import Mention

__all__ = ["document_mentions", "normalise_title"]


def normalise_title(title: str) -> str:
    """Canonical form of a title: width folded, inner whitespace removed."""
    from ingest.textutil import fold_width

    return "".join(fold_width(title).split())


def document_mentions(text: str, start: int, end: int) -> Iterator[Mention]:
    """Every 《…》 title in ``text[start:end]``; nested 《》 stay inside the outer title."""
    depth, open_at = 0, -1
    for i in range(start, end):
        ch = text[i]
        if ch == "《":
            if depth == 0:
                open_at = i + 1
            depth += 1
        elif ch == "》" and depth > 0:
            depth -= 1
            if depth == 0 and i > open_at:
                surface = text[open_at:i]
                yield Mention(label="Document", surface=surface, offset=open_at,
                              name=normalise_title(surface), kind="bracketed")
