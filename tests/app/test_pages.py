"""Every page of the dashboard under several filter combinations, on the demo corpus.

AppTest runs the scripts in-process: these tests check what each page puts on screen
(charts and their traces, tables, messages), that no exception escapes, and that the URL
and the sidebar describe the same view. Clicks on charts and downloads are in tests/e2e.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import streamlit as st
from pagetools import figures, texts, traces

from flashpoint import store
from flashpoint.analysis.articles import article_list
from flashpoint.analysis.counts import story_counts
from flashpoint.analysis.filters import EntityCatalog, Filters, apply_filters
from flashpoint.analysis.geo import map_frame
from flashpoint.analysis.timeline import story_keys, timeline_frame, undated_stories
from flashpoint.export import chromium_available

# Filter combinations a reader would try, as the URL carries them.
FILTERS: dict[str, dict[str, Any]] = {
    "none": {},
    "north-korea-launches": {"country": "North Korea", "type": "missile_launch"},
    "japan-2017-with-unasserted": {
        "country": "Japan",
        "since": "2017-01-01",
        "until": "2017-12-31",
        "unasserted": "true",
    },
    "two-types-text": {"type": ["meeting", "sanction"], "q": "Security Council"},
}
NOTHING = {"since": "1990-01-01", "until": "1990-12-31"}


@pytest.fixture(scope="module")
def corpus(demo_corpus: Path) -> Any:
    return store.load_corpus(demo_corpus)


def expected_view(corpus: Any, params: dict[str, Any]) -> Any:
    return apply_filters(
        corpus, Filters.from_query_params(params), EntityCatalog.for_corpus(corpus)
    )


@pytest.mark.parametrize("combination", list(FILTERS))
def test_overview(run_page: Any, corpus: Any, combination: str) -> None:
    params = FILTERS[combination]
    at = run_page("overview", params)
    assert not at.exception
    view = expected_view(corpus, params)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Articles"] == f"{len(view.articles):,}"
    charts = figures(at)
    assert len(charts) == 5  # volume, events by type, top countries, people, weapons
    volume, by_type = charts[0], charts[1]
    assert volume.data[0].name == "All articles"
    assert sum(volume.data[0].y) == len(view.articles.dropna(subset=["published"]))
    assert all(trace.type == "scatter" for trace in volume.data[1:])
    assert by_type.data[0].type == "bar"
    # Stories, not sentence-level event mentions: the same count as `flashpoint stats`.
    counts = story_counts(view.events)
    assert sum(int(x) for x in by_type.data[0].x) == counts.stories
    scope = "asserted, planned, possible, claimed" if "unasserted" in params else "asserted"
    assert metrics[f"Stories ({scope})"] == f"{counts.stories:,}"
    assert metrics[f"Reports ({scope})"] == f"{counts.reports:,}"
    assert by_type.layout.xaxis.title.text == f"stories ({scope})"


@pytest.mark.parametrize("combination", list(FILTERS))
def test_timeline(run_page: Any, corpus: Any, combination: str) -> None:
    params = FILTERS[combination]
    at = run_page("timeline", params)
    assert not at.exception
    view = expected_view(corpus, params)
    (figure,) = figures(at)
    points = traces(figure)
    stories = {row[0] for trace in points for row in trace.customdata}
    placed = timeline_frame(view, corpus.stories)
    assert stories == set(placed["story_id"])
    undated = undated_stories(view, placed)  # no event date and an undated article
    assert len(stories) + undated == len(set(story_keys(view.events)))
    said = re.search(rf"(?<!\d){undated} stor\w+ ha\w+ no date at all", texts(at))
    assert bool(said) == (undated > 0)
    if "type" in params:
        wanted = params["type"] if isinstance(params["type"], list) else [params["type"]]
        lanes = {lane for trace in points for lane in trace.y}
        assert lanes <= {kind.replace("_", " ") for kind in wanted}
    assert figure.layout.xaxis.rangeslider.visible
    assert "Click a point" in texts(at)  # nothing selected yet


def test_timeline_lanes_by_actor_and_unasserted_events(run_page: Any) -> None:
    at = run_page("timeline", {"unasserted": "true"})
    at.radio(key="lanes").set_value("actor").run()
    assert not at.exception
    (figure,) = figures(at)
    lanes = {lane for trace in traces(figure) for lane in trace.y}
    assert "North Korea" in lanes and "missile launch" not in lanes
    names = [trace.name for trace in traces(figure)]
    assert any(name.endswith("(not asserted)") for name in names)


@pytest.mark.parametrize("combination", list(FILTERS))
def test_cooccurrence(run_page: Any, combination: str) -> None:
    at = run_page("cooccurrence", FILTERS[combination])
    assert not at.exception
    (figure,) = figures(at)
    heatmap, cells = figure.data
    assert heatmap.type == "heatmap" and cells.type == "scatter"
    labels = list(heatmap.x)
    assert 2 <= len(labels) <= 25
    assert {at.selectbox(key="a").value, at.selectbox(key="b").value} <= set(labels)
    assert len(at.dataframe) == 1  # the sentences behind the chosen pair
    sentences = at.dataframe[0].value
    assert len(sentences) > 0 and sentences["sentence"].str.len().min() > 0


def test_cooccurrence_options(run_page: Any, corpus: Any) -> None:
    at = run_page("cooccurrence", {"scope": "article", "metric": "count", "top": "10"})
    at.multiselect(key="etype").set_value(["country"]).run()
    assert not at.exception
    (figure,) = figures(at)
    heatmap = figure.data[0]
    countries = set(corpus.mentions.loc[corpus.mentions["entity_type"] == "country", "entity_name"])
    assert len(heatmap.x) == 10 and set(heatmap.x) <= countries
    assert heatmap.colorbar.title.text == "count"
    # Choosing a pair lists the sentences of articles naming both.
    at.selectbox(key="a").set_value("Russia").run()
    at.selectbox(key="b").set_value("Japan").run()
    table = at.dataframe[0].value
    assert set(table["mentions"]) <= {"Russia", "Japan", "Russia, Japan"}


@pytest.mark.parametrize("combination", list(FILTERS))
def test_map(run_page: Any, corpus: Any, combination: str) -> None:
    params = FILTERS[combination]
    at = run_page("map", params)
    assert not at.exception
    view = expected_view(corpus, params)
    frame, unplaced = map_frame(view)
    (figure,) = figures(at)
    points = [t for t in figure.data if t.type == "scattergeo"]
    assert sum(len(t.lat) for t in points) == len(frame)
    assert {t.name for t in points} == {k.replace("_", " ") for k in frame["event_type"]}
    # Every placed story is drawn once per type at its place; none is lost or invented.
    drawn = sum(int(row[3]) for t in points for row in t.customdata)
    assert drawn == int(frame["stories"].sum())
    (chart,) = at.get("plotly_chart")
    assert json.loads(chart.proto.config)["topojsonURL"] == "/app/static/topojson/"
    said = texts(at)
    assert bool(re.search(rf"(?<!\d){unplaced:,} stor", said)) == (unplaced > 0)
    # The evidence below is the chosen marker's sentences, with a link to the reader.
    place_id, kind = at.query_params["place"], at.query_params["ptype"]
    evidence = at.dataframe[0].value
    expected = view.events[
        (view.events["location"] == place_id) & (view.events["event_type"] == kind)
    ]
    assert len(evidence) == len(expected) > 0
    assert evidence["reader"].str.startswith("articles?").all()
    assert evidence["reader"].str.contains("article=").all()


def test_map_place_from_a_link(run_page: Any, corpus: Any) -> None:
    at = run_page("map", {"place": "place:hokkaido", "ptype": "missile_launch"})
    assert not at.exception
    assert at.selectbox(key="map_pick").value == "place:hokkaido|missile_launch"
    assert set(at.dataframe[0].value["event_type"]) == {"missile launch"}


@pytest.mark.parametrize("combination", list(FILTERS))
def test_articles(run_page: Any, corpus: Any, combination: str) -> None:
    params = FILTERS[combination]
    at = run_page("articles", params)
    assert not at.exception
    view = expected_view(corpus, params)
    listing = at.dataframe[0].value
    assert sorted(listing["article_id"]) == sorted(view.articles["article_id"])
    reader = "".join(element.proto.body for element in at.html)
    assert 'class="fp-article"' in reader and "<mark" in reader
    chosen = at.query_params["article"]
    assert chosen == listing["article_id"].iloc[0]


@pytest.mark.parametrize("page", ["overview", "timeline", "cooccurrence", "map", "articles"])
def test_nothing_matches_gives_an_empty_state(run_page: Any, page: str) -> None:
    at = run_page(page, NOTHING)
    assert not at.exception
    assert "match these filters" in texts(at)
    assert [button.label for button in at.button if button.label == "Clear filters"]
    assert not figures(at) or page == "overview"


def test_clear_filters_brings_the_corpus_back(run_page: Any) -> None:
    at = run_page("timeline", NOTHING)
    assert not figures(at)
    at.button(key="timeline_empty_clear").click().run()
    assert not at.exception
    assert figures(at) and at.date_input(key="since").value is None


def test_a_link_sets_the_sidebar(run_page: Any) -> None:
    at = run_page(
        "timeline",
        {"country": ["North Korea", "Atlantis"], "type": "nuclear_test", "since": "2016-06-01"},
    )
    assert not at.exception
    assert at.multiselect(key="country").value == ["North Korea"]  # unknown names dropped
    assert at.multiselect(key="type").value == ["nuclear_test"]
    assert str(at.date_input(key="since").value) == "2016-06-01"
    assert at.date_input(key="until").value is None
    (figure,) = figures(at)
    placed = [
        (pd.Timestamp(day), symbol)
        for trace in traces(figure)
        for day, symbol in zip(trace.x, trace.marker.symbol, strict=True)
    ]
    assert placed
    # Every story lies inside the range: a "2016" story (which may be from before June)
    # is left out, a "2016-06" one is kept and drawn hollow mid-month over its span.
    assert min(day for day, _ in placed) >= pd.Timestamp("2016-06-01")
    # The sidebar changes the view the same way.
    at.multiselect(key="country").set_value(["Japan"]).run()
    assert not at.exception
    assert at.session_state["_fp_filters"] == Filters(
        countries=("Japan",), types=("nuclear_test",), since=pd.Timestamp("2016-06-01").date()
    )


def test_a_missing_corpus_explains_how_to_build_one(run_page: Any, tmp_path: Path) -> None:
    at = run_page("overview", corpus=tmp_path / "no-corpus-here")
    assert not at.exception
    assert "no corpus" in texts(at)
    assert "flashpoint ingest" in texts(at)
    assert [b for b in at.button if b.label == "Build the demo corpus"]


def script_corpus(path: Path) -> Path:
    """One article whose title and text try to inject markup."""
    text = (
        "<script>alert('x')</script> North Korea launched a missile on Tuesday. "
        "<img src=x onerror=alert(1)> Japan protested."
    )
    start = text.index("North Korea")
    articles = pd.DataFrame(
        [
            {
                "article_id": "evil",
                "external_id": None,
                "source": "<b>Source</b>",
                "url": "javascript:alert(1)",
                "title": "<script>alert('title')</script>Launch",
                "published": pd.Timestamp("2017-07-04T09:00", tz="UTC"),
                "published_precision": "datetime",
                "dateline": None,
                "text": text,
                "language": "en",
                "word_count": 15,
                "content_hash": "h",
                "duplicate_of": None,
                "origin": "test",
                "ingested_at": pd.Timestamp("2024-01-01", tz="UTC"),
            }
        ]
    )
    mentions = pd.DataFrame(
        [
            {
                "article_id": "evil",
                "sentence_idx": 0,
                "start_char": start,
                "end_char": start + len("North Korea"),
                "text": "North Korea",
                "label": "GPE",
                "entity_id": "country:PRK",
                "entity_name": "North Korea",
                "entity_type": "country",
            }
        ]
    )
    events = pd.DataFrame(
        [
            {
                "event_id": "e1",
                "article_id": "evil",
                "sentence_idx": 0,
                "start_char": 0,
                "end_char": text.index("Tuesday.") + 8,
                "event_type": "missile_launch",
                "trigger": "launched",
                "actors": ["country:PRK"],
                "participants": [],
                "weapons": [],
                "location": None,
                "event_date": "2017-07-04",
                "date_precision": "day",
                "date_basis": "relative",
                "date_text": "Tuesday",
                "modality": "asserted",
                "confidence": 0.9,
                "story_id": None,
                "is_space_launch": False,
            }
        ]
    )
    with store.writer_lock(path):
        store.commit(path, replace={"articles": articles, "mentions": mentions, "events": events})
    return path


@pytest.mark.parametrize("path", ["pandas", "index"])
def test_article_text_is_escaped_everywhere_it_is_shown(
    run_page: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setenv("FLASHPOINT_QUERY_PATH", path)
    corpus = script_corpus(tmp_path / "evil")
    at = run_page("articles", corpus=corpus)
    assert not at.exception
    html = "".join(element.proto.body for element in at.html)
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt;Launch" in html
    assert "&lt;b&gt;Source&lt;/b&gt;" in html
    assert '<mark class="fp-entity fp-country"' in html  # our own markup still there
    assert at.dataframe[0].value["url"].isna().all()  # no javascript: link in the list

    at.switch_page("pages/timeline.py").run()
    (figure,) = figures(at)
    hover = [row for trace in traces(figure) for row in trace.customdata]
    assert hover and all("<script" not in str(cell) for row in hover for cell in row)


def test_without_chromium_the_png_button_explains(
    run_page: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    at = run_page("timeline", {"country": "North Korea", "since": "2017-01-01"})
    assert not at.exception
    png = at.button(key="timeline_chart_png")
    assert png.disabled and "Chromium" in png.help
    assert "camera icon" in texts(at)
    (chart,) = at.get("plotly_chart")
    camera = json.loads(chart.proto.config)["toImageButtonOptions"]
    assert camera["filename"] == "timeline_north-korea_since-2017-01-01"
    assert (camera["width"], camera["height"]) == (1200, 700)


@pytest.mark.skipif(not chromium_available(), reason="needs Chromium/Chrome for PNG export")
def test_with_chromium_png_and_csv_downloads_are_offered(run_page: Any) -> None:
    at = run_page("timeline", {"type": "nuclear_test"})
    names = {button.proto.label for button in at.get("download_button")}
    assert names == {"Download PNG", "Download CSV", "Download filtered data"}


@pytest.mark.slow
def test_the_demo_corpus_can_be_built_from_the_page(run_page: Any, tmp_path: Path) -> None:
    target = tmp_path / "built-here"
    at = run_page("overview", corpus=target)
    next(b for b in at.button if b.label == "Build the demo corpus").click().run(timeout=900)
    assert not at.exception
    assert store.exists(target)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert int(metrics["Articles"]) > 50  # the rerun shows the new corpus


@pytest.mark.parametrize("combination", ["none", "north-korea-launches"])
def test_pages_read_through_the_query_index_show_the_same(
    run_page: Any, corpus: Any, combination: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large corpus is read through the DuckDB query index (forced here on the demo
    corpus): the pages show what the pandas path shows."""
    monkeypatch.setenv("FLASHPOINT_QUERY_PATH", "index")
    st.cache_data.clear()  # what the pandas path cached for the same filters
    params = FILTERS[combination]
    view = expected_view(corpus, params)
    at = run_page("overview", params)
    assert not at.exception
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Articles"] == f"{len(view.articles):,}"
    assert metrics["Stories (asserted)"] == f"{story_counts(view.events).stories:,}"
    at = run_page("timeline", params)
    assert not at.exception
    (figure,) = figures(at)
    stories = {row[0] for trace in traces(figure) for row in trace.customdata}
    assert stories == set(timeline_frame(view, corpus.stories)["story_id"])
    at = run_page("cooccurrence", params)
    assert not at.exception
    assert len(figures(at)) == 1 and len(at.dataframe) == 1
    at = run_page("map", params)
    assert not at.exception
    frame, _ = map_frame(view)
    (figure,) = figures(at)
    drawn = [row for t in figure.data if t.type == "scattergeo" for row in t.customdata]
    assert sorted((str(r[0]), str(r[1]), int(r[3]), int(r[4])) for r in drawn) == sorted(
        zip(frame["place_id"], frame["event_type"], frame["stories"], frame["reports"], strict=True)
    )
    assert len(at.dataframe[0].value) > 0  # the chosen marker's sentences
    at = run_page("articles", params)
    assert not at.exception
    listing = at.dataframe[0].value
    assert list(listing["article_id"]) == list(article_list(view)["article_id"])
    reader = "".join(element.proto.body for element in at.html)
    assert 'class="fp-article"' in reader and "<mark" in reader


def test_a_timeline_past_the_cap_draws_the_most_reported_and_says_so(
    run_page: Any, corpus: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flashpoint.analysis.timeline as timeline_module

    monkeypatch.setattr(timeline_module, "DRAWN_STORIES", 5)
    at = run_page("timeline")
    assert not at.exception
    placed = timeline_frame(expected_view(corpus, {}), corpus.stories)
    (figure,) = figures(at)
    stories = {row[0] for trace in traces(figure) for row in trace.customdata}
    most = set(placed.sort_values("n_reports", ascending=False)["story_id"].head(1))
    assert len(stories) <= 5 + timeline_module.LATEST_KEPT and most <= stories
    assert f"of {len(placed):,} stories" in texts(at)
    assert "Narrow the filters" in texts(at)
