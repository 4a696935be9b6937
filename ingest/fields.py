"""A task's body split into its own text, its responsibility fields and its progress.

The genre writes who answers for a task in many ways, all read here:

* field lines after the task (``牵头单位:市发改委`` on the next lines) or inline after a
  clause end (``…以上。牵头单位:市发改委;责任单位:各县(市)区政府``);
* one bracket after the task holding every field (``(责任领导:X;牵头单位:Y;责任单位:Z)``,
  ``（牵头单位：X，配合单位：Y、Z）``, ``【牵头单位：X】``): a field ends where the next label
  begins, and the bracket is cut from the task text;
* verbs instead of labels: ``（X牵头，Y、Z配合）``, ``（X、Y等负责）``, ``（牵头：X；配合：Y）``,
  ``部门分工：X牵头，各地、各部门配合``;
* officials: ``分管市领导：张三``, ``（责任领导：李四副市长）``;
* and, for every task under it, a section heading: ``一、区发改局牵头工作（8项）``.

A bracket that holds no responsibility (``（含续建）``, ``（2021—2023年）``) stays in the text.
Every value is an exact, trimmed span of the document text.

>>> text = "1.建成5G基站1000个（牵头单位：市发展改革委，配合单位：市委组织部、各区、县级市）"
>>> body = split_task_body(text, 2, len(text))
>>> text[2:body.text_end]
'建成5G基站1000个'
>>> [(f.role, f.label, f.value.text) for f in body.fields]
[('lead', '牵头单位', '市发展改革委'), ('assist', '配合单位', '市委组织部、各区、县级市')]
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from ingest.columns import HEADER_ROLES, content_role, header_role, looks_like_unit
from ingest.labels import DIVISION_LABELS, INLINE_LABELS, label_role
from ingest.models import AssignmentField, FieldRole, Span
from ingest.officials import official_from_heading, official_from_text
from ingest.textutil import CN_DIGITS, fold_width

__all__ = [
    "FIELD_LABEL_RE",
    "HEADER_ROLES",
    "TaskBody",
    "content_role",
    "header_role",
    "heading_fields",
    "label_role",
    "split_task_body",
]


class TaskBody(BaseModel):
    """A task body split: the task's own text is ``text[start:text_end]``.

    ``progress`` is the span of the progress text after a ``进展情况:`` / ``完成情况:`` label.
    """

    text_end: int
    fields: list[AssignmentField] = Field(default_factory=list)
    progress: tuple[int, int] | None = None


_ALL = sorted(
    {n for names in INLINE_LABELS.values() for n in names} | set(DIVISION_LABELS),
    key=len,
    reverse=True,
)
_ALT = "|".join(_ALL)
# A label, an optional bracketed variant (牵头单位(部门)), then a colon.
_LABEL_TAIL = r"(?:\([^()\n]{1,8}\))?\s*[:：]"
# Kept for the segmenter: a label at a line start or after a clause end.
FIELD_LABEL_RE = re.compile(
    r"(?:(?<=^)|(?<=[\n。;；.!！?？\s]))[(（]?(" + _ALT + r")[)）]?" + _LABEL_TAIL, re.M
)
# In a body: a label after a line start, a clause end, a list separator or a bracket opener;
# a progress label may carry its period (1-6月进展情况, 上半年完成情况).
_PERIOD = (
    r"(?P<period>(?:截[至止])?(?:\d{1,2}\s*[-—–~至]\s*\d{1,2}\s*月(?:份)?(?:底|末)?"
    r"|\d{1,2}月(?:底|末)?|[上下]半年|前[一二三]季度|第?[一二三四]季度|本月|全年))?"
)
_LABEL_RE = re.compile(
    r"(?:(?<=^)|(?<=[\n。;.!?,、\s(\[【]))" + _PERIOD + r"(" + _ALT + r")" + _LABEL_TAIL, re.M
)
_OPEN, _CLOSE = "([【", ")]】"
_TRIM = " \t\r\n\u3000。;,、.:：!?"
_VERB_RE = re.compile(
    r"(?P<units>.+?)(?P<verb>分别牵头|共同牵头|牵头负责|牵头|主责|主办|共同负责|分别负责"
    r"|按职责分工负责|负责"
    r"|配合|参与|协同|协助|协办)$"
)
_VERB_ROLE: dict[str, FieldRole] = {
    "分别牵头": "lead",
    "共同牵头": "lead",
    "牵头负责": "lead",
    "牵头": "lead",
    "主责": "lead",
    "主办": "lead",
    "配合": "assist",
    "参与": "assist",
    "协同": "assist",
    "协助": "assist",
    "协办": "assist",
}
_CLAUSE_SEP = re.compile(r"[,;。]")
_VALUE_VERB = re.compile(r"(?:分别|共同)?(牵头负责|牵头|负责|配合)$")


def _trim(text: str, folded: str, a: int, b: int) -> Span:
    """``text[a:b]`` without surrounding space, punctuation and unbalanced brackets."""
    while True:
        a0, b0 = a, b
        while a < b and folded[a] in _TRIM:
            a += 1
        while b > a and folded[b - 1] in _TRIM:
            b -= 1
        if b > a and folded[b - 1] in _CLOSE:
            inner = folded[a : b - 1]
            if sum(inner.count(c) for c in _OPEN) <= sum(inner.count(c) for c in _CLOSE):
                b -= 1
        if b > a and folded[a] in _OPEN:
            inner = folded[a + 1 : b]
            if sum(inner.count(c) for c in _CLOSE) <= sum(inner.count(c) for c in _OPEN):
                a += 1
        if (a, b) == (a0, b0):
            return Span(start=a, end=b, text=text[a:b])


def _brackets(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """Outermost bracket pairs of ``folded[start:end]``: (opener, closer) offsets."""
    out, stack = [], []
    for i in range(start, end):
        ch = folded[i]
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            a = stack.pop()
            if not stack:
                out.append((a, i))
        elif ch == "\n":
            stack.clear()
    return out


def _labelled(text: str, folded: str, a: int, b: int, *, at_start: bool) -> list[AssignmentField]:
    """Fields ``label:value`` in ``[a, b)``; each value runs to the next label (``at_start``:
    the first label must open the stretch)."""
    labels = [m for m in _labels(folded, a, b) if _depth(folded, a, m.start()) == 0]
    if not labels or (at_start and folded[a:b][: labels[0].start() - a].strip(_TRIM)):
        return []
    out: list[AssignmentField] = []
    for m, nxt in zip(labels, [*labels[1:], None], strict=False):
        stop = nxt.start() if nxt is not None else b
        out.extend(_field(text, folded, m.group(2), m.group(0), m.end(), stop))
    return out


def _labels(folded: str, a: int, b: int) -> list[re.Match[str]]:
    """Label matches in ``[a, b)``; a period before anything but a progress label is no label."""
    return [
        m
        for m in _LABEL_RE.finditer(folded, a, b)
        if not m.group("period") or label_role(m.group(2)) == "progress"
    ]


def _depth(folded: str, a: int, i: int) -> int:
    """Bracket depth at ``i`` counted from ``a`` (a line break closes what is open)."""
    depth = 0
    for ch in folded[a:i]:
        if ch == "\n":
            depth = 0
        depth += (ch in _OPEN) - (ch in _CLOSE and depth > 0)
    return depth


def _field(
    text: str, folded: str, label: str, written: str, a: int, b: int
) -> list[AssignmentField]:
    value = _trim(text, folded, a, b)
    if label in DIVISION_LABELS:
        return _verb_fields(text, folded, value.start, value.end) or []
    if not value.text:
        return []
    role = label_role(written.rstrip(":： "))
    verb = _VALUE_VERB.search(fold_width(value.text))
    if verb and role in {"lead", "assist", "responsible"} and _units_ok(value.text[: verb.start()]):
        # 责任单位:市人社局、市农业农村局分别牵头 — the value's own verb says the role
        value = _trim(text, folded, value.start, value.start + verb.start())
        role = _VERB_ROLE.get(verb.group(1), role)
    return [AssignmentField(role=role, label=label, value=value)]


def _units_ok(units: str) -> bool:
    """Every piece of a unit list names a unit (``文化和旅游厅`` whole, else split at 和)."""
    pieces = [p for p in re.split(r"[、/,]", fold_width(units)) if p.strip()]
    if not pieces:
        return False
    for piece in pieces:
        if looks_like_unit(piece):
            continue
        parts = [p for p in re.split(r"和|及|与", piece) if p]
        if not parts or not all(looks_like_unit(p) for p in parts):
            return False
    return True


def _verb_fields(text: str, folded: str, a: int, b: int) -> list[AssignmentField] | None:
    """``X牵头,Y、Z配合`` / ``X、Y等负责`` as fields; ``None`` unless every clause reads so."""
    out: list[AssignmentField] = []
    pos = a
    for m in [*_CLAUSE_SEP.finditer(folded, a, b), None]:
        stop = m.start() if m else b
        clause = _trim(text, folded, pos, stop)
        pos = m.end() if m else b
        if not clause.text:
            continue
        v = _VERB_RE.fullmatch(fold_width(clause.text))
        if v is None:
            return None
        units = _trim(text, folded, clause.start + v.start("units"), clause.start + v.end("units"))
        if folded[units.start] == "由":
            units = _trim(text, folded, units.start + 1, units.end)
        pieces = [p for p in re.split(r"[、/]|和|及|与", fold_width(units.text)) if p]
        role: FieldRole = _VERB_ROLE.get(v.group("verb"), "responsible")
        if pieces and all(official_from_text(p) is not None for p in pieces):
            role = "official"
        elif not _units_ok(units.text):
            return None
        out.append(AssignmentField(role=role, label=v.group("verb"), value=units))
    return out or None


def _bracket_fields(text: str, folded: str, a: int, b: int) -> list[AssignmentField] | None:
    """The fields a bracket ``folded[a] … folded[b]`` holds; ``None`` when it holds none."""
    found = _labelled(text, folded, a + 1, b, at_start=True) or _verb_fields(text, folded, a + 1, b)
    if (not found and folded[b + 1 :].strip(_TRIM) == "") or (
        not found and _closes_task(folded, b)
    ):
        # (市人社局、市财政局) closing a task: its units alone, the first leading
        inner = _trim(text, folded, a + 1, b)
        pieces = [p for p in re.split(r"[、/,]", fold_width(inner.text)) if p.strip()]
        if inner.text and _units_ok(inner.text) and all(_UNIT_NAME.search(p) for p in pieces):
            found = [AssignmentField(role="responsible", label="", value=inner)]
    return found or None


# a unit's own name, not a kind of work that happens to end like one (含续建, 以上项目)
_UNIT_NAME = re.compile(r"(?:局|委|办|厅|署|院|部|政府|管委会|中心|公司|集团|银行|街道|联|会)$")


def _closes_task(folded: str, b: int) -> bool:
    """The bracket ends the task's sentence: a line end or the text's end follows."""
    rest = folded[b + 1 : b + 3]
    return rest[:1] in ("", "\n") or rest.strip(_TRIM) == ""


def _cut_bracket(folded: str, start: int, end: int) -> int | None:
    """The opener of a bracket still open where the whole text ends (a copy cut inside
    ``(市医疗保障局、市卫生健康委``), when ``end`` is that end and the bracket is on one line."""
    if folded[end:].strip():
        return None
    stack: list[int] = []
    for i in range(start, end):
        ch = folded[i]
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            stack.pop()
        elif ch == "\n":
            stack.clear()
    return stack[0] if len(stack) == 1 else None


def _line_end(folded: str, a: int, stop: int) -> int:
    """Where a field line's value ends: its line end, or further when the line ends in a list
    separator (``市发改委、`` wrapped onto the next line); a full stop with more text after it
    ends the value too (``牵头单位:市民政局。其中,…``: a unit list holds no sentence)."""
    stop = _sentence_end(folded, a, stop)
    while True:
        nl = folded.find("\n", a, stop)
        if nl == -1:
            return stop
        line = folded[a:nl].rstrip(" \t\r\u3000")
        if line and line[-1] not in "、,":
            return nl
        a = nl + 1  # empty value after the label, or a wrapped list: take the next line


def _sentence_end(folded: str, a: int, stop: int) -> int:
    dot = folded.find("。", a, stop)
    if dot == -1 or not folded[dot + 1 : stop].strip():
        return stop
    return dot


def split_task_body(text: str, start: int, end: int) -> TaskBody:
    """Split ``text[start:end]`` (a task after its number) into text, fields and progress.

    >>> t = "推进A（含续建）。\\n牵头单位:市发改委\\n进展情况:已开工。"
    >>> b = split_task_body(t, 0, len(t))
    >>> t[:b.text_end], [f.value.text for f in b.fields], t[slice(*b.progress)]
    ('推进A（含续建）。', ['市发改委'], '已开工。')
    """
    folded = fold_width(text)
    labels = [m for m in _labels(folded, start, end) if _depth(folded, start, m.start()) == 0]
    progress: tuple[int, int] | None = None
    fields: list[AssignmentField] = []
    zone = labels[0].start() if labels else end  # where the field lines start
    for m, nxt in zip(labels, [*labels[1:], None], strict=False):
        if progress is not None and progress[0] <= m.start() < progress[1]:
            continue  # a label quoted in progress text
        if label_role(m.group(2)) == "progress":
            if not _progress_label(folded, m):
                continue
            later = [x.start() for x in labels if x.start() > m.start() and _bol(folded, x)]
            progress = progress or _trim_space(folded, m.end(), later[0] if later else end)
            continue
        stop = _line_end(folded, m.end(), nxt.start() if nxt is not None else end)
        fields.extend(_field(text, folded, m.group(2), m.group(0), m.end(), stop))
    text_end = zone
    own: list[AssignmentField] = []
    pairs = _brackets(folded, start, zone)
    cut = _cut_bracket(folded, start, zone)
    if cut is not None:
        pairs.append((cut, zone))  # the copy ends inside the task's bracket of units
    for a, b in reversed(pairs):
        found = _bracket_fields(text, folded, a, b)
        if found is None:
            continue
        own = found + own
        if not folded[b + 1 : text_end].strip(_TRIM):
            text_end = a  # a trailing bracket: cut from the task text
    if progress is None:
        # a progress report may go on from the task's text without a label: 上半年,…
        period = _UNLABELLED_PROGRESS.search(folded, start, text_end)
        if period is not None:
            progress = _trim_space(folded, period.start("p"), text_end)
            text_end = period.start("p")
    while text_end > start and folded[text_end - 1] in " \t\r\n\u3000":
        text_end -= 1
    return TaskBody(text_end=text_end, fields=own + fields, progress=progress)


# after a sentence of the task: a reporting period and a comma, then what was done
_UNLABELLED_PROGRESS = re.compile(
    r"(?<=[。;；\n])\s*(?P<p>(?:上半年|前三季度|一季度|今年以来|年初以来|"
    r"1\s*[-—~至]\s*\d{1,2}\s*月份?|截至(?:目前|\d{1,2}\s*月(?:底|末|\d{1,2}日)?))\s*[,，])"
)


def _bol(folded: str, m: re.Match[str]) -> bool:
    return m.start() == 0 or folded[m.start() - 1] == "\n"


def _progress_label(folded: str, m: re.Match[str]) -> bool:
    """Progress labels open progress at a line start or after a clause end, not after a comma."""
    return m.start() == 0 or folded[m.start() - 1] in "\n。;.!?\t \u3000"


def _trim_space(folded: str, a: int, b: int) -> tuple[int, int]:
    while a < b and folded[a].isspace():
        a += 1
    while b > a and folded[b - 1].isspace():
        b -= 1
    return a, b


_NUMBERING = re.compile(
    rf"^\s*(?:[{CN_DIGITS}]{{1,4}}\s*[、.]|\(\s*[{CN_DIGITS}\d]{{1,4}}\s*\)|\d{{1,3}}\s*[、.])\s*"
)
_HEADING_VERB = re.compile(
    r"^(?:由)?(?P<units>.+?)(?P<verb>牵头负责|牵头|主抓|负责|领衔)"
    r"(?:的)?(?:重点)?(?:工作|任务|事项)?(?:\(\s*\d{1,3}\s*项\s*\))?[。.]?\s*$"
)

_OFFICIAL_VERB = re.compile(r"(?:同志)?(牵头负责|牵头|主抓|负责|领衔|分管|联系|挂钩|领办|督办)")


def heading_fields(text: str, start: int, end: int) -> list[AssignmentField]:
    """The lead a section heading names for every task under it (``[]`` for a plain heading).

    ``start`` may point at the heading's numbering (``一、``, ``（二）``) or after it.

    >>> t = "（二）市教育局牵头（5项）"
    >>> [(f.role, f.value.text) for f in heading_fields(t, 0, len(t))]
    [('lead', '市教育局')]
    >>> t = "一、李四副市长牵头负责"
    >>> [(f.role, f.value.text) for f in heading_fields(t, 0, len(t))]
    [('official', '李四副市长')]
    >>> heading_fields("一、着力稳增长促发展", 0, 10)
    []
    """
    folded = fold_width(text)
    numbering = _NUMBERING.match(folded[start:end])
    a = start + (numbering.end() if numbering else 0)
    official = official_from_heading(Span(start=a, end=end, text=text[a:end]))
    if official is not None:
        span = Span(
            start=official.offset,
            end=official.offset + len(official.surface),
            text=official.surface,
        )
        verb = _OFFICIAL_VERB.match(folded, span.end, end)
        label = verb.group(1) if verb else ""
        return [AssignmentField(role="official", label=label, value=span)]
    m = _HEADING_VERB.match(folded[a:end]) or _HEADING_COUNT.match(folded[a:end])
    if m is None:
        return []
    units = _trim(text, folded, a + m.start("units"), a + m.end("units"))
    if not _units_ok(units.text) or not _UNIT_NAME.search(units.text):
        return []
    return [AssignmentField(role="lead", label=m.group("verb") or "", value=units)]


# （二）市经济和信息化局（5项）: a unit and the count of the tasks it leads under it
_HEADING_COUNT = re.compile(r"^(?P<units>[^,，。;；]{2,30}?)(?P<verb>)\(\s*\d{1,3}\s*项\s*\)\s*$")
