"""The synthetic corpus: seeded, realistic, and read back exactly by ingest."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from ingest.load import load_file
from ingest.meta import infer_meta
from ingest.pipeline import process_file
from ingest.segment import segment
from scripts.corpus import GeneratedDocument, documents, generate, plan_specs, render, single_plan
from tests.conftest import SAMPLE


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = generate(3, 7, tmp_path / "a")
    b = generate(3, 7, tmp_path / "b")
    generate(3, 8, tmp_path / "c")
    assert a["files"] == b["files"]
    for f in a["files"]:  # type: ignore[attr-defined]
        name = f["name"]
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes()


def test_scale_1000_is_100000_tasks_in_distinct_plans() -> None:
    specs = plan_specs(1000)
    assert sum(s.tasks for s in specs) == 100_000
    assert len({(s.city, s.year) for s in specs}) == 1000
    kinds = Counter((s.kind, s.layout) for s in specs)
    assert kinds[("progress", "list")] == 600 and kinds[("plan", "list")] == 100
    assert kinds[("assignment", "pipe-table")] == kinds[("assignment", "flat-table")] == 100


def test_scale_1_looks_like_the_sample() -> None:
    (spec,) = plan_specs(1)
    doc = render(spec, 0)
    sample_chars = len(SAMPLE.read_text(encoding="utf-8"))
    assert spec.kind == "progress" and len(doc.tasks) == 100
    assert 0.6 * sample_chars < len(doc.text) < 1.5 * sample_chars


def _check_parse(doc: GeneratedDocument) -> None:
    seg = segment(doc.text, doc.spec.name)
    assert seg.layout == doc.spec.layout
    assert [t.number for t in seg.tasks] == [t.number for t in doc.tasks]
    assert len(seg.chapters) == doc.chapters
    chapter_of = {t.number: c.number for c in seg.chapters for t in c.tasks}
    assert chapter_of == {t.number: t.chapter for t in doc.tasks}
    assert seg.warnings == []
    for got, want in zip(seg.tasks, doc.tasks, strict=True):
        assert (got.progress is not None) == want.has_progress
        leads = [f.value.text for f in got.fields if f.role == "lead"]
        assists = [f.value.text for f in got.fields if f.role == "assist"]
        assert leads == want.lead
        assert assists == (["、".join(want.assist)] if want.assist else [])
    meta = infer_meta(seg)
    assert (meta.city, meta.year) == (doc.spec.city, doc.spec.year)
    assert meta.kind == doc.spec.kind
    if doc.spec.period:
        assert meta.period == f"{doc.spec.year}-{doc.spec.period}"


@pytest.mark.parametrize("index", range(10))
def test_every_kind_and_layout_parses_to_the_generated_truth(index: int) -> None:
    _check_parse(render(plan_specs(10)[index], seed=11))


def test_documents_of_a_bigger_corpus_parse(tmp_path: Path) -> None:
    for doc in documents(30, seed=5):
        _check_parse(doc)


@pytest.mark.parametrize("index", [0, 1, 3, 6, 7, 9])
def test_generated_files_ingest_with_their_documents(tmp_path: Path, index: int) -> None:
    doc = render(plan_specs(10)[index], seed=2)
    path = tmp_path / doc.spec.name
    path.write_text(doc.text, encoding="utf-8")
    result = process_file(path)
    assert result.records.report_id and len(result.segmented.tasks) == 100
    titles = {n.properties["name"] for n in result.records.nodes if n.label == "Document"}
    assert titles == {d for t in doc.tasks for d in t.documents}


def test_single_plan_numbers_every_task_once() -> None:
    text = single_plan(1500, seed=3)
    seg = segment(text)
    assert [t.number for t in seg.tasks] == list(range(1, 1501))
    assert len(seg.chapters) == 11 and seg.warnings == []


def test_cli_writes_a_manifest(tmp_path: Path) -> None:
    from scripts.corpus import main

    assert main(["--scale", "2", "--seed", "1", "--out", str(tmp_path)]) == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == [
        "0000-南通-2019-progress-H1.txt",
        "0001-苏州-2019-progress-Q3.txt",
        "manifest.json",
    ]
    assert load_file(tmp_path / names[0]).encoding == "utf-8"
