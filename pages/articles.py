"""Articles: the filtered list, and a reader with entities highlighted and events listed."""

from __future__ import annotations

import streamlit as st

from components import data, state
from components.empty import no_results
from components.reader import render_article
from flashpoint.analysis.filters import describe
from flashpoint.export import export_filename, frame_to_csv

TABLE = "article_table"
CHOSEN = "reader_article"


def _choose_row(article_ids: tuple[str, ...]) -> None:
    """Callback: the row clicked in the list opens in the reader."""
    rows = st.session_state[TABLE]["selection"]["rows"]
    if rows and rows[0] < len(article_ids):
        st.session_state[CHOSEN] = article_ids[rows[0]]


state.require_app()
filters = state.current_filters()
key = state.current_corpus_key()

st.title("Articles")
st.text(describe(filters))
articles = data.article_list(key, filters)
if articles.empty:
    no_results(filters, "articles", key="articles_empty")
    st.stop()

article_ids = tuple(articles["article_id"])
st.caption(
    f"{len(articles):,} articles, newest first. Use the sidebar's Text box to search; click "
    "a row to read it."
)
st.dataframe(
    articles,
    hide_index=True,
    width="stretch",
    height=300,
    key=TABLE,
    on_select=lambda: _choose_row(article_ids),
    selection_mode="single-row",
    column_config={
        "article_id": None,
        "published": st.column_config.DatetimeColumn("published", format="YYYY-MM-DD HH:mm"),
        "title": st.column_config.TextColumn("title", width="large"),
        "word_count": "words",
        "url": st.column_config.LinkColumn("link", display_text="open"),
    },
)
st.download_button(
    "Download CSV",
    data=frame_to_csv(articles),
    file_name=export_filename("articles", filters, "csv"),
    mime="text/csv",
    on_click="ignore",
    icon=":material/table:",
)

if CHOSEN not in st.session_state:  # a link may name the article to open
    st.session_state[CHOSEN] = st.query_params.get("article")
if st.session_state[CHOSEN] not in article_ids:
    st.session_state[CHOSEN] = article_ids[0]
st.query_params["article"] = st.session_state[CHOSEN]

st.divider()
render_article(key, st.session_state[CHOSEN])
