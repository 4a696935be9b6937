"""The embedded store's file: persistence, atomic replacement, crash safety."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from graph.embedded import EmbeddedStore
from graph.errors import StoreError
from tests.test_store import _doc


def test_persists_across_processes(tmp_path: Path) -> None:
    path = tmp_path / "g.pickle"
    EmbeddedStore(path).write(_doc("report:a"))
    reopened = EmbeddedStore(path)
    assert reopened.node("place:海门市").properties["name"] == "海门市"
    assert reopened.stats().total_nodes == 3


def test_failed_save_leaves_file_and_memory_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "g.pickle"
    store = EmbeddedStore(path)
    store.write(_doc("report:a"))
    before_bytes = path.read_bytes()
    before = store.export()

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk full")

    monkeypatch.setattr(pickle, "dump", boom)
    with pytest.raises(StoreError, match="disk full"):
        store.write(_doc("report:b", "海门区"))
    assert path.read_bytes() == before_bytes
    assert store.export() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_torn_temp_file_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "g.pickle"
    EmbeddedStore(path).write(_doc("report:a"))
    (tmp_path / ".graph-crash.tmp").write_bytes(b"\x80\x05half a pickle")
    assert EmbeddedStore(path).stats().total_nodes == 3


def test_corrupt_store_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "g.pickle"
    path.write_bytes(b"not a pickle")
    with pytest.raises(StoreError, match="cannot read the embedded store"):
        EmbeddedStore(path)


def test_other_process_writes_are_seen_before_writing(tmp_path: Path) -> None:
    path = tmp_path / "g.pickle"
    a, b = EmbeddedStore(path), EmbeddedStore(path)
    a.write(_doc("report:a"))
    os.utime(path, (1, 1))  # make the change visible even on coarse mtime clocks
    b.write(_doc("report:b", "海门区"))
    assert EmbeddedStore(path).node("place:海门市").properties["reports"] == [
        "report:a",
        "report:b",
    ]


def test_readers_keep_a_consistent_old_graph(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.pickle")
    store.write(_doc("report:a"))
    old = store.graph
    store.write(_doc("report:b", "海门区"))
    assert old.nodes["place:海门市"]["props"]["aliases"] == ["海门"]
    assert store.graph.nodes["place:海门市"]["props"]["aliases"] == ["海门", "海门区"]


def test_refresh_sees_another_process_write(tmp_path: Path) -> None:
    path = tmp_path / "g.pickle"
    server = EmbeddedStore(path)
    assert server.stats().total_nodes == 0
    EmbeddedStore(path).write(_doc("report:a"))  # the CLI, say
    os.utime(path, (2, 2))
    server.refresh()
    assert server.stats().total_nodes == 3


def test_a_replaced_graph_is_freed_without_the_cyclic_collector(tmp_path: Path) -> None:
    """Old copies must not wait for a full GC pass (writes pause the collector): a corpus
    written document by document would otherwise keep them all."""
    import gc
    import weakref

    store = EmbeddedStore(tmp_path / "g.pickle")
    store.write(_doc("report:a"))
    old = store.graph
    assert old.number_of_edges() == len(old.edges) == 1 and "edges" in vars(old)  # views cached
    ref = weakref.ref(old)
    del old
    was = gc.isenabled()
    gc.disable()
    try:
        store.write(_doc("report:b", "海门区"))
        assert ref() is None
    finally:
        if was:
            gc.enable()


def test_a_reader_keeps_using_a_replaced_graph(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "g.pickle")
    store.write(_doc("report:a"))
    reader = store.graph
    before = sorted(reader.nodes)
    store.write(_doc("report:b", "海门区"))
    assert "nodes" not in vars(reader)  # released: its views are rebuilt on use
    assert sorted(reader.nodes) == before and len(reader.edges) == 1
    assert reader.nodes["place:海门市"]["props"]["aliases"] == ["海门"]
    assert store.graph.nodes["place:海门市"]["props"]["aliases"] == ["海门", "海门区"]
