"""Flashpoint dashboard: page setup, the shared sidebar filters, and navigation over
the pages in `pages/` (listed in components/navigation.py).

Run with `flashpoint serve` or `streamlit run app.py`; the corpus comes from
$FLASHPOINT_CORPUS (else data/corpus).
"""

from __future__ import annotations

import streamlit as st

from components import data, navigation, state
from components.filters import filtered_data_button, sidebar_filters
from components.setup import missing_corpus_page

st.set_page_config(
    page_title="Flashpoint",
    page_icon="📡",  # an emoji: a material icon favicon is fetched from the internet
    layout="wide",
    initial_sidebar_state="expanded",
)

corpus_key = data.corpus_key()
if corpus_key is None:
    st.navigation([st.Page(missing_corpus_page, title="Set up", icon=":material/build:")]).run()
    st.stop()

try:
    options = data.options(corpus_key)
except Exception as error:  # a damaged corpus: say so instead of a traceback
    st.navigation([st.Page(missing_corpus_page, title="Set up")], position="hidden")
    st.error(f"The corpus at `{corpus_key[0]}` could not be read: {error}")
    st.stop()

filters = sidebar_filters(options)
state.set_current(filters, corpus_key)
with st.sidebar:
    filtered_data_button(corpus_key, filters)

page = st.navigation(navigation.app_pages())
data.export_ready()
with data.page_running():  # the PNG export browser starts once no page is running
    navigation.run(page)
