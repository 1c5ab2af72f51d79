"""Timeline: stories over time; select points to read the sentences behind them."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.chart import render_chart
from components.empty import no_results
from flashpoint.analysis.filters import describe
from flashpoint.charts import LANES, chart_title, focus_range, timeline_csv_frame, timeline_figure

state.require_app()
filters = state.current_filters()
key = state.current_corpus_key()

st.title("Timeline")
st.text(describe(filters))
lanes = state.url_choice(
    "Lanes by", "lanes", LANES, "type", help="One row per event type, or per actor"
)

frame = data.timeline_frame(key, filters)
if frame.empty:
    no_results(filters, "stories", key="timeline_empty")
    st.stop()

focus = focus_range(frame)
older = int((frame["date"] < focus[0]).sum()) if focus else 0
undated = data.undated_stories(key, filters)
st.caption(
    f"{len(frame)} stories from {int(frame['n_reports'].sum())} reports. Colour: actor's "
    "country · shape: event type · size: reports · hollow: uncertain date · faded: planned, "
    "possible or claimed."
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
selection = render_chart(
    timeline_figure(frame, lanes, title=chart_title("timeline", filters)),
    timeline_csv_frame(frame),
    view="timeline",
    filters=filters,
    key="timeline_chart",
    extra=() if lanes == "type" else ("by-actor",),
    on_select="rerun",
    selection_mode=("points", "box", "lasso"),
)

points = selection.selection.points if selection is not None else []
story_ids = tuple(
    dict.fromkeys(
        str(point["customdata"][0])
        for point in points
        if isinstance(point.get("customdata"), list) and point["customdata"]
    )
)
st.subheader("Evidence")
if not story_ids:
    st.info("Click a point, or drag a box around several, to see their sentences and articles.")
else:
    reports = data.story_reports(key, filters, story_ids)
    n_articles = reports["article_id"].nunique()
    st.caption(
        f"{len(story_ids)} {'story' if len(story_ids) == 1 else 'stories'} selected: "
        f"{len(reports)} evidence {'sentence' if len(reports) == 1 else 'sentences'} in "
        f"{n_articles} {'article' if n_articles == 1 else 'articles'}"
    )
    st.dataframe(
        reports,
        hide_index=True,
        width="stretch",
        key="timeline_evidence",
        column_config={
            "story_id": None,
            "article_id": None,
            "event_type": "type",
            "event_date": "date",
            "dated_by": st.column_config.TextColumn("dated by", width="medium"),
            "published": st.column_config.DatetimeColumn("published", format="YYYY-MM-DD"),
            "evidence": st.column_config.TextColumn("evidence sentence", width="large"),
            "url": st.column_config.LinkColumn("article", display_text="open"),
        },
    )
