"""Counting stories and reports, and placing events on the map."""

from __future__ import annotations

from typing import Any

import pandas as pd

from flashpoint.analysis.counts import by_type_frame, plural, story_counts
from flashpoint.analysis.filters import EntityCatalog, EntityInfo, FilteredView
from flashpoint.analysis.geo import country_points, locate, map_frame, place_points, place_reports


def event(
    event_id: str, story: str | None, article: str, kind: str, **values: Any
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "event_id": event_id,
        "story_id": story,
        "article_id": article,
        "event_type": kind,
        "location": None,
        "event_date": "2017-09-03",
        "date_precision": "day",
        "date_text": None,
        "modality": "asserted",
        "published": pd.Timestamp("2017-09-04", tz="UTC"),
        "source": "Wire",
        "title": "Title",
        "evidence_text": f"Evidence of {event_id}.",
        "url": "https://example.org/" + article,
    }
    row.update(values)
    return row


# One test reported by two articles, one of which names it three times; a sanction; and an
# unlinked launch (a story of its own).
EVENTS = pd.DataFrame(
    [
        event("e1", "s-test", "a1", "nuclear_test", location="place:punggye-ri"),
        event("e2", "s-test", "a1", "nuclear_test", location="place:punggye-ri"),
        event("e3", "s-test", "a1", "nuclear_test", location="place:punggye-ri"),
        event("e4", "s-test", "a2", "nuclear_test", location="country:PRK"),
        event("e5", "s-sanction", "a2", "sanction", location="place:new-york"),
        event("e6", None, "a3", "missile_launch", location="east coast", date_text="this year"),
    ]
)
CATALOG = EntityCatalog([EntityInfo("country:PRK", "North Korea", "country")])


def test_a_story_is_counted_once_and_a_report_once_per_article() -> None:
    counts = story_counts(EVENTS)
    assert (counts.stories, counts.reports) == (3, 4)  # test: a1 and a2; sanction; launch
    assert counts.by_type["nuclear_test"] == (1, 2)  # one test, not four
    assert counts.by_type["missile_launch"] == (1, 1)
    frame = by_type_frame(counts)
    assert list(frame.columns) == ["event_type", "label", "stories", "reports"]
    assert frame.set_index("event_type").loc["sanction", "stories"] == 1
    assert story_counts(EVENTS.iloc[0:0]).stories == 0


def test_plural() -> None:
    assert plural(1, "report") == "1 report"
    assert plural(2, "report") == "2 reports"
    assert plural(1, "story") == "1 story"
    assert plural(1200, "story") == "1,200 stories"


def test_places_come_from_the_gazetteer_and_countries_from_the_shipped_map() -> None:
    punggye = place_points()["place:punggye-ri"]
    assert 40 < punggye.lat < 42 and 128 < punggye.lon < 130
    lat, lon = country_points()["PRK"]
    assert 38 < lat < 43 and 124 < lon < 131
    assert locate("country:PRK", CATALOG).name == "North Korea"  # type: ignore[union-attr]
    assert locate("east coast", CATALOG) is None  # text the gazetteer does not know
    assert locate(None, CATALOG) is None


def test_map_frame_counts_stories_and_reports_per_place_and_type() -> None:
    view = FilteredView(
        articles=pd.DataFrame(), events=EVENTS, mentions=pd.DataFrame(), catalog=CATALOG
    )
    frame, unplaced = map_frame(view)
    assert unplaced == 1  # the launch on "the east coast"
    rows = frame.set_index(["place_id", "event_type"])
    assert rows.loc[("place:punggye-ri", "nuclear_test"), "reports"] == 1  # a1, three sentences
    assert rows.loc[("place:punggye-ri", "nuclear_test"), "stories"] == 1
    assert rows.loc[("country:PRK", "nuclear_test"), "place"] == "North Korea"
    assert rows.loc[("place:new-york", "sanction"), "lat"] > 40
    evidence = place_reports(view, "place:punggye-ri", "nuclear_test")
    assert list(evidence["evidence"]) == ["Evidence of e1.", "Evidence of e2.", "Evidence of e3."]
    assert (evidence["event_date"] == "2017-09-03").all() and (evidence["date_text"] == "–").all()
