"""PNG export through one warm browser, CSV export, and export file names."""

from __future__ import annotations

import io
import threading
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image

from flashpoint import export
from flashpoint.analysis.filters import Filters
from flashpoint.export import (
    ExportUnavailable,
    chromium_available,
    export_filename,
    figure_to_png,
    frame_to_csv,
    legible,
)

needs_browser = pytest.mark.skipif(
    not chromium_available(), reason="PNG export needs Chromium/Chrome (none found here)"
)


def figure() -> go.Figure:
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[2, 1, 3], mode="markers", name="launches"))
    fig.update_layout(template="plotly_white", title="Launches")
    return fig


def decode(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()  # decodes every pixel: a truncated or corrupt file raises here
    return image


@needs_browser
def test_png_has_the_requested_size_and_scale() -> None:
    image = decode(figure_to_png(figure(), width=640, height=360, scale=1))
    assert image.format == "PNG" and image.size == (640, 360)
    assert decode(figure_to_png(figure(), width=500, height=300, scale=2)).size == (1000, 600)


@needs_browser
def test_png_is_drawn_with_the_figure_template() -> None:
    image = decode(figure_to_png(figure(), width=400, height=300)).convert("RGB")
    assert image.getpixel((5, 5)) == (255, 255, 255)  # plotly_white paper
    dark = go.Figure(figure()).update_layout(template="plotly_dark")
    assert decode(figure_to_png(dark, 400, 300)).convert("RGB").getpixel((5, 5)) != (255, 255, 255)


@needs_browser
def test_one_warm_browser_serves_every_request() -> None:
    figure_to_png(figure(), 300, 200)
    browser = export._RENDERER._kaleido
    assert export.renderer_running() and browser is not None
    figure_to_png(figure(), 320, 200)
    assert export._RENDERER._kaleido is browser


@needs_browser
def test_concurrent_requests_each_get_their_own_image() -> None:
    sizes = [(300 + 20 * i, 200 + 10 * i) for i in range(4)]
    results: dict[int, tuple[int, int]] = {}

    def render(index: int) -> None:
        width, height = sizes[index]
        results[index] = decode(figure_to_png(figure(), width, height)).size

    threads = [threading.Thread(target=render, args=(i,)) for i in range(len(sizes))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert results == dict(enumerate(sizes))


def test_without_a_browser_export_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    export.stop_renderer()
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    assert not chromium_available()
    assert export.start_renderer() is False
    with pytest.raises(ExportUnavailable, match="Chromium"):
        figure_to_png(figure(), 400, 300)


@pytest.mark.parametrize(
    "size", [(0, 300, 1.0), (400, 99999, 1.0), (400, 300, 0.0), (400.5, 300, 1)]
)
def test_bad_sizes_are_refused(size: tuple[float, float, float]) -> None:
    width, height, scale = size
    with pytest.raises(ValueError):
        figure_to_png(figure(), width, height, scale)  # type: ignore[arg-type]


def test_large_exports_get_larger_fonts() -> None:
    base = figure()
    assert legible(base, 1200, 700).layout.font.size is None  # unchanged below 1400 px
    big = legible(base.update_layout(font={"size": 14}), 2800, 1400)
    assert big.layout.font.size == 28
    assert (big.layout.width, big.layout.height) == (2800, 1400)
    assert base.layout.width is None  # the on-screen figure is not touched


def test_csv_is_flat_iso_dated_and_safe_for_spreadsheets() -> None:
    frame = pd.DataFrame(
        {
            "headline": ['=HYPERLINK("http://x")', "North Korea fires", "@SUM(A1)"],
            "weapons": [["Hwasong-14", "KN-20"], [], None],
            "published": pd.to_datetime(["2017-07-04T09:00Z", "2017-07-05T01:30Z", None], utc=True),
            "reports": [2, 1, 0],
        }
    )
    text = frame_to_csv(frame).decode("utf-8")
    back = pd.read_csv(io.StringIO(text), keep_default_na=False)
    assert back["headline"].tolist() == [
        '\'=HYPERLINK("http://x")',
        "North Korea fires",
        "'@SUM(A1)",
    ]
    assert back["weapons"].tolist() == ["Hwasong-14; KN-20", "", ""]
    assert back["published"].tolist()[:2] == [
        "2017-07-04T09:00:00+00:00",
        "2017-07-05T01:30:00+00:00",
    ]
    assert back["reports"].tolist() == [2, 1, 0]


def test_export_file_names_follow_the_view_and_filters() -> None:
    filters = Filters(countries=("North Korea",), since=date(2017, 1, 1), until=date(2017, 12, 31))
    assert export_filename("timeline", filters, "png") == (
        "timeline_north-korea_2017-01-01_2017-12-31.png"
    )
    assert export_filename("cooccurrence", Filters(), "csv", ("sentence", "npmi")) == (
        "cooccurrence_sentence_npmi_all.csv"
    )
    assert export_filename("Top Weapon/Systems", Filters(), ".png") == "top-weapon-systems_all.png"


def test_the_dashboard_starts_the_export_browser_only_once_the_pages_are_quiet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Chromium's start takes seconds of CPU: the warm-up waits until no page has run for
    WARM_WHEN_IDLE_S, so it does not slow down a reader's first filter changes."""
    from components import data

    clock = [100.0]
    started: list[float] = []
    # (start, end) of page runs while the warm-up waits; the last one is long
    runs = [(101.0, 102.0), (104.0, 130.0)]
    running: list[Any] = []

    def sleep(seconds: float) -> None:
        clock[0] += seconds
        if runs and not running and runs[0][0] <= clock[0]:
            context = data.page_running()
            context.__enter__()
            running.append(context)
        if running and runs[0][1] <= clock[0]:
            running.pop().__exit__(None, None, None)
            runs.pop(0)

    monkeypatch.setattr(data.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(data.time, "sleep", sleep)

    def start_renderer() -> bool:
        started.append(clock[0])
        return True

    monkeypatch.setattr(data.export, "start_renderer", start_renderer)
    monkeypatch.setattr(data, "_RUNS", {"running": 0, "ended": 100.0})
    data.start_export_browser_when_idle()
    # once, after the last run ended and the pages were quiet (polled once a second)
    assert len(started) == 1
    assert 130.0 + data.WARM_WHEN_IDLE_S <= started[0] <= 130.0 + data.WARM_WHEN_IDLE_S + 1
