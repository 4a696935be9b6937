"""Test data for the API, viz and browser tests: the sample plus a few entities.

Until the extractors for departments, officials, projects and places land, the
sample graph holds no such nodes; these records add a handful, drawn from the
sample's own sentences (with ``surface``, ``offset``, ``sentence`` as ingest
writes them), so responsibility (assigned and inferred), projects and places
can be shown and tested on both stores.
"""

from __future__ import annotations

import re
from typing import Any

from graph.records import DocumentRecords, EdgeRecord, GraphExport, NodeRecord

__all__ = ["EXTRA_REPORT", "extra_records"]

EXTRA_REPORT = "report:api-test-extra"

DEPARTMENT = "department:南通:市发展和改革委员会"
ASSISTING = "department:南通:市工业和信息化局"
OFFICIAL = "official:南通:李明"
PROJECT = "project:通州湾港区"
PLACE = "place:通州湾"


def _sentence(text: str, surface: str) -> tuple[str, int]:
    at = text.index(surface)
    start = max(text.rfind("。", 0, at), text.rfind(";", 0, at)) + 1
    end = text.find("。", at)
    return text[start : (end + 1 if end >= 0 else len(text))], at


def extra_records(sample: GraphExport) -> DocumentRecords:
    """Entities and edges on top of the sample (the tasks they touch are repeated as is)."""
    tasks = {n.id: n for n in sample.nodes if n.label == "Task"}
    by_number = sorted(tasks.values(), key=lambda n: n.properties["number"])
    port = next(t for t in by_number if "通州湾" in t.properties["text"])
    first, second = by_number[0], by_number[1]
    nodes = [
        NodeRecord(
            id=EXTRA_REPORT,
            label="Report",
            properties={"title": "测试补充", "sha256": "0" * 64, "kind": "assignment"},
        ),
        NodeRecord(
            id=DEPARTMENT,
            label="Department",
            properties={
                "name": "市发展和改革委员会",
                "aliases": ["市发改委"],
                "level": "市",
                "kind": "department",
            },
        ),
        NodeRecord(
            id=ASSISTING,
            label="Department",
            properties={"name": "市工业和信息化局", "aliases": ["市工信局"], "level": "市"},
        ),
        NodeRecord(id=OFFICIAL, label="Official", properties={"name": "李明", "title": "副市长"}),
        NodeRecord(id=PROJECT, label="Project", properties={"name": "通州湾港区", "kind": "port"}),
        NodeRecord(id=PLACE, label="Place", properties={"name": "通州湾", "kind": "zone"}),
        *[
            NodeRecord(id=t.id, label="Task", properties=dict(t.properties))
            for t in {first.id: first, second.id: second, port.id: port}.values()
        ],
    ]

    def mention(task: NodeRecord, surface: str, **extra: Any) -> dict[str, Any]:
        sentence, at = _sentence(task.properties["text"], surface)
        return {
            "surface": surface,
            "offset": at,
            "report": EXTRA_REPORT,
            "part": "task",
            "sentence": sentence,
            "key": f"{EXTRA_REPORT}@{task.id}@{at}",
            **extra,
        }

    lead_word = re.findall(r"[\u4e00-\u9fff]{4}", first.properties["text"])[0]
    assist_word = re.findall(r"[\u4e00-\u9fff]{4}", second.properties["text"])[0]
    edges = [
        EdgeRecord(
            type="LEADS",
            source=DEPARTMENT,
            target=first.id,
            properties=mention(first, lead_word, source="assignment", rank=0),
        ),
        EdgeRecord(
            type="ASSISTS",
            source=ASSISTING,
            target=first.id,
            properties=mention(first, lead_word, source="assignment", rank=1),
        ),
        EdgeRecord(
            type="ASSISTS",
            source=DEPARTMENT,
            target=second.id,
            properties=mention(
                second, assist_word, source="inferred", score=0.62, evidence=[assist_word]
            ),
        ),
        EdgeRecord(
            type="OVERSEES",
            source=OFFICIAL,
            target=first.id,
            properties={"source": "assignment", "report": EXTRA_REPORT},
        ),
        EdgeRecord(
            type="INVOLVES", source=port.id, target=PROJECT, properties=mention(port, "通州湾")
        ),
        EdgeRecord(
            type="MENTIONS", source=port.id, target=PLACE, properties=mention(port, "通州湾")
        ),
        EdgeRecord(type="LOCATED_IN", source=PROJECT, target=PLACE, properties={"source": "name"}),
        EdgeRecord(
            type="LEADS",
            source=DEPARTMENT,
            target=port.id,
            properties=mention(port, "通州湾", source="inferred", score=0.55),
        ),
    ]
    records = DocumentRecords(report_id=EXTRA_REPORT, nodes=nodes, edges=edges)
    records.validate_schema()
    return records
