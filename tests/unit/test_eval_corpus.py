"""Corpus-wide eval measures: undated share, lead stories and their agreement with labels."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from flashpoint import store
from flashpoint.eval.corpus import (
    cached_corpus,
    lead_stories,
    news_cycles,
    story_agreement,
    undated_share,
)


def events_frame(rows: list[tuple[str, str, str, int, str | None]]) -> pd.DataFrame:
    """(article_id, story_id, modality, start_char, event_date) rows."""
    return pd.DataFrame(
        rows, columns=["article_id", "story_id", "modality", "start_char", "event_date"]
    )


def test_undated_share_counts_asserted_events_only() -> None:
    events = events_frame(
        [
            ("a", "s1", "asserted", 0, "2017-08-29"),
            ("a", "s2", "asserted", 10, None),
            ("b", "s3", "planned", 0, None),
        ]
    )
    share = undated_share(events)
    assert (share.undated, share.asserted, share.value) == (1, 2, 0.5)


def test_lead_story_is_the_most_reported_then_the_first_mentioned() -> None:
    events = events_frame(
        [
            ("a", "old-test", "asserted", 0, None),
            ("a", "launch", "asserted", 50, None),
            ("a", "launch", "claimed", 90, None),
            ("b", "talks", "asserted", 80, None),
            ("b", "launch", "asserted", 20, None),
            ("c", "plan", "planned", 0, None),  # nothing that happened: no lead story
        ]
    )
    assert lead_stories(events) == {"a": "launch", "b": "launch"}


def test_on_a_tie_a_dated_story_leads_before_an_undated_mention() -> None:
    # "China opposes launches by North Korea" (undated, a story of its own) before
    # "it fired a missile over Hokkaido on Friday" (dated, shared with other articles).
    events = events_frame(
        [
            ("a", "undated-mention", "asserted", 0, None),
            ("a", "friday-launch", "asserted", 60, "2017-09-15"),
            ("b", "friday-launch", "asserted", 0, "2017-09-15"),
            ("b", "friday-launch", "asserted", 40, "2017-09-15"),
            ("c", "undated-mention-2", "asserted", 0, None),
            ("c", "old-test", "asserted", 30, None),
            ("c", "old-test", "asserted", 50, "2016-01-06"),
        ]
    )
    assert lead_stories(events) == {"a": "friday-launch", "b": "friday-launch", "c": "old-test"}
    # More mentions still lead, dated or not.
    more = pd.concat([events, events_frame([("a", "undated-mention", "claimed", 90, None)])])
    assert lead_stories(more)["a"] == "undated-mention"


def test_news_cycles_split_one_label_by_publication_gaps() -> None:
    published = {
        "a": pd.Timestamp("2017-08-29", tz="UTC"),
        "b": pd.Timestamp("2017-08-31", tz="UTC"),
        "c": pd.Timestamp("2017-09-15", tz="UTC"),
    }
    cycles = news_cycles(published, {"a": "hokkaido", "b": "hokkaido", "c": "hokkaido"})
    assert cycles["a"] == cycles["b"] != cycles["c"]


def test_story_agreement_penalises_mixed_and_split_stories() -> None:
    articles = pd.DataFrame(
        {
            "article_id": ["a", "b", "c", "d"],
            "external_id": ["x1", "x2", "x3", "x4"],
            "published": pd.to_datetime(
                ["2017-08-29", "2017-08-29", "2017-08-30", "2016-02-07"], utc=True
            ),
        }
    )
    labels = {"x1": "hokkaido", "x2": "hokkaido", "x3": "hokkaido", "x4": "satellite"}
    # a and b share a story; c's report of the same launch is split off; d is alone.
    perfect_split = events_frame(
        [
            ("a", "s1", "asserted", 0, None),
            ("b", "s1", "asserted", 0, None),
            ("c", "s2", "asserted", 0, None),
            ("d", "s3", "asserted", 0, None),
        ]
    )
    agreement = story_agreement(perfect_split, articles, labels)
    assert agreement.purity == 1.0
    assert agreement.completeness == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    # Merging the satellite launch into the Hokkaido story makes it impure.
    mixed = events_frame(
        [
            ("a", "s1", "asserted", 0, None),
            ("b", "s1", "asserted", 0, None),
            ("c", "s1", "asserted", 0, None),
            ("d", "s1", "asserted", 0, None),
        ]
    )
    merged = story_agreement(mixed, articles, labels)
    assert merged.completeness == 1.0
    assert merged.purity == pytest.approx((3 / 4 * 3 + 1 / 4) / 4)


def _write_corpora(shared: Path, extra: str = "") -> None:
    """Three small CSVs in our own words, named as the real corpora are."""
    rows = {
        "koreaherald_2015_2017_security.csv": (
            "kh-1",
            "North Korea fires missile",
            "2017-05",
            "North Korea fired a ballistic missile into the East Sea on Sunday, "
            "the Joint Chiefs of Staff said." + extra,
        ),
        "reuters_isot_sample_security.csv": (
            "rt-1",
            "Leaders meet in Tokyo",
            "2016-09-07",
            "Japanese Prime Minister Shinzo Abe met South Korean President Park Geun-hye on "
            "Wednesday, and the two leaders said that they would work together on the threat "
            "from the North.",
        ),
        "giveme5w1h_news_cluster_security.csv": (
            "nc-1",
            "Drills begin",
            "2017-03-01",
            "South Korean and U.S. forces began their annual joint military drills on Wednesday.",
        ),
    }
    (shared / "corpora").mkdir(parents=True, exist_ok=True)
    for name, (ident, title, date, text) in rows.items():
        with (shared / "corpora" / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
            writer.writerow(["id", "title", "date", "text", "event_label"])
            writer.writerow([ident, title, date, text, "label"])


@pytest.mark.slow
def test_the_full_corpus_is_built_once_per_input_and_rebuilt_when_an_input_changes(
    tmp_path: Path,
) -> None:
    shared, cache = tmp_path / "shared", tmp_path / "cache"
    _write_corpora(shared)
    first = cached_corpus(shared, workers=1, root=cache)
    assert store.load_corpus(first, tables=("articles",)).articles.shape[0] == 3
    # The same inputs: the same folder, not built again (its manifest is untouched).
    before = (first / "manifest.json").stat().st_mtime_ns
    assert cached_corpus(shared, workers=1, root=cache) == first
    assert (first / "manifest.json").stat().st_mtime_ns == before
    # One corpus file changes: a new build replaces the old one, and nothing half-built stays.
    _write_corpora(shared, extra=" It flew about 700 kilometres.")
    second = cached_corpus(shared, workers=1, root=cache)
    assert second != first and not first.exists()
    assert sorted(path.name for path in cache.iterdir()) == [second.name]
