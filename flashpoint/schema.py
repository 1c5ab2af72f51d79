"""The records that flow between stages, and the columns of the corpus tables.

This module is the contract between ingest, nlp, store, analysis and the app: every
stage reads and writes these names and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

SCHEMA_VERSION = 1

Precision = Literal["datetime", "day", "month", "year", "unknown"]
PRECISIONS: tuple[str, ...] = ("datetime", "day", "month", "year", "unknown")

EVENT_TYPES: tuple[str, ...] = (
    "missile_launch",
    "nuclear_test",
    "deployment",
    "meeting",
    "exercise",
    "sanction",
)
MODALITIES: tuple[str, ...] = (
    "asserted",
    "negated",
    "planned",
    "possible",
    "claimed",
    "generic",
)
DATE_BASES: tuple[str, ...] = ("explicit", "relative", "reference", "publication", "unknown")
ENTITY_TYPES: tuple[str, ...] = ("country", "person", "organization", "weapon", "place")


@dataclass(slots=True)
class RawArticle:
    """One article as a reader found it, cleaned but not yet identified or parsed."""

    text: str
    title: str | None = None
    published: datetime | None = None  # timezone-aware UTC, or None
    published_precision: str = "unknown"  # one of PRECISIONS
    source: str | None = None
    url: str | None = None
    external_id: str | None = None  # an id the input gave (CSV id column, JSON id...)
    dateline: str | None = None  # "SEOUL", from "SEOUL (Reuters) -"
    language: str | None = None
    origin: str = ""  # where it came from: "path/file.csv#row=12", "feed.xml#item=3"
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Reject:
    """An input that could not be taken in, and why. Goes to <corpus>/rejects.jsonl."""

    origin: str  # file path, with "#row=N" / "#item=N" / "#line=N" where it applies
    reason: str


# Column order of each corpus table. Types are noted for readers of the Parquet files.
ARTICLE_COLUMNS: tuple[str, ...] = (
    "article_id",  # str, stable: derived from external_id, else url, else content_hash
    "external_id",  # str | null
    "source",  # str | null
    "url",  # str | null
    "title",  # str | null
    "published",  # timestamp[us, UTC] | null
    "published_precision",  # str
    "dateline",  # str | null
    "text",  # str
    "language",  # str | null
    "word_count",  # int
    "content_hash",  # str: sha256 of normalised text
    "duplicate_of",  # str | null: article_id of the first copy of a near-duplicate
    "origin",  # str
    "ingested_at",  # timestamp[us, UTC]
)
SENTENCE_COLUMNS: tuple[str, ...] = ("article_id", "sentence_idx", "start_char", "end_char")
MENTION_COLUMNS: tuple[str, ...] = (
    "article_id",
    "sentence_idx",
    "start_char",
    "end_char",
    "text",
    "label",
    "entity_id",  # str | null (null: resolved to nothing)
    "entity_name",
    "entity_type",
)
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "article_id",
    "sentence_idx",
    "start_char",  # of the evidence sentence
    "end_char",
    "event_type",
    "trigger",
    "actors",  # list[str] of entity_id
    "participants",  # list[str] of entity_id (participants or targets)
    "weapons",  # list[str] of entity_id
    "location",  # str | null: entity_id or text
    "event_date",  # str ISO "YYYY-MM-DD" | "YYYY-MM" | "YYYY" | null
    "date_precision",  # day|month|year|unknown
    "date_basis",  # explicit|relative|reference|publication|unknown
    "date_text",  # str | null: the expression the date came from
    "modality",
    "confidence",  # float 0..1
    "story_id",  # str | null
    "is_space_launch",  # bool
)
STORY_COLUMNS: tuple[str, ...] = (
    "story_id",
    "event_type",
    "event_date",
    "date_precision",
    "actors",
    "weapons",
    "n_articles",
    "n_sources",
    "first_reported",
    "last_reported",
    "headline",  # title of the earliest report
    "evidence",  # the evidence sentence of the most confident event
)
TABLES: dict[str, tuple[str, ...]] = {
    "articles": ARTICLE_COLUMNS,
    "sentences": SENTENCE_COLUMNS,
    "mentions": MENTION_COLUMNS,
    "events": EVENT_COLUMNS,
    "stories": STORY_COLUMNS,
}

# The near-duplicate index's signatures: one row per article that is not itself a
# near-duplicate and has words, in the order the articles were stored. ``band_00`` …
# ``band_29`` are the 30 LSH band keys of its MinHash signature (uint64, each a hash of
# one band's 4 MinHash values), so a new article is compared against stored ones without
# reading their text (see flashpoint.ingest.identity.NearDuplicateIndex).
SIGNATURE_BANDS = 30
SIGNATURE_COLUMNS: tuple[str, ...] = (
    "article_id",
    *(f"band_{band:02d}" for band in range(SIGNATURE_BANDS)),
)
# Tables the store keeps for ingest's own use. They are not part of the corpus a reader
# sees: load_corpus reads them only when asked by name. A corpus written before a table
# existed still loads; ingest computes the table once, from the stored texts, the first
# time it runs on that corpus (the manifest's ``signature_params`` says which index
# settings the stored signatures were made with; other settings mean computing again).
INDEX_TABLES: dict[str, tuple[str, ...]] = {"signatures": SIGNATURE_COLUMNS}


@dataclass(frozen=True, slots=True)
class ArticleContext:
    """What event extraction needs to know about the article a Doc came from."""

    article_id: str
    published: datetime | None = None  # timezone-aware UTC
    published_precision: str = "unknown"
    dateline: str | None = None
    title: str | None = None
    source: str | None = None
