"""The dashboard in a real browser: pages, links with filters, chart clicks, downloads."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from browsertools import open_page, readme_screenshot, screenshot, wait_ready
from PIL import Image
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

FILTERED = "country=North+Korea&type=missile_launch&since=2017-01-01&until=2017-12-31"
PAGES = {
    # name: (path, charts expected on the page)
    "overview": ("/", 5),
    "timeline": ("/timeline", 1),
    "cooccurrence": ("/cooccurrence", 1),
    "map": ("/map", 1),
    "articles": ("/articles", 0),
}


def chart_data(page: Page, index: int = 0) -> list[dict[str, object]]:
    """The traces Plotly is drawing in the browser."""
    return (
        page.locator(".js-plotly-plot")
        .nth(index)
        .evaluate(
            """plot => {
            // Numeric arrays arrive packed ({dtype, bdata}); Plotly keeps the typed array.
            const list = v => v == null ? [] : Array.from(v._inputArray || v);
            return plot.data.map(t => ({
                name: t.name, type: t.type, mode: t.mode, x: list(t.x), y: list(t.y), lat: list(t.lat),
                customdata: t.customdata ? list(t.customdata) : null,
            }));
        }"""
        )
    )


def query(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_renders_its_charts(
    page: Page, dashboard: str, console_errors: list[str], name: str
) -> None:
    path, charts = PAGES[name]
    open_page(page, dashboard + path)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)
    expect(page.locator("[data-testid='stPlotlyChart']")).to_have_count(charts)
    for index in range(charts):
        assert any(trace["x"] or trace["lat"] for trace in chart_data(page, index))
    if name == "articles":
        reader = page.locator(".fp-article")
        expect(reader).to_be_visible()
        assert reader.locator("mark").count() > 0  # entities highlighted
    readme_screenshot(page, name)
    screenshot(page, name)


def test_a_link_with_filters_sets_the_widgets_and_the_chart(
    page: Page, dashboard: str, console_errors: list[str]
) -> None:
    open_page(page, f"{dashboard}/timeline?{FILTERED}")
    sidebar = page.locator("[data-testid='stSidebar']")
    expect(sidebar.locator(".st-key-country [data-tag]")).to_have_text(["North Korea"])
    expect(sidebar.locator(".st-key-type [data-tag]")).to_have_text(["missile_launch"])
    expect(sidebar.locator(".st-key-since input")).to_have_value("2017-01-01")
    expect(sidebar.locator(".st-key-until input")).to_have_value("2017-12-31")
    points = [  # the stories' points (month and year spans are lines)
        trace
        for trace in chart_data(page)
        if any(x is not None for x in trace["x"]) and trace["mode"] != "lines"
    ]
    assert points
    assert {lane for trace in points for lane in trace["y"]} == {"missile launch"}
    days = pd.to_datetime([x for trace in points for x in trace["x"]])
    assert days.min() >= pd.Timestamp("2017-01-01") and days.max() <= pd.Timestamp("2017-12-31")
    screenshot(page, "timeline-filtered")

    # The filters stay with the reader from page to page, and in the URL.
    page.locator("[data-testid='stSidebarNav'] a", has_text="Co-occurrence").click()
    page.wait_for_url(re.compile(r"/cooccurrence"))
    wait_ready(page)
    assert query(page)["country"] == ["North Korea"]
    expect(sidebar.locator(".st-key-country [data-tag]")).to_have_text(["North Korea"])


def test_selecting_points_on_the_timeline_shows_their_evidence(
    page: Page, dashboard: str, console_errors: list[str]
) -> None:
    open_page(page, f"{dashboard}/timeline?{FILTERED}")
    expect(page.get_by_text("Click a point")).to_be_visible()
    chart = page.locator("[data-testid='stPlotlyChart']")
    point = chart.locator(".cartesianlayer .scatterlayer .trace .points path").first
    box = point.bounding_box()  # Plotly's drag layer takes the events: click where it is
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page.get_by_text("1 story selected")).to_be_visible(timeout=60_000)
    wait_ready(page)
    selected = chart.locator(".js-plotly-plot").evaluate(
        """plot => { for (const t of plot.data) {
            if (t.selectedpoints && t.selectedpoints.length) return t.customdata[t.selectedpoints[0]];
        } return null; }"""
    )
    assert selected is not None
    evidence_first_line = html.unescape(selected[2].split("<br>")[0])
    table = page.locator("[data-testid='stDataFrame']").last
    expect(table).to_be_visible()
    shown = table.locator("table").text_content() or ""
    assert evidence_first_line[:60] in " ".join(shown.split())

    # A box drawn over the plot selects every story inside it.
    chart.hover()
    chart.locator(".modebar-btn[data-val='select']").first.click()
    area = chart.locator(".draglayer .xy .nsewdrag").first.bounding_box()
    assert area is not None
    page.mouse.move(area["x"] + 2, area["y"] + 2)
    page.mouse.down()
    page.mouse.move(area["x"] + area["width"] - 2, area["y"] + area["height"] - 2, steps=8)
    page.mouse.up()
    expect(page.get_by_text(re.compile(r"\d+ stories selected"))).to_be_visible(timeout=60_000)
    screenshot(page, "timeline-selection")


def test_download_png_has_the_requested_size_and_name(
    page: Page, dashboard: str, console_errors: list[str], tmp_path: Path
) -> None:
    open_page(page, f"{dashboard}/timeline?country=North+Korea&since=2017-01-01&until=2017-12-31")
    page.get_by_role("button", name="PNG size").click()
    for label, value in (("Width (px)", "900"), ("Height (px)", "500")):
        field = page.get_by_label(label)
        field.fill(value)
        field.press("Enter")
        wait_ready(page)
    page.keyboard.press("Escape")
    download_button = page.locator("[data-testid='stDownloadButton']", has_text="Download PNG")
    with page.expect_download(timeout=120_000) as download_info:
        download_button.click()
    download = download_info.value
    assert download.suggested_filename == "timeline_north-korea_2017-01-01_2017-12-31.png"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    image = Image.open(target)
    image.load()  # decodes the pixels: a broken file fails here
    assert image.format == "PNG" and image.size == (900, 500)

    csv_button = page.locator("[data-testid='stDownloadButton']", has_text="Download CSV")
    with page.expect_download(timeout=60_000) as csv_info:
        csv_button.click()
    csv_download = csv_info.value
    assert csv_download.suggested_filename == "timeline_north-korea_2017-01-01_2017-12-31.csv"
    csv_path = tmp_path / "timeline.csv"
    csv_download.save_as(csv_path)
    stories = pd.read_csv(io.StringIO(csv_path.read_text(encoding="utf-8")))
    assert {"story_id", "date", "headline", "evidence", "sources"} <= set(stories.columns)
    assert len(stories) > 0 and stories["date"].str.startswith("2017").all()


def test_clicking_a_heatmap_cell_lists_its_sentences(
    page: Page, dashboard: str, console_errors: list[str]
) -> None:
    open_page(page, f"{dashboard}/cooccurrence?top=8&metric=count")
    heatmap = chart_data(page)[0]
    labels = heatmap["x"]
    assert len(labels) == 8
    area = page.locator(".draglayer .xy .nsewdrag").first.bounding_box()
    assert area is not None
    row, column = 1, 5
    page.mouse.click(
        area["x"] + area["width"] * (column + 0.5) / 8, area["y"] + area["height"] * (row + 0.5) / 8
    )
    page.wait_for_function(
        "expected => new URL(location.href).searchParams.get('a') === expected",
        arg=labels[row],
        timeout=60_000,
    )
    wait_ready(page)
    assert query(page)["b"] == [labels[column]]
    expect(page.get_by_text(f"{labels[row]} and {labels[column]}: together in")).to_be_visible()
    screenshot(page, "cooccurrence-pair")
