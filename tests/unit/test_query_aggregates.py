"""The pre-aggregated tables answer the article-side figures exactly as the rows do.

Every filter here is answered twice on the demo corpus: by a CorpusQuery reading the
aggregate tables where the filter allows and by one reading only the rows; the answers
must be identical (tests/unit/test_query.py checks the row path against pandas).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from flashpoint.analysis import cooccurrence as cooc
from flashpoint.analysis import overview
from flashpoint.analysis.filters import Filters
from flashpoint.query import CorpusQuery


@pytest.fixture(scope="module")
def both(sample_corpus: Path) -> Iterator[tuple[CorpusQuery, CorpusQuery]]:
    summed, rows = CorpusQuery(sample_corpus), CorpusQuery(sample_corpus, aggregates=False)
    assert summed.aggregates is not None and rows.aggregates is None
    yield summed, rows
    summed.close()
    rows.close()


def _filters(query: CorpusQuery) -> list[tuple[Filters, bool]]:
    """(filters, answered from the aggregates?) over what the demo corpus offers."""
    options = query.filter_options()
    first, last = options.first_day, options.last_day
    assert first is not None and last is not None and last.year > first.year
    middle = date(first.year + (last.year - first.year) // 2, 1, 1)
    ranges = [
        # whole months, partial months at both ends, one end only, a single day, reversed,
        # and a range with no articles at all
        {"since": date(middle.year, 1, 1), "until": date(middle.year, 12, 31)},
        {"since": date(middle.year, 3, 17), "until": date(middle.year + 1, 2, 9)},
        {"since": date(middle.year, 6, 15)},
        {"until": date(middle.year, 4, 20)},
        {"since": first, "until": first},
        {"since": date(middle.year, 5, 1), "until": date(middle.year, 4, 1)},
        {"since": date(1990, 1, 1), "until": date(1990, 12, 31)},
    ]
    sources = list(options.sources)
    found: list[tuple[Filters, bool]] = [(Filters(), True)]
    found += [(Filters(**r), True) for r in ranges]  # type: ignore[arg-type]
    found += [(Filters(countries=(c,)), True) for c in options.countries]
    found += [(Filters(weapons=(w,)), True) for w in options.weapons[::3]]
    found += [(Filters(sources=(s,)), True) for s in sources]
    found += [(Filters(sources=tuple(sources[:2])), True)]
    for kind in ("missile_launch", "meeting", "sanction", "exercise", "deployment"):
        found += [
            (Filters(types=(kind,)), True),
            (Filters(types=(kind,), include_unasserted=True), True),
        ]
    found += [
        (Filters(include_unasserted=True), True),
        (Filters(countries=("North Korea",), **ranges[1]), True),  # type: ignore[arg-type]
        (Filters(countries=("China",), sources=tuple(sources[:1]), **ranges[2]), True),  # type: ignore[arg-type]
        (Filters(types=("missile_launch",), **ranges[3]), True),  # type: ignore[arg-type]
        (Filters(weapons=("THAAD",), **ranges[0]), True),  # type: ignore[arg-type]
        (Filters(sources=tuple(sources[-1:]), **ranges[5]), True),  # type: ignore[arg-type]
        (Filters(countries=("Atlantis",)), False),  # names nothing: the row path says so
        # two values of one dimension, or two dimensions: the row path
        (Filters(countries=("Russia", "Japan")), False),
        (Filters(types=("meeting", "sanction"), include_unasserted=True), False),
        (Filters(countries=("North Korea",), types=("missile_launch",)), False),
        (Filters(weapon_classes=("ICBM",)), False),
        (Filters(query="missile"), False),
    ]
    return found


def test_filters_of_one_value_are_summed_and_the_others_read_the_rows(
    both: tuple[CorpusQuery, CorpusQuery],
) -> None:
    summed, _ = both
    assert summed.aggregates is not None
    for filters, expected in _filters(summed):
        assert (summed.aggregates.selection(filters) is not None) is expected, filters


def test_article_figures_from_the_aggregates_equal_the_rows(
    both: tuple[CorpusQuery, CorpusQuery],
) -> None:
    summed, rows = both
    nonempty = 0
    for filters, _ in _filters(summed):
        expected = rows.headline(filters)
        assert summed.headline(filters) == expected, filters
        nonempty += expected.articles > 0
        for freq in overview.FREQUENCIES:
            pd.testing.assert_frame_equal(
                summed.volume(filters, freq=freq), rows.volume(filters, freq=freq), obj=str(filters)
            )
        for kind in ("country", "person", "weapon", "organization"):
            for n in (3, 10):
                pd.testing.assert_frame_equal(
                    summed.top_entities(filters, kind, n),
                    rows.top_entities(filters, kind, n),
                    obj=str(filters),
                )
    assert nonempty > 20  # the comparisons are not all of empty views


def test_event_figures_from_the_aggregates_equal_the_rows(
    both: tuple[CorpusQuery, CorpusQuery],
) -> None:
    summed, rows = both
    for filters, _ in _filters(summed):
        pd.testing.assert_frame_equal(
            summed.events_by_type(filters), rows.events_by_type(filters), obj=str(filters)
        )
        # Capped (the cap bites on the demo corpus: most reported plus latest) and whole.
        for limit in (3, 5, 2**62):
            got, expected = summed.timeline(filters, limit), rows.timeline(filters, limit)
            pd.testing.assert_frame_equal(got.frame, expected.frame, obj=str(filters))
            assert (got.stories, got.reports, got.undated) == (
                expected.stories,
                expected.reports,
                expected.undated,
            ), filters


def _same_cooccurrence(got: cooc.Cooccurrence, expected: cooc.Cooccurrence) -> None:
    assert got.n_units == expected.n_units
    pd.testing.assert_frame_equal(got.matrix, expected.matrix)
    pd.testing.assert_frame_equal(got.counts, expected.counts)
    pd.testing.assert_frame_equal(got.entities, expected.entities)


@pytest.mark.parametrize("metric", cooc.METRICS)
def test_cooccurrence_from_the_aggregates_equals_the_rows(
    both: tuple[CorpusQuery, CorpusQuery], metric: str
) -> None:
    summed, rows = both
    for filters, _ in _filters(summed):
        for top_n in (5, 25):
            expected = rows.cooccurrence(filters, metric=metric, top_n=top_n)
            _same_cooccurrence(summed.cooccurrence(filters, metric=metric, top_n=top_n), expected)
            if metric != "npmi" or top_n != 25 or expected.is_empty:
                continue
            pair = expected.long_form().iloc[0]
            ids = expected.label_to_id()
            a, b = ids[pair["entity_a"]], ids[pair["entity_b"]]
            for limit in (None, 3):
                pd.testing.assert_frame_equal(
                    summed.pair_sentences(filters, a, b, limit=limit),
                    rows.pair_sentences(filters, a, b, limit=limit),
                    obj=str(filters),
                )


def test_cooccurrence_outside_the_summed_pairs_reads_the_rows(
    both: tuple[CorpusQuery, CorpusQuery],
) -> None:
    summed, rows = both
    aggregates = summed.aggregates
    assert aggregates is not None
    kept = aggregates.pair_eids
    try:
        # No pair summed: the aggregates decline, and the answer is still the rows'.
        aggregates.pair_eids = set()
        assert (
            aggregates.cooccurrence(Filters(), "sentence", "npmi", cooc.DEFAULT_ENTITY_TYPES, 25)
            is None
        )
        _same_cooccurrence(summed.cooccurrence(Filters()), rows.cooccurrence(Filters()))
    finally:
        aggregates.pair_eids = kept
    # Other scopes and entity types are not summed.
    assert (
        aggregates.cooccurrence(Filters(), "article", "npmi", cooc.DEFAULT_ENTITY_TYPES, 25) is None
    )
    assert aggregates.cooccurrence(Filters(), "sentence", "npmi", ("person",), 25) is None


def test_country_aggregates_are_not_used_with_another_gazetteer(sample_corpus: Path) -> None:
    # Without the gazetteer no person has a home country, so "China" no longer keeps the
    # articles whose actors are Chinese officials: the stored country atoms do not apply.
    bare = CorpusQuery(sample_corpus, gazetteer=[])
    try:
        assert bare.aggregates is not None and not bare.aggregates.countries_ok
        assert bare.aggregates.selection(Filters(countries=("China",))) is None
        assert bare.aggregates.selection(Filters(types=("meeting",))) is not None
    finally:
        bare.close()
