"""The DuckDB query layer gives the pages the same data as the pandas analysis path."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from flashpoint import store
from flashpoint.analysis import cooccurrence as cooc
from flashpoint.analysis import overview, timeline
from flashpoint.analysis.filters import EntityCatalog, Filters, apply_filters, filter_options
from flashpoint.query import CorpusQuery, ensure_index, index_file

# Views an analyst would open: none, each kind of filter alone, and combinations.
FILTERS: list[Filters] = [
    Filters(),
    Filters(countries=("North Korea",)),
    Filters(countries=("Russia", "Japan")),
    Filters(since=date(2016, 1, 1), until=date(2016, 12, 31)),
    Filters(since=date(2017, 6, 1)),
    Filters(until=date(2016, 3, 31)),
    Filters(types=("missile_launch",)),
    Filters(types=("meeting", "sanction"), include_unasserted=True),
    Filters(weapon_classes=("ICBM",)),
    Filters(weapons=("THAAD",)),
    Filters(query="missile"),
    Filters(query="Lavrov"),
    Filters(countries=("North Korea",), types=("missile_launch",), since=date(2017, 1, 1)),
    Filters(countries=("China",), include_unasserted=True),
    Filters(countries=("Atlantis",)),
]


@pytest.fixture(scope="module")
def paths(sample_corpus: Path) -> tuple[store.Corpus, EntityCatalog, CorpusQuery]:
    corpus = store.load_corpus(sample_corpus)
    catalog = EntityCatalog.for_corpus(corpus)
    query = CorpusQuery(sample_corpus)
    return corpus, catalog, query


def _ids(filters: Filters) -> str:
    return filters.slug()


@pytest.mark.parametrize("filters", FILTERS, ids=_ids)
def test_overview_data_equals_pandas(paths, filters: Filters) -> None:  # type: ignore[no-untyped-def]
    corpus, catalog, query = paths
    view = apply_filters(corpus, filters, catalog)
    assert query.headline(filters) == overview.headline(view)
    pd.testing.assert_frame_equal(query.events_by_type(filters), overview.events_by_type(view))
    for freq in overview.FREQUENCIES:
        pd.testing.assert_frame_equal(
            query.volume(filters, freq=freq), overview.volume(view, freq=freq), check_dtype=False
        )
    for kind in ("country", "person", "weapon"):
        pd.testing.assert_frame_equal(
            query.top_entities(filters, kind, 10),
            overview.top_entities(view, kind, 10),
            check_dtype=False,
        )


@pytest.mark.parametrize("filters", FILTERS, ids=_ids)
def test_timeline_data_equals_pandas(paths, filters: Filters) -> None:  # type: ignore[no-untyped-def]
    corpus, catalog, query = paths
    view = apply_filters(corpus, filters, catalog)
    expected = timeline.timeline_frame(view, corpus.stories)
    got = query.timeline_frame(filters)
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    assert query.undated_stories(filters) == timeline.undated_stories(view, expected)
    # The timeline as the page draws it: capped to the most reported stories (here 5, so
    # the cap bites on the demo corpus) plus the latest, with the exact counts.
    drawn = query.timeline(filters, limit=5)
    capped = timeline.timeline(view, corpus.stories, limit=5)
    pd.testing.assert_frame_equal(drawn.frame, capped.frame, check_dtype=False)
    assert (drawn.stories, drawn.reports, drawn.undated) == (
        capped.stories,
        capped.reports,
        capped.undated,
    )
    assert drawn.stories == len(expected)
    pd.testing.assert_frame_equal(
        timeline.latest_stories(drawn.frame, 10),
        timeline.latest_stories(expected, 10),
        check_dtype=False,
    )
    stories = tuple(expected["story_id"].head(3))
    pd.testing.assert_frame_equal(
        query.story_reports(filters, stories),
        timeline.story_reports(view, stories),
        check_dtype=False,  # str (DuckDB) or object (pandas), the same values
    )


@pytest.mark.parametrize("filters", FILTERS, ids=_ids)
@pytest.mark.parametrize(
    ("scope", "metric"), [("sentence", "npmi"), ("article", "count"), ("sentence", "jaccard")]
)
def test_cooccurrence_data_equals_pandas(paths, filters: Filters, scope: str, metric: str) -> None:  # type: ignore[no-untyped-def]
    corpus, catalog, query = paths
    view = apply_filters(corpus, filters, catalog)
    expected = cooc.cooccurrence(
        view.mentions, scope=scope, metric=metric, top_n=25, catalog=catalog
    )
    got = query.cooccurrence(filters, scope=scope, metric=metric, top_n=25)
    assert got.n_units == expected.n_units
    pd.testing.assert_frame_equal(got.matrix, expected.matrix)
    pd.testing.assert_frame_equal(got.counts, expected.counts)
    pd.testing.assert_frame_equal(got.entities, expected.entities, check_dtype=False)
    if expected.is_empty:
        return
    pair = expected.long_form().iloc[0]
    ids = expected.label_to_id()
    a, b = ids[pair["entity_a"]], ids[pair["entity_b"]]
    pd.testing.assert_frame_equal(
        query.pair_sentences(filters, a, b, scope=scope),
        cooc.pair_sentences(view.mentions, corpus.sentences, view.articles, a, b, scope=scope),
    )
    everything = cooc.pair_sentences(
        view.mentions, corpus.sentences, view.articles, a, b, scope=scope
    )
    shown = query.pair_sentences(filters, a, b, scope=scope, limit=2)
    pd.testing.assert_frame_equal(shown, everything.head(2))


def test_sidebar_options_equal_pandas(paths) -> None:  # type: ignore[no-untyped-def]
    corpus, catalog, query = paths
    assert query.filter_options() == filter_options(corpus, catalog)


def test_drawn_stories_keep_the_most_reported_and_the_latest(paths) -> None:  # type: ignore[no-untyped-def]
    corpus, catalog, _ = paths
    frame = timeline.timeline_frame(apply_filters(corpus, Filters(), catalog), corpus.stories)
    assert len(frame) > 8
    drawn = timeline.drawn_stories(frame, limit=3, latest=2)
    most = frame.sort_values("n_reports", ascending=False)["n_reports"].iloc[2]
    assert (drawn["n_reports"] >= most).sum() >= 3  # the three most reported are there
    newest = frame["date"].max()
    assert (drawn["date"] == newest).any()
    assert len(drawn) <= 5
    assert drawn["date"].is_monotonic_increasing  # still in the timeline's order
    assert timeline.drawn_stories(frame, limit=len(frame)) is frame  # no cap below it


def test_the_index_is_built_once_per_generation_and_equals_an_in_memory_build(
    sample_corpus: Path, tmp_path: Path
) -> None:
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(sample_corpus, corpus, ignore=shutil.ignore_patterns("index"))
    built = ensure_index(corpus)
    assert built == index_file(corpus) and built.parent == corpus / "index"
    stamp = built.stat().st_mtime_ns
    assert ensure_index(corpus).stat().st_mtime_ns == stamp  # reused, not rebuilt
    assert not [p for p in built.parent.iterdir() if p.name.startswith(".")]  # no temp left
    on_disk, in_memory = CorpusQuery(corpus), CorpusQuery(corpus, persist=False)
    for filters in (Filters(), Filters(countries=("North Korea",)), Filters(query="missile")):
        pd.testing.assert_frame_equal(
            on_disk.timeline_frame(filters), in_memory.timeline_frame(filters)
        )
        assert on_disk.headline(filters) == in_memory.headline(filters)
    on_disk.close()
    in_memory.close()
    # A commit makes a new generation: a new index (built in a child process, as the
    # dashboard does), and the old one is removed.
    with store.writer_lock(corpus):
        store.commit(corpus, manifest_updates={"note": "a later generation"})
    rebuilt = ensure_index(corpus, isolated=True)
    assert rebuilt != built and rebuilt.exists() and not built.exists()


@pytest.mark.parametrize("scope", ["sentence", "article"])
def test_limited_pair_sentences_are_the_head_of_all_of_them(paths, scope: str) -> None:  # type: ignore[no-untyped-def]
    """The query reads only the newest articles mentioning both entities and widens that
    pool until it holds ``limit`` rows: every limit gives the first rows of the whole list,
    also for pairs whose newest shared articles have no sentence naming both."""
    corpus, catalog, query = paths
    filters = Filters()
    view = apply_filters(corpus, filters, catalog)
    counted = cooc.cooccurrence(view.mentions, scope="sentence", top_n=12, catalog=catalog)
    ids = counted.label_to_id()
    pairs = counted.long_form()
    # Strong pairs and weak ones (few shared sentences among many shared articles).
    chosen = [*pairs.head(3).itertuples(), *pairs.tail(3).itertuples()]
    widened = 0
    for row in chosen:
        a, b = ids[row.entity_a], ids[row.entity_b]
        everything = cooc.pair_sentences(
            view.mentions, corpus.sentences, view.articles, a, b, scope=scope
        )
        shared = view.mentions.loc[view.mentions["entity_id"].isin([a, b])]
        both = shared.groupby("article_id")["entity_id"].nunique().eq(2).sum()
        widened += int(everything["article_id"].nunique() < both)
        assert query.pair_sentences(filters, a, b, scope=scope, limit=0).empty
        for limit in (1, 3, 7, len(everything), len(everything) + 5):
            pd.testing.assert_frame_equal(
                query.pair_sentences(filters, a, b, scope=scope, limit=limit),
                everything.head(limit).reset_index(drop=True),
            )
    if scope == "sentence":
        # Some shared articles name the two in different sentences only.
        assert widened > 0
