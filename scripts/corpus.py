"""A seeded generator of realistic work plans, progress reports and assignment notices.

Scale 1 is the bundled sample's size: one plan of 100 tasks, about 66,000
characters.  Scale N is N plans of 100 tasks each (1000 = 100,000 tasks): a
real plan holds 50-150 tasks, so the generator keeps numbering realistic by
spreading tasks over plans of different cities and years (100 cities in one
year, then the next year ...) rather than writing one plan of 100,000 tasks.
``--single-plan`` writes the one huge plan instead (for size limits).

Each plan gets one document; by its index it is a progress report (6 in 10, list
layout, period H1 / Q3 / FY, half of them with 牵头单位 fields), an assignment
notice (3 in 10: list, pipe-table and flat-table layouts) or the bare plan
(1 in 10).  The same seed and scale always give the same bytes::

    python scripts/corpus.py --scale 10 --seed 1 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make ``scripts`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.corpus_vocab import (
    BANKS,
    CHAPTERS,
    CITIES,
    CLOSING_CHAPTER,
    DEPARTMENTS,
    DOC_KINDS,
    GIVEN,
    INDUSTRIES,
    PLACE_STEMS,
    PROGRESS_VERBS,
    SURNAMES,
)

__all__ = [
    "GeneratedDocument",
    "PlanSpec",
    "documents",
    "generate",
    "main",
    "plan_specs",
    "render",
    "single_plan",
]

CN_NUMERALS = "一二三四五六七八九十"
YEARS = (2019, 2020, 2021, 2022, 2023, 2024, 2015, 2016, 2017, 2018)
PERIOD_WORDS = {"H1": "上半年", "Q3": "前三季度", "FY": "全年"}
PERIOD_MONTHS = {"H1": 5, "Q3": 8, "FY": 11}
ITEM_MARKS = "①②③④⑤⑥"


@dataclass(frozen=True)
class PlanSpec:
    """Which document to write: its plan, kind, layout and size."""

    index: int
    city: str
    year: int
    kind: str  # progress | assignment | plan
    layout: str  # list | pipe-table | flat-table
    period: str | None  # H1 | Q3 | FY for progress reports
    tasks: int
    fields: bool  # progress reports: do tasks carry 牵头单位 fields?

    @property
    def name(self) -> str:
        suffix = {
            "progress": f"progress-{self.period}",
            "assignment": "assignment",
            "plan": "plan",
        }[self.kind]
        return f"{self.index:04d}-{self.city}-{self.year}-{suffix}.txt"


@dataclass
class TaskTruth:
    number: int
    chapter: int
    documents: list[str] = field(default_factory=list)
    lead: list[str] = field(default_factory=list)
    assist: list[str] = field(default_factory=list)
    has_progress: bool = False


@dataclass
class GeneratedDocument:
    spec: PlanSpec
    text: str
    tasks: list[TaskTruth]
    chapters: int

    def summary(self) -> dict[str, object]:
        return {
            **asdict(self.spec),
            "name": self.spec.name,
            "chars": len(self.text),
            "chapters": self.chapters,
            "task_count": len(self.tasks),
        }


def plan_specs(scale: int, plan_tasks: int = 100, single_plan: bool = False) -> list[PlanSpec]:
    """The documents of a corpus ``scale`` times the sample's size (scale 1: one report)."""
    if scale < 1 or plan_tasks < 1:
        raise ValueError("scale and plan_tasks must be at least 1")
    if single_plan:
        return [
            PlanSpec(0, CITIES[0], YEARS[0], "progress", "list", "H1", scale * plan_tasks, False)
        ]
    specs = []
    for i in range(scale):
        city = CITIES[i % len(CITIES)]
        year = YEARS[(i // len(CITIES)) % len(YEARS)]
        if i // (len(CITIES) * len(YEARS)):  # beyond 1,300 plans: a later decade
            year += 10 * (i // (len(CITIES) * len(YEARS)))
        slot = i % 10
        if slot in (3, 6, 9):
            layout = {3: "list", 6: "pipe-table", 9: "flat-table"}[slot]
            specs.append(PlanSpec(i, city, year, "assignment", layout, None, plan_tasks, True))
        elif slot == 7:
            specs.append(PlanSpec(i, city, year, "plan", "list", None, plan_tasks, False))
        else:
            period = ("H1", "Q3", "FY")[i % 3]
            specs.append(
                PlanSpec(i, city, year, "progress", "list", period, plan_tasks, bool(i % 2))
            )
    return specs


class _Writer:
    """Genre phrases for one document, drawn from one seeded random stream."""

    def __init__(self, spec: PlanSpec, seed: int) -> None:
        self.spec = spec
        self.rng = random.Random(f"govgraph-corpus:{seed}:{spec.index}:{spec.city}:{spec.year}")
        r = self.rng
        self.places = [s + r.choice("区县市") for s in r.sample(PLACE_STEMS, 8)]
        self.towns = [s + "镇" for s in r.sample(PLACE_STEMS, 6)]
        self.officials = [r.choice(SURNAMES) + r.choice(GIVEN) + r.choice(GIVEN) for _ in range(6)]

    # -- names -----------------------------------------------------------------------------
    def num(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def dec(self, lo: float, hi: float) -> str:
        return f"{self.rng.uniform(lo, hi):.1f}".rstrip("0").rstrip(".")

    def place(self) -> str:
        return self.rng.choice(self.places)

    def document(self, topic: str) -> str:
        y = self.spec.year
        kind = self.rng.choice(DOC_KINDS).format(y=y, y2=y + 2, y3=y + 6)
        if self.rng.random() < 0.35:
            return f"关于加快{topic}的{kind}"
        return f"{self.spec.city}市{topic}{kind}"

    def project(self) -> str:
        r, p = self.rng, self.place()
        a, b = r.sample(PLACE_STEMS, 2)
        choice = r.randrange(8)
        return [
            f"{a[0]}{b[0]}铁路",
            f"{a}至{b}高速",
            f"{p}{r.choice(INDUSTRIES)}产业园",
            f"{p[:-1]}港区{r.randint(2, 12)}万吨级码头",
            f"{p[:-1]}长江大桥",
            f"轨道交通{r.randint(1, 4)}号线",
            f"{p}{r.choice(INDUSTRIES)}基地",
            f"{self.spec.city}{r.choice(INDUSTRIES)}产业园",
        ][choice]

    def organization(self) -> str:
        r = self.rng
        return r.choice(
            [
                f"{r.choice(PLACE_STEMS)}{r.choice(INDUSTRIES)}科技有限公司",
                f"{self.spec.city}大学",
                f"中国{r.choice(BANKS)}银行{self.spec.city}分行",
                f"{self.spec.city}市{r.choice(INDUSTRIES)}产业联盟",
                f"{r.choice(PLACE_STEMS)}集团",
            ]
        )

    def departments(self, n: int) -> list[str]:
        return self.rng.sample(DEPARTMENTS, n)

    # -- clauses ---------------------------------------------------------------------------
    def target(self, topic: str) -> str:
        r = self.rng
        return r.choice(
            [
                f"新增{r.choice(INDUSTRIES)}企业{self.num(5, 300)}家",
                f"{topic}投资达{self.dec(10, 900)}亿元左右",
                f"{topic}规模增长{self.dec(3, 15)}%以上",
                f"力争新增省级以上{topic}平台{self.num(2, 30)}个",
                f"完成{topic}项目{self.num(10, 200)}个",
                f"培育{topic}示范企业{self.num(3, 50)}家",
                f"{topic}覆盖率达到{self.num(60, 99)}%",
            ]
        )

    def task_text(self, topic: str, truth: TaskTruth) -> str:
        r = self.rng
        doc = self.document(topic)
        truth.documents.append(doc)
        sentences = [
            r.choice([f"落实《{doc}》,", f"深入实施《{doc}》,", f"制定出台《{doc}》,"])
            + f"{r.choice(['加快', '持续', '全面', '深入'])}推进{topic},{self.target(topic)}。",
        ]
        if r.random() < 0.5:
            sentences.append(f"加快推进{self.project()}、{self.project()}建设。")
        if r.random() < 0.2:
            sentences.append(
                f"支持{self.place()}建设{r.choice(INDUSTRIES)}特色{r.choice(['园区', '小镇'])},"
                f"引进{self.organization()}等一批领军型企业,{self.target(topic)}。"
            )
        return "".join(sentences)

    def progress(self, topic: str, truth: TaskTruth) -> str:
        r, period = self.rng, self.spec.period or "H1"
        head = (
            f"1-{PERIOD_MONTHS[period]}月,全市{topic}同比增长{self.dec(2, 20)}%。"
            if r.random() < 0.4
            else ""
        )
        items = []
        for mark in ITEM_MARKS[: r.randint(2, 4)]:
            parts = [
                r.choice(
                    [
                        f"{self.departments(1)[0]}牵头召开全市{topic}推进会,"
                        f"部署{self.num(5, 40)}项重点工作",
                        f"{self.project()}{r.choice(PROGRESS_VERBS)}投资{self.dec(1, 80)}亿元,"
                        f"占年度计划的{self.num(30, 110)}%",
                        f"{self.place()}{r.choice(INDUSTRIES)}产业园"
                        f"{r.choice(['开工建设', '建成投产', '主体完工'])}",
                        f"{r.choice(PROGRESS_VERBS)}{topic}项目{self.num(3, 90)}个,"
                        f"完成年度目标的{self.num(30, 120)}%",
                        f"{self.organization()}与{self.organization()}签订战略合作协议",
                        f"组织{self.num(5, 60)}家企业赴{r.choice(CITIES)}开展{topic}对接活动",
                    ]
                )
                for _ in range(r.randint(1, 2))
            ]
            if r.random() < 0.3:
                doc = self.document(topic)
                truth.documents.append(doc)
                parts.append(f"出台《{doc}》")
            items.append(mark + "。".join(parts) + "。")
        return "进展情况:" + head + "".join(items)


def _chapter_sizes(rng: random.Random, tasks: int) -> list[int]:
    """Tasks per chapter: ten numbered chapters and the closing one, each at least one."""
    chapters = min(11, tasks)
    weights = [rng.uniform(0.7, 1.4) for _ in range(chapters)]
    if chapters == 11:
        weights[-1] *= 0.5
    sizes = [max(1, int(tasks * w / sum(weights))) for w in weights]
    sizes[0] += tasks - sum(sizes)
    while sizes[0] < 1:  # rounding took too much from the first chapter
        j = max(range(chapters), key=lambda k: sizes[k])
        sizes[j] -= 1
        sizes[0] += 1
    return sizes


def _chapter_heading(number: int, chapters: int, layout: str) -> tuple[str, tuple[str, ...]]:
    if chapters == 11 and number == 11:
        title, topics = CLOSING_CHAPTER
        # tables number every heading; a list ends on the unnumbered one, as the sample does
        return (title if layout == "list" else f"十一、{title}"), topics
    title, topics = CHAPTERS[(number - 1) % len(CHAPTERS)]
    return f"{_cn(number)}、{title}", topics


def _cn(n: int) -> str:
    if n <= 10:
        return CN_NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    head = CN_NUMERALS[tens - 1] if tens > 1 else ""
    return head + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def _preamble(spec: PlanSpec) -> list[str]:
    c, y, n = spec.city, spec.year, spec.tasks
    if spec.kind == "progress":
        words = PERIOD_WORDS[spec.period or "H1"]
        return [
            f"{c}市{y}年重点工作任务{words}进展情况",
            f"{y}年初,{c}市政府研究确定了{n}项重点工作任务,由市政府分管领导牵头负责、"
            f"责任部门(协同部门)和责任主体具体落实。{words},通过全市上下的共同努力,"
            f"{n}项重点工作总体进展顺利。具体如下:",
        ]
    if spec.kind == "assignment":
        return [
            f"{c}市人民政府关于印发{c}市{y}年重点工作任务责任分解的通知",
            "各县(市)区人民政府,市各委、办、局,市各直属单位:",
            f"现将{c}市{y}年{n}项重点工作任务责任分解印发给你们,请认真抓好落实。",
        ]
    return [f"{c}市{y}年重点工作任务", f"{y}年,{c}市政府确定{n}项重点工作任务如下:"]


def render(spec: PlanSpec, seed: int) -> GeneratedDocument:
    """One document of the corpus, with what a correct parse must find."""
    w = _Writer(spec, seed)
    sizes = _chapter_sizes(w.rng, spec.tasks)
    lines = _preamble(spec)
    header = ["序号", "工作任务", "牵头市领导", "牵头单位", "配合单位"]
    if spec.layout == "pipe-table":
        lines += ["| " + " | ".join(header) + " |", "| --- | --- | --- | --- | --- |"]
    elif spec.layout == "flat-table":
        lines += header
    truths: list[TaskTruth] = []
    number = 0
    for chapter, size in enumerate(sizes, start=1):
        heading, topics = _chapter_heading(chapter, len(sizes), spec.layout)
        lines.append(heading)
        for _ in range(size):
            number += 1
            topic = w.rng.choice(topics)
            truth = TaskTruth(number=number, chapter=chapter)
            text = w.task_text(topic, truth)
            official = w.rng.choice(w.officials)
            depts = w.departments(w.rng.randint(2, 4))
            truth.lead, truth.assist = depts[:1], depts[1:]
            lines += _task_lines(spec, w, number, text, official, depts, topic, truth)
            truths.append(truth)
    if spec.kind == "assignment" and spec.layout == "list":  # issuer and date close a notice
        lines += [f"{spec.city}市人民政府", f"{spec.year}年{w.num(1, 3)}月{w.num(1, 28)}日"]
    return GeneratedDocument(
        spec=spec, text="\n".join(lines) + "\n", tasks=truths, chapters=len(sizes)
    )


def _task_lines(
    spec: PlanSpec,
    w: _Writer,
    number: int,
    text: str,
    official: str,
    depts: list[str],
    topic: str,
    truth: TaskTruth,
) -> list[str]:
    lead, assist = depts[0], "、".join(depts[1:])
    if spec.layout == "pipe-table":
        return [f"| {number} | {text} | {official} | {lead} | {assist} |"]
    if spec.layout == "flat-table":
        return [str(number), text, official, lead, assist]
    lines = [f"{number}.{text}"]
    if spec.fields:
        lines += [f"牵头市领导:{official}", f"牵头单位:{lead}", f"配合单位:{assist}"]
    else:
        truth.lead, truth.assist = [], []
    if spec.kind == "progress":
        lines.append(w.progress(topic, truth))
        truth.has_progress = True
    return lines


def documents(
    scale: int, seed: int, plan_tasks: int = 100, single_plan: bool = False
) -> Iterator[GeneratedDocument]:
    """The corpus, one document at a time (a 1000x corpus is never held whole)."""
    for spec in plan_specs(scale, plan_tasks, single_plan):
        yield render(spec, seed)


def single_plan(tasks: int, seed: int = 0) -> str:
    """One progress report of ``tasks`` tasks (about 660 characters each)."""
    spec = PlanSpec(0, CITIES[0], YEARS[0], "progress", "list", "H1", tasks, False)
    return render(spec, seed).text


def generate(
    scale: int, seed: int, out: Path, plan_tasks: int = 100, single_plan: bool = False
) -> dict[str, object]:
    """Write the corpus to ``out`` (UTF-8 .txt files and ``manifest.json``); return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    docs, chars, tasks = [], 0, 0
    for doc in documents(scale, seed, plan_tasks, single_plan):
        (out / doc.spec.name).write_text(doc.text, encoding="utf-8")
        docs.append(doc.summary())
        chars += len(doc.text)
        tasks += len(doc.tasks)
    manifest: dict[str, object] = {
        "scale": scale,
        "seed": seed,
        "plan_tasks": plan_tasks,
        "single_plan": single_plan,
        "documents": len(docs),
        "tasks": tasks,
        "chars": chars,
        "files": docs,
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return manifest


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--scale", type=int, default=1, help="times the sample's 100 tasks")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="directory to write")
    parser.add_argument("--plan-tasks", type=int, default=100, help="tasks per plan")
    parser.add_argument(
        "--single-plan",
        action="store_true",
        help="one plan holding every task instead of one plan per 100",
    )
    args = parser.parse_args(argv)
    m = generate(args.scale, args.seed, args.out, args.plan_tasks, args.single_plan)
    print(
        f"{m['documents']} documents, {m['tasks']:,} tasks, {m['chars']:,} characters -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
