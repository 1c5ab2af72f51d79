"""Overview: how much there is, when it was published, who and what it is about."""

from __future__ import annotations

import streamlit as st

from components import data, navigation, state
from components.chart import render_chart
from components.empty import no_results
from flashpoint.analysis.counts import modality_scope, plural
from flashpoint.analysis.filters import describe
from flashpoint.analysis.overview import FREQUENCIES
from flashpoint.charts import bar_figure, chart_title, events_by_type_figure, volume_figure

navigation.require_app()
filters = state.current_filters()
key = state.current_corpus_key()

st.title("Overview")
st.text(describe(filters))

head = data.headline(key, filters)
scope = modality_scope(filters)
columns = st.columns(4)
columns[0].metric(
    "Articles",
    f"{head.articles:,}",
    help=f"{head.near_duplicates} of them near-duplicates of another article",
)
columns[1].metric("Sources", f"{head.sources:,}")
columns[2].metric(
    f"Stories ({scope})",
    f"{head.stories:,}",
    help="A story is one real-world event (one test, one launch, one meeting), however "
    "many articles report it. `flashpoint stats` counts the same way.",
)
columns[3].metric(
    f"Reports ({scope})",
    f"{head.reports:,}",
    help="A report is one article's account of a story: an article naming the same test "
    "five times is one report.",
)
st.caption(
    f"Published {head.date_span}. "
    f"{plural(head.stories, 'story')} ({scope}) from {plural(head.reports, 'report')}"
    + ("" if filters.include_unasserted else "; planned, possible and claimed events are left out")
    + " — the numbers `flashpoint stats` prints for the same filters."
)

if head.articles == 0 and head.stories == 0:
    no_results(filters, key="overview_empty")
    st.stop()

st.subheader("Coverage volume")
freq = state.url_choice("Articles per", "freq", tuple(FREQUENCIES), "week")
volume = data.volume(key, filters, freq)
render_chart(
    volume_figure(volume, freq=freq, title=chart_title("volume", filters)),
    volume,
    view="volume",
    filters=filters,
    key="volume_chart",
    extra=(f"per-{freq}",),
)

st.subheader("Stories by type")
by_type = data.events_by_type(key, filters)
render_chart(
    events_by_type_figure(
        by_type,
        title=f"Stories by type ({scope})"
        + ("" if filters.is_empty else f" — {describe(filters)}"),
        scope=scope,
    ),
    by_type,
    view="stories-by-type",
    filters=filters,
    key="types_chart",
)

st.subheader("Most mentioned")
for column, (entity_type, label) in zip(
    st.columns(3),
    (("country", "Countries"), ("person", "People"), ("weapon", "Weapon systems")),
    strict=True,
):
    with column:
        top = data.top_entities(key, filters, entity_type, 10)
        render_chart(
            bar_figure(
                top,
                value="articles",
                label="name",
                title=label,
                unit="article",
                axis_title="articles naming it",
            ),
            top,
            view=f"top-{entity_type}",
            filters=filters,
            key=f"top_{entity_type}_chart",
            compact=True,
        )

st.subheader("Latest stories")
latest = data.latest_stories(key, filters, 10)
if latest.empty:
    st.caption("No stories under these filters.")
else:
    st.dataframe(
        latest,
        hide_index=True,
        width="stretch",
        key="latest_stories",
        column_config={
            "date": "Date",
            "event_type": "Type",
            "actor": "Actor",
            "weapons": "Weapons",
            "headline": st.column_config.TextColumn("Headline", width="large"),
            "n_reports": st.column_config.NumberColumn("Reports", format="%d"),
            "sources": "Sources",
        },
    )
