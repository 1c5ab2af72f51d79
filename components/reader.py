"""The article reader: the text with its entities highlighted, and its events.

Everything from the article is HTML-escaped before it reaches ``st.html`` (which also
sanitises); the only markup is ours.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import streamlit as st

from components import data
from flashpoint.analysis.articles import entity_legend_html, highlight_entities

# A 3,000-character "word" (a URL, a run of dashes, junk) must wrap, not widen the page.
WRAP = "overflow-wrap:anywhere;word-break:break-word"


def _published(value: Any) -> str:
    stamp = pd.to_datetime(value, utc=True, errors="coerce")
    return "date unknown" if pd.isna(stamp) else stamp.strftime("%Y-%m-%d %H:%M UTC")


def render_article(corpus_key: data.CorpusKey, article_id: str, *, key: str = "reader") -> None:
    record, mentions = data.article(corpus_key, article_id)
    if record is None:
        st.warning("That article is not in the corpus (it may have been removed).")
        return
    title = html.escape(str(record.get("title") or "(untitled)"))
    meta = [
        html.escape(str(record.get("source") or "unknown source")),
        html.escape(_published(record.get("published"))),
    ]
    if record.get("dateline"):
        meta.append("dateline " + html.escape(str(record["dateline"])))
    if record.get("duplicate_of"):
        meta.append("near-duplicate of " + html.escape(str(record["duplicate_of"])))
    link = (
        f' · <a href="{html.escape(record["url"], quote=True)}" target="_blank" '
        f'rel="noopener noreferrer nofollow">original</a>'
        if record.get("url")
        else ""
    )
    st.html(
        f'<div class="fp-reader-head" style="{WRAP}"><h3 style="margin-bottom:.2em">{title}</h3>'
        f'<div style="color:#6b7280">{" · ".join(meta)}{link}</div></div>'
    )
    st.html(entity_legend_html())
    text = str(record.get("text") or "")
    # Long articles scroll inside a box so the events below stay in reach.
    with st.container(
        height=520 if len(text) > 2500 else "content", border=True, key=f"{key}_text"
    ):
        st.html(
            f'<div class="fp-reader-text" style="{WRAP}">{highlight_entities(text, mentions)}</div>'
        )
    events = data.article_events(corpus_key, article_id)
    st.markdown(f"**Events extracted** ({len(events)})")
    if events.empty:
        st.caption("No events were extracted from this article.")
    else:
        st.dataframe(
            events,
            hide_index=True,
            width="stretch",
            column_config={
                "event_type": "type",
                "event_date": "date",
                "date_precision": "precision",
                "evidence": st.column_config.TextColumn("evidence sentence", width="large"),
            },
            key=f"{key}_events",
        )
