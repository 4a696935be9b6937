"""Pages of one table, ingested one after another, are one report (issue #14, item 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.service import ingest_paths
from graph.embedded import EmbeddedStore
from graph.errors import RevisedReport
from ingest.pipeline import IngestOptions

REAL = Path(__file__).resolve().parent / "data" / "real"
# the pages name no place: the user says which plan they are (without it each page would be a
# plan of its own, 未知…, so that documents of unknown places never share tasks)
LINAN = IngestOptions(city="临安", year=2022)


def _pages(tmp_path: Path) -> tuple[Path, Path]:
    """The 临安 progress table cut into two pages as its site paginates: the page title and
    the header on each, rows 1-2 on the first, rows 3-4 on the second."""
    lines = (REAL / "linan_2022_minsheng_jinzhan_excerpt.txt").read_text("utf-8").split("\n")
    title = next(i for i, x in enumerate(lines) if x.startswith("2022年区政府民生实事"))
    third = next(i for i, x in enumerate(lines) if x.startswith("3 |"))
    head = lines[title : title + 2]
    one, two = tmp_path / "page-1.txt", tmp_path / "page-2.txt"
    one.write_text("\n".join(lines[title:third]), encoding="utf-8")
    two.write_text("\n".join([*head, *lines[third:]]), encoding="utf-8")
    return one, two


def _reports(store: EmbeddedStore) -> list[str]:
    return [n.id for n in store.nodes("Report")]


def test_pages_ingested_one_after_another_are_one_report(tmp_path: Path) -> None:
    one, two = _pages(tmp_path)
    with EmbeddedStore(tmp_path / "store") as store:
        (first,) = ingest_paths(store, [one], LINAN)
        (second,) = ingest_paths(store, [two], LINAN)
        assert _reports(store) == [first.result.report_id]
        assert second.result.report_id == first.result.report_id
        report = store.node(first.result.report_id)
        assert len(report.properties["parts"]) == 2
        graph = store.export()
        in_report = {e.source for e in graph.edges if e.type == "IN_REPORT"}
        on_task = {e.source: e.target for e in graph.edges if e.type == "ON_TASK"}
        assert sorted(on_task[p].rsplit(":", 1)[1] for p in in_report) == ["1", "2", "3", "4"]
        before = store.export()
        ingest_paths(store, [two], LINAN)  # again: nothing changes
        assert store.export() == before


def test_pages_in_one_call_are_one_report(tmp_path: Path) -> None:
    one, two = _pages(tmp_path)
    with EmbeddedStore(tmp_path / "store") as store:
        ingest_paths(store, [one, two], LINAN)
        assert len(_reports(store)) == 1


def test_pages_of_unknown_places_stay_apart_without_a_city(tmp_path: Path) -> None:
    one, two = _pages(tmp_path)
    with EmbeddedStore(tmp_path / "store") as store:
        outcomes = ingest_paths(store, [one, two])
        assert len(_reports(store)) == 2
        assert all(any("pass --city" in w for w in o.warnings) for o in outcomes)


def test_a_document_that_starts_at_task_1_is_no_page_of_another(tmp_path: Path) -> None:
    # it does not join the report as a page: a copy with the same tasks revises it (refused
    # unless --replace, tests/test_revisions.py)
    one, _ = _pages(tmp_path)
    copy = tmp_path / "copy.txt"
    copy.write_text(one.read_text("utf-8") + "\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "store") as store:
        (first,) = ingest_paths(store, [one], LINAN)
        with pytest.raises(RevisedReport):
            ingest_paths(store, [copy], LINAN)
        (second,) = ingest_paths(store, [copy], LINAN.model_copy(update={"replace": True}))
        assert _reports(store) == [second.result.report_id] != [first.result.report_id]
