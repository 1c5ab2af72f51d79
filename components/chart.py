"""A chart with its exports: the Plotly chart, "Download PNG", "Download CSV" and the PNG
size. Rendered with ``theme=None`` so the figure's own template is what the screen and
the PNG share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from components import data
from flashpoint.analysis.filters import Filters
from flashpoint.charts import on_dark_background
from flashpoint.export import export_filename, figure_to_png, frame_to_csv

DEFAULT_SIZE = (1200, 700, 1.0)
NO_BROWSER = (
    "PNG export needs Chromium or Google Chrome on the server, and none was found "
    "(install the `chromium` package). The camera icon in the chart's toolbar still "
    "saves a PNG from your browser."
)


def _png_size(key: str) -> tuple[int, int, float]:
    """The size chosen in this chart's "PNG size" popover (last run's values)."""
    width, height, scale = DEFAULT_SIZE
    return (
        int(st.session_state.get(f"{key}_png_width", width)),
        int(st.session_state.get(f"{key}_png_height", height)),
        float(st.session_state.get(f"{key}_png_scale", scale)),
    )


def dark_theme() -> bool:
    """Whether the reader's dashboard is in Streamlit's dark theme (their setting, or their
    system's): charts then follow it on screen."""
    try:
        return st.context.theme.type == "dark"
    except AttributeError:  # outside a browser session (AppTest)
        return False


def _render_png(figure: go.Figure, width: int, height: int, scale: float) -> bytes:
    # Runs on click, outside the script run: everything it needs is bound by partial. The
    # figure itself is bound, not a copy: nothing changes it after render_chart (the dark
    # screen version is a copy), and a snapshot (``to_dict``, a deep copy) cost 15-75 ms
    # per chart on every run of the page, clicked or not, on the full real corpus.
    return figure_to_png(go.Figure(figure), width=width, height=height, scale=scale)


def render_chart(
    fig: go.Figure,
    frame: pd.DataFrame,
    *,
    view: str,
    filters: Filters,
    key: str,
    extra: Iterable[str] = (),
    on_select: str | Callable[[], None] = "ignore",
    selection_mode: str | tuple[str, ...] = ("points", "box", "lasso"),
    plotly_config: dict[str, Any] | None = None,
    compact: bool = False,
) -> Any:
    """Draw ``fig`` and its export buttons; returns the selection state when ``on_select``
    is set. ``plotly_config`` adds to Plotly's config (a map's ``topojsonURL``); ``compact``
    stacks the buttons for a chart in a narrow column. The PNG is always the light figure;
    on screen the chart follows Streamlit's light or dark theme."""
    extra = tuple(extra)
    png_name = export_filename(view, filters, "png", extra)
    csv_name = export_filename(view, filters, "csv", extra)
    width, height, scale = _png_size(key)
    config = {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": png_name.removesuffix(".png"),
            "width": width,
            "height": height,
            "scale": scale,
        },
        **(plotly_config or {}),
    }
    kwargs: dict[str, Any] = {"theme": None, "key": key, "config": config, "width": "stretch"}
    if on_select != "ignore":
        kwargs.update(on_select=on_select, selection_mode=selection_mode)
    state = st.plotly_chart(on_dark_background(fig) if dark_theme() else fig, **kwargs)

    # Side by side under a wide chart; in a narrow column, one under another, so each
    # button keeps its whole label.
    if compact:
        png_column = csv_column = size_column = st.container()
    else:
        png_column, csv_column, size_column, _ = st.columns(
            [1, 1, 1, 3], vertical_alignment="center"
        )
    with png_column:
        if data.export_ready():
            st.download_button(
                "Download PNG",
                data=partial(_render_png, fig, width, height, scale),
                file_name=png_name,
                mime="image/png",
                key=f"{key}_png",
                on_click="ignore",
                icon=":material/image:",
                help=f"{width}×{height} px at scale {scale:g}, rendered on the server",
            )
        else:
            st.button(
                "Download PNG",
                key=f"{key}_png",
                disabled=True,
                icon=":material/image:",
                help=NO_BROWSER,
            )
    with csv_column:
        st.download_button(
            "Download CSV",
            data=partial(frame_to_csv, frame.copy()),
            file_name=csv_name,
            mime="text/csv",
            key=f"{key}_csv",
            on_click="ignore",
            icon=":material/table:",
            help="The data behind this chart",
        )
    with size_column, st.popover("PNG size", icon=":material/aspect_ratio:"):
        st.number_input("Width (px)", 300, 6000, DEFAULT_SIZE[0], step=100, key=f"{key}_png_width")
        st.number_input("Height (px)", 200, 6000, DEFAULT_SIZE[1], step=50, key=f"{key}_png_height")
        st.number_input(
            "Scale",
            0.5,
            4.0,
            DEFAULT_SIZE[2],
            step=0.5,
            key=f"{key}_png_scale",
            help="2 doubles the pixels at the same layout (for print)",
        )
    if not data.export_ready():
        st.caption(NO_BROWSER)
    return state
