"""What a page shows when the filters match nothing: a reason and a way out."""

from __future__ import annotations

import streamlit as st

from components.filters import clear_filters
from flashpoint.analysis.filters import Filters, describe


def no_results(filters: Filters, what: str = "articles or events", *, key: str = "empty") -> None:
    """A friendly empty state with a button that clears the filters."""
    with st.container(border=True):
        st.markdown(f"#### No {what} match these filters")
        # The description includes free text typed by the user: shown as plain text.
        st.text(describe(filters))
        st.markdown(
            "Try a wider date range, fewer countries or weapon systems, or include planned, "
            "possible and claimed events."
        )
        st.button(
            "Clear filters",
            key=f"{key}_clear",
            on_click=clear_filters,
            icon=":material/filter_alt_off:",
        )
