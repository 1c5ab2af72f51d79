"""Event dates: each expression form, time zones, historical references, precision."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flashpoint.nlp.dates import (
    EventDate,
    is_duration,
    load_timezones,
    publication_anchor,
    resolve_event_date,
)

# Tuesday 21 March 2017, 03:00 UTC = 12:00 in Seoul.
PUBLISHED = datetime(2017, 3, 21, 3, 0, tzinfo=UTC)


def resolve(expr: str | None, **kwargs: object) -> EventDate:
    options: dict[str, object] = {"tz": "Asia/Seoul", **kwargs}
    published = options.pop("published", PUBLISHED)
    precision = options.pop("precision", "datetime")
    return resolve_event_date(expr, published, precision, **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("expr", "value"),
    [
        ("July 4", "2016-07-04"),  # no year: the last July 4 before publication
        ("March 6, 2017", "2017-03-06"),
        ("on Nov. 29", "2016-11-29"),
        ("Sept. 3 last year", "2016-09-03"),
        ("2017-03-02", "2017-03-02"),
        ("6 March 2017", "2017-03-06"),
    ],
)
def test_explicit_dates_are_day_precise(expr: str, value: str) -> None:
    result = resolve(expr)
    assert (result.value, result.precision) == (value, "day")
    assert result.text == expr


def test_weekday_is_the_most_recent_such_day() -> None:
    assert resolve("on Monday") == EventDate("2017-03-20", "day", "relative", "on Monday")
    assert resolve("on Sunday").value == "2017-03-19"
    assert resolve("on Wednesday").value == "2017-03-15"


def test_weekday_on_the_publication_day_is_that_day() -> None:
    assert resolve("on Tuesday").value == "2017-03-21"
    assert resolve("last Tuesday").value == "2017-03-14"


def test_weekday_follows_the_local_calendar_of_the_time_zone() -> None:
    # 20:00 UTC on Monday is already Tuesday morning in Seoul, still Monday in Washington.
    late = datetime(2017, 3, 20, 20, 0, tzinfo=UTC)
    assert resolve("on Tuesday", published=late, tz="Asia/Seoul").value == "2017-03-21"
    assert resolve("on Tuesday", published=late, tz="America/New_York").value == "2017-03-14"


def test_weekday_may_lead_a_western_publication_date_by_a_day() -> None:
    monday = datetime(2017, 8, 28, tzinfo=UTC)
    plain = resolve("early Tuesday", published=monday, precision="day")
    led = resolve("early Tuesday", published=monday, precision="day", lead_days=1)
    assert plain.value == "2017-08-22"
    assert led.value == "2017-08-29"


def test_planned_events_look_forward() -> None:
    assert resolve("on Monday", direction="future").value == "2017-03-27"
    assert resolve("next week", direction="future").precision in ("month", "year")


@pytest.mark.parametrize(
    ("expr", "value", "precision"),
    [
        ("yesterday", "2017-03-20", "day"),
        ("three days ago", "2017-03-18", "day"),
        ("a week ago", "2017-03-14", "day"),
        ("Wednesday last week", "2017-03-15", "day"),
        ("over the weekend", "2017-03-18", "day"),
        ("earlier this month", "2017-03", "month"),
        ("last week", "2017-03", "month"),
        ("last month", "2017-02", "month"),
        ("this year", "2017", "year"),
        ("earlier in the day", "2017-03-21", "day"),
    ],
)
def test_relative_expressions(expr: str, value: str, precision: str) -> None:
    result = resolve(expr)
    assert (result.value, result.precision, result.basis) == (value, precision, "relative")


def test_historical_references_keep_their_own_date() -> None:
    assert resolve("the 2006") == EventDate("2006", "year", "explicit", "the 2006")
    assert resolve("last year's") == EventDate("2016", "year", "relative", "last year's")
    assert resolve("in 2016").value == "2016"
    assert resolve("in March").value == "2017-03"


def test_durations_are_not_dates() -> None:
    assert is_duration("two weeks") and is_duration("annual")
    assert not is_duration("two weeks ago")
    assert resolve("two weeks").value is None
    assert resolve("annual").basis == "unknown"


def test_publication_date_only_when_asked_for() -> None:
    assert resolve(None).value is None
    fallback = resolve(None, fallback_to_publication=True)
    assert fallback == EventDate("2017-03-21", "day", "publication", None)
    # An unusable expression falls back too, but only when asked.
    assert resolve("sometime", fallback_to_publication=True).basis == "publication"
    assert resolve("sometime").basis == "unknown"


def test_publication_fallback_is_in_the_events_time_zone() -> None:
    # The morning of 4 July in Pyongyang is the evening of 3 July in Washington.
    published = datetime(2017, 7, 3, 23, 30, tzinfo=UTC)
    korea = resolve(None, published=published, tz="Asia/Pyongyang", fallback_to_publication=True)
    washington = resolve(
        None, published=published, tz="America/New_York", fallback_to_publication=True
    )
    assert korea.value == "2017-07-04"
    assert washington.value == "2017-07-03"


def test_a_day_precise_publication_is_not_moved_between_zones() -> None:
    day = datetime(2017, 3, 21, tzinfo=UTC)
    anchor = publication_anchor(day, "day", "America/New_York")
    assert anchor is not None and anchor.day is not None
    assert anchor.day.isoformat() == "2017-03-21"


def test_month_only_publication_keeps_dates_as_precise_as_the_evidence() -> None:
    march = datetime(2017, 3, 1, tzinfo=UTC)
    assert resolve("on Monday", published=march, precision="month") == EventDate(
        "2017-03", "month", "relative", "on Monday"
    )
    assert resolve("March 6", published=march, precision="month").value == "2017-03-06"
    assert resolve("last month", published=march, precision="month").value == "2017-02"
    assert resolve(None, published=march, precision="month", fallback_to_publication=True) == (
        EventDate("2017-03", "month", "publication", None)
    )


def test_unknown_publication_dates_only_what_the_text_says() -> None:
    unknown = {"published": None, "precision": "unknown"}
    assert resolve("on Monday", **unknown).value is None
    assert resolve("yesterday", **unknown).value is None
    assert resolve("March 6, 2017", **unknown).value == "2017-03-06"
    assert resolve(None, fallback_to_publication=True, **unknown).value is None


def test_time_zones_for_datelines_countries_and_sources() -> None:
    zones = load_timezones()
    assert zones.for_name("SEOUL") == "Asia/Seoul"
    assert zones.for_entity("country:PRK") == "Asia/Pyongyang"
    assert zones.for_entity("place:kuril-islands") is not None
    assert zones.for_source("The Korea Herald") == "Asia/Seoul"
    assert zones.for_name("Atlantis") is None


@pytest.mark.parametrize(
    "expr", ["from September 12 to 19, 2016", "Sept. 12-19, 2016", "12 to 19 September 2016"]
)
def test_a_range_of_days_is_dated_by_the_day_it_starts(expr: str) -> None:
    found = resolve(expr, published=None, precision="unknown")
    assert (found.value, found.precision) == ("2016-09-12", "day")


def test_named_weekday_reads_only_a_bare_weekday() -> None:
    from flashpoint.nlp.dates import named_weekday

    assert named_weekday("on Sunday") == 6
    assert named_weekday("Tuesday's") == 1
    assert named_weekday("early Wednesday") == 2
    assert named_weekday("Sunday, March 5") is None  # the date says more than the weekday
    assert named_weekday("Sunday last week") is None
    assert named_weekday("this week") is None
    assert named_weekday(None) is None
