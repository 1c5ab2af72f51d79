"""One filter type for the dashboard (URL query parameters) and the CLI (flags).

A dashboard URL and a ``flashpoint chart …`` command describe the same view because both
go through :class:`Filters`. Each field of :class:`Filters` is declared once, with its
:class:`FilterField` row (like datasette's filters: one declarative row per filter): its
URL parameter, CLI flag, sidebar label and help, and how it reads in a description. The
URL (here), the CLI flags (``flashpoint/cli.py``), the sidebar widgets
(``components/filters.py``), :func:`describe` and :meth:`Filters.slug` are all generated
from those rows. Filters name things the way a reader does ("North Korea", "Hwasong-14",
"ICBM"); :class:`EntityCatalog` turns those names into the entity ids the corpus tables
hold.
"""

from __future__ import annotations

import calendar
import difflib
import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from flashpoint.nlp.gazetteer import slugify
from flashpoint.schema import EVENT_TYPES

# Modalities a reader may ask to see besides what the text asserts. Negated events ("did
# not launch") are never shown as events.
UNASSERTED_MODALITIES: tuple[str, ...] = ("planned", "possible", "claimed")

_TRUE = {"1", "true", "yes", "on"}
_SLUG_MAX = 100


def parse_date(value: object, *, end: bool = False) -> date | None:
    """ISO day, month ("2017-08") or year ("2017"); a period's end when ``end``. None if junk."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    match = re.fullmatch(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?", text[:10])
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last if end else 1)
        return date(year, month, day)
    except ValueError:
        return None


def _clean_names(values: Iterable[object]) -> tuple[str, ...]:
    """Strip, drop blanks and repeats, keep the order given."""
    seen: dict[str, None] = {}
    for value in values:
        text = " ".join(str(value).split())
        if text and text not in seen:
            seen[text] = None
    return tuple(seen)


class FilterKind(StrEnum):
    """What a filter's value is; each kind has one widget, one URL form and one CLI form."""

    SINCE = "since"  # a day, from the start of a day, month or year given
    UNTIL = "until"  # a day, up to the end of a day, month or year given
    NAMES = "names"  # names, any number (a URL repeats the key: ?country=A&country=B)
    TEXT = "text"  # free text
    SWITCH = "switch"  # on or off


@dataclass(frozen=True)
class FilterField:
    """One filter, declared once: everything the URL, the CLI, the sidebar and the
    descriptions need to know about it."""

    kind: FilterKind
    param: str  # URL query parameter (kept stable: links in the wild use it)
    flag: str  # CLI flag (kept stable: the README's command line)
    label: str  # sidebar label
    help: str  # sidebar tooltip and CLI help
    placeholder: str = ""  # sidebar placeholder
    metavar: str = ""  # CLI metavar for NAMES
    choices: tuple[str, ...] = ()  # fixed values for NAMES; empty: what the corpus offers
    shown: Callable[[str], str] = str  # how a value reads in a description
    phrase: str = ""  # SWITCH: how "on" reads in a description
    name: str = ""  # the Filters attribute (filled in from the dataclass)
    default: Any = None  # its unset value (filled in from the dataclass)

    def normalise(self, value: Any) -> Any:
        """The value as Filters keeps it, so equal views hash equal (app cache keys)."""
        if self.kind is FilterKind.NAMES:
            names = _clean_names([value] if isinstance(value, str) else value or ())
            return tuple(n for n in names if n in self.choices) if self.choices else names
        if self.kind is FilterKind.TEXT:
            return " ".join(str(value or "").split())
        if self.kind is FilterKind.SWITCH:
            return bool(value)
        return parse_date(value, end=self.kind is FilterKind.UNTIL) if value else None

    def from_url(self, values: list[str]) -> Any:
        """The value from a URL parameter's values (junk reads as unset)."""
        last = values[-1] if values else ""
        if self.kind is FilterKind.NAMES:
            return tuple(values)
        if self.kind is FilterKind.SWITCH:
            return last.strip().casefold() in _TRUE
        return last

    def to_url(self, value: Any) -> str | list[str]:
        if self.kind is FilterKind.NAMES:
            return list(value)
        if self.kind is FilterKind.SWITCH:
            return "true"
        return value.isoformat() if isinstance(value, date) else str(value)

    def to_args(self, value: Any) -> list[str]:
        if self.kind is FilterKind.NAMES:
            return [self.flag, *value]
        if self.kind is FilterKind.SWITCH:
            return [self.flag]
        return [self.flag, value.isoformat() if isinstance(value, date) else str(value)]

    def describe(self, value: Any) -> str:
        """How a set value reads in a caption: "North Korea, Japan", "from 2017-01-01"."""
        if self.kind is FilterKind.SINCE:
            return f"from {value.isoformat()}"
        if self.kind is FilterKind.UNTIL:
            return f"to {value.isoformat()}"
        if self.kind is FilterKind.NAMES:
            return ", ".join(self.shown(v) for v in value)
        if self.kind is FilterKind.TEXT:
            return f'"{value}"'
        return self.phrase

    def slug(self, value: Any) -> list[str]:
        """File-name parts for a set value (the date range is named by :meth:`Filters.slug`)."""
        if self.kind is FilterKind.NAMES:
            return [slugify(v) for v in value]
        if self.kind is FilterKind.TEXT:
            return [f"{self.param}-{slugify(value)}"]
        if self.kind is FilterKind.SWITCH:
            return [f"with-{self.param}"]
        return []


def declare(**row: Any) -> dict[str, FilterField]:
    """A Filters field's metadata: its :class:`FilterField` row."""
    return {"filter": FilterField(**row)}


@dataclass(frozen=True)
class Filters:
    """What the reader asked to see. Empty fields mean "no restriction".

    Each field is one filter: to add one, declare it here (its kind, URL parameter, CLI
    flag, label, help) and apply it in :func:`filter_events` / :func:`filter_articles`;
    the URL, CLI, sidebar and descriptions follow. Field order is the sidebar's order.
    """

    since: date | None = field(
        default=None,
        metadata=declare(
            kind=FilterKind.SINCE,
            param="since",
            flag="--since",
            label="From",
            help="Event date for events and stories; publication date for articles "
            "(YYYY-MM-DD, YYYY-MM or YYYY). An event dated only by month or year is kept only "
            'when that whole month or year lies inside the range ("2017" is not kept by '
            "January–June 2017).",
        ),
    )
    until: date | None = field(
        default=None,
        metadata=declare(
            kind=FilterKind.UNTIL,
            param="until",
            flag="--until",
            label="To",
            help="Up to this date, included; a month or year means up to its end.",
        ),
    )
    countries: tuple[str, ...] = field(
        default=(),
        metadata=declare(
            kind=FilterKind.NAMES,
            param="country",
            flag="--country",
            label="Countries",
            help="Country as actor, participant or mentioned.",
            placeholder="Any country",
            metavar="NAME",
        ),
    )
    weapon_classes: tuple[str, ...] = field(
        default=(),
        metadata=declare(
            kind=FilterKind.NAMES,
            param="weapon_class",
            flag="--weapon-class",
            label="Weapon classes",
            help="Weapon class (e.g. ICBM).",
            placeholder="Any class",
            metavar="CLASS",
        ),
    )
    weapons: tuple[str, ...] = field(
        default=(),
        metadata=declare(
            kind=FilterKind.NAMES,
            param="weapon",
            flag="--weapon",
            label="Weapon systems",
            help="Weapon system by name (e.g. Hwasong-14, THAAD).",
            placeholder="Any weapon system",
            metavar="NAME",
        ),
    )
    types: tuple[str, ...] = field(
        default=(),
        metadata=declare(
            kind=FilterKind.NAMES,
            param="type",
            flag="--type",
            label="Event types",
            help=f"Event type: {', '.join(EVENT_TYPES)}.",
            placeholder="Any type",
            metavar="TYPE",
            choices=EVENT_TYPES,
            shown=lambda value: value.replace("_", " "),
        ),
    )
    sources: tuple[str, ...] = field(
        default=(),
        metadata=declare(
            kind=FilterKind.NAMES,
            param="source",
            flag="--source",
            label="Sources",
            help="Publisher.",
            placeholder="Any source",
            metavar="NAME",
        ),
    )
    query: str = field(
        default="",
        metadata=declare(
            kind=FilterKind.TEXT,
            param="q",
            flag="--query",
            label="Text",
            help="Free text in titles, text or evidence.",
            placeholder="Words in titles, text or evidence",
        ),
    )
    include_unasserted: bool = field(
        default=False,
        metadata=declare(
            kind=FilterKind.SWITCH,
            param="unasserted",
            flag="--include-unasserted",
            label="Include planned, possible and claimed events",
            help="Also planned, possible and claimed events (shown faded on the timeline). "
            "Negated events are never shown.",
            phrase="with planned, possible and claimed",
        ),
    )

    def __post_init__(self) -> None:
        for spec in FILTER_FIELDS:
            object.__setattr__(self, spec.name, spec.normalise(getattr(self, spec.name)))
        if self.since and self.until and self.since > self.until:
            since, until = self.until, self.since
            object.__setattr__(self, "since", since)
            object.__setattr__(self, "until", until)

    @property
    def is_empty(self) -> bool:
        return self == Filters()

    def set_fields(self) -> Iterable[tuple[FilterField, Any]]:
        """The declared fields that restrict this view, with their values, in order."""
        for spec in FILTER_FIELDS:
            value = getattr(self, spec.name)
            if value != spec.default:
                yield spec, value

    def to_query_params(self) -> dict[str, str | list[str]]:
        """Only what is set, so an unfiltered view has a clean URL."""
        return {spec.param: spec.to_url(value) for spec, value in self.set_fields()}

    @classmethod
    def from_query_params(cls, params: Mapping[str, Any]) -> Filters:
        """Read a URL's parameters. Junk is ignored: bad dates, unknown event types."""

        def values(key: str) -> list[str]:
            get_all = getattr(params, "get_all", None)
            if callable(get_all):  # st.query_params: repeated keys need get_all
                raw: Any = get_all(key)
            else:
                raw = params.get(key)
            if raw is None:
                return []
            if isinstance(raw, str):
                return [raw]
            if isinstance(raw, Iterable):
                return [str(item) for item in raw]
            return [str(raw)]

        return cls(**{spec.name: spec.from_url(values(spec.param)) for spec in FILTER_FIELDS})

    def to_args(self) -> list[str]:
        """The CLI flags for this view (for "reproduce on the command line" hints)."""
        return [arg for spec, value in self.set_fields() for arg in spec.to_args(value)]

    def slug(self) -> str:
        """A file-name part: ``north-korea_2017-01-01_2017-12-31``; ``all`` when unfiltered."""
        set_fields = list(self.set_fields())
        parts = [
            part
            for spec, value in set_fields
            if spec.kind is not FilterKind.SWITCH
            for part in spec.slug(value)
        ]
        if self.since and self.until:
            parts += [self.since.isoformat(), self.until.isoformat()]
        elif self.since:
            parts.append(f"since-{self.since.isoformat()}")
        elif self.until:
            parts.append(f"until-{self.until.isoformat()}")
        parts += [
            part
            for spec, value in set_fields
            if spec.kind is FilterKind.SWITCH
            for part in spec.slug(value)
        ]
        slug = "_".join(part for part in parts if part)
        slug = slug or "all"
        if len(slug) > _SLUG_MAX:
            digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:8]
            slug = slug[: _SLUG_MAX - 9].rstrip("-_") + "_" + digest
        return slug


FILTER_FIELDS: tuple[FilterField, ...] = tuple(
    replace(item.metadata["filter"], name=item.name, default=item.default)
    for item in fields(Filters)
)
FILTER_FIELD: dict[str, FilterField] = {spec.name: spec for spec in FILTER_FIELDS}


# --------------------------------------------------------------------------------------
# Entity names ↔ ids


@dataclass(frozen=True)
class EntityInfo:
    entity_id: str
    name: str
    entity_type: str
    klass: str | None = None  # weapon class ("ICBM"); None for others
    country: str | None = None  # country entity_id the entity belongs to


def _country_id(value: object) -> str | None:
    """Gazetteers may give "PRK" or "country:PRK"; the tables use the latter."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    if not text:
        return None
    if text.startswith("country:"):
        return text
    if re.fullmatch(r"[A-Za-z]{3}", text):
        return f"country:{text.upper()}"
    return None


def _name_from_id(entity_id: str) -> str:
    _, _, tail = entity_id.partition(":")
    tail = tail or entity_id
    return tail if tail.isupper() else tail.replace("-", " ").replace("_", " ").title()


def _entity_type_from_id(entity_id: str) -> str:
    prefix = entity_id.partition(":")[0]
    return {"org": "organization"}.get(prefix, prefix)


def gazetteer_entities() -> list[EntityInfo]:
    """Entries of the project's gazetteer; empty when it cannot be loaded (a fresh clone
    still shows names from the corpus itself)."""
    try:
        from flashpoint.nlp.gazetteer import Gazetteer
    except ImportError:
        return []
    from flashpoint.config import GAZETTEER_DIR, user_gazetteer

    try:
        gazetteer: Any = Gazetteer.load(GAZETTEER_DIR, user_gazetteer())
    except (OSError, ValueError):
        return []
    entries = getattr(gazetteer, "entries", gazetteer)
    if isinstance(entries, Mapping):
        entries = entries.values()
    found: list[EntityInfo] = []
    for entry in entries:
        entity_id = getattr(entry, "entity_id", None)
        if not entity_id:
            continue
        entity_type = getattr(entry, "entity_type", None) or _entity_type_from_id(entity_id)
        found.append(
            EntityInfo(
                entity_id=str(entity_id),
                name=str(getattr(entry, "name", None) or _name_from_id(entity_id)),
                entity_type=str(entity_type),
                klass=getattr(entry, "klass", None) or None,
                country=str(entity_id)
                if entity_type == "country"
                else _country_id(getattr(entry, "country", None)),
            )
        )
    return found


@functools.lru_cache(maxsize=1)
def gazetteer_ids() -> frozenset[str]:
    """Ids the gazetteer defines (others were made from a name the text gave)."""
    return frozenset(entry.entity_id for entry in gazetteer_entities())


class EntityCatalog:
    """Names, types, weapon classes and home countries of entity ids.

    Built from the gazetteer plus whatever the corpus mentions, so an entity the gazetteer
    has since dropped still gets its name from the mention table.
    """

    def __init__(self, entities: Iterable[EntityInfo]) -> None:
        rows = {entity.entity_id: entity for entity in entities}
        self.frame = pd.DataFrame(
            {
                "name": [e.name for e in rows.values()],
                "entity_type": [e.entity_type for e in rows.values()],
                "klass": [e.klass for e in rows.values()],
                "country": [e.country for e in rows.values()],
            },
            index=pd.Index(list(rows), name="entity_id", dtype="object"),
            dtype="object",
        )
        self._names: dict[str, str] = dict(zip(self.frame.index, self.frame["name"], strict=True))
        self._countries: dict[str, str | None] = dict(
            zip(self.frame.index, self.frame["country"], strict=True)
        )

    @classmethod
    def from_tables(
        cls, mentions: pd.DataFrame | None, gazetteer: Iterable[EntityInfo] = ()
    ) -> EntityCatalog:
        entities: dict[str, EntityInfo] = {}
        if mentions is not None and len(mentions):
            named = mentions.dropna(subset=["entity_id"])
            named = named.drop_duplicates("entity_id", keep="first")
            for entity_id, name, entity_type in zip(
                named["entity_id"], named["entity_name"], named["entity_type"], strict=True
            ):
                entity_id = str(entity_id)
                kind = str(entity_type) if isinstance(entity_type, str) and entity_type else None
                kind = kind or _entity_type_from_id(entity_id)
                entities[entity_id] = EntityInfo(
                    entity_id=entity_id,
                    name=str(name) if isinstance(name, str) and name else _name_from_id(entity_id),
                    entity_type=kind,
                    country=entity_id if kind == "country" else None,
                )
        for entry in gazetteer:  # the gazetteer wins: it carries class and country
            entities[entry.entity_id] = entry
        return cls(entities.values())

    @classmethod
    def for_corpus(cls, corpus: Any) -> EntityCatalog:
        return cls.from_tables(corpus.mentions, gazetteer_entities())

    def name(self, entity_id: object) -> str:
        key = str(entity_id)
        return self._names.get(key) or _name_from_id(key)

    def names(self, entity_ids: Iterable[object]) -> list[str]:
        return [self.name(entity_id) for entity_id in entity_ids]

    def country_of(self, entity_id: object) -> str | None:
        """The country an entity acts for: itself for a country, else its gazetteer country."""
        key = str(entity_id)
        if key.startswith("country:"):
            return key
        country = self._countries.get(key)
        return country if isinstance(country, str) and country else None

    def ids_named(self, names: Iterable[str], entity_type: str | None = None) -> set[str]:
        """Ids whose display name (or id) matches, case-insensitively."""
        wanted = {name.casefold() for name in names}
        if not wanted:
            return set()
        frame = self.frame
        if entity_type:
            frame = frame[frame["entity_type"] == entity_type]
        by_name = frame.index[frame["name"].astype(str).str.casefold().isin(wanted)]
        by_id = frame.index[pd.Index(frame.index.astype(str)).str.casefold().isin(wanted)]
        found = set(by_name) | set(by_id)
        if entity_type == "country":  # "PRK" works too
            found |= {f"country:{name.upper()}" for name in wanted if len(name) == 3}
        return found

    def weapon_ids_in_classes(self, classes: Iterable[str]) -> set[str]:
        wanted = {name.casefold() for name in classes}
        if not wanted:
            return set()
        klass = self.frame["klass"].astype("object")
        matches = klass.map(lambda value: isinstance(value, str) and value.casefold() in wanted)
        return set(self.frame.index[matches.astype(bool)])

    def weapon_class(self, entity_id: object) -> str | None:
        key = str(entity_id)
        if key not in self.frame.index:
            return None
        value = self.frame.at[key, "klass"]
        return value if isinstance(value, str) else None


# --------------------------------------------------------------------------------------
# Applying filters


@dataclass
class FilteredView:
    """The corpus as the current filters show it."""

    articles: pd.DataFrame  # articles passing the article-level filters
    events: pd.DataFrame  # events passing the event-level filters, with article columns
    mentions: pd.DataFrame  # mentions inside ``articles``
    catalog: EntityCatalog = field(repr=False, default_factory=lambda: EntityCatalog(()))

    @property
    def is_empty(self) -> bool:
        return self.articles.empty and self.events.empty


def as_list(value: object) -> list[str]:
    """A list cell as Parquet gives it back (list, numpy array, None) → list of str."""
    if value is None:
        return []
    if isinstance(value, float) and np.isnan(value):
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable):
        return [str(item) for item in value if item is not None and str(item)]
    return []


def isin(series: pd.Series, values: Iterable[Any]) -> np.ndarray:
    """``series.isin(values)`` as a boolean array, fast for Arrow-backed strings.

    pandas' ``isin`` on an Arrow string column turns every one of ``values`` into a pyarrow
    scalar in Python first (seconds for a column of ids on a few thousand articles); this
    hands the distinct values to ``pyarrow.compute.is_in`` as one array instead. A missing
    value never matches (ids and names are what callers look for)."""
    array = getattr(series.array, "_pa_array", None)
    if array is None or not (
        pa.types.is_string(array.type) or pa.types.is_large_string(array.type)
    ):
        return series.isin(list(values) if isinstance(values, set) else values).to_numpy(dtype=bool)
    wanted = _string_values(values, array.type)
    if not len(wanted):
        return np.zeros(len(series), dtype=bool)
    hits = pc.is_in(array, value_set=wanted)
    return np.asarray(pc.fill_null(hits, False).to_numpy(zero_copy_only=False), dtype=bool)


def _string_values(values: Iterable[Any], arrow_type: pa.DataType) -> pa.Array:
    """The distinct non-missing strings among ``values``, as one Arrow array."""
    if isinstance(values, pd.Series):
        array = getattr(values.array, "_pa_array", None)
        if array is not None and array.type == arrow_type:
            return pc.unique(array.combine_chunks()).drop_null()
        values = values.dropna().unique()
    return pa.array(sorted({v for v in values if isinstance(v, str)}), type=arrow_type)


def _published(articles: pd.DataFrame) -> pd.Series:
    return pd.to_datetime(articles["published"], utc=True, errors="coerce")


def _date_mask(stamps: pd.Series, filters: Filters) -> np.ndarray:
    """Publication date inside the range (a missing date fails any date filter)."""
    mask = np.ones(len(stamps), dtype=bool)
    if filters.since is None and filters.until is None:
        return mask
    days = stamps.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    if filters.since is not None:
        mask = mask & (days >= pd.Timestamp(filters.since)).fillna(False).to_numpy(dtype=bool)
    if filters.until is not None:
        mask = mask & (days <= pd.Timestamp(filters.until)).fillna(False).to_numpy(dtype=bool)
    return mask


def event_periods(event_dates: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First and last day each ISO event date ("2017-08-29", "2017-08", "2017") covers."""
    text = event_dates.astype("object").where(event_dates.notna(), None)
    start = pd.Series(pd.NaT, index=event_dates.index, dtype="datetime64[s]")
    end = start.copy()
    as_str = text.map(lambda value: value if isinstance(value, str) else "")
    for length, fmt, offset in (
        (10, "%Y-%m-%d", pd.offsets.Day(0)),
        (7, "%Y-%m", pd.offsets.MonthEnd(0)),
        (4, "%Y", pd.offsets.YearEnd(0)),
    ):
        picked = as_str.str.len() == length
        if picked.any():
            parsed = pd.to_datetime(as_str[picked], format=fmt, errors="coerce")
            start.loc[picked] = parsed
            end.loc[picked] = parsed + offset
    return start, end


def _event_date_mask(events: pd.DataFrame, filters: Filters) -> np.ndarray:
    """An event passes when the whole period its date names lies inside the range: a
    "2017-08" event passes 2017-08-01…2017-08-31 but not 2017-08-15…2017-12-31, since it
    may have happened before the 15th. Undated events use their article's publication day.
    """
    if filters.since is None and filters.until is None:
        return np.ones(len(events), dtype=bool)
    start, end = event_periods(events["event_date"])
    published = _published(events).dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    start = start.fillna(published)
    end = end.fillna(published)
    mask = np.ones(len(events), dtype=bool)
    if filters.since is not None:
        mask = mask & (start >= pd.Timestamp(filters.since)).fillna(False).to_numpy(dtype=bool)
    if filters.until is not None:
        mask = mask & (end <= pd.Timestamp(filters.until)).fillna(False).to_numpy(dtype=bool)
    return mask


def _contains(series: pd.Series, query: str) -> np.ndarray:
    return (
        series.astype("string")
        .str.contains(query, case=False, regex=False)
        .fillna(False)
        .to_numpy(dtype=bool)
    )


def _list_members(frame: pd.DataFrame, key: str, column: str) -> pd.DataFrame:
    """One row per (key, member) of a list column (empty and missing members dropped)."""
    pairs = frame[[key, column]].explode(column).dropna(subset=[column])
    pairs[column] = pairs[column].astype(str)
    pairs = pairs[pairs[column] != ""]
    return pairs.rename(columns={column: "member"})


def _events_with_countries(
    events: pd.DataFrame, mentions: pd.DataFrame, catalog: EntityCatalog, country_ids: set[str]
) -> np.ndarray:
    """Events where one of the countries acts, takes part, or is named in the sentence."""
    if events.empty:
        return np.zeros(0, dtype=bool)
    keyed = events.assign(_row=np.arange(len(events)))
    hit_rows: set[int] = set()
    for column in ("actors", "participants"):
        if column in keyed.columns:
            members = _list_members(keyed, "_row", column)
            acting = {m for m in members["member"].unique() if catalog.country_of(m) in country_ids}
            hit_rows |= set(members.loc[isin(members["member"], acting), "_row"])
    if len(mentions):
        named = mentions.loc[
            isin(mentions["entity_id"], country_ids), ["article_id", "sentence_idx"]
        ].drop_duplicates()
        joined = keyed[["_row", "article_id", "sentence_idx"]].merge(
            named, on=["article_id", "sentence_idx"], how="inner"
        )
        hit_rows |= set(joined["_row"])
    return np.isin(np.arange(len(events)), list(hit_rows))


def _events_with_weapons(events: pd.DataFrame, weapon_ids: set[str]) -> np.ndarray:
    if events.empty or "weapons" not in events.columns:
        return np.zeros(len(events), dtype=bool)
    keyed = events.assign(_row=np.arange(len(events)))
    members = _list_members(keyed, "_row", "weapons")
    rows = set(members.loc[isin(members["member"], weapon_ids), "_row"])
    return np.isin(np.arange(len(events)), list(rows))


def _weapon_ids(filters: Filters, catalog: EntityCatalog) -> set[str] | None:
    if not filters.weapons and not filters.weapon_classes:
        return None
    return catalog.ids_named(filters.weapons, "weapon") | catalog.weapon_ids_in_classes(
        filters.weapon_classes
    )


ARTICLE_CONTEXT_COLUMNS: tuple[str, ...] = ("source", "title", "url", "published")


def events_with_articles(events: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Events with the source, title, url and publication time of their article."""
    context = articles[["article_id", *ARTICLE_CONTEXT_COLUMNS]].drop_duplicates("article_id")
    base = events.drop(columns=[c for c in ARTICLE_CONTEXT_COLUMNS if c in events.columns])
    return base.merge(context, on="article_id", how="left")


def span_text(text: object, start: object, end: object) -> str | None:
    """A stretch of article text by character offsets, on one line; None where the
    article or the offsets are missing."""
    if not isinstance(text, str) or pd.isna(start) or pd.isna(end):  # type: ignore[call-overload]
        return None
    return " ".join(text[int(start) : int(end)].split())  # type: ignore[call-overload]


def evidence_sentences(events: pd.DataFrame, articles: pd.DataFrame) -> pd.Series:
    """The sentence each event was read from, cut from its article's text."""
    if events.empty:
        return pd.Series([], index=events.index, dtype="object")
    texts = dict(zip(articles["article_id"], articles["text"], strict=False))
    out = [
        span_text(texts.get(article_id), start, end) or ""
        for article_id, start, end in zip(
            events["article_id"], events["start_char"], events["end_char"], strict=True
        )
    ]
    return pd.Series(out, index=events.index, dtype="object")


def filter_events(
    corpus: Any, filters: Filters, catalog: EntityCatalog | None = None
) -> pd.DataFrame:
    """Events matching the filters, with their article's source/title/url/published and
    their evidence sentence (column ``evidence_text``)."""
    catalog = catalog or EntityCatalog.for_corpus(corpus)
    events = events_with_articles(corpus.events, corpus.articles)
    if events.empty:
        return events.assign(evidence_text=pd.Series([], dtype="object"))
    allowed = {"asserted", *(UNASSERTED_MODALITIES if filters.include_unasserted else ())}
    mask = isin(events["modality"], allowed)
    if filters.types:
        mask = mask & isin(events["event_type"], filters.types)
    if filters.sources:
        mask = mask & isin(events["source"], filters.sources)
    mask = mask & _event_date_mask(events, filters)
    events = events[mask].reset_index(drop=True)
    if filters.countries and len(events):
        ids = catalog.ids_named(filters.countries, "country")
        events = events[_events_with_countries(events, corpus.mentions, catalog, ids)]
    weapon_ids = _weapon_ids(filters, catalog)
    if weapon_ids is not None and len(events):
        events = events[_events_with_weapons(events, weapon_ids)]
    events = events.reset_index(drop=True)
    events["evidence_text"] = evidence_sentences(events, corpus.articles)
    if filters.query and len(events):
        hit = _contains(events["evidence_text"], filters.query) | _contains(
            events["title"], filters.query
        )
        events = events[hit].reset_index(drop=True)
    return events


def filter_articles(
    corpus: Any, filters: Filters, catalog: EntityCatalog | None = None
) -> pd.DataFrame:
    """Articles matching the filters: published in the range, from the sources, mentioning
    (or reporting an event with) the countries and weapons, reporting the event types,
    containing the text."""
    catalog = catalog or EntityCatalog.for_corpus(corpus)
    articles = corpus.articles
    if articles.empty:
        return articles.copy()
    mask = _date_mask(_published(articles), filters)
    if filters.sources:
        mask = mask & articles["source"].isin(filters.sources).to_numpy(dtype=bool)
    if filters.query:
        # Title or text, within the date and source filters (``&`` binds tighter than ``|``).
        mask = mask & (
            _contains(articles["title"], filters.query) | _contains(articles["text"], filters.query)
        )
    article_ids = articles["article_id"]
    mentions = corpus.mentions
    events = corpus.events
    allowed = {"asserted", *(UNASSERTED_MODALITIES if filters.include_unasserted else ())}
    if filters.types:
        typed = events[
            isin(events["event_type"], filters.types) & isin(events["modality"], allowed)
        ]
        mask = mask & isin(article_ids, typed["article_id"])
    if filters.countries:
        ids = catalog.ids_named(filters.countries, "country")
        mentioned = mentions.loc[isin(mentions["entity_id"], ids), "article_id"]
        acting = events.loc[_events_with_countries(events, mentions.iloc[0:0], catalog, ids)]
        mask = mask & (isin(article_ids, mentioned) | isin(article_ids, acting["article_id"]))
    weapon_ids = _weapon_ids(filters, catalog)
    if weapon_ids is not None:
        mentioned = mentions.loc[isin(mentions["entity_id"], weapon_ids), "article_id"]
        armed = events.loc[_events_with_weapons(events, weapon_ids), "article_id"]
        mask = mask & (isin(article_ids, mentioned) | isin(article_ids, armed))
    return articles[mask].reset_index(drop=True)


def filter_mentions(corpus: Any, articles: pd.DataFrame) -> pd.DataFrame:
    """Mentions inside the given (already filtered) articles."""
    mentions = corpus.mentions
    return mentions[isin(mentions["article_id"], articles["article_id"])].reset_index(drop=True)


def apply_filters(
    corpus: Any, filters: Filters, catalog: EntityCatalog | None = None
) -> FilteredView:
    """Everything a page needs, filtered once."""
    catalog = catalog or EntityCatalog.for_corpus(corpus)
    articles = filter_articles(corpus, filters, catalog)
    return FilteredView(
        articles=articles,
        events=filter_events(corpus, filters, catalog),
        mentions=filter_mentions(corpus, articles),
        catalog=catalog,
    )


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar offers: the values present in the corpus."""

    countries: tuple[str, ...]
    weapons: tuple[str, ...]
    weapon_classes: tuple[str, ...]
    sources: tuple[str, ...]
    first_day: date | None
    last_day: date | None


def filter_options(corpus: Any, catalog: EntityCatalog) -> FilterOptions:
    mentions = corpus.mentions
    events = corpus.events
    ids: set[str] = set(mentions["entity_id"].dropna().astype(str)) if len(mentions) else set()
    for column in ("actors", "participants", "weapons"):
        if column in events.columns and len(events):
            ids |= set(_list_members(events, "event_id", column)["member"])
    country_ids = {cid for cid in (catalog.country_of(i) for i in ids) if cid} | {
        i for i in ids if i.startswith("country:")
    }
    weapon_ids = {i for i in ids if i.startswith("weapon:")}
    if len(mentions):
        typed = mentions.dropna(subset=["entity_id"])
        weapon_ids |= set(typed.loc[typed["entity_type"] == "weapon", "entity_id"].astype(str))
    classes = {catalog.weapon_class(i) for i in weapon_ids}
    stamps = _published(corpus.articles).dropna()
    sources = corpus.articles["source"].dropna().astype(str) if len(corpus.articles) else []
    return FilterOptions(
        countries=tuple(sorted({catalog.name(i) for i in country_ids}, key=str.casefold)),
        weapons=tuple(sorted({catalog.name(i) for i in weapon_ids}, key=str.casefold)),
        weapon_classes=tuple(sorted((c for c in classes if c), key=str.casefold)),
        sources=tuple(sorted(set(sources), key=str.casefold)),
        first_day=stamps.min().date() if len(stamps) else None,
        last_day=stamps.max().date() if len(stamps) else None,
    )


@dataclass(frozen=True)
class UnmatchedName:
    """A name given to a filter that names nothing known, with the closest known names."""

    flag: str  # the CLI flag ("--country")
    name: str
    suggestions: tuple[str, ...]

    def message(self) -> str:
        hint = f"; did you mean {' or '.join(repr(s) for s in self.suggestions)}?"
        return f"{self.flag} {self.name!r} matched nothing" + (hint if self.suggestions else "")


def _close_names(name: str, known: Iterable[str], n: int = 3) -> tuple[str, ...]:
    by_fold: dict[str, str] = {}
    for candidate in known:
        by_fold.setdefault(candidate.casefold(), candidate)
    close = difflib.get_close_matches(name.casefold(), list(by_fold), n=n, cutoff=0.6)
    return tuple(by_fold[match] for match in close)


def unmatched_names(
    filters: Filters, catalog: EntityCatalog, sources: Iterable[str] = ()
) -> list[UnmatchedName]:
    """Names in the filters that match no country, weapon, weapon class or source: such a
    filter matches nothing, which a reader should be told rather than shown an empty table."""
    frame = catalog.frame
    names_of = {
        kind: frame.loc[frame["entity_type"] == kind, "name"].astype(str).tolist()
        for kind in ("country", "weapon")
    }
    classes = sorted({str(k) for k in frame["klass"].dropna()})
    source_names = sorted({str(s) for s in sources})
    found: list[UnmatchedName] = []
    flag = {name: spec.flag for name, spec in FILTER_FIELD.items()}
    for name in filters.countries:
        if not catalog.ids_named([name], "country") & set(frame.index):
            close = _close_names(name, names_of["country"])
            found.append(UnmatchedName(flag["countries"], name, close))
    for name in filters.weapons:
        if not catalog.ids_named([name], "weapon"):
            close = _close_names(name, names_of["weapon"])
            found.append(UnmatchedName(flag["weapons"], name, close))
    for name in filters.weapon_classes:
        if not catalog.weapon_ids_in_classes([name]):
            found.append(UnmatchedName(flag["weapon_classes"], name, _close_names(name, classes)))
    for name in filters.sources:
        if name not in source_names:
            found.append(UnmatchedName(flag["sources"], name, _close_names(name, source_names)))
    return found


def describe(filters: Filters) -> str:
    """One line for captions and empty states: "from 2017-01-01 · North Korea · missile
    launch", each set filter as its declaration words it, in the sidebar's order."""
    parts: list[str] = []
    previous: FilterKind | None = None
    for spec, value in filters.set_fields():
        text = spec.describe(value)
        if spec.kind is FilterKind.UNTIL and previous is FilterKind.SINCE:
            parts[-1] += " " + text  # "from 2017-01-01 to 2017-12-31"
        else:
            parts.append(text)
        previous = spec.kind
    return " · ".join(parts) if parts else "no filters"
