"""Field aliases: which column holds which article field."""

from __future__ import annotations

import pytest

from flashpoint.ingest.fields import (
    FIELDS,
    canonical_field,
    load_aliases,
    match_columns,
    missing_mapped_columns,
    normalise_key,
)


def test_alias_file_covers_every_field_and_has_no_duplicates():
    aliases = load_aliases()
    assert set(aliases) == set(FIELDS)
    flat = [alias for names in aliases.values() for alias in names]
    assert len(flat) == len(set(flat))
    assert all(names for field, names in aliases.items())


def test_news_please_newsapi_and_feed_names_are_recognised():
    columns = ["headline", "maintext", "date_publish", "source_domain", "link", "guid"]
    assert match_columns(columns) == {
        "title": "headline",
        "text": "maintext",
        "date": "date_publish",
        "source": "source_domain",
        "url": "link",
        "id": "guid",
    }
    assert match_columns(["publishedAt", "Content"])["date"] == "publishedAt"
    assert match_columns(["Published At", "Full Text"]) == {
        "date": "Published At",
        "text": "Full Text",
    }


def test_first_alias_in_priority_order_wins():
    assert match_columns(["summary", "text", "description"])["text"] == "text"
    assert match_columns(["summary", "description"])["text"] == "description"


def test_explicit_map_wins_and_its_column_is_not_reused():
    mapping = match_columns(["text", "body_column"], {"text": "body_column"})
    assert mapping == {"text": "body_column"}
    assert missing_mapped_columns(["a"], {"text": "b"}) == ["b"]


@pytest.mark.parametrize(
    ("name", "field"), [("published", "date"), ("external_id", "id"), ("Title", "title")]
)
def test_field_map_keys_may_use_record_names(name, field):
    assert canonical_field(name) == field


def test_normalise_key():
    assert normalise_key("Date_Publish") == normalise_key("date publish") == "datepublish"
