"""Format readers: bytes in, a :class:`~ingest.document.Document` (text and blocks) out.

One module per family of formats, each through a maintained library:

* plain text: :mod:`ingest.readers.text` (decoded by :func:`ingest.load.decode_bytes` first);
* ``html`` / ``htm``: :mod:`ingest.readers.html` (BeautifulSoup + lxml);
* ``docx``: :mod:`ingest.readers.docx` (python-docx);
* ``xlsx`` / ``xlsm`` / ``xls`` / ``ods``: :mod:`ingest.readers.sheet` (python-calamine);
* ``pdf``: :mod:`ingest.readers.pdf` (pdfplumber).

Any other suffix is read as plain text, as before.  A library's error on a malformed file
becomes a :class:`ParseError` naming the file; so does a file with no text.

>>> doc = read_bytes("<p>一、产业</p><table><tr><td>1</td><td>建成沪通铁路</td></tr></table>"
...                  .encode(), "x.html")
>>> doc.text
'一、产业\\n1\\t建成沪通铁路'
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from graph.errors import ParseError
from ingest.document import Document

__all__ = ["STRUCTURED_FORMATS", "read_bytes"]


def _html(data: bytes, path: str, fmt: str) -> Document:
    from ingest.readers.html import read_html

    return read_html(data, path, fmt)


def _docx(data: bytes, path: str, fmt: str) -> Document:
    from ingest.readers.docx import read_docx

    return read_docx(data, path)


def _sheet(data: bytes, path: str, fmt: str) -> Document:
    from ingest.readers.sheet import read_sheet

    return read_sheet(data, path, fmt)


def _pdf(data: bytes, path: str, fmt: str) -> Document:
    from ingest.readers.pdf import read_pdf

    return read_pdf(data, path)


_READERS: dict[str, Callable[[bytes, str, str], Document]] = {
    "html": _html,
    "htm": _html,
    "docx": _docx,
    "xlsx": _sheet,
    "xlsm": _sheet,
    "xls": _sheet,
    "ods": _sheet,
    "pdf": _pdf,
}

STRUCTURED_FORMATS = frozenset(_READERS)
"""The formats read by a structure-aware reader; anything else is plain text."""


def read_bytes(data: bytes, path: str, fmt: str | None = None) -> Document:
    """Read a document given as bytes; ``fmt`` defaults to the suffix of ``path``."""
    fmt = (fmt or Path(path).suffix.lstrip(".") or "txt").lower()
    reader = _READERS.get(fmt)
    if reader is None:
        return _read_plain(data, path)
    try:
        doc = reader(data, path, fmt)
    except ParseError:
        raise
    except Exception as e:  # library errors on malformed files
        raise ParseError(f"cannot read the {fmt} file: {type(e).__name__}: {e}", path=path) from e
    if not doc.text.strip():
        raise ParseError(f"the {fmt} file holds no text", path=path, line=1)
    return doc


def _read_plain(data: bytes, path: str) -> Document:
    from ingest.load import decode_bytes

    text, encoding = decode_bytes(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    from ingest.readers.text import read_text

    return read_text(text, path=path, encoding=encoding, size=len(data))
