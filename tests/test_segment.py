"""The segmenter on the sample and on the genre's other layouts."""

from __future__ import annotations

import re

import pytest

from graph.errors import ParseError
from ingest.load import load_file
from ingest.segment import segment
from tests.conftest import SAMPLE, TEST_DATA

LAYOUTS = TEST_DATA / "layouts"


@pytest.fixture(scope="module")
def sample():  # type: ignore[no-untyped-def]
    loaded = load_file(SAMPLE)
    return loaded, segment(loaded.text, str(SAMPLE))


def test_sample_has_100_tasks_in_11_chapters(sample) -> None:  # type: ignore[no-untyped-def]
    _, doc = sample
    assert doc.layout == "list"
    assert [t.number for t in doc.tasks] == list(range(1, 101))
    assert [c.number for c in doc.chapters] == list(range(1, 12))
    assert doc.chapters[-1].title.text == "加强政府自身建设"
    assert not doc.chapters[-1].numbered
    assert [len(c.tasks) for c in doc.chapters] == [9, 13, 8, 12, 9, 9, 7, 9, 4, 15, 5]


def test_sample_task_and_progress_text_match_source_lines(sample) -> None:  # type: ignore[no-untyped-def]
    loaded, doc = sample
    lines = loaded.text.split("\n")
    task_lines = {
        int(m.group(1)): m.group(2) for ln in lines if (m := re.match(r"^(\d+)\.(.*)$", ln))
    }
    progress_lines = [ln.removeprefix("进展情况:") for ln in lines if ln.startswith("进展情况:")]
    for task, progress in zip(doc.tasks, progress_lines, strict=True):
        assert task.text.text == task_lines[task.number].strip()
        assert task.progress is not None and task.progress.span.text == progress.strip()


def test_every_span_points_into_the_text(sample) -> None:  # type: ignore[no-untyped-def]
    loaded, doc = sample
    text = loaded.text
    for task in doc.tasks:
        spans = [task.text, *task.sentences]
        if task.progress:
            spans += [task.progress.span, *task.progress.items, *task.progress.sentences]
        for s in spans:
            assert text[s.start : s.end] == s.text and s.text


def test_progress_items_follow_circled_numbers(sample) -> None:  # type: ignore[no-untyped-def]
    _, doc = sample
    first = doc.tasks[0].progress
    assert [i.text[0] for i in first.items] == ["①", "②"]
    assert first.sentences[0].text == "1-5月,全市规模以上工业产值同比增长9.3%。"


def test_pipe_table_layout() -> None:
    doc = segment(load_file(LAYOUTS / "pipe_table.txt").text)
    assert doc.layout == "pipe-table"
    assert [(c.number, len(c.tasks)) for c in doc.chapters] == [(1, 2), (2, 1)]
    t1 = doc.tasks[0]
    assert t1.text.text.startswith("规模以上工业增加值增长6%左右")
    assert [(f.role, f.value.text) for f in t1.fields] == [("lead", "市工信局")]
    assert len(t1.progress.items) == 2


def test_flat_table_layout() -> None:
    doc = segment(load_file(LAYOUTS / "flat_table.txt").text)
    assert doc.layout == "flat-table"
    assert [t.number for t in doc.tasks] == [1, 2, 3]
    assert [(f.role, f.value.text) for f in doc.tasks[0].fields] == [
        ("official", "王明"),
        ("lead", "市发改委"),
        ("assist", "市统计局、各市(区)政府"),
    ]
    assert doc.chapters[1].title.text == "提升城市功能"
    assert not doc.warnings


def test_inline_and_linewise_fields() -> None:
    doc = segment(load_file(LAYOUTS / "inline_fields.txt").text)
    t1, t2, t3 = doc.tasks
    assert t1.text.text == "地区生产总值增长6%以上。"
    assert [(f.role, f.value.text) for f in t1.fields] == [
        ("lead", "市发改委"),
        ("responsible", "各县（市、区）政府"),
    ]
    assert [f.role for f in t2.fields] == ["official", "lead", "assist"]
    assert t2.fields[0].value.text == "张三副市长"
    assert t3.fields[0].value.text == "市交通运输局"


def test_full_width_digits_colons_and_parentheses() -> None:
    loaded = load_file(LAYOUTS / "fullwidth.txt")
    assert loaded.encoding == "utf-8-sig"
    doc = segment(loaded.text)
    assert [t.number for t in doc.tasks] == [1, 2]
    assert [i.text for i in doc.tasks[0].progress.items] == [
        "①码头主体完工。",
        "（２）航道疏浚完成80%。",
    ]
    assert doc.tasks[1].progress.span.text == "已于6月举办。"


def test_mixed_width_gives_the_same_tasks() -> None:
    half = "一、产业\n1.建成沪通铁路。\n进展情况:①开工。\n2.新增企业20家。\n进展情况:②完成8家。\n"
    full = (
        "一、产业\n１．建成沪通铁路。\n进展情况：①开工。\n2．新增企业20家。\n进展情况:②完成8家。\n"
    )
    a, b = segment(half), segment(full)
    assert [(t.number, t.text.text, t.progress.span.text) for t in a.tasks] == [
        (t.number, t.text.text, t.progress.span.text) for t in b.tasks
    ]


def test_no_tasks_is_a_parse_error_naming_file_and_line() -> None:
    with pytest.raises(ParseError) as info:
        segment("这只是一段普通的文字。\n没有任何任务。", "notes.txt")
    assert info.value.path == "notes.txt" and info.value.line == 1
    assert "notes.txt:1" in str(info.value)


def test_duplicate_task_number_names_the_line() -> None:
    text = "一、产业\n1.甲任务。\n2.乙任务。\n2.丙任务。\n"
    doc = segment(text, "dup.txt")  # the rest of the document is still read
    assert [t.text.text for t in doc.tasks] == ["甲任务。", "乙任务。"]
    assert doc.warnings == [
        "line 4: task number 2 appears twice (first at line 3); the second is left out"
    ]
    with pytest.raises(ParseError) as info:
        segment(text, "dup.txt", strict=True)
    assert info.value.line == 4 and "appears twice" in info.value.reason


def test_skipped_numbers_are_a_warning() -> None:
    doc = segment("一、产业\n1.甲任务。\n3.丙任务。\n")
    assert [t.number for t in doc.tasks] == [1, 3]
    assert doc.warnings == ["task numbers skipped: 2"]


def test_truncated_sample_is_refused(sample) -> None:  # type: ignore[no-untyped-def]
    loaded, _ = sample
    cut = loaded.text[: len(loaded.text) // 2]
    with pytest.raises(ParseError) as info:
        segment(cut, "half.txt", strict=True)
    assert "truncated" in info.value.reason and info.value.line is not None


def test_cut_mid_sentence_is_refused(sample) -> None:  # type: ignore[no-untyped-def]
    loaded, _ = sample
    with pytest.raises(ParseError, match="middle of a sentence") as info:
        segment(loaded.text[:-20], "cut.txt", strict=True)
    assert info.value.line == 212
    kept = segment(loaded.text[:-20], "cut.txt")
    assert len(kept.tasks) == 100 and not kept.tasks[-1].complete
    assert kept.warnings[0].startswith("line 212: task 100 is cut off")


def test_issuer_and_date_footer_is_not_task_text(sample) -> None:  # type: ignore[no-untyped-def]
    loaded, _ = sample
    doc = segment(loaded.text + "\n南通市人民政府办公室\n2019年7月12日\n")
    assert doc.tasks[-1].progress.span.text.endswith("经费支出进度。")


def test_unit_list_may_end_without_punctuation() -> None:
    doc = segment("一、稳增长\n1.甲任务。\n2.乙任务。\n3.丙任务。\n4.丁任务。牵头单位:市发改委\n")
    assert doc.tasks[-1].fields[0].value.text == "市发改委"


def test_progress_sub_items_numbered_like_tasks_stay_in_the_progress() -> None:
    doc = segment(
        "一、产业\n1.甲任务。\n进展情况:\n1.完成甲。\n2.完成乙。\n3.完成丙。\n"
        "2.乙任务。\n进展情况:已完成。\n3.丙任务。\n进展情况:\n1.开工。\n2.完工。\n"
    )
    assert [t.number for t in doc.tasks] == [1, 2, 3]
    assert doc.tasks[0].progress.span.text == "1.完成甲。\n2.完成乙。\n3.完成丙。"
    assert doc.tasks[2].progress.span.text == "1.开工。\n2.完工。"


def test_a_duplicated_number_after_progress_text_is_reported() -> None:
    with pytest.raises(ParseError, match="appears twice") as info:
        segment(
            "一、产业\n1.甲任务。\n进展情况:完成。\n2.乙任务。\n进展情况:完成。\n2.丙任务。\n",
            strict=True,
        )
    assert info.value.line == 6


def test_flat_table_footer_is_not_a_cell() -> None:
    text = (LAYOUTS / "flat_table.txt").read_text(encoding="utf-8")
    doc = segment(text + "泰州市人民政府办公室\n2021年3月1日\n")
    assert doc.tasks[-1].fields[-1].value.text == "市自然资源和规划局"
    assert not doc.warnings


def test_a_task_that_starts_with_a_date_after_its_number() -> None:
    doc = segment("一、产业\n1.建成沪通铁路。\n2.10月底之前完成关闭退出。\n3.1.5亿元投资到位。\n")
    assert [(t.number, t.text.text) for t in doc.tasks] == [
        (1, "建成沪通铁路。"),
        (2, "10月底之前完成关闭退出。\n3.1.5亿元投资到位。"),
    ]


def test_progress_before_the_first_task_is_a_warning() -> None:
    doc = segment(
        "南通市2019年重点工作进展情况\n进展情况:上半年全市地区生产总值增长6.5%。\n"
        "主办单位:南通市人民政府办公室\n一、产业\n1.建成沪通铁路。\n进展情况:已通车。\n"
    )
    assert [t.number for t in doc.tasks] == [1]
    assert doc.warnings == [
        "line 2: '进展情况:上半年全市地区生产总值增长6.5%。…' comes before the first task and "
        "belongs to none; it is not stored"
    ]
