"""Store behaviour, run on both stores: idempotence, atomicity, deletion, neighbourhoods."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import NotFound, SchemaError
from graph.records import DocumentRecords, EdgeRecord, NodeRecord
from graph.store import GraphStore


def _doc(report: str, place_alias: str = "海门") -> DocumentRecords:
    return DocumentRecords(
        report_id=report,
        nodes=[
            NodeRecord(id=report, label="Report", properties={"sha256": report}),
            NodeRecord(
                id="task:x-2019:1",
                label="Task",
                properties={"number": 1, "text": "建设海门港。", "plan": "plan:x-2019"},
            ),
            NodeRecord(
                id="place:海门市",
                label="Place",
                properties={"name": "海门市", "aliases": [place_alias]},
            ),
        ],
        edges=[
            EdgeRecord(
                type="MENTIONS",
                source="task:x-2019:1",
                target="place:海门市",
                properties={
                    "key": f"{report}@2",
                    "surface": place_alias,
                    "offset": 2,
                    "report": report,
                },
            )
        ],
    )


def test_write_twice_changes_nothing(store: GraphStore) -> None:
    first = store.write(_doc("report:a"))
    assert (first.nodes_created, first.edges_created) == (3, 1)
    before = store.export()
    again = store.write(_doc("report:a"))
    assert (again.nodes_created, again.edges_created, again.nodes_updated) == (0, 0, 0)
    assert again.already_present
    assert store.export() == before


def test_second_report_merges_aliases_in_any_order(store: GraphStore) -> None:
    store.write(_doc("report:a", "海门"))
    store.write(_doc("report:b", "海门区"))
    node = store.node("place:海门市")
    assert node.properties["aliases"] == ["海门", "海门区"]
    assert node.properties["reports"] == ["report:a", "report:b"]


@pytest.mark.parametrize(
    "reports",
    [("report:c", "report:a", "report:b"), ("report:乙", "report:甲", "report:a")],
    ids=["ascii", "cjk"],
)
def test_reports_stay_sorted_as_later_reports_add_to_a_node(
    store: GraphStore, reports: tuple[str, ...]
) -> None:
    """Neo4j reads a shared node's ``reports`` narrowed to the batch's and extends it in
    Cypher (ASCII ids) or rewrites it whole (others): either way the list is the sorted set."""
    for r in reports:
        assert store.write(_doc(r)).nodes_updated == (0 if r == reports[0] else 2)
    for node_id in ("place:海门市", "task:x-2019:1"):
        assert store.node(node_id).properties["reports"] == sorted(reports)
    again = store.write(_doc(reports[1]))
    assert (again.nodes_created, again.nodes_updated, again.edges_updated) == (0, 0, 0)
    assert store.node("place:海门市").properties["reports"] == sorted(reports)


def test_invalid_document_leaves_store_unchanged(store: GraphStore) -> None:
    store.write(_doc("report:a"))
    before = store.export()
    bad = _doc("report:b")
    bad.edges.append(EdgeRecord(type="LEADS", source="place:海门市", target="task:x-2019:1"))
    with pytest.raises(SchemaError):
        store.write(bad)
    assert store.export() == before


def test_undeclared_label_is_refused(store: GraphStore) -> None:
    doc = DocumentRecords(report_id="r", nodes=[NodeRecord(id="r", label="Spaceship")])
    with pytest.raises(SchemaError, match="undeclared label"):
        store.write(doc)


def test_conflicting_task_text_is_reported_not_overwritten(store: GraphStore) -> None:
    store.write(_doc("report:a"))
    other = _doc("report:b")
    other.nodes[1].properties["text"] = "另一个任务。"
    result = store.write(other)
    assert result.conflicts == ["task:x-2019:1.text"]
    assert store.node("task:x-2019:1").properties["text"] == "建设海门港。"


def test_delete_report_removes_only_what_it_alone_said(store: GraphStore) -> None:
    store.write(_doc("report:a", "海门"))
    only_a = store.export()
    store.write(_doc("report:b", "海门区"))
    store.delete_report("report:b")
    after = store.export()
    assert {n.id for n in after.nodes} == {n.id for n in only_a.nodes}
    assert {(e.type, e.key) for e in after.edges} == {(e.type, e.key) for e in only_a.edges}
    with pytest.raises(NotFound):
        store.delete_report("report:b")


def test_neighbourhood_and_node(store: GraphStore) -> None:
    store.write(_doc("report:a"))
    hood = store.neighbourhood("place:海门市", depth=1)
    assert [n.id for n in hood.nodes] == ["place:海门市", "task:x-2019:1"]
    assert [e.type for e in hood.edges] == ["MENTIONS"]
    assert store.neighbourhood("place:海门市", depth=1, labels=["Report"]).edges == []
    with pytest.raises(NotFound):
        store.node("place:nowhere")
    assert [n.id for n in store.nodes("Task", number=1)] == ["task:x-2019:1"]


def test_sample_export_is_identical_on_every_store(
    sample_store: GraphStore, sample_records
) -> None:  # type: ignore[no-untyped-def]
    from graph.embedded import EmbeddedStore

    reference = EmbeddedStore(None)
    reference.write(sample_records.model_copy(deep=True))
    assert sample_store.export() == reference.export()
    assert sample_store.stats() == reference.stats()


def test_write_many_equals_writes_one_by_one(store: GraphStore) -> None:
    from graph.embedded import EmbeddedStore

    one_by_one = EmbeddedStore(None)
    for doc in (_doc("report:a", "海门"), _doc("report:b", "海门区")):
        one_by_one.write(doc)
    results = store.write_many([_doc("report:a", "海门"), _doc("report:b", "海门区")])
    assert [r.report_id for r in results] == ["report:a", "report:b"]
    assert store.export() == one_by_one.export()


def test_write_many_with_an_invalid_document_writes_nothing(store: GraphStore) -> None:
    store.write(_doc("report:a"))
    before = store.export()
    bad = _doc("report:c")
    bad.nodes.append(NodeRecord(id="x", label="Spaceship"))
    with pytest.raises(SchemaError):
        store.write_many([_doc("report:b", "海门区"), bad])
    assert store.export() == before


@pytest.mark.parametrize("batch_rows", [1, 1_000_000])
def test_write_many_reports_what_one_by_one_writes_report(
    store: GraphStore, batch_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Documents sharing tasks, departments and places, in one batch or one per transaction:
    the same graph and the same per-document results as writing them one by one."""
    from graph.embedded import EmbeddedStore
    from ingest.pipeline import process_file

    notices = Path(__file__).parent / "data" / "notices"
    paths = [notices / "suqian-2020-notice.txt", notices / "suqian-2020-h1.txt"]
    docs = [process_file(p).records for p in paths]
    docs.append(docs[0].model_copy(deep=True))  # the notice again: already present
    if store.backend == "neo4j":
        monkeypatch.setattr(type(store), "BATCH_ROWS", batch_rows)
    one_by_one = EmbeddedStore(None)
    expected = [one_by_one.write(d.model_copy(deep=True)) for d in docs]
    results = store.write_many([d.model_copy(deep=True) for d in docs])
    assert results == expected
    assert results[2].already_present and results[2].nodes_created == 0
    assert results[1].nodes_updated > 0 and results[1].edges_created > 0
    assert store.export() == one_by_one.export()


def test_write_many_pauses_the_cyclic_gc_and_restores_it(
    store: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    seen: list[bool] = []
    prepared = DocumentRecords.prepared

    def spy(self: DocumentRecords) -> DocumentRecords:
        seen.append(gc.isenabled())
        return prepared(self)

    monkeypatch.setattr(DocumentRecords, "prepared", spy)
    store.write_many([_doc("report:a")])
    bad = _doc("report:b")
    bad.nodes.append(NodeRecord(id="x", label="Spaceship"))
    with pytest.raises(SchemaError):
        store.write_many([bad])
    assert seen == [False, False] and gc.isenabled()


def test_kept_answers_are_frozen_until_the_graph_changes(store: GraphStore) -> None:
    """In a long-running process a kept answer leaves the collector's full passes
    (``gc.freeze``, graph.gc_pause) and comes back when a write changes the store's version:
    a cyclic answer dropped then is collected, not frozen for good."""
    import gc
    import weakref

    from graph.gc_pause import freeze_kept_answers
    from queries._common import VersionedCache

    class Answer:
        me: object = None

    def compute() -> Answer:
        answer = Answer()
        answer.me = answer  # a cycle: only the collector can free it
        return answer

    cache = VersionedCache(4)
    store.write(_doc("report:a"))
    cache.get(store, ("off",), compute)
    assert gc.get_freeze_count() == 0  # off unless a long-running process turns it on
    freeze_kept_answers()
    try:
        first = cache.get(store, ("k",), compute)
        ref = weakref.ref(first)
        assert gc.get_freeze_count() > 0
        assert not any(o is first for o in gc.get_objects())  # no pass scans it
        assert cache.get(store, ("k",), compute) is first
        del first
        store.write(_doc("report:b"))
        second = cache.get(store, ("k",), compute)
        assert ref() is None
        assert cache.get(store, ("k",), compute) is second
    finally:
        freeze_kept_answers(False)
    assert gc.get_freeze_count() == 0


def test_an_id_naming_another_label_is_refused(store: GraphStore) -> None:
    doc = _doc("report:a")
    doc.nodes.append(NodeRecord(id="place:海门港", label="Project", properties={"name": "海门港"}))
    with pytest.raises(SchemaError, match="names label Place"):
        store.write(doc)
    assert store.stats().reports == 0


def test_version_changes_with_every_write_and_only_then(store: GraphStore) -> None:
    v0 = store.version()
    assert store.version() == v0
    store.write(_doc("report:a"))
    v1 = store.version()
    assert v1 != v0 and store.version() == v1
    store.write(_doc("report:a"))  # nothing changes, but a transaction was committed
    store.delete_report("report:a")
    assert store.version() not in (v0, v1)
