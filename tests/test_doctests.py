"""The examples in ingest's docstrings are true (they are how its functions are documented)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import ingest

MODULES = sorted(m.name for m in pkgutil.walk_packages(ingest.__path__, "ingest."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples fail in {name}"
