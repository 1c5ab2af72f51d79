"""The corpus and every aggregation the pages show, cached.

Two paths give the same data (tests/unit/test_query.py compares them):

* **pandas** — the whole corpus loaded into pandas once per server process; fastest
  for a small corpus (the demo, a few thousand articles).
* **index** — :class:`flashpoint.query.CorpusQuery`: the corpus's DuckDB query index
  attached read-only, no article text held; every filter is SQL over small tables. Used
  from :data:`INDEX_FROM_ARTICLES` articles on (docs/scaling.md has the measurements),
  or always/never with ``FLASHPOINT_QUERY_PATH=index|pandas``.

Either is opened once per server process (``st.cache_resource``), keyed on the corpus
path and manifest generation so a rebuilt corpus is picked up without a restart.
Aggregations are cached on the filter values (``st.cache_data``), so going back to a view
is instant. Every page and the article reader use the chosen path (the "Download
filtered data" zip still loads the pandas corpus, when clicked).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from flashpoint import config, export, store
from flashpoint.analysis import articles as article_analysis
from flashpoint.analysis import cooccurrence as cooccurrence_analysis
from flashpoint.analysis import geo, overview, timeline
from flashpoint.analysis.filters import (
    EntityCatalog,
    FilteredView,
    FilterOptions,
    Filters,
    apply_filters,
    filter_options,
)
from flashpoint.query import CorpusQuery

# From this many articles on, the pages read the DuckDB query index instead of holding
# the corpus in pandas (measured: docs/scaling.md, "Which path, from what size").
INDEX_FROM_ARTICLES = 2_000
PATH_VARIABLE = "FLASHPOINT_QUERY_PATH"

# (path, generation, committed_at): changes whenever a writer commits.
CorpusKey = tuple[str, int, str]


def corpus_path() -> Path:
    """--corpus (via `flashpoint serve`) / $FLASHPOINT_CORPUS / data/corpus."""
    return config.corpus_dir()


def corpus_key(path: Path | None = None) -> CorpusKey | None:
    """None when there is no corpus yet."""
    root = path or corpus_path()
    try:
        manifest = store.read_manifest(root)
    except store.CorpusNotFound:
        return None
    return (
        str(root.resolve()),
        int(manifest.get("generation", 0)),
        str(manifest.get("committed_at", "")),
    )


def uses_index(key: CorpusKey) -> bool:
    """Whether this corpus is read through the query index (by size, or as forced)."""
    forced = os.environ.get(PATH_VARIABLE, "").strip().lower()
    if forced in ("index", "duckdb"):
        return True
    if forced == "pandas":
        return False
    return _article_count(key) >= INDEX_FROM_ARTICLES


@st.cache_resource(show_spinner=False, max_entries=2)
def _article_count(key: CorpusKey) -> int:
    manifest = store.read_manifest(key[0])
    return int(manifest.get("row_counts", {}).get("articles", 0))


@st.cache_resource(show_spinner="Loading the corpus…", max_entries=2)
def load(key: CorpusKey) -> store.Corpus:
    return store.load_corpus(key[0])


@st.cache_resource(show_spinner="Opening the corpus index…", max_entries=2)
def query(key: CorpusKey) -> CorpusQuery:
    """The query index of this corpus generation (built on first open after a commit)."""
    return CorpusQuery(key[0], build_isolated=True)


@st.cache_resource(show_spinner=False, max_entries=2)
def catalog(key: CorpusKey) -> EntityCatalog:
    if uses_index(key):
        return query(key).catalog
    return EntityCatalog.for_corpus(load(key))


@st.cache_resource(show_spinner=False, max_entries=2)
def options(key: CorpusKey) -> FilterOptions:
    if uses_index(key):
        return query(key).filter_options()
    return filter_options(load(key), catalog(key))


@st.cache_resource(show_spinner=False, max_entries=8)
def view(key: CorpusKey, filters: Filters) -> FilteredView:
    """The filtered tables (shared, read-only: every aggregation below starts here)."""
    return apply_filters(load(key), filters, catalog(key))


def timeline_data(key: CorpusKey, filters: Filters) -> timeline.Timeline:
    """The stories drawn (at most timeline.DRAWN_STORIES most reported, plus the latest)
    and the exact counts behind them."""
    return _timeline_data(key, filters, timeline.DRAWN_STORIES)


@st.cache_data(show_spinner=False, max_entries=64)
def _timeline_data(key: CorpusKey, filters: Filters, limit: int) -> timeline.Timeline:
    if uses_index(key):
        return query(key).timeline(filters, limit)
    return timeline.timeline(view(key, filters), load(key).stories, limit)


def timeline_frame(key: CorpusKey, filters: Filters) -> pd.DataFrame:
    return timeline_data(key, filters).frame


def latest_stories(key: CorpusKey, filters: Filters, n: int = 10) -> pd.DataFrame:
    """The Overview's "Latest stories": from a timeline capped to none of the most
    reported, which still holds the newest ones (timeline.drawn_stories keeps
    timeline.LATEST_KEPT of them), so only those are assembled."""
    if n > timeline.LATEST_KEPT:
        return timeline.latest_stories(timeline_frame(key, filters), n)
    return timeline.latest_stories(_timeline_data(key, filters, 0).frame, n)


@st.cache_data(show_spinner=False)
def key_events() -> pd.DataFrame:
    return timeline.key_events()


def undated_stories(key: CorpusKey, filters: Filters) -> int:
    return timeline_data(key, filters).undated


@st.cache_data(show_spinner=False, max_entries=64)
def story_reports(key: CorpusKey, filters: Filters, story_ids: tuple[str, ...]) -> pd.DataFrame:
    if uses_index(key):
        return query(key).story_reports(filters, story_ids)
    return timeline.story_reports(view(key, filters), story_ids)


@st.cache_data(show_spinner=False, max_entries=64)
def headline(key: CorpusKey, filters: Filters) -> overview.Headline:
    if uses_index(key):
        return query(key).headline(filters)
    return overview.headline(view(key, filters))


@st.cache_data(show_spinner=False, max_entries=64)
def volume(key: CorpusKey, filters: Filters, freq: str) -> pd.DataFrame:
    if uses_index(key):
        return query(key).volume(filters, freq=freq)
    return overview.volume(view(key, filters), freq=freq)


@st.cache_data(show_spinner=False, max_entries=64)
def events_by_type(key: CorpusKey, filters: Filters) -> pd.DataFrame:
    if uses_index(key):
        return query(key).events_by_type(filters)
    return overview.events_by_type(view(key, filters))


@st.cache_data(show_spinner=False, max_entries=192)
def top_entities(key: CorpusKey, filters: Filters, entity_type: str, n: int) -> pd.DataFrame:
    if uses_index(key):
        return query(key).top_entities(filters, entity_type, n)
    return overview.top_entities(view(key, filters), entity_type, n)


@st.cache_data(show_spinner=False, max_entries=64)
def cooccurrence(
    key: CorpusKey,
    filters: Filters,
    scope: str,
    metric: str,
    entity_types: tuple[str, ...],
    top_n: int,
) -> cooccurrence_analysis.Cooccurrence:
    if uses_index(key):
        return query(key).cooccurrence(
            filters, scope=scope, metric=metric, entity_types=entity_types, top_n=top_n
        )
    return cooccurrence_analysis.cooccurrence(
        view(key, filters).mentions,
        scope=scope,
        metric=metric,
        entity_types=entity_types,
        top_n=top_n,
        catalog=catalog(key),
    )


@st.cache_data(show_spinner=False, max_entries=64)
def pair_sentences(
    key: CorpusKey,
    filters: Filters,
    entity_a: str,
    entity_b: str,
    scope: str,
    names: tuple[str, str],
) -> pd.DataFrame:
    """The newest :data:`~flashpoint.analysis.cooccurrence.PAIR_SHOWN` sentences."""
    limit = cooccurrence_analysis.PAIR_SHOWN
    if uses_index(key):
        return query(key).pair_sentences(
            filters, entity_a, entity_b, scope=scope, names=names, limit=limit
        )
    current = view(key, filters)
    return cooccurrence_analysis.pair_sentences(
        current.mentions,
        load(key).sentences,
        current.articles,
        entity_a,
        entity_b,
        scope=scope,
        names=names,
        limit=limit,
    )


def filtered_zip(key: CorpusKey, filters: Filters) -> bytes:
    """The "Download filtered data" zip, made only when asked for."""
    return export.filtered_tables_zip(load(key), filters)


@st.cache_data(show_spinner=False, max_entries=64)
def article_list(key: CorpusKey, filters: Filters) -> pd.DataFrame:
    if uses_index(key):
        return query(key).article_list(filters)
    return article_analysis.article_list(view(key, filters))


@st.cache_data(show_spinner=False, max_entries=256)
def has_article(key: CorpusKey, article_id: str) -> bool:
    if uses_index(key):
        return query(key).has_article(article_id)
    return bool((load(key).articles["article_id"] == article_id).any())


@st.cache_data(show_spinner=False, max_entries=32)
def article(key: CorpusKey, article_id: str) -> tuple[dict[str, Any] | None, pd.DataFrame]:
    """What the reader shows of one article: its record (text included; None when it is
    not in the corpus) and its entity mentions."""
    if uses_index(key):
        found = query(key)
        record = found.article_record(article_id)
        return record, (found.article_mentions(article_id) if record else pd.DataFrame())
    corpus = load(key)
    record = article_analysis.article_record(corpus, article_id)
    return record, (
        article_analysis.article_mentions(corpus, article_id) if record else pd.DataFrame()
    )


@st.cache_data(show_spinner=False, max_entries=64)
def article_events(key: CorpusKey, article_id: str) -> pd.DataFrame:
    if uses_index(key):
        return query(key).article_events(article_id)
    return article_analysis.article_events(load(key), article_id, catalog(key))


@st.cache_data(show_spinner=False, max_entries=64)
def map_frame(key: CorpusKey, filters: Filters) -> tuple[pd.DataFrame, int]:
    if uses_index(key):
        return query(key).map_frame(filters)
    return geo.map_frame(view(key, filters))


@st.cache_data(show_spinner=False, max_entries=64)
def place_reports(
    key: CorpusKey, filters: Filters, place_id: str, event_type: str | None
) -> pd.DataFrame:
    if uses_index(key):
        return query(key).place_reports(filters, place_id, event_type)
    return geo.place_reports(view(key, filters), place_id, event_type)


def topojson_url() -> str:
    """Where the browser gets the map's world outlines: this app's static folder
    (static/topojson, served with server.enableStaticServing), never a CDN."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/topojson/" if base else "/app/static/topojson/"


def export_ready() -> bool:
    """Whether PNG export can work here (a Chromium/Chrome is installed)."""
    available = _chromium_found(os.environ.get("BROWSER_PATH", ""))
    if available:
        _warm_export_browser()
    return available


@st.cache_resource(show_spinner=False, ttl=60, max_entries=4)
def _chromium_found(browser_path: str) -> bool:
    """Looked up once a minute (per $BROWSER_PATH), not for every chart of every run:
    one look checks ~100 paths on disk (5 charts cost 25-50 ms a run)."""
    return export.chromium_available()


# Page runs under way in this server process, and when the last one ended
# (time.monotonic()). Chromium takes seconds of CPU to start; started with the first page,
# it competed with the reader's first filter changes for the machine's cores (on 2 cores
# it added ~1-3 s to a redraw), so the export browser starts once the pages are quiet.
_RUNS = {"running": 0, "ended": 0.0}
_RUNS_LOCK = threading.Lock()
WARM_WHEN_IDLE_S = 10.0


@contextlib.contextmanager
def page_running() -> Iterator[None]:
    """Around a page's script run (app.py): the export browser waits while one runs."""
    with _RUNS_LOCK:
        _RUNS["running"] += 1
    try:
        yield
    finally:
        with _RUNS_LOCK:
            _RUNS["running"] -= 1
            _RUNS["ended"] = time.monotonic()


def start_export_browser_when_idle() -> None:
    """Start the export browser once no page has run for WARM_WHEN_IDLE_S seconds."""
    while _RUNS["running"] or time.monotonic() - _RUNS["ended"] < WARM_WHEN_IDLE_S:
        time.sleep(1.0)
    export.start_renderer()


@st.cache_resource(show_spinner=False)
def _warm_export_browser() -> bool:
    """Start the one export browser of this server process in the background, once the
    pages are quiet (``start_export_browser_when_idle``), so the first "Download PNG" does
    not wait for Chromium to start and starting it does not slow the pages down. A click
    before that starts it then (as it would without the warm-up). Not under AppTest."""
    if st.get_option("global.appTest"):
        return False
    with _RUNS_LOCK:  # the first page is running now: quiet is counted from here at least
        _RUNS["ended"] = max(_RUNS["ended"], time.monotonic())
    threading.Thread(
        target=start_export_browser_when_idle, name="warm-kaleido", daemon=True
    ).start()
    return True
