"""Inferred responsibility: the departments most likely to answer for a task no notice assigned.

Each municipal department of the directory is scored against the task from
what the document says about it:

* ``named:`` — the department itself is named in the task or progress text
  (``市行政审批局``);
* ``counterpart:`` — its national or provincial counterpart is named
  (``省工信厅`` points to 市工业和信息化局);
* ``remit:`` — words of its remit appear in the task or progress text
  (``招商引资`` -> 市商务局); a word shared by several remits counts less;
* ``document:`` — a remit word in the title of a policy document the task serves;
* ``chapter:`` — a remit word in the chapter heading (a weak hint).

The best department leads (``role="lead"``); the next ones assist when they
score at least half the lead's raw score.  Scores are in [0, 1]
(``1 - exp(-raw / 3)``); ``evidence`` lists what decided them.  Officials are
never inferred.

>>> from ingest.segment import segment
>>> doc = segment("1.狠抓招商引资,引进外资项目40个。\\n进展情况:①市商务局组织招商活动。\\n")
>>> a = inferred_assignments(doc, doc.chapters[0], doc.tasks[0], TaskExtraction(), "南通")[0]
>>> a.role, a.name, a.source, a.evidence[:2]
('lead', '市商务局', 'inferred', ['remit:招商引资', 'named:市商务局'])
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import ahocorasick

from ingest.departments import DIRECTORY, DepartmentEntry, find_units
from ingest.models import Assignment, ChapterSeg, SegmentedDocument, TaskExtraction, TaskSeg
from ingest.officials import official_from_heading
from ingest.textutil import fold_width

__all__ = ["DepartmentScore", "department_scores", "inferred_assignments"]

# Weight of one piece of evidence, by kind and by the part of the task it is found in.
# The headline is the task's first sentence, which usually says what the task is about.
NAMED = {"headline": 3.0, "task": 3.0, "progress": 2.0}
COUNTERPART = {"headline": 1.0, "task": 1.0, "progress": 0.7}
REMIT = {"headline": 1.5, "task": 1.0, "progress": 0.5, "document": 0.5, "chapter": 0.3}
ASSIST_RATIO = 0.5  # an assist scores at least this share of the lead's raw score
ASSIST_MIN = 1.5  # ... and at least this raw score
MAX_ASSISTS = 3
SCALE = 3.0  # score = 1 - exp(-raw / SCALE)


@dataclass
class DepartmentScore:
    """A candidate department's raw score and the evidence behind it."""

    entry: DepartmentEntry
    raw: float = 0.0
    evidence: dict[str, float] = field(default_factory=dict)

    def add(self, label: str, weight: float) -> None:
        self.raw += weight
        self.evidence[label] = self.evidence.get(label, 0.0) + weight

    @property
    def score(self) -> float:
        return 1.0 - math.exp(-self.raw / SCALE)

    def evidence_list(self, limit: int = 8) -> list[str]:
        ranked = sorted(self.evidence.items(), key=lambda kv: (-kv[1], kv[0]))
        return [label for label, _ in ranked[:limit]]


class _Scores(dict[str, DepartmentScore]):
    """Scores created on first use, for candidate departments only."""

    def __missing__(self, name: str) -> DepartmentScore:
        self[name] = DepartmentScore(DIRECTORY[name])
        return self[name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name in DIRECTORY and _candidate(DIRECTORY[name])


def _candidate(entry: DepartmentEntry) -> bool:
    return entry.level == "市" and entry.kind == "department" and entry.known


@cache
def _remit() -> tuple[ahocorasick.Automaton, dict[str, tuple[str, ...]]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for entry in DIRECTORY.values():
        if _candidate(entry):
            for word in entry.remit:
                owners[fold_width(word)].append(entry.name)
    automaton = ahocorasick.Automaton()
    for word in owners:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton, {w: tuple(names) for w, names in owners.items()}


def _word_weight(word: str, owners: int) -> float:
    """Longer words say more; a word in several remits says less about each."""
    return (0.5 + 0.25 * min(len(word), 4)) / math.sqrt(owners)


def _remit_hits(text: str, part: str, scores: dict[str, DepartmentScore], prefix: str) -> None:
    automaton, owners = _remit()
    counts: dict[str, int] = defaultdict(int)
    for _, word in automaton.iter_long(fold_width(text)):  # leftmost-longest: 养老保险, not 养老
        counts[word] += 1
    for word, n in counts.items():
        names = owners[word]
        weight = REMIT[part] * _word_weight(word, len(names)) * (1 + 0.3 * (min(n, 4) - 1))
        for name in names:
            scores[name].add(f"{prefix}:{word}", weight)


def department_scores(
    doc: SegmentedDocument,
    chapter: ChapterSeg,
    task: TaskSeg,
    extraction: TaskExtraction,
    city: str,
) -> list[DepartmentScore]:
    """Every municipal department with any evidence for the task, best first."""
    scores: dict[str, DepartmentScore] = _Scores()
    head_end = task.sentences[0].end if task.sentences else task.text.end
    parts = [("headline", task.text.start, head_end), ("task", head_end, task.text.end)]
    if task.progress is not None:
        parts.append(("progress", task.progress.span.start, task.progress.span.end))
    for part, start, end in parts:
        _remit_hits(doc.text[start:end], part, scores, "remit")
        for unit in find_units(doc.text, city, start, end):
            target = unit.entry.name if _candidate(unit.entry) else unit.entry.counterpart
            if target is None or target not in scores:
                continue
            if unit.entry.level == "市":
                scores[target].add(f"named:{unit.entry.name}", NAMED[part])
            else:
                scores[target].add(f"counterpart:{unit.surface}", COUNTERPART[part])
    for m in extraction.mentions:
        if m.label == "Document":
            _remit_hits(m.name, "document", scores, "document")
        elif m.label == "Department" and m.name in scores:
            scores[m.name].add(f"named:{m.name}", NAMED.get(m.part, NAMED["progress"]))
    if chapter.title is not None and official_from_heading(chapter.title) is None:
        _remit_hits(chapter.title.text, "chapter", scores, "chapter")
    found = [s for s in scores.values() if s.raw > 0]
    return sorted(found, key=lambda s: (-s.raw, s.entry.name))


def inferred_assignments(
    doc: SegmentedDocument,
    chapter: ChapterSeg,
    task: TaskSeg,
    extraction: TaskExtraction,
    city: str,
) -> list[Assignment]:
    """The likely lead department and assisting ones (``source="inferred"``), best first.

    Empty when nothing in the text points to any department.
    """
    ranked = department_scores(doc, chapter, task, extraction, city)
    if not ranked:
        return []
    best = ranked[0]
    floor = max(ASSIST_MIN, ASSIST_RATIO * best.raw)
    chosen = [best, *[s for s in ranked[1:] if s.raw >= floor][:MAX_ASSISTS]]
    return [
        Assignment(
            role="lead" if rank == 0 else "assist",
            name=s.entry.name,
            surface="",
            offset=-1,
            source="inferred",
            score=round(s.score, 4),
            evidence=s.evidence_list(),
            rank=rank,
            level=s.entry.level,
            kind=s.entry.kind,
        )
        for rank, s in enumerate(chosen)
    ]
