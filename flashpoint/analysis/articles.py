"""The article list and the article reader's content.

Article text is untrusted: :func:`highlight_entities` escapes every character of it and
only adds markup of its own, and :func:`safe_url` lets through web links only.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode, urlsplit

import pandas as pd

from flashpoint.analysis.filters import FilteredView, Filters, as_list, evidence_sentences

READER_PAGE = "articles"  # the reader's URL path, relative to the app's root

# Highlight colours per entity type (background, text); the reader's legend shows them.
ENTITY_STYLES: dict[str, tuple[str, str]] = {
    "country": ("#dbeafe", "#1e3a8a"),
    "person": ("#fce7f3", "#831843"),
    "organization": ("#dcfce7", "#14532d"),
    "weapon": ("#fee2e2", "#7f1d1d"),
    "place": ("#fef3c7", "#78350f"),
}
_OTHER_STYLE = ("#e5e7eb", "#111827")
ARTICLE_LIST_COLUMNS: tuple[str, ...] = (
    "article_id",
    "published",
    "source",
    "title",
    "events",
    "entities",
    "word_count",
    "url",
)


def safe_url(url: object) -> str | None:
    """An http(s) link, or None: a stored URL must not become ``javascript:`` in a page."""
    if not isinstance(url, str):
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return text


def reader_link(article_id: object, filters: Filters) -> str:
    """A link that opens the article in the dashboard's own reader, keeping the filters:
    ``articles?country=North+Korea&article=<id>`` (relative: works under any base URL)."""
    params: dict[str, str | list[str]] = {**filters.to_query_params(), "article": str(article_id)}
    return f"{READER_PAGE}?{urlencode(params, doseq=True)}"


def _same_span(found: str, expected: object) -> bool:
    if not isinstance(expected, str) or not expected:
        return True
    return " ".join(found.split()).casefold() == " ".join(expected.split()).casefold()


def _escape_block(text: str) -> str:
    """Escape, keeping the article's paragraphs and line breaks visible."""
    escaped = html.escape(text, quote=True)
    escaped = re.sub(r"\n\s*\n+", "</p><p>", escaped)
    return escaped.replace("\n", "<br>")


def highlight_entities(text: str, mentions: pd.DataFrame) -> str:
    """The article as HTML paragraphs with each recognised entity marked.

    Mentions whose offsets do not point at their own text (a stale table) are left
    unmarked rather than marking the wrong words. Overlapping mentions keep the first.
    """
    text = text if isinstance(text, str) else ""
    pieces: list[str] = []
    position = 0
    if len(mentions):
        ordered = mentions.sort_values(["start_char", "end_char"], kind="stable")
        for start, end, surface, name, kind in zip(
            ordered["start_char"],
            ordered["end_char"],
            ordered["text"],
            ordered["entity_name"],
            ordered["entity_type"],
            strict=True,
        ):
            if pd.isna(start) or pd.isna(end):
                continue
            start, end = int(start), int(end)
            if start < position or end <= start or end > len(text):
                continue
            if not _same_span(text[start:end], surface):
                continue
            kind_text = kind if isinstance(kind, str) and kind else "unresolved"
            background, colour = ENTITY_STYLES.get(kind_text, _OTHER_STYLE)
            label = name if isinstance(name, str) and name else "not resolved"
            pieces.append(_escape_block(text[position:start]))
            pieces.append(
                f'<mark class="fp-entity fp-{html.escape(kind_text)}" '
                f'style="background:{background};color:{colour};'
                f'padding:0 .15em;border-radius:.2em" '
                f'title="{html.escape(label)} ({html.escape(kind_text)})">'
                f"{html.escape(text[start:end])}</mark>"
            )
            position = end
    pieces.append(_escape_block(text[position:]))
    return '<div class="fp-article"><p>' + "".join(pieces) + "</p></div>"


def entity_legend_html() -> str:
    spans = [
        f'<mark style="background:{bg};color:{fg};padding:0 .3em;border-radius:.2em">{kind}</mark>'
        for kind, (bg, fg) in ENTITY_STYLES.items()
    ]
    return '<div class="fp-legend">' + " ".join(spans) + "</div>"


def article_list(view: FilteredView) -> pd.DataFrame:
    """One row per article, newest first, with how many events and entities it has."""
    articles = view.articles
    if articles.empty:
        return pd.DataFrame({column: [] for column in ARTICLE_LIST_COLUMNS})
    events = view.events["article_id"].value_counts() if len(view.events) else pd.Series()
    entities = (
        view.mentions.dropna(subset=["entity_id"]).groupby("article_id")["entity_id"].nunique()
        if len(view.mentions)
        else pd.Series()
    )
    frame = pd.DataFrame(
        {
            "article_id": articles["article_id"].to_numpy(),
            "published": pd.to_datetime(articles["published"], utc=True, errors="coerce"),
            "source": articles["source"].to_numpy(),
            "title": articles["title"].fillna("(untitled)").to_numpy(),
            "events": articles["article_id"].map(events).fillna(0).astype(int).to_numpy(),
            "entities": articles["article_id"].map(entities).fillna(0).astype(int).to_numpy(),
            "word_count": articles["word_count"].to_numpy(),
            "url": articles["url"].map(safe_url).to_numpy(),
        }
    )
    # Stable: articles published at the same moment keep their stored order (the query
    # index orders them the same way).
    return frame.sort_values(
        "published", ascending=False, na_position="last", kind="stable"
    ).reset_index(drop=True)


def date_label(event_date: object, precision: object) -> str:
    """How a table shows an event's date: "2017-07-04", "2017-08 (month)", "undated"."""
    if not isinstance(event_date, str) or not event_date:
        return "undated"
    if precision in ("month", "year"):
        return f"{event_date} ({precision})"
    return event_date


def as_written(date_text: object) -> str:
    """The date expression as the article wrote it; a dash where the text had none."""
    return date_text.strip() if isinstance(date_text, str) and date_text.strip() else "–"


def article_events(corpus: Any, article_id: str, catalog: Any) -> pd.DataFrame:
    """Every event extracted from one article (all modalities: the reader shows what the
    extractor saw), with names instead of ids."""
    events = corpus.events
    events = events[events["article_id"] == article_id]
    return article_events_frame(events, evidence_sentences(events, corpus.articles), catalog)


def article_events_frame(events: pd.DataFrame, evidence: pd.Series, catalog: Any) -> pd.DataFrame:
    """:func:`article_events` from one article's event rows and their evidence sentences
    (in the same order), in text order (ties: stored order)."""
    events = events.assign(_evidence=evidence.to_numpy()).sort_values("start_char", kind="stable")
    if events.empty:
        return pd.DataFrame(
            columns=[
                "event_type",
                "event_date",
                "date_text",
                "modality",
                "actors",
                "weapons",
                "evidence",
            ]
        )
    return pd.DataFrame(
        {
            "event_type": events["event_type"].str.replace("_", " ").to_numpy(),
            "event_date": [
                date_label(d, p)
                for d, p in zip(events["event_date"], events["date_precision"], strict=True)
            ],
            "date_text": events["date_text"].map(as_written).to_numpy(),
            "modality": events["modality"].to_numpy(),
            "actors": [", ".join(catalog.names(as_list(v))) for v in events["actors"]],
            "participants": [", ".join(catalog.names(as_list(v))) for v in events["participants"]],
            "weapons": [", ".join(catalog.names(as_list(v))) for v in events["weapons"]],
            "trigger": events["trigger"].to_numpy(),
            "evidence": events["_evidence"].to_numpy(),
        }
    )


def article_record(corpus: Any, article_id: str) -> dict[str, Any] | None:
    """One article's row as a dict, or None if it is not in the corpus."""
    rows = corpus.articles[corpus.articles["article_id"] == article_id]
    if rows.empty:
        return None
    record: dict[str, Any] = rows.iloc[0].to_dict()
    record["url"] = safe_url(record.get("url"))
    return record


def article_mentions(corpus: Any, article_id: str) -> pd.DataFrame:
    mentions = corpus.mentions
    return mentions[mentions["article_id"] == article_id]
