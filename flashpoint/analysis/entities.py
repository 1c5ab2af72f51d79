"""Entity listings: what the corpus names, and what it names that nobody resolved.

Back ``flashpoint entities`` (canonical entities with mention and article counts) and
``flashpoint entities --unresolved`` (the surface forms a gazetteer entry would fix, each
with an example sentence to judge it by).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from flashpoint.analysis.filters import isin, span_text

ENTITY_TABLE_COLUMNS: tuple[str, ...] = (
    "entity_id",
    "entity_name",
    "entity_type",
    "mentions",
    "articles",
)
UNRESOLVED_COLUMNS: tuple[str, ...] = (
    "text",
    "label",
    "count",
    "articles",
    "example",
    "article_id",
)
# Ids the normaliser makes for names the gazetteer lacks ("person:choi-jong-kun"): stable,
# but a sign the gazetteer could know more.
_GAZETTEER_PREFIXES = ("country:", "weapon:", "place:")


def _mentions_of(
    corpus_or_mentions: Any, articles: pd.DataFrame | None, filters: Any
) -> pd.DataFrame:
    if isinstance(corpus_or_mentions, pd.DataFrame):
        if filters is not None:
            raise TypeError("filters need the corpus, not a mentions table")
        mentions = corpus_or_mentions
    else:
        corpus = corpus_or_mentions
        mentions = corpus.mentions
        if filters is not None:
            from flashpoint.analysis.filters import filter_articles

            articles = filter_articles(corpus, filters)
    if articles is not None:
        mentions = mentions[isin(mentions["article_id"], articles["article_id"])]
    return mentions


def entity_table(
    corpus_or_mentions: Any, articles: pd.DataFrame | None = None, filters: Any = None
) -> pd.DataFrame:
    """One row per canonical entity: how often and in how many articles it is mentioned.

    ``corpus_or_mentions`` is a :class:`flashpoint.store.Corpus` (then ``filters`` may
    narrow its articles) or a mentions table; ``articles`` restricts to those article ids.
    Mentions without an entity id are left out (see :func:`unresolved_mentions`).
    """
    mentions = _mentions_of(corpus_or_mentions, articles, filters)
    resolved = mentions[mentions["entity_id"].notna()]
    if resolved.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in ENTITY_TABLE_COLUMNS})
    grouped = resolved.groupby("entity_id", sort=False)
    table = pd.DataFrame(
        {
            "entity_name": grouped["entity_name"].agg(_most_common),
            "entity_type": grouped["entity_type"].agg(_most_common),
            "mentions": grouped.size(),
            "articles": grouped["article_id"].nunique(),
        }
    ).reset_index()
    table = table.sort_values(
        ["mentions", "articles", "entity_name"], ascending=[False, False, True], kind="stable"
    )
    return table[list(ENTITY_TABLE_COLUMNS)].reset_index(drop=True)


def _most_common(values: pd.Series) -> Any:
    counts = values.dropna().value_counts()
    return counts.index[0] if len(counts) else None


def unresolved_mentions(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    top: int = 50,
    *,
    gazetteer: Any = None,
) -> pd.DataFrame:
    """The most frequent mentions that resolved to no entity, with an example sentence.

    A mention is unresolved when its ``entity_id`` is null (an unknown place, a product
    the model found). With ``gazetteer`` given, people and organisations the normaliser
    named itself (``person:<slug>``, ``org:<slug>`` ids not in the gazetteer) are listed
    too: they are the candidates for new gazetteer entries.
    """
    if mentions.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in UNRESOLVED_COLUMNS})
    unresolved = mentions["entity_id"].isna()
    if gazetteer is not None:
        ids = mentions["entity_id"]
        unknown = ids.notna() & ~ids.fillna("").map(lambda value: value in gazetteer)
        unresolved |= unknown & ~ids.fillna("").str.startswith(_GAZETTEER_PREFIXES)
    picked = mentions[unresolved].copy()
    if picked.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in UNRESOLVED_COLUMNS})
    names = picked["entity_name"].where(picked["entity_name"].notna(), picked["text"])
    picked["surface"] = names.astype(str).str.strip()
    grouped = picked.groupby(["surface", "label"], sort=False)
    counts = pd.DataFrame(
        {"count": grouped.size(), "articles": grouped["article_id"].nunique()}
    ).reset_index()
    firsts = picked.drop_duplicates(["surface", "label"])[
        ["surface", "label", "article_id", "sentence_idx"]
    ]
    table = counts.merge(firsts, on=["surface", "label"], how="left")
    table = table.sort_values(
        ["count", "articles", "surface"], ascending=[False, False, True], kind="stable"
    )
    table = table.head(top).reset_index(drop=True)
    table["example"] = _sentence_texts(
        list(table["article_id"]), [int(i) for i in table["sentence_idx"]], sentences, articles
    )
    table = table.rename(columns={"surface": "text"})
    return table[list(UNRESOLVED_COLUMNS)]


def _sentence_texts(
    article_ids: list[str], indexes: list[int], sentences: pd.DataFrame, articles: pd.DataFrame
) -> list[str | None]:
    """The text of each (article, sentence) pair; None where the tables lack it."""
    if not article_ids:
        return []
    wanted = pd.DataFrame({"article_id": article_ids, "sentence_idx": indexes})
    spans = wanted.merge(
        sentences[["article_id", "sentence_idx", "start_char", "end_char"]],
        on=["article_id", "sentence_idx"],
        how="left",
    ).merge(articles[["article_id", "text"]], on="article_id", how="left")
    return [
        span_text(text, start, end)
        for start, end, text in zip(
            spans["start_char"], spans["end_char"], spans["text"], strict=True
        )
    ]
