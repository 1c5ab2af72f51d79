"""Timeline rows: one per story, aggregated from the reports that pass the filters."""

from __future__ import annotations

from typing import Any

import pandas as pd

from flashpoint.analysis.filters import EntityCatalog, EntityInfo, FilteredView
from flashpoint.analysis.timeline import (
    TIMELINE_COLUMNS,
    latest_stories,
    story_reports,
    timeline_frame,
)

CATALOG = EntityCatalog(
    [
        EntityInfo("country:PRK", "North Korea", "country", country="country:PRK"),
        EntityInfo("country:USA", "United States", "country", country="country:USA"),
        EntityInfo("person:kim-jong-un", "Kim Jong Un", "person", country="country:PRK"),
        EntityInfo("org:kcna", "KCNA", "organization"),
        EntityInfo("weapon:hwasong-14", "Hwasong-14", "weapon", klass="ICBM"),
        EntityInfo("weapon:thaad", "THAAD", "weapon", klass="BMD"),
    ]
)


def report(event_id: str, **values: Any) -> dict[str, Any]:
    """One filtered event row as filter_events returns it (article columns joined)."""
    row: dict[str, Any] = {
        "event_id": event_id,
        "article_id": f"article-{event_id}",
        "sentence_idx": 0,
        "start_char": 0,
        "end_char": 10,
        "event_type": "missile_launch",
        "trigger": "launched",
        "actors": ["country:PRK"],
        "participants": [],
        "weapons": [],
        "location": None,
        "event_date": "2017-07-04",
        "date_precision": "day",
        "date_basis": "explicit",
        "date_text": "July 4",
        "modality": "asserted",
        "confidence": 0.8,
        "story_id": None,
        "is_space_launch": False,
        "source": "Wire A",
        "title": f"Title {event_id}",
        "url": f"https://news.invalid/{event_id}",
        "published": pd.Timestamp("2017-07-05T01:00", tz="UTC"),
        "evidence_text": f"Evidence sentence of {event_id}.",
    }
    row.update(values)
    return row


def view(*rows: dict[str, Any]) -> FilteredView:
    events = pd.DataFrame(list(rows))
    return FilteredView(
        articles=pd.DataFrame(), events=events, mentions=pd.DataFrame(), catalog=CATALOG
    )


STORIES = pd.DataFrame(
    [
        {
            "story_id": "s1",
            "event_type": "missile_launch",
            "event_date": "2017-07-04",
            "date_precision": "day",
            "actors": ["country:PRK"],
            "weapons": ["weapon:hwasong-14"],
            "n_articles": 3,
            "n_sources": 2,
            "first_reported": pd.Timestamp("2017-07-04T09:00", tz="UTC"),
            "last_reported": pd.Timestamp("2017-07-06T09:00", tz="UTC"),
            "headline": "North Korea fires its first ICBM",
            "evidence": "The story's chosen sentence.",
        }
    ]
)


def test_reports_of_one_story_become_one_point() -> None:
    frame = timeline_frame(
        view(
            report("e1", story_id="s1", weapons=["weapon:hwasong-14"], confidence=0.7),
            report(
                "e2",
                story_id="s1",
                source="Wire B",
                actors=["person:kim-jong-un"],
                weapons=["weapon:hwasong-14", "weapon:thaad"],
                confidence=0.9,
            ),
            report("e3", story_id="s1", source="Wire B", modality="claimed", confidence=1.0),
        ),
        STORIES,
    )
    assert list(frame.columns) == list(TIMELINE_COLUMNS)
    assert len(frame) == 1
    story = frame.iloc[0]
    assert story["story_id"] == "s1"
    assert story["n_reports"] == 3 and story["n_sources"] == 2
    assert story["sources"] == "Wire A, Wire B"
    assert story["headline"] == "North Korea fires its first ICBM"
    # The most confident *asserted* report speaks for the story, not the claimed one.
    assert story["modality"] == "asserted" and story["asserted"]
    assert story["evidence"] == "Evidence sentence of e2."
    assert story["actor"] == "Kim Jong Un" and story["actor_country"] == "North Korea"
    assert story["weapons"] == "Hwasong-14, THAAD"  # most reported first
    assert story["date"] == pd.Timestamp("2017-07-04") and not story["uncertain"]
    assert story["article_ids"] == ["article-e1", "article-e2", "article-e3"]


def test_unlinked_events_are_stories_of_their_own() -> None:
    frame = timeline_frame(view(report("e1"), report("e2", event_date="2017-07-05")), STORIES)
    assert sorted(frame["story_id"]) == ["event:e1", "event:e2"]
    assert frame["headline"].tolist() == ["Title e1", "Title e2"]


def test_uncertain_dates_are_flagged_and_placed() -> None:
    frame = timeline_frame(
        view(
            report("month", event_date="2017-08", date_precision="month"),
            report("guessed", event_date="2017-09-02", date_basis="publication"),
            report("undated", event_date=None, date_precision="unknown", date_basis="unknown"),
            report("exact", event_date="2017-10-01"),
        ),
        STORIES.iloc[0:0],
    )
    rows = frame.set_index("story_id")
    assert rows.at["event:month", "date"] == pd.Timestamp("2017-08-01")
    assert rows.at["event:month", "date_label"] == "2017-08 (month)"
    assert rows.at["event:month", "uncertain"]
    assert rows.at["event:guessed", "uncertain"]
    assert rows.at["event:undated", "uncertain"]
    assert rows.at["event:undated", "date"] == pd.Timestamp("2017-07-05")  # first reported
    assert rows.at["event:undated", "date_label"] == "date unknown, reported 2017-07-05"
    assert not rows.at["event:exact", "uncertain"]
    assert frame["story_id"].tolist() == [
        "event:undated",
        "event:month",
        "event:guessed",
        "event:exact",
    ]


def test_actors_without_a_country_and_events_without_actors() -> None:
    frame = timeline_frame(
        view(report("e1", actors=["org:kcna"]), report("e2", actors=[], event_date="2017-07-06")),
        STORIES.iloc[0:0],
    )
    rows = frame.set_index("story_id")
    assert rows.at["event:e1", "actor"] == "KCNA"
    assert rows.at["event:e1", "actor_country"] == "Unknown"
    assert rows.at["event:e2", "actor"] == "Unknown actor"


def test_planned_only_story_is_not_asserted() -> None:
    frame = timeline_frame(view(report("e1", modality="planned")), STORIES.iloc[0:0])
    assert frame.iloc[0]["modality"] == "planned"
    assert not frame.iloc[0]["asserted"]


def test_story_reports_list_each_report_with_a_safe_link() -> None:
    current = view(
        report("e1", story_id="s1"),
        report("e2", story_id="s1", url="javascript:alert(1)"),
        report("e3", story_id="s2"),
    )
    reports = story_reports(current, ("s1",))
    assert reports["article_id"].tolist() == ["article-e1", "article-e2"]
    assert reports["evidence"].tolist() == ["Evidence sentence of e1.", "Evidence sentence of e2."]
    assert reports["url"].tolist()[0] == "https://news.invalid/e1"
    assert pd.isna(reports["url"].tolist()[1])
    assert story_reports(current, ()).empty


def test_story_reports_say_how_each_date_was_found() -> None:
    current = view(
        report("e1", story_id="s1"),
        report("e2", story_id="s1", date_basis="reference", date_text="the fourth test"),
        report("e3", story_id="s1", date_basis="publication", date_text=None),
    )
    dated_by = story_reports(current, ("s1",))["dated_by"].tolist()
    assert dated_by == [
        "stated: “July 4”",
        "known event: the fourth test",
        "publication date (reported as just happened)",
    ]


def test_latest_stories_newest_first() -> None:
    frame = timeline_frame(
        view(report("old", event_date="2016-01-01"), report("new", event_date="2017-12-01")),
        STORIES.iloc[0:0],
    )
    latest = latest_stories(frame, 1)
    assert latest["date"].tolist() == ["2017-12-01"]
    assert latest["event_type"].tolist() == ["missile launch"]


def test_no_events_no_stories() -> None:
    empty = timeline_frame(view(), STORIES)
    assert empty.empty and list(empty.columns) == list(TIMELINE_COLUMNS)
