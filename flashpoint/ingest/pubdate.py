"""Publication dates from metadata values, with the precision the value really carries.

Only metadata is ever parsed here (a front-matter ``date``, a CSV ``date`` column, a feed's
``pubDate``, an HTML ``article:published_time``). Dates inside the body or a photo caption
are never a publication date: an article whose metadata has no date stays ``(None,
"unknown")`` and the caller may apply a ``--date`` override.

Stored values are UTC-aware. A value with a time becomes that instant in UTC (a time without
an offset is read in ``default_tz``); a value with only a day is midnight UTC of that day,
a month the 1st, a year January 1st — the calendar date the publisher gave, not shifted by a
time zone.
"""

from __future__ import annotations

import email.utils
import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

PRECISION_RANK: dict[str, int] = {"year": 0, "month": 1, "day": 2, "datetime": 3}
MIN_YEAR, MAX_YEAR = 1900, 2100

MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
    "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip

# Zone abbreviations that feeds and pages in this field use; email.utils knows only the
# North American ones. Ambiguous ones (CST: China or US Central; IST) are left out.
ZONE_OFFSETS: dict[str, int] = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "KST": 9 * 60, "JST": 9 * 60, "HKT": 8 * 60,
    "SGT": 8 * 60, "MSK": 3 * 60, "BST": 60, "CET": 60, "CEST": 120, "EST": -300,
    "EDT": -240, "ET": -300, "PST": -480, "PDT": -420, "PT": -480,
}  # fmt: skip

_MONTH_NAME = r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_WEEKDAY = r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)[a-z]*\.?,?\s+)?"
_TIME = (
    r"(?:(?:\s*,\s*|\s+|\s*T\s*|\s+at\s+)(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s*(?P<zone>[A-Z]{1,4}|[+-]\d{2}:?\d{2}))?)?"
)
_ISO_YEAR = re.compile(r"(?P<y>\d{4})")
_ISO_MONTH = re.compile(r"(?P<y>\d{4})[-/](?P<m>\d{1,2})")
_ISO_DAY = re.compile(
    r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})|(?P<y2>\d{4})(?P<m2>\d{2})(?P<d2>\d{2})"
)
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:?\d{2}.*")
_US_NUMERIC = re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4})" + _TIME, re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(
    _WEEKDAY + _MONTH_NAME + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME,
    re.IGNORECASE,
)
_DAY_MONTH_YEAR = re.compile(
    _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH_NAME + r",?\s+(?P<y>\d{4})" + _TIME,
    re.IGNORECASE,
)
_MONTH_YEAR = re.compile(_MONTH_NAME + r",?\s+(?P<y>\d{4})", re.IGNORECASE)
_RFC822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}.*")
_EPOCH = re.compile(r"-?\d{9,13}(?:\.\d+)?")
# Words that make a string relative to "now"; a publication date is never one of these.
_RELATIVE = re.compile(r"\b(?:ago|yesterday|today|tomorrow|last|next|this|now)\b", re.IGNORECASE)

UNKNOWN: tuple[None, str] = (None, "unknown")


def parse_publication_date(
    value: str | datetime | date | int | float | None, *, default_tz: tzinfo = UTC
) -> tuple[datetime | None, str]:
    """A metadata date value → (UTC-aware datetime or None, precision).

    Precision is one of datetime | day | month | year | unknown. Anything that cannot be
    read as a plausible date (years 1900–2100) gives ``(None, "unknown")``, never an error.
    """
    if value is None:
        return UNKNOWN
    if isinstance(value, datetime):  # a YAML timestamp, a Parquet column: same year range
        try:
            return _checked(_aware(value, default_tz), "datetime")
        except (ValueError, OverflowError):  # year 1 in a zone east of UTC
            return UNKNOWN
    if isinstance(value, date):
        return _checked(datetime(value.year, value.month, value.day, tzinfo=UTC), "day")
    if isinstance(value, bool):
        return UNKNOWN
    if isinstance(value, int | float):
        return _from_number(value)
    if not isinstance(value, str):
        return UNKNOWN
    text = " ".join(value.split())
    if not text or _RELATIVE.search(text):
        return UNKNOWN
    try:
        return _parse_string(text, default_tz)
    except (ValueError, OverflowError):
        return UNKNOWN


def coarsen(value: datetime, precision: str) -> datetime:
    """Truncate to the start of the day, month or year the precision names."""
    value = value.astimezone(UTC)
    if precision == "day":
        return value.replace(hour=0, minute=0, second=0, microsecond=0)
    if precision == "month":
        return value.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if precision == "year":
        return value.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return value


def apply_stated_precision(
    value: datetime | None, precision: str, stated: str | None
) -> tuple[datetime | None, str]:
    """Respect a precision the input states (a ``date_precision`` column).

    A stated precision can only make the value coarser: "2017-03-21" stated as "month" is
    March 2017; "2017-03" stated as "day" stays March 2017, since no day was given.
    """
    if value is None or not stated:
        return value, precision
    stated = stated.strip().lower()
    if stated not in PRECISION_RANK or precision not in PRECISION_RANK:
        return value, precision
    if PRECISION_RANK[stated] >= PRECISION_RANK[precision]:
        return value, precision
    return coarsen(value, stated), stated


def _aware(value: datetime, default_tz: tzinfo) -> datetime:
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(UTC)


def _checked(value: datetime, precision: str) -> tuple[datetime | None, str]:
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        return UNKNOWN
    return value, precision


def _from_number(number: float) -> tuple[datetime | None, str]:
    if number != number:  # NaN, as pandas gives for an empty cell
        return UNKNOWN
    if float(number).is_integer() and MIN_YEAR <= number <= MAX_YEAR:
        return datetime(int(number), 1, 1, tzinfo=UTC), "year"
    seconds = number / 1000 if abs(number) >= 1e11 else number  # milliseconds
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return UNKNOWN
    return _checked(moment, "datetime")


def _zone(text: str | None) -> tzinfo | None:
    if not text:
        return None
    text = text.upper()
    if text in ZONE_OFFSETS:
        return timezone(timedelta(minutes=ZONE_OFFSETS[text]))
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", text)
    if match:
        minutes = int(match[2]) * 60 + int(match[3])
        return timezone(timedelta(minutes=minutes if match[1] == "+" else -minutes))
    return None


def _with_time(
    year: int, month: int, day: int, match: re.Match[str], default_tz: tzinfo
) -> tuple[datetime | None, str]:
    groups = match.groupdict()
    if groups.get("hour") is None:
        return _checked(datetime(year, month, day, tzinfo=UTC), "day")
    hour, minute = int(groups["hour"]), int(groups["minute"])
    second = int(groups["second"] or 0)
    ampm = (groups.get("ampm") or "").replace(".", "").lower()
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    zone = _zone(groups.get("zone"))
    if groups.get("zone") and zone is None:
        return UNKNOWN  # a zone we cannot place: better unknown than hours off
    moment = datetime(year, month, day, hour, minute, second, tzinfo=zone or default_tz)
    return _checked(moment.astimezone(UTC), "datetime")


def _parse_string(text: str, default_tz: tzinfo) -> tuple[datetime | None, str]:
    if _ISO_YEAR.fullmatch(text):
        return _checked(datetime(int(text), 1, 1, tzinfo=UTC), "year")
    if match := _ISO_MONTH.fullmatch(text):
        return _checked(datetime(int(match["y"]), int(match["m"]), 1, tzinfo=UTC), "month")
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = (
            (match["y"], match["m"], match["d"]) if match["y"] else match.groups()[3:]
        )
        return _checked(datetime(int(year), int(month), int(day), tzinfo=UTC), "day")
    if _ISO_DATETIME.fullmatch(text):
        return _parse_iso_datetime(text, default_tz)
    if _EPOCH.fullmatch(text):
        return _from_number(float(text))
    if _RFC822.fullmatch(text):
        parsed = _parse_rfc822(text, default_tz)
        if parsed[0] is not None:
            return parsed
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        if match := pattern.fullmatch(text):
            month = MONTHS[match["mon"].lower().rstrip(".")]
            return _with_time(int(match["y"]), month, int(match["d"]), match, default_tz)
    if match := _MONTH_YEAR.fullmatch(text):
        month = MONTHS[match["mon"].lower().rstrip(".")]
        return _checked(datetime(int(match["y"]), month, 1, tzinfo=UTC), "month")
    if match := _US_NUMERIC.fullmatch(text):
        first, second = int(match["a"]), int(match["b"])
        # Month first (US order) unless the first number cannot be a month.
        month, day = (second, first) if first > 12 else (first, second)
        return _with_time(int(match["y"]), month, day, match, default_tz)
    return _parse_with_dateparser(text, default_tz)


def _parse_iso_datetime(text: str, default_tz: tzinfo) -> tuple[datetime | None, str]:
    cleaned = re.sub(r"\s*(?:UTC|GMT)$", "Z", text)
    zone_match = re.search(r"\s([A-Z]{2,4})$", cleaned)
    zone = None
    if zone_match:
        zone = _zone(zone_match[1])
        if zone is None:
            return UNKNOWN
        cleaned = cleaned[: zone_match.start()]
    moment = datetime.fromisoformat(cleaned.replace(" ", "T", 1))
    if zone is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return _checked(_aware(moment, default_tz), "datetime")


def _parse_rfc822(text: str, default_tz: tzinfo) -> tuple[datetime | None, str]:
    parts = email.utils.parsedate_tz(text)
    if parts is None:
        return UNKNOWN
    # parsedate_tz reports an unknown zone and a missing one both as offset 0, so the
    # zone is read here from the last token.
    last = text.rsplit(" ", 1)[-1]
    zone: tzinfo | None = default_tz
    if ":" not in last:
        zone = _zone(last)
        if zone is None:
            return UNKNOWN  # a zone we cannot place: better unknown than hours off
    year, month, day, hour, minute, second = parts[:6]
    moment = datetime(year, month, day, hour, minute, second, tzinfo=zone)
    return _checked(moment.astimezone(UTC), "datetime")


def _parse_with_dateparser(text: str, default_tz: tzinfo) -> tuple[datetime | None, str]:
    """Last resort for rarer spellings ("21st of March, 2017 at 9:40 pm").

    Only strings that name a four-digit year are tried, and dateparser must find day,
    month and year, so nothing relative to today can slip through.
    """
    if not re.search(r"\b(19|20)\d{2}\b", text) or len(text) > 80:
        return UNKNOWN
    import dateparser  # slow to import; only the rare spellings need it

    settings: dict[str, Any] = {
        "STRICT_PARSING": True,
        "REQUIRE_PARTS": ["day", "month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    if parsed is None:
        return UNKNOWN
    if not re.search(r"\d{1,2}[:.]\d{2}|\d\s*[ap]\.?m\b", text, re.IGNORECASE):
        return _checked(datetime(parsed.year, parsed.month, parsed.day, tzinfo=UTC), "day")
    return _checked(_aware(parsed, default_tz), "datetime")


def as_text(value: Any) -> str | None:
    """How a raw date value is kept in ``RawArticle.meta`` when it could not be parsed."""
    if value is None:
        return None
    text = value.isoformat() if isinstance(value, date) else str(value)
    return text.strip() or None
