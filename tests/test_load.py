"""Decoding: encodings detected, garbage refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import ParseError
from ingest.load import load_file
from tests.conftest import SAMPLE


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16"])
def test_encodings_decode_to_the_same_text(tmp_path: Path, encoding: str) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    path = tmp_path / f"sample-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    loaded = load_file(path)
    assert loaded.text == text
    assert loaded.sha256 == load_file(SAMPLE).sha256


def test_crlf_line_ends_are_normalised(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes("一、产业\r\n1.甲。\r\n".encode())
    assert load_file(path).text == "一、产业\n1.甲。\n"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(ParseError, match="empty"):
        load_file(path)


def test_binary_garbage_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "garbage.bin"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ParseError) as info:
        load_file(path)
    assert str(path) in str(info.value) and info.value.line is not None


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        load_file(tmp_path / "nope.txt")


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(ParseError, match="over the limit"):
        load_file(path, max_bytes=1000)
