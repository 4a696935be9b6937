"""Render a subgraph as one self-contained HTML file with pyvis.

The file inlines vis-network (pyvis's ``cdn_resources="in_line"`` copy) and
uses a govgraph template instead of pyvis's, whose page links Bootstrap from a
CDN: the export must open from disk on a machine with no internet.
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

from graph.records import GraphExport
from viz.captions import edge_caption, node_caption, node_tooltip
from viz.palette import STATUS_STYLES, edge_colour, is_inferred, label_style

__all__ = ["PHYSICS_ITERATIONS", "build_network", "render_html"]

PHYSICS_ITERATIONS = 300
"""Stabilisation steps before physics is switched off (keeps big views responsive)."""

_TEMPLATES = Path(__file__).resolve().parent / "templates"


def _environment() -> Environment:
    pyvis_templates = Path(pyvis.__file__).resolve().parent / "templates"
    return Environment(
        loader=ChoiceLoader([FileSystemLoader(_TEMPLATES), FileSystemLoader(pyvis_templates)]),
        autoescape=select_autoescape(["html"]),
    )


def _options() -> dict[str, Any]:
    return {
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 110},
            "stabilization": {"enabled": True, "iterations": PHYSICS_ITERATIONS},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "font": {"size": 10, "color": "#64748b", "strokeWidth": 3},
            "smooth": {"enabled": True, "type": "continuous"},
        },
        "nodes": {"font": {"size": 13, "face": "Noto Sans CJK SC, sans-serif"}},
    }


def build_network(
    export: GraphExport, title: str = "", statuses: dict[str, str] | None = None
) -> Network:
    """A pyvis network of ``export`` styled with the shared palette.

    ``statuses`` (target id -> met/on_track/...) fill those nodes with the status colour.
    """
    statuses = statuses or {}
    net = Network(directed=True, cdn_resources="in_line", heading=title, height="100%")
    for node in export.nodes:
        style = label_style(node.label)
        status = statuses.get(node.id)
        fill = STATUS_STYLES[status]["color"] if status in STATUS_STYLES else style["color"]
        net.add_node(
            node.id,
            label=node_caption(node.label, node.properties),
            title=node_tooltip(node.label, node.properties),
            color={"background": fill, "border": style["color"]},
            borderWidth=3 if status else 1,
            shape=style["shape"],
            size=style["size"],
            kind=node.label,
            props=node.properties,  # not `group`: pyvis drops colour
        )
    ids = set(net.get_nodes())
    for edge in export.edges:
        if edge.source not in ids or edge.target not in ids:
            continue
        net.add_edge(
            edge.source,
            edge.target,
            label=edge_caption(edge.type, edge.properties),
            title=str(edge.properties.get("sentence") or edge.type),
            color=edge_colour(edge.type),
            dashes=is_inferred(edge.properties),
            type=edge.type,
        )
    net.set_options(json.dumps(_options()))
    return net


def _pyvis_version() -> str:
    try:
        return version("pyvis")
    except PackageNotFoundError:  # pragma: no cover - pyvis imported above
        return "?"


def render_html(export: GraphExport, title: str, *, statuses: dict[str, str] | None = None) -> str:
    """The whole page for ``export``: no external resources, opens from disk.

    >>> from graph.records import NodeRecord
    >>> page = render_html(GraphExport(nodes=[NodeRecord(id="task:x:1", label="Task",
    ...     properties={"number": 1, "text": "推进"})]), "示例")
    >>> "<title>示例</title>" in page and "https://" not in page.split("<script>")[0]
    True
    """
    net = build_network(export, title, statuses)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    labels = sorted({n.label for n in export.nodes})
    legend = [{"label": lb, **label_style(lb)} for lb in labels]
    legend += [
        {"label": s, **STATUS_STYLES[s]}
        for s in sorted(set((statuses or {}).values()))
        if s in STATUS_STYLES
    ]
    template = _environment().get_template("govgraph.html")
    return template.render(
        title=title,
        nodes=nodes,
        edges=edges,
        options=options,
        legend=legend,
        node_count=len(nodes),
        edge_count=len(edges),
        pyvis_version=_pyvis_version(),
    )
