"""What the numbers count: one definition for the dashboard and ``flashpoint stats``.

A **story** is one real-world event (one nuclear test, one launch, one meeting), however
many articles report it: the distinct stories of the events that pass the filters (an
event not linked to a story is a story of its own). A **report** is one article's account
of a story: distinct (story, article) pairs. A sentence-level extraction ("event
mention") is neither: an article that names the same test five times is one report.

By default only what the text asserts counts; the filter's "include planned, possible and
claimed" adds those; negated events ("did not launch") never count.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from flashpoint.analysis.filters import UNASSERTED_MODALITIES, Filters
from flashpoint.schema import EVENT_TYPES

STORY = "story"
REPORT = "report"
BY_TYPE_COLUMNS: tuple[str, ...] = ("event_type", "label", "stories", "reports")


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 report``, ``2 reports``, ``1 story``, ``3 stories`` (thousands separated)."""
    if n == 1:
        return f"1 {word}"
    return f"{n:,} {many or (word[:-1] + 'ies' if word.endswith('y') else word + 's')}"


def modality_scope(filters: Filters) -> str:
    """Which modalities the counts include, in words for a label."""
    if filters.include_unasserted:
        return "asserted, " + ", ".join(UNASSERTED_MODALITIES)
    return "asserted"


@dataclass(frozen=True)
class StoryCounts:
    stories: int
    reports: int
    by_type: dict[str, tuple[int, int]] = field(default_factory=dict)  # type → (stories, reports)

    def summary(self, scope: str) -> str:
        """``189 stories (asserted) from 458 reports``."""
        return f"{plural(self.stories, STORY)} ({scope}) from {plural(self.reports, REPORT)}"


def story_keys(events: pd.DataFrame) -> pd.Series:
    """The story an event belongs to; an unlinked event is a story of its own."""
    fallback = "event:" + events["event_id"].astype(str)
    if "story_id" not in events:
        return fallback
    story = events["story_id"].astype("object")
    return story.where(story.notna() & (story.astype(str) != ""), fallback).astype(str)


def story_counts(events: pd.DataFrame) -> StoryCounts:
    """Stories and reports among ``events`` (already filtered), in total and per type.

    A story's type is that of its events; a story whose reports disagree on the type is
    counted once, under its most reported type.
    """
    if events.empty:
        return StoryCounts(0, 0, {kind: (0, 0) for kind in EVENT_TYPES})
    pairs = pd.DataFrame(
        {
            "story": story_keys(events).to_numpy(),
            "article_id": events["article_id"].astype(str).to_numpy(),
            "event_type": events["event_type"].astype(str).to_numpy(),
        }
    )
    reports = pairs.drop_duplicates(["story", "article_id"])
    story_type = (
        pairs.groupby(["story", "event_type"])
        .size()
        .rename("n")
        .reset_index()
        .sort_values(["story", "n", "event_type"], ascending=[True, False, True])
        .drop_duplicates("story")
        .set_index("story")["event_type"]
    )
    reports = reports.assign(kind=reports["story"].map(story_type))
    stories_per_type = story_type.value_counts()
    reports_per_type = reports["kind"].value_counts()
    return StoryCounts(
        stories=int(story_type.size),
        reports=len(reports),
        by_type={
            kind: (int(stories_per_type.get(kind, 0)), int(reports_per_type.get(kind, 0)))
            for kind in EVENT_TYPES
        },
    )


def by_type_frame(counts: StoryCounts) -> pd.DataFrame:
    """Stories and reports per event type, in the schema's order (a zero is news too)."""
    return pd.DataFrame(
        {
            "event_type": list(EVENT_TYPES),
            "label": [kind.replace("_", " ") for kind in EVENT_TYPES],
            "stories": [counts.by_type.get(kind, (0, 0))[0] for kind in EVENT_TYPES],
            "reports": [counts.by_type.get(kind, (0, 0))[1] for kind in EVENT_TYPES],
        }
    )
