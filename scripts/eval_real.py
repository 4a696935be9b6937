"""Score govgraph on the real documents of tests/data/real/ (annotated per docs/ANNOTATION.md).

    python scripts/eval_real.py [-v] [--write-floors] [NAME ...]

Prints, per document, the checks passed (tasks, officials, lead and assisting units, targets,
reported figures; extra units count as failed checks) and the total; ``-v`` lists each failed
check; ``--write-floors`` records each document's share, less 0.03, as its floor in
tests/data/real/floors.json (the figure tests/test_real.py keeps it above).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.checks import check_document, load_gold  # noqa: E402

REAL = ROOT / "tests" / "data" / "real"


def documents(names: list[str]) -> list[tuple[Path, Path]]:
    out = []
    for gold in sorted(REAL.glob("*.gold.json")):
        slug = gold.name[: -len(".gold.json")]
        doc = REAL / load_gold(gold)["document"]
        if names and slug not in names:
            continue
        out.append((doc, gold))
    return out


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    names = [a for a in argv if not a.startswith("-")]
    passed = total = 0
    floors: dict[str, float] = {}
    print(f"{'document':44} {'tasks':>9} {'checks':>11} {'share':>6}  refused")
    for doc, gold_path in documents(names):
        gold = load_gold(gold_path)
        r = check_document(doc, gold)
        floors[doc.name] = max(0.0, math.floor((r.share - 0.03) * 100) / 100)
        passed += r.passed
        total += r.total
        refused = (r.refused or "")[:60] if r.refused else ""
        tasks = f"{r.tasks_found}/{r.tasks_annotated}"
        print(f"{doc.name:44} {tasks:>9} {r.passed:>5}/{r.total:<5} {r.share:6.1%}  {refused}")
        if verbose:
            for f in r.failures:
                print(f"    - {f}")
    share = passed / total if total else 1.0
    print(f"{'all':44} {'':>9} {passed:>5}/{total:<5} {share:6.1%}")
    if "--write-floors" in argv:
        out = REAL / "floors.json"
        out.write_text(json.dumps(floors, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"floors written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
