"""Score extraction on a document against a gold annotation file.

    python scripts/eval.py data/nantong-2019-h1.txt tests/data/gold/nantong-2019-h1.gold.json [-v]

With no arguments, scores the bundled development set (tests/data/gold/*.gold.json) and
every held-out document tests/data/heldout/<name>.txt that has a gold file <name>.gold.json.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.evaluate import evaluate_file, format_report  # noqa: E402

DEV_SET = {
    "nantong-2019-h1.gold.json": ROOT / "data" / "nantong-2019-h1.txt",
    "yangzhou-2020-h1.gold.json": ROOT / "tests" / "data" / "yangzhou-2020-h1.txt",
    "taizhou-2021-q3.gold.json": ROOT / "tests" / "data" / "taizhou-2021-q3.txt",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("doc", nargs="?")
    parser.add_argument("gold", nargs="?")
    parser.add_argument("--city")
    parser.add_argument("--year", type=int)
    parser.add_argument("-v", "--verbose", action="store_true", help="list every difference")
    args = parser.parse_args(argv)
    if args.doc and args.gold:
        pairs = [(Path(args.doc), Path(args.gold))]
    else:
        gold_dir = ROOT / "tests" / "data" / "gold"
        pairs = [(doc, gold_dir / name) for name, doc in DEV_SET.items()]
        for doc in sorted((ROOT / "tests" / "data" / "heldout").glob("*.txt")):
            gold = gold_dir / f"{doc.stem}.gold.json"
            if gold.exists():
                pairs.append((doc, gold))
    for doc, gold in pairs:
        t0 = time.perf_counter()
        report = evaluate_file(doc, gold, city=args.city, year=args.year)
        print(f"== {doc.name} ({time.perf_counter() - t0:.2f} s)")
        print(format_report(report, errors=args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
