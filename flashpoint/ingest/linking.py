"""Story linking for an ingest commit, incremental: the new events are linked against
the stories in their reach only, and a commit writes only the parts that change.

At the start of a run :class:`StoryLinker` reads the corpus's events (the columns linking
needs, with the part each row is in) and the story ids of the stories table. For each
commit it relinks the new events together with the existing events in reach
(:func:`flashpoint.analysis.stories.link_new_events`) and turns the result into store
changes: the new events and the changed stories appended as new parts; an existing
events part rewritten only when an event in it changed story; a stories part rewritten
only when it holds a story whose events changed. A commit of 500 articles into a large
corpus therefore reads no article text but the few evidence sentences it needs, links a
few thousand events rather than all of them, and writes parts of its own size.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from flashpoint import store
from flashpoint.analysis.stories import link_new_events

# What linking reads of each stored event.
LINK_COLUMNS: list[str] = [
    "event_id",
    "article_id",
    "start_char",
    "end_char",
    "event_type",
    "actors",
    "participants",
    "weapons",
    "event_date",
    "date_precision",
    "modality",
    "confidence",
    "story_id",
]
# What linking reads of each stored article (no text).
ARTICLE_META_COLUMNS: list[str] = [
    "article_id",
    "source",
    "title",
    "published",
    "duplicate_of",
]


@dataclass
class LinkChanges:
    """What one commit writes for stories: parts to append and parts to rewrite."""

    events: pd.DataFrame  # the new events, story_id set
    stories: pd.DataFrame  # new or changed stories
    rewrite: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    reached: int = 0  # existing events relinked with the new ones
    moved: int = 0  # existing events whose story changed


class StoryLinker:
    """The linking state of one ingest run over a corpus (see the module docstring)."""

    def __init__(
        self,
        root: str | os.PathLike[str],
        manifest: Mapping[str, Any] | None,
        articles_meta: pd.DataFrame,
        text_of: Callable[[list[str]], Mapping[str, str]],
    ) -> None:
        self.root = Path(root)
        if manifest is None:
            self.events = store.empty_table("events").reindex(columns=[*LINK_COLUMNS, "_part"])
            self.story_parts = pd.DataFrame({"story_id": [], "_part": []}, dtype="object")
        else:
            self.events = store.read_table(
                root, "events", columns=LINK_COLUMNS, manifest=manifest, with_part=True
            )
            self.story_parts = store.read_table(
                root, "stories", columns=["story_id"], manifest=manifest, with_part=True
            )
            # Plain object columns: ids are compared in bulk (isin, !=) at every commit.
            for frame, columns in (
                (self.events, ("event_id", "story_id", "_part")),
                (self.story_parts, ("story_id", "_part")),
            ):
                for column in columns:
                    frame[column] = frame[column].astype("object")
        self.articles = articles_meta.reindex(columns=ARTICLE_META_COLUMNS)
        self.text_of = text_of

    def add_articles(self, chunk: pd.DataFrame) -> None:
        meta = chunk.reindex(columns=ARTICLE_META_COLUMNS)
        self.articles = (
            pd.concat([self.articles, meta], ignore_index=True) if len(self.articles) else meta
        )

    def link(self, new_events: pd.DataFrame) -> LinkChanges:
        existing = self.events
        stories, linked, reached = link_new_events(
            existing, new_events, self.articles, text_of=self.text_of
        )
        n_old = int(reached.sum())
        old = existing.loc[reached]
        new_ids = linked["story_id"].to_numpy()
        old_linked, fresh = new_ids[:n_old], linked.iloc[n_old:].reset_index(drop=True)

        # A story is unchanged when it keeps its id and exactly its events.
        old_story = pd.Series(
            np.r_[old["story_id"].astype("object").to_numpy(), [None] * len(fresh)],
            dtype="object",
        )
        unchanged = _unchanged(old_story, pd.Series(new_ids, dtype="object"))
        removed = set(old["story_id"].dropna()) - unchanged
        stories = stories[~stories["story_id"].isin(unchanged)].reset_index(drop=True)

        rewrite: dict[str, dict[str, pd.DataFrame]] = {}
        moved_mask = old["story_id"].to_numpy() != old_linked
        moved = old[moved_mask]
        if len(moved):
            new_story = dict(zip(moved["event_id"], old_linked[moved_mask], strict=True))
            rewrite["events"] = {
                part: _restoried(self.root / part, new_story)
                for part in sorted(set(moved["_part"]))
            }
        if removed:
            in_parts = self.story_parts[self.story_parts["story_id"].isin(removed)]
            rewrite["stories"] = {
                part: _without_stories(self.root / part, removed)
                for part in sorted(set(in_parts["_part"]))
            }
        return LinkChanges(
            events=fresh, stories=stories, rewrite=rewrite, reached=n_old, moved=len(moved)
        )

    def committed(self, changes: LinkChanges, manifest: Mapping[str, Any]) -> None:
        """Bring the state up to the commit just made (``manifest``: what it returned)."""
        written: Mapping[str, Mapping[str, str | None]] = manifest.get("written_parts", {})
        events = self.events
        if changes.moved:
            moved = changes.rewrite.get("events", {})
            rows = pd.concat([frame[["event_id", "story_id"]] for frame in moved.values()])
            story_of = rows.drop_duplicates("event_id").set_index("event_id")["story_id"]
            in_moved = events["_part"].isin(set(moved)).to_numpy()
            events.loc[in_moved, "story_id"] = (
                events.loc[in_moved, "event_id"].map(story_of).to_numpy()
            )
            renamed = {old: written.get("events", {}).get(old) for old in moved}
            events.loc[in_moved, "_part"] = events.loc[in_moved, "_part"].map(renamed)
        fresh = changes.events.reindex(columns=LINK_COLUMNS)
        fresh["_part"] = written.get("events", {}).get("+")
        self.events = pd.concat([events, fresh], ignore_index=True) if len(events) else fresh

        parts = self.story_parts
        rewritten = changes.rewrite.get("stories", {})
        if rewritten:
            keep = ~parts["_part"].isin(set(rewritten)).to_numpy()
            kept_rows = [
                pd.DataFrame(
                    {
                        "story_id": frame["story_id"].to_numpy(),
                        "_part": written.get("stories", {}).get(old),
                    }
                )
                for old, frame in rewritten.items()
                if len(frame)
            ]
            parts = pd.concat([parts[keep], *kept_rows], ignore_index=True)
        if len(changes.stories):
            added = pd.DataFrame(
                {
                    "story_id": changes.stories["story_id"].to_numpy(),
                    "_part": written.get("stories", {}).get("+"),
                }
            )
            parts = pd.concat([parts, added], ignore_index=True)
        self.story_parts = parts


def _unchanged(old_story: pd.Series, new_story: pd.Series) -> set[str]:
    """Stories (ids) whose events are exactly those stored under that id: every event of
    the new story had it before, and every event that had it still does."""
    new_counts = new_story.value_counts()
    same = new_story[(old_story == new_story).to_numpy()].value_counts()
    old_counts = old_story.dropna().value_counts()
    frame = pd.DataFrame({"new": new_counts, "same": same, "old": old_counts}).fillna(0)
    keep = (frame["new"] == frame["same"]) & (frame["same"] == frame["old"]) & (frame["new"] > 0)
    return {str(story) for story in frame.index[keep.to_numpy()]}


def _restoried(part: Path, new_story: Mapping[str, str]) -> pd.DataFrame:
    frame = pq.read_table(part).to_pandas()
    changed = frame["event_id"].astype("object").map(new_story)
    frame["story_id"] = changed.where(changed.notna(), frame["story_id"].astype("object"))
    return frame


def _without_stories(part: Path, removed: set[str]) -> pd.DataFrame:
    table = pq.read_table(part)
    gone = pc.is_in(table.column("story_id"), value_set=pa.array(sorted(removed)))
    kept: pd.DataFrame = table.filter(pc.invert(pc.fill_null(gone, False))).to_pandas()
    return kept
