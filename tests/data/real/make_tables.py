"""Rebuild real government tables (found as text in stored copies of the pages) as
HTML / XLSX / ODS / DOCX / PDF files for the real-document development set.

Every cell text below is copied exactly from the stored excerpt of the real page
(see SOURCES.tables.md for the addresses); only the markup (rowspan / colspan,
merged ranges, page layout) is rebuilt from the table's shape in the excerpt.

Run with the project venv:  .venv/bin/python tests/data/real/make_tables.py
Output is deterministic (fixed metadata and fixed zip timestamps).
"""

import datetime
import html
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
FIXED_DT = datetime.datetime(2024, 1, 1, 0, 0, 0)
FIXED_ZIP_DT = (2024, 1, 1, 0, 0, 0)


def _out(name):
    return os.path.join(HERE, name)


def _normalize_zip(path):
    """Rewrite a zip container (xlsx/docx/ods) with fixed entry timestamps."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                # openpyxl stamps dcterms:modified with the save time; pin it
                import re

                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>2024-01-01T00:00:00Z\g<2>",
                    data,
                )
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_DT)
            zi.compress_type = info.compress_type
            zi.external_attr = info.external_attr
            zout.writestr(zi, data)


def esc(s):
    return html.escape(s, quote=False)


# ---------------------------------------------------------------------------
# 临安 (杭州市临安区) 2022年区政府民生实事项目进展情况表(截至9月底)
# http://www.linan.gov.cn/art/2022/11/3/art_1229299207_4099657.html
# ---------------------------------------------------------------------------
LINAN_TITLE = "2022年区政府民生实事项目进展情况表(截至9月底)"
LINAN_HEADER = ["序号", "项目内容", "进展情况", "责任单位"]
LINAN_META = [
    ("索引号", "000330185/2022-86781", "公开方式", "主动公开"),
    ("公开范围", "面向社会", "公开时限", "长期公开"),
    ("发布单位", "区府办", "发文日期", "2022-11-03"),
]
# (序号, [(项目内容, 进展情况), ...], 责任单位) -- 序号 and 责任单位 span the sub-rows
LINAN_GROUPS = [
    (
        "1",
        [
            (
                "新建成公办中小学、幼儿园7所,新增中小学、幼儿园公办学位6800个。",
                "新建成临安区职教中心、学府路幼儿园、8300安置小区配套幼儿园、宝龙幼儿园、优樾府幼儿园、青山湖科技城第一幼儿园和天目山镇中心幼儿园等7所中小学、幼儿园,新增学位6800个。",
            )
        ],
        "教育局",
    ),
    (
        "2",
        [
            (
                "新建成婴幼儿照护服务成长驿站7家。",
                "新建锦南街道、高虹镇、天目山镇、昌化镇、岛石镇等13家婴幼儿成长驿站。",
            ),
            ("新增婴幼儿照护服务托位500个。", "新增婴幼儿照护服务托位600个。"),
            ("开展胃肠癌联合筛查1万例以上。", "开展胃肠癌联合筛查10111例。"),
        ],
        "卫生健康局",
    ),
    (
        "3",
        [
            ("实施农村公路大中修100公里。", "完成农村公路大中修50公里,剩余预计11月底前完成。"),
            ("新增公交线路3条。", "新增599B、855H、7806M和2754等4条公交线路。"),
            ("优化调整公交线路20条。", "优化调整公交线路25条。"),
        ],
        "交通运输局",
    ),
    (
        "4",
        [
            (
                "新建成保障性住房1700套。",
                "新建成保障性住房共2处合计1721套,其中A1-02-02地块人才专项租赁住房(828套)已完成总工程量的90%,计划12月底前完成;B-02-08地块人才专项租赁住房(893套)已完成总工程量的85%,计划12月底前完成。",
            ),
            ("完成公共租赁住房保障家庭800户。", "完成公共租赁住房保障家庭872户。"),
            ("综合改造提升老旧街区100万平方米。", "综合改造提升老旧街区108万平方米。"),
            (
                "打通城市断头路6条。",
                "新建城北支路三道路、星港路跨苕溪桥、发达路跨苕溪桥、星港路南延、横潭路东侧规划道路和白泥路等6处路桥。",
            ),
        ],
        "住建局",
    ),
]


def make_linan_page_html():
    """Full government page: layout tables around the content table, gb2312 meta,
    file encoded in GB18030; rowspan for 序号 and 责任单位, colspan title row."""
    rows = []
    rows.append(
        '<tr><td colspan="4" align="center" style="font-size:16px;font-weight:bold;height:40px">%s</td></tr>'
        % esc(LINAN_TITLE)
    )
    rows.append(
        "<tr>"
        + "".join(
            '<td align="center" style="font-weight:bold">%s</td>' % esc(h) for h in LINAN_HEADER
        )
        + "</tr>"
    )
    for num, subs, unit in LINAN_GROUPS:
        n = len(subs)
        for i, (content, progress) in enumerate(subs):
            cells = []
            if i == 0:
                cells.append(
                    '<td align="center" rowspan="%d">%s</td>' % (n, esc(num))
                    if n > 1
                    else '<td align="center">%s</td>' % esc(num)
                )
            cells.append("<td>%s</td>" % esc(content))
            cells.append("<td>%s</td>" % esc(progress))
            if i == 0:
                cells.append(
                    '<td align="center" rowspan="%d">%s</td>' % (n, esc(unit))
                    if n > 1
                    else '<td align="center">%s</td>' % esc(unit)
                )
            rows.append("<tr>" + "".join(cells) + "</tr>")
    meta_rows = "".join(
        '<tr><td class="k">%s</td><td>%s</td><td class="k">%s</td><td>%s</td></tr>'
        % tuple(esc(x) for x in r)
        for r in LINAN_META
    )
    page = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312" />
<title>%(title)s</title>
<style type="text/css">
body{margin:0;font-size:14px;font-family:"宋体"}
.k{background:#f2f2f2;width:90px}
table.content td{border:1px solid #000;padding:4px}
</style>
</head>
<body>
<table width="1000" border="0" cellspacing="0" cellpadding="0" align="center">
  <tr><td height="80" bgcolor="#1f5fa8" style="color:#fff;font-size:26px;padding-left:20px">杭州市临安区人民政府</td></tr>
  <tr><td height="30" style="border-bottom:1px solid #ccc">首页 &gt; 政务公开 &gt; 民生实事</td></tr>
  <tr>
    <td valign="top">
      <table width="100%%" border="0" cellspacing="0" cellpadding="0">
        <tr>
          <td width="20">&nbsp;</td>
          <td valign="top">
            <table width="100%%" border="1" cellspacing="0" cellpadding="3" class="meta">
%(meta)s
            </table>
            <p>&nbsp;</p>
            <table width="100%%" border="1" cellspacing="0" cellpadding="0" class="content" style="border-collapse:collapse">
%(rows)s
            </table>
          </td>
          <td width="20">&nbsp;</td>
        </tr>
      </table>
    </td>
  </tr>
  <tr><td height="60" align="center" style="border-top:1px solid #ccc">&nbsp;</td></tr>
</table>
</body>
</html>
""" % {"title": esc(LINAN_TITLE), "meta": meta_rows, "rows": "\n".join(rows)}
    with open(_out("linan_2022_minsheng_jinzhan_page.html"), "wb") as f:
        f.write(page.encode("gb18030"))


def make_linan_ods():
    """ODS with table:number-rows-spanned (序号, 责任单位) and a title row with
    table:number-columns-spanned."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import CoveredTableCell, Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    t = Table(name="民生实事进展")
    for _ in range(4):
        t.addElement(TableColumn())

    def cell(text, rows=1, cols=1):
        kw = {"valuetype": "string"}
        if rows > 1:
            kw["numberrowsspanned"] = rows
        if cols > 1:
            kw["numbercolumnsspanned"] = cols
        c = TableCell(**kw)
        c.addElement(P(text=text))
        return c

    tr = TableRow()
    tr.addElement(cell(LINAN_TITLE, cols=4))
    for _ in range(3):
        tr.addElement(CoveredTableCell())
    t.addElement(tr)
    tr = TableRow()
    for h in LINAN_HEADER:
        tr.addElement(cell(h))
    t.addElement(tr)
    for num, subs, unit in LINAN_GROUPS:
        n = len(subs)
        for i, (content, progress) in enumerate(subs):
            tr = TableRow()
            tr.addElement(cell(num, rows=n) if i == 0 else CoveredTableCell())
            tr.addElement(cell(content))
            tr.addElement(cell(progress))
            tr.addElement(cell(unit, rows=n) if i == 0 else CoveredTableCell())
            t.addElement(tr)
    doc.spreadsheet.addElement(t)
    path = _out("linan_2022_minsheng_jinzhan_spanned.ods")
    doc.save(path)
    _strip_ods_meta(path)
    _normalize_zip(path)


def _strip_ods_meta(path):
    """odfpy writes a generator string with its version; pin it and drop dates."""
    import re

    with zipfile.ZipFile(path) as zin:
        entries = [(info, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w") as zout:
        for info, data in entries:
            if info.filename == "meta.xml":
                s = data.decode("utf-8")
                s = re.sub(
                    r"<meta:generator>.*?</meta:generator>",
                    "<meta:generator>make_tables.py</meta:generator>",
                    s,
                )
                s = re.sub(r"<meta:creation-date>.*?</meta:creation-date>", "", s)
                s = re.sub(r"<dc:date>.*?</dc:date>", "", s)
                data = s.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_DT)
            zi.compress_type = info.compress_type
            zout.writestr(zi, data)


# ---------------------------------------------------------------------------
# 新建区 (南昌市) 2024年度区政府民生实事人大票决项目进度表
# http://www.pc28forum.com/xjqrmzf/msss/202412/80436a1e5df84a3ea912087b118f9118.shtml
# (a mirror of the 新建区人民政府 page; the excerpt ends inside group 四)
# 8 leaf columns: 序号 | 牵头单位 | 区民生实事项目数量 | 项目名称 (2 sub-columns) |
#                 业主单位 | 本月进展情况 (前期手续 | 在建形象进度)
# ---------------------------------------------------------------------------
XINJIAN_TITLE = "2024年度区政府民生实事人大票决项目进度表"
XINJIAN_INTRO = (
    "2024年,区政府民生实事人大票决项目共10个(以下简称民生实事项目),共7个牵头单位(区住建局、区城管局、区教体局、区农业农村局、区交通运输局、区水利局、望城镇政府)。"
    "其中,区住建局区政府民生实事项目1个;区城管局区政府民生实事项目3个;区教体局区政府民生实事项目1个;区农业农村局区政府民生实事项目1个;区交通运输局区政府民生实事项目1个;区水利局区政府民生实事项目1个;望城镇区民生实事项目1个。具体如下:"
)
# groups: (序号, 牵头单位, 数量, [projects]); project = (name, [(sub, owner, progress)]) or
#         (name, None, owner, progress) when the project has no sub-items (name spans both
#         项目名称 sub-columns).  progress spans both 本月进展情况 sub-columns.
XINJIAN_GROUPS = [
    (
        "一",
        "区住建局",
        "区政府民生实事项目(1个)",
        [
            (
                "(一)“打通断头路 畅通微循环”攻坚专项行动(6条路)",
                [
                    ("1.文化中心北路", "区城投", "已完工"),
                    ("2.乐业路", "区城管局", "已完工"),
                    ("3.新坊路西接兴国路工程", "长堎街道", "已完工"),
                ],
            ),
        ],
    ),
    (
        "二",
        "区城管局",
        "区政府民生实事项目(3个)",
        [
            ("(一)城区居民户内燃气安全装置、非居瓶改管、气改电项目", None, "区城管局", "已完工"),
            ("(二)“城镇老旧小区改造”建设项目(老前进花园小区改造项目)", None, "区城管局", "已完工"),
            ("(三)井盖整治项目", None, "区城管局 区水投", "已完工"),
        ],
    ),
    (
        "三",
        "区教体局",
        "区政府民生实事项目(2个)",
        [
            ("(一)公共场所全民健身 器材更换项目", None, "区教体局", "已完工"),
            (
                "(二)中小学幼儿园网点建设补短板项目",
                [
                    (
                        "1.市政公用城学校",
                        "南昌市政大道房地产有限公司(开发商配建学校项目)",
                        "已完工",
                    ),
                    ("2.新建四小教学 综合楼", "区教体局(区国资公司代建)", "已完工"),
                    ("3.省庄花园小区 配套幼儿园", "区城投公司", "已完工"),
                ],
            ),
        ],
    ),
]
# the excerpt is cut here: only these cells of group 四 are in the copy
XINJIAN_CUT_ROW = [
    "四",
    "区农业农村局",
    "区政府民生实事项目(1个)",
    "(一)“两整治一提升”行动共同富裕",
]


def _xinjian_grid():
    """Return rows of cells: (text, rowspan, colspan, is_header)."""
    rows = [
        [
            ("序号", 2, 1, True),
            ("牵头单位", 2, 1, True),
            ("区民生实事项目数量", 2, 1, True),
            ("项目名称", 2, 2, True),
            ("业主单位", 2, 1, True),
            ("本月进展情况", 1, 2, True),
        ],
        [("前期手续", 1, 1, True), ("在建形象进度", 1, 1, True)],
    ]
    for num, lead, count, projects in XINJIAN_GROUPS:
        nrows = sum(len(p[1]) if isinstance(p[1], list) else 1 for p in projects)
        first_in_group = True
        for p in projects:
            if isinstance(p[1], list):
                name, subs = p
                for j, (sub, owner, prog) in enumerate(subs):
                    r = []
                    if first_in_group:
                        r += [
                            (num, nrows, 1, False),
                            (lead, nrows, 1, False),
                            (count, nrows, 1, False),
                        ]
                        first_in_group = False
                    if j == 0:
                        r.append((name, len(subs), 1, False))
                    r += [(sub, 1, 1, False), (owner, 1, 1, False), (prog, 1, 2, False)]
                    rows.append(r)
            else:
                name, _none, owner, prog = p
                r = []
                if first_in_group:
                    r += [(num, nrows, 1, False), (lead, nrows, 1, False), (count, nrows, 1, False)]
                    first_in_group = False
                r += [(name, 1, 2, False), (owner, 1, 1, False), (prog, 1, 2, False)]
                rows.append(r)
    rows.append([(c, 1, 1, False) for c in XINJIAN_CUT_ROW])
    return rows


def make_xinjian_html():
    """Two-level header (本月进展情况 -> 前期手续 / 在建形象进度), rowspan for the
    序号 一/二/三 groups and their 牵头单位, colspan for project names without
    sub-items and for the progress cell."""
    out = []
    for r in _xinjian_grid():
        tds = []
        for text, rs, cs, hd in r:
            tag = "th" if hd else "td"
            attrs = ""
            if rs > 1:
                attrs += ' rowspan="%d"' % rs
            if cs > 1:
                attrs += ' colspan="%d"' % cs
            tds.append("<%s%s>%s</%s>" % (tag, attrs, esc(text), tag))
        out.append("    <tr>" + "".join(tds) + "</tr>")
    page = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>%s</title>
</head>
<body>
<h3 style="text-align:center">%s</h3>
<p>%s</p>
<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">
  <tbody>
%s
    <!-- the stored copy of the page ends here, inside group 四 -->
  </tbody>
</table>
</body>
</html>
""" % (esc(XINJIAN_TITLE), esc(XINJIAN_TITLE), esc(XINJIAN_INTRO), "\n".join(out))
    with open(
        _out("xinjian_2024_minsheng_jindu_rowspan.html"), "w", encoding="utf-8", newline="\n"
    ) as f:
        f.write(page)


def make_xinjian_docx():
    """python-docx table: vertical merges (序号, 牵头单位 区住建局 ..., project name over
    its sub-items) and horizontal merges (项目名称 header, 本月进展情况 header, project
    names without sub-items, progress cells), title paragraph before."""
    import docx
    from docx.shared import Pt

    grid = _xinjian_grid()
    ncols = 8
    d = docx.Document()
    d.core_properties.author = "make_tables.py"
    d.core_properties.last_modified_by = "make_tables.py"
    d.core_properties.created = FIXED_DT
    d.core_properties.modified = FIXED_DT
    d.core_properties.revision = 1
    d.core_properties.title = XINJIAN_TITLE
    h = d.add_paragraph()
    run = h.add_run(XINJIAN_TITLE)
    run.bold = True
    run.font.size = Pt(16)
    d.add_paragraph(XINJIAN_INTRO)
    table = d.add_table(rows=len(grid), cols=ncols)
    table.style = "Table Grid"
    occupied = set()
    for ri, r in enumerate(grid):
        ci = 0
        for text, rs, cs, hd in r:
            while (ri, ci) in occupied:
                ci += 1
            if ci >= ncols:
                break
            a = table.cell(ri, ci)
            if rs > 1 or cs > 1:
                b = table.cell(ri + rs - 1, ci + cs - 1)
                a = a.merge(b)
            a.text = text
            if hd:
                for p in a.paragraphs:
                    for rn in p.runs:
                        rn.bold = True
            for dr in range(rs):
                for dc in range(cs):
                    occupied.add((ri + dr, ci + dc))
            ci += cs
    path = _out("xinjian_2024_minsheng_jindu_merged.docx")
    d.save(path)
    _normalize_zip(path)


# ---------------------------------------------------------------------------
# 钟楼区 (常州市) 2021年重大民生实事项目目标任务责任分解表
# https://1wenmi.com/doc/507125.html  (a document-sharing copy of the .docx;
# the excerpt ends inside item 5)
# ---------------------------------------------------------------------------
ZHONGLOU_TITLE = "2021年重大民生实事项目目标任务责任分解表"
ZHONGLOU_HEADER = ["序号", "项目名称", "主要内容", "区政府分管领导", "牵头单位", "配合单位"]
# items: (序号, 项目名称, [sub-rows]); sub-row = (主要内容, 分管领导, 牵头单位, [配合单位 lines])
# a sub-row with leader None is covered by the leader/lead/assist cells of the row above.
ZHONGLOU_ITEMS = [
    (
        "1",
        "增加教育资源供给",
        [
            (
                "实施新建、改扩建学校重点建设项目12个,计划竣工3个,其中幼儿园7个、小学4个、初中1个;增加学位5000个,其中幼儿园420个,中小学4580个。",
                "何海平",
                "教育局",
                ["经开区", "高新园(邹区镇)", "各街道", "市国有公司"],
            ),
        ],
    ),
    (
        "2",
        "促进就业稳定增长",
        [
            (
                "落实就业优先战略。全区城镇新增就业15000人,失业人员再就业5800人,新增参保大学生5400人,城乡“零就业家庭”动态清零,城镇登记失业率控制在3%以内;支持成功自主创业2000人,支持大学生创业240人;开展职业技能补贴培训10000人次。",
                "何海平",
                "人社局",
                ["高新园(邹区镇)", "各街道"],
            ),
        ],
    ),
    (
        "3",
        "老城厢复兴发展",
        [
            (
                "完成瞿秋白纪念馆整体提升工程对外开放,完成常州盛宣怀故居(本体)修缮展陈。",
                "何海平",
                "文体旅局",
                ["晋陵公司", "轨道公司"],
            ),
            (
                "推进大庙弄核心区改造、瞿秋白纪念馆周边立面整治及三堡街、西横街、民元里、邮电路、北大街等老城厢道路整治。",
                "芮春祥",
                "住建局",
                ["五星街道", "南大街街道", "荷花池街道"],
            ),
        ],
    ),
    (
        "4",
        "优化养老服务",
        [
            (
                "为全区23000名老年人提供居家上门服务。",
                "张菁",
                "民政局",
                ["高新园(邹区镇)", "各街道"],
            ),
            ("提升改造8家城乡社区居家养老服务中心(站)。", None, None, None),
            ("对300户困难老人家庭进行居家适老化改造。", None, None, None),
            (
                "提升康复辅具社区租赁服务点建设水平,为IO(X)人提供康复辅具社区租赁服务。",
                None,
                None,
                None,
            ),
        ],
    ),
]
# after a page break the header row is repeated, then item 5, which the copy cuts off
ZHONGLOU_CUT_ROW = [
    "5",
    "文体惠民行动",
    "新建2家“秋白书苑”,开展“幸福钟楼”、文旅惠民月等文旅惠民活动,组",
]


def make_zhonglou_html():
    """rowspan for 序号/项目名称 over sub-rows and for 区政府分管领导 / 牵头单位 /
    配合单位 shared by consecutive sub-rows (item 4); repeated header after the page
    break; title row with colspan."""
    out = [
        '    <tr><td colspan="6" align="center"><b>%s</b></td></tr>' % esc(ZHONGLOU_TITLE),
        "    <tr>" + "".join("<th>%s</th>" % esc(h) for h in ZHONGLOU_HEADER) + "</tr>",
    ]
    for num, name, subs in ZHONGLOU_ITEMS:
        n = len(subs)
        i = 0
        while i < n:
            content, leader, lead, assist = subs[i]
            # how many following sub-rows share this leader/lead/assist
            span = 1
            while i + span < n and subs[i + span][1] is None:
                span += 1
            for k in range(span):
                c = subs[i + k][0]
                tds = []
                if i + k == 0:
                    rs = ' rowspan="%d"' % n if n > 1 else ""
                    tds.append("<td%s>%s</td>" % (rs, esc(num)))
                    tds.append("<td%s>%s</td>" % (rs, esc(name)))
                tds.append("<td>%s</td>" % esc(c))
                if k == 0:
                    rs = ' rowspan="%d"' % span if span > 1 else ""
                    tds.append("<td%s>%s</td>" % (rs, esc(leader)))
                    tds.append("<td%s>%s</td>" % (rs, esc(lead)))
                    tds.append("<td%s>%s</td>" % (rs, "<br>".join(esc(a) for a in assist)))
                out.append("    <tr>" + "".join(tds) + "</tr>")
            i += span
    out.append("    <tr>" + "".join("<th>%s</th>" % esc(h) for h in ZHONGLOU_HEADER) + "</tr>")
    out.append("    <tr>" + "".join("<td>%s</td>" % esc(c) for c in ZHONGLOU_CUT_ROW) + "</tr>")
    page = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>%s</title>
</head>
<body>
<table border="1" cellspacing="0" cellpadding="4" style="border-collapse:collapse">
%s
    <!-- the stored copy ends here, inside item 5 -->
</table>
</body>
</html>
""" % (esc(ZHONGLOU_TITLE), "\n".join(out))
    with open(
        _out("zhonglou_2021_minsheng_fenjie_rowspan.html"), "w", encoding="utf-8", newline="\n"
    ) as f:
        f.write(page)


# ---------------------------------------------------------------------------
# 大竹县 (达州市) 2016年民生实事目标任务分解表
# http://www.dazhu.gov.cn/xxgk-show-947.html
# ---------------------------------------------------------------------------
DAZHU_TITLE = "2016年民生实事目标任务分解表"
DAZHU_HEADER = ["序号", "民生实事", "责任单位", "完成时限"]
# (序号, [(民生实事, 完成时限), ...], [责任单位 lines]) -- 序号 and 责任单位 span sub-rows
DAZHU_ROWS = [
    (
        "1",
        [("启动建设东柳河城区段综合治理工程和东湖湿地公园。", "12月底前")],
        ["县水务局", "县住建局", "县护城河指挥部"],
    ),
    ("2", [("新建2座人行天桥。", "9月投入使用")], ["县住建局"]),
    ("3", [("启动县图书馆新馆建设。", "12月底前")], ["县文体广新局", "县代建中心"]),
    ("4", [("建成县残疾人综合服务中心。", "5月底前动工")], ["县残联"]),
    (
        "5",
        [("开工建设县老年养护楼。", "5月底前动工"), ("开工建设老年大学。", "12月底前")],
        ["县民政局"],
    ),
    ("6", [("迁建县政务服务中心。", "12月底前")], ["县政务服务中心", "县代建中心"]),
    ("7", [("加快推进土地滩水库建设。", "12月底前")], ["县水务局"]),
    (
        "8",
        [("启动大竹县第十二小学建设,新建中心幼儿园2所。", "12月底前")],
        ["县教科局", "县代建中心"],
    ),
    ("9", [("完成棚户区改造2836户。", "12月底前")], ["县住建局"]),
    ("10", [("城区再新建1个农贸市场。", "12月底前")], ["县商务局"]),
]


def make_dazhu_xlsx():
    """openpyxl: title row merged across the top (A1:D1), 序号 5 and its lead unit
    县民政局 merged over the two sub-rows; multi-unit cells keep one unit per line."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    wb = openpyxl.Workbook()
    wb.properties.creator = "make_tables.py"
    wb.properties.lastModifiedBy = "make_tables.py"
    wb.properties.created = FIXED_DT
    wb.properties.modified = FIXED_DT
    ws = wb.active
    ws.title = "附件"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    ws["A1"] = DAZHU_TITLE
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.merge_cells("A1:D1")
    for ci, h in enumerate(DAZHU_HEADER, start=1):
        c = ws.cell(row=2, column=ci, value=h)
        c.font = Font(bold=True)
        c.border = border
        c.alignment = Alignment(horizontal="center")
    r = 3
    for num, subs, units in DAZHU_ROWS:
        n = len(subs)
        ws.cell(row=r, column=1, value=num)
        ws.cell(row=r, column=3, value="\n".join(units))
        for k, (content, deadline) in enumerate(subs):
            ws.cell(row=r + k, column=2, value=content)
            ws.cell(row=r + k, column=4, value=deadline)
        for k in range(n):
            for ci in range(1, 5):
                ws.cell(row=r + k, column=ci).border = border
                ws.cell(row=r + k, column=ci).alignment = wrap
        if n > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r + n - 1, end_column=1)
            ws.merge_cells(start_row=r, start_column=3, end_row=r + n - 1, end_column=3)
        r += n
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 18
    ws.column_dimensions["D"].width = 14
    path = _out("dazhu_2016_minsheng_fenjie_merged.xlsx")
    wb.save(path)
    _normalize_zip(path)


# ---------------------------------------------------------------------------
# 苍南县 (温州市) 2022年度市县民生实事未完成项目进度表(截至10月31日)
# http://www.cncn.gov.cn/art/2022/12/14/art_1229664772_59047997.html
# ---------------------------------------------------------------------------
CANGNAN_TITLE = "2022年度市县民生实事未完成项目进度表(截至10月31日)"
CANGNAN_HEADER = ["序号", "项目内容", "当前进度", "牵头单位", "备注"]
CANGNAN_ROWS = [
    (
        "1",
        "新(改、扩)建公办园5所,新增公办幼儿学位1000个。",
        "80%(新区实验幼儿园进度滞后)",
        "县教育局",
        "市民生实事",
    ),
    ("2", "建设四好农村路55公里。", "95%", "县交通局", "县民生实事"),
    ("3", "完成农村公路大中修70公里。", "90%", "县交通局", "县民生实事"),
    (
        "4",
        "建成投用沿浦、宜山、莒溪、炎亭、望里、赤溪、岱岭、灵溪浦亭等8家卫生院",
        "98%",
        "县卫健局",
        "县民生实事",
    ),
    (
        "5",
        "打通县城人民大道(苍南大道至山海大道)等12条断头路。",
        "88%(灵溪镇园区六路、金乡镇四好农村路推进缓慢)",
        "县住建局",
        "县民生实事",
    ),
    (
        "6",
        "建成投用桥墩镇、赤溪镇、灵溪镇观美等3家中心敬老院。",
        "57%(赤溪、灵溪偏慢)",
        "县民政局",
        "县民生实事",
    ),
    ("7", "开工建设矾山镇、马站镇等2家中心敬老院。", "50%(马站未开工", "县民政局", "县民生实事"),
    ("8", "推进县职业中专扩容提升。", "22%(严重滞后)", "县教育局", "县民生实事"),
    ("9", "建成投用中小学3所,新增学位3800位。", "95%", "县教育局", "县民生实事"),
    (
        "10",
        "完成上横河泵站和萧江水闸主体工程,开工建设萧江塘河控制闸。",
        "95%",
        "县水利局",
        "县民生实事",
    ),
    ("11", "开工建设海塘安澜(南片海塘4.65公里)。", "70%", "县水利局", "县民生实事"),
    (
        "12",
        "完成县应急广播指挥中心、18个乡镇应急广播分控中心、376个村居广播室和752只可控IP化高音喇叭建设,实现县级应急广播平台与省、市互联互通。",
        "98%",
        "县文广旅体局",
        "县民生实事",
    ),
    ("13", "新增16个“文化驿站”。", "98.4%", "县文广旅体局", "县民生实事"),
]


def make_cangnan_pdf():
    """reportlab Table with GRID style, STSong-Light CID font, Paragraph-wrapped
    cells, title paragraph above."""
    from reportlab import rl_config

    rl_config.invariant = 1
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    title_style = ParagraphStyle("t", fontName="STSong-Light", fontSize=15, leading=20, alignment=1)
    cell_style = ParagraphStyle(
        "c", fontName="STSong-Light", fontSize=10, leading=14, wordWrap="CJK"
    )
    path = _out("cangnan_2022_minsheng_jindu_grid.pdf")
    doc = SimpleDocTemplate(
        path,
        pagesize=landscape(A4),
        title=CANGNAN_TITLE,
        author="make_tables.py",
        creator="make_tables.py",
        invariant=1,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    data = [[Paragraph(esc(h), cell_style) for h in CANGNAN_HEADER]]
    for row in CANGNAN_ROWS:
        data.append([Paragraph(esc(c), cell_style) for c in row])
    t = Table(data, colWidths=[14 * mm, 120 * mm, 60 * mm, 30 * mm, 30 * mm], repeatRows=1)
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ]
        )
    )
    doc.build([Paragraph(esc(CANGNAN_TITLE), title_style), Spacer(1, 6 * mm), t])


def main():
    make_linan_page_html()
    make_linan_ods()
    make_xinjian_html()
    make_xinjian_docx()
    make_zhonglou_html()
    make_dazhu_xlsx()
    make_cangnan_pdf()


if __name__ == "__main__":
    main()
