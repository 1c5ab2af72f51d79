"""The NLP stage as one pure function: article rows in, sentence/mention/event tables out.

``process_batch`` touches no disk and keeps no state beyond the pipeline it is given, so it
runs unchanged inside ``flashpoint ingest``, ``reprocess``, the evaluation, or as a
``map_batches`` step on Ray Data / ``mapInPandas`` on Spark (load the pipeline once per
worker, call this per batch).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from flashpoint.nlp import pipeline as _pipeline  # noqa: F401  (components and extensions)
from flashpoint.nlp.events.component import article_of, set_article
from flashpoint.nlp.normalize import is_mention
from flashpoint.schema import (
    EVENT_COLUMNS,
    MENTION_COLUMNS,
    SENTENCE_COLUMNS,
    ArticleContext,
)

INT_COLUMNS = frozenset({"sentence_idx", "start_char", "end_char"})


class NlpTables(NamedTuple):
    sentences: pd.DataFrame
    mentions: pd.DataFrame
    events: pd.DataFrame


def _utc(value: Any) -> datetime | None:
    """A publication time as aware UTC, whatever shape the row carries (None, NaT, str...)."""
    if value is None:
        return None
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return None
    if pd.isna(stamp):
        return None
    stamp = stamp.tz_localize(UTC) if stamp.tzinfo is None else stamp.tz_convert(UTC)
    result: datetime = stamp.to_pydatetime()
    return result


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    return str(value) if not isinstance(value, str) else value


def article_context(row: Mapping[str, Any]) -> ArticleContext:
    """What event extraction needs to know about an article row."""
    article_id = row.get("article_id")
    if not article_id:
        raise ValueError("an article row needs an 'article_id'")
    return ArticleContext(
        article_id=str(article_id),
        published=_utc(row.get("published")),
        published_precision=_text(row.get("published_precision")) or "unknown",
        dateline=_text(row.get("dateline")),
        title=_text(row.get("title")),
        source=_text(row.get("source")),
    )


def _docs(articles: Iterable[Mapping[str, Any]], nlp: Language) -> Iterator[Doc]:
    """Tokenised Docs carrying their article (``doc._.article``) for ``flashpoint_events``."""
    for row in articles:
        yield set_article(nlp.make_doc(_text(row.get("text")) or ""), article_context(row))


def doc_rows(
    doc: Doc, context: ArticleContext
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Sentence, mention and event rows of one processed article (events: ``doc._.events``)."""
    article_id = context.article_id
    sentences: list[dict[str, Any]] = []
    sentence_of_token: dict[int, int] = {}
    for index, sent in enumerate(doc.sents):
        sentences.append(
            {
                "article_id": article_id,
                "sentence_idx": index,
                "start_char": sent.start_char,
                "end_char": sent.end_char,
            }
        )
        sentence_of_token[sent.start] = index
    starts = sorted(sentence_of_token)

    def sentence_idx(token_index: int) -> int:
        position = int(np.searchsorted(starts, token_index, side="right")) - 1
        return sentence_of_token[starts[max(position, 0)]]

    mentions = [
        {
            "article_id": article_id,
            "sentence_idx": sentence_idx(ent.start),
            "start_char": ent.start_char,
            "end_char": ent.end_char,
            "text": ent.text,
            "label": ent.label_,
            "entity_id": ent._.entity_id,
            "entity_name": ent._.entity_name,
            "entity_type": ent._.entity_type,
        }
        for ent in doc.ents
        if is_mention(ent)
    ]
    events = []
    for record in doc._.events:
        row = asdict(record)
        row.setdefault("story_id", None)
        events.append({column: row.get(column) for column in EVENT_COLUMNS})
    return sentences, mentions, events


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    if not rows:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c in INT_COLUMNS else "object") for c in columns}
        )
    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    for column in INT_COLUMNS & set(columns):
        frame[column] = frame[column].astype("int64")
    return frame


def process_batch(
    articles: Iterable[Mapping[str, Any]],
    nlp: Language,
    *,
    n_process: int = 1,
    batch_size: int = 64,
) -> NlpTables:
    """Run ``nlp`` over article rows (``article_id``, ``text``, ``published``,
    ``published_precision``, ``dateline``, ``title``, ``source``) and return their
    sentences, entity mentions and events, with the columns of flashpoint/schema.py.

    Offsets are character offsets into the row's ``text``. Each row's Doc is made here
    (tokenizer only) with its article attached as ``doc._.article``; the rest of the
    pipeline, event extraction (``flashpoint_events``) included, runs in ``nlp.pipe``, so
    with ``n_process > 1`` in the worker processes spaCy forks. The Flashpoint components
    and extensions are registered in them because this module imports
    flashpoint.nlp.pipeline. A pipeline without ``flashpoint_events`` (``blank_pipeline``)
    yields no events.
    """
    sentences: list[dict[str, Any]] = []
    mentions: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for doc in nlp.pipe(_docs(articles, nlp), n_process=n_process, batch_size=batch_size):
        doc_sentences, doc_mentions, doc_events = doc_rows(doc, article_of(doc))
        sentences += doc_sentences
        mentions += doc_mentions
        events += doc_events
    return NlpTables(
        _frame(sentences, SENTENCE_COLUMNS),
        _frame(mentions, MENTION_COLUMNS),
        _frame(events, EVENT_COLUMNS),
    )
