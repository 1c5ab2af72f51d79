"""Pre-aggregated tables of the query index: the article-side figures without the rows.

:class:`flashpoint.query.CorpusQuery` answers every figure with a GROUP BY over the
filter's rows; at 100k articles the co-occurrence, entity and volume GROUP BYs read
millions of folded mentions per filter change. The figures that only count *articles*
(and their mentions) are sums over articles, so they can be summed ahead of time:

* an **atom** is one value of one filter dimension, with the articles it keeps exactly as
  the row path's filter does: ``all`` (every article), ``c:<country id>`` (mentions the
  country, or an event of it has an actor or participant at home there), ``t0:<type>`` /
  ``t1:<type>`` (an event of that type, asserted / of any modality the sidebar allows
  with "include unasserted"), ``w:<weapon id>`` (mentions the weapon or an event names
  it). Each atom's articles are summed per publication day and source;
* the entity tables (top entities, co-occurrence frequencies and pairs) are summed per
  day and per month (``grain`` ``d`` / ``m``): a date range reads the whole months it
  covers from the month rows and only its partial months from the day rows.

A filter is answered from them when it is at most one atom plus any date range and
sources (no text search); anything else — two countries, a type and a country, a weapon
class of several weapons, a text search — takes the row path, as do the event figures
(story counts, the timeline: a story's events can straddle a filter, so they do not sum)
and the rows shown. Co-occurrence pairs are kept among the :data:`PAIR_ENTITIES` entities
found in the most sentences; a filter whose top entities leave that set takes the row
path too. Country atoms depend on each member's home country, which the gazetteer gives:
they are built with the default gazetteer and used only when the open catalog gives the
same homes. tests/unit/test_query_aggregates.py checks every answer against the row path.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import duckdb
import pandas as pd

from flashpoint.analysis import cooccurrence as cooc
from flashpoint.analysis import overview, timeline
from flashpoint.analysis.counts import StoryCounts
from flashpoint.analysis.filters import (
    UNASSERTED_MODALITIES,
    EntityCatalog,
    Filters,
    gazetteer_entities,
)
from flashpoint.analysis.timeline import Timeline
from flashpoint.schema import EVENT_TYPES

if TYPE_CHECKING:
    from flashpoint.query import CorpusQuery

# Tables build_aggregates writes (the index's INDEX_TABLES lists them too).
AGGREGATE_TABLES: tuple[str, ...] = (
    "agg_atom_list",
    "agg_homes",
    "agg_article_atoms",
    "agg_event_atoms",
    "agg_stories",
    "agg_story_sums",
    "agg_story_mixed",
    "agg_mixed_events",
    "agg_articles",
    "agg_entities",
    "agg_cooc_units",
    "agg_cooc_entities",
    "agg_pair_entities",
    "agg_cooc_pairs",
)
# Co-occurrence pairs are summed among this many entities (most sentences first).
PAIR_ENTITIES = 150
_KEPT = 8  # filters whose event sums and timelines are kept
_LOWEST = date(1, 1, 1)
_HIGHEST = date(9999, 12, 31)


def _homes(con: duckdb.DuckDBPyConnection, catalog: EntityCatalog) -> pd.DataFrame:
    """Every known id's home country under ``catalog`` (ids without one left out)."""
    ids = [
        str(row[0])
        for row in con.execute("SELECT DISTINCT entity_id FROM known_ids").fetchall()
        if row[0] is not None and str(row[0])
    ]
    pairs = [(i, catalog.country_of(i)) for i in ids]
    return pd.DataFrame(
        {
            "entity_id": pd.Series([i for i, c in pairs if c], dtype="object"),
            "country": pd.Series([c for _, c in pairs if c], dtype="object"),
        }
    )


def build_aggregates(con: duckdb.DuckDBPyConnection) -> None:
    """The tables of :data:`AGGREGATE_TABLES`, from the index's row tables in ``con``."""
    first = con.execute(
        "SELECT entity_id, entity_name, entity_type FROM entity_first ORDER BY first_rid"
    ).df()
    catalog = EntityCatalog.from_tables(first, gazetteer_entities())
    frame = catalog.frame
    countries = set(frame.index[frame["entity_type"] == "country"].astype(str))
    weapons = set(frame.index[frame["entity_type"] == "weapon"].astype(str))
    weapons |= set(frame.index[frame["klass"].map(lambda v: isinstance(v, str))].astype(str))
    homes = _homes(con, catalog)
    countries |= set(homes["country"])
    weapons |= {
        str(row[0])
        for row in con.execute(
            "SELECT DISTINCT member FROM event_members WHERE role = 'weapons'"
        ).fetchall()
    }
    con.register("homes_frame", homes)
    con.execute("CREATE TABLE agg_homes AS SELECT * FROM homes_frame ORDER BY entity_id")
    con.unregister("homes_frame")
    ids = pd.DataFrame(
        {
            "entity_id": pd.Series([*sorted(countries), *sorted(weapons)], dtype="object"),
            "kind": pd.Series(["c"] * len(countries) + ["w"] * len(weapons), dtype="object"),
        }
    )
    con.register("atom_ids_frame", ids)
    con.execute("CREATE TEMP TABLE agg_atom_ids AS SELECT * FROM atom_ids_frame")
    con.unregister("atom_ids_frame")
    allowed = ["asserted", *UNASSERTED_MODALITIES]
    types = con.execute(
        "SELECT DISTINCT event_type FROM events WHERE event_type IS NOT NULL"
    ).fetchall()
    con.execute(
        """
        CREATE TABLE agg_atom_list AS
        SELECT 'all' AS atom
        UNION SELECT kind || ':' || entity_id FROM agg_atom_ids
        UNION SELECT 't0:' || unnest($types) UNION SELECT 't1:' || unnest($types)
        """,
        {"types": [str(row[0]) for row in types]},
    )
    # Each article's atoms, as the row path's filters keep it (see CorpusQuery._make_view).
    con.execute(
        """
        CREATE TEMP TABLE agg_atoms AS
        SELECT aid, 'all' AS atom FROM articles
        UNION
        SELECT m.aid, i.kind || ':' || f.entity_id FROM art_ent m
            JOIN entity_first f USING (eid) JOIN agg_atom_ids i USING (entity_id)
        UNION
        SELECT m.aid, 'c:' || h.country FROM event_members m
            JOIN agg_homes h ON h.entity_id = m.member
            WHERE m.role IN ('actors', 'participants') AND m.aid IS NOT NULL
        UNION
        SELECT aid, 'w:' || member FROM event_members WHERE role = 'weapons' AND aid IS NOT NULL
        UNION
        SELECT aid, 't0:' || event_type FROM events
            WHERE modality = 'asserted' AND event_type IS NOT NULL AND aid IS NOT NULL
        UNION
        SELECT aid, 't1:' || event_type FROM events
            WHERE list_contains($allowed, modality) AND event_type IS NOT NULL
              AND aid IS NOT NULL
        """,
        {"allowed": allowed},
    )
    con.execute(
        "CREATE TABLE agg_article_atoms AS SELECT atom, aid FROM agg_atoms "
        "WHERE atom <> 'all' ORDER BY atom, aid"
    )
    _build_story_aggregates(con, allowed)
    con.execute(
        "CREATE TEMP TABLE agg_keyed AS SELECT t.atom, t.aid, a.pub_day AS day, a.source, "
        "a.duplicate_of FROM agg_atoms t JOIN articles a USING (aid)"
    )
    con.execute(
        "CREATE TABLE agg_articles AS SELECT atom, day, source, count(*) AS n, "
        "count(duplicate_of) AS dup FROM agg_keyed GROUP BY ALL ORDER BY atom, day"
    )
    con.execute(
        """
        CREATE TEMP TABLE agg_ent_day AS
        SELECT k.atom, k.day, k.source, m.eid, m.entity_type, count(*) AS articles,
               sum(m.n) AS mentions, min(m.first_rid) AS first_rid
        FROM agg_keyed k JOIN art_ent m USING (aid) GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE TABLE agg_entities AS
        SELECT atom, 'd' AS grain, day AS bucket, source, eid, entity_type, articles,
               mentions, first_rid FROM agg_ent_day
        UNION ALL
        SELECT atom, 'm', CAST(date_trunc('month', day) AS DATE), source, eid, entity_type,
               sum(articles), sum(mentions), min(first_rid) FROM agg_ent_day GROUP BY ALL
        ORDER BY atom, grain, bucket
        """
    )
    # Co-occurrence units (sentences) of the default entity types, as cooccurrence folds them.
    con.execute(
        """
        CREATE TEMP TABLE agg_units AS
        SELECT aid, sentence_idx, eid, min(first_rid) AS first_rid,
               arg_min(entity_type, first_rid) AS entity_type
        FROM sent_ent WHERE list_contains($types, entity_type) GROUP BY ALL
        """,
        {"types": list(cooc.DEFAULT_ENTITY_TYPES)},
    )
    con.execute(
        """
        CREATE TABLE agg_cooc_units AS
        SELECT k.atom, k.day, k.source, sum(u.units) AS units FROM agg_keyed k
        JOIN (SELECT aid, count(DISTINCT sentence_idx) AS units FROM agg_units GROUP BY aid) u
            USING (aid)
        GROUP BY ALL ORDER BY atom, day
        """
    )
    con.execute(
        """
        CREATE TEMP TABLE agg_cooc_day AS
        SELECT k.atom, k.day, k.source, u.eid, count(*) AS units, min(u.first_rid) AS first_rid,
               arg_min(u.entity_type, u.first_rid) AS entity_type
        FROM agg_keyed k JOIN agg_units u USING (aid) GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE TABLE agg_cooc_entities AS
        SELECT atom, 'd' AS grain, day AS bucket, source, eid, units, first_rid, entity_type
        FROM agg_cooc_day
        UNION ALL
        SELECT atom, 'm', CAST(date_trunc('month', day) AS DATE), source, eid, sum(units),
               min(first_rid), arg_min(entity_type, first_rid) FROM agg_cooc_day GROUP BY ALL
        ORDER BY atom, grain, bucket
        """
    )
    con.execute(
        f"""
        CREATE TABLE agg_pair_entities AS
        SELECT eid FROM agg_units GROUP BY eid ORDER BY count(*) DESC, eid
        LIMIT {int(PAIR_ENTITIES)}
        """
    )
    con.execute(
        """
        CREATE TEMP TABLE agg_article_pairs AS
        WITH u AS (SELECT aid, sentence_idx, eid FROM agg_units
                   SEMI JOIN agg_pair_entities USING (eid))
        SELECT x.aid, x.eid AS a, y.eid AS b, count(*) AS n
        FROM u x JOIN u y ON x.aid = y.aid AND x.sentence_idx = y.sentence_idx AND x.eid <= y.eid
        GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE TEMP TABLE agg_pairs_day AS
        SELECT k.atom, k.day, k.source, p.a, p.b, sum(p.n) AS n
        FROM agg_keyed k JOIN agg_article_pairs p USING (aid) GROUP BY ALL
        """
    )
    con.execute(
        """
        CREATE TABLE agg_cooc_pairs AS
        SELECT atom, 'd' AS grain, day AS bucket, source, a, b, n FROM agg_pairs_day
        UNION ALL
        SELECT atom, 'm', CAST(date_trunc('month', day) AS DATE), source, a, b, sum(n)
        FROM agg_pairs_day GROUP BY ALL
        ORDER BY atom, grain, bucket
        """
    )
    for name in (
        "agg_atom_ids",
        "agg_atoms",
        "agg_keyed",
        "agg_ent_day",
        "agg_units",
        "agg_cooc_day",
        "agg_article_pairs",
        "agg_pairs_day",
    ):
        con.execute(f"DROP TABLE IF EXISTS {name}")


# Per story, from its events of one atom and modality class (``ev``): the numbers the
# headline and the timeline read (as CorpusQuery._story_counts and _timeline compute them).
_STORY_SQL = """
    WITH kinds AS (
        SELECT {keys}, event_type AS kind FROM (
            SELECT {keys}, coalesce(event_type, 'None') AS event_type, count(*) AS n
            FROM {ev} GROUP BY ALL
        ) QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY n DESC, event_type) = 1
    ), grouped AS (
        SELECT {keys}, count(*) AS n_events,
               count(DISTINCT coalesce(article_id, 'None')) AS reports,
               count(DISTINCT article_id) AS n_reports,
               min(published) AS first_reported,
               arg_min_null(st_start, (mod_rank, -conf, rid)) AS start_day,
               arg_min_null(published, (mod_rank, -conf, rid)) AS best_published
               {extra}
        FROM {ev} GROUP BY {keys}
    )
    SELECT g.* EXCLUDE (first_reported, start_day, best_published), k.kind,
           coalesce(start_day, CAST(CAST(coalesce(first_reported, best_published)
               AS TIMESTAMP) AS DATE)) AS day
    FROM grouped g JOIN kinds k USING ({keys})
"""
_EVENT_COLUMNS = (
    "e.rid, e.sid, e.article_id, e.event_type, e.published, e.st_start, e.mod_rank, e.conf"
)


def _build_story_aggregates(con: duckdb.DuckDBPyConnection, allowed: list[str]) -> None:
    """Each event's atoms, and per atom and modality class (0: asserted, 1: any the
    sidebar allows) each story's numbers: summed per event date range and source for
    the stories whose events there share one date range and source (a filter keeps all
    of them or none), listed for the others (the few the row path recounts)."""
    con.execute(
        """
        CREATE TABLE agg_event_atoms AS
        SELECT DISTINCT atom, rid FROM (
            SELECT 'c:' || h.country AS atom, m.rid FROM event_members m
                JOIN agg_homes h ON h.entity_id = m.member
                WHERE m.role IN ('actors', 'participants')
            UNION ALL
            SELECT 'c:' || f.entity_id, e.rid FROM events e
                JOIN sent_ent s ON s.aid = e.aid AND s.sentence_idx = e.sentence_idx
                JOIN entity_first f ON f.eid = s.eid
                WHERE f.entity_id IN (SELECT entity_id FROM agg_atom_ids WHERE kind = 'c')
            UNION ALL
            SELECT 'w:' || member, rid FROM event_members WHERE role = 'weapons'
            UNION ALL
            SELECT 't:' || event_type, rid FROM events WHERE event_type IS NOT NULL
        ) ORDER BY atom, rid
        """
    )
    con.execute(
        f"""
        CREATE TEMP TABLE agg_ev AS
        SELECT x.atom, c.m, {_EVENT_COLUMNS},
               coalesce(e.ev_start, e.pub_day) AS lo, coalesce(e.ev_end, e.pub_day) AS hi,
               e.source
        FROM events e
        JOIN (SELECT 'all' AS atom, rid FROM events UNION ALL
              SELECT atom, rid FROM agg_event_atoms) x USING (rid)
        JOIN (SELECT 0 AS m UNION ALL SELECT 1) c
            ON (c.m = 0 AND e.modality = 'asserted')
            OR (c.m = 1 AND list_contains($allowed, e.modality))
        """,
        {"allowed": allowed},
    )
    con.execute(
        "CREATE TEMP TABLE agg_uniform AS SELECT atom, m, sid, count(DISTINCT (lo, hi, source)) = 1 "
        "AS uniform, any_value(lo) AS lo, any_value(hi) AS hi, any_value(source) AS source "
        "FROM agg_ev GROUP BY ALL"
    )
    con.execute(
        "CREATE TABLE agg_story_mixed AS SELECT atom, m, sid FROM agg_uniform "
        "WHERE NOT uniform ORDER BY atom, m, sid"
    )
    con.execute(
        "CREATE TABLE agg_mixed_events AS SELECT * FROM agg_ev SEMI JOIN agg_story_mixed "
        "USING (atom, m, sid) ORDER BY atom, m, sid"
    )
    con.execute(
        "CREATE TEMP TABLE agg_story_one AS "
        + _STORY_SQL.format(
            keys="atom, m, sid",
            ev="(SELECT * FROM agg_ev SEMI JOIN (SELECT atom, m, sid FROM agg_uniform "
            "WHERE uniform) USING (atom, m, sid))",
            extra="",
        )
    )
    con.execute(
        "CREATE TABLE agg_stories AS SELECT o.atom, o.m, u.lo, u.hi, u.source, o.sid, "
        "o.n_reports, o.day FROM agg_story_one o JOIN agg_uniform u USING (atom, m, sid) "
        "ORDER BY atom, m, lo, sid"
    )
    con.execute(
        """
        CREATE TABLE agg_story_sums AS
        SELECT o.atom, o.m, u.lo, u.hi, u.source, o.kind, count(*) AS stories,
               sum(o.reports) AS reports, sum(o.n_events) AS events,
               count(o.day) AS placed,
               coalesce(sum(o.n_reports) FILTER (WHERE o.day IS NOT NULL), 0) AS placed_reports,
               count(*) FILTER (WHERE o.day IS NULL) AS undated
        FROM agg_story_one o JOIN agg_uniform u USING (atom, m, sid)
        GROUP BY ALL ORDER BY atom, m, lo
        """
    )
    for name in ("agg_ev", "agg_uniform", "agg_story_one"):
        con.execute(f"DROP TABLE IF EXISTS {name}")


@dataclass(frozen=True)
class _EventSums:
    """One filter's event numbers: the headline's and the timeline's counts, and the
    stories the row path recounted (their keys, for the timeline's ranking)."""

    counts: StoryCounts
    events: int
    placed: int
    reports: int
    undated: int
    mixed: pd.DataFrame  # sid, n_reports, day


@dataclass(frozen=True)
class _Selection:
    """The rows of the aggregate tables one filter reads."""

    atom: str
    since: date | None
    until: date | None
    sources: tuple[str, ...]
    event_atom: str  # the same value among events ('t:<type>' for a type)
    unasserted: bool

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "atom": self.atom,
            "lo": self.since or _LOWEST,
            "hi": self.until or _HIGHEST,
            "eatom": self.event_atom,
            "m": int(self.unasserted),
            "allowed": ["asserted", *(UNASSERTED_MODALITIES if self.unasserted else ())],
            "since": self.since,
            "until": self.until,
        }
        if self.sources:
            out["sources"] = list(self.sources)
        return out

    def stories(self) -> str:
        """WHERE for the stories summed per event date range and source."""
        where = ["atom = $eatom", "m = $m"]
        if self.since is not None:
            where.append("lo >= $since")
        if self.until is not None:
            where.append("hi <= $until")
        return " AND ".join(where) + self._source()

    def events(self) -> str:
        """WHERE over ``events e``: the row path's event filter for this selection."""
        where = ["list_contains($allowed, e.modality)"]
        if self.event_atom != "all":
            where.append("e.rid IN (SELECT rid FROM agg_event_atoms WHERE atom = $eatom)")
        if self.since is not None:
            where.append("coalesce(e.ev_start, e.pub_day) >= $since")
        if self.until is not None:
            where.append("coalesce(e.ev_end, e.pub_day) <= $until")
        if self.sources:
            where.append("list_contains($sources, e.source)")
        return " AND ".join(where)

    def articles(self) -> str:
        """A subquery of the selection's article keys (``aid``)."""
        where = []
        if self.atom != "all":
            where.append("aid IN (SELECT aid FROM agg_article_atoms WHERE atom = $atom)")
        if self.since is not None or self.until is not None:
            where.append("pub_day BETWEEN $lo AND $hi")
        if self.sources:
            where.append("list_contains($sources, source)")
        return f"(SELECT aid FROM articles WHERE {' AND '.join(where) or 'true'})"

    def _source(self) -> str:
        return " AND list_contains($sources, source)" if self.sources else ""

    def days(self, column: str = "day") -> str:
        """WHERE for day-grain rows (articles without a date only when no range is set)."""
        dated = self.since is not None or self.until is not None
        when = f" AND {column} BETWEEN $lo AND $hi" if dated else ""
        return f"atom = $atom{when}{self._source()}"

    def buckets(self) -> str:
        """WHERE for a table with both grains: whole months from the month rows, the
        partial months' days from the day rows."""
        if self.since is None and self.until is None:
            return f"atom = $atom AND grain = 'm'{self._source()}"
        whole = "(date_trunc('month', bucket) >= $lo AND last_day(bucket) <= $hi)"
        return (
            f"atom = $atom AND ((grain = 'm' AND {whole}) OR (grain = 'd' AND bucket "
            f"BETWEEN $lo AND $hi AND NOT {whole})){self._source()}"
        )


class Aggregates:
    """The aggregate answers of one :class:`CorpusQuery` (None where the row path must)."""

    def __init__(self, query: CorpusQuery) -> None:
        self.query = query
        self._events: OrderedDict[Filters, _EventSums] = OrderedDict()
        self._timelines: OrderedDict[tuple[Filters, int], Timeline] = OrderedDict()
        self.atoms = {
            str(row[0]) for row in query.con.execute("SELECT atom FROM agg_atom_list").fetchall()
        }
        stored = query.con.execute("SELECT entity_id, country FROM agg_homes").fetchall()
        names = query._names
        mine = names[names["country"].notna() & (names["country"].astype(str) != "")]
        self.countries_ok = {(str(i), str(c)) for i, c in stored} == {
            (str(i), str(c)) for i, c in zip(mine["entity_id"], mine["country"], strict=True)
        }
        self.pair_eids = {
            int(row[0]) for row in query.con.execute("SELECT eid FROM agg_pair_entities").fetchall()
        }

    def selection(self, filters: Filters) -> _Selection | None:
        """The aggregate rows answering ``filters``, or None (the row path answers)."""
        if filters.query:
            return None
        query = self.query
        atoms: list[str] = []
        if filters.countries:
            ids = query.catalog.ids_named(filters.countries, "country")
            if len(ids) != 1 or not self.countries_ok:
                return None
            atoms.append(f"c:{next(iter(ids))}")
        if filters.types:
            if len(set(filters.types)) != 1:
                return None
            atoms.append(f"t{int(bool(filters.include_unasserted))}:{filters.types[0]}")
        weapons = query._weapon_ids(filters)
        if weapons is not None:
            if len(weapons) != 1:
                return None
            atoms.append(f"w:{weapons[0]}")
        if len(atoms) > 1:
            return None
        atom = atoms[0] if atoms else "all"
        if atom not in self.atoms:
            return None
        event_atom = f"t:{filters.types[0]}" if filters.types else atom
        return _Selection(
            atom,
            filters.since,
            filters.until,
            tuple(filters.sources),
            event_atom,
            bool(filters.include_unasserted),
        )

    # ----------------------------------------------------------------------------------

    def _sql(self, sql: str, params: dict[str, Any]) -> pd.DataFrame:
        return self.query._sql(sql, {k: v for k, v in params.items() if f"${k}" in sql})

    def articles(self, filters: Filters) -> dict[str, Any] | None:
        """The headline's article numbers: articles, near-duplicates, sources, first/last."""
        chosen = self.selection(filters)
        if chosen is None:
            return None
        row = self._sql(
            "SELECT coalesce(sum(n), 0) AS n, coalesce(sum(dup), 0) AS dup, "
            "count(DISTINCT source) AS src, min(day) AS first, max(day) AS last "
            f"FROM agg_articles WHERE {chosen.days()} AND n > 0",
            chosen.params(),
        ).iloc[0]
        return {
            "articles": int(row["n"]),
            "near_duplicates": int(row["dup"]),
            "sources": int(row["src"]),
            "first": row["first"],
            "last": row["last"],
        }

    def top_entities(self, filters: Filters, entity_type: str, n: int) -> pd.DataFrame | None:
        """As CorpusQuery.top_entities."""
        chosen = self.selection(filters)
        if chosen is None:
            return None
        query = self.query
        grouped = self._sql(
            "SELECT eid, sum(articles) AS articles, sum(mentions) AS mentions "
            f"FROM agg_entities WHERE {chosen.buckets()} AND entity_type = $type GROUP BY eid",
            chosen.params() | {"type": entity_type},
        )
        return overview.top_from_counts(grouped, n, query._entity_of, query.catalog.name)

    def volume(self, filters: Filters, freq: str, top_countries: int) -> pd.DataFrame | None:
        """As CorpusQuery.volume."""
        chosen = self.selection(filters)
        if chosen is None:
            return None
        query = self.query
        params = chosen.params()
        unit = {"day": "day", "week": "week", "month": "month"}[freq]

        def period(column: str) -> str:
            return f"CAST(date_trunc('{unit}', CAST({column} AS TIMESTAMP)) AS TIMESTAMP)"

        total = self._sql(
            f"SELECT {period('day')} AS period, sum(n) AS n FROM agg_articles "
            f"WHERE {chosen.days()} AND day IS NOT NULL GROUP BY 1 HAVING sum(n) > 0",
            params,
        )

        def per_country() -> tuple[pd.DataFrame, pd.DataFrame]:
            tops = self._sql(
                f"SELECT eid AS entity_id, sum(articles) AS n, min(first_rid) AS first_rid "
                f"FROM agg_entities WHERE {chosen.buckets()} AND entity_type = 'country' "
                f"GROUP BY eid HAVING sum(articles) > 0 "
                f"ORDER BY n DESC, first_rid LIMIT {int(top_countries)}",
                params,
            )
            if tops.empty:
                return tops, tops
            per = self._sql(
                f"SELECT eid AS entity_id, {period('bucket')} AS period, "
                f"sum(articles) AS articles FROM agg_entities "
                f"WHERE {chosen.days('bucket')} AND grain = 'd' AND bucket IS NOT NULL "
                "AND entity_type = 'country' AND list_contains($ids, eid) GROUP BY ALL",
                params | {"ids": [int(eid) for eid in tops["entity_id"]]},
            )
            return tops, per

        return overview.volume_from_counts(
            total, freq, per_country, lambda eid: query.catalog.name(query._entity_of[eid])
        )

    def cooccurrence(
        self, filters: Filters, scope: str, metric: str, entity_types: Any, top_n: int
    ) -> cooc.Cooccurrence | None:
        """As CorpusQuery.cooccurrence (sentence scope, default entity types only)."""
        if scope != "sentence" or tuple(entity_types) != tuple(cooc.DEFAULT_ENTITY_TYPES):
            return None
        chosen = self.selection(filters)
        if chosen is None:
            return None
        query = self.query
        params = chosen.params()
        n_units = int(
            self._sql(
                f"SELECT coalesce(sum(units), 0) AS n FROM agg_cooc_units WHERE {chosen.days()}",
                params,
            ).iloc[0]["n"]
        )
        if n_units == 0:
            return cooc.empty_cooccurrence(scope, metric)
        entities = self._sql(
            f"SELECT eid AS entity_id, sum(units) AS units, min(first_rid) AS first_rid, "
            f"arg_min(entity_type, first_rid) AS entity_type FROM agg_cooc_entities "
            f"WHERE {chosen.buckets()} GROUP BY eid HAVING sum(units) > 0 ORDER BY first_rid",
            params,
        )
        eids = entities["entity_id"].astype(int).to_numpy()
        entities["entity_id"] = entities["entity_id"].map(query._entity_of)
        names = [query.catalog.name(eid) for eid in entities["entity_id"]]
        frequencies = entities["units"].astype("int64").to_numpy()
        top = cooc.top_entities(frequencies, names, top_n)
        top_eids = [int(eids[i]) for i in top]
        if not set(top_eids) <= self.pair_eids:
            return None
        top_ids = [str(entities["entity_id"].iloc[i]) for i in top]
        pairs = self._sql(
            f"SELECT a, b, sum(n) AS n FROM agg_cooc_pairs WHERE {chosen.buckets()} "
            "AND list_contains($ids, a) AND list_contains($ids, b) GROUP BY a, b",
            params | {"ids": top_eids},
        )
        counts = cooc.pair_counts(pairs, top_eids, mirror=True)
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

    # ----------------------------------------------------------------------------------
    # Events: story counts and the timeline

    def event_sums(self, filters: Filters) -> _EventSums | None:
        """The filter's story counts, event mentions and timeline counts (kept)."""
        chosen = self.selection(filters)
        if chosen is None:
            return None
        with self.query._lock:
            found = self._events.get(filters)
            if found is None:
                found = self._events[filters] = self._event_sums(chosen)
                while len(self._events) > _KEPT:
                    self._events.popitem(last=False)
            return found

    def _event_sums(self, chosen: _Selection) -> _EventSums:
        params = chosen.params()
        summed = self._sql(
            "SELECT kind, sum(stories) AS stories, sum(reports) AS reports, "
            "sum(events) AS events, sum(placed) AS placed, sum(placed_reports) AS "
            f"placed_reports, sum(undated) AS undated FROM agg_story_sums "
            f"WHERE {chosen.stories()} GROUP BY kind",
            params,
        )
        mixed = self._sql(
            _STORY_SQL.format(
                keys="sid",
                ev=f"(SELECT * FROM agg_mixed_events WHERE {chosen.stories()})",
                extra="",
            ),
            params,
        )
        by_kind: dict[str, list[int]] = {}
        for frame in (summed, mixed.assign(stories=1)):
            for kind, stories, reports in zip(
                frame["kind"], frame["stories"], frame["reports"], strict=True
            ):
                totals = by_kind.setdefault(str(kind), [0, 0])
                totals[0] += int(stories)
                totals[1] += int(reports)
        dated = mixed["day"].notna()
        return _EventSums(
            counts=StoryCounts(
                stories=sum(v[0] for v in by_kind.values()),
                reports=sum(v[1] for v in by_kind.values()),
                by_type={kind: tuple(by_kind.get(kind, (0, 0))) for kind in EVENT_TYPES},  # type: ignore[misc]
            ),
            events=int(summed["events"].sum()) + int(mixed["n_events"].sum()),
            placed=int(summed["placed"].sum()) + int(dated.sum()),
            reports=int(summed["placed_reports"].sum()) + int(mixed.loc[dated, "n_reports"].sum()),
            undated=int(summed["undated"].sum()) + int((~dated).sum()),
            mixed=mixed[["sid", "n_reports", "day"]].reset_index(drop=True),
        )

    def timeline(self, filters: Filters, limit: int) -> Timeline | None:
        """As CorpusQuery.timeline (kept; the caller copies the frame)."""
        chosen = self.selection(filters)
        if chosen is None:
            return None
        with self.query._lock:
            found = self._timelines.get((filters, limit))
            if found is None:
                found = self._timeline(filters, chosen, limit)
                self._timelines[(filters, limit)] = found
                while len(self._timelines) > _KEPT:
                    self._timelines.popitem(last=False)
            return found

    def _timeline(self, filters: Filters, chosen: _Selection, limit: int) -> Timeline:
        from flashpoint.query import TIMELINE_EVENT_COLUMNS

        sums = self.event_sums(filters)
        assert sums is not None
        params = chosen.params()
        con = self.query.con
        con.register("agg_mixed_frame", sums.mixed)
        try:
            keys = (
                f"(SELECT sid, n_reports, day FROM agg_stories WHERE {chosen.stories()} "
                "UNION ALL SELECT sid, n_reports, day FROM agg_mixed_frame)"
            )
            if sums.placed <= limit:
                drawn = f"SELECT sid FROM {keys}"
            else:
                drawn = (
                    f"(SELECT sid FROM {keys} WHERE day IS NOT NULL "
                    f"ORDER BY n_reports DESC, day DESC, sid LIMIT {int(limit)}) UNION "
                    f"(SELECT sid FROM {keys} WHERE day IS NOT NULL "
                    f"ORDER BY day DESC, n_reports DESC, sid LIMIT {timeline.LATEST_KEPT})"
                )
            sids = self._sql(f"SELECT DISTINCT sid FROM ({drawn})", params)["sid"]
            # A list of keys (not a join) is pushed into the scan of the wide events table.
            sql = (
                f"CREATE OR REPLACE TEMP TABLE tl_events AS SELECT {TIMELINE_EVENT_COLUMNS} FROM events e "
                f"WHERE e.sid IN (SELECT unnest($sids)) AND {chosen.events()}"
            )
            used = {k: v for k, v in params.items() if f"${k}" in sql}
            con.execute(sql, used | {"sids": [int(sid) for sid in sids]})
        finally:
            con.unregister("agg_mixed_frame")
        frame = self.query._timeline_frame("tl_events")
        return Timeline(
            frame=frame, stories=sums.placed, reports=sums.reports, undated=sums.undated
        )
