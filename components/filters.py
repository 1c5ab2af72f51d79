"""The sidebar filters, shared by every page and kept in the URL.

Each widget is bound to its query parameter (``bind="query-params"``, keyed by the
parameter name that :class:`~flashpoint.analysis.filters.Filters` uses), so a copied link
opens with the same filters set, and ``Filters.from_query_params`` reads the same link
for ``flashpoint chart``. Values the corpus does not offer are dropped by Streamlit.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any, Literal

import streamlit as st

from flashpoint.analysis.filters import PARAM_NAMES, FilterOptions, Filters
from flashpoint.export import export_filename, filtered_tables_zip
from flashpoint.schema import EVENT_TYPES

SINCE = PARAM_NAMES["since"]
UNTIL = PARAM_NAMES["until"]
COUNTRIES = PARAM_NAMES["countries"]
WEAPON_CLASSES = PARAM_NAMES["weapon_classes"]
WEAPONS = PARAM_NAMES["weapons"]
TYPES = PARAM_NAMES["types"]
SOURCES = PARAM_NAMES["sources"]
QUERY = PARAM_NAMES["query"]
UNASSERTED = PARAM_NAMES["include_unasserted"]
# Dates a link may ask for: wide, so a range outside the corpus still reads as given
# (and shows an empty state) rather than being reset.
EARLIEST = date(1945, 1, 1)
LATEST = date(2100, 12, 31)
_DEFAULTS: dict[str, object] = {
    SINCE: None,
    UNTIL: None,
    COUNTRIES: [],
    WEAPON_CLASSES: [],
    WEAPONS: [],
    TYPES: [],
    SOURCES: [],
    QUERY: "",
    UNASSERTED: False,
}


def clear_filters() -> None:
    """Callback: back to the whole corpus."""
    for key, value in _DEFAULTS.items():
        st.session_state[key] = value


def _from_widgets() -> Filters:
    get = st.session_state.get
    return Filters(
        since=get(SINCE),
        until=get(UNTIL),
        countries=tuple(get(COUNTRIES) or ()),
        weapons=tuple(get(WEAPONS) or ()),
        weapon_classes=tuple(get(WEAPON_CLASSES) or ()),
        types=tuple(get(TYPES) or ()),
        sources=tuple(get(SOURCES) or ()),
        query=get(QUERY) or "",
        include_unasserted=bool(get(UNASSERTED)),
    )


def sidebar_filters(options: FilterOptions) -> Filters:
    """Draw the filters; return what they select."""
    bind: Literal["query-params"] = "query-params"
    with st.sidebar:
        st.header("Filters")
        span = (
            f"Corpus: {options.first_day} – {options.last_day}. "
            if options.first_day
            else "The corpus has no dated articles. "
        )
        st.date_input(
            "From",
            value=None,
            key=SINCE,
            min_value=EARLIEST,
            max_value=LATEST,
            format="YYYY-MM-DD",
            bind=bind,
            help=span
            + "Event date for events and stories; publication date for articles. An event "
            "dated only by month or year is kept only when that whole month or year lies "
            'inside the range ("2017" is not kept by January–June 2017).',
        )
        st.date_input(
            "To",
            value=None,
            key=UNTIL,
            min_value=EARLIEST,
            max_value=LATEST,
            format="YYYY-MM-DD",
            bind=bind,
        )
        st.multiselect(
            "Countries",
            options.countries,
            key=COUNTRIES,
            bind=bind,
            placeholder="Any country",
            help="As actor, participant or mentioned.",
        )
        st.multiselect(
            "Weapon classes",
            options.weapon_classes,
            key=WEAPON_CLASSES,
            bind=bind,
            placeholder="Any class",
        )
        st.multiselect(
            "Weapon systems",
            options.weapons,
            key=WEAPONS,
            bind=bind,
            placeholder="Any weapon system",
        )
        st.multiselect("Event types", EVENT_TYPES, key=TYPES, bind=bind, placeholder="Any type")
        st.multiselect("Sources", options.sources, key=SOURCES, bind=bind, placeholder="Any source")
        st.text_input(
            "Text",
            key=QUERY,
            bind=bind,
            placeholder="Words in titles, text or evidence",
        )
        st.checkbox(
            "Include planned, possible and claimed events",
            key=UNASSERTED,
            bind=bind,
            help="Shown faded on the timeline. Negated events are never shown.",
        )
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
        data=partial(filtered_tables_zip, data.load(corpus_key), filters),
        file_name=export_filename("flashpoint-data", filters, "zip"),
        mime="application/zip",
        key="filtered_data",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
        help="The events and stories these filters select, as CSV and Parquet in one zip "
        "(the tables `flashpoint events` writes).",
    )
