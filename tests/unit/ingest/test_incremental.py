"""Incremental ingest: batches give the corpus a one-shot ingest gives, and a corpus
stored before the signatures table existed gets it once and keeps loading."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd

from flashpoint import store
from flashpoint.config import sample_sources
from flashpoint.ingest.run import expand_sources, ingest, relink


def _stories(corpus: store.Corpus) -> pd.DataFrame:
    return corpus.stories.sort_values("story_id").reset_index(drop=True)


def _story_of(corpus: store.Corpus) -> dict[str, str]:
    return dict(zip(corpus.events["event_id"], corpus.events["story_id"], strict=True))


def test_batches_give_the_stories_of_a_one_shot_ingest(sample_corpus: Path, tmp_path: Path) -> None:
    files = list(expand_sources(sample_sources()))
    batched = tmp_path / "batched"
    third = -(-len(files) // 3)
    for start in range(0, len(files), third):
        # Three runs, each committing every 10 articles: every commit after the first
        # links its events against the stories already stored.
        report = ingest(files[start : start + third], batched, commit_every=10, progress=False)
        assert not report.internal_errors, report.summary()
    one_shot, got = store.load_corpus(sample_corpus), store.load_corpus(batched)

    assert got.articles["article_id"].tolist() == one_shot.articles["article_id"].tolist()
    assert got.articles["duplicate_of"].tolist() == one_shot.articles["duplicate_of"].tolist()
    assert got.events["event_id"].tolist() == one_shot.events["event_id"].tolist()
    assert _story_of(got) == _story_of(one_shot)
    pd.testing.assert_frame_equal(_stories(got), _stories(one_shot), check_dtype=False)
    assert len(got.stories) > 100  # the demo corpus links into many stories
    # The store's counts are the rows there, after parts were rewritten in place.
    for name in ("events", "stories"):
        assert got.manifest["row_counts"][name] == len(got.table(name))

    # A full relink finds nothing to change.
    relink(batched)
    again = store.load_corpus(batched)
    assert _story_of(again) == _story_of(one_shot)
    pd.testing.assert_frame_equal(_stories(again), _stories(one_shot), check_dtype=False)


def test_a_corpus_without_signatures_gets_them_once_and_finds_stored_near_copies(
    sample_corpus: Path, tmp_path: Path
) -> None:
    old = tmp_path / "old"
    shutil.copytree(sample_corpus, old)
    manifest_path = old / store.MANIFEST
    manifest = json.loads(manifest_path.read_text())
    # A corpus written before the signatures table existed.
    del manifest["tables"]["signatures"], manifest["row_counts"]["signatures"]
    del manifest["signature_params"]
    manifest_path.write_text(json.dumps(manifest))
    corpus = store.load_corpus(old)
    assert len(corpus.articles) > 0 and "signatures" not in corpus.extra

    stored = corpus.articles[corpus.articles["duplicate_of"].isna()].iloc[3]
    words = str(stored["text"]).split()
    words[len(words) // 2] = "reportedly"  # one word changed: a near-copy
    copy = tmp_path / "copy.txt"
    copy.write_text("A wire copy\n\n" + " ".join(words), encoding="utf-8")
    report = ingest([str(copy)], old, progress=False)

    assert report.added == 1 and report.near_duplicates == 1, report.summary()
    after = store.load_corpus(old, tables=("articles", "signatures"))
    added = after.articles.iloc[-1]
    assert added["duplicate_of"] == stored["article_id"]
    originals = after.articles[after.articles["duplicate_of"].isna()]
    signatures = after.extra["signatures"]
    assert signatures["article_id"].tolist() == originals["article_id"].tolist()
    assert after.manifest["row_counts"]["signatures"] == len(signatures)


def _synthetic_events(n: int, span_days: int, seed: int) -> pd.DataFrame:
    """Seeded events of few types and actors, dated to the day, month or year or not at
    all, dense enough that reports sit between stories and coarse ones between candidates."""
    import numpy as np

    rng = np.random.default_rng(seed)
    actors = ["KP", "KR", "US", "JP", "CN"]
    rows = []
    for i in range(n):
        precision = str(rng.choice(["day", "day", "day", "month", "year", "unknown"]))
        day = pd.Timestamp("2017-01-01") + pd.Timedelta(days=int(rng.integers(0, span_days)))
        formats = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}
        rows.append(
            {
                "event_id": f"e{i:05d}",
                "article_id": f"a{i // 3:05d}",
                "start_char": 0,
                "end_char": 5,
                "event_type": str(rng.choice(["missile_launch", "meeting", "nuclear_test"])),
                "actors": list(rng.choice(actors, size=int(rng.integers(0, 3)), replace=False)),
                "participants": list(
                    rng.choice(actors, size=int(rng.integers(0, 2)), replace=False)
                ),
                "weapons": list(
                    rng.choice(["W1", "W2"], size=int(rng.integers(0, 2)), replace=False)
                ),
                "event_date": day.strftime(formats[precision]) if precision in formats else None,
                "date_precision": precision,
                "modality": str(rng.choice(["asserted", "claimed", "planned"])),
                "confidence": 0.5,
            }
        )
    return pd.DataFrame(rows)


def test_linking_in_batches_gives_the_stories_of_one_full_link() -> None:
    """Seeded corpora where reports sit between stories and month- or year-dated reports
    between candidates: linking each batch against the stored stories only ends with the
    stories linking everything at once gives. The dense ones (600 events in 20 days) put
    several stories on a day, one of them often dominant, among which reports without an
    actor choose."""
    from flashpoint.analysis.stories import build_stories, link_new_events

    for span_days, seed in [*((700, seed) for seed in range(8)), (20, 0), (20, 1)]:
        events = _synthetic_events(600, span_days=span_days, seed=seed)
        articles = pd.DataFrame({"article_id": sorted(set(events["article_id"]))}).assign(
            source="s", title="t", published=pd.Timestamp("2017-03-01", tz="UTC")
        )
        _, full = build_stories(events, articles)
        _, stored = build_stories(events.iloc[:150], articles)
        for start in range(150, 600, 150):
            _, linked, reached = link_new_events(stored, events.iloc[start : start + 150], articles)
            n_old = int(reached.sum())
            assert n_old < len(stored)  # not a relink of everything stored
            stored = stored.copy()
            stored.loc[reached, "story_id"] = linked["story_id"].to_numpy()[:n_old]
            stored = pd.concat([stored, linked.iloc[n_old:]], ignore_index=True)
        assert stored["event_id"].tolist() == full["event_id"].tolist()
        assert stored["story_id"].tolist() == full["story_id"].tolist(), (span_days, seed)
