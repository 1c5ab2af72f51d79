"""Reference events: the catalogue's facts, its queries, and its checks on bad data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from flashpoint.nlp.events.public_record import series_countries
from flashpoint.nlp.gazetteer import Gazetteer
from flashpoint.nlp.reference import (
    ReferenceDataError,
    ReferenceEvent,
    ReferenceIndex,
    default_reference_index,
    load_reference_events,
    load_series,
    ordinal_value,
)

PRK = ["country:PRK"]
UNSC = ["org:unsc"]


@pytest.fixture(scope="module")
def index() -> ReferenceIndex:
    return default_reference_index()


def _day(event: ReferenceEvent | None) -> date | None:
    return event.date if event else None


# -- by_ordinal ----------------------------------------------------------------------------


def test_fourth_nuclear_test_is_january_2016_and_claimed_hydrogen(index: ReferenceIndex) -> None:
    event = index.by_ordinal("nuclear_test", PRK, 4)
    assert event is not None
    assert event.date == date(2016, 1, 6)
    assert event.claimed_hydrogen


def test_first_claimed_hydrogen_test_is_the_fourth(index: ReferenceIndex) -> None:
    claimed = [e for e in index.events if e.claimed_hydrogen]
    assert [e.date for e in claimed] == [date(2016, 1, 6), date(2017, 9, 3)]


def test_ordinal_with_any_actor_and_with_a_wrong_actor(index: ReferenceIndex) -> None:
    assert _day(index.by_ordinal("nuclear_test", [], 6)) == date(2017, 9, 3)
    assert index.by_ordinal("nuclear_test", ["country:USA"], 6) is None
    assert index.by_ordinal("nuclear_test", PRK, 7) is None


def test_icbm_ordinal_needs_its_series(index: ReferenceIndex) -> None:
    # "its first launch" is not "its first ICBM launch": missile launches have no
    # whole-type series, so an unqualified ordinal finds nothing.
    assert index.by_ordinal("missile_launch", PRK, 1) is None
    assert _day(index.by_ordinal("missile_launch", PRK, 1, series="icbm")) == date(2017, 7, 4)
    assert _day(index.by_ordinal("missile_launch", PRK, 3, series="ICBM")) == date(2017, 11, 29)
    by_id = index.by_ordinal("missile_launch", PRK, 2, series="prk-icbm-launches")
    assert _day(by_id) == date(2017, 7, 28)
    assert index.by_ordinal("missile_launch", PRK, 1, series="hypersonic") is None
    assert index.by_ordinal("nuclear_test", PRK, 1, series="icbm") is None


def test_satellite_series_marks_the_first_to_reach_orbit(index: ReferenceIndex) -> None:
    event = index.by_ordinal("missile_launch", PRK, 4, series="satellite")
    assert event is not None and event.date == date(2012, 12, 12)
    assert event.is_space_launch and event.reached_orbit
    launches = [e for e in index.events if e.series == "prk-satellite-launches"]
    assert all(e.is_space_launch for e in launches)
    first_in_orbit = min((e for e in launches if e.reached_orbit), key=lambda e: e.date)
    assert first_in_orbit is event


def test_icbm_weapons_are_the_hwasongs(index: ReferenceIndex) -> None:
    icbms = [e for e in index.events if e.series == "prk-icbm-launches"]
    assert [e.weapons for e in icbms] == [
        ("weapon:hwasong-14",),
        ("weapon:hwasong-14",),
        ("weapon:hwasong-15",),
    ]
    assert not any(e.is_space_launch for e in icbms)


# -- by_resolution -------------------------------------------------------------------------


def test_resolution_by_number(index: ReferenceIndex) -> None:
    event = index.by_resolution(2371)
    assert event is not None
    assert event.date == date(2017, 8, 5)
    assert event.actors == ("org:unsc",) and event.participants == ("country:PRK",)
    assert _day(index.by_resolution(1718)) == date(2006, 10, 14)
    assert index.by_resolution(9999) is None


def test_all_eleven_sanctions_resolutions(index: ReferenceIndex) -> None:
    numbers = [e.resolution for e in index.events if e.event_type == "sanction"]
    assert numbers == [1695, 1718, 1874, 2087, 2094, 2270, 2321, 2356, 2371, 2375, 2397]


# -- only_in -------------------------------------------------------------------------------


def test_only_in_a_month_and_in_a_year_with_two(index: ReferenceIndex) -> None:
    january = index.only_in("nuclear_test", PRK, date(2016, 1, 1), date(2016, 1, 31))
    assert _day(january) == date(2016, 1, 6)
    assert index.only_in("nuclear_test", PRK, date(2016, 1, 1), date(2016, 12, 31)) is None
    assert index.only_in("nuclear_test", PRK, date(2015, 1, 1), date(2015, 12, 31)) is None


def test_only_in_uses_partial_series_only_when_named(index: ReferenceIndex) -> None:
    # December 2012 is before the whole-type launch list starts (2016): only the
    # satellite series, named, can say its launch was the only one.
    lo, hi = date(2012, 12, 1), date(2012, 12, 31)
    assert index.only_in("missile_launch", PRK, lo, hi) is None
    assert _day(index.only_in("missile_launch", PRK, lo, hi, series="satellite")) == date(
        2012, 12, 12
    )


def test_whole_launch_list_counts_icbm_and_satellite_launches(index: ReferenceIndex) -> None:
    # 2016-2017 lists every launch day: February 2016's only launch is the satellite
    # launch (catalogued in its own series); July 2017 had two ICBM flights, so no answer.
    feb = index.only_in("missile_launch", PRK, date(2016, 2, 1), date(2016, 2, 29))
    assert _day(feb) == date(2016, 2, 7)
    assert index.only_in("missile_launch", PRK, date(2017, 7, 1), date(2017, 7, 31)) is None
    nov = index.only_in("missile_launch", PRK, date(2017, 11, 1), date(2017, 11, 30))
    assert _day(nov) == date(2017, 11, 29)
    assert (
        index.only_in("missile_launch", ["country:USA"], date(2016, 2, 1), date(2016, 2, 29))
        is None
    )
    # no whole-type list before 2016: one catalogued launch proves nothing there
    assert index.only_in("missile_launch", PRK, date(2015, 1, 1), date(2015, 12, 31)) is None


def test_only_in_by_weekday(index: ReferenceIndex) -> None:
    # April 2017: launches on Wednesday the 5th, Sunday the 16th and Saturday the 29th.
    lo, hi = date(2017, 3, 25), date(2017, 4, 30)
    assert _day(index.only_in("missile_launch", PRK, lo, hi, weekday=6)) == date(2017, 4, 16)
    assert _day(index.only_in("missile_launch", PRK, lo, hi, weekday=2)) == date(2017, 4, 5)
    assert index.only_in("missile_launch", PRK, lo, hi, weekday=0) is None  # no Monday launch
    # two Sunday launches in May 2017 (14th, 21st): no answer
    may = (date(2017, 5, 1), date(2017, 5, 31))
    assert index.only_in("missile_launch", PRK, *may, weekday=6) is None


def test_thaad_milestones_only_when_asked_for(index: ReferenceIndex) -> None:
    april = (date(2017, 4, 1), date(2017, 4, 30))
    assert index.only_in("deployment", ["country:USA"], *april) is None  # not all deployments
    assert _day(index.only_in("deployment", ["country:USA"], *april, series="thaad")) == date(
        2017, 4, 26
    )
    march = index.only_in(
        "deployment", ["country:KOR"], date(2017, 3, 1), date(2017, 3, 31), series="thaad"
    )
    assert _day(march) == date(2017, 3, 6)
    assert (
        index.only_in("deployment", [], date(2016, 1, 1), date(2016, 6, 30), series="thaad") is None
    )


def test_first_of_a_qualified_series_after_a_range(index: ReferenceIndex) -> None:
    # nothing of thaad-korea had happened by the end of February 2017: the first is Osan
    feb = (date(2017, 2, 1), date(2017, 2, 28))
    assert _day(index.first_of("deployment", "thaad", *feb)) == date(2017, 3, 6)
    assert _day(index.first_of("deployment", "thaad-korea", *feb)) == date(2017, 3, 6)
    # a range reaching the first event (March 2017), or before the coverage (June 2016)
    assert index.first_of("deployment", "thaad", date(2017, 3, 1), date(2017, 3, 31)) is None
    assert index.first_of("deployment", "thaad", date(2016, 6, 1), date(2016, 8, 31)) is None
    # no qualifier matched, or a whole-type series named by id: never answers
    assert index.first_of("deployment", "patriot", *feb) is None
    assert index.first_of("missile_launch", "prk-missile-launches", *feb) is None
    with pytest.raises(ValueError):
        index.first_of("deployment", "thaad", date(2017, 2, 2), date(2017, 2, 1))


def test_the_thaad_series_happens_in_south_korea(index: ReferenceIndex) -> None:
    assert series_countries("thaad", index) == frozenset({"country:KOR"})
    assert series_countries("thaad-korea", index) == frozenset({"country:KOR"})


def test_every_catalogued_event_names_its_source(index: ReferenceIndex) -> None:
    assert all(e.source for e in index.events)


def test_only_in_refuses_ranges_past_the_coverage(index: ReferenceIndex) -> None:
    # The ICBM series is complete through 2017 only: a 2018 range proves nothing.
    lo, hi = date(2017, 11, 1), date(2018, 1, 31)
    assert index.only_in("missile_launch", PRK, lo, hi, series="icbm") is None
    nov = index.only_in("missile_launch", PRK, date(2017, 11, 1), date(2017, 11, 30), series="icbm")
    assert _day(nov) == date(2017, 11, 29)


def test_only_in_sanctions_by_actor_and_participant(index: ReferenceIndex) -> None:
    lo, hi = date(2017, 8, 1), date(2017, 8, 31)
    assert _day(index.only_in("sanction", UNSC, lo, hi)) == date(2017, 8, 5)
    assert _day(index.only_in("sanction", UNSC, lo, hi, participants=PRK)) == date(2017, 8, 5)
    assert index.only_in("sanction", ["country:USA"], lo, hi) is None
    assert index.only_in("sanction", UNSC, lo, hi, participants=["country:IRN"]) is None


def test_only_in_rejects_an_empty_range(index: ReferenceIndex) -> None:
    with pytest.raises(ValueError, match="empty range"):
        index.only_in("nuclear_test", PRK, date(2016, 2, 1), date(2016, 1, 1))


# -- latest_on_or_before -------------------------------------------------------------------


def test_an_exercise_going_on_on_a_day(index: ReferenceIndex) -> None:
    allies = ["country:KOR", "country:USA"]
    ufg = index.going_on("exercise", allies, date(2017, 8, 29), series="ulchi freedom guardian")
    assert [e.event_id for e in ufg] == ["ex-ulchi-freedom-guardian-2017"]
    assert index.going_on("exercise", allies, date(2017, 9, 1), series="ufg") == []
    # 15 March 2017: Key Resolve within Foal Eagle, both under way
    both = [
        e.event_id
        for q in ("key resolve", "foal eagle")
        for e in index.going_on("exercise", allies, date(2017, 3, 15), series=q)
    ]
    assert both == ["ex-key-resolve-2017", "ex-foal-eagle-2017"]
    # a series that does not cover the day says nothing
    assert index.going_on("exercise", allies, date(2019, 8, 20), series="ufg") == []


def test_latest_within_a_month(index: ReferenceIndex) -> None:
    latest = index.latest_on_or_before("nuclear_test", PRK, date(2017, 9, 20), within_days=31)
    assert _day(latest) == date(2017, 9, 3)
    assert index.latest_on_or_before("nuclear_test", PRK, date(2017, 11, 1), within_days=31) is None


def test_latest_window_edges(index: ReferenceIndex) -> None:
    # (day - within_days, day]: the test day itself counts, the day before the window not.
    assert _day(
        index.latest_on_or_before("nuclear_test", PRK, date(2017, 9, 3), within_days=1)
    ) == date(2017, 9, 3)
    day = date(2017, 10, 3)
    assert _day(index.latest_on_or_before("nuclear_test", PRK, day, within_days=31)) == date(
        2017, 9, 3
    )
    assert index.latest_on_or_before("nuclear_test", PRK, day, within_days=30) is None


def test_latest_takes_the_most_recent_of_several(index: ReferenceIndex) -> None:
    latest = index.latest_on_or_before("sanction", UNSC, date(2017, 9, 30), within_days=90)
    assert latest is not None and latest.resolution == 2375


def test_latest_needs_a_complete_covering_series(index: ReferenceIndex) -> None:
    day = date(2018, 1, 10)
    assert (
        index.latest_on_or_before("missile_launch", PRK, day, within_days=60, series="icbm") is None
    )
    assert index.latest_on_or_before("missile_launch", PRK, day, within_days=60) is None
    in_2017 = index.latest_on_or_before(
        "missile_launch", PRK, date(2017, 12, 20), within_days=60, series="icbm"
    )
    assert _day(in_2017) == date(2017, 11, 29)
    with pytest.raises(ValueError, match="within_days"):
        index.latest_on_or_before("nuclear_test", PRK, day, within_days=0)


# -- ordinal_value -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("first", 1),
        ("Fourth", 4),
        ("twelfth", 12),
        ("1st", 1),
        ("2nd", 2),
        ("3rd", 3),
        ("4th", 4),
        ("11th", 11),
        ("12th", 12),
        ("21st", 21),
        (" sixth ", 6),
    ],
)
def test_ordinal_value(word: str, value: int) -> None:
    assert ordinal_value(word) == value


@pytest.mark.parametrize("word", ["", "last", "latest", "4st", "11st", "0th", "four", "4"])
def test_not_an_ordinal(word: str) -> None:
    assert ordinal_value(word) is None


# -- the data itself -----------------------------------------------------------------------


def test_ordinals_follow_the_dates_in_every_series(index: ReferenceIndex) -> None:
    for series_id in index.series:
        counted = [e.ordinal for e in index.events if e.series == series_id and e.ordinal]
        assert counted == list(range(1, len(counted) + 1)), series_id


def test_every_series_has_events_and_a_known_event_type(index: ReferenceIndex) -> None:
    types = {"nuclear_test", "sanction", "missile_launch", "deployment", "exercise", "meeting"}
    for series in index.series.values():
        assert series.event_type in types
        assert any(e.series == series.series_id for e in index.events), series.series_id
    assert {s.series_id for s in index.series.values() if s.complete} == set(index.series)
    assert index.qualifiers == {
        "icbm",
        "satellite",
        "thaad",
        "key resolve",
        "foal eagle",
        "ulchi freedom guardian",
        "inter-korean summit",
    }


def test_every_id_exists_in_the_gazetteer(index: ReferenceIndex) -> None:
    gazetteer = Gazetteer.load()
    expected = {"actors": {"country", "organization"}, "participants": {"country"}}
    for event in index.events:
        for role, allowed in expected.items():
            for entity_id in getattr(event, role):
                entry = gazetteer.get(entity_id)
                assert entry is not None, f"{event.event_id}: {entity_id}"
                assert entry.entity_type in allowed, f"{event.event_id}: {entity_id}"
        for weapon in event.weapons:
            entry = gazetteer.get(weapon)
            assert entry is not None and entry.entity_type == "weapon", (
                f"{event.event_id}: {weapon}"
            )
        if event.location:
            entry = gazetteer.get(event.location)
            assert entry is not None and entry.entity_type == "place", event.event_id
    for series in index.series.values():
        for entity_id in (*series.actors, *series.participants):
            assert entity_id in gazetteer, f"{series.series_id}: {entity_id}"


def test_ids_are_unique_slugs() -> None:
    events = load_reference_events()
    ids = [e.event_id for e in events]
    assert len(ids) == len(set(ids))
    assert all(i == i.lower() and " " not in i for i in ids)


# -- malformed data ------------------------------------------------------------------------

GOOD = {
    "id": "x-1",
    "series": "prk-nuclear-tests",
    "event_type": "nuclear_test",
    "date": "2006-10-09",
    "actors": ["country:PRK"],
    "label": "a test",
}


def _write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_malformed_json_line_names_file_and_line(tmp_path: Path) -> None:
    path = _write(tmp_path / "events.jsonl", json.dumps(GOOD), "{not json")
    with pytest.raises(ValueError, match=r"events\.jsonl:2: not JSON"):
        load_reference_events(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"date": "2017-02-30"}, "not a calendar date"),
        ({"date": "20170205"}, "YYYY-MM-DD"),
        ({"actors": []}, "at least one actor"),
        ({"actors": "PRK"}, "list of ids"),
        ({"ordinal": 0}, "positive integer"),
        ({"ordnial": 3}, "unknown key"),
        ({"claimed_hydrogen": "yes"}, "true or false"),
        ({"label": None}, "'label'"),
        ({"last_day": "2017-09-31"}, "not a calendar date"),
    ],
)
def test_bad_field_names_file_and_line(tmp_path: Path, change: dict, message: str) -> None:
    path = _write(tmp_path / "events.jsonl", "", json.dumps({**GOOD, **change}))
    with pytest.raises(ReferenceDataError, match=rf"events\.jsonl:2: .*{message}"):
        load_reference_events(path)


def test_missing_key_and_duplicate_id(tmp_path: Path) -> None:
    missing = {k: v for k, v in GOOD.items() if k != "date"}
    with pytest.raises(ReferenceDataError, match=r"events\.jsonl:1: missing date"):
        load_reference_events(_write(tmp_path / "events.jsonl", json.dumps(missing)))
    twice = _write(tmp_path / "twice.jsonl", json.dumps(GOOD), json.dumps(GOOD))
    with pytest.raises(ReferenceDataError, match=r"twice\.jsonl:2: duplicate id 'x-1'"):
        load_reference_events(twice)


def test_index_rejects_inconsistent_events(tmp_path: Path) -> None:
    series = load_series()
    unknown = _write(tmp_path / "a.jsonl", json.dumps({**GOOD, "series": "nope"}))
    with pytest.raises(ReferenceDataError, match="unknown series 'nope'"):
        ReferenceIndex(load_reference_events(unknown), series)
    wrong_type = _write(tmp_path / "b.jsonl", json.dumps({**GOOD, "event_type": "sanction"}))
    with pytest.raises(ReferenceDataError, match="series prk-nuclear-tests holds"):
        ReferenceIndex(load_reference_events(wrong_type), series)
    two = [json.dumps({**GOOD, "id": f"x-{n}", "ordinal": 1}) for n in (1, 2)]
    with pytest.raises(ReferenceDataError, match="ordinal 1 used twice"):
        ReferenceIndex(load_reference_events(_write(tmp_path / "c.jsonl", *two)), series)
    late = _write(
        tmp_path / "d.jsonl",
        json.dumps(
            {
                **GOOD,
                "series": "prk-icbm-launches",
                "event_type": "missile_launch",
                "date": "2019-01-01",
            }
        ),
    )
    with pytest.raises(ReferenceDataError, match="outside the coverage"):
        ReferenceIndex(load_reference_events(late), series)


def test_malformed_series_row_names_file_and_line(tmp_path: Path) -> None:
    header = (
        "series,event_type,qualifier,actors,participants,complete,covers_from,covers_to,description"
    )
    path = _write(tmp_path / "series.csv", header, "s,nuclear_test,,country:PRK,,maybe,,,x")
    with pytest.raises(ReferenceDataError, match=r"series\.csv:2: 'complete'"):
        load_series(path)


def test_the_first_successful_satellite_launch_counts_only_launches_that_reached_orbit() -> None:
    index = ReferenceIndex.load()
    first = index.by_ordinal("missile_launch", ["country:PRK"], 1, series="satellite")
    first_successful = index.by_ordinal(
        "missile_launch", ["country:PRK"], 1, series="satellite", successful=True
    )
    assert first is not None and first.date.isoformat() == "1998-08-31"
    assert first_successful is not None and first_successful.date.isoformat() == "2012-12-12"
    # Nuclear tests record no success flag: "successful" cannot be counted there.
    assert index.by_ordinal("nuclear_test", ["country:PRK"], 1, successful=True) is None


def test_exercise_names_find_their_series(index: ReferenceIndex) -> None:
    found = index.series_named_in("the annual Key Resolve and Foal Eagle exercises")
    assert found == ["key resolve", "foal eagle"]
    assert index.series_named_in("the UFG drill") == ["ulchi freedom guardian"]
    assert index.series_named_in("UFGs and the key resolved") == []  # whole words only
    ufg = index.only_in(
        "exercise", [], date(2016, 8, 1), date(2016, 8, 31), series="ulchi freedom guardian"
    )
    assert _day(ufg) == date(2016, 8, 22)


def test_a_name_of_an_unknown_series_is_an_error(tmp_path: Path) -> None:
    from flashpoint.nlp.reference import load_names

    names = tmp_path / "names.csv"
    names.write_text("name,series\nufg,no-such-series\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="no-such-series"):
        ReferenceIndex(load_reference_events(), load_series(), load_names(names))
    twice = tmp_path / "twice.csv"  # (a new path: the loader caches by path)
    twice.write_text("name,series\nufg,ex-key-resolve\nUFG,ex-foal-eagle\n", encoding="utf-8")
    with pytest.raises(ReferenceDataError, match="twice"):
        load_names(twice)
