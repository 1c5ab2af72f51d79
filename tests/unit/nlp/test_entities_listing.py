"""`flashpoint entities` tables: canonical entities with counts, and unresolved mentions."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from flashpoint.analysis.entities import (
    ENTITY_TABLE_COLUMNS,
    UNRESOLVED_COLUMNS,
    entity_table,
    unresolved_mentions,
)
from flashpoint.nlp.gazetteer import Gazetteer
from flashpoint.nlp.pipeline import blank_pipeline
from flashpoint.nlp.process import process_batch

ARTICLES = pd.DataFrame(
    {
        "article_id": ["a", "b", "c"],
        "text": [
            "Pyongyang fired a Hwasong-14. North Korea said it worked.",
            "Seoul and Washington condemned North Korea. Crimea was quiet.",
            "Nothing to see.",
        ],
    }
)


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    directory = tmp_path_factory.mktemp("gazetteer")
    rows = [
        {"id": "country:PRK", "name": "North Korea", "metonyms": ["Pyongyang"]},
        {"id": "country:KOR", "name": "South Korea", "metonyms": ["Seoul"]},
        {"id": "country:USA", "name": "United States", "metonyms": ["Washington"]},
    ]
    (directory / "countries.jsonl").write_text("\n".join(json.dumps(r) for r in rows))
    weapon = {"id": "weapon:hwasong-14", "name": "Hwasong-14", "operator": "PRK"}
    (directory / "weapons.jsonl").write_text(json.dumps(weapon))
    return Gazetteer.load(directory)


@pytest.fixture(scope="module")
def tables(gazetteer: Gazetteer) -> tuple[pd.DataFrame, pd.DataFrame]:
    result = process_batch(ARTICLES.to_dict("records"), blank_pipeline(gazetteer))
    # what the model adds on real text: an unknown place and an unknown person's surname
    extra = pd.DataFrame(
        [
            {
                "article_id": "b",
                "sentence_idx": 1,
                "start_char": 44,
                "end_char": 50,
                "text": "Crimea",
                "label": "GPE",
                "entity_id": None,
                "entity_name": "Crimea",
                "entity_type": "place",
            },
            {
                "article_id": "a",
                "sentence_idx": 0,
                "start_char": 0,
                "end_char": 9,
                "text": "Pyongyang",
                "label": "PERSON",
                "entity_id": "person:choi-jong-kun",
                "entity_name": "Choi Jong-kun",
                "entity_type": "person",
            },
        ]
    )
    mentions = pd.concat([result.mentions, extra], ignore_index=True)
    return mentions, result.sentences


def test_entity_table_counts_mentions_and_articles(
    tables: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    mentions, _ = tables
    table = entity_table(mentions, ARTICLES)

    assert tuple(table.columns) == ENTITY_TABLE_COLUMNS
    first = table.iloc[0]
    assert (first["entity_id"], first["entity_name"], first["mentions"], first["articles"]) == (
        "country:PRK",
        "North Korea",
        3,
        2,
    )
    assert set(table["entity_id"]) == {
        "country:PRK",
        "country:KOR",
        "country:USA",
        "weapon:hwasong-14",
        "person:choi-jong-kun",
    }
    only_b = entity_table(mentions, ARTICLES[ARTICLES["article_id"] == "b"])
    assert set(only_b["entity_id"]) == {"country:PRK", "country:KOR", "country:USA"}
    assert only_b.set_index("entity_id").loc["country:PRK", "mentions"] == 1


def test_unresolved_lists_null_ids_with_an_example_sentence(
    tables: tuple[pd.DataFrame, pd.DataFrame], gazetteer: Gazetteer
) -> None:
    mentions, sentences = tables
    table = unresolved_mentions(mentions, sentences, ARTICLES)

    assert tuple(table.columns) == UNRESOLVED_COLUMNS
    assert table.to_dict("records") == [
        {
            "text": "Crimea",
            "label": "GPE",
            "count": 1,
            "articles": 1,
            "example": "Crimea was quiet.",
            "article_id": "b",
        }
    ]
    with_people = unresolved_mentions(mentions, sentences, ARTICLES, gazetteer=gazetteer)
    assert set(with_people["text"]) == {"Crimea", "Choi Jong-kun"}


def test_empty_tables_give_empty_listings() -> None:
    empty = pd.DataFrame({c: pd.Series(dtype="object") for c in ["article_id", "entity_id"]})
    assert entity_table(empty).empty
    assert tuple(entity_table(empty).columns) == ENTITY_TABLE_COLUMNS
    mentions = pd.DataFrame(
        {c: pd.Series(dtype="object") for c in ["article_id", "entity_id", "entity_name", "text"]}
    )
    assert unresolved_mentions(mentions, pd.DataFrame(), ARTICLES).empty


def test_filters_need_a_corpus(tables: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    with pytest.raises(TypeError, match="corpus"):
        entity_table(tables[0], None, filters=object())


def test_a_built_corpus_lists_its_entities(sample_corpus: Path) -> None:
    from flashpoint.store import load_corpus

    corpus = load_corpus(sample_corpus)
    table = entity_table(corpus)
    top = set(table.head(8)["entity_id"])
    assert {"country:PRK", "country:KOR", "country:USA"} <= top
    unresolved = unresolved_mentions(corpus.mentions, corpus.sentences, corpus.articles, top=10)
    assert len(unresolved) <= 10
    assert unresolved["example"].notna().all()
