"""Map: where the filtered events happened; click a marker to read its sentences."""

from __future__ import annotations

import streamlit as st

from components import data, navigation, state
from components.chart import render_chart
from components.empty import no_results
from flashpoint.analysis.articles import reader_link
from flashpoint.analysis.counts import modality_scope, plural
from flashpoint.analysis.filters import describe
from flashpoint.charts import chart_title, map_figure, type_label

CHART = "map_chart"
PICK = "map_pick"  # "place-id|event_type"; in the URL as ?place=…&ptype=…
PLACE, TYPE = "place", "ptype"


def _to_url(value: str) -> None:
    place_id, _, kind = value.partition("|")
    st.query_params[PLACE] = place_id
    st.query_params[TYPE] = kind


def _choose_clicked() -> None:
    """Callback: a clicked marker picks its place and type."""
    points = st.session_state[CHART]["selection"]["points"]
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list) and len(custom) >= 2:
            st.session_state[PICK] = f"{custom[0]}|{custom[1]}"
            _to_url(st.session_state[PICK])
            return


navigation.require_app()
filters = state.current_filters()
key = state.current_corpus_key()

st.title("Map")
st.text(describe(filters))
frame, unplaced = data.map_frame(key, filters)
if frame.empty:
    if unplaced:
        st.info(
            f"{plural(unplaced, 'story')} match these filters, but none names a place the "
            "gazetteer knows, so none can be put on the map."
        )
        st.stop()
    no_results(filters, "events", key="map_empty")
    st.stop()

scope = modality_scope(filters)
n_places = frame["place_id"].nunique()
st.caption(
    f"Stories ({scope}) at {plural(n_places, 'place')}: one marker per place and event type, "
    "sized by reports, coloured by type; an event located only at a country sits at the "
    "country's label point. "
    + (
        f"{plural(unplaced, 'story')} under these filters {'names' if unplaced == 1 else 'name'} "
        "no place the gazetteer knows and "
        f"{'is' if unplaced == 1 else 'are'} not on the map. "
        if unplaced
        else ""
    )
    + "Click a marker to read its sentences."
)
render_chart(
    map_figure(frame, title=chart_title("map", filters)),
    frame,
    view="map",
    filters=filters,
    key=CHART,
    on_select=_choose_clicked,
    selection_mode="points",
    plotly_config={"topojsonURL": data.topojson_url()},
)

options = [
    f"{pid}|{kind}" for pid, kind in zip(frame["place_id"], frame["event_type"], strict=True)
]
labels = {
    f"{pid}|{kind}": f"{place} — {type_label(kind)} ({plural(int(n), 'report')})"
    for pid, kind, place, n in zip(
        frame["place_id"], frame["event_type"], frame["place"], frame["reports"], strict=True
    )
}
if st.session_state.get(PICK) not in options:  # first visit, a link, or new filters
    from_url = f"{st.query_params.get(PLACE, '')}|{st.query_params.get(TYPE, '')}"
    st.session_state[PICK] = from_url if from_url in options else options[0]
_to_url(st.session_state[PICK])

st.subheader("Sentences behind a place")
choice = st.selectbox(
    "Place and event type",
    options,
    key=PICK,
    format_func=lambda value: labels.get(value, value),
    on_change=lambda: _to_url(st.session_state[PICK]),
)
place_id, _, kind = str(choice).partition("|")
reports = data.place_reports(key, filters, place_id, kind or None).copy()
reports["reader"] = [reader_link(a, filters) for a in reports["article_id"]]
st.caption(
    f"{labels.get(str(choice), choice)}: {plural(len(reports), 'evidence sentence')} in "
    f"{plural(reports['article_id'].nunique(), 'article')}."
)
st.dataframe(
    reports,
    hide_index=True,
    width="stretch",
    key="map_evidence",
    column_order=(
        "event_type",
        "event_date",
        "evidence",
        "reader",
        "date_text",
        "source",
        "published",
        "title",
        "modality",
        "url",
    ),
    column_config={
        "event_type": "Type",
        "event_date": "Date",
        "date_text": "Date as written",
        "modality": "Modality",
        "published": st.column_config.DatetimeColumn("Published", format="YYYY-MM-DD"),
        "source": "Source",
        "title": "Title",
        "evidence": st.column_config.TextColumn("Evidence sentence", width="large"),
        "reader": st.column_config.LinkColumn("Read here", display_text="read"),
        "url": st.column_config.LinkColumn("Original", display_text="open"),
    },
)
