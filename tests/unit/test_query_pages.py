"""The Map and Articles pages' data through the query index equals the pandas path's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from test_query import FILTERS

from flashpoint import store
from flashpoint.analysis import articles, geo, timeline
from flashpoint.analysis.filters import EntityCatalog, Filters, apply_filters
from flashpoint.query import CorpusQuery


@pytest.fixture(scope="module")
def paths(sample_corpus: Path) -> tuple[store.Corpus, EntityCatalog, CorpusQuery]:
    corpus = store.load_corpus(sample_corpus)
    catalog = EntityCatalog.for_corpus(corpus)
    return corpus, catalog, CorpusQuery(sample_corpus)


@pytest.mark.parametrize("filters", FILTERS, ids=Filters.slug)
def test_map_data_equals_pandas(paths, filters: Filters) -> None:  # type: ignore[no-untyped-def]
    corpus, catalog, query = paths
    view = apply_filters(corpus, filters, catalog)
    expected, expected_unplaced = geo.map_frame(view)
    got, unplaced = query.map_frame(filters)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert unplaced == expected_unplaced
    # The sentences behind the first few markers, and behind a place of every type.
    for place_id, kind in list(zip(expected["place_id"], expected["event_type"], strict=True))[:4]:
        for event_type in (kind, None):
            pd.testing.assert_frame_equal(
                query.place_reports(filters, place_id, event_type),
                geo.place_reports(view, place_id, event_type),
                check_dtype=False,
            )


def test_the_map_shows_places_on_the_demo_corpus(paths) -> None:  # type: ignore[no-untyped-def]
    """Not a vacuous comparison: the demo corpus puts stories on the map, and some not."""
    _, _, query = paths
    frame, unplaced = query.map_frame(Filters())
    assert len(frame) > 5 and frame["reports"].sum() >= frame["stories"].sum() > 0
    assert unplaced > 0
    place_id, kind = frame["place_id"].iloc[0], frame["event_type"].iloc[0]
    # One row per event sentence: at least one per report.
    assert len(query.place_reports(Filters(), place_id, kind)) >= frame["reports"].iloc[0]


@pytest.mark.parametrize("filters", FILTERS, ids=Filters.slug)
def test_latest_stories_from_a_timeline_capped_to_none_equal_the_full_ones(  # type: ignore[no-untyped-def]
    paths, filters: Filters
) -> None:
    """The Overview's "Latest stories" come from timeline(limit=0): the same ten."""
    corpus, catalog, query = paths
    view = apply_filters(corpus, filters, catalog)
    expected = timeline.latest_stories(timeline.timeline_frame(view, corpus.stories), 10)
    for capped in (
        timeline.timeline(view, corpus.stories, limit=0).frame,
        query.timeline(filters, limit=0).frame,
    ):
        assert len(capped) <= timeline.LATEST_KEPT
        pd.testing.assert_frame_equal(
            timeline.latest_stories(capped, 10), expected, check_dtype=False
        )


@pytest.mark.parametrize("filters", FILTERS, ids=Filters.slug)
def test_article_list_equals_pandas(paths, filters: Filters) -> None:  # type: ignore[no-untyped-def]
    corpus, catalog, query = paths
    expected = articles.article_list(apply_filters(corpus, filters, catalog))
    pd.testing.assert_frame_equal(query.article_list(filters), expected, check_dtype=False)


def test_the_reader_gets_the_same_article_from_both_paths(paths) -> None:  # type: ignore[no-untyped-def]
    corpus, catalog, query = paths
    listing = articles.article_list(apply_filters(corpus, Filters(), catalog))
    # The articles with the most events and the most entities, and one with none.
    picked = {
        listing.sort_values("events", kind="stable")["article_id"].iloc[-1],
        listing.sort_values("entities", kind="stable")["article_id"].iloc[-1],
        listing.sort_values("events", kind="stable")["article_id"].iloc[0],
    }
    shown = ("title", "source", "published", "dateline", "duplicate_of", "url", "text")
    for article_id in picked:
        assert query.has_article(article_id)
        expected = articles.article_record(corpus, article_id)
        got = query.article_record(article_id)
        assert expected is not None and got is not None
        for column in shown:
            want = expected.get(column)
            assert got.get(column) == (None if pd.isna(want) else want), column
        text = str(got["text"])
        mentions = query.article_mentions(article_id)
        assert len(mentions) == len(articles.article_mentions(corpus, article_id))
        assert articles.highlight_entities(text, mentions) == articles.highlight_entities(
            text, articles.article_mentions(corpus, article_id)
        )
        pd.testing.assert_frame_equal(
            query.article_events(article_id),
            articles.article_events(corpus, article_id, catalog),
            check_dtype=False,
        )
    assert not query.has_article("no-such-article")
    assert query.article_record("no-such-article") is None
