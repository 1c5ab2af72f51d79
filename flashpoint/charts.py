"""Plotly figures: DataFrame in, ``go.Figure`` out.

Every figure carries one explicit template, so the chart on screen (drawn with
``st.plotly_chart(fig, theme=None)``) and the PNG rendered on the server look alike.
Text from articles (headlines, sentences) goes into hover labels HTML-escaped: Plotly
renders a subset of HTML there.
"""

from __future__ import annotations

import html
import json
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from functools import lru_cache
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
from flashpoint.config import resource_path
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
    Exports keep using the light original, so a PNG looks the same whatever the theme.

    Made from the figure's dict without validating it again (a validated copy of a
    timeline costs more than building it); ``tests/unit/test_charts.py`` checks it is
    what Plotly's validated ``update_layout``/``update_xaxes``/... make."""
    spec = fig.to_dict()
    layout = spec["layout"]
    layout["template"] = _template("plotly_dark")
    layout["paper_bgcolor"] = DARK["background"]
    layout["plot_bgcolor"] = DARK["plot"]
    layout.setdefault("font", {})["color"] = DARK["text"]
    grid = {"gridcolor": DARK["grid"], "zerolinecolor": DARK["grid"]}
    for axis in _subplots(layout, "xaxis") + _subplots(layout, "yaxis"):
        layout.setdefault(axis, {}).update(grid)
    if any(trace.get("type") == "scattergeo" for trace in spec["data"]):
        for geo in _subplots(layout, "geo"):
            layout.setdefault(geo, {}).update(
                bgcolor=DARK["background"],
                landcolor="#1f2937",
                oceancolor="#111827",
                countrycolor="#6b7280",
                coastlinecolor="#6b7280",
            )
    return _figure(spec["data"], layout)


def _subplots(layout: dict[str, Any], prefix: str) -> list[str]:
    """The layout's ``xaxis``, ``xaxis2``, … (the first one whether set or not)."""
    return [prefix, *sorted(k for k in layout if re.fullmatch(rf"{prefix}\d+", k))]


@lru_cache(maxsize=4)
def _template_json(name: str) -> str:
    return json.dumps(pio.templates[name].to_plotly_json())


def _template(name: str) -> dict[str, Any]:
    """A fresh copy of a registered template, as a figure's layout holds it."""
    template: dict[str, Any] = json.loads(_template_json(name))
    return template


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


# Where textwrap may end a line inside a word: after a hyphen with two letters (or
# letter-hyphen-letter) before it and letter, optional hyphen, letter after it (its
# ``wordsep_re``, whose character classes these are).
_LETTER = r"[^\d\W]"
_HYPHEN_BREAK = rf"(?:(?<={_LETTER}{_LETTER}-)|(?<={_LETTER}-{_LETTER}-))(?={_LETTER}-?{_LETTER})"
_SEPARATOR = "\x00"  # between texts wrapped together; texts holding it are wrapped alone
_ODD_SPACE = re.compile(r"[^\S ]")  # whitespace other than a space (\s: str.split's)


@lru_cache(maxsize=8)
def _line_pattern(width: int) -> re.Pattern[str]:
    """One wrapped line, with the space it starts at (which textwrap drops, so it does not
    count), at most ``width`` characters ending where textwrap may break — before a
    space, at the end of the text, after a breaking hyphen —, and the separators after
    it. Texts with single spaces and no "--" (textwrap's em-dash) are matched from end
    to end unless a word is longer than ``width``."""
    return re.compile(rf" ?[^\x00]{{1,{width}}}(?:(?=[ \x00])|\Z|{_HYPHEN_BREAK})\x00*")


@lru_cache(maxsize=8)
def _long_word(width: int) -> re.Pattern[str]:
    """A word longer than a line (tried only where a word starts)."""
    return re.compile(rf"(?<![^ \x00])[^ \x00]{{{width + 1}}}")


def _wrapped_alone(parts: list[str], which: Iterable[int], width: int) -> dict[int, str]:
    """The texts at ``which`` wrapped by textwrap, escaped; blanked in ``parts``."""
    done = {}
    for i in sorted(set(which)):
        done[int(i)] = "<br>".join(html.escape(line) for line in textwrap.wrap(parts[i], width))
        parts[i] = ""
    return done


def _escaped_wrapped(values: pd.Series, width: int = 80, limit: int = 400) -> list[str]:
    """:func:`_escape_wrapped` of each value (``"–"`` for an empty or non-text one), for
    thousands of values at once: the distinct texts are joined and wrapped, escaped and
    split by a few regular-expression passes over the whole, not one call per text."""
    keys, uniques = pd.factorize(
        _objects(
            [value if isinstance(value, str) else "" for value in values.to_numpy(dtype=object)]
        )
    )
    texts: list[str] = list(uniques)
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds the separator itself
        done = [_escape_wrapped(text, width, limit) for text in texts]
        return [done[key] for key in keys]
    if "  " in joined or _ODD_SPACE.search(joined):
        joined = " ".join(joined.split())  # the separator is not whitespace: it stays
    joined = joined.replace(" " + _SEPARATOR, _SEPARATOR).replace(_SEPARATOR + " ", _SEPARATOR)
    parts = joined.strip(" ").split(_SEPARATOR)
    if max(map(len, parts), default=0) > limit:
        parts = [p if len(p) <= limit else p[: limit - 1].rstrip() + "…" for p in parts]
    # textwrap's own cases — an em-dash, a word longer than a line — go to textwrap
    # itself, text by text; the others are wrapped all together.
    alone: dict[int, str] = {}
    joined = _SEPARATOR.join(parts)
    dashes = [found.start() for found in re.finditer("--", joined)]
    if dashes:
        starts = np.cumsum([0] + [len(part) + 1 for part in parts[:-1]])
        alone = _wrapped_alone(parts, np.searchsorted(starts, dashes, side="right") - 1, width)
        joined = _SEPARATOR.join(parts)
    lines = _line_pattern(width).findall(joined)
    empty_first = len(joined) - len(joined.lstrip(_SEPARATOR))
    if sum(map(len, lines)) != len(joined) - empty_first:  # lines skipped a long word
        long_word = _long_word(width)
        hard = [i for i, part in enumerate(parts) if long_word.search(part)]
        alone.update(_wrapped_alone(parts, hard, width))
        joined = _SEPARATOR.join(parts)
        lines = _line_pattern(width).findall(joined)
        empty_first = len(joined) - len(joined.lstrip(_SEPARATOR))
    wrapped = "\n".join(lines).replace("\n ", "\n").replace(_SEPARATOR + "\n", _SEPARATOR)
    wrapped = html.escape(_SEPARATOR * empty_first + wrapped).replace("\n", "<br>")
    done = wrapped.split(_SEPARATOR)
    for i, text in alone.items():
        done[i] = text
    done = [text or "–" for text in done]
    return [done[key] for key in keys]


def _figure(data: list[dict[str, Any]], layout: dict[str, Any]) -> go.Figure:
    """A figure from traces and layout built here as plain dicts, without Plotly's
    validation: it checks every value again (per point for arrays) and costs more than
    making the values. ``tests/unit/test_charts.py`` checks that each figure's JSON is
    the same after validation, so a misspelt property fails there. Per-point values
    (arrays and long lists, in a trace or its marker) are set after the figure is made:
    Plotly deep-copies what a new figure is given, element by element. The layout gets
    TEMPLATE unless it names its own."""
    points: list[dict[str, Any]] = []
    for trace in data:
        taken = {}
        for path, values in (("", trace), ("marker.", trace.get("marker") or {})):
            for key in [k for k, v in values.items() if _per_point(v)]:
                taken[path + key] = values.pop(key)
        points.append(taken)
    # An empty template for now: a new figure would otherwise deep-copy the default one.
    template = layout.get("template") or _template(TEMPLATE)
    fig = go.Figure({"data": data, "layout": {**layout, "template": {}}}, _validate=False)
    fig.layout["template"] = template
    for trace, taken in zip(fig.data, points, strict=True):
        for key, value in taken.items():
            trace[key] = value
    return fig


def _per_point(value: object) -> bool:
    return isinstance(value, np.ndarray) or (isinstance(value, list) and len(value) > 20)


def _layout(*, title: str | None, height: int) -> dict[str, Any]:
    """What every figure's layout has: font, height, escaped title, margins, hover labels.
    (A missing title is an empty ``title`` object, as Plotly makes of ``title=None``.)"""
    return {
        "font": dict(FONT),
        "height": height,
        "title": {"text": html.escape(title), "x": 0.01, "xanchor": "left"} if title else {},
        "margin": {"l": 10, "r": 10, "t": 60 if title else 30, "b": 10},
        "hoverlabel": {"align": "left", "font": {"family": FONT["family"], "size": 12}},
    }


@lru_cache(maxsize=1)
def _glyph_widths() -> tuple[dict[str, int], int, int]:
    spec = json.loads(resource_path("reference", "arial_widths.json").read_text("utf-8"))
    return spec["widths"], int(spec["default"]), int(spec["units_per_em"])


def text_width(text: str, size: float = 13.0) -> float:
    """Pixels a label takes in FONT (Arial, 13 px unless ``size``): the sum of its characters'
    advance widths (data/reference/arial_widths.json; HTML entities as the character they
    show; a character not listed counts as a full em)."""
    widths, default, em = _glyph_widths()
    return sum(widths.get(char, default) for char in html.unescape(text)) * size / em


# Margins a chart is given so that Plotly's automargin has nothing to add. When a label
# or legend needs more room than the margin, automargin grows the margin and draws the
# whole chart again in the browser (a first draw on a new chart always does: Streamlit
# mounts a new chart for every new figure); a margin that is already wide enough saves
# that second draw (measured in Chromium: bar charts ~2x, the heatmap 2-3x faster to
# draw). The sizes below were measured in Chromium on this project's charts, with a px
# or two to spare: category labels end ~11 px left of the plot; a bar chart's x axis (tick
# labels and title) takes 53 px below it and its last tick label overhangs the right edge
# by at most ~19 px. A margin still too small (a label in a script the width table does
# not know is counted a full em per character, so rarely) is grown by automargin, as before.
LABEL_PAD = 13
BAR_AXIS_BOTTOM = 55
BAR_RIGHT = 20
# The map's legend row (one row of event types under the map) needs 41 px.
MAP_BOTTOM = 42
# The co-occurrence heatmap: its x labels, turned -45 degrees, take sin 45 of their width
# plus ~24 px below the plot; the NPMI colour bar (fixed ticks -1 to 1) 83-84 px on the
# right. (With the count and Jaccard metrics the colour bar's ticks depend on the data:
# those margins are left to automargin.)
HEATMAP_BOTTOM_PAD = 25
NPMI_COLORBAR_RIGHT = 85


def _base_layout(fig: go.Figure, *, title: str | None, height: int) -> None:
    fig.update_layout(_layout(title=title, height=height))


def empty_figure(
    message: str = "Nothing matches these filters", *, title: str | None = None
) -> go.Figure:
    layout = _layout(title=title, height=360)
    layout["annotations"] = [
        {
            "text": html.escape(message),
            "showarrow": False,
            "font": {"size": 16, "color": "#6b7280"},
            "xref": "paper",
            "yref": "paper",
            "x": 0.5,
            "y": 0.5,
        }
    ]
    layout["xaxis"] = {"visible": False}
    layout["yaxis"] = {"visible": False}
    return _figure([], layout)


def _marker_size(reports: pd.Series) -> list[float]:
    """Marker diameter for a story's reports: 9 px for one, growing with the square root,
    at most 36 px."""
    n = np.maximum(reports.to_numpy(dtype=np.int64), 1) - 1
    sizes: list[float] = np.minimum(9.0 + 5.0 * np.sqrt(n), 36.0).tolist()
    return sizes


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


def _key_event_marks(marks: pd.DataFrame | None, start: Any, end: Any) -> dict[str, Any]:
    """Dotted vertical lines, labelled at the top, for catalogued landmarks in range: the
    layout's ``shapes`` and ``annotations`` (none when no landmark is in range)."""
    if marks is None or marks.empty:
        return {}
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
    return {"shapes": shapes, "annotations": annotations} if shapes else {}


def _iso_dates(values: pd.Series) -> list[Any]:
    """Dates as the JSON encoder writes a Timestamp (``2017-07-04T00:00:00``), made in one
    pass; Timestamps themselves when a value has a time zone or a fraction of a second."""
    array = values.to_numpy()
    if array.dtype.kind == "M" and (array == array.astype("datetime64[s]")).all():
        iso: list[Any] = np.datetime_as_string(array, unit="s").tolist()
        return iso
    return list(values)


def _objects(values: Sequence[Any]) -> np.ndarray:
    """A one-dimensional object array of ``values`` (never split into more dimensions)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _distinct(values: pd.Series) -> tuple[list[Any], np.ndarray]:
    """The distinct values, and for each value its index among them."""
    keys, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=False)
    return list(uniques), keys


def _by_value(values: pd.Series, make: Any) -> np.ndarray:
    """``make(value)`` for each value, computed once per distinct value (an object array)."""
    uniques, keys = _distinct(values)
    return _objects([make(value) for value in uniques])[keys]


def _escape_each(texts: list[str]) -> list[str]:
    """``html.escape`` of each text, in one pass over them all."""
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:
        return [html.escape(text) for text in texts]
    return html.escape(joined).split(_SEPARATOR)


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
    kinds_present = set(frame["event_type"])
    if lanes == "type":
        present = [t for t in EVENT_TYPES if t in kinds_present]
        frame["lane"] = _by_value(frame["event_type"], type_label)
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
    traces: list[dict[str, Any]] = []
    # A story dated only by month or year is a span, not a day: a bar across the period,
    # with its point in the middle (hollow: the day is not known).
    start = pd.to_datetime(frame["date"])
    end = pd.to_datetime(frame["date_end"]) if "date_end" in frame else start
    end = end.where(end.notna(), start)
    frame["x"] = start + (end - start) / 2
    is_span = (end > start).to_numpy()
    if is_span.any():
        first = _iso_dates(start[is_span])
        last = _iso_dates(end[is_span] + pd.Timedelta(hours=23, minutes=59))
        lane = frame["lane"].to_numpy(dtype=object)[is_span].tolist()
        blank = [None] * len(lane)
        traces.append(
            {
                "type": "scatter",
                # first, last, None for each span: one line with gaps between the spans
                "x": [v for triple in zip(first, last, blank, strict=True) for v in triple],
                "y": [v for triple in zip(lane, lane, blank, strict=True) for v in triple],
                "mode": "lines",
                "name": "month or year (span)",
                "line": {"color": "rgba(107,114,128,0.35)", "width": 7},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
    # Hover rows for every story at once (per distinct text), then each trace its rows.
    customdata = np.empty((len(frame), 10), dtype=object)
    customdata[:, 0] = frame["story_id"].to_numpy(dtype=object)
    customdata[:, 1] = _escaped_wrapped(frame["headline"], 70, 200)
    customdata[:, 2] = _escaped_wrapped(frame["evidence"])
    customdata[:, 3] = _escaped_wrapped(frame["weapons"], 70, 200)
    customdata[:, 4] = _escaped_wrapped(frame["sources"], 70, 200)
    labels, label_keys = _distinct(frame["date_label"])
    customdata[:, 5] = _objects(_escape_each([str(label) for label in labels]))[label_keys]
    customdata[:, 6] = frame["modality"].astype(str).to_numpy(dtype=object)
    customdata[:, 7] = _by_value(frame["n_reports"], lambda n: plural(int(n), "report"))
    customdata[:, 8] = _by_value(frame["event_type"], type_label)
    customdata[:, 9] = _escaped_wrapped(frame["actors"], 70, 200)
    symbols = _by_value(frame["event_type"], lambda kind: TYPE_SYMBOLS.get(kind, "circle"))
    uncertain = frame["uncertain"].to_numpy(dtype=bool)
    symbols[uncertain] = symbols[uncertain] + "-open"
    sizes = np.array(_marker_size(frame["n_reports"]))
    x = frame["x"].to_numpy()
    y = frame["lane"].to_numpy(dtype=object)
    country_of = frame["actor_country"].to_numpy(dtype=object)
    asserted_of = frame["asserted"].to_numpy()
    for country in countries:
        in_country = country_of == country
        for asserted in (True, False):
            rows = np.flatnonzero(in_country & (asserted_of == asserted))
            if not len(rows):
                continue
            traces.append(
                {
                    "type": "scatter",
                    "x": x[rows],
                    "y": y[rows],
                    "mode": "markers",
                    "name": html.escape(country if asserted else f"{country} (not asserted)"),
                    "legendgroup": country,
                    "showlegend": False,
                    "customdata": customdata[rows],
                    "hovertemplate": hover,
                    "marker": {
                        "color": colours[country],
                        "symbol": symbols[rows].tolist(),
                        "size": sizes[rows].tolist(),
                        "opacity": 0.9 if asserted else UNASSERTED_OPACITY,
                        "line": {"width": 2, "color": colours[country]},
                    },
                }
            )
    # Legend keys: one plain dot per country (clicking it hides the country's points),
    # and a second legend for what colour does not say: shape, hollow, faded.
    for country in countries:
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "name": html.escape(country),
                "legendgroup": country,
                "marker": {"symbol": "circle", "color": colours[country], "size": 10},
                "hoverinfo": "skip",
            }
        )
    key = {"type": "scatter", "x": [None], "y": [None], "legend": "legend2", "hoverinfo": "skip"}
    for kind in EVENT_TYPES:
        if kind in kinds_present:
            traces.append(
                {
                    **key,
                    "mode": "markers",
                    "name": type_label(kind),
                    "marker": {"symbol": TYPE_SYMBOLS[kind], "color": "#6b7280", "size": 10},
                }
            )
    if is_span.any():
        traces.append(
            {
                **key,
                "mode": "lines",
                "name": "dated by month or year (span)",
                "line": {"color": "rgba(107,114,128,0.35)", "width": 7},
            }
        )
    if uncertain.any():
        traces.append(
            {
                **key,
                "mode": "markers",
                "name": "uncertain date (hollow)",
                "marker": {
                    "symbol": "circle-open",
                    "color": "#6b7280",
                    "size": 10,
                    "line": {"width": 2},
                },
            }
        )
    if not asserted_of.all():
        traces.append(
            {
                **key,
                "mode": "markers",
                "name": "planned / possible / claimed (faded)",
                "marker": {
                    "symbol": "circle",
                    "color": "#6b7280",
                    "size": 10,
                    "opacity": UNASSERTED_OPACITY,
                },
            }
        )
    n_lanes = max(len(lane_order), 1)
    layout = _layout(title=title, height=height or max(380, 170 + 56 * n_lanes))
    # dragmode and clickmode are left to Streamlit: with selection on it sets "pan" and
    # "event+select", under which a click selects a point (with "select" as the drag
    # mode, a click only clears the selection).
    layout["margin"]["b"] = 50
    layout["hovermode"] = "closest"
    layout["legend"] = {"title": {"text": "Actor country"}, "groupclick": "togglegroup"}
    layout["legend2"] = {
        "orientation": "h",
        "yref": "container",
        "y": 0.01,
        "yanchor": "bottom",
        "x": 0.0,
        "xanchor": "left",
        "itemclick": False,
        "itemdoubleclick": False,
    }
    if key_events is not None:
        layout.update(
            _key_event_marks(
                key_events, start.min() - pd.Timedelta(days=1), end.max() + pd.Timedelta(days=1)
            )
        )
    focus = focus_range(frame)
    layout["xaxis"] = {
        "type": "date",
        "title": {},
        **({"range": [focus[0].isoformat(), focus[1].isoformat()]} if focus else {}),
        "rangeslider": {"visible": True, "thickness": 0.07},
        "rangeselector": {
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
    }
    layout["yaxis"] = {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": list(reversed(lane_order)),
        "title": {},
    }
    return _figure(traces, layout)


def cooccurrence_figure(
    result: Cooccurrence, *, title: str | None = None, height: int | None = None
) -> go.Figure:
    """A cluster-ordered heatmap, with an invisible scatter of one point per cell on top:
    Streamlit returns no selection from heatmap traces, but it does from scatter points,
    so clicking a cell selects that pair (``customdata`` = the two labels)."""
    from flashpoint.analysis.filters import gazetteer_ids

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
    scale["colorscale"] = _colorscale(scale["colorscale"])
    # Pairs never seen together are left blank: for NPMI their −1 would paint most of
    # the matrix as strong avoidance, which is not what "never together" means.
    shown = np.where(counts > 0, values, np.nan) if result.metric == "npmi" else values
    heatmap = {
        "type": "heatmap",
        "z": np.asarray(shown),
        "x": labels,
        "y": labels,
        "hoverinfo": "skip",
        "xgap": 1,
        "ygap": 1,
        "colorbar": {"title": {"text": metric_label}, "thickness": 14},
        "name": metric_label,
        **scale,
    }
    n = len(labels)
    # Say what each entity is, so a name like "Bai" is not a riddle: its type, and whether
    # it is only the model's guess (an id made from the name, not a gazetteer entry).
    known = gazetteer_ids()
    kinds = {
        str(label): f"{kind}, {'gazetteer' if str(entity_id) in known else 'named in the text'}"
        for label, kind, entity_id in zip(
            result.entities["label"],
            result.entities["entity_type"],
            result.entities["entity_id"],
            strict=True,
        )
    }
    # One cell per ordered pair of different entities, row by row.
    rows, columns = np.nonzero(~np.eye(n, dtype=bool))
    names = _objects(labels)
    escaped = _objects([html.escape(label) for label in labels])
    described = _objects([kinds.get(label, "–") for label in labels])
    cell_values = values[rows, columns]
    if result.metric == "count":
        shown_values = [f"{int(value)}" for value in cell_values]
    else:
        shown_values = [f"{value:.3f}" for value in cell_values]
    missing = pd.isna(cell_values)
    custom = np.empty((len(rows), 6), dtype=object)
    custom[:, 0] = escaped[rows]
    custom[:, 1] = escaped[columns]
    custom[:, 2] = np.where(missing, "–", _objects(shown_values))
    custom[:, 3] = counts[rows, columns].astype(np.int64).astype(object)
    custom[:, 4] = described[rows]
    custom[:, 5] = described[columns]
    plot_height = height or max(460, 200 + 20 * n)
    cell = max(6.0, min(28.0, (plot_height - 200) / max(n, 1)))
    cells = {
        "type": "scatter",
        "x": names[columns].tolist(),
        "y": names[rows].tolist(),
        "mode": "markers",
        "name": "pairs",
        "showlegend": False,
        "customdata": custom,
        "marker": {"symbol": "square", "size": cell, "opacity": 0, "color": "#000000"},
        "selected": {"marker": {"opacity": 0}},
        "unselected": {"marker": {"opacity": 0}},
        "hovertemplate": (
            "<b>%{customdata[0]}</b> (%{customdata[4]}) × "
            "<b>%{customdata[1]}</b> (%{customdata[5]})<br>"
            f"{metric_label}: %{{customdata[2]}}<br>"
            f"together in %{{customdata[3]}} {unit}<extra></extra>"
        ),
    }
    layout = _layout(title=title, height=plot_height)
    if result.metric == "npmi":  # a colour bar of known width: every margin can be set
        widest = max(text_width(str(label)) for label in labels)
        first = text_width(str(labels[0])) * math.sqrt(0.5)
        layout["margin"].update(
            l=math.ceil(max(widest, first)) + LABEL_PAD,
            r=NPMI_COLORBAR_RIGHT,
            b=math.ceil(widest * math.sqrt(0.5)) + HEATMAP_BOTTOM_PAD,
        )
    layout["hovermode"] = "closest"
    layout["plot_bgcolor"] = "#eceff3"  # blank cells (never together) read as grey, not as 0
    axis = {"type": "category", "categoryorder": "array", "categoryarray": labels}
    layout["xaxis"] = {**axis, "tickangle": -45, "showgrid": False}
    layout["yaxis"] = {**axis, "autorange": "reversed", "showgrid": False}
    return _figure([heatmap, cells], layout)


@lru_cache(maxsize=8)
def _colorscale_json(name: str) -> str:
    return json.dumps(go.Heatmap(colorscale=name).to_plotly_json()["colorscale"])


def _colorscale(name: str) -> list[list[Any]]:
    """A named colour scale as the list of [position, colour] Plotly's validation makes of
    it (plotly.js knows no "RdBu_r")."""
    scale: list[list[Any]] = json.loads(_colorscale_json(name))
    return scale


SMOOTHING: dict[str, int] = {"day": 7, "week": 4, "month": 1}  # periods averaged per line


def volume_figure(
    frame: pd.DataFrame, *, freq: str = "week", title: str | None = None, height: int = 420
) -> go.Figure:
    """All articles as bars; articles naming each top country as smoothed lines over them
    (a moving average over a few periods, so quiet weeks do not draw spikes to zero)."""
    if frame.empty:
        return empty_figure("No dated articles match these filters", title=title)
    articles = _by_value(frame["articles"], lambda n: plural(int(n), "article"))
    series = frame["series"].to_numpy(dtype=object)
    periods = frame["period"].to_numpy()
    counts = frame["articles"].to_numpy()
    total = series == ALL_ARTICLES
    traces: list[dict[str, Any]] = [
        {
            "type": "bar",
            "x": periods[total],
            "y": counts[total],
            "name": ALL_ARTICLES,
            "marker": {"color": "#d1d5db"},
            "customdata": articles[total].tolist(),
            "hovertemplate": f"%{{x|%Y-%m-%d}}: %{{customdata}}<extra>{ALL_ARTICLES}</extra>",
        }
    ]
    window = SMOOTHING.get(freq, 1)
    countries = [s for s in dict.fromkeys(series) if s != ALL_ARTICLES]
    colours = country_colours(countries)
    for country in countries:
        mine = series == country
        smooth = pd.Series(counts[mine]).rolling(window, center=True, min_periods=1).mean()
        label = country if window == 1 else f"{country} ({window}-{freq} average)"
        traces.append(
            {
                "type": "scatter",
                "x": periods[mine],
                "y": smooth.round(2).to_numpy(),
                "name": html.escape(label),
                "mode": "lines",
                "line": {"color": colours[country], "width": 2, "shape": "spline"},
                "customdata": articles[mine].tolist(),
                "hovertemplate": "%{x|%Y-%m-%d}: %{customdata} (average %{y:.1f})"
                "<extra>%{fullData.name}</extra>",
            }
        )
    layout = _layout(title=title, height=height)
    layout["bargap"] = 0.1
    layout["hovermode"] = "x unified"
    layout["legend"] = {"orientation": "h", "y": -0.12}
    layout["xaxis"] = {"type": "date", "title": {}}
    layout["yaxis"] = {
        "title": {"text": f"articles per {freq}"},
        **count_axis(float(frame["articles"].max() or 0)),
    }
    return _figure(traces, layout)


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
    bars = {
        "type": "bar",
        "x": frame[value].to_numpy(),
        "y": [html.escape(str(name)) for name in frame[label]],
        "orientation": "h",
        "marker": {"color": list(colours) if colours is not None else colour},
        "customdata": hover,
        "hovertemplate": "%{customdata}<extra></extra>",
        "name": value,
    }
    layout = _layout(title=title, height=height or max(260, 90 + 28 * len(frame)))
    labels = max(text_width(name) for name in bars["y"])
    layout["margin"].update(l=math.ceil(labels) + LABEL_PAD, r=BAR_RIGHT, b=BAR_AXIS_BOTTOM)
    layout["yaxis"] = {"autorange": "reversed", "title": {}}
    layout["xaxis"] = {
        "title": {"text": axis_title or value},
        **count_axis(float(frame[value].max() or 0)),
    }
    return _figure([bars], layout)


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
        margin={"l": 0, "r": 0, "b": MAP_BOTTOM},
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
