"""Evaluate extraction: an export (DESIGN.md contract) against a gold annotation (ANNOTATION.md).

Categories are read from the export per task: the ``surface`` of every edge
between the Task and an entity, grouped by the entity's label — Document
(``SERVES``; bracketed -> ``policy_documents``, otherwise
``policy_documents_unbracketed``), Place and Organization (``MENTIONS``),
Project (``INVOLVES``), and Department ``MENTIONS`` (counted as organizations,
since the annotation counts named government bodies as organizations; ``LEADS``
and ``ASSISTS`` are responsibility, not mentions).  Targets are the
``HAS_TARGET`` nodes' value + unit.

Scores are exact surface matches, sets per task, micro-averaged over the gold
tasks.  Target pairing accuracy is, over gold targets matched by a predicted
target, the share whose progress figure also matches (both absent, or the same
value and unit).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from ingest.textutil import fold_width

__all__ = [
    "CATEGORIES",
    "EvalReport",
    "Score",
    "evaluate",
    "evaluate_file",
    "export_categories",
    "format_report",
]

CATEGORIES = (
    "policy_documents",
    "policy_documents_unbracketed",
    "places",
    "organizations",
    "projects",
    "targets",
)


class Score(BaseModel):
    """Counts and derived figures for one category."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


class EvalReport(BaseModel):
    """Per-category scores, pairing accuracy and the differences that made them."""

    tasks: int = 0
    scores: dict[str, Score] = Field(default_factory=dict)
    pairing_correct: int = 0
    pairing_total: int = 0
    errors: list[str] = Field(default_factory=list)

    @property
    def pairing_accuracy(self) -> float:
        return self.pairing_correct / self.pairing_total if self.pairing_total else 1.0

    def f1(self, category: str) -> float:
        return self.scores[category].f1


def _unit(u: str | None) -> str:
    return fold_width(u or "").strip()


def _tkey(value: Any, unit: Any) -> tuple[float, str]:
    return (round(float(value), 4), _unit(unit))


def export_categories(export: dict[str, Any], plan: str | None = None) -> dict[int, dict[str, Any]]:
    """Per task number: surfaces per category and targets, read from an export.

    ``plan`` picks one plan's tasks when the export holds several.
    """
    nodes = {n["id"]: n for n in export["nodes"]}
    tasks: dict[str, int] = {}
    for n in export["nodes"]:
        props = n["properties"]
        if n["label"] == "Task" and (plan is None or props.get("plan") == plan):
            tasks[n["id"]] = int(props["number"])
    out: dict[int, dict[str, Any]] = {
        num: {c: set() for c in CATEGORIES if c != "targets"} | {"targets": []}
        for num in tasks.values()
    }
    for e in export["edges"]:
        etype, src, tgt, props = e["type"], e["source"], e["target"], e["properties"]
        if etype == "SERVES" and tgt in tasks:
            node = nodes[src]
            cat = (
                "policy_documents"
                if node["properties"].get("bracketed", True)
                else "policy_documents_unbracketed"
            )
            out[tasks[tgt]][cat].add(props.get("surface", node["properties"]["name"]))
        elif etype in {"MENTIONS", "INVOLVES"} and src in tasks:
            label = nodes[tgt]["label"]
            mcat = {
                "Place": "places",
                "Organization": "organizations",
                "Department": "organizations",
                "Project": "projects",
            }.get(label)
            if mcat:
                out[tasks[src]][mcat].add(props.get("surface", nodes[tgt]["properties"]["name"]))
        elif etype == "HAS_TARGET" and src in tasks:
            t = nodes[tgt]["properties"]
            actual = (
                _tkey(t["actual_value"], t.get("actual_unit"))
                if t.get("actual_value") is not None
                else None
            )
            out[tasks[src]]["targets"].append(
                {
                    "key": _tkey(t["value"], t.get("unit")),
                    "actual": actual,
                    "text": t.get("text", ""),
                }
            )
    return out


def _names(items: list[Any]) -> set[str]:
    return {i["name"] if isinstance(i, dict) else i for i in items}


def evaluate(export: dict[str, Any], gold: dict[str, Any], plan: str | None = None) -> EvalReport:
    """Score an export against gold annotations.

    >>> gold = {"tasks": [{"number": 1, "places": ["上海"], "targets": []}]}
    >>> export = {"nodes": [{"id": "t1", "label": "Task", "properties": {"number": 1}},
    ...                     {"id": "p", "label": "Place", "properties": {"name": "上海"}}],
    ...           "edges": [{"type": "MENTIONS", "source": "t1", "target": "p",
    ...                      "properties": {"surface": "上海"}}]}
    >>> evaluate(export, gold).scores["places"].f1
    1.0
    """
    predicted = export_categories(export, plan)
    report = EvalReport(scores={c: Score() for c in CATEGORIES})
    for task in gold["tasks"]:
        num = int(task["number"])
        pred = predicted.get(num)
        if pred is None:
            report.errors.append(f"task {num}: not in the export")
            pred = {c: set() for c in CATEGORIES if c != "targets"} | {"targets": []}
        report.tasks += 1
        for cat in CATEGORIES[:-1]:
            g, p = _names(task.get(cat, [])), pred[cat]
            s = report.scores[cat]
            s.tp += len(g & p)
            s.fp += len(p - g)
            s.fn += len(g - p)
            for x in sorted(p - g):
                report.errors.append(f"task {num} {cat} FP {x}")
            for x in sorted(g - p):
                report.errors.append(f"task {num} {cat} FN {x}")
        _score_targets(report, num, task.get("targets", []), pred["targets"])
    return report


def _score_targets(
    report: EvalReport, num: int, gold: list[dict[str, Any]], pred: list[dict[str, Any]]
) -> None:
    s = report.scores["targets"]
    remaining = list(pred)
    for g in gold:
        key = _tkey(g["value"], g["unit"])
        match = next((p for p in remaining if p["key"] == key), None)
        if match is None:
            s.fn += 1
            report.errors.append(f"task {num} targets FN {key} {g.get('text', '')}")
            continue
        remaining.remove(match)
        s.tp += 1
        prog = g.get("progress")
        want = _tkey(prog["value"], prog["unit"]) if prog else None
        report.pairing_total += 1
        if want == match["actual"]:
            report.pairing_correct += 1
        else:
            report.errors.append(f"task {num} pairing {key}: want {want} got {match['actual']}")
    s.fp += len(remaining)
    counts = Counter(p["key"] for p in remaining)
    for key, n in sorted(counts.items()):
        report.errors.append(f"task {num} targets FP {key} x{n}")


def evaluate_file(
    doc_path: str | Path, gold_path: str | Path, city: str | None = None, year: int | None = None
) -> EvalReport:
    """Ingest ``doc_path`` into a throwaway in-memory store and score it against ``gold_path``."""
    from graph.embedded import EmbeddedStore
    from ingest.pipeline import IngestOptions, process_file

    processed = process_file(doc_path, IngestOptions(city=city, year=year))
    store = EmbeddedStore(None)
    store.write(processed.records)
    export = store.export().model_dump()
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    return evaluate(export, gold)


def format_report(report: EvalReport, errors: bool = False) -> str:
    """A plain-text table of the report (and its differences when ``errors``)."""
    lines = [
        f"{report.tasks} gold tasks",
        f"{'category':<30}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}",
    ]
    for cat, s in report.scores.items():
        lines.append(
            f"{cat:<30}{s.precision:>7.3f}{s.recall:>7.3f}{s.f1:>7.3f}{s.tp:>6}{s.fp:>6}{s.fn:>6}"
        )
    lines.append(
        f"{'target pairing accuracy':<30}{report.pairing_accuracy:>21.3f}"
        f"{report.pairing_correct:>6}/{report.pairing_total}"
    )
    if errors:
        lines.extend(report.errors)
    return "\n".join(lines)
