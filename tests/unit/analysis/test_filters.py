"""Filters: one view described by a URL, CLI flags or a file name; applied to a corpus."""

from __future__ import annotations

import argparse
import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from flashpoint import store
from flashpoint.analysis.filters import (
    FILTER_FIELDS,
    EntityCatalog,
    EntityInfo,
    FilterField,
    FilterKind,
    Filters,
    apply_filters,
    describe,
    filter_articles,
    filter_events,
    filter_options,
    isin,
)
from flashpoint.cli import add_filter_arguments, filters_from_args

# --------------------------------------------------------------------------------------
# A small corpus written through the store, as the pipeline would write it.

GAZETTEER = [
    EntityInfo("country:PRK", "North Korea", "country", country="country:PRK"),
    EntityInfo("country:KOR", "South Korea", "country", country="country:KOR"),
    EntityInfo("country:JPN", "Japan", "country", country="country:JPN"),
    EntityInfo("country:USA", "United States", "country", country="country:USA"),
    EntityInfo("country:RUS", "Russia", "country", country="country:RUS"),
    EntityInfo("person:sergey-lavrov", "Sergey Lavrov", "person", country="country:RUS"),
    EntityInfo("person:taro-kono", "Taro Kono", "person", country="country:JPN"),
    EntityInfo("weapon:hwasong-14", "Hwasong-14", "weapon", klass="ICBM", country="country:PRK"),
    EntityInfo("weapon:thaad", "THAAD", "weapon", klass="BMD", country="country:USA"),
]
SURFACES = {entity.name: entity for entity in GAZETTEER}
ARTICLES = [
    # article_id, source, published (UTC), title, text (sentences end with ". ")
    (
        "a1",
        "Wire A",
        "2017-07-04T09:00",
        "North Korea fires ICBM",
        "North Korea launched a Hwasong-14 on Tuesday. Japan condemned the launch.",
    ),
    (
        "a2",
        "Wire B",
        "2017-07-05T02:00",
        "Second report of the launch",
        "North Korea fired a Hwasong-14 on July 4. The United States called for sanctions.",
    ),
    (
        "a3",
        "Wire A",
        "2017-09-03T06:00",
        "Sixth nuclear test",
        "North Korea conducted a nuclear test on Sunday. Japan protested.",
    ),
    (
        "a4",
        "Desk C",
        "2018-03-01T12:00",
        "Lavrov meets Kono",
        "Sergey Lavrov met Taro Kono in Moscow on Thursday. They discussed fishing.",
    ),
    (
        "a5",
        "Desk C",
        "2017-08-10T00:00",
        "THAAD plans",
        "The United States plans to send more THAAD batteries to South Korea in August. "
        "South Korea did not launch anything.",
    ),
]
EVENTS = [
    # id, article, sentence, type, actors, participants, weapons, date, precision, basis,
    # modality, confidence, story
    ("e1", "a1", 0, "missile_launch", ["country:PRK"], [], ["weapon:hwasong-14"],
     "2017-07-04", "day", "relative", "asserted", 0.9, "s1"),
    ("e2", "a2", 0, "missile_launch", ["country:PRK"], [], ["weapon:hwasong-14"],
     "2017-07-04", "day", "explicit", "asserted", 0.95, "s1"),
    ("e3", "a3", 0, "nuclear_test", ["country:PRK"], [], [],
     "2017-09-03", "day", "relative", "asserted", 0.9, "s2"),
    ("e4", "a4", 0, "meeting", ["person:sergey-lavrov"], ["person:taro-kono"], [],
     "2018-03-01", "day", "relative", "asserted", 0.8, "s3"),
    ("e5", "a5", 0, "deployment", ["country:USA"], ["country:KOR"], ["weapon:thaad"],
     "2017-08", "month", "explicit", "planned", 0.6, "s4"),
    ("e6", "a5", 1, "missile_launch", ["country:KOR"], [], [],
     None, "unknown", "unknown", "negated", 0.7, "s5"),
]  # fmt: skip


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^.]+\.", text)]


def corpus_tables() -> dict[str, pd.DataFrame]:
    articles, sentences, mentions = [], [], []
    for article_id, source, published, title, text in ARTICLES:
        articles.append(
            {
                "article_id": article_id,
                "external_id": None,
                "source": source,
                "url": f"https://news.invalid/{article_id}",
                "title": title,
                "published": pd.Timestamp(published, tz="UTC"),
                "published_precision": "datetime",
                "dateline": None,
                "text": text,
                "language": "en",
                "word_count": len(text.split()),
                "content_hash": article_id * 8,
                "duplicate_of": None,
                "origin": f"test#{article_id}",
                "ingested_at": pd.Timestamp("2024-01-01", tz="UTC"),
            }
        )
        spans = []
        for index, (start, end) in enumerate(_sentence_spans(text)):
            start += len(text[start:end]) - len(text[start:end].lstrip())
            spans.append((start, end))
            sentences.append(
                {
                    "article_id": article_id,
                    "sentence_idx": index,
                    "start_char": start,
                    "end_char": end,
                }
            )
        for surface, entity in SURFACES.items():
            for match in re.finditer(re.escape(surface), text):
                index = next(i for i, (s, e) in enumerate(spans) if s <= match.start() < e)
                mentions.append(
                    {
                        "article_id": article_id,
                        "sentence_idx": index,
                        "start_char": match.start(),
                        "end_char": match.end(),
                        "text": surface,
                        "label": "GPE",
                        "entity_id": entity.entity_id,
                        "entity_name": entity.name,
                        "entity_type": entity.entity_type,
                    }
                )
    sentence_frame = pd.DataFrame(sentences)
    events = []
    for (event_id, article_id, index, kind, actors, participants, weapons, event_date,
         precision, basis, modality, confidence, story) in EVENTS:  # fmt: skip
        row = sentence_frame[
            (sentence_frame["article_id"] == article_id) & (sentence_frame["sentence_idx"] == index)
        ].iloc[0]
        events.append(
            {
                "event_id": event_id,
                "article_id": article_id,
                "sentence_idx": index,
                "start_char": int(row["start_char"]),
                "end_char": int(row["end_char"]),
                "event_type": kind,
                "trigger": "launch",
                "actors": actors,
                "participants": participants,
                "weapons": weapons,
                "location": None,
                "event_date": event_date,
                "date_precision": precision,
                "date_basis": basis,
                "date_text": None,
                "modality": modality,
                "confidence": confidence,
                "story_id": story,
                "is_space_launch": False,
            }
        )
    stories = pd.DataFrame(
        [
            {
                "story_id": "s1",
                "event_type": "missile_launch",
                "event_date": "2017-07-04",
                "date_precision": "day",
                "actors": ["country:PRK"],
                "weapons": ["weapon:hwasong-14"],
                "n_articles": 2,
                "n_sources": 2,
                "first_reported": pd.Timestamp("2017-07-04T09:00", tz="UTC"),
                "last_reported": pd.Timestamp("2017-07-05T02:00", tz="UTC"),
                "headline": "North Korea fires ICBM",
                "evidence": "North Korea launched a Hwasong-14 on Tuesday.",
            }
        ]
    )
    return {
        "articles": pd.DataFrame(articles),
        "sentences": sentence_frame,
        "mentions": pd.DataFrame(mentions),
        "events": pd.DataFrame(events),
        "stories": stories,
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path = tmp_path_factory.mktemp("filters_corpus")
    with store.writer_lock(path):
        store.commit(path, replace=corpus_tables())
    return store.load_corpus(path)


@pytest.fixture(scope="module")
def catalog(corpus: Any) -> EntityCatalog:
    return EntityCatalog.from_tables(corpus.mentions, GAZETTEER)


def event_ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["event_id"])


def article_ids(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["article_id"])


# --------------------------------------------------------------------------------------
# The Filters value


def test_query_params_round_trip() -> None:
    filters = Filters(
        since=date(2017, 1, 1),
        until=date(2017, 12, 31),
        countries=("North Korea", "Japan"),
        weapons=("Hwasong-14",),
        weapon_classes=("ICBM",),
        types=("missile_launch", "nuclear_test"),
        sources=("Wire A",),
        query="Sea of Japan",
        include_unasserted=True,
    )
    params = filters.to_query_params()
    assert params["country"] == ["North Korea", "Japan"]
    assert params["since"] == "2017-01-01"
    assert Filters.from_query_params(params) == filters


def test_an_unfiltered_view_has_no_query_params() -> None:
    assert Filters().to_query_params() == {}
    assert Filters.from_query_params({}) == Filters()


def test_junk_in_the_url_is_ignored_not_fatal() -> None:
    filters = Filters.from_query_params(
        {
            "since": "last tuesday",
            "until": "2017-02-30",
            "type": ["missile_launch", "alien_landing"],
            "country": ["  North   Korea ", "", "North Korea"],
            "unasserted": "maybe",
        }
    )
    assert filters.since is None and filters.until is None
    assert filters.types == ("missile_launch",)
    assert filters.countries == ("North Korea",)
    assert filters.include_unasserted is False


def test_partial_dates_cover_their_period_and_reversed_ranges_are_swapped() -> None:
    filters = Filters.from_query_params({"since": "2017-03", "until": "2016"})
    assert (filters.since, filters.until) == (date(2016, 12, 31), date(2017, 3, 1))
    assert Filters.from_query_params({"since": "2017", "until": "2017-02"}).until == date(
        2017, 2, 28
    )


def test_streamlit_style_params_with_get_all() -> None:
    class Params(dict[str, str]):
        """Like st.query_params: item access gives the last value, get_all gives all."""

        def get_all(self, key: str) -> list[str]:
            return {"country": ["Japan", "Russia"], "q": ["THAAD"]}.get(key, [])

    filters = Filters.from_query_params(Params(country="Russia"))
    assert filters.countries == ("Japan", "Russia")
    assert filters.query == "THAAD"


def parse(*argv: str) -> Filters:
    parser = argparse.ArgumentParser()
    add_filter_arguments(parser)
    return filters_from_args(parser.parse_args(list(argv)))


def test_cli_flags_describe_the_same_view_as_the_url() -> None:
    filters = parse(
        "--since", "2017-01-01", "--until", "2017-12", "--country", "North Korea", "Japan",
        "--weapon-class", "ICBM", "--type", "missile_launch", "--query", "Hwasong",
        "--include-unasserted",
    )  # fmt: skip
    assert filters == Filters(
        since=date(2017, 1, 1),
        until=date(2017, 12, 31),
        countries=("North Korea", "Japan"),
        weapon_classes=("ICBM",),
        types=("missile_launch",),
        query="Hwasong",
        include_unasserted=True,
    )
    assert parse(*filters.to_args()) == filters
    assert parse("--country", "Japan", "--country", "Russia").countries == ("Japan", "Russia")


@pytest.mark.parametrize(
    "argv", [("--since", "yesterday"), ("--type", "invasion"), ("--until", "2017-13-01")]
)
def test_bad_cli_filters_are_usage_errors(argv: tuple[str, ...], capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse(*argv)
    assert exit_info.value.code == 2
    assert argv[1] in capsys.readouterr().err


# The URL parameters and CLI flags in use: links in the wild and scripts rely on them.
URL_PARAMETERS = {
    "since": "since",
    "until": "until",
    "countries": "country",
    "weapon_classes": "weapon_class",
    "weapons": "weapon",
    "types": "type",
    "sources": "source",
    "query": "q",
    "include_unasserted": "unasserted",
}
README_FLAGS = {"--since", "--until", "--country", "--weapon", "--type", "--source", "--query"}


def example_value(spec: FilterField) -> Any:
    """A value a reader could set on this filter."""
    if spec.kind is FilterKind.SINCE:
        return date(2017, 3, 1)
    if spec.kind is FilterKind.UNTIL:
        return date(2017, 9, 30)
    if spec.kind is FilterKind.NAMES:
        return tuple(spec.choices[:2]) if spec.choices else ("North Korea", "Côte d'Ivoire")
    if spec.kind is FilterKind.TEXT:
        return 'Hwasong "14"'
    if spec.kind is FilterKind.SWITCH:
        return True
    raise AssertionError(f"give the new filter kind {spec.kind!r} an example value here")


def test_url_parameters_and_cli_flags_keep_their_names() -> None:
    assert {spec.name: spec.param for spec in FILTER_FIELDS} == URL_PARAMETERS
    flags = {spec.flag for spec in FILTER_FIELDS}
    assert flags >= README_FLAGS | {"--weapon-class", "--include-unasserted"}
    assert len(flags) == len(FILTER_FIELDS)


@pytest.mark.parametrize("spec", FILTER_FIELDS, ids=lambda spec: spec.name)
def test_every_declared_filter_round_trips_and_is_described(spec: FilterField) -> None:
    value = example_value(spec)
    filters = Filters(**{spec.name: value})
    assert getattr(filters, spec.name) == value and not filters.is_empty
    # URL → Filters → URL
    params = filters.to_query_params()
    assert list(params) == [spec.param]
    assert Filters.from_query_params(params) == filters
    assert Filters.from_query_params(params).to_query_params() == params
    # CLI args → Filters (through the parser cli.py builds)
    args = filters.to_args()
    assert args[0] == spec.flag
    assert parse(*args) == filters
    # The description and the file name say it is set.
    text = describe(filters)
    assert text != "no filters"
    shown = value if isinstance(value, tuple) else (value,)
    for item in shown:
        if spec.kind is FilterKind.SWITCH:
            assert spec.phrase and spec.phrase in text
        else:
            item_text = item.isoformat() if isinstance(item, date) else spec.shown(str(item))
            assert item_text in text
    assert filters.slug() != "all"


def test_all_filters_at_once_round_trip() -> None:
    filters = Filters(**{spec.name: example_value(spec) for spec in FILTER_FIELDS})
    assert Filters.from_query_params(filters.to_query_params()) == filters
    assert parse(*filters.to_args()) == filters
    assert describe(filters).startswith("from 2017-03-01 to 2017-09-30 · North Korea")


def test_slug_names_the_view_for_file_names() -> None:
    filters = Filters(countries=("North Korea",), since=date(2017, 1, 1), until=date(2017, 12, 31))
    assert filters.slug() == "north-korea_2017-01-01_2017-12-31"
    assert Filters().slug() == "all"
    assert Filters(countries=("Türkiye", "Côte d'Ivoire")).slug() == "turkiye_cote-d-ivoire"
    assert Filters(types=("missile_launch",), since=date(2017, 5, 1)).slug() == (
        "missile-launch_since-2017-05-01"
    )
    many = Filters(countries=tuple(f"Country number {i}" for i in range(30)))
    assert len(many.slug()) <= 100
    assert many.slug() != Filters(countries=tuple(f"Country number {i}" for i in range(31))).slug()
    assert re.fullmatch(r"[a-z0-9_-]+", Filters(query='<b>Kim\'s "rocket"</b>').slug())


def test_describe_is_a_readable_line() -> None:
    assert describe(Filters()) == "no filters"
    text = describe(Filters(countries=("Japan",), types=("nuclear_test",), query="test"))
    assert text == 'Japan · nuclear test · "test"'


# --------------------------------------------------------------------------------------
# Entity names and ids


def test_catalog_resolves_names_ids_classes_and_countries(catalog: EntityCatalog) -> None:
    assert catalog.ids_named(["north korea"], "country") == {"country:PRK"}
    assert catalog.ids_named(["PRK"], "country") == {"country:PRK"}
    assert catalog.weapon_ids_in_classes(["icbm"]) == {"weapon:hwasong-14"}
    assert catalog.country_of("person:sergey-lavrov") == "country:RUS"
    assert catalog.country_of("country:JPN") == "country:JPN"
    assert catalog.country_of("org:unknown") is None
    assert catalog.name("weapon:never-seen-before") == "Never Seen Before"


def test_filter_options_offer_what_the_corpus_holds(corpus: Any, catalog: EntityCatalog) -> None:
    options = filter_options(corpus, catalog)
    assert "North Korea" in options.countries and "Russia" in options.countries
    assert options.weapons == ("Hwasong-14", "THAAD")
    assert options.weapon_classes == ("BMD", "ICBM")
    assert options.sources == ("Desk C", "Wire A", "Wire B")
    assert (options.first_day, options.last_day) == (date(2017, 7, 4), date(2018, 3, 1))


# --------------------------------------------------------------------------------------
# Applying filters


def test_by_default_only_asserted_events_and_never_negated(corpus: Any, catalog: Any) -> None:
    assert event_ids(filter_events(corpus, Filters(), catalog)) == ["e1", "e2", "e3", "e4"]
    with_unasserted = filter_events(corpus, Filters(include_unasserted=True), catalog)
    assert event_ids(with_unasserted) == ["e1", "e2", "e3", "e4", "e5"]


def test_generic_mentions_are_never_shown(corpus: Any, catalog: Any) -> None:
    # "the Council condemns all launches": a kind of event, not one that happened
    events = corpus.events.copy()
    events.loc[events["event_id"] == "e3", "modality"] = "generic"
    generic = dataclasses.replace(corpus, events=events)
    assert event_ids(filter_events(generic, Filters(), catalog)) == ["e1", "e2", "e4"]
    with_unasserted = filter_events(generic, Filters(include_unasserted=True), catalog)
    assert event_ids(with_unasserted) == ["e1", "e2", "e4", "e5"]


def test_events_carry_their_article_and_evidence_sentence(corpus: Any, catalog: Any) -> None:
    events = filter_events(corpus, Filters(sources=("Wire B",)), catalog)
    assert event_ids(events) == ["e2"]
    row = events.iloc[0]
    assert row["title"] == "Second report of the launch"
    assert row["evidence_text"] == "North Korea fired a Hwasong-14 on July 4."


def test_country_as_actor_participant_or_mentioned(corpus: Any, catalog: Any) -> None:
    def events_for(country: str) -> list[str]:
        filters = Filters(countries=(country,), include_unasserted=True)
        return event_ids(filter_events(corpus, filters, catalog))

    assert events_for("North Korea") == ["e1", "e2", "e3"]  # actor
    assert events_for("Russia") == ["e4"]  # through its foreign minister
    assert events_for("Japan") == ["e4"]  # Kono takes part; "Japan condemned" is another sentence
    assert events_for("South Korea") == ["e5"]  # participant
    assert events_for("Atlantis") == []


def test_weapons_by_name_or_by_class(corpus: Any, catalog: Any) -> None:
    both = Filters(include_unasserted=True)
    by_name = filter_events(corpus, Filters(weapons=("thaad",), include_unasserted=True), catalog)
    by_class = filter_events(corpus, Filters(weapon_classes=("ICBM",)), catalog)
    assert event_ids(by_name) == ["e5"]
    assert event_ids(by_class) == ["e1", "e2"]
    either = Filters(weapons=("THAAD",), weapon_classes=("ICBM",), include_unasserted=True)
    assert event_ids(filter_events(corpus, either, catalog)) == ["e1", "e2", "e5"]
    assert len(filter_events(corpus, both, catalog)) == 5


def test_an_imprecise_date_passes_only_when_its_whole_period_is_inside(
    corpus: Any, catalog: Any
) -> None:
    # e5 is dated "2017-08": it may have happened on any day of August.
    mid_august = Filters(since=date(2017, 8, 15), until=date(2017, 8, 20), include_unasserted=True)
    assert event_ids(filter_events(corpus, mid_august, catalog)) == []
    august = Filters(since=date(2017, 8, 1), until=date(2017, 8, 31), include_unasserted=True)
    assert event_ids(filter_events(corpus, august, catalog)) == ["e5"]
    summer = Filters(since=date(2017, 6, 1), until=date(2017, 8, 30), include_unasserted=True)
    assert "e5" not in event_ids(filter_events(corpus, summer, catalog))  # ends a day short
    since_2018 = Filters(since=date(2018, 1, 1))
    assert event_ids(filter_events(corpus, since_2018, catalog)) == ["e4"]


def test_text_query_matches_evidence_or_headline(corpus: Any, catalog: Any) -> None:
    assert event_ids(filter_events(corpus, Filters(query="SIXTH"), catalog)) == ["e3"]
    assert event_ids(filter_events(corpus, Filters(query="on july 4"), catalog)) == ["e2"]
    # In the article but not in an evidence sentence or headline: not an event match.
    assert event_ids(filter_events(corpus, Filters(query="sanctions"), catalog)) == []
    assert article_ids(filter_articles(corpus, Filters(query="sanctions"), catalog)) == ["a2"]


def test_a_text_match_in_the_body_still_obeys_the_other_filters(corpus: Any, catalog: Any) -> None:
    # "sanctions" is only in a2's text (Wire B, 2017-07-05): a source or date filter that
    # excludes a2 must exclude it however the text matches.
    def articles(**kwargs: Any) -> list[str]:
        return article_ids(filter_articles(corpus, Filters(query="sanctions", **kwargs), catalog))

    assert articles(sources=("Wire A",)) == []
    assert articles(since=date(2017, 8, 1)) == []
    assert articles(sources=("Wire B",), until=date(2017, 7, 31)) == ["a2"]
    # A title hit likewise: "launch" is in a2's title and a1's and a5's text.
    assert articles(sources=("Wire B",)) == ["a2"]


def test_articles_by_country_type_source_and_publication_date(corpus: Any, catalog: Any) -> None:
    def articles(**kwargs: Any) -> list[str]:
        return article_ids(filter_articles(corpus, Filters(**kwargs), catalog))

    assert articles(countries=("Japan",)) == ["a1", "a3", "a4"]  # named, or Kono takes part
    assert articles(types=("nuclear_test", "meeting")) == ["a3", "a4"]
    assert articles(types=("deployment",)) == []  # only a planned deployment
    assert articles(types=("deployment",), include_unasserted=True) == ["a5"]
    assert articles(sources=("Desk C",), weapons=("THAAD",)) == ["a5"]
    assert articles(since=date(2017, 7, 5), until=date(2017, 9, 3)) == ["a2", "a3", "a5"]


def test_nothing_matching_gives_empty_tables_not_errors(corpus: Any, catalog: Any) -> None:
    view = apply_filters(
        corpus, Filters(countries=("Atlantis",), since=date(1990, 1, 1), until=date(1990, 2, 1))
    )
    assert view.is_empty
    assert view.mentions.empty
    assert {"event_id", "evidence_text", "source"} <= set(view.events.columns)


def test_an_empty_corpus_filters_to_empty_views(tmp_path: Path) -> None:
    with store.writer_lock(tmp_path):
        store.commit(tmp_path, append={name: store.empty_table(name) for name in store.TABLES})
    empty = store.load_corpus(tmp_path)
    view = apply_filters(empty, Filters(countries=("Japan",), query="x"))
    assert view.is_empty
    options = filter_options(empty, view.catalog)
    assert options.countries == () and options.first_day is None


@pytest.mark.parametrize(
    "values",
    [
        {"country:PRK", "country:JPN"},
        ["country:PRK", None, "country:PRK"],
        pd.Series(["country:JPN", None, "country:KOR"], dtype="str"),
        pd.Series(["country:JPN"], dtype=object),
        (),
    ],
)
def test_fast_membership_agrees_with_pandas_isin_and_never_matches_a_missing_value(
    values: object,
) -> None:
    column = pd.Series(["country:PRK", None, "country:JPN", "country:USA", "country:PRK"])
    listed = list(values) if isinstance(values, set) else values
    expected = column.isin(listed).to_numpy() & column.notna().to_numpy()  # type: ignore[arg-type]
    assert isin(column, values).tolist() == expected.tolist()  # type: ignore[arg-type]
    assert column.dtype != object  # the Arrow-backed path is the one under test
