"""Write the .docx / .html / .pdf copies of the bundled sample used by the robustness tests.

The files are committed; run this again only to regenerate them (the PDF needs LibreOffice and
a CJK font: ``apt-get install libreoffice-writer-nogui fonts-wqy-microhei``)::

    PYTHONPATH=. python tests/data/robustness/make_fixtures.py

* ``sample.docx``       one paragraph per line of the sample (python-docx);
* ``sample.html``       a government web page: <nav>, script, one <p> per line, <footer> (UTF-8);
* ``sample-gbk.html``   the same page in GBK, declared ``gb2312`` as such sites often do;
* ``sample.pdf``        ``sample.docx`` printed by LibreOffice (lines wrap as on paper);
* ``notice-table.docx`` a 12-task assignment notice as a real Word table (corpus seed 4);
* ``notice-table.pdf``  that notice printed: table cells come out of a PDF as loose lines.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx

from scripts.corpus import PlanSpec, render

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent.parent.parent / "data" / "nantong-2019-h1.txt"

PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{title}</title>
<script>var _hmt = _hmt || []; document.write("<p>统计代码</p>");</script>
<style>p {{ text-indent: 2em; }}</style></head>
<body><nav><a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a></nav>
<div class="article">
{paragraphs}
</div>
<footer>主办:市人民政府办公室 | 网站标识码:3206000001</footer></body></html>
"""


def sample_lines() -> list[str]:
    return SAMPLE.read_text(encoding="utf-8").splitlines()


def write_docx(lines: list[str], path: Path) -> None:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))


def write_html(lines: list[str], path: Path, charset: str, encoding: str) -> None:
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    page = PAGE.format(charset=charset, title=html.escape(lines[0][:20]), paragraphs=paragraphs)
    path.write_bytes(page.encode(encoding))


def write_pdf(source: Path, path: Path) -> None:
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        raise SystemExit("the PDF needs LibreOffice: apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(source)],
            check=True,
            capture_output=True,
            timeout=300,
        )
        shutil.move(str(Path(tmp) / (source.stem + ".pdf")), path)


def write_table_notice(path: Path) -> None:
    spec = PlanSpec(0, "泰州", 2021, "assignment", "pipe-table", None, 12, True)
    lines = render(spec, seed=4).text.splitlines()
    document = docx.Document()
    table = None
    for line in lines:
        if not line.startswith("|"):
            document.add_paragraph(line)
            table = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if set("".join(cells)) <= {"-", " "}:
            continue
        if table is None:
            table = document.add_table(rows=0, cols=len(cells))
        row = table.add_row()
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    document.save(str(path))


def main() -> None:
    lines = sample_lines()
    write_docx(lines, HERE / "sample.docx")
    write_html(lines, HERE / "sample.html", "utf-8", "utf-8")
    write_html(lines, HERE / "sample-gbk.html", "gb2312", "gbk")
    write_pdf(HERE / "sample.docx", HERE / "sample.pdf")
    write_table_notice(HERE / "notice-table.docx")
    write_pdf(HERE / "notice-table.docx", HERE / "notice-table.pdf")
    for p in sorted(HERE.iterdir()):
        print(f"{p.name:24} {p.stat().st_size:>9,} bytes")


if __name__ == "__main__":
    main()
