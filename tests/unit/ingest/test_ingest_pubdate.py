"""Publication dates from metadata values: instant in UTC and honest precision."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from flashpoint.ingest.pubdate import apply_stated_precision, coarsen, parse_publication_date

KST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2017", datetime(2017, 1, 1, tzinfo=UTC), "year"),
        ("2017-03", datetime(2017, 3, 1, tzinfo=UTC), "month"),
        ("2017-03-21", datetime(2017, 3, 21, tzinfo=UTC), "day"),
        ("2017/03/21", datetime(2017, 3, 21, tzinfo=UTC), "day"),
        ("2017-03-21T09:40:00+09:00", datetime(2017, 3, 21, 0, 40, tzinfo=UTC), "datetime"),
        ("2017-03-21T09:40:00Z", datetime(2017, 3, 21, 9, 40, tzinfo=UTC), "datetime"),
        ("2017-03-21 09:40", datetime(2017, 3, 21, 9, 40, tzinfo=UTC), "datetime"),
        ("2017-03-21 09:40 KST", datetime(2017, 3, 21, 0, 40, tzinfo=UTC), "datetime"),
        ("Tue, 21 Mar 2017 09:40:00 +0900", datetime(2017, 3, 21, 0, 40, tzinfo=UTC), "datetime"),
        ("Tue, 21 Mar 2017 09:40:00 GMT", datetime(2017, 3, 21, 9, 40, tzinfo=UTC), "datetime"),
        ("Tue, 21 Mar 2017 09:40:00 EDT", datetime(2017, 3, 21, 13, 40, tzinfo=UTC), "datetime"),
        ("March 21, 2017", datetime(2017, 3, 21, tzinfo=UTC), "day"),
        ("21 March 2017", datetime(2017, 3, 21, tzinfo=UTC), "day"),
        ("Mar. 21, 2017", datetime(2017, 3, 21, tzinfo=UTC), "day"),
        ("Sept. 5, 2017", datetime(2017, 9, 5, tzinfo=UTC), "day"),
        ("Tuesday, March 21, 2017", datetime(2017, 3, 21, tzinfo=UTC), "day"),
        ("March 21, 2017 9:40 PM EDT", datetime(2017, 3, 22, 1, 40, tzinfo=UTC), "datetime"),
        ("March 2017", datetime(2017, 3, 1, tzinfo=UTC), "month"),
        ("21st of March, 2017", datetime(2017, 3, 21, tzinfo=UTC), "day"),
        ("1490056800", datetime(2017, 3, 21, 0, 40, tzinfo=UTC), "datetime"),
        ("1490056800000", datetime(2017, 3, 21, 0, 40, tzinfo=UTC), "datetime"),
        (1490056800, datetime(2017, 3, 21, 0, 40, tzinfo=UTC), "datetime"),
        (2017, datetime(2017, 1, 1, tzinfo=UTC), "year"),
        (date(2017, 3, 21), datetime(2017, 3, 21, tzinfo=UTC), "day"),
        (
            datetime(2017, 3, 21, 9, 40, tzinfo=KST),
            datetime(2017, 3, 21, 0, 40, tzinfo=UTC),
            "datetime",
        ),
    ],
)
def test_metadata_date_forms(value, expected, precision):
    parsed, found_precision = parse_publication_date(value)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is not None and parsed.utcoffset() == timedelta(0)
    assert found_precision == precision


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "yesterday", "3 days ago", "last Tuesday", "today", "soon", "2017-13-01", "2017-02-30",
     "1066-10-14", "Tue, 21 Mar 2017 09:40:00 XYZ", float("nan"), True, [2017]],
)  # fmt: skip
def test_unreadable_or_relative_values_are_unknown(value):
    assert parse_publication_date(value) == (None, "unknown")


def test_naive_time_is_read_in_the_default_zone():
    parsed, _ = parse_publication_date("2017-03-21 09:40", default_tz=KST)
    assert parsed == datetime(2017, 3, 21, 0, 40, tzinfo=UTC)
    # a day is the publisher's calendar date, not shifted by the zone
    day, _ = parse_publication_date("2017-03-21", default_tz=KST)
    assert day == datetime(2017, 3, 21, tzinfo=UTC)


def test_stated_precision_can_only_coarsen():
    moment = datetime(2017, 3, 21, 9, 40, tzinfo=UTC)
    assert apply_stated_precision(moment, "datetime", "month") == (
        datetime(2017, 3, 1, tzinfo=UTC),
        "month",
    )
    assert apply_stated_precision(moment, "datetime", "day") == (
        datetime(2017, 3, 21, tzinfo=UTC),
        "day",
    )
    month = datetime(2017, 3, 1, tzinfo=UTC)
    assert apply_stated_precision(month, "month", "day") == (month, "month")
    assert apply_stated_precision(moment, "datetime", "bogus") == (moment, "datetime")
    assert apply_stated_precision(None, "unknown", "day") == (None, "unknown")


def test_coarsen():
    moment = datetime(2017, 3, 21, 9, 40, tzinfo=UTC)
    assert coarsen(moment, "year") == datetime(2017, 1, 1, tzinfo=UTC)
    assert coarsen(moment, "datetime") == moment
