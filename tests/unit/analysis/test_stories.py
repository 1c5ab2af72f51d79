"""Story linking: reports of one real-world event across articles become one story."""

from __future__ import annotations

from typing import Any

import pandas as pd

from flashpoint.analysis.stories import build_stories
from flashpoint.schema import EVENT_COLUMNS, STORY_COLUMNS

TEXT = "North Korea fired a missile over Japan. It landed in the Pacific."


def article(
    article_id: str, source: str, published: str, title: str, duplicate_of: str | None = None
) -> dict[str, Any]:
    return {
        "article_id": article_id,
        "source": source,
        "published": pd.Timestamp(published, tz="UTC"),
        "title": title,
        "duplicate_of": duplicate_of,
        "text": TEXT,
    }


def event(
    event_id: str,
    article_id: str,
    date: str | None,
    *,
    event_type: str = "missile_launch",
    actors: tuple[str, ...] = ("country:PRK",),
    weapons: tuple[str, ...] = (),
    participants: tuple[str, ...] = (),
    precision: str | None = None,
    modality: str = "asserted",
    confidence: float = 0.8,
) -> dict[str, Any]:
    if precision is None:
        precision = {10: "day", 7: "month", 4: "year"}.get(len(date or ""), "unknown")
    return {
        "event_id": event_id,
        "article_id": article_id,
        "sentence_idx": 0,
        "start_char": 0,
        "end_char": 39,
        "event_type": event_type,
        "trigger": "fired",
        "actors": list(actors),
        "participants": list(participants),
        "weapons": list(weapons),
        "location": None,
        "event_date": date,
        "date_precision": precision,
        "date_basis": "relative" if date else "unknown",
        "date_text": None,
        "modality": modality,
        "confidence": confidence,
        "story_id": None,
        "is_space_launch": False,
    }


ARTICLES = pd.DataFrame(
    [
        article("a1", "NPR", "2017-08-28T23:00", "North Korea Launches Another Missile"),
        article("a2", "CNN", "2017-08-29T02:00", "Missile flies over Japan"),
        article(
            "a3",
            "NPR",
            "2017-08-29T05:00",
            "North Korea Launches Another Missile",
            duplicate_of="a1",
        ),
        article("a4", "Reuters", "2017-09-15T01:00", "North Korea fires again"),
        article("a5", "Korea Herald", "2017-08-01T00:00", "August launches"),
    ]
)


def story_of(events: pd.DataFrame, event_id: str) -> str:
    return str(events.loc[events["event_id"] == event_id, "story_id"].iloc[0])


def test_reports_of_one_launch_are_one_story_sized_by_coverage() -> None:
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29", confidence=0.9),
            event("e2", "a2", "2017-08-29"),
            event("e3", "a2", "2017-08-28"),  # a day off: another time zone
            event("e4", "a3", "2017-08-29"),  # a near-duplicate of a1
            event("e5", "a4", "2017-09-15"),  # a later launch
        ]
    )
    stories, linked = build_stories(reports, ARTICLES)
    assert list(stories.columns) == list(STORY_COLUMNS)
    assert list(linked.columns) == list(EVENT_COLUMNS)
    assert len({story_of(linked, e) for e in ("e1", "e2", "e3", "e4")}) == 1
    assert story_of(linked, "e5") != story_of(linked, "e1")
    first = stories.set_index("story_id").loc[story_of(linked, "e1")]
    assert first["n_articles"] == 2  # a3 copies a1: counted once
    assert first["n_sources"] == 2
    assert first["event_date"] == "2017-08-29"
    assert first["date_precision"] == "day"
    assert first["headline"] == "North Korea Launches Another Missile"
    assert first["first_reported"] == pd.Timestamp("2017-08-28T23:00", tz="UTC")
    assert first["last_reported"] == pd.Timestamp("2017-08-29T05:00", tz="UTC")
    assert first["evidence"] == "North Korea fired a missile over Japan."
    assert list(first["actors"]) == ["country:PRK"]


def test_different_types_actors_and_certainty_stay_apart() -> None:
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29"),
            event(
                "e2",
                "a2",
                "2017-08-29",
                event_type="meeting",
                actors=("country:JPN", "country:USA"),
            ),
            event("e3", "a2", "2017-08-29", actors=("country:USA",)),
            event("e4", "a3", "2017-08-29", modality="planned"),
            event("e5", "a4", "2017-08-29", modality="claimed"),
        ]
    )
    _, linked = build_stories(reports, ARTICLES)
    stories = {e: story_of(linked, e) for e in ("e1", "e2", "e3", "e4", "e5")}
    assert stories["e5"] == stories["e1"]  # what KCNA claims happened is the same event
    assert len({stories[e] for e in ("e1", "e2", "e3", "e4")}) == 4


def test_dates_more_than_a_day_apart_are_different_stories() -> None:
    reports = pd.DataFrame([event("e1", "a1", "2017-08-26"), event("e2", "a2", "2017-08-29")])
    _, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e1") != story_of(linked, "e2")


def test_a_month_precise_report_joins_the_one_launch_of_its_month_that_fits() -> None:
    # "North Korea's launch in August": one launch that August, so that one, unless the
    # report names another weapon.
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29", weapons=("weapon:hwasong-12",)),
            event("e2", "a5", "2017-08", weapons=("weapon:hwasong-12",)),
            event("e3", "a5", "2017-08"),
            event("e4", "a5", "2017-08", weapons=("weapon:hwasong-14",)),
            event("e5", "a5", "2017-08", actors=("country:USA",)),
            event("e6", "a5", "2017-08", modality="planned"),
        ]
    )
    stories, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e2") == story_of(linked, "e1")
    assert story_of(linked, "e3") == story_of(linked, "e1")
    assert story_of(linked, "e4") != story_of(linked, "e1")  # another missile
    assert story_of(linked, "e5") != story_of(linked, "e1")  # another actor
    assert story_of(linked, "e6") != story_of(linked, "e1")  # a plan is not the launch
    # The story keeps the most precise date its reports give.
    first = stories.set_index("story_id").loc[story_of(linked, "e1")]
    assert first["event_date"] == "2017-08-29"
    assert first["n_articles"] == 2


def test_a_month_precise_report_with_two_launches_in_its_month_stays_apart() -> None:
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29", weapons=("weapon:hwasong-12",)),
            event("e2", "a2", "2017-08-26"),
            event("e3", "a5", "2017-08"),  # which of the two? says nothing
            event("e4", "a5", "2017-08", weapons=("weapon:hwasong-12",)),  # the named one
        ]
    )
    _, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e1") != story_of(linked, "e2")
    assert story_of(linked, "e3") not in {story_of(linked, "e1"), story_of(linked, "e2")}
    assert story_of(linked, "e4") == story_of(linked, "e1")


def test_month_precise_reports_never_bridge_two_launches_of_one_weapon() -> None:
    # Two Hwasong-12 launches in one month: "the Hwasong-12 launch in August" is one of
    # them, not a reason to make them one.
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29", weapons=("weapon:hwasong-12",)),
            event("e2", "a2", "2017-08-10", weapons=("weapon:hwasong-12",)),
            event("e3", "a5", "2017-08", weapons=("weapon:hwasong-12",)),
            event("e4", "a4", "2017-08", weapons=("weapon:hwasong-12",)),
        ]
    )
    _, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e1") != story_of(linked, "e2")
    assert story_of(linked, "e3") == story_of(linked, "e4")  # month reports of one weapon
    assert story_of(linked, "e3") not in {story_of(linked, "e1"), story_of(linked, "e2")}


def test_a_year_precise_report_joins_the_one_test_of_its_year() -> None:
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2016-01-06", event_type="nuclear_test"),
            event("e2", "a2", "2016", event_type="nuclear_test"),
            event("e3", "a4", "2017-09-03", event_type="nuclear_test"),
            event("e4", "a1", "2017-09-15"),
            event("e5", "a2", "2017-08-29"),
            event("e6", "a5", "2017"),  # two launches that year: which?
        ]
    )
    _, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e2") == story_of(linked, "e1")
    assert story_of(linked, "e3") != story_of(linked, "e1")
    assert story_of(linked, "e6") not in {story_of(linked, "e4"), story_of(linked, "e5")}


def test_undated_reports_and_years_without_a_dated_story_are_stories_of_their_own() -> None:
    reports = pd.DataFrame(
        [
            event("e1", "a1", None),
            event("e2", "a2", None),
            event("e3", "a1", "2016"),
            event("e4", "a2", "2016"),
        ]
    )
    stories, linked = build_stories(reports, ARTICLES)
    assert linked["story_id"].nunique() == 4
    assert len(stories) == 4


def test_a_report_without_actors_joins_the_only_story_of_its_day() -> None:
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29"),
            event("e2", "a2", "2017-08-29", actors=()),
            event("e3", "a4", "2017-09-15", actors=()),
        ]
    )
    _, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e2") == story_of(linked, "e1")
    assert story_of(linked, "e3") != story_of(linked, "e1")


def test_story_ids_do_not_depend_on_row_order() -> None:
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29"),
            event("e2", "a2", "2017-08-29"),
            event("e3", "a4", "2017-09-15"),
        ]
    )
    _, forward = build_stories(reports, ARTICLES)
    _, backward = build_stories(reports.iloc[::-1], ARTICLES)
    assert dict(zip(forward["event_id"], forward["story_id"], strict=True)) == dict(
        zip(backward["event_id"], backward["story_id"], strict=True)
    )


def test_list_columns_from_parquet_and_missing_article_columns() -> None:
    reports = pd.DataFrame([event("e1", "a1", "2017-08-29"), event("e2", "a2", "2017-08-29")])
    reports["actors"] = reports["actors"].map(lambda v: pd.array(v, dtype="object").to_numpy())
    stories, linked = build_stories(reports, ARTICLES[["article_id"]])
    assert linked["story_id"].nunique() == 1
    assert stories["evidence"].isna().all()
    assert stories["n_sources"].iloc[0] == 2  # without sources, each article counts as its own


def test_no_events_gives_empty_tables() -> None:
    stories, linked = build_stories(pd.DataFrame(columns=list(EVENT_COLUMNS)), ARTICLES)
    assert stories.empty and linked.empty
    assert list(stories.columns) == list(STORY_COLUMNS)


def reacting_reports(second_article_names_japan: bool = True) -> pd.DataFrame:
    """A launch over Japan reported by two articles, and a third whose reports took Japan
    (who protested) for the launcher."""
    return pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29", participants=("country:JPN",)),
            event(
                "e2",
                "a2",
                "2017-08-29",
                participants=("country:JPN",) if second_article_names_japan else (),
            ),
            event("e3", "a4", "2017-08-29", actors=("country:JPN",)),
            event("e4", "a4", "2017-08-28", actors=("country:JPN",), modality="claimed"),
        ]
    )


def test_a_report_naming_the_reacting_country_as_actor_joins_the_story_it_reacts_to() -> None:
    _, linked = build_stories(reacting_reports(), ARTICLES)
    assert len({story_of(linked, e) for e in ("e1", "e2", "e3", "e4")}) == 1


def test_one_article_naming_a_party_is_not_enough_to_move_a_report() -> None:
    _, linked = build_stories(reacting_reports(second_article_names_japan=False), ARTICLES)
    assert story_of(linked, "e1") == story_of(linked, "e2")
    assert story_of(linked, "e3") != story_of(linked, "e1")


def test_a_launch_by_the_targeted_country_stays_its_own_story() -> None:
    # "South Korea fired a Hyunmoo missile in response" on the day of a launch toward it:
    # another missile, another story; and two sides firing at each other stay apart.
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-09-15", participants=("country:KOR",)),
            event("e2", "a2", "2017-09-15", participants=("country:KOR",)),
            event(
                "e3",
                "a4",
                "2017-09-15",
                actors=("country:KOR",),
                weapons=("weapon:hyunmoo-2",),
            ),
            event("e4", "a4", "2017-09-15", event_type="exercise", actors=("country:KOR",)),
        ]
    )
    _, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e3") != story_of(linked, "e1")
    assert story_of(linked, "e4") != story_of(linked, "e1")

    exchange = pd.DataFrame(
        [
            event("e1", "a1", "2017-09-15", participants=("country:KOR",)),
            event("e2", "a2", "2017-09-15", participants=("country:KOR",)),
            event("e3", "a4", "2017-09-15", actors=("country:KOR",), participants=("country:PRK",)),
            event("e4", "a5", "2017-09-15", actors=("country:KOR",), participants=("country:PRK",)),
        ]
    )
    _, linked = build_stories(exchange, ARTICLES)
    assert story_of(linked, "e1") != story_of(linked, "e3")
    assert story_of(linked, "e3") == story_of(linked, "e4")


def test_a_report_without_actors_picks_the_story_whose_parties_are_its_own() -> None:
    # Two launches reported that day; "a missile flew over Japan" names no launcher.
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-08-29", participants=("country:JPN",)),
            event("e2", "a2", "2017-08-29", participants=("country:JPN",)),
            event("e3", "a4", "2017-08-29", actors=("country:IRN",)),
            event("e4", "a5", "2017-08-29", actors=(), participants=("country:JPN",)),
            event("e5", "a5", "2017-08-29", actors=()),
        ]
    )
    _, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e4") == story_of(linked, "e1")
    assert story_of(linked, "e5") not in {story_of(linked, "e1"), story_of(linked, "e3")}


def test_a_meeting_known_by_its_month_needs_its_parties() -> None:
    # "Seoul and Washington met in June" is the June summit of the two; "South Korea held
    # talks in June" could be any meeting, and "Seoul and Beijing met" another one.
    pair = ("country:KOR", "country:USA")
    reports = pd.DataFrame(
        [
            event("e1", "a1", "2017-06-29", event_type="meeting", actors=pair),
            event("e2", "a5", "2017-06", event_type="meeting", actors=pair),
            event("e3", "a5", "2017-06", event_type="meeting", actors=("country:KOR",)),
            event(
                "e4", "a5", "2017-06", event_type="meeting", actors=("country:KOR", "country:CHN")
            ),
        ]
    )
    _, linked = build_stories(reports, ARTICLES)
    assert story_of(linked, "e2") == story_of(linked, "e1")
    assert story_of(linked, "e3") != story_of(linked, "e1")
    assert story_of(linked, "e4") != story_of(linked, "e1")


def test_a_report_without_actors_joins_the_story_that_dominates_its_day() -> None:
    # Four articles report the nuclear test of North Korea; one took South Korea (which
    # said it detected the blast) for the tester. "Its fourth nuclear test" names no one:
    # it is the test the day's coverage is about, not the one misread report.
    articles = pd.DataFrame(
        [article(f"n{k}", f"S{k}", "2016-01-06T12:00", "Nuclear test") for k in range(1, 8)]
    )
    test = {"event_type": "nuclear_test"}
    reports = pd.DataFrame(
        [
            event("e1", "n1", "2016-01-06", **test),
            event("e2", "n2", "2016-01-06", **test),
            event("e3", "n3", "2016-01-05", **test),  # a day off: another time zone
            event("e4", "n4", "2016-01-06", **test),
            event("e5", "n5", "2016-01-06", actors=("country:KOR",), **test),
            event("e6", "n6", "2016-01-06", actors=(), **test),
            event("e7", "n7", "2016-01-06", actors=(), modality="possible", **test),
        ]
    )
    _, linked = build_stories(reports, articles)
    assert story_of(linked, "e6") == story_of(linked, "e1")
    assert story_of(linked, "e5") != story_of(linked, "e1")
    assert story_of(linked, "e7") != story_of(linked, "e1")  # not what happened

    # Without a dominant story (four articles against two) the report stays apart.
    balanced = pd.concat(
        [reports, pd.DataFrame([event("e8", "n7", "2016-01-06", actors=("country:KOR",), **test)])]
    )
    _, linked = build_stories(balanced, articles)
    assert story_of(linked, "e5") == story_of(linked, "e8")
    assert story_of(linked, "e6") not in {story_of(linked, "e1"), story_of(linked, "e5")}

    # Two articles are too few to dominate, whatever the other side.
    few = reports[reports["event_id"].isin(["e1", "e2", "e5", "e6"])]
    _, linked = build_stories(few, articles)
    assert story_of(linked, "e6") not in {story_of(linked, "e1"), story_of(linked, "e5")}
