"""A report ingested again reworded is detected: refused, or replacing the stored one
(issue #17, case 6); text before the first task is a warning on the report (case 5)."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.service import ingest_paths
from graph.errors import RevisedReport
from graph.store import GraphStore
from ingest.pipeline import IngestOptions
from queries.task_history import task_history

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "nantong-2019-h1.txt"


def _reworded(tmp_path: Path) -> Path:
    """The sample with other whitespace and punctuation, and one figure corrected."""
    text = SAMPLE.read_text("utf-8").replace("。\n", "。 \n").replace("，", ",")
    path = tmp_path / "nantong-2019-h1-v2.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _reports(store: GraphStore) -> list[str]:
    return sorted(n.id for n in store.nodes("Report"))


def test_a_reworded_report_is_refused_and_nothing_is_written(
    store: GraphStore, tmp_path: Path
) -> None:
    (first,) = ingest_paths(store, [SAMPLE])
    before = store.export()
    with pytest.raises(RevisedReport, match="--replace") as info:
        ingest_paths(store, [_reworded(tmp_path)])
    assert first.result.report_id in str(info.value) and "2019-H1" in str(info.value)
    assert store.export() == before
    periods = [e.period for e in task_history(store, "1", plan="南通-2019").entries]
    assert periods.count("2019-H1") == 1


def test_replace_swaps_the_report_and_history_lists_the_period_once(
    store: GraphStore, tmp_path: Path
) -> None:
    (first,) = ingest_paths(store, [SAMPLE])
    (second,) = ingest_paths(store, [_reworded(tmp_path)], IngestOptions(replace=True))
    assert second.result.report_id != first.result.report_id
    assert _reports(store) == [second.result.report_id]
    periods = [e.period for e in task_history(store, "1", plan="南通-2019").entries]
    assert periods.count("2019-H1") == 1
    # the same bytes again change nothing, replace or not
    (again,) = ingest_paths(store, [_reworded(tmp_path)], IngestOptions(replace=True))
    assert again.result.already_present and _reports(store) == [second.result.report_id]


def test_two_reworded_copies_in_one_batch_are_refused_even_with_replace(
    store: GraphStore, tmp_path: Path
) -> None:
    with pytest.raises(RevisedReport):
        ingest_paths(store, [SAMPLE, _reworded(tmp_path)], IngestOptions(replace=True))
    assert _reports(store) == []


def test_another_period_of_the_plan_is_no_revision(store: GraphStore, tmp_path: Path) -> None:
    ingest_paths(store, [SAMPLE])
    ingest_paths(store, [_reworded(tmp_path)], IngestOptions(period="Q3"))
    assert len(_reports(store)) == 2


def test_progress_before_the_first_task_is_a_warning_on_the_report(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "early.txt"
    path.write_text(
        "南通市2019年重点工作进展情况\n进展情况:上半年全市地区生产总值增长6.5%。\n"
        "一、产业\n1.建成沪通铁路。\n进展情况:已通车。\n",
        encoding="utf-8",
    )
    (outcome,) = ingest_paths(store, [path])
    report = store.node(outcome.result.report_id)
    assert any(
        "line 2" in w and "before the first task" in w for w in report.properties["warnings"]
    )
