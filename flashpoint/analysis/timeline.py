"""Stories on a timeline: one row per real-world event, built from the filtered reports.

A story is aggregated from the events that pass the filters, so a source filter shows
how that source covered it (its reports, its sentences); the story table contributes the
consensus date and headline that story linking chose.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from flashpoint.analysis.articles import as_written, date_label, safe_url
from flashpoint.analysis.counts import story_keys
from flashpoint.analysis.filters import FilteredView, as_list, event_periods

TIMELINE_COLUMNS: tuple[str, ...] = (
    "story_id",
    "date",
    "date_end",
    "date_label",
    "date_precision",
    "uncertain",
    "event_type",
    "modality",
    "asserted",
    "actor",
    "actor_country",
    "actors",
    "weapons",
    "sources",
    "n_reports",
    "n_sources",
    "headline",
    "evidence",
    "first_reported",
    "article_ids",
)
REPORT_COLUMNS: tuple[str, ...] = (
    "story_id",
    "event_type",
    "event_date",
    "date_text",
    "modality",
    "published",
    "source",
    "title",
    "evidence",
    "dated_by",
    "url",
    "article_id",
)
# Which report speaks for a story: what the text asserts first, then the likelier readings.
_MODALITY_RANK = {
    "asserted": 0,
    "claimed": 1,
    "planned": 2,
    "possible": 3,
    "negated": 4,
    "generic": 5,
}
_CERTAIN_PRECISIONS = {"day", "datetime"}
_UNCERTAIN_BASES = {"publication", "unknown"}
UNKNOWN_ACTOR = "Unknown actor"
UNKNOWN_COUNTRY = "Unknown"
# The most stories a timeline draws. Past this, a chart of one marker per story is
# unreadable (and Plotly takes minutes over ~100,000 markers): the page draws the most
# reported ones and says how many there are in all. The demo and the 4k-article corpus
# stay under it.
DRAWN_STORIES = 3000
# The newest stories are always kept with them, so the Overview's "Latest stories" list
# (latest_stories) is the same from the drawn frame as from the whole one.
LATEST_KEPT = 10


def empty_timeline() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype="object") for column in TIMELINE_COLUMNS})


def _union_names(frame: pd.DataFrame, column: str, catalog: object, order: pd.Series) -> pd.Series:
    """Per story, the names in a list column, most-mentioned first."""
    members = frame[["story_key", column]].copy()
    members[column] = members[column].map(as_list)
    members = members.explode(column).dropna(subset=[column])
    if members.empty:
        return pd.Series("", index=order.index, dtype="object")
    counts = members.groupby(["story_key", column]).size().rename("n").reset_index()
    counts = counts.sort_values(["story_key", "n", column], ascending=[True, False, True])
    counts["name"] = counts[column].map(catalog.name)  # type: ignore[attr-defined]
    joined = counts.groupby("story_key")["name"].agg(lambda names: ", ".join(dict.fromkeys(names)))
    return order.map(joined).fillna("")


def timeline_frame(view: FilteredView, stories: pd.DataFrame) -> pd.DataFrame:
    """One row per story with its date (and whether the date is uncertain), lane values,
    size (reports), hover text and the articles behind it."""
    events = view.events
    if events.empty:
        return empty_timeline()
    catalog = view.catalog
    events = events.assign(
        story_key=story_keys(events),
        _rank=events["modality"].map(_MODALITY_RANK).fillna(9),
        _confidence=pd.to_numeric(events["confidence"], errors="coerce").fillna(0.0),
    )
    ordered = events.sort_values(
        ["story_key", "_rank", "_confidence"], ascending=[True, True, False], kind="stable"
    )
    best = ordered.drop_duplicates("story_key", keep="first").set_index("story_key")
    grouped = events.groupby("story_key")
    keys = pd.Series(best.index, index=best.index)

    story_table = (
        stories.drop_duplicates("story_id").set_index("story_id") if len(stories) else None
    )

    def from_story(column: str, fallback: pd.Series) -> pd.Series:
        if story_table is None or column not in story_table.columns:
            return fallback
        values = keys.map(story_table[column])
        return values.where(values.notna() & (values.astype(str) != ""), fallback)

    event_date = from_story("event_date", best["event_date"])
    precision = from_story("date_precision", best["date_precision"]).fillna("unknown")
    start, end = event_periods(event_date)
    published = pd.to_datetime(best["published"], utc=True, errors="coerce")
    first_reported = grouped["published"].min()
    first_reported = pd.to_datetime(first_reported, utc=True, errors="coerce").reindex(best.index)
    fallback_day = first_reported.fillna(published).dt.tz_convert("UTC").dt.tz_localize(None)
    dated = start.notna()
    date = start.astype("datetime64[ns]").where(dated, fallback_day.dt.normalize())
    date_end = end.astype("datetime64[ns]").where(dated, date)
    precision = precision.where(dated, "unknown")
    uncertain = (~precision.isin(_CERTAIN_PRECISIONS)) | best["date_basis"].isin(_UNCERTAIN_BASES)
    date_label = event_date.where(dated, "date unknown, reported " + date.dt.strftime("%Y-%m-%d"))
    date_label = date_label.astype(str).where(
        precision.isin(_CERTAIN_PRECISIONS) | ~dated,
        date_label.astype(str) + " (" + precision + ")",
    )

    first_actor = best["actors"].map(lambda value: next(iter(as_list(value)), ""))
    actor = first_actor.map(lambda eid: catalog.name(eid) if eid else UNKNOWN_ACTOR)
    country_id = first_actor.map(lambda eid: (catalog.country_of(eid) or "") if eid else "")
    actor_country = country_id.map(lambda cid: catalog.name(cid) if cid else UNKNOWN_COUNTRY)

    sources = grouped["source"].agg(
        lambda values: ", ".join(sorted({str(v) for v in values if isinstance(v, str)}))
    )
    article_ids = grouped["article_id"].agg(lambda values: list(dict.fromkeys(values)))
    headline = from_story("headline", best["title"]).fillna("")
    evidence_best = best["evidence_text"] if "evidence_text" in best else pd.Series("", index=keys)
    evidence = evidence_best.where(
        evidence_best.astype(str) != "", from_story("evidence", evidence_best)
    )
    frame = pd.DataFrame(
        {
            "story_id": keys,
            "date": date,
            "date_end": date_end,
            "date_label": date_label,
            "date_precision": precision,
            "uncertain": uncertain.astype(bool),
            "event_type": best["event_type"],
            "modality": best["modality"],
            "asserted": best["modality"] == "asserted",
            "actor": actor,
            "actor_country": actor_country,
            "actors": _union_names(events, "actors", catalog, keys),
            "weapons": _union_names(events, "weapons", catalog, keys),
            "sources": sources.reindex(keys.index).fillna(""),
            "n_reports": grouped["article_id"].nunique().reindex(keys.index).astype(int),
            "n_sources": grouped["source"].nunique().reindex(keys.index).astype(int),
            "headline": headline.astype(str),
            "evidence": evidence.fillna("").astype(str),
            "first_reported": first_reported,
            "article_ids": article_ids.reindex(keys.index),
        }
    )
    frame = frame.dropna(subset=["date"])
    return frame.sort_values(["date", "story_id"], kind="stable").reset_index(drop=True)


@dataclass(frozen=True)
class Timeline:
    """What the Timeline page draws and the exact counts behind it.

    ``frame`` is at most :data:`DRAWN_STORIES` (+ :data:`LATEST_KEPT`) stories, in the
    order of :func:`timeline_frame`; ``stories`` and ``reports`` count every placed
    story of the view and ``undated`` those that cannot be placed.
    """

    frame: pd.DataFrame
    stories: int
    reports: int
    undated: int

    @property
    def capped(self) -> bool:
        return len(self.frame) < self.stories


def drawn_stories(
    frame: pd.DataFrame, limit: int = DRAWN_STORIES, latest: int = LATEST_KEPT
) -> pd.DataFrame:
    """The stories of a timeline frame to draw: all of them up to ``limit``; past it the
    ``limit`` most reported (ties: the newer, then by story id) and the ``latest`` newest
    (as :func:`latest_stories` picks them), in the frame's order."""
    if len(frame) <= limit:
        return frame
    by_reports = frame.sort_values(
        ["n_reports", "date", "story_id"], ascending=[False, False, True], kind="stable"
    )
    newest = frame.sort_values(["date", "n_reports"], ascending=[False, False], kind="stable")
    keep = set(by_reports["story_id"].head(limit)) | set(newest["story_id"].head(latest))
    return frame[frame["story_id"].isin(keep)].reset_index(drop=True)


def timeline(view: FilteredView, stories: pd.DataFrame, limit: int = DRAWN_STORIES) -> Timeline:
    """:func:`timeline_frame` cut to what is drawn (:func:`drawn_stories`), with counts."""
    frame = timeline_frame(view, stories)
    return Timeline(
        frame=drawn_stories(frame, limit),
        stories=len(frame),
        reports=int(frame["n_reports"].sum()) if len(frame) else 0,
        undated=undated_stories(view, frame),
    )


def undated_stories(view: FilteredView, timeline: pd.DataFrame) -> int:
    """Stories that cannot be placed: no event date and no publication date either."""
    if view.events.empty:
        return 0
    return len(set(story_keys(view.events)) - set(timeline["story_id"]))


def describe_date_basis(basis: object, text: object) -> str:
    """How an event's date was found, in words an analyst can check against the sentence."""
    quoted = f"“{text}”" if isinstance(text, str) and text else ""
    if basis == "explicit":
        return f"stated: {quoted}" if quoted else "stated in the text"
    if basis == "relative":
        return f"counted from publication or an earlier date: {quoted}" if quoted else "relative"
    if basis == "reference":
        return f"known event: {text}" if quoted else "known event (data/reference)"
    if basis == "publication":
        return "publication date (reported as just happened)"
    return "no date in the text"


def evidence_columns(picked: pd.DataFrame) -> dict[str, Any]:
    """The columns every evidence table shows for its event rows (timeline stories, map
    places): what, when (as dated and as written), how certain, where it was reported and
    the sentence."""
    return {
        "event_type": picked["event_type"].str.replace("_", " "),
        "event_date": [
            date_label(d, p)
            for d, p in zip(picked["event_date"], picked["date_precision"], strict=True)
        ],
        "date_text": picked["date_text"].map(as_written),
        "modality": picked["modality"],
        "published": pd.to_datetime(picked["published"], utc=True, errors="coerce"),
        "source": picked["source"],
        "title": picked["title"],
        "evidence": picked["evidence_text"],
    }


def story_reports(view: FilteredView, story_ids: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """Every filtered report of the chosen stories: source, article, evidence, link."""
    events = view.events
    if events.empty or not story_ids:
        return pd.DataFrame({column: [] for column in REPORT_COLUMNS})
    keyed = events.assign(story_id=story_keys(events))
    picked = keyed[keyed["story_id"].isin(list(story_ids))]
    frame = pd.DataFrame(
        {
            "story_id": picked["story_id"],
            **evidence_columns(picked),
            "dated_by": [
                describe_date_basis(basis, text)
                for basis, text in zip(picked["date_basis"], picked["date_text"], strict=True)
            ],
            "url": picked["url"].map(safe_url),
            "article_id": picked["article_id"],
        }
    )
    order = {story: rank for rank, story in enumerate(story_ids)}
    frame["_order"] = frame["story_id"].map(order)
    frame = frame.sort_values(["_order", "published"], kind="stable").drop(columns="_order")
    return frame.reset_index(drop=True)


# Catalogued events the timeline marks as landmarks: every North Korean nuclear test and
# every Security Council sanctions resolution on it (data/reference, complete series).
KEY_EVENT_SERIES: tuple[str, ...] = ("prk-nuclear-tests", "unsc-dprk-sanctions")
KEY_EVENT_COLUMNS: tuple[str, ...] = ("date", "short", "label", "event_type")


def key_events(start: pd.Timestamp | None = None, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Landmarks from ``data/reference`` between ``start`` and ``end`` (inclusive):
    nuclear tests ("nuclear test 6") and UN sanctions resolutions ("UNSCR 2371")."""
    from flashpoint.nlp.reference import load_reference_events

    rows = []
    for event in load_reference_events():
        if event.series not in KEY_EVENT_SERIES:
            continue
        day = pd.Timestamp(event.date)
        if (start is not None and day < start) or (end is not None and day > end):
            continue
        if event.resolution is not None:
            short = f"UNSCR {event.resolution}"
        elif event.ordinal is not None:
            short = f"nuclear test {event.ordinal}"
        else:
            short = event.label
        rows.append((day, short, event.label, event.event_type))
    frame = pd.DataFrame(rows, columns=list(KEY_EVENT_COLUMNS))
    return frame.sort_values("date").reset_index(drop=True)


def latest_stories(timeline: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The most recent stories, for the overview."""
    if timeline.empty:
        return timeline
    columns = ["date_label", "event_type", "actor", "weapons", "headline", "n_reports", "sources"]
    latest = timeline.sort_values(["date", "n_reports"], ascending=[False, False]).head(n)
    latest = latest[columns].copy()
    latest["event_type"] = latest["event_type"].str.replace("_", " ")
    return latest.rename(columns={"date_label": "date"}).reset_index(drop=True)
