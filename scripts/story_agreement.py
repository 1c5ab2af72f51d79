"""Story linking on a built corpus, before and after: agreement with the news-cluster labels.

    python scripts/story_agreement.py CORPUS_DIR [--shared ../shared]

CORPUS_DIR is a corpus built by the real ingest (``python -m flashpoint.eval.corpus
--corpus-dir CORPUS_DIR``). Nothing is written: the script reads its ``articles`` and
``events`` tables and prints, for the stories stored with the corpus ("stored") and for the
stories the current ``build_stories`` links from the same events ("relinked"):

* story purity and completeness against the news-cluster ``event_label``
  (``flashpoint.eval.corpus.story_agreement``);
* how many stories there are, how many are day-precise, and how many of those hold more
  than one article (a launch reported by twenty articles but split into twenty stories
  shows as many single-article stories);
* how long linking took, and with ``--scale N`` how long it takes on N copies of the
  events (each copy moved on by 20 years, so the copies are other events, not 20 more
  reports of the same ones).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from flashpoint import store
from flashpoint.analysis.stories import build_stories
from flashpoint.eval import DEFAULT_SHARED_DIR
from flashpoint.eval.corpus import NEWS_CLUSTER, read_labels, story_agreement


def _story_counts(events: pd.DataFrame, articles: pd.DataFrame) -> str:
    """Stories, day-precise stories, and day-precise stories with more than one article,
    counted from the events' ``story_id`` (so stored and relinked are counted alike)."""
    linked = events[events["story_id"].notna()]
    duplicate = articles.set_index("article_id")["duplicate_of"].astype("object")
    key = linked["article_id"].map(duplicate)
    key = key.where(key.notna() & (key.astype(str) != ""), linked["article_id"])
    day = linked["date_precision"].isin(["day", "datetime"])
    per_story = (
        linked.assign(article_key=key.astype(str), day=day)
        .groupby("story_id")
        .agg(n_articles=("article_key", "nunique"), day=("day", "any"))
    )
    day_stories = per_story[per_story["day"]]
    multi = int((day_stories["n_articles"] > 1).sum())
    return (
        f"{len(per_story)} stories, {len(day_stories)} day-precise,"
        f" {multi} day-precise with more than one article"
    )


def _copies(events: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` copies of the events, copy k with ids suffixed and dates 20·k years later."""
    year = pd.to_numeric(events["event_date"].astype("object").str.slice(0, 4), errors="coerce")
    rest = events["event_date"].astype("object").str.slice(4)
    frames = []
    for k in range(n):
        shifted = (year + 20 * k).astype("Int64").astype(str) + rest
        frames.append(
            events.assign(
                event_id=events["event_id"].astype(str) + f"#{k}",
                event_date=shifted.where(events["event_date"].notna(), None),
            )
        )
    return pd.concat(frames, ignore_index=True)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus_dir", type=Path)
    parser.add_argument("--scale", type=int, default=0, help="also time N copies")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED_DIR)
    args = parser.parse_args(list(argv) if argv is not None else None)
    labels_path = args.shared / "corpora" / NEWS_CLUSTER
    if not labels_path.is_file():
        print(f"{labels_path} is absent: nothing to measure")
        return 0
    labels = read_labels(labels_path)
    corpus = store.load_corpus(args.corpus_dir, tables=("articles", "events"))
    articles, stored = corpus.articles, corpus.events
    print(f"{args.corpus_dir}: {len(articles)} articles, {len(stored)} events")

    started = time.perf_counter()
    _, relinked = build_stories(stored.drop(columns=["story_id"]), articles)
    seconds = time.perf_counter() - started

    for name, events in (("stored", stored), ("relinked", relinked)):
        print(f"\n== {name} stories: {_story_counts(events, articles)}")
        print(story_agreement(events, articles, labels).table())
    print(f"\nrelinking {len(stored)} events took {seconds:.2f} s")
    if args.scale > 1:
        copies = _copies(stored.drop(columns=["story_id"]), args.scale)
        started = time.perf_counter()
        build_stories(copies, articles)
        print(f"relinking {len(copies)} events took {time.perf_counter() - started:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
