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
