"""Event dates: date expressions resolved against the publication date, in local time.

A report says "on Monday" or "yesterday"; what that means depends on when the article was
published *where it was written*. A publication instant (UTC) is first turned into a local
calendar day in the relevant time zone (the place the event happened when known, else the
dateline's, else the source's, else UTC), then each expression becomes an interval of days
[lo, hi]. The interval gives the precision: one day -> "day", within one month -> "month",
within one year -> "year". Weekdays are resolved here, not by dateparser (whose weekday
handling is inconsistent); dateparser only handles leftovers that name a month.

The publication date itself is never an expression's answer unless the caller says the
event was reported as just happened (``fallback_to_publication``): historical references
("the 2006 test", "last year's launch") keep their own date or none.
"""

from __future__ import annotations

import calendar
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from spacy.tokens import Span

from flashpoint.config import GAZETTEER_DIR, resource_path

Direction = Literal["past", "future"]

FALLBACK_TIMEZONES = resource_path("lexicons", "timezones_fallback.csv")

MONTHS: dict[str, int] = {}
for _number, _name in enumerate(calendar.month_name):
    if _name:
        MONTHS[_name.lower()] = _number
        MONTHS[_name[:3].lower()] = _number
MONTHS.update({"sept": 9})
WEEKDAYS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update({name.lower(): i for i, name in enumerate(calendar.day_abbr)})
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "several": 3,
    "a few": 3,
    "few": 3,
}

_MONTH_RE = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_RE = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR_RE = r"(?P<year>(?:19|20)\d\d)"
_WEEKDAY_RE = r"(?P<weekday>mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\.?"

# Words around a date that do not change which day it is.
_NOISE = re.compile(
    r"\b(?:on|in|at|over|since|during|around|about|by|of|from|until|as early as|as of|"
    r"early|late|mid|the|local time|korean time|japan time|seoul time|time|morning|afternoon|"
    r"evening|night|dawn|daybreak|noon|midday|hours|around|a\.m\.|p\.m\.|am|pm|\d{1,2}:\d\d|"
    r"gmt|utc|est|edt|kst|jst)\b"
)

# Expressions that name a span of time, not a point: "two weeks", "annual", "decades".
_DURATION = re.compile(
    r"^(?:the )?(?:past |last |next |first |coming |previous )?(?:\d+|a|an|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|several|few|a few|many|\w+teen|\w+ty)[- ](?:day|week|month|year|decade)s?"
    r"(?:-long| long)?$"
    r"|^(?:annual|annually|daily|weekly|monthly|yearly|decades?|years|months|weeks|days|recent years|"
    r"recent months|recent weeks|recent days|the past|the future|now|currently|once|twice|"
    r"these days|those days|today's|the day|a day|a year|the year|this time)$"
)


@dataclass(frozen=True, slots=True)
class EventDate:
    """An event's date as stored: ISO value at its precision, and where it came from."""

    value: str | None
    precision: str  # day|month|year|unknown
    basis: str  # explicit|relative|publication|unknown
    text: str | None = None


UNKNOWN_DATE = EventDate(None, "unknown", "unknown", None)


@dataclass(frozen=True, slots=True)
class Anchor:
    """The publication as a local interval of days: one day, a month or a year."""

    lo: date
    hi: date
    precision: str  # day|month|year

    @property
    def day(self) -> date | None:
        return self.lo if self.precision == "day" else None


def as_tzinfo(tz: str | tzinfo | None) -> tzinfo | None:
    """A tzinfo for a zone name (or None for unknown/invalid names)."""
    if tz is None or isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def publication_anchor(
    published: datetime | None, precision: str, tz: str | tzinfo | None = None
) -> Anchor | None:
    """The local calendar day (or month, year) of publication, or None when unknown.

    Only a publication known to the minute is moved into ``tz``: a day-precise date is
    the day the source printed, whatever the zone.
    """
    if published is None or precision in ("unknown", "", None):
        return None
    if precision == "datetime":
        zone = as_tzinfo(tz) or UTC
        instant = published if published.tzinfo else published.replace(tzinfo=UTC)
        local = instant.astimezone(zone).date()
        return Anchor(local, local, "day")
    day = published.date()
    if precision == "day":
        return Anchor(day, day, "day")
    if precision == "month":
        return Anchor(day.replace(day=1), _month_end(day.year, day.month), "month")
    if precision == "year":
        return Anchor(date(day.year, 1, 1), date(day.year, 12, 31), "year")
    return None


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _shift_interval(anchor: Anchor, days: int) -> tuple[date, date]:
    """An anchor moved by a few days; a month/year anchor stays itself (the day is unknown)."""
    if anchor.precision == "day":
        day = anchor.lo + timedelta(days=days)
        return day, day
    return anchor.lo, anchor.hi


def interval_to_date(lo: date, hi: date) -> tuple[str | None, str]:
    """The ISO value and precision an interval of days supports."""
    if lo == hi:
        return lo.isoformat(), "day"
    if hi - lo <= timedelta(days=1):
        return lo.isoformat(), "day"  # "over the weekend", "Monday night" across midnight
    if (lo.year, lo.month) == (hi.year, hi.month):
        return f"{lo.year:04d}-{lo.month:02d}", "month"
    if lo.year == hi.year:
        return f"{lo.year:04d}", "year"
    return None, "unknown"


def value_interval(value: str) -> tuple[date, date]:
    """The days an ISO day, month or year value covers (``2017-03``: 1-31 March)."""
    if len(value) == 10:
        return date.fromisoformat(value), date.fromisoformat(value)
    if len(value) == 4:
        return date(int(value), 1, 1), date(int(value), 12, 31)
    first = date.fromisoformat(value + "-01")
    return first, _month_end(first.year, first.month)


def clean_expression(text: str) -> str:
    """Lower-case, without the words around a date that don't move it."""
    value = text.lower().replace("\u2019", "'").replace("’", "'")
    value = re.sub(r"'s\b", "", value)
    value = re.sub(r"[“”\"(),;]", " ", value)
    value = value.replace("-", " ")
    value = _NOISE.sub(" ", value)
    return re.sub(r"\s+", " ", value).strip(" .")


def named_weekday(text: str | None) -> int | None:
    """The day of the week (Monday 0) a bare weekday expression names: "Sunday",
    "on Sunday", "Sunday's", "last Sunday", "early Tuesday"; None for anything that says
    more ("Sunday, March 5", "Sunday last week") or nothing of a weekday."""
    if not text:
        return None
    m = re.fullmatch(
        r"(?:(?:last|past|this|earlier|early|late) )?" + _WEEKDAY_RE, clean_expression(text)
    )
    return WEEKDAYS[m["weekday"][:3]] if m else None


def is_duration(text: str) -> bool:
    """True for spans of time that are not points ("two weeks", "annual")."""
    value = re.sub(r"\s+", " ", text.lower().replace("’", "'")).strip(" .,")
    return bool(_DURATION.match(value)) and "ago" not in value


def _choose_year(month: int, day: int, anchor: Anchor, direction: Direction) -> int:
    """The year that puts month/day on the right side of publication (one day's slack)."""
    year = anchor.hi.year if direction == "past" else anchor.lo.year
    try:
        candidate = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    except ValueError:
        return year
    if direction == "past" and candidate > anchor.hi + timedelta(days=1):
        return year - 1
    if direction == "future" and candidate < anchor.lo - timedelta(days=1):
        return year + 1
    return year


def _weekday_interval(
    weekday: int, qualifier: str, anchor: Anchor, direction: Direction, lead_days: int = 0
) -> tuple[date, date]:
    """The most recent such weekday on or before publication (the publication day itself
    when it matches); the next one on or after it for future events. ``lead_days`` lets
    the event's local calendar run that many days ahead of the printed publication date
    (a Tuesday-morning launch in Korea is reported in a Monday-dated US paper)."""
    if anchor.precision != "day":
        return anchor.lo, anchor.hi
    pub = anchor.lo
    if qualifier == "" and direction == "past" and 0 < (weekday - pub.weekday()) % 7 <= lead_days:
        day = pub + timedelta(days=(weekday - pub.weekday()) % 7)
        return day, day
    if qualifier == "next" or (direction == "future" and qualifier not in ("last", "past")):
        delta = (weekday - pub.weekday()) % 7
        if qualifier == "next" and delta == 0:
            delta = 7
        day = pub + timedelta(days=delta)
        return day, day
    delta = (pub.weekday() - weekday) % 7
    if qualifier in ("last", "past") and delta == 0:
        delta = 7
    day = pub - timedelta(days=delta)
    return day, day


def _relative_unit(
    unit: str, offset: int, anchor: Anchor, part: str = ""
) -> tuple[date, date] | None:
    """This/last/next week, month or year; ``part`` "earlier" stops at publication."""
    ref = anchor.lo if anchor.precision == "day" else None
    if unit == "year":
        year = anchor.lo.year + offset
        lo, hi = date(year, 1, 1), date(year, 12, 31)
        if offset == 0 and part == "earlier":
            hi = anchor.hi
        return lo, hi
    if unit == "month":
        if anchor.precision == "year":
            return (anchor.lo, anchor.hi) if offset == 0 else None
        month_start = _add_months(anchor.lo.replace(day=1), offset)
        lo, hi = month_start, _month_end(month_start.year, month_start.month)
        if offset == 0 and part == "earlier" and ref is not None:
            hi = ref
        return lo, hi
    if unit == "week":
        if ref is None:
            return (anchor.lo, anchor.hi) if anchor.precision == "month" and offset == 0 else None
        monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=offset)
        hi = monday + timedelta(days=6)
        if offset == 0 and part == "earlier":
            hi = ref
        return monday, hi
    return None


def _calendar_day(year: int, month: int, day: int) -> date | None:
    """The day, or None where the numbers name no day (a 31 June, a 13th month)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _interval_for(
    text: str, anchor: Anchor | None, direction: Direction, lead_days: int = 0
) -> tuple[date, date, str] | None:
    """The interval an expression names, and whether it was explicit or relative."""
    if re.fullmatch(r"\s*(?:early|earlier|late|later)\s+in\s+the\s+day\s*", text, re.IGNORECASE):
        if anchor is None:
            return None
        lo, hi = _shift_interval(anchor, 0)
        return lo, hi, "relative"
    iso = re.search(r"\b(?P<year>\d{4})-(?P<month>\d\d)-(?P<day>\d\d)\b", text)
    value = clean_expression(text)
    if not value or is_duration(text):
        return None
    numeric = iso or re.fullmatch(r"(?P<month>\d{1,2})/(?P<day>\d{1,2})/" + _YEAR_RE, value)
    if numeric:  # "2017-03-06", "3/6/2017"
        exact = _calendar_day(int(numeric["year"]), int(numeric["month"]), int(numeric["day"]))
        return (exact, exact, "explicit") if exact else None
    # A range of days names the day it starts: "September 12 to 19, 2016", "12-19 Sept."
    m = re.fullmatch(
        _MONTH_RE
        + r" "
        + _DAY_RE
        + r" (?:to |through |and |– )?\d{1,2}(?:st|nd|rd|th)?(?P<rest> .+)?",
        value,
    ) or re.fullmatch(
        _DAY_RE
        + r" (?:to |through |and |– )?\d{1,2}(?:st|nd|rd|th)? "
        + _MONTH_RE
        + r"(?P<rest> .+)?",
        value,
    )
    if m:
        start = f"{m['month']} {m['day']}" + (m["rest"] or "")
        found = _interval_for(start, anchor, direction, lead_days)
        if found is not None and found[0] == found[1]:
            return found
    # Month day[, year] / day month [year]
    for pattern in (
        _MONTH_RE + r" " + _DAY_RE + r"(?: " + _YEAR_RE + r")?(?P<rel> (?:last|this|next) year)?",
        _DAY_RE + r" " + _MONTH_RE + r"(?: " + _YEAR_RE + r")?(?P<rel> (?:last|this|next) year)?",
        r"(?:" + _WEEKDAY_RE + r" )?" + _MONTH_RE + r" " + _DAY_RE + r"(?: " + _YEAR_RE + r")?",
    ):
        m = re.fullmatch(pattern, value)
        if not m:
            continue
        month = MONTHS[m["month"][:3]]
        day_number = int(m["day"])
        if m["year"]:
            year = int(m["year"])
            basis = "explicit"
        elif "rel" in m.groupdict() and m["rel"]:
            if anchor is None:
                return None
            year = anchor.lo.year + {"last": -1, "this": 0, "next": 1}[m["rel"].split()[0]]
            basis = "relative"
        else:
            if anchor is None:
                return None
            year = _choose_year(month, day_number, anchor, direction)
            basis = "explicit"
        exact = _calendar_day(year, month, day_number)
        return (exact, exact, basis) if exact else None
    m = re.fullmatch(r"(?P<q>last|this|next) " + _MONTH_RE, value)
    if m:  # "last September": the latest September before publication
        if anchor is None:
            return None
        month = MONTHS[m["month"][:3]]
        year = anchor.lo.year
        if m["q"] == "last" and month >= anchor.lo.month:
            year -= 1
        elif m["q"] == "next" and month <= anchor.lo.month:
            year += 1
        return date(year, month, 1), _month_end(year, month), "relative"
    m = re.fullmatch(
        _MONTH_RE + r"(?: " + _YEAR_RE + r"|(?P<rel> (?:last|this|next) year))?", value
    )
    if m:
        month = MONTHS[m["month"][:3]]
        if m["year"]:
            year = int(m["year"])
        elif m["rel"]:
            if anchor is None:
                return None
            year = anchor.lo.year + {"last": -1, "this": 0, "next": 1}[m["rel"].split()[0]]
        else:
            if anchor is None:
                return None
            year = _choose_year(month, 1, anchor, direction)
        return date(year, month, 1), _month_end(year, month), "explicit"
    m = re.fullmatch(_YEAR_RE, value)
    if m:
        year = int(m["year"])
        return date(year, 1, 1), date(year, 12, 31), "explicit"
    if anchor is None:
        return None
    # Relative to publication from here on.
    relative = _relative_interval(value, anchor, direction, lead_days)
    if relative is not None:
        return relative[0], relative[1], "relative"
    parsed = _dateparser_interval(value, anchor, direction)
    return None if parsed is None else (parsed[0], parsed[1], "explicit")


def _relative_interval(
    value: str, anchor: Anchor, direction: Direction, lead_days: int = 0
) -> tuple[date, date] | None:
    if value in ("today", "tonight", "earlier today", "later today", "this"):
        return _shift_interval(anchor, 0) if value != "this" else None
    if value in ("yesterday", "last", "previous day", "day before"):
        return _shift_interval(anchor, -1)
    if value == "tomorrow":
        return _shift_interval(anchor, 1)
    if value == "day before yesterday":
        return _shift_interval(anchor, -2)
    m = re.fullmatch(r"(?P<q>last|this|next|past|coming)? ?" + _WEEKDAY_RE, value)
    if m:
        weekday = WEEKDAYS[m["weekday"][:3]]
        return _weekday_interval(weekday, m["q"] or "", anchor, direction, lead_days)
    m = re.fullmatch(r"(?P<part>earlier|later) " + _WEEKDAY_RE, value)
    if m:  # "a meeting for later Sunday": that day still to come; "earlier Sunday": gone by
        weekday = WEEKDAYS[m["weekday"][:3]]
        toward: Direction = "future" if m["part"] == "later" else "past"
        return _weekday_interval(weekday, "", anchor, toward, lead_days)
    m = re.fullmatch(_WEEKDAY_RE + r" (?P<q>last|this|next) week", value)
    if m:  # "Wednesday last week"
        if anchor.precision != "day":
            return anchor.lo, anchor.hi
        offset = {"last": -1, "this": 0, "next": 1}[m["q"]]
        monday = anchor.lo - timedelta(days=anchor.lo.weekday()) + timedelta(weeks=offset)
        day = monday + timedelta(days=WEEKDAYS[m["weekday"][:3]])
        return day, day
    m = re.fullmatch(
        r"(?P<n>\d+|a few|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"
        r" (?P<unit>day|week|month|year)s? (?:ago|earlier|before)",
        value,
    )
    if m:
        n = int(m["n"]) if m["n"].isdigit() else NUMBER_WORDS[m["n"]]
        return _units_ago(n, m["unit"], anchor)
    m = re.fullmatch(r"(?P<q>this|last|past|previous|next|coming)? ?weekend", value)
    if m:
        return _weekend(m["q"] or "", anchor, direction)
    m = re.fullmatch(
        r"(?P<part>earlier|later)? ?(?P<q>this|last|past|previous|next|coming) (?P<unit>week|month|year)",
        value,
    )
    if m:
        offset = {"this": 0, "last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1}[m["q"]]
        return _relative_unit(m["unit"], offset, anchor, m["part"] or "")
    return None


def _units_ago(n: int, unit: str, anchor: Anchor) -> tuple[date, date] | None:
    if unit == "day":
        return _shift_interval(anchor, -n)
    if unit == "week":
        # "a week ago" names the same weekday a week back, in news usage.
        return _shift_interval(anchor, -7 * n) if anchor.precision == "day" else None
    if unit == "month":
        if anchor.precision == "year":
            return None
        start = _add_months(anchor.lo.replace(day=1), -n)
        return start, _month_end(start.year, start.month)
    year = anchor.lo.year - n
    return date(year, 1, 1), date(year, 12, 31)


def _weekend(qualifier: str, anchor: Anchor, direction: Direction) -> tuple[date, date] | None:
    """Saturday and Sunday: the weekend just past, or the coming one for future events."""
    if anchor.precision != "day":
        return (anchor.lo, anchor.hi) if anchor.precision == "month" else None
    pub = anchor.lo
    if qualifier in ("next", "coming") or (direction == "future" and qualifier != "last"):
        saturday = pub + timedelta(days=(5 - pub.weekday()) % 7)
        if qualifier == "next" and pub.weekday() >= 5:
            saturday += timedelta(weeks=1)
        return saturday, saturday + timedelta(days=1)
    saturday = pub - timedelta(days=(pub.weekday() - 5) % 7)
    if qualifier in ("last", "past", "previous") and pub.weekday() >= 5:
        saturday -= timedelta(weeks=1)
    return saturday, saturday + timedelta(days=1)


def _dateparser_interval(
    value: str, anchor: Anchor, direction: Direction
) -> tuple[date, date] | None:
    """Leftovers that name a month or a day number ("Sept 3rd", "the 4th of July")."""
    if not re.search(_MONTH_RE, value) or anchor.precision != "day":
        return None
    from dateparser.date import DateDataParser

    base = datetime.combine(anchor.lo, datetime.min.time())
    parser = DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": direction,
            "RETURN_AS_TIMEZONE_AWARE": False,
            "REQUIRE_PARTS": ["month"],
        },
    )
    try:
        data = parser.get_date_data(value)
    except (ValueError, OverflowError, TypeError):
        return None
    if data.date_obj is None:
        return None
    found = data.date_obj.date()
    if data.period == "day":
        return found, found
    if data.period == "month":
        return found.replace(day=1), _month_end(found.year, found.month)
    if data.period == "year":
        return date(found.year, 1, 1), date(found.year, 12, 31)
    return None


def resolve_event_date(
    expr: str | None,
    published: datetime | None,
    published_precision: str = "datetime",
    *,
    tz: str | tzinfo | None = None,
    direction: Direction = "past",
    fallback_to_publication: bool = False,
    lead_days: int = 0,
) -> EventDate:
    """The date an expression names, relative to publication in ``tz``.

    ``expr`` is the text of a date expression ("on Monday", "March 6, 2017", "last
    year's"); None when the event came with none. ``tz`` is the zone whose calendar the
    report follows (the event's place, else the dateline's). ``direction`` is "future"
    for planned events ("will meet on Monday"). With ``fallback_to_publication`` an event
    with no usable expression gets the local publication day (basis "publication").
    ``lead_days`` (0 or 1): a bare weekday may name the day after publication, for events
    in a zone ahead of the one the publication date was printed in.
    """
    anchor = publication_anchor(published, published_precision, tz)
    if expr:
        found = _interval_for(expr, anchor, direction, lead_days)
        if found is not None:
            lo, hi, basis = found
            value, precision = interval_to_date(lo, hi)
            if value is not None:
                return EventDate(value, precision, basis, expr.strip())
    if fallback_to_publication and anchor is not None:
        value, precision = interval_to_date(anchor.lo, anchor.hi)
        if value is not None:
            return EventDate(value, precision, "publication", None)
    return UNKNOWN_DATE


# --- Times relative to another event -------------------------------------------------------

_NUMBER_ALT = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_SEQUENCE = re.compile(
    r"(?:(?:the\s+)?(?:following|subsequent)|the\s+next)\s+(?P<unit1>day|week|month|year)"
    r"|(?P<n>\d+|" + _NUMBER_ALT + r")\s+(?P<unit2>day|week|month|year)s?\s+later"
    r"|(?P<back>\d+|" + _NUMBER_ALT + r")\s+(?P<unit7>day|week|month|year)s?\s+(?:earlier|before)"
    r"|(?:later\s+)?(?:(?:that|the)\s+)?same\s+(?P<unit3>day|week|month|year)"
    r"|(?:later\s+)?that\s+(?P<unit4>day)"
    r"|later\s+that\s+(?P<unit5>week|month|year)"
    r"|(?:at\s+)?(?:the|that)\s+(?P<unit6>time)",
    re.IGNORECASE,
)


def sequence_shift(text: str) -> tuple[int, str] | None:
    """(count, unit) of an expression that places an event after another one the text
    has just dated: "the following month" (1, month), "a week later" (1, week), "three
    days later" (3, day), "the same day" / "later that day" (0, day); and before it, a
    negative count: "four years before" (-4, year), "two days earlier" (-2, day). Unlike
    "four years ago" (counted from the time of writing), "before" and "earlier" without an
    object count from a time the text has just given. None otherwise."""
    # Not clean_expression: it drops "the", and "the next month" (after another event)
    # is not "next month" (after publication).
    cleaned = re.sub(r"\s+", " ", text.lower()).strip(" .,;:")
    cleaned = re.sub(r"^(?:on|in|by|until|from)\s+", "", cleaned)
    m = _SEQUENCE.fullmatch(cleaned)
    if m is None:
        return None
    if m["unit1"]:
        return 1, m["unit1"].lower()
    if m["unit2"]:
        n = m["n"].lower()
        return (int(n) if n.isdigit() else NUMBER_WORDS[n]), m["unit2"].lower()
    if m["unit7"]:
        n = m["back"].lower()
        return -(int(n) if n.isdigit() else NUMBER_WORDS[n]), m["unit7"].lower()
    if m["unit6"]:
        return 0, "day"  # "at the time": when the event just told of happened
    return 0, (m["unit3"] or m["unit4"] or m["unit5"]).lower()


def shift_event_date(anchor: EventDate, count: int, unit: str, text: str) -> EventDate:
    """``anchor`` moved forward by ``count`` units (back, if negative), no finer than the
    anchor itself."""
    if anchor.value is None:
        return UNKNOWN_DATE
    if anchor.precision == "day" and unit in ("day", "week"):
        day = date.fromisoformat(anchor.value) + timedelta(
            days=count * (7 if unit == "week" else 1)
        )
        return EventDate(day.isoformat(), "day", "relative", text)
    if anchor.precision in ("day", "month") and unit == "month":
        start = _add_months(date.fromisoformat(anchor.value[:7] + "-01"), count)
        return EventDate(start.strftime("%Y-%m"), "month", "relative", text)
    if unit == "year":
        return EventDate(f"{int(anchor.value[:4]) + count:04d}", "year", "relative", text)
    if count == 0 or unit == "day":
        return EventDate(anchor.value, anchor.precision, "relative", text)
    return UNKNOWN_DATE


# --- Finding date expressions in a sentence -------------------------------------------------

_EXTRA_DATE_PATTERNS = re.compile(
    r"\b(?:(?:last|this|next|past)\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
    r"|\b(?:later )?(?:that|the) same day\b|\blater that day\b|\bat (?:the|that) time\b(?! of)"
    r"|\b(?:the )?(?:following|subsequent) (?:day|week|month|year)\b|\bthe next (?:day|week)\b"
    r"|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+) (?:day|week|month|year)s? later\b"
    r"|\b(?:yesterday|today|tonight|last night|over the weekend|last weekend|earlier this (?:week|month|year)|"
    r"(?:last|this|next) (?:week|month|year)(?:'s|’s)?)\b"
    r"|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.? \d{1,2}(?:, \d{4})?\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(?: \d{1,2}(?:st|nd|rd|th)?)?(?:,? \d{4})?\b"
    r"|\b(?:19|20)\d\d\b",
    re.IGNORECASE,
)


def find_date_spans(sent: Span) -> list[Span]:
    """Date expressions in a sentence: the model's DATE entities plus weekday, month and
    relative patterns it missed. Durations ("two weeks", "annual") are left out."""
    doc = sent.doc
    found: list[Span] = [
        ent for ent in sent.ents if ent.label_ == "DATE" and not is_duration(ent.text)
    ]
    taken = {i for span in found for i in range(span.start, span.end)}
    for match in _EXTRA_DATE_PATTERNS.finditer(sent.text):
        start = sent.start_char + match.start()
        end = sent.start_char + match.end()
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or any(i in taken for i in range(span.start, span.end)):
            continue
        if span.text.isdigit() and not _looks_like_year(span):
            continue
        if span.text.lower() == "may" or (span.text.lower() == "march" and span[0].pos_ == "VERB"):
            continue
        found.append(span)
        taken.update(range(span.start, span.end))
    return sorted(found, key=lambda span: span.start)


def _looks_like_year(span: Span) -> bool:
    """A bare four-digit number is a year only where a year fits ("in 2016", "the 2006 test")."""
    token = span[0]
    if token.ent_type_ and token.ent_type_ not in ("DATE", ""):
        return False
    prev = token.nbor(-1).lower_ if token.i > 0 else ""
    return token.ent_type_ == "DATE" or prev in ("in", "since", "of", "the", "until", "by", "from")


# --- Time zones -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TimezoneIndex:
    """Zone names for places, countries (ISO3 / entity id) and sources, from data files."""

    places: dict[str, str]
    countries: dict[str, str]
    sources: dict[str, str]

    def for_name(self, name: str | None) -> str | None:
        """A dateline ("SEOUL", "Washington"), place or country name."""
        if not name:
            return None
        key = _key(name)
        return self.places.get(key) or self.countries.get(key)

    def for_entity(self, entity_id: str | None) -> str | None:
        """``country:PRK`` or ``place:kuril-islands``."""
        if not entity_id:
            return None
        kind, _, rest = entity_id.partition(":")
        if kind == "country":
            return self.countries.get(rest.upper()) or self.countries.get(_key(rest))
        return self.places.get(entity_id) or self.places.get(_key(rest.replace("-", " ")))

    def for_source(self, source: str | None) -> str | None:
        if not source:
            return None
        key = _key(source)
        for name, zone in self.sources.items():
            if name in key:
                return zone
        return None


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().replace(".", ""))


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("//"):
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(row, dict):
                    yield row


@lru_cache(maxsize=4)
def load_timezones(gazetteer_dir: Path = GAZETTEER_DIR) -> TimezoneIndex:
    """Zones from the gazetteers (places.jsonl tz, timezones.csv per country), with the
    small fallback table in data/lexicons for names the gazetteers don't carry."""
    places: dict[str, str] = {}
    countries: dict[str, str] = {}
    sources: dict[str, str] = {}
    if FALLBACK_TIMEZONES.is_file():
        with FALLBACK_TIMEZONES.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                kind, name, zone = row.get("kind"), row.get("name"), row.get("tz")
                if not (kind and name and zone) or as_tzinfo(zone) is None:
                    continue
                table = {"place": places, "country": countries, "source": sources}.get(kind)
                if table is not None:
                    table[name.upper() if kind == "country" and len(name) == 3 else _key(name)] = (
                        zone
                    )
    tz_csv = gazetteer_dir / "timezones.csv"
    if tz_csv.is_file():
        with tz_csv.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                iso3, zone = (row.get("country_iso3") or "").upper(), row.get("tz") or ""
                if iso3 and as_tzinfo(zone) is not None:
                    countries[iso3] = zone
    for row in _jsonl(gazetteer_dir / "countries.jsonl"):
        iso3 = str(row.get("iso3") or str(row.get("id", "")).partition(":")[2]).upper()
        zone = countries.get(iso3)
        if not zone:
            continue
        names = [row.get("name"), *_as_list(row.get("aliases"))]
        for name in names:
            if isinstance(name, str):
                countries.setdefault(_key(name), zone)
    for row in _jsonl(gazetteer_dir / "places.jsonl"):
        zone = row.get("tz")
        if not isinstance(zone, str) or as_tzinfo(zone) is None:
            country = str(row.get("country") or "").partition(":")[2].upper()
            zone = countries.get(country)
        if not zone:
            continue
        if isinstance(row.get("id"), str):
            places[str(row["id"])] = zone
        for name in [row.get("name"), *_as_list(row.get("aliases"))]:
            if isinstance(name, str):
                places[_key(name)] = zone
    return TimezoneIndex(places=places, countries=countries, sources=sources)


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
