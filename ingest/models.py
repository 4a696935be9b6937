"""Typed results of each ingest stage."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

__all__ = [
    "Assignment",
    "AssignmentField",
    "ChapterSeg",
    "Figure",
    "LoadedDocument",
    "Mention",
    "ProgressSeg",
    "SegmentedDocument",
    "Span",
    "TargetMention",
    "TaskExtraction",
    "TaskPart",
    "TaskSeg",
]


class LoadedDocument(BaseModel):
    """A decoded source document."""

    path: str
    text: str
    encoding: str
    sha256: str
    size: int
    format: str = "txt"


class Span(BaseModel):
    """A stretch of the decoded text: ``text == doc.text[start:end]``."""

    start: int
    end: int
    text: str


# What a task's field or a table column holds: who answers for the task (official, lead,
# assist, responsible: the first leads when no lead is named), its progress, and the other
# properties tables carry (deadline, status against schedule, the schedule, investment, note).
FieldRole = Literal[
    "official",
    "lead",
    "assist",
    "responsible",
    "progress",
    "deadline",
    "status",
    "schedule",
    "investment",
    "invested",
    "note",
    "other",
]


class AssignmentField(BaseModel):
    """A responsibility field of a task, e.g. ``牵头单位:市发改委`` (label, then value span)."""

    role: FieldRole
    label: str
    value: Span


class ProgressSeg(BaseModel):
    span: Span
    items: list[Span] = Field(default_factory=list)
    sentences: list[Span] = Field(default_factory=list)


class TaskPart(BaseModel):
    """More text of a task outside its main span (a sub-row, a 目标 column) and the progress
    written beside it."""

    text: Span
    progress: Span | None = None


class TaskSeg(BaseModel):
    number: int
    line: int
    text: Span
    sentences: list[Span] = Field(default_factory=list)
    progress: ProgressSeg | None = None
    fields: list[AssignmentField] = Field(default_factory=list)
    # which numbered list of the document the task belongs to (省/市/县 lists each from 1)
    section: int = 1
    complete: bool = True  # False: the copy stops inside this task
    # columns that are neither task, progress nor responsibility: 完成时限, 是否达序, 备注 …
    properties: dict[str, str] = Field(default_factory=dict)
    # where each of those columns' cells is in the text (a planned and a done investment
    # column become a target and its figure)
    cells: dict[str, Span] = Field(default_factory=dict)
    more: list[TaskPart] = Field(default_factory=list)

    @property
    def key(self) -> str:
        """The task's key within its plan: its number, prefixed by its list after the first.

        >>> TaskSeg(number=3, line=1, text=Span(start=0, end=1, text="x"), section=2).key
        '2-3'
        """
        return str(self.number) if self.section == 1 else f"{self.section}-{self.number}"


class ChapterSeg(BaseModel):
    number: int
    title: Span | None
    line: int
    numbered: bool = True
    # the heading names the official in charge: a task group, not a plan chapter
    official: Span | None = None
    tasks: list[TaskSeg] = Field(default_factory=list)

    @property
    def is_plan_chapter(self) -> bool:
        """A heading of the plan itself (not an official's group, not the implicit chapter 0)."""
        return self.official is None and self.title is not None


class SegmentedDocument(BaseModel):
    path: str
    text: str
    layout: str
    preamble: Span | None = None
    chapters: list[ChapterSeg] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    @property
    def tasks(self) -> list[TaskSeg]:
        return [t for c in self.chapters for t in c.tasks]


EntityLabel = Literal["Department", "Official", "Project", "Document", "Place", "Organization"]


class Mention(BaseModel):
    """An entity named in the text, at ``offset``; ``name`` is its canonical form."""

    label: EntityLabel
    surface: str
    offset: int
    name: str
    kind: str | None = None
    part: Literal["task", "progress", "assignment"] = "task"
    sentence: str = ""
    places: list[str] = Field(default_factory=list)  # canonical places inside a project name
    parent: str | None = None  # enclosing place of a Place, when known
    level: str | None = None  # Department level
    # identity (ingest.identity): the id is <label>:[<scope>:]<key>; None = by name as before
    key: str | None = None
    scope: str | None = None  # None = shared across plans; a province, city or city:place
    scope_place: str | None = None  # the sentence's place that scopes a generic name
    part_of: str | None = None  # the line a named section belongs to (北沿江高铁南通段)


class Figure(BaseModel):
    value: float
    unit: str
    text: str
    offset: int


class TargetMention(BaseModel):
    metric: str
    value: float
    unit: str
    qualifier: str = ""
    text: str
    offset: int
    actual: Figure | None = None
    ratio: float | None = None


class TaskExtraction(BaseModel):
    mentions: list[Mention] = Field(default_factory=list)
    targets: list[TargetMention] = Field(default_factory=list)


class Assignment(BaseModel):
    """Who answers for a task: an official (OVERSEES) or a department (LEADS / ASSISTS)."""

    role: Literal["official", "lead", "assist"]
    name: str  # canonical
    surface: str
    offset: int  # -1 for inferred edges without one deciding span
    source: Literal["assignment", "inferred"] = "assignment"
    score: float | None = None
    evidence: list[str] = Field(default_factory=list)
    sentence: str = ""
    rank: int = 0
    level: str | None = None
    kind: str | None = None  # department | collective
    title: str | None = None  # an official's post
    aliases: list[str] = Field(default_factory=list)
