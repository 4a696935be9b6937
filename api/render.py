"""Rich renderings of graph data for the command line (no store access here)."""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from graph.records import GraphExport, NodeRecord, Stats

__all__ = ["render_rows", "render_stats", "render_task"]


def render_stats(stats: Stats) -> Table:
    table = Table(title="govgraph store", show_lines=False)
    table.add_column("kind")
    table.add_column("name")
    table.add_column("count", justify="right")
    for label, n in stats.nodes.items():
        table.add_row("node", label, str(n))
    for rel, n in stats.edges.items():
        table.add_row("edge", rel, str(n))
    table.add_row("", "total nodes", str(stats.total_nodes))
    table.add_row("", "total edges", str(stats.total_edges))
    return table


def _highlight(sentence: str, surface: str) -> Text:
    text = Text(sentence)
    if surface:
        text.highlight_words([surface], style="bold yellow")
    return text


def render_task(task: NodeRecord, hood: GraphExport) -> Group:
    """A task with its chapter, responsibility, entities, targets and progress."""
    nodes = {n.id: n for n in hood.nodes}
    p = task.properties
    parts: list[Any] = []
    chapter = next(
        (nodes[e.target] for e in hood.edges if e.type == "IN_CHAPTER" and e.source == task.id),
        None,
    )
    head = f"任务 {p['number']}  ·  {p['plan']}"
    if p.get("section"):
        head = f"任务 {p['section']}-{p['number']}  ·  {p['plan']}"
    if chapter is not None:
        head += f"  ·  第{chapter.properties['number']}章 {chapter.properties.get('title') or ''}"
    body = Text(p["text"])
    for column in p.get("columns") or []:
        body.append(f"\n{column}", style="dim")  # 完成时限: 12月底, 备注: …
    if p.get("incomplete"):
        body.append("\n(the copy stops inside this task)", style="dim italic")
    parts.append(Panel(body, title=head, title_align="left"))

    resp = Table(title="Responsibility", expand=True)
    for col in ("role", "who", "source", "evidence / span"):
        resp.add_column(col)
    for e in sorted(hood.edges, key=lambda e: (e.type, -float(e.properties.get("score", 1)))):
        if e.type not in {"OVERSEES", "LEADS", "ASSISTS"} or e.target != task.id:
            continue
        who = nodes[e.source].properties.get("name", e.source)
        ep = e.properties
        if ep.get("source") == "inferred":
            detail = f"score {ep.get('score', 0):.2f}: " + ", ".join(ep.get("evidence", [])[:6])
        else:
            detail = ep.get("sentence", "")
        resp.add_row(e.type.lower(), who, ep.get("source", ""), detail)
    if resp.row_count:
        parts.append(resp)

    ents = Table(title="Entities", expand=True)
    for col in ("label", "name", "kind", "aliases", "surface @ offset", "sentence"):
        ents.add_column(col, overflow="fold")
    for e in hood.edges:
        if e.type not in {"SERVES", "INVOLVES", "MENTIONS"}:
            continue
        other = nodes[e.source if e.type == "SERVES" else e.target]
        op, ep = other.properties, e.properties
        ents.add_row(
            other.label,
            op.get("name", ""),
            op.get("kind", "") or "",
            "、".join(op.get("aliases", [])),
            f"{ep.get('surface')} @ {ep.get('offset')}",
            _highlight(ep.get("sentence", ""), ep.get("surface", "")),
        )
    if ents.row_count:
        parts.append(ents)

    targets = Table(title="Targets", expand=True)
    for col in ("metric", "target", "reported", "ratio"):
        targets.add_column(col)
    for e in hood.edges:
        if e.type == "HAS_TARGET" and e.source == task.id:
            t = nodes[e.target].properties
            reported = (
                f"{t['actual_value']:g}{t.get('actual_unit', '')} ({t.get('actual_period')})"
                if "actual_value" in t
                else "—"
            )
            ratio = f"{t['ratio']:.0%}" if t.get("ratio") is not None else "—"
            targets.add_row(
                t.get("metric", ""),
                f"{t['value']:g}{t.get('unit', '')} {t.get('qualifier', '')}".strip(),
                reported,
                ratio,
            )
    if targets.row_count:
        parts.append(targets)

    for e in hood.edges:
        if e.type == "ON_TASK" and e.target == task.id:
            prog = nodes[e.source].properties
            parts.append(
                Panel(
                    Text(prog["text"]),
                    title=f"进展情况 · {prog.get('period', '')}",
                    title_align="left",
                )
            )
    return Group(*parts)


def render_rows(rows: list[dict[str, Any]], title: str = "", width: int = 100) -> Table:
    table = Table(title=title or None, expand=False)
    columns: list[str] = []
    for row in rows:
        for k in row:
            if k not in columns:
                columns.append(k)
    columns = [c for c in columns if any(_cell(r.get(c)) for r in rows)]
    widths = {c: max(cell_len(c), *(cell_len(_cell(r.get(c))) for r in rows)) for c in columns}
    # short columns keep their width; the long ones (two at most) share what is left
    short = [c for c in columns if widths[c] <= 24]
    long = [c for c in columns if widths[c] > 24][:2]
    room = max(24, (width - sum(widths[c] + 3 for c in short)) // max(1, len(long)) - 3)
    columns = [c for c in columns if c in short or c in long]
    for c in columns:
        if c in long:  # one ellipsised line; --json has it whole
            table.add_column(c, overflow="ellipsis", no_wrap=True, max_width=min(room, 60))
        else:
            table.add_column(c, no_wrap=True, min_width=widths[c])
    for row in rows:
        table.add_row(*[_cell(row.get(c)) for c in columns])
    return table


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, list):
        return "、".join(_cell(x) for x in v)
    return str(v)
