"""process_batch: article rows in, sentences/mentions/events tables out, in one or more processes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.nlp.events import EventRecord
from flashpoint.nlp.events.component import article_of
from flashpoint.nlp.gazetteer import Gazetteer
from flashpoint.nlp.pipeline import add_flashpoint_components, blank_pipeline
from flashpoint.nlp.process import NlpTables, process_batch
from flashpoint.schema import EVENT_COLUMNS, MENTION_COLUMNS, SENTENCE_COLUMNS, ArticleContext

ARTICLES = [
    {
        "article_id": "a1",
        "title": "Launch",
        "text": "Pyongyang fired a Hwasong-14 on Tuesday. The US condemned North Korea’s launch.",
        "published": pd.Timestamp("2017-07-04T09:00:00Z"),
        "published_precision": "datetime",
        "dateline": "SEOUL",
    },
    {"article_id": "a2", "text": "", "published": None},
    {"article_id": "a3", "text": None, "published": float("nan")},
    {
        "article_id": "a4",
        "text": "Seoul and Washington talked.\n\nThe talks ended; the US left.",
        "published": "2017-08",
        "published_precision": "month",
    },
]


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    directory = tmp_path_factory.mktemp("gazetteer")
    countries = [
        {
            "id": "country:PRK",
            "name": "North Korea",
            "metonyms": [{"alias": "Pyongyang", "sector": "government"}],
        },
        {
            "id": "country:USA",
            "name": "United States",
            "aliases": ["US"],
            "metonyms": ["Washington"],
        },
        {"id": "country:KOR", "name": "South Korea", "metonyms": ["Seoul"]},
    ]
    weapons = [{"id": "weapon:hwasong-14", "name": "Hwasong-14", "operator": "PRK"}]
    (directory / "countries.jsonl").write_text("\n".join(json.dumps(c) for c in countries))
    (directory / "weapons.jsonl").write_text("\n".join(json.dumps(w) for w in weapons))
    return Gazetteer.load(directory)


@pytest.fixture(scope="module")
def rules(gazetteer: Gazetteer) -> Language:
    """Entity rules only (no parser, so no event extractor): no events."""
    return blank_pipeline(gazetteer)


def test_tables_have_the_schema_columns_and_offsets_point_into_the_text(rules: Language) -> None:
    tables = process_batch(ARTICLES, rules)

    assert isinstance(tables, NlpTables)
    assert tuple(tables.sentences.columns) == SENTENCE_COLUMNS
    assert tuple(tables.mentions.columns) == MENTION_COLUMNS
    assert tuple(tables.events.columns) == EVENT_COLUMNS
    texts = {a["article_id"]: a["text"] for a in ARTICLES}
    for row in tables.mentions.itertuples(index=False):
        assert texts[row.article_id][row.start_char : row.end_char] == row.text
    a1 = tables.mentions[tables.mentions["article_id"] == "a1"]
    assert list(a1["text"]) == ["Pyongyang", "Hwasong-14", "US", "North Korea"]
    assert list(a1["sentence_idx"]) == [0, 0, 1, 1]
    assert list(a1["entity_id"]) == [
        "country:PRK",
        "weapon:hwasong-14",
        "country:USA",
        "country:PRK",
    ]


def test_each_mention_lies_inside_its_sentence(rules: Language) -> None:
    tables = process_batch(ARTICLES, rules)

    joined = tables.mentions.merge(tables.sentences, on=["article_id", "sentence_idx"])
    assert len(joined) == len(tables.mentions) > 0
    assert (joined["start_char_x"] >= joined["start_char_y"]).all()
    assert (joined["end_char_x"] <= joined["end_char_y"]).all()
    a4 = tables.sentences[tables.sentences["article_id"] == "a4"]
    assert list(a4["sentence_idx"]) == [0, 1]


def test_empty_texts_give_no_rows_and_ids_are_required(rules: Language) -> None:
    tables = process_batch(ARTICLES[1:3], rules)

    assert tables.sentences.empty and tables.mentions.empty and tables.events.empty
    assert tables.sentences["start_char"].dtype == "int64"
    with pytest.raises(ValueError, match="article_id"):
        process_batch([{"text": "Seoul"}], rules)


SEEN: list[ArticleContext] = []


@Language.component("test_fake_events")
def fake_events(doc: Doc) -> Doc:
    """Stands where ``flashpoint_events`` would: notes the article it is given, and sets
    one launch per article with an entity."""
    context = article_of(doc)
    SEEN.append(context)
    if not doc.ents:
        return doc
    sent = doc.ents[0].sent
    doc._.events = [
        EventRecord(
            event_id=f"{context.article_id}:0",
            article_id=context.article_id,
            sentence_idx=0,
            start_char=sent.start_char,
            end_char=sent.end_char,
            event_type="missile_launch",
            trigger="fired",
            actors=[doc.ents[0]._.entity_id],
            weapons=["weapon:hwasong-14"],
        )
    ]
    return doc


def test_events_get_the_article_context_and_become_rows(gazetteer: Gazetteer) -> None:
    """The article context of each row reaches the component that sets ``doc._.events``
    (on the Doc, as ``doc._.article``), and its events become rows."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    add_flashpoint_components(nlp, gazetteer)
    nlp.add_pipe("test_fake_events")
    SEEN.clear()
    seen = SEEN
    tables = process_batch(ARTICLES, nlp)

    assert [c.article_id for c in seen] == ["a1", "a2", "a3", "a4"]
    assert seen[0].published == datetime(2017, 7, 4, 9, tzinfo=UTC)
    assert (seen[0].dateline, seen[0].title, seen[0].published_precision) == (
        "SEOUL",
        "Launch",
        "datetime",
    )
    assert seen[1].published is None and seen[2].published is None
    assert seen[3].published == datetime(2017, 8, 1, tzinfo=UTC)
    events = tables.events
    assert tuple(events.columns) == EVENT_COLUMNS
    assert list(events["article_id"]) == ["a1", "a4"]
    assert events.iloc[0]["actors"] == ["country:PRK"]
    assert events["story_id"].isna().all()


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns[:4])).reset_index(drop=True)


def test_two_processes_give_the_same_tables(rules: Language) -> None:
    articles = ARTICLES * 3
    for i, article in enumerate(articles):
        articles[i] = {**article, "article_id": f"{article['article_id']}-{i}"}
    one = process_batch(articles, rules)
    two = process_batch(articles, rules, n_process=2, batch_size=2)

    for name in ("sentences", "mentions"):
        pd.testing.assert_frame_equal(_sorted(getattr(one, name)), _sorted(getattr(two, name)))
    assert len(two.mentions) == 3 * 7


def test_two_processes_with_the_trained_model_keep_entity_ids(
    nlp: Language, seed_article: Path
) -> None:
    text = seed_article.read_text(encoding="utf-8")
    articles: list[dict[str, Any]] = [
        {"article_id": "seed", "text": text},
        {"article_id": "short", "text": "Sergey Lavrov met Fumio Kishida in Tokyo. Lavrov smiled."},
        {"article_id": "tail", "text": text[-1500:]},
    ]
    one = process_batch(articles, nlp)
    two = process_batch(articles, nlp, n_process=2, batch_size=1)

    pd.testing.assert_frame_equal(one.mentions, two.mentions)
    pd.testing.assert_frame_equal(one.sentences, two.sentences)
    short = two.mentions[two.mentions["article_id"] == "short"]
    assert short["entity_id"].tolist().count("person:sergey-lavrov") == 2
