"""Ingest against bad input: every document gives the right graph or a clear ParseError.

A clear error names the file, a line and the reason, and nothing is written: the store
holds exactly what it held before.  Good documents in other encodings and formats give
the same graph as the UTF-8 text.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.embedded import EmbeddedStore
from graph.errors import GovGraphError, ParseError, PayloadTooLarge
from graph.store import GraphStore
from ingest.load import load_bytes
from ingest.pipeline import IngestOptions, ProcessedDocument, process_file, process_loaded
from ingest.segment import segment
from ingest.textutil import fold_width
from tests.conftest import SAMPLE

FIXTURES = Path(__file__).resolve().parent / "data" / "robustness"
TEXT = SAMPLE.read_text(encoding="utf-8")
DATA = SAMPLE.read_bytes()


def _export(store: GraphStore) -> dict[str, Any]:
    """The export as JSON, without the Report's ``path`` (the one property a copy changes)."""
    data = json.loads(store.export().model_dump_json())
    for node in data["nodes"]:
        if node["label"] == "Report":
            node["properties"].pop("path", None)
    return data


def _tasks(result: ProcessedDocument) -> list[tuple[int, int, str, str | None]]:
    return [
        (t.number, c.number, t.text.text, t.progress.span.text if t.progress else None)
        for c in result.segmented.chapters
        for t in c.tasks
    ]


@pytest.fixture(scope="module")
def sample_result() -> ProcessedDocument:
    return process_file(SAMPLE)


@pytest.fixture(scope="module")
def sample_export(
    tmp_path_factory: pytest.TempPathFactory, sample_result: ProcessedDocument
) -> dict[str, Any]:
    store = EmbeddedStore(tmp_path_factory.mktemp("ref") / "g.pickle")
    store.write(sample_result.records.model_copy(deep=True))
    return _export(store)


@pytest.fixture
def other_store(tmp_path: Path) -> EmbeddedStore:
    """A store already holding another document, to show failed ingests write nothing."""
    store = EmbeddedStore(tmp_path / "g.pickle")
    path = tmp_path / "other.txt"
    path.write_text(
        "泰州市2021年重点工作任务\n一、产业\n1.建成泰州港。\n进展情况:①开工。\n", encoding="utf-8"
    )
    store.write(process_file(path, IngestOptions(city="泰州", year=2021)).records)
    return store


def _refused(store: GraphStore, path: Path, data: bytes, strict: bool = False) -> ParseError:
    """Ingesting ``data`` as ``path`` raises a ParseError naming it; the store is unchanged."""
    before = _export(store)
    path.write_bytes(data)
    with pytest.raises(ParseError) as info:
        store.write(process_file(path, IngestOptions(strict=strict)).records)
    err = info.value
    assert err.path == str(path) and str(path) in str(err)
    assert err.reason and err.reason in str(err)
    if err.line is not None:
        assert 1 <= err.line <= data.count(b"\n") + 1
    assert _export(store) == before
    return err


# -- empty, garbage, truncated -----------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [b"", b" \n\t\n", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff\n\x00", "\ufeff   \n".encode()],
    ids=repr,
)
def test_empty_documents_are_refused(
    other_store: EmbeddedStore, tmp_path: Path, data: bytes
) -> None:
    _refused(other_store, tmp_path / "empty.txt", data)


@pytest.mark.parametrize(
    "name,data",
    [
        ("random.txt", bytes(__import__("random").Random(8).randrange(256) for _ in range(50_000))),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64),
        ("zip.txt", b"PK\x03\x04" + b"\x00\x01\xfe\xff" * 3000),
        ("nul.txt", b"\x00" * 4096),
        ("broken.docx", b"PK\x03\x04 not really a zip"),
        ("broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage"),
        ("binary.html", bytes(range(256)) * 40),
        ("sample.docx", DATA),  # text with the wrong extension
    ],
)
def test_binary_garbage_is_refused(
    other_store: EmbeddedStore, tmp_path: Path, name: str, data: bytes
) -> None:
    _refused(other_store, tmp_path / name, data)


def _mid_char(data: bytes, near: int) -> int:
    """An offset inside a multi-byte UTF-8 character at or after ``near``."""
    while data[near] & 0xC0 != 0x80:
        near += 1
    return near


CUTS = {
    "first-line-mid-char": _mid_char(DATA, 10),
    "after-preamble": DATA.index(b"\n") + 1,
    "after-a-chapter-heading": DATA.index("三、".encode()) + 60,
    "mid-task-text": DATA.index(b"\n50.") + 40,
    "mid-progress": DATA.index("进展情况".encode(), len(DATA) // 2) + 30,
    "before-the-last-task": DATA.index(b"\n100.") + 1,
    "last-task-mid-char": _mid_char(DATA, len(DATA) - 20),
    "last-character": len(DATA) - len("。".encode()),
}


@pytest.mark.parametrize("cut", CUTS.values(), ids=CUTS.keys())
def test_truncated_copies_are_refused_whole(
    other_store: EmbeddedStore, tmp_path: Path, cut: int
) -> None:
    err = _refused(other_store, tmp_path / "cut.txt", DATA[:cut], strict=True)
    assert err.line is not None


LENIENT_CUTS = {
    "before-the-last-task": TEXT.index("\n100.") + 1,
    "last-character": len(TEXT) - 1,
    "mid-task-text": TEXT.index("\n50.") + 20,
}


@pytest.mark.parametrize("cut", LENIENT_CUTS.values(), ids=LENIENT_CUTS.keys())
def test_truncated_copies_keep_their_complete_tasks(tmp_path: Path, cut: int) -> None:
    """Without --strict a copy cut short keeps every complete task; the cut task is flagged
    and the report carries warnings naming its line and the announced count."""
    path = tmp_path / "cut.txt"
    path.write_text(TEXT[:cut], encoding="utf-8")
    got = process_file(path)
    tasks = got.segmented.tasks
    report = next(n for n in got.records.nodes if n.label == "Report")
    warnings = report.properties["warnings"]
    assert any("announces 100 tasks" in w for w in warnings) == (len(tasks) < 100)
    last = next(
        n for n in got.records.nodes if n.id == f"task:{got.meta.plan_key}:{tasks[-1].number}"
    )
    if cut == LENIENT_CUTS["before-the-last-task"]:
        assert len(tasks) == 99 and tasks[-1].complete and "incomplete" not in last.properties
    else:
        assert not tasks[-1].complete and last.properties["incomplete"] is True
        line = TEXT[:cut].count("\n") + 1
        assert f"line {line}: task {tasks[-1].number} is cut off" in " ".join(warnings)


@pytest.mark.parametrize("encoding", ["gbk", "utf-16-le", "utf-16"])
def test_truncated_in_other_encodings_is_refused(
    other_store: EmbeddedStore, tmp_path: Path, encoding: str
) -> None:
    data = TEXT.encode(encoding)
    _refused(other_store, tmp_path / "cut.txt", data[: len(data) // 2 + 1], strict=True)


def test_a_complete_prefix_is_a_correct_graph(
    tmp_path: Path, sample_result: ProcessedDocument
) -> None:
    """Cut at a task boundary with the preamble's count fixed: a correct graph of what is there."""
    head = TEXT[: TEXT.index("\n31.")].replace("100项", "30项")
    path = tmp_path / "first-30.txt"
    path.write_text(head, encoding="utf-8")
    got = process_file(path)
    assert _tasks(got) == _tasks(sample_result)[:30]


# -- encodings and formats ------------------------------------------------------------------
ENCODINGS = {
    "gbk": TEXT.encode("gbk"),
    "gb18030": TEXT.encode("gb18030"),
    "utf-8-bom": TEXT.encode("utf-8-sig"),
    "utf-16-le-bom": b"\xff\xfe" + TEXT.encode("utf-16-le"),
    "utf-16-be-bom": b"\xfe\xff" + TEXT.encode("utf-16-be"),
    "utf-16-le": TEXT.encode("utf-16-le"),
    "crlf": TEXT.replace("\n", "\r\n").encode(),
}


@pytest.mark.parametrize("data", ENCODINGS.values(), ids=ENCODINGS.keys())
def test_other_encodings_give_the_same_graph(
    tmp_path: Path, data: bytes, sample_export: dict[str, Any]
) -> None:
    path = tmp_path / "copy.txt"
    path.write_bytes(data)
    store = EmbeddedStore(tmp_path / "g.pickle")
    store.write(process_file(path).records)
    assert _export(store) == sample_export


@pytest.mark.parametrize("name", ["sample.docx", "sample.html", "sample-gbk.html"])
def test_docx_and_html_copies_give_the_same_tasks(
    name: str, sample_result: ProcessedDocument
) -> None:
    got = process_file(FIXTURES / name)
    assert got.loaded.format == name.rsplit(".", 1)[1]
    assert _tasks(got) == _tasks(sample_result)
    meta = {"title"}
    assert got.meta.model_dump(exclude=meta) == sample_result.meta.model_dump(exclude=meta)
    assert got.segmented.warnings == []


def _content(text: str | None) -> str:
    """What keeps its place in print: ideographs, ASCII letters and digits, in order.

    Symbols drawn from a fallback font (quotes, Ⅲ, ①, dashes) may move within their line.
    """
    return re.sub(r"[^\u4e00-\u9fffA-Za-z0-9]", "", text or "")


def test_pdf_copy_gives_the_same_tasks_and_text(sample_result: ProcessedDocument) -> None:
    """A PDF wraps lines and draws quotes from another font: compare the words, not the layout.

    Two chapter headings whose quotes print out of place are read into the progress text
    before them (see the next test); every task, its text and its progress are there.
    """
    got = process_file(FIXTURES / "sample.pdf")
    want = [(n, _content(t), _content(p)) for n, _, t, p in _tasks(sample_result)]
    have = [(n, _content(t), _content(p)) for n, _, t, p in _tasks(got)]
    assert [(n, t) for n, t, _ in have] == [(n, t) for n, t, _ in want]
    assert all(h.startswith(w) for (_, _, h), (_, _, w) in zip(have, want, strict=True))


def test_pdf_copy_keeps_every_chapter_and_the_printed_text(
    sample_result: ProcessedDocument,
) -> None:
    """Quotes drawn from a fallback font come back to their place (``readers.pdf.join_chars``
    orders each line by x), so ``二、健全“双创”…`` is a chapter heading again and every task
    reads as in the .txt but for the printed line breaks."""
    got = process_file(FIXTURES / "sample.pdf")

    def unwrapped(doc: ProcessedDocument) -> list[tuple[int, int, str, str]]:
        return [
            (n, c, t.replace("\n", ""), (p or "").replace("\n", "")) for n, c, t, p in _tasks(doc)
        ]

    assert unwrapped(got) == unwrapped(sample_result)


def test_table_notice_docx_reads_the_word_table() -> None:
    got = process_file(FIXTURES / "notice-table.docx")
    assert got.segmented.layout == "docx-table" and len(got.segmented.tasks) == 12
    assert all(
        {f.role for f in t.fields} == {"official", "lead", "assist"} for t in got.segmented.tasks
    )


def test_table_notice_pdf_is_a_clear_error(other_store: EmbeddedStore, tmp_path: Path) -> None:
    """A printed table loses its cells; govgraph says so rather than guessing."""
    _refused(other_store, tmp_path / "notice.pdf", (FIXTURES / "notice-table.pdf").read_bytes())


def test_truncated_docx_and_pdf_are_refused(other_store: EmbeddedStore, tmp_path: Path) -> None:
    for name in ("sample.docx", "sample.pdf"):
        data = (FIXTURES / name).read_bytes()
        _refused(other_store, tmp_path / name, data[: len(data) * 2 // 3])


# -- numbering, progress, width -----------------------------------------------------------------
def test_duplicated_task_number_is_a_warning_and_strict_refuses(
    other_store: EmbeddedStore, tmp_path: Path
) -> None:
    plan = (
        "南通市2019年重点工作任务\n南通市政府确定3项重点工作任务:\n一、产业\n"
        "1.建成沪通铁路。\n2.新增企业20家。\n2.建设通州湾港区。\n"
    )
    err = _refused(other_store, tmp_path / "dup.txt", plan.encode(), strict=True)
    assert err.line == 6 and "2" in err.reason and "twice" in err.reason
    got = process_file(tmp_path / "dup.txt", IngestOptions())
    tasks = sorted(n.properties["text"] for n in got.records.nodes if n.label == "Task")
    assert tasks == ["建成沪通铁路。", "新增企业20家。"]
    assert any("line 6: task number 2 appears twice" in w for w in got.segmented.warnings)


def test_duplicated_task_number_in_a_progress_report_is_refused_when_strict(
    other_store: EmbeddedStore, tmp_path: Path
) -> None:
    text = TEXT.replace("\n57.", "\n56.", 1)
    err = _refused(other_store, tmp_path / "dup.txt", text.encode(), strict=True)
    assert "56" in err.reason and "twice" in err.reason


def test_skipped_number_is_a_warning_and_the_rest_is_right(
    tmp_path: Path, sample_result: ProcessedDocument
) -> None:
    start, end = TEXT.index("\n57."), TEXT.index("\n58.")
    path = tmp_path / "skip.txt"
    path.write_text(TEXT[:start] + TEXT[end:], encoding="utf-8")
    got = process_file(path)
    assert _tasks(got) == [t for t in _tasks(sample_result) if t[0] != 57]
    want = [
        "task numbers skipped: 57",
        "the document announces 100 tasks but 99 were found, the last being task 100",
    ]
    assert got.segmented.warnings == want
    report = next(n for n in got.records.nodes if n.label == "Report")
    assert report.properties["warnings"] == want


def test_task_without_progress(tmp_path: Path, sample_result: ProcessedDocument) -> None:
    start = TEXT.index("进展情况", TEXT.index("\n10."))
    end = TEXT.index("\n11.")
    path = tmp_path / "no-progress.txt"
    path.write_text(TEXT[: start - 1] + TEXT[end:], encoding="utf-8")
    got = process_file(path)
    want = [(n, c, t, None if n == 10 else p) for n, c, t, p in _tasks(sample_result)]
    assert _tasks(got) == want
    assert "progress:" not in " ".join(
        n.id for n in got.records.nodes if n.properties.get("task") == 10 and n.label == "Progress"
    )


def test_mixed_width_punctuation_gives_the_same_tasks(
    tmp_path: Path, sample_result: ProcessedDocument
) -> None:
    mixed = TEXT
    for n in range(1, 101, 2):  # odd tasks in full width: 1．… 进展情况：…（…）
        start = mixed.index(f"\n{n}.") + 1 if n > 1 else mixed.index("1.")
        end = mixed.index(f"\n{n + 1}.") if n < 100 else len(mixed)
        block = mixed[start:end].replace("进展情况:", "进展情况：").replace("(", "（")
        block = block.replace(")", "）").replace(f"{n}.", f"{n}．", 1)
        mixed = mixed[:start] + block + mixed[end:]
    assert mixed != TEXT and fold_width(mixed) != mixed
    path = tmp_path / "mixed.txt"
    path.write_text(mixed, encoding="utf-8")
    got = process_file(path)
    fold = [(n, c, fold_width(t), fold_width(p or "")) for n, c, t, p in _tasks(got)]
    assert fold == [
        (n, c, fold_width(t), fold_width(p or "")) for n, c, t, p in _tasks(sample_result)
    ]


# -- size ---------------------------------------------------------------------------------------
BIG_SCRIPT = """
import sys, time
from graph.errors import GovGraphError
from ingest.pipeline import IngestOptions, process_file
from scripts.bench_worker import peak_rss_mb
t = time.perf_counter()
try:
    r = process_file(sys.argv[1], IngestOptions(max_chars=int(sys.argv[2])))
    outcome = f"ok {len(r.segmented.tasks)}"
except GovGraphError as e:
    outcome = f"{type(e).__name__} {e}"
peak = int(peak_rss_mb())  # this process's own (VmHWM), not its parent's
print(f"{peak} {time.perf_counter() - t:.1f} {outcome}")
"""


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scripts.corpus import single_plan

    path = tmp_path_factory.mktemp("big") / "big.txt"
    one = single_plan(2000, seed=9)  # ~0.5 MB; repeated with renumbered tasks up to 50 MB
    head, body = one.split("\n一、", 1)
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head.replace("2000项", "一批") + "\n")
        offset = 0
        while fh.tell() < 50_000_000:
            fh.write(re.sub(r"(?m)^(\d+)\.", _renumber(offset), "一、" + body))
            offset += 2000
    return path


def _renumber(offset: int) -> Callable[[re.Match[str]], str]:
    return lambda m: f"{int(m.group(1)) + offset}."


def _run_big(path: Path, max_chars: int) -> tuple[int, str]:
    proc = subprocess.run(
        [sys.executable, "-c", BIG_SCRIPT, str(path), str(max_chars)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    peak, _, outcome = proc.stdout.strip().split(" ", 2)
    return int(peak), outcome


@pytest.mark.slow
def test_50_mb_file_is_refused_early_with_bounded_memory(big_file: Path) -> None:
    """The default limit refuses a 50 MB file before segmenting it, in little memory."""
    from graph.settings import Settings

    limit = Settings().max_document_chars
    peak_mb, outcome = _run_big(big_file, limit)
    assert outcome.startswith("PayloadTooLarge") and str(big_file) in outcome, outcome
    assert peak_mb < 400, f"{peak_mb} MB to refuse a 50 MB file"


def test_document_chars_limit_is_a_clear_error(tmp_path: Path) -> None:
    loaded = load_bytes(DATA, "sample.txt")
    with pytest.raises(PayloadTooLarge) as info:
        process_loaded(loaded, IngestOptions(max_chars=len(TEXT) - 1))
    assert "sample.txt" in str(info.value) and f"{len(TEXT):,}" in str(info.value)
    assert process_loaded(loaded, IngestOptions(max_chars=len(TEXT))).records.nodes


# -- property: anything parses or is a ParseError ----------------------------------------------
FRAGMENTS = [
    "一、坚持产业强市",
    "十一、",
    "加强政府自身建设",
    "1.建成沪通铁路。",
    "2.",
    "99.新增企业20家左右。",
    "3、推进集成电路产业园建设",
    "进展情况:",
    "进展情况：",
    "①开工。",
    "②完成8家。",
    "(1)已实施。",
    "牵头单位:市发改委",
    "配合单位:市工信局、市财政局",
    "牵头市领导:王建国",
    "| 序号 | 工作任务 | 牵头单位 |",
    "| 1 | 建设港口 | 市交通局 |",
    "| --- | --- | --- |",
    "序号",
    "工作任务",
    "牵头单位",
    "12",
    "南通市2019年重点工作任务",
    "今年初,市政府研究确定了100项重点工作任务。",
    "《南通市港口条例》",
    "2019年3月1日",
    "南通市人民政府",
    "１２．",
    "（",
    "）",
    "|",
    "。",
    ":",
    "",
    " ",
    "\t",
]
genre_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map(
    lambda parts: "\n".join(parts)
)
any_text = st.one_of(
    genre_text,
    st.text(max_size=300),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map("".join),
)


def _spans_point_into(text: str, result: Any) -> None:
    for c in result.chapters:
        for t in c.tasks:
            assert text[t.text.start : t.text.end] == t.text.text
            if t.progress is not None:
                assert text[t.progress.span.start : t.progress.span.end] == t.progress.span.text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text)
def test_segmenter_parses_or_raises_parse_error(text: str) -> None:
    try:
        doc = segment(text, "gen.txt")
    except ParseError as e:
        assert e.path == "gen.txt" and e.reason
        return
    assert doc.tasks
    _spans_point_into(text, doc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(genre_text)
def test_whole_ingest_parses_or_raises_a_govgraph_error(text: str) -> None:
    try:
        result = process_loaded(
            load_bytes(text.encode(), "gen.txt"), IngestOptions(city="南通", year=2019)
        )
    except GovGraphError as e:
        assert isinstance(e, ParseError), e
        return
    result.records.validate_schema()
