"""Assemble: turn a segmented, extracted document into the records a store writes."""

from __future__ import annotations

from typing import Any

from graph.records import DocumentRecords, EdgeRecord, NodeRecord
from ingest.departments import lookup
from ingest.identity import project_identity
from ingest.ids import entity_id, period_rank, plan_key
from ingest.meta import DocumentMeta
from ingest.models import (
    Assignment,
    LoadedDocument,
    Mention,
    SegmentedDocument,
    TaskExtraction,
    TaskSeg,
)

__all__ = ["EDGE_FOR_LABEL", "assemble", "report_id", "with_report_id"]

EDGE_FOR_LABEL = {
    "Document": "SERVES",
    "Project": "INVOLVES",
    "Place": "MENTIONS",
    "Organization": "MENTIONS",
    "Department": "MENTIONS",
}
_ROLE_EDGE = {"official": "OVERSEES", "lead": "LEADS", "assist": "ASSISTS"}


def report_id(sha256: str) -> str:
    return f"report:{sha256[:16]}"


def with_report_id(records: DocumentRecords, new_id: str) -> DocumentRecords:
    """The same records said by report ``new_id``: a page of a table that continues a report
    already written joins it (its progress, spans and provenance then name that report).

    Report ids are ``report:<16 hex>`` and progress ids ``progress:<16 hex>:<task>``; both are
    rewritten wherever they occur (ids, edge keys, ``report``/``span``/``reports`` values).
    """
    old = records.report_id
    if old == new_id:
        return records
    old_hex, new_hex = old.split(":", 1)[1], new_id.split(":", 1)[1]
    dumped = records.model_dump_json()
    dumped = dumped.replace(f'"{old}', f'"{new_id}').replace(
        f"progress:{old_hex}:", f"progress:{new_hex}:"
    )
    return DocumentRecords.model_validate_json(dumped)


class _Builder:
    def __init__(self, loaded: LoadedDocument, meta: DocumentMeta) -> None:
        self.meta = meta
        self.rid = report_id(loaded.sha256)
        self.key = plan_key(meta.city, meta.year)
        self.nodes: list[NodeRecord] = []
        self.edges: list[EdgeRecord] = []

    def node(self, node_id: str, label: str, **props: Any) -> str:
        self.nodes.append(NodeRecord(id=node_id, label=label, properties=props))
        return node_id

    def edge(self, edge_type: str, src: str, dst: str, key: str = "", **props: Any) -> None:
        self.edges.append(
            EdgeRecord(type=edge_type, source=src, target=dst, properties={"key": key, **props})
        )

    def entity(
        self,
        label: str,
        name: str,
        surface: str,
        key: str | None = None,
        **props: Any,
    ) -> str:
        node_id = entity_id(
            label, name, self.meta.city, props.get("level"), key, props.get("scope")
        )
        aliases = [surface] if surface and surface != name else []
        if label == "Department":
            entry = lookup(name, self.meta.city)
            props["known_as"] = [n for n in entry.names if n != name] if entry else []
        return self.node(node_id, label, name=name, aliases=aliases, **props)

    def place(self, name: str) -> str:
        return self.entity("Place", name, name)

    def mention(self, task_id: str, m: Mention) -> None:
        props: dict[str, Any] = {}
        if m.label in {"Project", "Organization", "Place"}:
            props["kind"] = m.kind
        if m.label in {"Project", "Organization"}:
            props["scope"] = m.scope
        if m.label == "Place":
            props["parent"] = m.parent
        if m.label == "Department":
            props["level"], props["kind"] = m.level, m.kind
        if m.label == "Document":
            props["bracketed"] = m.kind == "bracketed"
        node_id = self.entity(m.label, m.name, m.surface, m.key, **props)
        span = {
            "surface": m.surface,
            "offset": m.offset,
            "report": self.rid,
            "part": m.part,
            "sentence": m.sentence,
        }
        key = f"{self.rid}@{m.offset}"
        if m.label == "Document":
            self.edge("SERVES", node_id, task_id, key, **span)
        else:
            self.edge(EDGE_FOR_LABEL[m.label], task_id, node_id, key, **span)
        for place in m.places:
            self.edge("LOCATED_IN", node_id, self.place(place), "name", source="name")
        if m.scope_place and m.scope_place not in m.places:
            self.edge(
                "LOCATED_IN", node_id, self.place(m.scope_place), "sentence", source="sentence"
            )
        if m.part_of:
            self.edge("PART_OF", node_id, self._whole(m), "name", source="name")
        if m.label == "Place" and m.parent:
            self.edge("LOCATED_IN", node_id, self.place(m.parent), "gazetteer", source="gazetteer")

    def _whole(self, m: Mention) -> str:
        """The line a section belongs to, as a project node of its own identity."""
        assert m.part_of is not None
        places = [p for p in m.places if m.part_of.startswith(p)]
        scope, key = project_identity(m.part_of, self.meta.city, places)
        return self.entity("Project", m.part_of, m.part_of, key, kind=m.kind, scope=scope)

    def assignment(self, task_id: str, a: Assignment) -> None:
        aliases = [*a.aliases, *([a.surface] if a.surface and a.surface != a.name else [])]
        if a.role == "official":
            node_id = self.node(
                entity_id("Official", a.name, self.meta.city),
                "Official",
                name=a.name,
                aliases=aliases,
                title=a.title,
            )
        else:
            node_id = self.entity("Department", a.name, a.surface, level=a.level, kind=a.kind)
            self.nodes[-1].properties["aliases"] = sorted(
                {*aliases, *self.nodes[-1].properties["aliases"]}
            )
        # inferred edges are keyed per report, so two reports of one plan give the same
        # graph in either order (each keeps its own score and evidence)
        key = f"{self.rid}@{a.offset if a.source == 'assignment' else 'inferred'}"
        props: dict[str, Any] = {"source": a.source, "rank": a.rank, "report": self.rid}
        if a.source == "assignment":
            props.update(surface=a.surface, offset=a.offset, sentence=a.sentence, part="assignment")
        else:
            props.update(score=round(a.score or 0.0, 4), evidence=a.evidence)
        self.edge(_ROLE_EDGE[a.role], node_id, task_id, key, **props)


def assemble(
    loaded: LoadedDocument,
    doc: SegmentedDocument,
    meta: DocumentMeta,
    extractions: dict[str, TaskExtraction],
    assignments: dict[str, list[Assignment]],
) -> DocumentRecords:
    """All nodes and edges one document contributes (not yet deduplicated)."""
    b = _Builder(loaded, meta)
    rid, key = b.rid, b.key
    plan = b.node(
        f"plan:{key}",
        "Plan",
        city=meta.city,
        year=meta.year,
        name=f"{meta.city}市{meta.year}年重点工作任务",
    )
    b.node(
        rid,
        "Report",
        title=meta.title,
        period=meta.period,
        sha256=loaded.sha256,
        path=loaded.path,
        kind=meta.kind,
        plan=plan,
        chars=len(loaded.text),
        tasks=len(doc.tasks),
        layout=doc.layout,
        warnings=doc.warnings,
        parts=[loaded.sha256],
    )
    b.edge("OF_PLAN", rid, plan)
    for chapter in doc.chapters:
        chapter_id = None
        if chapter.is_plan_chapter:
            chapter_id = b.node(
                f"chapter:{key}:{chapter.number}",
                "Chapter",
                number=chapter.number,
                title=chapter.title.text if chapter.title else None,
                plan=plan,
            )
            b.edge("OF_PLAN", chapter_id, plan)
        number = chapter.number if chapter_id is not None else None
        for task in chapter.tasks:
            task_id = _task(b, task, number, plan, extractions.get(task.key))
            if chapter_id is not None:
                b.edge("IN_CHAPTER", task_id, chapter_id)
            for a in assignments.get(task.key, []):
                b.assignment(task_id, a)
    return DocumentRecords(report_id=rid, nodes=b.nodes, edges=b.edges, warnings=doc.warnings)


def _task(
    b: _Builder, task: TaskSeg, chapter: int | None, plan: str, extraction: TaskExtraction | None
) -> str:
    rid, key = b.rid, b.key
    extra: dict[str, Any] = {}
    if task.section != 1:
        extra["section"] = task.section
    if not task.complete:
        extra["incomplete"] = True
    if task.properties:
        extra["columns"] = [f"{k}: {v}" for k, v in task.properties.items()]
    task_id = b.node(
        f"task:{key}:{task.key}",
        "Task",
        number=task.number,
        text=task.text.text,
        chapter=chapter,
        plan=plan,
        span=f"{rid}@{task.text.start}",
        **extra,
    )
    progress_id = None
    if task.progress is not None:
        progress_id = b.node(
            f"progress:{rid.split(':', 1)[1]}:{task.key}",
            "Progress",
            text=task.progress.span.text,
            report=rid,
            task=task.number,
            plan=plan,
            period=b.meta.period,
            offset=task.progress.span.start,
            items=[i.text for i in task.progress.items],
        )
        b.edge("ON_TASK", progress_id, task_id)
        b.edge("IN_REPORT", progress_id, rid)
    if extraction is None:
        return task_id
    for m in extraction.mentions:
        b.mention(task_id, m)
    for i, t in enumerate(extraction.targets, start=1):
        target_id = f"target:{key}:{task.key}:{i}"
        props: dict[str, Any] = dict(
            metric=t.metric,
            value=t.value,
            unit=t.unit,
            qualifier=t.qualifier,
            text=t.text,
            task=task.number,
            plan=plan,
            span=f"{rid}@{t.offset}",
        )
        if t.actual is not None and progress_id is not None:
            props.update(
                actual_value=t.actual.value,
                actual_unit=t.actual.unit,
                actual_text=t.actual.text,
                actual_offset=t.actual.offset,
                actual_report=rid,
                actual_period=b.meta.period,
                actual_rank=period_rank(b.meta.period),
                ratio=t.ratio,
            )
            b.edge(
                "MEASURES",
                progress_id,
                target_id,
                rid,
                value=t.actual.value,
                unit=t.actual.unit,
                text=t.actual.text,
                offset=t.actual.offset,
                report=rid,
                ratio=t.ratio,
            )
        b.node(target_id, "Target", **props)
        b.edge("HAS_TARGET", task_id, target_id)
    return task_id
