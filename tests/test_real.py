"""Real documents of other places (tests/data/real/): each is read, or refused, as annotated.

Every document of the development set has a test: it must be ingested (or refused, for the
one that is not a work plan) and pass at least the share of its checks measured when its
floor was set (tests/data/real/floors.json, a little under the measured share), so a
regression on any one of them fails here.  ``python scripts/eval_real.py -v`` lists the
checks that fail today.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.checks import check_document, load_gold

REAL = Path(__file__).resolve().parent / "data" / "real"
FLOORS: dict[str, float] = json.loads((REAL / "floors.json").read_text(encoding="utf-8"))
GOLDS = sorted(REAL.glob("*.gold.json"))


def test_the_set_is_what_the_issue_asks_for() -> None:
    golds = [load_gold(g) for g in GOLDS]
    places = {g["place"] for g in golds}
    assert len(golds) >= 25 and len(places) >= 12
    suffixes = {Path(g["document"]).suffix for g in golds}
    assert {".txt", ".html", ".xlsx", ".docx", ".pdf"} <= suffixes
    assert all(g["source"].startswith("http") for g in golds)
    sources = (REAL / "SOURCES.md").read_text(encoding="utf-8")
    assert all(g["document"] in sources for g in golds)
    assert set(FLOORS) == {g["document"] for g in golds}


# Documents the reader still refuses though they hold tasks, and why; each test fails (strict
# xfail) the day the document is read, so that this list is kept true.
# documents the reader still refuses although they hold a complete task, with the reason
KNOWN_REFUSED: dict[str, str] = {}


def _case(gold_path: Path):  # type: ignore[no-untyped-def]
    name = load_gold(gold_path)["document"]
    marks = (
        [pytest.mark.xfail(reason=KNOWN_REFUSED[name], strict=True)]
        if name in KNOWN_REFUSED
        else []
    )
    return pytest.param(gold_path, marks=marks, id=gold_path.name.removesuffix(".gold.json"))


@pytest.mark.parametrize("gold_path", [_case(g) for g in GOLDS])
def test_real_document(gold_path: Path) -> None:
    gold = load_gold(gold_path)
    result = check_document(REAL / gold["document"], gold)
    if gold["expect"] == "refuse":
        assert result.refused, "a page that is not a work plan must be refused"
        return
    complete = [t for t in gold["tasks"] if t.get("complete", True)]
    if complete:
        assert result.refused is None, f"refused: {result.refused}"
    floor = FLOORS[gold["document"]]
    assert result.share >= floor, (
        f"{result.passed}/{result.total} checks pass, under the floor {floor:.0%}:\n"
        + "\n".join(result.failures)
    )
