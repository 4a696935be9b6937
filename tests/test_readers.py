"""The format readers: each file built here with the library that writes that format, read back
into paragraphs and table grids with merged cells resolved and spans that point into the text."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from graph.errors import ParseError
from ingest.document import Document, Paragraph, Table
from ingest.load import load_bytes, load_file
from ingest.readers import read_bytes


# -- helpers ------------------------------------------------------------------------------------
def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def merges(table: Table) -> dict[tuple[int, int], tuple[int, int]]:
    return {
        (i, j): c.merged_from
        for i, row in enumerate(table.rows)
        for j, c in enumerate(row)
        if c.merged_from is not None
    }


def paragraphs(doc: Document) -> list[str]:
    return [b.span.text for b in doc.blocks if isinstance(b, Paragraph)]


def check_spans(doc: Document) -> None:
    """Every span is its stretch of the text; a merged copy shares its origin's span; every
    table is rectangular; each block's line is where its text starts."""
    lines = doc.text.split("\n")
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            s = block.span
            assert doc.text[s.start : s.end] == s.text
            assert lines[block.line - 1].strip() == s.text.split("\n")[0]
            continue
        assert len({len(r) for r in block.rows}) == 1
        assert len(block.row_lines) == block.n_rows
        for i, row in enumerate(block.rows):
            for j, cell in enumerate(row):
                if cell.span is not None:
                    assert doc.text[cell.span.start : cell.span.end] == cell.span.text == cell.text
                else:
                    assert cell.text == ""
                if cell.merged_from is not None:
                    oi, oj = cell.merged_from
                    assert (oi, oj) < (i, j) and block.rows[oi][oj].merged_from is None
                    assert cell.span == block.rows[oi][oj].span
                    assert cell.text == block.rows[oi][oj].text
                elif cell.span is not None:  # in its row, which may span lines
                    assert doc.text.count("\n", 0, cell.span.start) + 1 >= block.row_lines[i]
                    if j == 0:
                        assert lines[block.row_lines[i] - 1].startswith(cell.text.split("\n")[0])


# -- HTML ---------------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html><html><head><meta charset="{charset}"><title>标题</title>
<script>document.write("<p>统计代码</p>")</script><style>p {{ margin: 0 }}</style></head>
<body><nav><a href="/">首页</a> &gt; 政务公开</nav>
<table width="100%"><tr><td class="left"><p>南通市2019年重点工作任务</p>
<div>一、产业<br>1.建成沪通铁路——全线。</div>
<table border="1"><caption>表1 任务分解</caption>
<thead><tr><th rowspan="2">序号</th><th rowspan="2">工作任务</th><th colspan="2">责任单位</th></tr>
<tr><th>牵头</th><th>配合</th></tr></thead>
<tbody>
<tr><td>1</td><td>建成<br>沪通铁路</td><td rowspan="2">市发改委</td><td>市财政局、
    市交通局</td></tr>
<tr><td>&nbsp;&nbsp;2</td><td>建设通州湾
    港区 LNG&nbsp;&nbsp;码头</td><td>市港口局</td></tr>
<tr><td>3</td><td colspan="3">另行通知</td></tr>
<tr><td>4</td><td>乡村振兴</td></tr>
</tbody></table></td><td class="right"><ul><li>相关链接</li></ul></td></tr></table>
<footer>主办:市人民政府办公室</footer></body></html>"""

HTML_GRID = [
    ["序号", "工作任务", "责任单位", "责任单位"],
    ["序号", "工作任务", "牵头", "配合"],
    ["1", "建成\n沪通铁路", "市发改委", "市财政局、市交通局"],
    ["2", "建设通州湾港区 LNG 码头", "市发改委", "市港口局"],
    ["3", "另行通知", "另行通知", "另行通知"],
    ["4", "乡村振兴", "", ""],
]
HTML_MERGES = {
    (0, 3): (0, 2),
    (1, 0): (0, 0),
    (1, 1): (0, 1),
    (3, 2): (2, 2),
    (4, 2): (4, 1),
    (4, 3): (4, 1),
}


@pytest.mark.parametrize(
    "charset,encoding", [("utf-8", "utf-8"), ("gb2312", "gbk")], ids=["utf-8", "gb2312"]
)
def test_html_table_with_spans_in_a_layout_table(charset: str, encoding: str) -> None:
    doc = read_bytes(PAGE.format(charset=charset).encode(encoding), "page.html")
    check_spans(doc)
    assert doc.format == "html"
    [table] = doc.tables
    assert texts(table) == HTML_GRID
    assert merges(table) == HTML_MERGES
    assert table.source == "html" and table.name == "表1 任务分解"
    # the layout table's cells read as containers: paragraphs around the data table
    assert paragraphs(doc) == [
        "南通市2019年重点工作任务",
        "一、产业",
        "1.建成沪通铁路——全线。",  # A1AA in a gb2312 page is the em dash (GB18030), not U+2015
        "表1 任务分解",
        "相关链接",
    ]
    assert [type(b).__name__ for b in doc.blocks] == ["Paragraph"] * 4 + ["Table", "Paragraph"]
    assert "统计代码" not in doc.text and "首页" not in doc.text and "主办" not in doc.text


def test_html_ragged_rows_are_padded_and_empty_rows_dropped() -> None:
    page = (
        "<table><tr><td>序号</td><td>任务</td><td>单位</td></tr><tr></tr>"
        "<tr><td>1</td></tr><tr><td>2</td><td>乙</td><td>丙</td><td></td></tr></table>"
    )
    doc = read_bytes(page.encode(), "t.htm")
    check_spans(doc)
    assert doc.format == "htm"
    assert texts(doc.tables[0]) == [["序号", "任务", "单位"], ["1", "", ""], ["2", "乙", "丙"]]


# -- docx ---------------------------------------------------------------------------------------
def test_docx_vertical_and_horizontal_merges() -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("一、产业")
    table = document.add_table(rows=5, cols=4)
    rows = [
        ["序号", "工作任务", "责任单位", ""],
        ["", "", "牵头", "配合"],
        ["1", "建成沪通铁路", "市发改委", "市财政局"],
        ["2", "建设通州湾港区", "", "市港口局"],
        ["3", "合计", "", ""],
    ]
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    table.cell(0, 2).merge(table.cell(0, 3))  # gridSpan
    table.cell(0, 0).merge(table.cell(1, 0))  # vMerge restart / continue
    table.cell(0, 1).merge(table.cell(1, 1))
    table.cell(2, 2).merge(table.cell(3, 2))
    table.cell(4, 1).merge(table.cell(4, 3))
    frame = document.add_table(rows=1, cols=1)  # a frame: its content reads as body
    frame.cell(0, 0).text = "二、社会"
    inner = frame.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "4", "新建学校"
    document.add_paragraph("附注\n软回车后")
    buf = io.BytesIO()
    document.save(buf)

    doc = read_bytes(buf.getvalue(), "notice.docx")
    check_spans(doc)
    first, second = doc.tables
    assert texts(first) == [
        ["序号", "工作任务", "责任单位", "责任单位"],
        ["序号", "工作任务", "牵头", "配合"],
        ["1", "建成沪通铁路", "市发改委", "市财政局"],
        ["2", "建设通州湾港区", "市发改委", "市港口局"],
        ["3", "合计", "合计", "合计"],
    ]
    assert merges(first) == {
        (0, 3): (0, 2),
        (1, 0): (0, 0),
        (1, 1): (0, 1),
        (3, 2): (2, 2),
        (4, 2): (4, 1),
        (4, 3): (4, 1),
    }
    assert texts(second) == [["4", "新建学校"]]
    assert paragraphs(doc) == ["一、产业", "二、社会", "附注", "软回车后"]


def test_docx_nested_table_is_its_cells_text() -> None:
    import docx

    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "1"
    cell = table.cell(0, 1)
    cell.text = "建成沪通铁路"
    nested = cell.add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "牵头", "市发改委"
    buf = io.BytesIO()
    document.save(buf)
    doc = read_bytes(buf.getvalue(), "n.docx")
    check_spans(doc)
    assert texts(doc.tables[0]) == [["1", "建成沪通铁路\n牵头\n市发改委"]]


# -- spreadsheets --------------------------------------------------------------------------------
def _xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "任务分解"
    ws.append(["2019年重点工作任务", None, None, None])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "工作任务", "牵头单位", "完成时间"])
    ws.append([1, "建成沪通铁路", "市发改委", dt.date(2019, 6, 30)])
    ws.append([2.0, "建设通州湾港区", None, dt.datetime(2019, 12, 31, 17, 30)])
    ws.merge_cells("C3:C4")
    ws.append([None, None, None, None])
    ws.append([3, "增长7.5%", 0.075, None])
    ws.append([None] * 6)
    wb.create_sheet("空表")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("suffix", ["xlsx", "xlsm"])
def test_xlsx_merged_ranges_and_values(suffix: str) -> None:
    doc = read_bytes(_xlsx(), f"plan.{suffix}")
    check_spans(doc)
    [table] = doc.blocks
    assert isinstance(table, Table) and table.name == "任务分解" and table.source == "sheet"
    assert texts(table) == [
        ["2019年重点工作任务"] * 4,
        ["序号", "工作任务", "牵头单位", "完成时间"],
        ["1", "建成沪通铁路", "市发改委", "2019-06-30"],
        ["2", "建设通州湾港区", "市发改委", "2019-12-31 17:30:00"],
        ["3", "增长7.5%", "0.075", ""],
    ]
    assert merges(table) == {(0, 1): (0, 0), (0, 2): (0, 0), (0, 3): (0, 0), (3, 2): (2, 2)}


def test_xls_merged_ranges() -> None:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("表1")
    sheet.write_merge(0, 0, 0, 2, "重点工作任务")
    for j, v in enumerate(["序号", "工作任务", "牵头单位"]):
        sheet.write(1, j, v)
    sheet.write(2, 0, 1)
    sheet.write(2, 1, "建成沪通铁路")
    sheet.write_merge(2, 3, 2, 2, "市发改委")
    sheet.write(3, 0, 2)
    sheet.write(3, 1, "建设通州湾港区")
    buf = io.BytesIO()
    book.save(buf)
    doc = read_bytes(buf.getvalue(), "plan.xls")
    check_spans(doc)
    [table] = doc.tables
    assert texts(table) == [
        ["重点工作任务"] * 3,
        ["序号", "工作任务", "牵头单位"],
        ["1", "建成沪通铁路", "市发改委"],
        ["2", "建设通州湾港区", "市发改委"],
    ]
    assert merges(table) == {(0, 1): (0, 0), (0, 2): (0, 0), (3, 2): (2, 2)}


def test_ods_merged_ranges_from_content_xml() -> None:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableRow
    from odf.text import P

    def cell(value: str, **spans: int) -> TableCell:
        c = TableCell(valuetype="string", **spans)
        c.addElement(P(text=value))
        return c

    def float_cell(value: float) -> TableCell:
        return TableCell(valuetype="float", value=value)

    ods = OpenDocumentSpreadsheet()
    for name, offset in (("首页", 0), ("任务", 1)):
        sheet = Table(name=name)
        if offset:  # an empty row first: merged ranges count it
            sheet.addElement(TableRow())
        title = TableRow()
        title.addElement(cell("重点工作任务", numbercolumnsspanned=3))
        title.addElement(CoveredTableCell(numbercolumnsrepeated=2))
        sheet.addElement(title)
        header = TableRow()
        for value in ("序号", "工作任务", "牵头单位"):
            header.addElement(cell(value))
        sheet.addElement(header)
        row = TableRow()
        row.addElement(float_cell(1))
        row.addElement(cell("建成沪通铁路"))
        row.addElement(cell("市发改委", numberrowsspanned=2))
        sheet.addElement(row)
        row = TableRow()
        row.addElement(float_cell(2))
        row.addElement(cell("建设通州湾港区"))
        row.addElement(CoveredTableCell())
        sheet.addElement(row)
        ods.spreadsheet.addElement(sheet)
    buf = io.BytesIO()
    ods.save(buf)
    doc = read_bytes(buf.getvalue(), "plan.ods")
    check_spans(doc)
    assert [t.name for t in doc.tables] == ["首页", "任务"]
    for table in doc.tables:
        assert texts(table) == [
            ["重点工作任务"] * 3,
            ["序号", "工作任务", "牵头单位"],
            ["1", "建成沪通铁路", "市发改委"],
            ["2", "建设通州湾港区", "市发改委"],
        ]
        assert merges(table) == {(0, 1): (0, 0), (0, 2): (0, 0), (3, 2): (2, 2)}


# -- PDF ----------------------------------------------------------------------------------------
def _pdf(rows: int) -> bytes:
    """A paragraph, a ruled table of ``rows`` tasks with a merged cell, its header repeated on
    the next page, a page number on each page and a paragraph after.  The CJK text is set in
    Adobe's STSong-Light CID font (not embedded; pdfminer ships its CMap)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph as P
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus import Table as T

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cjk", fontName="STSong-Light", fontSize=11)
    data = [["序号", "工作任务", "牵头单位"]]
    data += [
        [str(i), f"建成沪通铁路第{i}段", "市发改委" if i == 1 else f"单位{i}"]
        for i in range(1, rows + 1)
    ]
    data[3][2] = ""  # rows 2 and 3 lie under the merged cell
    data[2][2] = ""
    table = T(
        data,
        repeatRows=1,
        style=[
            ("FONT", (0, 0), (-1, -1), "STSong-Light"),
            ("GRID", (0, 0), (-1, -1), 0.5, "black"),
            ("SPAN", (2, 1), (2, 3)),  # 市发改委 leads tasks 1 to 3
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ],
    )

    def page_number(canvas: object, doc: object) -> None:
        canvas.setFont("STSong-Light", 9)  # type: ignore[attr-defined]
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")  # type: ignore[attr-defined]

    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(
        [P("一、重点任务LNG码头", style), table, P("二、其他事项", style)],
        onFirstPage=page_number,
        onLaterPages=page_number,
    )
    return buf.getvalue()


def test_pdf_ruled_table_with_a_merged_cell_continued_on_the_next_page() -> None:
    import pdfplumber

    data = _pdf(60)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2  # the table does continue on a second page
        assert "建成沪通铁路第60段" in (pdf.pages[1].extract_text() or "")
    doc = read_bytes(data, "plan.pdf")
    check_spans(doc)
    [table] = doc.tables
    assert table.source == "pdf" and table.n_cols == 3
    grid = texts(table)
    assert grid[0] == ["序号", "工作任务", "牵头单位"]
    assert [r[0] for r in grid[1:]] == [str(i) for i in range(1, 61)]  # header not repeated
    assert [r[1] for r in grid[1:]] == [f"建成沪通铁路第{i}段" for i in range(1, 61)]
    assert [r[2] for r in grid[1:5]] == ["市发改委", "市发改委", "市发改委", "单位4"]
    assert merges(table) == {(2, 2): (1, 2), (3, 2): (1, 2)}
    texts_outside = paragraphs(doc)
    assert texts_outside[0] == "一、重点任务LNG码头"
    assert "二、其他事项" in texts_outside
    assert not any("沪通铁路" in p for p in texts_outside)
    # the blocks in reading order: the heading, the table, then the rest
    assert isinstance(doc.blocks[0], Paragraph) and isinstance(doc.blocks[1], Table)


def test_pdf_table_on_one_page() -> None:
    doc = read_bytes(_pdf(5), "plan.pdf")
    check_spans(doc)
    [table] = doc.tables
    assert texts(table)[1:4] == [
        ["1", "建成沪通铁路第1段", "市发改委"],
        ["2", "建成沪通铁路第2段", "市发改委"],
        ["3", "建成沪通铁路第3段", "市发改委"],
    ]
    assert paragraphs(doc) == ["一、重点任务LNG码头", "二、其他事项", "- 1 -"]


def test_pdf_without_tables_reads_the_sample_lines() -> None:
    """The printed sample: its lines come out as the .txt's, but for where print wraps them."""
    fixtures = Path(__file__).resolve().parent / "data" / "robustness"
    doc = load_file(fixtures / "sample.pdf")
    check_spans(doc)
    assert doc.tables == []
    sample = (Path(__file__).resolve().parents[1] / "data" / "nantong-2019-h1.txt").read_text(
        encoding="utf-8"
    )

    def squashed(text: str) -> str:
        return "".join(text.split())

    # quotes drawn from a fallback font may print elsewhere in their line: compare the rest
    def words(text: str) -> str:
        return "".join(ch for ch in squashed(text) if ch not in "“”‘’")

    assert words(doc.text) == words(sample)


def test_pdf_guessed_spaces_only_between_ascii_words() -> None:
    """pdfminer guesses a space at every wide gap; Chinese print has none."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    canvas = Canvas(buf)
    canvas.saveState()  # the character spacing is graphics state: keep it to this line
    text = canvas.beginText(72, 700)
    text.setFont("STSong-Light", 12)
    text.setCharSpace(6)  # letter-spaced, as titles are
    text.textOut("重点任务")
    canvas.drawText(text)
    canvas.restoreState()
    canvas.setFont("STSong-Light", 12)
    for x, word in ((72, "建设"), (110, "LNG"), (150, "码头"), (190, "Port"), (230, "Road")):
        canvas.drawString(x, 650, word)
    canvas.save()
    doc = read_bytes(buf.getvalue(), "spaced.pdf")
    assert paragraphs(doc) == ["重点任务", "建设LNG码头Port Road"]


# -- load, errors -------------------------------------------------------------------------------
def test_load_bytes_gives_a_document_with_blocks() -> None:
    doc = load_bytes("一、产业\r\n1.建成沪通铁路。\r\n".encode("gbk"), "plan.txt")
    assert isinstance(doc, Document) and doc.format == "txt" and doc.encoding == "gb18030"
    assert "\r" not in doc.text and doc.blocks
    check_spans(doc)
    import hashlib

    assert doc.sha256 == hashlib.sha256(doc.text.encode()).hexdigest()


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("broken.xlsx", b"PK\x03\x04 not a workbook", "cannot read the xlsx file"),
        ("broken.ods", b"garbage", "cannot read the ods file"),
        ("broken.xls", b"\xd0\xcf\x11\xe0 truncated", "cannot read the xls file"),
        ("broken.pdf", b"%PDF-1.7\n%%EOF", "cannot read the pdf file"),
        ("empty.html", b"<html><body><script>x()</script> </body></html>", "holds no text"),
        ("empty.xlsx", None, "holds no text"),
    ],
)
def test_unreadable_files_are_parse_errors_naming_the_file(
    name: str, data: bytes | None, reason: str
) -> None:
    if data is None:
        import openpyxl

        buf = io.BytesIO()
        openpyxl.Workbook().save(buf)
        data = buf.getvalue()
    with pytest.raises(ParseError) as info:
        read_bytes(data, f"in/{name}")
    assert info.value.path == f"in/{name}" and reason in info.value.reason
    if "holds no text" in reason:
        assert info.value.line == 1


def test_ods_without_content_is_a_parse_error() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
    with pytest.raises(ParseError, match="cannot read the ods file"):
        read_bytes(buf.getvalue(), "x.ods")
