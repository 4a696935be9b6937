"""Extract: entities and targets named in a task's text and progress text.

``extract_task`` is the stage's entry point; each entity type has its own
module (documents, places, organizations, projects, targets).  Offsets are
absolute (into the decoded document text).

Where candidates overlap, one reading wins: nothing is read inside a 《》 title
or an unbracketed title; a place inside a project name is kept (通州湾 in
通州湾精品钢基地) but not one inside an organization name; a company or bank
inside a project name is kept (交通银行 in 交通银行综合后台服务中心) unless the project
is the company's own phase (恒科纺织二期); otherwise
the longer candidate wins.
"""

from __future__ import annotations

from ingest.extract.documents import document_mentions, unbracketed_mentions
from ingest.extract.organizations import company_aliases, org_candidates
from ingest.extract.places import place_candidates
from ingest.extract.projects import project_candidates
from ingest.extract.spans import Candidate
from ingest.extract.targets import column_targets, pair_targets, target_mentions
from ingest.models import Mention, Span, TaskExtraction, TaskSeg

__all__ = ["extract_task", "part_mentions", "sentence_at"]

_KEEP_INSIDE_PROJECT = {"company", "bank"}


def sentence_at(sentences: list[Span], offset: int) -> str:
    """The sentence holding ``offset`` (empty when none does)."""
    for s in sentences:
        if s.start <= offset < s.end:
            return s.text
    return ""


def _parts(task: TaskSeg) -> list[tuple[str, Span, list[Span]]]:
    parts: list[tuple[str, Span, list[Span]]] = [("task", task.text, task.sentences)]
    if task.progress is not None:
        parts.append(("progress", task.progress.span, task.progress.sentences))
    for more in task.more:
        parts.append(("task", more.text, task.sentences))
        if more.progress is not None and (
            task.progress is None or more.progress != task.progress.span
        ):
            parts.append(
                ("progress", more.progress, task.progress.sentences if task.progress else [])
            )
    return parts


def _longest(cands: list[Candidate]) -> list[Candidate]:
    keep: list[Candidate] = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), -c.priority, c.start)):
        if not any(c.overlaps(k) for k in keep):
            keep.append(c)
    return keep


def _resolve(
    places: list[Candidate], orgs: list[Candidate], projects: list[Candidate]
) -> tuple[list[Candidate], list[Candidate], list[Candidate]]:
    projects = _longest(projects)
    kept_orgs = []
    for o in orgs:
        host = next((p for p in projects if o.overlaps(p)), None)
        if host is None or (
            o.inside(host) and o.kind in _KEEP_INSIDE_PROJECT and not host.extra.get("owned")
        ):
            kept_orgs.append(o)
        elif (host.start, host.end) == (o.start, o.end) or host.inside(o):
            projects.remove(host)  # an organization's name, not a project
            kept_orgs.append(o)
        elif o.end - o.start > host.end - host.start:
            projects.remove(host)
            kept_orgs.append(o)
    kept_places = [
        p
        for p in places
        if not any(p.overlaps(o) for o in kept_orgs)
        and all(p.inside(q) or not p.overlaps(q) for q in projects)
    ]
    return kept_places, kept_orgs, projects


def part_mentions(
    text: str, start: int, end: int, aliases: frozenset[str] = frozenset()
) -> list[Mention]:
    """Every entity mention in ``text[start:end]`` (offsets absolute, ``part`` not set).

    >>> t = "推动通州湾精品钢基地建设,赴上海交大对接,经省林业局认定。"
    >>> [(m.label, m.surface) for m in part_mentions(t, 0, len(t))]
    [('Place', '通州湾'), ('Project', '通州湾精品钢基地'), ('Organization', '上海交大'), \
('Organization', '省林业局')]
    """
    mentions = list(document_mentions(text, start, end))
    mask = [(m.offset - 1, m.offset + len(m.surface) + 1) for m in mentions]
    unbracketed = list(unbracketed_mentions(text, start, end, mask))
    mentions += unbracketed
    mask += [(m.offset, m.offset + len(m.surface)) for m in unbracketed]
    places = place_candidates(text, start, end, mask)
    orgs = org_candidates(text, start, end, mask, aliases)
    projects = project_candidates(text, start, end, places, orgs, mask)
    places, orgs, projects = _resolve(places, orgs, projects)
    for c in places:
        surface = c.surface(text)
        mentions.append(
            Mention(
                label="Place",
                surface=surface,
                offset=c.start,
                name=c.name or surface,
                kind=c.kind,
                parent=c.extra.get("parent") or None,
            )
        )
    for c in orgs:
        surface = c.surface(text)
        mentions.append(
            Mention(
                label=c.label,
                surface=surface,
                offset=c.start,
                name=c.name or surface,
                kind=c.kind,
                level=c.level,
            )
        )
    for c in projects:
        surface = c.surface(text)
        inner = [p.name or p.surface(text) for p in places if p.inside(c)]
        mentions.append(
            Mention(
                label="Project",
                surface=surface,
                offset=c.start,
                name=surface,
                kind=c.kind,
                places=inner,
            )
        )
    mentions.sort(key=lambda m: m.offset)
    return mentions


def extract_task(text: str, task: TaskSeg) -> TaskExtraction:
    """Mentions and targets of one task.

    >>> from ingest.segment import segment
    >>> doc = segment("1.落实《港口条例》,新增企业20家。\\n进展情况:①新增企业12家。\\n")
    >>> ex = extract_task(doc.text, doc.tasks[0])
    >>> [(m.label, m.surface) for m in ex.mentions]
    [('Document', '港口条例')]
    >>> [(t.value, t.unit, t.actual.value) for t in ex.targets]
    [(20.0, '家', 12.0)]
    """
    mentions: list[Mention] = []
    parts = _parts(task)
    # a company written once with its legal name is named by its short form elsewhere
    aliases = frozenset().union(*(company_aliases(text, s.start, s.end) for _, s, _ in parts))
    for part, span, sentences in parts:
        for m in part_mentions(text, span.start, span.end, aliases):
            m.part = part  # type: ignore[assignment]
            m.sentence = sentence_at(sentences, m.offset)
            mentions.append(m)
    targets = target_mentions(text, task.text.start, task.text.end)
    if task.progress is not None and targets:
        pair_targets(text, targets, task.progress.span.start, task.progress.span.end)
    for more in task.more:
        open_targets = [t for t in targets if t.actual is None]
        if more.progress is not None and not more.text.text and open_targets:
            # a second progress column (形象进度 beside 前期手续) reports on the task's text
            pair_targets(text, open_targets, more.progress.start, more.progress.end)
        found = target_mentions(text, more.text.start, more.text.end)
        if more.progress is not None and found:
            pair_targets(text, found, more.progress.start, more.progress.end)
        targets.extend(found)
    targets.extend(column_targets(text, task))
    return TaskExtraction(mentions=mentions, targets=targets)
