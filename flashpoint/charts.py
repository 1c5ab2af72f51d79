"""Plotly figures: DataFrame in, ``go.Figure`` out.

Every figure carries one explicit template, so the chart on screen (drawn with
``st.plotly_chart(fig, theme=None)``) and the PNG rendered on the server look alike.
Text from articles (headlines, sentences) goes into hover labels HTML-escaped: Plotly
renders a subset of HTML there.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from flashpoint.analysis.cooccurrence import (
    DEFAULT_ENTITY_TYPES,
    METRIC_LABELS,
    Cooccurrence,
    cooccurrence,
)
from flashpoint.analysis.counts import plural
from flashpoint.analysis.filters import EntityCatalog, Filters, apply_filters, describe
from flashpoint.analysis.overview import ALL_ARTICLES, volume
from flashpoint.analysis.timeline import TIMELINE_COLUMNS, key_events, timeline_frame
from flashpoint.schema import EVENT_TYPES

TEMPLATE = "plotly_white"
# Plotly attaches its default template to a new figure as it is, already validated;
# assigning a template by name validates and deep-copies it again on every figure (about
# 50 ms each, most of what a small chart costs to build). Every figure here uses TEMPLATE,
# so it is the default, and each figure still carries it in its layout.
pio.templates.default = TEMPLATE
FONT = {"family": "Arial, Helvetica, sans-serif", "size": 13, "color": "#1f2937"}
CHART_KINDS: tuple[str, ...] = ("timeline", "cooccurrence", "volume")
LANES: tuple[str, ...] = ("type", "actor")

# Colours a reader of this beat expects; any other country gets the next palette colour.
COUNTRY_COLOURS: dict[str, str] = {
    "North Korea": "#d62728",
    "South Korea": "#1f77b4",
    "United States": "#17365d",
    "China": "#ff7f0e",
    "Russia": "#9467bd",
    "Japan": "#e377c2",
    "Unknown": "#9ca3af",
}
PALETTE: tuple[str, ...] = (
    "#2ca02c",
    "#8c564b",
    "#bcbd22",
    "#17becf",
    "#7f7f7f",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#c5b0d5",
    "#c49c94",
)
TYPE_SYMBOLS: dict[str, str] = {
    "missile_launch": "triangle-up",
    "nuclear_test": "star",
    "deployment": "square",
    "meeting": "circle",
    "exercise": "diamond",
    "sanction": "x",
}
TYPE_COLOURS: dict[str, str] = {
    "missile_launch": "#d62728",
    "nuclear_test": "#7f1d1d",
    "deployment": "#1f77b4",
    "meeting": "#2ca02c",
    "exercise": "#ff7f0e",
    "sanction": "#6b7280",
}
UNASSERTED_OPACITY = 0.35


DARK = {"background": "#0e1117", "plot": "#161a23", "text": "#e5e7eb", "grid": "#2d3340"}


def on_dark_background(fig: go.Figure) -> go.Figure:
    """A copy of ``fig`` for a dark screen (the dashboard in Streamlit's dark theme).
    Exports keep using the light original, so a PNG looks the same whatever the theme."""
    dark = go.Figure(fig)
    dark.update_layout(
        template="plotly_dark",
        paper_bgcolor=DARK["background"],
        plot_bgcolor=DARK["plot"],
        font={"color": DARK["text"]},
    )
    dark.update_xaxes(gridcolor=DARK["grid"], zerolinecolor=DARK["grid"])
    dark.update_yaxes(gridcolor=DARK["grid"], zerolinecolor=DARK["grid"])
    if any(trace.type == "scattergeo" for trace in dark.data):
        dark.update_geos(
            bgcolor=DARK["background"],
            landcolor="#1f2937",
            oceancolor="#111827",
            countrycolor="#6b7280",
            coastlinecolor="#6b7280",
        )
    return dark


def type_label(event_type: object) -> str:
    return str(event_type).replace("_", " ")


def country_colours(countries: Sequence[str]) -> dict[str, str]:
    """Fixed colours for the usual countries, the palette in order for the rest."""
    colours: dict[str, str] = {}
    spare = iter(PALETTE * (1 + len(countries) // len(PALETTE)))
    for country in countries:
        colours[country] = COUNTRY_COLOURS.get(country) or next(spare)
    return colours


def _escape_wrapped(value: object, width: int = 80, limit: int = 400) -> str:
    """Escaped for Plotly's hover HTML, wrapped to lines of ``width``."""
    text = " ".join(str(value if isinstance(value, str) else "").split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return "<br>".join(html.escape(line) for line in _wrap(text, width)) or "–"


def _wrap(text: str, width: int) -> list[str]:
    """``textwrap.wrap(text, width)`` for text whose whitespace is single spaces: the same
    lines, packed greedily without textwrap's regular expressions (a timeline's hover
    text is thousands of these). Text with hyphens or a word longer than a line goes to
    textwrap itself, which breaks those its own way."""
    words = text.split()
    if "-" in text or " ".join(words) != text or any(len(word) > width for word in words):
        return textwrap.wrap(text, width)
    lines: list[str] = []
    line = ""
    for word in words:
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _base_layout(fig: go.Figure, *, title: str | None, height: int) -> None:
    fig.update_layout(
        font=FONT,
        height=height,
        title={"text": html.escape(title), "x": 0.01, "xanchor": "left"} if title else None,
        margin={"l": 10, "r": 10, "t": 60 if title else 30, "b": 10},
        hoverlabel={"align": "left", "font": {"family": FONT["family"], "size": 12}},
    )


def empty_figure(
    message: str = "Nothing matches these filters", *, title: str | None = None
) -> go.Figure:
    fig = go.Figure()
    _base_layout(fig, title=title, height=360)
    fig.add_annotation(
        text=html.escape(message),
        showarrow=False,
        font={"size": 16, "color": "#6b7280"},
        xref="paper",
        yref="paper",
        x=0.5,
        y=0.5,
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def _marker_size(reports: pd.Series) -> list[float]:
    return [min(9.0 + 5.0 * math.sqrt(max(int(n), 1) - 1), 36.0) for n in reports]


def focus_range(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The reporting period (plus a margin) when some stories lie far before it.

    Articles recall old events ("the 2006 test"); they are kept on the timeline but the
    first view opens on the period the corpus covers. The range slider reaches the rest.
    """
    if frame.empty or "first_reported" not in frame:
        return None
    reported = pd.to_datetime(frame["first_reported"], utc=True, errors="coerce").dropna()
    if reported.empty:
        return None
    dates = pd.to_datetime(frame["date"], errors="coerce").dropna()
    start = reported.min().tz_localize(None).normalize() - pd.Timedelta(days=60)
    if dates.empty or dates.min() >= start:
        return None
    end = max(dates.max(), reported.max().tz_localize(None)) + pd.Timedelta(days=15)
    return start, end


def _mark_key_events(fig: go.Figure, marks: pd.DataFrame, start: Any, end: Any) -> None:
    """Dotted vertical lines, labelled at the top, for catalogued landmarks in range.

    All lines and labels are added in one layout update: Plotly validates the whole list
    of shapes (and of annotations) again on each ``add_shape``, so adding them one by one
    costs the square of their number."""
    if marks is None or marks.empty:
        return
    inside = marks[(marks["date"] >= start) & (marks["date"] <= end)]
    shapes: list[dict[str, Any]] = []
    annotations: list[dict[str, Any]] = []
    for day, short, label, kind in zip(
        inside["date"], inside["short"], inside["label"], inside["event_type"], strict=True
    ):
        colour = TYPE_COLOURS.get(kind, "#6b7280")
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": day,
                "x1": day,
                "y0": 0,
                "y1": 1,
                "line": {"color": colour, "width": 1, "dash": "dot"},
                "opacity": 0.6,
                "layer": "below",
            }
        )
        annotations.append(
            {
                "x": day,
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "yanchor": "top",
                "text": html.escape(short),
                "hovertext": html.escape(f"{label} ({day:%Y-%m-%d})"),
                "showarrow": False,
                "textangle": -90,
                "xanchor": "right",
                "font": {"size": 10, "color": colour},
            }
        )
    if shapes:
        fig.update_layout(
            shapes=[*fig.layout.shapes, *shapes],
            annotations=[*fig.layout.annotations, *annotations],
        )


def timeline_figure(
    frame: pd.DataFrame,
    lanes: str = "type",
    *,
    title: str | None = None,
    height: int | None = None,
    key_events: pd.DataFrame | None = None,
) -> go.Figure:
    """Stories over time: lanes by event type or by actor, colour by actor country, marker
    by type, size by reports, hollow for uncertain dates, faded for unasserted events; a
    story dated by month or year is a grey bar over its period with its point mid-bar;
    ``key_events`` (see :func:`flashpoint.analysis.timeline.key_events`) dotted lines.

    Each point's ``customdata[0]`` is its story id (what a selection returns).
    """
    if lanes not in LANES:
        raise ValueError(f"lanes must be one of {', '.join(LANES)}, not {lanes!r}")
    if frame.empty:
        return empty_figure("No stories match these filters", title=title)
    frame = frame.copy()
    if lanes == "type":
        present = [t for t in EVENT_TYPES if t in set(frame["event_type"])]
        frame["lane"] = frame["event_type"].map(type_label)
        lane_order = [type_label(t) for t in present]
    else:
        frame["lane"] = frame["actor"].astype(str)
        lane_order = list(
            frame["lane"].value_counts().sort_index().sort_values(ascending=False).index
        )
    countries = list(frame["actor_country"].value_counts().index)
    colours = country_colours(countries)
    hover = (
        "<b>%{customdata[1]}</b><br>"
        "%{customdata[5]} · %{customdata[8]} · %{customdata[6]}<br>"
        "<i>%{customdata[2]}</i><br>"
        "Actors: %{customdata[9]}<br>"
        "Weapons: %{customdata[3]}<br>"
        "Sources (%{customdata[7]}): %{customdata[4]}"
        "<extra>%{fullData.name}</extra>"
    )
    fig = go.Figure()
    # A story dated only by month or year is a span, not a day: a bar across the period,
    # with its point in the middle (hollow: the day is not known).
    start = pd.to_datetime(frame["date"])
    end = pd.to_datetime(frame["date_end"]) if "date_end" in frame else start
    end = end.where(end.notna(), start)
    frame["x"] = start + (end - start) / 2
    spans = frame[end > start]
    if len(spans):
        xs: list[Any] = []
        ys: list[Any] = []
        for first, last, lane in zip(
            start[spans.index], end[spans.index], spans["lane"], strict=True
        ):
            xs += [first, last + pd.Timedelta(hours=23, minutes=59), None]
            ys += [lane, lane, None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="month or year (span)",
                line={"color": "rgba(107,114,128,0.35)", "width": 7},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    for country in countries:
        for asserted in (True, False):
            rows = frame[(frame["actor_country"] == country) & (frame["asserted"] == asserted)]
            if rows.empty:
                continue
            symbols = [
                TYPE_SYMBOLS.get(kind, "circle") + ("-open" if uncertain else "")
                for kind, uncertain in zip(rows["event_type"], rows["uncertain"], strict=True)
            ]
            # An object array, not a list of tuples: Plotly checks a list element by element.
            customdata = np.array(
                list(
                    zip(
                        rows["story_id"],
                        [_escape_wrapped(h, 70, 200) for h in rows["headline"]],
                        [_escape_wrapped(e) for e in rows["evidence"]],
                        [_escape_wrapped(w or "–", 70, 200) for w in rows["weapons"]],
                        [_escape_wrapped(s or "–", 70, 200) for s in rows["sources"]],
                        [html.escape(str(d)) for d in rows["date_label"]],
                        rows["modality"].astype(str),
                        [plural(int(n), "report") for n in rows["n_reports"]],
                        rows["event_type"].map(type_label),
                        [_escape_wrapped(a or "–", 70, 200) for a in rows["actors"]],
                        strict=True,
                    )
                ),
                dtype=object,
            )
            fig.add_trace(
                go.Scatter(
                    x=rows["x"],
                    y=rows["lane"],
                    mode="markers",
                    name=html.escape(country if asserted else f"{country} (not asserted)"),
                    legendgroup=country,
                    showlegend=False,
                    customdata=customdata,
                    hovertemplate=hover,
                    marker={
                        "color": colours[country],
                        "symbol": symbols,
                        "size": _marker_size(rows["n_reports"]),
                        "opacity": 0.9 if asserted else UNASSERTED_OPACITY,
                        "line": {"width": 2, "color": colours[country]},
                    },
                    # Up to thousands of points whose values are made here: Plotly's
                    # per-element checks (symbols, hover rows) cost more than the rest of
                    # the figure, and the JSON sent is the same.
                    _validate=False,
                )
            )
    # Legend keys: one plain dot per country (clicking it hides the country's points),
    # and a second legend for what colour does not say: shape, hollow, faded.
    for country in countries:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=html.escape(country),
                legendgroup=country,
                marker={"symbol": "circle", "color": colours[country], "size": 10},
                hoverinfo="skip",
            )
        )
    for kind in EVENT_TYPES:
        if kind in set(frame["event_type"]):
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="markers",
                    name=type_label(kind),
                    legend="legend2",
                    marker={"symbol": TYPE_SYMBOLS[kind], "color": "#6b7280", "size": 10},
                    hoverinfo="skip",
                )
            )
    if len(spans):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name="dated by month or year (span)",
                legend="legend2",
                line={"color": "rgba(107,114,128,0.35)", "width": 7},
                hoverinfo="skip",
            )
        )
    if frame["uncertain"].any():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name="uncertain date (hollow)",
                legend="legend2",
                marker={
                    "symbol": "circle-open",
                    "color": "#6b7280",
                    "size": 10,
                    "line": {"width": 2},
                },
                hoverinfo="skip",
            )
        )
    if not frame["asserted"].all():
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name="planned / possible / claimed (faded)",
                legend="legend2",
                marker={
                    "symbol": "circle",
                    "color": "#6b7280",
                    "size": 10,
                    "opacity": UNASSERTED_OPACITY,
                },
                hoverinfo="skip",
            )
        )
    n_lanes = max(len(lane_order), 1)
    _base_layout(fig, title=title, height=height or max(380, 170 + 56 * n_lanes))
    # dragmode and clickmode are left to Streamlit: with selection on it sets "pan" and
    # "event+select", under which a click selects a point (with "select" as the drag
    # mode, a click only clears the selection).
    fig.update_layout(
        hovermode="closest",
        legend={"title": {"text": "Actor country"}, "groupclick": "togglegroup"},
        legend2={
            "orientation": "h",
            "yref": "container",
            "y": 0.01,
            "yanchor": "bottom",
            "x": 0.0,
            "xanchor": "left",
            "itemclick": False,
            "itemdoubleclick": False,
        },
        margin={"b": 50},
    )
    focus = focus_range(frame)
    if key_events is not None:
        _mark_key_events(
            fig, key_events, start.min() - pd.Timedelta(days=1), end.max() + pd.Timedelta(days=1)
        )
    fig.update_xaxes(
        type="date",
        title=None,
        range=[focus[0].isoformat(), focus[1].isoformat()] if focus else None,
        rangeslider={"visible": True, "thickness": 0.07},
        rangeselector={
            "x": 1.0,
            "xanchor": "right",
            "y": 1.02,
            "yanchor": "bottom",
            "buttons": [
                {"count": 1, "label": "1m", "step": "month", "stepmode": "backward"},
                {"count": 6, "label": "6m", "step": "month", "stepmode": "backward"},
                {"count": 1, "label": "1y", "step": "year", "stepmode": "backward"},
                {"step": "all", "label": "all"},
            ],
        },
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=list(reversed(lane_order)),
        title=None,
    )
    return fig


def _guessed_entity(entity_id: object) -> bool:
    """An id the normaliser made from an unknown name (``person:bai-xx``), not the gazetteer's."""
    from flashpoint.analysis.filters import gazetteer_ids

    return str(entity_id) not in gazetteer_ids()


def cooccurrence_figure(
    result: Cooccurrence, *, title: str | None = None, height: int | None = None
) -> go.Figure:
    """A cluster-ordered heatmap, with an invisible scatter of one point per cell on top:
    Streamlit returns no selection from heatmap traces, but it does from scatter points,
    so clicking a cell selects that pair (``customdata`` = the two labels)."""
    if result.is_empty:
        return empty_figure("No entities co-occur under these filters", title=title)
    labels = list(result.matrix.index)
    values = result.matrix.to_numpy()
    counts = result.counts.to_numpy()
    metric_label = METRIC_LABELS[result.metric]
    unit = f"{result.scope}(s)"
    if result.metric == "npmi":
        scale: dict[str, Any] = {"colorscale": "RdBu_r", "zmin": -1, "zmax": 1, "zmid": 0}
    elif result.metric == "jaccard":
        scale = {
            "colorscale": "Blues",
            "zmin": 0,
            "zmax": max(float(pd.DataFrame(values).max().max()), 0.05),
        }
    else:
        scale = {"colorscale": "Blues", "zmin": 0}
    # Pairs never seen together are left blank: for NPMI their −1 would paint most of
    # the matrix as strong avoidance, which is not what "never together" means.
    shown = np.where(counts > 0, values, np.nan) if result.metric == "npmi" else values
    fig = go.Figure(
        go.Heatmap(
            z=shown,
            x=labels,
            y=labels,
            hoverinfo="skip",
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": metric_label}, "thickness": 14},
            name=metric_label,
            **scale,
        )
    )
    n = len(labels)
    # Say what each entity is, so a name like "Bai" is not a riddle: its type, and whether
    # it is only the model's guess (an id made from the name, not a gazetteer entry).
    kinds = {
        str(label): f"{kind}, {'named in the text' if guessed else 'gazetteer'}"
        for label, kind, guessed in zip(
            result.entities["label"],
            result.entities["entity_type"],
            result.entities["entity_id"].map(_guessed_entity),
            strict=True,
        )
    }
    xs, ys, custom = [], [], []
    for i, row_label in enumerate(labels):
        for j, column_label in enumerate(labels):
            if i == j:
                continue
            xs.append(column_label)
            ys.append(row_label)
            value = values[i, j]
            custom.append(
                (
                    row_label,
                    column_label,
                    "–"
                    if pd.isna(value)
                    else f"{value:.3f}"
                    if result.metric != "count"
                    else f"{int(value)}",
                    int(counts[i, j]),
                )
            )
    plot_height = height or max(460, 200 + 20 * n)
    cell = max(6.0, min(28.0, (plot_height - 200) / max(n, 1)))
    fig.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            name="pairs",
            showlegend=False,
            customdata=[
                [html.escape(a), html.escape(b), v, c, kinds.get(a, "–"), kinds.get(b, "–")]
                for a, b, v, c in custom
            ],
            marker={"symbol": "square", "size": cell, "opacity": 0, "color": "#000000"},
            selected={"marker": {"opacity": 0}},
            unselected={"marker": {"opacity": 0}},
            hovertemplate=(
                "<b>%{customdata[0]}</b> (%{customdata[4]}) × "
                "<b>%{customdata[1]}</b> (%{customdata[5]})<br>"
                f"{metric_label}: %{{customdata[2]}}<br>"
                f"together in %{{customdata[3]}} {unit}<extra></extra>"
            ),
        )
    )
    _base_layout(fig, title=title, height=plot_height)
    fig.update_layout(
        hovermode="closest",
        plot_bgcolor="#eceff3",  # blank cells (never together) read as grey, not as 0
    )
    fig.update_xaxes(
        type="category", categoryorder="array", categoryarray=labels, tickangle=-45, showgrid=False
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=labels,
        autorange="reversed",
        showgrid=False,
    )
    return fig


SMOOTHING: dict[str, int] = {"day": 7, "week": 4, "month": 1}  # periods averaged per line


def volume_figure(
    frame: pd.DataFrame, *, freq: str = "week", title: str | None = None, height: int = 420
) -> go.Figure:
    """All articles as bars; articles naming each top country as smoothed lines over them
    (a moving average over a few periods, so quiet weeks do not draw spikes to zero)."""
    if frame.empty:
        return empty_figure("No dated articles match these filters", title=title)
    fig = go.Figure()
    total = frame[frame["series"] == ALL_ARTICLES]
    fig.add_trace(
        go.Bar(
            x=total["period"],
            y=total["articles"],
            name=ALL_ARTICLES,
            marker={"color": "#d1d5db"},
            customdata=np.array([plural(int(n), "article") for n in total["articles"]]),
            hovertemplate=f"%{{x|%Y-%m-%d}}: %{{customdata}}<extra>{ALL_ARTICLES}</extra>",
        )
    )
    window = SMOOTHING.get(freq, 1)
    countries = [s for s in dict.fromkeys(frame["series"]) if s != ALL_ARTICLES]
    colours = country_colours(countries)
    for country in countries:
        rows = frame[frame["series"] == country]
        smooth = rows["articles"].rolling(window, center=True, min_periods=1).mean()
        label = country if window == 1 else f"{country} ({window}-{freq} average)"
        fig.add_trace(
            go.Scatter(
                x=rows["period"],
                y=smooth.round(2),
                name=html.escape(label),
                mode="lines",
                line={"color": colours[country], "width": 2, "shape": "spline"},
                customdata=np.array([plural(int(n), "article") for n in rows["articles"]]),
                hovertemplate="%{x|%Y-%m-%d}: %{customdata} (average %{y:.1f})"
                "<extra>%{fullData.name}</extra>",
            )
        )
    _base_layout(fig, title=title, height=height)
    fig.update_layout(
        bargap=0.1,
        hovermode="x unified",
        legend={"orientation": "h", "y": -0.12},
    )
    fig.update_xaxes(type="date", title=None)
    fig.update_yaxes(
        title={"text": f"articles per {freq}"},
        **count_axis(float(frame["articles"].max() or 0)),
    )
    return fig


def count_axis(max_value: float) -> dict[str, Any]:
    """Axis settings for counts: whole numbers only (no 0.5 ticks), from zero."""
    axis: dict[str, Any] = {"rangemode": "tozero", "tickformat": ",d"}
    if max_value <= 8:
        axis.update(dtick=1, tick0=0, range=[0, max(float(max_value), 1.0) * 1.05])
    return axis


def bar_figure(
    frame: pd.DataFrame,
    *,
    value: str,
    label: str,
    title: str | None = None,
    colour: str = "#1f77b4",
    colours: Sequence[str] | None = None,
    height: int | None = None,
    unit: str | None = None,
    axis_title: str | None = None,
    second: str | None = None,
) -> go.Figure:
    """Horizontal bars, largest on top (top countries/people/weapons, stories by type).

    ``unit`` names one of what ``value`` counts ("article", "story"): the hover says
    "1 article", "2 articles"; ``second`` is a column counted alongside (reports)."""
    if frame.empty:
        return empty_figure("Nothing to count under these filters", title=title)
    unit = unit or value.rstrip("s")
    hover = []
    for name, n, *more in zip(
        frame[label], frame[value], *([frame[second]] if second else []), strict=True
    ):
        text = f"{html.escape(str(name))}: {plural(int(n), unit)}"
        if second and more:
            text += f" ({plural(int(more[0]), second.rstrip('s'))})"
        hover.append(text)
    fig = go.Figure(
        go.Bar(
            x=frame[value],
            y=[html.escape(str(name)) for name in frame[label]],
            orientation="h",
            marker={"color": list(colours) if colours is not None else colour},
            customdata=hover,
            hovertemplate="%{customdata}<extra></extra>",
            name=value,
        )
    )
    _base_layout(fig, title=title, height=height or max(260, 90 + 28 * len(frame)))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(
        title={"text": axis_title or value}, **count_axis(float(frame[value].max() or 0))
    )
    return fig


def events_by_type_figure(
    frame: pd.DataFrame, *, title: str | None = None, scope: str = "asserted"
) -> go.Figure:
    """Stories per event type (bars), with their reports in the hover."""
    return bar_figure(
        frame,
        value="stories",
        label="label",
        title=title,
        colours=[TYPE_COLOURS.get(kind, "#6b7280") for kind in frame["event_type"]],
        unit="story",
        axis_title=f"stories ({scope})",
        second="reports" if "reports" in frame else None,
    )


def _map_view(frame: pd.DataFrame) -> dict[str, Any]:
    """Open on the region where most reports are: the points within ~35° of the
    report-weighted median, with a margin. Far-off points stay reachable by zooming out."""
    lat, lon = frame["lat"].astype(float), frame["lon"].astype(float)
    weights = frame["reports"].astype(float).clip(lower=1).to_numpy()

    def weighted_median(values: pd.Series) -> float:
        order = np.argsort(values.to_numpy())
        cumulative = np.cumsum(weights[order])
        return float(values.to_numpy()[order][np.searchsorted(cumulative, cumulative[-1] / 2)])

    centre_lat, centre_lon = weighted_median(lat), weighted_median(lon)
    near = ((lat - centre_lat).abs() <= 30) & ((lon - centre_lon).abs() <= 40)
    south, north = float(lat[near].min()), float(lat[near].max())
    west, east = float(lon[near].min()), float(lon[near].max())
    pad_lat = max(5.0, (north - south) * 0.2)
    pad_lon = max(8.0, (east - west) * 0.2)
    # A landscape view: on a Mercator map a degree of latitude here is drawn taller than a
    # degree of longitude, so widen the longitudes to about twice the latitudes.
    lat_span = north - south + 2 * pad_lat
    lon_span = east - west + 2 * pad_lon
    if lon_span < 2.0 * lat_span:
        pad_lon += (2.0 * lat_span - lon_span) / 2
    return {
        "lataxis_range": [max(south - pad_lat, -80.0), min(north + pad_lat, 85.0)],
        "lonaxis_range": [max(west - pad_lon, -180.0), min(east + pad_lon, 180.0)],
    }


def map_figure(
    frame: pd.DataFrame,
    *,
    title: str | None = None,
    height: int = 620,
    resolution: int = 50,
) -> go.Figure:
    """Events by place: one marker per place and event type, sized by reports, coloured by
    type. ``customdata`` = (place id, event type, place, stories, reports): what a click
    selects. The world outlines come from the ``topojsonURL`` the chart is drawn with."""
    if frame.empty:
        return empty_figure("No events with a known place match these filters", title=title)
    fig = go.Figure()
    for kind in EVENT_TYPES:
        rows = frame[frame["event_type"] == kind]
        if rows.empty:
            continue
        hover = [
            f"<b>{html.escape(str(place))}</b><br>{type_label(kind)}: "
            f"{plural(int(n_stories), 'story')}, {plural(int(n_reports), 'report')}"
            for place, n_stories, n_reports in zip(
                rows["place"], rows["stories"], rows["reports"], strict=True
            )
        ]
        fig.add_trace(
            go.Scattergeo(
                lat=rows["lat"],
                lon=rows["lon"],
                mode="markers",
                name=type_label(kind),
                customdata=[
                    [str(pid), kind, html.escape(str(place)), int(n_s), int(n_r)]
                    for pid, place, n_s, n_r in zip(
                        rows["place_id"],
                        rows["place"],
                        rows["stories"],
                        rows["reports"],
                        strict=True,
                    )
                ],
                text=hover,
                hovertemplate="%{text}<extra></extra>",
                marker={
                    "color": TYPE_COLOURS.get(kind, "#6b7280"),
                    "size": _marker_size(rows["reports"]),
                    "opacity": 0.8,
                    "line": {"width": 1, "color": "#ffffff"},
                    "symbol": TYPE_SYMBOLS.get(kind, "circle"),
                },
            )
        )
    _base_layout(fig, title=title, height=height)
    fig.update_layout(
        legend={
            "title": {"text": "Event type (size: reports)"},
            "orientation": "h",
            "y": -0.02,
            "yanchor": "top",
        },
        hovermode="closest",
        margin={"l": 0, "r": 0, "b": 40},
    )
    fig.update_geos(
        projection_type="mercator",
        resolution=resolution,
        showland=True,
        landcolor="#f3f4f6",
        showocean=True,
        oceancolor="#e8f1fa",
        showcountries=True,
        countrycolor="#9ca3af",
        showcoastlines=True,
        coastlinecolor="#9ca3af",
        showlakes=False,
        showframe=False,
        **_map_view(frame),
    )
    return fig


def chart_title(kind: str, filters: Filters) -> str:
    names = {
        "timeline": "Timeline",
        "cooccurrence": "Co-occurrence",
        "volume": "Coverage volume",
        "map": "Events by place",
    }
    name = names.get(kind, kind)
    return name if filters.is_empty else f"{name} — {describe(filters)}"


def build_chart(
    kind: str,
    corpus: Any,
    filters: Filters,
    *,
    catalog: EntityCatalog | None = None,
    lanes: str = "type",
    freq: str = "week",
    scope: str = "sentence",
    metric: str = "npmi",
    entity_types: Sequence[str] = DEFAULT_ENTITY_TYPES,
    top_n: int = 25,
    title: str | None = None,
) -> tuple[go.Figure, pd.DataFrame]:
    """The figure for one view and the data behind it; the CLI and the pages share it."""
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart {kind!r} (use one of {', '.join(CHART_KINDS)})")
    view = apply_filters(corpus, filters, catalog)
    title = title if title is not None else chart_title(kind, filters)
    if kind == "timeline":
        frame = timeline_frame(view, corpus.stories)
        figure = timeline_figure(frame, lanes, title=title, key_events=key_events())
        return figure, timeline_csv_frame(frame)
    if kind == "volume":
        frame = volume(view, freq=freq)
        return volume_figure(frame, freq=freq, title=title), frame
    result = cooccurrence(
        view.mentions,
        scope=scope,
        metric=metric,
        entity_types=entity_types,
        top_n=top_n,
        catalog=view.catalog,
    )
    return cooccurrence_figure(result, title=title), result.long_form()


def timeline_csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The timeline's data as a flat table (article ids joined)."""
    if frame.empty:
        return pd.DataFrame(columns=list(TIMELINE_COLUMNS))
    flat = frame.copy()
    flat["article_ids"] = flat["article_ids"].map(lambda ids: "; ".join(map(str, ids)))
    flat["date"] = pd.to_datetime(flat["date"]).dt.strftime("%Y-%m-%d")
    if "date_end" in flat:
        flat["date_end"] = pd.to_datetime(flat["date_end"]).dt.strftime("%Y-%m-%d")
    return flat
