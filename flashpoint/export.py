"""PNG and CSV export.

PNGs are drawn by kaleido in a headless Chromium. Starting a browser takes seconds, so one
warm Kaleido is kept per process on its own event-loop thread and every request reuses
it. (kaleido's own ``start_sync_server`` keeps one too, but its callers share one result
queue, so two sessions exporting at once could swap images, and a browser that failed to
start leaves callers waiting forever; here each request has its own future and timeout.)
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import csv
import io
import os
import re
import shlex
import threading
import zipfile
from collections.abc import Iterable
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from flashpoint.analysis.filters import Filters
from flashpoint.analysis.geo import TOPOJSON_DIR

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
START_TIMEOUT = 60.0
RENDER_TIMEOUT = 60.0
MAX_SIDE = 8000
LEGIBLE_WIDTH = 1400  # past this width, fonts grow with the image
# Cells a spreadsheet would run as formulas (CSV injection) get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportUnavailable(RuntimeError):
    """PNG export cannot run here (no Chromium/Chrome found, or it would not start)."""


def chromium_path() -> str | None:
    """The browser kaleido would use: $BROWSER_PATH, else a Chrome/Chromium on PATH."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    try:
        from choreographer.browsers.chromium import Chromium

        found = Chromium.find_browser(skip_local=False)
    except Exception:  # a broken install means "not available", not a crash
        return None
    return found if found and os.access(found, os.X_OK) else None


def chromium_available() -> bool:
    return chromium_path() is not None


class _WarmRenderer:
    """One Kaleido (one browser, one tab) on a private event loop, started on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def _start(self) -> None:
        import kaleido

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="flashpoint-kaleido", daemon=True)
        thread.start()

        async def open_browser() -> Any:
            browser = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT, mathjax=False)
            await browser.open()
            return browser

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(
                START_TIMEOUT
            )
        except BaseException as error:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(5)
            raise ExportUnavailable(f"the browser for PNG export did not start: {error}") from error
        self._loop, self._thread = loop, thread

    def ensure_started(self) -> None:
        with self._lock:
            if self._kaleido is None:
                if not chromium_available():
                    raise ExportUnavailable(
                        "PNG export needs Chromium or Google Chrome (none found; install the "
                        "`chromium` package or set BROWSER_PATH)"
                    )
                self._start()

    def render(
        self, figure: dict[str, Any], opts: dict[str, Any], topojson: str | None = None
    ) -> bytes:
        for attempt in (1, 2):
            self.ensure_started()
            loop, browser = self._loop, self._kaleido
            assert loop is not None
            future = asyncio.run_coroutine_threadsafe(
                browser.calc_fig(figure, opts=opts, topojson=topojson), loop
            )
            try:
                result = future.result(RENDER_TIMEOUT + 5)
            except (FutureTimeout, Exception) as error:
                future.cancel()
                self.stop()  # a wedged or dead browser: start afresh next time
                if attempt == 2:
                    raise ExportUnavailable(f"PNG rendering failed: {error}") from error
                continue
            return bytes(result)
        raise AssertionError("unreachable")

    def stop(self) -> None:
        with self._lock:
            loop, browser, thread = self._loop, self._kaleido, self._thread
            self._loop = self._kaleido = self._thread = None
        if loop is None:
            return
        if browser is not None:
            with contextlib.suppress(Exception):
                asyncio.run_coroutine_threadsafe(browser.close(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        if thread is not None:
            thread.join(5)


_RENDERER = _WarmRenderer()
atexit.register(_RENDERER.stop)


def start_renderer() -> bool:
    """Warm the browser now (the dashboard does this once per server process). False when
    there is no browser; never raises."""
    try:
        _RENDERER.ensure_started()
    except ExportUnavailable:
        return False
    return True


def stop_renderer() -> None:
    _RENDERER.stop()


def renderer_running() -> bool:
    return _RENDERER.running


def legible(fig: go.Figure, width: int, height: int) -> go.Figure:
    """A copy at the export size; fonts grow past 1400 px wide so a large image shown
    shrunk to a page is still readable."""
    copy = go.Figure(fig)
    factor = max(1.0, width / LEGIBLE_WIDTH)
    if factor > 1.0:
        base = copy.layout.font.size or 13
        copy.update_layout(font={"size": round(base * factor)})
    copy.update_layout(width=width, height=height)
    return copy


def _check_size(width: int, height: int, scale: float) -> None:
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, (int, np.integer)) or not 50 <= int(value) <= MAX_SIDE:
            raise ValueError(f"{name} must be a whole number of pixels from 50 to {MAX_SIDE}")
    if not 0.1 <= float(scale) <= 10 or int(width * scale) > 4 * MAX_SIDE:
        raise ValueError("scale must be from 0.1 to 10 (and the image at most 32000 px wide)")


def topojson_for(fig: go.Figure) -> str | None:
    """The shipped world outlines for a map (a file URL kaleido's browser can read), so a
    map's PNG is drawn offline too; None for charts without a map."""
    if not any(trace.type in ("scattergeo", "choropleth") for trace in fig.data):
        return None
    return TOPOJSON_DIR.as_uri() + "/"


def figure_to_png(
    fig: go.Figure, width: int = 1200, height: int = 700, scale: float = 1.0
) -> bytes:
    """The figure as PNG bytes, ``width*scale`` × ``height*scale`` pixels.

    Raises :class:`ExportUnavailable` when no browser can render it.
    """
    _check_size(width, height, scale)
    sized = legible(fig, int(width), int(height))
    png = _RENDERER.render(
        sized.to_plotly_json(),
        {"format": "png", "width": int(width), "height": int(height), "scale": float(scale)},
        topojson=topojson_for(fig),
    )
    if not png.startswith(PNG_SIGNATURE):
        raise ExportUnavailable("the renderer returned something that is not a PNG")
    return png


def _flat_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return "; ".join(str(item) for item in value)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV of the data behind a chart: list cells joined with "; ", timestamps in
    ISO 8601, and text that a spreadsheet would run as a formula defused."""
    flat = frame.copy()
    for column in flat.columns:
        series = flat[column]
        if pd.api.types.is_datetime64_any_dtype(series):
            flat[column] = series.map(lambda t: t.isoformat() if pd.notna(t) else "")
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            flat[column] = series.astype("object").map(_flat_cell)
    buffer = io.StringIO()
    flat.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def export_filename(view: str, filters: Filters, ext: str, extra: Iterable[str] = ()) -> str:
    """``timeline_north-korea_2017-01-01_2017-12-31.png``: the view, the filters, the type."""
    stem = re.sub(r"[^a-z0-9-]+", "-", view.casefold()).strip("-") or "chart"
    parts = [stem, *(re.sub(r"[^a-z0-9-]+", "-", e.casefold()).strip("-") for e in extra)]
    return "_".join(p for p in parts if p) + "_" + filters.slug() + "." + ext.lstrip(".")


FILTERED_TABLES = ("events", "stories")


def filtered_tables_zip(corpus: Any, filters: Filters) -> bytes:
    """The filtered events and stories tables (what ``flashpoint events [--stories]`` writes
    for the same filters) as CSV and Parquet in one zip, with a note of the filters. CSV
    cells a spreadsheet would run as formulas are defused, as in every CSV export here."""
    from flashpoint.analysis.tables import events_export, stories_export

    tables = {"events": events_export(corpus, filters), "stories": stories_export(corpus, filters)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            archive.writestr(f"{name}.csv", frame_to_csv(frame))
            parquet = io.BytesIO()
            frame.to_parquet(parquet, index=False)
            archive.writestr(f"{name}.parquet", parquet.getvalue())
        command = shlex.join(["flashpoint", "events", *filters.to_args()])
        archive.writestr(
            "README.txt",
            f"Flashpoint export, filters: {filters.slug()}\n"
            f"events.*: {len(tables['events'])} event mentions (one row per sentence read "
            f"as an event)\nstories.*: {len(tables['stories'])} stories (one row per "
            f"real-world event)\nThe same tables on the command line: {command} "
            "[--stories] --format csv|parquet\n",
        )
    return buffer.getvalue()
