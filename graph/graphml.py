"""GraphML that Gephi, yEd, networkx and igraph load whole.

What those readers need, and the exporter once got wrong (issue #16):

* every edge has its own ``id`` (Gephi keeps one edge per id, so parallel edges sharing one
  silently vanished): edges are numbered ``e0``, ``e1`` ... in the export's sorted order;
* Gephi also keeps one edge per source, target and *edge type*, which it reads from the
  ``label`` XML attribute of ``<edge>`` (an extension other readers ignore): that is the
  relationship type, with ``#2``, ``#3`` ... on the second and later parallel edges of one
  type between the same two nodes (two MENTIONS of one place in one task, say);
* ``<key>`` ids are unique across domains: node keys are ``n_<name>``, edge keys ``e_<name>``
  (the property name itself is the key's ``attr.name``);
* every key declares its ``attr.type`` from the schema: ``int`` → ``long``, ``float`` →
  ``double``, ``bool`` → ``boolean``, ``str`` → ``string``.  Lists have no GraphML type:
  they are written as JSON arrays in a ``string`` key whose ``<desc>`` says so.

Besides the schema's properties, a node has ``node_label`` (its schema label) and ``label``
(a caption Gephi and yEd show: ``name``, else ``title``, else the id); an edge has ``type``
(its relationship type) and ``edge_key`` (the schema's ``key``, renamed because networkx's
multigraph reader has a ``key`` of its own).  A node's ``id`` property is its GraphML id.

>>> from graph.records import GraphExport, NodeRecord
>>> import io
>>> buf = io.StringIO()
>>> write_graphml(GraphExport(nodes=[NodeRecord(id="p", label="Place",
...     properties={"id": "p", "name": "海门", "aliases": ["海门市"]})]), buf)
>>> '<data key="n_aliases">["海门市"]</data>' in buf.getvalue()
True
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from typing import Any, TextIO
from xml.sax.saxutils import escape, quoteattr

from graph.records import GraphExport
from graph.schema import LABELS, RELATIONSHIPS, Prop

__all__ = ["GRAPHML_TYPES", "write_graphml"]

GRAPHML_TYPES = {"str": "string", "int": "long", "float": "double", "bool": "boolean"}
"""GraphML ``attr.type`` of each scalar schema type (lists are JSON in a ``string``)."""

_NS = (
    'xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd"'
)
# A carriage return in element text would come back as a newline (XML end-of-line handling).
_TEXT_ENTITIES = {"\r": "&#13;"}


def _declared(items: Iterable[Any]) -> dict[str, Prop]:
    """Each property name of a domain with its declaration (one type per name: the schema's
    test checks that a name keeps its type across labels or relationship types)."""
    props: dict[str, Prop] = {}
    for item in items:
        for prop in item.props:
            props.setdefault(prop.name, prop)
    return props


_NODE_PROPS = {k: p for k, p in _declared(LABELS).items() if k != "id"}
_EDGE_PROPS = {("edge_key" if k == "key" else k): p for k, p in _declared(RELATIONSHIPS).items()}
_NODE_EXTRA = {"node_label": "The node's schema label.", "label": "Caption: name, title or id."}
_EDGE_EXTRA = {"type": "The relationship type."}


def _key(key_id: str, domain: str, name: str, prop: Prop | None, doc: str) -> str:
    if prop is None or not prop.type.startswith("list["):
        attr_type = "string" if prop is None else GRAPHML_TYPES[prop.type]
    else:
        attr_type = "string"
        doc = f"{doc} JSON array ({prop.type}).".strip()
    desc = f"<desc>{escape(doc)}</desc>" if doc else ""
    return (
        f'<key id="{key_id}" for="{domain}" attr.name="{name}" '
        f'attr.type="{attr_type}">{desc}</key>\n'
    )


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return escape(json.dumps(value, ensure_ascii=False), _TEXT_ENTITIES)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "INF" if value > 0 else "-INF"
        return repr(value)
    return escape(str(value), _TEXT_ENTITIES)


def _data(prefix: str, values: dict[str, Any]) -> str:
    return "".join(
        f'<data key="{prefix}{name}">{_text(value)}</data>'
        for name, value in sorted(values.items())
        if value is not None
    )


def write_graphml(export: GraphExport, out: TextIO) -> None:
    """Write ``export`` to ``out`` as GraphML (see the module docstring for the encoding)."""
    export = export.sorted()
    out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<graphml {_NS}>\n')
    for name, doc in _NODE_EXTRA.items():
        out.write(_key(f"n_{name}", "node", name, None, doc))
    for name, prop in sorted(_NODE_PROPS.items()):
        out.write(_key(f"n_{name}", "node", name, prop, prop.doc))
    for name, doc in _EDGE_EXTRA.items():
        out.write(_key(f"e_{name}", "edge", name, None, doc))
    for name, prop in sorted(_EDGE_PROPS.items()):
        out.write(_key(f"e_{name}", "edge", name, prop, prop.doc))
    out.write('<graph id="G" edgedefault="directed">\n')
    for n in export.nodes:
        caption = n.properties.get("name") or n.properties.get("title") or n.id
        attrs = {k: v for k, v in n.properties.items() if k != "id"}
        attrs |= {"node_label": n.label, "label": str(caption)}
        out.write(f"<node id={quoteattr(n.id)}>{_data('n_', attrs)}</node>\n")
    parallel: Counter[tuple[str, str, str]] = Counter()
    for i, e in enumerate(export.edges):
        attrs = {("edge_key" if k == "key" else k): v for k, v in e.properties.items()}
        attrs["type"] = e.type
        parallel[(e.type, e.source, e.target)] += 1
        nth = parallel[(e.type, e.source, e.target)]
        gephi_type = e.type if nth == 1 else f"{e.type}#{nth}"
        out.write(
            f'<edge id="e{i}" source={quoteattr(e.source)} target={quoteattr(e.target)} '
            f'label="{gephi_type}">{_data("e_", attrs)}</edge>\n'
        )
    out.write("</graph>\n</graphml>\n")
