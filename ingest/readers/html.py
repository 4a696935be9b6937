"""HTML pages: paragraphs and tables in document order (BeautifulSoup + lxml).

* Page chrome (``script``, ``style``, ``head``, ``nav``, ``footer``) is dropped.
* Text outside tables: one paragraph per line, lines broken at block elements (``p``, ``div``,
  ``li``, ``h1``-``h6``, ``tr`` ...), at ``<br>`` and, as the flat reader did, at the page
  source's own line breaks (CMS pages put one paragraph per source line).
* A ``<table>`` is a grid built by the browser's table algorithm: a cell fills the area its
  ``rowspan`` x ``colspan`` covers, the covered positions repeat it (``merged_from``), ragged
  rows are padded.  Inside a cell the source's line breaks are plain whitespace; lines break
  at ``<br>``, ``<p>``, ``<div>``, ``<li>``.
* A table holding another table is page layout, not data: its cells are read as containers
  (their text as paragraphs, their tables as tables).

Pages labelled gb2312 or gbk are decoded as GB18030, as browsers do (WHATWG).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ingest.document import Document, TextBuilder
from ingest.readers.grid import Grid

__all__ = ["read_html"]

_GB_LABEL = re.compile(
    rb"""charset\s*=\s*["']?\s*(?:gb2312|gbk|x-gbk|csgb2312|chinese)\b""", re.IGNORECASE
)
_CHROME = ["script", "style", "head", "nav", "footer", "noscript", "template"]
# elements that start and end a line of text outside tables
_BLOCKS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 tr td th ul ol dl dt dd section article header main aside "  # noqa: SIM905
    "blockquote pre center figure figcaption address form fieldset hr caption".split()
)
# elements that break a line inside a table cell
_CELL_BREAKS = frozenset(
    "p div li h1 h2 h3 h4 h5 h6 ul ol dt dd blockquote pre center".split()  # noqa: SIM905
)
_CELLS = ["td", "th"]
_SPACES = re.compile(r"\s+")


def read_html(data: bytes, path: str, fmt: str = "html") -> Document:
    from bs4 import BeautifulSoup

    # Browsers read pages labelled gb2312 or gbk as GB18030 (WHATWG); Python's gb2312 codec
    # decodes some bytes to other characters (A1AA to U+2015 instead of the dash U+2014).
    encoding = "gb18030" if _GB_LABEL.search(data[:4096]) else None
    soup = BeautifulSoup(data, "lxml", from_encoding=encoding)
    for bad in soup(_CHROME):
        bad.decompose()
    builder = TextBuilder()
    _Reader(builder).read(soup.body or soup)
    return builder.document(path, fmt, len(data))


def _is_text(node: Any) -> bool:
    from bs4 import CData, NavigableString
    from bs4.element import PreformattedString

    return isinstance(node, NavigableString) and (
        not isinstance(node, PreformattedString) or isinstance(node, CData)
    )


def _events(node: Any, breaks: frozenset[str], tables: bool) -> Iterator[tuple[str, Any]]:
    """The content of ``node`` as ``("text", str)``, ``("break", None)`` and, when
    ``tables``, ``("table", tag)`` for each data table, in document order (iterative: a page
    nested thousands deep must not exhaust the stack)."""
    from bs4 import Tag

    stack: list[tuple[bool, Any]] = [(False, c) for c in reversed(list(node.children))]
    while stack:
        closing, child = stack.pop()
        if closing:
            yield "break", None
        elif isinstance(child, Tag):
            name = child.name
            if name == "br":
                yield "break", None
                continue
            if tables and name == "table" and not _is_layout(child):
                yield "table", child
                continue
            if name in breaks:
                yield "break", None
                stack.append((True, child))
            stack.extend((False, c) for c in reversed(list(child.children)))
        elif _is_text(child):
            yield "text", str(child)


def _is_layout(table: Any) -> bool:
    """A table holding another table lays out the page; its cells are containers."""
    return table.find("table") is not None


def _own(parent: Any, names: list[str]) -> list[Any]:
    """Descendants named ``names`` whose nearest ``parent.name`` ancestor is ``parent``
    (a table's own rows, a row's own cells)."""
    return [t for t in parent.find_all(names) if t.find_parent(parent.name) is parent]


def _span(cell: Any, attr: str) -> int:
    match = re.match(r"\s*(\d+)", str(cell.get(attr) or ""))
    return int(match.group(1)) if match else 1


class _Reader:
    def __init__(self, builder: TextBuilder) -> None:
        self.builder = builder

    def read(self, root: Any) -> None:
        buffer: list[str] = []
        for kind, value in _events(root, _BLOCKS, tables=True):
            if kind == "text":
                buffer.append(value)
                continue
            self._flush(buffer)
            if kind == "table":
                self._table(value)
        self._flush(buffer)

    def _flush(self, buffer: list[str]) -> None:
        for line in "".join(buffer).splitlines():
            self.builder.paragraph(line)
        buffer.clear()

    def _table(self, table: Any) -> None:
        caption = table.find("caption")
        name = _cell_text(caption) if caption is not None else None
        if name:
            self.builder.paragraph(name.replace("\n", " "))
        rows = [
            [(_cell_text(c), _span(c, "rowspan"), _span(c, "colspan")) for c in _own(tr, _CELLS)]
            for tr in _own(table, ["tr"])
        ]
        grid = Grid.from_rows(rows)
        self.builder.table(grid.texts, grid.origins, source="html", name=name or None)


def _cell_text(cell: Any) -> str:
    """A cell's lines: breaks at ``<br>`` and block elements, whitespace runs (``&nbsp;``
    included) collapsed to one space, and none left where the source breaks a line between
    two CJK characters (CSS's segment break rule: a source line break in the middle of a
    Chinese phrase is no word space, a typed space is kept)."""
    lines: list[str] = []
    current: list[str] = []
    for kind, value in _events(cell, _CELL_BREAKS, tables=False):
        if kind == "text":
            current.append(value)
        else:
            lines.append(_clean("".join(current)))
            current = []
    lines.append(_clean("".join(current)))
    return "\n".join(line for line in lines if line)


def _clean(text: str) -> str:
    text = text.strip()

    def space(m: re.Match[str]) -> str:
        run = m.group()
        if ("\n" in run or "\r" in run) and _wide(text[m.start() - 1]) and _wide(text[m.end()]):
            return ""
        return " "

    return _SPACES.sub(space, text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in {"W", "F"}
