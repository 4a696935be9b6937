"""Text out of .docx, .html and .pdf files, through well-kept libraries.

Paragraphs and table cells become lines, so the segmenter sees the same
layouts as in plain text (a table becomes a pipe table).
"""

from __future__ import annotations

import io
import re
from typing import Any

from graph.errors import ParseError

__all__ = ["extract_text"]


def extract_text(data: bytes, fmt: str, path: str) -> str:
    try:
        if fmt == "docx":
            text = _docx(data)
        elif fmt in {"html", "htm"}:
            text = _html(data)
        elif fmt == "pdf":
            text = _pdf(data)
        else:
            raise ParseError(f"unsupported format {fmt!r}", path=path)
    except ParseError:
        raise
    except Exception as e:  # library errors on malformed files
        raise ParseError(f"cannot read the {fmt} file: {type(e).__name__}: {e}", path=path) from e
    if not text.strip():
        raise ParseError(f"the {fmt} file holds no text", path=path, line=1)
    return text


def _docx(data: bytes) -> str:
    import docx  # python-docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            for row in Table(block, document).rows:
                cells = [c.text.replace("\n", " ").strip() for c in row.cells]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


_GB_LABEL = re.compile(
    rb"""charset\s*=\s*["']?\s*(?:gb2312|gbk|x-gbk|csgb2312|chinese)\b""", re.IGNORECASE
)


def _html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    # Browsers read pages labelled gb2312 or gbk as GB18030 (WHATWG); Python's gb2312 codec
    # decodes some bytes to other characters (A1AA to U+2015 instead of the dash U+2014).
    encoding = "gb18030" if _GB_LABEL.search(data[:4096]) else None
    soup = BeautifulSoup(data, "lxml", from_encoding=encoding)
    for bad in soup(["script", "style", "head", "nav", "footer"]):  # page chrome, not text
        bad.decompose()
    for table in soup.find_all("table"):
        rows = []
        for tr in table.find_all("tr"):
            cells = [c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            rows.append("| " + " | ".join(cells) + " |")
        table.replace_with(soup.new_string("\n" + "\n".join(rows) + "\n"))
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for block in soup.find_all(["p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr"]):
        block.insert_after("\n")
    text = soup.get_text()
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _pdf(data: bytes) -> str:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams, LTTextContainer, LTTextLineHorizontal

    # A wide char margin keeps each printed line whole: with the default, a glyph from a
    # fallback font (quotes in a CJK line) splits the line and strands "3." on a line of
    # its own, and the task is lost.
    lines: list[str] = []
    for page in extract_pages(io.BytesIO(data), laparams=LAParams(char_margin=50)):
        for box in page:
            if not isinstance(box, LTTextContainer):
                continue
            for line in box:
                if isinstance(line, LTTextLineHorizontal):
                    lines.append(_pdf_line(line))
                elif isinstance(line, LTTextContainer):
                    lines.append(line.get_text())
    return "\n".join(line.rstrip() for line in lines if line.strip())


def _pdf_line(line: Any) -> str:
    """A printed line's characters left to right.

    pdfminer keeps the order glyphs were drawn in, and a glyph from a fallback font (the
    quotes of “双创” in a CJK font without them) is drawn after its line, so it lands at the
    line's start: ``“ ”二、健全 双创 促进体系`` is no chapter heading.  Sorting by x puts it
    back.  pdfminer's guessed word spaces are dropped, except between two ASCII letters or
    digits set apart (Chinese print has no spaces; ``LNG 码头`` is ``LNG码头``).
    """
    from pdfminer.layout import LTChar

    def ascii_word(ch: str) -> bool:
        return ch.isascii() and ch.isalnum()

    chars = sorted((c for c in line if isinstance(c, LTChar)), key=lambda c: (c.x0, c.y0))
    out: list[str] = []
    previous = None
    for c in chars:
        text = c.get_text()
        if (
            previous is not None
            and ascii_word(previous.get_text()[-1:])
            and ascii_word(text[:1])
            and c.x0 - previous.x1 > 0.2 * c.width
        ):
            out.append(" ")
        out.append(text)
        previous = c
    return "".join(out)
