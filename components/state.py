"""Per-session state shared by app.py and the pages, and view options kept in the URL."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from flashpoint.analysis.filters import Filters

_FILTERS = "_fp_filters"
_KEY = "_fp_corpus_key"


def set_current(filters: Filters, corpus_key: Any) -> None:
    st.session_state[_FILTERS] = filters
    st.session_state[_KEY] = corpus_key


def require_app() -> None:
    """Make sure this page runs through app.py (its sidebar and navigation).

    Until ``st.navigation`` has run in a process, Streamlit treats a ``pages/`` folder
    as the old automatic navigation, so the first request for a deep link
    (``/timeline?country=…``) runs the page file on its own, without app.py. (AppTest
    starts every run that way.) Switch that mode off and rerun: the rerun goes through
    app.py and lands on the same page with the same URL.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    if _FILTERS not in st.session_state:
        st.error("Open the dashboard with `streamlit run app.py` (or `flashpoint serve`).")
        st.stop()


def current_filters() -> Filters:
    filters = st.session_state.get(_FILTERS)
    return filters if isinstance(filters, Filters) else Filters()


def current_corpus_key() -> Any:
    return st.session_state.get(_KEY)


def url_choice(
    label: str,
    param: str,
    choices: Sequence[str],
    default: str,
    *,
    format_func: Callable[[str], str] = str,
    help: str | None = None,
) -> str:
    """A horizontal radio bound to the URL parameter ``param``."""
    value = st.radio(
        label,
        list(choices),
        index=list(choices).index(default),
        key=param,
        bind="query-params",
        format_func=format_func,
        help=help,
        horizontal=True,
    )
    return str(value) if value in choices else default
