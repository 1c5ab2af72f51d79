"""Draw the articles of a gold set from ../shared/corpora, reproducibly.

The sealed test set (tests/data/gold_events_test.jsonl) and the second dev set
(tests/data/gold_events_dev.jsonl) were drawn with this script before the system was run on
them: a seeded random sample per corpus, leaving out every article another gold file labels.
Only ids are printed; no article text leaves ../shared.

    python scripts/sample_gold_articles.py --seed 20261206 --test 105,30,15 --dev 30,10,5
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

CORPORA = (
    "koreaherald_2015_2017_security.csv",
    "reuters_isot_sample_security.csv",
    "giveme5w1h_news_cluster_security.csv",
)
REPO = Path(__file__).resolve().parent.parent


def labelled_refs(gold_dir: Path) -> set[tuple[str, str]]:
    refs: set[tuple[str, str]] = set()
    for path in gold_dir.glob("gold_events_*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                record = json.loads(line)
                refs.add((record.get("corpus") or "sample", record["ref"]))
    return refs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--test", required=True, help="articles per corpus, comma-separated")
    parser.add_argument("--dev", required=True, help="articles per corpus, comma-separated")
    args = parser.parse_args()
    csv.field_size_limit(sys.maxsize)
    taken = labelled_refs(REPO / "tests" / "data")
    rng = random.Random(args.seed)
    test_counts = [int(n) for n in args.test.split(",")]
    dev_counts = [int(n) for n in args.dev.split(",")]
    for corpus, n_test, n_dev in zip(CORPORA, test_counts, dev_counts, strict=True):
        with (args.shared / "corpora" / corpus).open(encoding="utf-8", newline="") as handle:
            ids = sorted(row["id"] for row in csv.DictReader(handle))
        free = [i for i in ids if (corpus, i) not in taken]
        drawn = rng.sample(free, n_test + n_dev)
        for split, chosen in (("test", drawn[:n_test]), ("dev", drawn[n_test:])):
            for ref in sorted(chosen):
                print(json.dumps({"split": split, "corpus": corpus, "ref": ref}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
