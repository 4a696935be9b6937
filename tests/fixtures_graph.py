"""A small hand-made graph for the query tests: two reports (H1, Q3) of one plan.

Built directly as :class:`~graph.records.DocumentRecords`, in the exact shape
``ingest.assemble`` produces (ids, mention edges with surface/offset/report/part/sentence,
responsibility edges with source assignment|inferred and score/evidence, targets with
actual figures and MEASURES edges), so the queries can be checked by hand::

    plan:江海-2019, chapters 1 产业强市 (tasks 1, 2, 5) and 2 生态环境 (tasks 3, 4)

    task 1  LEADS   市发展和改革委员会 (assignment)   ASSISTS 市交通运输局 (assignment)
            LEADS   市交通运输局 (inferred 0.6)      OVERSEES 张三
            INVOLVES 江海港区集装箱码头 (in 江海港区 in 海门区 in 江海市)
            MENTIONS 江海港区; SERVED BY 《港口发展规划》
            targets 1:1 工业总产值 1000 亿元 (H1 520, Q3 780), 1:2 集装箱吞吐量 200 万标箱 (none)
    task 2  LEADS   市发展和改革委员会 (inferred 0.8)  ASSISTS 市交通运输局 (assignment)
            OVERSEES 张三; INVOLVES 江海港区集装箱码头 (Q3 progress only); MENTIONS 通州湾示范区
            (in 通州区 in 江海市), 江海大学; SERVED BY 《港口发展规划》
            target 2:1 高新技术企业 100 家 (H1 40 -> lagging, Q3 120 -> met)
    task 3  LEADS   市生态环境局 (assignment)  ASSISTS 海门区人民政府 (inferred 0.5)
            OVERSEES 李四; MENTIONS 海门区; SERVED BY 《水污染防治工作计划》 (Q3 progress only)
            target 3:1 PM2.5浓度 40 微克/立方米 以下 (H1 none, Q3 38 -> met)
    task 4  LEADS   市生态环境局 (inferred 0.7)
            ASSISTS 海门区人民政府, 市发展和改革委员会 (assignment)
            OVERSEES 李四; INVOLVES 三厂污水处理厂 (in 三厂街道 in 海门区; Q3 progress only)
            MENTIONS 三厂街道
    task 5  no responsibility, no entities (举办江海文化节)
"""

from __future__ import annotations

from typing import Any

from graph.records import DocumentRecords, EdgeRecord, NodeRecord

__all__ = ["CITY", "PLAN", "REPORT_H1", "REPORT_Q3", "fixture_records"]

CITY = "江海"
PLAN = f"plan:{CITY}-2019"
REPORT_H1 = "report:aaaa000000000001"
REPORT_Q3 = "report:bbbb000000000002"

TASKS = {
    1: (
        1,
        "推进江海港区集装箱码头建设,规模以上工业总产值达1000亿元,集装箱吞吐量200万标箱。"
        "落实《港口发展规划》。",
    ),
    2: (1, "建设通州湾示范区,与江海大学共建创新平台,新增高新技术企业100家。落实《港口发展规划》。"),
    3: (2, "整治海门区河道,PM2.5浓度控制在40微克/立方米以下。"),
    4: (2, "推进三厂街道污水管网建设,提升污水处理能力。"),
    5: (1, "举办江海文化节。"),
}
CHAPTERS = {1: "坚持产业强市,加快发展先进制造业", 2: "深入推进污染防治,加快改善生态环境"}
PROGRESS = {
    REPORT_H1: {
        1: "1-6月,全市规模以上工业总产值520亿元。江海港区集装箱码头主体完工。",
        2: "新增高新技术企业40家。",
        4: "三厂街道污水管网完成30公里。",
    },
    REPORT_Q3: {
        1: "1-9月,全市规模以上工业总产值780亿元。",
        2: "新增高新技术企业120家,江海港区集装箱码头配套园区启用。",
        3: "PM2.5平均浓度38微克/立方米。落实《水污染防治工作计划》。",
        4: "三厂污水处理厂开工建设。",
    },
}
PERIOD = {REPORT_H1: "2019-H1", REPORT_Q3: "2019-Q3"}
RANK = {REPORT_H1: "2019.2", REPORT_Q3: "2019.3"}

DEPARTMENTS = {
    "市发展和改革委员会": ["市发改委"],
    "市交通运输局": ["市交通局"],
    "市生态环境局": ["市环保局"],
    "海门区人民政府": ["海门区政府"],
}
# (task, role edge, department, source, score)
RESPONSIBILITY = [
    (1, "LEADS", "市发展和改革委员会", "assignment", None),
    (1, "ASSISTS", "市交通运输局", "assignment", None),
    (1, "LEADS", "市交通运输局", "inferred", 0.6),
    (2, "LEADS", "市发展和改革委员会", "inferred", 0.8),
    (2, "ASSISTS", "市交通运输局", "assignment", None),
    (3, "LEADS", "市生态环境局", "assignment", None),
    (3, "ASSISTS", "海门区人民政府", "inferred", 0.5),
    (4, "LEADS", "市生态环境局", "inferred", 0.7),
    (4, "ASSISTS", "海门区人民政府", "assignment", None),
    (4, "ASSISTS", "市发展和改革委员会", "assignment", None),
]
OFFICIALS = {1: "张三", 2: "张三", 3: "李四", 4: "李四"}
PLACES = {  # name -> (kind, parent)
    "江海市": ("市", None),
    "海门区": ("区", "江海市"),
    "通州区": ("区", "江海市"),
    "江海港区": ("港区", "海门区"),
    "三厂街道": ("街道", "海门区"),
    "通州湾示范区": ("园区", "通州区"),
}
# (task, label, canonical name, surface, report, part, extra props, places of a project)
MENTIONS: list[tuple[int, str, str, str, str, str, dict[str, Any], list[str]]] = [
    (
        1,
        "Project",
        "江海港区集装箱码头",
        "江海港区集装箱码头",
        REPORT_H1,
        "task",
        {"kind": "码头"},
        ["江海港区"],
    ),
    (1, "Place", "江海港区", "江海港区", REPORT_H1, "task", {}, []),
    (1, "Document", "港口发展规划", "港口发展规划", REPORT_H1, "task", {"bracketed": True}, []),
    (1, "Document", "港口发展规划", "港口发展规划", REPORT_Q3, "task", {"bracketed": True}, []),
    (2, "Place", "通州湾示范区", "通州湾示范区", REPORT_H1, "task", {}, []),
    (2, "Organization", "江海大学", "江海大学", REPORT_H1, "task", {"kind": "university"}, []),
    (2, "Document", "港口发展规划", "港口发展规划", REPORT_H1, "task", {"bracketed": True}, []),
    (
        2,
        "Project",
        "江海港区集装箱码头",
        "江海港区集装箱码头",
        REPORT_Q3,
        "progress",
        {"kind": "码头"},
        ["江海港区"],
    ),
    (3, "Place", "海门区", "海门区", REPORT_H1, "task", {}, []),
    (
        3,
        "Document",
        "水污染防治工作计划",
        "水污染防治工作计划",
        REPORT_Q3,
        "progress",
        {"bracketed": True},
        [],
    ),
    (4, "Place", "三厂街道", "三厂街道", REPORT_H1, "task", {}, []),
    (
        4,
        "Project",
        "三厂污水处理厂",
        "三厂污水处理厂",
        REPORT_Q3,
        "progress",
        {"kind": "设施"},
        ["三厂街道"],
    ),
]
# target id suffix -> (task, metric, value, unit, qualifier, text)
TARGETS = {
    "1:1": (1, "规模以上工业总产值", 1000.0, "亿元", "达", "规模以上工业总产值达1000亿元"),
    "1:2": (1, "集装箱吞吐量", 200.0, "万标箱", "", "集装箱吞吐量200万标箱"),
    "2:1": (2, "高新技术企业", 100.0, "家", "新增", "新增高新技术企业100家"),
    "3:1": (3, "PM2.5浓度", 40.0, "微克/立方米", "以下", "PM2.5浓度控制在40微克/立方米以下"),
}
# report -> target suffix -> actual value (unit as the target's)
ACTUALS = {
    REPORT_H1: {"1:1": 520.0, "2:1": 40.0},
    REPORT_Q3: {"1:1": 780.0, "2:1": 120.0, "3:1": 38.0},
}


def _offset(text: str, surface: str) -> int:
    return max(text.find(surface), 0)


def _report(rid: str) -> DocumentRecords:
    nodes: list[NodeRecord] = []
    edges: list[EdgeRecord] = []

    def node(node_id: str, label: str, **p: Any) -> str:
        nodes.append(NodeRecord(id=node_id, label=label, properties=p))
        return node_id

    def edge(t: str, s: str, o: str, key: str = "", **p: Any) -> None:
        edges.append(EdgeRecord(type=t, source=s, target=o, properties={"key": key, **p}))

    period = PERIOD[rid]
    node(PLAN, "Plan", city=CITY, year=2019, name=f"{CITY}市2019年重点工作任务")
    node(
        rid,
        "Report",
        title=f"{CITY}市2019年重点工作任务进展情况({period})",
        period=period,
        sha256=rid.split(":")[1] * 4,
        path=f"{period}.txt",
        kind="progress",
        plan=PLAN,
        chars=1000,
        tasks=len(TASKS),
    )
    edge("OF_PLAN", rid, PLAN)
    for number, title in CHAPTERS.items():
        node(f"chapter:{CITY}-2019:{number}", "Chapter", number=number, title=title, plan=PLAN)
        edge("OF_PLAN", f"chapter:{CITY}-2019:{number}", PLAN)
    for number, (chapter, text) in TASKS.items():
        tid = node(
            f"task:{CITY}-2019:{number}",
            "Task",
            number=number,
            text=text,
            chapter=chapter,
            plan=PLAN,
            span=f"{rid}@{number * 100}",
        )
        edge("IN_CHAPTER", tid, f"chapter:{CITY}-2019:{chapter}")
        if number in PROGRESS[rid]:
            pid = node(
                f"progress:{rid.split(':')[1]}:{number}",
                "Progress",
                text=PROGRESS[rid][number],
                report=rid,
                task=number,
                plan=PLAN,
                period=period,
                offset=number * 100 + 60,
                items=[PROGRESS[rid][number]],
            )
            edge("ON_TASK", pid, tid)
            edge("IN_REPORT", pid, rid)
    _responsibility(rid, node, edge)
    _mentions(rid, node, edge)
    _targets(rid, node, edge)
    return DocumentRecords(report_id=rid, nodes=nodes, edges=edges)


def _responsibility(rid: str, node: Any, edge: Any) -> None:
    for rank, (number, role, name, source, score) in enumerate(RESPONSIBILITY):
        level = "县区" if name.startswith("海门区") else "市"
        did = node(
            f"department:{CITY}:{name}",
            "Department",
            name=name,
            aliases=DEPARTMENTS[name],
            level=level,
            kind="department",
        )
        tid = f"task:{CITY}-2019:{number}"
        if source == "assignment":
            edge(
                role,
                did,
                tid,
                f"{rid}@{900 + rank}",
                source=source,
                rank=rank % 2,
                report=rid,
                part="assignment",
                surface=name,
                offset=900 + rank,
                sentence=f"责任单位:{name}",
            )
        else:
            edge(
                role,
                did,
                tid,
                "inferred",
                source=source,
                rank=rank % 2,
                report=rid,
                part="assignment",
                score=score,
                evidence=[TASKS[number][1][:4]],
            )
    for number, name in OFFICIALS.items():
        oid = node(f"official:{CITY}:{name}", "Official", name=name, aliases=[], title="副市长")
        edge(
            "OVERSEES",
            oid,
            f"task:{CITY}-2019:{number}",
            f"{rid}@{800 + number}",
            source="assignment",
            rank=0,
            report=rid,
            part="assignment",
            surface=name,
            offset=800 + number,
            sentence=f"牵头市领导:{name}",
        )


def _place(node: Any, edge: Any, name: str) -> str:
    kind, parent = PLACES[name]
    pid = node(f"place:{name}", "Place", name=name, aliases=[], kind=kind, parent=parent)
    if parent:
        edge("LOCATED_IN", pid, _place(node, edge, parent), "gazetteer", source="gazetteer")
    return str(pid)


def _mentions(rid: str, node: Any, edge: Any) -> None:
    for number, label, name, surface, report, part, extra, places in MENTIONS:
        if report != rid:
            continue
        tid = f"task:{CITY}-2019:{number}"
        text = TASKS[number][1] if part == "task" else PROGRESS[rid][number]
        offset = number * 100 + (60 if part == "progress" else 0) + _offset(text, surface)
        span = {"surface": surface, "offset": offset, "report": rid, "part": part, "sentence": text}
        key = f"{rid}@{offset}"
        if label == "Place":
            eid = _place(node, edge, name)
        else:
            eid = node(f"{label.lower()}:{name}", label, name=name, aliases=[], **extra)
        if label == "Document":
            edge("SERVES", eid, tid, key, **span)
        elif label == "Project":
            edge("INVOLVES", tid, eid, key, **span)
        else:
            edge("MENTIONS", tid, eid, key, **span)
        for place in places:
            edge("LOCATED_IN", eid, _place(node, edge, place), "name", source="name")


def _targets(rid: str, node: Any, edge: Any) -> None:
    period = PERIOD[rid]
    for suffix, (number, metric, value, unit, qualifier, text) in TARGETS.items():
        gid = f"target:{CITY}-2019:{suffix}"
        p: dict[str, Any] = dict(
            metric=metric,
            value=value,
            unit=unit,
            qualifier=qualifier,
            text=text,
            task=number,
            plan=PLAN,
            span=f"{rid}@{number * 100}",
        )
        actual = ACTUALS[rid].get(suffix)
        if actual is not None:
            ratio = round(actual / value, 4)
            p.update(
                actual_value=actual,
                actual_unit=unit,
                actual_text=f"{actual:g}{unit}",
                actual_offset=number * 100 + 61,
                actual_report=rid,
                actual_period=period,
                actual_rank=RANK[rid],
                ratio=ratio,
            )
            edge(
                "MEASURES",
                f"progress:{rid.split(':')[1]}:{number}",
                gid,
                rid,
                value=actual,
                unit=unit,
                text=f"{actual:g}{unit}",
                offset=number * 100 + 61,
                report=rid,
                ratio=ratio,
            )
        node(gid, "Target", **p)
        edge("HAS_TARGET", f"task:{CITY}-2019:{number}", gid)


def fixture_records() -> list[DocumentRecords]:
    """The two reports' records, H1 first (write them in any order: the graph is the same)."""
    return [_report(REPORT_H1), _report(REPORT_Q3)]
