"""Flat, readable tables of events and stories: what `flashpoint events` writes and the
dashboard offers as CSV. Entity ids become display names joined with "; "."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

EVENT_EXPORT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "event_type",
    "event_date",
    "date_precision",
    "date_basis",
    "date_text",
    "modality",
    "actors",
    "participants",
    "weapons",
    "location",
    "trigger",
    "confidence",
    "story_id",
    "article_id",
    "source",
    "title",
    "published",
    "url",
    "evidence",
)
STORY_EXPORT_COLUMNS: tuple[str, ...] = (
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
    "headline",
    "evidence",
)


def entity_names(mentions: pd.DataFrame, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """entity_id → display name, from the mentions table (its canonical names)."""
    names: dict[str, str] = dict(extra or {})
    if len(mentions):
        known = mentions.dropna(subset=["entity_id", "entity_name"])
        pairs = known.drop_duplicates("entity_id")[["entity_id", "entity_name"]]
        names.update(zip(pairs["entity_id"], pairs["entity_name"], strict=True))
    return names


def _as_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _fallback_name(entity_id: str) -> str:
    kind, _, slug = entity_id.partition(":")
    return slug.replace("-", " ").title() if slug else kind


def display_names(ids: Iterable[str], names: Mapping[str, str]) -> str:
    return "; ".join(names.get(i) or _fallback_name(i) for i in ids)


def evidence_sentences(events: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """The sentence each event came from, cut from the stored article text."""
    if not len(events):
        return pd.Series([], dtype="object")
    texts = articles.set_index("article_id")["text"]
    joined = texts.reindex(events["article_id"]).tolist()
    return pd.Series(
        [
            text[int(start) : int(end)] if isinstance(text, str) else None
            for text, start, end in zip(
                joined, events["start_char"], events["end_char"], strict=True
            )
        ],
        index=events.index,
        dtype="object",
    )


def events_export(
    events: pd.DataFrame,
    articles: pd.DataFrame,
    names: Mapping[str, str],
) -> pd.DataFrame:
    if not len(events):
        return pd.DataFrame(columns=list(EVENT_EXPORT_COLUMNS))
    meta = articles.set_index("article_id")[["source", "title", "published", "url"]]
    frame = events.join(meta, on="article_id")
    out = pd.DataFrame(index=frame.index)
    for column in EVENT_EXPORT_COLUMNS:
        if column in ("actors", "participants", "weapons"):
            out[column] = [display_names(_as_list(v), names) for v in frame[column]]
        elif column == "location":
            out[column] = [
                names.get(v, v) if isinstance(v, str) else None for v in frame["location"]
            ]
        elif column == "evidence":
            out[column] = evidence_sentences(frame, articles)
        else:
            out[column] = frame[column] if column in frame else None
    return out.sort_values(["event_date", "event_type"], na_position="last").reset_index(
        drop=True
    )


def stories_export(stories: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    if not len(stories):
        return pd.DataFrame(columns=list(STORY_EXPORT_COLUMNS))
    out = stories.reindex(columns=list(STORY_EXPORT_COLUMNS)).copy()
    for column in ("actors", "weapons"):
        out[column] = [display_names(_as_list(v), names) for v in stories[column]]
    return out.sort_values(["event_date", "event_type"], na_position="last").reset_index(
        drop=True
    )
