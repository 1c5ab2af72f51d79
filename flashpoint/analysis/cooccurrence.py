"""Which entities appear together: counts, NPMI and Jaccard over sentences or articles.

The unit × entity incidence is a sparse 0/1 matrix X; co-occurrence counts are XᵀX, so
the cost grows with the number of mentions, not with the square of the vocabulary. Rows
and columns are ordered by average-linkage clustering (with optimal leaf ordering) so
that groups of entities that go together sit next to each other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.cluster.hierarchy import leaves_list, linkage, optimal_leaf_ordering
from scipy.spatial.distance import squareform

from flashpoint.analysis.articles import safe_url
from flashpoint.analysis.filters import isin, span_text

SCOPES: tuple[str, ...] = ("sentence", "article")
METRICS: tuple[str, ...] = ("count", "npmi", "jaccard")
METRIC_LABELS: dict[str, str] = {"count": "count", "npmi": "NPMI", "jaccard": "Jaccard"}
DEFAULT_ENTITY_TYPES: tuple[str, ...] = ("country", "person", "organization", "weapon")
# The most evidence sentences a pair shows (newest first): a reader reads a few hundred,
# and only their articles' text is read.
PAIR_SHOWN = 500
PAIR_COLUMNS: tuple[str, ...] = (
    "published",
    "source",
    "title",
    "sentence",
    "mentions",
    "url",
    "article_id",
    "sentence_idx",
)


@dataclass
class Cooccurrence:
    """A square, cluster-ordered matrix of the top entities, plus what it was made from."""

    matrix: pd.DataFrame  # metric values; rows and columns are entity labels; diagonal NaN
    counts: pd.DataFrame  # raw co-occurrence counts, same labels
    entities: pd.DataFrame  # label, entity_id, entity_type, units (how many units hold it)
    scope: str
    metric: str
    n_units: int

    @property
    def is_empty(self) -> bool:
        return self.matrix.empty

    def label_to_id(self) -> dict[str, str]:
        return dict(zip(self.entities["label"], self.entities["entity_id"], strict=True))

    def long_form(self) -> pd.DataFrame:
        """One row per pair (each pair once) for CSV export."""
        if self.matrix.empty:
            return pd.DataFrame(
                columns=["entity_a", "entity_b", self.metric, "count", "scope", "units"]
            )
        labels = list(self.matrix.index)
        upper_i, upper_j = np.triu_indices(len(labels), k=1)
        values = self.matrix.to_numpy()[upper_i, upper_j]
        counts = self.counts.to_numpy()[upper_i, upper_j]
        frame = pd.DataFrame(
            {
                "entity_a": [labels[i] for i in upper_i],
                "entity_b": [labels[j] for j in upper_j],
                self.metric: values,
                "count": counts.astype(int),
                "scope": self.scope,
                "units": self.n_units,
            }
        )
        return frame.sort_values(["count", "entity_a"], ascending=[False, True]).reset_index(
            drop=True
        )


def empty_cooccurrence(scope: str, metric: str) -> Cooccurrence:
    return Cooccurrence(
        matrix=pd.DataFrame(),
        counts=pd.DataFrame(),
        entities=pd.DataFrame(columns=["label", "entity_id", "entity_type", "units"]),
        scope=scope,
        metric=metric,
        n_units=0,
    )


def axis_labels(ids: Sequence[str], names: Sequence[str], kinds: Sequence[str]) -> list[str]:
    """Display names, made unique ("Georgia (country)", "Georgia (place)") where needed."""
    counts = pd.Series(list(names)).value_counts()
    labels = [
        f"{name} ({kind})" if counts[name] > 1 else name
        for name, kind in zip(names, kinds, strict=True)
    ]
    seen: dict[str, int] = {}
    unique = []
    for label, entity_id in zip(labels, ids, strict=True):
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} [{entity_id}]")
    return unique


def association(
    counts: np.ndarray, frequencies: np.ndarray, n_units: int, metric: str
) -> np.ndarray:
    """Counts → the chosen association metric (diagonal left to the caller)."""
    counts = counts.astype(float)
    if metric == "count":
        return counts
    f_i = frequencies.astype(float)[:, None]
    f_j = frequencies.astype(float)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        if metric == "jaccard":
            union = f_i + f_j - counts
            return np.where(union > 0, counts / union, 0.0)
        if metric == "npmi":
            n = float(max(n_units, 1))
            p_ij = counts / n
            pmi = np.log(p_ij * n * n / (f_i * f_j))
            npmi = pmi / -np.log(p_ij)
            npmi = np.where(counts == 0, -1.0, npmi)
            npmi = np.where((counts > 0) & (p_ij >= 1.0), 1.0, npmi)
            return np.clip(np.nan_to_num(npmi, nan=-1.0), -1.0, 1.0)
    raise ValueError(f"unknown metric {metric!r} (use one of {', '.join(METRICS)})")


def cluster_order(similarity: np.ndarray) -> np.ndarray:
    """Leaf order of an average-linkage tree on 1 − similarity (similarity in [0, 1])."""
    size = similarity.shape[0]
    if size < 3:
        return np.arange(size)
    distance = 1.0 - np.clip(similarity, 0.0, 1.0)
    distance = (distance + distance.T) / 2.0
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(distance, checks=False)
    tree = optimal_leaf_ordering(linkage(condensed, method="average"), condensed)
    return np.asarray(leaves_list(tree))


def similarity_matrix(values: np.ndarray, metric: str) -> np.ndarray:
    if metric == "npmi":
        return (values + 1.0) / 2.0
    if metric == "count":
        top = values.max() if values.size else 0.0
        return values / top if top > 0 else values
    return values


def cooccurrence(
    mentions: pd.DataFrame,
    *,
    scope: str = "sentence",
    metric: str = "npmi",
    entity_types: Sequence[str] = DEFAULT_ENTITY_TYPES,
    top_n: int = 25,
    catalog: Any = None,
) -> Cooccurrence:
    """Co-occurrence of the ``top_n`` most frequent entities of ``entity_types``.

    A unit (sentence or article) counts once per entity however often it names it.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r} (use one of {', '.join(SCOPES)})")
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r} (use one of {', '.join(METRICS)})")
    if mentions.empty:
        return empty_cooccurrence(scope, metric)
    picked = mentions[
        mentions["entity_id"].notna().to_numpy() & isin(mentions["entity_type"], entity_types)
    ]
    if picked.empty:
        return empty_cooccurrence(scope, metric)
    unit_columns = ["article_id", "sentence_idx"] if scope == "sentence" else ["article_id"]
    pairs = picked[[*unit_columns, "entity_id"]].drop_duplicates()
    unit_codes = pairs.groupby(unit_columns, sort=False).ngroup().to_numpy()
    entity_codes, entity_ids = pd.factorize(pairs["entity_id"].astype(str))
    n_units = int(unit_codes.max()) + 1
    incidence = sparse.csr_matrix(
        (np.ones(len(pairs), dtype=np.float64), (unit_codes, entity_codes)),
        shape=(n_units, len(entity_ids)),
    )
    frequencies = np.asarray(incidence.sum(axis=0)).ravel()

    first_names = picked.drop_duplicates("entity_id").set_index("entity_id")[
        ["entity_name", "entity_type"]
    ]
    names = [
        catalog.name(eid) if catalog is not None else str(first_names.at[eid, "entity_name"])
        for eid in entity_ids
    ]
    top = top_entities(frequencies, names, top_n)
    sub = incidence[:, top]
    counts = np.asarray((sub.T @ sub).toarray())
    ids = [str(entity_ids[i]) for i in top]
    kinds = [str(first_names.at[eid, "entity_type"]) for eid in ids]
    return assemble_cooccurrence(
        counts, frequencies[top], ids, [names[i] for i in top], kinds, n_units, scope, metric
    )


def top_entities(frequencies: np.ndarray, names: Sequence[str], top_n: int) -> np.ndarray:
    """Positions of the ``top_n`` entities (at least one): most frequent first, ties by
    name so the choice of the top N is stable. Shared by the pandas path and the DuckDB
    query layer and its aggregates."""
    ranking = sorted(range(len(names)), key=lambda i: (-frequencies[i], names[i].casefold()))
    return np.array(ranking[: max(int(top_n), 1)])


def pair_counts(pairs: pd.DataFrame, keys: Sequence[Any], *, mirror: bool) -> np.ndarray:
    """The pair-count matrix of ``keys`` (one per top entity, in order) from rows (a, b,
    n) keyed like them: units naming both a and b. ``mirror``: the rows hold one order of
    each pair, so each count fills both cells."""
    position = {key: k for k, key in enumerate(keys)}
    counts = np.zeros((len(keys), len(keys)), dtype=np.float64)
    rows = pairs["a"].map(position).to_numpy()
    columns = pairs["b"].map(position).to_numpy()
    values = pairs["n"].astype("float64").to_numpy()
    counts[rows, columns] = values
    if mirror:
        counts[columns, rows] = values
    return counts


def assemble_cooccurrence(
    counts: np.ndarray,
    units: np.ndarray,
    ids: Sequence[str],
    names: Sequence[str],
    kinds: Sequence[str],
    n_units: int,
    scope: str,
    metric: str,
) -> Cooccurrence:
    """The heatmap of the top entities from their pair counts (``counts[i, j]``: units
    naming both) and their own unit counts, rows and columns clustered so that entities
    seen together sit together. Shared by the pandas path and the DuckDB query layer."""
    values = association(counts, units, n_units, metric)
    off_diagonal = values.copy()
    np.fill_diagonal(off_diagonal, 0.0 if metric != "npmi" else -1.0)
    order = cluster_order(similarity_matrix(off_diagonal, metric))
    ordered_ids = [ids[i] for i in order]
    ordered_kinds = [kinds[i] for i in order]
    labels = axis_labels(ordered_ids, [names[i] for i in order], ordered_kinds)
    values = values[np.ix_(order, order)].astype(float)
    counts = counts[np.ix_(order, order)]
    np.fill_diagonal(values, np.nan)
    return Cooccurrence(
        matrix=pd.DataFrame(values, index=labels, columns=labels),
        counts=pd.DataFrame(counts.astype(int), index=labels, columns=labels),
        entities=pd.DataFrame(
            {
                "label": labels,
                "entity_id": ordered_ids,
                "entity_type": ordered_kinds,
                "units": units[order].astype(int),
            }
        ),
        scope=scope,
        metric=metric,
        n_units=n_units,
    )


def pair_sentences(
    mentions: pd.DataFrame,
    sentences: pd.DataFrame,
    articles: pd.DataFrame,
    entity_a: str,
    entity_b: str,
    *,
    scope: str = "sentence",
    names: tuple[str, str] | None = None,
    limit: int | None = None,
    texts: Callable[[list[str]], dict[str, str]] | None = None,
) -> pd.DataFrame:
    """The evidence behind one cell: sentences naming both entities (sentence scope), or,
    in articles naming both, the sentences naming either (article scope); newest first,
    the first ``limit`` of them when given.

    Article text is needed only for the rows returned: ``texts`` (article ids → text)
    fetches it for those; without it, ``articles`` carries a ``text`` column."""
    label_a, label_b = names or (entity_a, entity_b)
    keys = ["article_id", "sentence_idx"]
    in_a = mentions.loc[mentions["entity_id"] == entity_a, keys].drop_duplicates()
    in_b = mentions.loc[mentions["entity_id"] == entity_b, keys].drop_duplicates()
    if scope == "sentence":
        both = in_a.merge(in_b, on=keys)
        hits = both.assign(mentions=f"{label_a}, {label_b}")
    else:
        shared = set(in_a["article_id"]) & set(in_b["article_id"])
        marked_a = in_a[isin(in_a["article_id"], shared)].assign(a=True)
        marked_b = in_b[isin(in_b["article_id"], shared)].assign(b=True)
        hits = marked_a.merge(marked_b, on=keys, how="outer")
        has_a = hits["a"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        has_b = hits["b"].astype("boolean").fillna(False).to_numpy(dtype=bool)
        hits["mentions"] = np.where(
            has_a & has_b, f"{label_a}, {label_b}", np.where(has_a, label_a, label_b)
        )
        hits = hits.drop(columns=["a", "b"])
    if hits.empty:
        return pd.DataFrame({column: [] for column in PAIR_COLUMNS})
    hits = hits.merge(sentences[[*keys, "start_char", "end_char"]], on=keys, how="left")
    context = articles[["article_id", "published", "source", "title", "url"]]
    hits = hits.merge(context, on="article_id", how="inner")
    hits["published"] = pd.to_datetime(hits["published"], utc=True, errors="coerce")
    hits = hits.sort_values(
        ["published", "article_id", "sentence_idx"], ascending=[False, True, True]
    )
    if limit is not None:
        hits = hits.head(max(int(limit), 0))
    if texts is None:
        text_of = dict(zip(articles["article_id"], articles["text"], strict=True))
    else:
        text_of = texts(sorted(set(hits["article_id"].astype(str))))
    hits["sentence"] = [
        span_text(text_of.get(article_id), start, end) or ""
        for article_id, start, end in zip(
            hits["article_id"], hits["start_char"], hits["end_char"], strict=True
        )
    ]
    hits["url"] = hits["url"].map(safe_url)
    return hits[list(PAIR_COLUMNS)].reset_index(drop=True)
