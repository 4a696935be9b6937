"""A notice and a progress report of one plan join on stable task ids, in either order."""

from __future__ import annotations

from pathlib import Path

from graph.embedded import EmbeddedStore
from graph.records import DocumentRecords, WriteResult
from ingest.load import load_bytes
from ingest.pipeline import IngestOptions, process_file, process_loaded

NOTICES = Path(__file__).resolve().parent / "data" / "notices"
OPTIONS = IngestOptions(city="宿迁", year=2020)


def _records(name: str) -> DocumentRecords:
    return process_file(NOTICES / name, OPTIONS).records


def _write_all(*records: DocumentRecords) -> tuple[EmbeddedStore, list[WriteResult]]:
    store = EmbeddedStore(None)
    return store, [store.write(r) for r in records]


def test_notice_then_report_equals_report_then_notice() -> None:
    notice, report = _records("suqian-2020-notice.txt"), _records("suqian-2020-h1.txt")
    first, results = _write_all(notice, report)
    second, _ = _write_all(report, notice)
    assert first.export() == second.export()
    assert all(not r.conflicts for r in results)

    export = first.export()
    tasks = sorted(n.id for n in export.nodes if n.label == "Task")
    assert tasks == ["task:宿迁-2020:1", "task:宿迁-2020:2", "task:宿迁-2020:3"]
    # the notice's stated responsibility and the report's progress meet on one task node
    on_task_1 = [e for e in export.edges if e.target == "task:宿迁-2020:1"]
    stated = {(e.type, e.source) for e in on_task_1 if e.properties.get("source") == "assignment"}
    assert stated == {
        ("OVERSEES", "official:宿迁:马成"),
        ("LEADS", "department:宿迁:市工业和信息化局"),
        ("ASSISTS", "department:宿迁:市发展和改革委员会"),
        ("ASSISTS", "department:宿迁:市统计局"),
    }
    assert any(e.type == "ON_TASK" for e in on_task_1)
    # the report alone names no one: its responsibility edges are inferred, never officials
    inferred = [e for e in export.edges if e.properties.get("source") == "inferred"]
    assert inferred and {e.type for e in inferred} <= {"LEADS", "ASSISTS"}


def test_conflicting_task_text_under_the_same_number_is_reported() -> None:
    text = (NOTICES / "suqian-2020-notice.txt").read_text("utf-8")
    changed = text.replace("3.新建改扩建中小学15所。", "3.新建改扩建中小学20所。")
    assert changed != text
    altered = process_loaded(
        load_bytes(changed.encode("utf-8"), "suqian-2020-notice-v2.txt"), OPTIONS
    ).records
    _, results = _write_all(_records("suqian-2020-h1.txt"), altered)
    assert results[1].conflicts == ["task:宿迁-2020:3.text"]


def test_inferred_departments_get_no_empty_alias() -> None:
    records = _records("suqian-2020-h1.txt")
    departments = [n for n in records.nodes if n.label == "Department"]
    assert departments and all("" not in n.properties.get("aliases", []) for n in departments)
