"""Small documents for the Neo4j store tests: every kind of node, property and edge.

``document(name)`` is one progress report of the plan ``PLAN``; two of them share the plan,
chapter, tasks and entities, so a second write merges (aliases, reports, conflicts).
"""

from __future__ import annotations

from typing import Any

from graph.records import DocumentRecords, EdgeRecord, NodeRecord

__all__ = ["DOC_A", "DOC_B", "PLAN", "document", "edge", "node"]

PLAN = "plan:南通-2019"


# -- records -------------------------------------------------------------------------------
def node(node_id: str, label: str, **props: Any) -> NodeRecord:
    return NodeRecord(id=node_id, label=label, properties=props)


def edge(etype: str, source: str, target: str, /, **props: Any) -> EdgeRecord:
    return EdgeRecord(type=etype, source=source, target=target, properties=props)


def document(
    report: str,
    *,
    task_text: str = "加快沪通铁路建设,新增上云企业2000家。",
    alias: str = "市发改",
    period: str = "2019-H1",
    extra_tasks: int = 0,
) -> DocumentRecords:
    """A small progress report touching every kind of node, property and edge."""
    rid = f"report:{report}"
    nodes = [
        node(PLAN, "Plan", city="南通", year=2019, name="南通市2019年重点工作任务"),
        node(
            rid,
            "Report",
            sha256=report * 4,
            title=f"报告{report}",
            period=period,
            plan=PLAN,
            chars=1200,
            warnings=[f"w-{report}"],
        ),
        node("chapter:1", "Chapter", number=1, title="坚持产业强市不动摇", plan=PLAN),
        node("task:1", "Task", number=1, text=task_text, chapter=1, plan=PLAN, span=f"{rid}@10"),
        node("task:2", "Task", number=2, text="推进通州湾港区建设。", chapter=1, plan=PLAN),
        node(
            f"progress:{report}:1",
            "Progress",
            text="沪通铁路建设进展顺利,完成投资15亿元。",
            report=rid,
            task=1,
            plan=PLAN,
            period=period,
            items=["①", "②"],
        ),
        node("dept:发改委", "Department", name="市发改委", aliases=[alias], level="市"),
        node("official:王某", "Official", name="王某", title="副市长"),
        node("place:南通", "Place", name="南通市", aliases=["南通"], kind="city"),
        node("place:通州湾", "Place", name="通州湾", kind="zone", parent="南通市"),
        node("project:沪通铁路", "Project", name="沪通铁路", aliases=[], kind="railway"),
        node("org:中天", "Organization", name="中天科技", kind="company"),
        node("doc:方案", "Document", name="南通市智慧建筑产业三年行动方案", bracketed=True),
        node(
            "target:1:0",
            "Target",
            metric="上云企业",
            value=2000.0,
            unit="家",
            qualifier="新增",
            task=1,
            plan=PLAN,
            actual_value=1600.0,
            ratio=0.8,
            actual_rank=period,
        ),
    ]
    for i in range(extra_tasks):
        nodes.append(node(f"task:x{i}", "Task", number=100 + i, text=f"任务{i}", plan=PLAN))
    edges = [
        edge("OF_PLAN", "chapter:1", PLAN),
        edge("OF_PLAN", rid, PLAN),
        edge("IN_CHAPTER", "task:1", "chapter:1"),
        edge("IN_CHAPTER", "task:2", "chapter:1"),
        edge("LEADS", "dept:发改委", "task:1", source="assignment", rank=0, report=rid),
        edge(
            "ASSISTS",
            "dept:发改委",
            "task:2",
            source="inferred",
            score=0.7,
            evidence=["发改", report],
        ),
        edge("OVERSEES", "official:王某", "task:1", source="assignment"),
        edge(
            "INVOLVES",
            "task:1",
            "project:沪通铁路",
            key="沪通铁路",
            surface="沪通铁路",
            offset=12,
            report=rid,
            part="task",
        ),
        edge(
            "MENTIONS",
            "task:2",
            "place:通州湾",
            key="通州湾",
            surface="通州湾",
            offset=3,
            report=rid,
        ),
        edge(
            "MENTIONS",
            "task:2",
            "place:通州湾",
            key="通州湾港区",
            surface="通州湾港区",
            offset=3,
            report=rid,
        ),
        edge("MENTIONS", "task:1", "org:中天", key="中天", surface="中天", offset=40, report=rid),
        edge("LOCATED_IN", "project:沪通铁路", "place:南通", source="name"),
        edge("LOCATED_IN", "place:通州湾", "place:南通", source="gazetteer"),
        edge("SERVES", "doc:方案", "task:2", key="方案", surface="方案", offset=0, report=rid),
        edge("HAS_TARGET", "task:1", "target:1:0"),
        edge("ON_TASK", f"progress:{report}:1", "task:1"),
        edge("IN_REPORT", f"progress:{report}:1", rid),
        edge("MEASURES", f"progress:{report}:1", "target:1:0", value=1600.0, unit="家"),
    ]
    edges += [edge("IN_CHAPTER", f"task:x{i}", "chapter:1") for i in range(extra_tasks)]
    return DocumentRecords(report_id=rid, nodes=nodes, edges=edges)


DOC_A = document("a")
DOC_B = document("b", task_text="加快沪通铁路二期建设。", alias="发改委", period="2019-Q3")
