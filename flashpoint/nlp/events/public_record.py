"""What the public record says had not happened yet: asserted deployments of a catalogued
system reported before its first arrival are plans.

A complete catalogued series of deployments of one system (data/reference/series.csv,
``thaad-korea``: every arrival and installation of THAAD equipment in South Korea from
2016-07-01) says when the first of them happened (2017-03-06, Osan). An article published
after the series' coverage starts and before that day cannot report the deployment as
done: "the THAAD deployment", "the deployment of THAAD" in 2016 news about the decision
name a decision or a plan, which the labelling guide (tests/data/README.md) calls
``planned``. :func:`not_yet_on_record` tells the extractor when an asserted mention is
such a case:

* the mention is a deployment whose own phrase names a system of a qualified series
  (:func:`flashpoint.nlp.events.dating.named_system_series`); deployments in general, and
  whole-type series, are never asked;
* the series is complete and covers the whole publication interval (a day, or the month
  of an article dated only to its month), and its first event comes after it: a
  month-precise article of March 2017 may have been written after the 6th, so it is left
  alone; a day-precise one must be at least two days before (a Korean arrival is the day
  before on a Western-dated page);
* where it happens is where the series' events happen: a location or a host country
  outside the countries of the series' catalogued places (THAAD in Guam, in Japan) is
  another deployment, not in the series;
* its actors, when known, are among the series' actors;
* it has no date of its own placing it before the coverage (THAAD went to Guam in 2013).

Grounds: plain (an event cannot have happened before the record's first one) and the
class in the full ../shared corpus: re-run on the 153 articles of June 2016 to April 2017
with a THAAD deployment, the rule changes 65 mentions in 45 articles (44 Korea Herald, one
Reuters: "the deployment of THAAD", "defending the THAAD deployment", "agreed ...
over deployment of THAAD"); the learned filter had demoted 48 of them to possible, 17 had
stayed asserted, and a read of those 17 found 16 plans and one THAAD already in Guam that
the parse gave no place.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from flashpoint.nlp.dates import publication_anchor, value_interval
from flashpoint.nlp.events.records import EventRecord
from flashpoint.nlp.reference import ReferenceIndex, default_reference_index
from flashpoint.schema import ArticleContext

# A Korean arrival is dated the day before on a page dated in a Western time zone.
ZONE_ALLOWANCE = timedelta(days=1)


def publication_interval(context: ArticleContext) -> tuple[date, date] | None:
    """The days an article may have been written on: its day, or its whole month when it
    is dated only to its month (the Korea Herald corpus); None for coarser dates."""
    anchor = publication_anchor(context.published, context.published_precision)
    if anchor is None or anchor.precision not in ("day", "month"):
        return None
    return anchor.lo, anchor.hi


def _value_start(value: str) -> date | None:
    """The first day of an ISO day, month or year value."""
    try:
        return value_interval(value)[0]
    except ValueError:
        return None


@lru_cache(maxsize=16)
def series_countries(series: str, index: ReferenceIndex | None = None) -> frozenset[str]:
    """The countries of the places where a series' catalogued events happened
    (``thaad-korea`` -> country:KOR, from Osan Air Base and Seongju in the gazetteer)."""
    from flashpoint.nlp.gazetteer import Gazetteer

    index = index or default_reference_index()
    gazetteer = Gazetteer.load()
    chosen = {s.series_id for s in index.series.values() if series in (s.series_id, s.qualifier)}
    out: set[str] = set()
    for event in index.events:
        if event.series in chosen and event.location:
            out |= _countries_of(event.location, gazetteer.get(event.location))
    return frozenset(out)


def _countries_of(entity_id: str, entry: object) -> set[str]:
    if entity_id.startswith("country:"):
        return {entity_id}
    country = getattr(entry, "country", None)
    if not country:
        return set()
    return {country if country.startswith("country:") else f"country:{country}"}


def not_yet_on_record(
    record: EventRecord,
    series: str | None,
    context: ArticleContext,
    index: ReferenceIndex | None = None,
) -> bool:
    """Whether ``record`` (a deployment mention whose own phrase names the system of the
    qualified series ``series``) reports as done what the public record says had not
    happened yet when its article was written. See the module docstring."""
    if series is None or record.event_type != "deployment":
        return False
    index = index or default_reference_index()
    written = publication_interval(context)
    if written is None:
        return False
    first = index.first_of(record.event_type, series, written[0], written[1] + ZONE_ALLOWANCE)
    if first is None:
        return False
    chosen = next(s for s in index.series.values() if s.series_id == first.series)
    if record.actors and not set(record.actors) <= set(chosen.actors):
        return False
    where = series_countries(chosen.series_id, index)
    if record.location:
        from flashpoint.nlp.gazetteer import Gazetteer

        place = _countries_of(record.location, Gazetteer.load().get(record.location))
        if place and not place <= where:
            return False
    hosts = {p for p in record.participants if p.startswith("country:")}
    if hosts - where - set(chosen.actors):
        return False
    if record.event_date and record.date_basis != "publication":
        start = _value_start(record.event_date)
        if start is None or (chosen.covers_from is not None and start < chosen.covers_from):
            return False
    return True
