"""What the learned event filter adds to the NLP stage: the pipeline with the rules alone
vs the same Docs then run through ``flashpoint_event_filter``, measured in the same run (a
ratio, comparable across machines). Not a test: nothing here asserts a time.

    python benchmarks/event_filter.py [--articles N]

Uses the first N Korea Herald rows of ../shared/corpora when present, else the demo corpus.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"
sys.path.insert(0, str(REPO))


def texts(n: int) -> list[str]:
    source = SHARED / "koreaherald_2015_2017_security.csv"
    if source.is_file():
        csv.field_size_limit(1 << 30)
        with source.open(encoding="utf-8", newline="") as handle:
            rows = []
            for i, row in enumerate(csv.DictReader(handle)):
                if i >= n:
                    break
                rows.append(row.get("text") or "")
            return rows
    return [p.read_text(encoding="utf-8") for p in sorted((REPO / "data/sample").rglob("*.md"))][:n]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()

    from flashpoint.nlp.pipeline import EVENT_FILTER, load_pipeline

    nlp = load_pipeline(event_filter=True)
    event_filter = nlp.get_pipe(EVENT_FILTER)
    batch = texts(args.articles)
    with nlp.select_pipes(disable=[EVENT_FILTER]):
        list(nlp.pipe(batch[:5]))  # warm up
        started = time.perf_counter()
        docs = list(nlp.pipe(batch, batch_size=16))
        rules = time.perf_counter() - started
    rows = sum(len(doc._.event_rows or ()) for doc in docs)
    started = time.perf_counter()
    for doc in docs:
        event_filter(doc)
    added = time.perf_counter() - started
    print(f"articles                {len(docs)} ({rows} events)")
    print(f"pipeline, rules alone   {rules:.2f} s ({len(docs) / rules:.1f} articles/s)")
    print(f"event filter on top     {added:.3f} s")
    print(f"filter / pipeline       {added / rules:.3%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
