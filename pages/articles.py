"""Articles: the filtered list, and a reader with entities highlighted and events listed."""

from __future__ import annotations

import streamlit as st

from components import data, navigation, state
from components.empty import no_results
from components.reader import render_article
from flashpoint.analysis.counts import plural
from flashpoint.analysis.filters import describe
from flashpoint.export import export_filename, frame_to_csv

TABLE = "article_table"
CHOSEN = "reader_article"


def _choose_clicked(article_ids: tuple[str, ...]) -> None:
    """Callback: a click anywhere in a row (or on its selector) opens that article."""
    selection = st.session_state[TABLE]["selection"]
    rows = list(selection.get("rows") or []) + [cell[0] for cell in selection.get("cells") or []]
    if rows and 0 <= int(rows[0]) < len(article_ids):
        st.session_state[CHOSEN] = article_ids[int(rows[0])]
        st.query_params["article"] = st.session_state[CHOSEN]


navigation.require_app()
filters = state.current_filters()
key = state.current_corpus_key()

st.title("Articles")
st.text(describe(filters))
articles = data.article_list(key, filters)
if articles.empty and not st.query_params.get("article"):
    no_results(filters, "articles", key="articles_empty")
    st.stop()

article_ids = tuple(articles["article_id"])
st.caption(
    f"{plural(len(articles), 'article')}, newest first. Use the sidebar's Text box to search; "
    "click a row to read the article below."
)
st.dataframe(
    articles,
    hide_index=True,
    width="stretch",
    height=300,
    key=TABLE,
    on_select=lambda: _choose_clicked(article_ids),
    selection_mode=["single-row", "single-cell"],
    column_config={
        "article_id": None,
        "published": st.column_config.DatetimeColumn("Published", format="YYYY-MM-DD HH:mm"),
        "source": "Source",
        "title": st.column_config.TextColumn("Title", width="large"),
        "events": st.column_config.NumberColumn("Event mentions", format="%d"),
        "entities": st.column_config.NumberColumn("Entities", format="%d"),
        "word_count": st.column_config.NumberColumn("Words", format="%d"),
        "url": st.column_config.LinkColumn("Original", display_text="open"),
    },
)
st.download_button(
    "Download CSV of this list",
    data=frame_to_csv(articles),
    file_name=export_filename("articles", filters, "csv"),
    mime="text/csv",
    on_click="ignore",
    icon=":material/table:",
)

if CHOSEN not in st.session_state:  # a link may name the article to open
    st.session_state[CHOSEN] = st.query_params.get("article")
chosen = st.session_state[CHOSEN]
if chosen not in article_ids and not (chosen and data.has_article(key, chosen)):
    chosen = st.session_state[CHOSEN] = article_ids[0] if article_ids else None
if chosen is None:
    no_results(filters, "articles", key="articles_empty")
    st.stop()
st.query_params["article"] = chosen

st.divider()
if chosen not in article_ids:
    # Opened from an evidence table: an event inside the date range may be reported by an
    # article published outside it.
    st.caption("This article is not in the list above under the current filters.")
render_article(key, chosen)
