"""The sidebar filters, shared by every page and kept in the URL.

One widget per filter declared on :class:`~flashpoint.analysis.filters.Filters` (its
``FILTER_FIELDS``), drawn by the filter's kind, labelled and explained by its declaration,
keyed by its query parameter and bound to it (``bind="query-params"``), so a copied link
opens with the same filters set, and ``Filters.from_query_params`` reads the same link
for ``flashpoint chart``. Values the corpus does not offer are dropped by Streamlit.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, Literal

import streamlit as st

from flashpoint.analysis.filters import (
    FILTER_FIELDS,
    FilterField,
    FilterKind,
    FilterOptions,
    Filters,
)
from flashpoint.export import export_filename

# Dates a link may ask for: wide, so a range outside the corpus still reads as given
# (and shows an empty state) rather than being reset.
EARLIEST = date(1945, 1, 1)
LATEST = date(2100, 12, 31)
BIND: Literal["query-params"] = "query-params"


def clear_filters() -> None:
    """Callback: back to the whole corpus."""
    for spec in FILTER_FIELDS:
        st.session_state[spec.param] = (
            list(spec.default) if spec.kind is FilterKind.NAMES else spec.default
        )


def _from_widgets() -> Filters:
    get = st.session_state.get
    return Filters(**{spec.name: get(spec.param, spec.default) for spec in FILTER_FIELDS})


def _widget(spec: FilterField, options: FilterOptions) -> None:
    """The sidebar widget of one declared filter, keyed and bound to its URL parameter.
    One widget per kind of filter: a new kind needs its widget here."""
    if spec.kind in (FilterKind.SINCE, FilterKind.UNTIL):
        span = (
            f"Corpus: {options.first_day} – {options.last_day}. "
            if options.first_day
            else "The corpus has no dated articles. "
        )
        st.date_input(
            spec.label,
            value=None,
            key=spec.param,
            min_value=EARLIEST,
            max_value=LATEST,
            format="YYYY-MM-DD",
            bind=BIND,
            help=(span if spec.kind is FilterKind.SINCE else "") + spec.help,
        )
    elif spec.kind is FilterKind.NAMES:
        st.multiselect(
            spec.label,
            spec.choices or getattr(options, spec.name),
            key=spec.param,
            bind=BIND,
            placeholder=spec.placeholder,
            help=spec.help,
        )
    elif spec.kind is FilterKind.TEXT:
        st.text_input(
            spec.label, key=spec.param, bind=BIND, placeholder=spec.placeholder, help=spec.help
        )
    elif spec.kind is FilterKind.SWITCH:
        st.checkbox(spec.label, key=spec.param, bind=BIND, help=spec.help)
    else:
        raise AssertionError(f"no sidebar widget for filter kind {spec.kind!r}")


def sidebar_filters(options: FilterOptions) -> Filters:
    """Draw the filters, one widget per declared filter; return what they select."""
    with st.sidebar:
        st.header("Filters")
        for spec in FILTER_FIELDS:
            _widget(spec, options)
        st.button(
            "Clear filters",
            key="clear_filters",
            on_click=clear_filters,
            icon=":material/filter_alt_off:",
            width="stretch",
        )
    return _from_widgets()


def filtered_data_button(corpus_key: Any, filters: Filters) -> None:
    """One download for the data itself: the filtered events and stories, CSV and Parquet
    (the charts' own CSV buttons give what each chart draws)."""
    from components import data

    st.download_button(
        "Download filtered data",
        data=partial(data.filtered_zip, corpus_key, filters),  # the corpus only on click
        file_name=export_filename("flashpoint-data", filters, "zip"),
        mime="application/zip",
        key="filtered_data",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
        help="The events and stories these filters select, as CSV and Parquet in one zip "
        "(the tables `flashpoint events` writes).",
    )
