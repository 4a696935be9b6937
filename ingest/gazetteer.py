"""Gazetteer: China's administrative divisions, countries, regions and water bodies.

General knowledge only, shipped as two JSON files under ``ingest/data/``:

* ``places.json`` — every province, prefecture and county-level division with its
  short forms (built from jionlp's dictionary by :func:`build_places`, including
  historical names such as 海门市 -> 海门区), plus the world's countries;
* ``vocab.json`` — regions, major water bodies, government bodies, and the head
  nouns and boundary words the extractors use.

Both load lazily, once per process (:func:`gazetteer`, :func:`vocab`).  County
short forms (如东, 邗江) are ambiguous nationwide, so they are matched only for
counties of the document's own province (:func:`document_province`).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick

__all__ = [
    "Gazetteer",
    "PlaceEntry",
    "build_places",
    "common_words",
    "document_province",
    "gazetteer",
    "vocab",
]

DATA = Path(__file__).parent / "data"
# Divisions that are really development zones: projects, not places.
_ZONE_WORDS = (
    "开发区",
    "高新技术",
    "园区",
    "示范区",
    "试验区",
    "管理区",
    "新城",
    "合作区",
    "保税",
    "综合区",
    "度假区",
    "风景区",
    "产业区",
    "工业区",
    "实验区",
    "功能区",
)


@dataclass(frozen=True)
class PlaceEntry:
    """One place name as it may be written."""

    name: str  # canonical (the full name; historical names stay themselves)
    kind: str  # province | city | county | country | region | water
    parent: str = ""  # enclosing division's full name
    province: str = ""
    short: bool = False  # a county short form: needs the document's province
    successor: str = ""  # current name of a historical division


@dataclass
class Gazetteer:
    """Place names in an Aho-Corasick automaton (surface -> entries)."""

    automaton: Any
    entries: dict[str, list[PlaceEntry]] = field(default_factory=dict)
    city_province: dict[str, str] = field(default_factory=dict)

    def matches(self, text: str, province: str | None) -> list[tuple[int, int, PlaceEntry]]:
        """All place names in ``text`` as (start, end, entry); overlapping matches kept.

        >>> g = gazetteer()
        >>> text = "赴成都、西安考察"
        >>> [(text[a:b], e.kind) for a, b, e in g.matches(text, None)]
        [('成都', 'city'), ('西安', 'city')]
        """
        out: list[tuple[int, int, PlaceEntry]] = []
        for end, surface in self.automaton.iter(text):
            start = end - len(surface) + 1
            for entry in self.entries[surface]:
                if entry.short and entry.province != province:
                    continue
                out.append((start, end + 1, entry))
                break
        return out


@lru_cache(maxsize=1)
def vocab() -> dict[str, Any]:
    """The extraction vocabulary (``ingest/data/vocab.json``), loaded once.

    >>> "工信部" in vocab()["ministries"]
    True
    """
    with (DATA / "vocab.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Common (non-proper) Chinese words, to tell a generic phrase from a name.

    >>> "信息" in common_words(), "扬杰" in common_words()
    (True, False)
    """
    with (DATA / "common_words.txt").open(encoding="utf-8") as f:
        return frozenset(w.strip() for w in f if w.strip() and not w.startswith("#"))


def _is_zone(name: str) -> bool:
    return any(w in name for w in _ZONE_WORDS)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The place gazetteer, built once per process (about 40 ms)."""
    with (DATA / "places.json").open(encoding="utf-8") as f:
        data = json.load(f)
    v = vocab()
    stop = set(v["short_alias_stop"])
    entries: dict[str, list[PlaceEntry]] = {}

    def add(surface: str, entry: PlaceEntry) -> None:
        if len(surface) >= 2 and surface not in stop:
            entries.setdefault(surface, []).append(entry)

    city_province: dict[str, str] = {}
    for full, level, parent, province, aliases, successor in data["divisions"]:
        if _is_zone(full):
            continue
        entry = PlaceEntry(full, level, parent, province, successor=successor)
        add(full, entry)
        if level == "city":
            city_province[full] = province
        for alias in aliases:
            if level == "county":
                add(alias, PlaceEntry(full, level, parent, province, short=True))
            else:
                add(alias, entry)
        if level == "county" and successor == "" and full[-1] in "市县" and len(full) >= 3:
            # the other county-level suffix, for names written before or after a change
            pass
    for name, full_name, capital, cities in data["world"]:
        if name.endswith(":"):
            continue
        add(name, PlaceEntry(name, "country"))
        add(full_name, PlaceEntry(name, "country"))
        if capital and capital != name:
            add(capital, PlaceEntry(capital, "city", name))
        for c in cities:
            add(c, PlaceEntry(c, "city", name))
    for name in v["regions"]:
        add(name, PlaceEntry(name, "region"))
    for name in v["waters"]:
        add(name, PlaceEntry(name, "water"))
    for surface in entries:
        # a full name first, so that short forms of other divisions lose ties
        entries[surface].sort(key=lambda e: (e.short, e.kind == "country"))
    automaton = ahocorasick.Automaton()
    for surface in entries:
        automaton.add_word(surface, surface)
    automaton.make_automaton()
    return Gazetteer(automaton, entries, city_province)


@lru_cache(maxsize=8)
def document_province(text: str) -> str | None:
    """The province most of a document's prefecture-level names belong to.

    >>> document_province("南通市、南通港和如东县;南京")
    '江苏省'
    """
    g = gazetteer()
    votes: Counter[str] = Counter()
    for _, _, entry in g.matches(text, None):
        if entry.kind == "city" and entry.province:
            votes[entry.province] += 1
        elif entry.kind == "county" and entry.province:
            votes[entry.province] += 0.5  # type: ignore[assignment]
    return votes.most_common(1)[0][0] if votes else None


def build_places(out: Path = DATA / "places.json") -> int:  # pragma: no cover - needs jionlp
    """Rebuild ``places.json`` from jionlp's dictionaries (run by hand; jionlp is not a dependency).

    Returns the number of divisions written.
    """
    import jionlp

    root = Path(jionlp.__file__).parent / "dictionary"
    loc = jionlp.china_location_loader()

    def aliases(node: dict[str, Any], full: str) -> list[str]:
        a = node.get("_alias") or []
        return sorted({a} - {full} if isinstance(a, str) else set(a) - {full})

    rows: list[list[Any]] = []
    for prov, pv in loc.items():
        rows.append([prov, "province", "", prov, aliases(pv, prov), ""])
        for city, cv in pv.items():
            if city.startswith("_"):
                continue
            rows.append([city, "city", prov, prov, aliases(cv, city), ""])
            for county, tv in cv.items():
                if not county.startswith("_"):
                    rows.append([county, "county", city, prov, aliases(tv, county), ""])
    known = {r[0] for r in rows}
    for line in (root / "china_location_change.txt").read_text(encoding="utf-8").splitlines():
        if "=>" not in line:
            continue
        old_part, new_part = line.split("=>")
        old, new = old_part.split("\t")[2:], new_part.split("\t")
        if len(old) >= 6 and len(new) >= 3:
            name, level, parent, successor = old[4], "county", new[1], new[2]
        elif len(old) >= 4 and len(new) >= 2:
            name, level, parent, successor = old[2], "city", new[0], new[1]
        else:
            continue
        if name not in known and name != successor:
            known.add(name)
            rows.append([name, level, parent, new[0], [], successor])
    world = []
    for line in (root / "world_location.txt").read_text(encoding="utf-8").splitlines():
        p = line.strip().split("\t")
        if len(p) >= 2:
            world.append(
                [p[0], p[1], p[2] if len(p) > 2 else "", p[3].split("/") if len(p) > 3 else []]
            )
    payload = {
        "source": "jionlp china_location, china_location_change, world_location",
        "divisions": rows,
        "world": world,
    }
    out.write_text(json.dumps(payload, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return len(rows)
