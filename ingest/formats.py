"""Text out of .docx, .html and .pdf files, through well-kept libraries.

Paragraphs and table cells become lines, so the segmenter sees the same
layouts as in plain text (a table becomes a pipe table).
"""

from __future__ import annotations

import io

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


def _html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for bad in soup(["script", "style", "head"]):
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
    from pdfminer.high_level import extract_text as pdf_text

    text = pdf_text(io.BytesIO(data))
    return "\n".join(line.rstrip() for line in text.splitlines() if line.strip())
