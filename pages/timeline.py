"""Timeline: stories over time; select points to read the sentences behind them."""

from __future__ import annotations

import streamlit as st

from components import data, navigation, state
from components.chart import render_chart
from components.empty import no_results
from flashpoint.analysis.articles import reader_link
from flashpoint.analysis.counts import plural
from flashpoint.analysis.filters import describe
from flashpoint.charts import LANES, chart_title, focus_range, timeline_csv_frame, timeline_figure

CHART = "timeline_chart"
STORY = "story"  # URL parameter: the selected stories, so a copied link shows them too


def _remember_selection() -> None:
    """Callback: the stories clicked or boxed on the chart go into the URL."""
    points = st.session_state[CHART]["selection"]["points"]
    chosen = list(
        dict.fromkeys(
            str(point["customdata"][0])
            for point in points
            if isinstance(point.get("customdata"), list) and point["customdata"]
        )
    )
    if chosen:
        st.query_params[STORY] = chosen
    elif STORY in st.query_params:
        del st.query_params[STORY]


navigation.require_app()
filters = state.current_filters()
key = state.current_corpus_key()

st.title("Timeline")
st.text(describe(filters))
lanes = state.url_choice(
    "Lanes by", "lanes", LANES, "type", help="One row per event type, or per actor"
)

drawn = data.timeline_data(key, filters)
frame = drawn.frame
if frame.empty:
    no_results(filters, "stories", key="timeline_empty")
    st.stop()

focus = focus_range(frame)
older = int((frame["date"] < focus[0]).sum()) if focus else 0
undated = drawn.undated
if drawn.capped:
    st.info(
        f"Showing the {len(frame):,} most-reported and latest of {drawn.stories:,} stories "
        f"({drawn.reports:,} reports): one marker per story would be unreadable. Narrow the "
        "filters (a country, a type, a period) to see all of them.",
        icon=":material/filter_list:",
    )
st.caption(
    f"{plural(drawn.stories, 'story')} from {plural(drawn.reports, 'report')}. "
    "Colour: actor's country · shape: event type · size: reports · hollow: uncertain date · "
    "grey bar: dated only by month or year (the point sits mid-period) · faded: planned, "
    "possible or claimed · dotted lines: nuclear tests and UN sanctions resolutions."
    + (
        f" The view opens on the reporting period; {older} earlier stories that articles "
        "recall are reached with the range slider or “all”."
        if older
        else ""
    )
    + (
        f" {undated} {'story has' if undated == 1 else 'stories have'} no date at all (no "
        "event date, undated article) and cannot be placed."
        if undated
        else ""
    )
)
render_chart(
    timeline_figure(
        frame, lanes, title=chart_title("timeline", filters), key_events=data.key_events()
    ),
    timeline_csv_frame(frame),
    view="timeline",
    filters=filters,
    key=CHART,
    extra=() if lanes == "type" else ("by-actor",),
    on_select=_remember_selection,
    selection_mode=("points", "box", "lasso"),
)

placed = set(frame["story_id"])
story_ids = tuple(s for s in st.query_params.get_all(STORY) if s in placed)
st.subheader("Evidence")
if not story_ids:
    st.info("Click a point, or drag a box around several, to see their sentences and articles.")
else:
    reports = data.story_reports(key, filters, story_ids).copy()
    reports["reader"] = [reader_link(a, filters) for a in reports["article_id"]]
    n_articles = reports["article_id"].nunique()
    st.caption(
        f"{len(story_ids)} {'story' if len(story_ids) == 1 else 'stories'} selected: "
        f"{plural(len(reports), 'evidence sentence')} in {plural(n_articles, 'article')}. "
        "The selection is in the page's link: copy it to share this view."
    )
    st.dataframe(
        reports,
        hide_index=True,
        width="stretch",
        key="timeline_evidence",
        column_order=(
            "event_type",
            "event_date",
            "evidence",
            "reader",
            "date_text",
            "dated_by",
            "source",
            "published",
            "title",
            "modality",
            "url",
        ),
        column_config={
            "event_type": "Type",
            "event_date": "Date",
            "date_text": st.column_config.TextColumn("Date as written"),
            "modality": "Modality",
            "dated_by": st.column_config.TextColumn("Dated by", width="medium"),
            "published": st.column_config.DatetimeColumn("Published", format="YYYY-MM-DD"),
            "source": "Source",
            "title": "Title",
            "evidence": st.column_config.TextColumn("Evidence sentence", width="large"),
            "reader": st.column_config.LinkColumn("Read here", display_text="read"),
            "url": st.column_config.LinkColumn("Original", display_text="open"),
        },
    )
