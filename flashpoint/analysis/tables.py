"""Flat, readable tables of events and stories: what `flashpoint events` writes and the
dashboard offers as CSV. Entity ids become display names joined with "; "."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

from flashpoint.analysis.filters import EntityCatalog, Filters, as_list, filter_events, isin
from flashpoint.schema import STORY_COLUMNS

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
# A story row is already flat apart from its id lists, which become display names.
STORY_EXPORT_COLUMNS: tuple[str, ...] = STORY_COLUMNS


def display_names(ids: Iterable[Any], catalog: EntityCatalog) -> str:
    return "; ".join(catalog.names(ids))


def events_export(corpus: Any, filters: Filters) -> pd.DataFrame:
    """One row per event matching the filters, ids as display names, with its evidence."""
    catalog = EntityCatalog.for_corpus(corpus)
    frame = filter_events(corpus, filters, catalog)
    if not len(frame):
        return pd.DataFrame(columns=list(EVENT_EXPORT_COLUMNS))
    out = pd.DataFrame(index=frame.index)
    for column in EVENT_EXPORT_COLUMNS:
        if column in ("actors", "participants", "weapons"):
            out[column] = [display_names(as_list(v), catalog) for v in frame[column]]
        elif column == "location":
            out[column] = [
                catalog.name(v) if isinstance(v, str) and ":" in v else v for v in frame["location"]
            ]
        elif column == "evidence":
            out[column] = frame["evidence_text"]
        else:
            out[column] = frame.get(column)
    return out.sort_values(["event_date", "event_type"], na_position="last").reset_index(drop=True)


def stories_export(corpus: Any, filters: Filters) -> pd.DataFrame:
    """One row per story with at least one event matching the filters."""
    catalog = EntityCatalog.for_corpus(corpus)
    events = filter_events(corpus, filters, catalog)
    stories = corpus.stories[isin(corpus.stories["story_id"], events["story_id"])]
    if not len(stories):
        return pd.DataFrame(columns=list(STORY_EXPORT_COLUMNS))
    out = stories.reindex(columns=list(STORY_EXPORT_COLUMNS)).copy()
    for column in ("actors", "weapons"):
        out[column] = [display_names(as_list(v), catalog) for v in stories[column]]
    return out.sort_values(["event_date", "event_type"], na_position="last").reset_index(drop=True)
