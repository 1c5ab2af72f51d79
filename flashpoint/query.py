"""The corpus through DuckDB: filter and aggregate without the tables in pandas.

:mod:`flashpoint.analysis` works on a :class:`flashpoint.store.Corpus` held whole in
pandas, full text included. That is simplest and fast for a few thousand articles; at a
hundred thousand it costs seconds per filter change and gigabytes per server process.
:class:`CorpusQuery` answers the same questions with the same DataFrames (the Overview,
Timeline and Co-occurrence pages' data) from one in-process DuckDB database:

* the manifest's Parquet parts are read once into DuckDB's own compressed columns, without
  article text; row order is kept (``rid``) so ties break exactly as in pandas;
* each event's evidence sentence is cut from its article once, at load;
* a filter becomes SQL over those tables (two small result tables per view, kept for the
  last few views); every figure's data is a GROUP BY over them;
* article text is read from Parquet only for the rows a page shows (pair sentences,
  story reports) or a text search.

Small results are finished with the pandas functions themselves, so the two paths cannot
drift apart there; the large aggregations are SQL written to the pandas definitions and
checked against them by tests/unit/test_query.py.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from flashpoint import store
from flashpoint.analysis import cooccurrence as cooc
from flashpoint.analysis import overview, timeline
from flashpoint.analysis.counts import StoryCounts, by_type_frame, story_counts
from flashpoint.analysis.filters import (
    UNASSERTED_MODALITIES,
    EntityCatalog,
    FilteredView,
    FilterOptions,
    Filters,
    gazetteer_entities,
    span_text,
)
from flashpoint.schema import TABLES

_LIST = "VARCHAR[]"
# The DuckDB type of every stored column (parts written from pandas may carry a null
# type where a chunk had no value; every column is cast to these on load).
COLUMN_TYPES: dict[str, dict[str, str]] = {
    "articles": {
        "article_id": "VARCHAR",
        "external_id": "VARCHAR",
        "source": "VARCHAR",
        "url": "VARCHAR",
        "title": "VARCHAR",
        "published": "TIMESTAMPTZ",
        "published_precision": "VARCHAR",
        "dateline": "VARCHAR",
        "text": "VARCHAR",
        "language": "VARCHAR",
        "word_count": "BIGINT",
        "content_hash": "VARCHAR",
        "duplicate_of": "VARCHAR",
        "origin": "VARCHAR",
        "ingested_at": "TIMESTAMPTZ",
    },
    "sentences": {
        "article_id": "VARCHAR",
        "sentence_idx": "BIGINT",
        "start_char": "BIGINT",
        "end_char": "BIGINT",
    },
    "mentions": {
        "article_id": "VARCHAR",
        "sentence_idx": "BIGINT",
        "start_char": "BIGINT",
        "end_char": "BIGINT",
        "text": "VARCHAR",
        "label": "VARCHAR",
        "entity_id": "VARCHAR",
        "entity_name": "VARCHAR",
        "entity_type": "VARCHAR",
    },
    "events": {
        "event_id": "VARCHAR",
        "article_id": "VARCHAR",
        "sentence_idx": "BIGINT",
        "start_char": "BIGINT",
        "end_char": "BIGINT",
        "event_type": "VARCHAR",
        "trigger": "VARCHAR",
        "actors": _LIST,
        "participants": _LIST,
        "weapons": _LIST,
        "location": "VARCHAR",
        "event_date": "VARCHAR",
        "date_precision": "VARCHAR",
        "date_basis": "VARCHAR",
        "date_text": "VARCHAR",
        "modality": "VARCHAR",
        "confidence": "DOUBLE",
        "story_id": "VARCHAR",
        "is_space_launch": "BOOLEAN",
    },
    "stories": {
        "story_id": "VARCHAR",
        "event_type": "VARCHAR",
        "event_date": "VARCHAR",
        "date_precision": "VARCHAR",
        "actors": _LIST,
        "weapons": _LIST,
        "n_articles": "BIGINT",
        "n_sources": "BIGINT",
        "first_reported": "TIMESTAMPTZ",
        "last_reported": "TIMESTAMPTZ",
        "headline": "VARCHAR",
        "evidence": "VARCHAR",
    },
}
assert {name: tuple(columns) for name, columns in COLUMN_TYPES.items()} == TABLES

# Columns kept in memory (article text stays in Parquet).
_KEEP: dict[str, tuple[str, ...]] = {
    "articles": tuple(c for c in TABLES["articles"] if c not in ("text", "origin")),
    "mentions": ("article_id", "sentence_idx", "entity_id", "entity_name", "entity_type"),
    "events": TABLES["events"],
    "stories": TABLES["stories"],
}
_MODALITY_RANK = "CASE modality WHEN 'asserted' THEN 0 WHEN 'claimed' THEN 1 WHEN 'planned' THEN 2 WHEN 'possible' THEN 3 WHEN 'negated' THEN 4 ELSE 9 END"
_VIEWS_KEPT = 8


def _period_sql(column: str) -> tuple[str, str]:
    """First and last day an ISO date string covers, as event_periods reads it."""
    start = (
        f"CASE length({column}) "
        f"WHEN 10 THEN CAST(try_strptime({column}, '%Y-%m-%d') AS DATE) "
        f"WHEN 7 THEN CAST(try_strptime({column}, '%Y-%m') AS DATE) "
        f"WHEN 4 THEN CAST(try_strptime({column}, '%Y') AS DATE) END"
    )
    end = (
        f"CASE length({column}) "
        f"WHEN 10 THEN CAST(try_strptime({column}, '%Y-%m-%d') AS DATE) "
        f"WHEN 7 THEN last_day(CAST(try_strptime({column}, '%Y-%m') AS DATE)) "
        f"WHEN 4 THEN CAST(date_trunc('year', CAST(try_strptime({column}, '%Y') AS DATE)) "
        f"+ INTERVAL 1 YEAR - INTERVAL 1 DAY AS DATE) END"
    )
    return start, end


def _contains_sql(column: str) -> str:
    """Case-insensitive substring test against the ``$q`` parameter (NULL → false)."""
    return f"coalesce(contains(upper({column}), upper($q)), false)"


@dataclass(frozen=True)
class _View:
    """Names of the two tables a filter produced: its articles and its events."""

    articles: str
    events: str


class CorpusQuery:
    """One corpus, read once into an in-process DuckDB database.

    Thread-safe (one lock around the connection): a Streamlit server shares one instance
    across sessions. ``threads`` defaults to DuckDB's choice (all cores).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        threads: int | None = None,
        gazetteer: Iterable[Any] | None = None,
    ) -> None:
        self.path = Path(path)
        self.manifest = store.read_manifest(self.path)
        self._lock = threading.RLock()
        self.con = duckdb.connect(":memory:")
        self.con.execute("SET TimeZone = 'UTC'")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self._views: OrderedDict[Filters, _View] = OrderedDict()
        self._timelines: dict[_View, pd.DataFrame] = {}
        self._load()
        self.catalog = self._build_catalog(gazetteer)
        self._load_names()
        self._load_events()

    # ----------------------------------------------------------------------------------
    # Loading

    def _parts(self, name: str) -> list[str]:
        return [str(self.path / part) for part in self.manifest.get("tables", {}).get(name, [])]

    def _select(self, name: str, columns: Sequence[str], *, with_rid: bool) -> str:
        """A SELECT over a table's parts, cast to its types, in the order pandas reads it."""
        types = COLUMN_TYPES[name]
        parts = self._parts(name)
        if not parts:
            casts = ", ".join(f"CAST(NULL AS {types[c]}) AS {c}" for c in columns)
            rid = ", CAST(0 AS BIGINT) AS rid" if with_rid else ""
            return f"SELECT {casts}{rid} WHERE false"
        casts = ", ".join(f"CAST({c} AS {types[c]}) AS {c}" for c in columns)
        selects = []
        for index, part in enumerate(parts):
            quoted = "'" + part.replace("'", "''") + "'"
            # rid: part number, then row in part — the order load_corpus concatenates them.
            rid = f", CAST({index} AS BIGINT) * 4294967296 + file_row_number AS rid"
            selects.append(
                f"SELECT {casts}{rid if with_rid else ''} "
                f"FROM read_parquet({quoted}, file_row_number = true)"
            )
        return " UNION ALL ".join(selects)

    def _load(self) -> None:
        con = self.con
        for name, columns in _KEEP.items():
            con.execute(f"CREATE TABLE raw_{name} AS {self._select(name, columns, with_rid=True)}")
        con.execute(
            "CREATE TABLE articles AS SELECT *, CAST(published AS DATE) AS pub_day "
            "FROM raw_articles QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY rid) = 1"
        )
        con.execute("DROP TABLE raw_articles")
        con.execute("ALTER TABLE raw_mentions RENAME TO mentions")
        con.execute("ALTER TABLE raw_stories RENAME TO stories_all")
        con.execute(
            "CREATE TABLE stories AS SELECT * FROM stories_all "
            "QUALIFY row_number() OVER (PARTITION BY story_id ORDER BY rid) = 1"
        )
        con.execute("DROP TABLE stories_all")
        con.execute(
            "CREATE VIEW article_text AS "
            + self._select("articles", ("article_id", "text"), with_rid=False)
        )
        con.execute(
            "CREATE VIEW sentences AS "
            + self._select("sentences", TABLES["sentences"], with_rid=False)
        )

    def _build_catalog(self, gazetteer: Iterable[Any] | None) -> EntityCatalog:
        """As EntityCatalog.for_corpus: each id's name and type from its first mention."""
        first = self.con.execute(
            "SELECT entity_id, arg_min(entity_name, rid) AS entity_name, "
            "arg_min(entity_type, rid) AS entity_type FROM mentions "
            "WHERE entity_id IS NOT NULL GROUP BY entity_id ORDER BY min(rid)"
        ).df()
        entries = gazetteer_entities() if gazetteer is None else list(gazetteer)
        return EntityCatalog.from_tables(first, entries)

    def _load_names(self) -> None:
        """Display name and home country of every id the tables hold, from the catalog."""
        ids = self.con.execute(
            "SELECT DISTINCT entity_id FROM mentions WHERE entity_id IS NOT NULL "
            "UNION SELECT DISTINCT unnest(actors) FROM raw_events "
            "UNION SELECT DISTINCT unnest(participants) FROM raw_events "
            "UNION SELECT DISTINCT unnest(weapons) FROM raw_events "
            "UNION SELECT DISTINCT unnest(actors) FROM stories "
            "UNION SELECT DISTINCT unnest(weapons) FROM stories"
        ).fetchall()
        catalog = self.catalog
        keys = [str(row[0]) for row in ids if row[0] is not None and str(row[0])]
        names = pd.DataFrame(
            {
                "entity_id": pd.Series(keys, dtype="object"),
                "name": pd.Series([catalog.name(k) for k in keys], dtype="object"),
                "country": pd.Series([catalog.country_of(k) for k in keys], dtype="object"),
            }
        )
        self.con.register("names_frame", names)
        self.con.execute("CREATE TABLE names AS SELECT * FROM names_frame")
        self.con.unregister("names_frame")

    def _load_evidence(self) -> None:
        """Each event's evidence sentence, cut from its article's text with span_text (as
        the pandas path does), one article part at a time: no more than one part's text
        is held at once, and none after."""
        spans = self.con.execute(
            "SELECT rid, article_id, start_char, end_char FROM raw_events"
        ).df()
        wanted: dict[str, list[int]] = {}
        for position, article_id in enumerate(spans["article_id"]):
            wanted.setdefault(str(article_id), []).append(position)
        starts = spans["start_char"].to_numpy()
        ends = spans["end_char"].to_numpy()
        texts: list[str] = [""] * len(spans)
        done: set[str] = set()
        for part in self._parts("articles"):
            table = pq.read_table(part, columns=["article_id", "text"])
            for article_id, text in zip(
                table.column("article_id").to_pylist(),
                table.column("text").to_pylist(),
                strict=True,
            ):
                if article_id in done or article_id not in wanted:
                    continue
                done.add(article_id)  # the first copy, as the articles table keeps
                for position in wanted[article_id]:
                    texts[position] = span_text(text, starts[position], ends[position]) or ""
        frame = pd.DataFrame({"rid": spans["rid"].to_numpy(), "evidence_text": texts})
        self.con.register("evidence_frame", frame)
        self.con.execute("CREATE TABLE evidence AS SELECT * FROM evidence_frame")
        self.con.unregister("evidence_frame")

    def _load_events(self) -> None:
        """Events with their article's context, date period, story key and evidence."""
        self._load_evidence()
        start, end = _period_sql("e.event_date")
        self.con.execute(
            f"""
            CREATE TABLE events AS
            SELECT e.* EXCLUDE (is_space_launch), e.is_space_launch,
                   a.source, a.title, a.url, a.published, a.pub_day,
                   {start} AS ev_start, {end} AS ev_end,
                   CASE WHEN e.story_id IS NOT NULL AND e.story_id <> '' THEN e.story_id
                        ELSE 'event:' || coalesce(e.event_id, '') END AS story_key,
                   {_MODALITY_RANK.replace("modality", "e.modality")} AS mod_rank,
                   coalesce(e.confidence, 0.0) AS conf,
                   coalesce(v.evidence_text, '') AS evidence_text
            FROM raw_events e
            LEFT JOIN articles a USING (article_id)
            LEFT JOIN evidence v ON v.rid = e.rid
            """
        )
        self.con.execute("DROP TABLE evidence")
        self.con.execute("DROP TABLE raw_events")
        self.con.execute(
            """
            CREATE TABLE event_members AS
            SELECT rid, article_id, role, member, n.country
            FROM (
                SELECT rid, article_id, 'actors' AS role, unnest(actors) AS member FROM events
                UNION ALL
                SELECT rid, article_id, 'participants', unnest(participants) FROM events
                UNION ALL
                SELECT rid, article_id, 'weapons', unnest(weapons) FROM events
            ) LEFT JOIN names n ON n.entity_id = member
            WHERE member IS NOT NULL AND member <> ''
            """
        )

    # ----------------------------------------------------------------------------------
    # Filters

    def _sql(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        with self._lock:
            return self.con.execute(sql, params or {}).df()

    def _allowed(self, filters: Filters) -> list[str]:
        return ["asserted", *(UNASSERTED_MODALITIES if filters.include_unasserted else ())]

    def _weapon_ids(self, filters: Filters) -> list[str] | None:
        if not filters.weapons and not filters.weapon_classes:
            return None
        found = self.catalog.ids_named(filters.weapons, "weapon")
        found |= self.catalog.weapon_ids_in_classes(filters.weapon_classes)
        return sorted(found)

    def view(self, filters: Filters) -> _View:
        """The filter's article and event tables (made once, kept for the last few views)."""
        with self._lock:
            found = self._views.get(filters)
            if found is not None:
                self._views.move_to_end(filters)
                return found
            tag = hashlib.sha1(repr(filters).encode("utf-8")).hexdigest()[:12]
            made = _View(articles=f"view_articles_{tag}", events=f"view_events_{tag}")
            self._make_view(filters, made)
            self._views[filters] = made
            while len(self._views) > _VIEWS_KEPT:
                _, old = self._views.popitem(last=False)
                self.con.execute(f"DROP TABLE IF EXISTS {old.articles}")
                self.con.execute(f"DROP TABLE IF EXISTS {old.events}")
            return made

    def _make_view(self, filters: Filters, made: _View) -> None:
        params: dict[str, Any] = {"allowed": self._allowed(filters)}
        article_where: list[str] = []
        event_where: list[str] = ["list_contains($allowed, e.modality)"]
        if filters.since is not None:
            params["since"] = filters.since
            article_where.append("a.pub_day >= $since")
            event_where.append("coalesce(e.ev_start, e.pub_day) >= $since")
        if filters.until is not None:
            params["until"] = filters.until
            article_where.append("a.pub_day <= $until")
            event_where.append("coalesce(e.ev_end, e.pub_day) <= $until")
        if filters.sources:
            params["sources"] = list(filters.sources)
            article_where.append("list_contains($sources, a.source)")
            event_where.append("list_contains($sources, e.source)")
        if filters.types:
            params["types"] = list(filters.types)
            article_where.append(
                "a.article_id IN (SELECT article_id FROM events WHERE "
                "list_contains($types, event_type) AND list_contains($allowed, modality))"
            )
            event_where.append("list_contains($types, e.event_type)")
        if filters.countries:
            params["countries"] = sorted(self.catalog.ids_named(filters.countries, "country"))
            acting = (
                "SELECT rid, article_id FROM event_members WHERE role IN ('actors', "
                "'participants') AND list_contains($countries, country)"
            )
            article_where.append(
                "(a.article_id IN (SELECT article_id FROM mentions WHERE "
                f"list_contains($countries, entity_id)) OR a.article_id IN (SELECT article_id "
                f"FROM ({acting})))"
            )
            event_where.append(
                f"(e.rid IN (SELECT rid FROM ({acting})) OR EXISTS (SELECT 1 FROM mentions m "
                "WHERE m.article_id = e.article_id AND m.sentence_idx = e.sentence_idx "
                "AND list_contains($countries, m.entity_id)))"
            )
        weapon_ids = self._weapon_ids(filters)
        if weapon_ids is not None:
            params["weapons"] = weapon_ids
            armed = (
                "SELECT rid, article_id FROM event_members WHERE role = 'weapons' "
                "AND list_contains($weapons, member)"
            )
            article_where.append(
                "(a.article_id IN (SELECT article_id FROM mentions WHERE "
                f"list_contains($weapons, entity_id)) OR a.article_id IN (SELECT article_id "
                f"FROM ({armed})))"
            )
            event_where.append(f"e.rid IN (SELECT rid FROM ({armed}))")
        if filters.query:
            params["q"] = filters.query
            article_where.append(
                f"({_contains_sql('a.title')} OR a.article_id IN (SELECT article_id FROM "
                f"article_text WHERE {_contains_sql('text')}))"
            )
            event_where.append(
                f"({_contains_sql('e.evidence_text')} OR {_contains_sql('e.title')})"
            )
        article_sql = " AND ".join(article_where) or "true"
        event_sql = " AND ".join(event_where)

        def used(sql: str) -> dict[str, Any]:
            return {k: v for k, v in params.items() if f"${k}" in sql}

        self.con.execute(
            f"CREATE OR REPLACE TABLE {made.articles} AS SELECT a.* FROM articles a "
            f"WHERE {article_sql}",
            used(article_sql),
        )
        self.con.execute(
            f"CREATE OR REPLACE TABLE {made.events} AS SELECT e.* FROM events e WHERE {event_sql}",
            used(event_sql),
        )

    # ----------------------------------------------------------------------------------
    # Overview

    def _story_counts(self, made: _View) -> StoryCounts:
        """Stories and reports of the view's events, counted by :func:`story_counts` itself
        (four columns of the filtered events; the one definition stays in one place)."""
        events = self._sql(
            f"SELECT event_id, story_id, article_id, event_type FROM {made.events} ORDER BY rid"
        )
        return story_counts(events)

    def headline(self, filters: Filters) -> overview.Headline:
        made = self.view(filters)
        row = self._sql(
            f"SELECT count(*) AS n, count(duplicate_of) AS dup, count(DISTINCT source) AS src, "
            f"min(pub_day) AS first, max(pub_day) AS last, "
            f"(SELECT count(*) FROM {made.events}) AS events FROM {made.articles}"
        ).iloc[0]
        return overview.Headline(
            articles=int(row["n"]),
            near_duplicates=int(row["dup"]),
            sources=int(row["src"]),
            first_published=_day(row["first"]),
            last_published=_day(row["last"]),
            counts=self._story_counts(made),
            event_mentions=int(row["events"]),
        )

    def events_by_type(self, filters: Filters) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.overview.events_by_type`: stories and reports."""
        return by_type_frame(self._story_counts(self.view(filters)))

    def volume(
        self, filters: Filters, *, freq: str = "week", top_countries: int = 6
    ) -> pd.DataFrame:
        if freq not in overview.FREQUENCIES:
            raise ValueError(
                f"unknown frequency {freq!r} (use one of {', '.join(overview.FREQUENCIES)})"
            )
        made = self.view(filters)
        unit = {"day": "day", "week": "week", "month": "month"}[freq]
        period = f"CAST(date_trunc('{unit}', CAST(published AS TIMESTAMP)) AS TIMESTAMP)"
        total = self._sql(
            f"SELECT {period} AS period, count(DISTINCT article_id) AS n FROM {made.articles} "
            "WHERE published IS NOT NULL GROUP BY 1"
        )
        if total.empty:
            return pd.DataFrame({column: [] for column in overview.VOLUME_COLUMNS})
        code = overview.FREQUENCIES[freq]
        periods = pd.period_range(
            total["period"].min(), total["period"].max(), freq=code
        ).start_time
        counts = total.set_index("period")["n"].reindex(periods, fill_value=0)
        frames = [
            pd.DataFrame(
                {"period": periods, "series": overview.ALL_ARTICLES, "articles": counts.to_numpy()}
            )
        ]
        per = self._sql(
            f"""
            WITH countries AS (
                SELECT m.article_id, m.entity_id, min(m.rid) AS first_rid
                FROM mentions m SEMI JOIN {made.articles} a ON a.article_id = m.article_id
                WHERE m.entity_type = 'country' AND m.entity_id IS NOT NULL
                GROUP BY m.article_id, m.entity_id
            ), top AS (
                SELECT entity_id, count(*) AS n, min(first_rid) AS first_rid FROM countries
                GROUP BY entity_id ORDER BY n DESC, first_rid LIMIT {int(top_countries)}
            )
            SELECT t.entity_id, t.n, t.first_rid, {period.replace("published", "a.published")} AS period,
                   count(DISTINCT c.article_id) AS articles
            FROM top t JOIN countries c USING (entity_id)
            JOIN {made.articles} a ON a.article_id = c.article_id
            WHERE a.published IS NOT NULL
            GROUP BY ALL
            """
        )
        tops = self._sql(
            f"""
            WITH countries AS (
                SELECT m.article_id, m.entity_id, min(m.rid) AS first_rid
                FROM mentions m SEMI JOIN {made.articles} a ON a.article_id = m.article_id
                WHERE m.entity_type = 'country' AND m.entity_id IS NOT NULL
                GROUP BY m.article_id, m.entity_id
            )
            SELECT entity_id, count(*) AS n, min(first_rid) AS first_rid FROM countries
            GROUP BY entity_id ORDER BY n DESC, first_rid LIMIT {int(top_countries)}
            """
        )
        for entity_id in tops["entity_id"]:
            mine = per[per["entity_id"] == entity_id].set_index("period")["articles"]
            frames.append(
                pd.DataFrame(
                    {
                        "period": periods,
                        "series": self.catalog.name(entity_id),
                        "articles": mine.reindex(periods, fill_value=0).astype(int).to_numpy(),
                    }
                )
            )
        frame = pd.concat(frames, ignore_index=True)
        frame["articles"] = frame["articles"].astype(int)
        return frame

    def top_entities(self, filters: Filters, entity_type: str, n: int = 10) -> pd.DataFrame:
        made = self.view(filters)
        grouped = self._sql(
            f"SELECT m.entity_id, count(DISTINCT m.article_id) AS articles, count(*) AS mentions "
            f"FROM mentions m SEMI JOIN {made.articles} a ON a.article_id = m.article_id "
            "WHERE m.entity_type = $type AND m.entity_id IS NOT NULL GROUP BY m.entity_id",
            {"type": entity_type},
        )
        if grouped.empty:
            return pd.DataFrame({column: [] for column in overview.TOP_COLUMNS})
        grouped["name"] = grouped["entity_id"].map(self.catalog.name)
        grouped["articles"] = grouped["articles"].astype("int64")
        grouped["mentions"] = grouped["mentions"].astype("int64")
        grouped = grouped.sort_values(["entity_id"]).sort_values(
            ["articles", "mentions", "name"], ascending=[False, False, True]
        )
        return grouped.head(n)[list(overview.TOP_COLUMNS)].reset_index(drop=True)

    # ----------------------------------------------------------------------------------
    # Timeline

    def timeline_frame(self, filters: Filters) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.timeline.timeline_frame`, one row per story.

        Kept with the view: the headline and the undated count need it too."""
        with self._lock:
            made = self.view(filters)
            cached = self._timelines.get(made)
            if cached is None:
                cached = self._timelines[made] = self._timeline_frame(made)
                while len(self._timelines) > _VIEWS_KEPT:
                    self._timelines.pop(next(iter(self._timelines)))
            return cached.copy()

    def _timeline_frame(self, made: _View) -> pd.DataFrame:
        start, end = _period_sql("event_date")
        frame = self._sql(
            f"""
            WITH f AS (SELECT * FROM {made.events}),
            best AS (
                SELECT * FROM f
                QUALIFY row_number() OVER (PARTITION BY story_key ORDER BY mod_rank, conf DESC, rid) = 1
            ),
            per_article AS (
                SELECT story_key, article_id, min(rid) AS first_rid, min(published) AS published
                FROM f GROUP BY story_key, article_id
            ),
            per_source AS (
                SELECT DISTINCT story_key, source FROM f WHERE source IS NOT NULL
            ),
            sources AS (
                SELECT story_key, count(*) AS n_sources,
                       string_agg(source, ', ' ORDER BY source) AS sources
                FROM per_source GROUP BY story_key
            ),
            grouped AS (
                SELECT p.story_key, min(p.published) AS first_reported,
                       count(*) AS n_reports,
                       coalesce(any_value(s.n_sources), 0) AS n_sources,
                       coalesce(any_value(s.sources), '') AS sources,
                       list(p.article_id ORDER BY p.first_rid) AS article_ids
                FROM per_article p LEFT JOIN sources s USING (story_key)
                GROUP BY p.story_key
            ),
            picked AS (
                SELECT b.story_key, b.event_type, b.modality, b.actors[1] AS first_actor,
                       b.date_basis, b.evidence_text,
                       CASE WHEN s.event_date IS NOT NULL AND s.event_date <> '' THEN s.event_date
                            ELSE b.event_date END AS event_date,
                       coalesce(CASE WHEN s.date_precision IS NOT NULL AND s.date_precision <> ''
                            THEN s.date_precision ELSE b.date_precision END, 'unknown') AS precision0,
                       coalesce(CASE WHEN s.headline IS NOT NULL AND s.headline <> ''
                            THEN s.headline ELSE b.title END, '') AS headline,
                       CASE WHEN s.evidence IS NOT NULL AND s.evidence <> '' THEN s.evidence
                            ELSE b.evidence_text END AS story_evidence,
                       b.published,
                       g.first_reported, g.n_reports, g.n_sources, g.sources, g.article_ids
                FROM best b
                JOIN grouped g USING (story_key)
                LEFT JOIN stories s ON s.story_id = b.story_key
            ),
            dated AS (
                SELECT *, {start} AS start_day, {end} AS end_day,
                       CAST(CAST(coalesce(first_reported, published) AS TIMESTAMP) AS DATE) AS fallback_day
                FROM picked
            )
            SELECT story_key AS story_id,
                   CAST(coalesce(start_day, fallback_day) AS TIMESTAMP) AS date,
                   CAST(CASE WHEN start_day IS NULL THEN fallback_day ELSE end_day END AS TIMESTAMP) AS date_end,
                   CASE WHEN start_day IS NULL THEN 'date unknown, reported ' || strftime(fallback_day, '%Y-%m-%d')
                        WHEN precision0 IN ('day', 'datetime') THEN event_date
                        ELSE event_date || ' (' || precision0 || ')' END AS date_label,
                   CASE WHEN start_day IS NULL THEN 'unknown' ELSE precision0 END AS date_precision,
                   (CASE WHEN start_day IS NULL THEN 'unknown' ELSE precision0 END NOT IN ('day', 'datetime'))
                       OR coalesce(date_basis IN ('publication', 'unknown'), false) AS uncertain,
                   event_type, modality, coalesce(modality = 'asserted', false) AS asserted,
                   first_actor, sources, n_reports, n_sources, headline,
                   coalesce(CASE WHEN evidence_text <> '' THEN evidence_text ELSE story_evidence END, '') AS evidence,
                   first_reported, article_ids
            FROM dated
            WHERE coalesce(start_day, fallback_day) IS NOT NULL
            ORDER BY date, story_id
            """
        )
        if frame.empty:
            return timeline.empty_timeline()
        unions = self._story_names(made.events)
        catalog = self.catalog
        names = {eid: catalog.name(eid) for eid in frame["first_actor"].dropna().unique()}
        homes = {
            eid: catalog.country_of(eid) or "" for eid in frame["first_actor"].dropna().unique()
        }
        first = frame["first_actor"].where(frame["first_actor"].notna(), "").astype(str)
        actor = first.map(
            lambda eid: names.get(eid, timeline.UNKNOWN_ACTOR) if eid else timeline.UNKNOWN_ACTOR
        )
        country = first.map(lambda eid: homes.get(eid, "") if eid else "")
        actor_country = country.map(
            lambda cid: catalog.name(cid) if cid else timeline.UNKNOWN_COUNTRY
        )
        keys = frame["story_id"]
        out = pd.DataFrame(
            {
                "story_id": keys.astype("object"),
                "date": pd.to_datetime(frame["date"]).astype("datetime64[ns]"),
                "date_end": pd.to_datetime(frame["date_end"]).astype("datetime64[ns]"),
                "date_label": frame["date_label"].astype("object"),
                "date_precision": frame["date_precision"].astype("object"),
                "uncertain": frame["uncertain"].astype(bool),
                "event_type": frame["event_type"].astype("object"),
                "modality": frame["modality"].astype("object"),
                "asserted": frame["asserted"].astype(bool),
                "actor": actor.astype("object"),
                "actor_country": actor_country.astype("object"),
                "actors": _names_or_blank(keys, unions["actors"]),
                "weapons": _names_or_blank(keys, unions["weapons"]),
                "sources": frame["sources"].astype("object"),
                "n_reports": frame["n_reports"].astype(int),
                "n_sources": frame["n_sources"].astype(int),
                "headline": frame["headline"].astype(str),
                "evidence": frame["evidence"].astype(str),
                "first_reported": pd.to_datetime(frame["first_reported"], utc=True),
                "article_ids": frame["article_ids"].map(list),
            }
        )
        return out.reset_index(drop=True)

    def _story_names(self, events_table: str) -> dict[str, pd.Series]:
        """Per story, the names in a list column, most reported first (as _union_names)."""
        out: dict[str, pd.Series] = {}
        for column in ("actors", "weapons"):
            found = self._sql(
                f"""
                WITH counted AS (
                    SELECT story_key, member, count(*) AS n FROM (
                        SELECT story_key, unnest({column}) AS member FROM {events_table}
                    ) WHERE member IS NOT NULL AND member <> '' GROUP BY story_key, member
                ), ranked AS (
                    SELECT c.story_key, n.name,
                           row_number() OVER (PARTITION BY c.story_key ORDER BY c.n DESC, c.member) AS position
                    FROM counted c JOIN names n ON n.entity_id = c.member
                )
                SELECT story_key, string_agg(name, ', ' ORDER BY first_position) AS names FROM (
                    SELECT story_key, name, min(position) AS first_position FROM ranked
                    GROUP BY story_key, name
                ) GROUP BY story_key
                """
            )
            out[column] = found.set_index("story_key")["names"]
        return out

    def undated_stories(self, filters: Filters) -> int:
        made = self.view(filters)
        total = int(
            self._sql(f"SELECT count(DISTINCT story_key) AS n FROM {made.events}").iloc[0]["n"]
        )
        return total - len(self.timeline_frame(filters)) if total else 0

    def filtered_events(
        self, filters: Filters, story_ids: Sequence[str] | None = None
    ) -> pd.DataFrame:
        """The filter's events as :func:`filter_events` returns them (optionally only those
        of some stories): event columns, article context, ``evidence_text``."""
        made = self.view(filters)
        where = "WHERE list_contains($ids, story_key)" if story_ids is not None else ""
        params = {"ids": list(story_ids)} if story_ids is not None else {}
        columns = ", ".join(
            [*TABLES["events"], "source", "title", "url", "published", "evidence_text"]
        )
        frame = self._sql(f"SELECT {columns} FROM {made.events} {where} ORDER BY rid", params)
        for column in ("actors", "participants", "weapons"):
            frame[column] = frame[column].map(_plain_list)
        return frame

    def story_reports(self, filters: Filters, story_ids: Sequence[str]) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.timeline.story_reports` (reads only those rows)."""
        events = self.filtered_events(filters, list(story_ids))
        view = FilteredView(
            articles=pd.DataFrame(), events=events, mentions=pd.DataFrame(), catalog=self.catalog
        )
        return timeline.story_reports(view, tuple(story_ids))

    # ----------------------------------------------------------------------------------
    # Co-occurrence

    def cooccurrence(
        self,
        filters: Filters,
        *,
        scope: str = "sentence",
        metric: str = "npmi",
        entity_types: Sequence[str] = cooc.DEFAULT_ENTITY_TYPES,
        top_n: int = 25,
    ) -> cooc.Cooccurrence:
        """As :func:`flashpoint.analysis.cooccurrence.cooccurrence` over the filter's mentions."""
        if scope not in cooc.SCOPES:
            raise ValueError(f"unknown scope {scope!r} (use one of {', '.join(cooc.SCOPES)})")
        if metric not in cooc.METRICS:
            raise ValueError(f"unknown metric {metric!r} (use one of {', '.join(cooc.METRICS)})")
        made = self.view(filters)
        unit = "article_id, sentence_idx" if scope == "sentence" else "article_id"
        units_join = (
            "USING (article_id, sentence_idx)" if scope == "sentence" else "USING (article_id)"
        )
        picked = (
            "SELECT m.article_id, m.sentence_idx, m.entity_id, m.entity_type, m.rid FROM mentions m "
            f"SEMI JOIN {made.articles} a ON a.article_id = m.article_id "
            "WHERE m.entity_id IS NOT NULL AND list_contains($types, m.entity_type)"
        )
        params = {"types": list(entity_types)}
        with self._lock:
            self.con.execute(
                f"CREATE OR REPLACE TEMP TABLE cooc_pairs AS SELECT {unit}, entity_id, "
                f"min(rid) AS first_rid, arg_min(entity_type, rid) AS entity_type "
                f"FROM ({picked}) GROUP BY ALL",
                params,
            )
            n_units = int(
                self.con.execute(
                    f"SELECT count(*) FROM (SELECT DISTINCT {unit} FROM cooc_pairs)"
                ).fetchone()[0]  # type: ignore[index]
            )
            if n_units == 0:
                return cooc.empty_cooccurrence(scope, metric)
            entities = self.con.execute(
                "SELECT entity_id, count(*) AS units, min(first_rid) AS first_rid, "
                "arg_min(entity_type, first_rid) AS entity_type FROM cooc_pairs "
                "GROUP BY entity_id ORDER BY first_rid"
            ).df()
            names = [self.catalog.name(eid) for eid in entities["entity_id"]]
            frequencies = entities["units"].to_numpy()
            ranking = sorted(
                range(len(entities)), key=lambda i: (-frequencies[i], names[i].casefold())
            )
            top = np.array(ranking[: max(int(top_n), 1)])
            top_ids = [str(entities["entity_id"].iloc[i]) for i in top]
            pairs = self.con.execute(
                f"WITH u AS (SELECT {unit}, entity_id FROM cooc_pairs WHERE list_contains($ids, entity_id)) "
                f"SELECT a.entity_id AS a, b.entity_id AS b, count(*) AS n FROM u a JOIN u b {units_join} "
                "GROUP BY 1, 2",
                {"ids": top_ids},
            ).df()
            self.con.execute("DROP TABLE cooc_pairs")
        position = {eid: k for k, eid in enumerate(top_ids)}
        counts = np.zeros((len(top_ids), len(top_ids)), dtype=np.float64)
        counts[pairs["a"].map(position).to_numpy(), pairs["b"].map(position).to_numpy()] = pairs[
            "n"
        ].to_numpy()
        kinds_by_id = dict(zip(entities["entity_id"], entities["entity_type"], strict=True))
        return cooc.assemble_cooccurrence(
            counts,
            frequencies[top],
            top_ids,
            [names[i] for i in top],
            [str(kinds_by_id[eid]) for eid in top_ids],
            n_units,
            scope,
            metric,
        )

    def pair_sentences(
        self,
        filters: Filters,
        entity_a: str,
        entity_b: str,
        *,
        scope: str = "sentence",
        names: tuple[str, str] | None = None,
    ) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.cooccurrence.pair_sentences`; text is read only
        for the articles naming both entities."""
        made = self.view(filters)
        params = {"a": entity_a, "b": entity_b}
        mentions = self._sql(
            f"""
            WITH both_ AS (
                SELECT article_id FROM mentions SEMI JOIN {made.articles} USING (article_id)
                WHERE entity_id IN ($a, $b) GROUP BY article_id
                HAVING count(DISTINCT entity_id) = 2
            )
            SELECT m.article_id, m.sentence_idx, m.entity_id FROM mentions m
            SEMI JOIN both_ USING (article_id) WHERE m.entity_id IN ($a, $b) ORDER BY m.rid
            """,
            params,
        )
        if mentions.empty:
            return pd.DataFrame({column: [] for column in cooc.PAIR_COLUMNS})
        ids = sorted(set(mentions["article_id"]))
        sentences = self._sql(
            "SELECT * FROM sentences WHERE list_contains($ids, article_id)", {"ids": ids}
        )
        articles = self._sql(
            "SELECT a.article_id, a.published, a.source, a.title, a.url, t.text FROM articles a "
            "JOIN article_text t USING (article_id) WHERE list_contains($ids, a.article_id) "
            "ORDER BY a.rid",
            {"ids": ids},
        )
        return cooc.pair_sentences(
            mentions, sentences, articles, entity_a, entity_b, scope=scope, names=names
        )

    # ----------------------------------------------------------------------------------
    # Sidebar

    def filter_options(self) -> FilterOptions:
        """As :func:`flashpoint.analysis.filters.filter_options`."""
        ids = self._sql(
            "SELECT DISTINCT entity_id FROM mentions WHERE entity_id IS NOT NULL "
            "UNION SELECT DISTINCT member FROM event_members"
        )["entity_id"].astype(str)
        catalog = self.catalog
        country_ids = {cid for cid in (catalog.country_of(i) for i in ids) if cid} | {
            i for i in ids if i.startswith("country:")
        }
        weapons = self._sql(
            "SELECT DISTINCT entity_id FROM mentions WHERE entity_type = 'weapon' "
            "AND entity_id IS NOT NULL"
        )["entity_id"].astype(str)
        weapon_ids = {i for i in ids if i.startswith("weapon:")} | set(weapons)
        classes = {catalog.weapon_class(i) for i in weapon_ids}
        row = self._sql("SELECT min(pub_day) AS first, max(pub_day) AS last FROM articles").iloc[0]
        sources = self._sql("SELECT DISTINCT source FROM articles WHERE source IS NOT NULL")
        return FilterOptions(
            countries=tuple(sorted({catalog.name(i) for i in country_ids}, key=str.casefold)),
            weapons=tuple(sorted({catalog.name(i) for i in weapon_ids}, key=str.casefold)),
            weapon_classes=tuple(sorted((c for c in classes if c), key=str.casefold)),
            sources=tuple(sorted(set(sources["source"].astype(str)), key=str.casefold)),
            first_day=_day(row["first"]),
            last_day=_day(row["last"]),
        )

    def close(self) -> None:
        with self._lock:
            self.con.close()


def _day(value: Any) -> Any:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _names_or_blank(keys: pd.Series, names: pd.Series) -> pd.Series:
    found = keys.map(names).astype("object")
    return found.where(found.notna(), "")


def _plain_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [str(item) for item in value]
