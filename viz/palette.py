"""One palette for every picture of the graph: the explorer page and the pyvis export.

The explorer fetches :func:`palette` from ``/api/palette``; :mod:`viz.render`
reads the same tables, so a label has one colour wherever it is drawn.

>>> palette()["labels"]["Task"]["color"]
'#2563eb'
>>> is_inferred({"source": "inferred"}), is_inferred({"source": "assignment"})
(True, False)
"""

from __future__ import annotations

from typing import Any

from graph.schema import RELATIONSHIPS, RESPONSIBILITY_TYPES, SCHEMA

__all__ = [
    "EDGE_STYLES",
    "LABEL_STYLES",
    "STATUS_STYLES",
    "LabelStyle",
    "edge_colour",
    "is_inferred",
    "label_style",
    "palette",
]

LabelStyle = dict[str, Any]

# Colours are picked to stay distinguishable for common colour-vision deficiencies
# when read together with the shape (every label has its own shape too).
LABEL_STYLES: dict[str, LabelStyle] = {
    "Task": {"color": "#2563eb", "shape": "dot", "size": 14, "zh": "任务"},
    "Department": {"color": "#c2410c", "shape": "hexagon", "size": 18, "zh": "部门"},
    "Official": {"color": "#7c3aed", "shape": "triangleDown", "size": 16, "zh": "分管领导"},
    "Project": {"color": "#d97706", "shape": "diamond", "size": 15, "zh": "项目"},
    "Document": {"color": "#a16207", "shape": "triangle", "size": 15, "zh": "政策文件"},
    "Place": {"color": "#15803d", "shape": "dot", "size": 13, "zh": "地点"},
    "Organization": {"color": "#0e7490", "shape": "square", "size": 12, "zh": "机构"},
    "Target": {"color": "#db2777", "shape": "star", "size": 15, "zh": "目标"},
    "Progress": {"color": "#0d9488", "shape": "dot", "size": 9, "zh": "进展"},
    "Chapter": {"color": "#475569", "shape": "diamond", "size": 20, "zh": "章节"},
    "Report": {"color": "#78716c", "shape": "square", "size": 16, "zh": "报告"},
    "Plan": {"color": "#1e293b", "shape": "star", "size": 24, "zh": "计划"},
}

EDGE_STYLES: dict[str, dict[str, str]] = {
    "LEADS": {"color": "#c2410c", "zh": "牵头"},
    "ASSISTS": {"color": "#fb923c", "zh": "配合"},
    "OVERSEES": {"color": "#7c3aed", "zh": "分管"},
    "SERVES": {"color": "#a16207", "zh": "落实文件"},
    "INVOLVES": {"color": "#d97706", "zh": "涉及项目"},
    "MENTIONS": {"color": "#15803d", "zh": "提及"},
    "LOCATED_IN": {"color": "#65a30d", "zh": "位于"},
    "HAS_TARGET": {"color": "#db2777", "zh": "目标"},
    "MEASURES": {"color": "#be185d", "zh": "进度数据"},
    "ON_TASK": {"color": "#0d9488", "zh": "进展"},
    "IN_REPORT": {"color": "#a8a29e", "zh": "出自报告"},
    "IN_CHAPTER": {"color": "#94a3b8", "zh": "所属章节"},
    "OF_PLAN": {"color": "#64748b", "zh": "所属计划"},
}

STATUS_STYLES: dict[str, dict[str, str]] = {
    "met": {"color": "#16a34a", "zh": "已完成"},
    "on_track": {"color": "#2563eb", "zh": "序时推进"},
    "lagging": {"color": "#dc2626", "zh": "滞后"},
    "not_comparable": {"color": "#a855f7", "zh": "口径不同"},
    "no_figure": {"color": "#94a3b8", "zh": "无数据"},
}

_FALLBACK: LabelStyle = {"color": "#6b7280", "shape": "dot", "size": 12, "zh": ""}


def label_style(label: str) -> LabelStyle:
    """The style of a node label (a neutral grey for a label the palette lacks)."""
    return LABEL_STYLES.get(label, {**_FALLBACK, "zh": label})


def edge_colour(edge_type: str) -> str:
    return EDGE_STYLES.get(edge_type, {"color": "#9ca3af"})["color"]


def is_inferred(props: dict[str, Any]) -> bool:
    """Whether a responsibility edge was guessed by govgraph (drawn dashed) or assigned."""
    return props.get("source") == "inferred"


def palette() -> dict[str, Any]:
    """Everything a drawing needs: label and edge styles, status colours, the dash rule."""
    return {
        "labels": {name: label_style(name) for name in SCHEMA.labels},
        "edges": {
            rel.name: {
                **EDGE_STYLES.get(rel.name, {"color": "#9ca3af", "zh": rel.name}),
                "doc": rel.doc,
            }
            for rel in RELATIONSHIPS
        },
        "statuses": STATUS_STYLES,
        "responsibility_types": list(RESPONSIBILITY_TYPES),
        "inferred": {"property": "source", "value": "inferred", "dashes": True},
    }
