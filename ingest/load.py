"""Load: read a file into a :class:`~ingest.document.Document`, whatever its format and encoding.

Structured formats (HTML, .docx, spreadsheets, PDF) go to their reader in
:mod:`ingest.readers`.  Plain text is decoded as UTF-8 (with or without BOM), UTF-16 (BOM), or
GB18030 (a superset of GBK and GB2312) when it decodes cleanly; anything else
goes to charset-normalizer, and undecodable input raises :class:`ParseError`.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import ParseError
from ingest.document import Document

__all__ = ["decode_bytes", "load_bytes", "load_file"]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


def _looks_textual(text: str) -> bool:
    if not text.strip():
        return False
    bad = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\r\n\t\f") or ch == "\ufffd")
    return bad <= max(2, len(text) // 1000)


def _first_bad_line(data: bytes, encoding: str) -> int:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as e:
        return data[: e.start].count(b"\n") + 1
    return 1


def decode_bytes(data: bytes, path: str = "<input>") -> tuple[str, str]:
    """Decode ``data`` to text; return ``(text, encoding)``.

    >>> decode_bytes("南通".encode("gbk"))
    ('南通', 'gb18030')
    """
    if not data.strip():
        raise ParseError("the file is empty", path=path, line=1)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise ParseError(
                    f"starts with a {enc} byte-order mark but does not decode as {enc}: {e.reason}",
                    path=path,
                    line=data[: e.start].count(b"\n") + 1,
                ) from e
            return _check_text(text, path), enc
    if b"\x00" in data[:4096] and len(data) % 2 == 0:
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_textual(text):
                return text, enc
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError as e:
            if (
                enc == "utf-8"
                and e.start >= len(data) - 3
                and _looks_textual(data[: e.start].decode("utf-8", errors="replace"))
            ):
                raise ParseError(
                    "the file ends in the middle of a UTF-8 character: it looks truncated",
                    path=path,
                    line=data.count(b"\n") + 1,
                ) from e
            continue
        if _looks_textual(text):
            return text, enc
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
    except Exception as e:  # the detector is a library; its failures are ours to name
        raise ParseError(f"cannot detect the encoding: {e}", path=path) from e
    if best is not None:
        text = str(best)
        if _looks_textual(text) and _cjk_share(text) > 0.05:
            return text, best.encoding
    line = _first_bad_line(data, "utf-8")
    raise ParseError(
        "cannot decode the file as text (tried UTF-8, UTF-16, GBK/GB18030 and detection); "
        f"first undecodable bytes near line {line}",
        path=path,
        line=line,
    )


def _cjk_share(text: str) -> float:
    sample = text[:5000]
    cjk = sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff")
    return cjk / max(1, len(sample))


def _check_text(text: str, path: str) -> str:
    if not _looks_textual(text):
        raise ParseError("the file decodes but is not text (control characters)", path=path, line=1)
    return text


def load_bytes(data: bytes, path: str = "<input>", fmt: str | None = None) -> Document:
    """Read a document given as bytes (``fmt``: txt, html, docx, xlsx, xls, ods, pdf ...;
    default from the path's suffix) into its text and blocks (:mod:`ingest.readers`).

    Line ends are ``\\n`` whatever the file used (plain text is normalised before it is
    read, so the blocks' spans point into the text returned)."""
    from ingest.readers import read_bytes

    return read_bytes(data, path, fmt)


def load_file(path: str | Path, max_bytes: int | None = None) -> Document:
    """Read and decode one file; :class:`ParseError` names the file when it cannot."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise ParseError(
                f"the file is {size:,} bytes, over the limit of {max_bytes:,}", path=str(p)
            )
        data = p.read_bytes()
    except OSError as e:
        raise ParseError(f"cannot read the file: {e.strerror or e}", path=str(p)) from e
    return load_bytes(data, str(p))
