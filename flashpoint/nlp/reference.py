"""Reference events: well-known events whose day an article often leaves out.

News names some events by their place in a series rather than by date: "North Korea's
fourth nuclear test", "Resolution 2371", "its first ICBM launch", "last month's nuclear
test". The extractor can date such a mention from a small catalogue of public facts
(data/reference/events.jsonl, one event a line) grouped into series
(data/reference/series.csv). This module reads both and answers four questions:

* :meth:`ReferenceIndex.by_ordinal` -- the n-th event of a series ("the fourth test");
* :meth:`ReferenceIndex.by_resolution` -- a Security Council resolution by number;
* :meth:`ReferenceIndex.only_in` -- the single event of a kind in a date range, to refine
  "in January" or "last month's test" to the day;
* :meth:`ReferenceIndex.latest_on_or_before` -- the most recent event of a kind shortly
  before a day ("the recent nuclear test" in an article of that day).

The last two reason from absence ("no other test that month"), so they only use series
that ``series.csv`` marks complete, and only for days inside the series' coverage.

Series selection: every query takes ``series``, a series id ("prk-icbm-launches") or its
qualifier ("icbm", "satellite"). ``None`` means the series that cover their event type as
a whole for their actors (a blank qualifier: all nuclear tests, all UNSC sanctions
resolutions on North Korea); series that cover only part of a type (ICBM launches among
all missile launches) are used only when asked for by name, because "its third launch"
does not mean "its third ICBM launch".

Actors and participants: an empty list from the caller means "any". A caller that could
not tell who tested or who sanctioned still gets the catalogue's answer, which is right
as long as the catalogue's series are the only ones of that type in the news it reads
(North Korea is the only country to test nuclear weapons since 1998). A caller that
knows the actor should pass it: then a US sanction never matches a UN resolution.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from flashpoint.config import resource_path
from flashpoint.jsonl import jsonl_objects

REFERENCE_DIR = resource_path("reference")
EVENTS_FILE = REFERENCE_DIR / "events.jsonl"
SERIES_FILE = REFERENCE_DIR / "series.csv"
ORDINALS_FILE = REFERENCE_DIR / "ordinals.csv"
NAMES_FILE = REFERENCE_DIR / "names.csv"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMERIC_ORDINAL = re.compile(r"(\d+)(st|nd|rd|th)")
_REQUIRED_KEYS = frozenset({"id", "series", "event_type", "date", "actors", "label"})
_OPTIONAL_KEYS = frozenset(
    {
        "participants",
        "weapons",
        "location",
        "last_day",
        "ordinal",
        "resolution",
        "is_space_launch",
        "claimed_hydrogen",
        "reached_orbit",
        "source",
    }
)
_SERIES_COLUMNS = (
    "series",
    "event_type",
    "qualifier",
    "actors",
    "participants",
    "complete",
    "covers_from",
    "covers_to",
    "description",
)


class ReferenceDataError(ValueError):
    """A reference file that cannot be used as it is: names the file, line and reason."""


# The field "date" hides the type inside the class body.
Day = date


@dataclass(frozen=True, slots=True)
class ReferenceEvent:
    """One catalogued event. ``date`` is the local date where it happened (Pyongyang for a
    test or launch, New York for a Security Council vote)."""

    event_id: str
    series: str
    event_type: str
    date: date
    actors: tuple[str, ...]
    label: str
    participants: tuple[str, ...] = ()
    weapons: tuple[str, ...] = ()
    location: str | None = None
    ordinal: int | None = None  # place in its series, where news counts that way
    resolution: int | None = None  # UN Security Council resolution number
    is_space_launch: bool = False
    claimed_hydrogen: bool = False  # the actor called it a hydrogen-bomb test
    reached_orbit: bool | None = None  # space launches only
    source: str | None = None  # what kind of public record gives the date
    last_day: Day | None = None  # of a multi-day event (an exercise), where known


@dataclass(frozen=True, slots=True)
class ReferenceSeries:
    """A named group of catalogued events and what the catalogue promises about it.

    ``complete`` means every event of ``event_type`` by one of ``actors`` (against one of
    ``participants``, when given) that fits ``qualifier`` between ``covers_from`` and
    ``covers_to`` is listed; an open end means "from the beginning" / "to date".
    """

    series_id: str
    event_type: str
    qualifier: str | None
    actors: tuple[str, ...]
    participants: tuple[str, ...]
    complete: bool
    covers_from: date | None
    covers_to: date | None
    description: str

    def covers(self, lo: date, hi: date) -> bool:
        """Whether the whole range [lo, hi] lies inside the series' coverage."""
        if self.covers_from is not None and lo < self.covers_from:
            return False
        return self.covers_to is None or hi <= self.covers_to


# -- reading -------------------------------------------------------------------------------


def _text(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ReferenceDataError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _ids(value: Any, where: str, key: str) -> tuple[str, ...]:
    """A list of entity ids ("country:PRK"); the gazetteer test checks they exist."""
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and ":" in v for v in value):
        raise ReferenceDataError(f"{where}: {key!r} must be a list of ids like 'country:PRK'")
    return tuple(v.strip() for v in value)


def _iso_date(value: Any, where: str, key: str) -> date:
    """A strict YYYY-MM-DD date (``fromisoformat`` alone would also take "20170805")."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise ReferenceDataError(f"{where}: {key!r} must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ReferenceDataError(f"{where}: {key!r} is not a calendar date: {value!r}") from None


def _positive_int(value: Any, where: str, key: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ReferenceDataError(f"{where}: {key!r} must be a positive integer")
    return value


def _flag(value: Any, where: str, key: str, default: bool | None) -> bool | None:
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ReferenceDataError(f"{where}: {key!r} must be true or false")
    return value


def event_from_record(record: Mapping[str, Any], where: str) -> ReferenceEvent:
    """Build one event from a JSON line; unknown keys are errors, to catch typos like
    "ordnial" that would otherwise silently drop a fact."""
    missing = sorted(_REQUIRED_KEYS - record.keys())
    if missing:
        raise ReferenceDataError(f"{where}: missing {', '.join(missing)}")
    unknown = sorted(record.keys() - _REQUIRED_KEYS - _OPTIONAL_KEYS)
    if unknown:
        raise ReferenceDataError(f"{where}: unknown key(s) {', '.join(unknown)}")
    actors = _ids(record["actors"], where, "actors")
    if not actors:
        raise ReferenceDataError(f"{where}: 'actors' must name at least one actor")
    location = record.get("location")
    return ReferenceEvent(
        event_id=_text(record["id"], where, "id"),
        series=_text(record["series"], where, "series"),
        event_type=_text(record["event_type"], where, "event_type"),
        date=_iso_date(record["date"], where, "date"),
        actors=actors,
        label=_text(record["label"], where, "label"),
        participants=_ids(record.get("participants"), where, "participants"),
        weapons=_ids(record.get("weapons"), where, "weapons"),
        location=None if location is None else _text(location, where, "location"),
        ordinal=_positive_int(record.get("ordinal"), where, "ordinal"),
        resolution=_positive_int(record.get("resolution"), where, "resolution"),
        is_space_launch=bool(_flag(record.get("is_space_launch"), where, "is_space_launch", False)),
        claimed_hydrogen=bool(
            _flag(record.get("claimed_hydrogen"), where, "claimed_hydrogen", False)
        ),
        reached_orbit=_flag(record.get("reached_orbit"), where, "reached_orbit", None),
        source=None if record.get("source") is None else _text(record["source"], where, "source"),
        last_day=None
        if record.get("last_day") is None
        else _iso_date(record["last_day"], where, "last_day"),
    )


@lru_cache(maxsize=4)
def load_reference_events(path: Path | str = EVENTS_FILE) -> tuple[ReferenceEvent, ...]:
    """Every event of the catalogue, in file order. A malformed line raises
    :class:`ReferenceDataError` (a ValueError) naming "file:line"; so does an id used twice."""
    path = Path(path)
    events: list[ReferenceEvent] = []
    seen: dict[str, str] = {}
    for where, record in jsonl_objects(path, ReferenceDataError):
        event = event_from_record(record, where)
        if event.event_id in seen:
            raise ReferenceDataError(
                f"{where}: duplicate id {event.event_id!r} (first at {seen[event.event_id]})"
            )
        seen[event.event_id] = where
        events.append(event)
    return tuple(events)


def _optional_date(value: str, where: str, key: str) -> date | None:
    return _iso_date(value, where, key) if value.strip() else None


def _series_from_row(row: Mapping[str, str], where: str) -> ReferenceSeries:
    complete = row["complete"].strip().lower()
    if complete not in ("true", "false"):
        raise ReferenceDataError(f"{where}: 'complete' must be true or false")
    actors = tuple(row["actors"].split())
    if not actors:
        raise ReferenceDataError(f"{where}: 'actors' must name at least one actor")
    return ReferenceSeries(
        series_id=_text(row["series"], where, "series"),
        event_type=_text(row["event_type"], where, "event_type"),
        qualifier=row["qualifier"].strip().casefold() or None,
        actors=actors,
        participants=tuple(row["participants"].split()),
        complete=complete == "true",
        covers_from=_optional_date(row["covers_from"], where, "covers_from"),
        covers_to=_optional_date(row["covers_to"], where, "covers_to"),
        description=row["description"].strip(),
    )


@lru_cache(maxsize=4)
def load_series(path: Path | str = SERIES_FILE) -> Mapping[str, ReferenceSeries]:
    """The series table (series.csv), by id (read-only: the result is cached and shared).
    Actors and participants are space-separated ids."""
    path = Path(path)
    out: dict[str, ReferenceSeries] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != _SERIES_COLUMNS:
            raise ReferenceDataError(f"{path.name}:1: expected columns {','.join(_SERIES_COLUMNS)}")
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            if None in row or any(value is None for value in row.values()):
                raise ReferenceDataError(f"{where}: expected {len(_SERIES_COLUMNS)} columns")
            series = _series_from_row(row, where)
            if series.series_id in out:
                raise ReferenceDataError(f"{where}: duplicate series {series.series_id!r}")
            out[series.series_id] = series
    return MappingProxyType(out)


@lru_cache(maxsize=4)
def load_ordinals(path: Path | str = ORDINALS_FILE) -> Mapping[str, int]:
    """Ordinal words ("first" -> 1) from ordinals.csv (columns word,value)."""
    path = Path(path)
    out: dict[str, int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            word, value = (row.get("word") or "").strip(), (row.get("value") or "").strip()
            if not word or not value.isdigit():
                raise ReferenceDataError(f"{where}: expected a word and a positive integer")
            out[word.casefold()] = int(value)
    return MappingProxyType(out)


@lru_cache(maxsize=4)
def load_names(path: Path | str = NAMES_FILE) -> Mapping[str, str]:
    """Names news gives a whole series by ("Ulchi Freedom Guardian", "UFG" -> the series
    of that annual exercise), from names.csv (columns name,series), casefolded."""
    path = Path(path)
    out: dict[str, str] = {}
    if not path.exists():
        return MappingProxyType(out)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != ("name", "series"):
            raise ReferenceDataError(f"{path.name}:1: expected columns name,series")
        for row in reader:
            where = f"{path.name}:{reader.line_num}"
            name = (row.get("name") or "").strip().casefold()
            series = (row.get("series") or "").strip()
            if not name or not series:
                raise ReferenceDataError(f"{where}: expected a name and a series id")
            if name in out:
                raise ReferenceDataError(f"{where}: name {name!r} listed twice")
            out[name] = series
    return MappingProxyType(out)


def _numeric_suffix(number: int) -> str:
    """The English suffix of a numeric ordinal: 1st, 2nd, 3rd, 4th, 11th-13th, 21st."""
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def ordinal_value(word: str) -> int | None:
    """The number an ordinal names: "fourth" -> 4, "4th" -> 4, anything else -> None.

    Words come from data (ordinals.csv: a list a translator or a new series may extend);
    digit forms are derived, since their rule is arithmetic, and a wrong suffix ("4st")
    is not an ordinal.
    """
    text = word.strip().casefold()
    if text in load_ordinals():
        return load_ordinals()[text]
    match = _NUMERIC_ORDINAL.fullmatch(text)
    if match is None:
        return None
    number = int(match[1])
    if number < 1 or match[2] != _numeric_suffix(number):
        return None
    return number


# -- queries -------------------------------------------------------------------------------


def _overlaps(wanted: frozenset[str], have: Iterable[str]) -> bool:
    """Empty ``wanted`` is "any"; otherwise one id in common."""
    return not wanted or not wanted.isdisjoint(have)


def _spans(narrow: ReferenceSeries, whole: ReferenceSeries) -> bool:
    """Whether a narrower series is complete over all of a whole-type series' coverage, so
    that its events may stand in the whole series' list."""
    if not narrow.complete:
        return False
    starts_in_time = narrow.covers_from is None or (
        whole.covers_from is not None and narrow.covers_from <= whole.covers_from
    )
    ends_in_time = narrow.covers_to is None or (
        whole.covers_to is not None and narrow.covers_to >= whole.covers_to
    )
    return starts_in_time and ends_in_time


class ReferenceIndex:
    """The catalogue, checked against its series table, with the date queries the event
    extractor needs. Build it with :meth:`load` or :func:`default_reference_index`."""

    def __init__(
        self,
        events: Iterable[ReferenceEvent],
        series: Mapping[str, ReferenceSeries],
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.events: tuple[ReferenceEvent, ...] = tuple(sorted(events, key=lambda e: e.date))
        self.series: dict[str, ReferenceSeries] = dict(series)
        self.names: dict[str, str] = dict(names or {})
        self._by_resolution: dict[int, ReferenceEvent] = {}
        self._check()
        self._name_pattern = (
            re.compile(
                r"(?<![\w-])("
                + "|".join(re.escape(n) for n in sorted(self.names, key=len, reverse=True))
                + r")(?![\w-])"
            )
            if self.names
            else None
        )

    @classmethod
    def load(
        cls,
        events_path: Path | str = EVENTS_FILE,
        series_path: Path | str = SERIES_FILE,
        names_path: Path | str = NAMES_FILE,
    ) -> ReferenceIndex:
        return cls(
            load_reference_events(events_path), load_series(series_path), load_names(names_path)
        )

    def series_named_in(self, text: str) -> list[str]:
        """The qualifiers of the series whose names the text uses, in order of first use
        ("the Key Resolve and Foal Eagle exercises" -> ["key resolve", "foal eagle"])."""
        if self._name_pattern is None:
            return []
        found: list[str] = []
        for match in self._name_pattern.finditer(text.casefold()):
            qualifier = self.series[self.names[match[1]]].qualifier or ""
            if qualifier and qualifier not in found:
                found.append(qualifier)
        return found

    def _check(self) -> None:
        """Cross-file consistency: the queries trust series membership, ordinals and
        resolution numbers to be unambiguous, so a slip in the data fails loudly here."""
        for name, series_id in self.names.items():
            named = self.series.get(series_id)
            if named is None or not named.qualifier:
                raise ReferenceDataError(
                    f"name {name!r}: {series_id!r} is not a series with a qualifier"
                )
        ordinals: set[tuple[str, int]] = set()
        for event in self.events:
            series = self.series.get(event.series)
            if series is None:
                raise ReferenceDataError(f"event {event.event_id}: unknown series {event.series!r}")
            if event.event_type != series.event_type:
                raise ReferenceDataError(
                    f"event {event.event_id}: event_type {event.event_type!r} but series "
                    f"{series.series_id} holds {series.event_type!r}"
                )
            if not series.covers(event.date, event.date):
                raise ReferenceDataError(
                    f"event {event.event_id}: {event.date} is outside the coverage of {series.series_id}"
                )
            if event.last_day is not None and event.last_day < event.date:
                raise ReferenceDataError(f"event {event.event_id}: last_day before its date")
            if event.ordinal is not None:
                if (event.series, event.ordinal) in ordinals:
                    raise ReferenceDataError(
                        f"event {event.event_id}: ordinal {event.ordinal} used twice in {event.series}"
                    )
                ordinals.add((event.series, event.ordinal))
            if event.resolution is not None:
                if event.resolution in self._by_resolution:
                    raise ReferenceDataError(
                        f"event {event.event_id}: resolution {event.resolution} listed twice"
                    )
                self._by_resolution[event.resolution] = event

    @property
    def qualifiers(self) -> frozenset[str]:
        """The qualifiers a caller may pass as ``series`` ("icbm", "satellite")."""
        return frozenset(s.qualifier for s in self.series.values() if s.qualifier)

    def select_series(self, event_type: str, series: str | None = None) -> list[ReferenceSeries]:
        """The series a query reads: by id or qualifier, or (None) those with no qualifier,
        which hold every event of their type for their actors. Unknown names select nothing."""
        if series is None:
            return [
                s for s in self.series.values() if s.event_type == event_type and not s.qualifier
            ]
        key = series.strip().casefold()
        return [
            s
            for s in self.series.values()
            if s.event_type == event_type and key in (s.series_id, s.qualifier)
        ]

    def _candidates(
        self,
        chosen: Iterable[ReferenceSeries],
        actors: Iterable[str],
        participants: Iterable[str],
    ) -> list[ReferenceEvent]:
        ids = {s.series_id for s in chosen}
        wanted_actors, wanted_parties = frozenset(actors), frozenset(participants)
        return [
            e
            for e in self.events
            if e.series in ids
            and _overlaps(wanted_actors, e.actors)
            and (not e.participants or _overlaps(wanted_parties, e.participants))
        ]

    def _vouched_events(
        self,
        chosen: Iterable[ReferenceSeries],
        actors: Iterable[str],
        participants: Iterable[str],
    ) -> list[ReferenceEvent]:
        """The events complete series answer for. A series with no qualifier holds every
        event of its type by its actors, so the events catalogued in a narrower series of
        the same type (ICBM or satellite launches, not repeated in the whole-type list)
        count in it too: "the only launch in July 2017" must see both ICBM flights."""
        chosen = list(chosen)
        ids = {s.series_id for s in chosen}
        for whole in (s for s in chosen if not s.qualifier):
            ids |= {
                s.series_id
                for s in self.series.values()
                if s.event_type == whole.event_type
                and s.qualifier
                and not set(s.actors).isdisjoint(whole.actors)
                and _spans(s, whole)
            }
        return self._candidates([self.series[i] for i in ids], actors, participants)

    def _vouching(
        self,
        event_type: str,
        series: str | None,
        actors: Iterable[str],
        participants: Iterable[str],
        lo: date,
        hi: date,
    ) -> list[ReferenceSeries]:
        """Selected series that are complete over [lo, hi] for these actors: only they can
        say "this is the only one" or "there was none since"."""
        wanted_actors, wanted_parties = frozenset(actors), frozenset(participants)
        return [
            s
            for s in self.select_series(event_type, series)
            if s.complete
            and s.covers(lo, hi)
            and _overlaps(wanted_actors, s.actors)
            and (not s.participants or _overlaps(wanted_parties, s.participants))
        ]

    def by_ordinal(
        self,
        event_type: str,
        actors: Iterable[str],
        ordinal: int,
        *,
        series: str | None = None,
        participants: Iterable[str] = (),
        successful: bool = False,
    ) -> ReferenceEvent | None:
        """The ``ordinal``-th event of a series ("the fourth nuclear test" of country:PRK;
        "its first ICBM launch" with ``series="icbm"``); None when none or several match.
        ``successful``: count only launches known to have reached orbit ("the first
        successful satellite launch"); None for series that do not record it."""
        chosen = self.select_series(event_type, series)
        candidates = list(self._candidates(chosen, actors, participants))
        if successful:
            if any(e.reached_orbit is None for e in candidates) or len(chosen) != 1:
                return None
            reached = sorted((e for e in candidates if e.reached_orbit), key=lambda e: e.date)
            return reached[ordinal - 1] if 0 < ordinal <= len(reached) else None
        found = [e for e in candidates if e.ordinal == ordinal]
        return found[0] if len(found) == 1 else None

    def by_resolution(self, number: int) -> ReferenceEvent | None:
        """The Security Council resolution with this number, if catalogued."""
        return self._by_resolution.get(number)

    def only_in(
        self,
        event_type: str,
        actors: Iterable[str],
        lo: date,
        hi: date,
        *,
        series: str | None = None,
        participants: Iterable[str] = (),
        weekday: int | None = None,
    ) -> ReferenceEvent | None:
        """The single catalogued event of this type, with an actor in common, dated within
        [lo, hi] (both included): "the nuclear test in January 2016" -> 2016-01-06. None
        when there are none or several, or when no complete series covers the range (then
        one catalogued event does not prove it was the only one). ``weekday`` (Monday 0)
        keeps only events on that day of the week: "Sunday's launch" in an article dated
        to its month is the one launch on a Sunday in the weeks the article can mean."""
        if lo > hi:
            raise ValueError(f"only_in: empty range {lo} > {hi}")
        actors, participants = tuple(actors), tuple(participants)
        chosen = self._vouching(event_type, series, actors, participants, lo, hi)
        found = [
            e
            for e in self._vouched_events(chosen, actors, participants)
            if lo <= e.date <= hi and (weekday is None or e.date.weekday() == weekday)
        ]
        return found[0] if len(found) == 1 else None

    def latest_on_or_before(
        self,
        event_type: str,
        actors: Iterable[str],
        day: date,
        *,
        within_days: int,
        series: str | None = None,
        participants: Iterable[str] = (),
    ) -> ReferenceEvent | None:
        """The most recent catalogued event in (day - within_days, day], read only from
        complete series that cover that window; None when there is none, or two on the
        same latest day. For "the recent test" in an article published on ``day``."""
        if within_days < 1:
            raise ValueError("latest_on_or_before: within_days must be at least 1")
        lo = day - timedelta(days=within_days - 1)
        actors, participants = tuple(actors), tuple(participants)
        chosen = self._vouching(event_type, series, actors, participants, lo, day)
        found = [
            e for e in self._vouched_events(chosen, actors, participants) if lo <= e.date <= day
        ]
        if not found:
            return None
        latest = max(e.date for e in found)
        last = [e for e in found if e.date == latest]
        return last[0] if len(last) == 1 else None

    def first_of(self, event_type: str, series: str, lo: date, hi: date) -> ReferenceEvent | None:
        """The first event of one complete, qualified series when all of [lo, hi] lies in
        its coverage and before that event: by ``hi`` nothing of the series had happened
        yet ("the THAAD deployment" in an article of August 2016 -> the arrival at Osan on
        2017-03-06, so it was not yet done). ``series`` names the series by id or
        qualifier; whole-type series (no qualifier) never answer, since a mention of a
        kind in general is no mention of one catalogued system. None otherwise."""
        if lo > hi:
            raise ValueError(f"first_of: empty range {lo} > {hi}")
        chosen = [s for s in self.select_series(event_type, series) if s.qualifier]
        if len(chosen) != 1 or not chosen[0].complete or not chosen[0].covers(lo, hi):
            return None
        events = [e for e in self.events if e.series == chosen[0].series_id]
        if not events or events[0].date <= hi:
            return None
        return events[0]

    def going_on(
        self, event_type: str, actors: Iterable[str], day: date, *, series: str | None = None
    ) -> list[ReferenceEvent]:
        """The catalogued multi-day events (with a ``last_day``) going on on ``day``, read
        only from complete series that cover it: "the drills" reported while an annual
        exercise was under way."""
        actors = tuple(actors)
        chosen = self._vouching(event_type, series, actors, (), day, day)
        return [
            e
            for e in self._vouched_events(chosen, actors, ())
            if e.last_day is not None and e.date <= day <= e.last_day
        ]


@lru_cache(maxsize=1)
def default_reference_index() -> ReferenceIndex:
    """The shipped catalogue (data/reference), read once per process."""
    return ReferenceIndex.load()
