"""Co-occurrence: which entities are named together; pick a pair to read the sentences."""

from __future__ import annotations

import streamlit as st

from components import data, navigation, state
from components.chart import render_chart
from components.empty import no_results
from flashpoint.analysis.cooccurrence import DEFAULT_ENTITY_TYPES, METRICS, PAIR_SHOWN, SCOPES
from flashpoint.analysis.filters import describe
from flashpoint.charts import chart_title, cooccurrence_figure
from flashpoint.schema import ENTITY_TYPES

CHART = "cooccurrence_chart"
PAIR_A, PAIR_B = "a", "b"  # also their URL parameters


def _choose_clicked_cell() -> None:
    """Callback: a clicked cell (a point of the scatter over the heatmap) sets the pair."""
    points = st.session_state[CHART]["selection"]["points"]
    if points:
        st.session_state[PAIR_A] = points[0]["y"]
        st.session_state[PAIR_B] = points[0]["x"]


navigation.require_app()
filters = state.current_filters()
key = state.current_corpus_key()

st.title("Co-occurrence")
st.text(describe(filters))
controls = st.columns([2, 3, 4, 3])
with controls[0]:
    scope = state.url_choice("Together in the same", "scope", SCOPES, "sentence")
with controls[1]:
    metric = state.url_choice(
        "Measure",
        "metric",
        METRICS,
        "npmi",
        help="count: units naming both. npmi: how much more often than chance (−1…1). "
        "jaccard: shared units over units naming either.",
    )
with controls[2]:
    entity_types = st.multiselect(
        "Entity types",
        ENTITY_TYPES,
        default=list(DEFAULT_ENTITY_TYPES),
        key="etype",
        bind="query-params",
    )
with controls[3]:
    top_n = st.slider(
        "Top entities", 5, 60, 25, key="top", bind="query-params", help="The most frequent ones"
    )

result = data.cooccurrence(key, filters, scope, metric, tuple(entity_types), int(top_n))
if result.is_empty:
    if not entity_types:
        st.info("Choose at least one entity type.")
        st.stop()
    no_results(filters, "co-occurring entities", key="cooc_empty")
    st.stop()

st.caption(
    f"{len(result.matrix)} entities over {result.n_units:,} {scope}s; rows and columns are "
    "ordered so that entities that go together sit together. Click a cell to read its "
    "sentences."
)
render_chart(
    cooccurrence_figure(result, title=chart_title("cooccurrence", filters)),
    result.long_form(),
    view="cooccurrence",
    filters=filters,
    key=CHART,
    extra=(scope, metric),
    on_select=_choose_clicked_cell,
    selection_mode="points",
)

labels = list(result.matrix.index)
ids = result.label_to_id()
strongest = result.long_form().iloc[0]
for widget, fallback in ((PAIR_A, strongest["entity_a"]), (PAIR_B, strongest["entity_b"])):
    if st.session_state.get(widget) not in labels:  # first visit, or the filters changed
        st.session_state[widget] = fallback

st.subheader("Sentences behind a pair")
pick = st.columns(2)
entity_a = pick[0].selectbox("Entity", labels, key=PAIR_A, bind="query-params")
entity_b = pick[1].selectbox("and entity", labels, key=PAIR_B, bind="query-params")

if entity_a == entity_b:
    st.info("Choose two different entities.")
    st.stop()
sentences = data.pair_sentences(
    key, filters, ids[entity_a], ids[entity_b], scope, (entity_a, entity_b)
)
together = int(result.counts.to_numpy()[labels.index(entity_a), labels.index(entity_b)])
st.caption(
    f"{entity_a} and {entity_b}: together in {together} {scope}"
    f"{'' if together == 1 else 's'}"
    + (
        "; below, every sentence naming either one in those articles."
        if scope == "article"
        else "."
    )
)
if len(sentences) >= PAIR_SHOWN:
    st.caption(f"The {PAIR_SHOWN:,} newest sentences are shown; narrow the filters to see others.")
if sentences.empty:
    st.info(f"{entity_a} and {entity_b} never appear in the same {scope} under these filters.")
else:
    st.dataframe(
        sentences,
        hide_index=True,
        width="stretch",
        key="pair_sentences",
        column_config={
            "article_id": None,
            "sentence_idx": None,
            "published": st.column_config.DatetimeColumn("published", format="YYYY-MM-DD"),
            "sentence": st.column_config.TextColumn("sentence", width="large"),
            "url": st.column_config.LinkColumn("article", display_text="open"),
        },
    )
