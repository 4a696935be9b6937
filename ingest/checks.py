"""Checks of a real document against its annotation: tasks, officials, units, targets, figures.

The development set in ``tests/data/real/`` is annotated per docs/ANNOTATION.md (last
section).  Each check passes or fails: the task is found with its text; each annotated
official, lead unit, assisting unit, target and reported figure is found on it; each
official or unit the reader adds that the annotation does not have is a failed check.  A
document annotated ``"expect": "refuse"`` is one check: that it is refused.

Matching is on what a planner reads: a unit matches when the annotation's surface is the
edge's surface or one of the department's names (canonical, aliases, directory names), after
full-width folding and with whitespace removed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from graph.errors import GovGraphError
from ingest.textutil import fold_width

__all__ = ["DocumentChecks", "check_document"]


class DocumentChecks(BaseModel):
    document: str
    passed: int = 0
    total: int = 0
    refused: str | None = None  # the error when the document was refused
    failures: list[str] = Field(default_factory=list)
    tasks_found: int = 0
    tasks_annotated: int = 0

    @property
    def share(self) -> float:
        return self.passed / self.total if self.total else 1.0

    def check(self, ok: bool, what: str) -> None:
        self.total += 1
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)


def _norm(s: str) -> str:
    return "".join(fold_width(s).split())


def _task_key(t: dict[str, Any]) -> str:
    number = t["number"]
    section = t.get("section") or 1
    return str(number) if section == 1 else f"{section}-{number}"


def _same_value(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def check_document(path: Path, gold: dict[str, Any]) -> DocumentChecks:
    """Ingest ``path`` (no store) and score it against ``gold``."""
    from ingest.pipeline import IngestOptions, process_file

    result = DocumentChecks(document=path.name, tasks_annotated=len(gold.get("tasks", [])))
    options = IngestOptions(city=gold.get("city"), year=gold.get("year"))
    try:
        processed = process_file(path, options)
    except GovGraphError as err:
        result.refused = str(err)
        if gold.get("expect") == "refuse":
            result.check(True, "refused")
        else:
            result.check(False, f"refused: {err}")
            for t in gold.get("tasks", []):
                n = 1 + sum(len(t.get(k, [])) for k in ("officials", "lead", "assist", "targets"))
                n += len(t.get("figures", []))
                result.total += n
        return result
    if gold.get("expect") == "refuse":
        result.check(False, "read as a work plan, but it is not one")
        return result
    records = processed.records
    nodes = {n.id: n for n in records.nodes}
    tasks: dict[str, dict[str, Any]] = {}
    prefix = f"task:{processed.meta.city}-{processed.meta.year}:"
    for node in records.nodes:
        if node.label == "Task" and node.id.startswith(prefix):
            tasks[node.id[len(prefix) :]] = node.properties
    result.tasks_found = len(tasks)
    by_task: dict[str, dict[str, list[set[str]]]] = defaultdict(lambda: defaultdict(list))
    role_of = {"OVERSEES": "officials", "LEADS": "lead", "ASSISTS": "assist"}
    for edge in records.edges:
        if edge.type in role_of and edge.properties.get("source") == "assignment":
            key = edge.target[len(prefix) :]
            src = nodes.get(edge.source)
            names = {_norm(str(edge.properties.get("surface", "")))}
            if src is not None:
                p = src.properties
                names |= {
                    _norm(x)
                    for x in [p.get("name", ""), *p.get("aliases", []), *p.get("known_as", [])]
                }
            by_task[key][role_of[edge.type]].append(names - {""})
    targets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for node in records.nodes:
        if node.label == "Target":
            targets[node.id.split(":")[2]].append(node.properties)
    for t in gold.get("tasks", []):
        key = _task_key(t)
        label = f"task {key}"
        found = tasks.get(key)
        ok = found is not None and _norm(t["text"]) in _norm(found.get("text", ""))
        result.check(ok, f"{label}: not found with text {t['text']!r}")
        for role in ("officials", "lead", "assist"):
            predicted = list(by_task.get(key, {}).get(role, []))
            for name in t.get(role, []):
                hit = next((p for p in predicted if _norm(name) in p), None)
                result.check(hit is not None, f"{label}: {role} {name!r} missing")
                if hit is not None:
                    predicted.remove(hit)
            for extra in predicted:
                result.check(False, f"{label}: extra {role} {sorted(extra)[0]!r}")
        got = targets.get(key, [])
        for tg in t.get("targets", []):
            ok = any(
                _same_value(float(x["value"]), float(tg["value"]))
                and _norm(x["unit"]) == _norm(tg["unit"])
                for x in got
            )
            result.check(ok, f"{label}: target {tg['value']}{tg['unit']} missing")
        for fg in t.get("figures", []):
            ok = any(
                x.get("actual_value") is not None
                and _same_value(float(x["actual_value"]), float(fg["value"]))
                and _norm(x.get("actual_unit", "")) == _norm(fg["unit"])
                for x in got
            )
            result.check(ok, f"{label}: figure {fg['value']}{fg['unit']} missing")
    return result


def load_gold(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
