"""The corpus through DuckDB: filter and aggregate without the tables in pandas.

:mod:`flashpoint.analysis` works on a :class:`flashpoint.store.Corpus` held whole in
pandas, full text included. That is simplest for a few thousand articles; at a hundred
thousand it costs tens of seconds per filter change and gigabytes per server process.
:class:`CorpusQuery` answers the same questions with the same DataFrames (the Overview,
Timeline and Co-occurrence pages' data) from DuckDB:

* the **query index** (:func:`ensure_index`): a DuckDB file next to the corpus, derived
  from the manifest's Parquet parts once per manifest generation (temporary file, then
  rename) and attached read-only; integer keys for articles, entities and stories; the
  mentions folded per article and per sentence; each event's evidence sentence and
  story start day; the article text, read only for the rows a page shows or a text
  search. Row order is kept (``rid``) so ties break exactly as in pandas;
* a filter becomes SQL over those tables (two small in-memory tables of keys per view,
  kept for the last few views); every figure's data is a GROUP BY over them;
* the timeline assembles only the stories it draws (the most reported; see
  :func:`flashpoint.analysis.timeline.drawn_stories`), dating and counting the rest.

Small results are finished with the pandas functions themselves, so the two paths cannot
drift apart there; the large aggregations are SQL written to the pandas definitions and
checked against them by tests/unit/test_query.py. The index is a disposable cache: the
Parquet tables stay the corpus.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
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
from flashpoint.analysis import articles as article_analysis
from flashpoint.analysis import cooccurrence as cooc
from flashpoint.analysis import geo, overview, timeline
from flashpoint.analysis.articles import safe_url
from flashpoint.analysis.counts import StoryCounts, by_type_frame
from flashpoint.analysis.filters import (
    UNASSERTED_MODALITIES,
    EntityCatalog,
    FilteredView,
    FilterOptions,
    Filters,
    gazetteer_entities,
    span_text,
)
from flashpoint.analysis.timeline import DRAWN_STORIES, Timeline
from flashpoint.query_aggregates import AGGREGATE_TABLES, Aggregates, build_aggregates
from flashpoint.schema import EVENT_TYPES, TABLES

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
_MODALITY_RANK = "CASE modality WHEN 'asserted' THEN 0 WHEN 'claimed' THEN 1 WHEN 'planned' THEN 2 WHEN 'possible' THEN 3 WHEN 'negated' THEN 4 WHEN 'generic' THEN 5 ELSE 9 END"
_VIEWS_KEPT = 8
# What a view keeps of its rows (the rest is joined back by key for the few rows shown).
_VIEW_ARTICLE_COLUMNS = "a.aid, a.rid, a.published, a.pub_day, a.source, a.duplicate_of"
_VIEW_EVENT_COLUMNS = (
    "e.rid, e.aid, e.article_id, e.story_key, e.sid, e.event_type, e.modality, e.mod_rank, "
    "e.conf, e.event_date, e.st_start, e.published"
)
# What a timeline reads of the events of its drawn stories (``_timeline_frame``,
# ``_story_names``): not ``e.*`` — every column more is read for every event of the table.
TIMELINE_EVENT_COLUMNS = (
    "e.rid, e.sid, e.story_key, e.mod_rank, e.conf, e.article_id, e.published, e.source, "
    "e.event_type, e.modality, e.actors, e.weapons, e.date_basis, e.evidence_text, "
    "e.event_date, e.date_precision, e.title"
)


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


# ---------------------------------------------------------------------------------------
# The query index: a DuckDB file derived from the manifest's Parquet parts.

INDEX_VERSION = 6  # bump when what build_index writes changes
INDEX_DIR = "index"
# Tables of the index (article text stays in Parquet; names depend on the gazetteer and
# are made at open).
INDEX_TABLES: tuple[str, ...] = (
    "articles",
    "mentions",
    "events",
    "stories",
    "event_members",
    "entity_first",
    "known_ids",
    "art_ent",
    "sent_ent",
    "sentences",
    "texts",
    "story_text",
    "art_by_eid",
    "sent_by_eid",
    *AGGREGATE_TABLES,
)
DEFAULT_THREADS = max(1, min(4, os.cpu_count() or 1))
DEFAULT_MEMORY_LIMIT = "1GB"


def connect(
    database: str = ":memory:", *, threads: int | None = None, memory_limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection set for a server process: bounded threads and memory, UTC, and
    spill files in the system's temporary folder (never the working directory)."""
    threads = threads or int(os.environ.get("FLASHPOINT_DUCKDB_THREADS", DEFAULT_THREADS))
    memory = memory_limit or os.environ.get("FLASHPOINT_DUCKDB_MEMORY", DEFAULT_MEMORY_LIMIT)
    spill = Path(tempfile.gettempdir()) / "flashpoint-duckdb"
    con = duckdb.connect(
        database,
        config={
            "threads": int(threads),
            "memory_limit": str(memory),
            "temp_directory": str(spill),
        },
    )
    con.execute("SET TimeZone = 'UTC'")
    return con


def _parts(path: Path, manifest: dict[str, Any], name: str) -> list[str]:
    return [str(path / part) for part in manifest.get("tables", {}).get(name, [])]


def _select(
    path: Path, manifest: dict[str, Any], name: str, columns: Sequence[str], *, with_rid: bool
) -> str:
    """A SELECT over a table's parts, cast to its types, in the order pandas reads it."""
    types = COLUMN_TYPES[name]
    parts = _parts(path, manifest, name)
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


def index_file(path: str | os.PathLike[str], manifest: dict[str, Any] | None = None) -> Path:
    """Where the query index of this manifest generation lives: ``<corpus>/index/``, one
    file per generation (named by a digest of the manifest's parts)."""
    root = Path(path)
    manifest = manifest if manifest is not None else store.read_manifest(root)
    digest = hashlib.sha1(
        json.dumps(
            {
                "version": INDEX_VERSION,
                "index_tables": INDEX_TABLES,
                "generation": manifest.get("generation", 0),
                "committed_at": manifest.get("committed_at", ""),
                "tables": manifest.get("tables", {}),
            },
            sort_keys=True,
        ).encode("utf-8")
    ).hexdigest()[:12]
    return root / INDEX_DIR / f"query-g{int(manifest.get('generation', 0))}-{digest}.duckdb"


def ensure_index(
    path: str | os.PathLike[str],
    manifest: dict[str, Any] | None = None,
    *,
    isolated: bool = False,
) -> Path:
    """The query index of the corpus's current generation, built if missing.

    ``isolated`` builds it in a child process (``python -m flashpoint.query CORPUS``), so
    a long-running server does not keep the build's memory (about 1.6 GB at 100k
    articles) for the rest of its life.

    Built into a temporary file in the same folder and renamed into place, so a reader
    never sees half an index and a crash leaves at most a stray temporary file; two
    processes building at once each rename a complete file. Older generations' files are
    removed afterwards (an open reader keeps its file until it closes it). When the corpus
    folder is not writable the index goes to the system's temporary folder instead.
    """
    root = Path(path)
    manifest = manifest if manifest is not None else store.read_manifest(root)
    target = index_file(root, manifest)
    if target.exists():
        return target
    try:
        target.parent.mkdir(exist_ok=True)
        probe = target.parent / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
    except OSError:
        fallback = hashlib.sha1(str(root.resolve()).encode("utf-8")).hexdigest()[:12]
        target = Path(tempfile.gettempdir()) / "flashpoint-index" / fallback / target.name
        if target.exists():
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
    if isolated:
        subprocess.run(
            [sys.executable, "-m", "flashpoint.query", str(root)],
            check=True,
            capture_output=True,
            text=True,
        )
        return ensure_index(root, store.read_manifest(root))
    temporary = target.with_name(f".{target.stem}.{os.getpid()}-{threading.get_ident()}.tmp")
    try:
        con = connect(str(temporary))
        try:
            build_index(con, root, manifest)
            con.execute("CHECKPOINT")
        finally:
            con.close()
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        for leftover in (temporary, temporary.with_name(temporary.name + ".wal")):
            leftover.unlink(missing_ok=True)
    for old in target.parent.glob("query-g*.duckdb"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def build_index(con: duckdb.DuckDBPyConnection, path: Path, manifest: dict[str, Any]) -> None:
    """Every table of :data:`INDEX_TABLES` in ``con``'s database, from the Parquet parts.

    Articles get an integer key (``aid``, in stored order) that every other table carries
    for joins; each input row keeps its position (``rid``) so ties break as in pandas;
    each event carries its evidence sentence (cut once here) and its article's context;
    ``art_ent`` and ``sent_ent`` are the mentions folded to one row per article (or
    sentence) and entity, which is all the filters and figures read of them.
    """

    def select(name: str, columns: Sequence[str]) -> str:
        return _select(path, manifest, name, columns, with_rid=True)

    for name, columns in _KEEP.items():
        con.execute(f"CREATE TEMP TABLE raw_{name} AS {select(name, columns)}")
    con.execute(
        "CREATE TABLE articles AS "
        "SELECT CAST(row_number() OVER (ORDER BY rid) AS INTEGER) AS aid, *, "
        "CAST(published AS DATE) AS pub_day FROM ("
        "SELECT * FROM raw_articles "
        "QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY rid) = 1) ORDER BY rid"
    )
    con.execute(
        "CREATE TABLE mentions AS SELECT a.aid, m.sentence_idx, m.entity_id, m.entity_name, "
        "m.entity_type, m.rid FROM raw_mentions m "
        "LEFT JOIN (SELECT aid, article_id FROM articles) a USING (article_id) ORDER BY m.rid"
    )
    con.execute(
        "CREATE TABLE entity_first AS SELECT "
        "CAST(row_number() OVER (ORDER BY min(rid)) AS INTEGER) AS eid, entity_id, "
        "arg_min(entity_name, rid) AS entity_name, "
        "arg_min(entity_type, rid) AS entity_type, min(rid) AS first_rid FROM raw_mentions "
        "WHERE entity_id IS NOT NULL GROUP BY entity_id ORDER BY first_rid"
    )
    con.execute(
        "CREATE TABLE art_ent AS SELECT m.aid, f.eid, m.entity_type, count(*) AS n, "
        "min(m.rid) AS first_rid FROM mentions m JOIN entity_first f USING (entity_id) "
        "WHERE m.aid IS NOT NULL GROUP BY ALL ORDER BY m.aid"
    )
    con.execute(
        "CREATE TABLE sent_ent AS SELECT m.aid, m.sentence_idx, f.eid, m.entity_type, "
        "min(m.rid) AS first_rid FROM mentions m JOIN entity_first f USING (entity_id) "
        "WHERE m.aid IS NOT NULL GROUP BY ALL ORDER BY m.aid, m.sentence_idx"
    )
    con.execute(
        "CREATE TABLE stories AS SELECT * FROM raw_stories "
        "QUALIFY row_number() OVER (PARTITION BY story_id ORDER BY rid) = 1 ORDER BY rid"
    )
    con.execute(
        "CREATE TABLE texts AS SELECT a.aid, t.text FROM ("
        + _select(path, manifest, "articles", ("text",), with_rid=True)
        + ") t JOIN articles a ON a.rid = t.rid ORDER BY a.aid"
    )
    con.execute(
        "CREATE TABLE sentences AS SELECT a.aid, s.sentence_idx, s.start_char, s.end_char FROM ("
        + select("sentences", TABLES["sentences"])
        + ") s JOIN (SELECT aid, article_id FROM articles) a USING (article_id) ORDER BY s.rid"
    )
    _build_evidence(con, path, manifest)
    start, end = _period_sql("e.event_date")
    con.execute(
        f"""
        CREATE TEMP TABLE events_base AS
        SELECT a.aid, e.* EXCLUDE (is_space_launch), e.is_space_launch,
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
    # Per event, its story as an integer key (``sid``, in story-key order) and the first
    # day of the story's date (the story table's, else the event's own): what the
    # timeline dates and ranks every story by, without a join per filter.
    story_start, _ = _period_sql("story_date")
    con.execute(
        f"""
        CREATE TABLE events AS
        SELECT * EXCLUDE (story_date), {story_start} AS st_start FROM (
            SELECT b.*, CAST(dense_rank() OVER (ORDER BY b.story_key) AS INTEGER) AS sid,
                   CASE WHEN s.event_date IS NOT NULL AND s.event_date <> '' THEN s.event_date
                        ELSE b.event_date END AS story_date
            FROM events_base b LEFT JOIN stories s ON s.story_id = b.story_key
        )
        ORDER BY rid
        """
    )
    con.execute("DROP TABLE events_base")
    # Lookups by integer key, sorted by it, so a list of keys skips the other rows'
    # blocks: the story table's text per story key, the folded mentions per entity.
    con.execute(
        "CREATE TABLE story_text AS SELECT k.sid, s.event_date, s.date_precision, s.headline, "
        "s.evidence FROM stories s JOIN (SELECT DISTINCT sid, story_key FROM events) k "
        "ON k.story_key = s.story_id ORDER BY k.sid"
    )
    con.execute("CREATE TABLE art_by_eid AS SELECT eid, aid FROM art_ent ORDER BY eid, aid")
    # With each sentence's offsets: the pair sentences shown need no look-up in the
    # 1.6M-row sentence table.
    con.execute(
        "CREATE TABLE sent_by_eid AS SELECT k.eid, k.aid, k.sentence_idx, s.start_char, "
        "s.end_char FROM (SELECT DISTINCT eid, aid, sentence_idx FROM sent_ent) k "
        "LEFT JOIN sentences s USING (aid, sentence_idx) ORDER BY eid, aid, sentence_idx"
    )
    con.execute(
        """
        CREATE TABLE event_members AS
        SELECT rid, aid, role, member FROM (
            SELECT rid, aid, 'actors' AS role, unnest(actors) AS member FROM events
            UNION ALL
            SELECT rid, aid, 'participants', unnest(participants) FROM events
            UNION ALL
            SELECT rid, aid, 'weapons', unnest(weapons) FROM events
        ) WHERE member IS NOT NULL AND member <> ''
        ORDER BY rid
        """
    )
    con.execute(
        """
        CREATE TABLE known_ids AS
        SELECT DISTINCT entity_id, 'mention' AS origin, entity_type = 'weapon' AS weapon
            FROM mentions WHERE entity_id IS NOT NULL
        UNION SELECT DISTINCT member, 'member', false FROM event_members
        UNION SELECT DISTINCT unnest(actors), 'story', false FROM stories
        UNION SELECT DISTINCT unnest(weapons), 'story', false FROM stories
        """
    )
    for name in (*_KEEP, "evidence"):
        con.execute(f"DROP TABLE IF EXISTS raw_{name}")
    con.execute("DROP TABLE IF EXISTS evidence")
    build_aggregates(con)


def _build_evidence(con: duckdb.DuckDBPyConnection, path: Path, manifest: dict[str, Any]) -> None:
    """Each event's evidence sentence, cut from its article's text with span_text (as
    the pandas path does), one article part at a time: no more than one part's text
    is held at once, and none after."""
    spans = con.execute("SELECT rid, article_id, start_char, end_char FROM raw_events").df()
    wanted: dict[str, list[int]] = {}
    for position, article_id in enumerate(spans["article_id"]):
        wanted.setdefault(str(article_id), []).append(position)
    starts = spans["start_char"].to_numpy()
    ends = spans["end_char"].to_numpy()
    texts: list[str] = [""] * len(spans)
    done: set[str] = set()
    for part in _parts(path, manifest, "articles"):
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
    con.register("evidence_frame", frame)
    con.execute("CREATE TEMP TABLE evidence AS SELECT * FROM evidence_frame")
    con.unregister("evidence_frame")


@dataclass(frozen=True)
class _View:
    """Names of the two tables a filter produced: its articles and its events."""

    articles: str
    events: str


class CorpusQuery:
    """One corpus through DuckDB: its query index (see :func:`ensure_index`) attached
    read-only, filters turned into small in-memory tables.

    Thread-safe (one lock around the connection): a Streamlit server shares one instance
    across sessions. ``threads`` and ``memory_limit`` default to :data:`DEFAULT_THREADS`
    and :data:`DEFAULT_MEMORY_LIMIT` (environment: ``FLASHPOINT_DUCKDB_THREADS``,
    ``FLASHPOINT_DUCKDB_MEMORY``). ``persist=False`` builds the index in memory instead
    (nothing written next to the corpus); ``build_isolated`` builds a missing index in a
    child process (what a server wants).
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        gazetteer: Iterable[Any] | None = None,
        persist: bool = True,
        build_isolated: bool = False,
        aggregates: bool = True,
    ) -> None:
        self.path = Path(path)
        self.manifest = store.read_manifest(self.path)
        self._lock = threading.RLock()
        self.con = connect(threads=threads, memory_limit=memory_limit)
        self.index_file: Path | None = None
        if persist:
            self.index_file = ensure_index(self.path, self.manifest, isolated=build_isolated)
            quoted = "'" + str(self.index_file).replace("'", "''") + "'"
            self.con.execute(f"ATTACH {quoted} AS ix (READ_ONLY)")
            for table in INDEX_TABLES:
                self.con.execute(f"CREATE VIEW {table} AS SELECT * FROM ix.{table}")
        else:
            build_index(self.con, self.path, self.manifest)
        self._views: OrderedDict[Filters, _View] = OrderedDict()
        self._counts: dict[_View, StoryCounts] = {}
        self._timelines: dict[tuple[_View, int], Timeline] = {}
        self.catalog = self._build_catalog(gazetteer)
        self._load_names()
        # Article-side figures from the pre-aggregated tables where a filter allows
        # (flashpoint.query_aggregates); None: every figure from the rows.
        self.aggregates = Aggregates(self) if aggregates else None

    # ----------------------------------------------------------------------------------
    # Loading

    def _build_catalog(self, gazetteer: Iterable[Any] | None) -> EntityCatalog:
        """As EntityCatalog.for_corpus: each id's name and type from its first mention."""
        first = self.con.execute(
            "SELECT eid, entity_id, entity_name, entity_type FROM entity_first ORDER BY first_rid"
        ).df()
        # Mentions are folded by integer entity key (eid); these map it both ways.
        self._eid: dict[str, int] = dict(
            zip(first["entity_id"].astype(str), first["eid"].astype(int), strict=True)
        )
        self._entity_of: dict[int, str] = {eid: entity for entity, eid in self._eid.items()}
        first = first.drop(columns="eid")
        entries = gazetteer_entities() if gazetteer is None else list(gazetteer)
        return EntityCatalog.from_tables(first, entries)

    def _load_names(self) -> None:
        """Display name and home country of every id the tables hold, from the catalog
        (the catalog depends on the gazetteer, so this is made at open, not stored)."""
        ids = self.con.execute("SELECT DISTINCT entity_id FROM known_ids").fetchall()
        catalog = self.catalog
        keys = [str(row[0]) for row in ids if row[0] is not None and str(row[0])]
        names = pd.DataFrame(
            {
                "entity_id": pd.Series(keys, dtype="object"),
                "name": pd.Series([catalog.name(k) for k in keys], dtype="object"),
                "country": pd.Series([catalog.country_of(k) for k in keys], dtype="object"),
            }
        )
        self._names = names
        self.con.register("names_frame", names)
        self.con.execute("CREATE TABLE names AS SELECT * FROM names_frame")
        self.con.unregister("names_frame")

    # ----------------------------------------------------------------------------------
    # Filters

    def _sql(self, sql: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        with self._lock:
            return self.con.execute(sql, params or {}).df()

    def _eids_of(self, entity_ids: Iterable[str]) -> list[int]:
        """The integer keys of these entity ids (ids never mentioned have none)."""
        return sorted(self._eid[e] for e in entity_ids if e in self._eid)

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
                "a.aid IN (SELECT aid FROM events WHERE "
                "list_contains($types, event_type) AND list_contains($allowed, modality))"
            )
            event_where.append("list_contains($types, e.event_type)")
        if filters.countries:
            countries = sorted(self.catalog.ids_named(filters.countries, "country"))
            # Members whose home country is one of these (the catalog's, as the names).
            params["homes"] = sorted(
                self._names.loc[self._names["country"].isin(countries), "entity_id"]
            )
            acting = (
                "SELECT rid, aid FROM event_members WHERE role IN ('actors', "
                "'participants') AND list_contains($homes, member)"
            )
            params["country_eids"] = self._eids_of(countries)
            article_where.append(
                "(a.aid IN (SELECT aid FROM art_ent WHERE "
                f"list_contains($country_eids, eid)) OR a.aid IN (SELECT aid "
                f"FROM ({acting})))"
            )
            event_where.append(
                f"(e.rid IN (SELECT rid FROM ({acting})) OR e.rid IN (SELECT e2.rid FROM "
                "events e2 SEMI JOIN (SELECT aid, sentence_idx FROM sent_ent WHERE "
                "list_contains($country_eids, eid)) s "
                "ON s.aid = e2.aid AND s.sentence_idx = e2.sentence_idx))"
            )
        weapon_ids = self._weapon_ids(filters)
        if weapon_ids is not None:
            params["weapons"] = weapon_ids
            armed = (
                "SELECT rid, aid FROM event_members WHERE role = 'weapons' "
                "AND list_contains($weapons, member)"
            )
            params["weapon_eids"] = self._eids_of(weapon_ids)
            article_where.append(
                "(a.aid IN (SELECT aid FROM art_ent WHERE "
                f"list_contains($weapon_eids, eid)) OR a.aid IN (SELECT aid "
                f"FROM ({armed})))"
            )
            event_where.append(f"e.rid IN (SELECT rid FROM ({armed}))")
        if filters.query:
            params["q"] = filters.query
            article_where.append(
                f"({_contains_sql('a.title')} OR a.aid IN (SELECT aid FROM "
                f"texts WHERE {_contains_sql('text')}))"
            )
            event_where.append(
                f"({_contains_sql('e.evidence_text')} OR {_contains_sql('e.title')})"
            )
        article_sql = " AND ".join(article_where) or "true"
        event_sql = " AND ".join(event_where)

        def used(sql: str) -> dict[str, Any]:
            return {k: v for k, v in params.items() if f"${k}" in sql}

        self.con.execute(
            f"CREATE OR REPLACE TABLE {made.articles} AS SELECT {_VIEW_ARTICLE_COLUMNS} "
            f"FROM articles a WHERE {article_sql}",
            used(article_sql),
        )
        self.con.execute(
            f"CREATE OR REPLACE TABLE {made.events} AS SELECT {_VIEW_EVENT_COLUMNS} "
            f"FROM events e WHERE {event_sql}",
            used(event_sql),
        )

    # ----------------------------------------------------------------------------------
    # Overview

    def _story_counts(self, made: _View) -> StoryCounts:
        """Stories and reports of the view's events, as :func:`story_counts` counts them
        (a story counted once, under its most reported type; ties by type name)."""
        with self._lock:
            found = self._counts.get(made)
            if found is not None:
                return found
            per_type = self._sql(
                f"""
                WITH pairs AS (
                    SELECT sid AS story, coalesce(article_id, 'None') AS article_id,
                           coalesce(event_type, 'None') AS event_type
                    FROM {made.events}
                ), kinds AS (
                    SELECT story, event_type AS kind FROM (
                        SELECT story, event_type, count(*) AS n FROM pairs GROUP BY ALL
                    ) QUALIFY row_number() OVER (PARTITION BY story ORDER BY n DESC, event_type) = 1
                ), reports AS (
                    SELECT DISTINCT story, article_id FROM pairs
                )
                SELECT k.kind, count(DISTINCT k.story) AS stories, count(*) AS reports
                FROM reports r JOIN kinds k USING (story) GROUP BY k.kind
                """
            )
            by_kind = {
                str(kind): (int(n_stories), int(n_reports))
                for kind, n_stories, n_reports in per_type.itertuples(index=False)
            }
            found = StoryCounts(
                stories=sum(v[0] for v in by_kind.values()),
                reports=sum(v[1] for v in by_kind.values()),
                by_type={kind: by_kind.get(kind, (0, 0)) for kind in EVENT_TYPES},
            )
            self._counts[made] = found
            while len(self._counts) > _VIEWS_KEPT:
                self._counts.pop(next(iter(self._counts)))
            return found

    def headline(self, filters: Filters) -> overview.Headline:
        summed = self.aggregates.articles(filters) if self.aggregates else None
        sums = self.aggregates.event_sums(filters) if self.aggregates else None
        if summed is not None and sums is not None:
            return overview.Headline(
                articles=summed["articles"],
                near_duplicates=summed["near_duplicates"],
                sources=summed["sources"],
                first_published=_day(summed["first"]),
                last_published=_day(summed["last"]),
                counts=sums.counts,
                event_mentions=sums.events,
            )
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
        sums = self.aggregates.event_sums(filters) if self.aggregates else None
        if sums is not None:
            return by_type_frame(sums.counts)
        return by_type_frame(self._story_counts(self.view(filters)))

    def volume(
        self, filters: Filters, *, freq: str = "week", top_countries: int = 6
    ) -> pd.DataFrame:
        if freq not in overview.FREQUENCIES:
            raise ValueError(
                f"unknown frequency {freq!r} (use one of {', '.join(overview.FREQUENCIES)})"
            )
        summed = self.aggregates.volume(filters, freq, top_countries) if self.aggregates else None
        if summed is not None:
            return summed
        made = self.view(filters)
        unit = {"day": "day", "week": "week", "month": "month"}[freq]
        period = f"CAST(date_trunc('{unit}', CAST(published AS TIMESTAMP)) AS TIMESTAMP)"
        total = self._sql(
            f"SELECT {period} AS period, count(DISTINCT aid) AS n FROM {made.articles} "
            "WHERE published IS NOT NULL GROUP BY 1"
        )

        def per_country() -> tuple[pd.DataFrame, pd.DataFrame]:
            # The most-mentioned countries first (ties: first mentioned), then their
            # articles per period, counted for those countries only.
            tops = self._sql(
                f"""
                WITH countries AS (
                    SELECT m.aid, m.eid AS entity_id, min(m.first_rid) AS first_rid
                    FROM art_ent m SEMI JOIN {made.articles} a ON a.aid = m.aid
                    WHERE m.entity_type = 'country'
                    GROUP BY m.aid, m.eid
                )
                SELECT entity_id, count(*) AS n, min(first_rid) AS first_rid FROM countries
                GROUP BY entity_id ORDER BY n DESC, first_rid LIMIT {int(top_countries)}
                """
            )
            if tops.empty:
                return tops, tops
            per = self._sql(
                f"""
                SELECT m.eid AS entity_id,
                       {period.replace("published", "a.published")} AS period,
                       count(DISTINCT m.aid) AS articles
                FROM art_ent m JOIN {made.articles} a ON a.aid = m.aid
                WHERE m.entity_type = 'country' AND a.published IS NOT NULL
                  AND list_contains($ids, m.eid)
                GROUP BY ALL
                """,
                {"ids": [int(eid) for eid in tops["entity_id"]]},
            )
            return tops, per

        return overview.volume_from_counts(
            total, freq, per_country, lambda eid: self.catalog.name(self._entity_of[eid])
        )

    def top_entities(self, filters: Filters, entity_type: str, n: int = 10) -> pd.DataFrame:
        summed = self.aggregates.top_entities(filters, entity_type, n) if self.aggregates else None
        if summed is not None:
            return summed
        made = self.view(filters)
        grouped = self._sql(
            f"SELECT m.eid, count(DISTINCT m.aid) AS articles, sum(m.n) AS mentions "
            f"FROM art_ent m SEMI JOIN {made.articles} a ON a.aid = m.aid "
            "WHERE m.entity_type = $type GROUP BY m.eid",
            {"type": entity_type},
        )
        return overview.top_from_counts(grouped, n, self._entity_of, self.catalog.name)

    # ----------------------------------------------------------------------------------
    # Timeline

    def timeline(self, filters: Filters, limit: int = DRAWN_STORIES) -> Timeline:
        """As :func:`flashpoint.analysis.timeline.timeline`: the stories drawn (at most
        ``limit`` most reported, plus the latest) and the exact counts. Only the drawn
        stories are assembled; the others are only dated and counted.

        Kept with the view: the Overview's latest stories need it too."""
        with self._lock:
            cached = self.aggregates.timeline(filters, limit) if self.aggregates else None
            if cached is not None:
                return Timeline(
                    frame=cached.frame.copy(),
                    stories=cached.stories,
                    reports=cached.reports,
                    undated=cached.undated,
                )
            made = self.view(filters)
            cached = self._timelines.get((made, limit))
            if cached is None:
                cached = self._timelines[(made, limit)] = self._timeline(made, limit)
                while len(self._timelines) > _VIEWS_KEPT:
                    self._timelines.pop(next(iter(self._timelines)))
            return Timeline(
                frame=cached.frame.copy(),
                stories=cached.stories,
                reports=cached.reports,
                undated=cached.undated,
            )

    def timeline_frame(self, filters: Filters) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.timeline.timeline_frame`: every story, uncapped."""
        return self.timeline(filters, limit=2**62).frame

    def _timeline(self, made: _View, limit: int) -> Timeline:
        """Date and count every story of the view; assemble only those drawn."""
        with self._lock:
            self.con.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE tl_keys AS
                WITH grouped AS (
                    SELECT sid, count(DISTINCT article_id) AS n_reports,
                           min(published) AS first_reported,
                           arg_min_null(st_start, (mod_rank, -conf, rid)) AS start_day,
                           arg_min_null(published, (mod_rank, -conf, rid)) AS published
                    FROM {made.events} GROUP BY sid
                )
                SELECT sid, n_reports,
                       coalesce(start_day, CAST(CAST(coalesce(first_reported, published)
                           AS TIMESTAMP) AS DATE)) AS day
                FROM grouped
                """
            )
            row = self.con.execute(
                "SELECT count(*) FILTER (WHERE day IS NOT NULL), "
                "coalesce(sum(n_reports) FILTER (WHERE day IS NOT NULL), 0), "
                "count(*) FILTER (WHERE day IS NULL) FROM tl_keys"
            ).fetchone()
            placed, reports, undated = (int(v) for v in row)  # type: ignore[union-attr]
            if placed <= limit:
                self.con.execute(
                    "CREATE OR REPLACE TEMP TABLE tl_events AS SELECT "
                    f"{TIMELINE_EVENT_COLUMNS} FROM events e SEMI JOIN {made.events} v USING (rid)"
                )
            else:
                self.con.execute(
                    f"""
                    CREATE OR REPLACE TEMP TABLE tl_events AS
                    SELECT {TIMELINE_EVENT_COLUMNS} FROM events e
                    SEMI JOIN {made.events} v USING (rid)
                    WHERE e.sid IN (
                        SELECT sid FROM tl_keys WHERE day IS NOT NULL
                        ORDER BY n_reports DESC, day DESC, sid LIMIT {int(limit)}
                    ) OR e.sid IN (
                        SELECT sid FROM tl_keys WHERE day IS NOT NULL
                        ORDER BY day DESC, n_reports DESC, sid LIMIT {timeline.LATEST_KEPT}
                    )
                    """
                )
            frame = self._timeline_frame("tl_events")
        return Timeline(frame=frame, stories=placed, reports=reports, undated=undated)

    def _timeline_frame(self, events: str) -> pd.DataFrame:
        start, end = _period_sql("event_date")
        sids = self._sql(f"SELECT DISTINCT sid FROM {events}")["sid"]
        frame = self._sql(
            f"""
            WITH f AS (SELECT * FROM {events}),
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
                LEFT JOIN (SELECT * FROM story_text WHERE sid IN (SELECT unnest($sids))) s
                    ON s.sid = b.sid
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
            """,
            {"sids": [int(sid) for sid in sids]},
        )
        if frame.empty:
            return timeline.empty_timeline()
        unions = self._story_names(events)
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
        return self.timeline(filters).undated

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
        frame = self._sql(
            f"SELECT {columns} FROM events SEMI JOIN {made.events} v USING (rid) {where} "
            "ORDER BY rid",
            params,
        )
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
        summed = (
            self.aggregates.cooccurrence(filters, scope, metric, entity_types, top_n)
            if self.aggregates
            else None
        )
        if summed is not None:
            return summed
        made = self.view(filters)
        unit = "aid, sentence_idx" if scope == "sentence" else "aid"
        units_join = "USING (aid, sentence_idx)" if scope == "sentence" else "USING (aid)"
        source = "sent_ent" if scope == "sentence" else "art_ent"
        picked = (
            f"SELECT m.{unit.replace(', ', ', m.')}, m.eid AS entity_id, m.entity_type, "
            f"m.first_rid AS rid FROM {source} m "
            f"SEMI JOIN {made.articles} a ON a.aid = m.aid "
            "WHERE list_contains($types, m.entity_type)"
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
            entities["entity_id"] = entities["entity_id"].map(self._entity_of)
            names = [self.catalog.name(eid) for eid in entities["entity_id"]]
            frequencies = entities["units"].to_numpy()
            top = cooc.top_entities(frequencies, names, top_n)
            top_ids = [str(entities["entity_id"].iloc[i]) for i in top]
            pairs = self.con.execute(
                f"WITH u AS (SELECT {unit}, entity_id FROM cooc_pairs WHERE list_contains($ids, entity_id)) "
                f"SELECT a.entity_id AS a, b.entity_id AS b, count(*) AS n FROM u a JOIN u b {units_join} "
                "GROUP BY 1, 2",
                {"ids": self._eids_of(top_ids)},
            ).df()
            self.con.execute("DROP TABLE cooc_pairs")
        pairs["a"] = pairs["a"].map(self._entity_of)
        pairs["b"] = pairs["b"].map(self._entity_of)
        counts = cooc.pair_counts(pairs, top_ids, mirror=False)
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
        limit: int | None = None,
    ) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.cooccurrence.pair_sentences`; text is read only
        for the articles of the rows returned."""
        chosen = self.aggregates.selection(filters) if self.aggregates else None
        # The filter's articles: from the aggregates' atoms where it allows, else the view.
        articles = chosen.articles() if chosen is not None else self.view(filters).articles
        label_a, label_b = names or (entity_a, entity_b)
        both = f"{label_a}, {label_b}"
        params: dict[str, Any] = {
            "a": self._eid.get(entity_a, -1),
            "b": self._eid.get(entity_b, -1),
            "both": both,
        }
        if scope == "sentence":
            hits = (
                "SELECT aid, sentence_idx, a_.start_char, a_.end_char, $both AS mentions "
                "FROM a_ JOIN b_ USING (aid, sentence_idx)"
            )
        else:
            params |= {"label_a": label_a, "label_b": label_b}
            hits = (
                "SELECT aid, sentence_idx, coalesce(a_.start_char, b_.start_char) AS start_char, "
                "coalesce(a_.end_char, b_.end_char) AS end_char, "
                "CASE WHEN a_.aid IS NOT NULL AND b_.aid IS NOT NULL "
                "THEN $both WHEN a_.aid IS NOT NULL THEN $label_a ELSE $label_b END AS mentions "
                "FROM a_ FULL OUTER JOIN b_ USING (aid, sentence_idx)"
            )
        top = f"LIMIT {max(int(limit), 0)}" if limit is not None else ""
        if chosen is not None:
            params |= {k: v for k, v in chosen.params().items() if f"${k}" in chosen.articles()}

        def rows(newest: int | None) -> pd.DataFrame:
            # Rows are ordered by article (newest first, then id) before sentence, so
            # when the ``newest`` pair articles give ``limit`` rows, the rows shown are all
            # theirs: the sentences of older articles are not joined at all.
            pool = (
                "SELECT p.aid FROM pair_articles p JOIN (SELECT aid, published, article_id "
                "FROM articles) a USING (aid) ORDER BY a.published DESC NULLS LAST, "
                f"a.article_id LIMIT {int(newest)}"
                if newest is not None
                else "SELECT aid FROM pair_articles"
            )
            return self._sql(
                f"""
                WITH pair_articles AS (
                    SELECT aid FROM art_by_eid WHERE eid IN ($a, $b)
                    AND aid IN (SELECT aid FROM {articles}) GROUP BY aid
                    HAVING count(DISTINCT eid) = 2
                ),
                pool AS ({pool}),
                a_ AS (SELECT aid, sentence_idx, start_char, end_char FROM sent_by_eid
                       WHERE eid = $a AND aid IN (SELECT aid FROM pool)),
                b_ AS (SELECT aid, sentence_idx, start_char, end_char FROM sent_by_eid
                       WHERE eid = $b AND aid IN (SELECT aid FROM pool)),
                hits AS ({hits}),
                shown AS (
                    SELECT a.published, a.article_id, h.mentions, h.aid, h.sentence_idx,
                           h.start_char, h.end_char
                    FROM hits h JOIN (SELECT aid, published, article_id FROM articles) a
                        USING (aid)
                    ORDER BY a.published DESC NULLS LAST, a.article_id, h.sentence_idx
                    {top}
                )
                SELECT h.published, a.source, a.title, h.mentions, a.url, h.article_id,
                       h.sentence_idx, h.start_char, h.end_char, h.aid,
                       (SELECT count(*) FROM pool) AS pooled
                FROM shown h JOIN articles a USING (aid)
                ORDER BY h.published DESC NULLS LAST, h.article_id, h.sentence_idx
                {top}
                """,
                params,
            )

        if limit is None:
            found = rows(None)
        else:
            newest = max(int(limit), 1)
            while True:
                found = rows(newest)
                # Enough rows, or the pool held every pair article (fewer than asked).
                if len(found) >= limit or (len(found) and found["pooled"].iloc[0] < newest):
                    break
                if found.empty and newest >= self._pair_articles(articles, params):
                    break
                newest *= 4
        if found.empty:
            return pd.DataFrame({column: [] for column in cooc.PAIR_COLUMNS})
        texts = self._texts_by_aid(found["aid"])
        found["sentence"] = [
            span_text(texts.get(aid), start, end) or ""
            for aid, start, end in zip(
                found["aid"], found["start_char"], found["end_char"], strict=True
            )
        ]
        found["published"] = pd.to_datetime(found["published"], utc=True, errors="coerce")
        found["url"] = found["url"].map(safe_url)
        return found[list(cooc.PAIR_COLUMNS)].reset_index(drop=True)

    def _pair_articles(self, articles: str, params: dict[str, Any]) -> int:
        """How many of ``articles`` mention both entities of a pair (``$a``, ``$b``)."""
        sql = (
            "SELECT count(*) AS n FROM (SELECT aid FROM art_by_eid WHERE eid IN ($a, $b) "
            f"AND aid IN (SELECT aid FROM {articles}) GROUP BY aid HAVING count(DISTINCT eid) = 2)"
        )
        found = self._sql(sql, {k: v for k, v in params.items() if f"${k}" in sql})
        return int(found["n"].iloc[0])

    def _texts_by_aid(self, aids: Iterable[Any]) -> dict[int, str]:
        """The text of these articles (integer keys), by key."""
        keys = sorted({int(aid) for aid in aids})
        if not keys:
            return {}
        found = self._sql(
            "SELECT aid, text FROM texts WHERE aid IN (SELECT unnest($aids))", {"aids": keys}
        )
        return dict(zip(found["aid"].astype(int), found["text"], strict=True))

    def article_texts(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The text of these articles (and only these), by id."""
        if not article_ids:
            return {}
        keys = self._sql(
            "SELECT aid FROM articles WHERE list_contains($ids, article_id)",
            {"ids": list(article_ids)},
        )
        # Keys first: an IN list of keys lets the scan skip the texts of other articles.
        found = self._sql(
            "SELECT a.article_id, t.text FROM texts t JOIN articles a USING (aid) "
            "WHERE t.aid IN (SELECT unnest($aids))",
            {"aids": [int(k) for k in keys["aid"]]},
        )
        return dict(zip(found["article_id"], found["text"], strict=True))

    # ----------------------------------------------------------------------------------
    # Sidebar

    def filter_options(self) -> FilterOptions:
        """As :func:`flashpoint.analysis.filters.filter_options`."""
        ids = self._sql(
            "SELECT DISTINCT entity_id FROM known_ids WHERE origin IN ('mention', 'member')"
        )["entity_id"].astype(str)
        catalog = self.catalog
        country_ids = {cid for cid in (catalog.country_of(i) for i in ids) if cid} | {
            i for i in ids if i.startswith("country:")
        }
        weapons = self._sql("SELECT DISTINCT entity_id FROM known_ids WHERE weapon")[
            "entity_id"
        ].astype(str)
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

    # ----------------------------------------------------------------------------------
    # Map (appended: the Map page's data, as flashpoint.analysis.geo computes it)

    def map_frame(self, filters: Filters) -> tuple[pd.DataFrame, int]:
        """As :func:`flashpoint.analysis.geo.map_frame`: one row per (place, event type)
        with its stories and reports, and how many stories have no place on the map.

        SQL reduces the view's events to their distinct (location, type, story, article)
        rows, all that function counts; it then places and counts them, so the two paths
        cannot drift apart.
        """
        made = self.view(filters)
        events = self._sql(
            "SELECT DISTINCT e.location, e.event_type, e.story_key AS story_id, "
            "'' AS event_id, e.article_id FROM events e "
            f"SEMI JOIN {made.events} v USING (rid)"
        )
        return geo.map_frame(self._events_view(events))

    def place_reports(
        self, filters: Filters, place_id: str, event_type: str | None = None
    ) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.geo.place_reports` (reads only that place's rows)."""
        made = self.view(filters)
        params: dict[str, Any] = {"place": place_id}
        where = "e.location = $place"
        if event_type:
            params["kind"] = event_type
            where += " AND e.event_type = $kind"
        events = self._sql(
            "SELECT e.event_type, e.event_date, e.date_precision, e.date_text, e.modality, "
            "e.published, e.source, e.title, e.evidence_text, e.url, e.article_id, "
            "e.location FROM events e "
            f"SEMI JOIN {made.events} v USING (rid) WHERE {where} ORDER BY e.rid",
            params,
        )
        return geo.place_reports(self._events_view(events), place_id, event_type)

    # ----------------------------------------------------------------------------------
    # Articles (appended: the Articles page and the article reader)

    def article_list(self, filters: Filters) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.articles.article_list`: the view's articles,
        newest first (ties: stored order), with their filtered event mentions and
        distinct entities."""
        made = self.view(filters)
        found = self._sql(
            f"""
            WITH ev AS (SELECT aid, count(*) AS n FROM {made.events} GROUP BY aid),
            ent AS (SELECT aid, count(DISTINCT eid) AS n FROM art_ent
                    SEMI JOIN {made.articles} USING (aid) GROUP BY aid)
            SELECT a.article_id, a.published, a.source, a.title,
                   coalesce(ev.n, 0) AS events, coalesce(ent.n, 0) AS entities,
                   a.word_count, a.url
            FROM articles a SEMI JOIN {made.articles} v USING (aid)
            LEFT JOIN ev USING (aid) LEFT JOIN ent USING (aid)
            ORDER BY a.published DESC NULLS LAST, a.rid
            """
        )
        if found.empty:
            return pd.DataFrame({column: [] for column in article_analysis.ARTICLE_LIST_COLUMNS})
        found["published"] = pd.to_datetime(found["published"], utc=True, errors="coerce")
        found["title"] = found["title"].fillna("(untitled)")
        found["events"] = found["events"].astype(int)
        found["entities"] = found["entities"].astype(int)
        found["url"] = found["url"].map(article_analysis.safe_url)
        return found[list(article_analysis.ARTICLE_LIST_COLUMNS)]

    def has_article(self, article_id: str) -> bool:
        row = self._sql(
            "SELECT count(*) AS n FROM articles WHERE article_id = $id", {"id": article_id}
        )
        return bool(row["n"].iloc[0])

    def article_record(self, article_id: str) -> dict[str, Any] | None:
        """As :func:`flashpoint.analysis.articles.article_record` (text included; the
        ``origin`` column, which the index does not keep, left out)."""
        rows = self._sql(
            "SELECT a.* EXCLUDE (aid, rid, pub_day), t.text FROM articles a "
            "LEFT JOIN texts t USING (aid) WHERE a.article_id = $id ORDER BY a.rid LIMIT 1",
            {"id": article_id},
        )
        if rows.empty:
            return None
        rows["published"] = pd.to_datetime(rows["published"], utc=True, errors="coerce")
        record: dict[str, Any] = {
            str(k): (None if _missing(v) else v) for k, v in rows.iloc[0].to_dict().items()
        }
        record["url"] = article_analysis.safe_url(record.get("url"))
        return record

    def article_mentions(self, article_id: str) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.articles.article_mentions`: the article's mention
        rows with their offsets (read from the mentions' Parquet parts: the index folds
        mentions and keeps no offsets)."""
        columns = TABLES["mentions"]
        return self._sql(
            f"SELECT {', '.join(columns)} FROM ("
            + _select(self.path, self.manifest, "mentions", columns, with_rid=True)
            + ") WHERE article_id = $id ORDER BY rid",
            {"id": article_id},
        )

    def article_events(self, article_id: str) -> pd.DataFrame:
        """As :func:`flashpoint.analysis.articles.article_events`."""
        events = self._sql(
            f"SELECT {', '.join(TABLES['events'])}, evidence_text FROM events "
            "WHERE article_id = $id ORDER BY rid",
            {"id": article_id},
        )
        for column in ("actors", "participants", "weapons"):
            events[column] = events[column].map(_plain_list)
        return article_analysis.article_events_frame(events, events["evidence_text"], self.catalog)

    def _events_view(self, events: pd.DataFrame) -> FilteredView:
        """A view holding only these event rows (for the pandas functions that finish)."""
        return FilteredView(
            articles=pd.DataFrame(), events=events, mentions=pd.DataFrame(), catalog=self.catalog
        )


def _day(value: Any) -> Any:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def _names_or_blank(keys: pd.Series, names: pd.Series) -> pd.Series:
    found = keys.map(names).astype("object")
    return found.where(found.notna(), "")


def _missing(value: Any) -> bool:
    return value is None or (
        not isinstance(value, (list, tuple, np.ndarray)) and bool(pd.isna(value))
    )


def _plain_list(value: Any) -> list[str]:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return []
    return [str(item) for item in value]


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m flashpoint.query CORPUS``: build the corpus's query index if missing."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("corpus")
    args = parser.parse_args(argv)
    print(ensure_index(args.corpus))
    return 0


if __name__ == "__main__":
    sys.exit(main())
