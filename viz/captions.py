"""Short captions for nodes and edges, shared by the explorer (via the API) and pyvis.

>>> node_caption("Task", {"number": 7, "text": "推进通州湾示范区建设,加快港口开发。"})
'#7 推进通州湾示范区建设,加…'
>>> node_caption("Department", {"name": "市发展改革委"})
'市发展改革委'
>>> edge_caption("LEADS", {"source": "inferred"})
'牵头 (inferred)'
"""

from __future__ import annotations

from typing import Any

from viz.palette import EDGE_STYLES, is_inferred

__all__ = ["edge_caption", "node_caption", "node_tooltip"]

_MAX = 14


def _clip(text: str, n: int = _MAX) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n] + "…"


def _figure(value: Any, unit: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value}{unit or ''}"


def node_caption(label: str, props: dict[str, Any]) -> str:
    """What a node is called on the canvas."""
    if "name" in props and label not in {"Plan", "Task", "Chapter"}:
        return _clip(props["name"], 18)
    if label == "Task":
        return f"#{props.get('number', '?')} {_clip(props.get('text', ''), 12)}"
    if label == "Chapter":
        return f"第{props.get('number', '?')}章 {_clip(props.get('title', ''), 10)}"
    if label == "Progress":
        return f"进展 #{props.get('task', '?')} {props.get('period', '')}".strip()
    if label == "Report":
        return _clip(props.get("period") or props.get("title") or "报告", 18)
    if label == "Plan":
        return _clip(props.get("name") or f"{props.get('city', '')}{props.get('year', '')}", 18)
    if label == "Target":
        metric = _clip(props.get("metric") or "", 8)
        return f"{metric} {_figure(props.get('value', ''), props.get('unit'))}".strip()
    return _clip(str(props.get("id", label)), 18)


def node_tooltip(label: str, props: dict[str, Any]) -> str:
    """A plain-text tooltip: the label and the node's main text."""
    body = props.get("text") or props.get("name") or props.get("title") or ""
    return f"{label} · {props.get('id', '')}\n{_clip(body, 120)}"


def edge_caption(edge_type: str, props: dict[str, Any]) -> str:
    """The edge's label on the canvas; inferred responsibility says so."""
    zh = EDGE_STYLES.get(edge_type, {}).get("zh", edge_type)
    return f"{zh} (inferred)" if is_inferred(props) else zh
