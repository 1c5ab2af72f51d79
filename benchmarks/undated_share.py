"""How many asserted events get no date, on a fixed seeded sample of ../shared/corpora.

Issue #11 tracks the share of *asserted* events the pipeline leaves undated on the real
corpus. Processing all ~4,300 articles takes long on a shared machine; this draws a fixed,
seeded sample (default 400 articles, proportional to the corpora, so mostly Korea Herald),
cleans and dates the rows the way ingest and the evaluation do, runs
``flashpoint.nlp.process.process_batch`` and prints the undated share of asserted events
overall and per event type, plus the most common undated triggers. Not a test: nothing here
asserts a number.

    python benchmarks/undated_share.py [--articles 400] [--seed 11] [--dump /tmp/undated.jsonl]

``--dump`` writes every undated asserted event (article id, trigger, type, sentence) to a file
OUTSIDE the repository for reading; never commit it (it quotes corpus text).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO))

CORPORA = (
    "koreaherald_2015_2017_security.csv",
    "reuters_isot_sample_security.csv",
    "giveme5w1h_news_cluster_security.csv",
)


def sample_rows(shared: Path, n: int, seed: int) -> list[dict[str, Any]]:
    """A seeded random sample of n rows over all corpora together (so proportional)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    keyed: list[tuple[str, dict[str, str]]] = []
    for corpus in CORPORA:
        path = shared / "corpora" / corpus
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            keyed += [(corpus, row) for row in csv.DictReader(handle)]
    keyed.sort(key=lambda item: (item[0], item[1]["id"]))
    chosen = random.Random(seed).sample(keyed, min(n, len(keyed)))
    return [_row(corpus, row) for corpus, row in chosen]


def _row(corpus: str, row: dict[str, str]) -> dict[str, Any]:
    from flashpoint.ingest.clean import clean_body
    from flashpoint.ingest.pubdate import apply_stated_precision, parse_publication_date

    cleaned = clean_body(row.get("text") or "", title=row.get("title"))
    published, precision = parse_publication_date(row.get("date"))
    published, precision = apply_stated_precision(published, precision, row.get("date_precision"))
    return {
        "article_id": f"{corpus.split('_', 1)[0]}:{row['id']}",
        "text": cleaned.text,
        "title": row.get("title"),
        "published": published,
        "published_precision": precision,
        "dateline": cleaned.dateline,
        "source": row.get("source"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--dump", type=Path, help="write undated asserted events here (JSONL)")
    args = parser.parse_args()
    if args.dump and REPO in args.dump.resolve().parents:
        parser.error("--dump must point outside the repository (it quotes corpus text)")

    from flashpoint.nlp.pipeline import load_pipeline
    from flashpoint.nlp.process import process_batch

    rows = sample_rows(args.shared, args.articles, args.seed)
    if not rows:
        print(f"no corpora under {args.shared / 'corpora'}")
        return 1
    texts = {row["article_id"]: row["text"] for row in rows}
    events = process_batch(rows, load_pipeline()).events
    asserted = events[events["modality"] == "asserted"]
    undated = asserted[asserted["event_date"].isna()]
    share = len(undated) / len(asserted) if len(asserted) else 0.0
    print(f"articles {len(rows)}  events {len(events)}  asserted {len(asserted)}")
    print(f"undated asserted: {len(undated)}/{len(asserted)} = {share:.1%}")
    precision = Counter(asserted["date_precision"].fillna("unknown"))
    print("asserted by date precision:", dict(precision.most_common()))
    print("undated share by type:")
    for event_type, group in asserted.groupby("event_type"):
        n_undated = int(group["event_date"].isna().sum())
        print(f"  {event_type:15s} {n_undated:4d}/{len(group):4d} = {n_undated / len(group):.1%}")
    print(f"most common undated triggers (top {args.top}):")
    triggers = Counter(str(t).lower() for t in undated["trigger"])
    for trigger, count in triggers.most_common(args.top):
        print(f"  {count:4d}  {trigger}")
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as handle:
            for record in undated.to_dict("records"):
                text = texts[record["article_id"]]
                sentence = text[int(record["start_char"]) : int(record["end_char"])]
                handle.write(
                    json.dumps(
                        {
                            "article_id": record["article_id"],
                            "event_type": record["event_type"],
                            "trigger": record["trigger"],
                            "sentence": sentence,
                        }
                    )
                    + "\n"
                )
        print(f"wrote {len(undated)} undated asserted events to {args.dump}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
