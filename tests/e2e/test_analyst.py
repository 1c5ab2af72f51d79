"""What an analyst does in the browser: the map offline, honest counts, dates that are
only a month or a year, drill-down into the reader, shared links, the filtered data."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from browsertools import open_page, screenshot, wait_ready
from playwright.sync_api import Page, Route, expect

from flashpoint import store
from flashpoint.analysis.articles import article_list
from flashpoint.analysis.counts import story_counts
from flashpoint.analysis.filters import Filters, apply_filters
from flashpoint.analysis.tables import events_export, stories_export
from flashpoint.analysis.timeline import timeline_frame
from flashpoint.cli import main

pytestmark = pytest.mark.e2e
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")


@pytest.fixture(scope="module")
def corpus(e2e_corpus: Path) -> Any:
    return store.load_corpus(e2e_corpus)


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def story_ids_drawn(page: Page) -> set[str]:
    return set(
        page.locator(".js-plotly-plot").first.evaluate(
            """plot => plot.data.filter(t => t.customdata && t.mode === 'markers')
                .flatMap(t => Array.from(t.customdata).map(row => row[0]))"""
        )
    )


def test_the_map_draws_its_points_with_no_internet(
    page: Page, dashboard: str, console_errors: list[str]
) -> None:
    outside: list[str] = []

    def local_only(route: Route) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOCAL_HOSTS or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    open_page(page, dashboard + "/map")
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    chart = page.locator("[data-testid='stPlotlyChart']")
    # The world outlines came from the app itself: countries are drawn…
    borders = chart.locator(".geo .countries path").first
    expect(borders).to_be_attached(timeout=60_000)
    assert len(borders.get_attribute("d") or "") > 10_000  # every border, not an empty path
    # …and so are the events, one marker per place and type.
    markers = chart.locator(".geo .scatterlayer .point")
    expect(markers.first).to_be_visible()
    assert markers.count() > 10
    screenshot(page, "map")

    # A click on a marker lists that place's sentences.
    box = markers.first.bounding_box()
    assert box is not None
    before = query(page).get("place")
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(500)
    wait_ready(page)
    place = query(page)["place"][0]
    assert place.startswith(("place:", "country:"))
    evidence = page.locator("[data-testid='stDataFrame']").last
    expect(evidence).to_be_visible()
    assert before is None or place  # the click set (or kept) a place in the URL
    assert not [url for url in outside if "cdn.plot.ly" in url]
    assert not [url for url in outside if "topojson" in url]


def test_a_date_filter_leaves_out_a_year_dated_story_that_runs_past_it(
    page: Page, dashboard: str, corpus: Any, console_errors: list[str]
) -> None:
    year = timeline_frame(apply_filters(corpus, Filters()), corpus.stories)
    year = year[(year["date_precision"] == "year") & (year["date"] == pd.Timestamp("2017-01-01"))]
    assert len(year), "the demo corpus has stories dated only '2017'"
    story = str(year["story_id"].iloc[0])

    open_page(page, f"{dashboard}/timeline?since=2017-01-01&until=2017-06-30")
    assert story not in story_ids_drawn(page)
    open_page(page, f"{dashboard}/timeline?since=2017-01-01&until=2017-12-31")
    assert story in story_ids_drawn(page)
    # Drawn as a span over the year, its point in the middle.
    spans = page.locator(".js-plotly-plot").first.evaluate(
        "plot => plot.data.filter(t => t.mode === 'lines' && t.x.some(v => v !== null)).length"
    )
    assert spans == 1


def test_clicking_a_row_in_articles_opens_it_in_the_reader(
    page: Page, dashboard: str, corpus: Any, console_errors: list[str]
) -> None:
    listing = article_list(apply_filters(corpus, Filters(countries=("Japan",))))
    open_page(page, f"{dashboard}/articles?country=Japan")
    assert query(page)["article"] == [listing["article_id"].iloc[0]]
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    assert box is not None
    row = 3  # the fourth article; rows are 35 px under a 35 px header
    page.mouse.click(box["x"] + box["width"] * 0.45, box["y"] + 35 * (row + 1) + 17)
    page.wait_for_function(
        "id => new URL(location.href).searchParams.get('article') === id",
        arg=listing["article_id"].iloc[row],
        timeout=60_000,
    )
    wait_ready(page)
    title = str(listing["title"].iloc[row])
    expect(page.locator(".fp-reader-head h3")).to_have_text(title)
    assert query(page)["country"] == ["Japan"]  # the filters stay


def test_a_selected_story_and_a_heatmap_pair_survive_a_reload(
    page: Page, dashboard: str, console_errors: list[str]
) -> None:
    open_page(page, f"{dashboard}/timeline?country=North+Korea&type=missile_launch&since=2017")
    chart = page.locator("[data-testid='stPlotlyChart']")
    point = chart.locator(".cartesianlayer .scatterlayer .trace .points path").last
    box = point.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_text("1 story selected")).to_be_visible(timeout=60_000)
    wait_ready(page)
    (story,) = query(page)["story"]
    evidence = page.locator("[data-testid='stDataFrame']").last
    shown = evidence.locator("table").text_content() or ""

    copied = page.url
    page.goto("about:blank")
    open_page(page, copied)
    expect(page.get_by_text("1 story selected")).to_be_visible()
    assert query(page)["story"] == [story]
    again = page.locator("[data-testid='stDataFrame']").last.locator("table").text_content()
    assert again == shown

    open_page(page, f"{dashboard}/cooccurrence?top=8&metric=count&a=Japan&b=Russia")
    page.reload()
    wait_ready(page)
    assert query(page)["a"] == ["Japan"] and query(page)["b"] == ["Russia"]
    expect(page.get_by_text("Japan and Russia: together in")).to_be_visible()


def test_the_filtered_data_downloads_as_csv_and_parquet(
    page: Page, dashboard: str, corpus: Any, console_errors: list[str], tmp_path: Path
) -> None:
    open_page(page, f"{dashboard}/?country=North+Korea&since=2017-01-01")
    button = page.locator("[data-testid='stSidebar'] [data-testid='stDownloadButton']")
    with page.expect_download(timeout=120_000) as download_info:
        button.filter(has_text="Download filtered data").click()
    download = download_info.value
    assert download.suggested_filename == "flashpoint-data_north-korea_since-2017-01-01.zip"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    filters = Filters(countries=("North Korea",), since=pd.Timestamp("2017-01-01").date())
    expected_events = events_export(corpus, filters)
    expected_stories = stories_export(corpus, filters)
    with zipfile.ZipFile(target) as archive:
        events_csv = pd.read_csv(io.BytesIO(archive.read("events.csv")))
        events_parquet = pd.read_parquet(io.BytesIO(archive.read("events.parquet")))
        stories_parquet = pd.read_parquet(io.BytesIO(archive.read("stories.parquet")))
    assert len(events_csv) == len(events_parquet) == len(expected_events) > 0
    assert len(stories_parquet) == len(expected_stories) > 0
    assert set(events_parquet["event_id"]) == set(expected_events["event_id"])


def test_every_count_names_stories_or_reports_as_flashpoint_stats_does(
    page: Page,
    dashboard: str,
    e2e_corpus: Path,
    corpus: Any,
    console_errors: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["stats", "--corpus", str(e2e_corpus), "--country", "North Korea"]) == 0
    printed = capsys.readouterr().out
    stories = int(re.search(r"^stories +(\d+) \(asserted\)", printed, re.MULTILINE)[1])  # type: ignore[index]
    reports = int(re.search(r"^reports +(\d+) \(asserted;", printed, re.MULTILINE)[1])  # type: ignore[index]

    open_page(page, f"{dashboard}/?country=North+Korea")
    # a cold server under load may still be drawing the overview when the script settles
    page.locator("[data-testid='stMetricLabel']", has_text="Stories (asserted)").wait_for(
        timeout=60_000
    )
    metrics = {
        (m.locator("[data-testid='stMetricLabel']").text_content() or "").strip(): (
            m.locator("[data-testid='stMetricValue']").text_content() or ""
        ).strip()
        for m in page.locator("[data-testid='stMetric']").all()
    }
    assert metrics["Stories (asserted)"] == f"{stories:,}"
    assert metrics["Reports (asserted)"] == f"{reports:,}"
    by_type = page.locator(".js-plotly-plot").nth(1)
    assert by_type.evaluate("plot => plot.layout.xaxis.title.text") == "stories (asserted)"
    bars = by_type.evaluate("plot => Array.from(plot.data[0].x._inputArray || plot.data[0].x)")
    assert sum(bars) == stories
    expected = story_counts(apply_filters(corpus, Filters(countries=("North Korea",))).events)
    assert (expected.stories, expected.reports) == (stories, reports)
